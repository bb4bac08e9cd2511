"""engine.printing.tensor_repr prints exactly what PyTorch 2.13 prints."""

import importlib.util
import json
import os
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.printing import dtype_name, size_repr, tensor_repr

_spec = importlib.util.spec_from_file_location(
    "make_printing_fixtures", Path(__file__).parent / "make_printing_fixtures.py"
)
fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fixtures)

nan, inf = float("nan"), float("inf")

CASES = [
    (np.array(3.5, np.float32), {}, "tensor(3.5000)"),
    (np.array(2.0, np.float64), {}, "tensor(2., dtype=torch.float64)"),
    (np.array(nan, np.float32), {}, "tensor(nan)"),
    (np.array(-0.0, np.float32), {}, "tensor(-0.)"),
    (np.array(7), {}, "tensor(7)"),
    (np.array(True), {}, "tensor(True)"),
    (np.array([1.0, 2.0, 3.0], np.float32), {}, "tensor([1., 2., 3.])"),
    (np.array([1.0, -2.5], np.float32), {}, "tensor([ 1.0000, -2.5000])"),
    (np.array([1e-5, 1.0], np.float32), {}, "tensor([1.0000e-05, 1.0000e+00])"),
    (np.array([inf, nan, 1.0], np.float32), {}, "tensor([inf, nan, 1.])"),
    (np.array([0.0, 0.0], np.float32), {}, "tensor([0., 0.])"),
    (np.array([True, False]), {}, "tensor([ True, False])"),
    (np.array([1, -10], np.int32), {}, "tensor([  1, -10], dtype=torch.int32)"),
    (
        np.array([[1, 2], [3, 4]], np.uint8),
        {},
        "tensor([[1, 2],\n        [3, 4]], dtype=torch.uint8)",
    ),
    (np.ones((2, 1, 2), np.float32), {}, "tensor([[[1., 1.]],\n\n        [[1., 1.]]])"),
    (np.zeros(0, np.float32), {}, "tensor([])"),
    (np.zeros(0, np.int64), {}, "tensor([], dtype=torch.int64)"),
    (np.zeros((0, 3), np.float32), {}, "tensor([], size=(0, 3))"),
    (np.zeros((2, 0), np.bool_), {}, "tensor([], size=(2, 0), dtype=torch.bool)"),
    (np.arange(2000), {}, "tensor([   0,    1,    2,  ..., 1997, 1998, 1999])"),
    (
        np.array(6.0, np.float32),
        {"grad_fn_name": "MulBackward0"},
        "tensor(6., grad_fn=<MulBackward0>)",
    ),
    (np.array([1.0], np.float32), {"requires_grad": True}, "tensor([1.], requires_grad=True)"),
    (
        np.array([1.0], np.float32),
        {"grad_fn_name": "AddBackward0", "requires_grad": True},
        "tensor([1.], grad_fn=<AddBackward0>)",
    ),
    (
        np.zeros((0, 2)),
        {"requires_grad": True},
        "tensor([], size=(0, 2), dtype=torch.float64, requires_grad=True)",
    ),
    (
        np.arange(12, dtype=np.float64) * 1.5,
        {"grad_fn_name": "MulBackward0"},
        "tensor([ 0.0000,  1.5000,  3.0000,  4.5000,  6.0000,  7.5000,  9.0000, 10.5000,\n"
        "        12.0000, 13.5000, 15.0000, 16.5000], dtype=torch.float64,\n"
        "       grad_fn=<MulBackward0>)",
    ),
]


@pytest.mark.parametrize(
    "data, kwargs, expected", CASES, ids=[c[2].split("\n")[0][:40] for c in CASES]
)
def test_tensor_repr(data, kwargs, expected):
    assert tensor_repr(data, **kwargs) == expected


def test_summarized_matrix_uses_edge_items_and_ellipsis_rows():
    expected = (
        "tensor([[   0,    1,    2,  ...,   37,   38,   39],\n"
        "        [  40,   41,   42,  ...,   77,   78,   79],\n"
        "        [  80,   81,   82,  ...,  117,  118,  119],\n"
        "        ...,\n"
        "        [1480, 1481, 1482,  ..., 1517, 1518, 1519],\n"
        "        [1520, 1521, 1522,  ..., 1557, 1558, 1559],\n"
        "        [1560, 1561, 1562,  ..., 1597, 1598, 1599]])"
    )
    assert tensor_repr(np.arange(1600).reshape(40, 40)) == expected


