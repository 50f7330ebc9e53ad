"""Fonts for the PDF report and the charts.

Both use DejaVu Sans, which ships with matplotlib and covers Latin, Greek,
Cyrillic, Hebrew and Arabic. Chinese, Japanese and Korean need a second font;
Rekindle ships none (they are large) but uses one the computer already has
(:func:`fallback_font`). Characters that no available font can draw are listed
by :func:`missing_characters`, so the PDF can show a placeholder and say why,
instead of silently printing nothing.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path

from .errors import RekindleError

#: Families tried, in order, for Chinese, Japanese and Korean text (Linux, macOS, Windows).
FALLBACK_FAMILIES = (
    "Noto Sans CJK JP", "Noto Sans CJK SC", "Noto Sans CJK KR", "Source Han Sans", "Noto Sans JP",
    "Noto Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Droid Sans Fallback", "IPAGothic",
    "Hiragino Sans", "PingFang SC", "Apple SD Gothic Neo", "Yu Gothic", "Microsoft YaHei", "Malgun Gothic",
)
_FALLBACK_FILES = re.compile(r"(?i)cjk|sourcehan|wqy|droidsansfallback|ipag|hiragino|pingfang|applesdgothic"
                             r"|yugoth|msyh|malgun|notosans(jp|sc|tc|kr)")
#: Shown in place of a character that no font can draw.
PLACEHOLDER = "\u25a1"  # WHITE SQUARE, which DejaVu Sans has


def dejavu() -> tuple[Path, Path]:
    """DejaVu Sans regular and bold, from matplotlib's own fonts."""
    import matplotlib

    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
    if not regular.exists() or not bold.exists():
        raise RekindleError(f"the font DejaVu Sans is missing from {folder}; reinstall matplotlib")
    return regular, bold


@functools.cache
def fallback_font() -> tuple[str, Path] | None:
    """(family, file) of a font on this computer for Chinese, Japanese and Korean, or None.

    matplotlib's font list is asked first (it is cached); a font installed after
    that cache was made is found by a scan of the system's font folders.
    """
    from matplotlib import font_manager

    known = {f.name: Path(f.fname) for f in font_manager.fontManager.ttflist}
    for family in FALLBACK_FAMILIES:
        if family in known:
            return _quiet(family), known[family]
    for fname in font_manager.findSystemFonts():
        if not _FALLBACK_FILES.search(Path(fname).name):
            continue  # opening every font on a computer can take a second
        try:
            family = font_manager.get_font(fname).family_name
        except (OSError, RuntimeError, ValueError):
            continue
        if family in FALLBACK_FAMILIES:
            font_manager.fontManager.addfont(fname)  # so that charts can use it too
            return _quiet(family), Path(fname)
    return None


def _quiet(family: str) -> str:
    """Keep matplotlib from logging, for each bold title, that ``family`` has no bold face.

    The fallback font only draws the characters DejaVu Sans lacks; a regular
    weight is expected, and the warning would reach notebooks and the app.
    """
    import logging

    def keep(record: logging.LogRecord) -> bool:
        return not (str(record.msg).startswith("findfont: Failed to find font weight")
                    and family in (record.args or ()))

    logging.getLogger("matplotlib.font_manager").addFilter(keep)
    return family


@functools.cache
def _codepoints(path: Path) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(path, fontNumber=0, lazy=True) as font:
        return frozenset(font.getBestCmap())


def _drawn_without_a_glyph(char: str) -> bool:
    """Controls, format characters (zero-width, bidi marks) and variation selectors: never a glyph."""
    code = ord(char)
    return (unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp")
            or 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF)


def missing_characters(texts: Iterable[str], fonts: Iterable[Path]) -> frozenset[str]:
    """The characters in ``texts`` that none of ``fonts`` can draw."""
    covered = frozenset().union(*(_codepoints(path) for path in fonts))
    found = set().union(*(set(t) for t in texts))
    return frozenset(c for c in found if ord(c) not in covered and not _drawn_without_a_glyph(c))
