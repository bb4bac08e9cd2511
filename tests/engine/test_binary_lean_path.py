"""+ - * / take a lean path for float tensors of one dtype when nobody traces (engine/ops/arithmetic.py).

The general path (any tracer set) is the reference: both must give the same bits, the same grads, the
same graph and the same errors.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import engine.torch as torch
from engine import trace

OPS = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
}
SHAPE_PAIRS = [
    ((), ()),
    ((3,), (3,)),
    ((2, 3), (2, 3)),
    ((2, 3), (3,)),
    ((2, 1), (1, 3)),
    ((2, 3), ()),
    ((), (2, 3)),
    ((3, 1), (3, 4)),
    ((1,), (2, 2)),
]
DTYPES = [torch.float16, torch.float32, torch.float64]


def _program(ops, shapes, dtype, wants, values):
    """Build y from leaves a, b with `ops`, backward, and return everything observable."""
    (sa, sb), (va, vb) = shapes, values
    a = torch.tensor(np.asarray(va).reshape(sa).tolist(), dtype=dtype, requires_grad=wants[0])
    b = torch.tensor(np.asarray(vb).reshape(sb).tolist(), dtype=dtype, requires_grad=wants[1])
    y, names = a, []
    for i, op in enumerate(ops):
        y = OPS[op](y, b) if i % 2 == 0 else OPS[op](a, y)
        names.append(None if y.grad_fn is None else y.grad_fn.name())
    if y.requires_grad:
        y.sum().backward()
    grads = [None if t.grad is None else t.grad._data.tobytes() for t in (a, b)]
    return y._data.tobytes(), y._data.dtype, y._data.shape, names, grads


def _both_paths(*args):
    with np.errstate(
        all="ignore"
    ):  # float16 chains may overflow: both paths must agree on inf and nan too
        lean = _program(*args)
        with trace.tracing(trace.Tracer()):  # a do-nothing tracer: every op takes the general path
            general = _program(*args)
    return lean, general


@settings(max_examples=150, deadline=None, derandomize=True)
@given(
    ops=st.lists(st.sampled_from(sorted(OPS)), min_size=1, max_size=6),
    shapes=st.sampled_from(SHAPE_PAIRS),
    dtype=st.sampled_from(DTYPES),
    wants=st.tuples(st.booleans(), st.booleans()),
    seed=st.integers(0, 2**16),
)
def test_lean_and_general_paths_give_the_same_bits_grads_and_graph(ops, shapes, dtype, wants, seed):
    rng = np.random.default_rng(seed)
    # nonzero values, signed zeros among them through the products: divisions stay finite
    values = tuple(
        rng.choice([-1.0, 1.0], int(np.prod(s))) * rng.uniform(0.5, 2, int(np.prod(s)))
        for s in shapes
    )
    lean, general = _both_paths(ops, shapes, dtype, wants, values)
    assert lean == general


def test_zero_d_operands_give_zero_d_tensors_whose_backward_reads_the_saved_values():
    x = torch.tensor(3.0, requires_grad=True)
    w = torch.tensor(-2.0, requires_grad=True)
    y = x * w / (x + w) - w
    assert y.shape == () and isinstance(y._data, np.ndarray)
    y.backward()
    # d/dx (xw/(x+w)) = w^2/(x+w)^2, d/dw = x^2/(x+w)^2 - 1
    assert x.grad.item() == pytest.approx(4.0) and w.grad.item() == pytest.approx(9.0 - 1)


def test_a_broadcast_error_on_the_lean_path_is_pytorchs():
    with pytest.raises(
        RuntimeError,
        match=r"^The size of tensor a \(3\) must match the size of tensor b \(4\) "
        r"at non-singleton dimension 1$",
    ):
        torch.ones(2, 3) * torch.ones(4)


def test_bool_subtraction_is_refused_before_any_work():
    flags = torch.tensor([True, False])
    with pytest.raises(RuntimeError, match="^Subtraction, the `-` operator, with two bool tensors"):
        flags - flags


def test_unsupported_operands_fall_back_to_pythons_type_error():
    with pytest.raises(
        TypeError, match=r"^unsupported operand type\(s\) for \+: 'Tensor' and 'str'$"
    ):
        torch.ones(2) + "two"
