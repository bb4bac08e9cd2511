"""`gradtrace live`: serve, open the page with a live lesson starting, join URLs on the LAN address."""

import os

from app import cli


def run_live(monkeypatch, argv):
    monkeypatch.setenv(
        "GRADTRACE_PUBLIC_URL", ""
    )  # recorded, so main()'s setting is undone after the test
    monkeypatch.delenv("GRADTRACE_PUBLIC_URL")
    opened, served = [], []
    monkeypatch.setattr(cli, "serve", lambda app, **kwargs: served.append(kwargs))
    monkeypatch.setattr(cli, "open_when_ready", lambda target: opened.append(target))
    monkeypatch.setattr(
        cli.threading,
        "Thread",
        lambda target, args, daemon: type("T", (), {"start": lambda self: target(*args)})(),
    )
    monkeypatch.setattr(cli, "lan_address", lambda: "192.168.1.20")
    assert cli.main(argv) == 0
    return opened, served


def test_live_opens_the_page_that_goes_live(monkeypatch, capsys):
    opened, served = run_live(monkeypatch, ["live", "--port", "8123"])
    assert opened == ["http://127.0.0.1:8123/?golive=1"]
    assert served[0]["ws_max_size"] == cli.WS_MAX_BYTES
    assert "students join at http://127.0.0.1:8123/live" in capsys.readouterr().out


def test_live_on_the_lan_gives_students_the_lan_address(monkeypatch, capsys):
    opened, _ = run_live(monkeypatch, ["live", "--host", "0.0.0.0"])
    assert opened == ["http://127.0.0.1:8000/?golive=1"]  # the teacher's own browser uses loopback
    assert (
        os.environ["GRADTRACE_PUBLIC_URL"] == "http://192.168.1.20:8000"
    )  # what workers build join URLs from
    assert "students join at http://192.168.1.20:8000/live" in capsys.readouterr().out


def test_without_live_nothing_opens(monkeypatch):
    opened, _ = run_live(monkeypatch, ["--port", "8123"])
    assert opened == []
