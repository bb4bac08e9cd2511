"""The language conformance programs, run live in real PyTorch (when importable) and by the runner:
same printed output and the same error, type and first line."""
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
LANGUAGE = dict(_load("conformance_language").LANGUAGE)


@pytest.mark.parametrize("name", list(LANGUAGE))
def test_runner_matches_live_torch(name):
    torch.manual_seed(0)
    want = harness.run_program(LANGUAGE[name], name, harness.fresh_globals())
    result = run(LANGUAGE[name])
    error = None if result.error is None else {"type": result.error.type,
                                               "message": result.error.message.splitlines()[0]}
    assert (harness.normalize_addresses(result.output), error) == (want["output"], want["error"])
