"""div(..., rounding_mode='trunc' | 'floor'): a step function, so its gradient is zero (DivBackward2)."""

import numpy as np

from engine.autograd.function import Node
from engine.ops.core import check_broadcast, constant, operands, result
from engine.tensor import Tensor

MODES = ("trunc", "floor")


class DivBackward2(Node):
    __slots__ = ()
    saves_tensors = False

    def backward(self, grad):
        shapes = self.saved
        return tuple(None if shape is None else np.zeros(shape, grad.dtype) for shape in shapes)

    def graph_backward(self, grad):
        return tuple(
            None if shape is None else constant(np.zeros(shape, grad._data.dtype))
            for shape in self.saved
        )


def div_rounded(self, other, rounding_mode):
    if rounding_mode not in MODES:
        raise RuntimeError(
            f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
            f"'{rounding_mode}'"
        )
    a, b = operands(self, other)
    check_broadcast(a, b)
    if a.dtype.kind in "iub":
        if a.dtype == np.bool_:
            a, b = a.astype(np.int64), b.astype(np.int64)
        if np.any(b == 0):
            raise RuntimeError("ZeroDivisionError")
        if rounding_mode == "floor":
            out = np.floor_divide(a, b)
        else:
            out = (np.abs(a) // np.abs(b)) * np.sign(a) * np.sign(b)
        out = out.astype(a.dtype)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            out = np.floor_divide(a, b) if rounding_mode == "floor" else np.trunc(a / b)
        out = np.asarray(out, dtype=a.dtype)
    inputs = (self, other) if isinstance(other, Tensor) else (self,)
    out, node = result(out, DivBackward2, "div", inputs)
    if node is not None:
        node.save(*[t._data.shape if t._requires_grad else None for t in inputs])
    return out
