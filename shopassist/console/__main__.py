"""`python -m shopassist.console [--port 5002]`: the shop page and the console."""

from __future__ import annotations

import argparse
import logging
import os

from shopassist.console.app import create_app
from shopassist.privacy import install_log_redaction


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m shopassist.console")
    parser.add_argument("--host", default=os.environ.get("SHOPASSIST_CONSOLE_HOST", "127.0.0.1"))
    parser.add_argument(
        "--port", type=int, default=int(os.environ.get("SHOPASSIST_CONSOLE_PORT", "5002"))
    )
    args = parser.parse_args()
    install_log_redaction()  # conversations and tickets carry customers' personal data
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    create_app().run(host=args.host, port=args.port, access_log=False, workers=1)


if __name__ == "__main__":
    main()
