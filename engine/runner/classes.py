"""`class`: a program's class is a real Python class, made with `type(name, bases, namespace)`,
whose methods are UserFunctions; `super()` is resolved by the interpreter.

Bases may be other classes of the program, the engine's nn.Module family and Python's exception
classes. What a program may read on its objects: what its own classes and `self.x = ...` define,
and the engine base's public attributes (no hooks, nothing starting with `_`; register_buffer and
register_parameter are what a module's __init__ calls).
"""

from __future__ import annotations

import ast
import types

from engine.runner.check import NotAllowedError
from engine.runner.functions import UserFunction, UserMethod
from engine.runner.policy import EXCEPTION_ATTRIBUTES, Method
from engine.runner.scopes import CLASS, FUNCTION, Scope, bound_names

EXCEPTIONS = (
    Exception,
    ArithmeticError,
    AssertionError,
    AttributeError,
    IndexError,
    KeyError,
    LookupError,
    NameError,
    NotImplementedError,
    OverflowError,
    RuntimeError,
    StopIteration,
    TypeError,
    UnboundLocalError,
    ValueError,
    ZeroDivisionError,
    ImportError,
    ModuleNotFoundError,
)


def _is_engine_class(cls) -> bool:
    return (cls.__module__ or "").startswith("engine.") and not cls.__module__.startswith(
        "engine.runner"
    )


class SuperProxy:
    """What `super()` gives a method: attribute reads resolved past `owner` in the instance's MRO."""

    __slots__ = ("owner", "instance")

    def __init__(self, owner: type, instance):
        self.owner, self.instance = owner, instance

    def __repr__(self):
        return f"<super: <class '{self.owner.__name__}'>, <{type(self.instance).__name__} object>>"


