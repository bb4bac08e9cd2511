"""The runner's builtins, and the size checks made before a torch function or tensor method runs.

The engine also calls `Tracer.allocating` before it allocates; these checks catch what is cheaper
to refuse from the arguments alone (factories, expand/repeat, broadcasting, matmul, indexing).
"""
from __future__ import annotations

import math
import operator

import numpy as np

from engine.runner.limits import LimitError
from engine.runner.policy import Builtin, Method

SIZE_FACTORIES = frozenset({"zeros", "ones", "empty", "rand", "randn", "Tensor", "FloatTensor",
                            "DoubleTensor", "LongTensor", "IntTensor", "BoolTensor", "ByteTensor"})
NEW_FACTORIES = frozenset({"new_zeros", "new_ones", "new_empty", "new_full"})
MATMULS = frozenset({"matmul", "mm", "bmm", "mv", "__matmul__"})


# -- size estimates -------------------------------------------------------------------------
def _prod(sizes) -> int:
    n = 1
    for s in sizes:
        n *= max(int(s), 0)
    return n


def _is_int(x) -> bool:
    return isinstance(x, (int, np.integer))


def _sizes(args, kwargs):
    """The size a factory was given: `size=`, a tuple/list/Size first argument, or leading ints."""
    if "size" in kwargs:
        size = kwargs["size"]
        return tuple(size) if isinstance(size, (tuple, list)) else (size,)
    if args and isinstance(args[0], (tuple, list)):
        return tuple(args[0])
    sizes = []
    for a in args:
        if not _is_int(a):
            break
        sizes.append(a)
    return tuple(sizes)


def _ints(values):
    return [int(v) for v in values if _is_int(v)]


def _shape(x):
    return tuple(x.shape) if hasattr(x, "shape") and not isinstance(x, (int, float)) else ()


def matmul_numel(a, b) -> int:
    sa, sb = _shape(a), _shape(b)
    if len(sa) < 2 or len(sb) < 2:
        return max(_prod(sa), _prod(sb))
    try:
        batch = np.broadcast_shapes(sa[:-2], sb[:-2])
    except ValueError:
        return 0
    return _prod(batch) * sa[-2] * sb[-1]


JOINS = frozenset({"cat", "concat", "concatenate", "stack", "hstack", "vstack", "dstack"})
KNOWN = SIZE_FACTORIES | NEW_FACTORIES | MATMULS | JOINS | {
    "full", "randint", "arange", "range", "linspace", "logspace", "eye", "expand", "broadcast_to",
    "view", "reshape", "repeat", "tile", "repeat_interleave", "outer", "ger", "kron", "cartesian_prod"}


def estimate(name: str, owner, args, kwargs) -> int:
    """An upper estimate of the elements the call allocates (0 when unknown)."""
    if name not in KNOWN:
        # elementwise ops of several tensors: the broadcast shape
        shapes = [a._data.shape for a in ((owner,) if owner is not None else ()) + tuple(args)
                  if hasattr(a, "_data")]
        if len(shapes) < 2:
            return 0
        numel = _prod(shapes[0])
        for shape in shapes[1:]:
            numel = max(numel, _broadcast_numel(shapes[0], shape), _prod(shape))
        return numel
    if name in JOINS:
        tensors = args[0] if args and isinstance(args[0], (list, tuple)) else kwargs.get("tensors", ())
        return sum(_prod(t._data.shape) for t in tensors if hasattr(t, "_data"))
    if name in SIZE_FACTORIES:
        if name.endswith("Tensor") and args and not all(_is_int(a) for a in args):
            return 0  # torch.Tensor(data): the data is already bounded
        return _prod(_ints(_sizes(args, kwargs)))
    if name == "full":
        return _prod(_ints(_sizes(args[:1], kwargs)))
    if name == "randint":
        sizes = [a for a in args if isinstance(a, (tuple, list))] or [kwargs.get("size", ())]
        return _prod(_ints(sizes[0]))
    if name in ("arange", "range"):
        numbers = [float(a) for a in args if isinstance(a, (int, float))]
        start, end, step = 0.0, 0.0, float(kwargs.get("step", 1) or 1)
        if len(numbers) == 1:
            end = numbers[0]
        elif len(numbers) >= 2:
            start, end = numbers[:2]
            if len(numbers) >= 3 and numbers[2]:
                step = numbers[2]
        span = (end - start) / step
        return int(math.ceil(span)) if math.isfinite(span) and span > 0 else 0
    if name in ("linspace", "logspace"):
        steps = kwargs.get("steps", args[2] if len(args) > 2 else 0)
        return int(steps) if _is_int(steps) else 0
    if name == "eye":
        ints = _ints(list(args[:2]) + [kwargs[k] for k in ("n", "m") if k in kwargs])
        return ints[0] * (ints[1] if len(ints) > 1 else ints[0]) if ints else 0
    if owner is not None:
        numel = _prod(owner.shape)
        if name in NEW_FACTORIES:
            return _prod(_ints(_sizes(args, kwargs)))
        if name in ("expand", "broadcast_to", "view", "reshape"):
            sizes = _sizes(args, kwargs)
            return _prod(abs(s) for s in _ints(sizes)) if name.startswith(("expand", "broad")) else 0
        if name in ("repeat", "tile"):
            return numel * _prod(_ints(_sizes(args, kwargs)))
        if name == "repeat_interleave":
            repeats = args[0] if args else kwargs.get("repeats", 1)
            return numel * int(repeats) if _is_int(repeats) else 0
        if name in MATMULS and args:
            return matmul_numel(owner, args[0])
    elif name in MATMULS and len(args) >= 2:
        return matmul_numel(args[0], args[1])
    if name in ("outer", "ger", "kron", "cartesian_prod"):
        tensors = [a for a in ((owner,) if owner is not None else ()) + tuple(args) if hasattr(a, "shape")]
        return _prod(_prod(t.shape) for t in tensors)
    if name == "broadcast_to" and len(args) >= 2:
        return _prod(abs(s) for s in _ints(_sizes(args[1:], kwargs)))
    return 0


