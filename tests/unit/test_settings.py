"""One settings object: every variable read once, checked, documented from the same place."""

import ast
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from shopassist import settings as config
from shopassist.settings import Settings, SettingsError, get_settings, read

ROOT = Path(__file__).resolve().parents[2]


def test_the_defaults_are_what_make_run_needs():
    settings = read({})
    assert settings.db_url == f"sqlite:///{ROOT / 'var' / 'shopassist.sqlite3'}"
    assert settings.tracker_db_url == f"sqlite:///{ROOT / 'var' / 'trackers.db'}"
    assert (settings.generator, settings.role_backend) == ("template", "embedded")
    assert (settings.llm_timeout, settings.llm_concurrency, settings.llm_threads) == (4, 2, 1)
    assert settings.db_busy_timeout == 5 and settings.new_conversations_per_minute == 30
    assert settings.identity_failures_per_client == 6
    assert settings.identity_free_failures_per_target == 3
    assert settings.trusted_proxies == 0 and settings.today is None
    assert settings.stream_drafts and not settings.demo_login
    assert settings.draft_target == settings.rasa_url == "http://localhost:5005"
    assert settings.origins == ["http://localhost:5002", "http://127.0.0.1:5002"]
    assert settings.model_cache == Path.home() / ".cache/shopassist/models"
    assert settings.knowledge_cache == ROOT / "var/knowledge"
    assert settings.api_token() == ""


def test_values_are_typed_and_an_empty_variable_is_an_unset_one(tmp_path):
    token = tmp_path / "token"
    token.write_text("from-a-file\n")
    settings = read(
        {
            "SHOPASSIST_TODAY": "2030-02-28",
            "SHOPASSIST_LLM_TIMEOUT": "0.5",
            "SHOPASSIST_GENERATOR": " Choose ",
            "SHOPASSIST_STREAM_DRAFTS": "off",
            "SHOPASSIST_RASA_URL": "http://rasa:5005/",
            "SHOPASSIST_ALLOWED_ORIGINS": "https://a.example, https://b.example",
            "SHOPASSIST_RASA_TOKEN": "ignored",
            "SHOPASSIST_RASA_TOKEN_FILE": str(token),
            "SHOPASSIST_LLM_THREADS": "",
            "SHOPASSIST_TRUSTED_PROXIES": "  ",
        }
    )
    assert settings.today == date(2030, 2, 28) and settings.llm_timeout == 0.5
    assert settings.generator == "choose" and settings.stream_drafts is False
    assert settings.draft_target == "http://rasa:5005"
    assert settings.origins == ["https://a.example", "https://b.example"]
    assert settings.api_token() == "from-a-file"
    assert settings.llm_threads == 1 and settings.trusted_proxies == 0


@pytest.mark.parametrize(
    "variable, value, says",
    [
        ("SHOPASSIST_GENERATOR", "gpt", "SHOPASSIST_GENERATOR='gpt' is not a known backend"),
        ("SHOPASSIST_ROLE_BACKEND", "gpu", "SHOPASSIST_ROLE_BACKEND='gpu': choose one of"),
        ("SHOPASSIST_LLM_CONCURRENCY", "two", "SHOPASSIST_LLM_CONCURRENCY='two': value is not"),
        ("SHOPASSIST_LLM_CONCURRENCY", "0", "SHOPASSIST_LLM_CONCURRENCY must be at least 1"),
        ("SHOPASSIST_LLM_TIMEOUT", "0", "SHOPASSIST_LLM_TIMEOUT must be a positive number"),
        ("SHOPASSIST_DB_BUSY_TIMEOUT", "soon", "SHOPASSIST_DB_BUSY_TIMEOUT='soon'"),
        ("SHOPASSIST_DB_BUSY_TIMEOUT", "-1", "SHOPASSIST_DB_BUSY_TIMEOUT must be a positive"),
        ("SHOPASSIST_TODAY", "23/11/2026", "SHOPASSIST_TODAY must be a date such as"),
        ("SHOPASSIST_TRUSTED_PROXIES", "11", "SHOPASSIST_TRUSTED_PROXIES must be the number"),
        ("SHOPASSIST_CONSOLE_PORT", "70000", "SHOPASSIST_CONSOLE_PORT must be a port"),
        ("SHOPASSIST_STREAM_DRAFTS", "maybe", "SHOPASSIST_STREAM_DRAFTS='maybe'"),
        ("SHOPASSIST_DATA_KEY_FILE", "/no/such/file", "SHOPASSIST_DATA_KEY_FILE='/no/such/file'"),
        (
            "SHOPASSIST_NEW_CONVERSATIONS_PER_MINUTE",
            "-5",
            "SHOPASSIST_NEW_CONVERSATIONS_PER_MINUTE must",
        ),
    ],
)
def test_a_wrong_value_is_an_error_that_names_the_variable(variable, value, says):
    with pytest.raises(SettingsError, match="^" + "".join(f"[{c}]" for c in says)):
        read({variable: value})


