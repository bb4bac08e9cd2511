"""Every conformance program, run by the safe runner, prints, fails and leaves tensors as PyTorch did.

Same programs and fixtures as tests/engine/test_conformance.py (which runs them with plain Python);
here they go through engine.runner, so the interpreter must match Python's semantics too.
"""
import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from engine.runner import run
from engine.tensor import Tensor

ENGINE_TESTS = Path(__file__).resolve().parents[1]


def _load(name):
    spec = importlib.util.spec_from_file_location(f"_runner_{name}", ENGINE_TESTS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


harness = _load("torch_harness")
PROGRAMS = dict(_load("conformance_programs").PROGRAMS)
FIXTURES = json.loads((ENGINE_TESTS / "fixtures" / "torch_conformance.json").read_text())["programs"]

# Programs using what the runner refuses on purpose (dunder names, def).
REFUSED = {
    "attr_grad_fn_of_leaves_and_results": "type(...).__name__",
    "attr_item": "type(...).__name__",
    "rg_no_grad_decorator": "def",
}
NAMES = [n for n in PROGRAMS if n in FIXTURES and n not in REFUSED]


def _close(got, want, dtype, what):
    got_array = harness.decode_array(got, dtype)
    want_array = harness.decode_array(want, dtype)
    assert got_array.shape == want_array.shape, what
    if np.dtype(dtype).kind == "f":
        np.testing.assert_allclose(got_array, want_array, rtol=1e-5, atol=1e-6, equal_nan=True,
                                   err_msg=what)
    else:
        np.testing.assert_array_equal(got_array, want_array, err_msg=what)


def _engine_matches_torch(name) -> bool:
    """The engine run as plain Python (the harness) matches the fixture: else it is an engine gap."""
    import engine.torch
    engine.torch.manual_seed(harness.INITIAL_SEED)
    namespace = harness.fresh_globals(harness.engine_importer())
    plain = harness.run_program(PROGRAMS[name], name, namespace)
    return (plain["output"], plain["error"]) == (FIXTURES[name]["output"], FIXTURES[name]["error"])


@pytest.mark.parametrize("name", NAMES)
def test_runner_matches_torch(name):
    result = run(PROGRAMS[name])
    want = FIXTURES[name]
    if not _engine_matches_torch(name):
        pytest.xfail("engine.torch itself does not match PyTorch yet (see tests/engine/test_conformance.py)")
    assert harness.normalize_addresses(result.output) == want["output"]
    error = None if result.error is None else {
        "type": result.error.type, "message": result.error.message.splitlines()[0]}
    assert error == want["error"]
    tensors = {k: v for k, v in result.variables.items() if isinstance(v, Tensor)}
    assert sorted(tensors) == sorted(want["tensors"])
    for var, expected in want["tensors"].items():
        t = tensors[var]
        _close(harness.encode_array(t._data), expected["data"], expected["dtype"], f"{var}.data")
        assert (t.grad is None) == (expected["grad"] is None), f"{var}.grad"
        if t.grad is not None:
            _close(harness.encode_array(t.grad._data), expected["grad"], expected["dtype"], f"{var}.grad")
        grad_fn = None if t.grad_fn is None else t.grad_fn.name()
        assert (grad_fn, t.is_leaf, t.requires_grad, list(t.shape), t.dtype.name) == (
            expected["grad_fn"], expected["is_leaf"], expected["requires_grad"], expected["shape"],
            expected["dtype"]), var


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_programs_with_refused_constructs_are_refused(name):
    assert run(PROGRAMS[name]).error.type == "NotAllowedError"
