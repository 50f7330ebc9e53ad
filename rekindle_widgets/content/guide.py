"""The guide as data: load and validate ``content/guide.toml`` once.

Everything a person reads about the stages, the check-up themes and the safety
services comes from ``content/guide.toml``. This module turns it into frozen
dataclasses and checks its shape; a broken file fails with a
:class:`~rekindle_widgets.content.toml.ContentError` naming the file and the
key, e.g. ``guide.toml: stages[2].prompts: expected a non-empty list of strings``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..errors import RekindleError
from .toml import Reader, content_path, load_toml

__all__ = [
    "STAGE_COUNT",
    "Guide",
    "Region",
    "Safety",
    "Service",
    "Stage",
    "Tip",
    "guide",
    "load_guide",
]

STAGE_COUNT = 7


@dataclass(frozen=True)
class Stage:
    number: int
    key: str
    name: str
    summary: str
    prompts: tuple[str, ...]
    checklist: tuple[str, ...]

    @property
    def title(self) -> str:
        return f"{self.number}. {self.name}"


@dataclass(frozen=True)
class Tip:
    title: str
    text: str


@dataclass(frozen=True)
class Service:
    name: str
    kind: str  # "abuse", "crisis" or "emergency"
    phone: str
    phone_label: str
    text: str
    hours: str
    url: str


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    emergency: str
    services: tuple[Service, ...]


@dataclass(frozen=True)
class Safety:
    intro: str
    emergency: str
    quick_exit_url: str
    default_region: str
    regions: tuple[Region, ...]

    def region(self, code: str | None) -> Region:
        """The region with this code (case-insensitive); unknown codes get 'OTHER'."""
        wanted = (code or self.default_region).upper()
        for region in self.regions:
            if region.code == wanted:
                return region
        return self.regions[-1]


@dataclass(frozen=True)
class Guide:
    title: str
    tagline: str
    disclaimer: str
    stages: tuple[Stage, ...]
    checkup_intro: str
    checkup_questions: tuple[str, ...]
    pause_signs: tuple[str, ...]
    red_flags: tuple[str, ...]
    tips: tuple[Tip, ...]
    safety: Safety

    def stage(self, number: int) -> Stage:
        if not (isinstance(number, int) and 1 <= number <= len(self.stages)):
            raise RekindleError(f"stage must be a whole number from 1 to {len(self.stages)}, not {number!r}")
        return self.stages[number - 1]


# --------------------------------------------------------------------------
# Reading and checking
# --------------------------------------------------------------------------


def _stage(r: Reader) -> Stage:
    return Stage(
        number=r.int("number"),
        key=r.str("key"),
        name=r.str("name"),
        summary=r.str("summary"),
        prompts=r.strings("prompts"),
        checklist=r.strings("checklist"),
    )


def _service(r: Reader) -> Service:
    service = Service(
        name=r.str("name"),
        kind=r.str("kind"),
        phone=r.str("phone", empty=True),
        phone_label=r.str("phone_label"),
        text=r.str("text", empty=True),
        hours=r.str("hours"),
        url=r.str("url", empty=True),
    )
    if service.kind not in {"abuse", "crisis", "emergency"}:
        raise r.fail("kind", f"expected abuse, crisis or emergency, not {service.kind!r}")
    return service


def _safety(r: Reader) -> Safety:
    regions = tuple(
        Region(
            code=rr.str("code").upper(),
            name=rr.str("name"),
            emergency=rr.str("emergency"),
            services=tuple(_service(s) for s in rr.tables("services")),
        )
        for rr in r.tables("regions")
    )
    safety = Safety(
        intro=r.str("intro"),
        emergency=r.str("emergency"),
        quick_exit_url=r.str("quick_exit_url"),
        default_region=r.str("default_region").upper(),
        regions=regions,
    )
    codes = [region.code for region in regions]
    if len(set(codes)) != len(codes):
        raise r.fail("regions", f"region codes repeat: {codes}")
    if safety.default_region not in codes:
        raise r.fail("default_region", f"{safety.default_region!r} is not one of the regions {codes}")
    if codes[-1] != "OTHER":
        raise r.fail("regions", "the last region must be OTHER, the fallback for everywhere else")
    return safety


def load_guide(path: Path | None = None) -> Guide:
    """Read and validate a guide file (the packaged one by default)."""
    path = Path(path) if path is not None else content_path("guide.toml")
    top = Reader(path.name, load_toml(path))
    meta, checkup = top.table("meta"), top.table("checkup")
    stages = tuple(_stage(s) for s in top.tables("stages"))
    numbers = [s.number for s in stages]
    if numbers != list(range(1, STAGE_COUNT + 1)):
        raise top.fail("stages", f"expected stages numbered 1 to {STAGE_COUNT} in order, found {numbers}")
    return Guide(
        title=meta.str("title"),
        tagline=meta.str("tagline"),
        disclaimer=meta.str("disclaimer"),
        stages=stages,
        checkup_intro=checkup.str("intro"),
        checkup_questions=checkup.strings("questions"),
        pause_signs=checkup.strings("pause_signs"),
        red_flags=checkup.strings("red_flags"),
        tips=tuple(Tip(title=t.str("title"), text=t.str("text")) for t in top.tables("tips")),
        safety=_safety(top.table("safety")),
    )


@cache
def guide() -> Guide:
    """The packaged guide, loaded and validated once per process."""
    return load_guide()
