"""The random ops: factories (rand, randn, randint, randperm, normal, bernoulli), the in-place samplers
(uniform_, normal_, random_, bernoulli_, exponential_), F.dropout, seeding and torch.Generator's state.

The numbers are PyTorch's: engine/generator.py draws them from the same mt19937 stream with the same
kernels. A fresh tensor is filled in order; an existing one in its memory order (TensorIterator's),
which is how PyTorch fills a transposed view.
"""

import numpy as np

from engine import dtypes
from engine import generator as rng
from engine.autograd.function import Node
from engine.generator import Generator, default_generator
from engine.ops import arithmetic, estimates
from engine.ops.arguments import BadArgument
from engine.ops.core import broadcast_shape, connect, constant, needs_grad, wrap
from engine.ops.creation import _allocating, _factory, _size
from engine.ops.inplace import ZeroBackward0, _check_leaf, _check_overlap, _commit, _snapshot
from engine.ops.registry import op
from engine.tensor import Tensor

# -- seeding and state -----------------------------------------------------------------------


@op(torch=True)
def manual_seed(seed):
    return default_generator().manual_seed(int(seed))


@op(torch=True)
def seed():
    return default_generator().seed()


@op(torch=True)
def initial_seed():
    return default_generator().initial_seed()


def _state_tensor(generator):
    return wrap(
        np.frombuffer(generator._state_bytes(), dtype=np.uint8).copy(), None, "get_rng_state", ()
    )


def _load_state(generator, new_state):
    if not isinstance(new_state, Tensor) or new_state._data.dtype != np.uint8:
        raise TypeError("RNG state must be a torch.ByteTensor")
    generator._load_state_bytes(new_state._data.reshape(-1).tobytes())


@op(torch=True)
def get_rng_state():
    return _state_tensor(default_generator())


@op(torch=True)
def set_rng_state(new_state):
    _load_state(default_generator(), new_state)


def _generator_get_state(self):
    return _state_tensor(self)


def _generator_set_state(self, new_state):
    _load_state(self, new_state)
    return self


Generator.get_state = _generator_get_state
Generator.set_state = _generator_set_state


def _check_device(device):
    if device is not None and str(device) not in ("cpu", "cpu:0"):
        raise RuntimeError(
            f"gradtrace runs on the CPU only: device={str(device)!r} is not supported"
        )


def _generator(generator):
    if generator is None:
        return default_generator()
    if not isinstance(generator, Generator):
        raise BadArgument(f"generator must be torch.Generator, not {type(generator).__name__}")
    return generator


# -- where the values go ---------------------------------------------------------------------


def _memory_order(array):
    """The dims of `array` from the largest stride to the smallest (ties keep their order)."""
    return sorted(range(array.ndim), key=lambda d: -abs(array.strides[d]))


def _laid_out(values, like):
    """An array shaped like `like` whose elements, taken in like's memory order, are `values`."""
    if like.flags.c_contiguous:
        return values.reshape(like.shape)
    order = _memory_order(like)
    out = np.empty(like.shape, dtype=values.dtype)
    np.transpose(out, order)[...] = values.reshape([like.shape[d] for d in order])
    return out


def _fill(self, values, node_cls, op, inputs):
    """Write `values` (in memory order) into self, in place, with node_cls as its grad_fn."""
    node = connect(node_cls(), _snapshot(self)) if needs_grad(self) else None
    return _commit(self, _laid_out(values, self._data), node, op, inputs)


def _start_in_place(self):
    _check_leaf(self)
    _check_overlap(self)


def _number(x):
    """A double as PyTorch's C++ messages print it (std::ostream: 6 significant digits, 1 not 1.0)."""
    return format(float(x), "g")


def _check_floating(np_dtype, kernel):
    if np_dtype.kind != "f":
        raise NotImplementedError(
            f"\"{kernel}\" not implemented for '{dtypes.short_type_name(np_dtype)}'"
        )


def _float_dtype(dtype):
    return (dtype or dtypes.DEFAULT_FLOAT).np


