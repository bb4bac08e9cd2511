"""torch.autograd: Variable (the old wrapper, now a plain Tensor) and backward."""
from engine.autograd.engine import backward as _backward
from engine.tensor import Tensor, _alias


def Variable(data, requires_grad=False, volatile=False):
    """A new leaf sharing `data`'s storage, as PyTorch's legacy Variable constructor makes."""
    if not isinstance(data, Tensor):
        raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
    out = _alias(data, "Variable")
    if requires_grad:
        out.requires_grad = True
    return out


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False):
    if isinstance(tensors, Tensor):
        tensors, grad_tensors = [tensors], [grad_tensors]
    grad_tensors = grad_tensors if grad_tensors is not None else [None] * len(tensors)
    if isinstance(grad_tensors, Tensor):
        grad_tensors = [grad_tensors]
    for t, g in zip(tensors, grad_tensors):
        _backward(t, g, retain_graph)


__all__ = ["Variable", "backward"]