@pytest.mark.parametrize("generator", ["choose", "rephrase"])
def test_a_role_on_the_endpoint_without_its_url_or_model_is_an_error(generator):
    role = {"SHOPASSIST_GENERATOR": generator, "SHOPASSIST_ROLE_BACKEND": "openai"}
    for missing in (
        {},
        {"SHOPASSIST_LLM_URL": "http://gpu:8000/v1"},
        {"SHOPASSIST_LLM_MODEL": "m"},
    ):
        with pytest.raises(SettingsError, match="SHOPASSIST_LLM_URL .* and SHOPASSIST_LLM_MODEL"):
            read({**role, **missing})
    complete = {"SHOPASSIST_LLM_URL": "http://gpu:8000/v1/", "SHOPASSIST_LLM_MODEL": "m"}
    assert read({**role, **complete}).llm_url == "http://gpu:8000/v1"
    # The role in the action server, or the template, needs no endpoint.
    assert read({"SHOPASSIST_GENERATOR": generator}).role_backend == "embedded"
    assert read({"SHOPASSIST_ROLE_BACKEND": "openai"}).generator == "template"


@pytest.mark.parametrize("variable", ["SHOPASSIST_TONE", "SHOPASSIST_SUMMARY"])
def test_the_tone_and_summary_roles_are_the_templates_unless_switched_on(variable):
    field = variable.removeprefix("SHOPASSIST_").lower()
    assert getattr(read({}), field) == "template"
    assert getattr(read({variable: " Model "}), field) == "model"
    with pytest.raises(SettingsError, match=f"{variable}='llm': choose one of template, model"):
        read({variable: "llm"})
    # In the action server by default: no endpoint needed.
    assert read({variable: "model"}).role_backend == "embedded"
    on_endpoint = {variable: "model", "SHOPASSIST_ROLE_BACKEND": "openai"}
    with pytest.raises(
        SettingsError,
        match=f"{variable}=model with SHOPASSIST_ROLE_BACKEND=openai runs on an OpenAI-compatible "
        "endpoint: set SHOPASSIST_LLM_URL .* and SHOPASSIST_LLM_MODEL",
    ):
        read({**on_endpoint, "SHOPASSIST_LLM_MODEL": "m"})
    complete = {"SHOPASSIST_LLM_URL": "http://gpu:8000/v1", "SHOPASSIST_LLM_MODEL": "m"}
    assert getattr(read({**on_endpoint, **complete}), field) == "model"
    # Switched off, the role needs no endpoint wherever roles run.
    assert read({variable: "template", "SHOPASSIST_ROLE_BACKEND": "openai"}).role_backend


def test_both_roles_on_an_endpoint_it_lacks_are_named_together():
    both = {
        "SHOPASSIST_TONE": "model",
        "SHOPASSIST_SUMMARY": "model",
        "SHOPASSIST_ROLE_BACKEND": "openai",
    }
    with pytest.raises(
        SettingsError, match="SHOPASSIST_TONE=model and SHOPASSIST_SUMMARY=model with"
    ):
        read(both)


def test_the_openai_generator_without_its_endpoint_is_an_error():
    with pytest.raises(SettingsError, match="SHOPASSIST_GENERATOR=openai runs on an"):
        read({"SHOPASSIST_GENERATOR": "openai", "SHOPASSIST_LLM_MODEL": "m"})


ROLE_WITHOUT_ENDPOINT = {"SHOPASSIST_GENERATOR": "rephrase", "SHOPASSIST_ROLE_BACKEND": "openai"}


def without_endpoint(monkeypatch):
    for name, value in ROLE_WITHOUT_ENDPOINT.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SHOPASSIST_LLM_URL", raising=False)


