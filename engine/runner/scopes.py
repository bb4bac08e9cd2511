"""Python's scoping rules for the interpreter: which names a function binds, and where a name is found.

A `Scope` is one running function (or comprehension, or class body); functions keep the scope they
were defined in, so closures see the variables of their enclosing function as Python's cells do.
"""

from __future__ import annotations

import ast
import functools

MODULE, FUNCTION, CLASS = "module", "function", "class"


class Scope:
    """The variables of one module, function call, comprehension or class body."""

    __slots__ = (
        "kind",
        "values",
        "local_names",
        "global_names",
        "nonlocal_names",
        "parent",
        "function",
    )

    def __init__(
        self,
        kind: str,
        values: dict,
        parent: Scope | None = None,
        bound: tuple = (frozenset(), frozenset(), frozenset()),
        function=None,
    ):
        # function: the UserFunction running (a class body's scope holds its qualname instead)
        self.kind, self.values, self.parent, self.function = kind, values, parent, function
        self.local_names, self.global_names, self.nonlocal_names = bound


@functools.lru_cache(maxsize=4096)
def _bound_names(node) -> tuple[frozenset, frozenset, frozenset]:
    return _collect(node)


def bound_names(node: ast.AST) -> tuple[frozenset, frozenset, frozenset]:
    """(local, global, nonlocal) names of a function, lambda or class body, as Python's compiler finds them."""
    return _bound_names(node)


def _collect(node) -> tuple[frozenset, frozenset, frozenset]:
    stores, globals_, nonlocals = set(), set(), set()
    if isinstance(node, (ast.FunctionDef, ast.Lambda)):
        a = node.args
        for arg in (*a.posonlyargs, *a.args, *a.kwonlyargs, a.vararg, a.kwarg):
            if arg is not None:
                stores.add(arg.arg)
        body = node.body if isinstance(node, ast.FunctionDef) else [node.body]
    else:  # ClassDef
        body = node.body
    stack = list(body)
    while stack:
        child = stack.pop()
        if isinstance(child, ast.Global):
            globals_.update(child.names)
        elif isinstance(child, ast.Nonlocal):
            nonlocals.update(child.names)
        elif isinstance(child, ast.Name) and isinstance(child.ctx, (ast.Store, ast.Del)):
            stores.add(child.id)
        elif isinstance(child, (ast.FunctionDef, ast.ClassDef)):
            stores.add(child.name)
            # decorators, defaults and bases run here; the body is another scope
            stack.extend(child.decorator_list)
            if isinstance(child, ast.FunctionDef):
                stack.extend(child.args.defaults)
                stack.extend(d for d in child.args.kw_defaults if d is not None)
            else:
                stack.extend(child.bases)
            continue
        elif isinstance(child, ast.Lambda):
            stack.extend(child.args.defaults)
            stack.extend(d for d in child.args.kw_defaults if d is not None)
            continue
        elif isinstance(child, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
            stack.append(child.generators[0].iter)  # the rest runs in the comprehension's scope
            continue
        elif isinstance(child, ast.ExceptHandler) and child.name:
            stores.add(child.name)
        elif isinstance(child, ast.alias):
            stores.add((child.asname or child.name).split(".")[0])
        stack.extend(ast.iter_child_nodes(child))
    stores -= globals_ | nonlocals
    return frozenset(stores), frozenset(globals_), frozenset(nonlocals)


def comprehension_names(node) -> frozenset:
    """The names a comprehension's `for` targets bind (its own scope)."""
    names = set()
    for generator in node.generators:
        for child in ast.walk(generator.target):
            if isinstance(child, ast.Name):
                names.add(child.id)
    return frozenset(names)
