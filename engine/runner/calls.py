"""The runner's builtins, and the size checks made before a torch function or tensor method runs.

The engine also calls `Tracer.allocating` before it allocates; these checks catch what is cheaper
to refuse from the arguments alone. Each op declares its own estimate (engine/ops/registry.py:
factories, expand/repeat, matmul, cat ...); here are broadcasting and indexing.
"""

from __future__ import annotations

import operator

import numpy as np

from engine.ops.estimates import broadcast_numel, matmul_numel, prod
from engine.ops.registry import estimate
from engine.runner import costs
from engine.runner.limits import LimitError
from engine.runner.policy import Builtin, Method


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
            interp.budget.check_sequence(prod(owner.shape))
    else:
        name = getattr(function, "__name__", "")
    operands = args if owner is None else (owner, *args)
    numel = max(
        estimate(name, operands, kwargs),
        broadcast_all(operands, kwargs),
        reduction_numel(name, operands, kwargs),
    )
    if numel > 10_000:  # smaller ones cannot hurt; the tracer counts them all anyway
        interp.budget.check_tensor(numel)


def broadcast_all(args, kwargs) -> int:
    """Elements of the broadcast of all of a call's tensors at once: torch.where's three shapes
    (1, 1, n), (1, n, 1), (n, 1, 1) make n ** 3 though each pair makes only n ** 2."""
    shapes = [a._data.shape for a in (*args, *kwargs.values()) if hasattr(a, "_data")]
    if len(shapes) < 3:
        return 0  # two: the op's own estimate has them
    try:
        return prod(np.broadcast_shapes(*shapes))
    except ValueError:  # the engine raises PyTorch's error
        return 0


REDUCTIONS = frozenset(
    {
        "sum",
        "mean",
        "prod",
        "std",
        "var",
        "amax",
        "amin",
        "max",
        "min",
        "median",
        "norm",
        "logsumexp",
        "argmax",
        "argmin",
        "all",
        "any",
        "nansum",
        "nanmean",
        "count_nonzero",
        "std_mean",
        "var_mean",
        "mode",
        "aminmax",
    }
)


def reduction_numel(name: str, args, kwargs) -> int:
    """A reduction over `dim` of a tensor with a zero-length dim can make far more elements than it
    has (torch.zeros(0, 10 ** 9).sum(0) has 10 ** 9): the shape without the reduced dims."""
    if name not in REDUCTIONS or not args or not hasattr(args[0], "_data"):
        return 0
    shape = tuple(args[0]._data.shape)
    if prod(shape) or not shape:
        return 0  # a non-empty tensor reduces to fewer elements than it has
    dim = kwargs.get("dim", args[1] if len(args) > 1 else None)
    dims = dim if isinstance(dim, (tuple, list)) else (dim,)
    if dim is None or not all(isinstance(d, int) and -len(shape) <= d < len(shape) for d in dims):
        return 0  # the engine raises PyTorch's error
    dropped = {d % len(shape) for d in dims}
    return prod(s for i, s in enumerate(shape) if i not in dropped)


def check_tensor_binary(interp, symbol, a, b) -> None:
    Tensor = interp.ns.Tensor
    if symbol in ("@", "@="):
        numel = matmul_numel(a, b)
    else:
        sa = a._data.shape if isinstance(a, Tensor) else ()
        sb = b._data.shape if isinstance(b, Tensor) else ()
        numel = broadcast_numel(sa, sb)
    if numel > interp.limits.max_tensor_elements or numel > 10_000:
        interp.budget.check_tensor(numel)


def check_index(interp, tensor, index) -> None:
    """Advanced indexing with tensors or lists allocates: estimate it before."""
    parts = index if isinstance(index, tuple) else (index,)
    advanced = [p for p in parts if isinstance(p, (list, interp.ns.Tensor))]
    if not advanced:
        return
    interp.budget.check_tensor(index_numel(tensor, parts, interp.ns.Tensor))


def _index_shape(part, Tensor) -> tuple:
    if isinstance(part, Tensor):
        shape = tuple(part._data.shape)
        return (prod(shape),) if part._data.dtype == np.bool_ else shape  # a mask: at most all
    return (len(part),)


def _index_dims(part, Tensor) -> int:
    """Dims of the indexed tensor a part uses up."""
    if part is None or part is Ellipsis:
        return 0
    if isinstance(part, Tensor) and part._data.dtype == np.bool_:
        return max(part._data.ndim, 1)
    return 1


