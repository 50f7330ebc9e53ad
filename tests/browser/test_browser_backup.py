"""In the browser, as on Binder: take the journal away as an encrypted backup and bring it into a new session."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ..conftest import file_digest
from ..servers import APP, demo_app, screenshot, voila

pytestmark = pytest.mark.slow
TIMEOUT = 120_000
PASSPHRASE = "four unrelated words here"


def choose(page, path: Path) -> None:
    """Pick ``path`` in the upload's file chooser, as a person does."""
    with page.expect_file_chooser() as chooser:
        page.get_by_role("button", name=re.compile("Choose backup")).click()
    chooser.value.set_files(str(path))
    page.get_by_role("button", name="Choose backup (1)").wait_for(timeout=TIMEOUT)


def test_an_encrypted_backup_carries_the_journal_to_the_next_public_session(page, tmp_path):
    first, journal = demo_app(tmp_path / "first", REKINDLE_PUBLIC_SESSION="1")
    try:
        page.goto(first.url, timeout=TIMEOUT)
        page.get_by_placeholder("at least 8 characters").fill(PASSPHRASE, timeout=TIMEOUT)
        page.get_by_placeholder("the same passphrase, to encrypt").fill(PASSPHRASE)
        page.get_by_role("button", name="Prepare encrypted backup (.age)").click()
        link = page.get_by_role("link", name=re.compile(r"Save rekindle-journal-.*\.age"))
        link.wait_for(timeout=TIMEOUT)
        with page.expect_download() as info:
            link.click()
        saved = tmp_path / info.value.suggested_filename
        info.value.save_as(saved)
        screenshot(page, "backup-download")
        page.goto("about:blank")  # leave the session before it ends, as a person closing the tab
    finally:
        first.stop()
    assert saved.name.endswith(".age") and saved.read_bytes().startswith(b"age-encryption.org/v1\n")

    (tmp_path / "second").mkdir()
    fresh = tmp_path / "second" / "journal.sqlite"
    second = voila(APP, env={"REKINDLE_JOURNAL": str(fresh), "REKINDLE_HOME": str(tmp_path / "second" / "home"),
                             "REKINDLE_REGION": "US", "REKINDLE_PUBLIC_SESSION": "1"},
                   log=tmp_path / "second" / "voila.log")
    try:
        page.errors.clear()
        page.goto(second.url, timeout=TIMEOUT)
        page.get_by_text("no entries yet").first.wait_for(timeout=TIMEOUT)
        choose(page, saved)
        page.get_by_placeholder("at least 8 characters").fill("the wrong passphrase")
        page.get_by_role("button", name="Restore or merge backup").click()
        page.get_by_text("the passphrase is wrong").wait_for(timeout=TIMEOUT)
        assert page.get_by_text("no entries yet").count() == 1  # nothing changed
        choose(page, saved)
        page.get_by_placeholder("at least 8 characters").fill(PASSPHRASE)
        page.get_by_role("button", name="Restore or merge backup").click()
        page.get_by_text("Restored the whole backup").wait_for(timeout=TIMEOUT)
        page.get_by_text("280 entries on 160 days").first.wait_for(timeout=TIMEOUT)  # the page's summary too
        screenshot(page, "backup-restored")
        assert not [e for e in page.errors if "widget" in e.lower() or "kernel" in e.lower()], page.errors
    finally:
        second.stop()
    assert file_digest(fresh) == file_digest(journal)
    assert Path(journal).exists()
