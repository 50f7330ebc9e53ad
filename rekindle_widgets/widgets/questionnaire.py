"""Questionnaires as widgets: one :class:`Questionnaire` renders any instrument, :class:`CheckUp` chains two.

Views only: what an answer means is :func:`rekindle_widgets.model.scorer.score`'s
business, where it is kept is the journal's. This module lays out questions,
collects answers, and shows the result, safety resources first.

Driven without a browser::

    q = Questionnaire("phq9", journal=path)
    for item, control in zip(q.instrument.items, q.controls.values()):
        control.value = 0
    q.submit_button.click()
    q.result_html          # the result panel, as HTML, in display order
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from html import escape
from typing import Any

import ipywidgets as w

from ..content.instruments import Instrument, Item, instrument
from ..errors import RekindleError
from ..model.scorer import RaisedFlag, Reason, Result, raised_flag, rescore, save, score, stored_responses
from .base import as_journal, message
from .safety import SafetyPanel, quick_exit_html, quick_exit_script
from .style import Page

__all__ = ["CheckUp", "Questionnaire", "result_html"]

#: Choice questions with more answers than this use a dropdown instead of radio buttons.
RADIO_LIMIT = 7
CONTEXTS = [("on my own", "self"), ("in a session with a therapist", "session")]
_REQUIRED = ('<span class="rk-required" title="required">'
             " *</span>")


# --------------------------------------------------------------------------
# The result panel (HTML, escaped; the safety block is the SafetyPanel's)
# --------------------------------------------------------------------------


def _reason_html(reason: Reason) -> str:
    because = "".join(f"<li>{escape(b)}</li>" for b in reason.because)
    answers = f'<ul class="rk-text rk-tight-list">{because}</ul>' if because else ""
    return f"<li><b>{escape(reason.label)}</b>: {escape(reason.text)}{answers}</li>"


def result_html(result: Result, *, saved: str = "", session: bool = False) -> str:
    """The result (band or verdict, total, reasons, next steps, source) as HTML.

    ``session``: given in a therapy session, so the result is the client's, not
    "your" result as it is for a person filling it in on their own.

    Safety resources are not part of this block: views put a
    :class:`~rekindle_widgets.widgets.safety.SafetyPanel` before it whenever
    ``result.safety`` is true.
    """
    inst = result.instrument
    whose = "the client's" if session else "your"
    parts = [f'<div class="rk-result"><h3 class="rk-h">{escape(inst.title)}: {whose} result</h3>']
    if result.band is not None:
        parts.append(f'<p class="rk-band rk-bigger"><b>{escape(inst.band_title)}: '
                     f"{escape(result.band.label)}</b></p>")
        if result.band.text:
            parts.append(f"<p>{escape(result.band.text)}</p>")
    if result.total is not None:
        score_text = f"Total: {result.total:g} of {result.max_total}"
        if result.percentage is not None:
            score_text += f" ({result.percentage:g} out of 100)"
        parts.append(f'<p class="rk-total">{escape(score_text)}</p>')
    if result.subscales:
        cells = " &middot; ".join(f"{escape(label)}: <b>{value:g}</b> of {top:g}"
                                  for _, label, value, top in result.subscales)
        parts.append(f"<p>{cells}</p>")
    decided = [r for r in result.band_reasons if not r.flag.is_safety]
    others = [r for r in result.reasons if r not in decided and not r.flag.is_safety]
    if decided:
        parts.append(f"<h4>Why: the answers that led here</h4><ul>{''.join(map(_reason_html, decided))}</ul>")
    if others:
        heading = "Also worth noticing" if decided or result.band else "What stands out"
        parts.append(f"<h4>{heading}</h4><ul>{''.join(map(_reason_html, others))}</ul>")
    if not result.reasons and result.band is None and inst.flags:
        parts.append("<p>Nothing in these answers raised a flag.</p>")
    own = [(item, result.answers[item.number - 1]) for item in inst.items if not item.is_choice]
    own = [(item, text) for item, text in own if text]
    if own:
        answers = {i.id: result.answers[i.number - 1] for i in inst.items}
        rows = "".join(f'<li><span class="rk-hint">{escape(item.prompt(answers))}</span><br>'
                       f'<span class="rk-pre">{escape(text)}</span></li>' for item, text in own)
        parts.append(f"<h4>In {whose} own words</h4><ul>{rows}</ul>")
    if result.next_steps:  # written to the person; a therapist reads them as what the person would be told
        steps = "".join(f"<li>{escape(s)}</li>" for s in result.next_steps)
        heading = "What the workbook tells someone alone at this level" if session else "Next steps"
        parts.append(f"<h4>{heading}</h4><ul>{steps}</ul>")
    parts.append(f'<p class="rk-fine">Source: {escape(inst.source)} '
                 f"Licence: {escape(inst.licence)}</p>")
    if saved:
        parts.append(message("ok", saved))
    parts.append("</div>")
    return "".join(parts)


# --------------------------------------------------------------------------
# The questionnaire
# --------------------------------------------------------------------------


class Questionnaire(Page):
    """Any instrument as a form: progress, back/next or one page, required marks, a scored result.

    ``journal`` is a Journal, a path, or None (the default journal); a
    submitted response is saved there with a timestamp and ``context``
    (``"self"`` or ``"session"``, also offered as a dropdown) unless
    ``save=False``. ``paged`` overrides the instrument's layout (one question
    at a time with back/next, or all on one page). ``on_result`` callbacks get
    each :class:`~rekindle_widgets.model.scorer.Result`. Earlier responses can be
    reopened from the "Earlier responses" dropdown or with :meth:`reopen`.
    ``header=False`` leaves out the title and intro (for a page that shows them
    itself); ``history=False`` leaves out the list of earlier responses.
    """

    def __init__(self, instrument_id: str | Instrument, journal: Any = None, *, context: str = "self",
                 region: str | None = None, paged: bool | None = None, save: bool = True,
                 on_result: Callable[[Result], None] | None = None, history: bool = True,
                 header: bool = True, **kwargs: Any):
        self.instrument = instrument(instrument_id)
        self.journal = as_journal(journal) if save or history else None
        self.region = region
        self.save_responses = save
        self.paged = self.instrument.layout == "paged" if paged is None else bool(paged)
        self.result: Result | None = None
        self.saved_id: int | None = None
        self.read_only = False
        self._callbacks: list[Callable[[Result], None]] = [on_result] if on_result else []
        self._index = 0
        self._filling = False

        inst = self.instrument
        intro = f'<h3 class="rk-h">{escape(inst.title)}</h3><p>{escape(inst.intro)}</p>' if header else ""
        self.header = w.HTML(
            f'{intro}<p class="rk-small rk-hint">'
            f"Questions marked{_REQUIRED} need an answer.</p>")
        self.controls: dict[str, w.ValueWidget] = {}
        self.prompts: dict[str, w.HTML] = {}
        self.blocks: list[w.VBox] = [self._block(item) for item in inst.items]
        self.progress = w.HTML()
        self.back_button = w.Button(description="Back", icon="arrow-left", tooltip="Previous question")
        self.next_button = w.Button(description="Next", icon="arrow-right", tooltip="Next question")
        self.submit_button = w.Button(description="See my result", button_style="primary", icon="check",
                                      tooltip="Score the answers and save them to your journal")
        self.new_button = w.Button(description="Start a new response", icon="refresh",
                                   tooltip="Clear the answers and start again",
                                   layout=w.Layout(display="none", width="auto"))
        if context not in dict(CONTEXTS).values():
            raise RekindleError(f"context must be 'self' or 'session', not {context!r}")
        self.context = w.Dropdown(options=CONTEXTS, value=context, description="Filled in",
                                  tooltip="Alone, or together with a therapist",
                                  style={"description_width": "initial"})
        self.message = w.HTML()
        self.result_box = w.VBox(layout=w.Layout(margin="8px 0 0 0"))
        self.safety_panel: SafetyPanel | None = None
        self.history = w.Dropdown(options=[], value=None, description="Earlier responses",
                                  style={"description_width": "initial"}, tooltip="Answers you saved before")
        self.open_button = w.Button(description="Open (read-only)", icon="folder-open",
                                    tooltip="Show the chosen response and its result",
                                    layout=w.Layout(width="auto"))
        self.edit_button = w.Button(description="Open as a new copy", icon="copy",
                                    tooltip="Start a new response filled in with the chosen one",
                                    layout=w.Layout(width="auto"))
        self.history_box = w.HBox([self.history, self.open_button, self.edit_button],
                                  layout=w.Layout(flex_flow="row wrap"))

        self.back_button.on_click(lambda _b: self.go(self._index - 1))
        self.next_button.on_click(lambda _b: self.go(self._index + 1))
        self.submit_button.on_click(lambda _b: self.submit())
        self.new_button.on_click(lambda _b: self.reset())
        self.open_button.on_click(lambda _b: self._open_chosen(read_only=True))
        self.edit_button.on_click(lambda _b: self._open_chosen(read_only=False))
        for control in self.controls.values():
            control.observe(self._changed, names="value")

        nav = [self.back_button, self.next_button] if self.paged else []
        self.nav = w.HBox([*nav, self.submit_button, self.new_button], layout=w.Layout(flex_flow="row wrap"))
        children = [self.header, self.progress, *self.blocks, self.context, self.nav, self.message,
                    self.result_box]
        if history and self.journal is not None:
            self.refresh_history()
            children.append(self.history_box)
        super().__init__(children, **kwargs)
        self.add_class("rk-questionnaire")
        self.go(0)

    # -- building ------------------------------------------------------------

    def _block(self, item: Item) -> w.VBox:
        section = None
        if item.section:
            section = w.HTML(f'<h4 class="rk-h-gap">{escape(item.section)}</h4>')
        prompt = w.HTML(self._prompt_html(item))
        self.prompts[item.id] = prompt
        label = f"Answer {item.number}" + (" (required)" if item.required else "")
        common = {"description": label, "tooltip": item.text, "style": {"description_width": "initial"}}
        if not item.is_choice:
            control = w.Textarea(value="", placeholder="In your own words (optional)",
                                 layout=w.Layout(width="95%", max_width="720px", height="80px"), **common)
        elif len(item.options) > RADIO_LIMIT:
            control = w.Dropdown(options=[(o.label, o.value) for o in item.options], value=None, **common)
        else:
            control = w.RadioButtons(options=[(o.label, o.value) for o in item.options], value=None,
                                     layout=w.Layout(width="max-content"), **common)
        self.controls[item.id] = control
        children = [c for c in (section, prompt, control) if c is not None]
        block = w.VBox(children, layout=w.Layout(margin="0 0 10px 0"))
        block.add_class("rk-item")
        return block

    def _prompt_html(self, item: Item) -> str:
        text = item.prompt(self._raw_answers() if hasattr(self, "controls") else {})
        mark = _REQUIRED if item.required else ""
        return (f'<div class="rk-question">'
                f"{item.number}. {escape(text)}{mark}</div>")

    # -- answers ---------------------------------------------------------------

    def _raw_answers(self) -> dict[str, Any]:
        return {item_id: control.value for item_id, control in self.controls.items()}

    def answers(self) -> list[Any]:
        """The current answers, one per item (None where a choice is unanswered)."""
        return [self.controls[item.id].value for item in self.instrument.items]

    def set_answers(self, answers: Sequence[Any] | Mapping[str, Any]) -> None:
        """Fill the form (one answer per item, or {item id: answer}); values are checked by the scorer."""
        values = score_free(self.instrument, answers)
        self._filling = True  # filled, not answered: the page stays where it is
        try:
            for item, value in zip(self.instrument.items, values, strict=True):
                self.controls[item.id].value = ("" if value is None else value) if not item.is_choice else value
        finally:
            self._filling = False

    def answered(self) -> int:
        return sum(1 for item in self.instrument.items if self.controls[item.id].value not in (None, ""))

    def _changed(self, change: dict[str, Any]) -> None:
        for item in self.instrument.items:
            if item.follows:
                self.prompts[item.id].value = self._prompt_html(item)
        self._update_progress()
        # one question a screen: a first tap on a choice answers it and goes on (a change of mind stays put)
        current = self.controls[self.instrument.items[self._index].id]
        if (self.paged and not self._filling and change.get("owner") is current and change.get("old") is None
                and change.get("new") is not None and isinstance(current, w.RadioButtons)
                and self._index < len(self.blocks) - 1):
            self.go(self._index + 1)

    # -- navigation --------------------------------------------------------------

    def go(self, index: int) -> None:
        """Show question ``index`` (0-based) when paged; on one page, just update the progress."""
        self._index = max(0, min(index, len(self.blocks) - 1))
        for n, block in enumerate(self.blocks):
            block.layout.display = "" if (not self.paged or n == self._index) else "none"
        self.back_button.disabled = self._index == 0
        self.next_button.disabled = self._index == len(self.blocks) - 1
        self._update_progress()

    @property
    def index(self) -> int:
        return self._index

    def _update_progress(self) -> None:
        total = len(self.instrument.items)
        done = f"{self.answered()} of {total} answered"
        if self.paged:
            text = f"Question {self._index + 1} of {total} &middot; {done}"
        else:
            text = done
        self.progress.value = f'<div class="rk-progress">{text}</div>'

    # -- submitting ----------------------------------------------------------------

    def submit(self) -> Result | None:
        """Score the answers, save them, show the result; on a mistake, say which question and stay."""
        if self.read_only:
            return self.result
        try:
            result = score(self.instrument, self.answers())
        except RekindleError as exc:
            self.message.value = message("error", str(exc))
            missing = next((item for item in self.instrument.items
                            if item.required and self.controls[item.id].value in (None, "")), None)
            if missing is not None:
                self.go(missing.number - 1)
            return None
        saved = ""
        self.message.value = ""
        if self.save_responses and self.journal is not None:
            try:
                self.saved_id = save(self.journal, result, context=self.context.value)
            except RekindleError as exc:
                self.message.value = message("error", f"The result is below, but it was not saved: {exc}")
            else:
                saved = "Saved to your journal."
                self.refresh_history()
        self.show_result(result, saved=saved)
        for callback in self._callbacks:
            callback(result)
        return result

    def on_result(self, callback: Callable[[Result], None]) -> None:
        """Call ``callback(result)`` after each successful submit."""
        self._callbacks.append(callback)

    def show_result(self, result: Result, *, saved: str = "", stored_flags: Sequence[RaisedFlag] = ()) -> None:
        """Fill the result panel: the safety panel first whenever the result calls for it.

        ``stored_flags``: safety flags saved with an earlier response that
        scoring its answers again does not raise (one from a newer version, say);
        they call for the safety panel too.
        """
        self.result = result
        children: list[w.Widget] = []
        self.safety_panel = None
        kinds = tuple(dict.fromkeys([*result.safety_kinds, *(f.kind for f in stored_flags)]))
        if kinds:
            self.safety_panel = SafetyPanel(region=self.region, kinds=kinds, reasons=result.safety_reasons)
            children.append(self.safety_panel)
        children.append(w.HTML(result_html(result, saved=saved, session=self.context.value == "session")))
        children[0].add_class("rk-reveal")  # the page's script scrolls to it and gives it focus (quick-exit.js)
        self.result_box.children = children
        self.new_button.layout.display = ""

    @property
    def result_html(self) -> str:
        """The result panel's HTML in display order (the safety panel's first, when shown)."""
        return "".join(getattr(child, "value", "") for child in self.result_box.children)

    def clear_result(self) -> None:
        self.result = None
        self.safety_panel = None
        self.result_box.children = []

    # -- earlier responses --------------------------------------------------------------

    def refresh_history(self) -> None:
        if self.journal is None:
            return
        options = []
        for stored in reversed(stored_responses(self.journal, self.instrument.id)):
            when = stored.at[:16].replace("T", " ")
            who = " (session)" if stored.context == "session" else ""
            options.append((f"{when}{who}", stored.id))
        self.history.options = options
        self.history.value = None
        self.history_box.layout.display = "" if options else "none"

    def reopen(self, response_id: int, *, read_only: bool = True) -> Result:
        """Show an earlier response: read-only with its result, or as a prefilled new response."""
        found = [s for s in stored_responses(self.journal, self.instrument.id) if s.id == response_id]
        if not found:
            raise RekindleError(f"there is no saved {self.instrument.id} response {response_id} "
                                "in this journal")
        stored = found[0]
        self.reset()
        result = rescore(stored)
        raised = {r.flag.id for r in result.reasons}
        extra = [flag for flag in (raised_flag(stored.instrument, f) for f in stored.flags)
                 if flag.is_safety and flag.id not in raised]  # the one rule: an unknown flag counts
        self.set_answers(list(result.answers))
        self.context.value = stored.context
        if read_only:
            self.read_only = True
            for control in [*self.controls.values(), self.context, self.submit_button]:
                control.disabled = True
            also = f" When it was saved it also raised: {'; '.join(f.label for f in extra)}." if extra else ""
            self.show_result(result, saved=f"Saved on {stored.at[:16].replace('T', ' ')}; shown read-only.{also}",
                             stored_flags=extra)
        else:
            self.message.value = message("info", f"A copy of your answers from {stored.at[:10]}: change "
                                                 "what you like and press 'See my result' to save it as new.")
        return result

    def _open_chosen(self, *, read_only: bool) -> None:
        if self.history.value is None:
            self.message.value = message("error", "Choose an earlier response first.")
            return
        try:
            self.reopen(self.history.value, read_only=read_only)
        except RekindleError as exc:
            self.message.value = message("error", str(exc))

    def reset(self) -> None:
        """Empty, editable form; the result panel cleared."""
        self.read_only = False
        for item in self.instrument.items:
            control = self.controls[item.id]
            control.disabled = False
            control.value = None if item.is_choice else ""
        self.context.disabled = self.submit_button.disabled = False
        self.message.value = ""
        self.new_button.layout.display = "none"
        self.clear_result()
        self.go(0)


def score_free(inst: Instrument, answers: Sequence[Any] | Mapping[str, Any]) -> tuple[Any, ...]:
    """Answers normalised like the scorer does, but without insisting on required ones (for prefilling)."""
    from ..model.scorer import _normalise

    if isinstance(answers, Mapping):
        raw = [answers.get(item.id) for item in inst.items]
    else:
        raw = list(answers)
        if len(raw) != len(inst.items):
            raise RekindleError(f"{inst.id} has {len(inst.items)} questions, but {len(raw)} answers were given")
    return tuple(_normalise(inst, item, value) for item, value in zip(inst.items, raw, strict=True))


# --------------------------------------------------------------------------
# The check-up flow: safety screen first, then the check-up
# --------------------------------------------------------------------------


class CheckUp(Page):
    """The safety screen, then the check-up; a safety "yes" stops the flow.

    A "yes" or "prefer not to say" on the safety screen shows the
    :class:`SafetyPanel` for the chosen region (its region selector can change
    it), says why, and keeps the check-up and its verdict hidden. Otherwise
    the check-up opens below; its result is a verdict with the answers that
    led there. Both responses are saved to the journal.
    """

    def __init__(self, journal: Any = None, *, region: str | None = None, context: str = "self",
                 **kwargs: Any):
        from ..content import guide

        self.journal = as_journal(journal)
        self.region = region
        self.header = w.HTML(
            f'<div class="rk-clearfix">{quick_exit_html()}<h2 class="rk-h">The check-up</h2></div>'
            f"<p>{escape(guide().checkup_intro)}</p><p>It starts with five questions about your safety.</p>")
        # no list of earlier safety answers on screen: someone may be looking over the person's shoulder
        self.safety = Questionnaire("safety", self.journal, context=context, region=region,
                                    on_result=self._after_safety, history=False)
        self.checkup = Questionnaire("checkup", self.journal, context=context, region=region)
        # after the verdict: the decision point (issue 17), on the Moving forward page
        self.decision_link = w.HTML()
        self.checkup.on_result(self._after_verdict)
        self.stopped = w.HTML()
        self.checkup.layout.display = "none"
        self.safety.add_class("rk-safety-screen")
        self.checkup.add_class("rk-checkup-questions")
        super().__init__([self.header, quick_exit_script(), self.safety, self.stopped, self.checkup,
                          self.decision_link], **kwargs)
        self.add_class("rk-checkup")

    def _after_verdict(self, result: Result) -> None:
        from ..content.forward import forward

        text = forward().decision
        self.decision_link.value = (
            f"<div class='rk-decision-link'><h3>{escape(text.title)}</h3>"
            f"<p>{escape(text.checkup_link)} Open the <b>Moving forward</b> tab.</p></div>")

    @property
    def step(self) -> str:
        """Where the flow is: "safety" (screen not done), "stopped" (safety first) or "checkup"."""
        if self.safety.result is None:
            return "safety"
        return "stopped" if self.safety.result.stops_flow else "checkup"

    @property
    def safety_panel(self) -> SafetyPanel | None:
        return self.safety.safety_panel

    @property
    def verdict_shown(self) -> bool:
        return self.checkup.layout.display != "none" and self.checkup.result is not None

    def _after_safety(self, result: Result) -> None:
        if result.stops_flow:
            self.checkup.clear_result()
            self.checkup.layout.display = "none"
            self.decision_link.value = ""
            self.stopped.value = message(
                "warn", "The check-up is paused here on purpose: your safety comes first, so no verdict is "
                        "shown. The services above are there whenever you are ready, and you can come back "
                        "to the check-up later.")
        else:
            self.stopped.value = message("ok", "Thank you. The check-up follows below.")
            self.checkup.layout.display = ""
