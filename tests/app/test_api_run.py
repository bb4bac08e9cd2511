"""POST /api/run: every seed example gives PyTorch's values, output and errors, as a well-formed document."""

import json
import re
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from app.examples import SEED_DIR
from app.main import app
from app.schemas import RunDocument

FIXTURES = json.loads(
    (
        Path(__file__).resolve().parents[1] / "engine" / "fixtures" / "torch_conformance.json"
    ).read_text()
)["programs"]
SEEDS = sorted(SEED_DIR.glob("*.py"))
ADDRESS = re.compile(r"0x[0-9a-fA-F]+")
SPECIAL = {"nan": float("nan"), "inf": float("inf"), "-inf": float("-inf")}


@pytest.fixture(scope="module")
def client():
    return TestClient(app)


def run_code(client, code: str) -> dict:
    response = client.post("/api/run", json={"code": code})
    assert response.status_code == 200
    document = response.json()
    RunDocument.model_validate(document)
    return document


def array(value, dtype):
    def decode(v):
        return [decode(x) for x in v] if isinstance(v, list) else SPECIAL.get(v, v)

    return np.array(decode(value), dtype=dtype)


def tensor_nodes(document) -> dict:
    return {n["id"]: n for n in document["nodes"] if n["kind"] == "tensor"}


def test_there_are_seed_examples():
    assert len(SEEDS) >= 8


@pytest.mark.parametrize("path", SEEDS, ids=[p.stem for p in SEEDS])
def test_seed_example_matches_torch(client, path):
    document = run_code(client, path.read_text())
    want = FIXTURES[f"seed_{path.stem}"]
    assert ADDRESS.sub("0x…", document["output"]) == want["output"]
    error = document["error"]
    assert (
        None if error is None else {"type": error["type"], "message": error["message"]}
    ) == want["error"]
    nodes = tensor_nodes(document)
    assert set(document["variables"]) == set(want["tensors"])
    for name, expected in want["tensors"].items():
        node = nodes[document["variables"][name]]
        assert node["name"].rstrip("′") == name  # a later tensor bound to a name used before is W′
        dtype = expected["dtype"]
        np.testing.assert_allclose(
            array(node["data"], dtype),
            array(expected["data"], dtype),
            rtol=1e-5,
            atol=1e-6,
            err_msg=name,
        )
        assert (node["grad"] is None) == (expected["grad"] is None), name
        if expected["grad"] is not None:
            np.testing.assert_allclose(
                array(node["grad"], dtype),
                array(expected["grad"], dtype),
                rtol=1e-5,
                atol=1e-6,
                err_msg=f"{name}.grad",
            )
        for field in ("grad_fn", "is_leaf", "requires_grad", "shape", "dtype"):
            assert node[field] == expected[field], f"{name}.{field}"


def test_scalar_output_required_returns_its_error_at_line_8_with_the_graph(client):
    document = run_code(client, (SEED_DIR / "05_scalar_output_required.py").read_text())
    assert document["error"] == {
        "type": "RuntimeError",
        "message": "grad can be implicitly created only for scalar outputs",
        "line": 8,
        "col": 0,
        "end_line": 8,
        "end_col": 12,
        "hint": None,
    }
    names = {n["name"]: n for n in document["nodes"] if n["kind"] == "tensor" and n["name"]}
    assert set(names) == {"x", "y", "z"}
    assert names["z"]["grad_fn"] == "MulBackward0" and names["z"]["inputs"] == [
        names["x"]["id"],
        names["y"]["id"],
    ]
    functions = sorted(n["name"] for n in document["nodes"] if n["kind"] == "function")
    assert functions == ["AccumulateGrad", "AccumulateGrad", "MulBackward0"]
    assert [e["type"] for e in document["timeline"]] == ["create", "create", "create"]


def test_neuron_timeline_shows_each_gradient_along_each_edge(client):
    document = run_code(client, (SEED_DIR / "01_neuron_linear.py").read_text())
    v = document["variables"]
    functions = {n["id"]: n for n in document["nodes"] if n["kind"] == "function"}
    backward = [e for e in document["timeline"] if e["type"] not in ("create", "print")]
    assert [(e["type"], e.get("name")) for e in backward] == [
        ("backward_start", None),
        ("function", "AddBackward0"),
        ("function", "AccumulateGrad"),
        ("accumulate", None),
        ("function", "MulBackward0"),
        ("function", "AccumulateGrad"),
        ("accumulate", None),
        ("backward_end", None),
    ]
    assert all(e["line"] == 10 for e in backward)
    add, mul = backward[1], backward[4]
    assert (add["name"], add["grad_in"]) == ("AddBackward0", [1.0])
    assert [g["value"] for g in add["grad_out"]] == [1.0, 1.0]
    assert mul["name"] == "MulBackward0" and mul["grad_out"][0]["value"] == 30.0
    assert mul["grad_out"][1] == {"target": None, "value": None}
    accumulated = {
        e["tensor"]: (e["before"], e["after"]) for e in backward if e["type"] == "accumulate"
    }
    assert accumulated == {v["W"]: (None, 30.0), v["b"]: (None, 1.0)}
    for e in backward:
        if e["type"] == "accumulate":
            assert functions[e["function"]]["name"] == "AccumulateGrad"
            assert functions[e["function"]]["tensor"] == e["tensor"]


