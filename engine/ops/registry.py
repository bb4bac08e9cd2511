"""Every op declared once: its Tensor methods and operators, its `torch.*` and `torch.nn.functional.*`
names, its size estimate.

An op module declares each public function with `@op(...)`; nothing else attaches it anywhere.
`bind()` (run by engine/ops/__init__.py once every op module is imported) sets the Tensor methods,
operators and properties, and wraps the methods so wrong arguments are reported in PyTorch's words
(engine/ops/arguments.py). The torch facade takes its functions and `__all__` from
`torch_functions()` and `functional_functions()`, the runner its size estimates from `estimate()`.

    @op(method=True, torch=True, operators=("__add__", "__radd__"), operator=AddBackward0.operator)
    def add(self, other, *, alpha=1): ...

`method` / `torch` / `functional`: True for the function's own name, a name, or a tuple of names. `operators`: the
dunders, bound to `operator` when given (a faster plain function) else to the function itself; they
stay unwrapped, so a refusal (NotImplemented) reaches Python as in PyTorch. `estimate(args, kwargs)`
gives an upper bound of the elements the call allocates (a method's `self` is args[0]), for the
runner to refuse before the op runs; ops without one are estimated as elementwise (the broadcast of
their tensor arguments).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from engine.ops import estimates
from engine.ops.arguments import check_tensor_methods, make_read_only_attributes_say_so
from engine.tensor import Tensor


@dataclasses.dataclass(frozen=True)
class Op:
    function: Callable
    methods: tuple[str, ...]
    operators: tuple[str, ...]
    operator: Callable
    torch: tuple[str, ...]
    functional: tuple[str, ...]
    property: str | None
    estimate: Callable | None


OPS: list[Op] = []
_TORCH: dict[str, Callable] = {}
_FUNCTIONAL: dict[str, Callable] = {}
_ESTIMATES: dict[str, Callable] = {}


def _names(value, fn) -> tuple[str, ...]:
    if value is True:
        return (fn.__name__,)
    if not value:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def op(
    *,
    method=False,
    torch=False,
    functional=False,
    operators=(),
    operator=None,
    property=None,
    estimate=None,
):
    """Declare the decorated function as an op (see the module docstring)."""

    def declare(fn):
        OPS.append(
            Op(
                fn,
                _names(method, fn),
                tuple(operators),
                operator or fn,
                _names(torch, fn),
                _names(functional, fn),
                property,
                estimate,
            )
        )
        return fn

    return declare


def bind() -> None:
    """Attach every declared op to Tensor and collect the torch functions and estimates (once)."""
    tensor_names: dict[str, Callable] = {}
    for declared in OPS:
        for name in declared.methods:
            _claim(tensor_names, name, declared.function, "Tensor")
            setattr(Tensor, name, declared.function)
        for name in declared.operators:
            _claim(tensor_names, name, declared.operator, "Tensor")
            setattr(Tensor, name, declared.operator)
        if declared.property is not None:
            _claim(tensor_names, declared.property, declared.function, "Tensor")
            setattr(Tensor, declared.property, property(declared.function))
        for name in declared.torch:
            _claim(_TORCH, name, declared.function, "torch")
        for name in declared.functional:
            _claim(_FUNCTIONAL, name, declared.function, "torch.nn.functional")
        if declared.estimate is not None:
            for name in (*declared.methods, *declared.torch):
                _ESTIMATES[name] = declared.estimate
    check_tensor_methods()  # every public method, the Tensor's own ones too
    make_read_only_attributes_say_so()


def _claim(names: dict, name: str, fn, where: str) -> None:
    if name in names and names[name] is not fn:
        raise RuntimeError(
            f"{where}.{name} is declared twice ({names[name].__qualname__} and {fn.__qualname__})"
        )
    names[name] = fn


def torch_functions() -> dict[str, Callable]:
    """The `torch.*` functions the ops declare, by name."""
    return dict(_TORCH)


def functional_functions() -> dict[str, Callable]:
    """The `torch.nn.functional.*` functions the ops declare, by name."""
    return dict(_FUNCTIONAL)


def estimate(name: str, args: tuple, kwargs: dict) -> int:
    """An upper estimate of the elements a call of op `name` allocates (args[0] is a method's self)."""
    declared = _ESTIMATES.get(name)
    if declared is not None:
        return declared(args, kwargs)
    return estimates.elementwise(args)
