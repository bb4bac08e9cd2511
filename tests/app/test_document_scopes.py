"""Graph scopes in the run document: what a module call made carries its path, parameters their names."""

from app.document import build_document
from app.schemas import RunDocument
from engine.runner import run_described

PROGRAM = """import torch
import torch.nn as nn
model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Sequential(nn.Linear(3, 1)))
x = torch.ones(4, 2)
y = model(x)
loss = y.sum()
loss.backward()
"""


def document(code: str) -> dict:
    doc = build_document(run_described(code))
    RunDocument.model_validate(doc)
    return doc


def by_op(doc, op):
    return [n for n in doc["nodes"] if n["kind"] == "tensor" and n["op"] == op]


def test_tensors_made_in_a_module_call_carry_its_path_outermost_first():
    doc = document(PROGRAM)
    assert [n["scope"] for n in by_op(doc, "addmm")] == [
        ["model", "model.0"],
        ["model", "model.2", "model.2.0"],
    ]
    assert by_op(doc, "relu")[0]["scope"] == ["model", "model.1"]


def test_tensors_made_outside_modules_have_an_empty_scope():
    doc = document(PROGRAM)
    names = {n["name"]: n for n in doc["nodes"] if n["kind"] == "tensor" and n["name"]}
    assert names["x"]["scope"] == [] and names["loss"]["scope"] == []


def test_function_nodes_carry_the_scope_of_the_op_that_made_them():
    doc = document(PROGRAM)
    functions = {n["name"]: n for n in doc["nodes"] if n["kind"] == "function"}
    assert functions["ReluBackward0"]["scope"] == ["model", "model.1"]
    assert functions["SumBackward0"]["scope"] == []


def test_parameters_carry_their_qualified_names_and_are_labelled_by_them():
    doc = document(PROGRAM)
    parameters = {
        n["parameter"]: n for n in doc["nodes"] if n["kind"] == "tensor" and n["parameter"]
    }
    assert sorted(parameters) == [
        "model.0.bias",
        "model.0.weight",
        "model.2.0.bias",
        "model.2.0.weight",
    ]
    assert parameters["model.0.weight"]["label"] == "model.0.weight"
    assert (
        parameters["model.0.weight"]["shape"] == [3, 2]
        and parameters["model.0.weight"]["grad"] is not None
    )


def test_a_variable_name_wins_over_the_qualified_name_as_label():
    doc = document(PROGRAM + "w = model[0].weight\n")
    node = next(n for n in doc["nodes"] if n.get("parameter") == "model.0.weight")
    assert node["label"] == "w" and node["name"] == "w"


def test_a_module_called_twice_gets_the_same_scope_each_time():
    doc = document(PROGRAM + "z = model(x)\n")
    assert [n["scope"] for n in by_op(doc, "relu")] == [["model", "model.1"]] * 2
