"""What a program may see: the exported torch namespace, tensor attributes, a few types' methods.

Every attribute read and every call of a user program goes through `get_attribute` / `is_callable`
here; anything not listed is an AttributeError or TypeError, worded like Python's.
"""

from __future__ import annotations

import difflib
import functools
import json
import types
from pathlib import Path

import numpy as np

# Tensor methods that would hand a program a raw array or let it run code at a time we do not trace
# (register_hook is allowed: its hooks run inside backward and are recorded as `hook` events).
TENSOR_DENIED = frozenset(
    {
        "register_post_accumulate_grad_hook",
        "apply_",
        "map_",
        "map2_",
        "storage",
        "untyped_storage",
        "share_memory_",
        "pin_memory",
        "to_dlpack",
        "data_ptr",
    }
)
NODE_ATTRIBUTES = frozenset({"name", "next_functions", "variable", "metadata"})
DTYPE_ATTRIBUTES = frozenset({"is_floating_point", "is_signed", "is_complex", "itemsize"})
SIZE_ATTRIBUTES = frozenset({"numel", "count", "index"})
HOOK_WORDS = ("hook", "register")
NOT_CALLABLE = frozenset({"dtype"})
EXCEPTION_ATTRIBUTES = frozenset({"args"})
TYPE_BUILTINS = frozenset({"int", "float", "bool", "str", "list", "tuple", "dict", "set"})
# numpy arrays a program holds (np.array, Tensor.numpy()): what courses read and call on them
NDARRAY_ATTRIBUTES = frozenset(
    {
        "shape",
        "dtype",
        "ndim",
        "size",
        "T",
        "reshape",
        "astype",
        "sum",
        "mean",
        "max",
        "min",
        "std",
        "argmax",
        "argmin",
        "tolist",
        "item",
        "copy",
        "flatten",
        "transpose",
        "squeeze",
        "round",
    }
)
NUMPY_SCALAR_ATTRIBUTES = frozenset({"item", "dtype", "shape", "ndim"})
# Engine classes a program's class may derive from (class Net(nn.Module)).
SUBCLASSABLE_MODULES = (
    "engine.torch.nn",
)  # exported for printing and isinstance, not to make new ones


class ModuleProxy:
    """A torch (sub)module as a program sees it: only the names in its `__all__`."""

    __slots__ = ("name", "exported")

    def __init__(self, name: str, module, submodules: dict[str, ModuleProxy] | None = None):
        self.name = name
        self.exported = {}
        for attr in getattr(module, "__all__", ()):
            if attr.startswith("_") or not hasattr(module, attr):
                continue
            value = getattr(module, attr)
            if isinstance(value, types.ModuleType):
                continue  # submodules are exposed only as proxies
            self.exported[attr] = value
        self.exported.update(submodules or {})

    @classmethod
    def of(cls, name: str, exported: dict) -> ModuleProxy:
        """A proxy exporting exactly `exported` (the runner's safe standard modules)."""
        proxy = cls.__new__(cls)
        proxy.name, proxy.exported = name, dict(exported)
        return proxy

    def __repr__(self):
        return f"<module '{self.name}'>"


class Method:
    """A bound method a program obtained through `get_attribute`; calling it is allowed."""

    __slots__ = ("owner", "name", "func")

    def __init__(self, owner: str, name: str, func):
        self.owner, self.name, self.func = owner, name, func

    def __repr__(self):
        return f"<built-in method {self.name} of {self.owner} object>"


class Builtin:
    """One of the runner's own safe builtins (print, range, len ...)."""

    __slots__ = ("name", "impl")

    def __init__(self, name: str, impl):
        self.name, self.impl = name, impl

    def __call__(self, *args, **kwargs):  # e.g. defaultdict(list) calls it from Python
        return self.impl(*args, **kwargs)

    def __repr__(self):
        if self.name in TYPE_BUILTINS:
            return f"<class '{self.name}'>"
        return f"<built-in function {self.name}>"


