"""Tensor repr identical to PyTorch 2.13's (a numpy port of torch/_tensor_str.py, with its print options).

Only what a CPU, strided, non-complex tensor needs is ported; names mirror the original
(`_Formatter`, `_vector_str`, `get_summarized_data`, `_add_suffixes`) so the two can be read side
by side. All numbers are formatted as Python floats/ints, exactly as `Tensor.tolist()` /
`Tensor.item()` hand them to `str.format` in PyTorch.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable

import numpy as np


class _PrintOptions(threading.local):
    """torch._tensor_str.PRINT_OPTS, per thread (a server runs several programs at once); the class
    attributes are the "default" profile, sci_mode None (chosen from the values)."""

    precision = 4
    threshold = 1000
    edgeitems = 3
    linewidth = 80
    sci_mode = None


PRINT_OPTS = _PrintOptions()
PROFILES = {"default": (4, 1000, 3, 80), "short": (2, 1000, 2, 80), "full": (4, math.inf, 3, 80)}


def set_printoptions(
    precision=None, threshold=None, edgeitems=None, linewidth=None, profile=None, sci_mode=None
):
    """torch.set_printoptions."""
    if profile is not None:
        if profile not in PROFILES:
            raise NotImplementedError(f"gradtrace does not support the print profile {profile!r}")
        (PRINT_OPTS.precision, PRINT_OPTS.threshold, PRINT_OPTS.edgeitems, PRINT_OPTS.linewidth) = (
            PROFILES[profile]
        )
    if precision is not None:
        PRINT_OPTS.precision = precision
    if threshold is not None:
        PRINT_OPTS.threshold = threshold
    if edgeitems is not None:
        PRINT_OPTS.edgeitems = edgeitems
    if linewidth is not None:
        PRINT_OPTS.linewidth = linewidth
    PRINT_OPTS.sci_mode = sci_mode


def reset_printoptions():
    """Back to the defaults (each program run starts there)."""
    for name in ("precision", "threshold", "edgeitems", "linewidth", "sci_mode"):
        PRINT_OPTS.__dict__.pop(name, None)


# numpy dtype -> torch dtype name (torch.<name>)
_DTYPE_NAMES = {
    np.dtype(np.float32): "float32",
    np.dtype(np.float64): "float64",
    np.dtype(np.float16): "float16",
    np.dtype(np.int64): "int64",
    np.dtype(np.int32): "int32",
    np.dtype(np.int16): "int16",
    np.dtype(np.int8): "int8",
    np.dtype(np.uint8): "uint8",
    np.dtype(np.uint16): "uint16",
    np.dtype(np.uint32): "uint32",
    np.dtype(np.uint64): "uint64",
    np.dtype(np.bool_): "bool",
}
_DEFAULT_DTYPE = "float32"  # torch.get_default_dtype()
# dtypes that print no dtype= suffix when the tensor is non-empty (complex64 is unsupported here)
_DTYPES_WITHOUT_SUFFIX = ("float32", "int64", "bool")


def dtype_name(np_dtype) -> str:
    """The torch dtype name ("float32", "int64", ...) of a numpy dtype."""
    try:
        return _DTYPE_NAMES[np.dtype(np_dtype).newbyteorder("=")]
    except KeyError:
        raise TypeError(f"no torch dtype for numpy dtype {np.dtype(np_dtype)}") from None


def size_repr(shape: Iterable[int]) -> str:
    """repr(torch.Size(shape)), e.g. 'torch.Size([2, 3])'."""
    return "torch.Size([" + ", ".join(str(int(s)) for s in shape) + "])"


class _Formatter:
    """Chooses int_mode / sci_mode and the column width from the (summarized) values."""

    def __init__(self, data: np.ndarray):
        self.floating_dtype = data.dtype.kind == "f"
        self.int_mode = True
        self.sci_mode = False
        self.max_width = 1

        flat = data.reshape(-1)
        if not self.floating_dtype:
            # len(f"{v}") is largest at the minimum or the maximum (also for bool: False/True)
            for value in (flat.min().item(), flat.max().item()):
                self.max_width = max(self.max_width, len(f"{value}"))
            return

        nonzero_finite_vals = flat[np.isfinite(flat) & (flat != 0)]
        if nonzero_finite_vals.size == 0:
            return  # no valid number, do nothing

        # computed in double, like tensor_totype()
        nonzero_finite_abs = np.abs(nonzero_finite_vals).astype(np.float64)
        nonzero_finite_min = nonzero_finite_abs.min()
        nonzero_finite_max = nonzero_finite_abs.max()

        # ceil is exact in every float dtype, so comparing in the tensor's dtype matches torch
        self.int_mode = bool(np.all(nonzero_finite_vals == np.ceil(nonzero_finite_vals)))

        with np.errstate(over="ignore"):
            ratio = nonzero_finite_max / nonzero_finite_min
        self.sci_mode = (
            bool(ratio > 1000.0 or nonzero_finite_max > 1.0e8 or nonzero_finite_min < 1.0e-4)
            if PRINT_OPTS.sci_mode is None
            else bool(PRINT_OPTS.sci_mode)
        )

        values = nonzero_finite_vals.tolist()  # python floats holding the exact values
        if self.sci_mode:
            spec = f".{PRINT_OPTS.precision}e"
            self.max_width = max(len(format(v, spec)) for v in values)
        elif self.int_mode:
            # a "." is appended to finite values to show the dtype is floating: count it
            self.max_width = max(len(f"{v:.0f}") for v in values) + 1
        else:
            spec = f".{PRINT_OPTS.precision}f"
            self.max_width = max(len(format(v, spec)) for v in values)

    def width(self) -> int:
        return self.max_width

    def format(self, value) -> str:
        if self.floating_dtype:
            if self.sci_mode:
                ret = f"{{:{self.max_width}.{PRINT_OPTS.precision}e}}".format(value)
            elif self.int_mode:
                ret = f"{value:.0f}"
                if not (math.isinf(value) or math.isnan(value)):
                    ret += "."
            else:
                ret = f"{{:.{PRINT_OPTS.precision}f}}".format(value)
        else:
            ret = f"{value}"
        return (self.max_width - len(ret)) * " " + ret


def _vector_str(data: np.ndarray, indent: int, summarize: bool, formatter: _Formatter) -> str:
    # length includes spaces and comma between elements
    element_length = formatter.width() + 2
    elements_per_line = max(1, math.floor((PRINT_OPTS.linewidth - indent) / element_length))

    if summarize and data.shape[0] > 2 * PRINT_OPTS.edgeitems:
        items = (
            [formatter.format(v) for v in data[: PRINT_OPTS.edgeitems].tolist()]
            + [" ..."]
            + [formatter.format(v) for v in data[-PRINT_OPTS.edgeitems :].tolist()]
        )
    else:
        items = [formatter.format(v) for v in data.tolist()]

    lines = [
        ", ".join(items[i : i + elements_per_line]) for i in range(0, len(items), elements_per_line)
    ]
    return "[" + ("," + "\n" + " " * (indent + 1)).join(lines) + "]"


def _tensor_str_with_formatter(
    data: np.ndarray, indent: int, summarize: bool, formatter: _Formatter
) -> str:
    dim = data.ndim
    if dim == 0:
        return formatter.format(data.item())
    if dim == 1:
        return _vector_str(data, indent, summarize, formatter)

    n = data.shape[0]
    if summarize and n > 2 * PRINT_OPTS.edgeitems:
        slices = (
            [
                _tensor_str_with_formatter(data[i], indent + 1, summarize, formatter)
                for i in range(PRINT_OPTS.edgeitems)
            ]
            + ["..."]
            + [
                _tensor_str_with_formatter(data[i], indent + 1, summarize, formatter)
                for i in range(n - PRINT_OPTS.edgeitems, n)
            ]
        )
    else:
        slices = [
            _tensor_str_with_formatter(data[i], indent + 1, summarize, formatter) for i in range(n)
        ]

    tensor_str = ("," + "\n" * (dim - 1) + " " * (indent + 1)).join(slices)
    return "[" + tensor_str + "]"


def get_summarized_data(data: np.ndarray) -> np.ndarray:
    """The values a summarized print shows (edge items of every dim), for the formatter."""
    dim = data.ndim
    if dim == 0:
        return data
    n = data.shape[0]
    if dim == 1:
        if n > 2 * PRINT_OPTS.edgeitems:
            return np.concatenate((data[: PRINT_OPTS.edgeitems], data[-PRINT_OPTS.edgeitems :]))
        return data
    rows = (
        list(range(PRINT_OPTS.edgeitems)) + list(range(n - PRINT_OPTS.edgeitems, n))
        if n > 2 * PRINT_OPTS.edgeitems
        else range(n)
    )
    return np.stack([get_summarized_data(data[i]) for i in rows])


def _tensor_str(data: np.ndarray, indent: int) -> str:
    if data.size == 0:
        return "[]"
    summarize = data.size > PRINT_OPTS.threshold
    formatter = _Formatter(get_summarized_data(data) if summarize else data)
    return _tensor_str_with_formatter(data, indent, summarize, formatter)


def _add_suffixes(tensor_str: str, suffixes: list[str], indent: int, force_newline: bool) -> str:
    tensor_strs = [tensor_str]
    last_line_len = len(tensor_str) - tensor_str.rfind("\n") + 1
    for suffix in suffixes:
        suffix_len = len(suffix)
        if force_newline or last_line_len + suffix_len + 2 > PRINT_OPTS.linewidth:
            tensor_strs.append(",\n" + " " * indent + suffix)
            last_line_len = indent + suffix_len
            force_newline = False
        else:
            tensor_strs.append(", " + suffix)
            last_line_len += suffix_len + 2
    tensor_strs.append(")")
    return "".join(tensor_strs)


def tensor_repr(
    data: np.ndarray, *, grad_fn_name: str | None = None, requires_grad: bool = False
) -> str:
    """What repr(t) / print(t) shows in PyTorch 2.13 for a CPU tensor holding `data`.

    grad_fn_name adds `grad_fn=<name>`; otherwise requires_grad=True adds `requires_grad=True`.
    """
    data = np.asarray(data)
    name = dtype_name(data.dtype)
    prefix = "tensor("
    indent = len(prefix)
    suffixes = []

    if data.size == 0:
        # Explicitly print the shape if it is not (0,), to match NumPy behavior
        if data.ndim != 1:
            suffixes.append("size=" + str(tuple(int(s) for s in data.shape)))
        # no elements to infer the dtype from, so anything but the default dtype is shown
        if name != _DEFAULT_DTYPE:
            suffixes.append("dtype=torch." + name)
        tensor_str = "[]"
    else:
        if name not in _DTYPES_WITHOUT_SUFFIX:
            suffixes.append("dtype=torch." + name)
        tensor_str = _tensor_str(data, indent)

    if grad_fn_name is not None:
        suffixes.append(f"grad_fn=<{grad_fn_name}>")
    elif requires_grad:
        suffixes.append("requires_grad=True")

    return _add_suffixes(prefix + tensor_str, suffixes, indent, force_newline=False)