def check_call(interp, function, args, kwargs) -> None:
    """Refuse a torch function or tensor method call that would allocate past the limits."""
    for value in (*args, *kwargs.values()):
        if isinstance(value, range):  # e.g. torch.tensor(range(10 ** 9)) or torch.Size(range(...))
            interp.budget.check_weight(interp.weight(value))
    owner = None
    if isinstance(function, Method):
        name = function.name
        owner = getattr(function.func, "__self__", None)
        if not isinstance(owner, interp.ns.Tensor):
            owner = None
        if name == "tolist" and owner is not None:
            interp.budget.check_sequence(_prod(owner.shape))
    else:
        name = getattr(function, "__name__", "")
    numel = estimate(name, owner, args, kwargs)
    if numel > 10_000:  # smaller ones cannot hurt; the tracer counts them all anyway
        interp.budget.check_tensor(numel)


def _broadcast_numel(sa: tuple, sb: tuple) -> int:
    """Elements of the broadcast of two shapes (0 when they do not broadcast)."""
    if sa == sb:
        return _prod(sa)
    if len(sa) < len(sb):
        sa, sb = sb, sa
    sb = (1,) * (len(sa) - len(sb)) + tuple(sb)
    n = 1
    for x, y in zip(sa, sb):
        if x != y and x != 1 and y != 1:
            return 0  # the engine raises PyTorch's error
        n *= max(x, y) if x and y else 0
    return n


def check_tensor_binary(interp, symbol, a, b) -> None:
    Tensor = interp.ns.Tensor
    if symbol in ("@", "@="):
        numel = matmul_numel(a, b)
    else:
        sa = a._data.shape if isinstance(a, Tensor) else ()
        sb = b._data.shape if isinstance(b, Tensor) else ()
        numel = _broadcast_numel(sa, sb)
    if numel > interp.limits.max_tensor_elements or numel > 10_000:
        interp.budget.check_tensor(numel)


def check_index(interp, tensor, index) -> None:
    """Advanced indexing with tensors or lists allocates: estimate it before."""
    parts = index if isinstance(index, tuple) else (index,)
    advanced = [p for p in parts if isinstance(p, (list, interp.ns.Tensor))]
    if not advanced:
        return
    biggest = max(_prod(_shape(p)) if not isinstance(p, list) else len(p) for p in advanced)
    consumed = sum(1 for p in parts if p is not None and p is not Ellipsis)
    rest = _prod(tensor.shape[consumed:])
    interp.budget.check_tensor(biggest * max(rest, 1))


