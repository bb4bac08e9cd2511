"""Shape ops: views (view/reshape, transpose, squeeze, indexing ...), cat, stack, clone, dtype casts.

Views share storage and the version counter with their input, as PyTorch's do.
"""

import numpy as np

from engine import dtypes, grad_mode, trace
from engine.autograd.function import Node, unbroadcast
from engine.ops import estimates
from engine.ops.arguments import int_sequence
from engine.ops.core import connect, constant, needs_grad, result, sum_to, wrap
from engine.ops.registry import op
from engine.ops.scatter import (
    IndexPutImplBackward0,
    SelectBackwardBackward0,
    SliceBackwardBackward0,
    positions_of,
    put,
)
from engine.ops.views import register_view
from engine.tensor import Tensor, wrap_dim


def _view_result(self, data, node_cls, op, *saved, inputs=None):
    """Record a view of `self`: same storage, same version counter, `self` (or its base) as base."""
    node = connect(node_cls(), self) if needs_grad(self) else None
    out = wrap(data, node, op, inputs or (self,), version=self._version)
    if node is not None:
        node.save(*saved)
    register_view(out, self, grad_mode.state.enabled)
    return out


class ShapeNode(Node):
    """A view whose backward only moves the gradient back into the input's shape."""

    __slots__ = ()
    saves_tensors = False


class ViewBackward0(ShapeNode):
    __slots__ = ()

    def backward(self, grad):
        (shape,) = self.saved
        return (grad.reshape(shape),)

    graph_backward = backward  # reshape, on arrays and Tensors alike


class UnsafeViewBackward0(ViewBackward0):
    __slots__ = ()


class ReshapeAliasBackward0(ViewBackward0):
    __slots__ = ()


class AliasBackward0(ShapeNode):
    __slots__ = ()

    def backward(self, grad):
        return (grad,)

    graph_backward = backward


class CloneBackward0(ShapeNode):
    __slots__ = ()

    def backward(self, grad):
        return (grad,)

    graph_backward = backward


