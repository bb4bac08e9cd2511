"""Builtins for functions and classes: isinstance, super, sorted, any/all, map/filter, iter/next,
set and dict, getattr/hasattr (public names only), and Python's exception classes."""

from __future__ import annotations

from engine.runner.check import NotAllowedError
from engine.runner.classes import EXCEPTIONS
from engine.runner.policy import Builtin

# builtin names that stand for Python's types in isinstance()
TYPE_NAMES = {
    "int": int,
    "float": float,
    "bool": bool,
    "str": str,
    "list": list,
    "tuple": tuple,
    "dict": dict,
    "set": set,
}


class ProgramIterator:
    """What iter(), map(), filter(), reversed() and a generator expression give: the items of a
    list the program could hold (already computed and counted), one by one, once."""

    __slots__ = ("items", "position")

    def __new__(cls, items: list, kind: str = "list_iterator"):
        return object.__new__(
            ITERATOR_KINDS[kind]
        )  # type(x).__name__ is Python's: 'generator', 'map'

    def __init__(self, items: list, kind: str = "list_iterator"):
        self.items, self.position = items, 0

    def __iter__(self):
        return self

    def __next__(self):
        if self.position >= len(self.items):
            raise StopIteration
        self.position += 1
        return self.items[self.position - 1]

    def __repr__(self):
        kind = type(self).__name__
        name = "generator object <genexpr>" if kind == "generator" else f"{kind} object"
        return f"<{name} at 0x{id(self):x}>"


ITERATOR_KINDS = {
    kind: type(kind, (ProgramIterator,), {"__slots__": ()})
    for kind in ("list_iterator", "list_reverseiterator", "map", "filter", "generator")
}


