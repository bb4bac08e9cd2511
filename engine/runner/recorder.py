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
        return Summary(
            a.shape, str(a.dtype), float(a.min()), float(a.max()), float(a.mean(dtype=np.float64))
        )
    return Summary(a.shape, str(a.dtype), float("nan"), float("nan"), float("nan"))


@dataclasses.dataclass(slots=True)
class TensorRecord:
    tensor: object
    op: str | None
    inputs: tuple
    line: int | None
    iteration: tuple
    name: str | None = None  # the program variable it was first bound to
    scope: tuple = ()  # graph scopes it was made in, outermost first ("model", "model.fc1")


@dataclasses.dataclass(slots=True)
class Watch:
    """What the program last held in a parameter's .grad and .data (to see resets and .data writes
    that no op reports: `w.grad = None`, `opt.zero_grad()`, `w.data = t`, `w.grad.data.zero_()`)."""

    tensor: object
    grad: object = None  # the .grad Tensor (None: no grad)
    grad_value: object = (
        None  # its array's (shape, bytes) (None: too large to compare, identity only)
    )
    data: object = None  # the ndarray
    data_value: object = None


@dataclasses.dataclass(slots=True)
class Event:
    """One timeline event; `type` is create, modify, backward_start, function, accumulate,
    backward_end, print or warning (its category in `op`, message in `text`). Fields not used by a type stay None."""

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
    grad_tensor: object = None  # accumulate / grad: the .grad Tensor after the event
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
        self.warned_at: set = set()  # (category, message, line) already shown
        self.watched: dict[int, Watch] = {}  # id(tensor) -> its Watch
        self.grad_owner: dict[
            int, tuple
        ] = {}  # id(a .grad Tensor) -> (that Tensor, the tensor it belongs to)
        self.scopes: list[tuple] = []  # open graph scopes: (owner, label)
        self.scope: tuple = ()  # their labels, outermost first
        self.function_scopes: dict[
            int, tuple
        ] = {}  # id(Function node) -> (node, scope it was made in)
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
            self.tensors.append(
                TensorRecord(tensor, op, tuple(inputs), self.line, self.iteration, scope=self.scope)
            )
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
        """A tensor reached the program without an op the engine reported (e.g. a .grad, or the
        new handle `x.data` makes each time): its elements count once it is kept, as the
        document will summarise each one."""
        if id(tensor) not in self.index:
            self.budget.add_elements(int(tensor._data.size))
        self._record(tensor, None, ())

    def bound(self, name: str, tensor) -> None:
        """The program bound `name` to `tensor`; its first name is the one the page shows."""
        self.see(tensor)
        record = self.tensors[self.index[id(tensor)]]
        if record.name is None:
            record.name = name
        if tensor.requires_grad and tensor.grad_fn is None:
            self._watch(tensor)

    # -- what no op reports: .grad resets and .data writes ---------------------------------
    def _copy(self, array):
        """What `_changed` compares: (shape, bytes) of a small array; bytes compare ~50x faster
        than np.array_equal, and NaN equals the same NaN."""
        a = np.asarray(array)
        return (a.shape, a.tobytes()) if a.size <= self.snapshot_elements else None

    def _watch(self, tensor) -> Watch:
        watch = self.watched.get(id(tensor))
        if watch is None:
            watch = self.watched[id(tensor)] = Watch(tensor)
            self._saw_data(watch)
            self._saw_grad(watch)
        return watch

    def _saw_data(self, watch: Watch) -> None:
        watch.data = watch.tensor._data
        watch.data_value = self._copy(watch.data)

    def _saw_grad(self, watch: Watch) -> None:
        grad = watch.grad = watch.tensor._grad
        watch.grad_value = None if grad is None else self._copy(grad._data)
        if grad is not None:
            self.grad_owner[id(grad)] = (grad, watch.tensor)

    def _grad_event(self, watch: Watch, op: str) -> None:
        self._saw_grad(watch)
        grad = watch.grad
        self.events.append(
            Event(
                "grad",
                self.line,
                self.iteration,
                tensor=watch.tensor,
                op=op,
                data=None if grad is None else self._snap(grad._data),
                grad_tensor=grad,
            )
        )

    def statement_done(self) -> None:
        """After each statement: report the .grad and .data changes no op reported."""
        for watch in self.watched.values():
            tensor = watch.tensor
            grad = tensor._grad
            if grad is not watch.grad:
                self._grad_event(watch, "None" if grad is None else "set")
            elif grad is not None and _changed(grad._data, watch.grad_value):
                self._grad_event(watch, "zero_" if not grad._data.any() else "set")
            if tensor._data is not watch.data or _changed(tensor._data, watch.data_value):
                self._saw_data(watch)
                self.events.append(
                    Event(
                        "modify",
                        self.line,
                        self.iteration,
                        tensor=tensor,
                        op="data",
                        data=self._snap(tensor._data),
                    )
                )

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
        self.events.append(
            Event(
                "create",
                self.line,
                self.iteration,
                tensor=tensor,
                op=op,
                inputs=tuple(inputs),
                data=self._snap(data),
            )
        )

    def tensor_modified(self, tensor, op, inputs) -> None:
        self.budget.check_time()
        self.budget.count_op()
        owner = self.grad_owner.get(id(tensor))
        if owner is not None and owner[0] is tensor and owner[1]._grad is tensor:
            # `w.grad.zero_()`: the change is to w's gradient, not to a tensor of its own
            self._grad_event(self.watched[id(owner[1])], op)
            return
        if id(tensor) not in self.index:
            return  # a `.data` alias nobody named: its owner's change is reported after the statement
        watch = self.watched.get(id(tensor))
        if watch is not None:
            self._saw_data(watch)
        fn = tensor._grad_fn  # an in-place op gives the tensor a new grad_fn
        if self.scope and fn is not None and id(fn) not in self.function_scopes:
            self.function_scopes[id(fn)] = (fn, self.scope)
        self.events.append(
            Event(
                "modify",
                self.line,
                self.iteration,
                tensor=tensor,
                op=op,
                inputs=tuple(inputs),
                data=self._snap(tensor._data),
            )
        )

    def backward_started(self, roots, grad_roots) -> None:
        self.budget.check_time()
        self.budget.count_op()
        self.events.append(
            Event(
                "backward_start",
                self.line,
                self.iteration,
                call=self.backward_calls,
                roots=tuple(roots),
                gradients=tuple(self._snap(g) for g in grad_roots),
            )
        )

    def function_ran(self, node, grads_in, grads_out) -> None:
        self.budget.check_time()
        self.budget.count_op()
        self.events.append(
            Event(
                "function",
                self.line,
                self.iteration,
                call=self.backward_calls,
                node=node,
                grads_in=tuple(self._snap(g) for g in grads_in),
                grads_out=tuple(self._snap(g) for g in grads_out),
            )
        )
        self._flush()

    def _flush(self) -> None:
        if self.pending:
            self.events.extend(self.pending)
            self.pending.clear()

    def grad_accumulated(self, tensor, before, after) -> None:
        self.budget.check_time()
        self.budget.count_op()
        self._record(tensor, None, ())
        self._saw_grad(self._watch(tensor))
        self.pending.append(
            Event(
                "accumulate",
                self.line,
                self.iteration,
                call=self.backward_calls,
                tensor=tensor,
                before=self._snap(before),
                after=self._snap(after),
                grad_tensor=tensor._grad,
            )
        )

    def hook_ran(self, tensor, before, after) -> None:
        self.budget.check_time()
        self.budget.count_op()
        self._record(tensor, None, ())
        self.events.append(
            Event(
                "hook",
                self.line,
                self.iteration,
                call=self.backward_calls,
                tensor=tensor,
                before=self._snap(before),
                after=self._snap(after),
            )
        )

    def backward_finished(self) -> None:
        self._flush()
        self.events.append(
            Event("backward_end", self.line, self.iteration, call=self.backward_calls)
        )
        self.backward_calls += 1

    def warned(self, category: str, message: str) -> None:
        """Shown once per line, as Python's default warning filter shows a warning once per call site."""
        key = (category, message, self.line)
        if key in self.warned_at:
            return
        self.warned_at.add(key)
        self.events.append(Event("warning", self.line, self.iteration, op=category, text=message))

    def printed(self, text: str) -> None:
        self.events.append(Event("print", self.line, self.iteration, text=text))


def _changed(array, known) -> bool:
    """Whether `array` differs from `known`, a Recorder._copy (None: too large, taken as the same)."""
    return known is not None and (array.shape != known[0] or array.tobytes() != known[1])