class Namespace:
    """The torch modules and the sets derived from them, built once the engine imports."""

    def __init__(self):
        import engine.torch as torch_module
        from engine import dtypes
        from engine.autograd.function import Node
        from engine.size import Size
        from engine.tensor import Tensor
        from engine.torch.nn import Module, ModuleList, Sequential

        self.Tensor, self.Node, self.Size, self.dtype = Tensor, Node, Size, dtypes.dtype
        self.subclassable_modules = SUBCLASSABLE_MODULES
        self.Module = Module
        self.module_containers = (Sequential, ModuleList)  # len(), indexing and iteration
        self.modules: dict[str, ModuleProxy] = {}
        self._proxy("torch", torch_module)
        self.callables = set()  # ids of exported functions and classes
        self.classes = set()
        self.keep = []  # keeps the exported objects alive so their ids stay theirs
        for proxy in self.modules.values():
            for name, value in proxy.exported.items():
                if isinstance(value, ModuleProxy):
                    continue
                if callable(value) and name not in NOT_CALLABLE:
                    self.callables.add(id(value))
                    self.keep.append(value)
                if isinstance(value, type):
                    self.classes.add(value)
        self.tensor_attributes = frozenset(
            n for n in dir(Tensor) if not n.startswith("_") and n not in TENSOR_DENIED
        )
        self.grad_mode_classes = tuple(
            c
            for c in (
                getattr(torch_module, n, None)
                for n in ("no_grad", "enable_grad", "set_grad_enabled", "inference_mode")
            )
            if isinstance(c, type)
        )

    def _proxy(self, name: str, module) -> ModuleProxy:
        """The proxy of an engine.torch (sub)module and, first, of its exported submodules."""
        subs = {}
        for attr in getattr(module, "__all__", ()):
            value = getattr(module, attr, None)
            if isinstance(value, types.ModuleType) and value.__name__.startswith("engine.torch."):
                subs[attr] = self._proxy(f"{name}.{attr}", value)
        if name == "torch.nn" and "functional" not in subs:
            functional = _submodule("engine.torch.nn.functional")
            if functional is not None:
                subs["functional"] = self._proxy("torch.nn.functional", functional)
        proxy = self.modules[name] = ModuleProxy(name, module, subs)
        return proxy

    # -- attribute access -------------------------------------------------------------------
    def get_attribute(self, obj, name: str, containers):
        """`obj.name` for a program; `containers` gives the safe methods of list/dict/tuple."""
        # names starting with "_" are in no allowed set: an AttributeError like Python's
        if isinstance(obj, ModuleProxy):
            try:
                return obj.exported[name]
            except KeyError:
                if name in torch_names()["modules"].get(obj.name, ()):
                    raise unsupported(f"{obj.name}.{name}") from None
                raise _no_attribute(
                    f"module '{obj.name}' has no attribute '{name}'", name, obj.exported
                ) from None
        if isinstance(obj, self.Tensor):
            if name not in self.tensor_attributes and name in torch_names()["Tensor"]:
                raise unsupported(f"Tensor.{name}")
            return self._from_object(obj, name, self.tensor_attributes, "Tensor")
        if isinstance(obj, self.Module):
            return self._from_module(obj, name)
        if isinstance(obj, self.Node):
            allowed = {n for n in NODE_ATTRIBUTES if hasattr(obj, n)}
            return self._from_object(obj, name, allowed, type(obj).__name__)
        if isinstance(obj, self.dtype):
            allowed = {n for n in DTYPE_ATTRIBUTES if hasattr(obj, n)}
            return self._from_object(obj, name, allowed, "torch.dtype")
        if isinstance(obj, self.Size):
            return self._from_object(obj, name, SIZE_ATTRIBUTES, "torch.Size")
        kind = type(obj)
        if isinstance(obj, np.ndarray):
            return self._from_object(obj, name, NDARRAY_ATTRIBUTES, "numpy.ndarray")
        if isinstance(obj, np.generic):
            return self._from_object(obj, name, NUMPY_SCALAR_ATTRIBUTES, f"numpy.{kind.__name__}")
        if isinstance(obj, np.dtype):
            return self._from_object(
                obj, name, frozenset({"name", "itemsize", "kind"}), "numpy.dtype"
            )
        if isinstance(obj, BaseException):
            return self._from_object(obj, name, EXCEPTION_ATTRIBUTES, kind.__name__)
        if isinstance(obj, tuple) and name in getattr(kind, "_fields", ()):  # torch.return_types
            return getattr(obj, name)
        if isinstance(obj, (list, dict, tuple, str, set)):  # dicts: optimizer.state, state_dict()
            methods = containers(obj)
            if name in methods:
                return Method(kind.__name__, name, methods[name])
            raise _no_attribute(
                f"'{kind.__name__}' object has no attribute '{name}'", name, methods
            )
        if isinstance(obj, type):
            if obj in self.classes and issubclass(obj, self.Module) and not name.startswith("_"):
                value = getattr(obj, name, None)  # classmethods: nn.Embedding.from_pretrained
                if isinstance(value, types.MethodType) and value.__self__ is obj:
                    return Method(obj.__name__, name, value)
            raise _no_attribute(f"type object '{obj.__name__}' has no attribute '{name}'", name, ())
        module = getattr(kind, "__module__", "") or ""
        if module.startswith("engine.") and not module.startswith("engine.runner"):
            allowed = {
                n
                for n in dir(obj)
                if not n.startswith("_")  # instance attributes too (param_groups)
                and not any(w in n for w in HOOK_WORDS)
            }
            return self._from_object(obj, name, allowed, kind.__name__)
        raise _no_attribute(f"'{kind.__name__}' object has no attribute '{name}'", name, ())

    def _from_module(self, obj, name):
        """An nn.Module's public methods and attributes, and its parameters, buffers and submodules
        by name (model.fc1.weight); submodules stay modules, not bound methods."""
        allowed = {n for n in dir(obj) if not n.startswith("_") and "hook" not in n}
        type_name = type(obj).__name__
        if name not in allowed:
            raise _no_attribute(f"'{type_name}' object has no attribute '{name}'", name, allowed)
        value = getattr(obj, name)
        if isinstance(value, (self.Tensor, self.Module)) or not callable(value):
            if isinstance(value, types.ModuleType):
                raise _no_attribute(f"'{type_name}' object has no attribute '{name}'", name, ())
            return value
        if isinstance(value, type):
            if value in self.classes:
                return value
            raise _no_attribute(f"'{type_name}' object has no attribute '{name}'", name, ())
        return Method(type_name, name, value)

    def _from_object(self, obj, name, allowed, type_name):
        if name not in allowed:
            raise _no_attribute(f"'{type_name}' object has no attribute '{name}'", name, allowed)
        value = getattr(obj, name)
        if isinstance(value, types.ModuleType):
            raise _no_attribute(f"'{type_name}' object has no attribute '{name}'", name, ())
        if isinstance(value, type):
            if value in self.classes:
                return value
            raise _no_attribute(f"'{type_name}' object has no attribute '{name}'", name, ())
        if callable(value) and not isinstance(value, (self.Tensor, self.Node)):
            return Method(type_name, name, value)
        return value

    def is_callable(self, fn) -> bool:
        if isinstance(fn, (Method, Builtin)):
            return True
        if id(fn) in self.callables or isinstance(fn, self.Module):
            return True
        kind = type(fn)  # instances of exported classes (not grad-mode ones: no decorators)
        return kind in self.classes and kind not in self.grad_mode_classes and callable(fn)


