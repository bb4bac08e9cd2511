"""Matrix products: mm, mv, dot, bmm, and matmul composed from them as PyTorch composes it."""

import numpy as np

from engine import dtypes, trace
from engine.autograd.function import Node
from engine.ops import estimates
from engine.ops.arguments import BadArgument
from engine.ops.core import broadcast_shape, needs_grad, operands, result, saved_tensor
from engine.ops.registry import op
from engine.ops.shape import (
    SqueezeBackward4,
    UnsafeViewBackward0,
    contiguous,
    expand,
    reshape,
    squeeze,
    t,
    transpose,
    unsqueeze,
)
from engine.tensor import Tensor


def _allocating(numel):
    if trace.local.tracer is not None:
        trace.local.tracer.allocating(int(numel))


class MmBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        a, b = self.saved
        return (
            grad @ b.T if self.next_functions[0][0] is not None else None,
            a.T @ grad if self.next_functions[1][0] is not None else None,
        )

    def graph_backward(self, grad):
        a, b = (saved_tensor(self, v) for v in self.saved)
        return (
            grad.mm(b.t()) if self.next_functions[0][0] is not None else None,
            a.t().mm(grad) if self.next_functions[1][0] is not None else None,
        )


class MvBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        m, v = self.saved
        return (
            np.outer(grad, v) if self.next_functions[0][0] is not None else None,
            m.T @ grad if self.next_functions[1][0] is not None else None,
        )

    def graph_backward(self, grad):
        m, v = (saved_tensor(self, x) for x in self.saved)
        return (
            grad.unsqueeze(1) * v.unsqueeze(0) if self.next_functions[0][0] is not None else None,
            m.t().mv(grad) if self.next_functions[1][0] is not None else None,
        )


class DotBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        a, b = self.saved
        return (
            grad * b if self.next_functions[0][0] is not None else None,
            grad * a if self.next_functions[1][0] is not None else None,
        )

    def graph_backward(self, grad):
        a, b = (saved_tensor(self, v) for v in self.saved)
        return (
            grad * b if self.next_functions[0][0] is not None else None,
            grad * a if self.next_functions[1][0] is not None else None,
        )


class BmmBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        a, b = self.saved
        return (
            grad @ np.swapaxes(b, 1, 2) if self.next_functions[0][0] is not None else None,
            np.swapaxes(a, 1, 2) @ grad if self.next_functions[1][0] is not None else None,
        )

    def graph_backward(self, grad):
        a, b = (saved_tensor(self, v) for v in self.saved)
        return (
            grad.bmm(b.transpose(1, 2)) if self.next_functions[0][0] is not None else None,
            a.transpose(1, 2).bmm(grad) if self.next_functions[1][0] is not None else None,
        )


def _product(node_cls, op, a, b, compute):
    ad, bd = operands(a, b)
    out, node = result(compute(ad, bd), node_cls, op, (a, b))
    if node is not None:
        node.save(ad, bd, tensors=(a, b))
    return out


_C_NAMES = {
    "float32": "float",
    "float64": "double",
    "int64": "long int",
    "int32": "int",
    "int16": "short int",
    "int8": "signed char",
    "uint8": "unsigned char",
    "bool": "bool",
    "float16": "c10::Half",
}


def _short(t):
    return dtypes.legacy_type_name(t._data.dtype)[len("torch.") : -len("Tensor")]


def _same_dtype_for_mm(a, b):
    if a._data.dtype != b._data.dtype:
        raise RuntimeError(
            f"expected m1 and m2 to have the same dtype, but got: "
            f"{_C_NAMES[a.dtype.name]} != {_C_NAMES[b.dtype.name]}"
        )


def _has_kernel(t, kernel):
    """PyTorch's CPU matrix kernels have no bool version."""
    if t._data.dtype == np.bool_:
        raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")


def _shape_str(shape):
    return "x".join(map(str, shape))


@op(method=True, torch=True, estimate=estimates.matmul)
def mm(self, mat2):
    if self._data.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if mat2._data.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    (n, k), (k2, m) = self._data.shape, mat2._data.shape
    if k != k2:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({n}x{k} and {k2}x{m})")
    _same_dtype_for_mm(self, mat2)
    _has_kernel(self, "addmm_impl_cpu_")
    _allocating(n * m)
    return _product(MmBackward0, "mm", self, mat2, np.matmul)


@op(method=True, torch=True, estimate=estimates.matmul)
def mv(self, vec):
    if self._data.ndim == 0:
        raise IndexError("Dimension specified as 0 but tensor has no dimensions")
    if self._data.ndim != 2 or vec._data.ndim != 1:
        raise RuntimeError(
            f"vector + matrix @ vector expected, got 1, {self._data.ndim}, {vec._data.ndim}"
        )
    if self._data.shape[1] != vec._data.shape[0]:
        raise RuntimeError(
            f"size mismatch, got input ({self._data.shape[0]}), mat "
            f"({_shape_str(self._data.shape)}), vec ({vec._data.shape[0]})"
        )
    if self._data.dtype != vec._data.dtype:
        raise RuntimeError(
            f"addmv input tensors must have the same dtype, but got {_short(vec)}, "
            f"{_short(self)}, and {_short(vec)}"
        )
    _has_kernel(self, "addmv_impl_cpu")
    return _product(MvBackward0, "mv", self, vec, np.matmul)


