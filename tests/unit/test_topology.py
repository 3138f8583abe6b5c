"""The places that start ShopAssist's processes agree with shopassist/topology.py.

shopassist.cluster and tests/servers.py build their commands from it; the files that cannot
import Python are read here: scripts/run.sh, endpoints.yml, the images (deploy/*Dockerfile),
deploy/compose.yaml, deploy/haproxy.cfg and deploy/kubernetes/. A port, a command or a
health path changed in one of them and not in the declaration fails here.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Dict, List

import pytest
import yaml

from shopassist import topology
from shopassist.topology import ACTIONS, CONSOLE, LLM_SERVER, PROXY, RASA

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
# Containers listen on every interface of their own network namespace.
EVERYWHERE = "0.0.0.0"
# The command each server runs in the images, as compose and Kubernetes write it.
IMAGE_COMMANDS = {
    RASA.name: topology.rasa_command("models"),
    ACTIONS.name: topology.server_command(ACTIONS, host=EVERYWHERE),
    CONSOLE.name: topology.server_command(CONSOLE, host=EVERYWHERE),
    LLM_SERVER.name: ["python", *LLM_SERVER.start],  # settings from the image's ENV
}
SERVERS = {service.name: service for service in (RASA, ACTIONS, CONSOLE, LLM_SERVER)}


# --- reading ---------------------------------------------------------------------------------


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))


def compose_command(service: dict) -> List[str]:
    command = service.get("command") or []
    return shlex.split(command) if isinstance(command, str) else [str(a) for a in command]


def compose_default(value: object) -> str:
    """A compose value with nothing set in deploy/.env: ${NAME:-default} -> default."""
    return re.sub(r"\$\{[A-Za-z_]\w*:-([^}]*)\}", r"\1", str(value))


def compose_services_running(command: List[str]) -> Dict[str, dict]:
    return {
        name: service
        for name, service in compose()["services"].items()
        if compose_command(service) == command
    }


def kubernetes(kind: str) -> Dict[str, dict]:
    """name -> document, over deploy/kubernetes/ and its optional folders."""
    found = {}
    for path in sorted((DEPLOY / "kubernetes").rglob("*.y*ml")):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if doc and doc["kind"] == kind:
                found[doc["metadata"]["name"]] = doc
    return found


def dockerfile(name: str) -> List[str]:
    """Instructions, continuation lines joined."""
    text = (DEPLOY / name).read_text(encoding="utf-8").replace("\\\n", " ")
    return [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]


def run_script() -> str:
    return (ROOT / "scripts" / "run.sh").read_text(encoding="utf-8").replace("\\\n", " ")


def run_script_ports() -> Dict[str, str]:
    """NAME -> its default, for `NAME=5055` and `NAME=${OTHER:-5055}`."""
    return dict(re.findall(r"^\s*([A-Z_]+)=(?:\$\{\w+:-)?(\d+)\}?", run_script(), flags=re.M))


def run_script_commands(*start: str) -> List[List[str]]:
    """The commands of run.sh that begin with the words `start`, port variables filled in."""
    ports = run_script_ports()
    found = []
    for line in run_script().splitlines():
        try:
            words = shlex.split(line, comments=True)
        except ValueError:  # quotes within $(...): not a command line of a server
            continue
        begins = [i for i in range(len(words)) if tuple(words[i : i + len(start)]) == start]
        if not begins:
            continue
        words = words[begins[0] :]
        end = next((i for i, w in enumerate(words) if w[0] in "&|;>" or w[:2] == "2>"), None)
        found.append([ports.get(w[1:], w) if w.startswith("$") else w for w in words[:end]])
    return found


# --- the declaration -------------------------------------------------------------------------


def test_the_declaration_is_whole():
    ports = [s.port for s in (RASA, ACTIONS, CONSOLE, LLM_SERVER, PROXY)]
    assert len(set(ports)) == len(ports), "two processes on one port"
    assert all(s.health.startswith("/") for s in SERVERS.values())
    assert topology.action_url() == f"http://127.0.0.1:{ACTIONS.port}/webhook"
    assert RASA.health_url("localhost", 1) == "http://localhost:1/"


# --- kubernetes ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SERVERS))
def test_kubernetes_runs_each_server_as_declared(name):
    service = SERVERS[name]
    deployment = kubernetes("Deployment")[name]
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    command = [str(a) for a in container.get("command", []) + container.get("args", [])]
    assert command == IMAGE_COMMANDS[name]
    (port,) = container["ports"]
    assert port["containerPort"] == service.port
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"] == {"path": service.health, "port": port["name"]}
    (front,) = kubernetes("Service")[name]["spec"]["ports"]
    assert (front["port"], front["targetPort"]) == (service.port, port["name"])


def test_kubernetes_settings_name_the_declared_services():
    (config,) = [doc["data"] for doc in kubernetes("ConfigMap").values()]
    assert config["SHOPASSIST_ACTION_URL"] == topology.action_url(ACTIONS.name)
    assert config["SHOPASSIST_RASA_URL"] == f"http://{RASA.name}:{RASA.port}"
    assert config["SHOPASSIST_LLM_URL"] == f"http://{LLM_SERVER.name}:{LLM_SERVER.port}/v1"
    (ingress,) = kubernetes("Ingress").values()
    routed = {
        path["backend"]["service"]["name"]
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
    }
    assert routed == {RASA.name, CONSOLE.name}


# --- compose ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(SERVERS))
def test_compose_runs_each_server_as_declared(name):
    service = SERVERS[name]
    found = compose_services_running(IMAGE_COMMANDS[name])
    assert found, f"no compose service runs {IMAGE_COMMANDS[name]}"
    for compose_name, entry in found.items():
        check = " ".join(str(word) for word in entry["healthcheck"]["test"])
        assert re.findall(r"http://[^\s'\"]+", check) == [service.health_url()], compose_name
    published = [str(p).rsplit(":", 1)[1] for s in found.values() for p in s.get("ports", [])]
    assert all(port == str(service.port) for port in published), published


def test_compose_proxy_forwards_to_the_declared_ports():
    services = compose()["services"]
    rasa = sorted(compose_services_running(IMAGE_COMMANDS[RASA.name]))
    actions = sorted(compose_services_running(IMAGE_COMMANDS[ACTIONS.name]))
    (proxy,) = [s for s in services.values() if str(s.get("image", "")).startswith("haproxy:")]
    env = proxy["environment"]
    assert env["SHOPASSIST_PROXY_BIND"] == f"{EVERYWHERE}:{PROXY.port}"
    assert [env[f"SHOPASSIST_RASA_{i}"] for i in (1, 2)] == [f"{n}:{RASA.port}" for n in rasa]
    assert [env[f"SHOPASSIST_ACTIONS_{i}"] for i in (1, 2)] == [
        f"{n}:{ACTIONS.port}" for n in actions
    ]
    actions_host, actions_port = env["SHOPASSIST_ACTIONS_BIND"].rsplit(":", 1)
    assert int(actions_port) == ACTIONS.port
    assert [str(p).rsplit(":", 1)[1] for p in proxy["ports"]] == [str(PROXY.port)]
    assert f"/dev/tcp/127.0.0.1/{PROXY.port}" in " ".join(proxy["healthcheck"]["test"])
    config = Path(topology.HAPROXY_CONFIG).name
    assert any(str(v).startswith(f"./{config}:") for v in proxy["volumes"])
    # Who calls the proxy calls it there.
    for name in rasa:
        assert services[name]["environment"]["SHOPASSIST_ACTION_URL"] == topology.action_url(
            actions_host
        )
    proxy_name = next(n for n, s in services.items() if s is proxy)
    (console,) = compose_services_running(IMAGE_COMMANDS[CONSOLE.name]).values()
    assert console["environment"]["SHOPASSIST_RASA_URL"] == f"http://{proxy_name}:{PROXY.port}"
    for name in actions:
        env = services[name]["environment"]
        assert env["SHOPASSIST_DRAFT_URL"] == f"http://{proxy_name}:{PROXY.port}"
        llm = next(iter(compose_services_running(IMAGE_COMMANDS[LLM_SERVER.name])))
        assert compose_default(env["SHOPASSIST_LLM_URL"]) == f"http://{llm}:{LLM_SERVER.port}/v1"


def test_haproxy_checks_the_declared_health_paths():
    text = (ROOT / topology.HAPROXY_CONFIG).read_text(encoding="utf-8")
    checks = dict(re.findall(r"^backend (\w+)\n(?:.*\n)*?\s+option httpchk GET (\S+)", text, re.M))
    assert checks == {"rasa": RASA.health, "actions": ACTIONS.health}


# --- images ----------------------------------------------------------------------------------


def test_the_images_expose_and_start_the_declared_servers():
    instructions = dockerfile("Dockerfile")
    (expose,) = [line.split()[1:] for line in instructions if line.startswith("EXPOSE ")]
    assert sorted(map(int, expose)) == sorted([RASA.port, ACTIONS.port, CONSOLE.port])
    (cmd,) = [line for line in instructions if line.startswith("CMD ")]
    assert yaml.safe_load(cmd[len("CMD ") :]) == IMAGE_COMMANDS[RASA.name]
    llm = dockerfile("llm-server.Dockerfile")
    assert f"PORT={LLM_SERVER.port}" in " ".join(llm).split()
    assert f"EXPOSE {LLM_SERVER.port}" in llm
    (cmd,) = [line for line in llm if line.startswith("CMD ")]
    assert yaml.safe_load(cmd[len("CMD ") :]) == IMAGE_COMMANDS[LLM_SERVER.name]


# --- make run --------------------------------------------------------------------------------


def test_run_script_starts_the_servers_on_the_declared_ports():
    ports = run_script_ports()
    assert ports == {
        "RASA_PORT": str(RASA.port),
        "ACTIONS_PORT": str(ACTIONS.port),
        "CONSOLE_PORT": str(CONSOLE.port),
    }
    python = ".venv/bin/python"
    assert run_script_commands(python, *ACTIONS.start) == [topology.server_command(ACTIONS, python)]
    assert run_script_commands(python, *CONSOLE.start) == [topology.server_command(CONSOLE, python)]
    assert run_script_commands(python, *RASA.start) == [
        topology.rasa_command("$model", python, endpoints=topology.LOCAL_ENDPOINTS)
    ]
    (shell,) = run_script_commands(".venv/bin/rasa", "shell")
    assert shell[shell.index("--port") + 1] == str(RASA.port)
    assert shell[shell.index("--endpoints") + 1] == topology.LOCAL_ENDPOINTS
    (health,) = re.findall(r'curl -sf "([^"]+)"', run_script())
    assert health.replace("$ACTIONS_PORT", ports["ACTIONS_PORT"]) == ACTIONS.health_url("localhost")


def test_local_endpoints_call_the_action_server_where_it_listens():
    endpoints = yaml.safe_load((ROOT / topology.LOCAL_ENDPOINTS).read_text(encoding="utf-8"))
    assert endpoints["action_endpoint"]["url"] == topology.action_url("localhost")


def test_llm_server_script_listens_on_the_declared_port():
    text = (ROOT / "scripts" / "llm-server.sh").read_text(encoding="utf-8")
    assert re.findall(r"^port=\$\{\w+:-(\d+)\}$", text, flags=re.M) == [str(LLM_SERVER.port)]
    assert f'python" -m {LLM_SERVER.start[1]} ' in text
