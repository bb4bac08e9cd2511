"""Static checks before a program runs: size, AST node count, nesting depth, and the whitelist of
constructs. Anything outside the whitelist is refused with its name and line."""

from __future__ import annotations

import ast
import functools
import re
import threading

from engine.runner.limits import LimitError, Limits


class NotAllowedError(Exception):
    """A construct gradtrace refuses to run (`def`, `while`, `__class__` ...)."""

    def __init__(self, message: str, node: ast.AST | None = None):
        super().__init__(message)
        if node is not None:
            self.gradtrace_node = node


# Names of the modules a program may import, as the user spells them.
IMPORTABLE = ("torch", "torch.nn", "torch.nn.functional", "torch.autograd", "torch.optim")
STANDARD_MODULES = ("math", "random", "collections", "copy", "numpy")  # engine/runner/stdlib.py

ALLOWED_NODES = frozenset(
    {
        ast.Module,
        ast.Import,
        ast.ImportFrom,
        ast.alias,
        ast.Assign,
        ast.AugAssign,
        ast.Expr,
        ast.With,
        ast.withitem,
        ast.For,
        ast.If,
        ast.Pass,
        ast.Break,
        ast.Continue,
        ast.BinOp,
        ast.UnaryOp,
        ast.BoolOp,
        ast.Compare,
        ast.IfExp,
        ast.Call,
        ast.keyword,
        ast.Attribute,
        ast.Subscript,
        ast.Slice,
        ast.Name,
        ast.Constant,
        ast.JoinedStr,
        ast.FormattedValue,
        ast.List,
        ast.Tuple,
        ast.Dict,
        ast.Load,
        ast.Store,
        ast.Add,
        ast.Sub,
        ast.Mult,
        ast.Div,
        ast.FloorDiv,
        ast.Mod,
        ast.Pow,
        ast.MatMult,
        ast.BitAnd,
        ast.BitOr,
        ast.BitXor,
        ast.UAdd,
        ast.USub,
        ast.Not,
        ast.Invert,
        ast.And,
        ast.Or,
        ast.Eq,
        ast.NotEq,
        ast.Lt,
        ast.LtE,
        ast.Gt,
        ast.GtE,
        ast.Is,
        ast.IsNot,
        ast.In,
        ast.NotIn,
        # functions, classes, loops, exceptions (engine/runner/functions.py, classes.py, control.py)
        ast.FunctionDef,
        ast.Lambda,
        ast.arguments,
        ast.arg,
        ast.Return,
        ast.Global,
        ast.Nonlocal,
        ast.ClassDef,
        ast.While,
        ast.Try,
        ast.ExceptHandler,
        ast.Raise,
        ast.Assert,
        ast.ListComp,
        ast.SetComp,
        ast.DictComp,
        ast.GeneratorExp,
        ast.comprehension,
        ast.Starred,
        ast.Set,
        ast.AnnAssign,
        ast.Delete,
        ast.Del,
    }
)
# Special methods a class may define: Python calls them for the program (print, len, [], ==);
# anything else (__getattribute__, __del__, __init_subclass__ ...) would run code behind its back.
DEFINABLE_DUNDERS = frozenset(
    {"__init__", "__repr__", "__str__", "__len__", "__getitem__", "__call__"}
)

# What a refused node is called in the message.
CONSTRUCT_NAMES = {
    "AsyncFunctionDef": "`async def`",
    "TryStar": "`except*` (exception groups)",
    "Yield": "`yield` (generator functions: return a list instead)",
    "YieldFrom": "`yield from`",
    "Await": "`await`",
    "AsyncFor": "`async for`",
    "AsyncWith": "`async with`",
    "NamedExpr": "the walrus operator `:=`",
    "Match": "`match` statements",
    "LShift": "the `<<` operator",
    "RShift": "the `>>` operator",
    "TypeAlias": "`type` aliases",
}


def construct_name(node: ast.AST) -> str:
    kind = type(node).__name__
    return CONSTRUCT_NAMES.get(kind, f"`{kind}`")


PLAIN_NODES = frozenset(
    {
        ast.Load,
        ast.Store,
        ast.Del,
        ast.Add,
        ast.Sub,
        ast.Mult,
        ast.Div,
        ast.List,
        ast.Tuple,
        ast.BinOp,
        ast.Compare,
        ast.Expr,
        ast.Assign,
    }
)


