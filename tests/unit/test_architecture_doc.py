"""docs/architecture.md names only files, folders and modules that exist."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "architecture.md"
TEXT = DOC.read_text(encoding="utf-8")

# A path: a word with a slash ending in a file name with an extension or in a folder's slash
# (routes such as /webhook start with one, addresses such as :8000/v1 have no extension).
PATH = re.compile(r"(?<![\w/:.-])([\w.*<>-]+/(?:[\w.*<>-]+/)*(?:[\w*<>-]+(?:\.[\w*]+)+)?)")
# A file of the repository's root named alone, such as config.yml.
ROOT_FILE = re.compile(r"`([\w-]+\.(?:yml|yaml|md|toml|txt|cfg))`")
MODULE = re.compile(r"(?<![\w/.])(shopassist(?:\.\w+)+)")
# Written when ShopAssist runs (git-ignored), and where the code names them.
RUNTIME = {
    "var/": ("shopassist/settings.py", "'var'"),
    "var/trackers.db": ("endpoints.yml", "var/trackers.db"),
    "var/shopassist.sqlite3": ("shopassist/settings.py", "'shopassist.sqlite3'"),
}


def named_paths() -> set:
    return {m.rstrip(".") for m in PATH.findall(TEXT) if "/" in m and not m.startswith("/")}


def test_the_doc_names_enough_paths_for_this_check_to_mean_something():
    assert len(named_paths()) >= 60
    assert "shopassist/generation/factory.py" in named_paths()
    assert "config.yml" in ROOT_FILE.findall(TEXT)


def test_every_path_in_the_doc_exists():
    missing = []
    for path in sorted(named_paths()):
        if path in RUNTIME:
            source, mention = RUNTIME[path]
            if mention not in (ROOT / source).read_text(encoding="utf-8"):
                missing.append(f"{path} (not named in {source})")
            continue
        base = DOC.parent if path.startswith("../") else ROOT
        pattern = re.sub(r"<[^>]*>", "*", path)
        found = list(base.glob(pattern.rstrip("/"))) if "*" in pattern else [base / path]
        if not any(p.exists() for p in found):
            missing.append(path)
    assert not missing, f"named in {DOC.name} but not in the repository: {missing}"


def test_every_root_file_and_module_in_the_doc_exists():
    missing = [name for name in ROOT_FILE.findall(TEXT) if not (ROOT / name).is_file()]
    for module in set(MODULE.findall(TEXT)):
        path = ROOT / Path(*module.split("."))
        if not (path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()):
            missing.append(module)
    assert not missing, f"named in {DOC.name} but not in the repository: {missing}"


def test_the_link_to_the_readme_lands_on_a_heading():
    heading = "How to add a sixth language"
    assert "../README.md#how-to-add-a-sixth-language" in TEXT
    assert f"\n## {heading}\n" in (ROOT / "README.md").read_text(encoding="utf-8")
