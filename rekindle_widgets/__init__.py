"""Rekindle: a Jupyter workbook for deciding whether, and how, to get back together with an ex.

The package is the workbook's logic; notebooks, the Voila app and the
``rekindle`` command are thin views over it. Data flows one way, and each
folder is one layer of it (no module imports from a layer above its own)::

    content/   the guide, tips, resources and instruments (data files)
    journal/   SQLite: every kind of record (journal/tables.py lists them)
    model/     what records mean: scores, reliable change, the watch, plans
    charts/    data in, Axes out          report/   HTML and PDF
    io/        files in and out: imports, export, backups, calendar files
    widgets/   the ipywidgets pages       cli/      the rekindle command
    server/    Voila on loopback, the JupyterHub hook

The root keeps the helpers every layer may use (errors, paths, bidi, fonts)
and ``app.py``, which puts the pages together. Importing the package is
light: pandas and matplotlib load only when a module that needs them is used.
"""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["Journal", "RekindleError", "__version__", "guide"]


def _modules() -> tuple[str, ...]:
    """The public modules and layer packages: whatever is in the folder, so the list cannot fall behind."""
    import os

    here = __path__[0]
    return tuple(sorted(
        name[:-3] if name.endswith(".py") else name for name in os.listdir(here)
        if (name.endswith(".py") and name != "__init__.py") or os.path.isfile(os.path.join(here, name, "__init__.py"))))


def __getattr__(name: str):  # lazy re-exports keep `import rekindle_widgets` cheap
    if name == "MODULES":  # the modules loaded on first use as attributes: rk.charts, rk.journal, ...
        globals()["MODULES"] = found = _modules()
        return found
    if name in _modules():
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
    return sorted({*globals(), *__all__, *_modules()})
