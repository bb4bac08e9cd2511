"""The optional tracer the visualizer listens to. Engine code calls it only when one is set.

The tracer is per thread (a server runs several programs at once): engine code reads
`trace.local.tracer`.
"""

import contextlib
import threading
import warnings


class Tracer:
    """Base class: every callback does nothing. See docs/ARCHITECTURE.md for the order of calls."""

    def allocating(self, numel: int) -> None:
        """Called before an op allocates an output of `numel` elements (a limit may raise here)."""

    def tensor_created(self, tensor, op: str, inputs: tuple) -> None: ...

    def tensor_modified(self, tensor, op: str, inputs: tuple) -> None: ...

    def backward_started(self, roots: tuple, grad_roots: tuple) -> None: ...

    def function_ran(self, node, grads_in: list, grads_out: list) -> None: ...

    def grad_accumulated(self, tensor, before, after) -> None: ...

    def backward_finished(self) -> None: ...

    def warned(self, category: str, message: str) -> None:
        """A warning PyTorch gives at this point of the program (see `warn`)."""
        warnings.warn(message, UserWarning, stacklevel=4)

    def enter_scope(self, owner) -> None:
        """A graph scope opens: `owner` is the nn.Module being called, or a user function's name (str).
        Tensors and Function nodes made until the matching `exit_scope` belong to it."""

    def exit_scope(self) -> None: ...


class _Local(threading.local):
    tracer: Tracer | None = None


local = _Local()


@contextlib.contextmanager
def tracing(tracer: Tracer):
    previous, local.tracer = local.tracer, tracer
    try:
        yield tracer
    finally:
        local.tracer = previous


def warn(message: str, category=UserWarning) -> None:
    """A warning PyTorch gives: to the tracer while a program runs (its console shows it), else Python's."""
    tracer = local.tracer
    if tracer is not None:
        tracer.warned(category.__name__, message)
    else:
        warnings.warn(message, category, stacklevel=3)
