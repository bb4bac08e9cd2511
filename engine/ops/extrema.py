"""amax, amin, topk and logsumexp (the smooth maximum)."""

import collections

import numpy as np

from engine.autograd.function import Node
from engine.ops.core import connect, constant, dims_arg, needs_grad, result, saved_tensor, wrap
from engine.ops.reduction import check_reduced_dims_not_empty
from engine.ops.registry import op
from engine.ops.scatter import ScatterBackward0, positions_of, put
from engine.tensor import wrap_dim


class AmaxBackward0(Node):
    """The gradient shared evenly among the elements equal to the result (as PyTorch does)."""

    __slots__ = ()

    def backward(self, grad):
        x, out, axes, keepdim = self.saved
        o, g = out, grad
        if not keepdim and axes:
            o, g = np.expand_dims(out, axes), np.expand_dims(grad, axes)
        hit = x == o
        count = hit.sum(axis=axes, keepdims=True) if axes else hit.astype(np.int64)
        return ((hit * g / count).astype(grad.dtype),)

    def graph_backward(self, grad):
        x, out, axes, keepdim = self.saved
        o, g = out, grad
        if not keepdim and axes:
            o = np.expand_dims(out, axes)
            for axis in sorted(axes):
                g = g.unsqueeze(axis)
        hit = x == o
        count = hit.sum(axis=axes, keepdims=True) if axes else np.ones_like(hit, dtype=np.int64)
        return ((g / constant(count)) * constant(hit),)


class AminBackward0(AmaxBackward0):
    __slots__ = ()


def _extremum(self, dim, keepdim, pick, node_cls, op):
    data = self._data
    axes = dims_arg(None if dim == () or dim == [] else dim, data.ndim)
    every_dim = dim is None or dim == () or dim == []
    if not every_dim:
        check_reduced_dims_not_empty(data, sorted(axes), op)
    elif data.size == 0:
        raise RuntimeError(
            f"{op}(): Expected reduction dim to be specified for input.numel() == 0. Specify the "
            f"reduction dim with the 'dim' argument."
        )
    out_data = pick(data, axis=axes, keepdims=keepdim) if axes else data.copy()
    out, node = result(np.asarray(out_data), node_cls, op, (self,))
    if node is not None:
        node.save(data, out._data, axes, keepdim, tensors=(self,), output=out)
    return out


@op(method=True, torch=True)
def amax(self, dim=(), keepdim=False):
    return _extremum(self, dim, keepdim, np.max, AmaxBackward0, "amax")


@op(method=True, torch=True)
def amin(self, dim=(), keepdim=False):
    return _extremum(self, dim, keepdim, np.min, AminBackward0, "amin")


class LogsumexpBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        x, out, axes, keepdim = self.saved
        o, g = out, grad
        if not keepdim and axes:
            o, g = np.expand_dims(out, axes), np.expand_dims(grad, axes)
        return ((g * np.exp(x - o)).astype(x.dtype),)

    def graph_backward(self, grad):
        x, out, axes, keepdim = self.saved
        x = saved_tensor(self, x)
        g = grad
        if not keepdim and axes:
            for axis in sorted(axes):
                g = g.unsqueeze(axis)
        return (g * (x - x.logsumexp(tuple(axes), keepdim=True)).exp(),)


@op(method=True, torch=True)
def logsumexp(self, dim, keepdim=False):
    data = self._data
    if data.dtype.kind != "f":
        data = data.astype(np.float32)
    axes = dims_arg(dim, data.ndim)
    if axes:
        m = np.max(data, axis=axes, keepdims=True)
        m = np.where(np.isinf(m), 0, m)  # all -inf (or an inf): no shift, as PyTorch
        with np.errstate(divide="ignore"):
            out_data = np.log(np.exp(data - m).sum(axis=axes, keepdims=True)) + m
        if not keepdim:
            out_data = np.squeeze(out_data, axes)
    else:
        out_data = data.copy()
    out, node = result(
        np.asarray(out_data, dtype=data.dtype), LogsumexpBackward0, "logsumexp", (self,)
    )
    if node is not None:
        node.save(data, out._data, axes, keepdim, tensors=(self,), output=out)
    return out


topk_type = collections.namedtuple("topk", ["values", "indices"])
topk_type.__module__ = "torch.return_types"
topk_type.__repr__ = lambda self: (
    f"torch.return_types.topk(\nvalues={self.values!r},\nindices={self.indices!r})"
)


class TopkBackward0(Node):
    __slots__ = ()
    saves_tensors = False

    def backward(self, grad):
        shape, axis, idx = self.saved
        out = np.zeros(shape, dtype=grad.dtype)
        if len(shape) == 0:
            return (grad.reshape(()) if grad.size else out,)
        np.put_along_axis(out, idx, grad, axis=axis)
        return (out,)

    def graph_backward(self, grad):
        shape, axis, idx = self.saved
        if len(shape) == 0:
            return (grad.reshape(()),)
        positions = np.take_along_axis(positions_of(shape), idx, axis)
        return (put(grad, positions, shape, ScatterBackward0),)


@op(method=True, torch=True)
def topk(self, k, dim=-1, largest=True, sorted=True):
    if not sorted:  # PyTorch's unsorted order is whatever its kernel leaves: not reproducible here
        raise NotImplementedError("gradtrace does not support topk(sorted=False)")
    data = self._data
    axis = wrap_dim(dim, data.ndim) if data.ndim else 0
    work = data.reshape(1) if data.ndim == 0 else data
    n = work.shape[axis]
    if not 0 <= k <= n:
        raise RuntimeError("selected index k out of range")
    # NaN counts as the largest value, as in PyTorch; ties keep the lower index first
    key = np.where(np.isnan(work), np.inf, work) if work.dtype.kind == "f" else work
    order = np.argsort(
        -key if largest and key.dtype.kind != "b" else (key if not largest else ~key),
        axis=axis,
        kind="stable",
    )
    idx = np.take(order, np.arange(k), axis=axis)
    values = np.take_along_axis(work, idx, axis=axis)
    if data.ndim == 0:
        values, idx = values.reshape(()), idx.reshape(())
    node = connect(TopkBackward0(), self) if needs_grad(self) else None
    if node is not None:
        node.save(data.shape, axis, idx)
    out = wrap(values, node, "topk", (self,))
    return topk_type(out, wrap(idx.astype(np.int64), None, "topk", (self,)))