@op(method=True, torch=True)
def dot(self, other):
    if self._data.ndim != 1 or other._data.ndim != 1:
        raise RuntimeError(
            f"1D tensors expected, but got {self._data.ndim}D and {other._data.ndim}D tensors"
        )
    if self._data.dtype != other._data.dtype:
        raise RuntimeError(
            f"dot : expected both vectors to have same dtype, but found {_short(self)} "
            f"and {_short(other)}"
        )
    n, m = self._data.shape[0], other._data.shape[0]
    if n != m:
        raise RuntimeError(
            f"inconsistent tensor size, expected tensor [{n}] and src [{m}] to have the "
            f"same number of elements, but got {n} and {m} elements respectively"
        )
    _has_kernel(self, "dot")
    return _product(DotBackward0, "dot", self, other, lambda x, y: np.asarray(np.dot(x, y)))


@op(method=True, torch=True, estimate=estimates.matmul)
def bmm(self, mat2):
    if self._data.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if mat2._data.ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    (b, n, k), (b2, k2, m) = self._data.shape, mat2._data.shape
    if (b, k) != (b2, k2):
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: [{b}, {k}] "
            f"but got: [{b2}, {k2}]."
        )
    if self._data.dtype != mat2._data.dtype:
        raise RuntimeError(f"expected scalar type {_short(self)} but found {_short(mat2)}")
    _has_kernel(self, "bmm")
    _allocating(b * n * m)
    return _product(BmmBackward0, "bmm", self, mat2, np.matmul)


@op(method=True, torch=True, estimate=estimates.matmul)
def matmul(self, other):
    if not isinstance(other, Tensor):
        raise BadArgument(f"matmul(): argument 'other' must be Tensor, not {type(other).__name__}")
    d1, d2 = self._data.ndim, other._data.ndim
    if d1 == 0 or d2 == 0:
        raise RuntimeError(
            f"both arguments to matmul need to be at least 1D, but they are {d1}D and {d2}D"
        )
    if d1 == 1 and d2 == 1:
        return dot(self, other)
    if d1 == 2 and d2 == 1:
        return mv(self, other)
    if d1 == 1 and d2 == 2:
        return squeeze(mm(unsqueeze(self, 0), other), 0, _node=SqueezeBackward4)
    if d1 == 2 and d2 == 2:
        return mm(self, other)
    if _should_fold(self, other):
        return _folded_matmul(self, other)
    return _batched_matmul(self, other)


def _should_fold(a, b):
    """PyTorch's should_fold: fold the larger operand into a matrix for mm/mv when no copy is
    needed (or when it requires grad, to keep the backward small)."""
    larger = a._data.ndim >= b._data.ndim
    t1 = a._data if larger else np.swapaxes(b._data, -1, -2)
    dim_t2 = b._data.ndim if larger else a._data.ndim
    if not (t1.ndim >= 3 and dim_t2 <= 2):
        return False
    # folding keeps the smaller operand's gradient small, so PyTorch folds whenever it needs one
    if needs_grad(b if larger else a) or t1.size == 0:
        return True
    shape, strides = t1.shape, t1.strides
    return all(strides[i] == strides[i + 1] * shape[i + 1] for i in range(t1.ndim - 2))


def _unsafe_view(t, shape):
    out, node = result(t._data.reshape(shape), UnsafeViewBackward0, "matmul", (t,))
    if node is not None:
        node.save(t._data.shape)
    return out


def _folded_matmul(a, b):
    """(B..., n, k) @ (k, m): fold to (B*n, k), mm or mv, view back; the mirrored case goes
    through transposes, recorded as PyTorch records them."""
    transpose = b._data.ndim > a._data.ndim
    t1 = transpose_last(b) if transpose else a
    t2 = (t(a) if a._data.ndim == 2 else a) if transpose else b
    lead = t1._data.shape[:-1]
    out_shape = lead + ((t2._data.shape[1],) if t2._data.ndim == 2 else ())
    folded = reshape(t1, (int(np.prod(lead)), t1._data.shape[-1]))
    product = mm(folded, t2) if t2._data.ndim == 2 else mv(folded, t2)
    out = _unsafe_view(product, out_shape)
    if transpose and t2._data.ndim == 2:
        out = contiguous(transpose_last(out))
    return out


def transpose_last(x):
    return transpose(x, -2, -1)


def _batched_matmul(a, b):
    """Broadcast batch dims, expand both, fold to 3-D and bmm (PyTorch's general case)."""
    a1 = unsqueeze(a, 0) if a._data.ndim == 1 else a
    b1 = unsqueeze(b, -1) if b._data.ndim == 1 else b
    (n, k), (k2, m) = a1._data.shape[-2:], b1._data.shape[-2:]
    batch = broadcast_shape(a1._data.shape[:-2], b1._data.shape[:-2])
    nb = int(np.prod(batch))
    if k != k2:  # bmm's message, about the operands once broadcast and folded
        raise RuntimeError(
            f"Expected size for first two dimensions of batch2 tensor to be: "
            f"[{nb}, {k}] but got: [{nb}, {k2}]."
        )
    if a._data.dtype != b._data.dtype:
        raise RuntimeError(f"expected scalar type {_short(a)} but found {_short(b)}")
    ae = reshape(expand(a1, batch + (n, k)), (nb, n, k))
    be = reshape(expand(b1, batch + (k2, m)), (nb, k2, m))
    shape = batch + ((n,) if a._data.ndim > 1 else ()) + ((m,) if b._data.ndim > 1 else ())
    return _unsafe_view(bmm(ae, be), shape)
