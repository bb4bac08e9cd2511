"""In-place ops (add_, -=, zero_, x[i] = v ...) with PyTorch's leaf rule and version counter.

Under grad mode, an in-place op on a tensor in the graph is recorded like its out-of-place twin
applied to the old value; the tensor takes the new grad_fn (is_leaf becomes False).
"""
import numpy as np

from engine import dtypes, grad_mode, trace
from engine.autograd.function import Node, unbroadcast
from engine.ops import arithmetic
from engine.ops.arguments import BadArgument
from engine.ops.core import broadcast_shape, connect, method, needs_grad, operands
from engine.tensor import Tensor

LEAF_IN_PLACE = "a leaf Variable that requires grad is being used in an in-place operation."
VIEW_OF_LEAF_IN_PLACE = "a view of a leaf Variable that requires grad is being used in an in-place operation."


def _check_leaf(self, message=LEAF_IN_PLACE):
    if grad_mode.state.enabled and self._grad_fn is None and self._requires_grad:
        raise RuntimeError(message)


def _cast_into(self, new_data, op):
    target = self._data.dtype
    if new_data.shape != self._data.shape:  # PyTorch checks the shape before the dtype
        raise RuntimeError(f"output with shape [{', '.join(map(str, self._data.shape))}] doesn't match the "
                           f"broadcast shape [{', '.join(map(str, new_data.shape))}]")
    if new_data.dtype != target:
        src, dst = dtypes.from_numpy(new_data.dtype), dtypes.from_numpy(target)
        if src.category > dst.category:
            raise RuntimeError(f"result type {dtypes.legacy_type_name(new_data.dtype)[6:-6]} can't be cast "
                               f"to the desired output type {dtypes.legacy_type_name(target)[6:-6]}")
    return new_data


def _commit(self, new_data, node, op, inputs):
    """Write new values into self's storage, take the new grad_fn, bump the version."""
    np.copyto(self._data, new_data, casting="unsafe")
    if node is not None:
        if self._retains_grad:
            del self._grad_fn.retained[self._output_nr]
            node.retained = {0: self}
        self._grad_fn = node
        self._output_nr = 0
        self._requires_grad = True
    self._version[0] += 1
    if trace.local.tracer is not None:
        trace.local.tracer.tensor_modified(self, op, inputs)
    return self


def _snapshot(self):
    """The old value of self, with self's place in the graph, for the recorded op to read."""
    old = Tensor._wrap(self._data.copy(), self._grad_fn)
    old._requires_grad = self._requires_grad
    old._accumulate = self._accumulate
    old._output_nr = self._output_nr
    return old


def _binary_inplace(self, other, fn, op):
    if not isinstance(other, (Tensor, int, float, bool)):  # checked before the leaf rule, as in PyTorch
        raise TypeError(f"{op}(): argument 'other' (position 1) must be Tensor, not {type(other).__name__}")
    _check_leaf(self)
    if needs_grad(self, other):
        paused, trace.local.tracer = trace.local.tracer, None
        try:
            tmp = fn(_snapshot(self), other)
        finally:
            trace.local.tracer = paused
        return _commit(self, _cast_into(self, tmp._data, op), tmp._grad_fn, op, (self, other))
    ad, bd = operands(self, other)
    with np.errstate(divide="ignore", invalid="ignore"):
        new = np.asarray(fn_data[op](ad, bd))
    return _commit(self, _cast_into(self, new, op), None, op, (self, other))


fn_data = {"add_": np.add, "sub_": np.subtract, "mul_": np.multiply,
           "div_": arithmetic.DivBackward0.forward, "pow_": arithmetic.power}


@method(also=("__iadd__",))
def add_(self, other, *, alpha=1):
    if alpha != 1:
        arithmetic.check_alpha("add_", alpha)
        other = arithmetic.mul(other, alpha)
    return _binary_inplace(self, other, arithmetic.add, "add_")


@method(also=("__isub__",))
def sub_(self, other, *, alpha=1):
    arithmetic.check_subtraction(self, other)
    if alpha != 1:
        arithmetic.check_alpha("sub_", alpha)
        other = arithmetic.mul(other, alpha)
    return _binary_inplace(self, other, arithmetic.sub, "sub_")


@method(also=("__imul__",))
def mul_(self, other):
    return _binary_inplace(self, other, arithmetic.mul, "mul_")


@method(also=("__itruediv__",))
def div_(self, other):
    return _binary_inplace(self, other, arithmetic.div, "div_")


@method(also=("__ipow__",))
def pow_(self, exponent):
    arithmetic.check_scalar_exponent(self._data, exponent)
    return _binary_inplace(self, exponent, arithmetic.pow, "pow_")


class ZeroBackward0(Node):
    __slots__ = ()
    saves_tensors = False

    def backward(self, grad):
        return (np.zeros_like(grad),)


class FillBackward2(ZeroBackward0):
    """fill_ with a Python number."""

    __slots__ = ()


@method()
def zero_(self):
    _check_leaf(self)
    node = connect(ZeroBackward0(), _snapshot(self)) if needs_grad(self) else None
    return _commit(self, np.zeros_like(self._data), node, "zero_", (self,))


