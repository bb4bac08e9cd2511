"""`def`, `lambda` and `return`: functions a program defines are `UserFunction` objects that the
interpreter runs statement by statement (never Python bytecode).

A UserFunction is callable from Python too (the engine's nn.Module.__call__ calls `self.forward`),
and binds `self` through the descriptor protocol like a Python function, so a class the program
defines is a real Python class whose methods are UserFunctions.
"""

from __future__ import annotations

import ast

from engine.runner.check import NotAllowedError
from engine.runner.limits import LimitError
from engine.runner.scopes import CLASS, FUNCTION, MODULE, Scope, bound_names


class _Return(BaseException):
    """`return` (not an Exception, so a program's `except` never catches it)."""

    def __init__(self, value):
        self.value = value


class UserFunction:
    """A function or lambda the program defined; its attributes are not reachable by the program."""

    __slots__ = (
        "interp",
        "node",
        "name",
        "qualname",
        "defaults",
        "kw_defaults",
        "scope",
        "owner",
        "grad_mode",
        "__weakref__",
    )

    def __init__(
        self,
        interp,
        node,
        name: str,
        qualname: str,
        defaults: tuple,
        kw_defaults: dict,
        scope: Scope,
    ):
        self.interp, self.node, self.name, self.qualname = interp, node, name, qualname
        self.defaults, self.kw_defaults, self.scope = defaults, kw_defaults, scope
        self.owner = None  # the class whose body defined it (for zero-argument super())
        self.grad_mode = None  # a grad-mode class to run it under (@torch.no_grad())

    def __call__(self, *args, **kwargs):
        return self.interp.call_user(self, args, kwargs)

    def __get__(self, instance, owner=None):
        return self if instance is None else UserMethod(self, instance)

    def __repr__(self):
        return f"<function {self.qualname} at 0x{id(self):x}>"

    # functions are shared, never copied (copy.deepcopy(model) copies its tensors, not its code)
    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return self

    def __reduce_ex__(self, protocol):
        raise TypeError("cannot pickle 'function' object")


class UserMethod:
    """A UserFunction bound to an instance (`model.forward`)."""

    __slots__ = ("function", "instance")

    def __init__(self, function: UserFunction, instance):
        self.function, self.instance = function, instance

    def __call__(self, *args, **kwargs):
        return self.function.interp.call_user(self.function, (self.instance, *args), kwargs)

    def __eq__(self, other):
        return (
            isinstance(other, UserMethod)
            and other.function is self.function
            and other.instance is self.instance
        )

    def __hash__(self):
        return hash((id(self.function), id(self.instance)))

    def __repr__(self):
        return f"<bound method {self.function.qualname} of {self.instance!r}>"

    def __copy__(self):
        return self

    def __deepcopy__(self, memo):
        return UserMethod(self.function, _deepcopy(self.instance, memo))

    def __reduce_ex__(self, protocol):
        raise TypeError("cannot pickle 'method' object")


def _deepcopy(value, memo):
    import copy

    return copy.deepcopy(value, memo)


def _quoted(names: list[str]) -> str:
    quoted = [f"'{n}'" for n in names]
    if len(quoted) == 1:
        return quoted[0]
    if len(quoted) == 2:
        return f"{quoted[0]} and {quoted[1]}"
    return ", ".join(quoted[:-1]) + f", and {quoted[-1]}"


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" + ("" if n == 1 else "s")


