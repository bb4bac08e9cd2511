"""The activations torch.nn adds to relu/tanh/sigmoid: gelu and leaky_relu (dropout is in random.py)."""

import math

import numpy as np

from engine.autograd.function import Node
from engine.ops.arguments import BadArgument
from engine.ops.core import connect, needs_grad, result, saved_tensor
from engine.ops.linalg import _short
from engine.ops.linear import no_graph_formula
from engine.ops.registry import op
from engine.tensor import Tensor

_erf = np.frompyfunc(math.erf, 1, 1)
SQRT_HALF = math.sqrt(0.5)  # PyTorch's kAlpha
GELU_PDF = 2.0 / math.sqrt(math.pi) * SQRT_HALF * 0.5  # kBeta of the exact backward: 1 / sqrt(2 pi)
GELU_TANH_BETA = math.sqrt(2.0) * (2.0 / math.sqrt(math.pi)) * 0.5  # kBeta of the tanh form
GELU_TANH_KAPPA = 0.044715


def _erf_like(x):
    """erf in x's dtype (computed in double and rounded, as a correctly rounded kernel gives)."""
    return _erf(x.astype(np.float64)).astype(x.dtype)


def _constant(x, value):
    return x.dtype.type(value)


class GeluBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        # PyTorch's formulas, in the input's dtype in its order of operations
        x, approximate = self.saved
        c = lambda v: _constant(x, v)  # noqa: E731
        if approximate == "tanh":
            x_sq = x * x
            inner = c(GELU_TANH_BETA) * (x + c(GELU_TANH_KAPPA) * x_sq * x)
            tanh_inner = np.tanh(inner)
            left, right = c(0.5) * x, c(1) + tanh_inner
            right_derivative = (
                (c(1) - tanh_inner * tanh_inner)
                * c(GELU_TANH_BETA)
                * (c(1) + c(3 * GELU_TANH_KAPPA) * x_sq)
            )
            return (grad * (c(0.5) * right + left * right_derivative),)
        cdf = c(0.5) * (c(1) + _erf_like(x * c(SQRT_HALF)))
        pdf = c(GELU_PDF) * np.exp(x * x * c(-0.5))
        return (grad * (cdf + x * pdf),)

    graph_backward = no_graph_formula


@op(functional=True)
def gelu(input, approximate="none"):
    """x * Phi(x) (exact, with erf) or PyTorch's tanh approximation, computed as PyTorch's kernel does."""
    if not isinstance(input, Tensor):
        raise BadArgument(
            f"gelu(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    x = input._data
    if x.dtype.kind != "f":
        raise NotImplementedError(f"\"GeluKernelImpl\" not implemented for '{_short(input)}'")
    c = lambda v: _constant(x, v)  # noqa: E731
    with np.errstate(all="ignore"):
        if approximate == "tanh":
            inner = c(GELU_TANH_BETA) * (x + c(GELU_TANH_KAPPA) * (x * x * x))
            out_data = c(0.5) * x * (c(1) + np.tanh(inner))
        else:
            out_data = x * c(0.5) * (c(1) + _erf_like(x * c(SQRT_HALF)))
    out, node = result(out_data, GeluBackward0, "gelu", (input,))
    if node is not None:
        node.save(x, approximate, tensors=(input,))
    return out


class LeakyReluBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        x, slope = self.saved
        return (np.where(x > 0, grad, grad * slope).astype(grad.dtype, copy=False),)

    def graph_backward(self, grad):
        x, slope = self.saved
        positive = saved_tensor(self, x) > 0
        return (grad.where(positive, grad * slope),)


class LeakyReluBackward1(Node):
    """leaky_relu_ (in place): the backward reads the result, which is the input now."""

    __slots__ = ()

    def backward(self, grad):
        out, slope = self.saved
        return (np.where(out > 0, grad, grad * slope).astype(grad.dtype, copy=False),)

    def graph_backward(self, grad):
        out, slope = self.saved
        positive = saved_tensor(self, out) > 0
        return (grad.where(positive, grad * slope),)


def _leaky_relu_in_place(input, negative_slope):
    from engine.ops.inplace import _check_leaf, _check_overlap, _commit, _snapshot

    _check_leaf(input)
    _check_overlap(input)
    x = input._data
    node = connect(LeakyReluBackward1(), _snapshot(input)) if needs_grad(input) else None
    _commit(
        input, np.where(x > 0, x, x * x.dtype.type(negative_slope)), node, "leaky_relu_", (input,)
    )
    if node is not None:
        node.save(input._data, negative_slope, output=input)
    return input


@op(functional=True)
def leaky_relu(input, negative_slope=0.01, inplace=False):
    if not isinstance(input, Tensor):
        raise BadArgument(
            f"leaky_relu(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    x = input._data
    if x.dtype.kind != "f":
        raise NotImplementedError(f"\"leaky_relu_cpu\" not implemented for '{_short(input)}'")
    if inplace:
        return _leaky_relu_in_place(input, negative_slope)
    out_data = np.where(x > 0, x, x * x.dtype.type(negative_slope)).astype(x.dtype, copy=False)
    out, node = result(out_data, LeakyReluBackward0, "leaky_relu", (input,))
    if node is not None:
        node.save(x, negative_slope, tensors=(input,))
    return out
