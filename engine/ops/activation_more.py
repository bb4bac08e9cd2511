"""sign and the smooth activations of torch.nn.functional: softplus, elu, silu."""

import numpy as np

from engine.autograd.function import Node
from engine.dtypes import legacy_type_name
from engine.ops.core import constant, result, saved_tensor
from engine.ops.pointwise import where
from engine.ops.registry import op


def _float_input(x, op):
    data = x._data
    if data.dtype.kind != "f":
        short = legacy_type_name(data.dtype)[len("torch.") : -len("Tensor")]
        raise NotImplementedError(f"\"{op}\" not implemented for '{short}'")
    return data


class SignBackward0(Node):
    __slots__ = ()
    saves_tensors = False

    def backward(self, grad):
        return (np.zeros_like(grad),)

    def graph_backward(self, grad):
        return (constant(np.zeros_like(grad._data)),)


@op(method=True, torch=True)
def sign(self):
    data = self._data
    if data.dtype == np.bool_:
        out_data = data.copy()
    else:
        out_data = np.sign(data).astype(data.dtype)
    out, _ = result(out_data, SignBackward0, "sign", (self,))
    return out


class SoftplusBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        x, beta, threshold = self.saved
        z = np.exp(np.minimum(x * beta, threshold))  # no overflow where the input passes through
        return (np.where(x * beta > threshold, grad, grad * z / (z + 1)).astype(grad.dtype),)

    def graph_backward(self, grad):
        x, beta, threshold = self.saved
        scaled = saved_tensor(self, x) * beta
        return (where(constant(x * beta > threshold), grad, grad * scaled.sigmoid()),)


@op(functional=True)
def softplus(input, beta=1.0, threshold=20.0):
    x = _float_input(input, "softplus_cpu")
    wide = x.astype(np.float64)
    with np.errstate(over="ignore"):
        soft = np.log1p(np.exp(wide * beta)) / beta
    out_data = np.where(wide * beta > threshold, wide, soft).astype(x.dtype)
    out, node = result(out_data, SoftplusBackward0, "softplus", (input,))
    if node is not None:
        node.save(x, beta, threshold, tensors=(input,))
    return out


class EluBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        x, alpha = self.saved
        return (np.where(x > 0, grad, grad * alpha * np.exp(np.minimum(x, 0))).astype(grad.dtype),)

    def graph_backward(self, grad):
        x, alpha = self.saved
        negative = saved_tensor(self, x).clamp_max(
            0
        )  # exp of the passed-through side never overflows
        return (where(constant(x > 0), grad, grad * alpha * negative.exp()),)


@op(functional=True)
def elu(input, alpha=1.0, inplace=False):
    if inplace:
        raise NotImplementedError("gradtrace does not support F.elu(inplace=True)")
    x = _float_input(input, "elu_cpu")
    out_data = np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0))).astype(x.dtype)
    out, node = result(out_data, EluBackward0, "elu", (input,))
    if node is not None:
        node.save(x, alpha, tensors=(input,))
    return out


class SiluBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        (x,) = self.saved
        s = 1 / (1 + np.exp(-x.astype(np.float64)))
        return ((grad * s * (1 + x * (1 - s))).astype(grad.dtype),)

    def graph_backward(self, grad):
        (x,) = self.saved
        x = saved_tensor(self, x)
        s = x.sigmoid()
        return (grad * s * (1 + x * (1 - s)),)


@op(functional=True)
def silu(input, inplace=False):
    if inplace:
        raise NotImplementedError("gradtrace does not support F.silu(inplace=True)")
    x = _float_input(input, "silu_cpu")
    out_data = (x / (1 + np.exp(-x.astype(np.float64)))).astype(x.dtype)
    out, node = result(out_data, SiluBackward0, "silu", (input,))
    if node is not None:
        node.save(x, tensors=(input,))
    return out


@op(functional=True)
def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    """F.normalize, PyTorch's composite: input / input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)."""
    if out is not None:
        raise NotImplementedError("gradtrace does not support F.normalize(out=)")
    denom = input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)
    return input / denom
