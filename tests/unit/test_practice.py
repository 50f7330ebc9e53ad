"""The practice folder: clients kept apart on disk, unsafe names refused, erase leaves nothing."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from rekindle_widgets.errors import RekindleError
from rekindle_widgets.io.export import export_json
from rekindle_widgets.journal import Journal
from rekindle_widgets.model.practice import Practice, default_practice, is_id

from ..conftest import file_digest

UNSAFE = ["..", "../x", "/etc", "a/b", "a\\b", "\x00", "a\x00b", "\n", "x\ny", "\x1b[2J", ".", "...",
          "", "   ", "x" * 65, "C:\\Windows", "\u202eevil"]


def _everything(folder: Path) -> set[Path]:
    return {Path(top) / name for top, dirs, files in os.walk(folder) for name in [*dirs, *files]}


@pytest.fixture
def practice(tmp_path) -> Practice:
    return Practice(tmp_path / "practice")


def test_default_location_is_in_the_data_folder_or_the_environment(private_home, tmp_path, monkeypatch):
    assert Practice().path == (private_home / "practice").resolve()
    monkeypatch.setenv("REKINDLE_PRACTICE", str(tmp_path / "elsewhere"))
    assert default_practice() == tmp_path / "elsewhere"
    assert Practice().path == (tmp_path / "elsewhere").resolve()


def test_a_client_has_a_private_folder_a_record_and_an_empty_journal(practice):
    old = os.umask(0o022)
    try:
        client = practice.add("  J.K.  ")
    finally:
        os.umask(old)
    assert is_id(client.id) and client.id.startswith("c-") and len(client.id) == 8
    assert client.alias == "J.K." and not client.is_archived
    assert client.folder == practice.path / client.id
    assert client.journal_path == client.folder / "journal.sqlite"
    record = json.loads((client.folder / "client.json").read_text())
    assert record["id"] == client.id and record["alias"] == "J.K." and record["archived"] is None
    for path in (practice.path, client.folder):
        assert stat.S_IMODE(path.stat().st_mode) == 0o700, path
    for path in (client.folder / "client.json", client.journal_path):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    with client.open_journal(create=False) as journal:
        assert journal.count() == 0 and journal.sessions() == []


def test_ids_are_unique_and_clients_are_found_by_id_or_alias(practice):
    clients = [practice.add(f"client {i}") for i in range(30)]
    assert len({c.id for c in clients}) == 30
    assert practice.get(clients[3].id) == clients[3]
    assert practice.get("CLIENT 3") == clients[3]  # aliases match whatever the case
    assert [c.id for c in practice.list()] == [c.id for c in clients]
    with pytest.raises(RekindleError, match="no client 'nobody'"):
        practice.get("nobody")
    with pytest.raises(RekindleError, match="no client 'c-aaaaaa'"):
        practice.get("c-aaaaaa")


def test_aliases_are_unique_and_may_not_look_like_ids(practice):
    first = practice.add("Sam")
    with pytest.raises(RekindleError, match=f"already used by {first.id}"):
        practice.add("sam")
    with pytest.raises(RekindleError, match="looks like a client id"):
        practice.add("c-abcdef")
    assert [c.alias for c in practice.list()] == ["Sam"]


@pytest.mark.parametrize("text", UNSAFE)
def test_unsafe_aliases_and_ids_are_refused_and_create_nothing(practice, text):
    with pytest.raises(RekindleError) as info:
        practice.add(text)
    assert "\n" not in str(info.value)
    assert not practice.path.exists()
    for call in (practice.get, practice.archive, lambda t: practice.erase(t, yes=True)):
        with pytest.raises(RekindleError):
            call(text)
    assert not practice.path.exists()


def test_archive_hides_a_client_but_keeps_their_data(practice):
    a, b = practice.add("A"), practice.add("B")
    with a.open_journal() as journal:
        journal.add(4, note="kept")
    before = file_digest(a.journal_path)
    practice.archive(a.id)
    assert [c.id for c in practice.list()] == [b.id]
    assert [c.id for c in practice.list(include_archived=True)] == [a.id, b.id]
    assert practice.get(a.id).is_archived and practice.get("a").is_archived
    assert file_digest(a.journal_path) == before
    practice.unarchive(a.id)
    assert [c.id for c in practice.list()] == [a.id, b.id]


def test_two_clients_never_share_data(practice):
    a, b = practice.add("Alex"), practice.add("Blair")
    with a.open_journal() as journal:
        journal.add(2, note="ALEX-ONLY note", tags=["alex-tag"])
        journal.add_session(day="2026-03-01", notes={"subjective": "ALEX-ONLY session"},
                            goals={"ALEX goal": 3})
    with b.open_journal() as journal:
        journal.add(5, note="BLAIR-ONLY note")
        journal.add_session(day="2026-03-02", template="dap", notes={"data": "BLAIR-ONLY session"})
    with a.open_journal(create=False) as journal:
        text_a = export_json(journal)
    with b.open_journal(create=False) as journal:
        text_b = export_json(journal)
    assert "ALEX-ONLY" in text_a and "ALEX goal" in text_a and "BLAIR" not in text_a
    assert "BLAIR-ONLY" in text_b and "ALEX" not in text_b and "alex-tag" not in text_b
    assert a.journal_path.parent != b.journal_path.parent


def _fill(client) -> None:
    """A client folder as it looks in use: journal, WAL and SHM, an upgrade backup, a subfolder."""
    with client.open_journal() as journal:
        journal.add(3, note="to be erased")
        journal.backup(client.folder / "journal.sqlite.v1.bak")
    (client.folder / "journal.sqlite-wal").write_bytes(b"wal")
    (client.folder / "journal.sqlite-shm").write_bytes(b"shm")
    (client.folder / "charts").mkdir()
    (client.folder / "charts" / "mood.png").write_bytes(b"png")


def test_erase_without_yes_lists_everything_and_removes_nothing(practice):
    client = practice.add("Erase me")
    _fill(client)
    before = _everything(practice.path)
    listed = practice.erase(client.id)
    assert set(listed) == {p for p in before if client.id in p.parts} | {client.folder}
    assert listed[-1] == client.folder
    assert _everything(practice.path) == before


def test_erase_removes_every_file_of_that_client_and_nothing_else(practice, tmp_path):
    keep, gone = practice.add("Keep"), practice.add("Gone")
    with keep.open_journal() as journal:
        journal.add(4, note="still here")
    keep_digest = file_digest(keep.journal_path)
    _fill(gone)
    outside = tmp_path / "outside.txt"
    outside.write_text("not the client's")
    (gone.folder / "link-to-outside").symlink_to(outside)
    (gone.folder / "linked-folder").symlink_to(tmp_path)
    removed = practice.erase(gone.id, yes=True)
    assert removed[-1] == gone.folder and gone.folder / "journal.sqlite.v1.bak" in removed
    left = _everything(practice.path)
    assert not [p for p in left if gone.id in str(p)]
    assert not gone.folder.exists()
    assert outside.read_text() == "not the client's" and tmp_path.is_dir()  # links removed, not followed
    assert file_digest(keep.journal_path) == keep_digest
    assert [c.id for c in practice.list(include_archived=True)] == [keep.id]
    with pytest.raises(RekindleError, match=f"no client {gone.id}"):
        practice.erase(gone.id, yes=True)


def test_erase_needs_the_id_not_the_alias(practice):
    client = practice.add("Robin")
    with pytest.raises(RekindleError, match=f"erase needs the client id.*{client.id}"):
        practice.erase("Robin", yes=True)
    assert client.journal_path.exists()


def test_erase_refuses_while_the_journal_is_open_elsewhere(practice):
    client = practice.add("Busy")
    with client.open_journal() as journal:
        journal.add(3)
        before = _everything(practice.path)
        with pytest.raises(RekindleError, match="is open in another window or program"):
            practice.erase(client.id, yes=True)
        assert _everything(practice.path) == before
        assert journal.count() == 1
    practice.erase(client.id, yes=True)
    assert not client.folder.exists()


def test_a_client_folder_that_is_a_link_out_of_the_practice_is_not_used(practice, tmp_path):
    practice.add("Real")
    victim = tmp_path / "victim"
    victim.mkdir()
    (victim / "precious.txt").write_text("keep")
    (practice.path / "c-aaaaaa").symlink_to(victim)
    assert [c.alias for c in practice.list(include_archived=True)] == ["Real"]
    with pytest.raises(RekindleError, match="is a link, not a client folder"):
        practice.get("c-aaaaaa")
    with pytest.raises(RekindleError, match="is a link, not a client folder"):
        practice.erase("c-aaaaaa", yes=True)
    assert (victim / "precious.txt").read_text() == "keep"


def test_a_damaged_client_record_is_a_one_line_error_and_can_still_be_erased(practice):
    client = practice.add("Damaged")
    (client.folder / "client.json").write_text("{not json")
    with pytest.raises(RekindleError, match="is not a readable client record") as info:
        practice.list()
    assert "\n" not in str(info.value)
    practice.erase(client.id, yes=True)
    assert practice.list() == []


def test_a_practice_path_that_is_a_file_is_refused(tmp_path):
    path = tmp_path / "file"
    path.write_text("x")
    with pytest.raises(RekindleError, match="is a file"):
        Practice(path)


def test_client_journals_are_ordinary_journals(practice):
    client = practice.add("Plain")
    with Journal(client.journal_path) as journal:
        journal.set_stage(2, "2026-01-05")
    with client.open_journal(create=False) as journal:
        assert journal.current_stage() == 2
    assert client.activity() == (0, None, 0)


def test_an_unreadable_practice_folder_is_a_one_line_error(tmp_path, monkeypatch):
    """Another therapist's practice (a folder this user may not list) gives a sentence, not a traceback."""
    practice = Practice(tmp_path / "practice")
    practice.add("J.K.")

    def refuse(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "iterdir", refuse)
    with pytest.raises(RekindleError, match="cannot read the practice folder .*: permission denied"):
        practice.list()


