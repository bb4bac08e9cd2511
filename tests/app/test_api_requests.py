"""Malformed requests get a 4xx with one clear message; the examples endpoints; limits through the API."""

import json
import time

import pytest
from fastapi.testclient import TestClient

import app.routes.api as api
from app.main import app
from app.schemas import RunDocument
from app.settings import Settings, get_settings

RUN_BODY = 'the request body must be a JSON object with a string field "code", like {"code": "import torch"}'


@pytest.fixture(scope="module")
def client():
    return TestClient(app)


@pytest.mark.parametrize(
    "body, status, detail",
    [
        (b"not json", 400, f"the request body is not valid JSON; {RUN_BODY}"),
        (b"{}", 422, f"{RUN_BODY} (code: Field required)"),
        (b'{"code": 5}', 422, f"{RUN_BODY} (code: Input should be a valid string)"),
        (b'{"code": null}', 422, f"{RUN_BODY} (code: Input should be a valid string)"),
        (b'["import torch"]', 422, None),
        (b'"import torch"', 422, None),
        (b"", 422, None),
    ],
)
def test_malformed_body_is_a_4xx_with_a_clear_message(client, body, status, detail):
    response = client.post("/api/run", content=body, headers={"content-type": "application/json"})
    assert response.status_code == status
    if detail is not None:
        assert response.json() == {"detail": detail}
    else:
        assert response.json()["detail"].startswith(RUN_BODY)


def test_body_over_the_limit_by_content_length_is_413(client):
    response = client.post(
        "/api/run",
        content=b"x" * (get_settings().max_body_bytes + 1),
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json() == {"detail": "request body too large: the limit is 256,000 bytes"}


def test_streamed_body_over_the_limit_is_413(client):
    def chunks():
        for _ in range(40):
            yield b"x" * 10_000

    response = client.post(
        "/api/run", content=chunks(), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


def test_invalid_content_length_is_400(client):
    response = client.post(
        "/api/run",
        content=b"{}",
        headers={"content-length": "abc", "content-type": "application/json"},
    )
    assert response.status_code == 400


def test_get_on_run_is_405(client):
    assert client.get("/api/run").status_code == 405


def test_program_over_the_source_limit_but_under_the_body_limit_is_a_document_error(client):
    response = client.post("/api/run", json={"code": "x = 1\n" * 4000})
    assert response.status_code == 200
    assert response.json()["error"]["type"] == "LimitError"


def test_examples_list_has_every_seed_with_title_and_explanation(client):
    examples = client.get("/api/examples").json()
    seeds = [e for e in examples if e["origin"] == "seed"]
    assert len(seeds) >= 8
    first = next(e for e in examples if e["slug"] == "01_neuron_linear")
    assert first["title"] == "One neuron, z = W*x + b: gradients of z with respect to W and b."
    assert "code" not in first


def test_example_by_slug_has_its_code_and_runs(client):
    example = client.get("/api/examples/05_scalar_output_required").json()
    assert example["code"].startswith("# Without an explicit gradient")
    assert "grad can be implicitly created" in example["explanation"]
    document = client.post("/api/run", json={"code": example["code"]}).json()
    assert document["error"]["line"] == 8


def test_unknown_example_is_404(client):
    response = client.get("/api/examples/nope")
    assert (response.status_code, response.json()) == (404, {"detail": "no example named 'nope'"})


LIMIT_PROGRAMS = [
    ("import torch\nx = torch.ones(10 ** 9)", "tensor too large"),
    ("for i in range(100000):\n    pass", "too many loop iterations"),
    ("for i in range(3):\n    print('x' * 40000)", "too much output"),
    (
        "import torch\nx = torch.randn(1000, 1000)\nfor i in range(10000):\n    s = x.sum()",
        "time limit",
    ),
    ("x = 2 ** 10 ** 10", "number too large"),
    ("x = " + "-" * 150 + "1", "program too deeply nested"),
    ("x = 1\n" * 4000, "program too long"),
    (
        "import torch\nx = torch.ones(1)\nfor i in range(9000):\n    x = x + 1\n    x = x * 1",
        "too many operations",
    ),
    ("import torch\nfor i in range(20):\n    x = torch.ones(900000)", "memory limit"),
    ("x = [" + "a, " * 6000 + "]", "program too large"),
    ("s = 'a' * 10 ** 9", "sequence too long"),
    ("x = [1]\nfor i in range(40):\n    x = [x, x]", "nested lists too large"),
    ("s = f'{1:>1000000000}'", "format width or precision too large"),
]


@pytest.mark.parametrize("code, message", LIMIT_PROGRAMS, ids=[m for _, m in LIMIT_PROGRAMS])
def test_each_limit_through_the_api_returns_quickly_and_the_server_stays_fine(
    client, monkeypatch, code, message
):
    # fewer ops than the default (quicker); the time-limit case keeps them and stops at 0.3 s
    settings = (
        Settings(max_seconds=0.3)
        if message == "time limit"
        else Settings(max_seconds=0.5, max_ops=1_000, max_loop_iterations=10_000)
    )
    monkeypatch.setattr(api, "get_settings", lambda: settings)
    started = time.monotonic()
    response = client.post("/api/run", json={"code": code})
    assert (
        time.monotonic() - started < 2.0
    )  # generous for a loaded machine; without the limit: minutes
    assert response.status_code == 200
    document = RunDocument.model_validate(response.json())
    assert document.error.type == "LimitError" and document.error.message.startswith(message)
    after = client.post("/api/run", json={"code": "print(1 + 1)"}).json()
    assert after["output"] == "2\n" and after["error"] is None


def test_settings_read_limits_from_the_environment(monkeypatch):
    monkeypatch.setenv("GRADTRACE_MAX_LOOP_ITERATIONS", "7")
    assert Settings().limits().max_loop_iterations == 7


@pytest.mark.parametrize(
    "code", ["\ud800", 'print("\\ud800")', 'x = "\ud800"', "print('\\udfff' * 3)"]
)
def test_lone_surrogates_in_code_or_output_still_give_a_document(client, code):
    body = json.dumps({"code": code})  # ASCII JSON: surrogates escaped as \\ud800
    response = client.post("/api/run", content=body, headers={"content-type": "application/json"})
    assert response.status_code == 200
    assert RunDocument.model_validate(response.json()).code == code
