"""torch.nn.utils: clip_grad_norm_."""

import math
import sys

import numpy as np

from engine import grad_mode
from engine.ops.arguments import check_exports
from engine.tensor import Tensor


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """Scale every .grad by max_norm / (total_norm + 1e-6) when that is below 1; returns the total norm
    (the norm of the per-parameter norms, as PyTorch computes it)."""
    if foreach:
        raise NotImplementedError("gradtrace does not support clip_grad_norm_(foreach=True)")
    params = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    grads = [p._grad for p in params if p._grad is not None]
    norm_type = float(norm_type)
    if not grads:
        return Tensor._wrap(np.asarray(0.0, dtype=np.float32))
    with grad_mode.no_grad():
        from engine.ops.shape import stack

        norms = (
            [g.norm(norm_type) for g in grads]
            if not math.isinf(norm_type)
            else [g.abs().max() for g in grads]
        )
        stacked = stack(norms)
        total = stacked.max() if math.isinf(norm_type) else stacked.norm(norm_type)
        if error_if_nonfinite and not np.isfinite(total._data).all():
            raise RuntimeError(
                f"The total norm of order {norm_type} for gradients from `parameters` is "
                "non-finite, so it cannot be clipped. To disable this error and scale the "
                "gradients by the non-finite norm anyway, set `error_if_nonfinite=False`"
            )
        coef = (max_norm / (total + 1e-6)).clamp(max=1.0)
        for g in grads:
            g.mul_(coef)
    return total


__all__ = ["clip_grad_norm_"]

check_exports(sys.modules[__name__], python_style=True)