def _infer_shape(shape, numel, param="shape", single_param="shape"):
    shape = int_sequence(shape, param, single_param)
    if shape.count(-1) > 1:
        raise RuntimeError("only one dimension can be inferred")
    known = 1
    for s in shape:
        if s != -1:
            known *= s
    if -1 in shape:
        if known == 0 or numel % known:
            raise RuntimeError(
                f"shape '[{', '.join(map(str, shape))}]' is invalid for input of size {numel}"
            )
        shape = tuple(numel // known if s == -1 else s for s in shape)
    elif known != numel:
        raise RuntimeError(
            f"shape '[{', '.join(map(str, shape))}]' is invalid for input of size {numel}"
        )
    return shape


def _try_view(data, shape):
    try:
        return np.reshape(data, shape, copy=False)
    except ValueError:
        return None


@op(method=True, estimate=estimates.nothing)
def view(self, *shape):
    if len(shape) == 1 and isinstance(shape[0], dtypes.dtype):
        raise RuntimeError("view(dtype) is not supported by gradtrace")
    # view(dtype) is the other overload, so one non-int is PyTorch's "invalid combination"
    shape = _infer_shape(shape, self._data.size, "size", None)
    data = _try_view(self._data, shape)
    if data is None:
        raise RuntimeError(
            "view size is not compatible with input tensor's size and stride (at least "
            "one dimension spans across two contiguous subspaces). Use .reshape(...) instead."
        )
    return _view_result(self, data, ViewBackward0, "view", self._data.shape)


@op(method=True, torch=True, estimate=estimates.nothing)
def reshape(self, *shape):
    shape = _infer_shape(shape, self._data.size)
    data = _try_view(self._data, shape)
    if data is not None:  # PyTorch views a contiguous input, and _reshape_alias's another one
        node_cls = ViewBackward0 if self._data.flags.c_contiguous else ReshapeAliasBackward0
        return _view_result(self, data, node_cls, "reshape", self._data.shape)
    # not viewable: PyTorch copies (CloneBackward0) and views the copy (UnsafeViewBackward0)
    copy = clone(self)
    out, node = result(copy._data.reshape(shape), UnsafeViewBackward0, "reshape", (copy,))
    if node is not None:
        node.save(self._data.shape)
    return out


@op(method=True)
def view_as(self, other):
    return view(self, other._data.shape)


@op(method=True)
def reshape_as(self, other):
    return reshape(self, other._data.shape)


@op(method=True)
def contiguous(self):
    if self._data.flags.c_contiguous:
        return self
    return clone(self)


@op(method=True, torch=True)
def flatten(self, start_dim=0, end_dim=-1):
    nd = self._data.ndim
    if nd == 0:
        return reshape(self, (1,))
    s, e = wrap_dim(start_dim, nd), wrap_dim(end_dim, nd)
    if s > e:
        raise RuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:
        return self
    shape = self._data.shape
    return reshape(self, shape[:s] + (int(np.prod(shape[s : e + 1])),) + shape[e + 1 :])


@op(method=True, torch=True)
def clone(self, *, memory_format=None):
    out, node = result(self._data.copy(), CloneBackward0, "clone", (self,))
    return out


class TBackward0(ShapeNode):
    __slots__ = ()

    def backward(self, grad):
        return (grad.T,)

    def graph_backward(self, grad):
        return (grad.t(),)


class TransposeBackward0(ShapeNode):
    __slots__ = ()

    def backward(self, grad):
        (a, b) = self.saved
        return (np.swapaxes(grad, a, b) if grad.ndim else grad,)

    def graph_backward(self, grad):
        (a, b) = self.saved
        return (grad.transpose(a, b) if grad.dim() else grad,)


class PermuteBackward0(ShapeNode):
    __slots__ = ()

    def backward(self, grad):
        (axes,) = self.saved
        return (np.transpose(grad, np.argsort(axes)),)

    def graph_backward(self, grad):
        (axes,) = self.saved
        return (grad.permute(*(int(a) for a in np.argsort(axes))),)


@op(method=True, torch=True)
def t(self):
    if self._data.ndim > 2:
        raise RuntimeError(
            f"t() expects a tensor with <= 2 dimensions, but self is {self._data.ndim}D"
        )
    return _view_result(self, self._data.T, TBackward0, "t")


@op(method=True, torch=True)
def transpose(self, dim0, dim1):
    nd = self._data.ndim
    a, b = wrap_dim(dim0, nd), wrap_dim(dim1, nd)
    return _view_result(
        self,
        np.swapaxes(self._data, a, b) if nd else self._data,
        TransposeBackward0,
        "transpose",
        a,
        b,
    )


swapaxes = transpose


@op(method=True, torch=True)
def permute(self, *dims):
    dims = int_sequence(dims, "dims")
    nd = self._data.ndim
    if len(dims) != nd:
        raise RuntimeError(
            f"permute(sparse_coo): number of dimensions in the tensor input does not match "
            f"the length of the desired ordering of dimensions i.e. input.dim() = {nd} is not "
            f"equal to len(dims) = {len(dims)}"
        )
    axes = tuple(wrap_dim(d, nd) for d in dims)
    if len(set(axes)) != len(axes):
        raise RuntimeError("permute(): duplicate dims are not allowed.")
    return _view_result(self, np.transpose(self._data, axes), PermuteBackward0, "permute", axes)


@op(property="T")
def _T(self):
    return permute(self, tuple(range(self._data.ndim - 1, -1, -1)))


@op(property="mT")
def _mT(self):
    return transpose(self, -2, -1)


class SqueezeBackward0(ShapeNode):
    """squeeze() of all size-1 dims."""

    __slots__ = ()

    def backward(self, grad):
        (shape,) = self.saved
        return (grad.reshape(shape),)

    graph_backward = backward  # reshape, on arrays and Tensors alike


class SqueezeBackward1(SqueezeBackward0):
    """squeeze(dim)."""

    __slots__ = ()


class SqueezeBackward2(SqueezeBackward0):
    """squeeze(dims)."""

    __slots__ = ()


class SqueezeBackward4(SqueezeBackward0):
    """squeeze_(dim), as matmul records it for a vector times a matrix."""

    __slots__ = ()


class UnsqueezeBackward0(ShapeNode):
    __slots__ = ()

    def backward(self, grad):
        (axis,) = self.saved
        return (np.squeeze(grad, axis),)

    def graph_backward(self, grad):
        (axis,) = self.saved
        return (grad.squeeze(axis),)


@op(method=True, torch=True)
def squeeze(self, dim=None, _node=None):
    data = self._data
    if dim is None:
        node_cls, axes = SqueezeBackward0, tuple(i for i, n in enumerate(data.shape) if n == 1)
    elif isinstance(dim, (tuple, list)):
        node_cls = SqueezeBackward2
        axes = tuple(
            a for a in (wrap_dim(d, data.ndim) for d in dim) if data.ndim and data.shape[a] == 1
        )
    else:
        node_cls = _node or SqueezeBackward1
        a = wrap_dim(dim, data.ndim)
        axes = (a,) if data.ndim and data.shape[a] == 1 else ()
    return _view_result(
        self, np.squeeze(data, axes) if axes else data.view(), node_cls, "squeeze", data.shape
    )


@op(method=True, torch=True)
def unsqueeze(self, dim):
    nd = self._data.ndim + 1
    axis = wrap_dim(dim, nd)
    return _view_result(
        self, np.expand_dims(self._data, axis), UnsqueezeBackward0, "unsqueeze", axis
    )


class ExpandBackward0(ShapeNode):
    __slots__ = ()

    def backward(self, grad):
        (shape,) = self.saved
        return (unbroadcast(grad, shape),)

    def graph_backward(self, grad):
        (shape,) = self.saved
        return (sum_to(grad, shape),)


@op(method=True, estimate=estimates.expand)
def expand(self, *sizes):
    sizes = int_sequence(sizes, "size")
    shape = self._data.shape
    lead = len(sizes) - len(shape)
    if lead < 0:
        raise RuntimeError(
            f"expand({dtypes.legacy_type_name(self._data.dtype)}{{[{', '.join(map(str, shape))}]}}, "
            f"size=[{', '.join(map(str, sizes))}]): the number of sizes provided ({len(sizes)}) must "
            f"be greater or equal to the number of dimensions in the tensor ({len(shape)})"
        )
    target = tuple(shape[i - lead] if s == -1 else int(s) for i, s in enumerate(sizes))
    for i, n in enumerate(shape):
        if n != 1 and n != target[i + lead]:
            raise RuntimeError(
                f"The expanded size of the tensor ({target[i + lead]}) must match the existing "
                f"size ({n}) at non-singleton dimension {i + lead}.  Target sizes: "
                f"[{', '.join(map(str, sizes))}].  Tensor sizes: [{', '.join(map(str, shape))}]"
            )
    if trace.local.tracer is not None:
        trace.local.tracer.allocating(int(np.prod(target)))
    return _view_result(
        self, _writable_broadcast(self._data, target), ExpandBackward0, "expand", shape
    )


def _writable_broadcast(data, target):
    """np.broadcast_to, but writable like PyTorch's expand (x.expand(3, 2).zero_() writes into x)."""
    lead = len(target) - data.ndim
    strides = (0,) * lead + tuple(
        0 if n == 1 and t != 1 else st for n, t, st in zip(data.shape, target[lead:], data.strides)
    )
    return np.lib.stride_tricks.as_strided(data, target, strides)


@op(method=True)
def expand_as(self, other):
    return expand(self, other._data.shape)


# -- indexing ---------------------------------------------------------------------------------


class SelectBackward0(ShapeNode):
    __slots__ = ()

    def backward(self, grad):
        shape, axis, index = self.saved
        out = np.zeros(shape, dtype=grad.dtype)
        out[(slice(None),) * axis + (index,)] = grad
        return (out,)

    def graph_backward(self, grad):
        shape, axis, index = self.saved
        return (
            put(
                grad,
                positions_of(shape)[(slice(None),) * axis + (index,)],
                shape,
                SelectBackwardBackward0,
            ),
        )


class SliceBackward0(ShapeNode):
    __slots__ = ()

    def backward(self, grad):
        shape, axis, sl = self.saved
        out = np.zeros(shape, dtype=grad.dtype)
        out[(slice(None),) * axis + (sl,)] = grad
        return (out,)

    def graph_backward(self, grad):
        shape, axis, sl = self.saved
        return (
            put(
                grad,
                positions_of(shape)[(slice(None),) * axis + (sl,)],
                shape,
                SliceBackwardBackward0,
            ),
        )


class IndexBackward0(Node):
    """x[list or tensor]: saves the indices, so a second backward without retain_graph fails as in PyTorch."""

    __slots__ = ()

    def backward(self, grad):
        shape, key = self.saved
        out = np.zeros(shape, dtype=grad.dtype)
        np.add.at(out, key, grad)
        return (out,)

    def graph_backward(self, grad):
        shape, key = self.saved
        return (put(grad, positions_of(shape)[key], shape, IndexPutImplBackward0),)


_VALID_INDICES = (
    "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are "
    "valid indices"
)
_ZERO_DIM_INDEX = (
    "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` "
    "in C++ to convert a 0-dim tensor to a number"
)


def _is_advanced(k):
    return isinstance(k, (Tensor, list, np.ndarray, bool))


def _check_index_type(k):
    if k is None or k is Ellipsis or isinstance(k, (int, slice, Tensor, list, np.integer)):
        return
    if isinstance(k, str):
        raise TypeError("new(): invalid data type 'str'")  # PyTorch tries to make a tensor of it
    raise IndexError(f"{_VALID_INDICES} (got {type(k).__name__})")


def _advanced_key(k):
    if isinstance(k, Tensor):
        if k._data.dtype.kind not in "iub":
            raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        return k._data
    if isinstance(k, list):
        return np.asarray([x._data if isinstance(x, Tensor) else x for x in k])
    return k


def _mask_error(shape, np_key):
    """PyTorch's message for the first boolean mask whose shape does not fit the tensor."""
    axis = 0
    for k in np_key:
        if isinstance(k, np.ndarray) and k.dtype == np.bool_:
            for i, n in enumerate(k.shape):
                if axis + i < len(shape) and shape[axis + i] != n:
                    return IndexError(
                        f"The shape of the mask [{', '.join(map(str, k.shape))}] at index {i} does "
                        f"not match the shape of the indexed tensor [{', '.join(map(str, shape))}] "
                        f"at index {axis + i}"
                    )
            axis += k.ndim
        elif k is not None:
            axis += 1
    return None


def _torch_index_error(error, shape=(), np_key=()):
    """numpy's words for a bad index, in PyTorch's."""
    message = str(error)
    prefix = "too many indices for array: array is "
    if message.startswith("boolean index did not match"):
        return _mask_error(shape, np_key) or IndexError(message)
    if message.startswith(prefix):
        return IndexError(
            f"too many indices for tensor of dimension {message[len(prefix) :].split('-')[0]}"
        )
    return IndexError(message.replace(" for axis ", " for dimension "))


def index_key(self, key):
    """Validate `key` as PyTorch does; returns (key as a tuple, numpy's key if it is advanced else None)."""
    if self._data.ndim == 0 and not isinstance(key, tuple):
        if isinstance(key, slice):
            raise IndexError("slice() cannot be applied to a 0-dim tensor.")
        if isinstance(key, int) and not isinstance(key, bool):
            raise IndexError(
                _ZERO_DIM_INDEX
                if key == 0
                else f"index {key} is out of bounds for dimension 0 with size 0"
            )
    key = key if isinstance(key, tuple) else (key,)
    for k in key:
        _check_index_type(k)
    if any(_is_advanced(k) for k in key):
        return key, tuple(_advanced_key(k) for k in key)
    n_real = sum(1 for k in key if k is not None and k is not Ellipsis)
    if n_real > self._data.ndim:
        raise IndexError(f"too many indices for tensor of dimension {self._data.ndim}")
    return key, None


def advanced_index_data(data, np_key):
    try:
        return data[np_key]
    except IndexError as e:
        raise _torch_index_error(e, data.shape, np_key) from None


def basic_index(self, key, lone_slice_views=False):
    """x[key] for a key tuple from index_key (ints, slices, None, `...`), applied left to right as
    PyTorch does: select, slice, unsqueeze views. Full slices are skipped (the result may be `self`);
    with lone_slice_views, reading x[:] is a SliceBackward0 view all the same, as in PyTorch (writing
    x[:] = v copies into x itself)."""
    n_real = sum(1 for k in key if k is not None and k is not Ellipsis)
    out = self
    axis = 0  # in `out`
    for position, k in enumerate(key):  # PyTorch's messages name the position in the key
        if k is Ellipsis:
            axis += self._data.ndim - n_real
        elif k is None:
            out = _view_result(
                out, np.expand_dims(out._data, axis), UnsqueezeBackward0, "index", axis
            )
            axis += 1
        elif isinstance(k, slice):
            size = out._data.shape[axis]
            start, stop, step = k.indices(size)
            if step <= 0:
                raise ValueError("step must be greater than zero")
            if (start, step) == (0, 1) and stop >= size and not lone_slice_views:
                axis += 1
                continue
            data = out._data[(slice(None),) * axis + (k,)]
            out = _view_result(out, data, SliceBackward0, "index", out._data.shape, axis, k)
            axis += 1
        else:
            index = int(k)
            size = out._data.shape[axis]
            if not -size <= index < size:
                raise IndexError(
                    f"index {index} is out of bounds for dimension {position} with size {size}"
                )
            data = out._data[(slice(None),) * axis + (index, Ellipsis)]  # a view, even when 0-d
            out = _view_result(
                out, data, SelectBackward0, "index", out._data.shape, axis, index % size
            )
    return out


@op(operators=("__getitem__",))
def getitem(self, key):
    lone_slice = isinstance(key, slice)
    key, np_key = index_key(self, key)
    if np_key is not None:
        data = advanced_index_data(self._data, np_key)
        out, node = result(data.copy(), IndexBackward0, "index", (self,))
        if node is not None:
            node.save(self._data.shape, np_key)
        return out
    out = basic_index(self, key, lone_slice_views=lone_slice)
    if out is self:  # x[...] or x[:, :] is still a new view
        out = _view_result(self, self._data.view(), AliasBackward0, "index")
    return out


# -- joining ----------------------------------------------------------------------------------


class CatBackward0(Node):
    __slots__ = ()
    saves_tensors = False

    def backward(self, grad):
        axis, sizes = self.saved
        joined = [n for n in sizes if n is not None]
        parts = iter(np.split(grad, np.cumsum(joined)[:-1], axis=axis))
        # a skipped legacy empty tensor (None) gets an empty gradient of its own shape
        return tuple(np.zeros((0,), grad.dtype) if n is None else next(parts) for n in sizes)

    def graph_backward(self, grad):
        axis, sizes = self.saved
        parts, start = [], 0
        for n in sizes:
            if n is None:
                parts.append(constant(np.zeros((0,), grad._data.dtype)))
            else:
                parts.append(grad[(slice(None),) * axis + (slice(start, start + n),)])
                start += n
        return tuple(parts)


class StackBackward0(Node):
    __slots__ = ()
    saves_tensors = False

    def backward(self, grad):
        (axis,) = self.saved
        return tuple(np.take(grad, i, axis=axis) for i in range(grad.shape[axis]))

    def graph_backward(self, grad):
        (axis,) = self.saved
        return tuple(grad[(slice(None),) * axis + (i,)] for i in range(grad.shape[axis]))


def _joined_dtype(tensors):
    return (
        dtypes.result_type(*[t for t in tensors if t._data.ndim] or tensors).np
        if tensors
        else np.float32
    )


def _tensor_list(tensors, op):
    """PyTorch's checks of a tensor-list argument (cat, stack)."""
    if not isinstance(tensors, (list, tuple)):
        raise TypeError(
            f"{op}(): argument 'tensors' (position 1) must be tuple of Tensors, "
            f"not {'Tensor' if isinstance(tensors, Tensor) else type(tensors).__name__}"
        )
    for i, t in enumerate(tensors):
        if not isinstance(t, Tensor):
            raise TypeError(
                f"expected Tensor as element {i} in argument 0, but got {type(t).__name__}"
            )
    return list(tensors)


@op(torch=("cat", "concat", "concatenate"), estimate=estimates.join)
def cat(tensors, dim=0):
    tensors = _tensor_list(tensors, "cat")
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    for i, t in enumerate(tensors):
        if t._data.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    # PyTorch still skips legacy empty 1-D tensors (shape [0]) when it checks sizes
    skipped = [t._data.shape == (0,) for t in tensors]
    joined = [t for t, skip in zip(tensors, skipped) if not skip]
    ref = joined[0] if joined else tensors[0]
    axis = wrap_dim(dim, ref._data.ndim) if joined else 0
    for i, t in enumerate(tensors):
        if skipped[i] and joined:
            continue
        if t._data.ndim != ref._data.ndim:
            raise RuntimeError(
                f"Tensors must have same number of dimensions: got {ref._data.ndim} and {t._data.ndim}"
            )
        for d in range(ref._data.ndim):
            if d != axis and t._data.shape[d] != ref._data.shape[d]:
                raise RuntimeError(
                    f"Sizes of tensors must match except in dimension {axis}. Expected size "
                    f"{ref._data.shape[d]} but got size {t._data.shape[d]} for tensor number {i} in the list."
                )
    dt = _joined_dtype(tensors)
    out, node = result(
        np.concatenate([t._data.astype(dt, copy=False) for t in joined or tensors], axis=axis),
        CatBackward0,
        "cat",
        tuple(tensors),
    )
    if node is not None:
        node.save(
            axis,
            [None if skip and joined else t._data.shape[axis] for t, skip in zip(tensors, skipped)],
        )
    return out


concat = concatenate = cat


@op(torch=True, estimate=estimates.join)
def stack(tensors, dim=0):
    tensors = _tensor_list(tensors, "stack")
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    first = tensors[0]._data.shape
    for i, t in enumerate(tensors):
        if t._data.shape != first:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got [{', '.join(map(str, first))}] "
                f"at entry 0 and [{', '.join(map(str, t._data.shape))}] at entry {i}"
            )
    axis = wrap_dim(dim, len(first) + 1)
    dt = _joined_dtype(tensors)
    out, node = result(
        np.stack([t._data.astype(dt, copy=False) for t in tensors], axis=axis),
        StackBackward0,
        "stack",
        tuple(tensors),
    )
    if node is not None:
        node.save(axis)
    return out


