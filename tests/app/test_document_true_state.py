"""The document's timeline gives, after every statement, the .grad and value real PyTorch holds then:
through .grad resets (zero_(), = None, zero_grad()) and .data writes; names follow the variables."""

import pytest
from fastapi.testclient import TestClient

from app.main import app
from tests.app.torch_statements import PROGRAMS, document_state, step_after_line, torch_states

torch = pytest.importorskip("torch")


@pytest.fixture(scope="module")
def client():
    return TestClient(app)


@pytest.mark.parametrize("name", PROGRAMS)
def test_grad_and_data_after_each_statement_are_pytorchs(client, name):
    code = PROGRAMS[name]
    document = client.post("/api/run", json={"code": code}).json()
    assert document["error"] is None
    w = document["variables"]["w"]
    for line, held in torch_states(code):
        if "w" not in held:
            continue
        data, grad = document_state(document, step_after_line(document, line))
        want_data, want_grad = held["w"]
        assert data.get(w) == pytest.approx(want_data), f"w after line {line}"
        if want_grad is None:
            assert grad.get(w) is None, f"w.grad after line {line}"
        else:
            assert grad.get(w) == pytest.approx(want_grad), f"w.grad after line {line}"


def test_a_zeroed_grad_is_not_a_node_of_its_own(client):
    document = client.post("/api/run", json={"code": PROGRAMS["grad_zero_"]}).json()
    assert [
        n["label"] for n in document["nodes"] if n["kind"] == "tensor" and n["op"] is None
    ] == []
    reset = [e for e in document["timeline"] if e["type"] == "grad"]
    assert [(e["op"], e["grad"], e["line"]) for e in reset] == [("zero_", 0.0, 7)]


def test_a_grad_used_as_a_value_is_labelled_as_its_leafs_gradient(client):
    code = (
        "import torch\nw = torch.tensor(2.0, requires_grad=True)\n(w * w).backward()\n"
        "with torch.no_grad():\n    w -= 0.1 * w.grad\nw.grad.zero_()\n"
    )
    document = client.post("/api/run", json={"code": code}).json()
    grads = [n for n in document["nodes"] if n.get("grad_of")]
    assert [(n["label"], n["grad_of"]) for n in grads] == [("w.grad", document["variables"]["w"])]


def test_names_follow_the_variables_the_program_bound(client):
    seed = (
        __import__("pathlib").Path(__file__).parents[2] / "examples/seeds/08_linear_regression.py"
    ).read_text()
    document = client.post("/api/run", json={"code": seed}).json()
    nodes = {n["id"]: n for n in document["nodes"]}
    leaf = next(
        n
        for n in nodes.values()
        if n["kind"] == "tensor"
        and n["is_leaf"]
        and n["grad"] is not None
        and n["shape"] == [10, 1]
    )
    assert leaf["label"] == "W"  # the leaf that gets the gradient, not "Variable"
    assert (
        nodes[document["variables"]["W"]]["label"] == "W′"
    )  # W = W - lr * W.grad.data: a new tensor
    assert "W.grad.data" in {n["label"] for n in nodes.values() if n["kind"] == "tensor"}


def test_loop_made_tensors_carry_their_iteration(client):
    code = "import torch\ny = torch.tensor(0.5, requires_grad=True)\nx = y\nfor i in range(3):\n    x = torch.sin(x)\n"
    document = client.post("/api/run", json={"code": code}).json()
    labels = [n["label"] for n in document["nodes"] if n["kind"] == "tensor"]
    assert labels == ["y", "x₀", "x₁", "x₂"]
