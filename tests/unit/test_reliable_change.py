"""Reliable and clinically significant change: the constants as data, the one classifier, `rekindle change`."""

from __future__ import annotations

import json
import math
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rekindle_widgets.content.instruments import instrument, instruments_dir, load_instrument
from rekindle_widgets.content.reliable_change import jacobson_truax
from rekindle_widgets.content.toml import ContentError
from rekindle_widgets.errors import RekindleError
from rekindle_widgets.model.reliable_change import (
    DETERIORATION,
    IMPROVEMENT,
    NO_CHANGE,
    RECOVERED,
    RELIABLE_RECOVERY,
    classify,
    classify_series,
    parse_total,
)

IMP, DET, NO = IMPROVEMENT, DETERIORATION, NO_CHANGE


# --------------------------------------------------------------------------
# The constants, as the files give them
# --------------------------------------------------------------------------


def test_each_scale_carries_its_published_constants_and_a_source():
    phq9, gad7, who5 = (instrument(i).change for i in ("phq9", "gad7", "who5"))
    assert (phq9.score, phq9.worse, phq9.threshold, phq9.caseness_test, phq9.caseness) == \
        ("total", "higher", 6, "at_least", 10)
    assert (gad7.score, gad7.worse, gad7.threshold, gad7.caseness_test, gad7.caseness) == \
        ("total", "higher", 4, "at_least", 8)
    assert (who5.score, who5.worse, who5.threshold, who5.caseness_test, who5.caseness) == \
        ("percentage", "lower", 10, "below", 52)
    for rule in (phq9, gad7, who5):
        assert rule.method == "threshold" and rule.url.startswith("https://") and len(rule.source) > 80
    assert "NHS Talking Therapies" in phq9.source and "Topp" in who5.source
    assert instrument("ruler").change is None and instrument("safety").change is None


# --------------------------------------------------------------------------
# Every threshold edge, per scale: (first, latest) -> (classification, recovery)
# --------------------------------------------------------------------------

PHQ9 = [
    ((16, 10), (IMP, None)),  # -6: exactly the threshold counts; 10 is still a case
    ((16, 11), (NO, None)),  # -5: one short
    ((16, 9), (IMP, RELIABLE_RECOVERY)),  # -7 and below 10
    ((16, 8), (IMP, RELIABLE_RECOVERY)),
    ((10, 9), (NO, RECOVERED)),  # caseness 10 -> 9: recovered without reliable improvement
    ((10, 4), (IMP, RELIABLE_RECOVERY)),  # -6 from exactly the cut-off
    ((10, 5), (NO, RECOVERED)),
    ((9, 3), (IMP, None)),  # reliable improvement, but 9 was never a case
    ((4, 10), (DET, None)),  # +6: reliable deterioration at the edge
    ((4, 9), (NO, None)),
    ((9, 10), (NO, None)),  # crossing into caseness is not recovery
    ((12, 12), (NO, None)),
    ((0, 27), (DET, None)),
    ((27, 0), (IMP, RELIABLE_RECOVERY)),
]
GAD7 = [
    ((12, 8), (IMP, None)),  # -4 exactly; 8 is still a case
    ((12, 9), (NO, None)),  # -3
    ((12, 7), (IMP, RELIABLE_RECOVERY)),
    ((8, 7), (NO, RECOVERED)),  # caseness 8 vs 7
    ((8, 4), (IMP, RELIABLE_RECOVERY)),
    ((7, 3), (IMP, None)),
    ((3, 7), (DET, None)),  # +4
    ((3, 6), (NO, None)),
    ((7, 8), (NO, None)),
    ((21, 0), (IMP, RELIABLE_RECOVERY)),
]
# WHO-5 totals are raw (0-25); the rule is on the percentage (x4): 10 percentage points = 2.5 raw points,
# so a raw change of 3 (12 points) is reliable and 2 (8 points) is not; poor wellbeing is below 52% (raw < 13).
WHO5 = [
    ((10, 13), (IMP, RELIABLE_RECOVERY)),  # 40% -> 52%: +12 points, and 52% is no longer poor
    ((10, 12), (NO, None)),  # 40% -> 48%: +8 points, still poor
    ((12, 13), (NO, RECOVERED)),  # 48% -> 52%: the cut-off crossed without a reliable change
    ((12, 15), (IMP, RELIABLE_RECOVERY)),
    ((13, 16), (IMP, None)),  # 52% was never poor wellbeing
    ((13, 10), (DET, None)),  # -12 points
    ((13, 11), (NO, None)),  # -8 points
    ((13, 12), (NO, None)),  # into poor wellbeing: not a recovery, not reliable
    ((0, 25), (IMP, RELIABLE_RECOVERY)),
    ((25, 0), (DET, None)),
]


