"""addmm, F.linear composed from it as PyTorch composes it, and F.embedding."""

import numpy as np

from engine import trace
from engine.autograd.engine import grad_edge
from engine.autograd.function import Node, unbroadcast
from engine.ops.arguments import BadArgument
from engine.ops.core import broadcast_shape, connect, needs_grad, result, saved_tensor, sum_to
from engine.ops.linalg import _allocating, _has_kernel, _short, matmul
from engine.ops.registry import op
from engine.ops.shape import TBackward0, reshape, t, view
from engine.ops.views import AsStridedBackward0, set_history
from engine.tensor import Tensor


class AddmmBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        bias_shape, m1, m2, beta, alpha = self.saved
        (fb, _), (f1, _), (f2, _) = self.next_functions
        # a product over one row is an outer product: np.multiply keeps its signed zeros, as PyTorch's gemm
        outer = m1.shape[0] == 1
        return (
            unbroadcast(grad * beta if beta != 1 else grad, bias_shape) if fb is not None else None,
            (grad @ m2.T) * alpha if f1 is not None else None,
            (np.multiply(m1.T, grad) if outer else m1.T @ grad) * alpha if f2 is not None else None,
        )

    def graph_backward(self, grad):
        bias_shape, m1, m2, beta, alpha = self.saved
        (fb, _), (f1, _), (f2, _) = self.next_functions
        a, b = saved_tensor(self, m1, 0), saved_tensor(self, m2, -1)
        return (
            sum_to(grad * beta if beta != 1 else grad, bias_shape) if fb is not None else None,
            grad.mm(b.t()) * alpha if f1 is not None else None,
            a.t().mm(grad) * alpha if f2 is not None else None,
        )


def _expand_error(shape, target):
    """expand's message for a bias that does not broadcast to the product's shape."""
    dim = next(i for i in range(-1, -len(shape) - 1, -1) if shape[i] not in (1, target[i]))
    return RuntimeError(
        f"The expanded size of the tensor ({target[dim]}) must match the existing size "
        f"({shape[dim]}) at non-singleton dimension {len(target) + dim}.  Target sizes: "
        f"[{', '.join(map(str, target))}].  Tensor sizes: [{', '.join(map(str, shape))}]"
    )


@op(method=True, torch=True)
def addmm(self, mat1, mat2, *, beta=1, alpha=1):
    """beta * self + alpha * (mat1 @ mat2); self broadcasts to the product's shape."""
    for name, m in (("mat1", mat1), ("mat2", mat2)):
        if not isinstance(m, Tensor):
            raise BadArgument(
                f"addmm(): argument '{name}' (position {1 + (name == 'mat2') + 1}) must be Tensor, "
                f"not {type(m).__name__}"
            )
        if m._data.ndim != 2:
            raise RuntimeError(f"{name} must be a matrix, got {m._data.ndim}-D tensor")
    (n, k), (k2, m) = mat1._data.shape, mat2._data.shape
    if k != k2:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({n}x{k} and {k2}x{m})")
    if mat1._data.dtype != mat2._data.dtype:
        raise RuntimeError(
            f"mat1 and mat2 must have the same dtype, but got {_short(mat1)} and {_short(mat2)}"
        )
    if self._data.dtype != mat1._data.dtype:
        raise RuntimeError(
            f"self and mat2 must have the same dtype, but got {_short(self)} and {_short(mat2)}"
        )
    bias_shape = self._data.shape
    try:
        if broadcast_shape(bias_shape, (n, m)) != (n, m):
            raise RuntimeError
    except RuntimeError:
        raise _expand_error(bias_shape, (n, m)) from None
    _has_kernel(mat1, "addmm_impl_cpu_")
    _allocating(n * m)
    a, b, c = mat1._data, mat2._data, self._data
    product = a @ b
    out_data = (product if alpha == 1 else alpha * product) + (c if beta == 1 else beta * c)
    out, node = result(
        out_data.astype(a.dtype, copy=False), AddmmBackward0, "addmm", (self, mat1, mat2)
    )
    if node is not None:
        node.save(bias_shape, a, b, beta, alpha, tensors=(mat1, mat2))
    return out


class WeightTransposed(Tensor):
    """weight.t() as F.linear makes it: a TBackward0 view sharing the weight's storage and version
    counter, whose grad_fn becomes AsStridedBackward0 once the weight is written in place (as a view's
    does in PyTorch) -- worked out when read rather than at every write. The program never holds this
    view, so nothing else can tell; and a recorded training loop no longer revisits every step's view
    on each update of the weight (regenerate_views)."""

    __slots__ = ("_history_version",)

    @classmethod
    def of(cls, weight):
        node = connect(TBackward0(), weight) if needs_grad(weight) else None
        view = cls._wrap(weight._data.T, node, version=weight._version)
        view._base = weight
        view._history_version = weight._version[0]
        if trace.local.tracer is not None:
            trace.local.tracer.tensor_created(view, "t", (weight,))
        return view

    @property
    def grad_fn(self):
        if self._grad_fn is not None and self._version[0] != self._history_version:
            node = AsStridedBackward0()
            node.next_functions = ((grad_edge(self._base), self._base._output_nr),)
            node.save(self._base._data, self._data)
            set_history(self, node)
            self._history_version = self._version[0]
        return self._grad_fn


