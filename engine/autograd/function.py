"""Function nodes of the backward graph, named as PyTorch names them."""

import functools
import itertools

import numpy as np

from engine import trace
from engine.dtypes import legacy_type_name
from engine.errors import SECOND_BACKWARD
from engine.tensor import Tensor

sequence = itertools.count()  # Function nodes' creation order (sequence_nr)


class Node:
    """A grad_fn: `backward(grad)` returns one gradient per entry of `next_functions`.

    Subclasses are named exactly like PyTorch's (MulBackward0 ...). Values a backward needs are
    saved with `save()`: numpy arrays of tensors are checked against the tensor's version counter
    when used, as PyTorch does, and all are freed after a backward without retain_graph.
    """

    __slots__ = (
        "next_functions",
        "sequence_nr",
        "_saved",
        "_versions",
        "_freed",
        "retained",
        "__weakref__",
    )
    saves_tensors = True  # ops whose backward needs no saved values set this False
    num_outputs = 1  # nodes with several outputs (unbind) get a list of gradients
    cpp_name = None  # PyTorch's C++ name, for nodes not generated from an op (CopySlices)

    def __init__(self):
        self.sequence_nr = next(sequence)
        self._saved = None
        self._versions = None
        self._freed = False
        self.retained = None  # {output_nr: tensor} of non-leaf outputs whose .grad is retained

    def name(self) -> str:
        return type(self).__name__

    def __repr__(self):
        return f"<{type(self).__name__} object at {hex(id(self))}>"

    # -- saved values --------------------------------------------------------------------
    def save(self, *values, tensors=(), output=None):
        """Save plain values (arrays, shapes) and the tensors whose in-place change must be caught.

        `output` is this node's own output tensor when backward needs it (exp, sigmoid ...).
        """
        self._saved = values
        if tensors or output is not None:
            self._versions = [(t, t._version[0], None) for t in tensors]
            if output is not None:
                self._versions.append((output, output._version[0], self))

    @property
    def saved(self):
        if self._freed:
            raise RuntimeError(SECOND_BACKWARD)
        if self._versions:
            for tensor, version, producer in self._versions:
                if tensor._version[0] != version:
                    raise RuntimeError(modified_message(tensor, version, producer))
        return self._saved

    def release(self):
        if self.saves_tensors:
            self._freed = True
            self._saved = self._versions = None

    def backward(self, grad):
        """The gradients for `next_functions` as numpy arrays, from the output's gradient (an array)."""
        raise NotImplementedError

    def graph_backward(self, grad):
        """The same gradients as Tensors computed with engine ops, so they have a graph of their own
        (create_graph=True): `grad` is a Tensor. Every node defines it beside its `backward`."""
        raise RuntimeError(
            f"gradtrace cannot build the graph of {self.name()}'s backward (create_graph=True)"
        )


def modified_message(tensor, expected_version, producer=None) -> str:
    shape = ", ".join(str(s) for s in tensor._data.shape)
    desc = f"[{legacy_type_name(tensor._data.dtype)} [{shape}]]"
    fn = producer or tensor.grad_fn
    if fn is not None and fn.cpp_name is not None:
        desc += f", which is output {tensor._output_nr} of {fn.cpp_name},"
    elif fn is not None:
        op = fn.name()
        op = op.replace(
            "Backward", ""
        )  # PyTorch's forward name: MulBackward0 -> Mul, PowBackward2 -> Pow2
        op = op[:-1] if op.endswith("0") else op
        desc += f", which is output {tensor._output_nr} of {op},"
    return (
        f"one of the variables needed for gradient computation has been modified by an "
        f"inplace operation: {desc} is at version {tensor._version[0]}; expected version "
        f"{expected_version} instead. Hint: enable anomaly detection to find the operation that "
        f"failed to compute its gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False)."
    )


class AccumulateGrad(Node):
    """Adds the incoming gradient into a leaf's `.grad` (in place, as PyTorch does)."""

    __slots__ = ("variable",)
    saves_tensors = False

    def __init__(self, variable):
        Node.__init__(self)
        self.sequence_nr = float("inf")  # PyTorch runs these as soon as they are ready
        self.variable = variable
        self.next_functions = ()

    def name(self) -> str:
        return "torch::autograd::AccumulateGrad"

    def backward(self, grad):
        accumulate_grad(self.variable, grad)
        return ()

    graph_backward = backward


def grad_edge(tensor):
    """The node a gradient for `tensor` flows into (at `tensor._output_nr`), or None."""
    if tensor._grad_fn is not None:
        return tensor._grad_fn
    if tensor._requires_grad:
        acc = tensor._accumulate
        if acc is None:
            acc = tensor._accumulate = AccumulateGrad(tensor)
        return acc
    return None


def accumulate_grad(tensor, grad):
    """`.grad += grad` in place, or a fresh copy the first time; tells the tracer."""
    if isinstance(grad, Tensor):  # create_graph: .grad keeps the gradient's own graph
        old = tensor._grad
        before = None if old is None else old._data.copy()
        if old is None:  # PyTorch's clone_obey_contract: a copy_ into a new tensor (CopyBackwards)
            tensor._grad = Tensor._wrap(np.empty_like(tensor._data)).copy_(grad)
        else:
            tensor._grad = old + grad
        if trace.local.tracer is not None:
            trace.local.tracer.grad_accumulated(tensor, before, tensor._grad._data.copy())
        return
    tracer = trace.local.tracer
    old = tensor._grad
    before = None if old is None or tracer is None else old._data.copy()
    if old is None:
        grad = np.array(
            grad, dtype=tensor._data.dtype
        )  # a copy (the gradient may flow elsewhere too), cast
        if grad.shape != tensor._data.shape:
            grad = np.broadcast_to(grad, tensor._data.shape).copy()
        tensor._grad = Tensor._wrap(grad)
    else:
        # cast first, as PyTorch casts a gradient to its input's dtype before accumulating; numpy broadcasts
        np.add(
            old._data, np.asarray(grad, dtype=tensor._data.dtype), out=old._data, casting="unsafe"
        )
        old._version[0] += 1
    if tracer is not None:
        tracer.grad_accumulated(tensor, before, tensor._grad._data.copy())


def unbroadcast(grad, shape):
    """The adjoint of broadcasting is a sum: reduce `grad` back to `shape`."""
    if grad.shape == shape:
        return grad
    # one ufunc reduce over every broadcast axis (ndarray.sum and keepdims cost more than the sum itself)
    return np.add.reduce(grad, axis=_broadcast_axes(grad.shape, tuple(shape))).reshape(shape)


@functools.lru_cache(maxsize=1024)
def _broadcast_axes(grad_shape, shape):
    """The axes of a `grad_shape` gradient that broadcasting a `shape` tensor added or stretched."""
    extra = len(grad_shape) - len(shape)
    stretched = (extra + i for i, n in enumerate(shape) if n == 1 and grad_shape[extra + i] != 1)
    return (*range(extra), *stretched)