@pytest.mark.parametrize(("inst", "pair", "expected"),
                         [("phq9", p, e) for p, e in PHQ9] + [("gad7", p, e) for p, e in GAD7]
                         + [("who5", p, e) for p, e in WHO5])
def test_threshold_edges(inst, pair, expected):
    change = classify(inst, *pair)
    assert (change.status, change.recovery) == expected
    assert change.change == pair[1] - pair[0]
    assert change.reliable_recovery == (expected[1] == RELIABLE_RECOVERY)
    assert change.recovered == (expected[1] is not None)
    assert change.words == tuple(w for w in expected if w)


def test_describe_and_direction():
    assert classify("phq9", 16, 8).describe() == "PHQ-9 16 → 8: reliable improvement, reliable recovery"
    assert classify("gad7", 8, 7).describe() == "GAD-7 8 → 7: no reliable change, recovered"
    assert classify("who5", 12, 15).describe() == \
        "WHO-5 Well-Being Index 12 → 15 (48% → 60%): reliable improvement, reliable recovery"
    assert classify("who5", 12, 15).scaled_change == 12 and classify("who5", 12, 15).change == 3
    assert classify("who5", 12, 15).points_text() == "+3 points (+12 percentage points)"
    assert [classify("phq9", 10, x).direction for x in (9, 10, 11)] == ["better", "unchanged", "worse"]
    assert [classify("who5", 10, x).direction for x in (9, 10, 11)] == ["worse", "unchanged", "better"]


@pytest.mark.parametrize(("value", "problem"), [(28, "out of range"), (-1, "out of range"),
                                                (8.5, "not a whole number"), (math.nan, "must be a number"),
                                                ("8", "must be a number"), (True, "must be a number")])
def test_a_bad_total_is_refused(value, problem):
    with pytest.raises(RekindleError, match=problem):
        classify("phq9", 16, value)


def test_numpy_totals_are_numbers_too():
    np = pytest.importorskip("numpy")
    assert classify("phq9", np.int64(16), np.float64(8)).label == "reliable improvement, reliable recovery"


def test_an_instrument_without_constants_is_refused():
    with pytest.raises(RekindleError, match="ruler has no reliable-change constants; these do: who5, phq9, gad7"):
        classify("ruler", 1, 2)


def test_a_series_is_classified_against_its_first_score():
    steps = classify_series("phq9", [16, 13, 11, 10, 9, 17, 22])
    assert [(c.first, c.latest, c.label) for c in steps] == [
        (16, 13, "no reliable change"),
        (16, 11, "no reliable change"),
        (16, 10, "reliable improvement"),
        (16, 9, "reliable improvement, reliable recovery"),
        (16, 17, "no reliable change"),
        (16, 22, "reliable deterioration"),
    ]
    assert classify_series("phq9", [16]) == () and classify_series("phq9", []) == ()
    with pytest.raises(RekindleError):
        classify_series("phq9", [30])


# --------------------------------------------------------------------------
# Jacobson & Truax, and the load errors of a [change] table
# --------------------------------------------------------------------------


def _with_change(tmp_path, table: str, name: str = "phq9"):
    text = (instruments_dir() / f"{name}.toml").read_text(encoding="utf-8")
    text = text[: text.index("[change]")] + table
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return load_instrument(path)


SOURCE = 'source = "A made-up sample"\nurl = "https://example.org/rci"\n'


