"""Reductions: sum, mean, prod (all or along dims), max and min (all, or along a dim with indices)."""

import builtins
import collections

import numpy as np

from engine import dtypes
from engine.autograd.function import Node
from engine.ops.core import constant, dims_arg, result, saved_tensor, wrap
from engine.ops.pointwise import where
from engine.ops.registry import op
from engine.ops.scatter import ScatterBackward0, positions_of, put
from engine.tensor import Tensor, wrap_dim


def _expand_back(grad, shape, axes, keepdim):
    """Broadcast a reduced gradient back over the reduced `axes` of `shape`."""
    if not keepdim and axes:
        grad = np.expand_dims(grad, axes)
    return np.broadcast_to(grad, shape)


def _graph_expand_back(grad, shape, axes, keepdim):
    """The Tensor twin of _expand_back."""
    if not keepdim:
        for axis in sorted(axes):
            grad = grad.unsqueeze(axis)
    return grad.expand(shape)


class SumBackward0(Node):
    """sum of all elements."""

    __slots__ = ()
    saves_tensors = False

    def backward(self, grad):
        (shape,) = self.saved
        return (np.broadcast_to(grad, shape).copy(),)

    def graph_backward(self, grad):
        (shape,) = self.saved
        return (grad.expand(shape),)


class SumBackward1(Node):
    """sum along dims."""

    __slots__ = ()
    saves_tensors = False

    def backward(self, grad):
        shape, axes, keepdim = self.saved
        return (_expand_back(grad, shape, axes, keepdim).copy(),)

    def graph_backward(self, grad):
        shape, axes, keepdim = self.saved
        return (_graph_expand_back(grad, shape, axes, keepdim),)


class MeanBackward0(Node):
    __slots__ = ()
    saves_tensors = False

    def backward(self, grad):
        (shape,) = self.saved
        n = builtins.max(int(np.prod(shape)), 1)
        return (np.broadcast_to(grad / n, shape).copy(),)

    def graph_backward(self, grad):
        (shape,) = self.saved
        return (grad.expand(shape) / builtins.max(int(np.prod(shape)), 1),)


class MeanBackward1(Node):
    __slots__ = ()
    saves_tensors = False

    def backward(self, grad):
        shape, axes, keepdim = self.saved
        n = int(np.prod([shape[a] for a in axes])) if axes else 1
        return (_expand_back(grad / builtins.max(n, 1), shape, axes, keepdim).copy(),)

    def graph_backward(self, grad):
        shape, axes, keepdim = self.saved
        n = int(np.prod([shape[a] for a in axes])) if axes else 1
        return (_graph_expand_back(grad, shape, axes, keepdim) / builtins.max(n, 1),)


def _sum_dtype(data, dtype):
    if dtype is not None:
        return dtype.np
    return np.int64 if data.dtype.kind in "biu" else data.dtype


@op(method=True, torch=True)
def sum(self, dim=None, keepdim=False, dtype=None, axis=None, keepdims=None):
    dim = axis if dim is None else dim
    keepdim = keepdim if keepdims is None else keepdims
    data = self._data
    out_dtype = _sum_dtype(data, dtype)
    if dim is None:
        out, node = result(np.sum(data, dtype=out_dtype), SumBackward0, "sum", (self,))
        if node is not None:
            node.save(data.shape)
        return out
    axes = dims_arg(dim, data.ndim)
    out, node = result(
        np.sum(data, axis=axes, keepdims=keepdim, dtype=out_dtype), SumBackward1, "sum", (self,)
    )
    if node is not None:
        node.save(data.shape, axes, keepdim)
    return out


@op(method=True, torch=True)
def mean(self, dim=None, keepdim=False, dtype=None, axis=None, keepdims=None):
    dim = axis if dim is None else dim
    keepdim = keepdim if keepdims is None else keepdims
    data = self._data
    if dtype is None and data.dtype.kind != "f":
        name = dtypes.legacy_type_name(data.dtype)[len("torch.") : -len("Tensor")]
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a "
            f"floating point or complex dtype. Got: {name}"
        )
    out_dtype = data.dtype if dtype is None else dtype.np
    if dim is None:
        out, node = result(np.mean(data, dtype=out_dtype), MeanBackward0, "mean", (self,))
        if node is not None:
            node.save(data.shape)
        return out
    axes = dims_arg(dim, data.ndim)
    out, node = result(
        np.mean(data, axis=axes, keepdims=keepdim, dtype=out_dtype), MeanBackward1, "mean", (self,)
    )
    if node is not None:
        node.save(data.shape, axes, keepdim)
    return out


