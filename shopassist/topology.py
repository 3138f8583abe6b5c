"""The processes ShopAssist runs: each one's name, port, command and health URL, declared once.

`shopassist.cluster` and the tests' servers (tests/servers.py) build their commands and
health checks from here. scripts/run.sh, the image (deploy/Dockerfile), deploy/compose.yaml,
deploy/haproxy.cfg and deploy/kubernetes/ cannot import Python: tests/unit/test_topology.py
reads them and fails where they say otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import List, Optional, Tuple


@dataclass(frozen=True)
class Service:
    name: str  # as deploy/kubernetes names its Deployment and Service
    port: int  # where it listens unless told otherwise
    health: str  # the path that answers 200 once it serves
    start: Tuple[str, ...]  # its command, after the program that runs it

    def health_url(self, host: str = "127.0.0.1", port: Optional[int] = None) -> str:
        return f"http://{host}:{port or self.port}{self.health}"


# The Rasa server listens once its model is loaded: its root answers then.
RASA = Service("rasa", 5005, "/", ("-m", "shopassist.serve", "run"))
ACTIONS = Service("action-server", 5055, "/health", ("-m", "shopassist.action_server"))
CONSOLE = Service("console", 5002, "/", ("-m", "shopassist.console"))  # the shop page too
# llama.cpp's OpenAI-compatible server, optional; its image sets the port (PORT).
LLM_SERVER = Service("llm-server", 8000, "/v1/models", ("-m", "llama_cpp.server"))
# HAProxy in front of two Rasa and two action servers: customers come in on `port`, and its
# root is a Rasa server's. Rasa calls its actions on the proxy's actions frontend, which
# listens on ACTIONS.port, so that the action URL keeps the action server's port.
PROXY = Service("proxy", 8080, "/", ("-db", "-f"))

# Where Rasa posts the actions to run (endpoints.yml: action_endpoint).
ACTION_WEBHOOK = "/webhook"
# Files the Rasa server starts with, relative to the project's root.
CREDENTIALS = "credentials.yml"
LOCAL_ENDPOINTS = "endpoints.yml"
PRODUCTION_ENDPOINTS = "deploy/endpoints.production.yml"
LOGGING_CONFIG = "deploy/logging.yml"
HAPROXY_CONFIG = "deploy/haproxy.cfg"


def action_url(host: str = "127.0.0.1", port: Optional[int] = None) -> str:
    return f"http://{host}:{port or ACTIONS.port}{ACTION_WEBHOOK}"


def server_command(
    service: Service, python: str = "python", port: Optional[int] = None, host: str = ""
) -> List[str]:
    """The action server's or the console's command: `python -m <module> [--host] --port`."""
    host_args = ["--host", host] if host else []
    return [python, *service.start, *host_args, "--port", str(port or service.port)]


def rasa_command(
    model: str | Path,
    python: str = "python",
    port: Optional[int] = None,
    endpoints: str | Path = PRODUCTION_ENDPOINTS,
    interface: str = "",
    cors: str = "",
    logging_config: Optional[str | Path] = LOGGING_CONFIG,
    root: Optional[Path] = None,
) -> List[str]:
    """`rasa run` through shopassist.serve, which hands Rasa its API token from the
    environment inside the process, so that it is on no command line.

    The files are named relative to `root` when given (absolute paths stay as they are)."""

    def file(name: str | Path) -> str:
        return str(root / name) if root else str(name)

    command = [python, *RASA.start, "--model", str(model), "--port", str(port or RASA.port)]
    command += ["--interface", interface] if interface else []
    command += ["--enable-api"]
    command += ["--cors", cors] if cors else []
    command += ["--credentials", file(CREDENTIALS), "--endpoints", file(endpoints)]
    command += ["--logging-config-file", file(logging_config)] if logging_config else []
    return command


def proxy_command(root: Optional[Path] = None) -> List[str]:
    """HAProxy in the foreground with the project's configuration."""
    return ["haproxy", *PROXY.start, str(root / HAPROXY_CONFIG) if root else HAPROXY_CONFIG]
