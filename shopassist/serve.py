"""`python -m shopassist.serve run ...`: `rasa run`, with its secrets and CORS from ShopAssist.

Rasa reads its HTTP API token only from the command line (`--auth-token`), where every
user of the machine can read it (`ps`, /proc/<pid>/cmdline). This entry point adds it to
Rasa's arguments inside the process, from SHOPASSIST_RASA_TOKEN or the file named by
SHOPASSIST_RASA_TOKEN_FILE, so it never appears on a command line; /proc keeps the
arguments the process was started with. With the token it gives Rasa `--jwt-secret`,
derived from it (shopassist/auth/rasa_api.py), so that callers can prove themselves with a
header instead of `?token=` in a URL. It also sets `--cors` to the shop's own origins
(SHOPASSIST_ALLOWED_ORIGINS) unless given: Rasa's `--cors "*"` with credentials let any
website drive the assistant from its visitors' browsers.

The settings are read and checked before Rasa starts: a wrong value stops it at once, with
the variable's name (shopassist.settings).
"""

from __future__ import annotations

import sys
from typing import List, Optional

from shopassist.settings import Settings, SettingsError, env_name, get_settings

TOKEN_ENV = env_name("rasa_token")


def rasa_arguments(args: List[str], settings: Optional[Settings] = None) -> List[str]:
    """Rasa's arguments for `args` (what was typed after `python -m shopassist.serve`)."""
    settings = settings or get_settings()
    result = list(args)
    if result[:1] == ["run"]:
        if not any(a == "--cors" or a.startswith("--cors=") for a in result):
            result += ["--cors", *settings.origins]
        token = settings.api_token()
        if token:
            from shopassist.auth.rasa_api import jwt_secret

            result.append(f"--auth-token={token}")  # "=": a token may start with "-"
            if not any(a == "--jwt-secret" or a.startswith("--jwt-secret=") for a in result):
                result.append(f"--jwt-secret={jwt_secret(token)}")
    return result


def main() -> None:
    try:
        settings = get_settings()
    except SettingsError as error:
        sys.exit(f"shopassist.serve: {error}")
    arguments = rasa_arguments(sys.argv[1:], settings)
    sys.argv = ["rasa", *arguments]
    from rasa.__main__ import main as rasa_main

    rasa_main()


if __name__ == "__main__":
    main()
