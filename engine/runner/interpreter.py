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

from engine.ops import estimates
from engine.runner import calls, costs, formatting, language_builtins, policy, stdlib
from engine.runner.check import STANDARD_MODULES, NotAllowedError
from engine.runner.classes import EXCEPTIONS, Classes, SuperProxy
from engine.runner.comprehensions import Comprehensions
from engine.runner.control import Break as _Break
from engine.runner.control import Continue as _Continue
from engine.runner.control import Control
from engine.runner.functions import Functions, UserFunction, UserMethod
from engine.runner.limits import Budget, LimitError, Limits
from engine.runner.policy import NODE_ATTRIBUTES, Builtin, Method, ModuleProxy, Namespace
from engine.runner.recorder import Recorder
from engine.runner.scopes import MODULE, Scope

BINARY = {
    ast.Add: (operator.add, "+"),
    ast.Sub: (operator.sub, "-"),
    ast.Mult: (operator.mul, "*"),
    ast.Div: (operator.truediv, "/"),
    ast.FloorDiv: (operator.floordiv, "//"),
    ast.Mod: (operator.mod, "%"),
    ast.Pow: (operator.pow, "**"),
    ast.MatMult: (operator.matmul, "@"),
    ast.BitAnd: (operator.and_, "&"),
    ast.BitOr: (operator.or_, "|"),
    ast.BitXor: (operator.xor, "^"),
}
IN_PLACE = {
    ast.Add: operator.iadd,
    ast.Sub: operator.isub,
    ast.Mult: operator.imul,
    ast.Div: operator.itruediv,
    ast.FloorDiv: operator.ifloordiv,
    ast.Mod: operator.imod,
    ast.Pow: operator.ipow,
    ast.MatMult: operator.imatmul,
    ast.BitAnd: operator.iand,
    ast.BitOr: operator.ior,
    ast.BitXor: operator.ixor,
}
COMPARE = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.Is: operator.is_,
    ast.IsNot: operator.is_not,
}
UNARY = {
    ast.USub: (operator.neg, "-"),
    ast.UAdd: (operator.pos, "+"),
    ast.Invert: (operator.invert, "~"),
}
SEQUENCES = (str, list, tuple)
CONTAINERS = (list, tuple, dict, set)
# format-spec mini-language: [[fill]align][sign][z][#][0][width][grouping][.precision][type]
FORMAT_SPEC = re.compile(
    r"(?:.?[<>=^])?[+\- ]?z?#?0?(\d*)[,_]?(?:\.(\d+))?[bcdeEfFgGnosxX%]?\Z", re.S
)
MAX_FORMAT_WIDTH = 1000
SETTABLE_TENSOR_ATTRIBUTES = ("data", "grad", "requires_grad")


