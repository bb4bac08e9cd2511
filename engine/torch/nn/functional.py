"""torch.nn.functional (`F`). `__all__` is what the runner exposes."""
import sys

from engine.ops.arguments import check_exports
from engine.ops import pointwise
from engine.ops.activation import dropout, gelu, leaky_relu
from engine.ops.conv import conv2d, max_pool2d
from engine.ops.core import broadcast_shape
from engine.ops.linear import embedding, linear
from engine.ops.nn import (binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy, mse_loss, nll_loss)
from engine.ops.nn import functional_log_softmax as log_softmax
from engine.ops.nn import functional_softmax as softmax
from engine.ops.normalization import batch_norm, layer_norm
from engine.ops.pointwise import sigmoid, tanh
from engine.torch.nn._reduction import legacy_get_string


def relu(input, inplace=False):
    return input.relu_() if inplace else pointwise.relu(input)


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """|input - target| reduced: PyTorch composes it (AbsBackward0, then MeanBackward0 or SumBackward0);
    with `weight`, the weighted sum divided by the sum of the weights."""
    if size_average is not None or reduce is not None:
        reduction = legacy_get_string(size_average, reduce)
    if input._data.shape != target._data.shape:  # broadcast_tensors
        shape = broadcast_shape(input._data.shape, target._data.shape)
        input = input if input._data.shape == shape else input.expand(shape)
        target = target if target._data.shape == shape else target.expand(shape)
    if weight is not None:
        if weight._data.shape != input._data.shape:
            raise ValueError("Weights and input must have the same size.")
        weighted = (input - target).abs() * weight
        if reduction == "none":
            return weighted
        if reduction == "sum":
            return weighted.sum()
        if reduction == "mean":
            return weighted.sum() / weight.sum()
        raise ValueError(f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'.")
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    loss = (input - target).abs()
    if reduction == "none":
        return loss
    return loss.mean() if reduction == "mean" else loss.sum()


__all__ = ["relu", "sigmoid", "tanh", "softmax", "log_softmax", "mse_loss", "binary_cross_entropy",
           "binary_cross_entropy_with_logits", "cross_entropy", "nll_loss", "l1_loss", "linear", "conv2d",
           "max_pool2d", "layer_norm", "batch_norm", "embedding", "gelu", "leaky_relu", "dropout"]

check_exports(sys.modules[__name__], python_style=True)