# -- dtype casts ------------------------------------------------------------------------------


class ToCopyBackward0(Node):
    __slots__ = ()
    saves_tensors = False

    def backward(self, grad):
        (np_dtype,) = self.saved
        return (grad.astype(np_dtype),)

    def graph_backward(self, grad):
        (np_dtype,) = self.saved
        return (grad.to(dtypes.BY_NUMPY[np.dtype(np_dtype)]),)


@op(method=True)
def to(self, *args, dtype=None, copy=False, **kwargs):
    for key in kwargs:
        if key not in ("device", "non_blocking", "memory_format"):
            raise TypeError(
                f"to() received an invalid combination of arguments - got an unexpected keyword "
                f"argument '{key}'"
            )
    for a in (*args, kwargs.get("device")):
        if isinstance(a, dtypes.dtype):
            dtype = a
        elif isinstance(a, Tensor):
            dtype = a.dtype
        elif a is not None and str(a).split(":")[0] != "cpu":
            raise NotImplementedError(
                f"gradtrace runs on the CPU only: .to({str(a)!r}) is not supported"
            )
    if dtype is None or dtype.np == self._data.dtype and not copy:
        return self
    if self._requires_grad and not dtype.is_floating_point and needs_grad(self):
        out = wrap(self._data.astype(dtype.np), None, "to", (self,))
        return out
    out, node = result(self._data.astype(dtype.np), ToCopyBackward0, "to", (self,))
    if node is not None:
        node.save(self._data.dtype)
    return out