# -- builtins -------------------------------------------------------------------------------
def make_builtins(interp) -> dict:
    """The builtins a program sees, each checking its arguments' types and sizes."""
    Tensor = interp.ns.Tensor
    budget = interp.budget
    numbers = (int, float, bool)

    def no_keywords(name, kwargs):
        if kwargs:
            raise TypeError(f"{name}() takes no keyword arguments")

    def _range(*args, **kwargs):
        no_keywords("range", kwargs)
        return range(*(operator.index(a) for a in args))

    def _len(obj, **kwargs):
        no_keywords("len", kwargs)
        if not isinstance(obj, (list, tuple, str, dict, range, Tensor, *interp.ns.module_containers)):
            raise TypeError(f"object of type '{type(obj).__name__}' has no len()")
        return len(obj)

    def _float(x=0.0, **kwargs):
        no_keywords("float", kwargs)
        if not isinstance(x, (*numbers, str, Tensor)):
            raise TypeError(f"float() argument must be a string or a real number, not "
                            f"'{type(x).__name__}'")
        return float(x)

    def _int(x=0, **kwargs):
        no_keywords("int", kwargs)
        if not isinstance(x, (*numbers, str, Tensor)):
            raise TypeError(f"int() argument must be a string, a bytes-like object or a real "
                            f"number, not '{type(x).__name__}'")
        return int(x)

    def _bool(x=False, **kwargs):
        no_keywords("bool", kwargs)
        return interp.truth(x)

    def _str(x="", **kwargs):
        no_keywords("str", kwargs)
        text = str(x)
        budget.add_elements(len(text))  # kept strings count towards the memory limit
        return text

    def _repr(x, **kwargs):
        no_keywords("repr", kwargs)
        text = repr(x)
        budget.add_elements(len(text))
        return text

    def _abs(x, **kwargs):
        no_keywords("abs", kwargs)
        if not isinstance(x, (*numbers, Tensor)):
            raise TypeError(f"bad operand type for abs(): '{type(x).__name__}'")
        return interp.account(abs(x))

    def extreme(name, pick):
        def impl(*args, default=_MISSING, **kwargs):
            if kwargs:
                raise TypeError(f"{name}() got an unexpected keyword argument "
                                f"'{next(iter(kwargs))}'")
            if not args:
                raise TypeError(f"{name} expected at least 1 argument, got 0")
            items = interp.materialize(args[0]) if len(args) == 1 else list(args)
            if not items and default is not _MISSING:
                return default
            return pick(items)
        return impl

    def _sum(iterable, start=0, **kwargs):
        no_keywords("sum", kwargs)
        if isinstance(start, str):
            raise TypeError("sum() can't sum strings [use ''.join(seq) instead]")
        from ast import Add
        total = start
        for item in interp.materialize(iterable):
            total = interp.binary(Add(), total, item)
        return total

    def _round(number, ndigits=None, **kwargs):
        no_keywords("round", kwargs)
        if not isinstance(number, (*numbers, Tensor)):
            raise TypeError(f"type {type(number).__name__} doesn't define __round__ method")
        if ndigits is None:
            return interp.account(round(number))
        ndigits = operator.index(ndigits)
        if isinstance(number, int) and ndigits < 0:
            budget.check_int_bits(int(-ndigits * 3.33) + 1)
        return interp.account(round(number, ndigits))

    def _pow(base, exp, mod=None, **kwargs):
        no_keywords("pow", kwargs)
        from ast import Pow
        if mod is None:
            return interp.binary(Pow(), base, exp)
        if not all(isinstance(v, int) for v in (base, exp, mod)):
            raise TypeError("pow() 3rd argument not allowed unless all arguments are integers")
        return pow(base, exp, mod)  # modular: never larger than mod

    def _list(iterable=(), **kwargs):
        no_keywords("list", kwargs)
        return interp.materialize(iterable)

    def _tuple(iterable=(), **kwargs):
        no_keywords("tuple", kwargs)
        return interp.new_container(tuple(interp.materialize(iterable)))

    def _enumerate(iterable, start=0):
        start = operator.index(start)
        items = interp.materialize(iterable)
        budget.check_sequence(len(items))
        return interp.new_container([(start + i, item) for i, item in enumerate(items)])

    def _zip(*iterables, **kwargs):
        no_keywords("zip", kwargs)
        lists = [interp.materialize(it) for it in iterables]
        budget.check_sequence(min(map(len, lists), default=0))
        return interp.new_container(list(zip(*lists)))

    def _print(*values, sep=" ", end="\n", flush=False, **kwargs):
        if kwargs:
            raise TypeError(f"print() keyword argument '{next(iter(kwargs))}' is not supported "
                            f"in gradtrace programs")
        interp.print(*values, sep=sep, end=end)

    table = {
        "print": _print, "range": _range, "len": _len, "float": _float, "int": _int,
        "bool": _bool, "str": _str, "repr": _repr, "abs": _abs, "min": extreme("min", min),
        "max": extreme("max", max), "sum": _sum, "pow": _pow, "round": _round, "list": _list,
        "tuple": _tuple, "enumerate": _enumerate, "zip": _zip,
    }
    for name, impl in table.items():  # so argument errors read "sum() missing 1 required ..."
        impl.__name__ = impl.__qualname__ = name
    return {name: Builtin(name, impl) for name, impl in table.items()}


_MISSING = object()

__all__ = ["make_builtins", "check_call", "check_tensor_binary", "check_index", "estimate",
           "LimitError"]
