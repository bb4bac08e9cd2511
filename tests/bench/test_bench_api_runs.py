"""bench/api.py still runs: its in-process part over every gallery example, once each."""

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
    "bench_api", Path(__file__).parents[2] / "bench" / "api.py"
)
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def test_in_process_part_prints_a_line_per_example(capsys):
    bench.in_process(repeat=1)
    out = capsys.readouterr().out
    assert "01_neuron_linear" in out and "worst p50" in out


def test_percentile_picks_the_nearest_rank():
    assert bench.percentile([3, 1, 2], 50) == 2
    assert bench.percentile(list(range(101)), 99) == 99
