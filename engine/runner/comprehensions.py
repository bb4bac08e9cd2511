"""List, set and dict comprehensions and generator expressions, each in its own scope as in Python.

Every item counts as a loop iteration; a generator expression is computed at once and then handed
out item by item (so `(i for i in range(10 ** 9))` stops at the loop limit).
"""

from __future__ import annotations

import ast

from engine.runner.language_builtins import ProgramIterator
from engine.runner.scopes import FUNCTION, Scope, comprehension_names

WHAT = {
    ast.ListComp: "a list comprehension",
    ast.SetComp: "a set comprehension",
    ast.DictComp: "a dict comprehension",
    ast.GeneratorExp: "a generator expression",
}


class Comprehensions:
    """Interpreter mixin."""

    def _comprehension(self, node):
        kind = type(node)
        what = WHAT[kind]
        result = {} if kind is ast.DictComp else set() if kind is ast.SetComp else []
        first = self.iterate(self.evaluate(node.generators[0].iter))  # in the enclosing scope
        function = self.scope.function if self.scope.kind == FUNCTION else None
        scope = Scope(
            FUNCTION,
            {},
            self.scope,
            (comprehension_names(node), frozenset(), frozenset()),
            function,
        )
        saved = self.scope
        self.scope = scope
        try:
            self._generate(node, node.generators, 0, first, result, what)
        finally:
            self.scope = saved
        if kind is ast.GeneratorExp:  # computed already, consumed once like a generator
            return ProgramIterator(self.new_container(result), "generator")
        return self.new_container(result)

    def _generate(self, node, generators, level, iterator, result, what) -> None:
        generator = generators[level]
        for item in iterator:
            self.budget.count_iteration(what=what)
            self.assign(generator.target, item)
            if not all(self.truth(self.evaluate(test)) for test in generator.ifs):
                continue
            if level + 1 < len(generators):
                inner = self.iterate(self.evaluate(generators[level + 1].iter))
                self._generate(node, generators, level + 1, inner, result, what)
            elif isinstance(result, dict):
                key, value = self.evaluate(node.key), self.evaluate(node.value)
                if key not in result:
                    self.budget.check_length(len(result) + 1)
                    self.budget.add_elements(1)
                self.grow(result, (key, value))
                result[key] = value
            else:
                value = self.evaluate(node.elt)
                self.budget.check_length(len(result) + 1)
                self.budget.add_elements(1)
                self.grow(result, (value,))
                if isinstance(result, set):
                    result.add(value)
                else:
                    result.append(value)
