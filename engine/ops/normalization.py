"""F.layer_norm and F.batch_norm (NativeLayerNormBackward0, NativeBatchNormBackward0).

Statistics are computed in float64 and the output rounded to the input's dtype; running statistics
are updated in place as PyTorch's kernel does."""

import numpy as np

from engine import trace
from engine.autograd.function import Node
from engine.ops.arguments import BadArgument
from engine.ops.core import result
from engine.ops.linalg import _short
from engine.ops.linear import no_graph_formula
from engine.ops.registry import op
from engine.size import Size
from engine.tensor import Tensor


def _affine_grads(grad, xhat, axes, w, fw, fb):
    gw = (grad * xhat).sum(axis=axes).astype(w.dtype) if fw is not None else None
    gb = grad.sum(axis=axes).astype(grad.dtype) if fb is not None else None
    return gw, gb


class NativeLayerNormBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        xhat, rstd, w, axes = self.saved
        (fx, _), (fw, _), (fb, _) = self.next_functions
        g = grad.astype(np.float64)
        batch_axes = tuple(range(xhat.ndim - len(axes)))
        gx = None
        if fx is not None:
            gxhat = g * w if w is not None else g
            gx = rstd * (
                gxhat
                - gxhat.mean(axis=axes, keepdims=True)
                - xhat * (gxhat * xhat).mean(axis=axes, keepdims=True)
            )
            gx = gx.astype(grad.dtype)
        gw, gb = _affine_grads(g, xhat, batch_axes, w, fw, fb)
        return gx, (None if gw is None else gw.astype(grad.dtype)), gb

    graph_backward = no_graph_formula


@op(functional=True)
def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05):
    """Normalize over the last len(normalized_shape) dims, then scale by weight and shift by bias."""
    if not isinstance(input, Tensor):
        raise BadArgument(
            f"layer_norm(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    shape = (normalized_shape,) if isinstance(normalized_shape, int) else tuple(normalized_shape)
    x = input._data
    tail = x.shape[x.ndim - len(shape) :] if len(shape) <= x.ndim else None
    if tail != shape:
        expected = ", ".join(["*"] + [str(s) for s in shape])
        raise RuntimeError(
            f"Given normalized_shape={list(shape)}, expected input with shape [{expected}], but got "
            f"input of size{list(x.shape)}"
        )
    for name, value in (("weight", weight), ("bias", bias)):
        if value is not None and tuple(value._data.shape) != shape:
            raise RuntimeError(
                f"Expected {name} to be of same shape as normalized_shape, but got {name} of shape "
                f"{list(value._data.shape)} and normalized_shape = {list(shape)}"
            )
    if x.dtype.kind != "f":
        raise RuntimeError(f"expected scalar type Float but found {_short(input)}")
    axes = tuple(range(x.ndim - len(shape), x.ndim))
    w64 = x.astype(np.float64)
    mean = w64.mean(axis=axes, keepdims=True)
    rstd = 1 / np.sqrt(((w64 - mean) ** 2).mean(axis=axes, keepdims=True) + eps)
    xhat = (w64 - mean) * rstd
    wd = None if weight is None else weight._data.astype(np.float64)
    out_data = xhat * wd if wd is not None else xhat
    if bias is not None:
        out_data = out_data + bias._data
    out, node = result(
        out_data.astype(x.dtype), NativeLayerNormBackward0, "layer_norm", (input, weight, bias)
    )
    if node is not None:
        node.save(xhat, rstd, wd, axes, tensors=tuple(t for t in (input, weight) if t is not None))
    return out


class NativeBatchNormBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        xhat, rstd, w, axes, training = self.saved
        (fx, _), (fw, _), (fb, _) = self.next_functions
        g = grad.astype(np.float64)
        gx = None
        if fx is not None:
            scale = rstd * (w if w is not None else 1.0)
            if training:
                gx = scale * (
                    g
                    - g.mean(axis=axes, keepdims=True)
                    - xhat * (g * xhat).mean(axis=axes, keepdims=True)
                )
            else:
                gx = scale * g
            gx = gx.astype(grad.dtype)
        gw, gb = _affine_grads(g, xhat, axes, w, fw, fb)
        return (
            gx,
            (None if gw is None else gw.reshape(-1).astype(grad.dtype)),
            (None if gb is None else gb.reshape(-1)),
        )

    graph_backward = no_graph_formula


def _update_running(stat, new):
    np.copyto(stat._data, new, casting="unsafe")
    stat._version[0] += 1
    if trace.local.tracer is not None:
        trace.local.tracer.tensor_modified(stat, "batch_norm", (stat,))


def _moving_average(old, new, momentum):
    kind = old.dtype.type
    m = kind(momentum)
    return np.float64(m) * new + (kind(1) - m) * old


@op(functional=True)
def batch_norm(
    input,
    running_mean,
    running_var,
    weight=None,
    bias=None,
    training=False,
    momentum=0.1,
    eps=1e-05,
):
    """Normalize each channel (dim 1) over the batch (and length) with batch statistics when training,
    else with the running ones; training updates the running statistics (unbiased variance)."""
    if not isinstance(input, Tensor):
        raise BadArgument(
            f"batch_norm(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    x = input._data
    if x.ndim < 2:
        raise ValueError(f"Expected 2D or 3D input (got {x.ndim}D input)")
    if training:
        count = x.size // x.shape[1]
        if count == 1:
            raise ValueError(
                f"Expected more than 1 value per channel when training, got input size {Size(x.shape)!r}"
            )
    channels = x.shape[1]
    for name, value in (
        ("weight", weight),
        ("bias", bias),
        ("running_mean", running_mean),
        ("running_var", running_var),
    ):
        if value is not None and value._data.size != channels:
            raise RuntimeError(f"{name} should contain {channels} elements not {value._data.size}")
    if not training and (running_mean is None or running_var is None):
        raise RuntimeError("running_mean and running_var must be defined in evaluation mode")
    if x.dtype.kind != "f":
        raise RuntimeError(f"expected scalar type Float but found {_short(input)}")
    axes = (0,) + tuple(range(2, x.ndim))
    stat_shape = (1, channels) + (1,) * (x.ndim - 2)
    w64 = x.astype(np.float64)
    if training:
        mean = w64.mean(axis=axes, keepdims=True)
        var = ((w64 - mean) ** 2).mean(axis=axes, keepdims=True)
        n = x.size // channels
        # PyTorch's CPU kernel: statistics in double, momentum in the stats' dtype, the old value's
        # share rounded in that dtype
        if running_mean is not None:
            _update_running(
                running_mean, _moving_average(running_mean._data, mean.reshape(-1), momentum)
            )
        if running_var is not None:
            unbiased = ((w64 - mean) ** 2).sum(axis=axes) / (n - 1)
            _update_running(running_var, _moving_average(running_var._data, unbiased, momentum))
    else:
        mean = running_mean._data.astype(np.float64).reshape(stat_shape)
        var = running_var._data.astype(np.float64).reshape(stat_shape)
    rstd = 1 / np.sqrt(var + eps)
    xhat = (w64 - mean) * rstd
    wd = None if weight is None else weight._data.astype(np.float64).reshape(stat_shape)
    out_data = xhat * wd if wd is not None else xhat
    if bias is not None:
        out_data = out_data + bias._data.reshape(stat_shape)
    out, node = result(
        out_data.astype(x.dtype), NativeBatchNormBackward0, "batch_norm", (input, weight, bias)
    )
    if node is not None:
        node.save(
            xhat,
            rstd,
            wd,
            axes,
            bool(training),
            tensors=tuple(t for t in (input, weight) if t is not None),
        )
    return out