def test_document_ids_edges_and_steps_are_consistent(client):
    for path in SEEDS:
        document = run_code(client, path.read_text())
        ids = [n["id"] for n in document["nodes"]]
        assert len(ids) == len(set(ids))
        assert all(re.fullmatch(r"[tf]\d+", i) for i in ids)
        known = set(ids)
        for edge in document["edges"]:
            assert edge["source"] in known and edge["target"] in known, edge
        assert [e["step"] for e in document["timeline"]] == list(range(len(document["timeline"])))
        for node in document["nodes"]:
            if node["kind"] == "function":
                assert all(f is None or f in known for f in node["next_functions"])
            elif node["grad_fn_id"] is not None:
                assert {
                    "source": node["id"],
                    "target": node["grad_fn_id"],
                    "kind": "grad_fn",
                } in document["edges"]
        printed = "".join(e["text"] for e in document["timeline"] if e["type"] == "print")
        assert printed == document["output"]


def test_nan_and_inf_are_sent_as_strings(client):
    document = run_code(
        client, "import torch\nx = torch.tensor([float('nan'), float('inf'), -float('inf'), 1.0])"
    )
    node = tensor_nodes(document)[document["variables"]["x"]]
    assert node["data"] == ["nan", "inf", "-inf", 1.0]


def test_large_tensor_is_truncated_with_stats(client):
    document = run_code(client, "import torch\nx = torch.ones(200, 100) * 2")
    node = tensor_nodes(document)[document["variables"]["x"]]
    assert node["truncated"] is True and node["data"] is None
    assert node["stats"] == {"min": 2.0, "max": 2.0, "mean": 2.0}
    create = [e for e in document["timeline"] if e["type"] == "create"][-1]
    assert create["data"] == {
        "truncated": True,
        "shape": [200, 100],
        "stats": {"min": 2.0, "max": 2.0, "mean": 2.0},
    }


def test_in_place_update_is_a_modify_event_with_the_new_value(client):
    document = run_code(client, (SEED_DIR / "02_neuron_sigmoid_loss.py").read_text())
    modifies = [e for e in document["timeline"] if e["type"] == "modify"]
    assert [(e["tensor"], e["line"]) for e in modifies] == [
        (document["variables"]["W"], 15),
        (document["variables"]["b"], 16),
    ]
    assert abs(modifies[0]["data"] - 0.8111) < 1e-4


def test_other_variables_are_listed_by_repr(client):
    document = run_code(client, "import torch\nlr = 0.1\nsteps = [1, 2]\nx = torch.ones(1)")
    assert document["values"] == {"lr": "0.1", "steps": "[1, 2]"}
    assert set(document["variables"]) == {"x"}


def test_program_error_is_a_document_not_an_http_error(client):
    document = run_code(client, "import torch\nx = torch.ones(2)\ny = x.gard")
    assert document["error"]["type"] == "AttributeError"
    assert document["error"]["message"] == "'Tensor' object has no attribute 'gard'"
    assert document["variables"] == {"x": "t0"}


def test_unexpected_failure_becomes_an_internal_error_document_and_is_logged(monkeypatch, caplog):
    # what a worker process does with a job (app/worker_jobs.py), here in the test's own process
    import app.worker_jobs as worker_jobs
    from app.routes.api import job_options
    from app.settings import Settings

    def broken(*args, **kwargs):
        raise ValueError("boom")

    monkeypatch.setattr(worker_jobs, "build_document", broken)
    data, retire = worker_jobs.run_document("x = 1", job_options(Settings()))
    document = json.loads(data)
    assert document["error"]["type"] == "InternalError" and not retire
    assert "internal error while running a program" in caplog.text


def test_security_headers_on_the_api(client):
    response = client.post("/api/run", json={"code": "x = 1"})
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


def test_openapi_documents_the_run_document(client):
    schema = client.get("/openapi.json").json()
    assert "RunDocument" in schema["components"]["schemas"]
    assert client.get("/docs").status_code == 200


@pytest.mark.parametrize(
    "name",
    [
        "mode_second_derivative_with_create_graph",
        "mode_backward_create_graph_keeps_grad_graph",
        "views_write_into_one_view_reaches_base_and_sibling_views",
        "views_write_through_transpose_and_view",
        "autograd_api_backward_inputs",
    ],
)
def test_higher_derivatives_and_writes_through_views_give_torchs_output(client, name):
    from tests.engine.conformance_programs import PROGRAMS

    document = run_code(client, dict(PROGRAMS)[name])
    assert document["error"] is None
    assert ADDRESS.sub("0x…", document["output"]) == FIXTURES[name]["output"]
