"""torch.nn.functional (`F`). `__all__` is what the runner exposes."""
import sys

from engine.ops.arguments import check_exports
from engine.ops.nn import (binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy, log_softmax, mse_loss, nll_loss, softmax)
from engine.ops.pointwise import relu, sigmoid, tanh

__all__ = ["relu", "sigmoid", "tanh", "softmax", "log_softmax", "mse_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits",
           "cross_entropy", "nll_loss"]

check_exports(sys.modules[__name__], python_style=True)