def _exclusive_prod(x, axis):
    """Product of all the other elements along `axis` (exact where x has zeros)."""
    x = np.moveaxis(x, axis, -1)
    ones = np.ones(x.shape[:-1] + (1,), dtype=x.dtype)
    left = np.cumprod(np.concatenate([ones, x[..., :-1]], axis=-1), axis=-1)
    right = np.flip(
        np.cumprod(np.flip(np.concatenate([x[..., 1:], ones], axis=-1), -1), axis=-1), -1
    )
    return np.moveaxis(left * right, -1, axis)


class ProdBackward0(Node):
    """PyTorch's prod_backward: grad * (result / input), or products of the others where input has zeros."""

    __slots__ = ()

    def backward(self, grad):
        x, out = self.saved
        if x.ndim == 0:
            return (grad.copy(),)
        if not (x == 0).any():
            return (grad * (out / x),)
        return (grad * _exclusive_prod(x.reshape(-1), 0).reshape(x.shape),)

    def graph_backward(self, grad):
        x, out = self.saved
        if x.ndim == 0:
            return (grad.clone(),)
        if not (x == 0).any():
            return (grad * (saved_tensor(self, out) / saved_tensor(self, x)),)
        flat = saved_tensor(self, x).reshape(-1)
        return (grad * _graph_exclusive_prod(flat, 0).reshape(x.shape),)


class ProdBackward1(Node):
    __slots__ = ()

    def backward(self, grad):
        x, out, axis, keepdim = self.saved
        if x.ndim == 0:
            return (grad.copy(),)
        if not keepdim:
            grad, out = np.expand_dims(grad, axis), np.expand_dims(out, axis)
        if not (x == 0).any():
            return (grad * (out / x),)
        return (grad * _exclusive_prod(x, axis),)

    def graph_backward(self, grad):
        x, out, axis, keepdim = self.saved
        if x.ndim == 0:
            return (grad.clone(),)
        result = saved_tensor(self, out)
        if not keepdim:
            grad, result = grad.unsqueeze(axis), result.unsqueeze(axis)
        if not (x == 0).any():
            return (grad * (result / saved_tensor(self, x)),)
        return (grad * _graph_exclusive_prod(saved_tensor(self, x), axis),)


def _graph_exclusive_prod(x, axis):
    """The Tensor twin of _exclusive_prod: each row of n copies with its own element set to 1, multiplied."""
    n = x.shape[axis]
    rows = x.transpose(axis, -1).unsqueeze(-2).expand(*x.transpose(axis, -1).shape[:-1], n, n)
    others = where(constant(np.eye(n, dtype=bool)), 1, rows).prod(-1)  # (..., n)
    return others.transpose(axis, -1)


@op(method=True, torch=True)
def prod(self, dim=None, keepdim=False, dtype=None):
    data = self._data
    out_dtype = _sum_dtype(data, dtype)
    if dim is None:
        out, node = result(np.prod(data, dtype=out_dtype), ProdBackward0, "prod", (self,))
        if node is not None:
            node.save(data, out._data, tensors=(self,), output=out)
        return out
    axis = wrap_dim(dim, data.ndim)
    out, node = result(
        np.prod(
            data,
            axis=axis if data.ndim else None,
            keepdims=keepdim and data.ndim > 0,
            dtype=out_dtype,
        ),
        ProdBackward1,
        "prod",
        (self,),
    )
    if node is not None:
        node.save(data, out._data, axis, keepdim, tensors=(self,), output=out)
    return out


class _ReturnTypes:
    max = collections.namedtuple("max", ["values", "indices"])
    min = collections.namedtuple("min", ["values", "indices"])
    sort = collections.namedtuple("sort", ["values", "indices"])


for _t in (_ReturnTypes.max, _ReturnTypes.min, _ReturnTypes.sort):
    _t.__module__ = "torch.return_types"
    _t.__repr__ = lambda self: (
        f"torch.return_types.{type(self).__name__}(\nvalues={self.values!r},"
        f"\nindices={self.indices!r})"
    )


