"""torch.nn.functional (`F`). `__all__` is what the runner exposes."""
import sys

from engine.ops.arguments import check_exports
from engine.ops import pointwise
from engine.ops.loss import (binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy, mse_loss,
                             nll_loss)
from engine.ops.nn import functional_log_softmax as log_softmax
from engine.ops.nn import functional_softmax as softmax
from engine.ops.pointwise import sigmoid, tanh
from engine.ops.activation_more import elu, silu, softplus
from engine.ops.indexing import one_hot
from engine.ops.loss import huber_loss


def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    """PyTorch's composite: input / input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)."""
    if out is not None:
        raise NotImplementedError("gradtrace does not support F.normalize(out=)")
    denom = input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)
    return input / denom


def relu(input, inplace=False):
    return input.relu_() if inplace else pointwise.relu(input)

__all__ = ["relu", "sigmoid", "tanh", "softmax", "log_softmax", "mse_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits",
           "cross_entropy", "nll_loss", "huber_loss", "one_hot", "softplus", "elu", "silu", "normalize"]

check_exports(sys.modules[__name__], python_style=True)
