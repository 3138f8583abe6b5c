"""The Rasa server's secrets and CORS: from the environment, never on a command line."""

from pathlib import Path

from shopassist.serve import rasa_arguments

ROOT = Path(__file__).resolve().parents[2]


def test_the_api_token_comes_from_the_environment_or_a_file(tmp_path, monkeypatch):
    monkeypatch.delenv("SHOPASSIST_ALLOWED_ORIGINS", raising=False)
    args = rasa_arguments(["run", "--enable-api"], {"SHOPASSIST_RASA_TOKEN": "-s3cr3t"})
    assert args[-1] == "--auth-token=-s3cr3t"
    secret = tmp_path / "token"
    secret.write_text("from-a-file\n")
    args = rasa_arguments(["run"], {"SHOPASSIST_RASA_TOKEN_FILE": str(secret)})
    assert args[-1] == "--auth-token=from-a-file"
    assert rasa_arguments(["shell"], {"SHOPASSIST_RASA_TOKEN": "x"}) == ["shell"]


def test_cors_allows_the_shop_page_only(monkeypatch):
    monkeypatch.delenv("SHOPASSIST_ALLOWED_ORIGINS", raising=False)
    args = rasa_arguments(["run"], {})
    cors = args[args.index("--cors") + 1 :]
    assert cors == ["http://localhost:5002", "http://127.0.0.1:5002"]
    monkeypatch.setenv(
        "SHOPASSIST_ALLOWED_ORIGINS", "https://shop.example, https://www.shop.example"
    )
    args = rasa_arguments(["run"], {})
    assert args[args.index("--cors") + 1 :] == ["https://shop.example", "https://www.shop.example"]


def test_make_run_puts_no_secret_on_a_command_line_and_no_open_cors():
    script = (ROOT / "scripts" / "run.sh").read_text()
    assert "--auth-token" not in script
    assert '--cors "*"' not in script and "shopassist.serve run" in script