# -- nodes: sampling has no gradient (PyTorch gives zeros) -----------------------------------


class UniformBackward0(ZeroBackward0):
    __slots__ = ()


class NormalBackward0(ZeroBackward0):
    __slots__ = ()


class RandomBackward0(ZeroBackward0):
    """random_(from, to)."""

    __slots__ = ()


class RandomBackward1(ZeroBackward0):
    """random_(to)."""

    __slots__ = ()


class RandomBackward2(ZeroBackward0):
    """random_()."""

    __slots__ = ()


class BernoulliBackward1(Node):
    """bernoulli_(p_tensor): zeros for self and for p."""

    __slots__ = ()
    saves_tensors = False

    def backward(self, grad):
        (p_shape, p_dtype) = self.saved
        return np.zeros_like(grad), np.zeros(p_shape, dtype=p_dtype)

    def graph_backward(self, grad):
        return tuple(constant(g) for g in self.backward(grad._data))


class BernoulliBackward2(ZeroBackward0):
    """bernoulli_(p_float)."""

    __slots__ = ()


class ExponentialBackward0(ZeroBackward0):
    __slots__ = ()


class _ZeroGradients(Node):
    """Factories of random values from tensors: each input gets a zero gradient of its shape."""

    __slots__ = ()
    saves_tensors = False

    def backward(self, grad):
        return tuple(np.zeros(shape, dtype=dtype) for shape, dtype in self.saved)

    def graph_backward(self, grad):
        return tuple(constant(g) for g in self.backward(grad._data))


class BernoulliBackward0(_ZeroGradients):
    __slots__ = ()


class NormalBackward1(_ZeroGradients):
    """normal(mean_tensor, std_float)."""

    __slots__ = ()


class NormalBackward2(_ZeroGradients):
    """normal(mean_float, std_tensor)."""

    __slots__ = ()


class NormalBackward3(_ZeroGradients):
    """normal(mean_tensor, std_tensor)."""

    __slots__ = ()


def _sampled(data, node_cls, op, inputs):
    tensors = [t for t in inputs if isinstance(t, Tensor)]
    node = None
    if needs_grad(*tensors):
        node = connect(node_cls(), *tensors)
        node.save(*[(t._data.shape, t._data.dtype) for t in tensors])
    return wrap(data, node, op, inputs)


# -- in-place samplers -----------------------------------------------------------------------


@op(method=True)
def uniform_(self, a=0, b=1, *, generator=None):
    _check_floating(self._data.dtype, "check_uniform_bounds")
    if a > b:
        raise RuntimeError(
            f"uniform_ expects to return a [from, to) range, but found from={_number(a)} > "
            f"to={_number(b)}"
        )
    _start_in_place(self)
    values = rng.uniform(_generator(generator), self._data.size, self._data.dtype, a, b)
    return _fill(self, values, UniformBackward0, "uniform_", (self,))


def _check_std(std):
    if std < 0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {_number(std)}")


@op(method=True)
def normal_(self, mean=0, std=1, *, generator=None):
    _check_floating(self._data.dtype, "normal_kernel_cpu")
    _check_std(std)
    _start_in_place(self)
    values = rng.normal(
        _generator(generator),
        self._data.size,
        self._data.dtype,
        mean,
        std,
        contiguous=self._data.flags.c_contiguous,
    )
    return _fill(self, values, NormalBackward0, "normal_", (self,))


def _bounds(np_dtype):
    """The inclusive range random_ may produce for a dtype, and PyTorch's name for the dtype."""
    if np_dtype == np.bool_:
        return 0, 1, "bool"
    if np_dtype.kind == "f":
        digits = {2: 11, 4: 24, 8: 53}[np_dtype.itemsize]
        return (
            -(1 << digits),
            1 << digits,
            {2: "c10::Half", 4: "float", 8: "double"}[np_dtype.itemsize],
        )
    info = np.iinfo(np_dtype)
    names = {
        "uint8": "unsigned char",
        "int8": "signed char",
        "int16": "short",
        "int32": "int",
        "int64": "int64_t",
    }
    return int(info.min), int(info.max), names[np_dtype.name]


