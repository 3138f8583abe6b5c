"""Safe rewrites of the training and test files the console edits.

A file is rewritten through a temporary file in the same directory and `os.replace`, so Rasa
(or a reviewer's editor) never reads half a file. The read-change-write runs under an
exclusive lock on the file's directory, so two reviewers saving at once don't lose one
another's change; the lock is on the directory, not a lock file, because Rasa reads every
file in data/. Both block briefly: from async code call them in an executor.
"""

from __future__ import annotations

import fcntl
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Union


@contextmanager
def locked(path: Union[str, Path]) -> Iterator[Path]:
    """Holds an exclusive lock for changing `path` (creating its directory if needed)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path.parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield path
    finally:
        os.close(fd)  # closing releases the lock


def write_atomically(path: Union[str, Path], text: str) -> None:
    path = Path(path)
    # mkstemp makes the file private (0600); keep the mode the file had, or the usual 0644.
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