def test_the_action_server_does_not_start_with_a_role_on_an_endpoint_it_lacks(monkeypatch):
    """Before, it started and every turn's get_generator raised; now it stops at start."""
    env = {**os.environ, **ROLE_WITHOUT_ENDPOINT, "PYTHONPATH": str(ROOT)}
    env.pop("SHOPASSIST_LLM_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "shopassist.action_server", "--port", "5999"],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr[-2000:]
    assert "action server: SHOPASSIST_GENERATOR=rephrase with SHOPASSIST_ROLE_BACKEND=openai" in (
        done.stderr
    )
    assert "SHOPASSIST_LLM_URL" in done.stderr and "Traceback" not in done.stderr


def test_the_rasa_server_and_the_console_stop_at_start_on_a_wrong_value(monkeypatch, capsys):
    from shopassist import serve
    from shopassist.console import __main__ as console

    without_endpoint(monkeypatch)
    monkeypatch.setattr(sys, "argv", ["shopassist.serve", "run"])
    with pytest.raises(SystemExit) as stopped:
        serve.main()
    assert "SHOPASSIST_LLM_URL" in str(stopped.value.code) and sys.argv[0] == "shopassist.serve"
    monkeypatch.setenv("SHOPASSIST_CONSOLE_SESSION_MINUTES", "a day")
    with pytest.raises(SystemExit) as stopped:
        console.main([])
    assert stopped.value.code == 2
    assert "SHOPASSIST_CONSOLE_SESSION_MINUTES='a day'" in capsys.readouterr().err


def test_the_settings_are_read_once_and_again_after_a_change_in_a_test(monkeypatch):
    monkeypatch.setenv("SHOPASSIST_LLM_THREADS", "3")
    first = get_settings()
    assert first.llm_threads == 3 and get_settings() is first
    monkeypatch.setenv("SHOPASSIST_LLM_THREADS", "2")  # the fixture reads them again
    assert get_settings().llm_threads == 2
    with pytest.raises(TypeError):
        get_settings().llm_threads = 4  # nothing changes them after the reading
    os.environ["SHOPASSIST_LLM_THREADS"] = "5"  # by hand: unseen until read again
    assert get_settings().llm_threads == 2 and config.reload().llm_threads == 5


def test_the_generator_backends_are_the_ones_the_settings_accept():
    from shopassist.generation import factory

    assert set(factory.BACKENDS) == set(config.GENERATORS)
    assert set(factory.REMOTE_ROLES) == set(config.ROLE_GENERATORS)


def test_the_documented_table_is_the_settings_module():
    documented = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert documented == config.markdown(), (
        "docs/configuration.md is stale: python -m shopassist.settings --markdown > "
        "docs/configuration.md"
    )
    for name in Settings.__fields__:
        assert f"| `{config.env_name(name)}` |" in documented
    assert "](docs/configuration.md)" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_the_command_checks_the_environment(capsys):
    assert config.main([]) == 0
    assert "SHOPASSIST_GENERATOR=template" in capsys.readouterr().out
    assert config.main(["--markdown"]) == 0
    assert capsys.readouterr().out == config.markdown()


# --- no module but the settings module reads the environment --------------------------------

# Uses of os.environ that read no setting: a child process's environment, built from this
# one, and a variable set for a library before it loads.
ALLOWED = {
    "shopassist/action_server.py": {'os.environ.setdefault("USE_TF", "0")'},
    "shopassist/cluster.py": {"os.environ.items()", '{**os.environ, "SHOPASSIST_DB_URL": shop_db}'},
    "shopassist/nlu/encoder_export.py": {'dict(os.environ, USE_TF="0")'},
}


def environment_uses(path: Path) -> list:
    """The source of each expression of `path` that touches the environment."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    uses = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "os":
            uses += [f"from os import {a.name}" for a in node.names if "env" in a.name]
        if not (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id == "os"
            and node.attr in ("environ", "environb", "getenv", "getenvb")
        ):
            continue
        use = parents[node]
        if isinstance(use, ast.Attribute):  # os.environ.get(...), .items(), .setdefault(...)
            use = parents[use]
        uses.append(ast.get_source_segment(source, use))
    return uses


def test_no_module_but_the_settings_module_reads_the_environment():
    found = {}
    for folder in ("shopassist", "actions"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if relative == "shopassist/settings.py":
                continue
            uses = set(environment_uses(path)) - ALLOWED.get(relative, set())
            if uses:
                found[relative] = sorted(uses)
    assert found == {}, "read these through shopassist.settings (get_settings or a caller)"
    assert environment_uses(ROOT / "shopassist/settings.py")  # the scan does see reads


def test_the_scan_sees_every_way_of_reading(tmp_path):
    module = tmp_path / "m.py"
    module.write_text(
        "import os\nfrom os import getenv\n"
        "a = os.environ.get('A')\nb = os.environ['B']\nc = os.getenv('C')\nd = 'D' in os.environ\n"
    )
    assert sorted(environment_uses(module)) == [
        "'D' in os.environ",
        "from os import getenv",
        "os.environ.get('A')",
        "os.environ['B']",
        "os.getenv('C')",
    ]