def _check_range(low, high, np_dtype):
    if low >= high:
        raise RuntimeError(
            f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}"
        )
    lowest, highest, name = _bounds(np_dtype)
    if low < lowest or low > highest:
        raise RuntimeError(f"from is out of bounds for {name}")
    if high - 1 < lowest or high - 1 > highest:
        raise RuntimeError(f"to - 1 is out of bounds for {name}")


def _as_bound(value, what):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise BadArgument(f"random_(): argument '{what}' must be int")
    return int(value)


@op(method=True)
def random_(self, *args, generator=None, **kwargs):
    """random_(), random_(to), random_(from, to): from `from` up to `to` - 1."""
    names = ("from", "to")
    bounds = dict(zip(names, args)) if len(args) != 1 else {"to": args[0]}
    for key, value in kwargs.items():
        if key not in names or key in bounds:
            raise TypeError(f"random_() got an unexpected keyword argument '{key}'")
        bounds[key] = value
    if len(args) > 2:
        raise TypeError(
            f"random_() takes from 0 to 2 positional arguments but {len(args)} were given"
        )
    gen = _generator(generator)
    _start_in_place(self)
    n, np_dtype = self._data.size, self._data.dtype
    if not bounds:
        values, node_cls = rng.random_full(gen, n, np_dtype), RandomBackward2
    else:
        low = _as_bound(bounds.get("from", 0), "from")
        high = bounds.get("to")
        if high is None:  # random_(from, None): up to the dtype's largest value
            lowest, highest, _ = _bounds(np_dtype)
            if not lowest <= low <= highest:
                raise RuntimeError(f"from is out of bounds for {_bounds(np_dtype)[2]}")
            if np_dtype == np.int64 and low == lowest:
                words = rng.random64(gen, n)
                values = words.view(np.int64).copy()
            else:
                values = rng.random_from_to(gen, n, low, highest - low + 1, np_dtype)
        else:
            high = _as_bound(high, "to")
            _check_range(low, high, np_dtype)
            values = rng.random_from_to(gen, n, low, high - low, np_dtype)
        node_cls = RandomBackward0 if "from" in bounds else RandomBackward1
    return _fill(self, values, node_cls, "random_", (self,))


def _check_p(p):
    if not 0 <= p <= 1:
        raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={_number(p)}")


def _check_p_tensor(p):
    if p.size and not ((p >= 0) & (p <= 1)).all():
        raise RuntimeError(
            "Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error message "
            "be improved?  If so, please report an enhancement request to PyTorch.)"
        )


def _bernoulli_values(gen, target, p):
    """bernoulli_kernel with a tensor p (broadcast to the target), in the target's memory order."""
    p = np.transpose(np.broadcast_to(p, target.shape), _memory_order(target))
    return rng.bernoulli_tensor(gen, np.ascontiguousarray(p)).reshape(-1)


def _check_expands_to(p, shape):
    """expand_inplace(self, p): p must expand to self's shape, with expand's errors."""
    if p.ndim > len(shape):
        raise RuntimeError(
            f"expand({dtypes.legacy_type_name(p.dtype)}{{[{', '.join(map(str, p.shape))}]}}, "
            f"size=[{', '.join(map(str, shape))}]): the number of sizes provided ({len(shape)}) must "
            f"be greater or equal to the number of dimensions in the tensor ({p.ndim})"
        )
    for i in range(1, p.ndim + 1):
        if p.shape[-i] not in (1, shape[-i]):
            raise RuntimeError(
                f"The expanded size of the tensor ({shape[-i]}) must match the existing size "
                f"({p.shape[-i]}) at non-singleton dimension {len(shape) - i}.  Target sizes: "
                f"[{', '.join(map(str, shape))}].  Tensor sizes: [{', '.join(map(str, p.shape))}]"
            )


