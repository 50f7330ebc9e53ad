"""Right-to-left text set apart from the sentence around it."""

from __future__ import annotations

import unicodedata
from typing import Any

#: explicit bidirectional formatting characters: embeddings, overrides, isolates and their ends
BIDI_CONTROLS = dict.fromkeys(map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"))


def isolated(text: Any) -> str:
    """User text (a tag, a goal, a file name) set apart from the label or sentence around it.

    Its own bidi controls are dropped, so an override in a tag (U+202E) cannot
    reverse the words that follow it in a label or an alt text; text with
    right-to-left letters is wrapped in FIRST STRONG ISOLATE ... POP DIRECTIONAL
    ISOLATE, so it reads right to left inside and leaves the order of the
    sentence around it alone. Other text is returned as it is.
    """
    text = str(text).translate(BIDI_CONTROLS)
    if any(unicodedata.bidirectional(c) in ("R", "AL", "AN") for c in text):
        return f"\u2068{text}\u2069"
    return text