def test_jacobson_truax_worked_example(tmp_path):
    # SD 5, r = 0.84: SE of the difference = 5 * sqrt(2) * sqrt(0.16) = 2.8284; 1.96 * 2.8284 = 5.5437 points
    assert jacobson_truax(5, 0.84) == pytest.approx(5.5437, abs=1e-4)
    inst = _with_change(tmp_path, '[change]\nworse = "higher"\nsd = 5\nreliability = 0.84\n'
                                  f"caseness = {{ at_least = 10 }}\n{SOURCE}")
    assert inst.change.method == "jacobson-truax" and inst.change.threshold == pytest.approx(5.5437, abs=1e-4)
    assert classify(inst, 16, 10).status == IMPROVEMENT  # -6 >= 5.54
    assert classify(inst, 16, 11).status == NO_CHANGE  # -5 < 5.54
    assert classify(inst, 4, 10).status == DETERIORATION
    # r = 0.75, SD = 1 / (1.96 * sqrt(2) * 0.5): the index is exactly 1 point up to rounding, and 1 counts
    sd = 1 / (1.96 * math.sqrt(2) * 0.5)
    inst = _with_change(tmp_path, f'[change]\nworse = "higher"\nsd = {sd!r}\nreliability = 0.75\n'
                                  f"caseness = {{ at_least = 10 }}\n{SOURCE}")
    assert classify(inst, 10, 9).status == IMPROVEMENT and classify(inst, 10, 10).status == NO_CHANGE


@pytest.mark.parametrize(("table", "problem"), [
    ('[change]\nworse = "higher"\ncaseness = { at_least = 10 }\n' + SOURCE,
     "change.reliable_change: missing: give reliable_change"),
    ('[change]\nworse = "higher"\nreliable_change = 6\nsd = 5\nreliability = 0.8\ncaseness = { at_least = 10 }\n'
     + SOURCE, "not both"),
    ('[change]\nworse = "higher"\nsd = 5\ncaseness = { at_least = 10 }\n' + SOURCE,
     "change.reliability: missing"),
    ('[change]\nworse = "higher"\nsd = 5\nreliability = 1\ncaseness = { at_least = 10 }\n' + SOURCE,
     "between 0 and 1"),
    ('[change]\nworse = "higher"\nreliable_change = 0\ncaseness = { at_least = 10 }\n' + SOURCE, "above 0"),
    ('[change]\nworse = "higher"\nreliable_change = 30\ncaseness = { at_least = 10 }\n' + SOURCE,
     "more than the whole range"),
    ('[change]\nworse = "higher"\nreliable_change = 6\ncaseness = { below = 10 }\n' + SOURCE,
     'with worse = \'higher\' the cut-off is at_least or above'),
    ('[change]\nworse = "up"\nreliable_change = 6\ncaseness = { at_least = 10 }\n' + SOURCE, "change.worse"),
    ('[change]\nworse = "higher"\nreliable_change = 6\ncaseness = { at_least = 40 }\n' + SOURCE,
     "on one side of the cut-off"),
    ('[change]\nworse = "higher"\nreliable_change = 6\ncaseness = { at_least = 10, above = 9 }\n' + SOURCE,
     "exactly one test"),
    ('[change]\nworse = "higher"\nreliable_change = 6\ncaseness = { at_least = 10 }\nurl = "https://x.org"\n',
     "change.source: missing"),
    ('[change]\nworse = "higher"\nreliable_change = 6\ncaseness = { at_least = 10 }\n'
     'source = "s"\nurl = "example.org"\n', "change.url: expected a web address"),
    ('[change]\nworse = "higher"\nreliable_change = 6\ncaseness = { at_least = 10 }\nthreshold = 6\n' + SOURCE,
     "change.threshold: unknown key"),
    ('[change]\nscore = "percentage"\nworse = "higher"\nreliable_change = 6\ncaseness = { at_least = 10 }\n'
     + SOURCE, "needs \\[scoring\\] percentage_factor"),
])
def test_a_missing_or_contradictory_constant_is_a_load_error(tmp_path, table, problem):
    with pytest.raises(ContentError, match=problem) as err:
        _with_change(tmp_path, table)
    assert str(err.value).startswith("phq9.toml: change")
    assert "\n" not in str(err.value)


# --------------------------------------------------------------------------
# Totals as `rekindle score` prints them, and the CLI contract
# --------------------------------------------------------------------------


def test_parse_total_takes_what_score_prints():
    assert parse_total("phq9", "16") == 16 and parse_total("phq9", " 8 ") == 8
    assert parse_total("who5", "12") == 12 and parse_total("who5", "48%") == 12
    for text, problem in (("x", "not a number"), ("8.5", "not a whole number"), ("28", "out of range"),
                          ("50%", "not a who5 percentage"), ("104%", "a percentage runs from 0 to 100")):
        with pytest.raises(RekindleError, match=problem):
            parse_total("who5" if "%" in text else "phq9", text)
    with pytest.raises(RekindleError, match="write e.g. 48%"):
        parse_total("who5", "48")