def _refusal(node: ast.AST) -> str | None:
    """The message refusing `node`, or None when it is allowed."""
    kind = type(node)
    if kind in PLAIN_NODES:  # the most common nodes: nothing to check (a fast path)
        return None
    if kind is ast.Name and "__" not in node.id:
        return None
    line = getattr(node, "lineno", None)
    at = f" (line {line})" if line else ""
    if kind not in ALLOWED_NODES:
        name = construct_name(node)
        verb = "are" if name.rstrip(")`").endswith("s") else "is"
        return f"{name} {verb} not allowed in gradtrace programs{at}"
    if kind is ast.Constant and not isinstance(
        node.value, (int, float, str, bool, type(None), type(Ellipsis))
    ):
        what = "bytes literals" if isinstance(node.value, bytes) else "complex numbers"
        return f"{what} are not allowed in gradtrace programs{at}"
    names = ()
    if kind is ast.Name:
        # `if __name__ == "__main__":` of a pasted script reads it (it is "__main__")
        names = () if node.id == "__name__" and isinstance(node.ctx, ast.Load) else (node.id,)
    elif kind is ast.Attribute:
        names = (node.attr,)
    elif kind is ast.keyword:
        names = (node.arg,) if node.arg else ()
    elif kind is ast.alias:
        names = tuple(n for n in (node.name, node.asname) if n)
    elif kind in (ast.FunctionDef, ast.ClassDef):
        names = (node.name,)
    elif kind is ast.arg:
        names = (node.arg,)
    elif kind in (ast.Global, ast.Nonlocal):
        names = tuple(node.names)
    elif kind is ast.ExceptHandler:
        names = (node.name,) if node.name else ()
    for name in names:
        if "__" in name:
            return f"names with double underscores (`{name}`) are not allowed in gradtrace programs{at}"
    if kind is ast.ClassDef:
        if node.keywords:
            return f"class keywords (`{node.keywords[0].arg or '**'}=`) are not allowed in gradtrace programs{at}"
        if node.decorator_list:
            return f"class decorators are not allowed in gradtrace programs{at}"
    elif kind is ast.comprehension and node.is_async:
        return f"`async for` is not allowed in gradtrace programs{at}"
    if kind is ast.Import:
        for alias in node.names:
            if not _importable(alias.name):
                return _import_refusal(alias.name, at)
    elif kind is ast.ImportFrom:
        module = node.module or ""
        if node.level or not _importable(module):
            return _import_refusal("." * node.level + module, at)
        if any(alias.name == "*" for alias in node.names):
            return f"`from {module} import *` is not allowed in gradtrace programs{at}"
    elif kind is ast.With:
        for item in node.items:
            if item.optional_vars is not None and not isinstance(item.optional_vars, ast.Name):
                return f"`with ... as` unpacking is not allowed in gradtrace programs{at}"
    return None


def _importable(module: str) -> bool:
    """torch and its submodules (which ones exist is known when the program runs)."""
    return module == "torch" or module.startswith("torch.") or module in STANDARD_MODULES


def _import_refusal(module: str, at: str) -> str:
    return (
        f"import of `{module}` is not allowed in gradtrace programs{at}: only "
        + ", ".join(IMPORTABLE + STANDARD_MODULES)
        + " can be imported"
    )


def parse(code: str, limits: Limits) -> ast.Module:
    """Parse and check `code`; raise SyntaxError, LimitError or NotAllowedError.

    Checked trees are cached (a class runs the same examples again and again); the interpreter
    never changes a tree."""
    return _parse(code, limits.max_source_chars, limits.max_ast_nodes, limits.max_nesting_depth)


@functools.lru_cache(maxsize=256)
def _parse(
    code: str, max_source_chars: int, max_ast_nodes: int, max_nesting_depth: int
) -> ast.Module:
    limits = Limits(
        max_source_chars=max_source_chars,
        max_ast_nodes=max_ast_nodes,
        max_nesting_depth=max_nesting_depth,
    )
    if len(code) > limits.max_source_chars:
        raise LimitError(
            f"program too long: {len(code):,} characters (limit {limits.max_source_chars:,})"
        )
    surrogate = LONE_SURROGATE.search(code)
    if surrogate is not None:
        raise _surrogate_error(code, surrogate.start())
    try:
        with PARSE_LOCK:
            tree = ast.parse(code, mode="exec")
    except (RecursionError, MemoryError):
        raise LimitError("program too deeply nested to parse") from None
    except ValueError as e:  # e.g. source code string cannot contain null bytes
        raise SyntaxError(str(e)) from None
    _check_tree(tree, limits)
    return tree


