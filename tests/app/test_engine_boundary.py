"""The web layer sees the engine only through the runner's public API: no private engine attribute
(`tensor._data`, `node._saved` ...), no import of the engine's internals."""

import ast
from pathlib import Path

import pytest

import engine.runner
import engine.torch  # noqa: F401  (binds the ops, so every private attribute of Tensor exists)
from engine.autograd.function import AccumulateGrad, Node
from engine.tensor import Tensor

APP = Path(__file__).resolve().parents[2] / "app"
SOURCES = sorted(APP.rglob("*.py"))
PUBLIC_MODULES = {"engine.runner", "engine.runner.limits"}


def private_engine_attributes() -> set[str]:
    names = set()
    for cls in (Tensor, Node, AccumulateGrad):
        for klass in cls.__mro__:
            names |= {
                n
                for n in getattr(klass, "__slots__", ())
                if n.startswith("_") and not n.startswith("__")
            }
            names |= {n for n in vars(klass) if n.startswith("_") and not n.startswith("__")}
    return names


PRIVATE = private_engine_attributes()


def test_the_private_attributes_are_found():
    assert {"_data", "_accumulate", "_grad_fn", "_version", "_saved"} <= PRIVATE


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(APP)))
def test_app_reads_no_private_engine_attribute(path):
    tree = ast.parse(path.read_text())
    used = sorted(
        {n.attr for n in ast.walk(tree) if isinstance(n, ast.Attribute) and n.attr in PRIVATE}
    )
    assert not used, f"{path.name} reads engine internals: {used}"


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(APP)))
def test_app_imports_only_the_runners_public_api(path):
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("engine"):
            assert node.module in PUBLIC_MODULES, f"{path.name} imports {node.module}"
            if node.module == "engine.runner":
                assert all(alias.name in engine.runner.__all__ for alias in node.names)
        elif isinstance(node, ast.Import):
            assert not any(alias.name.startswith("engine") for alias in node.names), path.name
