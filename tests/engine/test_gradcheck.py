"""Every differentiable engine op: backward agrees with central finite differences of its own forward (float64).

One helper, one line per op (tinygrad's helper_test_op style). Random shapes, broadcasting included;
input values are kept away from points where an op is not differentiable.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import engine.torch as torch
import engine.torch.nn.functional as F

EPS = 1e-6
MAX_SIDE = 3


# ---------------------------------------------------------------- input values


def values(kind: str, shape: tuple, rng: np.random.Generator) -> np.ndarray:
    """Random float64 values of one kind: where the op under test is smooth."""
    return np.array(_values(kind, shape, rng), dtype=np.float64)


def _values(kind, shape, rng):
    if kind == "any":
        return rng.uniform(-2, 2, shape)
    if kind == "positive":  # log, sqrt, pow base
        return rng.uniform(0.5, 3, shape)
    if kind == "nonzero":  # denominators
        return rng.choice([-1.0, 1.0], shape) * rng.uniform(0.5, 2, shape)
    if kind == "nonint":  # abs, relu, clamp(-1, 1), where(x > 0): keep 0.1 from every integer
        return np.round(rng.uniform(-2.5, 2.5, shape)) + rng.choice(
            [-1.0, 1.0], shape
        ) * rng.uniform(0.1, 0.4, shape)
    if kind == "prob":  # binary_cross_entropy input
        return rng.uniform(0.05, 0.95, shape)
    raise ValueError(kind)


def distinct_values(shapes: list[tuple], rng: np.random.Generator) -> list[np.ndarray]:
    """Values that differ by >= 0.1 across all inputs (max, min, maximum, minimum have no ties)."""
    sizes = [int(np.prod(s)) for s in shapes]
    grid = rng.permutation(sum(sizes)) * 0.1 - 1.0 + rng.uniform(0, 0.02)
    return [grid[sum(sizes[:i]) : sum(sizes[: i + 1])].reshape(s) for i, s in enumerate(shapes)]


def engine_tensor(array: np.ndarray, requires_grad: bool = False):
    return torch.tensor(array.tolist(), dtype=torch.float64, requires_grad=requires_grad)


def as_numpy(tensor) -> np.ndarray:
    return np.asarray(tensor._data, dtype=np.float64)


# ---------------------------------------------------------------- the helper


def helper_test_op(shapes: list[tuple], fn: Callable, kinds: tuple, seed: int) -> None:
    """fn's backward (seeded with a random `gradient`) equals central differences of fn's forward."""
    rng = np.random.default_rng(seed)
    if kinds == ("distinct",):
        arrays = distinct_values(shapes, rng)
    else:
        arrays = [
            values(kinds[min(i, len(kinds) - 1)], shape, rng) for i, shape in enumerate(shapes)
        ]

    inputs = [engine_tensor(a, requires_grad=True) for a in arrays]
    out = fn(*inputs)
    assert out.dtype == torch.float64, f"float64 inputs gave {out.dtype}"
    weight = rng.uniform(-1, 1, tuple(out.shape))
    out.backward(gradient=engine_tensor(weight))

    def objective(perturbed: list[np.ndarray]) -> float:
        return float(np.sum(as_numpy(fn(*[engine_tensor(a) for a in perturbed])) * weight))

    for i, (array, tensor) in enumerate(zip(arrays, inputs)):
        assert tensor.grad is not None, f"input {i} got no gradient"
        numeric = np.zeros_like(array)
        for j in np.ndindex(array.shape):
            plus = [a.copy() for a in arrays]
            minus = [a.copy() for a in arrays]
            plus[i][j] += EPS
            minus[i][j] -= EPS
            numeric[j] = (objective(plus) - objective(minus)) / (2 * EPS)
        analytic = as_numpy(tensor.grad)
        assert analytic.shape == array.shape, (
            f"input {i}: grad shape {analytic.shape} != {array.shape}"
        )
        np.testing.assert_allclose(
            analytic, numeric, rtol=1e-5, atol=1e-6, err_msg=f"gradient of input {i}"
        )


# ---------------------------------------------------------------- shapes


def shape(min_dims=0, max_dims=3, min_side=1, max_side=MAX_SIDE):
    return st.lists(st.integers(min_side, max_side), min_size=min_dims, max_size=max_dims).map(
        tuple
    )


def one(min_dims=0, max_dims=3, min_side=1):
    return shape(min_dims, max_dims, min_side).map(lambda s: [s])


@st.composite
def broadcastable(draw, n=2, min_dims=0):
    """n shapes that broadcast together: each drops some leading dims of a base and sets some sides to 1."""
    base = draw(shape(min_dims=min_dims))
    shapes = []
    for _ in range(n):
        dropped = draw(st.integers(0, len(base)))
        shapes.append(tuple(1 if draw(st.booleans()) else side for side in base[dropped:]))
    return shapes


@st.composite
def broadcast_into(draw):
    """(a, b) where b broadcasts to a's shape, as an in-place a.op_(b) needs."""
    base = draw(shape())
    dropped = draw(st.integers(0, len(base)))
    return [base, tuple(1 if draw(st.booleans()) else side for side in base[dropped:])]


