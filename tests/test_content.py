"""The guide as data: complete, paraphrased, and loud when broken."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from rekindle_widgets.content import ContentError, content_path, guide, load_guide

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seed" / "000_4ab6cc8940a36161.txt"
NAMES = ["Bubble space", "Defining yourself without them", "Dip a toe in the water", "The reboot date",
         "No news is good news", "A whole new you two", "Redefining love"]


def test_seven_stages_in_order_with_prompts_and_checklists():
    g = guide()
    assert [s.name for s in g.stages] == NAMES
    for stage in g.stages:
        assert len(stage.summary) > 150
        assert len(stage.prompts) >= 3 and len(stage.checklist) >= 3
    assert g.stage(4).title == "4. The reboot date"


def test_check_up_pause_signs_red_flags_and_tips():
    g = guide()
    assert len(g.checkup_questions) == 6
    assert len(g.pause_signs) == 4
    assert any("routine" in s for s in g.pause_signs)
    assert len(g.red_flags) >= 2
    assert [t.title for t in g.tips][:2] == ["Keep talking", "Make time for each other"]


def test_hotline_numbers_are_exact():
    safety = guide().safety
    us = {s.name: s for s in safety.region("us").services}
    assert us["National Domestic Violence Hotline"].phone == "800-799-7233"
    assert "START to 88788" in us["National Domestic Violence Hotline"].text
    uk = {s.name: s for s in safety.region("UK").services}
    assert uk["National Domestic Abuse Helpline"].phone == "0808 2000 247"
    other = safety.region("NZ")  # any region we do not list falls back to the local emergency number
    assert other.code == "OTHER" and "local emergency number" in other.emergency


@pytest.mark.parametrize("stage", [0, 8, "2", None, 2.5])
def test_stage_lookup_refuses_out_of_range(stage):
    with pytest.raises(ValueError, match="stage must be a whole number from 1 to 7"):
        guide().stage(stage)


@pytest.mark.skipif(not SEED.exists(), reason="the source guide is not beside this checkout")
def test_text_is_our_own_words_not_the_guides():
    """No run of 8 words from the source guide appears in our content."""
    words = lambda text: re.findall(r"[a-z']+", text.lower().replace("’", "'"))
    source = words(SEED.read_text(encoding="utf-8"))
    shingles = {tuple(source[i:i + 8]) for i in range(len(source) - 7)}
    ours = words(content_path("guide.toml").read_text(encoding="utf-8"))
    copied = [" ".join(ours[i:i + 8]) for i in range(len(ours) - 7) if tuple(ours[i:i + 8]) in shingles]
    assert copied == []


def _broken(tmp_path, old: str, new: str) -> Path:
    text = content_path("guide.toml").read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "guide.toml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('prompts = [\n  "What have you started', 'prompts = 3\nx = [\n  "What have you started',
         r"guide.toml: stages\[1\].prompts: expected a non-empty list of strings"),
        ("number = 3\n", "number = 9\n", r"guide.toml: stages: expected stages numbered 1 to 7"),
        ('default_region = "US"', 'default_region = "FR"', r"guide.toml: safety.default_region: 'FR'"),
        ('kind = "abuse"', 'kind = "danger"', r"guide.toml: safety.regions\[0\].services\[0\].kind"),
        ('name = "Bubble space"\n', "", r"guide.toml: stages\[0\].name: missing"),
        ("[meta]", "[meta", r"guide.toml: not valid TOML"),
    ],
)
def test_broken_content_names_file_and_key(tmp_path, old, new, message):
    with pytest.raises(ContentError, match=message):
        load_guide(_broken(tmp_path, old, new))


def test_missing_content_file(tmp_path):
    with pytest.raises(ContentError, match="nope.toml: file not found"):
        load_guide(tmp_path / "nope.toml")
