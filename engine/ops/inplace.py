"""In-place ops (add_, -=, zero_, x[i] = v ...) with PyTorch's leaf and view rules and version counter.

Under grad mode, an in-place op on a tensor in the graph is recorded like its out-of-place twin
applied to the old value; the tensor takes the new grad_fn (is_leaf becomes False), or, written
through a view, its base takes CopySlices (engine/ops/views.py).
"""

import numpy as np

from engine import dtypes, grad_mode, trace
from engine.autograd.function import Node, unbroadcast
from engine.ops import arithmetic
from engine.ops.arguments import BadArgument
from engine.ops.core import broadcast_shape, connect, constant, needs_grad, operands, sum_to
from engine.ops.registry import op
from engine.ops.scatter import positions_of, take
from engine.ops.views import VIEW_OF_LEAF_IN_PLACE, check_in_place, rebase_history, regenerate_views
from engine.tensor import Tensor


def _check_leaf(self):
    check_in_place(self, grad_mode.state.enabled)


def _cast_into(self, new_data, op):
    target = self._data.dtype
    if new_data.shape != self._data.shape:  # PyTorch checks the shape before the dtype
        raise RuntimeError(
            f"output with shape [{', '.join(map(str, self._data.shape))}] doesn't match the "
            f"broadcast shape [{', '.join(map(str, new_data.shape))}]"
        )
    if new_data.dtype != target:
        src, dst = dtypes.from_numpy(new_data.dtype), dtypes.from_numpy(target)
        if src.category > dst.category:
            raise RuntimeError(
                f"result type {dtypes.legacy_type_name(new_data.dtype)[6:-6]} can't be cast "
                f"to the desired output type {dtypes.legacy_type_name(target)[6:-6]}"
            )
    return new_data


def _commit(self, new_data, node, op, inputs, result=None):
    """Write new values into self's storage, bump the version, take the new history.

    `result` is the out-of-place result `node` was recorded for: if node saved it, it saved self now.
    """
    np.copyto(self._data, new_data, casting="unsafe")
    self._version[0] += 1
    if node is not None:
        rebase_history(self, node)
    regenerate_views(self)
    if (
        node is not None and result is not None and node._versions
    ):  # node saved its result: self now
        node._versions = [
            (self, self._version[0], producer) if t is result else (t, v, producer)
            for t, v, producer in node._versions
        ]
    if trace.local.tracer is not None:
        trace.local.tracer.tensor_modified(self, op, inputs)
    return self


def _check_overlap(self, other=None):
    """PyTorch refuses to write where one memory location is several elements of the output, or is
    shared in part by an input (x.mul_(x[0]))."""
    d = self._data
    if any(stride == 0 and n > 1 for n, stride in zip(d.shape, d.strides)):
        raise RuntimeError(
            "unsupported operation: more than one element of the written-to tensor refers to a "
            "single memory location. Please clone() the tensor before performing the operation."
        )
    if isinstance(other, Tensor) and _partial_overlap(d, other._data):
        raise RuntimeError(
            "unsupported operation: some elements of the input tensor and the written-to tensor "
            "refer to a single memory location. Please clone() the tensor before performing the "
            "operation."
        )


def _partial_overlap(a, b):
    """PyTorch's get_overlap_status(a, b) == Partial (arrays without gaps; others are too hard to tell)."""
    if a is b or a.size == 0 or b.size == 0:
        return False
    if not (a.flags.c_contiguous or a.flags.f_contiguous) or not (
        b.flags.c_contiguous or b.flags.f_contiguous
    ):
        return False
    a_begin, b_begin = a.__array_interface__["data"][0], b.__array_interface__["data"][0]
    a_end, b_end = a_begin + a.nbytes, b_begin + b.nbytes
    if a_begin == b_begin and a_end == b_end:
        return a.strides != b.strides
    return a_begin < b_end and b_begin < a_end


def _snapshot(self):
    """The old value of self, with self's place in the graph, for the recorded op to read."""
    old = Tensor._wrap(self._data.copy(), self._grad_fn)
    old._requires_grad = self._requires_grad
    old._accumulate = self._accumulate
    old._output_nr = self._output_nr
    return old


