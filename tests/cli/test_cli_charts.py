"""`rekindle chart` and `rekindle report`: files a person can open, or one clear line and exit 2."""

from __future__ import annotations

import re
import stat

import pytest

from rekindle_widgets.charts import KINDS

from ..conftest import file_digest


@pytest.mark.parametrize("kind", ["timeline", "pixels", "stages", "weekdays", "tags", "scores"])
def test_chart_each_kind_as_png(demo_journal, run, tmp_path, kind):
    out = tmp_path / f"{kind}.png"
    code, _, err = run("chart", "--kind", kind, "-o", out, "--journal", demo_journal, "--dpi", "60")
    assert code == 0, err
    assert out.read_bytes().startswith(b"\x89PNG")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert f"wrote {out}" in err


def test_chart_as_svg_with_a_date_range(demo_journal, run, tmp_path):
    out = tmp_path / "t.svg"
    code, _, err = run("chart", "-o", out, "--since", "2026-05-01", "--until", "2026-06-30",
                       "--journal", demo_journal)
    assert code == 0, err
    text = out.read_text(encoding="utf-8")
    assert "<svg" in text and "May" in text


def test_report_html_and_pdf_leave_the_journal_unchanged(demo_journal, run, tmp_path):
    before = file_digest(demo_journal)
    for name in ("r.html", "r.pdf"):
        code, _, err = run("report", "-o", tmp_path / name, "--journal", demo_journal)
        assert code == 0, err
    assert (tmp_path / "r.html").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    assert file_digest(demo_journal) == before


def _fails(run, tmp_path, *argv, message: str) -> None:
    before = sorted(p.name for p in tmp_path.iterdir())
    code, _out, err = run(*argv)
    assert code == 2
    assert err.count("\n") == 1 and re.match(r"rekindle( chart| report)?: error: ", err), err
    assert message in err
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # no file left behind


def test_mistakes_get_one_line_and_exit_2(demo_journal, run, tmp_path):
    j = ("--journal", str(demo_journal))
    _fails(run, tmp_path, "chart", "--kind", "pie", "-o", tmp_path / "x.png", *j, message="invalid choice: 'pie'")
    _fails(run, tmp_path, "chart", "-o", tmp_path / "x.jpg", *j, message="end the file name in .png or .svg")
    _fails(run, tmp_path, "chart", "-o", tmp_path / "missing" / "x.png", *j, message="does not exist")
    _fails(run, tmp_path, "chart", "-o", tmp_path, *j, message="end the file name")
    (tmp_path / "folder.png").mkdir()
    _fails(run, tmp_path, "chart", "-o", tmp_path / "folder.png", *j, message="is a folder")
    _fails(run, tmp_path, "chart", "-o", tmp_path / "x.png", "--since", "March", *j,
           message="--since date 'March' is not a date")
    _fails(run, tmp_path, "chart", "-o", tmp_path / "x.png", "--since", "2026-06-01", "--until", "2026-05-01", *j,
           message="is after --until")
    _fails(run, tmp_path, "chart", "-o", tmp_path / "x.png", "--dpi", "9000", *j, message="--dpi")
    _fails(run, tmp_path, "report", "-o", tmp_path / "r.docx", *j, message="end the file name in .html or .htm or .pdf")
    _fails(run, tmp_path, "report", "-o", tmp_path / "r.pdf", "--until", "2026-13-01", *j, message="is not a date")
    _fails(run, tmp_path, "report", "-o", tmp_path / "r.pdf", "--region", "Mars", *j, message="unknown region")
    _fails(run, tmp_path, "report", "-o", tmp_path / "nowhere" / "r.pdf", *j, message="does not exist")


def test_a_read_only_folder_is_refused(demo_journal, run, tmp_path):
    import os

    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):
            pytest.skip("running as a user who can write anywhere (root)")
        _fails(run, locked, "report", "-o", locked / "r.html", "--journal", demo_journal, message="not writable")
    finally:
        locked.chmod(0o700)


def test_no_journal_means_no_chart(run, tmp_path):
    code, _, err = run("chart", "-o", tmp_path / "t.png", "--journal", tmp_path / "none.sqlite")
    assert code == 2 and "there is no journal" in err
    assert not (tmp_path / "none.sqlite").exists() and not (tmp_path / "t.png").exists()


def test_an_empty_journal_still_gets_a_chart_and_a_report(journal_path, run, tmp_path):
    from rekindle_widgets.journal import Journal

    Journal(journal_path).close()
    assert run("chart", "-o", tmp_path / "t.png", "--journal", journal_path)[0] == 0
    assert run("report", "-o", tmp_path / "r.pdf", "--journal", journal_path)[0] == 0
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")


def test_the_cli_knows_every_chart_kind_without_importing_matplotlib():
    import subprocess
    import sys

    from rekindle_widgets.cli.charts import CHART_KINDS, REPORT_SUFFIXES
    from rekindle_widgets.report import SUFFIXES

    assert tuple(CHART_KINDS) == tuple(KINDS) and REPORT_SUFFIXES == tuple(SUFFIXES)
    assert {"timeline", "pixels", "stages", "weekdays", "tags", "scores"} <= set(CHART_KINDS)
    probe = ("import sys; from rekindle_widgets.cli import build_parser; build_parser(); "
             "print(sorted(m for m in ('matplotlib', 'pandas', 'fpdf') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert "matplotlib" not in done.stdout and "fpdf" not in done.stdout
