"""Matrix products: mm, mv, dot, bmm, and matmul composed from them as PyTorch composes it."""
import numpy as np

from engine import trace
from engine.autograd.function import Node
from engine.ops.core import method, operands, result
from engine.ops.shape import SqueezeBackward4, reshape, squeeze, unsqueeze, expand, UnsafeViewBackward0
from engine.tensor import Tensor


def _allocating(numel):
    if trace.local.tracer is not None:
        trace.local.tracer.allocating(int(numel))


class MmBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        a, b = self.saved
        return (grad @ b.T if self.next_functions[0][0] is not None else None,
                a.T @ grad if self.next_functions[1][0] is not None else None)


class MvBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        m, v = self.saved
        return (np.outer(grad, v) if self.next_functions[0][0] is not None else None,
                m.T @ grad if self.next_functions[1][0] is not None else None)


class DotBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        a, b = self.saved
        return (grad * b if self.next_functions[0][0] is not None else None,
                grad * a if self.next_functions[1][0] is not None else None)


class BmmBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        a, b = self.saved
        return (grad @ np.swapaxes(b, 1, 2) if self.next_functions[0][0] is not None else None,
                np.swapaxes(a, 1, 2) @ grad if self.next_functions[1][0] is not None else None)


def _product(node_cls, op, a, b, compute):
    ad, bd = operands(a, b)
    out, node = result(compute(ad, bd), node_cls, op, (a, b))
    if node is not None:
        node.save(ad, bd, tensors=(a, b))
    return out


def _shape_str(shape):
    return "x".join(map(str, shape))


@method()
def mm(self, mat2):
    if self._data.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if mat2._data.ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    (n, k), (k2, m) = self._data.shape, mat2._data.shape
    if k != k2:
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({n}x{k} and {k2}x{m})")
    _allocating(n * m)
    return _product(MmBackward0, "mm", self, mat2, np.matmul)


@method()
def mv(self, vec):
    if self._data.ndim != 2 or vec._data.ndim != 1:
        raise RuntimeError(f"vector + matrix @ vector expected, got 1, {self._data.ndim}, {vec._data.ndim}")
    if self._data.shape[1] != vec._data.shape[0]:
        raise RuntimeError(f"size mismatch, got input ({self._data.shape[0]}), mat "
                           f"({_shape_str(self._data.shape)}), vec ({vec._data.shape[0]})")
    return _product(MvBackward0, "mv", self, vec, np.matmul)


@method()
def dot(self, other):
    if self._data.ndim != 1 or other._data.ndim != 1:
        raise RuntimeError(f"1D tensors expected, but got {self._data.ndim}D and {other._data.ndim}D tensors")
    n, m = self._data.shape[0], other._data.shape[0]
    if n != m:
        raise RuntimeError(f"inconsistent tensor size, expected tensor [{n}] and src [{m}] to have the "
                           f"same number of elements, but got {n} and {m} elements respectively")
    return _product(DotBackward0, "dot", self, other, lambda x, y: np.asarray(np.dot(x, y)))


@method()
def bmm(self, mat2):
    if self._data.ndim != 3 or mat2._data.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    return _product(BmmBackward0, "bmm", self, mat2, np.matmul)


@method()
def matmul(self, other):
    if not isinstance(other, Tensor):
        raise TypeError(f"matmul(): argument 'other' (position 1) must be Tensor, not {type(other).__name__}")
    d1, d2 = self._data.ndim, other._data.ndim
    if d1 == 0 or d2 == 0:
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {d1}D and {d2}D")
    if d1 == 1 and d2 == 1:
        return dot(self, other)
    if d1 == 2 and d2 == 1:
        return mv(self, other)
    if d1 == 1 and d2 == 2:
        return squeeze(mm(unsqueeze(self, 0), other), 0, _node=SqueezeBackward4)
    if d1 == 2 and d2 == 2:
        return mm(self, other)
    if d1 >= 3 and d2 <= 2:
        # fold the batch dims into rows: (B..., n, k) -> (B*n, k)
        lead = self._data.shape[:-1]
        folded = reshape(self, (-1, self._data.shape[-1]))
        prod = mm(folded, other) if d2 == 2 else mv(folded, other)
        out_shape = lead + ((other._data.shape[-1],) if d2 == 2 else ())
        out, node = result(prod._data.reshape(out_shape), UnsafeViewBackward0, "matmul", (prod,))
        if node is not None:
            node.save(prod._data.shape)
        return out
    return _batched_matmul(self, other)


def _batched_matmul(a, b):
    """Broadcast batch dims, expand both, fold to 3-D and bmm (PyTorch's general case)."""
    a1 = unsqueeze(a, 0) if a._data.ndim == 1 else a
    b1 = unsqueeze(b, -1) if b._data.ndim == 1 else b
    (n, k), (k2, m) = a1._data.shape[-2:], b1._data.shape[-2:]
    if k != k2:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: "
                           f"[{int(np.prod(a1._data.shape[:-2]))}, {k}] but got: [{int(np.prod(b1._data.shape[:-2]))}, {k2}].")
    batch = np.broadcast_shapes(a1._data.shape[:-2], b1._data.shape[:-2])
    nb = int(np.prod(batch))
    _allocating(nb * n * m)
    ae = reshape(expand(a1, batch + (n, k)), (nb, n, k))
    be = reshape(expand(b1, batch + (k, m)), (nb, k, m))
    prod = bmm(ae, be)
    shape = batch + ((n,) if a._data.ndim > 1 else ()) + ((m,) if b._data.ndim > 1 else ())
    out, node = result(prod._data.reshape(shape), UnsafeViewBackward0, "matmul", (prod,))
    if node is not None:
        node.save(prod._data.shape)
    return out
