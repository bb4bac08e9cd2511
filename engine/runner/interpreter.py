"""The tree-walking interpreter: runs a checked AST over the whitelist, never Python's own compiler.

Every operation a program performs goes through a method here that checks its operand types and
sizes first (so `2 ** 10 ** 10`, `"a" * 10 ** 9` or `torch.ones(10 ** 9)` are refused before any
work), then does it with the real operator or the engine's function.
"""
from __future__ import annotations

import ast
import itertools
import math
import operator
import re
import string
import types

import numpy as np

from engine.runner import calls, costs
from engine.runner.check import NotAllowedError
from engine.runner.limits import Budget, LimitError, Limits
from engine.runner.policy import NODE_ATTRIBUTES, Builtin, Method, ModuleProxy, Namespace
from engine.runner.recorder import Recorder


class _Break(BaseException):
    """`break` (not an Exception, so error handlers never catch it)."""


class _Continue(BaseException):
    """`continue`."""


BINARY = {
    ast.Add: (operator.add, "+"), ast.Sub: (operator.sub, "-"), ast.Mult: (operator.mul, "*"),
    ast.Div: (operator.truediv, "/"), ast.FloorDiv: (operator.floordiv, "//"),
    ast.Mod: (operator.mod, "%"), ast.Pow: (operator.pow, "**"), ast.MatMult: (operator.matmul, "@"),
    ast.BitAnd: (operator.and_, "&"), ast.BitOr: (operator.or_, "|"), ast.BitXor: (operator.xor, "^"),
}
IN_PLACE = {
    ast.Add: operator.iadd, ast.Sub: operator.isub, ast.Mult: operator.imul,
    ast.Div: operator.itruediv, ast.FloorDiv: operator.ifloordiv, ast.Mod: operator.imod,
    ast.Pow: operator.ipow, ast.MatMult: operator.imatmul, ast.BitAnd: operator.iand,
    ast.BitOr: operator.ior, ast.BitXor: operator.ixor,
}
COMPARE = {
    ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
    ast.Gt: operator.gt, ast.GtE: operator.ge, ast.Is: operator.is_, ast.IsNot: operator.is_not,
}
UNARY = {ast.USub: (operator.neg, "-"), ast.UAdd: (operator.pos, "+"), ast.Invert: (operator.invert, "~")}
SEQUENCES = (str, list, tuple)
CONTAINERS = (list, tuple, dict)
# format-spec mini-language: [[fill]align][sign][z][#][0][width][grouping][.precision][type]
FORMAT_SPEC = re.compile(r"(?:.?[<>=^])?[+\- ]?z?#?0?(\d*)[,_]?(?:\.(\d+))?[bcdeEfFgGnosxX%]?\Z", re.S)
MAX_FORMAT_WIDTH = 1000
SETTABLE_TENSOR_ATTRIBUTES = ("data", "grad", "requires_grad")


