"""create_graph=True: backward formulas written with engine ops, so the gradients have a graph too.

Each supported node gets `graph_backward(grad)`, PyTorch's formula on Tensors (so a gradient's grad_fn
is named as PyTorch names it: x ** 3 gives `grad * (3 * x.pow(2))`, a MulBackward0). The formulas read
the node's saved input and output Tensors. A graph through any other node stops with an error naming
it, rather than giving a wrong higher derivative.
"""
import numpy as np

from engine.autograd.function import AccumulateGrad, Node
from engine.ops.arithmetic import (AddBackward0, DivBackward0, MulBackward0, NegBackward0, PowBackward0,
                                   RsubBackward1, SubBackward0)
from engine.ops.core import result
from engine.ops.pointwise import (CosBackward0, ExpBackward0, LogBackward0, ReluBackward0, SigmoidBackward0,
                                  SinBackward0, TanhBackward0)
from engine.ops.reduction import MeanBackward0, MeanBackward1, SumBackward0, SumBackward1
from engine.tensor import Tensor


def _unsupported(self, grad):
    raise RuntimeError(f"gradtrace cannot build the graph of {self.name()}'s backward (create_graph=True); "
                       "higher derivatives are supported through + - * / **, neg, exp, log, sin, cos, tanh, "
                       "sigmoid, relu, sum and mean")


Node.graph_backward = _unsupported
AccumulateGrad.graph_backward = AccumulateGrad.backward


def _saved_tensor(node, value, position=0):
    """The Tensor the node saved `value` from (a Python number stays a number).

    A numpy scalar is the value of a 0-d operand (engine/ops/arithmetic.py saves those unwrapped); its
    Tensor stands at `position` among the node's saved tensors (0: first operand, -1: second).
    """
    if isinstance(value, np.generic):
        return node._versions[position][0]
    if not isinstance(value, np.ndarray):
        return value
    for tensor, _, _ in node._versions or ():
        if tensor._data is value:
            return tensor
    raise RuntimeError(f"gradtrace cannot build the graph of {node.name()}'s backward (create_graph=True) "
                       "for operands of different dtypes")


def sum_to(grad, shape):
    """Tensor version of unbroadcast: sum `grad` down to `shape` (None: it has that shape)."""
    if shape is None:
        return grad
    shape = tuple(shape)
    if tuple(grad.shape) == shape:
        return grad
    extra = grad.dim() - len(shape)
    if extra:
        grad = grad.sum(tuple(range(extra)))
    axes = tuple(i for i, n in enumerate(shape) if n == 1 and grad.shape[i] != 1)
    if axes:
        grad = grad.sum(axes, keepdim=True)
    return grad.reshape(shape) if tuple(grad.shape) != shape else grad


def _add(self, grad):
    sa, sb = self.saved
    return (sum_to(grad, sa) if self.wants(0) else None, sum_to(grad, sb) if self.wants(1) else None)


def _sub(self, grad):
    sa, sb = self.saved
    return (sum_to(grad, sa) if self.wants(0) else None, sum_to(-grad, sb) if self.wants(1) else None)


def _mul(self, grad):
    ad, bd, sa, sb = self.saved
    a, b = _saved_tensor(self, ad), _saved_tensor(self, bd, -1)
    return (sum_to(grad * b, sa) if self.wants(0) else None, sum_to(grad * a, sb) if self.wants(1) else None)


def _div(self, grad):
    ad, bd, _, sa, sb = self.saved
    a, b = _saved_tensor(self, ad), _saved_tensor(self, bd, -1)
    return (sum_to(grad / b, sa) if self.wants(0) else None,
            sum_to(-grad * ((a / b) / b), sb) if self.wants(1) else None)


def _neg(self, grad):
    return (-grad,)


def _pow(self, grad):
    base, exponent = self.saved
    x = _saved_tensor(self, base)
    if exponent == 0:
        return (Tensor._wrap(np.zeros_like(base)),)
    return (grad * (exponent * x.pow(exponent - 1)),)


def _sum_all(self, grad):
    (shape,) = self.saved
    return (grad.expand(shape),)


def _sum_dims(self, grad):
    shape, axes, keepdim = self.saved
    if not keepdim:
        for axis in axes:
            grad = grad.unsqueeze(axis)
    return (grad.expand(shape),)


def _mean_all(self, grad):
    (shape,) = self.saved
    return (grad.expand(shape) / max(int(np.prod(shape)), 1),)


def _mean_dims(self, grad):
    shape, axes, keepdim = self.saved
    (g,) = _sum_dims(self, grad)
    return (g / max(int(np.prod([shape[a] for a in axes])), 1),)


def _exp(self, grad):
    (out,) = self.saved
    return (grad * _saved_tensor(self, out),)


def _log(self, grad):
    (x,) = self.saved
    return (grad / _saved_tensor(self, x),)


def _sin(self, grad):
    (x,) = self.saved
    return (grad * _saved_tensor(self, x).cos(),)


def _cos(self, grad):
    (x,) = self.saved
    return (grad * -_saved_tensor(self, x).sin(),)


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
        grad, out = (_saved_tensor(self, v) for v in self.saved)
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


def _tanh(self, grad):
    (out,) = self.saved
    return (TanhBackwardBackward0.apply(grad, _saved_tensor(self, out)),)


def _sigmoid(self, grad):
    (out,) = self.saved
    return (SigmoidBackwardBackward0.apply(grad, _saved_tensor(self, out)),)


def _relu(self, grad):
    (out,) = self.saved
    return (ThresholdBackwardBackward0.apply(grad, _saved_tensor(self, out)),)


for _node, _formula in ((AddBackward0, _add), (SubBackward0, _sub), (MulBackward0, _mul), (DivBackward0, _div),
                        (NegBackward0, _neg), (RsubBackward1, _neg), (PowBackward0, _pow),
                        (SumBackward0, _sum_all), (SumBackward1, _sum_dims), (MeanBackward0, _mean_all),
                        (MeanBackward1, _mean_dims), (ExpBackward0, _exp), (LogBackward0, _log),
                        (SinBackward0, _sin), (CosBackward0, _cos), (TanhBackward0, _tanh),
                        (SigmoidBackward0, _sigmoid), (ReluBackward0, _relu)):
    _node.graph_backward = _formula
