"""Words of dates in any language (CLDR through Babel) and Daylio's default mood names per language.

Daylio and Bearable write the day and month in the phone's language: "18 May",
"May 18", "7 września" (Polish, genitive), "10. März", "16 de octubre".
Month names come from CLDR via Babel in every width (wide, abbreviated) and
both contexts ("format", the genitive form used inside a date, and
"stand-alone"), never from a hand-written table.

A file keeps to one language, so :class:`MonthReader` tries the languages
in :data:`LANGUAGES` in turn and sticks to the first one that reads the
file's month names.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from functools import cache
from importlib.resources import files
from types import MappingProxyType

from ...errors import RekindleError

__all__ = ["DAYLIO_MOODS", "MonthReader", "daylio_mood_level", "label_key", "month_names"]


def label_key(label: str) -> str:
    """How mood labels are compared: case-insensitive, inner spaces collapsed, ends stripped."""
    return " ".join(str(label).split()).casefold()

#: the languages tried, in this order: European languages first (Daylio's largest user groups), then
#: the others its store listing is translated into; a file sticks to the first that reads its months.
#: A fixed list, not all of CLDR's 700-odd locales: loading those takes seconds, and a hostile file
#: must not make every row pay for it.
LANGUAGES = ("en", "de", "pl", "es", "fr", "it", "pt", "nl", "ru", "uk", "cs", "sk", "tr", "sv", "da", "nb",
             "fi", "hu", "ro", "hr", "sl", "sr_Latn", "el", "bg", "lt", "lv", "et", "ca", "id", "vi", "ms",
             "tl", "ja", "ko", "zh", "ar", "he", "fa", "hi", "th")

_WORD = re.compile(r"[^\W\d_]+\.?", re.UNICODE)


def _fold(word: str) -> str:
    return word.casefold().rstrip(".")


@cache
def month_names(locale: str) -> Mapping[str, int]:
    """Every CLDR spelling of the twelve months in ``locale`` (casefolded, trailing dot dropped) -> 1-12."""
    from babel import Locale

    loc = Locale.parse(locale)
    names: dict[str, int] = {}
    for context in ("format", "stand-alone"):
        for width in ("wide", "abbreviated"):
            for number, name in loc.months.get(context, {}).get(width, {}).items():
                key = _fold(name)
                if key and not key.isdigit():
                    names.setdefault(key, number)
    return MappingProxyType(names)


class MonthReader:
    """Reads "7 września" or "May 18" with a year: the day number and a month name in one language."""

    def __init__(self) -> None:
        self.locale: str | None = None

    def _month(self, words: list[str]) -> int | None:
        if self.locale is not None:
            names = month_names(self.locale)
            found = [names[w] for w in words if w in names]
            if found:
                return found[0]
        for locale in LANGUAGES:
            try:
                names = month_names(locale)
            except (ValueError, LookupError):  # a locale Babel lists but cannot load
                continue
            found = [names[w] for w in words if w in names]
            if found:
                self.locale = locale
                return found[0]
        return None

    def day_month(self, text: str) -> tuple[int, int]:
        """``"7 września"`` -> (7, 9); a RekindleError naming the cell when no language reads it."""
        cell = " ".join(str(text).split())
        digits = re.findall(r"\d+", cell)
        words = sorted((_fold(w) for w in _WORD.findall(cell)), key=len, reverse=True)
        words = [w for w in words if w]
        month = self._month(words) if words else None
        if month is None or len(digits) != 1:
            raise RekindleError(
                f"date {text!r} is not a day and month such as \"18 May\", \"7 września\" or \"16 de octubre\""
            )
        return int(digits[0]), month


@cache
def _moods() -> dict[str, dict]:
    return tomllib.loads(files(__package__).joinpath("daylio_moods.toml").read_text("utf-8"))


def daylio_names() -> dict[str, int]:
    """Every language's default Daylio mood name (compared via label_key) -> level 1-5."""
    names: dict[str, int] = {}
    for table in _moods().values():
        for name, level in table["names"].items():
            names.setdefault(label_key(name), int(level))
    return names


DAYLIO_MOODS: Mapping[str, int] = MappingProxyType(daylio_names())


def daylio_mood_level(label: str) -> int | None:
    return DAYLIO_MOODS.get(label_key(label))


def daylio_languages() -> dict[str, str]:
    """language code -> where its names were seen (for the README and the Import page)."""
    return {code: table["source"] for code, table in _moods().items()}
