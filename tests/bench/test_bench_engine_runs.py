"""bench/engine.py still runs: each case once at a tiny size, engine results equal the baselines'."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

_spec = importlib.util.spec_from_file_location(
    "bench_engine", Path(__file__).parents[2] / "bench" / "engine.py"
)
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)


def _assert_all_close(got, expected, rtol):
    assert len(got) == len(expected)
    for g, e in zip(got, expected):
        assert np.shape(g) == np.shape(e)
        np.testing.assert_allclose(g, e, rtol=rtol, atol=1e-6)


@pytest.mark.parametrize("case", list(bench.CASES))
def test_case_matches_torch(case):
    torch = pytest.importorskip("torch")
    import engine.torch as engine_torch

    size = bench.TINY_SIZES[case]
    _assert_all_close(
        bench.run_once(case, engine_torch, size), bench.run_once(case, torch, size), rtol=1e-5
    )


def test_scalar_chain_matches_micrograd():
    import engine.torch as engine_torch

    size = bench.TINY_SIZES["scalar_chain"]
    expected = bench.run_once("scalar_chain", bench.micrograd, size)  # float64 scalars
    _assert_all_close(bench.run_once("scalar_chain", engine_torch, size), expected, rtol=1e-5)


def test_micrograd_value_matches_torch():
    torch = pytest.importorskip("torch")
    size = bench.TINY_SIZES["scalar_chain"]
    _assert_all_close(
        bench.run_once("scalar_chain", bench.micrograd, size),
        bench.run_once("scalar_chain", torch, size),
        rtol=1e-5,
    )


def test_best_time_is_positive_and_finite():
    assert 0 < bench.best_time("scalar_chain", bench.micrograd, repeat=2) < 1
