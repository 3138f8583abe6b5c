"""Rewrites the vendored schemas from the two wheels they come from (see README.md).

    pip download check-jsonschema==0.39.0 kubernetes-validate==1.37.0 --no-deps \
        --python-version 3.11 --only-binary=:all: -d WHEELS
    python tests/schemas/vendor.py WHEELS

Neither package is installed: both need a newer jsonschema than Rasa 3.6 allows, so the
test validates with the jsonschema the project already has. kubernetes-validate's shared
definitions are 1.8 MB; only those reachable from the kinds in KINDS are kept, unchanged.
"""

from __future__ import annotations

import json
import shutil
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
KUBERNETES_VERSION = "v1.37.0"
# Every kind deploy/kubernetes/ uses, named as kubernetes-validate names its files.
KINDS = [
    "configmap-v1",
    "deployment-apps-v1",
    "horizontalpodautoscaler-autoscaling-v2",
    "ingress-networking-v1",
    "job-batch-v1",
    "networkpolicy-networking-v1",
    "persistentvolumeclaim-v1",
    "poddisruptionbudget-policy-v1",
    "service-v1",
]
COMPOSE_SPEC = "check_jsonschema/builtin_schemas/vendor/compose-spec.json"
COMPOSE_LICENSE = "check_jsonschema/builtin_schemas/vendor/licenses/LICENSE.compose-spec"
# The strict variant forbids unknown fields, so a misspelt key fails instead of being ignored.
KUBERNETES_DIR = f"kubernetes_validate/kubernetes-json-schema/{KUBERNETES_VERSION}-local-strict"


def refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from refs(value)


def def_name(ref: str) -> str:
    return ref.split("#/$defs/", 1)[1]


def write_json(path: Path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def main(wheels: Path) -> None:
    (cj_wheel,) = wheels.glob("check_jsonschema-0.39.0-*.whl")
    (kv_wheel,) = wheels.glob("kubernetes_validate-1.37.0-*.whl")
    with zipfile.ZipFile(cj_wheel) as wheel:
        (HERE / "compose-spec.json").write_bytes(wheel.read(COMPOSE_SPEC))
        (HERE / "LICENSE-Apache-2.0.txt").write_bytes(wheel.read(COMPOSE_LICENSE))

    out = HERE / "kubernetes" / f"{KUBERNETES_VERSION}-strict"
    shutil.rmtree(out, ignore_errors=True)
    with zipfile.ZipFile(kv_wheel) as wheel:
        definitions = json.loads(wheel.read(f"{KUBERNETES_DIR}/_definitions.json"))
        wanted: set[str] = set()
        todo = []
        for kind in KINDS:
            schema = json.loads(wheel.read(f"{KUBERNETES_DIR}/{kind}.json"))
            write_json(out / f"{kind}.json", schema)
            todo += [def_name(ref) for ref in refs(schema)]
        while todo:
            name = todo.pop()
            if name not in wanted:
                wanted.add(name)
                todo += [def_name(ref) for ref in refs(definitions["$defs"][name])]
    definitions["$defs"] = {k: v for k, v in definitions["$defs"].items() if k in wanted}
    write_json(out / "_definitions.json", definitions)
    print(f"{len(KINDS)} kinds, {len(wanted)} definitions written to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
