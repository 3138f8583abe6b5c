"""`python -m shopassist.console [--port 5002]`: the shop page and the console."""

from __future__ import annotations

import argparse
import logging
from typing import Optional

from shopassist.console.app import create_app
from shopassist.console.settings import Settings
from shopassist.privacy import install_log_redaction
from shopassist.settings import SettingsError, get_settings


def main(argv: Optional[list] = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m shopassist.console")
    try:
        settings = get_settings()  # a wrong value stops the start, naming the variable
    except SettingsError as error:
        parser.exit(2, f"console: {error}\n")
    parser.add_argument("--host", default=settings.console_host)
    parser.add_argument("--port", type=int, default=settings.console_port)
    args = parser.parse_args(argv)
    install_log_redaction()  # conversations and tickets carry customers' personal data
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    app = create_app(Settings.from_env(settings))
    app.run(host=args.host, port=args.port, access_log=False, workers=1)


if __name__ == "__main__":
    main()
