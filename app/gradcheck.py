"""Numeric gradient check (POST /api/gradcheck): a leaf's backprop gradient beside a central
finite-difference estimate of the same derivative, both computed in float64.

What is differentiated. The first backward call whose graph reached the leaf (accumulated into its
`.grad`) is call k, `r.backward(g)`: its root r and gradient g (ones for a scalar root, else the
`gradient=` argument, taken from the unnudged run) define f(leaf) = <g, r> = sum(g * r). What call k
adds to `leaf.grad` is exactly df/dleaf (the vector-Jacobian product g^T dr/dleaf). Later backward
calls (a training loop's next steps, a second `backward()`) are not part of f: the leaf is nudged
where it is created, and call k is the first that sees it.

How. The program is re-run with every floating tensor made float64 as it is created (the same
values, without float32 rounding afterwards) and the leaf's element i set to x_i ± eps, twice per
element: 2 × numel reruns, each a fresh run from the same seed, so random numbers repeat.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import time

import numpy as np

from app.document import encode
from app.errors import RequestError
from engine.runner import Limits, RunDescription, Summary, run_described, tensor_id, tensor_position

ATOL, RTOL = 1e-5, 1e-3  # torch.autograd.gradcheck's defaults
# The check reads the root, its gradient and the leaf's accumulation from the run's timeline, which
# copies values exactly only up to a budget: ten times a document's (8 MB of float64 per run).
TIMELINE_VALUES = 1_000_000


class GradcheckError(RequestError):
    """A check that cannot be made: 413 too big, 422 not checkable."""


@dataclasses.dataclass(frozen=True)
class Budget:
    max_elements: int = 1000  # elements of the leaf (2 reruns each)
    max_seconds: float = 10.0  # wall time of all reruns together


def _to_float64(a):
    return a.astype(np.float64) if a.dtype.kind == "f" and a.dtype != np.float64 else a


class _Float64:
    """The runner's `replace` hook: every floating tensor float64 at birth; the leaf at `position`
    with element `element` moved by `delta`. `nudged` says whether the leaf was made; `lowered`
    lists the positions of tensors born in a lower float precision (float32, float16)."""

    def __init__(self, position: int | None = None, element: int = 0, delta: float = 0.0):
        self.position, self.element, self.delta = position, element, delta
        self.nudged = False
        self.lowered: list[int] = []

    def __bool__(self) -> bool:
        return True

    def get(self, position: int):
        if position == self.position:
            return self._nudge

        def widen(a):
            a = np.asarray(a)
            if a.dtype.kind == "f" and a.dtype.itemsize < 8:
                self.lowered.append(position)
            return _to_float64(a)

        return widen

    def _nudge(self, a):
        self.nudged = True
        a = np.array(a, dtype=np.float64)  # a copy
        a.reshape(-1)[self.element] += self.delta
        return a


@dataclasses.dataclass
class _Call:
    """Call k of the base run: where its root and gradient are."""

    index: int
    root_position: int
    gradient: np.ndarray
    line: int | None
    grad: np.ndarray  # what call k accumulated into the leaf


def check(
    code: str,
    tensor: str,
    eps: float,
    limits: Limits,
    budget: Budget,
    slot=contextlib.nullcontext(),  # noqa: B008 (stateless: one shared instance is fine)
) -> dict:
    """The numeric and backprop gradients of the leaf `tensor` (document id `t3` or variable name).
    Every run holds `slot` (the server's run semaphore) while it runs. Raises GradcheckError."""
    started = time.monotonic()
    limits = dataclasses.replace(
        limits, max_timeline_values=max(limits.max_timeline_values, TIMELINE_VALUES)
    )

    def rerun(hook: _Float64) -> RunDescription:
        with slot:
            return run_described(code, limits, replace=hook)

    base_hook = _Float64()
    base = rerun(base_hook)
    position = _resolve(base, tensor)
    leaf = base.tensors[position]
    label = _label(base, position)
    if not leaf["is_leaf"]:
        raise GradcheckError(
            422,
            f"{label} is not a leaf: it was made by {leaf['op']} "
            f"on line {leaf['line']}. The check nudges a leaf, "
            "a tensor created with requires_grad=True.",
        )
    if not leaf["requires_grad"]:
        raise GradcheckError(
            422,
            f"{label} does not require grad, so backward() gives it no .grad; "
            "create it with requires_grad=True to check its gradient.",
        )
    numel = math.prod(leaf["shape"])
    if numel > budget.max_elements:
        raise GradcheckError(
            413,
            f"{label} has {numel:,} elements; the numeric check re-runs the "
            f"program twice per element and stops at {budget.max_elements:,} "
            "elements (GRADTRACE_GRADCHECK_MAX_ELEMENTS).",
        )
    reruns = 2 * numel
    estimate = base.seconds * reruns
    if estimate > budget.max_seconds:
        raise GradcheckError(
            413,
            f"checking {label} needs {reruns:,} re-runs of about {base.seconds:.2g} s "
            f"each (≈ {estimate:.3g} s), over the {budget.max_seconds:g} s budget "
            "(GRADTRACE_GRADCHECK_MAX_SECONDS).",
        )
    call = _first_call(base, leaf, label)
    numeric = np.empty(numel, dtype=np.float64)
    done = 0
    for i in range(numel):
        values = []
        for delta in (eps, -eps):
            hook = _Float64(position, i, delta)
            values.append(_objective(rerun(hook), hook, call, label, i, delta))
            done += 1
            if time.monotonic() - started > budget.max_seconds:
                raise GradcheckError(
                    413,
                    f"the check of {label} ran out of its {budget.max_seconds:g} s "
                    f"budget after {done:,} of {reruns:,} re-runs "
                    "(GRADTRACE_GRADCHECK_MAX_SECONDS).",
                )
        numeric[i] = (values[0] - values[1]) / (2 * eps)
    numeric = numeric.reshape(leaf["shape"])
    rounding = _rounding_notes(base, base_hook.lowered)
    return _report(
        base, position, leaf, call, numeric, eps, reruns, time.monotonic() - started, rounding
    )


def _resolve(result: RunDescription, tensor: str) -> int:
    """The position of `tensor` (an id `t<n>` or a variable name) among the run's tensors."""
    position = tensor_position(tensor)
    if position is not None and position < len(result.tensors):
        return position
    held = result.variables.get(tensor)
    if position is None and held is not None:
        return tensor_position(held)
    if position is not None:
        made = (
            f"it makes t0 to t{len(result.tensors) - 1}"
            if result.tensors
            else "it makes no tensors"
        )
        problem = f"no tensor {tensor} in this program: {made}"
    else:
        names = sorted(result.variables)
        problem = (
            f"no tensor variable named {tensor!r} at the end of the program "
            f"(tensor variables: {', '.join(names) or 'none'})"
        )
    raise GradcheckError(422, problem + _stopped(result))


def _stopped(result: RunDescription) -> str:
    """`; the program stopped with TypeError: ... (line 3)`, or nothing."""
    error = result.error
    if error is None:
        return ""
    where = f" (line {error.line})" if error.line else ""
    return f"; the program stopped with {error.type}: {error.message}{where}"


def _label(result: RunDescription, position: int) -> str:
    name = result.names().get(tensor_id(position))
    return f"'{name}' (t{position})" if name is not None else f"t{position}"


def _first_call(base: RunDescription, leaf: dict, label: str) -> _Call:
    """The first backward call that accumulated into `leaf`, its root, gradient and contribution."""
    grads: dict[int, np.ndarray] = {}
    for event in base.timeline:
        if event["type"] == "accumulate" and event["tensor"] == leaf["id"]:
            grads.setdefault(event["call"], np.zeros(leaf["shape"]))
            grads[event["call"]] = (
                grads[event["call"]]
                + _array(event["after"], label)
                - (0 if event["before"] is None else _array(event["before"], label))
            )
    if not grads:
        calls = any(e["type"] == "backward_start" for e in base.timeline)
        why = " (torch.autograd.grad returns gradients without filling .grad)" if calls else ""
        raise GradcheckError(
            422,
            f"no backward() call reached {label}, so its .grad is None and there "
            f"is nothing to compare with{why}{_stopped(base)}",
        )
    index = min(grads)
    start = next(e for e in base.timeline if e["type"] == "backward_start" and e["call"] == index)
    written = next(
        (
            e
            for e in base.timeline[: start["step"]]
            if e["type"] == "modify" and e["tensor"] == leaf["id"]
        ),
        None,
    )
    if (
        written is not None
    ):  # e.g. an nn.Linear weight, filled by its initialisation after it was made
        raise GradcheckError(
            422,
            f"{label} was written in place ({written['op']}, line {written['line']}) before "
            "the backward call; the check nudges a leaf where it is made, so the write would "
            "undo the nudge",
        )
    owner = tensor_position(start["roots"][0])  # a Function id when no tensor holds that root now
    if owner is None:
        raise GradcheckError(
            422,
            f"the tensor backward() was called on (line {start['line']}) was changed "
            "in place afterwards; the check needs its value at the backward call.",
        )
    gradient = start["gradient"]
    if isinstance(gradient, list):
        gradient = gradient[0] if gradient else None
    gradient = np.ones(()) if gradient is None else _array(gradient, "the backward gradient")
    return _Call(index, owner, gradient, start["line"], grads[index])


def _array(value, what: str) -> np.ndarray:
    if isinstance(value, Summary):
        raise GradcheckError(
            413,
            f"{what} was not recorded exactly: the program records more than "
            f"{TIMELINE_VALUES:,} values before it, the check's limit",
        )
    return np.asarray(value, dtype=np.float64)


def _objective(
    result: RunDescription, hook: _Float64, call: _Call, label: str, element: int, delta: float
) -> float:
    """<g, root> at backward call k of a rerun with the leaf nudged."""
    nudge = f"with {label} element {element} nudged by {delta:+g}"
    if not hook.nudged:
        raise GradcheckError(422, f"{label} was not created again when the program re-ran {nudge}.")
    start_step = next(
        (
            i
            for i, e in enumerate(result.timeline)
            if e["type"] == "backward_start" and e["call"] == call.index
        ),
        None,
    )
    if start_step is None:
        if result.error is not None:
            raise GradcheckError(
                422, f"backward call {call.index} did not happen {nudge}{_stopped(result)}"
            )
        raise GradcheckError(
            422,
            f"the program made fewer backward calls {nudge}: it is not the same "
            "computation for nearby values (a branch on a tensor's value?).",
        )
    root = tensor_id(call.root_position)
    value = None
    for event in result.timeline[:start_step]:
        if event["type"] in ("create", "modify") and event["tensor"] == root:
            value = event["data"]
    if value is None and call.root_position < len(result.tensors):
        value = result.tensors[call.root_position]["data"]
    value = _array(value, "the tensor backward() was called on")
    if value.shape != call.gradient.shape:
        raise GradcheckError(422, f"the tensor backward() was called on changed shape {nudge}.")
    return float(np.sum(call.gradient * value))


def _rounding_notes(base: RunDescription, lowered: list[int]) -> list[str]:
    """A cast of a float64 tensor to float32 (`.float()`, `.to(torch.float32)`) rounds the nudge away."""
    for position in lowered:
        record = base.tensors[position]
        if any(base.tensors[tensor_position(x)]["dtype"] == "float64" for x in record["inputs"]):
            return [
                f"The program casts to a lower precision on line {record['line']} ({record['op']}); where "
                "such a cast lies between this tensor and the backward root, it rounds most of the "
                "nudge away and the estimate is off."
            ]
    return []


def _report(
    base: RunDescription,
    position: int,
    leaf: dict,
    call: _Call,
    numeric: np.ndarray,
    eps: float,
    reruns: int,
    seconds: float,
    rounding: list[str],
) -> dict:
    grad = call.grad
    diff = np.abs(numeric - grad)
    scale = max(
        float(np.max(np.abs(grad), initial=0.0)), float(np.max(np.abs(numeric), initial=0.0))
    )
    max_abs = float(np.max(diff, initial=0.0))  # nan when either is nan somewhere
    close = bool(np.all(diff <= ATOL + RTOL * np.abs(grad)))
    calls = sorted(
        {
            e["call"]
            for e in base.timeline
            if e["type"] == "accumulate" and e["tensor"] == leaf["id"]
        }
    )
    notes = []
    if len(calls) > 1:
        notes.append(
            f"{len(calls)} backward calls reached this tensor; the check is about the first "
            f"(line {call.line}), so it can differ from the final .grad."
        )
    start = next(
        i
        for i, e in enumerate(base.timeline)
        if e["type"] == "backward_start" and e["call"] == call.index
    )
    changed = [
        e["line"]
        for e in base.timeline[:start]
        if e["type"] == "modify" and e["tensor"] == leaf["id"]
    ]
    if changed:
        notes.append(
            f"The tensor was changed in place on line {changed[0]} before that backward call; "
            "the estimate nudges the value it was created with."
        )
    finite = bool(np.all(np.isfinite(numeric)) and np.all(np.isfinite(grad)))
    if not finite:
        notes.append(
            "Some values are nan or inf: the function has no finite derivative there "
            "(sqrt or log at 0), or the nudge left its domain."
        )
    elif not close and not rounding:
        notes.append(
            "Backprop and the estimate disagree where the program's value depends on the "
            "tensor along a path backward() does not follow (detach(), no_grad, .data), "
            "or at a point where the function has no derivative (relu at 0, abs at 0)."
        )
    notes += rounding
    if base.error is not None:
        notes.append(
            f"The program stops later with {base.error.type} (line {base.error.line}); "
            "the backward call checked ran before it."
        )
    root = base.tensors[call.root_position]
    names = base.names()
    return {
        "tensor": leaf["id"],
        "name": names.get(leaf["id"]),
        "shape": list(leaf["shape"]),
        "call": call.index,
        "line": call.line,
        "root": root["id"],
        "root_name": names.get(root["id"]),
        "root_shape": list(root["shape"]),
        "eps": eps,
        "numeric": encode(numeric),
        "autograd": encode(grad),
        "max_abs_diff": encode(max_abs),
        "max_rel_diff": encode(max_abs / scale if scale > 0 else 0.0),
        "atol": ATOL,
        "rtol": RTOL,
        "close": close,
        "reruns": reruns,
        "seconds": round(seconds, 6),
        "notes": notes,
    }
