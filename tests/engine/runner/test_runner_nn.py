"""torch.nn through the runner's whitelist: module attributes, calls, indexing, len and iteration."""

import pytest

from engine.runner import run

MODEL = """
import torch
import torch.nn as nn
model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))
"""


@pytest.mark.parametrize(
    "line, printed",
    [
        ("print(model[0].weight.shape)", "torch.Size([3, 2])\n"),
        ("print(len(model), model[1])", "3 ReLU()\n"),
        ("print(len(list(model.parameters())), len(list(model.children())))", "4 3\n"),
        ("for m in model:\n    print(m.training)", "True\nTrue\nTrue\n"),
        ("model.eval()\nprint(model.training, model[2].training)", "False False\n"),
        (
            "model.extra = nn.Tanh()\nprint(list(model.state_dict().keys())[-1], model.extra)",
            "2.bias Tanh()\n",
        ),
        ("print(model(torch.ones(4, 2)).shape)", "torch.Size([4, 1])\n"),
        ("print(model.state_dict()['0.bias'].shape)", "torch.Size([3])\n"),
        (
            "print(nn.init.calculate_gain('relu') > 1, nn.utils.clip_grad_norm_(model.parameters(), 1.0))",
            "True tensor(0.)\n",
        ),
    ],
)
def test_programs_reach_modules_through_the_whitelist(line, printed):
    result = run(MODEL + line)
    assert result.error is None, result.error
    assert result.output == printed


@pytest.mark.parametrize(
    "line, kind, message",
    [
        ("model.foo", "AttributeError", "'Sequential' object has no attribute 'foo'"),
        ("model._modules", "AttributeError", None),
        (
            "model[0].weight = 3",
            "TypeError",
            "cannot assign 'int' as parameter 'weight' (torch.nn.Parameter or None expected)",
        ),
        ("model['a']", "TypeError", "Sequential indices must be integers or slices, not str"),
        ("len(model[0])", "TypeError", "object of type 'Linear' has no len()"),
    ],
)
def test_module_misuse_gives_pythons_and_pytorchs_errors(line, kind, message):
    error = run(MODEL + line).error
    assert error is not None and error.type in (kind, "NotAllowedError")
    if message is not None:
        assert error.message == message
