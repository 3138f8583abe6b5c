"""The action server: rasa-sdk's app with ShopAssist's actions, locked to the Rasa servers.

    python -m shopassist.action_server [--host 127.0.0.1] [--port 5055] [--actions actions]

Differences from `rasa run actions`, each for production:
- it listens on 127.0.0.1 unless told otherwise (rasa-sdk binds every interface);
- `/webhook` and `/actions` need the header ``Authorization: Bearer <token>`` with
  SHOPASSIST_ACTION_TOKEN, which the Rasa servers send (endpoints' `headers`); it does not
  start without that secret (shopassist.auth.action_secret); `/health` stays open for load
  balancers and probes;
- an action's exception is answered with a plain 500, not rasa-sdk's default body, which
  echoes the whole request (the conversation, with the customer's personal data) back into
  Rasa's logs;
- log records are redacted (shopassist.privacy);
- no TensorFlow and no PyTorch: the knowledge encoder runs on ONNX Runtime
  (shopassist.knowledge.embedder), about 240 MB in all where PyTorch and TensorFlow cost
  1.6 GB (bench/BENCHMARKS.md, "Action server memory"). `USE_TF=0` is still set before
  anything could import transformers, which imports TensorFlow whenever it is installed;
- the help pages' index is built at start, in a thread, so the first question does not wait;
- the settings are read and checked at start (shopassist.settings): a wrong value stops it
  at once with the variable's name, not turn after turn.
"""

from __future__ import annotations

import argparse
import hmac
import logging
import os
from typing import Optional

os.environ.setdefault("USE_TF", "0")  # see the docstring; read when transformers loads

from rasa_sdk.endpoint import create_app  # noqa: E402
from sanic import Sanic, response  # noqa: E402
from sanic.request import Request  # noqa: E402

from shopassist import topology  # noqa: E402
from shopassist.auth.action_secret import ActionSecretError, action_secret  # noqa: E402
from shopassist.privacy import install_log_redaction  # noqa: E402
from shopassist.settings import Settings, SettingsError, get_settings  # noqa: E402

logger = logging.getLogger(__name__)

OPEN_PATHS = {"/health"}


def _authorised(request: Request, token: str) -> bool:
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(
        given.strip().encode(), token.encode()
    )


def build_app(
    actions: str = "actions", token: Optional[str] = None, settings: Optional[Settings] = None
) -> Sanic:
    """rasa-sdk's Sanic app for `actions`, requiring `token` (default: the settings'
    SHOPASSIST_ACTION_TOKEN) on every call; ActionSecretError if there is none (no open
    mode). `settings` default to the process's."""
    settings = settings or get_settings()
    token = action_secret(token if token is not None else settings.action_token)
    app = create_app(actions, cors_origins=[])

    @app.on_request
    async def require_token(request: Request):
        if request.path not in OPEN_PATHS and not _authorised(request, token):
            logger.warning("refused an action call without the shared secret")
            return response.json({"error": "unauthorised"}, status=401)

    @app.after_server_start
    async def warm_models(app, _loop):
        # In threads: loading a model and its prompt prefix, or the help pages' index, takes
        # seconds; /health and the actions answer meanwhile (with the template, until the
        # model is ready; a knowledge question waits for the index).
        import threading

        from shopassist.generation import factory, knowledge_answers

        threading.Thread(
            target=knowledge_answers.warm_up, name="knowledge-warm-up", daemon=True
        ).start()
        threading.Thread(
            target=factory.warm_up, args=(settings,), name="generator-warm-up", daemon=True
        ).start()

    @app.exception(Exception)
    async def failed(request: Request, exception: Exception):
        logger.error("action call failed: %s", request.path, exc_info=exception)
        return response.json({"error": "the action failed"}, status=500)

    return app


def main(argv: Optional[list] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    try:
        settings = get_settings()
    except SettingsError as error:
        parser.exit(2, f"action server: {error}\n")
    parser.add_argument("--host", default=settings.action_host)
    parser.add_argument("--port", type=int, default=topology.ACTIONS.port)
    parser.add_argument("--actions", default="actions")
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args(argv)

    install_log_redaction()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    try:
        app = build_app(args.actions, settings=settings)
    except ActionSecretError as error:
        parser.exit(2, f"action server: {error}\n")
    logger.info("action server listening on http://%s:%s", args.host, args.port)
    app.run(args.host, args.port, workers=args.workers, access_log=False)


if __name__ == "__main__":
    main()
