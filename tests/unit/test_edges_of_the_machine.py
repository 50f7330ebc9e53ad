"""When the machine, not the person, is the problem: a full disk, a backup that asks for hours of work,
a journal path that is a link, a journal file others can read."""

from __future__ import annotations

import os
import stat
import subprocess

import pytest

from rekindle_widgets.errors import RekindleError
from rekindle_widgets.journal import Entry, Journal


@pytest.fixture
def small_disk(tmp_path):
    """A 640 KiB file system of its own (tmpfs), mounted for the test: needs root and a sandbox that allows
    mounts (this project's machines do, as root); elsewhere the test says why it did not run."""
    folder = tmp_path / "small"
    folder.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=640k,mode=0700", "tmpfs", str(folder)],
                          capture_output=True, text=True)
    if done.returncode:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    yield folder
    subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_disk_is_said_in_words_with_where_and_nothing_is_half_written(small_disk, run):
    path = small_disk / "journal.sqlite"
    with Journal(path) as j:
        j.add(3, note="before the disk filled", at="2026-11-01T09:00:00+00:00")
    with pytest.raises(RekindleError) as caught, Journal(path) as j:
        for batch in range(200):  # about 64 KB of notes a batch: the disk fills within a few
            j.add_entries([Entry.make(mood=3, note=f"{batch}-{i} " + "x" * 2000,
                                      at=f"2026-11-02T{i // 60:02d}:{i % 60:02d}:00+00:00")
                           for i in range(30)])
    message = str(caught.value)
    assert message.startswith("the disk is full") and str(small_disk) in message and "\n" not in message
    # the command line says it the same way (a new journal: the full one's write-ahead log has room it can
    # reuse, so a small entry there may still fit, as SQLite allows)
    code, _, err = run("log", "--mood", "4", "--note", "y" * 90_000, "--journal", str(small_disk / "new.sqlite"))
    assert code == 2 and "disk is full" in err and "Traceback" not in err
    subprocess.run(["mount", "-o", "remount,size=4m", str(small_disk)], check=True)  # room again
    with Journal(path) as j:  # every batch happened whole or not at all
        notes = list(j.entries()["note"])
        assert notes[0] == "before the disk filled" and (len(notes) - 1) % 30 == 0


def test_a_backup_asking_for_an_enormous_scrypt_work_factor_is_refused_by_name(tmp_path):
    import pyrage

    from rekindle_widgets.io.backup import decrypt

    data = pyrage.passphrase.encrypt(b"SQLite format 3\x00", "four unrelated words here")
    head, rest = data.split(b"\n", 2)[:2], data.split(b"\n", 2)[2]
    line = head[1].split(b" ")
    line[-1] = b"40"  # 2^40: days of work for each guess
    crafted = b"\n".join([head[0], b" ".join(line), rest])
    with pytest.raises(RekindleError, match=r"scrypt work factor of 2\^40") as caught:
        decrypt(crafted, "four unrelated words here", "big.age")
    assert "passphrase is wrong" not in str(caught.value)


def test_a_journal_path_that_is_a_link_to_nowhere_makes_a_private_file(tmp_path):
    target = tmp_path / "elsewhere" / "journal.sqlite"
    target.parent.mkdir()
    link = tmp_path / "journal.sqlite"
    link.symlink_to(target)  # dangling
    old = os.umask(0o022)
    try:
        with Journal(link) as j:
            j.add(3)
    finally:
        os.umask(old)
    assert target.exists() and stat.S_IMODE(target.stat().st_mode) == 0o600
    for side in target.parent.iterdir():
        assert stat.S_IMODE(side.stat().st_mode) & 0o077 == 0, side


def test_an_existing_journal_others_can_read_is_made_private_when_opened(tmp_path):
    path = tmp_path / "journal.sqlite"
    with Journal(path) as j:
        j.add(3)
    os.chmod(path, 0o644)
    with Journal(path) as j:
        j.add(4)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    for side in tmp_path.iterdir():
        assert stat.S_IMODE(side.stat().st_mode) & 0o077 == 0, side
