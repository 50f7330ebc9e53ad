"""The guide as data: complete, paraphrased, and loud when broken."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from rekindle_widgets.content import ContentError, content_path, default_region, guide, load_guide
from rekindle_widgets.content.guide import locale_territory

SEED = Path(__file__).resolve().parents[2].parent / "shared" / "seed" / "000_4ab6cc8940a36161.txt"
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
    other = safety.region("FR")  # any region we do not list falls back to the local emergency number
    assert other.code == "OTHER" and "local emergency number" in other.emergency


# --------------------------------------------------------------------------
# Safety services in more countries: every number has its source
# --------------------------------------------------------------------------

NEW_REGIONS = {"IE", "CA", "AU", "NZ", "IN", "DE", "ZA"}


def test_every_region_has_an_emergency_number_with_its_source():
    regions = guide().safety.regions
    assert NEW_REGIONS <= {r.code for r in regions} and regions[-1].code == "OTHER"
    for region in regions:
        assert region.emergency.strip(), region.code
        if region.code != "OTHER":
            assert re.search(r"\d{2,}", region.emergency), region.code  # a number to dial, not advice
            assert re.match(r"https?://\S+\.\S+", region.emergency_source), region.code


def test_every_service_has_a_source_url_and_the_day_it_was_checked():
    for region in guide().safety.regions:
        for service in region.services:
            assert re.match(r"https?://\S+\.\S+", service.source_url), (region.code, service.name)
            assert date(2026, 12, 1) <= service.checked <= date.today(), (region.code, service.name)
            assert "stored copy" in service.source_note, (region.code, service.name)


@pytest.mark.parametrize("code", sorted(NEW_REGIONS | {"US", "UK"}))
def test_each_country_has_an_abuse_line_and_a_crisis_line(code):
    services = guide().safety.region(code).services
    assert {s.kind for s in services} >= {"abuse", "crisis"}
    crisis = next(s for s in services if s.kind == "crisis")
    assert re.fullmatch(r"[\d -]+", crisis.phone), crisis  # a number you can dial


@pytest.mark.parametrize(("code", "abuse", "crisis", "emergency"), [
    ("AU", "1800 737 732", "13 11 14", "000"), ("NZ", "0800 733 843", "1737", "111"),
    ("IE", "1800 341 900", "116 123", "112 or 999"), ("IN", "181", "14416", "112"), ("CA", "", "988", "911"),
    ("DE", "116 016", "0800 111 0 111", "110 (police) or 112"), ("ZA", "0800 428 428", "0800 456 789", "10111"),
])
def test_new_numbers_are_exact(code, abuse, crisis, emergency):
    region = guide().safety.region(code)
    by_kind = {s.kind: s for s in region.services}
    assert (by_kind["abuse"].phone, by_kind["crisis"].phone, region.emergency) == (abuse, crisis, emergency)


@pytest.mark.parametrize(("environ", "system", "expected"), [
    ({"REKINDLE_REGION": "nz", "LANG": "en_AU.UTF-8"}, None, "NZ"),  # the variable wins
    ({"REKINDLE_REGION": " ie "}, "en_US", "IE"),
    ({"LANG": "en_AU.UTF-8"}, None, "AU"),
    ({"LC_ALL": "en_NZ.utf8", "LANG": "en_US.UTF-8"}, None, "NZ"),  # LC_ALL before LANG
    ({"LC_MESSAGES": "fr_CA.UTF-8", "LANG": "en_GB.UTF-8"}, None, "CA"),
    ({"LANG": "en_GB.ISO-8859-1"}, None, "UK"),  # the locale says GB, the region is UK
    ({"LANG": "hi_IN"}, None, "IN"), ({"LANG": "ga-IE"}, None, "IE"), ({"LANG": "de_DE@euro"}, None, "DE"),
    ({"LANG": "zu_ZA.UTF-8"}, None, "ZA"), ({"LANG": "fr_FR.UTF-8"}, None, "OTHER"),  # one we hold no services for
    ({"LANG": "C.UTF-8"}, None, "OTHER"), ({"LANG": "POSIX"}, None, "OTHER"), ({"LANG": ""}, None, "OTHER"),
    ({}, None, "OTHER"), ({}, "en_AU", "AU"),  # nothing in the environment: Python's own locale
    ({"LANG": "C"}, "en_AU", "OTHER"),  # a locale variable that is set decides, even when it says nothing
    ({"REKINDLE_REGION": "Mars", "LANG": "en_IE.UTF-8"}, None, "IE"), ({"LANG": "de_AT.UTF-8"}, None, "OTHER"),  # an unknown code is passed over
])
def test_region_comes_from_the_variable_then_the_locale_then_anywhere_else(environ, system, expected):
    assert default_region(environ, system) == expected


def test_the_region_default_is_the_one_function(monkeypatch):
    from rekindle_widgets.model.scorer import resources

    monkeypatch.delenv("REKINDLE_REGION")
    monkeypatch.setenv("LANG", "en_AU.UTF-8")
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    assert guide().safety.region(None).code == "AU" and resources(("abuse",)).services[0].name == "1800RESPECT"
    monkeypatch.setenv("REKINDLE_REGION", "NZ")
    assert resources(("crisis",)).emergency == "111"


@pytest.mark.parametrize(("value", "territory"), [
    ("en_AU.UTF-8", "AU"), ("en_US_POSIX", "US"), ("zh-Hant-TW", None), ("English_Australia", None),
    ("C", None), (None, None), ("sr_RS@latin", "RS"),
])
def test_locale_territory(value, territory):
    assert locale_territory(value) == territory


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
        ('source_url = "https://ovc.ojp.gov', 'x_source_url = "https://ovc.ojp.gov',
         r"guide.toml: safety.regions\[0\].services\[0\].source_url: missing"),
        ('source_url = "https://health.wyo.gov', 'source_url = "health.wyo.gov',
         r"guide.toml: safety.regions\[0\].services\[1\].source_url: expected a web address"),
        ("checked = 2026-12-01\n", "", r"guide.toml: safety.regions\[0\].services\[0\].checked: missing"),
        ('territories = ["GB", "UK"]', 'territories = ["GB", "US"]', r"guide.toml: safety.regions: a locale territory"),
        ("checked = 2026-12-01\n", 'checked = "last week"\n',
         r"guide.toml: safety.regions\[0\].services\[0\].checked: expected the date"),
        ('emergency_source = "https://www.npsa.gov.uk/calling-help"', 'emergency_source = ""',
         r"guide.toml: safety.regions\[1\].emergency_source: the emergency number '999' needs the page"),
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
