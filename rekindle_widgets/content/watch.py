"""The red-flag watch's texts: load and validate ``content/watch.toml`` once.

Each *sign* says which of the guide's red flags a question of the weekly
check-in watches (``red_flag``: its number in ``guide.toml``'s
``[checkup].red_flags``; or ``stage`` and ``prompt``: a stage's question, for
stage 6's "a new beginning or a repeat?"), how the watch says that it has
shown, and what to do next. The guide's own wording is looked up, not copied,
so it lives in one place. The rule itself is :mod:`rekindle_widgets.model.watch`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .guide import guide
from .toml import Reader, content_path, load_toml

__all__ = ["SIGN_IDS", "Sign", "WatchText", "load_watch", "watch_text"]

#: The signs the rule knows how to look for, in the order it reports them.
SIGN_IDS = ("agreement-not-kept", "past-raised", "promises-not-visible", "feels-repeat")


@dataclass(frozen=True)
class Sign:
    id: str
    title: str
    red_flag: str  # the guide's wording of what this sign watches
    says: str  # a template: {agreement}, {number}, {how}, {count}, {window}
    next: str  # what to do when it is raised


@dataclass(frozen=True)
class WatchText:
    intro: str
    unsafe: str
    quiet: str
    signs: tuple[Sign, ...]

    def sign(self, sign_id: str) -> Sign:
        return next(s for s in self.signs if s.id == sign_id)


def _guide_text(r: Reader) -> str:
    g = guide()
    if r.has("red_flag"):
        number = r.int("red_flag")
        if not 1 <= number <= len(g.red_flags):
            raise r.fail("red_flag", f"the guide has red flags 1 to {len(g.red_flags)}, not {number}")
        return g.red_flags[number - 1]
    if r.has("stage"):
        stage = g.stage(r.int("stage"))
        prompt = r.int("prompt")
        if not 1 <= prompt <= len(stage.prompts):
            raise r.fail("prompt", f"stage {stage.number} has questions 1 to {len(stage.prompts)}, not {prompt}")
        return stage.prompts[prompt - 1]
    raise r.fail("red_flag", "missing: say which of the guide's red flags (or stage and prompt) this sign watches")


def load_watch(path: Path | None = None) -> WatchText:
    """Read and validate a watch file (the packaged one by default)."""
    path = Path(path) if path is not None else content_path("watch.toml")
    top = Reader(path.name, load_toml(path))
    signs = []
    for r in top.tables("signs"):
        r.check_keys({"id", "title", "red_flag", "stage", "prompt", "says", "next"})
        signs.append(Sign(id=r.str("id"), title=r.str("title"), red_flag=_guide_text(r), says=r.str("says"),
                          next=" ".join(r.str("next").split())))
    ids = tuple(s.id for s in signs)
    if ids != SIGN_IDS:
        raise top.fail("signs", f"expected the signs {', '.join(SIGN_IDS)} in this order, found {', '.join(ids)}")
    return WatchText(intro=" ".join(top.str("intro").split()), unsafe=" ".join(top.str("unsafe").split()),
                     quiet=top.str("quiet"), signs=tuple(signs))


@cache
def watch_text() -> WatchText:
    """The packaged watch texts, loaded and validated once per process."""
    return load_watch()
