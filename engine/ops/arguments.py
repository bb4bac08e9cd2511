"""PyTorch's words for arguments of the wrong type.

The ops assume Tensors where PyTorch's signatures say Tensor; given something else they fail deep
inside (an AttributeError naming our internals, a numpy message). `checked` wraps a torch function or
Tensor method so that such a failure is reported as PyTorch's argument parser reports it. It costs
nothing until an op fails: the arguments are only examined then.
"""

import functools
import inspect

import numpy as np

from engine import dtypes
from engine.errors import BadArgument
from engine.tensor import Tensor

TENSOR_PARAMETERS = frozenset(
    {"self", "input", "other", "mat2", "vec", "tensor", "target", "condition"}
)
TORCH_NAMES = {"self": "input"}
INTERNAL_ATTRIBUTES = ("'_data'", "'np'", "'_requires_grad'", "'_version'")


def size_error(given, position, param):
    """PyTorch's parser's words for a size that is not ints (the op's name is filled in later);
    `position` is None when the size came as one argument, `param` None where that is an overload miss."""
    error = BadArgument(f"{param} must be ints")
    kind = _type_name(given)
    if position is not None:
        error.torch_message = lambda name: (
            f"{name}(): argument '{param}' failed to unpack the object at pos "
            f'{position} with error "type must be tuple of ints,but got {kind}"'
        )
    elif param is not None:
        error.torch_message = lambda name: (
            f"{name}(): argument '{param}' (position 1) must be tuple of ints, not {kind}"
        )
    return error


def int_sequence(values, param, single_param=...):
    """Sizes or dims given as *args or as one tuple/list: ints (or 0-d integer tensors), else PyTorch's error.
    `single_param` names the argument in the error for one non-int value (default: `param`)."""
    single = len(values) == 1
    if single and isinstance(values[0], (tuple, list)):
        values, single = tuple(values[0]), False
    if single_param is ...:
        single_param = param
    out = []
    for i, v in enumerate(values):
        if isinstance(v, Tensor) and v._data.ndim == 0 and v._data.dtype.kind in "iu":
            v = v.item()
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
            raise size_error(v, None if single else i + 1, single_param if single else param)
        out.append(int(v))
    return tuple(out)


def _type_name(value) -> str:
    if isinstance(value, Tensor):
        return "Tensor"
    if value is None:
        return "NoneType"
    if isinstance(value, dtypes.dtype):
        return "torch.dtype"
    return type(value).__name__


def _got(args, kwargs) -> str:
    """PyTorch's `got (...)` list: the types, `name=type` for keywords; keywords alone end in ", "."""
    positional = ", ".join(_type_name(a) for a in args)
    keywords = ", ".join(f"{k}={_type_name(v)}" for k, v in kwargs.items())
    if not positional:
        return f"({keywords}, )" if keywords else "()"
    return f"({positional}{', ' + keywords if keywords else ''})"


def _translate(name, signature, is_method, args, kwargs, error, python_style=False):
    """PyTorch's error for this failed call, or None to keep the original one."""
    if getattr(error, "torch_message", None) is not None:
        return TypeError(error.torch_message(name))
    internal = isinstance(error, AttributeError) and any(
        a in str(error) for a in INTERNAL_ATTRIBUTES
    )
    if not (internal or isinstance(error, BadArgument) or error is NotImplemented):
        if python_style or not isinstance(error, TypeError):
            return None  # a Python function in PyTorch too: Python's own words
        return _call_error(name, signature, is_method, args, kwargs)
    try:
        bound = signature.bind(*args, **kwargs)
    except TypeError:
        return None
    for position, (param, value) in enumerate(bound.arguments.items(), start=0 if is_method else 1):
        if param in TENSOR_PARAMETERS and not isinstance(value, Tensor) and position > 0:
            return TypeError(
                f"{name}(): argument '{TORCH_NAMES.get(param, param)}' (position {position}) "
                f"must be Tensor, not {_type_name(value)}"
            )
        if param == "dtype" and value is not None and not isinstance(value, dtypes.dtype):
            return TypeError(
                f"{name}(): argument 'dtype' must be torch.dtype, not {_type_name(value)}"
            )
    shown_args = args[1:] if is_method else args
    return TypeError(
        f"{name}() received an invalid combination of arguments - got {_got(shown_args, kwargs)}, "
        f"but expected one of:"
    )


