"""Every conformance program, run by the safe runner, prints, fails and leaves tensors as Python does.

Same programs and fixtures as tests/engine/test_conformance.py (which runs them with plain Python);
here they go through engine.runner, so the interpreter must match Python's semantics too.
"""

import ast
import importlib.util
import json
import sys
from pathlib import Path

import pytest

from engine.runner import Limits, NotAllowedError, run
from engine.runner.check import parse
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
FIXTURES = json.loads((ENGINE_TESTS / "fixtures" / "torch_conformance.json").read_text())[
    "programs"
]


def _refusal(source: str) -> str | None:
    """The runner's static refusal of a program (__name__, global ...), or None; a program that
    calls eval, exec or globals() (test tooling: many expressions in a loop, results kept as
    globals) runs only in plain Python, which the runner refuses."""
    try:
        tree = parse(source, Limits())
    except NotAllowedError as error:
        return str(error)
    except Exception:  # syntax errors and limits are compared like any other error
        return None
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in ("eval", "exec", "globals"):
            return f"name '{node.id}' is not defined"
    return None


# Programs using what the runner refuses on purpose (see docs/RUNNER.md); all others must run.
REFUSED = {name: message for name, source in PROGRAMS.items() if (message := _refusal(source))}
DOCUMENTED_REFUSALS = ("double underscores", "`yield`", "is not defined")
NAMES = [n for n in PROGRAMS if n in FIXTURES and n not in REFUSED]


def _plain_python(name) -> dict:
    """The program run by Python itself on engine.torch (exec in the test harness)."""
    import engine.torch

    engine.torch.manual_seed(harness.INITIAL_SEED)
    namespace = harness.fresh_globals(harness.engine_importer())
    result = harness.run_program(PROGRAMS[name], name, namespace)
    result["tensors"] = _describe(namespace)
    return result


def _describe(namespace) -> dict:
    return harness.describe_tensors(
        namespace,
        Tensor,
        to_numpy=harness.engine_to_numpy,
        grad_fn_name=harness.engine_grad_fn_name,
    )


@pytest.mark.parametrize("name", NAMES)
def test_runner_does_what_python_does_on_the_engine(name):
    """Output, error and every named tensor (values, grads, attributes) as under plain Python."""
    result = run(PROGRAMS[name])
    plain = _plain_python(name)
    assert harness.normalize_addresses(result.output) == plain["output"]
    error = (
        None
        if result.error is None
        else {"type": result.error.type, "message": result.error.message.splitlines()[0]}
    )
    assert error == plain["error"]
    assert _describe(result.variables) == plain["tensors"]


@pytest.mark.parametrize("name", NAMES)
def test_runner_output_matches_torch_where_the_engine_does(name):
    want = FIXTURES[name]
    plain = _plain_python(name)
    if (plain["output"], plain["error"]) != (want["output"], want["error"]):
        pytest.xfail(
            "engine.torch itself does not match PyTorch yet (see tests/engine/test_conformance.py)"
        )
    result = run(PROGRAMS[name])
    assert harness.normalize_addresses(result.output) == want["output"]


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_programs_with_refused_constructs_are_refused(name):
    assert any(word in REFUSED[name] for word in DOCUMENTED_REFUSALS), REFUSED[name]
    error = run(PROGRAMS[name]).error
    if (
        "is not defined" in REFUSED[name]
    ):  # eval/exec/globals: a NameError if the program gets there
        assert error is None or (error.type, error.message) == ("NameError", REFUSED[name])
    else:
        assert error.type == "NotAllowedError" and REFUSED[name] in error.message
