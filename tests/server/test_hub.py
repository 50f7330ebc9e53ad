"""``python -m rekindle_widgets.server.hub``: what a therapist's server does before Jupyter starts."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from rekindle_widgets.errors import RekindleError
from rekindle_widgets.server import hub

APP = (resources.files("rekindle_widgets.server") / "app.ipynb").read_bytes()


@pytest.fixture
def therapist(tmp_path, monkeypatch):
    """A therapist's home with REKINDLE_PRACTICE and JUPYTERHUB_ROOT_DIR as the hub sets them."""
    home = tmp_path / "home" / "alice"
    home.mkdir(parents=True)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("REKINDLE_PRACTICE", str(home / "rekindle-practice"))
    monkeypatch.setenv("JUPYTERHUB_ROOT_DIR", "~")
    old = os.umask(0o022)
    yield home
    os.umask(old)


def mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_prepare_makes_a_private_practice_and_puts_the_app_in_the_home_folder(therapist):
    practice, notebook = hub.prepare()
    assert practice == therapist / "rekindle-practice" and mode(practice) == 0o700
    assert notebook == therapist / hub.APP_NOTEBOOK and mode(notebook) == 0o600
    assert notebook.read_bytes() == APP
    assert os.umask(0o077) == 0o077  # what the server and its kernels create is private too
    (therapist / "later.txt").write_text("x")
    assert mode(therapist / "later.txt") == 0o600


def test_prepare_keeps_the_clients_and_refreshes_an_old_app_notebook(therapist):
    practice, notebook = hub.prepare()
    (practice / "c-aaaaaa").mkdir()
    notebook.write_text("an older app notebook")
    hub.prepare()
    assert (practice / "c-aaaaaa").is_dir()
    assert notebook.read_bytes() == APP


def test_a_link_where_the_app_notebook_goes_is_refused_and_not_followed(therapist, tmp_path):
    target = tmp_path / "elsewhere.txt"
    target.write_text("not yours to overwrite")
    (therapist / hub.APP_NOTEBOOK).symlink_to(target)
    with pytest.raises(RekindleError, match="is not a plain file; move it away"):
        hub.prepare()
    assert target.read_text() == "not yours to overwrite"


def test_a_practice_path_that_is_a_file_stops_the_server_with_one_line(therapist, monkeypatch, capsys):
    (therapist / "rekindle-practice").write_text("oops")
    execs = []
    monkeypatch.setattr(os, "execv", lambda *a: execs.append(a))
    with pytest.raises(SystemExit) as exit_:
        hub.main([])
    assert exit_.value.code == 2 and not execs
    err = capsys.readouterr().err.strip()
    assert err.startswith("rekindle: error: ") and "is a file, not a folder" in err and "\n" not in err


def test_a_missing_root_folder_is_named(therapist, monkeypatch, tmp_path):
    monkeypatch.setenv("JUPYTERHUB_ROOT_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(RekindleError, match="root folder .*nowhere does not exist"):
        hub.prepare()


def test_main_becomes_jupyterhub_singleuser_with_the_same_arguments(therapist, monkeypatch):
    execs = []
    monkeypatch.setattr(os, "execv", lambda path, argv: execs.append((path, argv)))
    hub.main(["--VoilaConfiguration.show_tracebacks=False"])
    assert execs == [(sys.executable, [sys.executable, "-m", "jupyterhub.singleuser",
                                       "--VoilaConfiguration.show_tracebacks=False"])]
    assert (therapist / hub.APP_NOTEBOOK).is_file()


def test_a_server_marked_as_a_public_demo_does_not_start(therapist, monkeypatch):
    monkeypatch.setenv("REKINDLE_PUBLIC_SESSION", "1")
    with pytest.raises(RekindleError, match="set REKINDLE_PRACTICE_SERVER=1"):
        hub.prepare()
    assert not (therapist / "rekindle-practice").exists()


@pytest.mark.parametrize("practice_server, public", [("", "1"), ("1", "")])
def test_binder_start_marks_public_sessions_but_not_practice_servers(tmp_path, practice_server, public):
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "REKINDLE_PRACTICE_SERVER": practice_server}
    start = Path(__file__).resolve().parents[2] / "binder" / "start"
    out = subprocess.run([str(start), "sh", "-c", 'echo "$REKINDLE_PUBLIC_SESSION|$REKINDLE_JOURNAL"'],
                         env=env, capture_output=True, text=True, check=True).stdout.strip()
    flag, journal = out.split("|")
    assert flag == public
    assert bool(journal) == bool(public)


def test_a_practice_folder_given_with_a_tilde_lands_in_the_therapists_home(therapist, monkeypatch):
    monkeypatch.setenv("REKINDLE_PRACTICE", "~/rekindle-practice")  # as the TLJH drop-in sets it
    practice, _ = hub.prepare()
    assert practice == therapist / "rekindle-practice" and practice.is_dir()