def bind_arguments(fn: UserFunction, args: tuple, kwargs: dict) -> dict:
    """The local variables of a call, or Python's TypeError for the arguments it was given."""
    spec = fn.node.args
    name = fn.qualname + "()"
    positional = [a.arg for a in (*spec.posonlyargs, *spec.args)]
    posonly = {a.arg for a in spec.posonlyargs}
    kwonly = [a.arg for a in spec.kwonlyargs]
    local: dict = {}
    for param, value in zip(positional, args):
        local[param] = value
    if spec.vararg is not None:
        local[spec.vararg.arg] = tuple(args[len(positional) :])
    extra: dict = {}
    passed_posonly = []
    for key, value in kwargs.items():
        if key in posonly:
            if spec.kwarg is not None:
                extra[key] = value
            else:
                passed_posonly.append(key)
            continue
        if key in positional or key in kwonly:
            if key in local:
                raise TypeError(f"{name} got multiple values for argument '{key}'")
            local[key] = value
        elif spec.kwarg is not None:
            extra[key] = value
        else:
            raise TypeError(f"{name} got an unexpected keyword argument '{key}'")
    if passed_posonly:
        raise TypeError(
            f"{name} got some positional-only arguments passed as keyword arguments: "
            f"'{', '.join(passed_posonly)}'"
        )
    if len(args) > len(positional) and spec.vararg is None:
        low, high = len(positional) - len(fn.defaults), len(positional)
        takes = (
            f"from {low} to {high} positional arguments"
            if low != high
            else _plural(high, "positional argument")
        )
        kw_given = sum(1 for k in kwonly if k in local)
        given = f"{len(args)}"
        if kw_given:
            given += (
                f" positional argument{'s' if len(args) != 1 else ''} (and "
                f"{_plural(kw_given, 'keyword-only argument')})"
            )
        verb = "was" if len(args) == 1 and not kw_given else "were"
        raise TypeError(f"{name} takes {takes} but {given} {verb} given")
    first_default = len(positional) - len(fn.defaults)
    missing = []
    for i, param in enumerate(positional):
        if param not in local:
            if i >= first_default:
                local[param] = fn.defaults[i - first_default]
            else:
                missing.append(param)
    if missing:
        raise TypeError(
            f"{name} missing {len(missing)} required positional argument"
            f"{'s' if len(missing) > 1 else ''}: {_quoted(missing)}"
        )
    missing = []
    for param in kwonly:
        if param not in local:
            if param in fn.kw_defaults:
                local[param] = fn.kw_defaults[param]
            else:
                missing.append(param)
    if missing:
        raise TypeError(
            f"{name} missing {len(missing)} required keyword-only argument"
            f"{'s' if len(missing) > 1 else ''}: {_quoted(missing)}"
        )
    if spec.kwarg is not None:
        local[spec.kwarg.arg] = extra
    return local


