"""Factories: tensor, zeros, ones, full, arange, linspace, eye (the random ones are in random.py)."""

import numpy as np

from engine import dtypes, trace
from engine.errors import REQUIRES_GRAD_NOT_FLOAT
from engine.ops import estimates
from engine.ops.arguments import int_sequence
from engine.ops.core import wrap
from engine.ops.registry import op
from engine.size import Size
from engine.tensor import Tensor


def _size(size):
    size = int_sequence(size, "size")
    out = []
    for s in size:
        if s < 0:
            raise RuntimeError(
                f"Trying to create tensor with negative dimension {s}: "
                f"[{', '.join(str(x) for x in size)}]"
            )
        out.append(int(s))
    return tuple(out)


def _factory(data, op, inputs, requires_grad):
    t = wrap(data, None, op, inputs)
    if requires_grad:
        if data.dtype.kind != "f":
            raise RuntimeError(REQUIRES_GRAD_NOT_FLOAT)
        t._requires_grad = True
    return t


def _allocating(shape):
    if trace.local.tracer is not None:
        trace.local.tracer.allocating(int(np.prod(shape, dtype=np.int64)) if shape else 1)


def _np_dtype(dtype, default=dtypes.DEFAULT_FLOAT):
    return (default if dtype is None else dtype).np


def _scalar_dtype(v):
    if isinstance(v, Tensor):
        return v.dtype
    if isinstance(v, bool):
        return dtypes.bool_
    if isinstance(v, int):
        return dtypes.int64
    if isinstance(v, float):
        return dtypes.DEFAULT_FLOAT
    raise RuntimeError(f"Could not infer dtype of {type(v).__name__}")


def _infer_dtype(values):
    """torch.tensor's inference: every element's dtype (a tensor's own), promoted together."""
    if isinstance(values, (list, tuple, range)):
        found = None
        for v in values:
            d = _infer_dtype(v)
            found = d if found is None else dtypes.promote_types(found, d)
        return found or dtypes.DEFAULT_FLOAT
    return _scalar_dtype(values)


def _is_sequence(v):
    return isinstance(v, (list, tuple, range, str))


def _sizes(data):
    """The shape PyTorch reads off the first element at each depth (a tensor ends the walk)."""
    sizes = []
    seq = data
    while _is_sequence(seq):
        if isinstance(seq, str) and len(sizes) >= 32:
            raise ValueError("too many dimensions 'str'")
        sizes.append(len(seq))
        if not len(seq):
            break
        seq = seq[0]
    return tuple(sizes)


def _store(out, data, sizes, index, np_dtype):
    """Fill `out` from nested `data`, with PyTorch's errors where the nesting does not fit."""
    dim = len(index)
    if dim == len(sizes):
        if isinstance(data, Tensor):
            if data._data.size != 1 or (
                np_dtype.kind in "iu" and data._data.dtype.kind not in "iub"
            ):
                if np_dtype.kind in "iub":
                    raise TypeError(
                        "only integer tensors of a single element can be converted to an index"
                    )
                raise ValueError("only one element tensors can be converted to Python scalars")
            data = data._data.reshape(()).item()
        elif not isinstance(data, (int, float, bool)):
            if np_dtype.kind in "iu":
                raise TypeError(
                    f"'{type(data).__name__}' object cannot be interpreted as an integer"
                )
            raise TypeError(f"must be real number, not {type(data).__name__}")
        out[index] = data
        return
    if isinstance(data, Tensor):
        if data._data.shape != sizes[dim:]:
            got = data._data.shape[0] if data._data.ndim else 0
            raise ValueError(f"expected sequence of length {sizes[dim]} at dim {dim} (got {got})")
        out[index] = data._data
        return
    if not _is_sequence(data):
        raise TypeError("not a sequence")
    if len(data) != sizes[dim]:
        raise ValueError(f"expected sequence of length {sizes[dim]} at dim {dim} (got {len(data)})")
    for i, item in enumerate(data):
        _store(out, item, sizes, index + (i,), np_dtype)


def _has_tensor(data):
    if isinstance(data, (list, tuple)):
        return any(_has_tensor(v) for v in data)
    return isinstance(data, Tensor)


def _nested_array(data, dtype):
    if isinstance(data, str):
        raise TypeError("new(): invalid data type 'str'")
    sizes = _sizes(data)
    np_dtype = (_infer_dtype(data) if dtype is None else dtype).np
    if not _has_tensor(data):  # the common case: plain nested numbers, numpy reads them at once
        try:
            with np.errstate(over="ignore"):  # 1e40 is inf in float32, as in PyTorch
                array = np.array(data, dtype=np_dtype)
            if array.shape == sizes:
                return array
        except (ValueError, TypeError, OverflowError):
            pass
    out = np.empty(sizes, dtype=np_dtype)
    if out.size:
        _store(out, data, sizes, (), np_dtype)
    return out