def index_numel(tensor, parts, Tensor) -> int:
    """An upper estimate of the elements `tensor[parts]` makes: the advanced indices broadcast
    together (shapes (n, 1) and (1, n) make n * n), times the dims sliced or left alone."""
    shapes = [_index_shape(p, Tensor) for p in parts if isinstance(p, (list, Tensor))]
    try:
        advanced = prod(np.broadcast_shapes(*shapes))
    except ValueError:  # the engine raises PyTorch's error
        advanced = max(prod(s) for s in shapes)
    shape = tuple(tensor.shape)
    used = [0] * len(shape)  # 1 where an int or an advanced index takes the dim away
    split = next((i for i, p in enumerate(parts) if p is Ellipsis), len(parts))
    position = 0
    for part in parts[:split]:
        n = _index_dims(part, Tensor)
        if not isinstance(part, slice):
            for d in range(position, min(position + n, len(shape))):
                used[d] = 1
        position += n
    position = len(shape)
    for part in reversed(parts[split + 1 :]):
        n = _index_dims(part, Tensor)
        position -= n
        if not isinstance(part, slice):
            for d in range(max(position, 0), max(position + n, 0)):
                used[d] = 1
    kept = prod(s for s, u in zip(shape, used) if not u)
    return advanced * max(kept, 1)


# -- builtins -------------------------------------------------------------------------------
def make_builtins(interp) -> dict:
    """The builtins a program sees, each checking its arguments' types and sizes."""
    Tensor = interp.ns.Tensor
    budget = interp.budget
    numbers = (int, float, bool, np.number, np.bool_)

    def no_keywords(name, kwargs):
        if kwargs:
            raise TypeError(f"{name}() takes no keyword arguments")

    def _range(*args, **kwargs):
        no_keywords("range", kwargs)
        return range(*(operator.index(a) for a in args))

    def _len(obj, **kwargs):
        no_keywords("len", kwargs)
        if not isinstance(
            obj,
            (list, tuple, str, dict, set, range, Tensor, np.ndarray, *interp.ns.module_containers),
        ) and not (interp.is_user_object(obj) and hasattr(type(obj), "__len__")):
            raise TypeError(f"object of type '{type(obj).__name__}' has no len()")
        return len(obj)

    def _float(x=0.0, **kwargs):
        no_keywords("float", kwargs)
        if not isinstance(x, (*numbers, str, Tensor)):
            raise TypeError(
                f"float() argument must be a string or a real number, not '{type(x).__name__}'"
            )
        return float(x)

    def _int(x=0, **kwargs):
        no_keywords("int", kwargs)
        if not isinstance(x, (*numbers, str, Tensor)):
            raise TypeError(
                f"int() argument must be a string, a bytes-like object or a real "
                f"number, not '{type(x).__name__}'"
            )
        return int(x)

    def _bool(x=False, **kwargs):
        no_keywords("bool", kwargs)
        return interp.truth(x)

    def _str(x="", **kwargs):
        no_keywords("str", kwargs)
        text = interp.text(x, str)
        budget.add_elements(len(text))  # kept strings count towards the memory limit
        return text

    def _repr(x, **kwargs):
        no_keywords("repr", kwargs)
        text = interp.text(x, repr)
        budget.add_elements(len(text))
        return text

    def _abs(x, **kwargs):
        no_keywords("abs", kwargs)
        if not isinstance(x, (*numbers, Tensor)):
            raise TypeError(f"bad operand type for abs(): '{type(x).__name__}'")
        return interp.account(abs(x))

    def extreme(name, pick):
        def impl(*args, default=_MISSING, key=None, **kwargs):
            if kwargs:
                raise TypeError(
                    f"{name}() got an unexpected keyword argument '{next(iter(kwargs))}'"
                )
            if not args:
                raise TypeError(f"{name} expected at least 1 argument, got 0")
            items = interp.materialize(args[0]) if len(args) == 1 else list(args)
            costs.check_sort(items, interp.limits)
            if not items and default is not _MISSING:
                return default
            if key is None:
                return pick(items)
            keys = [interp.call(key, [item], {}) for item in items]  # the program's function
            best = pick(range(len(items)), key=keys.__getitem__) if items else pick(items)
            return items[best]

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
        costs.check_modular_pow(base, exp, mod, budget)
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
            raise TypeError(
                f"print() keyword argument '{next(iter(kwargs))}' is not supported "
                f"in gradtrace programs"
            )
        interp.print(*values, sep=sep, end=end)

    table = {
        "print": _print,
        "range": _range,
        "len": _len,
        "float": _float,
        "int": _int,
        "bool": _bool,
        "str": _str,
        "repr": _repr,
        "abs": _abs,
        "min": extreme("min", min),
        "max": extreme("max", max),
        "sum": _sum,
        "pow": _pow,
        "round": _round,
        "list": _list,
        "tuple": _tuple,
        "enumerate": _enumerate,
        "zip": _zip,
    }
    for name, impl in table.items():  # so argument errors read "sum() missing 1 required ..."
        impl.__name__ = impl.__qualname__ = name
    return {name: Builtin(name, impl) for name, impl in table.items()}


_MISSING = object()

__all__ = ["make_builtins", "check_call", "check_tensor_binary", "check_index", "LimitError"]