def _cast_method(name, dtype):
    def cast(self):
        return to(self, dtype)

    cast.__name__ = cast.__qualname__ = name
    return cast


for _name, _dt in (
    ("float", dtypes.float32),
    ("double", dtypes.float64),
    ("half", dtypes.float16),
    ("long", dtypes.int64),
    ("int", dtypes.int32),
    ("short", dtypes.int16),
    ("bool", dtypes.bool_),
):
    op(method=True)(_cast_method(_name, _dt))


class UnbindBackward0(Node):
    """One node, one output per slice (iterating a tensor unbinds it)."""

    __slots__ = ("num_outputs",)
    saves_tensors = False

    def backward(self, grads):
        shape, axis = self.saved
        if not isinstance(grads, list):  # a single slice: the engine treats it as one output
            grads = [grads]
        parts = [
            np.zeros(
                shape[:axis] + shape[axis + 1 :],
                dtype=next(g for g in grads if g is not None).dtype,
            )
            if g is None
            else g
            for g in grads
        ]
        return (np.stack(parts, axis=axis),)

    def graph_backward(self, grads):
        shape, axis = self.saved
        if not isinstance(grads, list):
            grads = [grads]
        dtype = next(g for g in grads if g is not None)._data.dtype
        parts = [
            constant(np.zeros(shape[:axis] + shape[axis + 1 :], dtype=dtype)) if g is None else g
            for g in grads
        ]
        return (stack(parts, axis),)