def _call_error(name, signature, is_method, args, kwargs):
    """PyTorch's words when the call itself does not fit the signature (missing or extra arguments)."""
    try:
        signature.bind(*args, **kwargs)
        return None
    except TypeError:
        pass
    params = list(signature.parameters.values())[1 if is_method else 0 :]
    if not any(p.kind == p.VAR_KEYWORD for p in params):
        names = {p.name for p in params if p.kind != p.POSITIONAL_ONLY}
        unexpected = [k for k in kwargs if k not in names]
        if unexpected:  # PyTorch's parser names the keyword it does not know
            return TypeError(f"{name}() got an unexpected keyword argument '{unexpected[0]}'")
    required = [
        p.name
        for p in params
        if p.default is p.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
    ]
    given = len(args) - (1 if is_method else 0)
    missing = [p for p in required[given:] if p not in kwargs]
    if missing:
        names = ", ".join(f'"{TORCH_NAMES.get(p, p)}"' for p in missing)
        return TypeError(f"{name}() missing {len(missing)} required positional arguments: {names}")
    if is_method and not params:
        return TypeError(f"TensorBase.{name}() takes no arguments ({given} given)")
    positional = [p for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
    takes_varargs = any(p.kind == p.VAR_POSITIONAL for p in params)
    if (
        not takes_varargs
        and given > len(positional)
        and all(p.default is p.empty for p in positional)
    ):
        n = len(positional)
        return TypeError(
            f"{name}() takes {n} positional argument{'' if n == 1 else 's'} but {given} "
            f"{'was' if given == 1 else 'were'} given"
        )
    return None


def checked(fn, name=None, is_method=False, python_style=False):
    """`fn` reporting wrong argument types as PyTorch does (see the module docstring)."""
    name = name or fn.__name__
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):
        return fn

    @functools.wraps(fn)
    def call(*args, **kwargs):
        try:
            out = fn(*args, **kwargs)
        except (AttributeError, TypeError) as error:
            translated = _translate(name, signature, is_method, args, kwargs, error, python_style)
            if translated is None:
                raise
            raise translated from None
        if out is NotImplemented:  # an operator's refusal, reached through its named form
            raise _translate(name, signature, is_method, args, kwargs, NotImplemented)
        return out

    return call


def check_exports(module, python_style=False):
    """Wrap the functions a torch module exports (its `__all__`) with `checked`; `python_style` where
    PyTorch's own functions are Python ones (torch.nn.functional), which Python itself reports."""
    for attr in getattr(module, "__all__", ()):
        value = getattr(module, attr, None)
        if inspect.isfunction(value):
            setattr(module, attr, checked(value, attr, python_style=python_style))


def check_tensor_methods():
    """Wrap Tensor's public methods with `checked` (operators such as __add__ stay unwrapped)."""
    for attr, value in list(vars(Tensor).items()):
        if not attr.startswith("_") and inspect.isfunction(value):
            setattr(Tensor, attr, checked(value, attr, is_method=True))


def make_read_only_attributes_say_so():
    """Assigning to shape, dtype, grad_fn, is_leaf, T ... fails with PyTorch's AttributeError."""
    for attr, value in list(vars(Tensor).items()):
        if isinstance(value, property) and value.fset is None:
            setattr(Tensor, attr, property(value.fget, _not_writable(attr), doc=value.__doc__))


def _not_writable(attr):
    def refuse(self, value):
        raise AttributeError(f"attribute '{attr}' of 'torch._C.TensorBase' objects is not writable")

    return refuse