def _submodule(name):
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError:
        return None


@functools.cache
def torch_names() -> dict:
    """PyTorch 2.13's public names (engine/runner/make_torch_names.py wrote them from real torch)."""
    return json.loads(Path(__file__).with_name("torch_names.json").read_text())


def unsupported(qualified: str) -> NotImplementedError:
    """A name PyTorch has and gradtrace does not: said plainly, with no guess at another name."""
    return NotImplementedError(f"gradtrace does not support {qualified}")


def missing_module(name: str) -> Exception:
    """`import name` of a module gradtrace does not expose."""
    if name in torch_names()["submodules"]:
        return unsupported(name)
    return ModuleNotFoundError(f"No module named '{name}'")


def missing_import(module: str, name: str) -> Exception:
    """`from module import name` of a name the gradtrace module lacks."""
    if (
        name in torch_names()["modules"].get(module, ())
        or f"{module}.{name}" in torch_names()["submodules"]
    ):
        return unsupported(f"{module}.{name}")
    return ImportError(f"cannot import name '{name}' from '{module}'")


def _no_attribute(message: str, name: str, candidates) -> AttributeError:
    error = AttributeError(message)
    close = difflib.get_close_matches(name, [c for c in candidates if isinstance(c, str)], n=1)
    if close:
        error.hint = f"Did you mean: '{close[0]}'?"
    return error
