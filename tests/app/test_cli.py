"""The `gradtrace` command: its options, the URL it prints, --open, and one real start."""

import contextlib
import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from app import cli, http_limits

REPO = Path(__file__).resolve().parents[2]
START_SECONDS = 60  # a busy CI machine imports numpy, FastAPI and the engine slowly


def test_defaults_bind_localhost_port_8000_one_worker():
    args = cli.parse_args([])
    assert (args.host, args.port, args.workers) == ("127.0.0.1", 8000, 1)
    assert not args.open and not args.reload


def test_options_are_parsed():
    args = cli.parse_args(["--host", "0.0.0.0", "--port", "9000", "--workers", "4", "--open"])
    assert (args.host, args.port, args.workers, args.open) == ("0.0.0.0", 9000, 4, True)


@pytest.mark.parametrize(
    "argv",
    [
        ["--port", "0"],
        ["--port", "70000"],
        ["--port", "web"],
        ["--workers", "0"],
        ["--reload", "--workers", "2"],
    ],
)
def test_bad_options_exit_with_usage(argv, capsys):
    with pytest.raises(SystemExit) as exited:
        cli.parse_args(argv)
    assert exited.value.code == 2
    assert "usage: gradtrace" in capsys.readouterr().err


@pytest.mark.parametrize(
    "host, expected",
    [
        ("127.0.0.1", "http://127.0.0.1:8000"),
        ("0.0.0.0", "http://127.0.0.1:8000"),
        ("::", "http://[::1]:8000"),
        ("fe80::1", "http://[fe80::1]:8000"),
        ("localhost", "http://localhost:8000"),
    ],
)
def test_url_is_what_a_local_browser_opens(host, expected):
    assert cli.url(host, 8000) == expected


def test_main_prints_the_url_and_serves_without_nagle_stalls(monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(cli, "serve", lambda app, **kwargs: calls.append((app, kwargs)))
    assert cli.main(["--port", "8123", "--workers", "3"]) == 0
    assert calls == [
        (
            "app.main:app",
            {
                "host": "127.0.0.1",
                "port": 8123,
                "workers": 3,
                "log_level": "info",
                "ws_max_size": cli.WS_MAX_BYTES,
                **http_limits.uvicorn_options(),
            },
        )
    ]
    assert "serving at http://127.0.0.1:8123" in capsys.readouterr().out


def test_reload_runs_uvicorn_with_its_reloader(monkeypatch):
    calls = []
    monkeypatch.setattr(cli.uvicorn, "run", lambda app, **kwargs: calls.append((app, kwargs)))
    assert cli.main(["--reload"]) == 0
    assert calls == [
        (
            "app.main:app",
            {
                "host": "127.0.0.1",
                "port": 8000,
                "reload": True,
                "log_level": "info",
                "ws_max_size": cli.WS_MAX_BYTES,
                **http_limits.uvicorn_options(),
            },
        )
    ]


def test_lan_bind_prints_a_network_address_and_a_warning(monkeypatch, capsys):
    monkeypatch.setenv(
        "GRADTRACE_PUBLIC_URL", ""
    )  # main() sets it for live join URLs: undone after the test
    monkeypatch.delenv("GRADTRACE_PUBLIC_URL")
    monkeypatch.setattr(cli, "serve", lambda app, **kwargs: None)
    monkeypatch.setattr(cli, "lan_address", lambda: "192.168.1.20")
    cli.main(["--host", "0.0.0.0"])
    out = capsys.readouterr().out
    assert "on the network: http://192.168.1.20:8000" in out and "trusted network" in out


def test_open_waits_for_the_server_then_opens_the_browser(monkeypatch):
    answers = iter([urllib.error.URLError("refused"), urllib.error.URLError("refused"), None])

    def urlopen(target, timeout):
        answer = next(answers)
        if answer is not None:
            raise answer
        return contextlib.nullcontext()

    opened = []
    monkeypatch.setattr(cli.urllib.request, "urlopen", urlopen)
    monkeypatch.setattr(cli.time, "sleep", lambda seconds: None)
    monkeypatch.setattr(cli.webbrowser, "open", lambda target: opened.append(target) or True)
    assert cli.open_when_ready("http://127.0.0.1:8000") is True
    assert opened == ["http://127.0.0.1:8000"]


def test_open_without_a_browser_says_where_to_go(monkeypatch, capsys):
    monkeypatch.setattr(
        cli.urllib.request, "urlopen", lambda target, timeout: contextlib.nullcontext()
    )
    monkeypatch.setattr(cli.webbrowser, "open", lambda target: False)
    cli.open_when_ready("http://127.0.0.1:8000")
    assert "open http://127.0.0.1:8000 yourself" in capsys.readouterr().out


def test_open_gives_up_without_opening_when_nothing_answers(monkeypatch):
    opened = []
    monkeypatch.setattr(
        cli.urllib.request,
        "urlopen",
        lambda target, timeout: (_ for _ in ()).throw(urllib.error.URLError("refused")),
    )
    monkeypatch.setattr(cli.webbrowser, "open", opened.append)
    assert cli.open_when_ready("http://127.0.0.1:8000", timeout=0.3) is False
    assert opened == []


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(target: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(target, timeout=2) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


@contextlib.contextmanager
def served(*args: str, **env: str):
    """`python -m app` on a free port; yields (port, server)."""
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "app", "--port", str(port), "--log-level", "warning", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, **env},
    )
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                get(f"http://127.0.0.1:{port}/docs")
                break
            except (urllib.error.URLError, OSError):
                assert server.poll() is None, server.stdout.read().decode()
                assert time.monotonic() < deadline, f"no answer on port {port} in {START_SECONDS} s"
                time.sleep(0.2)
        yield port, server
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_python_m_app_serves_the_api_docs():
    with served() as (port, server):
        status, body = get(f"http://127.0.0.1:{port}/docs")
        assert status == 200 and b"swagger" in body.lower()
        assert b'"/api/export/svg"' in get(f"http://127.0.0.1:{port}/openapi.json")[1]
    assert f"serving at http://127.0.0.1:{port}".encode() in server.stdout.read()


def test_silent_and_half_sent_requests_are_closed_after_the_request_timeout():
    with served(GRADTRACE_REQUEST_TIMEOUT="1") as (port, server):
        silent = socket.create_connection(("127.0.0.1", port))
        half = socket.create_connection(("127.0.0.1", port))
        half.sendall(b'POST /api/run HTTP/1.1\r\nHost: x\r\nContent-Length: 40\r\n\r\n{"code"')
        started = time.monotonic()
        for connection in (silent, half):
            connection.settimeout(5)
            assert connection.recv(100) == b""  # closed by the server, no answer
            connection.close()
        assert time.monotonic() - started < 4
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/run",
            data=b'{"code": "print(2 + 3)"}',
            headers={"content-type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            assert json.loads(response.read())["output"] == "5\n"


@pytest.mark.skipif(
    shutil.which("gradtrace") is None, reason="not installed (python -m pip install -e .)"
)
def test_console_script_is_installed():
    done = subprocess.run(["gradtrace", "--help"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and "--workers" in done.stdout
