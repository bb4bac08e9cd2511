"""Running sums and products along a dim: cumsum, cumprod."""

import numpy as np

from engine.autograd.function import Node
from engine.ops.core import constant, result, saved_tensor
from engine.ops.pointwise import where
from engine.ops.registry import op
from engine.ops.shape import stack
from engine.tensor import wrap_dim


def _scan_input(self, dim, dtype):
    data = self._data
    axis = wrap_dim(dim, data.ndim) if data.ndim else 0
    if dtype is not None:
        data = data.astype(dtype.np)
    elif data.dtype.kind in "biu":
        data = data.astype(np.int64)  # PyTorch accumulates integers and bools in int64
    return data.reshape(1) if data.ndim == 0 else data, axis


class CumsumBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        axis, shape = self.saved
        g = grad.reshape(1) if grad.ndim == 0 else grad
        return (np.flip(np.cumsum(np.flip(g, axis), axis), axis).reshape(shape),)

    def graph_backward(self, grad):
        axis, shape = self.saved
        g = grad.reshape(1) if grad.dim() == 0 else grad
        return (g.flip(axis).cumsum(axis).flip(axis).reshape(shape),)


@op(method=True, torch=True)
def cumsum(self, dim, *, dtype=None):
    data, axis = _scan_input(self, dim, dtype)
    out, node = result(
        np.cumsum(data, axis=axis).reshape(self._data.shape), CumsumBackward0, "cumsum", (self,)
    )
    if node is not None:
        node.save(axis, self._data.shape)
    return out


class CumprodBackward0(Node):
    """d out_j / d x_i = prod_{k <= j, k != i} x_k for j >= i, computed without dividing (zeros allowed)."""

    __slots__ = ()

    def backward(self, grad):
        x, axis, shape = self.saved
        xm = np.moveaxis(x, axis, -1)
        g = np.moveaxis(grad.reshape(x.shape), axis, -1)
        n = xm.shape[-1]
        out = np.empty_like(xm)
        for i in range(n):
            without = xm.copy()
            without[..., i] = 1
            products = np.cumprod(without, axis=-1)
            out[..., i] = (g[..., i:] * products[..., i:]).sum(axis=-1)
        return (np.moveaxis(out, -1, axis).reshape(shape),)

    def graph_backward(self, grad):
        x, axis, shape = self.saved
        if not shape:
            return (grad.reshape(shape),)
        x = saved_tensor(self, x)
        g = grad.reshape(x.shape)
        n = x.shape[axis]
        position = np.arange(n).reshape((n,) + (1,) * (x.dim() - axis - 1))
        columns = []
        for i in range(n):
            products = where(constant(position == i), 1, x).cumprod(axis)
            columns.append((g * products * constant(position >= i)).sum(axis))
        return (stack(columns, axis).reshape(shape),)


@op(method=True, torch=True)
def cumprod(self, dim, *, dtype=None):
    data, axis = _scan_input(self, dim, dtype)
    out, node = result(
        np.cumprod(data, axis=axis).reshape(self._data.shape), CumprodBackward0, "cumprod", (self,)
    )
    if node is not None:
        node.save(data, axis, self._data.shape, tensors=(self,))
    return out