def _binary_inplace(self, other, fn, op):
    if not isinstance(
        other, (Tensor, int, float, bool)
    ):  # checked before the leaf rule, as in PyTorch
        raise TypeError(
            f"{op}(): argument 'other' (position 1) must be Tensor, not {type(other).__name__}"
        )
    _check_leaf(self)
    _check_overlap(self, other)
    if needs_grad(self, other):
        paused, trace.local.tracer = trace.local.tracer, None
        try:
            tmp = fn(_snapshot(self), other)
        finally:
            trace.local.tracer = paused
        return _commit(self, _cast_into(self, tmp._data, op), tmp._grad_fn, op, (self, other), tmp)
    ad, bd = operands(self, other)
    with np.errstate(divide="ignore", invalid="ignore"):
        new = np.asarray(fn_data[op](ad, bd))
    return _commit(self, _cast_into(self, new, op), None, op, (self, other))


fn_data = {
    "add_": np.add,
    "sub_": np.subtract,
    "mul_": np.multiply,
    "div_": arithmetic.DivBackward0.forward,
    "pow_": arithmetic.power,
}


@op(method=True, operators=("__iadd__",))
def add_(self, other, *, alpha=1):
    if alpha != 1:
        arithmetic.check_alpha("add_", alpha)
        other = arithmetic.mul(other, alpha)
    return _binary_inplace(self, other, arithmetic.add, "add_")


@op(method=True, operators=("__isub__",))
def sub_(self, other, *, alpha=1):
    arithmetic.check_subtraction(self, other)
    if alpha != 1:
        arithmetic.check_alpha("sub_", alpha)
        other = arithmetic.mul(other, alpha)
    return _binary_inplace(self, other, arithmetic.sub, "sub_")


@op(method=True, operators=("__imul__",))
def mul_(self, other):
    return _binary_inplace(self, other, arithmetic.mul, "mul_")


@op(method=True, operators=("__itruediv__",))
def div_(self, other):
    return _binary_inplace(self, other, arithmetic.div, "div_")


@op(method=True, operators=("__ipow__",))
def pow_(self, exponent):
    arithmetic.check_scalar_exponent(self._data, exponent)
    return _binary_inplace(self, exponent, arithmetic.pow, "pow_")


class ZeroBackward0(Node):
    __slots__ = ()
    saves_tensors = False

    def backward(self, grad):
        return (np.zeros_like(grad),)

    def graph_backward(self, grad):
        return (constant(np.zeros_like(grad._data)),)


class FillBackward2(ZeroBackward0):
    """fill_ with a Python number."""

    __slots__ = ()


@op(method=True)
def zero_(self):
    _check_leaf(self)
    node = connect(ZeroBackward0(), _snapshot(self)) if needs_grad(self) else None
    return _commit(self, np.zeros_like(self._data), node, "zero_", (self,))


class FillBackward3(Node):
    """fill_ with a 0-d tensor (also x[key] = number): the value gets the sum of the gradient."""

    __slots__ = ()
    saves_tensors = False

    def backward(self, grad):
        g_value = None
        if self.next_functions[1][0] is not None:
            (value_dtype,) = self.saved
            g_value = np.asarray(grad.sum(), dtype=value_dtype)
        return np.zeros_like(grad), g_value

    def graph_backward(self, grad):
        g_value = None
        if self.next_functions[1][0] is not None:
            (value_dtype,) = self.saved
            g_value = grad.sum().to(dtypes.from_numpy(value_dtype))
        return constant(np.zeros_like(grad._data)), g_value


@op(method=True)
def fill_(self, value):
    if isinstance(value, Tensor) and value._data.ndim:
        raise RuntimeError(
            f"fill_ only supports 0-dimension value tensor but got tensor with "
            f"{value._data.ndim} dimensions."
        )
    if not isinstance(value, (Tensor, int, float, bool)):
        raise BadArgument("fill_ takes a number")
    _check_leaf(self)
    if not isinstance(value, Tensor):
        node = connect(FillBackward2(), _snapshot(self)) if needs_grad(self) else None
        return _commit(self, np.full_like(self._data, value), node, "fill_", (self, value))
    node = None
    if needs_grad(self, value):
        node = connect(FillBackward3(), _snapshot(self), value)
        node.save(value._data.dtype)
    return _commit(self, np.full_like(self._data, value._data), node, "fill_", (self, value))


