"""sort and argsort: values with SortBackward0 (the gradient goes back to where each value came from)."""

import numpy as np

from engine.autograd.function import Node
from engine.ops.core import result, wrap
from engine.ops.reduction import _ReturnTypes
from engine.ops.registry import op
from engine.ops.scatter import ScatterBackward0, positions_of, put
from engine.tensor import wrap_dim


class SortBackward0(Node):
    __slots__ = ()
    saves_tensors = False

    def backward(self, grad):
        shape, axis, indices = self.saved
        out = np.zeros(shape, dtype=grad.dtype)
        if not shape:
            return (grad.copy(),)
        np.put_along_axis(out, indices, grad, axis=axis)
        return (out,)

    def graph_backward(self, grad):
        shape, axis, indices = self.saved
        if not shape:
            return (grad.clone(),)
        return (
            put(
                grad,
                np.take_along_axis(positions_of(shape), indices, axis),
                shape,
                ScatterBackward0,
            ),
        )


def _order(data, axis, descending):
    """Stable order along axis; descending keeps ties in their original order and NaN first, as PyTorch."""
    if not descending:
        return np.argsort(data, axis=axis, kind="stable")
    n = data.shape[axis]
    backwards = np.argsort(np.flip(data, axis), axis=axis, kind="stable")
    return n - 1 - np.flip(backwards, axis)


@op(method=True, torch=True)
def sort(self, dim=-1, descending=False, stable=False):
    data = self._data
    axis = wrap_dim(dim, data.ndim)
    if data.ndim == 0:
        indices = np.zeros((), dtype=np.int64)
        values = data.copy()
    else:
        indices = _order(data, axis, descending).astype(np.int64)
        values = np.take_along_axis(data, indices, axis=axis)
    out, node = result(values, SortBackward0, "sort", (self,))
    if node is not None:
        node.save(data.shape, axis, indices)
    return _ReturnTypes.sort(out, wrap(indices, None, "argsort", (self,)))


@op(method=True, torch=True)
def argsort(self, dim=-1, descending=False, stable=False):
    data = self._data
    axis = wrap_dim(dim, data.ndim)
    indices = (
        np.zeros((), dtype=np.int64)
        if data.ndim == 0
        else _order(data, axis, descending).astype(np.int64)
    )
    return wrap(indices, None, "argsort", (self,))
