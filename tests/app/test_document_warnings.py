"""PyTorch's warnings in the run document: a timeline event where they happen and a `warnings` list."""

import pytest

from app.document import build_document
from app.schemas import RunDocument
from engine.runner import run_described
from engine.tensor import NON_LEAF_GRAD_WARNING


def document(code: str) -> dict:
    doc = build_document(run_described(code))
    RunDocument.model_validate(doc)
    return doc


LEGACY = "size_average and reduce args will be deprecated, please use reduction='sum' instead."


@pytest.mark.parametrize(
    "code, line, message",
    [
        (
            "import torch\nx = torch.ones(2, requires_grad=True)\ny = x * 2\ny.sum().backward()\nprint(y.grad)\n",
            5,
            NON_LEAF_GRAD_WARNING,
        ),
        (
            "import torch\nimport torch.nn.functional as F\n"
            "l = F.mse_loss(torch.ones(2), torch.zeros(2), size_average=False)\n",
            3,
            LEGACY,
        ),
    ],
)
def test_warning_is_recorded_with_type_message_and_line(code, line, message):
    doc = document(code)
    assert doc["warnings"] == [{"type": "UserWarning", "message": message, "line": line}]
    event = [e for e in doc["timeline"] if e["type"] == "warning"]
    assert [(e["category"], e["message"], e["line"]) for e in event] == [
        ("UserWarning", message, line)
    ]


def test_a_warning_in_a_loop_is_shown_once_per_line_like_python_s_default_filter():
    doc = document(
        "import torch\nx = torch.ones(2, requires_grad=True)\ny = x * 2\n"
        "for i in range(3):\n    g = y.grad\ng2 = y.grad\n"
    )
    assert [w["line"] for w in doc["warnings"]] == [5, 6]


def test_warning_comes_between_the_prints_around_it():
    doc = document(
        "import torch\nx = torch.ones(1, requires_grad=True)\ny = x + 1\n"
        "print('a')\ng = y.grad\nprint('b')\n"
    )
    kinds = [e["type"] for e in doc["timeline"] if e["type"] in ("print", "warning")]
    assert kinds == ["print", "warning", "print"]


def test_no_warning_for_a_leaf_or_a_retained_grad():
    doc = document(
        "import torch\nx = torch.ones(1, requires_grad=True)\ny = x + 1\ny.retain_grad()\n"
        "y.sum().backward()\nprint(x.grad, y.grad)\n"
    )
    assert doc["warnings"] == []