def same(n, min_dims=0):
    return shape(min_dims=min_dims).map(lambda s: [s] * n)


@st.composite
def sides(draw, count):
    return [draw(st.integers(1, MAX_SIDE)) for _ in range(count)]


mm_shapes = sides(3).map(lambda s: [(s[0], s[1]), (s[1], s[2])])
mv_shapes = sides(2).map(lambda s: [(s[0], s[1]), (s[1],)])
dot_shapes = sides(1).map(lambda s: [(s[0],), (s[0],)])
vm_shapes = sides(2).map(lambda s: [(s[0],), (s[0], s[1])])
bmm_shapes = sides(4).map(lambda s: [(s[0], s[1], s[2]), (s[2], s[3])])
batch_bcast_shapes = sides(4).map(lambda s: [(s[0], s[1], s[2]), (1, s[2], s[3])])
cat0_shapes = sides(3).map(lambda s: [(s[0], s[2]), (s[1], s[2])])
cat1_shapes = sides(3).map(lambda s: [(s[2], s[0]), (s[2], s[1])])


def pattern(shape_, classes=2):
    """A fixed, non-differentiable target: 0, 1, 0, 1, ... (float64)."""
    return engine_tensor(np.arange(int(np.prod(shape_))).reshape(shape_) % classes)


def class_targets(n, classes):
    return torch.tensor([i % classes for i in range(n)])


def set_first(a, b):
    """y = a * 1; y[0] = b: an in-place write into a non-leaf (CopySlices)."""
    y = a * 1
    y[0] = b
    return y


# ---------------------------------------------------------------- one line per op


@dataclass(frozen=True)
class Op:
    name: str
    fn: Callable
    shapes: st.SearchStrategy
    kinds: tuple = ("any",)


