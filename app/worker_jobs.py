"""What a worker process does (app/workers.py starts it): wait for a job on its pipe, run it, send
the answer back as bytes. Imported once by the forkserver, so every worker starts warm (numpy, the
engine and the document builder already imported).

A job is a tuple: `("run", code, options)` or `("gradcheck", code, tensor, eps, options)`;
options is a `JobOptions`. The answer is one flag byte (b"1": retire this worker after it),
one kind byte and a payload:
- b"D" + the run document (JSON);
- b"G" + the gradcheck result (JSON), or b"E" + {"status": ..., "detail": ...} for a refused check.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import resource
import signal

from app import gradcheck
from app.document import build_document, dumps, error_document
from engine.runner import Limits, RunError, describe_run, run

log = logging.getLogger("gradtrace.worker")


@dataclasses.dataclass(frozen=True)
class JobOptions:
    limits: Limits  # with the document's own limits (snapshot_elements, max_timeline_values)
    max_document_bytes: int
    memory_mb: int
    gradcheck_max_elements: int = 1_000
    gradcheck_max_seconds: float = 10.0


def memory_message(memory_mb: int) -> str:
    return (
        f"memory limit: the program needed more memory than a run may use "
        f"({memory_mb:,} MB, GRADTRACE_WORKER_MEMORY_MB)"
    )


def run_document(code: str, options: JobOptions) -> tuple[bytes, bool]:
    """The run document of `code` as JSON bytes, and whether the worker hit its memory cap."""
    try:
        result = run(code, options.limits)
        out_of_memory = result.error is not None and result.error.type == "MemoryError"
        if out_of_memory:  # the address-space cap, not the program's logic: say which limit
            result.error = dataclasses.replace(
                result.error, type="LimitError", message=memory_message(options.memory_mb)
            )
        data = dumps(build_document(describe_run(result)))
        if len(data) > options.max_document_bytes:
            data = dumps(
                error_document(
                    code,
                    RunError(
                        "LimitError",
                        f"document too large: the run's graph and values would take "
                        f"{len(data):,} bytes (limit {options.max_document_bytes:,}, "
                        f"GRADTRACE_MAX_DOCUMENT_BYTES)",
                    ),
                )
            )
        return data, out_of_memory
    except MemoryError:
        return dumps(
            error_document(code, RunError("LimitError", memory_message(options.memory_mb)))
        ), True
    except Exception:  # a bug in gradtrace, never in the program: log it, answer with an error
        log.exception("internal error while running a program")
        return dumps(
            error_document(
                code,
                RunError(
                    "InternalError",
                    "gradtrace failed while running this program (the error was logged)",
                ),
            )
        ), False


def check_gradient(code: str, tensor: str, eps: float, options: JobOptions) -> tuple[bytes, bool]:
    """b"G" + the gradcheck result, or b"E" + the refusal (status and detail)."""
    budget = gradcheck.Budget(options.gradcheck_max_elements, options.gradcheck_max_seconds)
    try:
        result = gradcheck.check(code, tensor, eps, options.limits, budget)
        return b"G" + json.dumps(result).encode(), False
    except gradcheck.GradcheckError as error:
        return b"E" + json.dumps({"status": error.status, "detail": error.message}).encode(), False
    except MemoryError:
        return b"E" + json.dumps(
            {"status": 413, "detail": memory_message(options.memory_mb)}
        ).encode(), True


def handle(job: tuple) -> tuple[bytes, bool]:
    """The answer to one job (kind byte + payload) and whether to retire the worker after it."""
    if job[0] == "run":
        data, retire = run_document(job[1], job[2])
        return b"D" + data, retire
    return check_gradient(*job[1:])


def cap_memory(memory_mb: int) -> None:
    """RLIMIT_AS: an allocation past the cap fails with MemoryError instead of swapping the host."""
    if memory_mb > 0:
        cap = memory_mb * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def serve(connection, memory_mb: int, max_runs: int) -> None:
    """A worker's life: jobs one at a time until the pipe closes, a job asks to retire it, or
    `max_runs` jobs are done (app/workers.py starts the replacement)."""
    signal.signal(
        signal.SIGINT, signal.SIG_IGN
    )  # Ctrl+C reaches the process group: the server ends us
    cap_memory(memory_mb)
    for done in range(1, max_runs + 1):
        try:
            job = connection.recv()
        except (EOFError, OSError, KeyboardInterrupt):
            return
        try:
            answer, retire = handle(job)
        except MemoryError:
            answer, retire = (
                b"D"
                + dumps(error_document(job[1], RunError("LimitError", memory_message(memory_mb)))),
                True,
            )
        retire = retire or done == max_runs
        connection.send_bytes((b"1" if retire else b"0") + answer)
        if retire:
            return


# The forkserver imports this module once: one tiny run there builds the namespace programs see and
# imports what runs import lazily, so every worker forked from it starts warm.
run("import torch\nx = torch.ones(2, requires_grad=True)\nx.sum().backward()", Limits())
