"""The standard modules courses import beside torch — math, random, collections, copy and a small
part of numpy — as the program sees them: a proxy per module exporting a few names, each safe or
wrapped with the limits.

`random` is a `random.Random` of the run's own, seeded the same way every run (so a program gives
the same numbers each time, and `random.seed(n)` gives CPython's numbers for n).
"""

from __future__ import annotations

import collections
import copy
import math
import operator
import random
import types

import numpy as np

from engine.ops import estimates
from engine.runner.limits import LimitError
from engine.runner.policy import Builtin, ModuleProxy

RANDOM_SEED = 0
MATH_NAMES = (
    "pi",
    "e",
    "tau",
    "inf",
    "nan",
    "sqrt",
    "exp",
    "log",
    "log2",
    "log10",
    "log1p",
    "expm1",
    "sin",
    "cos",
    "tan",
    "asin",
    "acos",
    "atan",
    "atan2",
    "sinh",
    "cosh",
    "tanh",
    "floor",
    "ceil",
    "trunc",
    "fabs",
    "isnan",
    "isinf",
    "isfinite",
    "isclose",
    "erf",
    "erfc",
    "gamma",
    "lgamma",
    "hypot",
    "degrees",
    "radians",
    "copysign",
    "fmod",
    "gcd",
)
MAX_FACTORIAL = 1_000


def module(interp, name: str) -> ModuleProxy | None:
    """The importable standard module `name` of one run (made when first imported), or None."""
    make = {
        "math": _math,
        "random": _random,
        "collections": _collections,
        "copy": _copy,
        "numpy": _numpy,
    }.get(name)
    return None if make is None else make(interp)


def _builtin(name, impl) -> Builtin:
    if isinstance(impl, types.FunctionType):  # so argument errors read "seed() takes ..."
        impl.__name__ = impl.__qualname__ = name
    return Builtin(name, impl)


def _math(interp) -> ModuleProxy:
    exported = {name: getattr(math, name) for name in MATH_NAMES}
    for name, value in list(exported.items()):
        if callable(value):
            exported[name] = _builtin(name, value)

    def factorial(n):
        n = operator.index(n)
        if n > MAX_FACTORIAL:
            raise LimitError(f"math.factorial argument too large (limit {MAX_FACTORIAL:,})")
        return math.factorial(n)

    def prod(iterable, *, start=1):
        from ast import Mult

        total = start
        for item in interp.materialize(iterable):
            total = interp.binary(Mult(), total, item)
        return total

    def fsum(iterable):
        return math.fsum(interp.materialize(iterable))

    def _pow(x, y):
        return math.pow(x, y)

    exported.update(
        factorial=_builtin("factorial", factorial),
        prod=_builtin("prod", prod),
        fsum=_builtin("fsum", fsum),
        pow=_builtin("pow", _pow),
    )
    return ModuleProxy.of("math", exported)


def _random(interp) -> ModuleProxy:
    generator = random.Random(RANDOM_SEED)
    budget = interp.budget

    def seed(a=None):
        if a is None:
            raise TypeError(
                "random.seed() needs a seed in gradtrace programs (runs are repeatable)"
            )
        if not isinstance(a, (int, float, str)):
            raise TypeError(
                "The only supported seed types are: None, int, float, str, bytes, and bytearray."
            )
        generator.seed(a)

    def choices(population, weights=None, *, cum_weights=None, k=1):
        budget.check_sequence(operator.index(k))
        return interp.new_container(
            generator.choices(interp.materialize(population), weights, cum_weights=cum_weights, k=k)
        )

    def sample(population, k, *, counts=None):
        if counts is not None:
            raise TypeError("random.sample(counts=...) is not supported in gradtrace programs")
        budget.check_sequence(operator.index(k))
        items = population if isinstance(population, range) else interp.materialize(population)
        return interp.new_container(generator.sample(items, k))

    def shuffle(sequence):
        if not isinstance(sequence, list):
            raise TypeError(f"'{type(sequence).__name__}' object does not support item assignment")
        generator.shuffle(sequence)

    def choice(sequence):
        if not isinstance(sequence, (list, tuple, str, range)):
            raise TypeError(f"object of type '{type(sequence).__name__}' has no len()")
        return generator.choice(sequence)

    exported = {
        "seed": _builtin("seed", seed),
        "choices": _builtin("choices", choices),
        "sample": _builtin("sample", sample),
        "shuffle": _builtin("shuffle", shuffle),
        "choice": _builtin("choice", choice),
    }
    for name in (
        "random",
        "uniform",
        "randint",
        "randrange",
        "gauss",
        "normalvariate",
        "expovariate",
        "betavariate",
        "triangular",
    ):
        exported[name] = _builtin(name, getattr(generator, name))
    return ModuleProxy.of("random", exported)


