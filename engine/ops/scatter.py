"""Gather and scatter by flat positions: the backward of every op that picks elements (indexing,
select, max along a dim, views written in place), as Tensors for create_graph.

`take(x, positions)` is x.flatten()[positions] (torch.take, TakeBackward0); `put(values, positions,
shape)` adds values into zeros of `shape` at those positions (torch.put with accumulate=True,
PutBackward0). Each is the other's backward, so gradients of any order go through them.
"""

import numpy as np

from engine.autograd.function import Node
from engine.ops.core import result


def positions_of(shape):
    """Each element's flat (C-order) position in a tensor of `shape`: index it as the op indexes."""
    return np.arange(int(np.prod(shape, dtype=np.int64))).reshape(shape)


class TakeBackward0(Node):
    __slots__ = ()
    saves_tensors = False

    def backward(self, grad):
        shape, positions = self.saved
        out = np.zeros(int(np.prod(shape, dtype=np.int64)), dtype=grad.dtype)
        np.add.at(out, positions, grad)
        return (out.reshape(shape),)

    def graph_backward(self, grad):
        shape, positions = self.saved
        return (put(grad, positions, shape),)


class PutBackward0(Node):
    __slots__ = ()
    saves_tensors = False

    def backward(self, grad):
        (positions,) = self.saved
        return (grad.reshape(-1)[positions],)

    def graph_backward(self, grad):
        (positions,) = self.saved
        return (take(grad, positions),)


class IndexPutImplBackward0(PutBackward0):
    """x[index]'s backward, as PyTorch records it (zeros.index_put_(index, grad, accumulate=True))."""

    __slots__ = ()


class SelectBackwardBackward0(PutBackward0):
    __slots__ = ()


class SliceBackwardBackward0(PutBackward0):
    __slots__ = ()


class ScatterBackward0(PutBackward0):
    """The backward of ops that pick values along a dim (sort, max/min with a dim): zeros.scatter_."""

    __slots__ = ()


class ScatterAddBackward0(PutBackward0):
    """gather's backward, as PyTorch records it (zeros.scatter_add_)."""

    __slots__ = ()


class IndexAddBackward0(PutBackward0):
    """index_select's backward, as PyTorch records it (zeros.index_add_)."""

    __slots__ = ()


def take(x, positions):
    out, node = result(x._data.reshape(-1)[positions], TakeBackward0, "take", (x,))
    if node is not None:
        node.save(x._data.shape, positions)
    return out


def put(values, positions, shape, node_cls=PutBackward0):
    """`node_cls` names the node as PyTorch names the op it stands for (IndexPutImplBackward0 ...)."""
    data = np.zeros(int(np.prod(shape, dtype=np.int64)), dtype=values._data.dtype)
    np.add.at(data, positions, values._data)
    out, node = result(data.reshape(shape), node_cls, "put", (values,))
    if node is not None:
        node.save(positions)
    return out