class CopyBackwards(Node):
    """copy_: the old value gets no gradient, the source all of it (summed to its shape, in its dtype)."""

    __slots__ = ()
    saves_tensors = False
    cpp_name = "torch::autograd::CopyBackwards"

    def backward(self, grad):
        src_shape, src_dtype = self.saved
        g_src = None
        if self.next_functions[1][0] is not None:
            g_src = unbroadcast(grad, src_shape).astype(src_dtype, copy=False)
        return np.zeros_like(grad), g_src

    def graph_backward(self, grad):
        src_shape, src_dtype = self.saved
        g_src = None
        if self.next_functions[1][0] is not None:
            g_src = sum_to(grad, src_shape).to(dtypes.from_numpy(src_dtype))
        return constant(np.zeros_like(grad._data)), g_src


@op(method=True)
def copy_(self, src):
    source = src._data if isinstance(src, Tensor) else np.asarray(src)
    if broadcast_shape(self._data.shape, source.shape) != self._data.shape:
        raise RuntimeError(
            f"output with shape [{', '.join(map(str, self._data.shape))}] doesn't match the "
            f"broadcast shape [{', '.join(map(str, broadcast_shape(self._data.shape, source.shape)))}]"
        )
    _check_leaf(self)
    _check_overlap(self)  # copy_ reads a partly overlapping source correctly, as PyTorch's does
    data = np.broadcast_to(source, self._data.shape)
    node = None
    if needs_grad(self, src):
        node = connect(CopyBackwards(), _snapshot(self), src)
        node.save(source.shape, source.dtype)
    return _commit(self, data, node, "copy_", (self, src))


def _unary_inplace(self, fn, op, *args, **kwargs):
    """relu_, clamp_ ...: the out-of-place op on the old value, written back into self."""
    _check_leaf(self)
    _check_overlap(self)
    recording = needs_grad(self)
    paused, trace.local.tracer = trace.local.tracer, None
    try:
        tmp = fn(_snapshot(self) if recording else Tensor._wrap(self._data), *args, **kwargs)
    finally:
        trace.local.tracer = paused
    return _commit(self, tmp._data, tmp._grad_fn if recording else None, op, (self,), tmp)


@op(method=True)
def clamp_(self, min=None, max=None):
    from engine.ops.pointwise import clamp

    return _unary_inplace(self, clamp, "clamp_", min, max)


def _make_unary_inplace(name):
    def inplace(self):
        from engine.ops import pointwise

        return _unary_inplace(self, getattr(pointwise, name), name + "_")

    inplace.__name__ = inplace.__qualname__ = name + "_"
    op(method=True)(inplace)


for _name in ("relu", "sigmoid", "tanh", "exp", "log", "sqrt", "abs", "sin", "cos"):
    _make_unary_inplace(_name)


@op(method=True)
def neg_(self):
    return _unary_inplace(self, arithmetic.neg, "neg_")


class IndexPutBackward0(Node):
    """x[mask or list] = value: the old value's gradient skips the written elements."""

    __slots__ = ()
    saves_tensors = False

    def backward(self, grad):
        key, value_shape = self.saved
        g_self = grad.copy()
        g_self[key] = 0
        g_value = None
        if self.next_functions[1][0] is not None:
            g_value = unbroadcast(np.ascontiguousarray(grad[key]), value_shape)
        return g_self, g_value

    def graph_backward(self, grad):
        key, value_shape = self.saved
        kept = np.ones(grad._data.shape, dtype=bool)
        kept[key] = False
        g_self = grad * constant(kept.astype(grad._data.dtype))
        g_value = None
        if self.next_functions[1][0] is not None:
            g_value = sum_to(take(grad, positions_of(grad._data.shape)[key]), value_shape)
        return g_self, g_value


