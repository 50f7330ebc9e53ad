"""The safety panel: who to call in the person's region, and a way to leave quickly.

Every service, number and text comes from ``content/guide.toml`` through
:func:`rekindle_widgets.model.scorer.resources`; this module only lays them out.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

import ipywidgets as widgets

from ..charts import theme
from ..content import guide
from ..model.scorer import Reason, Resources, dial_text, quick_exit_url, resources

__all__ = ["QuickExitScript", "SafetyPanel", "quick_exit_html", "quick_exit_script", "safety_html"]

_BOX = (f"border-left:6px solid {theme.DANGER};background:{theme.DANGER_BG};color:{theme.DANGER_INK};"
        "padding:10px 16px;margin:4px 0 12px 0;border-radius:4px;line-height:1.45")
#: links inside the light safety box keep a dark blue in a dark theme too
_LINK = f"color:{theme.SAFETY_LINK};text-decoration:underline"
_EXIT = (f"float:right;background:{theme.DANGER};color:#fff;padding:6px 12px;border-radius:4px;"
         "text-decoration:none;font-weight:600;margin-left:12px")


def quick_exit_html() -> str:
    """The "leave this page quickly" link to :func:`~rekindle_widgets.model.scorer.quick_exit_url`.

    The page's quick-exit script (:func:`quick_exit_script`, or the Voila
    template) turns a click on it into ``location.replace``, so Back does not
    return; without the script it is still a plain link in the same tab, with
    no referrer.
    """
    url = escape(quick_exit_url(), quote=True)
    return (f'<a class="rk-quick-exit" href="{url}" target="_top" rel="noopener noreferrer" '
            f'style="{_EXIT}">Leave this page quickly</a>')


def quick_exit_js() -> str:
    """The quick-exit script, the same file the Voila template loads."""
    from ..server.appserver import DATA_DIR

    return (DATA_DIR / "voila" / "templates" / "rekindle" / "static" / "quick-exit.js").read_text(encoding="utf-8")


class QuickExitScript(widgets.Output):
    """An invisible widget that installs the quick-exit script in the page it is shown in.

    ipywidgets' HTML is set as innerHTML, so a script in it never runs. An
    Output widget's outputs are rendered by the page's own renderers, and in
    JupyterLab that includes ``application/javascript``: this is how the exit
    link, Shift x3 and Escape x2 work in the notebooks. In Voila the template
    already loads the same script; it installs itself only once per page.
    """

    def __init__(self, **kwargs):
        super().__init__(layout=widgets.Layout(height="0px", overflow="hidden", margin="0"), **kwargs)
        from IPython.display import Javascript

        self.append_display_data(Javascript(quick_exit_js()))
        self.add_class("rk-quick-exit-script")


def quick_exit_script() -> QuickExitScript:
    """A :class:`QuickExitScript` to put beside any widget that shows :func:`quick_exit_html`."""
    return QuickExitScript()


def _service_html(service) -> str:
    parts = []
    if service.phone:
        digits = "".join(c for c in service.phone if c.isdigit() or c == "+")
        number, _, mnemonic = dial_text(service).partition(" (")
        link = (f'<a href="tel:{escape(digits, quote=True)}" style="{_LINK};white-space:nowrap">'  # a number
                f"<b>{escape(number)}</b></a>")  # never breaks across lines on a phone
        parts.append(f"call {link}" + (f" ({escape(mnemonic)}" if mnemonic else ""))
    elif service.phone_label:
        parts.append(f"call <b>{escape(service.phone_label)}</b>")
    if service.text:
        parts.append(escape(service.text.replace("Text ", "text ", 1)))
    line = f"<b>{escape(service.name)}</b>: {', or '.join(parts)}"
    if service.hours:
        line += f" ({escape(service.hours)})"
    if service.url:
        url = escape(service.url, quote=True)
        shown = escape(service.url.split("//", 1)[-1].rstrip("/"))
        line += f' · <a href="{url}" target="_blank" rel="noopener noreferrer" style="{_LINK}">{shown}</a>'
    return f"<li>{line}</li>"


def safety_html(res: Resources, reasons: Sequence[Reason] = (), *, heading: str = "Your safety comes first"
                ) -> str:
    """The safety block as HTML: quick exit, why it is shown, the services, the emergency number."""
    why = "".join(f"<p>{escape(r.text)}</p>" for r in reasons)
    services = "".join(_service_html(s) for s in res.services)
    return (
        f'<div class="rk-safety" role="alert" style="{_BOX}">'
        f"{quick_exit_html()}"
        f'<h3 style="margin:4px 0 8px 0">{escape(heading)}</h3>'
        f"{why}<p>{escape(res.intro)}</p>"
        f'<ul style="margin:4px 0 8px 0">{services}</ul>'
        f'<p style="font-size:1.1em"><b>In immediate danger? Call {escape(res.emergency)} now.</b></p>'
        f'<p style="font-size:0.9em;margin-bottom:0">Showing services for {escape(res.region.name)}. '
        f"Calls and chats are free and confidential.</p>"
        "</div>"
    )


class SafetyPanel(widgets.VBox):
    """Safety resources for a region, with a region selector and a quick-exit link.

    ``region=None`` starts in the person's region (:func:`content.default_region`:
    ``$REKINDLE_REGION``, else the locale, else "anywhere else"); the selector
    lists every region in the guide and re-renders the services on change.

    ``kinds`` puts those services first: ``("crisis",)`` for thoughts of
    self-harm, ``("abuse",)`` for a safety-screen answer. ``reasons`` (from a
    :class:`~rekindle_widgets.model.scorer.Result`) say why the panel is shown.
    Read the rendered HTML from :attr:`value`.
    """

    def __init__(self, region: str | None = None, kinds: Sequence[str] = ("abuse",),
                 reasons: Sequence[Reason] = (), **kwargs):
        safety = guide().safety
        self.kinds = tuple(kinds)
        self.reasons = tuple(reasons)
        start = resources(self.kinds, region).region.code  # an unknown code raises here
        self.region = widgets.Dropdown(
            options=[(r.name, r.code) for r in safety.regions], value=start, description="Your region",
            tooltip="Where you are: the services listed below change with it",
            style={"description_width": "initial"},
            layout=widgets.Layout(max_width="100%"),  # never wider than a 390 px phone screen
        )
        self.html = widgets.HTML()
        self.region.observe(lambda _change: self._render(), names="value")
        self._render()
        super().__init__([self.html, self.region, quick_exit_script()], **kwargs)
        self.add_class("rk-safety-panel")

    def _render(self) -> None:
        self.html.value = safety_html(resources(self.kinds, self.region.value), self.reasons)

    @property
    def value(self) -> str:
        """The panel's HTML as shown."""
        return self.html.value

    def show(self, kinds: Sequence[str], reasons: Sequence[Reason] = ()) -> None:
        """Show the services for other kinds of need (e.g. after a new result)."""
        self.kinds, self.reasons = tuple(kinds), tuple(reasons)
        self._render()