def _collections(interp) -> ModuleProxy:
    def namedtuple(typename, field_names, *, defaults=None):
        return _namedtuple(interp, typename, field_names, defaults)

    def defaultdict(default_factory=None, *args, **kwargs):
        if default_factory is not None and not interp.callable(default_factory):
            raise TypeError("first argument must be callable or None")
        if isinstance(default_factory, Builtin) and default_factory.name in interp.type_builtins:
            default_factory = interp.type_builtins[default_factory.name]  # prints as <class 'list'>
        result = collections.defaultdict(
            default_factory,
            *(interp.materialize(a) if not isinstance(a, dict) else a for a in args),
            **kwargs,
        )
        return interp.new_container(result)

    def ordered_dict(*args, **kwargs):
        return interp.new_container(
            collections.OrderedDict(interp.builtins["dict"].impl(*args, **kwargs))
        )

    exported = {
        "namedtuple": _builtin("namedtuple", namedtuple),
        "defaultdict": _builtin("defaultdict", defaultdict),
        "OrderedDict": _builtin("OrderedDict", ordered_dict),
    }
    interp.type_builtins.update(
        {"defaultdict": collections.defaultdict, "OrderedDict": collections.OrderedDict}
    )
    return ModuleProxy.of("collections", exported)


def _namedtuple(interp, typename, field_names, defaults):
    """A tuple subclass with named fields, made without exec (collections.namedtuple evals code)."""
    if isinstance(field_names, str):
        field_names = field_names.replace(",", " ").split()
    fields = tuple(interp.materialize(field_names))
    for name in (typename, *fields):
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"Type names and field names must be valid identifiers: {name!r}")
        if "__" in name:
            raise ValueError(f"Field names cannot start with an underscore: {name!r}")
    for name in fields:
        if name.startswith("_"):
            raise ValueError(f"Field names cannot start with an underscore: {name!r}")
    if len(set(fields)) != len(fields):
        raise ValueError(f"Encountered duplicate field name: {fields[-1]!r}")
    defaults = tuple(interp.materialize(defaults)) if defaults is not None else ()
    if len(defaults) > len(fields):
        raise TypeError("Got more default values than field names")
    first_default = len(fields) - len(defaults)

    def __new__(cls, *args, **kwargs):
        if len(args) > len(fields):
            raise TypeError(
                f"{typename}.__new__() takes {len(fields) + 1} positional arguments "
                f"but {len(args) + 1} were given"
            )
        values = dict(zip(fields, args))
        for key, value in kwargs.items():
            if key not in fields:
                raise TypeError(f"{typename}.__new__() got an unexpected keyword argument '{key}'")
            if key in values:
                raise TypeError(f"{typename}.__new__() got multiple values for argument '{key}'")
            values[key] = value
        missing = [f for i, f in enumerate(fields) if f not in values and i < first_default]
        if missing:
            from engine.runner.functions import _quoted

            raise TypeError(
                f"{typename}.__new__() missing {len(missing)} required positional "
                f"argument{'s' if len(missing) > 1 else ''}: {_quoted(missing)}"
            )
        return tuple.__new__(
            cls,
            [
                values.get(f, defaults[i - first_default] if i >= first_default else None)
                for i, f in enumerate(fields)
            ],
        )

    def __repr__(self):
        return f"{typename}(" + ", ".join(f"{f}={v!r}" for f, v in zip(fields, self)) + ")"

    namespace = {
        "__slots__": (),
        "_fields": fields,
        "__new__": __new__,
        "__repr__": __repr__,
        "__module__": "__main__",
    }
    for index, name in enumerate(fields):
        namespace[name] = property(operator.itemgetter(index))
    cls = type(typename, (tuple,), namespace)
    interp.data_classes.add(cls)
    return cls


def _copy(interp) -> ModuleProxy:
    def deepcopy(value):
        result = copy.deepcopy(value)
        return interp.account(result)

    def shallow(value):
        if isinstance(value, interp.ns.Tensor):
            raise TypeError(
                "copy.copy of a tensor is not supported in gradtrace programs; use "
                "t.clone() or copy.deepcopy(t)"
            )
        return interp.account(copy.copy(value))

    return ModuleProxy.of(
        "copy", {"deepcopy": _builtin("deepcopy", deepcopy), "copy": _builtin("copy", shallow)}
    )


