"""Elementwise functions: exp, log, sqrt, abs, trig, tanh, sigmoid, relu, clamp, maximum, where."""

import numpy as np

from engine import dtypes
from engine.autograd.function import Node, unbroadcast
from engine.ops.arguments import BadArgument
from engine.ops.core import check_broadcast, constant, operands, result, saved_tensor, sum_to
from engine.ops.registry import op
from engine.tensor import Tensor


def _float_data(x):
    """Integer inputs of floating functions compute in the default float dtype, as in PyTorch."""
    d = x._data
    return d if d.dtype.kind == "f" else d.astype(np.float32)


FLOAT32_EXP_LIMIT = 88.72283172607422  # the largest float32 whose exp is finite in float32


class UnaryNode(Node):
    """A one-input elementwise op; `compute` gives the output, `grad(saved, grad)` the backward on
    arrays and `graph_grad(saved, grad)` the same formula on Tensors (create_graph).

    `saves` says what backward reads: "input", "output" or nothing ("").
    """

    __slots__ = ()
    op = ""
    saves = "input"
    floating = True
    widen = False  # compute float32 in float64 and round (closer to PyTorch's kernels for this op)

    @staticmethod
    def float32_edges(x, out):
        """Where a widened float32 result must still be what float32 arithmetic gives (in place)."""

    @classmethod
    def apply(cls, x):
        data = _float_data(x) if cls.floating else x._data
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            if cls.widen and data.dtype == np.float32:
                # computed in float64 and rounded: matches PyTorch's float32 kernels more often
                out_data = cls.compute(data.astype(np.float64)).astype(np.float32)
                cls.float32_edges(data, out_data)
            else:
                out_data = cls.compute(data)
            out, node = result(out_data, cls, cls.op, (x,))
        if node is not None:
            if cls.saves == "input":
                node.save(data, tensors=(x,))
            elif cls.saves == "output":
                node.save(out._data, output=out)
        return out

    def backward(self, grad):
        (saved,) = self.saved
        with np.errstate(divide="ignore", invalid="ignore"):
            return (self.grad(saved, grad),)

    def graph_backward(self, grad):
        (saved,) = self.saved
        with np.errstate(divide="ignore", invalid="ignore"):
            return (self.graph_grad(saved_tensor(self, saved), grad),)


class ExpBackward0(UnaryNode):
    __slots__ = ()
    widen = True
    op, saves = "exp", "output"
    compute = staticmethod(np.exp)

    @staticmethod
    def grad(out, grad):
        return grad * out

    graph_grad = grad


class LogBackward0(UnaryNode):
    __slots__ = ()
    op = "log"
    compute = staticmethod(np.log)

    @staticmethod
    def grad(x, grad):
        return grad / x

    graph_grad = grad


class SqrtBackward0(UnaryNode):
    __slots__ = ()
    op, saves = "sqrt", "output"
    compute = staticmethod(np.sqrt)

    @staticmethod
    def grad(out, grad):
        return grad / (2 * out)

    graph_grad = grad


class AbsBackward0(UnaryNode):
    __slots__ = ()
    op, floating = "abs", False
    compute = staticmethod(np.abs)

    @staticmethod
    def grad(x, grad):
        return grad * np.sign(x)

    @staticmethod
    def graph_grad(x, grad):
        return grad * constant(np.sign(x._data))


class SinBackward0(UnaryNode):
    __slots__ = ()
    widen = True
    op = "sin"
    compute = staticmethod(np.sin)

    @staticmethod
    def grad(x, grad):
        return grad * np.cos(x)

    @staticmethod
    def graph_grad(x, grad):
        return grad * x.cos()


class CosBackward0(UnaryNode):
    __slots__ = ()
    widen = True
    op = "cos"
    compute = staticmethod(np.cos)

    @staticmethod
    def grad(x, grad):
        return -grad * np.sin(x)

    @staticmethod
    def graph_grad(x, grad):
        return grad * -x.sin()