@op(method=True)
def bernoulli_(self, p=0.5, *, generator=None):
    gen = _generator(generator)
    if isinstance(p, Tensor):
        _check_floating(p._data.dtype, "bernoulli_tensor_cpu_p_")
        _check_p_tensor(p._data)
        _check_expands_to(p._data, self._data.shape)
        _start_in_place(self)
        values = _bernoulli_values(gen, self._data, p._data)
        node = None
        if needs_grad(self, p):
            node = connect(BernoulliBackward1(), _snapshot(self), p)
            node.save(p._data.shape, p._data.dtype)
        return _commit(self, _laid_out(values, self._data), node, "bernoulli_", (self, p))
    _check_p(p)
    _start_in_place(self)
    values = rng.bernoulli_scalar(gen, self._data.size, p)
    return _fill(self, values, BernoulliBackward2, "bernoulli_", (self,))


@op(method=True)
def exponential_(self, lambd=1, *, generator=None):
    _check_floating(self._data.dtype, "exponential_cpu")
    if not lambd > 0:
        raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={_number(lambd)}")
    _start_in_place(self)
    values = rng.exponential(_generator(generator), self._data.size, lambd)
    return _fill(
        self, rng.narrow(values, self._data.dtype), ExponentialBackward0, "exponential_", (self,)
    )


# -- factories -------------------------------------------------------------------------------


def _new(shape, np_dtype, requires_grad, op, sample):
    _allocating(shape)
    data = sample(int(np.prod(shape, dtype=np.int64))).reshape(shape)
    return _factory(data, op, (), requires_grad)


def _shape(sizes, size):
    """The shape from `rand(2, 3)`, `rand((2, 3))` or `rand(size=(2, 3))` (not both)."""
    if size is not None:
        if sizes:
            raise BadArgument("size given twice")
        sizes = (size,)
    return _size(sizes)


@op(torch=True, estimate=estimates.factory)
def rand(*sizes, size=None, generator=None, dtype=None, device=None, requires_grad=False):
    _check_device(device)
    np_dtype = _float_dtype(dtype)
    _check_floating(np_dtype, "check_uniform_bounds")
    gen = _generator(generator)
    return _new(
        _shape(sizes, size),
        np_dtype,
        requires_grad,
        "rand",
        lambda n: rng.uniform(gen, n, np_dtype),
    )


@op(torch=True, estimate=estimates.factory)
def randn(*sizes, size=None, generator=None, dtype=None, device=None, requires_grad=False):
    _check_device(device)
    np_dtype = _float_dtype(dtype)
    _check_floating(np_dtype, "normal_kernel_cpu")
    gen = _generator(generator)
    return _new(
        _shape(sizes, size),
        np_dtype,
        requires_grad,
        "randn",
        lambda n: rng.normal(gen, n, np_dtype),
    )


def _bind_randint(args, keywords):
    """PyTorch's two overloads, randint(high, size) and randint(low, high, size), tried in turn."""
    for names in (("high", "size"), ("low", "high", "size")):
        if len(args) > len(names) or ("low" in keywords and "low" not in names):
            continue
        bound = dict(zip(names, args))
        if any(name in bound for name in keywords):
            continue
        bound.update(keywords)
        if "high" not in bound or "size" not in bound:
            continue
        if not isinstance(bound["size"], (tuple, list)):
            if len(args) == len(names):
                raise TypeError(
                    f"randint(): argument 'size' (position {len(names)}) must be tuple of ints, "
                    f"not {type(bound['size']).__name__}"
                )
            continue
        return bound.get("low", 0), bound["high"], bound["size"]
    raise BadArgument("randint: no overload fits")


