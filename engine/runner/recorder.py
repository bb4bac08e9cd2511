"""The tracer a run installs: it records every tensor, in-place change and backward step with the
source line being executed, and enforces the op, element and time limits from inside the engine."""
from __future__ import annotations

import dataclasses

import numpy as np

from engine import trace
from engine.runner.limits import Budget


@dataclasses.dataclass(frozen=True, slots=True)
class Summary:
    """What is kept of an array too large to copy into the timeline."""
    shape: tuple
    dtype: str
    min: float
    max: float
    mean: float


def snapshot(array, limit: int):
    """A copy of `array` (small) or its Summary (large); None stays None."""
    if array is None:
        return None
    a = np.asarray(array)
    if a.size <= limit:
        return a.copy()
    return summarize(a)


def summarize(a: np.ndarray) -> Summary:
    if a.dtype.kind in "biuf":
        return Summary(a.shape, str(a.dtype), float(a.min()), float(a.max()),
                       float(a.mean(dtype=np.float64)))
    return Summary(a.shape, str(a.dtype), float("nan"), float("nan"), float("nan"))


@dataclasses.dataclass(slots=True)
class TensorRecord:
    tensor: object
    op: str | None
    inputs: tuple
    line: int | None
    iteration: tuple
    scope: tuple = ()  # graph scopes it was made in, outermost first ("model", "model.fc1")


@dataclasses.dataclass(slots=True)
class Event:
    """One timeline event; `type` is create, modify, backward_start, function, accumulate,
    backward_end or print. Fields not used by a type stay None."""
    type: str
    line: int | None
    iteration: tuple = ()
    tensor: object = None
    op: str | None = None
    inputs: tuple = ()
    data: object = None  # snapshot
    call: int | None = None
    roots: tuple = ()
    gradients: tuple = ()  # snapshots
    node: object = None
    grads_in: tuple = ()
    grads_out: tuple = ()
    before: object = None
    after: object = None
    text: str | None = None


class Recorder(trace.Tracer):
    """Records a run's events; `line` and `iteration` are set by the interpreter as it goes."""

    def __init__(self, budget: Budget, snapshot_elements: int, replace: dict | None = None):
        self.budget = budget
        self.replace = replace or {}  # position of a tensor -> function giving its new data
        self.snapshot_elements = snapshot_elements
        self.line: int | None = None
        self.iteration: tuple = ()
        self.tensors: list[TensorRecord] = []
        self.index: dict[int, int] = {}  # id(tensor) -> position in self.tensors
        self.events: list[Event] = []
        self.backward_calls = 0
        self.values_left = budget.limits.max_timeline_values  # numbers the timeline may still copy
        self.pending: list[Event] = []  # accumulations, shown after the function that made them
        self.scopes: list[tuple] = []  # open graph scopes: (owner, label)
        self.scope: tuple = ()  # their labels, outermost first
        self.function_scopes: dict[int, tuple] = {}  # id(Function node) -> (node, scope it was made in)
        self.name_of = lambda obj: None  # the interpreter's: a program variable bound to obj

    def _snap(self, array):
        """A copy while the timeline's budget of values lasts, then only min/max/mean."""
        if array is None:
            return None
        a = np.asarray(array)
        if a.size <= self.snapshot_elements and a.size <= self.values_left:
            self.values_left -= a.size
            return a.copy()
        return summarize(a)

    def _record(self, tensor, op, inputs) -> None:
        if id(tensor) not in self.index:
            self.index[id(tensor)] = len(self.tensors)
            self.tensors.append(TensorRecord(tensor, op, tuple(inputs), self.line, self.iteration, self.scope))
        fn = tensor._grad_fn
        if self.scope and fn is not None and id(fn) not in self.function_scopes:
            self.function_scopes[id(fn)] = (fn, self.scope)

    # -- graph scopes ----------------------------------------------------------------------
    def enter_scope(self, owner) -> None:
        label = owner if isinstance(owner, str) else self._module_path(owner)
        self.scopes.append((owner, label))
        self.scope = self.scope + (label,)

    def exit_scope(self) -> None:
        self.scopes.pop()
        self.scope = self.scope[:-1]

    def _module_path(self, module) -> str:
        """model.fc1: the path under the innermost open module that holds it, else the program's
        variable bound to it, else its class name."""
        for owner, label in reversed(self.scopes):
            if isinstance(owner, str):
                continue
            for name, child in owner.named_modules():
                if child is module and name:
                    return f"{label}.{name}"
        return self.name_of(module) or type(module).__name__

    def see(self, tensor) -> None:
        """A tensor reached the program without an op the engine reported (e.g. a .grad)."""
        self._record(tensor, None, ())

    # -- engine callbacks ------------------------------------------------------------------
    def allocating(self, numel: int) -> None:
        self.budget.check_time()
        self.budget.check_op()
        self.budget.check_tensor(int(numel))

    def tensor_created(self, tensor, op, inputs) -> None:
        self.budget.check_time()
        self.budget.count_op()
        data = tensor._data
        self.budget.add_elements(int(data.size))
        self._record(tensor, op, inputs)
        if self.replace:
            change = self.replace.get(self.index[id(tensor)])
            if change is not None:  # e.g. a leaf nudged by h for a numeric gradient
                data = tensor._data = np.asarray(change(data))
        self.events.append(Event("create", self.line, self.iteration, tensor=tensor, op=op,
                                 inputs=tuple(inputs), data=self._snap(data)))

    def tensor_modified(self, tensor, op, inputs) -> None:
        self.budget.check_time()
        self.budget.count_op()
        self._record(tensor, None, ())
        fn = tensor._grad_fn  # an in-place op gives the tensor a new grad_fn
        if self.scope and fn is not None and id(fn) not in self.function_scopes:
            self.function_scopes[id(fn)] = (fn, self.scope)
        self.events.append(Event("modify", self.line, self.iteration, tensor=tensor, op=op,
                                 inputs=tuple(inputs), data=self._snap(tensor._data)))

    def backward_started(self, roots, grad_roots) -> None:
        self.budget.check_time()
        self.budget.count_op()
        self.events.append(Event("backward_start", self.line, self.iteration,
                                 call=self.backward_calls, roots=tuple(roots),
                                 gradients=tuple(self._snap(g) for g in grad_roots)))

    def function_ran(self, node, grads_in, grads_out) -> None:
        self.budget.check_time()
        self.budget.count_op()
        self.events.append(Event("function", self.line, self.iteration, call=self.backward_calls,
                                 node=node, grads_in=tuple(self._snap(g) for g in grads_in),
                                 grads_out=tuple(self._snap(g) for g in grads_out)))
        self._flush()

    def _flush(self) -> None:
        if self.pending:
            self.events.extend(self.pending)
            self.pending.clear()

    def grad_accumulated(self, tensor, before, after) -> None:
        self.budget.check_time()
        self.budget.count_op()
        self._record(tensor, None, ())
        self.pending.append(Event("accumulate", self.line, self.iteration, call=self.backward_calls,
                                  tensor=tensor, before=self._snap(before), after=self._snap(after)))

    def backward_finished(self) -> None:
        self._flush()
        self.events.append(Event("backward_end", self.line, self.iteration, call=self.backward_calls))
        self.backward_calls += 1

    def printed(self, text: str) -> None:
        self.events.append(Event("print", self.line, self.iteration, text=text))
