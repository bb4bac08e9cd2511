"""F.conv2d and F.max_pool2d, with PyTorch's argument checks and its nodes (ConvolutionBackward0,
MaxPool2DWithIndicesBackward0). Windows are numpy strided views: (N, C, OH, OW, kh, kw)."""

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from engine.autograd.function import Node
from engine.ops.arguments import BadArgument
from engine.ops.core import result, wrap
from engine.ops.linalg import _allocating, _short
from engine.ops.linear import no_graph_formula
from engine.ops.registry import op
from engine.ops.shape import SqueezeBackward1, squeeze, unsqueeze
from engine.tensor import Tensor


def _pair(value, name, op):
    if isinstance(value, (tuple, list)):
        if len(value) == 1:
            value = (value[0], value[0])
        if len(value) != 2 or not all(
            isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in value
        ):
            raise BadArgument(
                f"{op}(): argument '{name}' must be tuple of ints, but found {list(value)}"
            )
        return tuple(int(v) for v in value)
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise BadArgument(
            f"{op}(): argument '{name}' must be tuple of ints, not {type(value).__name__}"
        )
    return int(value), int(value)


def _windows(padded, kernel, stride, dilation):
    """(..., H, W) -> (..., OH, OW, kh, kw): every window the kernel visits, as a view."""
    (kh, kw), (sh, sw), (dh, dw) = kernel, stride, dilation
    span = (dh * (kh - 1) + 1, dw * (kw - 1) + 1)
    return sliding_window_view(padded, span, axis=(-2, -1))[..., ::sh, ::sw, ::dh, ::dw]


# -- conv2d ---------------------------------------------------------------------------------
class ConvolutionBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        x, w, stride, padding, dilation, groups = self.saved
        (fx, _), (fw, _), (fb, _) = self.next_functions
        (n, c, h, width), (o, cg, kh, kw) = x.shape, w.shape
        (ph, pw), (sh, sw), (dh, dw) = padding, stride, dilation
        oh, ow = grad.shape[2:]
        g = grad.reshape(n, groups, o // groups, oh, ow)  # (N, G, O/G, OH, OW)
        w_g = w.reshape(groups, o // groups, cg, kh, kw)
        gx = gw = gb = None
        if fw is not None:
            padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw))) if ph or pw else x
            win = _windows(padded, (kh, kw), stride, dilation).reshape(
                n, groups, cg, oh, ow, kh, kw
            )
            gw = (
                np.einsum("ngohw,ngchwpq->gocpq", g, win, optimize=True)
                .reshape(w.shape)
                .astype(w.dtype)
            )
        if fx is not None:
            gx_pad = np.zeros((n, c, h + 2 * ph, width + 2 * pw), dtype=x.dtype)
            for p in range(kh):
                for q in range(kw):
                    part = np.einsum("ngohw,goc->ngchw", g, w_g[..., p, q], optimize=True)
                    gx_pad[
                        :,
                        :,
                        p * dh : p * dh + sh * (oh - 1) + 1 : sh,
                        q * dw : q * dw + sw * (ow - 1) + 1 : sw,
                    ] += part.reshape(n, c, oh, ow)
            gx = gx_pad[:, :, ph : ph + h, pw : pw + width]
        if fb is not None:
            gb = grad.sum(axis=(0, 2, 3))
        return gx, gw, gb

    graph_backward = no_graph_formula