@op(method=True, torch=True)
def unbind(self, dim=0):
    data = self._data
    axis = wrap_dim(dim, data.ndim)
    n = data.shape[axis]
    node = None
    if needs_grad(self):
        node = connect(UnbindBackward0(), self)
        node.num_outputs = n
        node.save(data.shape, axis)
    outs = []
    for i in range(n):
        t = wrap(
            data[(slice(None),) * axis + (i, Ellipsis)],
            node,
            "unbind",
            (self,),
            version=self._version,
        )
        t._output_nr = i
        register_view(t, self, grad_mode.state.enabled)
        outs.append(t)
    return tuple(outs)


class RepeatBackward0(Node):
    __slots__ = ()
    saves_tensors = False

    def backward(self, grad):
        shape, reps = self.saved
        lead = len(reps) - len(shape)
        full = (1,) * lead + shape
        # (r0*s0, r1*s1 ...) -> (r0, s0, r1, s1 ...) and sum the repeat axes
        g = grad.reshape(tuple(x for r, s in zip(reps, full) for x in (r, s)))
        g = g.sum(axis=tuple(range(0, 2 * len(reps), 2)))
        return (g.reshape(shape),)

    def graph_backward(self, grad):
        shape, reps = self.saved
        lead = len(reps) - len(shape)
        full = (1,) * lead + shape
        g = grad.reshape(tuple(x for r, s in zip(reps, full) for x in (r, s)))
        if reps:
            g = g.sum(tuple(range(0, 2 * len(reps), 2)))  # (full)
        for _ in range(lead):  # the dims repeat added in front, summed last as PyTorch does
            g = g.sum(0)
        return (g,)


@op(method=True, estimate=estimates.repeat)
def repeat(self, *sizes):
    sizes = int_sequence(sizes, "repeats")
    if len(sizes) < self._data.ndim:
        raise RuntimeError(
            "Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor"
        )
    if trace.local.tracer is not None:
        trace.local.tracer.allocating(int(self._data.size * np.prod(sizes)))
    out, node = result(np.tile(self._data, sizes), RepeatBackward0, "repeat", (self,))
    if node is not None:
        node.save(self._data.shape, tuple(sizes))
    return out