class MaxBackward1(Node):
    """max/min of all elements: the gradient is shared evenly among ties (all NaNs when the result is NaN)."""

    __slots__ = ()

    def backward(self, grad):
        x, value = self.saved
        mask = np.isnan(x) if np.isnan(value) else x == value
        return (np.where(mask, grad / mask.sum(), 0).astype(grad.dtype, copy=False),)

    def graph_backward(self, grad):
        x, value = self.saved
        mask = np.isnan(x) if np.isnan(value) else x == value
        return (where(constant(mask), grad / int(mask.sum()), 0),)


class MinBackward1(MaxBackward1):
    __slots__ = ()


class MaxBackward0(Node):
    """max/min along a dim: the gradient goes to the index that was picked."""

    __slots__ = ()

    def backward(self, grad):
        shape, axis, indices, keepdim = self.saved
        out = np.zeros(shape, dtype=grad.dtype)
        if not shape:
            return (grad.astype(out.dtype, copy=True),)
        if not keepdim:
            grad = np.expand_dims(grad, axis)
            indices = np.expand_dims(indices, axis)
        np.put_along_axis(out, indices, grad, axis=axis)
        return (out,)

    def graph_backward(self, grad):
        shape, axis, indices, keepdim = self.saved
        if not shape:
            return (grad.clone(),)
        if not keepdim:
            indices = np.expand_dims(indices, axis)
        positions = np.take_along_axis(positions_of(shape), indices, axis)
        if not keepdim:
            positions = np.squeeze(positions, axis)
        return (put(grad, positions, shape, ScatterBackward0),)


class MinBackward0(MaxBackward0):
    __slots__ = ()


def _extreme(self, dim, keepdim, which, other=None):
    if isinstance(dim, Tensor):
        other, dim = dim, None
    if other is not None:
        from engine.ops.pointwise import maximum, minimum

        return (maximum if which == "max" else minimum)(self, other)
    data = self._data
    reduce = np.max if which == "max" else np.min
    if dim is None:
        if data.size == 0:
            raise RuntimeError(
                f"{which}(): Expected reduction dim to be specified for input.numel() == 0. "
                "Specify the reduction dim with the 'dim' argument."
            )
        node_cls = MaxBackward1 if which == "max" else MinBackward1
        out, node = result(reduce(data), node_cls, which, (self,))
        if node is not None:
            node.save(data, out._data, tensors=(self,), output=out)
        return out
    axis = wrap_dim(dim, data.ndim)
    check_reduced_dims_not_empty(data, (axis,), which)
    pick = np.argmax if which == "max" else np.argmin
    if data.ndim == 0:
        values, indices = data.copy(), np.zeros((), dtype=np.int64)
    else:
        indices = pick(data, axis=axis, keepdims=keepdim).astype(np.int64)
        values = np.take_along_axis(
            data, indices if keepdim else np.expand_dims(indices, axis), axis
        )
        values = (
            values if keepdim else np.squeeze(values, axis)
        )  # the picked element itself (0. or -0.)
    node_cls = MaxBackward0 if which == "max" else MinBackward0
    out, node = result(values, node_cls, which, (self,))
    if node is not None:
        node.save(data.shape, axis, indices, keepdim)
    idx = wrap(indices, None, "arg" + which, (self,))
    return getattr(_ReturnTypes, which)(out, idx)


def check_reduced_dims_not_empty(data, axes, op):
    """max/min/argmax/amax... along an empty dim have no value: PyTorch's IndexError."""
    for axis in axes:
        if data.ndim and data.shape[axis] == 0:
            raise IndexError(f"{op}(): Expected reduction dim {axis} to have non-zero size.")


@op(method=True, torch=True)
def max(self, dim=None, keepdim=False, other=None):
    return _extreme(self, dim, keepdim, "max", other)


@op(method=True, torch=True)
def min(self, dim=None, keepdim=False, other=None):
    return _extreme(self, dim, keepdim, "min", other)


@op(method=True, torch=True)
def argmax(self, dim=None, keepdim=False):
    data = self._data
    if dim is None:
        if data.size == 0:
            raise IndexError(
                "argmax(): Expected reduction dim to be specified for input.numel() == 0."
            )
        return wrap(np.asarray(np.argmax(data), dtype=np.int64), None, "argmax", (self,))
    axis = wrap_dim(dim, data.ndim)
    check_reduced_dims_not_empty(data, (axis,), "argmax")
    return wrap(
        np.argmax(data, axis=axis, keepdims=keepdim).astype(np.int64), None, "argmax", (self,)
    )