def _conv_padding(padding, kernel, stride, dilation):
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0)
        if padding != "same":
            raise RuntimeError(f"Invalid padding string: '{padding}'")
        if stride != (1, 1):
            raise RuntimeError("padding='same' is not supported for strided convolutions")
        totals = [d * (k - 1) for k, d in zip(kernel, dilation)]
        if any(t % 2 for t in totals):  # PyTorch pads the input first (ConstantPadNdBackward0)
            raise NotImplementedError(
                "gradtrace supports padding='same' only when dilation * (kernel_size - 1) is even"
            )
        return tuple(t // 2 for t in totals)
    return _pair(padding, "padding", "conv2d")


@op(functional=True)
def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D cross-correlation over (N, C, H, W) or unbatched (C, H, W) input."""
    for name, value in (("input", input), ("weight", weight)):
        if not isinstance(value, Tensor):
            raise BadArgument(
                f"conv2d(): argument '{name}' (position {1 + (name == 'weight')}) must be Tensor, "
                f"not {type(value).__name__}"
            )
    if bias is not None and not isinstance(bias, Tensor):
        raise BadArgument(
            f"conv2d(): argument 'bias' (position 3) must be Tensor, not {type(bias).__name__}"
        )
    x, w = input._data, weight._data
    if x.ndim not in (3, 4):
        raise RuntimeError(
            f"Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: "
            f"[{', '.join(map(str, x.shape))}]"
        )
    stride, dilation = _pair(stride, "stride", "conv2d"), _pair(dilation, "dilation", "conv2d")
    if w.ndim != 4:
        raise RuntimeError(
            f"expected stride to be a single integer value or a list of {w.ndim - 2} values to "
            f"match the convolution dimensions, but got stride=[{stride[0]}, {stride[1]}]"
        )
    kernel = w.shape[2:]
    padding = _conv_padding(padding, kernel, stride, dilation)
    if x.ndim == 3:
        out = _conv2d(unsqueeze(input, 0), weight, bias, stride, padding, dilation, groups)
        return squeeze(out, 0, _node=SqueezeBackward1)
    return _conv2d(input, weight, bias, stride, padding, dilation, groups)


def _conv2d(input, weight, bias, stride, padding, dilation, groups):
    x, w = input._data, weight._data
    if min(stride) <= 0:
        raise RuntimeError("non-positive stride is not supported")
    if min(padding) < 0:
        raise RuntimeError("negative padding is not supported")
    if min(dilation) <= 0:
        raise RuntimeError("dilation should be greater than zero")
    if isinstance(groups, bool) or not isinstance(groups, int):
        raise BadArgument(f"conv2d(): argument 'groups' must be int, not {type(groups).__name__}")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    shape = lambda s: ", ".join(map(str, s))  # noqa: E731
    (n, c, h, width), (o, cg, kh, kw) = x.shape, w.shape
    if o % groups:
        raise RuntimeError(
            f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, "
            f"but got weight of size [[{shape(w.shape)}]] instead"
        )
    if c != cg * groups:
        raise RuntimeError(
            f"Given groups={groups}, weight of size [{shape(w.shape)}], expected input[{shape(x.shape)}] "
            f"to have {cg * groups} channels, but got {c} channels instead"
        )
    if bias is not None and bias._data.shape != (o,):
        raise RuntimeError(
            f"Given weight of size [{shape(w.shape)}], expected bias to be 1-dimensional with {o} "
            f"elements, but got bias of size [{shape(bias._data.shape)}] instead"
        )
    if x.dtype != w.dtype or (bias is not None and bias._data.dtype != x.dtype):
        found = w.dtype if x.dtype != w.dtype else bias._data.dtype
        raise RuntimeError(
            f"expected scalar type {_short(input)} but found {_short(Tensor._wrap(np.empty(0, found)))}"
        )
    if x.dtype.kind != "f":
        raise NotImplementedError(f"\"slow_conv2d_cpu\" not implemented for '{_short(input)}'")
    (ph, pw), (dh, dw) = padding, dilation
    span = (dh * (kh - 1) + 1, dw * (kw - 1) + 1)
    if h + 2 * ph < span[0] or width + 2 * pw < span[1]:
        raise RuntimeError(
            f"Calculated padded input size per channel: ({h + 2 * ph} x {width + 2 * pw}). Kernel "
            f"size: ({span[0]} x {span[1]}). Kernel size can't be greater than actual input size"
        )
    padded = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw))) if ph or pw else x
    win = _windows(padded, (kh, kw), stride, dilation)  # (N, C, OH, OW, kh, kw)
    oh, ow = win.shape[2:4]
    _allocating(n * o * oh * ow)
    win = win.reshape(n, groups, cg, oh, ow, kh, kw)
    out_data = np.einsum(
        "ngchwpq,gocpq->ngohw", win, w.reshape(groups, o // groups, cg, kh, kw), optimize=True
    )
    out_data = out_data.reshape(n, o, oh, ow).astype(x.dtype, copy=False)
    if bias is not None:
        out_data += bias._data[:, None, None]
    out, node = result(out_data, ConvolutionBackward0, "conv2d", (input, weight, bias))
    if node is not None:
        node.save(x, w, stride, padding, dilation, groups, tensors=(input, weight))
    return out


# -- max_pool2d -----------------------------------------------------------------------------
class MaxPool2DWithIndicesBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        shape, indices = self.saved
        planes = int(np.prod(shape[:-2]))
        out = np.zeros((planes, shape[-2] * shape[-1]), dtype=grad.dtype)
        rows = np.arange(planes)[:, None]
        np.add.at(out, (rows, indices.reshape(planes, -1)), grad.reshape(planes, -1))
        return (out.reshape(shape),)

    graph_backward = no_graph_formula


def _pool_size(size, kernel, pad, stride, dilation, ceil_mode):
    """PyTorch's pooling_output_shape: with ceil_mode the last window must start inside the input."""
    numerator = size + 2 * pad - dilation * (kernel - 1) - 1 + (stride - 1 if ceil_mode else 0)
    out = numerator // stride + 1
    if ceil_mode and (out - 1) * stride >= size + pad:
        out -= 1
    return out


@op(functional=True)
def max_pool2d(
    input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False
):
    """The maximum of each window; the gradient goes to the first maximum of each window."""
    if not isinstance(input, Tensor):
        raise BadArgument(
            f"max_pool2d(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}"
        )
    kernel = _pair(kernel_size, "kernel_size", "max_pool2d")
    stride = (
        kernel
        if stride is None or (isinstance(stride, (tuple, list)) and not stride)
        else _pair(stride, "stride", "max_pool2d")
    )
    padding, dilation = (
        _pair(padding, "padding", "max_pool2d"),
        _pair(dilation, "dilation", "max_pool2d"),
    )
    x = input._data
    if x.ndim not in (3, 4) or x.size == 0:
        raise RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")
    if min(kernel) <= 0:
        raise RuntimeError(
            f"kernel size should be greater than zero, but got kH: {kernel[0]} kW: {kernel[1]}"
        )
    if min(stride) <= 0:
        raise RuntimeError("stride should not be zero")
    if min(dilation) <= 0:
        raise RuntimeError(
            f"dilation should be greater than zero, but got dilationH: {dilation[0]} "
            f"dilationW: {dilation[1]}"
        )
    for k, p, d in zip(kernel, padding, dilation):
        if p > ((k - 1) * d + 1) // 2:
            raise RuntimeError(
                f"pad should be at most half of effective kernel size, but got pad={p}, "
                f"kernel_size={k} and dilation={d}"
            )
    h, w = x.shape[-2:]
    oh, ow = (
        _pool_size(s, k, p, st, d, ceil_mode)
        for s, k, p, st, d in zip((h, w), kernel, padding, stride, dilation)
    )
    if oh < 1 or ow < 1:
        c = x.shape[-3]
        raise RuntimeError(
            f"Given input size: ({c}x{h}x{w}). Calculated output size: ({c}x{oh}x{ow}). "
            f"Output size is too small"
        )
    (kh, kw), (sh, sw), (ph, pw), (dh, dw) = kernel, stride, padding, dilation
    need_h, need_w = (oh - 1) * sh + dh * (kh - 1) + 1, (ow - 1) * sw + dw * (kw - 1) + 1
    low = -np.inf if x.dtype.kind == "f" else np.iinfo(x.dtype).min
    padded = np.full(x.shape[:-2] + (max(need_h, ph + h), max(need_w, pw + w)), low, dtype=x.dtype)
    padded[..., ph : ph + h, pw : pw + w] = x
    win = _windows(padded[..., :need_h, :need_w], kernel, stride, dilation)  # (..., OH, OW, kh, kw)
    flat = win.reshape(win.shape[:-2] + (kh * kw,))
    best = flat.argmax(axis=-1)  # the first maximum, or the first NaN
    out_data = np.take_along_axis(flat, best[..., None], axis=-1)[..., 0]
    rows = np.arange(oh)[:, None] * sh - ph + (best // kw) * dh
    cols = np.arange(ow)[None, :] * sw - pw + (best % kw) * dw
    indices = (rows * w + cols).astype(np.int64)
    out, node = result(out_data, MaxPool2DWithIndicesBackward0, "max_pool2d", (input,))
    if node is not None:
        node.save(x.shape, indices)
    if return_indices:
        return out, wrap(indices, None, "max_pool2d", (input,))
    return out