# -- numpy: the small part courses use beside torch ---------------------------------------------
NUMPY_DTYPES = (
    "float16",
    "float32",
    "float64",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "bool_",
)
NUMERIC_KINDS = "biuf"


def numeric_array(array):
    """Arrays of numbers and booleans only: an object array would run Python operators unchecked."""
    if isinstance(array, np.ndarray) and array.dtype.kind not in NUMERIC_KINDS:
        raise TypeError(
            f"numpy arrays of {array.dtype} are not supported in gradtrace programs "
            f"(only numbers and booleans)"
        )
    return array


def _numpy(interp) -> ModuleProxy:
    budget = interp.budget
    state = np.random.RandomState(RANDOM_SEED)

    def sized(numel: int) -> None:
        budget.check_tensor(numel)
        budget.add_elements(numel)

    def shape_of(size) -> tuple:
        if size is None:
            return ()
        return tuple(interp.materialize(size)) if isinstance(size, (list, tuple)) else (size,)

    def count(shape) -> int:
        return estimates.prod(operator.index(s) for s in shape)

    def dtype_of(dtype):
        if dtype is None or dtype in (int, float, bool):
            return dtype
        if isinstance(dtype, Builtin) and dtype.name in ("int", "float", "bool"):
            return {"int": np.int64, "float": np.float64, "bool": np.bool_}[dtype.name]
        if isinstance(dtype, type) and dtype.__name__ in NUMPY_DTYPES + ("bool",):
            return dtype
        if isinstance(dtype, str) and dtype in NUMPY_DTYPES + ("bool", "float", "int"):
            return dtype
        raise TypeError(f"data type {dtype!r} is not supported in gradtrace programs")

    def array(obj, dtype=None):
        if isinstance(obj, interp.ns.Tensor):
            obj = obj.numpy()
        elif isinstance(obj, (list, tuple, range)):
            interp.budget.check_weight(interp.weight(obj))
        elif not isinstance(obj, (int, float, bool, np.ndarray, np.generic)):
            raise TypeError(
                f"np.array of a {type(obj).__name__} is not supported in gradtrace programs"
            )
        result = numeric_array(np.array(obj, dtype=dtype_of(dtype)))
        budget.add_elements(result.size)
        return result

    def arange(*args, dtype=None):
        sized(estimates.arange(args, {}))
        return np.arange(*args, dtype=dtype_of(dtype))

    def linspace(start, stop, num=50, endpoint=True, dtype=None):
        sized(operator.index(num))
        return np.linspace(start, stop, num, endpoint=endpoint, dtype=dtype_of(dtype))

    def filled(fill):
        def make(shape, dtype=None):
            shape = shape_of(shape)
            sized(count(shape))
            return np.full(shape, fill, dtype=dtype_of(dtype) or np.float64)

        return make

    def rand(*shape):
        sized(count(shape))
        return state.rand(*shape)

    def randn(*shape):
        sized(count(shape))
        return state.randn(*shape)

    def randint(low, high=None, size=None, dtype=int):
        sized(count(shape_of(size)) or 1)
        return state.randint(low, high, size, dtype=dtype_of(dtype))

    def sampler(name):
        method = getattr(state, name)

        def sample(a=None, b=None, size=None):
            sized(count(shape_of(size)) or 1)
            args = [v for v in (a, b) if v is not None]
            return method(*args, size=size)

        return sample

    def seed(value):
        state.seed(operator.index(value))

    random_module = ModuleProxy.of(
        "numpy.random",
        {
            "seed": _builtin("seed", seed),
            "rand": _builtin("rand", rand),
            "randn": _builtin("randn", randn),
            "randint": _builtin("randint", randint),
            "normal": _builtin("normal", sampler("normal")),
            "uniform": _builtin("uniform", sampler("uniform")),
        },
    )
    exported = {
        "array": _builtin("array", array),
        "arange": _builtin("arange", arange),
        "linspace": _builtin("linspace", linspace),
        "zeros": _builtin("zeros", filled(0)),
        "ones": _builtin("ones", filled(1)),
        "random": random_module,
        "pi": np.pi,
        "e": np.e,
        "ndarray": np.ndarray,
    }
    for name in NUMPY_DTYPES:
        exported[name] = getattr(np, name)
        interp.extra_callables.add(id(exported[name]))
    exported["bool"] = np.bool_
    return ModuleProxy.of("numpy", exported)