@method()
def fill_(self, value):
    if isinstance(value, Tensor) and value._data.ndim:
        raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor with "
                           f"{value._data.ndim} dimensions.")
    if not isinstance(value, (Tensor, int, float, bool)):
        raise BadArgument("fill_ takes a number")
    _check_leaf(self)
    v = value._data if isinstance(value, Tensor) else value
    node = connect(FillBackward2(), _snapshot(self)) if needs_grad(self) else None
    return _commit(self, np.full_like(self._data, v), node, "fill_", (self, value))


@method()
def copy_(self, src):
    source = src._data if isinstance(src, Tensor) else np.asarray(src)
    if broadcast_shape(self._data.shape, source.shape) != self._data.shape:
        raise RuntimeError(f"output with shape [{', '.join(map(str, self._data.shape))}] doesn't match the "
                           f"broadcast shape [{', '.join(map(str, broadcast_shape(self._data.shape, source.shape)))}]")
    _check_leaf(self)
    data = np.broadcast_to(source, self._data.shape)
    return _commit(self, data, None, "copy_", (self, src))


def _unary_inplace(self, fn, op, *args, **kwargs):
    """relu_, clamp_ ...: the out-of-place op on the old value, written back into self."""
    _check_leaf(self)
    recording = needs_grad(self)
    paused, trace.local.tracer = trace.local.tracer, None
    try:
        tmp = fn(_snapshot(self) if recording else Tensor._wrap(self._data), *args, **kwargs)
    finally:
        trace.local.tracer = paused
    return _commit(self, tmp._data, tmp._grad_fn if recording else None, op, (self,))


@method()
def clamp_(self, min=None, max=None):
    from engine.ops.pointwise import clamp
    return _unary_inplace(self, clamp, "clamp_", min, max)


def _make_unary_inplace(name):
    def inplace(self):
        from engine.ops import pointwise
        return _unary_inplace(self, getattr(pointwise, name), name + "_")
    inplace.__name__ = name + "_"
    setattr(Tensor, name + "_", inplace)


for _name in ("relu", "sigmoid", "tanh", "exp", "log", "sqrt", "abs", "sin", "cos"):
    _make_unary_inplace(_name)


@method()
def neg_(self):
    return _unary_inplace(self, arithmetic.neg, "neg_")


class CopySlices(Node):
    """x[key] = value on a tensor in the graph: the old value's gradient skips the written slice."""

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


class IndexPutBackward0(CopySlices):
    """x[mask] = v, x[[0, 2]] = v: index_put_ on x itself."""

    __slots__ = ()


def _index_target(self, key):
    """The shape x[key] has, whether it is a view of x (else x itself), and numpy's key; raises
    PyTorch's indexing errors."""
    from engine.ops import shape
    key, np_key = shape.index_key(self, key)
    if np_key is not None:
        target = shape.advanced_index_data(self._data, np_key)
        # the basic parts of a mixed key make a view first; index_put_ then writes into it
        viewed = any(k is None or (isinstance(k, int) and not isinstance(k, bool)) for k in key)
        return target.shape, viewed, np_key
    paused, trace.local.tracer = trace.local.tracer, None
    try:
        with grad_mode.no_grad():
            view, viewed = shape.basic_index(self, key)
    finally:
        trace.local.tracer = paused
    np_key = tuple(k._data if isinstance(k, Tensor) else k for k in key)
    return view._data.shape, viewed, np_key


def _check_value(self, value, target, advanced):
    """PyTorch's errors for what cannot be written into x[key]."""
    if not isinstance(value, (Tensor, int, float, bool, np.number)):
        raise TypeError(f"can't assign a {type(value).__name__} to a {dtypes.legacy_type_name(self._data.dtype)}")
    if not isinstance(value, Tensor) or value._data.shape == target:
        return
    if advanced:
        try:
            np.broadcast_shapes(value._data.shape, target)
        except ValueError:
            raise RuntimeError(f"shape mismatch: value tensor of shape [{', '.join(map(str, value._data.shape))}] "
                               f"cannot be broadcast to indexing result of shape [{', '.join(map(str, target))}]") from None
    else:
        from engine.ops.shape import expand
        with grad_mode.no_grad():
            paused, trace.local.tracer = trace.local.tracer, None
            try:
                expand(Tensor._wrap(value._data), target)
            finally:
                trace.local.tracer = paused


def setitem(self, key, value):
    target, viewed, np_key = _index_target(self, key)
    advanced = any(isinstance(k, np.ndarray) for k in np_key)
    _check_value(self, value, target, advanced)
    _check_leaf(self, VIEW_OF_LEAF_IN_PLACE if viewed else LEAF_IN_PLACE)
    v = value._data if isinstance(value, Tensor) else value
    new = self._data.copy()
    new[np_key] = v
    node = None
    if needs_grad(self, value):
        # index_put_ on the tensor itself, or copy_ into a view of it
        node_cls = CopySlices if viewed or not advanced else IndexPutBackward0
        node = connect(node_cls(), _snapshot(self), value)
        node.save(np_key, np.shape(v))
    _commit(self, new, node, "setitem", (self, value))


Tensor.__setitem__ = setitem
