"""Run a learner's PyTorch program against a `torch` module and describe what it left behind.

Shared by make_torch_fixtures.py (real torch, the oracle) and the conformance tests (engine.torch).
Test tooling only: it uses exec on our own fixed programs; app/ and engine/ never do.
Importing this module imports neither torch nor the engine.
"""

from __future__ import annotations

import builtins
import contextlib
import importlib
import io
import re
import warnings
from collections.abc import Callable

import numpy as np

# The seed every run starts from: PyTorch's default_rng_seed_val (what torch.Generator() holds).
INITIAL_SEED = 67280421310721

_ADDRESS = re.compile(r"0x[0-9a-fA-F]+")


def normalize_addresses(text: str) -> str:
    """`<MulBackward0 object at 0x7f...>` -> `<MulBackward0 object at 0x…>`."""
    return _ADDRESS.sub("0x…", text)


def encode_array(array) -> object:
    """Nested lists for JSON, with nan/inf spelled "nan", "inf", "-inf"."""

    def encode(value):
        if isinstance(value, list):
            return [encode(v) for v in value]
        if isinstance(value, float) and not np.isfinite(value):
            return "nan" if np.isnan(value) else ("inf" if value > 0 else "-inf")
        return value

    return encode(np.asarray(array).tolist())


def decode_array(value, dtype: str) -> np.ndarray:
    """The inverse of encode_array, as a numpy array of `dtype` ("float32", "int64", "bool", ...)."""
    special = {"nan": float("nan"), "inf": float("inf"), "-inf": float("-inf")}

    def decode(v):
        if isinstance(v, list):
            return [decode(x) for x in v]
        return special.get(v, v) if isinstance(v, str) else v

    return np.array(decode(value), dtype=np.dtype(dtype))


def error_record(exc: BaseException) -> dict:
    """Exception type name and the first line of its message (what gradtrace shows)."""
    message = str(exc)
    return {"type": type(exc).__name__, "message": message.splitlines()[0] if message else ""}


def engine_importer(prefix: str = "engine") -> Callable:
    """An `__import__` that serves `torch`, `torch.autograd`, `torch.nn.functional`... from `engine.torch`."""
    real_import = builtins.__import__

    def _import(name, globals=None, locals=None, fromlist=(), level=0):
        if level == 0 and (name == "torch" or name.startswith("torch.")):
            module = importlib.import_module(f"{prefix}.{name}")  # also binds parents' attributes
            if not fromlist:
                return importlib.import_module(f"{prefix}.torch")
            for item in fromlist:  # `from torch import nn` imports the submodule, like Python does
                if not hasattr(module, item):
                    with contextlib.suppress(ImportError):
                        importlib.import_module(f"{prefix}.{name}.{item}")
            return module
        return real_import(name, globals, locals, fromlist, level)

    return _import


def fresh_globals(importer: Callable | None = None) -> dict:
    """A new module namespace; with `importer`, `import torch` inside it goes through it."""
    namespace_builtins = dict(vars(builtins))
    if importer is not None:
        namespace_builtins["__import__"] = importer
    return {"__name__": "__main__", "__builtins__": namespace_builtins}


def run_program(source: str, name: str, namespace: dict) -> dict:
    """exec `source` in `namespace`; returns {output, error} (output address-normalized)."""
    stdout = io.StringIO()
    error = None
    with contextlib.redirect_stdout(stdout), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            exec(compile(source, f"<{name}>", "exec"), namespace)
        except Exception as exc:  # the program's own error is part of what we compare
            error = error_record(exc)
    return {"output": normalize_addresses(stdout.getvalue()), "error": error}


def describe_tensors(
    namespace: dict, tensor_type: type, *, to_numpy: Callable, grad_fn_name: Callable
) -> dict:
    """Every global bound to a tensor: data, grad (and its dtype), grad_fn, is_leaf, requires_grad, shape, dtype."""
    described = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # torch warns when .grad of a non-leaf is read
        for name, value in namespace.items():
            if name.startswith("__") or not isinstance(value, tensor_type):
                continue
            grad = value.grad
            described[name] = {
                "data": encode_array(to_numpy(value)),
                "grad": None if grad is None else encode_array(to_numpy(grad)),
                "grad_dtype": None if grad is None else str(grad.dtype).replace("torch.", ""),
                "grad_fn": None if value.grad_fn is None else grad_fn_name(value.grad_fn),
                "is_leaf": bool(value.is_leaf),
                "requires_grad": bool(value.requires_grad),
                "shape": [int(n) for n in value.shape],
                "dtype": str(value.dtype).replace("torch.", ""),
            }
    return described


def torch_to_numpy(tensor) -> np.ndarray:
    return tensor.detach().cpu().numpy()


def torch_grad_fn_name(node) -> str:
    return type(node).__name__


def engine_to_numpy(tensor) -> np.ndarray:
    return np.asarray(tensor._data)


def engine_grad_fn_name(node) -> str:
    return node.name()


def run_in_engine(source: str, name: str) -> dict:
    """Run one program on engine.torch (fresh globals, `torch` imports mapped to the engine)."""
    import engine.torch
    from engine.tensor import Tensor

    engine.torch.manual_seed(INITIAL_SEED)
    namespace = fresh_globals(engine_importer())
    result = run_program(source, name, namespace)
    result["tensors"] = describe_tensors(
        namespace, Tensor, to_numpy=engine_to_numpy, grad_fn_name=engine_grad_fn_name
    )
    return result


def assert_values_close(got, want, dtype: str, what: str) -> None:
    """Encoded arrays equal in shape; floats to rtol 1e-5 (atol 1e-6), other dtypes exactly."""
    got_array, want_array = decode_array(got, dtype), decode_array(want, dtype)
    assert got_array.shape == want_array.shape, (
        f"{what}: shape {got_array.shape} != {want_array.shape}"
    )
    if np.dtype(dtype).kind == "f":
        np.testing.assert_allclose(
            got_array, want_array, rtol=1e-5, atol=1e-6, equal_nan=True, err_msg=what
        )
    else:
        np.testing.assert_array_equal(got_array, want_array, err_msg=what)


def assert_same_tensors(got_tensors: dict, want_tensors: dict, exact_keys: tuple[str, ...]) -> None:
    """Same names bound to tensors; per tensor the exact_keys equal, data and grad close."""
    assert sorted(got_tensors) == sorted(want_tensors), "names bound to tensors differ"
    for var, want in want_tensors.items():
        got = got_tensors[var]
        for key in exact_keys:
            assert got[key] == want[key], f"{var}.{key}: got {got[key]!r}, torch has {want[key]!r}"
        assert_values_close(got["data"], want["data"], want["dtype"], f"{var}.data")
        assert (got["grad"] is None) == (want["grad"] is None), (
            f"{var}.grad: got {'None' if got['grad'] is None else 'a tensor'}, torch has {want['grad']!r}"
        )
        if want["grad"] is not None:
            assert_values_close(got["grad"], want["grad"], want["dtype"], f"{var}.grad")
