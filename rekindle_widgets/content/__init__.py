"""Content is data: the guide and the questionnaires, read from this folder's TOML files.

The folder holds the data (``guide.toml``, ``instruments/*.toml``) and the code
that reads it, each once:

- :mod:`.toml`: the one TOML reader (:func:`load_toml`, :class:`~.toml.Reader`);
  every error names the file and the key, and raises :class:`ContentError`.
- :mod:`.guide`: the stages, check-up, tips and safety services
  (:func:`guide`, loaded and validated once per process).
- :mod:`.instruments`: the questionnaires (``instrument("phq9")``,
  ``find(id)`` -> None for an unknown one, ``instruments()``). Import them from
  :mod:`rekindle_widgets.content.instruments` (or the older
  :mod:`rekindle_widgets.content.instruments`); this package does not re-export them,
  so that ``rekindle_widgets.content.instruments`` stays the module's name and
  importing the guide does not load every questionnaire.
"""

from __future__ import annotations

from .guide import (
    STAGE_COUNT,
    Guide,
    Region,
    Safety,
    Service,
    Stage,
    Tip,
    default_region,
    guide,
    load_guide,
    locale_region,
    region_from_browser,
    region_setting,
)
from .toml import ContentError, Reader, content_path, load_toml

__all__ = [
    "STAGE_COUNT",
    "ContentError",
    "Guide",
    "Reader",
    "Region",
    "Safety",
    "Service",
    "Stage",
    "Tip",
    "content_path",
    "default_region",
    "guide",
    "load_guide",
    "load_toml",
    "locale_region",
    "region_from_browser",
    "region_setting",
]
