"""Ops that pick or overwrite elements by index or mask: masked_fill, gather, index_select."""

import numpy as np

from engine.autograd.function import Node
from engine.ops.core import broadcast_shape, constant, result
from engine.ops.pointwise import where
from engine.ops.registry import op
from engine.ops.scatter import IndexAddBackward0, ScatterAddBackward0, positions_of, put
from engine.tensor import Tensor, wrap_dim

C_TYPE_NAMES = {
    "float32": "float",
    "float64": "double",
    "float16": "c10::Half",
    "int64": "long int",
    "int32": "int",
    "int16": "short int",
    "int8": "signed char",
    "uint8": "unsigned char",
    "bool": "bool",
}


def _dtype_word(data):
    """PyTorch's C++ name of a scalar type, as its masked_fill error spells it."""
    return C_TYPE_NAMES.get(str(data.dtype), str(data.dtype))


# ---------------------------------------------------------------- masked_fill


class MaskedFillBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        (mask,) = self.saved
        return (np.where(mask, np.zeros((), grad.dtype), grad),)

    def graph_backward(self, grad):
        (mask,) = self.saved
        return (where(constant(mask), 0, grad),)


class MaskedFillBackward1(Node):
    __slots__ = ()

    def backward(self, grad):
        (mask,) = self.saved
        g_value = np.where(mask, grad, 0).sum() if self.next_functions[1][0] is not None else None
        return (
            np.where(mask, np.zeros((), grad.dtype), grad)
            if self.next_functions[0][0] is not None
            else None,
            None if g_value is None else np.asarray(g_value, dtype=grad.dtype),
        )

    def graph_backward(self, grad):
        (mask,) = self.saved
        return (
            where(constant(mask), 0, grad) if self.next_functions[0][0] is not None else None,
            where(constant(mask), grad, 0).sum() if self.next_functions[1][0] is not None else None,
        )


def _masked_fill_data(self, mask, value):
    if not isinstance(mask, Tensor):
        raise TypeError(
            f"masked_fill(): argument 'mask' (position 1) must be Tensor, not {type(mask).__name__}"
        )
    if mask._data.dtype != np.bool_:
        raise RuntimeError(
            f"masked_fill_ only supports boolean masks, but got mask with dtype "
            f"{_dtype_word(mask._data)}"
        )
    if isinstance(value, Tensor) and value._data.ndim != 0:
        raise RuntimeError(
            f"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
            f"{value._data.ndim} dimension(s)."
        )
    shape = broadcast_shape(self._data.shape, mask._data.shape)
    m = np.broadcast_to(mask._data, shape)
    fill = value._data if isinstance(value, Tensor) else value
    data = np.where(
        m, np.asarray(fill).astype(self._data.dtype), np.broadcast_to(self._data, shape)
    )
    return data, m


@op(method=True, torch=True)
def masked_fill(self, mask, value):
    data, m = _masked_fill_data(self, mask, value)
    if isinstance(value, Tensor):
        out, node = result(
            data, MaskedFillBackward1, "masked_fill", (self, mask, value), (self, value)
        )
    else:
        out, node = result(data, MaskedFillBackward0, "masked_fill", (self, mask), (self,))
    if node is not None:
        node.save(m)
    return out


@op(method=True)
def masked_fill_(self, mask, value):
    from engine import trace
    from engine.ops import inplace

    inplace._check_leaf(self)
    data, _ = _masked_fill_data(self, mask, value)
    if data.shape != self._data.shape:
        raise RuntimeError(
            f"output with shape [{', '.join(map(str, self._data.shape))}] doesn't match the "
            f"broadcast shape [{', '.join(map(str, data.shape))}]"
        )
    paused, trace.local.tracer = trace.local.tracer, None
    try:
        tmp = masked_fill(inplace._snapshot(self), mask, value)
    finally:
        trace.local.tracer = paused
    inputs = (self, mask, value) if isinstance(value, Tensor) else (self, mask)
    return inplace._commit(self, tmp._data, tmp._grad_fn, "masked_fill_", inputs, tmp)


# ---------------------------------------------------------------- gather


class GatherBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        shape, flat_shape, where = self.saved
        out = np.zeros(flat_shape, dtype=grad.dtype)
        np.add.at(out, where, grad.reshape(np.broadcast_shapes(*(w.shape for w in where))))
        return (out.reshape(shape),)

    def graph_backward(self, grad):
        shape, flat_shape, index = self.saved
        positions = positions_of(flat_shape)[index]
        return (
            put(grad.reshape(positions.shape), positions, flat_shape, ScatterAddBackward0).reshape(
                shape
            ),
        )


def _gather_positions(index, dim):
    """The fancy index that reads input[..., index[...], ...] along `dim` for every element of index."""
    grids = np.indices(index.shape, sparse=True)
    return tuple(index if a == dim else grids[a] for a in range(index.ndim))


@op(method=True, torch=True)
def gather(self, dim, index, *, sparse_grad=False):
    if sparse_grad:
        raise RuntimeError("gradtrace does not support gather(sparse_grad=True)")
    x, idx = self._data, index._data
    if idx.dtype not in (np.int64, np.int32):
        raise RuntimeError("gather(): Expected dtype int32/int64 for index")
    if max(idx.ndim, 1) != max(x.ndim, 1):
        raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
    axis = wrap_dim(dim, x.ndim)
    if x.ndim == 0:
        x, idx = x.reshape(1), idx.reshape(1)
    for a in range(x.ndim):
        if a != axis and idx.shape[a] > x.shape[a]:
            raise RuntimeError(
                f"Size does not match at dimension {a} expected index {list(idx.shape)} to be "
                f"smaller than self {list(x.shape)} apart from dimension {axis}"
            )
    bad = (idx < 0) | (idx >= x.shape[axis])
    if bad.any():
        raise RuntimeError(
            f"index {int(idx[bad][0])} is out of bounds for dimension {axis} with size "
            f"{x.shape[axis]}"
        )
    where = _gather_positions(idx, axis)
    data = x[where].reshape(index._data.shape)
    out, node = result(data, GatherBackward0, "gather", (self, index), (self,))
    if node is not None:
        node.save(self._data.shape, x.shape, where)
    return out


# ---------------------------------------------------------------- index_select


class IndexSelectBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        shape, axis, idx = self.saved
        out = np.zeros(shape, dtype=grad.dtype)
        np.add.at(np.moveaxis(out, axis, 0), idx, np.moveaxis(grad, axis, 0))
        return (out,)

    def graph_backward(self, grad):
        shape, axis, idx = self.saved
        return (put(grad, np.take(positions_of(shape), idx, axis=axis), shape, IndexAddBackward0),)


@op(method=True, torch=True)
def index_select(self, dim, index):
    x, idx = self._data, index._data
    if idx.ndim > 1:
        raise IndexError("index_select(): Index is supposed to be a vector")
    if idx.dtype not in (np.int64, np.int32):
        raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
    axis = wrap_dim(dim, x.ndim) if x.ndim else 0
    flat = idx.reshape(-1)
    size = x.shape[axis] if x.ndim else 1
    if x.ndim == 0 and flat.size != 1:
        raise RuntimeError(
            f"index_select(): Index to scalar can have only 1 value, got {flat.size} value(s)"
        )
    bad = (flat < 0) | (flat >= size)
    if bad.any():
        raise RuntimeError(
            f"INDICES element is out of DATA bounds, id={int(flat[bad][0])} axis_dim={size}"
        )
    data = np.take(x, flat, axis=axis) if x.ndim else x.copy()
    out, node = result(data, IndexSelectBackward0, "index_select", (self, index), (self,))
    if node is not None:
        node.save(x.shape, axis, flat)
    return out


# ---------------------------------------------------------------- one_hot


@op(functional=True)
def one_hot(tensor, num_classes=-1):
    """F.one_hot: int64 rows with a 1 at each class index (no gradient: indices are integers)."""
    idx = tensor._data
    if idx.dtype != np.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    if idx.size and idx.min() < 0:
        raise RuntimeError("Class values must be non-negative.")
    if num_classes == -1:
        if idx.size == 0:
            raise RuntimeError("Can not infer total number of classes from empty tensor.")
        num_classes = int(idx.max()) + 1
    elif idx.size and idx.max() >= num_classes:
        raise RuntimeError("Class values must be smaller than num_classes.")
    out = (idx[..., None] == np.arange(num_classes)).astype(np.int64)
    from engine.ops.core import wrap

    return wrap(out, None, "one_hot", (tensor,))
