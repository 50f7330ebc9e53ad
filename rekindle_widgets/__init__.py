"""Rekindle: a Jupyter workbook for deciding whether, and how, to get back together with an ex.

The package is the workbook's logic; notebooks, the Voila app and the
``rekindle`` command are thin views over it. Data flows one way::

    content (the guide, instruments)  ->  journal (SQLite) / scorer
        ->  charts / report  ->  widgets, CLI, notebooks

Importing the package is light: pandas and matplotlib load only when a
module that needs them is used.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["Journal", "RekindleError", "__version__", "guide"]

#: The public modules, loaded on first use as attributes: ``import rekindle_widgets as rk; rk.charts``.
MODULES = ("app", "bidi", "change", "charts", "cli", "content", "demo", "errors", "export", "fonts", "hub", "importers",
           "instruments", "journal", "paths", "practice", "report", "scorer", "sessions", "widgets")


def __getattr__(name: str):  # lazy re-exports keep `import rekindle_widgets` cheap
    if name in MODULES:
        from importlib import import_module

        return import_module(f".{name}", __name__)  # the import also sets it as our attribute
    if name == "Journal":
        from .journal import Journal

        return Journal
    if name == "RekindleError":
        from .errors import RekindleError

        return RekindleError
    if name == "guide":
        from .content import guide

        return guide
    raise AttributeError(f"module 'rekindle_widgets' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__, *MODULES})