@op(functional=True)
def linear(input, weight, bias=None):
    """y = x W^T + b, through the ops PyTorch's at::linear picks for the input's rank and layout."""
    for name, value in (("input", input), ("weight", weight)):
        if not isinstance(value, Tensor):
            raise BadArgument(
                f"linear(): argument '{name}' (position {1 + (name == 'weight')}) must be Tensor, "
                f"not {type(value).__name__}"
            )
    if bias is not None and not isinstance(bias, Tensor):
        raise BadArgument(
            f"linear(): argument 'bias' (position 3) must be Tensor, not {type(bias).__name__}"
        )
    x = input._data
    if x.ndim == 0 or weight._data.ndim == 0:
        raise RuntimeError(
            f"both arguments to linear need to be at least 1D, but they are {x.ndim}D and "
            f"{weight._data.ndim}D"
        )
    weight_t = WeightTransposed.of(weight) if weight._data.ndim == 2 else t(weight)
    if bias is not None and x.ndim == 2:
        return addmm(bias, input, weight_t)
    if bias is not None and x.flags.c_contiguous:  # _flatten_nd_linear: (B..., in) -> (B*..., in)
        features = x.shape[-1]
        folded = reshape(input, (int(np.prod(x.shape[:-1])), features))
        product = addmm(bias, folded, weight_t)
        return view(product, (*x.shape[:-1], product._data.shape[1]))
    out = matmul(input, weight_t)
    if bias is not None:
        out.add_(bias)  # PyTorch adds the bias in place (AddBackward0)
    return out


def no_graph_formula(self, grad):
    """create_graph=True through this node: refused by name rather than computed wrong."""
    raise RuntimeError(
        f"gradtrace cannot build the graph of {self.name()}'s backward (create_graph=True): "
        "higher derivatives through torch.nn's layers are not supported yet"
    )


class EmbeddingBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        weight_shape, indices, padding_idx, scale_grad_by_freq = self.saved
        flat = indices.reshape(-1)
        rows = grad.reshape(len(flat), weight_shape[1])
        if scale_grad_by_freq:
            counts = np.bincount(flat, minlength=weight_shape[0])
            rows = rows / counts[flat][:, None]
        out = np.zeros(weight_shape, dtype=grad.dtype)
        np.add.at(out, flat, rows)
        if padding_idx is not None and padding_idx >= 0:
            out[padding_idx] = 0
        return (out,)

    graph_backward = no_graph_formula


@op(functional=True)
def embedding(
    input,
    weight,
    padding_idx=None,
    max_norm=None,
    norm_type=2.0,
    scale_grad_by_freq=False,
    sparse=False,
):
    """Rows of `weight` picked by the integer `input`; the gradient adds into the rows it picked."""
    if max_norm is not None:
        raise NotImplementedError(
            f"gradtrace does not support embedding's max_norm (it renormalizes the "
            f"weight in place, rows by their {norm_type:g}-norm)"
        )
    if sparse:
        raise NotImplementedError("gradtrace does not support sparse gradients (sparse=True)")
    if not isinstance(input, Tensor) or not isinstance(weight, Tensor):
        raise BadArgument("embedding(): argument 'indices' must be Tensor")
    if input._data.dtype.kind not in "iu":
        raise RuntimeError(
            f"Expected tensor for argument #1 'indices' to have one of the following scalar "
            f"types: Long, Int; but got torch.{_short(input)}Tensor instead (while checking "
            f"arguments for embedding)"
        )
    if weight._data.ndim != 2:
        raise RuntimeError("'weight' must be 2-D")
    num = weight._data.shape[0]
    if padding_idx is not None:
        if padding_idx > 0:
            assert padding_idx < num, "Padding_idx must be within num_embeddings"
        elif padding_idx < 0:
            assert padding_idx >= -num, "Padding_idx must be within num_embeddings"
            padding_idx = num + padding_idx
    indices = input._data.astype(np.int64)
    if indices.size and (indices.min() < 0 or indices.max() >= num):
        raise IndexError("index out of range in self")
    _allocating(indices.size * weight._data.shape[1])
    out, node = result(
        weight._data[indices], EmbeddingBackward0, "embedding", (weight, input), (weight,)
    )
    if node is not None:
        node.save(weight._data.shape, indices, padding_idx, bool(scale_grad_by_freq))
    return out
