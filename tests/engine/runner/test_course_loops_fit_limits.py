"""The default limits let the usual course loops run to the end (counted limits; time is bench/course_loops.py's)."""

import dataclasses
from pathlib import Path

import pytest

from engine.runner import Limits, run

PROGRAMS = sorted((Path(__file__).parent / "course_loops").glob("*.py"))


@pytest.mark.parametrize("path", PROGRAMS, ids=lambda p: p.stem)
def test_course_loop_runs_to_the_end_within_the_default_counted_limits(path):
    limits = dataclasses.replace(
        Limits(), max_seconds=120.0
    )  # a loaded CI machine must not decide this
    result = run(path.read_text(), limits)
    assert result.error is None, result.error
    assert len(result.events) < limits.max_ops / 2, (
        "less than half the op budget, so courses have room"
    )


def test_there_are_the_loops_the_issue_names():
    assert {p.stem for p in PROGRAMS} >= {"linreg", "linreg_manual", "mlp"}
