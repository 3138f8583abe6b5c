"""The Rasa server's secrets and CORS: from the environment, never on a command line."""

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path
from types import SimpleNamespace

import aiohttp
import jwt

from shopassist.serve import rasa_arguments
from shopassist.settings import read

ROOT = Path(__file__).resolve().parents[2]


def test_the_api_token_comes_from_the_environment_or_a_file(tmp_path, monkeypatch):
    monkeypatch.delenv("SHOPASSIST_ALLOWED_ORIGINS", raising=False)
    from shopassist.auth.rasa_api import jwt_secret

    args = rasa_arguments(["run", "--enable-api"], read({"SHOPASSIST_RASA_TOKEN": "-s3cr3t"}))
    assert args[-2:] == ["--auth-token=-s3cr3t", f"--jwt-secret={jwt_secret('-s3cr3t')}"]
    assert jwt_secret("-s3cr3t") != jwt_secret("other") and "s3cr3t" not in args[-1]
    secret = tmp_path / "token"
    secret.write_text("from-a-file\n")
    args = rasa_arguments(["run"], read({"SHOPASSIST_RASA_TOKEN_FILE": str(secret)}))
    assert "--auth-token=from-a-file" in args
    assert not [a for a in rasa_arguments(["run"], read({})) if a.startswith(("--auth", "--jwt"))]
    assert rasa_arguments(["shell"], read({"SHOPASSIST_RASA_TOKEN": "x"})) == ["shell"]


def test_cors_allows_the_shop_page_only(monkeypatch):
    monkeypatch.delenv("SHOPASSIST_ALLOWED_ORIGINS", raising=False)
    args = rasa_arguments(["run"])
    cors = args[args.index("--cors") + 1 :]
    assert cors == ["http://localhost:5002", "http://127.0.0.1:5002"]
    monkeypatch.setenv(
        "SHOPASSIST_ALLOWED_ORIGINS", "https://shop.example, https://www.shop.example"
    )
    args = rasa_arguments(["run"])
    assert args[args.index("--cors") + 1 :] == ["https://shop.example", "https://www.shop.example"]


def test_make_run_puts_no_secret_on_a_command_line_and_no_open_cors():
    script = (ROOT / "scripts" / "run.sh").read_text()
    assert "--auth-token" not in script
    assert '--cors "*"' not in script and "shopassist.serve run" in script


# --- no secret on a command line ---------------------------------------------------------


def secrets_of(cluster) -> list:
    return [cluster.rasa_token, cluster.action_token, cluster.token_secret, cluster.session_secret]


def test_the_cluster_starts_every_process_with_no_secret_on_its_command_line(tmp_path):
    from shopassist.cluster import Cluster

    cluster = Cluster(
        workdir=tmp_path, model=tmp_path / "model.tar.gz", tracker_db="postgresql://u@h/t",
        shop_db="postgresql://u@h/s", console_port=5999,
    )  # fmt: skip
    cluster._plan()  # the processes it would start, not started
    assert len(cluster.processes) == 6
    for process in cluster.processes:
        for secret in secrets_of(cluster):
            assert not any(secret in arg for arg in process.command), process.name
        assert not any(arg.startswith("--auth-token") for arg in process.command)
    for rasa in cluster.rasa:
        assert rasa.command[1:4] == ["-m", "shopassist.serve", "run"]
        assert rasa.env["SHOPASSIST_RASA_TOKEN"] == cluster.rasa_token
        assert rasa.env["SHOPASSIST_TRUSTED_PROXIES"] == "1"  # behind HAProxy


def test_the_test_servers_start_rasa_with_no_secret_on_its_command_line(tmp_path):
    from tests.servers import rasa_command, rasa_env

    command = rasa_command(tmp_path / "model.tar.gz", 5005, tmp_path / "endpoints.yml")
    env = rasa_env({"SHOPASSIST_RASA_TOKEN_FILE": "/elsewhere"}, "t0ken-" * 8)
    assert command[1:4] == ["-m", "shopassist.serve", "run"]
    assert not any("t0ken" in arg or arg.startswith("--auth-token") for arg in command)
    assert rasa_arguments(command[3:], read(env))[-2] == "--auth-token=" + "t0ken-" * 8
    assert rasa_env({"SHOPASSIST_RASA_TOKEN": "theirs"}, "")["SHOPASSIST_RASA_TOKEN"] == ""


