"""app.document: values, ids, function nodes and edges of the run document."""

import math

import numpy as np

from app.document import build_document, encode
from app.schemas import RunDocument
from engine.runner import Summary, run_described


def document(code: str) -> dict:
    doc = build_document(run_described(code))
    RunDocument.model_validate(doc)
    return doc


def test_encode_spells_nan_and_inf_as_strings_at_any_depth():
    assert encode(np.array([[math.nan, 1.0], [math.inf, -math.inf]], dtype=np.float32)) == [
        ["nan", 1.0],
        ["inf", "-inf"],
    ]
    big = np.zeros(100, dtype=np.float64)
    big[7] = math.nan
    assert encode(big)[7] == "nan" and encode(big)[0] == 0.0


def test_encode_keeps_ints_bools_scalars_and_none():
    assert encode(np.array(3, dtype=np.int64)) == 3
    assert encode(np.array([True, False])) == [True, False]
    assert encode(np.float32(0.5)) == 0.5
    assert encode(None) is None


def test_encode_of_a_summary_is_a_truncated_object():
    assert encode(Summary((200, 100), "float32", 0.0, math.inf, 1.5)) == {
        "truncated": True,
        "shape": [200, 100],
        "stats": {"min": 0.0, "max": "inf", "mean": 1.5},
    }


def test_ids_follow_creation_order_and_functions_are_reachable():
    doc = document("import torch\na = torch.ones(2, requires_grad=True)\nb = a * 2\nc = b.sum()")
    tensors = [n for n in doc["nodes"] if n["kind"] == "tensor"]
    functions = {n["id"]: n for n in doc["nodes"] if n["kind"] == "function"}
    assert [(n["id"], n["label"], n["line"]) for n in tensors] == [
        ("t0", "a", 2),
        ("t1", "b", 3),
        ("t2", "c", 4),
    ]
    assert sorted(f["name"] for f in functions.values()) == [
        "AccumulateGrad",
        "MulBackward0",
        "SumBackward0",
    ]
    accumulate = next(f for f in functions.values() if f["name"] == "AccumulateGrad")
    assert accumulate["tensor"] == "t0" and accumulate["line"] == 2
    assert {"source": "t0", "target": accumulate["id"], "kind": "grad_fn"} in doc["edges"]
    mul = next(f for f in functions.values() if f["name"] == "MulBackward0")
    assert mul["next_functions"] == [accumulate["id"], None]
    assert {"source": "t0", "target": "t1", "kind": "forward"} in doc["edges"]


def test_retained_grad_of_a_non_leaf_is_accumulated_by_its_grad_fn():
    doc = document(
        "import torch\nx = torch.tensor(2., requires_grad=True)\ny = x * x\ny.retain_grad()\n"
        "z = y * 3\nz.backward()"
    )
    y = next(n for n in doc["nodes"] if n.get("name") == "y")
    assert y["retains_grad"] is True and y["grad"] == 3.0
    event = next(e for e in doc["timeline"] if e["type"] == "accumulate" and e["tensor"] == y["id"])
    assert event["function"] == y["grad_fn_id"] and event["after"] == 3.0


def test_large_grad_is_sent_as_stats():
    doc = document(
        "import torch\nw = torch.ones(101, 100, requires_grad=True)\n(w * 2).sum().backward()"
    )
    w = next(n for n in doc["nodes"] if n.get("name") == "w")
    assert w["grad"] is None and w["grad_truncated"] is True
    assert w["grad_stats"] == {"min": 2.0, "max": 2.0, "mean": 2.0}


def test_events_inside_loops_carry_their_iteration():
    doc = document(
        "import torch\nx = torch.ones(1)\nfor i in range(2):\n    for j in range(2):\n        x = x + 1"
    )
    creates = [e["iteration"] for e in doc["timeline"] if e["type"] == "create"]
    assert creates == [[], [0, 0], [0, 1], [1, 0], [1, 1]]


def test_document_size_is_bounded_when_many_large_values_are_made():
    from app.document import dumps

    code = (
        "import torch\nx = torch.randn(100, 99, requires_grad=True)\nfor i in range(300):\n"
        "    y = (x * 2).sum()\n    y.backward()"
    )
    doc = document(code)
    assert len(dumps(doc)) < 6_000_000
    last = [e for e in doc["timeline"] if e["type"] == "accumulate"][-1]
    assert last["after"]["truncated"] is True and last["after"]["stats"]["max"] == 600.0
    x = next(n for n in doc["nodes"] if n.get("name") == "x")
    assert x["data"] is not None  # t0: the first final value, well within the budget


def test_python_number_inputs_of_an_op_are_its_constants():
    doc = document("import torch\nw = torch.ones(2)\nv = w * 0.5 + 2")
    nodes = {n["label"]: n for n in doc["nodes"] if n["kind"] == "tensor"}
    assert nodes["mul"]["constants"] == [0.5] and nodes["v"]["constants"] == [2]