class Interpreter(Functions, Control, Classes, Comprehensions):
    """Runs one program; holds its variables, output, budget and recorder."""

    def __init__(self, limits: Limits, namespace: Namespace, replace: dict | None = None):
        self.limits = limits
        self.ns = namespace
        self.budget = Budget(limits)
        self.recorder = Recorder(self.budget, limits.snapshot_elements, replace)
        self.recorder.name_of = self.variable_name
        self.variables: dict = {}
        self.output: list[str] = []
        self.loops: list[int] = []
        self.weights: dict[int, int] = {}  # id(container) -> items through all its levels
        self.finished = False
        self.scope = Scope(MODULE, self.variables)  # where names are read and bound now
        self.frames: list[UserFunction] = []  # the functions running, outermost first
        self.handling: list[BaseException] = []  # exceptions being handled (for a bare `raise`)
        self.user_classes: set[type] = set()
        self.private_names: set[tuple[int, str]] = set()  # (id(obj), name) the program set
        self.data_classes: set[type] = set()  # namedtuple classes
        self.extra_callables: set[int] = (
            set()
        )  # ids of callable values of the standard modules (np.float32)
        self.shared_arrays: list = []  # (numpy array, tensor) sharing memory: Tensor.numpy(), from_numpy
        self.type_builtins = dict(language_builtins.TYPE_NAMES)  # isinstance(x, int), OrderedDict
        self.builtins = {**calls.make_builtins(self), **language_builtins.make_builtins(self)}
        self.stdlib: dict[str, ModuleProxy] = {}  # math, random ... once imported
        self.safe_types = (
            int,
            float,
            bool,
            str,
            list,
            tuple,
            dict,
            set,
            type(None),
            namespace.Tensor,
            np.ndarray,
            np.number,
            np.bool_,
        )

    def variable_name(self, value) -> str | None:
        """The first program variable bound to `value` (names a module's graph scope)."""
        return next((name for name, v in self.variables.items() if v is value), None)

    # -- statements -------------------------------------------------------------------------
    def run(self, tree: ast.Module) -> None:
        try:
            self.block(tree.body)
        finally:
            self.finished = (
                True  # the program's functions no longer run (e.g. a __repr__ asked later)
            )

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
                self.store(alias.asname, module)
            else:
                top = alias.name.split(".")[0]
                self.store(top, self._module(top))

    def _import_from(self, node: ast.ImportFrom) -> None:
        module = self._module(node.module)
        for alias in node.names:
            if alias.name not in module.exported:
                raise policy.missing_import(node.module, alias.name)
            self.store(alias.asname or alias.name, module.exported[alias.name])

    def _module(self, name: str) -> ModuleProxy:
        if name not in self.stdlib and name in STANDARD_MODULES:
            self.stdlib[name] = stdlib.module(self, name)
        if name in self.stdlib:
            return self.stdlib[name]
        try:
            return self.ns.modules[name]
        except KeyError:
            raise policy.missing_module(name) from None

    def _assign(self, node: ast.Assign) -> None:
        value = self.evaluate(node.value)
        for target in node.targets:
            self.assign(target, value)

    def _ann_assign(self, node: ast.AnnAssign) -> None:
        """`x: int = 1` assigns; the annotation is never evaluated (as under `from __future__ import annotations`)."""
        if node.value is not None:
            self.assign(node.target, self.evaluate(node.value))

    def _delete(self, node: ast.Delete) -> None:
        for target in node.targets:
            self.delete(target)

    def delete(self, target) -> None:
        """`del name`, `del obj[index]` (lists and dicts), `del obj.attr` (the program's objects)."""
        kind = type(target)
        if kind is ast.Name:
            self.lookup_for_delete(target.id)
        elif kind in (ast.Tuple, ast.List):
            for element in target.elts:
                self.delete(element)
        elif kind is ast.Subscript:
            obj, index = self.evaluate(target.value), self.evaluate(target.slice)
            if not isinstance(obj, (list, dict)):
                raise TypeError(f"'{_type_name(obj)}' object doesn't support item deletion")
            del obj[index]
        elif kind is ast.Attribute:
            obj = self.evaluate(target.value)
            if not self.is_user_object(obj) or target.attr.startswith("_"):
                raise NotAllowedError(
                    f"deleting attribute `{target.attr}` of a {_type_name(obj)} "
                    f"is not allowed in gradtrace programs"
                )
            delattr(obj, target.attr)
        else:  # pragma: no cover - Python's parser allows no other targets
            raise NotAllowedError(f"cannot delete {kind.__name__}")

    def lookup_for_delete(self, name: str) -> None:
        scope = self.scope
        if scope.kind == MODULE or name in scope.global_names:
            if name not in self.variables:
                raise NameError(f"name '{name}' is not defined")
            del self.variables[name]
        elif name in scope.nonlocal_names or name not in scope.values:
            if name in scope.nonlocal_names:
                raise NotAllowedError(
                    "`del` of a nonlocal name is not allowed in gradtrace programs"
                )
            raise UnboundLocalError(
                f"cannot access local variable '{name}' where it is not associated with a value"
            )
        else:
            del scope.values[name]

    def _aug_assign(self, node: ast.AugAssign) -> None:
        target = node.target
        if isinstance(target, ast.Name):
            current = self._name(target)
            self.store(target.id, self.in_place(node.op, current, self.evaluate(node.value)))
        elif isinstance(target, ast.Attribute):
            obj = self.evaluate(target.value)
            current = self.get_attribute(obj, target.attr)
            self.set_attribute(
                obj, target.attr, self.in_place(node.op, current, self.evaluate(node.value))
            )
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
                    return
                except _Continue:
                    continue
        finally:
            self.loops.pop()
            self.recorder.iteration = tuple(self.loops)
        self.block(node.orelse)

    def _with(self, node: ast.With, items=None) -> None:
        items = node.items if items is None else items
        if not items:
            self.block(node.body)
            return
        item = items[0]
        context = self.evaluate(item.context_expr)
        if isinstance(context, type):
            raise TypeError("'type' object does not support the context manager protocol")
        if not isinstance(context, self.ns.grad_mode_classes):
            raise NotAllowedError(
                f"only torch.no_grad(), torch.enable_grad() and torch.set_grad_enabled(...) can be "
                f"used with `with` in gradtrace programs (line {node.lineno})"
            )
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
        ast.Import: _import,
        ast.ImportFrom: _import_from,
        ast.Assign: _assign,
        ast.AugAssign: _aug_assign,
        ast.AnnAssign: _ann_assign,
        ast.Delete: _delete,
        ast.Expr: _expr,
        ast.If: _if,
        ast.For: _for,
        ast.With: _with,
        ast.Pass: _pass,
        ast.Break: _break,
        ast.Continue: _continue,
        ast.FunctionDef: Functions._function_def,
        ast.Return: Functions._return,
        ast.Global: Functions._global,
        ast.Nonlocal: Functions._nonlocal,
        ast.ClassDef: Classes._class_def,
        ast.While: Control._while,
        ast.Try: Control._try,
        ast.Raise: Control._raise,
        ast.Assert: Control._assert,
    }

    # -- assignment -------------------------------------------------------------------------
    def assign(self, target, value) -> None:
        kind = type(target)
        if kind is ast.Name:
            if isinstance(value, self.ns.Tensor):
                self.recorder.bound(
                    target.id, value
                )  # also gives g = x.grad the line it was named on
            self.store(target.id, value)
        elif kind in (ast.Tuple, ast.List):
            starred = [i for i, e in enumerate(target.elts) if isinstance(e, ast.Starred)]
            if starred:
                self.assign_starred(target.elts, starred, value)
                return
            items = self.unpack(value, len(target.elts))
            for sub, item in zip(target.elts, items):
                self.assign(sub, item)
        elif kind is ast.Subscript:
            self.set_item(self.evaluate(target.value), self.evaluate(target.slice), value)
        elif kind is ast.Attribute:
            self.set_attribute(self.evaluate(target.value), target.attr, value)
        else:  # pragma: no cover - the checker allows no other targets
            raise NotAllowedError(f"cannot assign to {type(target).__name__}")

    def assign_starred(self, targets, starred: list[int], value) -> None:
        """`a, *rest = value`."""
        if len(starred) > 1:
            raise SyntaxError("multiple starred expressions in assignment")
        if not self._iterable(value):
            raise TypeError(f"cannot unpack non-iterable {_type_name(value)} object")
        items = self.materialize(value)
        before, after = starred[0], len(targets) - starred[0] - 1
        if len(items) < before + after:
            raise ValueError(
                f"not enough values to unpack (expected at least {before + after}, "
                f"got {len(items)})"
            )
        middle = self.new_container(items[before : len(items) - after])
        for sub, item in zip(targets[:before], items[:before]):
            self.assign(sub, item)
        self.assign(targets[before].value, middle)
        for sub, item in zip(targets[before + 1 :], items[len(items) - after :]):
            self.assign(sub, item)

    def unbind(self, name: str) -> None:
        """Forget a name (the `as` name of an except clause when the clause ends)."""
        values = (
            self.variables
            if self.scope.kind == MODULE or name in self.scope.global_names
            else self.scope.values
        )
        values.pop(name, None)

    def unpack(self, value, count: int) -> list:
        if not (self._iterable(value) or self._iterable_object(value)):
            raise TypeError(f"cannot unpack non-iterable {_type_name(value)} object")
        items = self.materialize(value)
        if len(items) > count:
            raise ValueError(f"too many values to unpack (expected {count})")
        if len(items) < count:
            raise ValueError(f"not enough values to unpack (expected {count}, got {len(items)})")
        return items

    def _check_array_index(self, array, index) -> None:
        parts = index if isinstance(index, tuple) else (index,)
        if any(isinstance(p, (list, np.ndarray, self.ns.Tensor)) for p in parts):
            biggest = max(
                len(p) if isinstance(p, list) else estimates.prod(np.shape(p))
                for p in parts
                if isinstance(p, (list, np.ndarray, self.ns.Tensor))
            )
            self.budget.check_tensor(biggest * max(estimates.prod(array.shape[1:]), 1))

    def set_item(self, obj, index, value) -> None:
        if isinstance(obj, np.ndarray):
            self._check_array_index(obj, index)
            obj[index] = value
            self.numpy_written(obj)
            return
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
        if self.is_user_object(obj):
            self.set_user_attribute(obj, name, value)
            return
        if isinstance(obj, self.ns.Tensor) and name in SETTABLE_TENSOR_ATTRIBUTES:
            setattr(obj, name, value)
            if isinstance(value, self.ns.Tensor):
                self.recorder.see(value)
            return
        if isinstance(obj, self.ns.Tensor) and isinstance(getattr(type(obj), name, None), property):
            setattr(obj, name, value)  # a read-only one: the engine raises PyTorch's AttributeError
        if isinstance(obj, self.ns.Module) and not name.startswith("_"):
            setattr(obj, name, value)  # Module.__setattr__ registers parameters and submodules
            return
        if isinstance(obj, self.ns.Node) and name in NODE_ATTRIBUTES:
            raise AttributeError(
                f"attribute '{name}' of '{type(obj).__name__}' objects is not writable"
            )
        raise NotAllowedError(
            f"setting attribute `{name}` of a {_type_name(obj)} is not allowed in gradtrace programs"
            + (" (only data, grad and requires_grad)" if isinstance(obj, self.ns.Tensor) else "")
        )

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
            return self.lookup(name)
        except KeyError:
            error = NameError(f"name '{name}' is not defined")
            import difflib

            known = [*self.visible_names(), *self.variables, *self.builtins]
            close = [k for k in known if k.lower() == name.lower()] or difflib.get_close_matches(
                name, known, n=1
            )
            if close:
                error.hint = f"Did you mean: '{close[0]}'?"
            elif name in ("torch", "F", "nn", "Variable"):
                error.hint = "Did you forget to import it?"
            raise error from None

    def _list(self, node):
        return self.new_container(self.items(node.elts))

    def _tuple(self, node):
        return self.new_container(tuple(self.items(node.elts)))

    def _set(self, node):
        return self.new_container(set(self.items(node.elts)))

    def items(self, elements, function=None) -> list:
        """The values of a list/tuple/set display or of call arguments, `*iterable` spread."""
        self.budget.check_sequence(len(elements))
        values = []
        for element in elements:
            if isinstance(element, ast.Starred):
                value = self.evaluate(element.value)
                if not self._iterable(value):
                    where = "Value" if function is None else f"{_callable_name(function)} argument"
                    raise TypeError(f"{where} after * must be an iterable, not {_type_name(value)}")
                spread = self.materialize(value)
                self.budget.check_sequence(len(values) + len(spread))
                values.extend(spread)
            else:
                values.append(self.evaluate(element))
        return values

    def _dict(self, node):
        self.budget.check_sequence(len(node.keys))
        result = {}
        for key, value in zip(node.keys, node.values):
            if key is None:  # {**other}
                other = self.evaluate(value)
                if not isinstance(other, dict):
                    raise TypeError(f"'{_type_name(other)}' object is not a mapping")
                self.budget.check_sequence(len(result) + len(other))
                result.update(other)
            else:
                result[self.evaluate(key)] = self.evaluate(value)
        return self.new_container(result)

    def _starred(self, node):
        raise SyntaxError("can't use starred expression here")

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
            value = self.text(
                value, {ord("r"): repr, ord("s"): str, ord("a"): ascii}[node.conversion]
            )
        spec = "" if node.format_spec is None else self.evaluate(node.format_spec)
        return self.format(value, spec)

    def format(self, value, spec: str) -> str:
        """format(value, spec) for the safe types only, with a bounded width and precision."""
        if spec:
            match = FORMAT_SPEC.match(spec)
            if match is None:
                raise ValueError(
                    f"Invalid format specifier '{spec}' for object of type '{_type_name(value)}'"
                )
            width, precision = match.group(1), match.group(2)
            if (width and int(width) > MAX_FORMAT_WIDTH) or (
                precision and int(precision) > MAX_FORMAT_WIDTH
            ):
                raise LimitError(f"format width or precision too large (limit {MAX_FORMAT_WIDTH})")
        if isinstance(value, (bool, int, float, str, type(None), np.number, np.bool_)):
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
        costs.check_text(
            value,
            self.ns.Tensor,
            limit,
            f"sequence too long: the text of this value "
            f"would have more than {limit:,} characters (limit {limit:,} per string)",
        )

    def _bin_op(self, node):
        return self.binary(node.op, self.evaluate(node.left), self.evaluate(node.right))

    def _unary_op(self, node):
        value = self.evaluate(node.operand)
        if isinstance(node.op, ast.Not):
            return not self.truth(value)
        function, symbol = UNARY[type(node.op)]
        if not isinstance(value, (int, float, self.ns.Tensor, np.ndarray, np.number)) or (
            isinstance(node.op, ast.Invert) and isinstance(value, float)
        ):
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
        obj = self.evaluate(node.value)
        if node.attr == "__init__":
            value = self.init_of(obj)
        elif node.attr == "__name__":
            value = self.name_of(obj)
        else:
            value = self.get_attribute(obj, node.attr)
        if isinstance(value, CONTAINERS):
            self.new_container(value)
        return value

    def is_class_of_program_values(self, kind) -> bool:
        """A class whose instances a program holds, that it may see (type(x), isinstance)."""
        return (
            kind in self.user_classes
            or kind in self.data_classes
            or kind in EXCEPTIONS
            or kind in self.ns.classes
            or issubclass(kind, (self.ns.Tensor, self.ns.Node))
            or kind in (np.ndarray, type(None))
            or issubclass(kind, (np.number, np.bool_))
        )

    def name_of(self, obj) -> str:
        """`obj.__name__`: the name of a class or function the program holds (type(e).__name__)."""
        if isinstance(obj, type) and self.is_class_of_program_values(obj):
            return obj.__name__
        if isinstance(obj, (Builtin, UserFunction)):
            return obj.name
        if isinstance(obj, ModuleProxy):
            return obj.name
        raise AttributeError(f"'{_type_name(obj)}' object has no attribute '__name__'")

    def visible_names(self) -> list[str]:
        """The names of the running function and the functions around it (for "Did you mean")."""
        names, scope = [], self.scope
        while scope.kind != MODULE:
            names.extend(scope.values)
            scope = scope.parent
        return names

    def get_attribute(self, obj, name: str):
        """`obj.name` for the program: its own objects here, everything else through the policy."""
        if isinstance(obj, SuperProxy):
            return self.super_attribute(obj, name)
        if self.is_user_object(obj):
            return self.user_attribute(obj, name)
        if isinstance(obj, (UserFunction, UserMethod)):
            raise AttributeError(
                f"'{'function' if isinstance(obj, UserFunction) else 'method'}' "
                f"object has no attribute '{name}'"
            )
        return self.ns.get_attribute(obj, name, self.container_methods)

    def _subscript(self, node):
        return self.get_item(self.evaluate(node.value), self.evaluate(node.slice))

    def _slice(self, node):
        return slice(
            *(
                None if part is None else self.evaluate(part)
                for part in (node.lower, node.upper, node.step)
            )
        )

    def _call(self, node):
        function = self.evaluate(node.func)
        args = self.items(node.args, function)
        kwargs = {}
        for keyword in node.keywords:
            value = self.evaluate(keyword.value)
            if keyword.arg is not None:
                if keyword.arg in kwargs:
                    raise TypeError(
                        f"{_callable_name(function)} got multiple values for keyword "
                        f"argument '{keyword.arg}'"
                    )
                kwargs[keyword.arg] = value
                continue
            if not isinstance(value, dict):  # f(**mapping)
                raise TypeError(
                    f"{_callable_name(function)} argument after ** must be a mapping, "
                    f"not {_type_name(value)}"
                )
            for key, item in value.items():
                if not isinstance(key, str):
                    raise TypeError("keywords must be strings")
                if key in kwargs:
                    raise TypeError(
                        f"{_callable_name(function)} got multiple values for keyword "
                        f"argument '{key}'"
                    )
                if "__" in key:
                    raise NotAllowedError(
                        f"names with double underscores (`{key}`) are not "
                        f"allowed in gradtrace programs"
                    )
                kwargs[key] = item
        return self.call(function, args, kwargs)

    EXPRESSIONS = {
        ast.Constant: _constant,
        ast.Name: _name,
        ast.List: _list,
        ast.Tuple: _tuple,
        ast.Dict: _dict,
        ast.JoinedStr: _joined_str,
        ast.FormattedValue: _formatted_value,
        ast.BinOp: _bin_op,
        ast.UnaryOp: _unary_op,
        ast.BoolOp: _bool_op,
        ast.Compare: _compare,
        ast.IfExp: _if_exp,
        ast.Attribute: _attribute,
        ast.Subscript: _subscript,
        ast.Slice: _slice,
        ast.Call: _call,
        ast.Set: _set,
        ast.Starred: _starred,
        ast.Lambda: Functions._lambda,
        ast.ListComp: Comprehensions._comprehension,
        ast.SetComp: Comprehensions._comprehension,
        ast.DictComp: Comprehensions._comprehension,
        ast.GeneratorExp: Comprehensions._comprehension,
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
        elif symbol == "%" and isinstance(a, str):
            return formatting.percent(self, a, b)
        elif isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
            self._check_array_binary(symbol, a, b)
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
        if isinstance(current, np.ndarray):
            self._check_operands(BINARY[type(op)][1] + "=", current, value)
            self._check_array_binary(BINARY[type(op)][1], current, value)
            IN_PLACE[type(op)](current, value)
            self.numpy_written(current)
            return current
        if isinstance(current, list) and isinstance(op, ast.Add):
            items = self.materialize(value)
            self.budget.check_length(len(current) + len(items))
            self.grow(current, items)
            current.extend(items)
            return current
        return self.binary(op, current, value)

    def _check_operands(self, symbol, a, b) -> None:
        if not (isinstance(a, self.safe_types) or self.is_user_object(a)) or not (
            isinstance(b, self.safe_types) or self.is_user_object(b)
        ):
            raise TypeError(
                f"unsupported operand type(s) for {symbol}: '{_type_name(a)}' and '{_type_name(b)}'"
            )

    def _check_sequence_binary(self, symbol, a, b) -> None:
        if symbol == "*":
            sequence, count = (a, b) if isinstance(a, SEQUENCES) else (b, a)
            if isinstance(count, SEQUENCES) or not isinstance(count, int):
                raise TypeError(f"can't multiply sequence by non-int of type '{_type_name(count)}'")
            self.budget.check_sequence(len(sequence) * max(count, 0))
        elif symbol == "+" and type(a) is type(b) or isinstance(a, tuple) and isinstance(b, tuple):
            self.budget.check_sequence(len(a) + len(b))

    def _check_array_binary(self, symbol, a, b) -> None:
        """numpy arrays: the result's size before numpy allocates it."""
        try:
            shape = np.broadcast_shapes(np.shape(a), np.shape(b))
        except ValueError:
            return  # numpy raises its own error
        numel = estimates.matmul_numel(a, b) if symbol in ("@", "@=") else estimates.prod(shape)
        self.budget.check_tensor(numel)

    def numpy_written(self, array) -> None:
        """A numpy array was written to: a tensor sharing its memory changed (a timeline event)."""
        for base, tensor in self.shared_arrays:
            if np.may_share_memory(array, base):
                self.recorder.tensor_modified(tensor, "numpy_write", ())

    def _check_int_binary(self, symbol, a: int, b: int) -> None:
        if symbol == "**" and b > 0 and abs(a) > 1:
            self.budget.check_int_bits(int(b * math.log2(abs(a))) + 1)
        elif symbol == "*":
            self.budget.check_int_bits(a.bit_length() + b.bit_length())

    def compare(self, op, a, b):
        kind = type(op)
        if kind in (ast.In, ast.NotIn):
            if not isinstance(b, (list, tuple, str, dict, set, range, self.ns.Tensor)):
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
        if isinstance(obj, np.ndarray):
            self._check_array_index(obj, index)
            return self.account(obj[index])
        if isinstance(obj, (list, tuple, str, range)):
            if isinstance(index, slice):
                for part in (index.start, index.stop, index.step):
                    if part is not None and not isinstance(part, (int, self.ns.Tensor)):
                        raise TypeError(
                            "slice indices must be integers or None or have an __index__ method"
                        )
                result = obj[index]
                if not isinstance(obj, range):
                    self.budget.add_elements(len(result))
                if isinstance(result, CONTAINERS):
                    self.new_container(result)
                return result
            if not isinstance(index, (int, self.ns.Tensor)):
                raise TypeError(
                    f"{_type_name(obj)} indices must be integers or slices, not {_type_name(index)}"
                )
            return obj[index]
        if isinstance(obj, dict):
            return obj[index]
        if isinstance(obj, self.ns.module_containers):
            if not isinstance(index, (int, slice, self.ns.Tensor)):
                raise TypeError(
                    f"{_type_name(obj)} indices must be integers or slices, not {_type_name(index)}"
                )
            return obj[index]
        if (
            self.is_user_object(obj)
            and not isinstance(obj, type)
            and hasattr(type(obj), "__getitem__")
        ):
            return obj[index]  # the program's own __getitem__ (a Dataset) or its engine base's
        raise TypeError(f"'{_type_name(obj)}' object is not subscriptable")

    def call(self, function, args, kwargs):
        if isinstance(function, Builtin):
            return function.impl(*args, **kwargs)
        if isinstance(function, UserFunction):
            return self.call_user(function, args, kwargs)
        if isinstance(function, UserMethod):
            return self.call_user(function.function, (function.instance, *args), kwargs)
        if id(function) in self.extra_callables:
            return self.account(function(*args, **kwargs))
        if (
            self.is_user_object(function)
            or isinstance(function, type)
            and (function in self.data_classes or function in EXCEPTIONS)
        ):
            if not callable(function):
                raise TypeError(f"'{_type_name(function)}' object is not callable")
            return self.account(function(*args, **kwargs))  # a class, or an instance's __call__
        if not self.ns.is_callable(function):
            raise TypeError(f"'{_type_name(function)}' object is not callable")
        calls.check_call(self, function, args, kwargs)
        if (
            "out" in kwargs
            and isinstance(getattr(function, "func", None), types.BuiltinMethodType)
            and isinstance(function.func.__self__, np.ndarray)
        ):
            raise NotAllowedError(
                "`out=` of a numpy array method is not allowed in gradtrace "
                "programs (it could change a tensor's memory unseen)"
            )
        result = (function.func if isinstance(function, Method) else function)(*args, **kwargs)
        if (
            isinstance(function, Method)
            and function.name == "numpy"
            and isinstance(result, np.ndarray)
        ):
            self.shared_arrays.append((result, function.func.__self__))  # Tensor.numpy()
        elif getattr(function, "__name__", "") == "from_numpy" and isinstance(
            result, self.ns.Tensor
        ):
            self.shared_arrays.append((args[0] if args else kwargs.get("ndarray"), result))
        return self.account(result)

    def callable(self, obj) -> bool:
        """callable(obj) for what a program can hold."""
        if (
            isinstance(obj, (Builtin, UserFunction, UserMethod))
            or isinstance(obj, type)
            and obj in self.data_classes
        ):
            return True
        if self.is_user_object(obj) or isinstance(obj, type) and obj in EXCEPTIONS:
            return callable(obj)
        return self.ns.is_callable(obj)

    def account(self, result):
        """Count what a call returned against the budget; a generator (parameters()) becomes a list."""
        if isinstance(result, np.ndarray):
            stdlib.numeric_array(result)
            self.budget.add_elements(result.size)
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
                    return 2**63
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
        return isinstance(
            value,
            (
                list,
                tuple,
                str,
                dict,
                set,
                range,
                self.ns.Tensor,
                np.ndarray,
                language_builtins.ProgramIterator,
                *self.ns.module_containers,
            ),
        )

    def iterate(self, value):
        """An iterator for a `for` loop (each step is counted by the loop)."""
        if isinstance(value, self.ns.Tensor):
            if value.dim() == 0:
                raise TypeError("iteration over a 0-d tensor")
            return iter(value)  # the engine's own iteration (unbind, as PyTorch)
        if self._iterable_object(value):
            return iter(
                value
            )  # the program's __getitem__ (Python calls it with 0, 1, ... until IndexError)
        if not self._iterable(value):
            raise TypeError(f"'{_type_name(value)}' object is not iterable")
        return iter(value)

    def _iterable_object(self, value) -> bool:
        """An instance of the program's class that Python can iterate (its __getitem__, or an
        engine base's __iter__)."""
        return (
            self.is_user_object(value)
            and not isinstance(value, type)
            and (hasattr(type(value), "__getitem__") or hasattr(type(value), "__iter__"))
        )

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
        if self._iterable_object(value):
            items = []
            for item in iter(value):
                self.budget.count_iteration()
                self.budget.check_length(len(items) + 1)
                items.append(item)
            return self.new_container(items)
        if not self._iterable(value):
            raise TypeError(f"'{_type_name(value)}' object is not iterable")
        if isinstance(value, language_builtins.ProgramIterator):  # consumed, as in Python
            rest = value.items[value.position :]
            value.position = len(value.items)
            value = rest
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

            return {
                "append": append,
                "extend": extend,
                "insert": insert,
                "copy": copy,
                "sort": sort,
                "pop": obj.pop,
                **self._searches(obj),
                "clear": obj.clear,
                "reverse": obj.reverse,
            }
        if isinstance(obj, dict):

            def listed(view):
                def method():
                    budget.check_sequence(len(obj))
                    return self.new_container(list(view()))

                return method

            def copy():
                budget.add_elements(len(obj))
                return self.new_container(obj.copy())

            def update(*args, **kwargs):
                other = language_builtins_dict(self, args, kwargs)
                budget.check_length(len(obj) + len(other))
                self.grow(obj, [*other.keys(), *other.values()])
                obj.update(other)

            def setdefault(key, default=None):
                if key not in obj:
                    budget.check_length(len(obj) + 1)
                    self.grow(obj, (key, default))
                return obj.setdefault(key, default)

            methods = {
                "keys": listed(obj.keys),
                "values": listed(obj.values),
                "items": listed(obj.items),
                "get": obj.get,
                "pop": obj.pop,
                "copy": copy,
                "update": update,
                "setdefault": setdefault,
                "popitem": obj.popitem,
                "clear": obj.clear,
            }
            if hasattr(obj, "move_to_end"):  # OrderedDict
                methods["move_to_end"] = obj.move_to_end
            return methods
        if isinstance(obj, set):

            def add(item):
                if item not in obj:
                    budget.check_length(len(obj) + 1)
                    budget.add_elements(1)
                    self.grow(obj, (item,))
                obj.add(item)

            def combined(operation):
                def method(*others):
                    result = operation(*(self.materialize(o) for o in others))
                    budget.check_sequence(len(result))
                    return self.new_container(result)

                return method

            def set_update(*others):
                for other in others:
                    for item in self.materialize(other):
                        add(item)

            return {
                "add": add,
                "update": set_update,
                "remove": obj.remove,
                "discard": obj.discard,
                "pop": obj.pop,
                "clear": obj.clear,
                "copy": combined(obj.copy),
                "union": combined(obj.union),
                "intersection": combined(obj.intersection),
                "difference": combined(obj.difference),
                "issubset": obj.issubset,
                "issuperset": obj.issuperset,
            }
        if isinstance(obj, str):
            return self.str_methods(obj)
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
                    raise ValueError(
                        f"{costs.bounded_repr(item)} is not in list"
                        if (kind, method) == ("list", "index")
                        else f"{kind}.{method}(x): x not in {kind}"
                    )
                return getattr(obj, method)(item, *args)

            return impl

        searches = {"count": searched("count"), "index": searched("index")}
        if isinstance(obj, list):
            searches["remove"] = searched("remove")
        return searches

    def str_methods(self, text: str) -> dict:
        """The str methods a program may call; those that can grow a string check the length first."""
        budget = self.budget

        def sized(length: int) -> None:
            budget.check_length(length)
            budget.add_elements(length)

        def padded(method):
            def pad(width, *fill):
                sized(max(operator.index(width), len(text)))
                return method(width, *fill)

            return pad

        def join(items):
            items = self.materialize(items)
            for item in items:
                if not isinstance(item, str):
                    raise TypeError(
                        f"sequence item {items.index(item)}: expected str instance, "
                        f"{_type_name(item)} found"
                    )
            sized(sum(map(len, items)) + len(text) * max(len(items) - 1, 0))
            return text.join(items)

        def replace(old, new, count=-1):
            if not isinstance(old, str) or not isinstance(new, str):
                raise TypeError("replace() argument must be str")
            found = text.count(old) if count < 0 else min(count, text.count(old))
            sized(len(text) + found * (len(new) - len(old)) + (len(new) if not old else 0))
            return text.replace(old, new, count)

        def listed(method):
            def split(*args, **kwargs):
                parts = method(*args, **kwargs)
                budget.check_sequence(len(parts))
                return self.new_container(parts)

            return split

        methods = {
            name: getattr(text, name)
            for name in (
                "strip",
                "lstrip",
                "rstrip",
                "upper",
                "lower",
                "title",
                "capitalize",
                "startswith",
                "endswith",
                "find",
                "count",
                "index",
                "isdigit",
                "isalpha",
                "isspace",
            )
        }
        methods.update(
            format=lambda *args, **kwargs: self.str_format(text, args, kwargs),
            split=listed(text.split),
            rsplit=listed(text.rsplit),
            splitlines=listed(text.splitlines),
            join=join,
            replace=replace,
            ljust=padded(text.ljust),
            rjust=padded(text.rjust),
            center=padded(text.center),
            zfill=padded(text.zfill),
        )
        return methods

    def str_format(self, template: str, args, kwargs, depth: int = 0) -> str:
        """str.format with plain fields only ({}, {0}, {name}); never attribute or index access."""
        parts, auto = [], 0
        for literal, field, spec, conversion in string.Formatter().parse(template):
            parts.append(literal)
            if field is None:
                continue
            if "." in field or "[" in field:
                raise NotAllowedError(
                    "attribute or index access in str.format fields "
                    f"(`{{{field}}}`) is not allowed in gradtrace programs"
                )
            if field == "":
                if auto >= len(args):
                    raise IndexError(
                        f"Replacement index {auto} out of range for positional args tuple"
                    )
                value, auto = args[auto], auto + 1
            elif field.isdigit():
                if int(field) >= len(args):
                    raise IndexError(
                        f"Replacement index {field} out of range for positional args tuple"
                    )
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
            costs.check_text(
                value,
                self.ns.Tensor,
                available,
                f"too much output: more than {self.limits.max_output_chars:,} characters printed",
            )
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


def language_builtins_dict(interp, args, kwargs) -> dict:
    return interp.builtins["dict"].impl(*args, **kwargs)


def _callable_name(function) -> str:
    if isinstance(function, UserFunction):
        return f"__main__.{function.qualname}()"
    if isinstance(function, UserMethod):
        return f"__main__.{function.function.qualname}()"
    name = getattr(function, "name", None) or getattr(function, "__name__", None)
    return f"{name}()" if isinstance(name, str) else "function"


def _locate(error: BaseException, node) -> None:
    """Attach the innermost AST node an exception passed through (once)."""
    if getattr(error, "gradtrace_node", None) is None and hasattr(node, "lineno"):
        try:
            error.gradtrace_node = node
        except (AttributeError, TypeError):
            pass
