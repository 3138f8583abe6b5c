"""ShopAssist as a small production cluster on one machine (`make run-cluster`).

Two Rasa servers and two action servers on loopback behind HAProxy (deploy/haproxy.cfg),
configured exactly as in production: deploy/endpoints.production.yml filled from the
environment, conversations in PostgreSQL, locks in Redis, events to RabbitMQ, the Rasa API
behind a token, the action servers behind a shared secret and bound to 127.0.0.1.

    python -m shopassist.cluster [--port 5005] [--console-port 5002]

The tests and the benchmarks start it the same way (`Cluster`), each with databases, lock
prefix and queue of their own.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional
from urllib.parse import urlsplit

import requests

from shopassist import topology
from shopassist.settings import get_settings

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen, log: Path, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{log.stem} exited early; its log:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url, timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError(f"{url} not up after {seconds} s; log:\n{log.read_text()[-3000:]}")


def create_database(admin_url: str, name: str) -> str:
    """Creates PostgreSQL database `name` if missing; returns its URL."""
    from sqlalchemy import create_engine, text

    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT", future=True)
    try:
        with engine.connect() as connection:
            exists = connection.execute(
                text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).scalar()
            if not exists:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()
    return admin_url.rsplit("/", 1)[0] + f"/{name}"


def drop_database(admin_url: str, name: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT", future=True)
    try:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        engine.dispose()


@dataclass
class Process:
    name: str
    command: List[str]
    env: Dict[str, str]
    log: Path
    health: str
    popen: Optional[subprocess.Popen] = None

    def start(self) -> None:
        self.popen = subprocess.Popen(
            self.command, cwd=ROOT, env=self.env, stdout=self.log.open("a"),
            stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

    def wait(self, seconds: float = 300) -> None:
        wait_until_up(self.health, self.popen, self.log, seconds)

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.popen and self.popen.poll() is None:
            self.popen.send_signal(sig)
            try:
                self.popen.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()

    def kill(self) -> None:
        """Stops it at once, mid-request, as a crash or an OOM kill would."""
        self.stop(signal.SIGKILL)


@dataclass
class Cluster:
    """The processes of a loopback cluster; `start()` returns once all answer."""

    workdir: Path
    model: Path
    tracker_db: str  # SQLAlchemy URL of an existing PostgreSQL database
    shop_db: str  # SQLAlchemy URL of the order database (migrated and seeded)
    rasa_servers: int = 2
    action_servers: int = 2
    port: int = 0  # the proxy's port for customers (0: a free one)
    console_port: Optional[int] = None  # start the web app and console too
    lock_prefix: str = field(default_factory=lambda: "shopassist" + secrets.token_hex(4))
    event_queue: str = field(default_factory=lambda: "shopassist_events_" + secrets.token_hex(4))
    redis_host: str = "127.0.0.1"
    redis_port: int = 6379
    rabbitmq_host: str = "127.0.0.1"
    extra_env: Dict[str, str] = field(default_factory=dict)
    rasa_token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    action_token: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    token_secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    session_secret: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    rasa: List[Process] = field(default_factory=list)
    actions: List[Process] = field(default_factory=list)
    proxy: Optional[Process] = None
    console: Optional[Process] = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def environment(self) -> Dict[str, str]:
        tracker = urlsplit(self.tracker_db)
        # The cluster's own token, not one a file named in the caller's environment holds.
        inherited = {k: v for k, v in os.environ.items() if k != "SHOPASSIST_RASA_TOKEN_FILE"}
        return {
            **inherited,
            "PYTHONPATH": str(ROOT),
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "SHOPASSIST_DB_URL": self.shop_db,
            "SHOPASSIST_TOKEN_SECRET": self.token_secret,
            "SHOPASSIST_SESSION_SECRET": self.session_secret,  # chat sessions, any server
            "SHOPASSIST_RASA_TOKEN": self.rasa_token,
            "SHOPASSIST_ACTION_TOKEN": self.action_token,
            "SHOPASSIST_TRACKER_DB_HOST": tracker.hostname or "127.0.0.1",
            "SHOPASSIST_TRACKER_DB_PORT": str(tracker.port or 5432),
            "SHOPASSIST_TRACKER_DB_NAME": tracker.path.lstrip("/"),
            "SHOPASSIST_TRACKER_DB_USER": tracker.username or "postgres",
            "SHOPASSIST_TRACKER_DB_PASSWORD": tracker.password or "",
            "SHOPASSIST_TRACKER_DB_URL": self.tracker_db,
            "SHOPASSIST_REDIS_HOST": self.redis_host,
            "SHOPASSIST_REDIS_PORT": str(self.redis_port),
            "SHOPASSIST_REDIS_PASSWORD": "",
            "SHOPASSIST_REDIS_DB": "1",
            "SHOPASSIST_LOCK_PREFIX": self.lock_prefix,
            "SHOPASSIST_RABBITMQ_HOST": self.rabbitmq_host,
            "SHOPASSIST_RABBITMQ_USER": "guest",
            "SHOPASSIST_RABBITMQ_PASSWORD": "guest",
            "SHOPASSIST_EVENT_QUEUE": self.event_queue,
            # socket.io rooms shared by the Rasa servers (takeover replies from any server)
            "SHOPASSIST_SOCKETIO_REDIS_URL": f"redis://{self.redis_host}:{self.redis_port}/1",
            "SHOPASSIST_SOCKETIO_CHANNEL": f"{self.lock_prefix}-socketio",
            # A dead server's lock on a conversation expires after this many seconds
            # (Rasa's default is 60); longer than any turn, which the LLM timeout bounds.
            "TICKET_LOCK_LIFETIME": "20",
            **self.extra_env,
        }

    def _plan(self) -> None:
        env = self.environment()
        self.port = self.port or free_port()
        actions_port = free_port()
        env["SHOPASSIST_ACTION_URL"] = topology.action_url(port=actions_port)
        for i in range(1, self.action_servers + 1):
            port = free_port()
            self.actions.append(Process(
                f"actions{i}",
                topology.server_command(topology.ACTIONS, str(BIN / "python"), port),
                env, self.workdir / f"actions{i}.log", topology.ACTIONS.health_url(port=port),
            ))  # fmt: skip
        # Customers reach the Rasa servers through HAProxy, which forwards their address.
        rasa_env = {"SHOPASSIST_TRUSTED_PROXIES": "1", **env}
        for i in range(1, self.rasa_servers + 1):
            port = free_port()
            self.rasa.append(Process(
                f"rasa{i}",
                # shopassist.serve: the API token from the environment, on no command line
                topology.rasa_command(self.model, str(BIN / "python"), port,
                                      interface="127.0.0.1", root=ROOT),
                rasa_env, self.workdir / f"rasa{i}.log", topology.RASA.health_url(port=port),
            ))  # fmt: skip
        proxy_env = {
            **env,
            "SHOPASSIST_PROXY_BIND": f"127.0.0.1:{self.port}",
            "SHOPASSIST_ACTIONS_BIND": f"127.0.0.1:{actions_port}",
        }
        # The configuration names two of each; a one-server cluster lists its server twice.
        for kind, processes in (("RASA", self.rasa), ("ACTIONS", self.actions)):
            for i in (1, 2):
                health = urlsplit(processes[min(i, len(processes)) - 1].health)
                proxy_env[f"SHOPASSIST_{kind}_{i}"] = health.netloc
        self.proxy = Process(
            "haproxy", topology.proxy_command(ROOT), proxy_env, self.workdir / "haproxy.log",
            topology.PROXY.health_url(port=self.port),
        )  # fmt: skip
        if self.console_port:
            console_env = {
                **env,
                "SHOPASSIST_RASA_URL": self.url,
                "SHOPASSIST_SOCKET_URL": f"http://localhost:{self.port}",
            }
            self.console = Process(
                "console",
                topology.server_command(topology.CONSOLE, str(BIN / "python"), self.console_port),
                console_env, self.workdir / "console.log",
                topology.CONSOLE.health_url(port=self.console_port),
            )  # fmt: skip

    @property
    def processes(self) -> List[Process]:
        extra = [p for p in (self.proxy, self.console) if p]
        return [*self.actions, *self.rasa, *extra]

    def start(self) -> Cluster:
        self.workdir.mkdir(parents=True, exist_ok=True)
        self._plan()
        for process in self.processes:
            process.start()
        for process in self.processes:
            process.wait()
        return self

    def stop(self) -> None:
        # Customers' door first, then Rasa, then the actions Rasa calls.
        for process in reversed(self.processes):
            process.stop()

    def __enter__(self) -> Cluster:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()


def main(argv: Optional[list] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True)
    settings = get_settings()
    parser.add_argument("--port", type=int, default=settings.rasa_port)
    parser.add_argument("--console-port", type=int, default=topology.CONSOLE.port)
    parser.add_argument("--pg-admin-url", default=settings.pg_admin_url)
    args = parser.parse_args(argv)

    from shopassist.store.manage import ensure

    tracker_db = create_database(args.pg_admin_url, "shopassist_trackers")
    shop_db = create_database(args.pg_admin_url, "shopassist")
    ensure(shop_db)
    subprocess.run(
        [str(BIN / "python"), "-m", "shopassist.console.accounts", "first-user",
         str(ROOT / "var/console-admin-password")],
        env={**os.environ, "SHOPASSIST_DB_URL": shop_db}, check=True,
    )  # fmt: skip
    cluster = Cluster(
        workdir=ROOT / "logs" / "cluster", model=Path(args.model), tracker_db=tracker_db,
        shop_db=shop_db, port=args.port, console_port=args.console_port,
        lock_prefix="shopassist", event_queue="shopassist_events",
        rasa_token=settings.rasa_token or secrets.token_urlsafe(32),
        # The demo's sign-in, unless the caller turned it off.
        extra_env={"SHOPASSIST_DEMO_LOGIN": "0" if settings.demo_login is False else "1"},
    )  # fmt: skip
    print(f"cluster: starting 2 action and 2 Rasa servers, HAProxy (logs: {cluster.workdir})")
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # stop the children too
    with cluster:
        print(f"cluster: customers' address (REST, socket.io): {cluster.url}")
        print(f"cluster: shop page and console: http://localhost:{args.console_port}/")
        print("cluster: Ctrl-C stops it.")
        try:
            signal.pause()
        except KeyboardInterrupt:
            pass
    print("cluster: stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
