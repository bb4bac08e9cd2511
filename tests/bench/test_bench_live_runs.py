"""bench/live.py still runs: a small class on one worker, every student notified and every answer counted."""

import importlib.util
import sys
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "bench_live", Path(__file__).parents[2] / "bench" / "live.py"
)
bench = importlib.util.module_from_spec(_spec)
sys.modules["bench_live"] = bench
_spec.loader.exec_module(bench)


def test_a_small_class_follows_and_answers(capsys):
    bench.run(students=20, steps=3, questions=1, modes=["memory"])
    line = capsys.readouterr().out.splitlines()[-1]
    assert (
        line.lstrip().startswith("memory: baseline ping rtt")
        and "all answers on the teacher's feed" in line
    )
    assert " inf " not in line  # every student got every step


def test_percentile_picks_the_nearest_rank():
    assert bench.percentile([3, 1, 2], 50) == 2
    assert bench.percentile(list(range(1, 101)), 99) == 99