class Interpreter:
    """Runs one program; holds its variables, output, budget and recorder."""

    def __init__(self, limits: Limits, namespace: Namespace, replace: dict | None = None):
        self.limits = limits
        self.ns = namespace
        self.budget = Budget(limits)
        self.recorder = Recorder(self.budget, limits.snapshot_elements, replace)
        self.variables: dict = {}
        self.output: list[str] = []
        self.loops: list[int] = []
        self.weights: dict[int, int] = {}  # id(container) -> items through all its levels
        self.builtins = calls.make_builtins(self)
        self.safe_types = (int, float, bool, str, list, tuple, dict, type(None), namespace.Tensor)

    # -- statements -------------------------------------------------------------------------
    def run(self, tree: ast.Module) -> None:
        self.block(tree.body)

    def block(self, statements) -> None:
        for statement in statements:
            self.execute(statement)

    def execute(self, node) -> None:
        self.recorder.line = node.lineno
        self.budget.check_time()
        try:
            self.STATEMENTS[type(node)](self, node)
        except Exception as error:
            _locate(error, node)
            raise
        self.recorder.statement_done()

    def _import(self, node: ast.Import) -> None:
        for alias in node.names:
            module = self._module(alias.name)
            if alias.asname:
                self.variables[alias.asname] = module
            else:
                self.variables["torch"] = self._module("torch")

    def _import_from(self, node: ast.ImportFrom) -> None:
        module = self._module(node.module)
        for alias in node.names:
            if alias.name not in module.exported:
                raise ImportError(f"cannot import name '{alias.name}' from '{node.module}'")
            self.variables[alias.asname or alias.name] = module.exported[alias.name]

    def _module(self, name: str) -> ModuleProxy:
        try:
            return self.ns.modules[name]
        except KeyError:
            raise ModuleNotFoundError(f"No module named '{name}'") from None

    def _assign(self, node: ast.Assign) -> None:
        value = self.evaluate(node.value)
        for target in node.targets:
            self.assign(target, value)

    def _aug_assign(self, node: ast.AugAssign) -> None:
        target = node.target
        if isinstance(target, ast.Name):
            current = self._name(target)
            self.variables[target.id] = self.in_place(node.op, current, self.evaluate(node.value))
        elif isinstance(target, ast.Attribute):
            obj = self.evaluate(target.value)
            current = self.ns.get_attribute(obj, target.attr, self.container_methods)
            self.set_attribute(obj, target.attr, self.in_place(node.op, current, self.evaluate(node.value)))
        else:  # subscript: obj[i] op= v is obj[i] = obj[i].__iop__(v), as in Python
            obj = self.evaluate(target.value)
            index = self.evaluate(target.slice)
            current = self.get_item(obj, index)
            self.set_item(obj, index, self.in_place(node.op, current, self.evaluate(node.value)))

    def _expr(self, node: ast.Expr) -> None:
        self.evaluate(node.value)

    def _if(self, node: ast.If) -> None:
        self.block(node.body if self.truth(self.evaluate(node.test)) else node.orelse)

    def _for(self, node: ast.For) -> None:
        try:
            iterator = self.iterate(self.evaluate(node.iter))
        except Exception as error:
            _locate(error, node.iter)
            raise
        self.loops.append(0)
        try:
            index = 0
            while True:
                try:
                    item = next(iterator)
                except StopIteration:
                    break
                self.budget.count_iteration()
                self.loops[-1] = index
                self.recorder.iteration = tuple(self.loops)
                index += 1
                self.recorder.line = node.lineno
                self.assign(node.target, item)
                try:
                    self.block(node.body)
                except _Break:
                    break
                except _Continue:
                    continue
        finally:
            self.loops.pop()
            self.recorder.iteration = tuple(self.loops)

    def _with(self, node: ast.With, items=None) -> None:
        items = node.items if items is None else items
        if not items:
            self.block(node.body)
            return
        item = items[0]
        context = self.evaluate(item.context_expr)
        if isinstance(context, type):
            raise TypeError(f"'type' object does not support the context manager protocol")
        if not isinstance(context, self.ns.grad_mode_classes):
            raise NotAllowedError(
                f"only torch.no_grad(), torch.enable_grad() and torch.set_grad_enabled(...) can be "
                f"used with `with` in gradtrace programs (line {node.lineno})")
        entered = context.__enter__()
        try:
            if item.optional_vars is not None:
                self.assign(item.optional_vars, entered)
            self._with(node, items[1:])
        finally:
            context.__exit__(None, None, None)

    def _pass(self, node) -> None:
        pass

    def _break(self, node) -> None:
        raise _Break

    def _continue(self, node) -> None:
        raise _Continue

    STATEMENTS = {
        ast.Import: _import, ast.ImportFrom: _import_from, ast.Assign: _assign,
        ast.AugAssign: _aug_assign, ast.Expr: _expr, ast.If: _if, ast.For: _for, ast.With: _with,
        ast.Pass: _pass, ast.Break: _break, ast.Continue: _continue,
    }

    # -- assignment -------------------------------------------------------------------------
    def assign(self, target, value) -> None:
        kind = type(target)
        if kind is ast.Name:
            if isinstance(value, self.ns.Tensor):
                self.recorder.bound(target.id, value)  # also gives g = x.grad the line it was named on
            self.variables[target.id] = value
        elif kind in (ast.Tuple, ast.List):
            items = self.unpack(value, len(target.elts))
            for sub, item in zip(target.elts, items):
                self.assign(sub, item)
        elif kind is ast.Subscript:
            self.set_item(self.evaluate(target.value), self.evaluate(target.slice), value)
        elif kind is ast.Attribute:
            self.set_attribute(self.evaluate(target.value), target.attr, value)
        else:  # pragma: no cover - the checker allows no other targets
            raise NotAllowedError(f"cannot assign to {type(target).__name__}")

    def unpack(self, value, count: int) -> list:
        if not self._iterable(value):
            raise TypeError(f"cannot unpack non-iterable {_type_name(value)} object")
        items = self.materialize(value)
        if len(items) > count:
            raise ValueError(f"too many values to unpack (expected {count})")
        if len(items) < count:
            raise ValueError(f"not enough values to unpack (expected {count}, got {len(items)})")
        return items

    def set_item(self, obj, index, value) -> None:
        if isinstance(obj, self.ns.Tensor):
            calls.check_index(self, obj, index)
            obj[index] = value
        elif isinstance(obj, list):
            if isinstance(index, slice):
                value = self.materialize(value)
                self.budget.check_length(len(obj) + len(value))
                self.grow(obj, value)
            else:
                self.grow(obj, (value,))
            obj[index] = value
        elif isinstance(obj, dict):
            if index not in obj:
                self.budget.check_length(len(obj) + 1)
                self.budget.add_elements(1)
            self.grow(obj, (index, value))
            obj[index] = value
        else:
            raise TypeError(f"'{_type_name(obj)}' object does not support item assignment")

    def set_attribute(self, obj, name: str, value) -> None:
        if isinstance(obj, self.ns.Tensor) and name in SETTABLE_TENSOR_ATTRIBUTES:
            setattr(obj, name, value)
            if isinstance(value, self.ns.Tensor):
                self.recorder.see(value)
            return
        if isinstance(obj, self.ns.Tensor) and isinstance(getattr(type(obj), name, None), property):
            setattr(obj, name, value)  # a read-only one: the engine raises PyTorch's AttributeError
        if isinstance(obj, self.ns.Node) and name in NODE_ATTRIBUTES:
            raise AttributeError(f"attribute '{name}' of '{type(obj).__name__}' objects is not writable")
        raise NotAllowedError(
            f"setting attribute `{name}` of a {_type_name(obj)} is not allowed in gradtrace programs"
            + (" (only data, grad and requires_grad)" if isinstance(obj, self.ns.Tensor) else ""))

    # -- expressions ------------------------------------------------------------------------
    def evaluate(self, node):
        try:
            return self.EXPRESSIONS[type(node)](self, node)
        except Exception as error:
            _locate(error, node)
            raise

    def _constant(self, node):
        return node.value

    def _name(self, node):
        name = node.id
        try:
            return self.variables[name]
        except KeyError:
            pass
        try:
            return self.builtins[name]
        except KeyError:
            error = NameError(f"name '{name}' is not defined")
            import difflib
            known = [*self.variables, *self.builtins]
            close = [k for k in known if k.lower() == name.lower()] or \
                difflib.get_close_matches(name, known, n=1)
            if close:
                error.hint = f"Did you mean: '{close[0]}'?"
            elif name in ("torch", "F", "nn", "Variable"):
                error.hint = "Did you forget to import it?"
            raise error from None

    def _list(self, node):
        self.budget.check_sequence(len(node.elts))
        return self.new_container([self.evaluate(e) for e in node.elts])

    def _tuple(self, node):
        self.budget.check_sequence(len(node.elts))
        return self.new_container(tuple(self.evaluate(e) for e in node.elts))

    def _dict(self, node):
        self.budget.check_sequence(len(node.keys))
        result = {}
        for key, value in zip(node.keys, node.values):
            result[self.evaluate(key)] = self.evaluate(value)
        return self.new_container(result)

    def _joined_str(self, node):
        parts = []
        length = 0
        for value in node.values:
            part = self.evaluate(value)
            length += len(part)
            self.budget.check_length(length)
            parts.append(part)
        self.budget.add_elements(length)
        return "".join(parts)

    def _formatted_value(self, node):
        value = self.evaluate(node.value)
        if node.conversion in (ord("r"), ord("s"), ord("a")):
            value = self.text(value, {ord("r"): repr, ord("s"): str, ord("a"): ascii}[node.conversion])
        spec = "" if node.format_spec is None else self.evaluate(node.format_spec)
        return self.format(value, spec)

    def format(self, value, spec: str) -> str:
        """format(value, spec) for the safe types only, with a bounded width and precision."""
        if spec:
            match = FORMAT_SPEC.match(spec)
            if match is None:
                raise ValueError(f"Invalid format specifier '{spec}' for object of type "
                                 f"'{_type_name(value)}'")
            width, precision = match.group(1), match.group(2)
            if (width and int(width) > MAX_FORMAT_WIDTH) or (precision and int(precision) > MAX_FORMAT_WIDTH):
                raise LimitError(f"format width or precision too large (limit {MAX_FORMAT_WIDTH})")
        if isinstance(value, (bool, int, float, str, type(None))):
            return format(value, spec)
        if isinstance(value, self.ns.Tensor):
            if not spec:
                return self.text(value, str)
            if value.dim() == 0:
                return format(value.item(), spec)
        elif not spec:
            return self.text(value, str)
        raise TypeError(f"unsupported format string passed to {_type_name(value)}.__format__")

    def text(self, value, convert=str) -> str:
        """str/repr/ascii of `value`, refused before the text is built when it would be too long."""
        self.check_text(value)
        return convert(value)

    def check_text(self, value) -> None:
        limit = self.limits.max_sequence_length
        costs.check_text(value, self.ns.Tensor, limit, f"sequence too long: the text of this value "
                         f"would have more than {limit:,} characters (limit {limit:,} per string)")

    def _bin_op(self, node):
        return self.binary(node.op, self.evaluate(node.left), self.evaluate(node.right))

    def _unary_op(self, node):
        value = self.evaluate(node.operand)
        if isinstance(node.op, ast.Not):
            return not self.truth(value)
        function, symbol = UNARY[type(node.op)]
        if not isinstance(value, (int, float, self.ns.Tensor)) or (
                isinstance(node.op, ast.Invert) and isinstance(value, float)):
            raise TypeError(f"bad operand type for unary {symbol}: '{_type_name(value)}'")
        return function(value)

    def _bool_op(self, node):
        is_and = isinstance(node.op, ast.And)
        value = None
        for operand in node.values:
            value = self.evaluate(operand)
            if self.truth(value) != is_and:
                return value
        return value

    def _compare(self, node):
        left = self.evaluate(node.left)
        result = True
        for op, comparator in zip(node.ops, node.comparators):
            right = self.evaluate(comparator)
            result = self.compare(op, left, right)
            if len(node.ops) > 1 and not self.truth(result):
                return result
            left = right
        return result

    def _if_exp(self, node):
        return self.evaluate(node.body if self.truth(self.evaluate(node.test)) else node.orelse)

    def _attribute(self, node):
        value = self.ns.get_attribute(self.evaluate(node.value), node.attr, self.container_methods)
        if isinstance(value, CONTAINERS):
            self.new_container(value)
        return value

    def _subscript(self, node):
        return self.get_item(self.evaluate(node.value), self.evaluate(node.slice))

    def _slice(self, node):
        return slice(*(None if part is None else self.evaluate(part)
                       for part in (node.lower, node.upper, node.step)))

    def _call(self, node):
        function = self.evaluate(node.func)
        args = [self.evaluate(a) for a in node.args]
        kwargs = {k.arg: self.evaluate(k.value) for k in node.keywords}
        return self.call(function, args, kwargs)

    EXPRESSIONS = {
        ast.Constant: _constant, ast.Name: _name, ast.List: _list, ast.Tuple: _tuple,
        ast.Dict: _dict, ast.JoinedStr: _joined_str, ast.FormattedValue: _formatted_value,
        ast.BinOp: _bin_op, ast.UnaryOp: _unary_op, ast.BoolOp: _bool_op, ast.Compare: _compare,
        ast.IfExp: _if_exp, ast.Attribute: _attribute, ast.Subscript: _subscript,
        ast.Slice: _slice, ast.Call: _call,
    }

    # -- operations ---------------------------------------------------------------------------
    def truth(self, value) -> bool:
        return bool(value)

    def binary(self, op, a, b):
        function, symbol = BINARY[type(op)]
        self._check_operands(symbol, a, b)
        Tensor = self.ns.Tensor
        if isinstance(a, Tensor) or isinstance(b, Tensor):
            if symbol == "*" and (isinstance(a, SEQUENCES) or isinstance(b, SEQUENCES)):
                raise TypeError("can't multiply sequence by non-int of type 'Tensor'")
            calls.check_tensor_binary(self, symbol, a, b)
        elif isinstance(a, SEQUENCES) or isinstance(b, SEQUENCES):
            self._check_sequence_binary(symbol, a, b)
        elif isinstance(a, int) and isinstance(b, int):
            self._check_int_binary(symbol, a, b)
        result = function(a, b)
        if isinstance(result, CONTAINERS):
            self.new_container(result)
        return result

    def in_place(self, op, current, value):
        """`current op= value`: in place on tensors and lists, else the binary operator."""
        if isinstance(current, self.ns.Tensor):
            self._check_operands(BINARY[type(op)][1] + "=", current, value)
            calls.check_tensor_binary(self, BINARY[type(op)][1], current, value)
            return IN_PLACE[type(op)](current, value)
        if isinstance(current, list) and isinstance(op, ast.Add):
            items = self.materialize(value)
            self.budget.check_length(len(current) + len(items))
            self.grow(current, items)
            current.extend(items)
            return current
        return self.binary(op, current, value)

    def _check_operands(self, symbol, a, b) -> None:
        if not isinstance(a, self.safe_types) or not isinstance(b, self.safe_types):
            raise TypeError(f"unsupported operand type(s) for {symbol}: "
                            f"'{_type_name(a)}' and '{_type_name(b)}'")

    def _check_sequence_binary(self, symbol, a, b) -> None:
        if symbol == "*":
            sequence, count = (a, b) if isinstance(a, SEQUENCES) else (b, a)
            if isinstance(count, SEQUENCES) or not isinstance(count, int):
                raise TypeError(f"can't multiply sequence by non-int of type '{_type_name(count)}'")
            self.budget.check_sequence(len(sequence) * max(count, 0))
        elif symbol == "+" and type(a) is type(b) or isinstance(a, tuple) and isinstance(b, tuple):
            self.budget.check_sequence(len(a) + len(b))
        elif symbol == "%" and isinstance(a, str):
            raise NotAllowedError("`%` formatting of strings is not allowed in gradtrace programs; "
                                  "use an f-string")

    def _check_int_binary(self, symbol, a: int, b: int) -> None:
        if symbol == "**" and b > 0 and abs(a) > 1:
            self.budget.check_int_bits(int(b * math.log2(abs(a))) + 1)
        elif symbol == "*":
            self.budget.check_int_bits(a.bit_length() + b.bit_length())

    def compare(self, op, a, b):
        kind = type(op)
        if kind in (ast.In, ast.NotIn):
            if not isinstance(b, (list, tuple, str, dict, range, self.ns.Tensor)):
                raise TypeError(f"argument of type '{_type_name(b)}' is not iterable")
            if isinstance(b, range):
                found = costs.in_range(a, b, self.budget)
            else:
                costs.check_comparison(a, b, self.limits, both=False)
                found = a in b
            return found if kind is ast.In else not found
        if kind not in (ast.Is, ast.IsNot):
            costs.check_comparison(a, b, self.limits)
        return COMPARE[kind](a, b)

    def get_item(self, obj, index):
        if isinstance(obj, self.ns.Tensor):
            calls.check_index(self, obj, index)
            return obj[index]
        if isinstance(obj, (list, tuple, str, range)):
            if isinstance(index, slice):
                for part in (index.start, index.stop, index.step):
                    if part is not None and not isinstance(part, (int, self.ns.Tensor)):
                        raise TypeError("slice indices must be integers or None or have an "
                                        "__index__ method")
                result = obj[index]
                if not isinstance(obj, range):
                    self.budget.add_elements(len(result))
                if isinstance(result, CONTAINERS):
                    self.new_container(result)
                return result
            if not isinstance(index, (int, self.ns.Tensor)):
                raise TypeError(f"{_type_name(obj)} indices must be integers or slices, "
                                f"not {_type_name(index)}")
            return obj[index]
        if isinstance(obj, dict):
            return obj[index]
        raise TypeError(f"'{_type_name(obj)}' object is not subscriptable")

    def call(self, function, args, kwargs):
        if isinstance(function, Builtin):
            return function.impl(*args, **kwargs)
        if not self.ns.is_callable(function):
            raise TypeError(f"'{_type_name(function)}' object is not callable")
        calls.check_call(self, function, args, kwargs)
        result = (function.func if isinstance(function, Method) else function)(*args, **kwargs)
        return self.account(result)

    def account(self, result):
        """Count what a call returned against the budget; a generator (parameters()) becomes a list."""
        if isinstance(result, types.GeneratorType):
            items = list(itertools.islice(result, self.limits.max_sequence_length + 1))
            self.budget.check_sequence(len(items))
            result = items
        if isinstance(result, (list, tuple, dict, str)):
            self.budget.add_elements(len(result))
            if isinstance(result, CONTAINERS):
                self.new_container(result)
        return result

    # -- sizes of nested containers -------------------------------------------------------------
    def weight(self, value) -> int:
        if not isinstance(value, CONTAINERS):
            if isinstance(value, range):  # lazy, but whatever consumes it will not be
                try:
                    return max(len(value), 1)
                except OverflowError:
                    return 2 ** 63
            return 1
        found = self.weights.get(id(value))
        return self._measure(value) if found is None else found

    def _measure(self, value) -> int:
        items = [*value.keys(), *value.values()] if isinstance(value, dict) else value
        total = 1 + sum(self.weight(item) for item in items)
        self.budget.check_weight(total)
        self.weights[id(value)] = total
        return total

    def new_container(self, value):
        """Register a list/tuple/dict the program now holds, with its size through all levels."""
        self.weights.pop(id(value), None)
        self._measure(value)
        return value

    def grow(self, container, items) -> None:
        """Before `items` are added to `container`."""
        total = self.weight(container) + sum(self.weight(item) for item in items)
        self.budget.check_weight(total)
        self.weights[id(container)] = total

    # -- iteration --------------------------------------------------------------------------
    def _iterable(self, value) -> bool:
        return isinstance(value, (list, tuple, str, dict, range, self.ns.Tensor))

    def iterate(self, value):
        """An iterator for a `for` loop (each step is counted by the loop)."""
        if isinstance(value, self.ns.Tensor):
            if value.dim() == 0:
                raise TypeError("iteration over a 0-d tensor")
            return iter(value)  # the engine's own iteration (unbind, as PyTorch)
        if not self._iterable(value):
            raise TypeError(f"'{_type_name(value)}' object is not iterable")
        return iter(value)

    def materialize(self, value) -> list:
        """list(value) for the iterable safe types, with its size checked first."""
        if isinstance(value, self.ns.Tensor):
            if value.dim() == 0:
                raise TypeError("iteration over a 0-d tensor")
            self.budget.count_iteration(len(value))
            return self.new_container(list(iter(value)))
        if isinstance(value, range):
            try:
                length = len(value)
            except OverflowError:
                raise LimitError("range too long to make a list of") from None
            self.budget.check_sequence(length)
            return self.new_container(list(value))
        if not self._iterable(value):
            raise TypeError(f"'{_type_name(value)}' object is not iterable")
        self.budget.check_sequence(len(value))
        return self.new_container(list(value))

    # -- list, dict and tuple methods ---------------------------------------------------------
    def container_methods(self, obj) -> dict:
        budget = self.budget
        if isinstance(obj, list):
            def append(item):
                budget.check_length(len(obj) + 1)
                budget.add_elements(1)
                self.grow(obj, (item,))
                obj.append(item)

            def extend(items):
                items = self.materialize(items)
                budget.check_length(len(obj) + len(items))
                self.grow(obj, items)
                obj.extend(items)

            def insert(index, item):
                budget.check_length(len(obj) + 1)
                budget.add_elements(1)
                self.grow(obj, (item,))
                obj.insert(index, item)

            def copy():
                budget.add_elements(len(obj))
                return self.new_container(obj.copy())

            def sort(*, reverse=False):
                costs.check_sort(obj, self.limits)
                obj.sort(reverse=reverse)

            return {"append": append, "extend": extend, "insert": insert, "copy": copy,
                    "sort": sort, "pop": obj.pop, **self._searches(obj),
                    "clear": obj.clear, "reverse": obj.reverse}
        if isinstance(obj, dict):
            def listed(view):
                def method():
                    budget.check_sequence(len(obj))
                    return self.new_container(list(view()))
                return method

            def copy():
                budget.add_elements(len(obj))
                return self.new_container(obj.copy())

            return {"keys": listed(obj.keys), "values": listed(obj.values),
                    "items": listed(obj.items), "get": obj.get, "pop": obj.pop, "copy": copy}
        if isinstance(obj, str):
            return {"format": lambda *args, **kwargs: self.str_format(obj, args, kwargs)}
        return self._searches(obj)

    def _searches(self, obj) -> dict:
        """count / index / remove of a list or tuple: their comparisons counted first; a missing
        item's message made with a bounded repr (Python's would repr all of it)."""
        kind = type(obj).__name__

        def searched(method):
            def impl(item, *args):
                costs.check_comparison(item, obj, self.limits, both=False)
                if args:  # list.index(x, start, stop) reprs x in its message
                    self.check_text(item)
                elif method != "count" and item not in obj:
                    raise ValueError(f"{costs.bounded_repr(item)} is not in list"
                                     if (kind, method) == ("list", "index")
                                     else f"{kind}.{method}(x): x not in {kind}")
                return getattr(obj, method)(item, *args)
            return impl

        searches = {"count": searched("count"), "index": searched("index")}
        if isinstance(obj, list):
            searches["remove"] = searched("remove")
        return searches

    def str_format(self, template: str, args, kwargs, depth: int = 0) -> str:
        """str.format with plain fields only ({}, {0}, {name}); never attribute or index access."""
        parts, auto = [], 0
        for literal, field, spec, conversion in string.Formatter().parse(template):
            parts.append(literal)
            if field is None:
                continue
            if "." in field or "[" in field:
                raise NotAllowedError("attribute or index access in str.format fields "
                                      f"(`{{{field}}}`) is not allowed in gradtrace programs")
            if field == "":
                if auto >= len(args):
                    raise IndexError(f"Replacement index {auto} out of range for positional "
                                     f"args tuple")
                value, auto = args[auto], auto + 1
            elif field.isdigit():
                if int(field) >= len(args):
                    raise IndexError(f"Replacement index {field} out of range for positional "
                                     f"args tuple")
                value = args[int(field)]
            elif field in kwargs:
                value = kwargs[field]
            else:
                raise KeyError(field)
            if conversion:
                value = self.text(value, {"r": repr, "s": str, "a": ascii}[conversion])
            if spec and "{" in spec:
                if depth:
                    raise ValueError("Max string recursion exceeded")
                spec = self.str_format(spec, args[auto:], kwargs, depth + 1)
            parts.append(self.format(value, spec or ""))
            self.budget.check_length(sum(map(len, parts)))
        text = "".join(parts)
        self.budget.add_elements(len(text))
        return text

    # -- output -------------------------------------------------------------------------------
    def print(self, *values, sep=" ", end="\n", flush=False):
        for name, value in (("sep", sep), ("end", end)):
            if value is not None and not isinstance(value, str):
                raise TypeError(f"{name} must be None or a string, not {_type_name(value)}")
        sep = " " if sep is None else sep
        end = "\n" if end is None else end
        available = self.limits.max_output_chars - self.budget.output_chars
        for value in values:  # refused before the text is built
            costs.check_text(value, self.ns.Tensor, available, f"too much output: more than "
                             f"{self.limits.max_output_chars:,} characters printed")
        text = sep.join(str(v) for v in values) + end
        self.budget.check_output(len(text))
        self.output.append(text)
        self.recorder.printed(text)


def _type_name(value) -> str:
    from engine.runner.policy import Method as _Method
    if isinstance(value, ModuleProxy):
        return "module"
    if isinstance(value, (_Method, Builtin)):
        return "builtin_function_or_method"
    if isinstance(value, np.ndarray):
        return "numpy.ndarray"
    return type(value).__name__


def _locate(error: BaseException, node) -> None:
    """Attach the innermost AST node an exception passed through (once)."""
    if getattr(error, "gradtrace_node", None) is None and hasattr(node, "lineno"):
        try:
            error.gradtrace_node = node
        except (AttributeError, TypeError):
            pass
