"""Questionnaires as data: moved to :mod:`rekindle_widgets.content.instruments`.

This module keeps ``from rekindle_widgets.instruments import ...`` working; new
code imports from :mod:`rekindle_widgets.content.instruments`.
"""

from __future__ import annotations

from .content.instruments import *  # noqa: F403
from .content.instruments import __all__  # noqa: F401