def test_a_process_started_through_serve_shows_no_token_in_proc_cmdline():
    """What /proc/<pid>/cmdline shows of a process started through shopassist.serve: the
    token reaches Rasa's argument parser (sys.argv) and no other process."""
    token = "s3cr3t-" + "x" * 40
    script = (
        "import sys, rasa.__main__ as rasa_main\n"
        "from shopassist import serve\n"
        "def report():\n"
        "    print(open('/proc/self/cmdline', 'rb').read())\n"
        "    print(sys.argv)\n"
        "rasa_main.main = report\n"
        "serve.main()\n"
    )
    env = {**os.environ, "SHOPASSIST_RASA_TOKEN": token, "PYTHONPATH": str(ROOT)}
    env.pop("SHOPASSIST_RASA_TOKEN_FILE", None)
    result = subprocess.run(
        [sys.executable, "-c", script, "run", "--enable-api"],
        env=env, cwd=ROOT, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-2000:]
    cmdline, argv = result.stdout.strip().splitlines()[-2:]
    assert "run" in cmdline and token not in cmdline and "--auth-token" not in cmdline
    assert f"--auth-token={token}" in argv and "--jwt-secret=" in argv


# --- no secret in a URL -------------------------------------------------------------------


def serve_rasa_api(token: str, seen: list):
    """Rasa's own HTTP API (rasa.server.create_app) with the token and JWT secret
    shopassist.serve gives it, and a stand-in agent; `seen` gets each request's URL and
    Authorization header."""
    from rasa import server as rasa_server
    from sanic import Sanic

    Sanic.test_mode = True
    args = rasa_arguments(["run"], read({"SHOPASSIST_RASA_TOKEN": token}))
    jwt_secret = [a.split("=", 1)[1] for a in args if a.startswith("--jwt-secret=")][0]
    Sanic._app_registry.pop("rasa_server", None)
    app = rasa_server.create_app(auth_token=token, jwt_secret=jwt_secret, cors_origins=[])
    app.ctx.agent = SimpleNamespace(
        is_ready=lambda: True, model_id="m", processor=SimpleNamespace(model_filename="m")
    )

    @app.middleware("request")
    async def record(request):
        seen.append((request.url, request.headers.get("authorization", "")))

    return app


async def started(app):
    from shopassist.cluster import free_port

    port = free_port()
    server = await app.create_server(
        host="127.0.0.1", port=port, return_asyncio_server=True, access_log=False
    )
    await server.startup()
    return server, f"http://127.0.0.1:{port}"


def test_the_console_calls_rasa_with_a_header_never_the_token_in_the_url():
    from shopassist.auth import rasa_api
    from shopassist.console.profiles import Profile
    from shopassist.console.takeover import RasaClient, RasaUnavailable

    dana = Profile("Dana", "initials:teal")
    token = "api-" + "t" * 40
    seen: list = []

    async def scenario():
        server, url = await started(serve_rasa_api(token, seen))
        try:
            async with aiohttp.ClientSession() as http:

                async def status(headers=None, params=None) -> int:
                    async with http.get(f"{url}/status", headers=headers, params=params) as r:
                        return r.status

                assert await status() == 401
                assert await status(headers=rasa_api.authorization(token)) == 200
                assert await status(params={"token": token}) == 200  # Rasa's own way still works
                forged = jwt.encode(
                    {"user": {"username": "x", "role": "admin"}}, token, algorithm="HS256"
                )  # signed with the API token itself, not the derived secret
                assert await status(headers={"Authorization": f"Bearer {forged}"}) == 401
                expired = rasa_api.authorization(token, now=time.time() - 3600)
                assert await status(headers=expired) == 401
            seen.clear()
            try:  # the stand-in agent can't take events; what matters is how it was asked
                await RasaClient(url, token).take_over("socketio:abc", "dana", dana)
            except RasaUnavailable as error:
                assert "401" not in str(error)
            ((called, authorization),) = seen
            assert token not in called and "token=" not in called
            assert authorization.startswith("Bearer ") and token not in authorization
        finally:
            server.close()
            await server.wait_closed()

    asyncio.run(asyncio.wait_for(scenario(), 60))
