"""`rasa shell` driven as a person at a terminal does, through a pseudo-terminal.

rasa shell reads each message with questionary (prompt_toolkit), which needs a terminal:
the process gets one from the standard library's pty. With TERM=dumb prompt_toolkit asks
the terminal nothing (no cursor-position request to answer). Each read has a deadline, so
a silent or stuck shell fails the test instead of hanging it, and the shell's whole
process group is ended by its id if /stop does not end it.
"""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import subprocess
import time
from pathlib import Path
from typing import Dict, List

# prompt_toolkit turns bracketed paste on while it reads a line and off once the line is
# entered: what the shell prints between the two is the answer to that line.
PROMPT_OPEN = b"\x1b[?2004h"
LINE_ENTERED = b"\x1b[?2004l"
_ESCAPE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def plain(raw: bytes) -> str:
    """Terminal output as text: escape sequences and carriage returns removed."""
    return _ESCAPE.sub("", raw.decode("utf-8", errors="replace")).replace("\r", "")


class Shell:
    def __init__(self, command: List[str], env: Dict[str, str], cwd: Path, log: Path) -> None:
        self.log = log.open("wb")
        master, slave = pty.openpty()
        self.process = subprocess.Popen(
            command,
            cwd=cwd,
            env={**env, "TERM": "dumb", "COLUMNS": "200", "LINES": "50"},
            stdin=slave,
            stdout=slave,
            stderr=slave,
            start_new_session=True,  # its own process group, ended by its id below
            close_fds=True,
        )
        os.close(slave)
        self.master = master
        self.pending = b""

    def _read_until(self, marker: bytes, seconds: float) -> bytes:
        """Output up to and including `marker`; fails after `seconds` or if the shell ends."""
        deadline = time.monotonic() + seconds
        while marker not in self.pending:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(
                    f"no {marker!r} within {seconds}s: {plain(self.pending)[-2000:]}"
                )
            ready, _, _ = select.select([self.master], [], [], min(left, 1.0))
            if not ready:
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # the terminal closed: the shell has ended
                chunk = b""
            if not chunk:
                raise EOFError(f"the shell ended: {plain(self.pending)[-2000:]}")
            self.log.write(chunk)
            self.log.flush()
            self.pending += chunk
        end = self.pending.index(marker) + len(marker)
        out, self.pending = self.pending[:end], self.pending[end:]
        return out

    def wait_for_prompt(self, seconds: float) -> str:
        """Everything printed up to the next prompt (the model's loading, the first time)."""
        return plain(self._read_until(PROMPT_OPEN, seconds))

    def say(self, text: str, seconds: float = 120) -> str:
        """Types `text` and Enter; returns what the shell printed before its next prompt."""
        os.write(self.master, text.encode("utf-8") + b"\r")
        self._read_until(LINE_ENTERED, 30)  # the line as typed
        return plain(self._read_until(PROMPT_OPEN, seconds)).strip()

    def stop(self, seconds: float = 60) -> int:
        """/stop, as a person leaves; the process group is ended if that does not end it."""
        try:
            os.write(self.master, b"/stop\r")
            return self.process.wait(timeout=seconds)
        except (OSError, subprocess.TimeoutExpired):
            for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
                try:
                    os.killpg(self.process.pid, sig)
                    return self.process.wait(timeout=wait)
                except ProcessLookupError:
                    return self.process.wait(timeout=wait)
                except subprocess.TimeoutExpired:
                    continue
            raise
        finally:
            os.close(self.master)
            self.log.close()
