"""Imports are bounded by the bytes actually read, not by what a file claims (a zip member's header, stat)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import zipfile

import pytest


def _lying_daylio(path, inflated: int) -> None:
    """A .daylio whose backup.daylio inflates to ``inflated`` bytes while its header claims 1,000."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("backup.daylio", "w", force_zip64=True) as member:
            block = b"A" * (1 << 20)
            for _ in range(inflated >> 20):
                member.write(block)
    data = bytearray(path.read_bytes())
    # the local header's and the central directory's uncompressed size: claim 1,000 bytes
    local = data.index(b"PK\x03\x04")
    central = data.rindex(b"PK\x01\x02")
    for offset in (local + 22, central + 24):
        if data[offset:offset + 4] != b"\xff\xff\xff\xff":
            data[offset:offset + 4] = (1000).to_bytes(4, "little")
    path.write_bytes(bytes(data))


@pytest.mark.slow
def test_a_lying_zip_member_is_refused_with_peak_memory_under_300_mb(tmp_path):
    bomb = tmp_path / "bomb.daylio"
    _lying_daylio(bomb, 2 << 30)  # 2 GiB inflated from about 2 MB; the limit is 200 MiB
    assert bomb.stat().st_size < 8_000_000
    code = textwrap.dedent(f"""
        import resource, sys
        from rekindle_widgets.io.importers import import_file
        from rekindle_widgets.journal import Journal
        from rekindle_widgets.errors import RekindleError
        resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20))
        try:
            with Journal({str(tmp_path / 'j.sqlite')!r}) as j:
                import_file(j, {str(bomb)!r})
        except RekindleError as exc:
            print("refused:", exc)
        # VmHWM: this process's own peak (ru_maxrss would carry over the forked test worker's, across exec)
        print("peak", next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM")))
    """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    # refused in one line: by the counted stream, or by zipfile's own bound on the claimed size (a CRC error)
    assert "refused:" in done.stdout and "\n" not in done.stdout.split("refused:")[1].split("\npeak")[0]
    peak_kib = int(done.stdout.split("peak")[1])
    assert peak_kib < 300 * 1024, f"peak {peak_kib / 1024:.0f} MB"


def test_stdin_is_counted_as_it_is_read(tmp_path, monkeypatch):
    from rekindle_widgets.errors import RekindleError
    from rekindle_widgets.io.importers import text

    monkeypatch.setattr(text, "MAX_BYTES", 1000)
    fifo = tmp_path / "pipe"
    import os
    import threading

    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_bytes(b"x" * 5000))
    writer.start()
    with pytest.raises(RekindleError, match="over 0 MB"):  # stat says 0 bytes; the reading counts 5,000
        text.read_bytes(fifo)
    writer.join(timeout=10)
