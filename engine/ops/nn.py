"""softmax, log_softmax and F.relu (the losses are in engine/ops/loss.py)."""

import numpy as np

from engine.autograd.function import Node
from engine.ops import pointwise
from engine.ops.core import result, saved_tensor
from engine.ops.registry import op
from engine.tensor import wrap_dim


def _implicit_dim(ndim):
    return 0 if ndim in (0, 1, 3) else 1


def _short_name(t):
    from engine.dtypes import legacy_type_name

    return legacy_type_name(t._data.dtype)[len("torch.") : -len("Tensor")]


def _softmax_input(self, dim, dtype, kernel):
    """The data softmax computes on and its axis; PyTorch has no integer softmax kernel."""
    nd = self._data.ndim
    axis = wrap_dim(_implicit_dim(nd) if dim is None else dim, nd) if nd else None
    if dtype is not None:
        return self._data.astype(dtype.np), axis
    if self._data.dtype.kind != "f":
        which = "lastdim_kernel_impl" if axis is None or axis == nd - 1 else "kernel_impl"
        raise NotImplementedError(f"\"{kernel}_{which}\" not implemented for '{_short_name(self)}'")
    return self._data, axis


class SoftmaxBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        out, axis = self.saved
        return (out * (grad - (grad * out).sum(axis=axis, keepdims=True)),)

    def graph_backward(self, grad):
        out, axis = self.saved
        result = saved_tensor(self, out)
        return (result * (grad - (grad * result).sum(axis, keepdim=True)),)


class LogSoftmaxBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        out, axis = self.saved
        return (grad - np.exp(out) * grad.sum(axis=axis, keepdims=True),)

    def graph_backward(self, grad):
        out, axis = self.saved
        return (grad - saved_tensor(self, out).exp() * grad.sum(axis, keepdim=True),)


def _log_softmax_data(x, axis):
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


@op(method=True, torch=True)
def softmax(self, dim, dtype=None):
    """torch.softmax and Tensor.softmax: `dim` is required (F.softmax may leave it out)."""
    return _softmax(self, dim, dtype)


@op(method=True, torch=True)
def log_softmax(self, dim, dtype=None):
    return _log_softmax(self, dim, dtype)


@op(functional=True)
def relu(input, inplace=False):
    """F.relu: relu_ in place when asked."""
    return input.relu_() if inplace else pointwise.relu(input)


@op(functional="softmax")
def functional_softmax(input, dim=None, _stacklevel=3, dtype=None):
    """F.softmax: without `dim`, PyTorch's legacy implicit choice (0 for 0-, 1- and 3-d input, else 1)."""
    return _softmax(input, dim, dtype)


@op(functional="log_softmax")
def functional_log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    return _log_softmax(input, dim, dtype)


def _softmax(self, dim, dtype):
    data, axis = _softmax_input(self, dim, dtype, "softmax")
    if data.ndim == 0:
        out_data = np.ones_like(data)
    else:
        shifted = data - data.max(axis=axis, keepdims=True)
        # exp rounded from float64, times the reciprocal of the sum: PyTorch's kernel's rounding
        e = np.exp(shifted.astype(np.float64)).astype(data.dtype)
        out_data = e * (1 / e.sum(axis=axis, keepdims=True))
    out, node = result(out_data, SoftmaxBackward0, "softmax", (self,))
    if node is not None:
        node.save(out._data, axis, output=out)
    return out


def _log_softmax(self, dim, dtype):
    data, axis = _softmax_input(self, dim, dtype, "log_softmax")
    out_data = np.zeros_like(data) if data.ndim == 0 else _log_softmax_data(data, axis)
    out, node = result(out_data, LogSoftmaxBackward0, "log_softmax", (self,))
    if node is not None:
        node.save(out._data, axis, output=out)
    return out
