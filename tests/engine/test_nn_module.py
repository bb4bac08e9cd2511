"""torch.nn.Module as Python code subclasses it (class Net(nn.Module)), graph scopes told to the tracer,
and the signatures of every nn class and F function against real torch (when it is importable)."""

import inspect

import numpy as np
import pytest

import engine.torch as torch
from engine import trace
from engine.torch import nn
from engine.torch.nn import functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(3, 4)
        self.act = nn.ReLU()
        self.fc2 = nn.Linear(4, 2)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class ScopeLog(trace.Tracer):
    def __init__(self):
        self.log = []

    def enter_scope(self, owner):
        self.log.append(("enter", type(owner).__name__))

    def exit_scope(self):
        self.log.append(("exit",))


def test_subclass_registers_parameters_and_modules_in_assignment_order():
    net = Net()
    assert [n for n, _ in net.named_parameters()] == [
        "fc1.weight",
        "fc1.bias",
        "fc2.weight",
        "fc2.bias",
    ]
    assert [n for n, _ in net.named_children()] == ["fc1", "act", "fc2"]
    assert all(
        type(p).__name__ == "Parameter" and p.is_leaf and p.requires_grad for p in net.parameters()
    )


def test_subclass_call_runs_forward_and_gradients_reach_every_parameter():
    net = Net()
    net(torch.ones(5, 3)).sum().backward()
    assert all(p.grad is not None and p.grad.shape == p.shape for p in net.parameters())


def test_module_call_opens_and_closes_a_scope_per_module():
    net, log = Net(), ScopeLog()
    with trace.tracing(log):
        net(torch.ones(1, 3))
    assert log.log == [
        ("enter", "Net"),
        ("enter", "Linear"),
        ("exit",),
        ("enter", "ReLU"),
        ("exit",),
        ("enter", "Linear"),
        ("exit",),
        ("exit",),
    ]


def test_scope_closes_when_forward_raises():
    net, log = Net(), ScopeLog()
    with trace.tracing(log), pytest.raises(RuntimeError, match="cannot be multiplied"):
        net(torch.ones(1, 5))
    assert log.log == [("enter", "Net"), ("enter", "Linear"), ("exit",), ("exit",)]


@pytest.mark.parametrize(
    "assign, error, message",
    [
        (lambda m: setattr(m, "fc1", 3), TypeError, "cannot assign 'int' as child module 'fc1'"),
        (
            lambda m: setattr(m.fc1, "weight", torch.ones(4, 3)),
            TypeError,
            "cannot assign 'torch.FloatTensor' as parameter",
        ),
        (
            lambda m: m.register_buffer("fc1", torch.ones(1)),
            KeyError,
            "attribute 'fc1' already exists",
        ),
        (lambda m: m.register_parameter("a.b", None), KeyError, "parameter name can.+t contain"),
        (lambda m: m.train("yes"), ValueError, "training mode is expected to be boolean"),
        (lambda m: m.to("cuda"), RuntimeError, "CPU only"),
    ],
)
def test_module_refuses_what_pytorch_refuses(assign, error, message):
    with pytest.raises(error, match=message):
        assign(Net())


def test_deleting_a_submodule_unregisters_it():
    net = Net()
    del net.act
    assert [n for n, _ in net.named_children()] == ["fc1", "fc2"]


def test_parameter_shares_data_with_its_tensor_and_ops_give_plain_tensors():
    t = torch.ones(2)
    p = nn.Parameter(t)
    assert p._data is t._data
    assert type(p * 2) is torch.Tensor and type(p.detach()) is torch.Tensor


@pytest.mark.parametrize(
    "layer, shape",
    [
        (lambda: nn.Conv2d(1, 1, 2), (1, 1, 3, 3)),
        (lambda: nn.MaxPool2d(2), (1, 2, 2)),
        (lambda: nn.LayerNorm(2), (3, 2)),
        (lambda: nn.GELU(), (2,)),
    ],
)
def test_create_graph_through_a_layer_without_a_graph_formula_is_refused_by_name(layer, shape):
    x = torch.ones(*shape, requires_grad=True)
    with pytest.raises(
        RuntimeError, match="gradtrace cannot build the graph of .*Backward0's backward"
    ):
        torch.autograd.grad(layer()(x).sum(), x, create_graph=True)


def test_deepcopy_of_a_model_gives_independent_leaf_parameters():
    import copy

    net = Net()
    twin = copy.deepcopy(net)
    with torch.no_grad():
        twin.fc1.weight.fill_(1.0)
    twin(torch.ones(1, 3)).sum().backward()
    assert type(twin.fc1.weight).__name__ == "Parameter" and twin.fc1.weight.is_leaf
    assert (
        not np.array_equal(net.fc1.weight._data, twin.fc1.weight._data)
        and net.fc1.weight.grad is None
    )


def test_state_dict_tensors_share_storage_with_parameters():
    layer = nn.Linear(2, 2)
    sd = layer.state_dict()
    with torch.no_grad():
        layer.weight.add_(1.0)
    assert np.array_equal(sd["weight"]._data, layer.weight._data)


TORCH_NAMES = (
    "Module Sequential ModuleList Linear Identity ReLU LeakyReLU Tanh Sigmoid GELU Softmax LogSoftmax "
    "Dropout Embedding LayerNorm BatchNorm1d Conv2d MaxPool2d Flatten MSELoss L1Loss CrossEntropyLoss "
    "NLLLoss BCELoss BCEWithLogitsLoss"
).split()


def _parameters(fn):
    return [
        name
        for name, p in inspect.signature(fn).parameters.items()
        if name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
    ]


@pytest.mark.parametrize("name", TORCH_NAMES)
def test_every_module_takes_torchs_constructor_keywords(name):
    real = pytest.importorskip("torch")
    assert _parameters(getattr(nn, name).__init__) == _parameters(getattr(real.nn, name).__init__)


NN_FUNCTIONALS = [
    "relu",
    "l1_loss",
    "linear",
    "conv2d",
    "max_pool2d",
    "layer_norm",
    "batch_norm",
    "embedding",
    "gelu",
    "leaky_relu",
    "dropout",
]


@pytest.mark.parametrize("name", NN_FUNCTIONALS)
def test_every_functional_takes_torchs_keywords(name):
    real = pytest.importorskip("torch")
    ours = getattr(F, name)
    ours = getattr(ours, "__wrapped__", ours)
    try:
        theirs = _parameters(getattr(real.nn.functional, name))
    except ValueError:  # a C function without a signature
        pytest.skip(f"torch.nn.functional.{name} has no Python signature")
    if not theirs:  # boolean_dispatch (max_pool2d): the signature of the function it dispatches to
        theirs = _parameters(getattr(real.nn.functional, f"_{name}"))
    assert _parameters(ours) == theirs


@pytest.mark.parametrize(
    "name",
    [
        "uniform_",
        "normal_",
        "constant_",
        "ones_",
        "zeros_",
        "xavier_uniform_",
        "xavier_normal_",
        "kaiming_uniform_",
        "kaiming_normal_",
        "calculate_gain",
    ],
)
def test_every_init_function_takes_torchs_keywords(name):
    real = pytest.importorskip("torch")
    ours = getattr(nn.init, name)
    assert _parameters(getattr(ours, "__wrapped__", ours)) == _parameters(
        getattr(real.nn.init, name)
    )


def test_clip_grad_norm_takes_torchs_keywords():
    real = pytest.importorskip("torch")
    ours = nn.utils.clip_grad_norm_
    assert _parameters(getattr(ours, "__wrapped__", ours)) == _parameters(
        real.nn.utils.clip_grad_norm_
    )