def _index_target(self, key):
    """(key as a tuple, the shape x[key] has, whether writing goes through a view of x, numpy's key
    when the key is advanced else None); raises PyTorch's indexing errors."""
    from engine.ops import shape

    key, np_key = shape.index_key(self, key)
    if np_key is not None:
        target = shape.advanced_index_data(self._data, np_key)
        # the basic parts of a mixed key make a view first; index_put_ then writes into it
        viewed = any(k is None or (isinstance(k, int) and not isinstance(k, bool)) for k in key)
        return key, target.shape, viewed, np_key
    paused, trace.local.tracer = trace.local.tracer, None
    try:
        with grad_mode.no_grad():
            view = shape.basic_index(self, key)
    finally:
        trace.local.tracer = paused
    return key, view._data.shape, view is not self, None


def _check_value(self, value, target, advanced):
    """PyTorch's errors for what cannot be written into x[key]."""
    if not isinstance(value, (Tensor, int, float, bool, np.number)):
        raise TypeError(
            f"can't assign a {type(value).__name__} to a {dtypes.legacy_type_name(self._data.dtype)}"
        )
    if not isinstance(value, Tensor) or value._data.shape == target:
        return
    if advanced:
        try:
            np.broadcast_shapes(value._data.shape, target)
        except ValueError:
            raise RuntimeError(
                f"shape mismatch: value tensor of shape [{', '.join(map(str, value._data.shape))}] "
                f"cannot be broadcast to indexing result of shape [{', '.join(map(str, target))}]"
            ) from None
    else:
        from engine.ops.shape import expand

        shape = value._data.shape
        while shape and shape[0] == 1:  # copy_to drops leading 1s before it expands
            shape = shape[1:]
        with grad_mode.no_grad():
            paused, trace.local.tracer = trace.local.tracer, None
            try:
                expand(Tensor._wrap(value._data.reshape(shape)), target)
            finally:
                trace.local.tracer = paused


@op(operators=("__setitem__",))
def setitem(self, key, value):
    """x[key] = value: written into the view x[key] (into x itself when key selects all of it) by
    copy_ or fill_, or by index_put_ for a list, tensor or mask key, as PyTorch does it. The key and the
    value are checked before the leaf rule, as PyTorch does."""
    from engine.ops.shape import basic_index

    key, target, viewed, np_key = _index_target(self, key)
    _check_value(self, value, target, np_key is not None)
    paused, trace.local.tracer = trace.local.tracer, None
    try:
        if np_key is None:
            _copy_to(basic_index(self, key), value)
        else:
            _index_put(self, np_key, value, viewed)
    finally:
        trace.local.tracer = paused
    if trace.local.tracer is not None:
        trace.local.tracer.tensor_modified(self, "setitem", (self, value))


def _copy_to(target, value):
    """PyTorch's copy_to: copy_ a same-shaped value, fill_ with a 0-d one, else expand it (leading 1s
    dropped) to the target's shape and copy_ that."""
    if not isinstance(value, Tensor):  # a Python number is a 0-d tensor here
        value = Tensor._wrap(np.asarray(value, dtype=target._data.dtype))
    shape = value._data.shape
    if shape == target._data.shape:
        return copy_(target, value)
    if not shape:
        return fill_(target, value)
    while shape and shape[0] == 1:
        shape = shape[1:]
    return copy_(target, value.view(shape).expand(target._data.shape))


def _index_put(self, np_key, value, viewed):
    if viewed:  # the basic parts of a mixed key make a view first; index_put_ then writes into it
        if grad_mode.state.enabled and self._grad_fn is None and self._requires_grad:
            raise RuntimeError(VIEW_OF_LEAF_IN_PLACE)
    _check_leaf(self)
    v = value._data if isinstance(value, Tensor) else value
    new = self._data.copy()
    new[np_key] = v
    node = None
    if needs_grad(self, value):
        node = connect(IndexPutBackward0(), _snapshot(self), value)
        node.save(np_key, np.shape(v))
    _commit(self, new, node, "setitem", (self, value))