NUMPY_TYPES = (
    "float64, float32, float16, complex64, complex128, int64, int32, int16, int8, uint64, "
    "uint32, uint16, uint8, and bool"
)


def _numpy_dtype_of(array):
    """The engine dtype of a numpy array's dtype, or PyTorch's TypeError for one it cannot hold."""
    found = dtypes.BY_NUMPY.get(array.dtype)
    if found is None:
        raise TypeError(
            f"can't convert np.ndarray of type numpy.{array.dtype.type.__name__}. "
            f"The only supported types are: {NUMPY_TYPES}."
        )
    return found


@op(torch=True)
def from_numpy(ndarray):
    """A tensor sharing the array's memory (writes through either show in both), as PyTorch's."""
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(ndarray).__name__})")
    _numpy_dtype_of(ndarray)
    _allocating(ndarray.shape)
    return _factory(ndarray, "from_numpy", (), False)


@op(torch=True)
def tensor(data, dtype=None, device=None, requires_grad=False, pin_memory=False):
    if isinstance(data, Tensor):
        array = data._data.astype(data._data.dtype if dtype is None else dtype.np)
    elif isinstance(data, np.ndarray):  # keeps the array's dtype (float64 stays float64), copied
        array = data.astype((_numpy_dtype_of(data) if dtype is None else dtype).np, copy=True)
    else:
        array = _nested_array(data, dtype)
    _allocating(array.shape)
    return _factory(array, "tensor", (), requires_grad)


@op(torch=True)
def as_tensor(data, dtype=None, device=None):
    if isinstance(data, Tensor) and (dtype is None or dtype.np == data._data.dtype):
        return data
    return tensor(data, dtype=dtype)


def _filled(size, value, dtype, requires_grad, op, default=dtypes.DEFAULT_FLOAT):
    shape = _size(size)
    _allocating(shape)
    return _factory(np.full(shape, value, dtype=_np_dtype(dtype, default)), op, (), requires_grad)


@op(torch=True, estimate=estimates.factory)
def zeros(*size, dtype=None, device=None, requires_grad=False):
    return _filled(size, 0, dtype, requires_grad, "zeros")


@op(torch=True, estimate=estimates.factory)
def ones(*size, dtype=None, device=None, requires_grad=False):
    return _filled(size, 1, dtype, requires_grad, "ones")


@op(torch=True, estimate=estimates.factory)
def empty(*size, dtype=None, device=None, requires_grad=False):
    return _filled(size, 0, dtype, requires_grad, "empty")


@op(torch=True, estimate=estimates.full)
def full(size, fill_value, dtype=None, device=None, requires_grad=False):
    if not isinstance(size, (tuple, list, Size)):
        raise TypeError(
            f"full(): argument 'size' (position 1) must be tuple of ints, not {type(size).__name__}"
        )
    if not isinstance(fill_value, (int, float, Tensor)):
        raise TypeError(
            f"full(): argument 'fill_value' (position 2) must be Number, not {type(fill_value).__name__}"
        )
    if dtype is None:
        dtype = dtypes.result_type(fill_value)
    return _filled((size,), fill_value, dtype, requires_grad, "full")


def _like(t, value, dtype, requires_grad, op):
    return _filled((t._data.shape,), value, dtype or t.dtype, requires_grad, op)


@op(torch=True)
def zeros_like(input, dtype=None, device=None, requires_grad=False):
    return _like(input, 0, dtype, requires_grad, "zeros_like")


@op(torch=True)
def ones_like(input, dtype=None, device=None, requires_grad=False):
    return _like(input, 1, dtype, requires_grad, "ones_like")


@op(torch=True)
def empty_like(input, dtype=None, device=None, requires_grad=False):
    return _like(input, 0, dtype, requires_grad, "empty_like")


@op(torch=True)
def full_like(input, fill_value, dtype=None, device=None, requires_grad=False):
    return _like(input, fill_value, dtype, requires_grad, "full_like")


@op(torch=True, estimate=estimates.arange)
def arange(start, end=None, step=1, dtype=None, device=None, requires_grad=False):
    if end is None:
        start, end = 0, start
    values = [v.item() if isinstance(v, Tensor) else v for v in (start, end, step)]
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if dtype is None:
        dtype = dtypes.DEFAULT_FLOAT if any(isinstance(v, float) for v in values) else dtypes.int64
    n = max(int(np.ceil((values[1] - values[0]) / values[2])), 0)
    _allocating((n,))
    data = (values[0] + np.arange(n, dtype=np.float64) * values[2]).astype(dtype.np)
    return _factory(data, "arange", (), requires_grad)