@pytest.mark.parametrize(
    "shape, expected",
    [((), "torch.Size([])"), ((3,), "torch.Size([3])"), ((2, 3), "torch.Size([2, 3])")],
)
def test_size_repr(shape, expected):
    assert size_repr(shape) == expected


def test_dtype_name():
    assert [dtype_name(d) for d in (np.float32, np.int64, np.bool_)] == ["float32", "int64", "bool"]
    with pytest.raises(TypeError):
        dtype_name(np.complex64)


_FIXTURES = json.loads(fixtures.FIXTURE_PATH.read_text())["cases"]


@pytest.mark.parametrize(
    "case", _FIXTURES, ids=[f"{i}-{c['dtype']}-{c['shape']}" for i, c in enumerate(_FIXTURES)]
)
def test_fixture_case(case):
    """Strings recorded from real torch 2.13 by make_printing_fixtures.py (no torch needed)."""
    data = fixtures.build_array(case)
    got = tensor_repr(
        data, grad_fn_name=case.get("grad_fn_name"), requires_grad=case.get("requires_grad", False)
    )
    assert got == case["expected"]


# ---- live comparison against real torch over random tensors ----

_NP_DTYPES = {name: np.dtype(name) for name in fixtures.ALL_DTYPES}
_STYLES = ["normal", "int_valued", "tiny", "huge", "wide_range", "zeros", "small_ints"]


@st.composite
def tensors(draw):
    ndim = draw(st.integers(0, 3))
    if draw(st.integers(0, 4)) == 0:  # sometimes big enough to be summarized (> 1000 elements)
        shape = {
            0: (),
            1: (draw(st.integers(990, 1200)),),
            2: (draw(st.integers(30, 40)), 34),
            3: (10, 11, draw(st.integers(8, 11))),
        }[ndim]
    else:
        shape = tuple(draw(st.lists(st.integers(0, 7), min_size=ndim, max_size=ndim)))
    dtype = draw(st.sampled_from(list(_NP_DTYPES)))
    style = draw(st.sampled_from(_STYLES))
    exponent = draw(st.integers(-12, 12))
    special_rate = draw(st.sampled_from([0.0, 0.0, 0.1, 0.5]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    n = int(np.prod(shape))
    np_dtype = _NP_DTYPES[dtype]
    if np_dtype.kind == "b":
        flat = rng.random(n) < 0.5
    elif np_dtype.kind in "iu":
        info = np.iinfo(np_dtype)
        high = min(int(info.max), 10 ** draw(st.integers(0, 18)))
        low = 0 if np_dtype.kind == "u" else -high
        flat = rng.integers(low, high, size=n, endpoint=True, dtype=np_dtype)
    else:
        x = rng.standard_normal(n)
        x = {
            "normal": x * 10.0**exponent,
            "int_valued": np.round(x * 10.0 ** (exponent % 9)),
            "tiny": x * 1e-30,
            "huge": x * 1e30,
            "wide_range": np.sign(x) * 10.0 ** rng.uniform(-10, 10, n),
            "zeros": np.where(rng.random(n) < 0.5, 0.0, -0.0),
            "small_ints": rng.integers(-3, 4, n).astype(np.float64),
        }[style]
        specials = rng.choice(np.array([nan, inf, -inf, -0.0, 0.0]), size=n)
        x = np.where(rng.random(n) < special_rate, specials, x)
        with np.errstate(over="ignore", under="ignore"):
            flat = x.astype(np_dtype)
    data = np.asarray(flat, dtype=np_dtype).reshape(shape)
    grad_fn_name = requires_grad = None
    if np_dtype.kind == "f":
        suffix = draw(
            st.sampled_from(
                [
                    "none",
                    "requires_grad",
                    "MulBackward0",
                    "CloneBackward0",
                    "LongLongLongLongLongLongNameBackward",
                ]
            )
        )
        grad_fn_name = suffix if suffix.endswith(("Backward0", "Backward")) else None
        requires_grad = suffix == "requires_grad"
    return data, grad_fn_name, bool(requires_grad)


@settings(
    max_examples=int(os.environ.get("PRINTING_EXAMPLES", 300)),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(tensors())
def test_matches_real_torch(example):
    torch = pytest.importorskip("torch")
    data, grad_fn_name, requires_grad = example
    expected = fixtures.torch_repr(torch, data, grad_fn_name, requires_grad)
    assert tensor_repr(data, grad_fn_name=grad_fn_name, requires_grad=requires_grad) == expected