def make_builtins(interp) -> dict:
    budget = interp.budget

    def no_keywords(name, kwargs):
        if kwargs:
            raise TypeError(f"{name}() takes no keyword arguments")

    def classes_of(spec, name):
        if isinstance(spec, tuple):
            return tuple(k for s in spec for k in classes_of(s, name))
        if isinstance(spec, Builtin) and spec.name in interp.type_builtins:
            return (interp.type_builtins[spec.name],)
        if isinstance(spec, type):
            return (spec,)
        raise TypeError(f"{name}() arg 2 must be a type, a tuple of types, or a union")

    def _isinstance(obj, spec, **kwargs):
        no_keywords("isinstance", kwargs)
        return isinstance(obj, classes_of(spec, "isinstance"))

    def _issubclass(cls, spec, **kwargs):
        no_keywords("issubclass", kwargs)
        if not isinstance(cls, type):
            raise TypeError("issubclass() arg 1 must be a class")
        return issubclass(cls, classes_of(spec, "issubclass"))

    def _super(*args, **kwargs):
        no_keywords("super", kwargs)
        return interp.make_super(*args)

    def _any(iterable, **kwargs):
        no_keywords("any", kwargs)
        return any(interp.truth(v) for v in interp.materialize(iterable))

    def _all(iterable, **kwargs):
        no_keywords("all", kwargs)
        return all(interp.truth(v) for v in interp.materialize(iterable))

    def _sorted(iterable, *, key=None, reverse=False):
        items = interp.materialize(iterable)
        budget.add_elements(len(items))
        if key is None:
            items.sort(reverse=reverse)
        else:
            keys = [interp.call(key, [item], {}) for item in items]
            order = sorted(range(len(items)), key=keys.__getitem__, reverse=reverse)
            items[:] = [items[i] for i in order]
        return interp.new_container(items)

    def _reversed(sequence, **kwargs):
        no_keywords("reversed", kwargs)
        if isinstance(sequence, (dict, set)):
            raise TypeError(f"'{type(sequence).__name__}' object is not reversible")
        return ProgramIterator(interp.materialize(sequence)[::-1], "list_reverseiterator")

    def _map(function, *iterables, **kwargs):
        no_keywords("map", kwargs)
        lists = [interp.materialize(it) for it in iterables]
        out = []
        for values in zip(*lists):
            budget.count_iteration(what="map()")
            out.append(interp.call(function, list(values), {}))
        return ProgramIterator(interp.new_container(out), "map")

    def _filter(function, iterable, **kwargs):
        no_keywords("filter", kwargs)
        out = []
        for value in interp.materialize(iterable):
            budget.count_iteration(what="filter()")
            keep = interp.truth(value if function is None else interp.call(function, [value], {}))
            if keep:
                out.append(value)
        return ProgramIterator(interp.new_container(out), "filter")

    def _iter(iterable, **kwargs):
        no_keywords("iter", kwargs)
        if isinstance(iterable, ProgramIterator):
            return iterable
        return ProgramIterator(interp.materialize(iterable))

    def _next(iterator, *default):
        if not isinstance(iterator, ProgramIterator):
            raise TypeError(f"'{type(iterator).__name__}' object is not an iterator")
        try:
            return next(iterator)
        except StopIteration:
            if default:
                return default[0]
            raise

    def _set(iterable=(), **kwargs):
        no_keywords("set", kwargs)
        return interp.new_container(set(interp.materialize(iterable)))

    def _dict(*args, **kwargs):
        if len(args) > 1:
            raise TypeError(f"dict expected at most 1 argument, got {len(args)}")
        result = {}
        if args:
            source = args[0]
            pairs = source.items() if isinstance(source, dict) else interp.materialize(source)
            for pair in pairs:
                key, value = interp.unpack(pair, 2) if not isinstance(source, dict) else pair
                result[key] = value
        budget.check_sequence(len(result) + len(kwargs))
        result.update(kwargs)
        return interp.new_container(result)

    def _divmod(a, b, **kwargs):
        no_keywords("divmod", kwargs)
        from ast import FloorDiv, Mod

        return (interp.binary(FloorDiv(), a, b), interp.binary(Mod(), a, b))

    def public(name):
        if not isinstance(name, str):
            raise TypeError(f"attribute name must be string, not '{type(name).__name__}'")
        if "__" in name:
            raise NotAllowedError(
                f"names with double underscores (`{name}`) are not allowed in gradtrace programs"
            )
        return name

    def _getattr(obj, name, *default):
        try:
            return interp.get_attribute(obj, public(name))
        except AttributeError:
            if default:
                return default[0]
            raise

    def _hasattr(obj, name):
        try:
            interp.get_attribute(obj, public(name))
        except AttributeError:
            return False
        return True

    def _setattr(obj, name, value):
        interp.set_attribute(obj, public(name), value)

    def _callable(obj):
        return interp.callable(obj)

    def _type(*args, **kwargs):
        if len(args) != 1 or kwargs:
            raise NotAllowedError(
                "type() with more than one argument (making a class) is not "
                "allowed in gradtrace programs; use `class`"
            )
        kind = type(args[0])
        for name, builtin_type in interp.type_builtins.items():
            if kind is builtin_type and name in interp.builtins:
                return interp.builtins[name]  # type(3) is int, as the program spells it
        if interp.is_class_of_program_values(kind):
            return kind
        raise NotAllowedError(f"type() of a {kind.__name__} is not supported in gradtrace programs")

    def _property(fget=None, fset=None, fdel=None, doc=None):
        if fdel is not None:
            raise NotAllowedError("property deleters are not supported in gradtrace programs")
        return property(fget, fset, None, doc)

    def _staticmethod(function):
        return staticmethod(function)

    def _classmethod(function):
        return classmethod(function)

    table = {
        "isinstance": _isinstance,
        "issubclass": _issubclass,
        "super": _super,
        "any": _any,
        "all": _all,
        "sorted": _sorted,
        "reversed": _reversed,
        "map": _map,
        "filter": _filter,
        "iter": _iter,
        "next": _next,
        "set": _set,
        "dict": _dict,
        "divmod": _divmod,
        "getattr": _getattr,
        "hasattr": _hasattr,
        "setattr": _setattr,
        "callable": _callable,
        "staticmethod": _staticmethod,
        "classmethod": _classmethod,
        "type": _type,
        "property": _property,
    }
    for name, impl in table.items():
        impl.__name__ = impl.__qualname__ = name
    builtins = {name: Builtin(name, impl) for name, impl in table.items()}
    builtins.update((kind.__name__, kind) for kind in EXCEPTIONS)
    builtins["__name__"] = "__main__"
    return builtins


__all__ = ["make_builtins", "ProgramIterator", "TYPE_NAMES"]
