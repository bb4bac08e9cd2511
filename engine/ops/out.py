"""`out=` arguments of torch functions: the result written into a given tensor, as PyTorch does."""

import functools

import numpy as np

from engine import dtypes, grad_mode, trace
from engine.tensor import Tensor


def _requires_grad(values):
    for v in values:
        if isinstance(v, Tensor) and v._requires_grad:
            return True
        if isinstance(v, (list, tuple)) and _requires_grad(v):
            return True
    return False


def write_out(name, value, out):
    """Copy `value` into `out` (resizing it, with PyTorch's warning, when its shape differs)."""
    if not isinstance(out, Tensor):
        raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    data = value._data
    src, dst = dtypes.from_numpy(data.dtype), dtypes.from_numpy(out._data.dtype)
    if src.category > dst.category:
        raise RuntimeError(
            f"result type {dtypes.legacy_type_name(data.dtype)[6:-6]} can't be cast to the "
            f"desired output type {dtypes.legacy_type_name(out._data.dtype)[6:-6]}"
        )
    if data.shape != out._data.shape:
        if out._data.size:
            trace.warn(
                f"An output with one or more elements was resized since it had shape "
                f"[{', '.join(map(str, out._data.shape))}], which does not match the required output shape "
                f"[{', '.join(map(str, data.shape))}]. This behavior is deprecated, and in a future PyTorch "
                f"release outputs will not be resized unless they have zero elements. You can explicitly reuse "
                f"an out tensor t by resizing it, inplace, to zero elements with t.resize_(0)."
            )
        out._data = np.array(data, dtype=out._data.dtype)
    else:
        np.copyto(out._data, data, casting="unsafe")
    out._version[0] += 1
    if trace.local.tracer is not None:
        trace.local.tracer.tensor_modified(out, name, (out,))
    return out


def accepting_out(fn, name=None):
    """`fn` with PyTorch's `out=` keyword: no autograd through it, the result written into `out`."""
    name = name or fn.__name__

    @functools.wraps(fn)
    def call(*args, out=None, **kwargs):
        if out is None:
            return fn(*args, **kwargs)
        if grad_mode.state.enabled and _requires_grad((*args, *kwargs.values(), out)):
            raise RuntimeError(
                f"{name}(): functions with out=... arguments don't support automatic "
                f"differentiation, but one of the arguments requires grad."
            )
        with grad_mode.no_grad():
            value = fn(*args, **kwargs)
        if isinstance(value, tuple):
            if not isinstance(out, (tuple, list)) or len(out) != len(value):
                raise TypeError(f"{name}(): argument 'out' must be tuple of Tensors")
            for v, o in zip(value, out):
                write_out(name, v, o)
            return type(value)(*out) if hasattr(value, "_fields") else tuple(out)
        return write_out(name, value, out)

    call.__wrapped__ = getattr(fn, "__wrapped__", fn)  # the op itself, as for every torch function
    return call
