"""torch.autograd.grad, apart from the package so torch.autograd.functional can use it."""

import numpy as np

from engine.autograd.engine import grad as _grad
from engine.ops.core import wrap
from engine.tensor import Tensor


def grad(
    outputs,
    inputs,
    grad_outputs=None,
    retain_graph=None,
    create_graph=False,
    allow_unused=None,
    materialize_grads=False,
):
    """The gradients of `outputs` (summed over several, as PyTorch's one backward pass gives them)."""
    single = isinstance(inputs, Tensor)
    inputs = [inputs] if single else list(inputs)
    outputs = [outputs] if isinstance(outputs, Tensor) else list(outputs)
    if grad_outputs is None or isinstance(grad_outputs, Tensor):
        grad_outputs = [grad_outputs] * (1 if grad_outputs is not None else len(outputs))
    grad_outputs = list(grad_outputs)
    if len(grad_outputs) != len(outputs):
        raise RuntimeError(
            f"grad requires one grad_output per output: got {len(grad_outputs)} grad_outputs "
            f"and {len(outputs)} outputs"
        )
    retain = create_graph if retain_graph is None else retain_graph
    grads = [None] * len(inputs)
    for k, (output, grad_output) in enumerate(zip(outputs, grad_outputs)):
        last = k == len(outputs) - 1
        reached = _grad(output, inputs, grad_output, retain if last else True, True, create_graph)
        grads = [g if r is None else r if g is None else g + r for g, r in zip(grads, reached)]
    if not (allow_unused or materialize_grads):
        for i, g in enumerate(grads):
            if g is None:
                raise RuntimeError(
                    f"The differentiated Tensor at index {i} appears to not have been used in "
                    "the graph. Set allow_unused=True if this is the desired behavior."
                )
    if materialize_grads:
        grads = [np.zeros_like(t._data) if g is None else g for g, t in zip(grads, inputs)]
    return tuple(
        g
        if g is None
        else _as_dtype_of(g, t)
        if isinstance(g, Tensor)
        else wrap(g.astype(t._data.dtype, copy=True), None, "grad", (t,))
        for g, t in zip(grads, inputs)
    )


def _as_dtype_of(grad, tensor):
    """A create_graph gradient in its input's dtype, as PyTorch casts it (ToCopyBackward0)."""
    return grad if grad._data.dtype == tensor._data.dtype else grad.to(tensor.dtype)
