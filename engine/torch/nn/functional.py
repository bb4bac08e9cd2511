"""torch.nn.functional (`F`). `__all__` is what the runner exposes."""
import sys

from engine.ops.arguments import check_exports
from engine.ops import pointwise
from engine.ops.nn import (binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy, mse_loss, nll_loss)
from engine.ops.nn import functional_log_softmax as log_softmax
from engine.ops.nn import functional_softmax as softmax
from engine.ops.pointwise import sigmoid, tanh
from engine.ops.random import dropout


def relu(input, inplace=False):
    return input.relu_() if inplace else pointwise.relu(input)

__all__ = ["relu", "sigmoid", "tanh", "softmax", "log_softmax", "mse_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits",
           "cross_entropy", "nll_loss", "dropout"]

check_exports(sys.modules[__name__], python_style=True)
