"""softmax, log_softmax and the losses of torch.nn.functional."""
import numpy as np

from engine.autograd.function import Node, unbroadcast
from engine.ops import pointwise
from engine.ops.core import check_broadcast, constant, operands, result, saved_tensor, sum_to
from engine.ops.scatter import positions_of, put
from engine.ops.registry import op
from engine.tensor import Tensor, wrap_dim

BCE_LOG_FLOOR = -100.0  # PyTorch clamps log(x) in binary_cross_entropy to >= -100
BCE_EPSILON = 1e-12


def _implicit_dim(ndim):
    return 0 if ndim in (0, 1, 3) else 1


def _short_name(t):
    from engine.dtypes import legacy_type_name
    return legacy_type_name(t._data.dtype)[len("torch."):-len("Tensor")]


def _softmax_input(self, dim, dtype, kernel):
    """The data softmax computes on and its axis; PyTorch has no integer softmax kernel."""
    nd = self._data.ndim
    axis = wrap_dim(_implicit_dim(nd) if dim is None else dim, nd) if nd else None
    if dtype is not None:
        return self._data.astype(dtype.np), axis
    if self._data.dtype.kind != "f":
        which = "lastdim_kernel_impl" if axis is None or axis == nd - 1 else "kernel_impl"
        raise NotImplementedError(f'"{kernel}_{which}" not implemented for \'{_short_name(self)}\'')
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


def _reduce(loss, reduction):
    if reduction == "mean":
        return np.asarray(loss.mean(), dtype=loss.dtype)
    if reduction == "sum":
        return np.asarray(loss.sum(), dtype=loss.dtype)
    if reduction == "none":
        return loss
    raise ValueError(f"{reduction} is not a valid value for reduction")


def _graph_reduce_grad(grad, shape, reduction):
    """The Tensor twin of _reduce_grad."""
    if reduction == "none":
        return grad
    g = grad.expand(shape)
    return g / max(int(np.prod(shape)), 1) if reduction == "mean" else g


def _reduce_grad(grad, shape, reduction):
    if reduction == "none":
        return grad
    g = np.broadcast_to(grad, shape)
    return g / max(int(np.prod(shape)), 1) if reduction == "mean" else g


class MseLossBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        x, t, reduction = self.saved
        diff = x - t
        g = 2 * diff * _reduce_grad(grad, diff.shape, reduction)
        return (unbroadcast(g, x.shape) if self.next_functions[0][0] is not None else None,
                unbroadcast(-g, t.shape) if self.next_functions[1][0] is not None else None)

    def graph_backward(self, grad):
        x, t, reduction = self.saved
        diff = saved_tensor(self, x) - saved_tensor(self, t, -1)
        g = 2 * diff * _graph_reduce_grad(grad, diff.shape, reduction)
        return (sum_to(g, x.shape) if self.next_functions[0][0] is not None else None,
                sum_to(-g, t.shape) if self.next_functions[1][0] is not None else None)


@op(functional=True)
def mse_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    xd, td = operands(input, target)
    if xd.dtype.kind != "f":
        raise NotImplementedError(f"\"mse_cpu\" not implemented for '{_short_name(Tensor._wrap(xd))}'")
    check_broadcast(xd, td)
    out, node = result(_reduce((xd - td) ** 2, reduction), MseLossBackward0, "mse_loss", (input, target))
    if node is not None:
        node.save(xd, td, reduction, tensors=(input, target))
    return out


class BinaryCrossEntropyBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        x, t, reduction = self.saved
        g = _reduce_grad(grad, x.shape, reduction)
        return (g * (x - t) / np.maximum((1 - x) * x, BCE_EPSILON),
                None)

    def graph_backward(self, grad):
        x, t, reduction = self.saved
        xt = saved_tensor(self, x)
        g = _graph_reduce_grad(grad, x.shape, reduction)
        return (g * (xt - constant(t)) / ((1 - xt) * xt).clamp_min(BCE_EPSILON), None)


@op(functional=True)
def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    if input._data.shape != target._data.shape:
        raise ValueError(f"Using a target size ({target.shape!r}) that is different to the input size "
                         f"({input.shape!r}) is deprecated. Please ensure they have the same size.")
    if input._data.dtype.kind != "f":
        raise NotImplementedError(f"\"binary_cross_entropy\" not implemented for '{_short_name(input)}'")
    if target._data.dtype != input._data.dtype:
        raise RuntimeError(f"Found dtype {_short_name(target)} but expected {_short_name(input)}")
    x, t = operands(input, target)
    if ((x < 0) | (x > 1)).any():
        raise RuntimeError("all elements of input should be between 0 and 1")
    with np.errstate(divide="ignore"):
        log_x = np.maximum(np.log(x), BCE_LOG_FLOOR)
        log_1mx = np.maximum(np.log(1 - x), BCE_LOG_FLOOR)
    loss = -(t * log_x + (1 - t) * log_1mx)
    out, node = result(_reduce(loss, reduction), BinaryCrossEntropyBackward0, "binary_cross_entropy",
                       (input, target), (input, None))
    if node is not None:
        node.save(x, t, reduction, tensors=(input,))
    return out


class NllLossBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        shape, target, reduction = self.saved
        out = np.zeros(shape, dtype=grad.dtype)
        if len(shape) == 1:
            scale = grad if reduction != "mean" else grad
            out[target] = -scale
            return (out,)
        n = shape[0]
        rows = np.arange(n)
        if reduction == "none":
            out[rows, target] = -grad
        else:
            out[rows, target] = -(grad / n if reduction == "mean" else grad)
        return (out,)

    def graph_backward(self, grad):
        shape, target, reduction = self.saved
        if len(shape) == 1:
            return (put(-grad, positions_of(shape)[target], shape),)
        n = shape[0]
        picked = positions_of(shape)[np.arange(n), target]
        if reduction == "none":
            return (put(-grad, picked, shape),)
        scale = grad / n if reduction == "mean" else grad
        return (put(-scale.expand(n), picked, shape),)


@op(functional=True)
def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"):
    x = input._data
    t = target._data
    if x.ndim == 0:
        raise ValueError("Expected 1 or more dimensions (got 0)")
    if t.ndim > 1:
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if x.ndim == 1 and t.ndim == 1:
        if t.shape[0] != 1:
            raise ValueError(f"For 1D input, 1D target must have size 1, but got target size: {t.shape[0]}")
        t = t.reshape(())
    if t.dtype not in (np.int64, np.uint8):
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got {_short_name(target)}")
    if x.ndim == 1:
        if not 0 <= int(t) < x.shape[0]:
            raise IndexError(f"Target {int(t)} is out of bounds.")
        picked = 0 - x[int(t)]  # +0 for a zero input, as PyTorch gives
        loss = np.asarray(picked, dtype=x.dtype)
    else:
        if t.ndim != 1 or t.shape[0] != x.shape[0]:
            raise ValueError(f"Expected input batch_size ({x.shape[0]}) to match target batch_size "
                             f"({t.shape[0] if t.ndim else 0}).")
        if t.size and (t.min() < 0 or t.max() >= x.shape[1]):
            raise IndexError(f"Target {int(t.max() if t.max() >= x.shape[1] else t.min())} is out of bounds.")
        loss = _reduce(-x[np.arange(x.shape[0]), t], reduction)
    out, node = result(loss, NllLossBackward0, "nll_loss", (input, target), (input,))
    if node is not None:
        node.save(x.shape, t.copy(), reduction)
    return out


@op(functional=True)
def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
                  reduction="mean", label_smoothing=0.0):
    if target._data.dtype.kind == "f" and target._data.shape != input._data.shape:
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got {_short_name(target)}")
    logp = log_softmax(input, 1 if input._data.ndim >= 2 else 0)
    if target._data.dtype.kind == "f":
        # class probabilities as target: -(target * log p).sum(class dim), then reduced
        from engine.ops.arithmetic import mul, neg
        from engine.ops.reduction import mean, sum as sum_
        per_row = neg(sum_(mul(logp, target), 1 if input._data.ndim >= 2 else 0))
        if reduction == "none":
            return per_row
        return mean(per_row) if reduction == "mean" else sum_(per_row)
    return nll_loss(logp, target, reduction=reduction)


class BinaryCrossEntropyWithLogitsBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        x, t, reduction = self.saved
        g = _reduce_grad(grad, x.shape, reduction)
        sig = 1 / (1 + np.exp(-x.astype(np.float64)))
        gx = (g * (sig - t)).astype(x.dtype) if self.next_functions[0][0] is not None else None
        gt = (-g * x).astype(x.dtype) if self.next_functions[1][0] is not None else None
        return gx, gt

    def graph_backward(self, grad):
        x, t, reduction = self.saved
        xt, tt = saved_tensor(self, x), saved_tensor(self, t, -1)
        g = _graph_reduce_grad(grad, x.shape, reduction)
        return (g * (xt.sigmoid() - tt) if self.next_functions[0][0] is not None else None,
                -g * xt if self.next_functions[1][0] is not None else None)


@op(functional=True)
def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None,
                                     reduction="mean", pos_weight=None):
    if input._data.shape != target._data.shape:
        raise ValueError(f"Target size ({target.shape!r}) must be the same as input size ({input.shape!r})")
    if input._data.dtype.kind != "f":
        raise NotImplementedError(f"\"log_sigmoid_cpu\" not implemented for '{_short_name(input)}'")
    if target._data.dtype.kind in "iu":
        raise RuntimeError(f"result type Float can't be cast to the desired output type {_short_name(target)}")
    x, t = operands(input, target)
    # max(x, 0) - x t + log(1 + exp(-|x|)): no overflow for large |x|
    wide = x.astype(np.float64)
    loss = (np.maximum(wide, 0) - wide * t + np.log1p(np.exp(-np.abs(wide)))).astype(x.dtype)
    out, node = result(_reduce(loss, reduction), BinaryCrossEntropyWithLogitsBackward0,
                       "binary_cross_entropy_with_logits", (input, target))
    if node is not None:
        node.save(x, t, reduction, tensors=(input, target))
    return out
