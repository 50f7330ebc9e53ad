"""The Start page's backup panel, driven without a browser: type a passphrase, press, read the link and messages."""

from __future__ import annotations

import base64
import datetime as dt
import html
import re

import pytest

from rekindle_widgets.io.backup import AGE_HEADER, decrypt
from rekindle_widgets.journal import Journal, safety_copies
from rekindle_widgets.widgets.download import DownloadPanel

from ..conftest import file_digest

PASSPHRASE = "four unrelated words here"
NOTE = "<script>alert('note')</script> & $x$"


def _upload(panel: DownloadPanel, data: bytes, name: str) -> None:
    panel.upload.value = ({"name": name, "type": "", "size": len(data),
                           "last_modified": dt.datetime(2026, 12, 1, 9, 0), "content": memoryview(data)},)


def _link(panel: DownloadPanel, *, encrypted: bool = True) -> tuple[str, bytes]:
    """The download link's file name and the bytes it carries."""
    link = panel.age_link if encrypted else panel.link
    (name, payload), = re.findall(r'download="([^"]+)" href="data:[^;]+;base64,([^"]+)"', link.value)
    return name, base64.b64decode(payload)


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    path = tmp_path_factory.mktemp("source") / "journal.sqlite"
    with Journal(path) as j:
        for day in range(1, 11):
            j.add(1 + day % 5, day, tags=["sleep"], note=f"{NOTE} {day}", at=f"2026-11-{day:02d}T20:00:00+00:00")
        j.set_stage(3, "2026-11-01")
        j.add_response("who5", [3, 3, 2, 4, 1], total=52.0, band="ok", at="2026-11-05T10:00:00+00:00")
    return path


@pytest.fixture(scope="module")
def age_file(source) -> tuple[str, bytes]:
    """The encrypted backup as the public panel offers it: (file name, bytes)."""
    with Journal(source) as j:
        panel = DownloadPanel(j, public=True)
        panel.passphrase.value = panel.confirm.value = PASSPHRASE
        panel.encrypted_button.click()
        assert "rk-error" not in panel.age_link.value, panel.age_link.value
        return _link(panel)


def test_on_a_public_session_the_encrypted_backup_comes_first(source):
    with Journal(source) as j:
        public, private = DownloadPanel(j, public=True), DownloadPanel(j, public=False)
    assert public.children[0].children[0].value == "<h4>Encrypted backup</h4>"
    assert public.encrypted_button.button_style == "primary" and "public session" in public.children[0].children[1].value
    assert private.children[0].children[0].value == "<h4>Not encrypted</h4>"
    assert private.encrypted_button.button_style == ""


def test_the_encrypted_download_is_an_age_file_of_the_whole_journal(age_file, source, tmp_path):
    name, data = age_file
    assert re.fullmatch(r"rekindle-journal-\d{4}-\d\d-\d\d\.age", name)
    assert data.startswith(AGE_HEADER) and b"alert" not in data
    plain = tmp_path / "plain.sqlite"
    plain.write_bytes(decrypt(data, PASSPHRASE))
    assert file_digest(plain) == file_digest(source)


def test_uploading_it_with_the_passphrase_restores_a_fresh_journal(age_file, source, tmp_path):
    restored = []
    with Journal(tmp_path / "next-session.sqlite") as j:
        panel = DownloadPanel(j, public=True, on_restored=lambda: restored.append(True))
        _upload(panel, age_file[1], age_file[0])
        panel.passphrase.value = PASSPHRASE
        panel.restore_button.click()
        assert "rk-ok" in panel.status.value and "Restored the whole backup" in panel.status.value
        assert "10 entries" in panel.status.value and restored == [True]
        assert panel.passphrase.value == "" and panel.upload.value == ()  # not kept once used
        assert j.count() == 10
    assert file_digest(tmp_path / "next-session.sqlite") == file_digest(source)


def test_a_wrong_passphrase_shows_one_sentence_and_changes_nothing(age_file, tmp_path):
    path = tmp_path / "journal.sqlite"
    with Journal(path) as j:
        j.add(4, note="already here")
        before = file_digest(path)
        panel = DownloadPanel(j, public=True)
        _upload(panel, age_file[1], "<img src=x onerror=alert(1)>.age")
        panel.passphrase.value = "not the passphrase"
        panel.restore_button.click()
        assert "rk-error" in panel.status.value and "<img" not in panel.status.value
        text = html.unescape(re.sub(r"<[^>]+>", "", panel.status.value))
        assert text == ("<img src=x onerror=alert(1)>.age could not be decrypted: the passphrase is wrong, "
                        "or the file was changed; nothing was restored")
        panel.passphrase.value = ""
        panel.restore_button.click()
        assert "is encrypted: type its passphrase above" in panel.status.value
    assert file_digest(path) == before and safety_copies(path) == []


def test_uploading_into_a_journal_with_entries_merges_it(age_file, tmp_path):
    path = tmp_path / "journal.sqlite"
    with Journal(path) as j:
        j.add(2, note="mine", at="2026-10-01T09:00:00+00:00")
        j.add(1 + 1 % 5, 1, tags=["sleep"], note=f"{NOTE} 1", at="2026-11-01T20:00:00+00:00")  # in the backup too
        panel = DownloadPanel(j)
        _upload(panel, age_file[1], age_file[0])
        panel.passphrase.value = PASSPHRASE
        panel.restore_button.click()
        assert "Merged the backup: read 10 rows: 9 entries added, 1 already in the journal" in panel.status.value
        assert j.count() == 11 and [c.stage for c in j.stage_changes()] == [3] and len(j.responses()) == 1
        assert [c.reason for c in safety_copies(j)] == ["restore"]


def test_passphrase_mistakes_and_a_file_that_is_not_a_backup(source):
    with Journal(source) as j:
        before = file_digest(source)
        panel = DownloadPanel(j)
        panel.passphrase.value, panel.confirm.value = PASSPHRASE, PASSPHRASE + "!"
        panel.encrypted_button.click()
        assert "the two passphrases differ" in panel.age_link.value and "href" not in panel.age_link.value
        panel.passphrase.value = panel.confirm.value = "short"
        panel.encrypted_button.click()
        assert "the passphrase is too short (5 characters)" in panel.age_link.value
        panel.restore_button.click()
        assert "Choose a backup file first" in panel.status.value
        _upload(panel, b"timestamp,mood\n2026-01-01,3\n", "export.csv")
        panel.restore_button.click()
        assert "export.csv is not a Rekindle backup" in panel.status.value
        panel.csv_button.click()  # the plain downloads are still there
        assert _link(panel, encrypted=False)[0].endswith(".csv")
    assert file_digest(source) == before
