"""bench/rng.py still runs: every case once, and the engine's draws are PyTorch's bits."""

import importlib.util
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location(
    "bench_rng", Path(__file__).parents[2] / "bench" / "rng.py"
)
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


@pytest.mark.parametrize("case", list(bench.CASES))
def test_case_gives_torchs_bits(case):
    pytest.importorskip("torch")
    spaces = bench.load_namespaces()
    times, values = bench.best_times(case, spaces, repeat=1, seed=3)
    assert all(0 < t < 60 for t in times.values())
    assert bench.same_bits(values["engine"], values["torch"])


def test_main_prints_a_row_per_case(capsys):
    bench.main(["--repeat", "1"])
    rows = capsys.readouterr().out.splitlines()[2:]
    assert [row.split("  ")[0].strip() for row in rows] == list(bench.CASES)
