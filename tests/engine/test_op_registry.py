"""Each op is declared once (engine/ops/registry.py) and bound from that one declaration: Tensor's
methods and operators, torch's functions and `__all__`, the runner's size estimates."""

import pytest

import engine.torch as torch
from engine.ops import estimates, registry
from engine.tensor import Tensor


def declared(attribute):
    return {name for op in registry.OPS for name in getattr(op, attribute)}


def test_torch_exports_every_declared_function_and_it_is_the_op():
    for name, fn in registry.torch_functions().items():
        assert name in torch.__all__
        assert getattr(torch, name).__wrapped__ is fn  # wrapped once, for PyTorch's argument errors


def test_functional_exports_every_declared_function_and_only_those():
    F = torch.nn.functional
    assert set(F.__all__) == set(registry.functional_functions())
    for name, fn in registry.functional_functions().items():
        assert getattr(F, name).__wrapped__ is fn


def test_every_declared_method_and_operator_is_on_tensor():
    for op in registry.OPS:
        for name in op.methods:
            assert (
                getattr(Tensor.__dict__[name], "__wrapped__", Tensor.__dict__[name]) is op.function
            )
        for name in op.operators:
            assert Tensor.__dict__[name] is op.operator


@pytest.mark.parametrize(
    "names", [("methods",), ("torch",), ("functional",), ("operators", "methods")]
)
def test_no_name_is_declared_twice(names):
    seen = [name for op in registry.OPS for attribute in names for name in getattr(op, attribute)]
    assert len(seen) == len(set(seen))


def test_declaring_a_taken_name_again_is_refused():
    with pytest.raises(RuntimeError, match="declared twice"):
        registry._claim({"exp": lambda: None}, "exp", lambda: None, "torch")


def test_every_estimate_is_of_a_declared_op():
    names = declared("methods") | declared("torch")
    assert set(registry._ESTIMATES) <= names


@pytest.mark.parametrize(
    "name, args, kwargs, numel",
    [
        ("zeros", (2, 3), {}, 6),
        ("ones", ((4, 5),), {}, 20),
        ("rand", (), {"size": (3, 3)}, 9),
        ("full", ((2, 2), 1.5), {}, 4),
        ("FloatTensor", (2, 5), {}, 10),
        ("FloatTensor", ([1.0, 2.0],), {}, 0),
        ("arange", (0, 10, 2), {}, 5),
        ("linspace", (0, 1, 7), {}, 7),
        ("eye", (3, 4), {}, 12),
        ("randint", (0, 5, (2, 3)), {}, 6),
        ("new_zeros", (torch.zeros(2), 3, 4), {}, 12),
        ("new_full", (torch.zeros(2), (3, 4), 1.0), {}, 12),
        ("expand", (torch.zeros(1, 3), 5, 3), {}, 15),
        ("repeat", (torch.zeros(2, 3), 2, 2), {}, 24),
        ("reshape", (torch.zeros(2, 3), 6), {}, 0),
        ("matmul", (torch.zeros(4, 2, 3), torch.zeros(3, 5)), {}, 40),
        ("mm", (torch.zeros(2, 3), torch.zeros(3, 7)), {}, 14),
        ("cat", ([torch.zeros(2, 3), torch.zeros(4, 3)],), {}, 18),
        ("stack", ((torch.zeros(2), torch.zeros(2)),), {}, 4),
        (
            "add",
            (torch.zeros(3, 1), torch.zeros(1, 4)),
            {},
            12,
        ),  # no estimate of its own: elementwise
    ],
)
def test_estimate_bounds_what_the_call_allocates(name, args, kwargs, numel):
    assert registry.estimate(name, args, kwargs) == numel


def test_elementwise_estimate_of_shapes_that_do_not_broadcast_is_their_largest():
    assert estimates.elementwise((torch.zeros(3), torch.zeros(4))) == 4