class Classes:
    """Interpreter mixin: class definitions, their instances' attributes, and super()."""

    def _class_def(self, node: ast.ClassDef) -> None:
        bases = tuple(self.evaluate(b) for b in node.bases)
        for base, base_node in zip(bases, node.bases):
            if not self.subclassable(base):
                error = NotAllowedError(
                    f"a class can only derive from another class of the program, "
                    f"torch.nn.Module (and its subclasses) or an exception class "
                    f"in gradtrace programs (line {base_node.lineno})"
                )
                error.gradtrace_node = base_node
                raise error
        qualname = self.qualified(node.name)
        namespace: dict = {}
        scope = Scope(CLASS, namespace, self.scope, bound_names(node), qualname)
        saved = self.scope
        self.scope = scope
        try:
            self.block(node.body)
        finally:
            self.scope = saved
        namespace["__module__"] = "__main__"
        namespace["__qualname__"] = qualname
        cls = type(node.name, bases or (object,), namespace)
        for value in namespace.values():
            function = getattr(value, "__func__", value)  # staticmethod / classmethod
            if isinstance(function, UserFunction) and function.owner is None:
                function.owner = cls
        self.user_classes.add(cls)
        self.store(node.name, cls)

    def qualified(self, name: str) -> str:
        scope = self.scope
        if scope.kind == CLASS:
            return f"{scope.function}.{name}"
        if scope.kind == FUNCTION and scope.function is not None:
            return f"{scope.function.qualname}.<locals>.{name}"
        return name

    def subclassable(self, base) -> bool:
        if not isinstance(base, type):
            return False
        if base in self.user_classes or base in EXCEPTIONS:
            return True
        return base in self.ns.classes and base.__module__.startswith(self.ns.subclassable_modules)

    def is_user_object(self, obj) -> bool:
        return obj in self.user_classes if isinstance(obj, type) else type(obj) in self.user_classes

    # -- attributes of the program's objects ----------------------------------------------------
    def _defined_by_program(self, obj, name: str) -> bool:
        cls = obj if isinstance(obj, type) else type(obj)
        if any(name in vars(k) for k in cls.__mro__ if k in self.user_classes):
            return True
        if isinstance(obj, type):
            return False
        if (id(obj), name) in self.private_names:
            return True
        plain = all(k in self.user_classes or k is object for k in cls.__mro__)
        return plain and name in getattr(obj, "__dict__", {})

    def user_attribute(self, obj, name: str):
        """`obj.name` on an instance or class the program defined: what the program's classes and
        `self.x = ...` define, and the public attributes of an engine base (nn.Module)."""
        cls = obj if isinstance(obj, type) else type(obj)
        source = None  # where Python finds the name: "instance", a class of the MRO, or None
        if not isinstance(obj, type) and name in getattr(obj, "__dict__", {}):
            source = "instance"
        else:
            source = next((k for k in cls.__mro__ if name in vars(k)), None)
        engine = source is None or source == "instance" or _is_engine_class(source)
        if source is None and not isinstance(obj, type) and hasattr(cls, "__getattr__"):
            engine = True  # nn.Module.__getattr__: parameters, buffers, submodules
        elif source is None or source is object:
            engine = False
        if source in self.user_classes:
            allowed = True
        elif source not in (None, "instance") and not engine:  # object, Exception ...
            allowed = (
                name in EXCEPTION_ATTRIBUTES
                and issubclass(cls, BaseException)
                and not isinstance(obj, type)
            )
        else:
            allowed = not (name.startswith("_") or "hook" in name) or self._defined_by_program(
                obj, name
            )
        if not allowed or (source is None and not engine):
            owner = (
                f"type object '{obj.__name__}'"
                if isinstance(obj, type)
                else f"'{type(obj).__name__}' object"
            )
            raise AttributeError(f"{owner} has no attribute '{name}'")
        return self.safe_value(getattr(obj, name), obj, name)

    def safe_value(self, value, obj, name: str):
        """What a program may hold of an attribute value: bound engine methods become Methods."""
        if isinstance(value, types.MethodType):
            if isinstance(value.__func__, UserFunction):
                return UserMethod(value.__func__, value.__self__)
            return Method(type(obj).__name__, name, value)
        if isinstance(
            value,
            (
                types.FunctionType,
                types.BuiltinMethodType,
                types.MethodWrapperType,
                types.WrapperDescriptorType,
                types.MethodDescriptorType,
            ),
        ):
            return Method(type(obj).__name__, name, value)
        if isinstance(value, types.ModuleType):
            raise AttributeError(f"'{type(obj).__name__}' object has no attribute '{name}'")
        if isinstance(value, type) and not (
            value in self.ns.classes or value in self.user_classes or value in EXCEPTIONS
        ):
            raise AttributeError(f"'{type(obj).__name__}' object has no attribute '{name}'")
        return value

    def set_user_attribute(self, obj, name: str, value) -> None:
        if name.startswith("_") and not self._defined_by_program(obj, name) and hasattr(obj, name):
            raise NotAllowedError(
                f"setting attribute `{name}` of a {type(obj).__name__} is not "
                f"allowed in gradtrace programs"
            )
        setattr(obj, name, value)
        if name.startswith("_"):
            self.private_names.add((id(obj), name))

    # -- super() and __init__ -------------------------------------------------------------------
    def make_super(self, *args):
        if args:
            if len(args) != 2:
                raise TypeError("super() takes a class and an instance in gradtrace programs")
            owner, instance = args
            if not isinstance(owner, type):
                raise TypeError(f"super() argument 1 must be a type, not {type(owner).__name__}")
            if not isinstance(instance, owner):
                raise TypeError("super(type, obj): obj must be an instance or subtype of type")
            return SuperProxy(owner, instance)
        scope = self.scope
        function = scope.function if scope.kind == FUNCTION else None
        if not isinstance(function, UserFunction) or function.owner is None:
            raise RuntimeError("super(): __class__ cell not found")
        spec = function.node.args
        first = (spec.posonlyargs + spec.args)[:1]
        if not first or first[0].arg not in scope.values:
            raise RuntimeError("super(): no arguments")
        return SuperProxy(function.owner, scope.values[first[0].arg])

    def super_attribute(self, proxy: SuperProxy, name: str):
        mro = (
            type(proxy.instance).__mro__
            if not isinstance(proxy.instance, type)
            else proxy.instance.__mro__
        )
        after = mro[mro.index(proxy.owner) + 1 :]
        source = next((k for k in after if name in vars(k)), None)
        allowed = (
            name == "__init__"
            or source in self.user_classes
            or (
                source is not None
                and _is_engine_class(source)
                and not name.startswith("_")
                and "hook" not in name
            )
        )
        if not allowed:
            raise AttributeError(f"'super' object has no attribute '{name}'")
        value = getattr(super(proxy.owner, proxy.instance), name)
        return self.safe_value(value, proxy.instance, name)

    def init_of(self, obj):
        """`X.__init__` where the program may write it: super().__init__, Base.__init__."""
        if isinstance(obj, SuperProxy):
            return self.super_attribute(obj, "__init__")
        if isinstance(obj, type) and self.subclassable(obj):
            init = obj.__init__
            return (
                init if isinstance(init, UserFunction) else Method(obj.__name__, "__init__", init)
            )
        raise NotAllowedError(
            "`__init__` can only be reached as super().__init__(...) or "
            "Base.__init__(self, ...) in gradtrace programs"
        )
