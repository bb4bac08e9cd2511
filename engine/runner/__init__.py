"""The safe runner: `run(code, limits) -> RunResult`, `run_described(code, limits) -> RunDescription`.

The program is parsed with `ast`, checked against a whitelist (engine/runner/check.py) and walked
by a small interpreter (interpreter.py) that only calls what policy.py exposes; it never compiles
user code to Python bytecode. The engine's tracer records every tensor and backward step.
`run` leaves the live objects (tests of the interpreter read them); the app takes `run_described`,
the same run described by ids, arrays and names (engine/runner/document.py).
"""

from __future__ import annotations

import contextlib
import dataclasses
import sys
import time

import numpy as np

from engine import grad_mode, trace
from engine.runner import costs
from engine.runner.check import PARSE_LOCK, NotAllowedError, parse
from engine.runner.document import RunDescription, describe_run
from engine.runner.ids import function_id, tensor_id, tensor_position
from engine.runner.limits import LimitError, Limits
from engine.runner.recorder import Event, Summary, TensorRecord

__all__ = [
    "run",
    "run_described",
    "RunResult",
    "RunDescription",
    "RunError",
    "Limits",
    "LimitError",
    "NotAllowedError",
    "Event",
    "Summary",
    "TensorRecord",
    "describe_run",
    "tensor_id",
    "function_id",
    "tensor_position",
    "PARSE_LOCK",
]

DEFAULT_SEED = 67280421310721  # PyTorch's initial CPU seed: same program, same random numbers


@dataclasses.dataclass
class RunError:
    type: str
    message: str
    line: int | None = None
    col: int | None = None
    end_line: int | None = None
    end_col: int | None = None
    hint: str | None = None


@dataclasses.dataclass
class RunResult:
    code: str
    variables: dict
    output: str
    error: RunError | None
    tensors: list  # TensorRecord, in the order the run first saw them
    events: list  # Event, in program order
    seconds: float = 0.0
    limits: Limits | None = None
    grad_owners: dict = dataclasses.field(default_factory=dict)  # id(.grad) -> (.grad, its tensor)
    function_scopes: dict = dataclasses.field(default_factory=dict)  # id(node) -> (node, scope)


_namespace = None


def namespace():
    """The exposed torch namespace, built once (after the engine imports)."""
    global _namespace
    if _namespace is None:
        from engine.runner.policy import Namespace

        _namespace = Namespace()
    return _namespace


def run(code: str, limits: Limits | None = None, replace: dict | None = None) -> RunResult:
    """Run `code` safely; never raises for anything the program does.

    `replace` maps a tensor's position (its document id t<n> is `n`) to a function of its data
    at birth giving new data, applied as the tensor is created: how a numeric gradient check
    re-runs a program with one leaf nudged (`{3: lambda a: a.astype("float64") + h}`). Any object
    with `.get(position)` will do (app/gradcheck.py makes every float tensor float64 that way)."""
    from engine.runner.interpreter import Interpreter

    limits = limits or Limits()
    _allow_call_depth(limits.max_call_depth)
    started = time.monotonic()
    interpreter = Interpreter(limits, namespace(), replace)
    error = None
    with _fresh_global_state(), trace.tracing(interpreter.recorder):
        try:
            tree = parse(code, limits)
            costs.check_int_literals(tree, limits.max_int_bits)
            interpreter.run(tree)
        except Exception as exc:  # everything a program can cause becomes its error
            error = describe(exc, code)
    return RunResult(
        code=code,
        variables=interpreter.variables,
        output="".join(interpreter.output),
        error=error,
        tensors=interpreter.recorder.tensors,
        function_scopes=interpreter.recorder.function_scopes,
        events=interpreter.recorder.events,
        seconds=time.monotonic() - started,
        limits=limits,
        grad_owners=interpreter.recorder.grad_owner,
    )


def _allow_call_depth(calls: int) -> None:
    """Each call of a program's function takes a few dozen of the interpreter's Python frames:
    raise Python's recursion limit (process-wide, never lowered) so the program's own limit,
    with its own message, is what stops a deep recursion."""
    needed = 2_000 + 60 * calls
    if sys.getrecursionlimit() < needed:
        sys.setrecursionlimit(needed)


def run_described(
    code: str, limits: Limits | None = None, replace: dict | None = None
) -> RunDescription:
    """`run`, described for the document: ids, arrays and names, no live engine objects."""
    return describe_run(run(code, limits, replace))


@contextlib.contextmanager
def _fresh_global_state():
    """Each run starts with grad mode on, the default dtype and a fixed seed; restored after.

    numpy's floating-point warnings are off while it runs: PyTorch gives inf and nan silently.
    """
    import engine.torch as torch

    enabled = grad_mode.state.enabled
    grad_mode.state.enabled = True
    default_dtype = getattr(torch, "get_default_dtype", lambda: None)()
    seed = getattr(torch, "manual_seed", None)
    if seed is not None:
        try:
            seed(DEFAULT_SEED)
        except Exception:  # an engine whose generator takes smaller seeds
            seed(0)
    from engine.printing import reset_printoptions

    reset_printoptions()  # torch.set_printoptions in one program does not reach the next
    try:
        with np.errstate(all="ignore"):
            yield
    finally:
        grad_mode.state.enabled = enabled
        if default_dtype is not None and hasattr(torch, "set_default_dtype"):
            torch.set_default_dtype(default_dtype)


def _python_type_name(exc: BaseException) -> str:
    if isinstance(exc, (LimitError, NotAllowedError)) or type(exc).__module__ == "__main__":
        return type(exc).__name__  # the runner's own, or an exception class the program defined
    for cls in type(exc).__mro__:
        if cls.__module__ == "builtins":
            return cls.__name__
    return type(exc).__name__


def describe(exc: BaseException, code: str) -> RunError:
    """The RunError of an exception: Python's type name, message, and source range (0-based cols)."""
    if isinstance(exc, SyntaxError) and getattr(exc, "gradtrace_node", None) is None:
        line = exc.lineno
        col = exc.offset - 1 if exc.offset else None
        end_line = exc.end_lineno or line
        end_col = exc.end_offset - 1 if exc.end_offset and exc.end_offset > 0 else col
        if end_line == line and end_col is not None and col is not None and end_col < col:
            end_col = col
        return RunError("SyntaxError", exc.msg, line, col, end_line, end_col)
    if isinstance(exc, KeyError) and exc.args:
        message = costs.cut_message(
            costs.bounded_repr(exc.args[0])
        )  # never the whole text of a huge key
    else:
        message = costs.cut_message(str(exc))
    if isinstance(exc, RecursionError):
        message = "maximum recursion depth exceeded"
    error = RunError(_python_type_name(exc), message, hint=getattr(exc, "hint", None))
    node = getattr(exc, "gradtrace_node", None)
    if node is not None and hasattr(node, "lineno"):
        lines = code.splitlines()
        error.line, error.end_line = node.lineno, node.end_lineno
        error.col = _char_col(lines, node.lineno, node.col_offset)
        error.end_col = _char_col(lines, node.end_lineno, node.end_col_offset)
    return error


def _char_col(lines: list[str], line: int | None, byte_col: int | None) -> int | None:
    """ast columns count UTF-8 bytes; the document counts characters."""
    if line is None or byte_col is None or not 0 < line <= len(lines):
        return byte_col
    text = lines[line - 1]
    if text.isascii():
        return byte_col
    return len(text.encode("utf-8")[:byte_col].decode("utf-8", errors="ignore"))
