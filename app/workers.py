"""The supervisor: every program runs in a pool of warm worker processes, never in the server.

- Workers are forked from a forkserver that imported numpy and the engine once
  (app/worker_jobs.py), so starting one takes milliseconds; the pool keeps `size` of them idle.
- A worker runs one job at a time and answers with bytes; it retires after `max_runs` jobs or
  when it hit its memory cap (RLIMIT_AS), and a fresh one takes its place at once.
- Hard deadline: a job not answered within its time limit + `grace` is SIGKILLed and answered with
  the usual LimitError document; a worker that dies mid-job is answered the same way.
- A job that has used `slow_after` seconds of CPU is lowered to nice 10 and moved aside, and a
  fresh worker takes its place in the pool (at most `size` such slow jobs at once): a few hostile
  programs cannot occupy every worker, nor most of the CPU, while normal runs wait. (CPU, not wall
  time: on a saturated machine every run is slow by the clock, and would starve if niced.)
- Admission: at most `size + queue` jobs admitted at once, at most `per_client` per client address;
  past either, `Busy` (the routes answer 429 with Retry-After).
Each admitted job waits for a worker in a thread of its own (so the event loop never blocks).
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import contextlib
import dataclasses
import logging
import math
import multiprocessing
import os
import queue
import signal
import sys
import threading
import time
import types

from app.document import dumps, error_document
from app.errors import RequestError
from engine.runner import RunError

log = logging.getLogger("gradtrace.workers")
PRELOAD = ["app.worker_jobs"]
# BLAS thread pools would make every worker start threads per core and fight over the CPU
SINGLE_THREADED = {
    name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
}


class Busy(RequestError):
    """The run was not admitted: answered 429 with a Retry-After header."""

    def __init__(self, message: str, retry_after: int):
        super().__init__(429, message)
        self.retry_after = retry_after


@dataclasses.dataclass
class Worker:
    process: multiprocessing.Process
    connection: object  # the server's end of the pipe
    niced: bool = False  # lowered priority (cannot be raised again): retire it after this job
    aside: bool = False  # its replacement already started when its job was found slow


def default_size() -> int:
    return max(4, 2 * (os.cpu_count() or 1))


class Pool:
    def __init__(
        self,
        size: int | None = None,
        max_runs: int = 500,
        memory_mb: int = 1024,
        grace: float = 0.5,
        queue_size: int = 64,
        per_client: int = 2,
        slow_after: float = 0.25,
    ):
        self.size = size or default_size()
        self.max_runs, self.memory_mb, self.grace = max_runs, memory_mb, grace
        self.queue_size, self.per_client, self.slow_after = queue_size, per_client, slow_after
        self._idle: queue.Queue[Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._admitted = 0
        self._by_client: collections.Counter[str] = collections.Counter()
        self._aside = 0  # slow jobs moved out of the pool
        self._busy: set[int] = set()  # pids of the workers running a job
        self._threads = concurrent.futures.ThreadPoolExecutor(
            max_workers=self.size + self.queue_size, thread_name_prefix="gradtrace-run"
        )
        self._closed = False
        for name, value in SINGLE_THREADED.items():
            os.environ.setdefault(name, value)
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(PRELOAD)
        self.started = [self._start() for _ in range(self.size)]

    # -- processes ------------------------------------------------------------------------------
    def _start(self) -> Worker:
        from app import worker_jobs

        ours, theirs = self._context.Pipe(duplex=True)
        process = self._context.Process(
            target=worker_jobs.serve,
            name="gradtrace-worker",
            args=(theirs, self.memory_mb, self.max_runs),
            daemon=True,
        )
        with _START_LOCK, _without_main_module():
            process.start()
        theirs.close()
        worker = Worker(process, ours)
        self._idle.put(worker)
        return worker

    def _retire(self, worker: Worker, kill: bool = False) -> None:
        if kill and worker.process.pid is not None:
            try:
                os.kill(worker.process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        worker.connection.close()
        threading.Thread(target=worker.process.join, args=(5,), daemon=True).start()  # reap it

    def _replace(self, worker: Worker, kill: bool = False) -> None:
        self._retire(worker, kill)
        if worker.aside:  # its replacement already started when it was moved aside
            with self._lock:
                self._aside -= 1
        elif not self._closed:
            self._start_until_done()

    def _start_until_done(self) -> None:
        """Start a replacement; if the system refuses for now (fork failed), keep trying in the
        background, so the pool never shrinks for good."""
        try:
            self._start()
        except Exception:
            log.exception("could not start a worker; retrying")

            def retry():
                while not self._closed:
                    time.sleep(1.0)
                    try:
                        self._start()
                        return
                    except Exception:
                        log.exception("could not start a worker; retrying")

            threading.Thread(target=retry, daemon=True).start()

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                self._retire(self._idle.get_nowait(), kill=True)
            except queue.Empty:
                break
        self._threads.shutdown(wait=False, cancel_futures=True)

    # -- admission ------------------------------------------------------------------------------
    def _admit(self, client: str, seconds: float) -> None:
        retry = max(1, math.ceil(seconds))
        with self._lock:
            if self._by_client[client] >= self.per_client:
                raise Busy(
                    f"too many runs at once from your address: {self.per_client} are still "
                    f"running (GRADTRACE_RUNS_PER_CLIENT); wait for them to finish",
                    retry,
                )
            if self._admitted >= self.size + self.queue_size:
                raise Busy(
                    f"the server is busy: {self._admitted} runs are running or waiting "
                    f"(GRADTRACE_WORKERS {self.size} + GRADTRACE_RUN_QUEUE {self.queue_size}); "
                    f"try again in a few seconds",
                    retry,
                )
            self._admitted += 1
            self._by_client[client] += 1

    def _release(self, client: str) -> None:
        with self._lock:
            self._admitted -= 1
            self._by_client[client] -= 1
            if self._by_client[client] <= 0:
                del self._by_client[client]

    async def submit(self, job: tuple, client: str, seconds: float, code: str) -> bytes:
        """Run `job` in a worker: its answer (kind byte + payload). Raises Busy when not admitted.
        `seconds` is the job's own time limit; past it + grace the worker is killed."""
        self._admit(client, seconds)
        future = self._threads.submit(self.execute, job, seconds, code)
        future.add_done_callback(lambda _: self._release(client))  # also when the client left
        return await asyncio.wrap_future(future)

    # -- one job --------------------------------------------------------------------------------
    def execute(self, job: tuple, seconds: float, code: str) -> bytes:
        """Blocking: wait for an idle worker, give it `job`, wait for its answer or the deadline."""
        worker = self._idle.get()
        while (
            not worker.process.is_alive()
        ):  # died while idle: the job has not started, take another
            self._replace(worker)
            worker = self._idle.get()
        deadline = time.monotonic() + seconds + self.grace
        self._busy.add(worker.process.pid)
        try:
            return self._run_on(worker, job, seconds, deadline, code)
        finally:
            self._busy.discard(worker.process.pid)

    def admitted(self) -> int:
        """Jobs admitted and not finished: running or waiting for a worker."""
        return self._admitted

    def running(self) -> list[int]:
        """Process ids of the workers running a job now."""
        return list(self._busy)

    def _run_on(
        self, worker: Worker, job: tuple, seconds: float, deadline: float, code: str
    ) -> bytes:
        try:
            cpu_before = _cpu_seconds(worker.process.pid)
            worker.connection.send(job)
            while not worker.connection.poll(
                min(self.slow_after, max(0.0, deadline - time.monotonic()))
            ):
                if time.monotonic() >= deadline:
                    self._replace(worker, kill=True)
                    return b"D" + dumps(
                        error_document(
                            code,
                            RunError(
                                "LimitError",
                                f"time limit: the program ran for more than {seconds:g} s "
                                f"and was stopped",
                            ),
                        )
                    )
                # slow by the CPU it used, not by wall time: on a busy machine every run is slow
                if (
                    not worker.niced
                    and _cpu_seconds(worker.process.pid) - cpu_before >= self.slow_after
                ):
                    self._move_aside(worker)
            answer = worker.connection.recv_bytes()
        except (EOFError, OSError):
            self._replace(worker, kill=True)
            log.warning("a worker stopped during a run (exit code %s)", worker.process.exitcode)
            return b"D" + dumps(
                error_document(
                    code,
                    RunError(
                        "InternalError",
                        "the process running this program stopped unexpectedly; run it again",
                    ),
                )
            )
        if answer[:1] == b"1" or worker.niced:
            self._replace(worker)
        else:
            self._idle.put(worker)
        return answer[1:]

    def _move_aside(self, worker: Worker) -> None:
        """A slow job: lower its priority and, while few are aside, put a fresh worker in its place."""
        try:
            os.setpriority(os.PRIO_PROCESS, worker.process.pid, 10)
        except OSError:
            pass
        worker.niced = True
        with self._lock:
            fresh = self._aside < self.size and not self._closed
            if fresh:
                self._aside += 1
        if fresh:
            try:
                self._start()
                worker.aside = True
            except Exception:  # replaced after its job instead
                log.exception("could not start a worker")
                with self._lock:
                    self._aside -= 1


_START_LOCK = threading.Lock()
_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used (Linux /proc; 0 where it cannot be read)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            fields = stat.read().rsplit(b")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS
    except (OSError, IndexError, ValueError):
        return 0.0


@contextlib.contextmanager
def _without_main_module():
    """multiprocessing would re-import the server's __main__ (the `gradtrace` script, pytest, a
    bench) in every worker; a worker needs only what the forkserver preloaded."""
    main = sys.modules["__main__"]
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        sys.modules["__main__"] = main


_pool: Pool | None = None
_pool_lock = threading.Lock()


def get_pool() -> Pool:
    """The process's pool, started on first use (or at app startup) from the settings."""
    global _pool
    if _pool is None:
        with _pool_lock:
            if _pool is None:
                from app.settings import get_settings

                s = get_settings()
                _pool = Pool(
                    size=s.workers,
                    max_runs=s.worker_max_runs,
                    memory_mb=s.worker_memory_mb,
                    grace=s.kill_grace_seconds,
                    queue_size=s.run_queue,
                    per_client=s.runs_per_client,
                )
    return _pool


def close_pool() -> None:
    global _pool
    with _pool_lock:
        if _pool is not None:
            _pool.close()
            _pool = None