class Functions:
    """Interpreter mixin: defining and calling functions."""

    def make_function(self, node, name: str) -> UserFunction:
        spec = node.args
        defaults = tuple(self.evaluate(d) for d in spec.defaults)
        kw_defaults = {
            a.arg: self.evaluate(d)
            for a, d in zip(spec.kwonlyargs, spec.kw_defaults)
            if d is not None
        }
        qualname = name
        scope = self.scope
        if scope.kind == FUNCTION and scope.function is not None:
            qualname = f"{scope.function.qualname}.<locals>.{name}"
        elif scope.kind == CLASS:
            qualname = f"{scope.function}.{name}"  # a class scope's `function` is its qualname
        return UserFunction(self, node, name, qualname, defaults, kw_defaults, scope)

    def _function_def(self, node: ast.FunctionDef) -> None:
        decorators = [
            self.evaluate(d) for d in node.decorator_list
        ]  # before the defaults, as Python
        value = self.make_function(node, node.name)
        for decorator, decorator_node in zip(reversed(decorators), reversed(node.decorator_list)):
            value = self.decorate(decorator, value, decorator_node)
        self.store(node.name, value)

    def decorate(self, decorator, function, node):
        if (
            isinstance(decorator, type)
            and decorator in self.ns.grad_mode_classes
            and decorator.__name__ != "set_grad_enabled"
        ):
            decorator = decorator()  # @torch.no_grad without parentheses, as PyTorch allows
        if isinstance(decorator, self.ns.grad_mode_classes):
            if not isinstance(function, UserFunction) or function.grad_mode is not None:
                raise NotAllowedError(
                    "torch.no_grad() and friends decorate a function defined "
                    "with def in gradtrace programs",
                    node,
                )
            function.grad_mode = _grad_mode_factory(decorator)
            return function
        if decorator is self.builtins.get("staticmethod"):
            return staticmethod(function)
        if decorator is self.builtins.get("classmethod"):
            return classmethod(function)
        return self.call(decorator, [function], {})

    def _lambda(self, node: ast.Lambda) -> UserFunction:
        return self.make_function(node, "<lambda>")

    def _return(self, node: ast.Return) -> None:
        raise _Return(None if node.value is None else self.evaluate(node.value))

    def call_user(self, function: UserFunction, args, kwargs):
        """Run a UserFunction: bind its arguments, then its body in a new scope."""
        if self.finished:
            raise RuntimeError("the program has finished: its functions no longer run")
        if len(self.frames) >= self.limits.max_call_depth:
            raise LimitError(
                f"recursion too deep: more than {self.limits.max_call_depth:,} "
                f"nested function calls"
            )
        local = bind_arguments(function, args, kwargs)
        node = function.node
        scope = Scope(FUNCTION, local, function.scope, bound_names(node), function)
        saved_scope, saved_line = self.scope, self.recorder.line
        self.scope = scope
        self.frames.append(function)
        context = function.grad_mode() if function.grad_mode is not None else None
        # a graph scope named after a plain function (a method runs in its module's scope)
        graph_scope = function.owner is None
        if graph_scope:
            self.recorder.enter_scope(function.name)
        try:
            if context is not None:
                context.__enter__()
            try:
                if isinstance(node, ast.Lambda):
                    return self.evaluate(node.body)
                self.block(node.body)
                return None
            except _Return as returned:
                return returned.value
            finally:
                if context is not None:
                    context.__exit__(None, None, None)
        finally:
            if graph_scope:
                self.recorder.exit_scope()
            self.frames.pop()
            self.scope = saved_scope
            self.recorder.line = saved_line

    # -- names ------------------------------------------------------------------------------
    def lookup(self, name: str):
        """The value of `name` where the program is, by Python's rules (local, enclosing, global, builtin)."""
        scope = self.scope
        current = True
        while scope.kind != MODULE:
            if name in scope.global_names:
                break
            if scope.kind == CLASS:
                if current and name in scope.values:
                    return scope.values[name]
            elif name in scope.local_names:
                try:
                    return scope.values[name]
                except KeyError:
                    if current:
                        raise UnboundLocalError(
                            f"cannot access local variable '{name}' where it "
                            f"is not associated with a value"
                        ) from None
                    raise NameError(
                        f"cannot access free variable '{name}' where it is not "
                        f"associated with a value in enclosing scope"
                    ) from None
            scope, current = scope.parent, False
        try:
            return self.variables[name]
        except KeyError:
            pass
        return self.builtins[name]  # KeyError: the caller's NameError

    def store(self, name: str, value) -> None:
        scope = self.scope
        if scope.kind == MODULE or name in scope.global_names:
            self.variables[name] = value
        elif name in scope.nonlocal_names:
            enclosing = scope.parent
            while enclosing.kind != MODULE and not (
                enclosing.kind == FUNCTION and name in enclosing.local_names
            ):
                enclosing = enclosing.parent
            if enclosing.kind == MODULE:
                raise SyntaxError(f"no binding for nonlocal '{name}' found")
            enclosing.values[name] = value
        else:
            scope.values[name] = value

    def _global(self, node) -> None:
        pass  # bound_names already sent these names to the module's variables

    _nonlocal = _global


def _grad_mode_factory(context):
    kind = type(context)
    if hasattr(context, "mode") and kind.__name__ == "set_grad_enabled":
        mode = context.mode
        return lambda: _SetGradMode(kind, mode)
    return kind


class _SetGradMode:
    """set_grad_enabled(mode) as a decorator: set it on entry, restore on exit."""

    def __init__(self, kind, mode):
        self.kind, self.mode = kind, mode

    def __enter__(self):
        self.context = self.kind(self.mode)
        self.context.__enter__()

    def __exit__(self, *exc):
        self.context.__exit__(*exc)