@op(torch=True, estimate=estimates.randint)
def randint(
    *args,
    low=None,
    high=None,
    size=None,
    generator=None,
    dtype=None,
    device=None,
    requires_grad=False,
):
    """randint(high, size) or randint(low, high, size), any of them as keywords."""
    _check_device(device)
    keywords = {k: v for k, v in (("low", low), ("high", high), ("size", size)) if v is not None}
    low, high, size = _bind_randint(args, keywords)
    np_dtype = (dtype or dtypes.int64).np
    low, high = _as_bound(low, "low"), _as_bound(high, "high")
    _check_range(low, high, np_dtype)
    gen = _generator(generator)
    return _new(
        _size((size,)),
        np_dtype,
        requires_grad,
        "randint",
        lambda n: rng.random_from_to(gen, n, low, high - low, np_dtype),
    )


@op(torch=True, estimate=estimates.randperm)
def randperm(n, *, generator=None, dtype=None, device=None, requires_grad=False):
    _check_device(device)
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise BadArgument(f"randperm(): argument 'n' must be int, not {type(n).__name__}")
    if n < 0:
        raise RuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    np_dtype = (dtype or dtypes.int64).np
    gen = _generator(generator)
    return _new(
        (int(n),),
        np_dtype,
        requires_grad,
        "randperm",
        lambda k: rng.randperm(gen, k).astype(np_dtype),
    )


def _like(input, dtype, requires_grad, op, kernel, sample):
    """rand_like/randn_like: a new tensor laid out like input (memory_format=preserve), then sampled."""
    np_dtype = (dtype or input.dtype).np
    _check_floating(np_dtype, kernel)
    _allocating(input._data.shape)
    layout = np.empty_like(input._data, dtype=np_dtype)
    values = sample(layout.size, np_dtype, layout.flags.c_contiguous)
    return _factory(_laid_out(values, layout), op, (), requires_grad)


@op(torch=True)
def rand_like(input, *, generator=None, dtype=None, device=None, requires_grad=False):
    _check_device(device)
    gen = _generator(generator)
    return _like(
        input,
        dtype,
        requires_grad,
        "rand_like",
        "check_uniform_bounds",
        lambda n, np_dtype, contiguous: rng.uniform(gen, n, np_dtype),
    )


@op(torch=True)
def randn_like(input, *, generator=None, dtype=None, device=None, requires_grad=False):
    _check_device(device)
    gen = _generator(generator)
    return _like(
        input,
        dtype,
        requires_grad,
        "randn_like",
        "normal_kernel_cpu",
        lambda n, np_dtype, contiguous: rng.normal(gen, n, np_dtype, contiguous=contiguous),
    )


@op(torch=True)
def randint_like(
    input, low=0, high=None, *, generator=None, dtype=None, device=None, requires_grad=False
):
    _check_device(device)
    if high is None:
        low, high = 0, low
    np_dtype = (dtype or input.dtype).np
    low, high = _as_bound(low, "low"), _as_bound(high, "high")
    _check_range(low, high, np_dtype)
    gen = _generator(generator)
    _allocating(input._data.shape)
    layout = np.empty_like(input._data, dtype=np_dtype)
    values = rng.random_from_to(gen, layout.size, low, high - low, np_dtype)
    return _factory(_laid_out(values, layout), "randint_like", (), requires_grad)


