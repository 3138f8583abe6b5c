"""`python -m shopassist.serve run ...`: `rasa run`, with its secrets and CORS from ShopAssist.

Rasa reads its HTTP API token only from the command line (`--auth-token`), where every
user of the machine can read it (`ps`, /proc/<pid>/cmdline). This entry point adds it to
Rasa's arguments inside the process, from SHOPASSIST_RASA_TOKEN or the file named by
SHOPASSIST_RASA_TOKEN_FILE, so it never appears on a command line; /proc keeps the
arguments the process was started with. With the token it gives Rasa `--jwt-secret`,
derived from it (shopassist/auth/rasa_api.py), so that callers can prove themselves with a
header instead of `?token=` in a URL. It also sets `--cors` to the shop's own origins
(shopassist/channels/inbound.py) unless given: Rasa's `--cors "*"` with credentials let any
website drive the assistant from its visitors' browsers.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import List, Mapping

TOKEN_ENV = "SHOPASSIST_RASA_TOKEN"
TOKEN_FILE_ENV = "SHOPASSIST_RASA_TOKEN_FILE"


def rasa_token(env: Mapping[str, str]) -> str:
    if env.get(TOKEN_FILE_ENV):
        return Path(env[TOKEN_FILE_ENV]).read_text(encoding="utf-8").strip()
    return env.get(TOKEN_ENV, "")


def rasa_arguments(args: List[str], env: Mapping[str, str]) -> List[str]:
    """Rasa's arguments for `args` (what was typed after `python -m shopassist.serve`)."""
    from shopassist.channels.inbound import allowed_origins

    result = list(args)
    if result[:1] == ["run"]:
        if not any(a == "--cors" or a.startswith("--cors=") for a in result):
            result += ["--cors", *allowed_origins()]
        token = rasa_token(env)
        if token:
            from shopassist.auth.rasa_api import jwt_secret

            result.append(f"--auth-token={token}")  # "=": a token may start with "-"
            if not any(a == "--jwt-secret" or a.startswith("--jwt-secret=") for a in result):
                result.append(f"--jwt-secret={jwt_secret(token)}")
    return result


def main() -> None:
    arguments = rasa_arguments(sys.argv[1:], os.environ)
    sys.argv = ["rasa", *arguments]
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