@op(method=True, torch=True)
def argmin(self, dim=None, keepdim=False):
    data = self._data
    if dim is None:
        if data.size == 0:
            raise IndexError(
                "argmin(): Expected reduction dim to be specified for input.numel() == 0."
            )
        return wrap(np.asarray(np.argmin(data), dtype=np.int64), None, "argmin", (self,))
    axis = wrap_dim(dim, data.ndim)
    check_reduced_dims_not_empty(data, (axis,), "argmin")
    return wrap(
        np.argmin(data, axis=axis, keepdims=keepdim).astype(np.int64), None, "argmin", (self,)
    )


# -- spread and size: std, var, norm ----------------------------------------------------------


def _spread_args(self, dim, unbiased, keepdim, correction):
    """std/var's overloads: (dim, unbiased, keepdim), (unbiased) or (dim, *, correction, keepdim)."""
    if self._data.dtype.kind != "f":
        raise RuntimeError("std and var only support floating point and complex dtypes")
    if isinstance(dim, bool):  # x.std(False): the unbiased flag, not a dim
        dim, unbiased = None, dim
    if correction is None:
        correction = 1 if unbiased is None or unbiased else 0
    axes = dims_arg(dim, self._data.ndim)
    return axes, keepdim, correction


def _variance(data, axes, keepdim, correction):
    """The centred data, and sum((x - mean)^2) / max(N - correction, 0) along axes."""
    wide = data.astype(np.float64)
    centred = wide - wide.mean(axis=axes, keepdims=True) if data.size else wide
    n = int(np.prod([data.shape[a] for a in axes])) if axes else 1
    with np.errstate(divide="ignore", invalid="ignore"):
        var = (centred * centred).sum(axis=axes, keepdims=keepdim) / builtins.max(n - correction, 0)
    return centred, var, builtins.max(n - correction, 0)


class VarBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        centred, divisor, axes, keepdim, dtype = self.saved
        with np.errstate(divide="ignore", invalid="ignore"):
            g = _expand_back(grad, centred.shape, axes, keepdim) * 2 * centred / divisor
        return (g.astype(dtype),)

    def graph_backward(self, grad):
        centred, divisor, axes, keepdim, dtype = self.saved
        x = self._versions[0][0]
        mean = x.mean(axes, keepdim=True) if axes else x
        return (
            (2.0 / divisor if divisor else float("inf"))
            * _graph_expand_back(grad, centred.shape, axes, keepdim)
            * (x - mean),
        )


class StdBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        centred, divisor, axes, keepdim, std = self.saved
        with np.errstate(divide="ignore", invalid="ignore"):
            scale = _expand_back(grad / std, centred.shape, axes, keepdim)
            return ((scale * centred / divisor).astype(std.dtype),)

    def graph_backward(self, grad):
        centred, divisor, axes, keepdim, std = self.saved
        x, out = self._versions[0][0], saved_tensor(self, std)
        mean = x.mean(axes, keepdim=True) if axes else x
        with np.errstate(divide="ignore"):
            scale = _graph_expand_back(grad / out, centred.shape, axes, keepdim)
            return (scale * (x - mean) / (divisor if divisor else 0.0),)


@op(method=True, torch=True)
def var(self, dim=None, unbiased=None, keepdim=False, *, correction=None):
    axes, keepdim, correction = _spread_args(self, dim, unbiased, keepdim, correction)
    centred, variance, divisor = _variance(self._data, axes, keepdim, correction)
    out, node = result(variance.astype(self._data.dtype), VarBackward0, "var", (self,))
    if node is not None:
        node.save(centred, divisor, axes, keepdim, self._data.dtype, tensors=(self,))
    return out


@op(method=True, torch=True)
def std(self, dim=None, unbiased=None, keepdim=False, *, correction=None):
    axes, keepdim, correction = _spread_args(self, dim, unbiased, keepdim, correction)
    centred, variance, divisor = _variance(self._data, axes, keepdim, correction)
    out, node = result(np.sqrt(variance).astype(self._data.dtype), StdBackward0, "std", (self,))
    if node is not None:
        node.save(centred, divisor, axes, keepdim, out._data, tensors=(self,), output=out)
    return out


class LinalgVectorNormBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        x, norm, p, axes, keepdim = self.saved
        g = _expand_back(grad, x.shape, axes, keepdim)
        n = _expand_back(norm, x.shape, axes, keepdim)
        with np.errstate(divide="ignore", invalid="ignore"):
            if p == 0:  # PyTorch's gradient is undefined: nothing reaches the input
                return (None,)
            if p == 1:
                out = g * np.sign(x)
            elif np.isinf(p):  # shared evenly among the entries that reach the max (or min)
                hits = (np.abs(x) == n).astype(x.dtype)
                count = _expand_back(hits.sum(axis=axes, keepdims=keepdim), x.shape, axes, keepdim)
                out = g * np.sign(x) * hits / count
            elif p == 2:
                out = np.where(n == 0, 0, x * g / n)
            else:
                out = np.where(n == 0, 0, x * np.abs(x) ** (p - 2) * g / n ** (p - 1))
        return (out.astype(x.dtype, copy=False),)

    def graph_backward(self, grad):
        x, norm, p, axes, keepdim = self.saved
        if p == 0:
            return (None,)
        xt = saved_tensor(self, x)
        g = _graph_expand_back(grad, x.shape, axes, keepdim)
        n = _graph_expand_back(saved_tensor(self, norm), x.shape, axes, keepdim)
        sign = constant(np.sign(x))
        with np.errstate(divide="ignore", invalid="ignore"):
            if p == 1:
                return (g * sign,)
            if np.isinf(p):
                hits = (np.abs(x) == _expand_back(norm, x.shape, axes, keepdim)).astype(x.dtype)
                count = _expand_back(hits.sum(axis=axes, keepdims=keepdim), x.shape, axes, keepdim)
                return (g * constant(np.sign(x) * hits / count),)
            zero = constant(_expand_back(norm, x.shape, axes, keepdim) == 0)
            if p == 2:
                return (
                    xt * where(zero, 0, g / n),
                )  # PyTorch: self * (grad / norm).masked_fill_(norm == 0, 0)
            return (where(zero, 0, xt * xt.abs() ** (p - 2) * g / n ** (p - 1)),)


def _vector_norm(data, p, axes, keepdim):
    """Powers in the tensor's dtype (so they overflow and underflow where PyTorch's do), summed in float64."""
    a = np.abs(data)
    if p == 0:
        return (a != 0).sum(axis=axes, keepdims=keepdim).astype(np.float64)
    if np.isinf(p):
        if not data.size:
            return np.zeros(np.sum(a, axis=axes, keepdims=keepdim).shape)
        return (np.max if p > 0 else np.min)(a, axis=axes, keepdims=keepdim)
    with np.errstate(over="ignore", under="ignore"):
        powers = a if p == 1 else a * a if p == 2 else a ** data.dtype.type(p)
    total = powers.sum(axis=axes, keepdims=keepdim, dtype=np.float64)
    return total if p == 1 else np.sqrt(total) if p == 2 else total ** (1 / p)


@op(method=True, torch=True)
def norm(self, p="fro", dim=None, keepdim=False, dtype=None):
    """The vector norm PyTorch's Tensor.norm computes (LinalgVectorNormBackward0)."""
    if self._data.dtype.kind != "f":
        name = dtypes.legacy_type_name(self._data.dtype)[len("torch.") : -len("Tensor")]
        raise RuntimeError(
            f"linalg.vector_norm: Expected a floating point or complex tensor as input. Got {name}"
        )
    if p is None or p == "fro":
        p = 2
    if isinstance(p, str):
        raise RuntimeError(
            f"linalg.vector_norm: p must be a number, got {p}"
        )  # "nuc" is a matrix norm
    data = self._data if dtype is None else self._data.astype(dtype.np)
    axes = dims_arg(dim, data.ndim)
    out, node = result(
        _vector_norm(data, float(p), axes, keepdim).astype(data.dtype),
        LinalgVectorNormBackward0,
        "norm",
        (self,),
    )
    if node is not None:
        node.save(data, out._data, float(p), axes, keepdim, tensors=(self,), output=out)
    return out


# -- any, all: bool results, never a gradient -----------------------------------------------------


def _truth(self, dim, keepdim, reduce, op):
    data = self._data
    if dim is None:
        return wrap(np.asarray(reduce(data)), None, op, (self,))
    axes = dims_arg(dim, data.ndim)
    return wrap(np.asarray(reduce(data, axis=axes, keepdims=keepdim)), None, op, (self,))


@op(method="any", torch="any")
def any_(self, dim=None, keepdim=False):
    return _truth(self, dim, keepdim, np.any, "any")


@op(method="all", torch="all")
def all_(self, dim=None, keepdim=False):
    return _truth(self, dim, keepdim, np.all, "all")