@op(torch=True, estimate=estimates.linspace)
def linspace(start, end, steps, dtype=None, device=None, requires_grad=False):
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    _allocating((int(steps),))
    data = np.linspace(start, end, int(steps), dtype=np.float64).astype(_np_dtype(dtype))
    return _factory(data, "linspace", (), requires_grad)


@op(torch=True, estimate=estimates.eye)
def eye(n, m=None, dtype=None, device=None, requires_grad=False):
    m = n if m is None else m
    if n < 0:
        raise RuntimeError(f"n must be greater or equal to 0, got {n}")
    if m < 0:
        raise RuntimeError(f"m must be greater or equal to 0, got {m}")
    _allocating((n, m))
    return _factory(np.eye(n, m, dtype=_np_dtype(dtype)), "eye", (), requires_grad)


def _legacy_constructor(np_dtype, name):
    def construct(*args):
        if len(args) == 1 and isinstance(args[0], (list, tuple)):
            return tensor(args[0], dtype=dtypes.from_numpy(np_dtype))
        if len(args) == 1 and isinstance(args[0], Tensor):
            return tensor(args[0], dtype=dtypes.from_numpy(np_dtype))
        return _filled(args, 0, dtypes.from_numpy(np_dtype), False, name)

    construct.__name__ = name
    return construct


FloatTensor = op(torch=True, estimate=estimates.legacy_factory)(
    _legacy_constructor(np.float32, "FloatTensor")
)
DoubleTensor = op(torch=True, estimate=estimates.legacy_factory)(
    _legacy_constructor(np.float64, "DoubleTensor")
)
LongTensor = op(torch=True, estimate=estimates.legacy_factory)(
    _legacy_constructor(np.int64, "LongTensor")
)
IntTensor = op(torch=True, estimate=estimates.legacy_factory)(
    _legacy_constructor(np.int32, "IntTensor")
)
BoolTensor = op(torch=True, estimate=estimates.legacy_factory)(
    _legacy_constructor(np.bool_, "BoolTensor")
)


def legacy_tensor(*args, **kwargs):
    """torch.Tensor(data) or torch.Tensor(*sizes): float32, as PyTorch's legacy constructor makes."""
    from engine.ops.arguments import _got

    if kwargs:
        raise TypeError(
            f"new() received an invalid combination of arguments - got {_got(args, kwargs)}, but "
            f"expected one of:"
        )
    if len(args) == 1 and isinstance(args[0], Tensor):
        from engine.tensor import _alias

        return _alias(args[0], "Tensor")
    if (
        len(args) == 1
        and isinstance(args[0], (int, float, bool))
        and not isinstance(args[0], int)
        or (len(args) == 1 and isinstance(args[0], bool))
    ):
        raise TypeError(f"new(): data must be a sequence (got {type(args[0]).__name__})")
    if len(args) == 1 and isinstance(args[0], str):
        raise TypeError("new(): invalid data type 'str'")
    if not args:
        return _filled((0,), 0, dtypes.float32, False, "Tensor")
    return FloatTensor(*args)


@op(operators=("__new__",))
def _construct(cls, *args, **kwargs):
    """torch.Tensor(...) calls the legacy constructor (Tensor._wrap makes tensors without it)."""
    return legacy_tensor(*args, **kwargs)


# -- Tensor.new_*: the same dtype as the tensor unless told otherwise ------------------------------


@op(method=True)
def new_tensor(self, data, dtype=None, device=None, requires_grad=False):
    return tensor(data, dtype=dtype or self.dtype, requires_grad=requires_grad)


@op(method=True, estimate=estimates.new_factory)
def new_zeros(self, *size, dtype=None, device=None, requires_grad=False):
    return _filled(size, 0, dtype or self.dtype, requires_grad, "new_zeros")


@op(method=True, estimate=estimates.new_factory)
def new_ones(self, *size, dtype=None, device=None, requires_grad=False):
    return _filled(size, 1, dtype or self.dtype, requires_grad, "new_ones")


@op(method=True, estimate=estimates.new_factory)
def new_empty(self, *size, dtype=None, device=None, requires_grad=False):
    return _filled(size, 0, dtype or self.dtype, requires_grad, "new_empty")


@op(method=True, estimate=estimates.new_factory)
def new_full(self, size, fill_value, dtype=None, device=None, requires_grad=False):
    if not isinstance(size, (tuple, list)):
        raise TypeError(
            f"new_full(): argument 'size' (position 1) must be tuple of ints, not {type(size).__name__}"
        )
    return _filled((size,), fill_value, dtype or self.dtype, requires_grad, "new_full")