OPS = [
    # arithmetic, with broadcasting
    Op("add", lambda a, b: a + b, broadcastable()),
    Op("torch.add", lambda a, b: torch.add(a, b), broadcastable()),
    Op("sub", lambda a, b: a - b, broadcastable()),
    Op("mul", lambda a, b: a * b, broadcastable()),
    Op("mul_three_way_broadcast", lambda a, b, c: a * b * c, broadcastable(3)),
    Op("div", lambda a, b: a / b, broadcastable(), ("any", "nonzero")),
    Op("pow_tensor_tensor", lambda a, b: a**b, broadcastable(), ("positive", "any")),
    Op("pow_scalar_2", lambda x: x**2, one()),
    Op("pow_scalar_3_method", lambda x: x.pow(3), one()),
    Op("pow_scalar_half", lambda x: torch.pow(x, 0.5), one(), ("positive",)),
    Op("pow_scalar_negative", lambda x: x**-1, one(), ("nonzero",)),
    Op("neg", lambda x: -x, one()),
    Op("torch.neg", lambda x: torch.neg(x), one()),
    Op("add_scalar", lambda x: x + 1.5, one()),
    Op("sub_scalar", lambda x: x - 2, one()),
    Op("mul_scalar", lambda x: x * 3, one()),
    Op("div_scalar", lambda x: x / 4, one()),
    Op("rsub", lambda x: 2 - x, one()),
    Op("rdiv", lambda x: 2 / x, one(), ("nonzero",)),
    Op("rpow", lambda x: 2**x, one()),
    Op("radd_rmul", lambda x: 1 + 3 * x, one()),
    # unary functions, both forms
    Op("exp", lambda x: torch.exp(x), one()),
    Op("exp_method", lambda x: x.exp(), one()),
    Op("log", lambda x: torch.log(x), one(), ("positive",)),
    Op("log_method", lambda x: x.log(), one(), ("positive",)),
    Op("sqrt", lambda x: torch.sqrt(x), one(), ("positive",)),
    Op("sqrt_method", lambda x: x.sqrt(), one(), ("positive",)),
    Op("abs", lambda x: torch.abs(x), one(), ("nonint",)),
    Op("abs_method", lambda x: x.abs(), one(), ("nonint",)),
    Op("sin", lambda x: torch.sin(x), one()),
    Op("cos_method", lambda x: x.cos(), one()),
    Op("tanh", lambda x: torch.tanh(x), one()),
    Op("tanh_method", lambda x: x.tanh(), one()),
    Op("sigmoid", lambda x: torch.sigmoid(x), one()),
    Op("sigmoid_method", lambda x: x.sigmoid(), one()),
    Op("relu", lambda x: torch.relu(x), one(), ("nonint",)),
    Op("relu_method", lambda x: x.relu(), one(), ("nonint",)),
    Op("clamp_min_max", lambda x: torch.clamp(x, -1, 1), one(), ("nonint",)),
    Op("clamp_min_method", lambda x: x.clamp(min=0), one(), ("nonint",)),
    Op("clamp_max_method", lambda x: x.clamp(max=1), one(), ("nonint",)),
    Op("maximum", lambda a, b: torch.maximum(a, b), broadcastable(), ("distinct",)),
    Op("minimum", lambda a, b: torch.minimum(a, b), broadcastable(), ("distinct",)),
    Op("where", lambda a, b: torch.where(a > 0, a, b), broadcastable(), ("nonint", "any")),
    # reductions
    Op("sum", lambda x: x.sum(), one()),
    Op("torch.sum_dim0", lambda x: torch.sum(x, 0), one(min_dims=1)),
    Op("sum_dim_last_keepdim", lambda x: x.sum(dim=-1, keepdim=True), one(min_dims=1)),
    Op("sum_dim_tuple", lambda x: x.sum(dim=(0, 1)), one(min_dims=2)),
    Op("mean", lambda x: x.mean(), one()),
    Op("torch.mean_dim1", lambda x: torch.mean(x, dim=1), one(min_dims=2)),
    Op("mean_dim0_keepdim", lambda x: x.mean(0, keepdim=True), one(min_dims=1)),
    Op("max_all", lambda x: x.max(), one(), ("distinct",)),
    Op("min_all", lambda x: torch.min(x), one(), ("distinct",)),
    Op("max_dim", lambda x: x.max(dim=0).values, one(min_dims=1), ("distinct",)),
    Op(
        "max_dim_keepdim",
        lambda x: torch.max(x, dim=-1, keepdim=True)[0],
        one(min_dims=1),
        ("distinct",),
    ),
    Op("min_dim", lambda x: x.min(dim=-1)[0], one(min_dims=1), ("distinct",)),
    Op("prod", lambda x: x.prod(), one(), ("nonzero",)),
    Op("prod_dim", lambda x: torch.prod(x, dim=0), one(min_dims=1), ("nonzero",)),
    Op("std", lambda x: x.std(), one(min_dims=1, min_side=2)),
    Op("std_dim_keepdim", lambda x: x.std(dim=0, keepdim=True), one(min_dims=1, min_side=2)),
    Op(
        "torch.std_correction_0",
        lambda x: torch.std(x, dim=-1, correction=0),
        one(min_dims=1, min_side=2),
    ),
    Op("var", lambda x: x.var(), one(min_dims=1, min_side=2)),
    Op("var_dim_biased", lambda x: x.var(0, unbiased=False), one(min_dims=1)),
    Op("norm", lambda x: x.norm(), one(), ("nonzero",)),
    Op("norm_dim_keepdim", lambda x: x.norm(dim=-1, keepdim=True), one(min_dims=1), ("nonzero",)),
    Op("norm_p1", lambda x: torch.norm(x, p=1), one(), ("nonzero",)),
    Op("norm_p3_dim0", lambda x: x.norm(p=3, dim=0), one(min_dims=1), ("nonzero",)),
    Op("norm_inf", lambda x: x.norm(float("inf")), one(), ("distinct",)),
    Op("sort_values", lambda x: x.sort().values, one(min_dims=1), ("distinct",)),
    Op(
        "sort_descending_dim0",
        lambda x: torch.sort(x, dim=0, descending=True)[0],
        one(min_dims=1),
        ("distinct",),
    ),
    Op("unary_plus", lambda x: (+x) * 2, one()),
    Op("remainder_scalar", lambda x: x % 2, one(), ("nonint",)),
    Op(
        "floor_round_ceil_trunc",
        lambda x: x.floor() + x.round() + torch.ceil(x) + x.trunc() + x,
        one(),
        ("nonint",),
    ),
    # matrix products
    Op("matmul_2d_2d", lambda a, b: torch.matmul(a, b), mm_shapes),
    Op("matmul_operator", lambda a, b: a @ b, mm_shapes),
    Op("mm", lambda a, b: torch.mm(a, b), mm_shapes),
    Op("mm_method", lambda a, b: a.mm(b), mm_shapes),
    Op("mv", lambda a, b: torch.mv(a, b), mv_shapes),
    Op("dot", lambda a, b: torch.dot(a, b), dot_shapes),
    Op("matmul_1d_1d", lambda a, b: a @ b, dot_shapes),
    Op("matmul_2d_1d", lambda a, b: torch.matmul(a, b), mv_shapes),
    Op("matmul_1d_2d", lambda a, b: a @ b, vm_shapes),
    Op("matmul_3d_2d", lambda a, b: a @ b, bmm_shapes),
    Op("matmul_batch_broadcast", lambda a, b: torch.matmul(a, b), batch_bcast_shapes),
    # shapes
    Op("t", lambda x: x.t(), one(max_dims=2)),
    Op("torch.t", lambda x: torch.t(x), one(min_dims=2, max_dims=2)),
    Op("transpose", lambda x: torch.transpose(x, 0, -1), one(min_dims=1)),
    Op("T", lambda x: x.T, one(min_dims=2, max_dims=2)),
    Op("reshape_flat", lambda x: x.reshape(-1), one()),
    Op("torch.reshape", lambda x: torch.reshape(x, (-1, 1)), one()),
    Op("view", lambda x: x.view(x.numel()), one()),
    Op("squeeze", lambda x: x.squeeze(), one()),
    Op("squeeze_dim", lambda x: torch.squeeze(x, 0), one(min_dims=1)),
    Op("unsqueeze", lambda x: x.unsqueeze(0), one()),
    Op("unsqueeze_last", lambda x: torch.unsqueeze(x, -1), one()),
    Op("flatten", lambda x: x.flatten(), one()),
    Op("flatten_from_1", lambda x: torch.flatten(x, 1), one(min_dims=2)),
    # indexing
    Op("index_int", lambda x: x[0], one(min_dims=1)),
    Op("index_negative_int", lambda x: x[-1], one(min_dims=1)),
    Op("index_two_ints", lambda x: x[0, -1], one(min_dims=2)),
    Op("index_slice", lambda x: x[1:], one(min_dims=1, min_side=2)),
    Op("index_step_slice", lambda x: x[::2], one(min_dims=1)),
    Op("index_column", lambda x: x[:, 0], one(min_dims=2)),
    Op("index_column_slice", lambda x: x[:, 1:], one(min_dims=2, min_side=2)),
    Op("index_none", lambda x: x[None], one()),
    Op("index_none_middle", lambda x: x[:, None], one(min_dims=1)),
    Op("index_fan_out", lambda x: x[0] * x[-1], one(min_dims=1)),
    Op("index_list", lambda x: x[[0, -1, 0]], one(min_dims=1)),
    Op("index_mask", lambda x: x[x > 0] * 2, one(min_dims=1), ("nonint",)),
    Op(
        "iterate_rows", lambda x: torch.stack([row * i for i, row in enumerate(x)]), one(min_dims=1)
    ),
    Op("setitem_row", set_first, sides(2).map(lambda s: [(s[0], s[1]), (s[1],)])),
    # joining
    Op("cat_dim0", lambda a, b: torch.cat([a, b]), cat0_shapes),
    Op("cat_dim1", lambda a, b: torch.cat((a, b), dim=1), cat1_shapes),
    Op("cat_same_twice", lambda a: torch.cat([a, a * 2]), one(min_dims=1)),
    Op("stack_dim0", lambda a, b: torch.stack([a, b]), same(2)),
    Op("stack_last", lambda a, b, c: torch.stack((a, b, c), dim=-1), same(3)),
    # softmax and friends
    Op("softmax", lambda x: torch.softmax(x, dim=-1), one(min_dims=1)),
    Op("softmax_dim0_method", lambda x: x.softmax(dim=0), one(min_dims=1)),
    Op("F.softmax", lambda x: F.softmax(x, dim=1), one(min_dims=2)),
    Op("log_softmax", lambda x: torch.log_softmax(x, dim=-1), one(min_dims=1)),
    Op("F.log_softmax_dim0", lambda x: F.log_softmax(x, dim=0), one(min_dims=1)),
    Op("log_softmax_method", lambda x: x.log_softmax(dim=-1), one(min_dims=1)),
    # torch.nn.functional
    Op("F.relu", lambda x: F.relu(x), one(), ("nonint",)),
    Op("F.sigmoid", lambda x: F.sigmoid(x), one()),
    Op("F.tanh", lambda x: F.tanh(x), one()),
    Op("F.mse_loss", lambda a, b: F.mse_loss(a, b), same(2)),
    Op("F.mse_loss_sum", lambda a, b: F.mse_loss(a, b, reduction="sum"), same(2)),
    Op("F.mse_loss_none", lambda a, b: F.mse_loss(a, b, reduction="none"), same(2)),
    Op(
        "F.binary_cross_entropy",
        lambda p: F.binary_cross_entropy(p, pattern(tuple(p.shape))),
        one(),
        ("prob",),
    ),
    Op(
        "F.binary_cross_entropy_sum",
        lambda p: F.binary_cross_entropy(p, pattern(tuple(p.shape)), reduction="sum"),
        one(),
        ("prob",),
    ),
    Op(
        "F.cross_entropy",
        lambda x: F.cross_entropy(x, class_targets(x.shape[0], x.shape[1])),
        one(min_dims=2, max_dims=2),
    ),
    Op(
        "F.cross_entropy_sum",
        lambda x: F.cross_entropy(x, class_targets(x.shape[0], x.shape[1]), reduction="sum"),
        one(min_dims=2, max_dims=2),
    ),
    Op(
        "F.cross_entropy_1d",
        lambda x: F.cross_entropy(x, torch.tensor(x.shape[0] - 1)),
        one(min_dims=1, max_dims=1),
    ),
    # more the engine exposes: permute, expand, repeat, bmm, reciprocal, nll_loss, bce with logits
    Op("permute", lambda x: x.permute(2, 0, 1), one(min_dims=3, max_dims=3)),
    Op("torch.permute", lambda x: torch.permute(x, (1, 0)), one(min_dims=2, max_dims=2)),
    Op("expand", lambda x: x.expand(2, *x.shape), one()),
    Op("repeat", lambda x: x.repeat(2, 1), one(min_dims=1, max_dims=2)),
    Op(
        "bmm",
        lambda a, b: torch.bmm(a, b),
        sides(4).map(lambda s: [(s[0], s[1], s[2]), (s[0], s[2], s[3])]),
    ),
    Op("reciprocal", lambda x: torch.reciprocal(x), one(), ("nonzero",)),
    Op("clamp_min_fn", lambda x: torch.clamp_min(x, 0.0), one(), ("nonint",)),
    Op(
        "F.nll_loss",
        lambda x: F.nll_loss(F.log_softmax(x, dim=1), class_targets(x.shape[0], x.shape[1])),
        one(min_dims=2, max_dims=2),
    ),
    Op(
        "F.binary_cross_entropy_with_logits",
        lambda z: F.binary_cross_entropy_with_logits(z, pattern(tuple(z.shape))),
        one(),
    ),
    # in-place ops on non-leaves, and a copy
    Op("add_inplace", lambda a, b: (a * 1).add_(b), broadcast_into()),
    Op("sub_inplace", lambda x: (x * 1).sub_(x * x), one()),
    Op("mul_inplace", lambda a, b: (a + 0).mul_(b), broadcast_into()),
    Op("div_inplace", lambda a, b: (a + 0).div_(b), broadcast_into(), ("any", "nonzero")),
    Op("clone", lambda x: x.clone() * x, one()),
    # compositions learners write
    Op("diamond_relu", lambda a: a.relu() * a.relu(), one(), ("nonint",)),
    Op(
        "linear_layer",
        lambda x, w, b: (x @ w + b).tanh(),
        sides(3).map(lambda s: [(s[0], s[1]), (s[1], s[2]), (s[2],)]),
    ),
    Op("manual_softmax", lambda x: x.exp() / x.exp().sum(dim=-1, keepdim=True), one(min_dims=1)),
]


@pytest.mark.parametrize("op", OPS, ids=[op.name for op in OPS])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_backward_matches_finite_differences(op, data):
    shapes = data.draw(op.shapes, label="shapes")
    seed = data.draw(st.integers(0, 2**32 - 1), label="seed")
    helper_test_op(shapes, op.fn, op.kinds, seed)