# CPython 3.11's parser keeps state that concurrent ast.parse calls can corrupt (SystemError).
PARSE_LOCK = threading.Lock()
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _surrogate_error(code: str, index: int) -> SyntaxError:
    """Text the browser could not have sent as UTF-8: Python's parser raises UnicodeEncodeError."""
    line = code.count("\n", 0, index) + 1
    col = index - (code.rfind("\n", 0, index) + 1)
    error = SyntaxError(
        f"invalid character '\\u{ord(code[index]):04x}' (U+{ord(code[index]):04X}): "
        "a lone surrogate is not valid Unicode text"
    )
    error.lineno, error.offset, error.end_lineno, error.end_offset = line, col + 1, line, col + 2
    return error


def _check_tree(tree: ast.Module, limits: Limits) -> None:
    count = 0
    first: tuple | None = None  # (line, col, message, node) of the first refusal in source order
    allowed = set()  # ids of nodes with a dunder name in the one place it may appear
    # (node, depth, in_loop, in_function, where)
    stack = [(tree, 0, False, False, (0, 0))]
    while stack:
        node, depth, in_loop, in_function, where = stack.pop()
        if hasattr(node, "lineno"):
            where = (node.lineno, node.col_offset)
        count += 1
        if count > limits.max_ast_nodes:
            raise LimitError(f"program too large: more than {limits.max_ast_nodes:,} syntax nodes")
        if depth > limits.max_nesting_depth:
            error = LimitError(
                f"program too deeply nested: more than {limits.max_nesting_depth} levels"
            )
            error.gradtrace_node = node
            raise error
        kind = type(node)
        if kind is ast.Attribute and node.attr == "__name__" and isinstance(node.ctx, ast.Load):
            allowed.add(id(node))  # type(e).__name__, f.__name__: a name, never an object
        if (
            kind is ast.Call
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "__init__"
        ):
            allowed.add(id(node.func))  # super().__init__(...) / nn.Module.__init__(self)
        elif kind is ast.ClassDef:
            allowed.update(
                id(s)
                for s in node.body
                if isinstance(s, ast.FunctionDef) and s.name in DEFINABLE_DUNDERS
            )
        message = None if id(node) in allowed else _refusal(node)
        if message is not None:
            if isinstance(node, ast.Attribute):  # where the attribute's name is
                where = (node.end_lineno, node.end_col_offset - len(node.attr))
            if first is None or where < first[:2]:
                first = (*where, message, node)
            if type(node) not in ALLOWED_NODES:
                continue  # what is inside a refused construct does not matter
        if isinstance(node, (ast.Break, ast.Continue)) and not in_loop:
            word = "break" if isinstance(node, ast.Break) else "continue"
            _syntax_error(
                f"'{word}' {'outside loop' if word == 'break' else 'not properly in loop'}", node
            )
        if kind is ast.Return and not in_function:
            _syntax_error("'return' outside function", node)
        if kind is ast.Nonlocal and not in_function:
            _syntax_error("nonlocal declaration not allowed at module level", node)
        if kind in (ast.FunctionDef, ast.Lambda):
            in_loop, in_function = False, True
        elif kind is ast.ClassDef:
            in_loop = in_function = False
        loop_body = set(map(id, node.body)) if kind in (ast.For, ast.While) else ()
        for child in ast.iter_child_nodes(node):
            stack.append((child, depth + 1, in_loop or id(child) in loop_body, in_function, where))
    if first is not None:
        raise NotAllowedError(first[2], first[3])


def _syntax_error(message: str, node: ast.AST):
    error = SyntaxError(message)
    error.lineno, error.offset = node.lineno, node.col_offset + 1
    error.end_lineno, error.end_offset = node.end_lineno, node.end_col_offset + 1
    raise error
