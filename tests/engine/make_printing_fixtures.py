"""Write tests/engine/fixtures/printing_cases.json: real PyTorch's repr for ~150 fixed tensors.

Run with the pinned torch==2.13.0: `python tests/engine/make_printing_fixtures.py`.
The test suite reads the file without torch (test_printing.py::test_fixture_case).
Importing this module does not import torch: `build_array` and `torch_repr` are shared with the tests.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

FIXTURE_PATH = Path(__file__).parent / "fixtures" / "printing_cases.json"

FLOAT_DTYPES = ["float32", "float64", "float16"]
INT_DTYPES = ["int64", "int32", "int16", "int8", "uint8"]
ALL_DTYPES = FLOAT_DTYPES + INT_DTYPES + ["bool"]

_SPECIAL = {"nan": float("nan"), "inf": float("inf"), "-inf": float("-inf")}


def _encode(value):
    if isinstance(value, float) and not np.isfinite(value):
        return "nan" if np.isnan(value) else ("inf" if value > 0 else "-inf")
    return value


def build_array(case: dict) -> np.ndarray:
    """The numpy array a case describes: explicit flat `values`, or an exact-arithmetic `recipe`."""
    dtype = np.dtype(case["dtype"])
    shape = tuple(case["shape"])
    if "values" in case:
        flat = [_SPECIAL.get(v, v) if isinstance(v, str) else v for v in case["values"]]
        with np.errstate(over="ignore", invalid="ignore"):
            return (
                np.array(flat, dtype=np.float64 if dtype.kind == "f" else dtype)
                .astype(dtype)
                .reshape(shape)
            )
    r = case[
        "recipe"
    ]  # integer arithmetic, one IEEE multiply, one cast: identical on every platform
    n = int(np.prod(shape))
    ints = (np.arange(n, dtype=np.int64) * r["mult"]) % r["mod"] - r["offset"]
    with np.errstate(over="ignore", invalid="ignore"):
        flat = (
            (ints.astype(np.float64) * r["scale"]).astype(dtype)
            if dtype.kind == "f"
            else ints.astype(dtype)
        )
    for index, value in r.get("specials", {}).items():
        flat[int(index)] = _SPECIAL.get(value, value)
    return flat.reshape(shape)


def torch_repr(
    torch, data: np.ndarray, grad_fn_name: str | None = None, requires_grad: bool = False
) -> str:
    """repr() of a real torch tensor holding `data`, with a grad_fn of that name or requires_grad."""
    t = torch.from_numpy(np.array(data, order="C", copy=True))  # (ascontiguousarray makes 0-d 1-d)
    if grad_fn_name is None:
        return repr(t.requires_grad_(requires_grad))
    leaf = t.requires_grad_(True)
    ops = {  # value-preserving ops (also for nan and -0.0) with the grad_fn names asked for
        "CloneBackward0": lambda x: x.clone(),
        "MulBackward0": lambda x: x * 1,
        "SubBackward0": lambda x: x - 0,
        "DivBackward0": lambda x: x / 1,
        "ViewBackward0": lambda x: x.view(x.shape),
    }
    if grad_fn_name in ops:
        out = ops[grad_fn_name](leaf)
    else:  # a custom Function named <name minus "Backward">: its node is named <name>
        assert grad_fn_name.endswith("Backward"), grad_fn_name
        fn = type(
            grad_fn_name[: -len("Backward")],
            (torch.autograd.Function,),
            {
                "forward": staticmethod(lambda ctx, x: x.clone()),
                "backward": staticmethod(lambda ctx, g: g),
            },
        )
        out = fn.apply(leaf)
    assert type(out.grad_fn).__name__ == grad_fn_name
    return repr(out)


def _v(dtype, shape, values, **suffix):
    return {"dtype": dtype, "shape": list(shape), "values": [_encode(v) for v in values], **suffix}


def _r(dtype, shape, mult, mod, offset, scale=1.0, specials=None, **suffix):
    recipe = {
        "mult": mult,
        "mod": mod,
        "offset": offset,
        "scale": scale,
        "specials": specials or {},
    }
    return {"dtype": dtype, "shape": list(shape), "recipe": recipe, **suffix}


def make_cases() -> list[dict]:
    nan, inf = float("nan"), float("inf")
    cases = []
    # 0-d tensors of every dtype
    for dtype in FLOAT_DTYPES:
        for value in [0.0, -0.0, 1.0, -2.0, 3.5, 0.1, 1e-5, 12345.678, 1e10, nan, inf, -inf]:
            cases.append(_v(dtype, (), [value]))
    for dtype in INT_DTYPES:
        cases.append(_v(dtype, (), [0]))
        cases.append(_v(dtype, (), [7 if dtype == "uint8" else -7]))
    cases += [_v("bool", (), [True]), _v("bool", (), [False])]
    # empty tensors, every dtype, several shapes
    for dtype in ALL_DTYPES:
        cases.append(_v(dtype, (0,), []))
    for shape in [(0, 3), (2, 0), (2, 0, 4), (1, 0)]:
        for dtype in ["float32", "int64", "bool", "float64"]:
            cases.append(_v(dtype, shape, []))
    # vectors: int_mode, fixed, sci, nan/inf mixes, widths
    vectors = [
        [1.0, 2.0, 3.0],
        [1.0, -2.0, 300.0],
        [0.5, 1.25, -3.75],
        [0.0, 0.0, 0.0],
        [-0.0, 0.0, 1.0],
        [1e-5, 1.0, 2.0],
        [1e-4, 0.1],
        [1.0, 1001.0],
        [1.0, 999.5],
        [1e8, 1.0],
        [1.5e8, 2.0],
        [123456789.0, 1.0],
        [nan, 1.0, 2.0],
        [nan, 0.5],
        [inf, -inf, 1.0],
        [inf, nan, 1e-7],
        [nan, nan],
        [inf, 0.0],
        [9.99996, 1.0],
        [99999.5, 0.5],
        [-1e-10, 3e10, 0.0, nan],
        [0.1 * i for i in range(30)],
        [i * 1.5 - 20.0 for i in range(40)],
        [2.0 ** (-i) for i in range(25)],
    ]
    for values in vectors:
        cases.append(_v("float32", (len(values),), values))
    for values in vectors[::3]:
        cases.append(_v("float64", (len(values),), values))
        cases.append(_v("float16", (len(values),), values))
    for dtype in INT_DTYPES:
        cases.append(_v(dtype, (5,), [0, 1, 2, 100, 5] if dtype != "int8" else [0, 1, -2, 100, 5]))
        cases.append(
            _v(dtype, (6,), [0, 1, 2, 3, 120, 7] if dtype == "uint8" else [-100, 1, 2, 3, 120, -7])
        )
    cases.append(_v("int64", (3,), [-(2**63), 0, 2**63 - 1]))
    cases.append(_v("int64", (40,), [i * 1000 - 20000 for i in range(40)]))
    cases += [_v("bool", (4,), [True, False, True, True]), _v("bool", (3,), [True, True, True])]
    cases.append(_v("bool", (30,), [i % 3 == 0 for i in range(30)]))
    # matrices and higher
    cases.append(_v("float32", (2, 3), [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]))
    cases.append(_v("float32", (2, 3), [0.1, -0.2, 0.3, 4.0, 5.5, -66.0]))
    cases.append(_v("float64", (3, 2), [1e-6, 2.0, 3.0, 4.0, 5.0, 6.0]))
    cases.append(_v("int32", (2, 2, 2), list(range(8))))
    cases.append(_v("float32", (2, 1, 3), [1.0, nan, -inf, 0.25, 0.5, 0.75]))
    cases.append(_v("float32", (1, 1, 1, 1), [4.0]))
    cases.append(_v("float16", (2, 2), [1.0, 65504.0, -0.5, 0.001]))
    cases.append(_r("float32", (4, 25), 37, 101, 50, 0.013))
    cases.append(_r("float32", (3, 4, 5), 7, 61, 30, 0.5))
    cases.append(_r("int64", (6, 7), 13, 1000, 500))
    cases.append(_r("float32", (2, 3, 4, 5), 11, 97, 48, 1.0))
    # summarized (numel > 1000)
    cases.append(_r("float32", (1001,), 7919, 1000, 500, 0.001))
    cases.append(_r("float32", (2000,), 7919, 1000, 500, 1.0))
    cases.append(_r("float64", (40, 40), 31, 997, 400, 0.37))
    cases.append(_r("float32", (10, 11, 12), 17, 1009, 500, 1e-3, {"0": "nan", "1319": "inf"}))
    cases.append(_r("float32", (3, 400), 29, 701, 350, 1e6))
    cases.append(_r("float32", (400, 3), 29, 701, 350, 1.0, {"5": "-inf"}))
    cases.append(_r("float32", (2, 3, 200), 23, 503, 250, 2.5e-5))
    cases.append(_r("float32", (6, 6, 30), 3, 10, 0, 1.0))
    cases.append(_r("float32", (7, 7, 7, 7), 5, 13, 6, 0.25))
    cases.append(_r("float16", (1200,), 41, 2003, 1000, 0.125))
    cases.append(_r("int64", (1100,), 104729, 100000, 50000))
    cases.append(_r("uint8", (35, 35), 7, 256, 0))
    cases.append(_r("int8", (2, 600), 7, 256, 128))
    cases.append(_r("bool", (1024,), 1, 3, 0))
    cases.append(_r("float32", (1001,), 1, 1, 0, 0.0, {"500": "nan"}))
    # suffixes: requires_grad, grad_fn, with dtype, and wrapping past 80 columns
    cases.append(_v("float32", (), [2.0], requires_grad=True))
    cases.append(_v("float32", (3,), [1.0, 2.0, 3.0], requires_grad=True))
    cases.append(_v("float64", (2,), [0.5, 1.5], requires_grad=True))
    cases.append(_v("float16", (2,), [0.5, 1.5], requires_grad=True))
    cases.append(_v("float32", (0,), [], requires_grad=True))
    cases.append(_v("float64", (0, 2), [], requires_grad=True))
    cases.append(_v("float32", (), [6.0], grad_fn_name="MulBackward0"))
    cases.append(_v("float32", (2, 2), [1.0, 2.0, 3.0, 4.0], grad_fn_name="SubBackward0"))
    cases.append(_v("float64", (3,), [1e-5, 2.0, nan], grad_fn_name="DivBackward0"))
    cases.append(_v("float32", (0, 3), [], grad_fn_name="ViewBackward0"))
    cases.append(
        _v(
            "float32",
            (),
            [1.0],
            grad_fn_name="AVeryLongCustomFunctionNameThatKeepsGoingAndGoingBackward",
        )
    )
    cases.append(
        _v(
            "float64",
            (),
            [1.0],
            grad_fn_name="AVeryLongCustomFunctionNameThatKeepsGoingAndGoingBackward",
        )
    )
    cases.append(_r("float32", (1200,), 7, 100, 50, 0.1, grad_fn_name="CloneBackward0"))
    cases.append(_r("float64", (1200,), 7, 100, 50, 0.1, requires_grad=True))
    for n in range(8, 13):  # last line length near the 80-column limit
        cases.append(
            _v("float32", (n,), [1.5 * i for i in range(n)], grad_fn_name="CloneBackward0")
        )
        cases.append(_v("float64", (n,), [1.5 * i for i in range(n)], grad_fn_name="MulBackward0"))
    for n in range(9, 13):
        cases.append(_v("float64", (n,), [100.5 * i for i in range(n)], requires_grad=True))
    return cases


def main() -> None:
    import torch

    assert torch.__version__.startswith("2.13."), torch.__version__
    cases = make_cases()
    for case in cases:
        data = build_array(case)
        case["expected"] = torch_repr(
            torch, data, case.get("grad_fn_name"), case.get("requires_grad", False)
        )
    FIXTURE_PATH.parent.mkdir(parents=True, exist_ok=True)
    FIXTURE_PATH.write_text(
        json.dumps({"torch": torch.__version__, "cases": cases}, indent=1) + "\n"
    )
    print(f"wrote {len(cases)} cases to {FIXTURE_PATH}")


if __name__ == "__main__":
    main()