def test_cli_prints_the_change_in_points_and_the_words(run):
    code, out, err = run("change", "phq9", "16", "8")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "PHQ-9 16 → 8: reliable improvement, reliable recovery"
    assert lines[1] == "change: -8 points"
    assert "not a diagnosis" in out and "https://www.england.nhs.uk/" in out
    code, out, _ = run("change", "gad7", "8", "7")
    assert out.splitlines()[0] == "GAD-7 8 → 7: no reliable change, recovered" and "change: -1 point\n" in out
    code, out, _ = run("change", "phq9", "4", "10")
    assert out.splitlines()[:2] == ["PHQ-9 4 → 10: reliable deterioration", "change: +6 points"]
    code, out, _ = run("change", "who5", "48%", "15")
    assert out.splitlines()[:2] == ["WHO-5 Well-Being Index 12 → 15 (48% → 60%): reliable improvement, "
                                    "reliable recovery", "change: +3 points (+12 percentage points)"]


def test_cli_json_is_one_object(run):
    code, out, _ = run("change", "gad7", "12", "7", "--json")
    data = json.loads(out)
    assert code == 0
    assert {k: data[k] for k in ("instrument", "first", "latest", "change", "classification", "recovery")} == \
        {"instrument": "gad7", "first": 12, "latest": 7, "change": -5, "classification": "reliable improvement",
         "recovery": "reliable recovery"}
    assert data["label"] == "reliable improvement, reliable recovery" and "not a diagnosis" in data["note"]
    assert data["url"].startswith("https://") and data["threshold"] == 4


@pytest.mark.parametrize(("argv", "problem"), [
    (("change", "foo", "1", "2"), "unknown instrument 'foo'; 'rekindle change' knows who5, phq9, gad7"),
    (("change", "ruler", "1", "2"), "no reliable-change constants for 'ruler'"),
    (("change", "phq9", "16", "28"), "LATEST 28 is out of range: phq9 totals run from 0 to 27"),
    (("change", "phq9", "sixteen", "8"), "FIRST 'sixteen' is not a number"),
    (("change", "phq9", "16", "8", "--json", "extra"), "unrecognized arguments"),
    (("change", "phq9", "16"), "the following arguments are required: LATEST"),
])
def test_cli_bad_input_is_one_line_exit_2(run, argv, problem):
    code, out, err = run(*argv)
    assert code == 2 and out == ""
    assert problem in err and err.count("\n") == 1 and "Traceback" not in err


def test_cli_help_text(capsys):
    from rekindle_widgets.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["change", "--help"])
    out = re.sub(r"\s+", " ", capsys.readouterr().out)
    assert exit_.value.code == 0
    assert "self-reported" in out and "not a diagnosis" in out and "reliable deterioration" in out


def test_instruments_detail_names_the_rule_and_its_source(run):
    code, out, _ = run("instruments", "phq9")
    assert code == 0
    assert "reliable change: PHQ-9: a change of 6 or more points is reliable; higher is worse, and 10 or more " \
           "is the clinical cut-off." in out
    assert "Reliable change: NHS Talking Therapies" in out
    assert "reliable change" not in run("instruments", "ruler")[1]


@settings(max_examples=60, deadline=None)
@given(inst=st.sampled_from(["phq9", "gad7", "who5"]), a=st.integers(0, 27), b=st.integers(0, 27))
def test_classification_is_consistent_both_ways(inst, a, b):
    top = instrument(inst).max_total
    a, b = min(a, top), min(b, top)
    forward, backward = classify(inst, a, b), classify(inst, b, a)
    assert forward.reliable == backward.reliable  # the same distance either way
    assert (forward.status == IMPROVEMENT) == (backward.status == DETERIORATION)
    assert not (forward.recovered and backward.recovered)  # cannot leave caseness both ways
    if forward.reliable_recovery:
        assert forward.status == IMPROVEMENT and forward.case_first and not forward.case_latest
    assert classify(inst, a, a).label == "no reliable change"