class TanhBackward0(UnaryNode):
    __slots__ = ()
    widen = True
    op, saves = "tanh", "output"
    compute = staticmethod(np.tanh)

    @staticmethod
    def grad(out, grad):
        return grad * (1 - out * out)

    @staticmethod
    def graph_grad(out, grad):
        return TanhBackwardBackward0.apply(grad, out)


class SigmoidBackward0(UnaryNode):
    __slots__ = ()
    widen = True
    op, saves = "sigmoid", "output"

    @staticmethod
    def compute(x):
        # split by sign so neither branch overflows
        out = np.empty_like(x)
        pos = x >= 0
        out[pos] = 1 / (1 + np.exp(-x[pos]))
        e = np.exp(x[~pos])
        out[~pos] = e / (1 + e)
        return out

    @staticmethod
    def float32_edges(x, out):
        # PyTorch's float32 kernel computes 1 / (1 + exp(-x)): exp overflows to inf, the result is 0
        out[x < -FLOAT32_EXP_LIMIT] = 0

    @staticmethod
    def grad(out, grad):
        return grad * (1 - out) * out

    @staticmethod
    def graph_grad(out, grad):
        return SigmoidBackwardBackward0.apply(grad, out)


class ReluBackward0(UnaryNode):
    __slots__ = ()
    op, saves, floating = "relu", "output", False

    @staticmethod
    def compute(x):
        return np.where(x < 0, 0, x).astype(x.dtype, copy=False)  # relu(-0.) is -0., as in PyTorch

    @staticmethod
    def grad(out, grad):
        return np.where(out <= 0, 0, grad).astype(
            grad.dtype, copy=False
        )  # +0.0 where masked; NaN passes, as PyTorch

    @staticmethod
    def graph_grad(out, grad):
        return ThresholdBackwardBackward0.apply(grad, out)


# -- the backward ops of tanh, sigmoid and relu, as ops of their own (PyTorch's *BackwardBackward0) --


class _BackwardOp(Node):
    """An op `compute(grad, out)` taking an op's gradient and saved output, recorded like any op."""

    __slots__ = ()
    op = ""

    @classmethod
    def apply(cls, grad, out):
        t, node = result(cls.compute(grad._data, out._data), cls, cls.op, (grad, out))
        if node is not None:
            node.save(grad._data, out._data, tensors=(grad, out))
        return t

    def graph_backward(self, g):
        grad, out = (saved_tensor(self, v) for v in self.saved)
        return type(self).apply(g, out), self.out_grad(g, grad, out)

    def backward(self, g):
        grad, out = self.saved
        return self.compute(g, out), self.out_grad(g, grad, out)


class TanhBackwardBackward0(_BackwardOp):
    __slots__ = ()
    op = "tanh_backward"

    @staticmethod
    def compute(grad, out):
        return grad * (1 - out * out)

    @staticmethod
    def out_grad(g, grad, out):
        return g * (-2 * out * grad)


class SigmoidBackwardBackward0(_BackwardOp):
    __slots__ = ()
    op = "sigmoid_backward"

    @staticmethod
    def compute(grad, out):
        return grad * (1 - out) * out

    @staticmethod
    def out_grad(g, grad, out):
        return g * grad * (-2 * out + 1)


class ThresholdBackwardBackward0(_BackwardOp):
    """threshold_backward(grad, out, 0): relu's backward."""

    __slots__ = ()
    op = "threshold_backward"

    @staticmethod
    def compute(grad, out):
        return np.where(out > 0, grad, 0).astype(grad.dtype, copy=False)

    @staticmethod
    def out_grad(g, grad, out):
        return Tensor._wrap(np.zeros_like(g._data)) if isinstance(g, Tensor) else np.zeros_like(g)


def _rounding(fn):
    """Integers are already whole: PyTorch returns them unchanged, in their own dtype."""
    return staticmethod(lambda x: x.copy() if x.dtype.kind in "biu" else fn(x))