@op(torch=True, estimate=estimates.normal)
def normal(
    mean, std=1.0, size=None, *, generator=None, dtype=None, device=None, requires_grad=False
):
    """torch.normal's four forms: (Tensor, Tensor), (Tensor, float), (float, Tensor), (float, float, size)."""
    _check_device(device)
    gen = _generator(generator)
    mean_is_tensor, std_is_tensor = isinstance(mean, Tensor), isinstance(std, Tensor)
    if not mean_is_tensor and not std_is_tensor:
        if size is None:
            raise BadArgument("normal with two floats needs a size")
        _check_std(std)
        np_dtype = _float_dtype(dtype)
        _check_floating(np_dtype, "normal_kernel_cpu")
        return _new(
            _size((size,)),
            np_dtype,
            requires_grad,
            "normal",
            lambda n: rng.normal(gen, n, np_dtype, mean, std),
        )
    if size is not None or dtype is not None or requires_grad:
        raise BadArgument(
            "size=, dtype= and requires_grad= go with a float mean and a float std only"
        )
    if std_is_tensor:
        if std._data.size and (std._data < 0).any():
            raise RuntimeError("normal expects all elements of std >= 0.0")
    else:
        _check_std(std)
    like = mean if mean_is_tensor else std
    np_dtype = like._data.dtype
    _check_floating(np_dtype, "normal_kernel_cpu")
    shape = like._data.shape
    if mean_is_tensor and std_is_tensor:
        shape = broadcast_shape(mean._data.shape, std._data.shape)
    _allocating(shape)
    n = int(np.prod(shape, dtype=np.int64))
    if mean_is_tensor and not std_is_tensor:  # normal_(0, std) then add_(mean)
        data = rng.normal(gen, n, np_dtype, 0.0, std).reshape(shape)
        data = (data + mean._data).astype(np_dtype)
        node_cls = NormalBackward1
    else:  # normal_(0, 1), then mul_(std), then add_(mean)
        data = rng.normal(gen, n, np_dtype).reshape(shape)
        data = (data * np.asarray(std._data, np_dtype)).astype(np_dtype)
        data = (data + (mean._data if mean_is_tensor else np_dtype.type(mean))).astype(np_dtype)
        node_cls = NormalBackward3 if mean_is_tensor else NormalBackward2
    return _sampled(data, node_cls, "normal", (mean, std))


@op(torch=True)
def bernoulli(input, p=None, *, generator=None):
    """bernoulli(input): each element 1 with probability input; bernoulli(input, p): with probability p."""
    gen = _generator(generator)
    data = input._data
    _allocating(data.shape)
    layout = np.empty_like(data)
    if p is None:
        _check_floating(data.dtype, "bernoulli_tensor_cpu_p_")
        _check_p_tensor(data)
        values = _bernoulli_values(gen, layout, data)
        node_cls = BernoulliBackward0
    else:
        _check_p(p)
        values = rng.bernoulli_scalar(gen, data.size, p)
        node_cls = NotImplementedBackward
    return _sampled(_laid_out(values, layout).astype(data.dtype), node_cls, "bernoulli", (input,))


class NotImplementedBackward(Node):
    """PyTorch has no derivative for bernoulli(input, p): its grad_fn is NotImplemented."""

    __slots__ = ()
    saves_tensors = False

    def name(self):
        return "NotImplemented"

    def __repr__(self):
        return f"<NotImplemented object at {hex(id(self))}>"

    def backward(self, grad):
        raise RuntimeError("the derivative for 'bernoulli' is not implemented.")

    graph_backward = backward


@op(method="bernoulli")
def bernoulli_method(self, p=None, *, generator=None):
    return bernoulli(self, p, generator=generator)


# -- dropout ---------------------------------------------------------------------------------


@op(functional=True)
def dropout(input, p=0.5, training=True, inplace=False):
    """F.dropout on the CPU: a bernoulli_(1 - p) mask divided by 1 - p, multiplied in (MulBackward0)."""
    if not 0 <= p <= 1:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0 or input._data.size == 0:
        return input
    if p == 1:
        zero = wrap(np.zeros((), dtype=input._data.dtype), None, "zeros", ())
        return input.mul_(zero) if inplace else arithmetic.mul(input, zero)
    _check_floating(input._data.dtype, "bernoulli_scalar_cpu_")
    keep = 1 - p
    layout = np.empty_like(input._data)
    mask = _laid_out(
        rng.bernoulli_scalar(default_generator(), layout.size, keep).astype(layout.dtype), layout
    )
    if (
        layout.dtype == np.float16
    ):  # div_ by a scalar on Half multiplies by its reciprocal, taken in float
        scaled = mask * np.float16(np.float32(1) / np.float32(keep))
    else:
        scaled = mask / layout.dtype.type(keep)
    noise = wrap(scaled, None, "dropout_mask", ())
    return input.mul_(noise) if inplace else arithmetic.mul(input, noise)
