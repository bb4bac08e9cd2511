"""torch.autograd: Variable (the old wrapper, now a plain Tensor) and backward."""
import numpy as np

from engine.autograd.engine import backward as _backward
from engine.autograd.engine import backward_inputs
from engine.autograd.engine import grad as _grad
from engine.errors import REQUIRES_GRAD_NOT_FLOAT
from engine.ops.core import wrap
from engine.tensor import Tensor, _alias


def Variable(data, requires_grad=False, volatile=False):
    """A new leaf sharing `data`'s storage, as PyTorch's legacy Variable constructor makes."""
    if not isinstance(data, Tensor):
        raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
    if requires_grad and data._data.dtype.kind != "f":
        raise RuntimeError(REQUIRES_GRAD_NOT_FLOAT)
    out = _alias(data, "Variable")
    out._requires_grad = bool(requires_grad)
    return out


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    if isinstance(tensors, Tensor):
        tensors, grad_tensors = [tensors], [grad_tensors]
    grad_tensors = grad_tensors if grad_tensors is not None else [None] * len(tensors)
    if isinstance(grad_tensors, Tensor):
        grad_tensors = [grad_tensors]
    for t, g in zip(tensors, grad_tensors):
        _backward(t, g, retain_graph, inputs=backward_inputs(inputs), create_graph=create_graph)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, allow_unused=None,
         materialize_grads=False):
    single = isinstance(inputs, Tensor)
    inputs = [inputs] if single else list(inputs)
    if not isinstance(outputs, Tensor):
        (outputs,) = outputs
    if isinstance(grad_outputs, (list, tuple)):
        (grad_outputs,) = grad_outputs
    grads = _grad(outputs, inputs, grad_outputs, retain_graph, bool(allow_unused or materialize_grads),
                  create_graph)
    if materialize_grads:
        grads = [np.zeros_like(t._data) if g is None else g for g, t in zip(grads, inputs)]
    return tuple(g if g is None else _as_dtype_of(g, t) if isinstance(g, Tensor)
                 else wrap(g.astype(t._data.dtype, copy=True), None, "grad", (t,)) for g, t in zip(grads, inputs))


def _as_dtype_of(grad, tensor):
    """A create_graph gradient in its input's dtype, as PyTorch casts it (ToCopyBackward0)."""
    return grad if grad._data.dtype == tensor._data.dtype else grad.to(tensor.dtype)


__all__ = ["Variable", "backward", "grad"]