class FloorBackward0(UnaryNode):
    """floor, ceil, round, trunc: piecewise constant, so the gradient is zero."""

    __slots__ = ()
    op, saves, floating = "floor", "", False
    compute = _rounding(np.floor)

    def backward(self, grad):
        return (np.zeros_like(grad),)

    def graph_backward(self, grad):
        return (constant(np.zeros_like(grad._data)),)


class CeilBackward0(FloorBackward0):
    __slots__ = ()
    op = "ceil"
    compute = _rounding(np.ceil)


class RoundBackward0(FloorBackward0):
    __slots__ = ()
    op = "round"
    compute = _rounding(np.round)  # half to even, as PyTorch


class TruncBackward0(FloorBackward0):
    __slots__ = ()
    op = "trunc"
    compute = _rounding(np.trunc)


def _unary_op(cls, operators=(), functional=False):
    """The op `cls.op`: `x.exp()`, `torch.exp(x)`."""

    def fn(self):
        return cls.apply(self)

    fn.__name__ = fn.__qualname__ = cls.op
    return op(method=True, torch=True, operators=operators, functional=functional)(fn)


exp = _unary_op(ExpBackward0)
log = _unary_op(LogBackward0)
sqrt = _unary_op(SqrtBackward0)
abs = _unary_op(AbsBackward0, operators=("__abs__",))
sin = _unary_op(SinBackward0)
cos = _unary_op(CosBackward0)
tanh = _unary_op(TanhBackward0, functional=True)
sigmoid = _unary_op(SigmoidBackward0, functional=True)
relu = _unary_op(ReluBackward0)
floor = _unary_op(FloorBackward0)
ceil = _unary_op(CeilBackward0)
round = _unary_op(RoundBackward0)
trunc = _unary_op(TruncBackward0)


class ClampBackward1(Node):
    __slots__ = ()

    def backward(self, grad):
        x, lo, hi = self.saved
        if lo is not None and hi is not None:
            mask = (x >= lo) & (x <= hi)
        else:
            mask = x >= lo if lo is not None else x <= hi
        return (
            np.where(mask, grad, 0).astype(grad.dtype, copy=False),
        )  # NaN inputs get 0, as in PyTorch

    def graph_backward(self, grad):
        x, lo, hi = self.saved
        if lo is not None and hi is not None:
            mask = (x >= lo) & (x <= hi)
        else:
            mask = x >= lo if lo is not None else x <= hi
        return (where(constant(mask), grad, 0),)


class ClampMinBackward0(ClampBackward1):
    __slots__ = ()


class ClampMaxBackward0(ClampBackward1):
    __slots__ = ()


def _clamp(self, lo, hi, node_cls, op):
    for bound in (lo, hi):
        if bound is not None and not isinstance(bound, (int, float)):
            raise BadArgument(f"{op}(): bounds must be numbers")
    if lo is None and hi is None:
        raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    data = self._data
    target = dtypes.result_type(self, *(v for v in (lo, hi) if v is not None)).np
    if target != data.dtype:
        data = data.astype(target)
    out = data  # an input equal to a bound stays itself (-0. clamped at 0 is -0.), NaN stays NaN
    if lo is not None:
        out = np.where(out < lo, lo, out)
    if hi is not None:
        out = np.where(out > hi, hi, out)
    out, node = result(np.asarray(out).astype(data.dtype, copy=False), node_cls, op, (self,))
    if node is not None:
        node.save(data, lo, hi, tensors=(self,))
    return out


@op(method=("clamp", "clip"), torch=("clamp", "clip"))
def clamp(self, min=None, max=None):
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        from engine.ops import clamp_tensor

        if (min is not None and not isinstance(min, Tensor)) or (
            max is not None and not isinstance(max, Tensor)
        ):
            raise clamp_tensor.mixed_bounds_error(min, max)
        return clamp_tensor.clamp_with_tensors(self, min, max, "clamp")
    return _clamp(self, min, max, ClampBackward1, "clamp")


@op(method=True, torch=True)
def clamp_min(self, min):
    if isinstance(min, Tensor):
        from engine.ops import clamp_tensor

        return clamp_tensor.clamp_with_tensors(self, min, None, "clamp_min")
    return _clamp(self, min, None, ClampMinBackward0, "clamp_min")


