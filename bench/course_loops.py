"""Do the usual course training loops fit the default run limits? Time and ops of each, as a share of
the limit, and the same loop in real PyTorch as the baseline of the same run.

    python bench/course_loops.py            # the programs in tests/engine/runner/course_loops/
    python bench/course_loops.py --clock cpu  # thread CPU time (a busy machine inflates wall time)

A run that hits a limit prints its error instead of its share.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import time
from pathlib import Path

_HERE = Path(__file__).resolve().parent
if sys.path and Path(sys.path[0] or ".").resolve() == _HERE:
    sys.path[0] = str(_HERE.parent)

PROGRAMS = _HERE.parent / "tests" / "engine" / "runner" / "course_loops"


def _torch_seconds(source: str, clock) -> float | None:
    try:
        import torch  # noqa: F401
    except ImportError:
        return None
    started = clock()
    with contextlib.redirect_stdout(io.StringIO()):
        exec(
            compile(source, "<course loop>", "exec"), {"__name__": "__main__"}
        )  # our own fixed programs
    return clock() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall")
    args = parser.parse_args()
    clock = time.thread_time if args.clock == "cpu" else time.perf_counter
    from app.document import build_document
    from engine.runner import Limits, run

    limits = Limits()
    print(
        f"default limits: {limits.max_seconds:g} s, {limits.max_ops:,} ops, {limits.max_loop_iterations:,} loop "
        f"iterations ({args.clock} clock)"
    )
    print(
        f"{'program':<20}{'run s':>8}{'doc s':>8}{'share of time':>15}{'ops':>9}{'share of ops':>14}"
        f"{'torch s':>9}{'ratio':>8}"
    )
    for path in sorted(PROGRAMS.glob("*.py")):
        source = path.read_text()
        started = clock()
        result = run(source, limits)
        seconds = clock() - started
        started = clock()
        build_document(result)
        doc_seconds = clock() - started
        ops = len(result.events)
        baseline = _torch_seconds(source, clock)
        if result.error is not None:
            print(f"{path.stem:<20} stopped: {result.error.type}: {result.error.message}")
            continue
        ratio = f"{seconds / baseline:8.1f}" if baseline else "       -"
        print(
            f"{path.stem:<20}{seconds:8.2f}{doc_seconds:8.2f}{seconds / limits.max_seconds:15.0%}{ops:9,}"
            f"{ops / limits.max_ops:14.0%}{baseline or 0:9.3f}{ratio}"
        )


if __name__ == "__main__":
    main()
