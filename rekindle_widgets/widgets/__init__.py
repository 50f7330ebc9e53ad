"""ipywidgets views: each module binds controls to the package's plain functions.

No logic lives here that the package lacks ("what does this answer mean" is
the scorer's; "where is the data" is the journal's). Widgets are testable
without a browser: set ``.value``, call ``button.click()``, read the output.

Names are exported lazily so that importing one widget does not import all.
"""

from __future__ import annotations

from importlib import import_module

#: public name -> module in this package
_EXPORTS: dict[str, str] = {
    "CheckUp": "questionnaire",
    "DownloadPanel": "download",
    "ImportPage": "importer",
    "MoodLog": "mood",
    "MovingForward": "forward",
    "Questionnaire": "questionnaire",
    "SafetyPanel": "safety",
    "SessionPage": "session",
    "StageNavigator": "stages",
    "StartPage": "start",
    "Wellbeing": "wellbeing",
}

__all__ = sorted(_EXPORTS)  # noqa: PLE0605 - one list of names: the lazy exports above


def __getattr__(name: str):
    if name in _EXPORTS:
        return getattr(import_module(f"{__name__}.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
