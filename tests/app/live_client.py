"""Helpers for live-lesson tests over Starlette's TestClient: a service with chosen settings, a lesson,
sockets that say hello."""

import contextlib
import json

import pytest
from fastapi.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from app.live.service import LiveService
from app.live.settings import LiveSettings
from app.main import app
from app.routes import live as live_routes


@contextlib.contextmanager
def live_app(monkeypatch, **settings):
    """The app with its own in-process live service (`settings` override the defaults)."""
    service = LiveService(LiveSettings(redis_url=None, **settings))
    monkeypatch.setattr(live_routes, "get_service", lambda: service)
    with TestClient(app) as client:
        client.service = service
        yield client


def new_lesson(client) -> str:
    response = client.post("/api/live")
    assert response.status_code == 200
    return response.json()["code"]


@contextlib.contextmanager
def socket(client, code, role="student", **hello):
    with client.websocket_connect(f"/api/live/{code}/ws") as ws:
        ws.send_json({"type": "hello", "role": role, **hello})
        welcome = ws.receive_json()
        ws.welcome = welcome
        yield ws


def receive_until(ws, kind: str, limit: int = 50) -> dict:
    """The next message of type `kind` (skipping presence updates and the like)."""
    for _ in range(limit):
        message = ws.receive_json()
        if message["type"] == kind:
            return message
    raise AssertionError(f"no {kind} message")


def closed_with(ws) -> int:
    """Read until the server closes the socket; its close code."""
    with pytest.raises(WebSocketDisconnect) as closed:
        for _ in range(100):
            ws.receive_json()
    return closed.value.code


def send_raw(ws, text: str):
    ws.send_text(text)


def dumps(message) -> str:
    return json.dumps(message)
