"""Shared fixtures: every test gets its own data folder; nothing touches the real one."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

from rekindle_widgets import cli

# Property tests: a quick profile while you work, the full one in CI (CI=true) or with HYPOTHESIS_PROFILE=ci.
# Tests that name their own max_examples keep it in both.
settings.register_profile("ci", max_examples=100, deadline=None, print_blob=True)
settings.register_profile("dev", max_examples=30, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else os.environ.get("HYPOTHESIS_PROFILE", "dev"))


def pytest_configure(config):
    """Before any fixture of any scope runs: a data folder of the suite's own, and no journal from outside.

    The per-test ``private_home`` below comes later than module- and session-wide fixtures (the app
    servers, demo journals): without this, those reached the real data folder (a journal and safety
    copies appeared in ~/.local/share/rekindle during a run).
    """
    os.environ["REKINDLE_HOME"] = str(Path(tempfile.mkdtemp(prefix="rekindle-suite-")) / "rekindle")
    os.environ["REKINDLE_REGION"] = "US"
    os.environ.pop("REKINDLE_JOURNAL", None)


@pytest.fixture(autouse=True)
def private_home(tmp_path_factory, monkeypatch):
    """REKINDLE_HOME points at a fresh temporary folder for every test.

    Tests run as someone in the US (REKINDLE_REGION=US) unless they say
    otherwise, so the machine's locale never changes what they see; the locale
    rule itself is tested with explicit environments in test_content.py.
    """
    home = tmp_path_factory.mktemp("home") / "rekindle"
    monkeypatch.setenv("REKINDLE_HOME", str(home))
    monkeypatch.setenv("REKINDLE_REGION", "US")
    return home


@pytest.fixture
def journal_path(tmp_path) -> Path:
    return tmp_path / "journal.sqlite"


@pytest.fixture
def run(capsys):
    """Run the CLI in-process: returns (exit code, stdout, stderr)."""

    def _run(*argv: str) -> tuple[int, str, str]:
        try:
            code = cli.main([str(a) for a in argv])
        except SystemExit as exc:  # argparse's own exits
            code = exc.code if isinstance(exc.code, int) else 1
        out, err = capsys.readouterr()
        return code, out, err

    return _run


def file_digest(path: Path) -> str:
    """What a person would call the journal's content: its SQL dump (or raw bytes if not SQLite)."""
    import sqlite3

    h = hashlib.sha256()
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            for line in conn.iterdump():
                h.update(line.encode())
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        h.update(path.read_bytes())
    return h.hexdigest()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    """The demo journal, written once per test process by ``rekindle demo`` (it is deterministic)."""
    path = tmp_path_factory.mktemp("demo-template") / "journal.sqlite"
    assert cli.main(["demo", "--journal", str(path)]) == 0
    return path


@pytest.fixture
def demo_journal(journal_path, demo_template) -> Path:
    """A fresh copy of the demo journal for one test (``rekindle demo``'s file, copied: the same bytes)."""
    import shutil

    shutil.copyfile(demo_template, journal_path)
    os.chmod(journal_path, 0o600)
    return journal_path


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium under Playwright, one per test session."""
    from .servers import CHROMIUM, CHROMIUM_ARGS, require_chromium

    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh page that records console errors (a widget that fails to render logs one)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.errors = []
    from .servers import record_requests

    pg.requests = record_requests(context, pg)  # every URL asked for: see servers.off_computer
    pg.on("pageerror", lambda exc: pg.errors.append(str(exc)))
    pg.on("console", lambda msg: pg.errors.append(msg.text) if msg.type == "error" else None)
    yield pg
    context.close()


@pytest.fixture(scope="module")
def app_server(tmp_path_factory):
    """`rekindle app` on a fresh demo journal, one per test module: ``(server, journal path)``."""
    from .servers import demo_app

    server, journal = demo_app(tmp_path_factory.mktemp("app"))
    yield server, journal
    server.stop()


@pytest.fixture
def session_page(tmp_path, monkeypatch):
    """A therapist's page on a practice of the test's own, and a way to add a client the way a therapist does.

    Returns ``(page, practice, add)``; ``add(alias)`` is :func:`add_client` on this page.
    """
    from rekindle_widgets.model.practice import Practice
    from rekindle_widgets.widgets.session import SessionPage

    folder = tmp_path / "practice"
    monkeypatch.setenv("REKINDLE_PRACTICE", str(folder))
    practice = Practice(folder)
    page = SessionPage(practice=practice.path)

    return page, practice, lambda alias: add_client(page, alias)


def add_client(page, alias: str) -> str:
    """Type ``alias`` on the therapist's page, click Add client, and return the id its message names."""
    import re

    page.alias.value = alias
    page.add_button.click()
    found = re.search(r"Added client (c-[a-z2-7]{6})", page.add_status.value)
    assert found, page.add_status.value
    return found.group(1)


#: rough seconds a test takes, by folder, where its ``slow`` mark gives no figure: only for ordering the run
_FOLDER_SECONDS = {"browser": 10.0, "server": 8.0, "notebooks": 20.0}


def _seconds(item) -> float:
    mark = item.get_closest_marker("slow")
    if mark and mark.args:
        return float(mark.args[0])
    return _FOLDER_SECONDS.get(item.path.parent.name, 2.0 if mark else 0.2)


def pytest_collection_modifyitems(config, items):
    """The longest files first, so no process is left alone with a long one at the end (a test's own order,
    and a file's tests together, are kept).

    In three processes (``make test``: ``--dist loadfile --no-loadscope-reorder``) a process takes the next
    file as it finishes one. xdist's own order puts the files with the most tests first, which left the
    two-minute Binder build and the other few-test, long files to the last minutes, each run in one process
    while the others had finished: the run's last 4 % took 80 s. Longest first (by ``slow(seconds)`` or a
    folder's rough figure) fills those minutes with the short files instead.
    """
    files: dict = {}
    for item in items:
        files[item.path] = files.get(item.path, 0.0) + _seconds(item)
    items.sort(key=lambda item: (-files[item.path], str(item.path)))
