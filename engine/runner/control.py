"""`while`, `try`/`except`/`else`/`finally`, `raise` and `assert`.

A program's `except` catches the exceptions a program meets (Python's and torch's errors, its own
`raise`); never a limit, a refusal, or the interpreter's own control flow.
"""

from __future__ import annotations

import ast

from engine.runner.check import NotAllowedError
from engine.runner.limits import LimitError

# What a program's `except` may never catch: the runner's own stops, and the host's resource errors.
UNCATCHABLE = (LimitError, NotAllowedError, RecursionError, MemoryError)


class Break(BaseException):
    """`break` (not an Exception, so error handlers never catch it)."""


class Continue(BaseException):
    """`continue`."""


class Control:
    """Interpreter mixin: loops and exceptions."""

    def _while(self, node: ast.While) -> None:
        self.loops.append(0)
        try:
            index = 0
            while True:
                self.recorder.line = node.lineno
                if not self.truth(self.evaluate(node.test)):
                    break
                self.budget.count_iteration(what="a while loop")
                self.loops[-1] = index
                self.recorder.iteration = tuple(self.loops)
                index += 1
                try:
                    self.block(node.body)
                except Break:
                    return
                except Continue:
                    continue
        finally:
            self.loops.pop()
            self.recorder.iteration = tuple(self.loops)
        self.block(node.orelse)

    def _try(self, node: ast.Try) -> None:
        try:
            try:
                self.block(node.body)
            except Exception as error:
                if isinstance(error, UNCATCHABLE):
                    raise
                handler = self._handler(node.handlers, error)
                if handler is None:
                    raise
                self._handle(handler, error)
            else:
                self.block(node.orelse)
        except UNCATCHABLE:
            # a limit or refusal ends the program: its `finally` does not run, since a `return`,
            # `break` or `continue` there would swallow the stop and the program would go on
            raise
        except BaseException:
            self.block(node.finalbody)
            raise
        self.block(node.finalbody)

    def _handler(self, handlers, error):
        for handler in handlers:
            if handler.type is None:
                return handler
            kinds = self.evaluate(handler.type)
            for kind in kinds if isinstance(kinds, tuple) else (kinds,):
                if not (isinstance(kind, type) and issubclass(kind, BaseException)):
                    raise TypeError(
                        "catching classes that do not inherit from BaseException is not allowed"
                    )
            if isinstance(error, kinds):
                return handler
        return None

    def _handle(self, handler, error) -> None:
        self.handling.append(error)
        try:
            if handler.name:
                self.store(handler.name, error)
            try:
                self.block(handler.body)
            finally:
                if handler.name:  # Python deletes the name at the end of the handler
                    self.unbind(handler.name)
        finally:
            self.handling.pop()

    def _raise(self, node: ast.Raise) -> None:
        if node.exc is None:
            if not self.handling:
                raise RuntimeError("No active exception to reraise")
            raise self.handling[-1]
        error = self.exception(self.evaluate(node.exc))
        if node.cause is not None:
            cause = self.evaluate(node.cause)
            error.__cause__ = None if cause is None else self.exception(cause)
        raise error

    def exception(self, value) -> BaseException:
        """What `raise value` raises: an exception instance, or a new one of an exception class."""
        if isinstance(value, type) and issubclass(value, Exception):
            value = self.call(value, [], {})
        if not isinstance(value, Exception) or isinstance(value, UNCATCHABLE):
            raise TypeError("exceptions must derive from BaseException")
        return value

    def _assert(self, node: ast.Assert) -> None:
        if not self.truth(self.evaluate(node.test)):
            if node.msg is None:
                raise AssertionError()
            raise AssertionError(self.evaluate(node.msg))
