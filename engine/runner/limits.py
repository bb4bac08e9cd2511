"""Resource limits of one run, and the budget that enforces them before the work is done."""

from __future__ import annotations

import dataclasses
import time


@dataclasses.dataclass(frozen=True)
class Limits:
    """Every limit of a run; `app.settings.Settings` fills these from the environment."""

    max_source_chars: int = 20_000
    max_ast_nodes: int = 10_000
    max_nesting_depth: int = 100
    max_tensor_elements: int = 1_000_000  # elements of one tensor
    max_total_elements: int = 10_000_000  # tensor elements + Python sequence items created in a run
    max_sequence_length: int = 100_000  # one list / tuple / str / dict
    max_int_bits: int = 10_000  # Python ints (no `2 ** 10 ** 10`)
    max_ops: int = 100_000  # operations recorded (forward ops, in-place ops, backward steps)
    max_loop_iterations: int = 100_000  # in total, over all loops of the run
    max_call_depth: int = 100  # nested calls of the program's own functions (recursion)
    max_output_chars: int = 100_000  # printed output
    max_seconds: float = (
        5.0  # wall time of the run (1,000 epochs of linear regression take ~0.5 s idle)
    )
    snapshot_elements: int = 10_000  # tensors larger than this are recorded as min/max/mean only
    max_timeline_values: int = 100_000  # numbers copied into the timeline in all; then min/max/mean


class LimitError(Exception):
    """A limit was hit; the message says which, and its configured value."""


def _n(value) -> str:
    return f"{value:,}"


class Budget:
    """Counts what a run has used; every `check_*` raises LimitError before the work is done."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self.deadline = time.monotonic() + limits.max_seconds
        self.total_elements = 0
        self.ops = 0
        self.loop_iterations = 0
        self.output_chars = 0

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise LimitError(
                f"time limit: the program ran for more than {self.limits.max_seconds:g} s"
            )

    def check_tensor(self, numel: int) -> None:
        """Before allocating a tensor of `numel` elements."""
        if numel > self.limits.max_tensor_elements:
            raise LimitError(
                f"tensor too large: {_n(numel)} elements "
                f"(limit {_n(self.limits.max_tensor_elements)} per tensor)"
            )
        self.check_total(numel)

    def check_total(self, extra: int) -> None:
        if self.total_elements + extra > self.limits.max_total_elements:
            raise LimitError(
                f"memory limit: the program creates more than "
                f"{_n(self.limits.max_total_elements)} elements in total"
            )

    def add_elements(self, n: int) -> None:
        self.check_total(n)
        self.total_elements += n

    def check_sequence(self, length: int) -> None:
        """Before building a new list, tuple, str or dict of `length` items."""
        self.check_length(length)
        self.add_elements(length)

    def check_length(self, length: int) -> None:
        """Before a list, tuple, str or dict grows to `length` items."""
        if length > self.limits.max_sequence_length:
            raise LimitError(
                f"sequence too long: {_n(length)} items "
                f"(limit {_n(self.limits.max_sequence_length)} per list, tuple, string or dict)"
            )

    def check_weight(self, weight: int) -> None:
        """Nested containers: items counted through every level (so `x = [x, x]` cannot double forever)."""
        if weight > self.limits.max_sequence_length:
            raise LimitError(
                f"nested lists too large: about {_n(weight)} items through all levels "
                f"(limit {_n(self.limits.max_sequence_length)})"
            )

    def check_int_bits(self, bits: int) -> None:
        if bits > self.limits.max_int_bits:
            raise LimitError(
                f"number too large: the result would have about {_n(bits)} bits "
                f"(limit {_n(self.limits.max_int_bits)})"
            )

    def count_op(self) -> None:
        if self.ops + 1 > self.limits.max_ops:
            raise LimitError(
                f"too many operations: more than {_n(self.limits.max_ops)} recorded "
                f"(the graph would be too large to show)"
            )
        self.ops += 1

    def check_op(self) -> None:
        """Before an op runs: would recording it exceed the limit?"""
        if self.ops + 1 > self.limits.max_ops:
            self.count_op()

    def count_iteration(self, n: int = 1, what: str = "") -> None:
        """Before `n` more loop iterations (or elements of a tensor walked in Python); `what` names
        the kind of loop when it is not a `for` (a while loop, a list comprehension...)."""
        if self.loop_iterations + n > self.limits.max_loop_iterations:
            raise LimitError(
                f"too many loop iterations: more than {_n(self.limits.max_loop_iterations)} in total"
                + (f" (in {what})" if what else "")
            )
        self.loop_iterations += n
        self.check_time()

    def check_output(self, extra: int) -> None:
        if self.output_chars + extra > self.limits.max_output_chars:
            raise LimitError(
                f"too much output: more than {_n(self.limits.max_output_chars)} characters printed"
            )
        self.output_chars += extra
