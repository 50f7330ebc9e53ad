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


def __getattr__(name: str):  # lazy re-exports keep `import rekindle_widgets` cheap
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
