"""Pieces of a tensor: chunk and split (views, one node with an output per piece), tril/triu, flip."""

import numpy as np

from engine import grad_mode
from engine.autograd.function import Node
from engine.ops.core import connect, constant, needs_grad, result, wrap
from engine.ops.registry import op
from engine.ops.shape import cat
from engine.ops.views import register_view
from engine.tensor import wrap_dim


class SplitBackward0(Node):
    __slots__ = ("num_outputs",)
    saves_tensors = False

    def backward(self, grads):
        shape, axis, sizes = self.saved
        if not isinstance(grads, list):
            grads = [grads]
        dtype = next(g for g in grads if g is not None).dtype
        parts = []
        for g, n in zip(grads, sizes):
            if g is None:
                g = np.zeros(shape[:axis] + (n,) + shape[axis + 1 :], dtype=dtype)
            parts.append(g)
        return (np.concatenate(parts, axis=axis),)

    def graph_backward(self, grads):
        shape, axis, sizes = self.saved
        if not isinstance(grads, list):
            grads = [grads]
        dtype = next(g for g in grads if g is not None)._data.dtype
        parts = [
            constant(np.zeros(shape[:axis] + (n,) + shape[axis + 1 :], dtype=dtype))
            if g is None
            else g
            for g, n in zip(grads, sizes)
        ]
        return (cat(parts, axis),)


class SplitWithSizesBackward0(SplitBackward0):
    __slots__ = ()


def _pieces(self, sizes, axis, node_cls, op):
    data = self._data
    node = None
    if needs_grad(self):
        node = connect(node_cls(), self)
        node.num_outputs = len(sizes)
        node.save(data.shape, axis, sizes)
    outs = []
    start = 0
    for i, n in enumerate(sizes):
        index = (slice(None),) * axis + (slice(start, start + n),)
        t = wrap(data[index], node, op, (self,), version=self._version)
        t._output_nr = i
        register_view(t, self, grad_mode.state.enabled)
        outs.append(t)
        start += n
    return tuple(outs)


@op(method=True)
def split(self, split_size_or_sections, dim=0):
    data = self._data
    if data.ndim == 0:
        raise RuntimeError("split expects at least a 1-dimensional tensor")
    axis = wrap_dim(dim, data.ndim)
    n = data.shape[axis]
    if isinstance(split_size_or_sections, (list, tuple)):
        sizes = [int(s) for s in split_size_or_sections]
        if sum(sizes) != n or any(s < 0 for s in sizes):
            raise RuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's size at "
                f"dimension {axis}), but got split_sizes={sizes}"
            )
        return _pieces(self, sizes, axis, SplitWithSizesBackward0, "split")
    size = int(split_size_or_sections)
    if size <= 0 and not (size == 0 and n == 0):
        raise RuntimeError(
            f"split_size can only be 0 if dimension size is 0, but got dimension size of {n}"
        )
    sizes = [size] * (n // size) + ([n % size] if n % size else []) if n else [0]
    return _pieces(self, sizes, axis, SplitBackward0, "split")


@op(method=True, torch=True)
def chunk(self, chunks, dim=0):
    data = self._data
    if data.ndim == 0:
        raise RuntimeError("chunk expects at least a 1-dimensional tensor")
    if chunks <= 0:
        raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    axis = wrap_dim(dim, data.ndim)
    n = data.shape[axis]
    size = -(-n // chunks)
    sizes = [size] * (n // size) + ([n % size] if n % size else []) if n else [0] * 1
    return _pieces(self, sizes, axis, SplitBackward0, "chunk")


@op(torch="split")
def torch_split(tensor, split_size_or_sections, dim=0):
    return split(tensor, split_size_or_sections, dim)


class TrilBackward0(Node):
    __slots__ = ()
    saves_tensors = False

    def backward(self, grad):
        (diagonal,) = self.saved
        return (np.tril(grad, diagonal),)

    def graph_backward(self, grad):
        (diagonal,) = self.saved
        return (grad.tril(diagonal),)


class TriuBackward0(Node):
    __slots__ = ()
    saves_tensors = False

    def backward(self, grad):
        (diagonal,) = self.saved
        return (np.triu(grad, diagonal),)

    def graph_backward(self, grad):
        (diagonal,) = self.saved
        return (grad.triu(diagonal),)


def _triangle(self, diagonal, pick, node_cls, op):
    if self._data.ndim < 2:
        raise RuntimeError(f"{op}: input tensor must have at least 2 dimensions")
    out, node = result(pick(self._data, diagonal), node_cls, op, (self,))
    if node is not None:
        node.save(diagonal)
    return out


@op(method=True, torch=True)
def tril(self, diagonal=0):
    return _triangle(self, diagonal, np.tril, TrilBackward0, "tril")


@op(method=True, torch=True)
def triu(self, diagonal=0):
    return _triangle(self, diagonal, np.triu, TriuBackward0, "triu")


class FlipBackward0(Node):
    __slots__ = ()
    saves_tensors = False

    def backward(self, grad):
        (axes,) = self.saved
        return (np.flip(grad, axes).copy(),)

    def graph_backward(self, grad):
        (axes,) = self.saved
        return (grad.flip(axes),)


@op(method=True, torch=True)
def flip(self, *dims):
    from engine.ops.arguments import int_sequence

    dims = int_sequence(dims, "dims")
    data = self._data
    axes = tuple(wrap_dim(d, data.ndim) for d in dims) if data.ndim else ()
    if len(set(axes)) != len(axes):
        raise RuntimeError("dims has duplicates, original flip dims size=" + str(len(dims)))
    out, node = result(
        np.flip(data, axes).copy() if axes else data.copy(), FlipBackward0, "flip", (self,)
    )
    if node is not None:
        node.save(axes)
    return out
