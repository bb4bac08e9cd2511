"""torch.autograd: Variable (the old wrapper, now a plain Tensor) and backward."""

from engine.autograd.engine import backward as _backward
from engine.autograd.engine import backward_inputs
from engine.errors import REQUIRES_GRAD_NOT_FLOAT
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
    retain = create_graph if retain_graph is None else retain_graph
    for k, (t, g) in enumerate(
        zip(tensors, grad_tensors)
    ):  # one pass in PyTorch: keep the graph until the last
        _backward(
            t,
            g,
            retain if k == len(tensors) - 1 else True,
            inputs=backward_inputs(inputs),
            create_graph=create_graph,
        )


from engine.torch.autograd import functional  # noqa: E402
from engine.torch.autograd.gradients import grad  # noqa: E402

__all__ = ["Variable", "backward", "grad", "functional"]
