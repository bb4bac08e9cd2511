"""The language conformance programs, run live in real PyTorch (when importable, with the fixtures'
random stream) and by the runner: same printed output and the same error, type and first line."""

import importlib.util
import sys
from pathlib import Path

import pytest

from engine.runner import run

torch = pytest.importorskip("torch")
ENGINE_TESTS = Path(__file__).resolve().parents[1]


def _load(name):
    spec = importlib.util.spec_from_file_location(f"_live_{name}", ENGINE_TESTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


harness = _load("torch_harness")
fixtures = _load("make_torch_fixtures")
LANGUAGE = dict(_load("conformance_language").LANGUAGE)


@pytest.mark.parametrize("name", list(LANGUAGE))
def test_runner_matches_live_torch(name):
    want = fixtures.run_in_torch(name, LANGUAGE[name])
    result = run(LANGUAGE[name])
    error = (
        None
        if result.error is None
        else {"type": result.error.type, "message": result.error.message.splitlines()[0]}
    )
    assert (harness.normalize_addresses(result.output), error) == (want["output"], want["error"])