@op(method=True, torch=True)
def clamp_max(self, max):
    if isinstance(max, Tensor):
        from engine.ops import clamp_tensor

        return clamp_tensor.clamp_with_tensors(self, None, max, "clamp_max")
    return _clamp(self, None, max, ClampMaxBackward0, "clamp_max")


clip = clamp


class MaximumBackward0(Node):
    __slots__ = ()
    op = "maximum"
    wins = staticmethod(np.greater)  # wins(a, b): a is the one max picks

    @classmethod
    def apply(cls, a, b):
        if not isinstance(b, Tensor):
            raise TypeError(
                f"{cls.op}(): argument 'other' (position 2) must be Tensor, not {type(b).__name__}"
            )
        ad, bd = operands(a, b)
        check_broadcast(ad, bd)
        data = np.maximum(ad, bd) if cls.op == "maximum" else np.minimum(ad, bd)
        data = np.where(
            ad == bd, ad, data
        )  # ties give the first operand (0. vs -0.), as in PyTorch
        out, node = result(data, cls, cls.op, (a, b))
        if node is not None:
            node.save(ad, bd, tensors=(a, b))
        return out

    def backward(self, grad):
        ad, bd = self.saved
        # PyTorch: where(a == b, grad / 2, grad).masked_fill_(a loses, 0); NaN compares false, so both get grad
        shared = np.where(ad == bd, grad / 2, grad).astype(grad.dtype, copy=False)
        ga = np.where(self.wins(bd, ad), 0, shared).astype(grad.dtype, copy=False)
        gb = np.where(self.wins(ad, bd), 0, shared).astype(grad.dtype, copy=False)
        return unbroadcast(ga, ad.shape), unbroadcast(gb, bd.shape)

    def graph_backward(self, grad):
        ad, bd = self.saved
        shared = where(constant(ad == bd), grad / 2, grad)
        return (
            sum_to(where(constant(self.wins(bd, ad)), 0, shared), ad.shape),
            sum_to(where(constant(self.wins(ad, bd)), 0, shared), bd.shape),
        )


class MinimumBackward0(MaximumBackward0):
    __slots__ = ()
    op = "minimum"
    wins = staticmethod(np.less)


@op(method=True, torch=True)
def maximum(self, other):
    return MaximumBackward0.apply(self, other)


@op(method=True, torch=True)
def minimum(self, other):
    return MinimumBackward0.apply(self, other)


class WhereBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        cond, sx, sy = self.saved
        gx = (
            unbroadcast(np.where(cond, grad, 0).astype(grad.dtype, copy=False), sx)
            if self.next_functions[0][0] is not None
            else None
        )
        gy = (
            unbroadcast(np.where(cond, 0, grad).astype(grad.dtype, copy=False), sy)
            if self.next_functions[1][0] is not None
            else None
        )
        return gx, gy

    def graph_backward(self, grad):
        cond, sx, sy = self.saved
        condition = constant(cond)
        return (
            sum_to(where(condition, grad, 0), sx)
            if self.next_functions[0][0] is not None
            else None,
            sum_to(where(condition, 0, grad), sy)
            if self.next_functions[1][0] is not None
            else None,
        )


@op(torch=True)
def where(condition, input, other):
    if condition._data.dtype != np.bool_:
        raise RuntimeError(
            f"where expected condition to be a boolean tensor, but got a tensor with dtype "
            f"{dtypes.short_type_name(condition._data.dtype)}"
        )
    cond = condition._data
    xd, yd = operands(input, other)
    check_broadcast(cond, xd)
    check_broadcast(xd, yd)
    out, node = result(
        np.where(cond, xd, yd), WhereBackward0, "where", (condition, input, other), (input, other)
    )
    if node is not None:
        node.save(cond, np.shape(xd), np.shape(yd))
    return out


@op(method="where")
def _where_method(self, condition, other):
    return where(condition, self, other)