def test_client_erase_leaves_no_byte_of_a_note_in_any_file_of_the_data_folders(practice):
    """Safety copies (kept before an import or an undo) and an earlier version's .bak hold the client's notes
    too: after the erase the marker is in no file under $REKINDLE_HOME or the practice."""
    from rekindle_widgets.io.importers import import_bytes
    from rekindle_widgets.journal import safety_copies
    from rekindle_widgets.paths import home

    marker = "MARKER-7f3a-only-in-this-client"
    client = practice.add("Gone")
    with client.open_journal() as journal:
        journal.add(2, note=marker)
        import_bytes(journal, b"timestamp,mood,readiness,stage,tags,note,source\n2026-01-02T10:00:00+00:00,3,,,,,\n", "more.csv")  # keeps a safety copy first
        journal.undo()  # and another
        journal.backup(client.folder / "journal.sqlite.v4.bak")  # as an earlier version left it
    assert len(safety_copies(client.journal_path)) == 2
    listed = practice.erase(client.id)
    assert {c.path for c in safety_copies(client.journal_path)} <= set(listed)  # the dry run names them
    practice.erase(client.id, yes=True)
    holding = [p for root in (home(), practice.path) for p in Path(root).rglob("*")
               if p.is_file() and marker.encode() in p.read_bytes()]
    assert holding == []
