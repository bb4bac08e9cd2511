"""clamp, clamp_min and clamp_max with Tensor bounds (the Number overloads are in pointwise.py)."""

import numpy as np

from engine import dtypes
from engine.autograd.function import Node, unbroadcast
from engine.ops.core import broadcast_shape, constant, result, sum_to
from engine.tensor import Tensor


class ClampBackward0(Node):
    """PyTorch's clamp_backward_min_max: the input where min <= x <= max, a bound where x passes it."""

    __slots__ = ()

    def backward(self, grad):
        x, lo, hi = self.saved
        zero = np.zeros((), grad.dtype)
        ge_min = x >= lo if lo is not None else np.ones_like(x, dtype=bool)
        le_max = x <= hi if hi is not None else np.ones_like(x, dtype=bool)
        wanted = [f is not None for f, _ in self.next_functions]
        grads = [unbroadcast(np.where(ge_min & le_max, grad, zero), x.shape) if wanted[0] else None]
        k = 1
        for bound, passed in ((lo, ~ge_min), (hi, ~le_max)):
            if bound is None:
                continue
            grads.append(
                unbroadcast(np.where(passed, grad, zero), bound.shape) if wanted[k] else None
            )
            k += 1
        return tuple(grads)

    def graph_backward(self, grad):
        x, lo, hi = self.saved
        ge_min = x >= lo if lo is not None else np.ones_like(x, dtype=bool)
        le_max = x <= hi if hi is not None else np.ones_like(x, dtype=bool)
        wanted = [f is not None for f, _ in self.next_functions]
        grads = [
            sum_to(grad.masked_fill(constant(~(ge_min & le_max)), 0), x.shape)
            if wanted[0]
            else None
        ]
        for bound, passed in ((lo, ~ge_min), (hi, ~le_max)):
            if bound is not None:
                wants = wanted[len(grads)]
                grads.append(
                    sum_to(grad.masked_fill(constant(~passed), 0), bound.shape) if wants else None
                )
        return tuple(grads)


class ClampMinBackward1(ClampBackward0):
    __slots__ = ()


class ClampMaxBackward1(ClampBackward0):
    __slots__ = ()


def clamp_with_tensors(self, lo, hi, op):
    """`op` is clamp, clamp_min or clamp_max; a bound is a Tensor or None."""
    if lo is None and hi is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    bounds = [b for b in (lo, hi) if b is not None]
    target = dtypes.result_type(self, *bounds).np
    x = self._data.astype(target, copy=False)
    lo_d = None if lo is None else lo._data.astype(target, copy=False)
    hi_d = None if hi is None else hi._data.astype(target, copy=False)
    shape = self._data.shape
    for b in bounds:
        shape = broadcast_shape(shape, b._data.shape)
    out = np.broadcast_to(x, shape)
    if lo_d is not None:
        out = np.where(np.isnan(out) | (out >= lo_d), out, lo_d)  # NaN stays NaN
    if hi_d is not None:
        out = np.where(np.isnan(out) | (out <= hi_d), out, hi_d)
    node_cls = {
        "clamp": ClampBackward0,
        "clamp_min": ClampMinBackward1,
        "clamp_max": ClampMaxBackward1,
    }[op]
    inputs = (self, *bounds)
    out, node = result(np.ascontiguousarray(out), node_cls, op, inputs)
    if node is not None:
        node.save(np.broadcast_to(x, shape), lo_d, hi_d, tensors=inputs)
    return out


def mixed_bounds_error(lo, hi):
    kinds = ", ".join("Tensor" if isinstance(b, Tensor) else type(b).__name__ for b in (lo, hi))
    return TypeError(
        f"clamp() received an invalid combination of arguments - got ({kinds}), but expected one of:"
    )
