"""Rewrites of the files the console edits: atomic, mode-keeping, one writer at a time."""

from __future__ import annotations

import threading

from shopassist.console.files import locked, write_atomically


def test_write_atomically_keeps_the_mode_and_leaves_no_temp_file(tmp_path):
    path = tmp_path / "reviewed.yml"
    write_atomically(path, "a\n")
    assert path.read_text() == "a\n" and path.stat().st_mode & 0o777 == 0o644
    path.chmod(0o664)
    write_atomically(path, "b\n")
    assert path.read_text() == "b\n" and path.stat().st_mode & 0o777 == 0o664
    assert [p.name for p in tmp_path.iterdir()] == ["reviewed.yml"]


def test_locked_read_change_write_loses_no_update(tmp_path):
    path = tmp_path / "sub" / "count.txt"

    def add_one_many_times():
        for _ in range(50):
            with locked(path):
                count = int(path.read_text()) if path.exists() else 0
                write_atomically(path, str(count + 1))

    threads = [threading.Thread(target=add_one_many_times) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert path.read_text() == "200"
