"""The engine's layers only look down: errors < core < autograd < ops < torch < runner.

Every import of every module counts, those inside functions too. Within a layer modules may import
each other, but no chain of imports may lead back to where it started.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "engine"

LAYERS = ("errors", "core", "autograd", "ops", "torch", "runner")
CORE = {
    "engine",
    "engine.allocator",
    "engine.dtypes",
    "engine.size",
    "engine.grad_mode",
    "engine.trace",
    "engine.tensor",
    "engine.printing",
    "engine.generator",
}


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(ENGINE.rglob("*.py"))}


def layer(module: str) -> str:
    if module == "engine.errors":
        return "errors"
    if module in CORE:
        return "core"
    for name in ("autograd", "ops", "torch", "runner"):
        if module == f"engine.{name}" or module.startswith(f"engine.{name}."):
            return name
    raise AssertionError(f"{module} belongs to no layer: add it to tests/engine/test_layers.py")


def imports(module: str) -> set[str]:
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    return imports_in(path.read_text(), package) - {module}


def imports_in(source: str, package: str) -> set[str]:
    """The engine modules `source` imports anywhere, inside functions too (`from pkg import
    submodule` counts as the submodule); `package` resolves relative imports."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1]
                    + ([base] if base else [])
                )
            subs = [f"{base}.{alias.name}" for alias in node.names]
            names = [s for s in subs if s in MODULES] or [base]
            if len(names) < len(subs) and base in MODULES:
                names.append(base)
        else:
            continue
        found.update(n for n in names if n in MODULES)
    return found


GRAPH = {module: imports(module) for module in MODULES}


def test_every_module_belongs_to_a_layer():
    assert all(layer(m) in LAYERS for m in MODULES)


@pytest.mark.parametrize("module", sorted(MODULES))
def test_module_imports_only_its_layer_and_below(module):
    upward = sorted(
        m for m in GRAPH[module] if LAYERS.index(layer(m)) > LAYERS.index(layer(module))
    )
    assert not upward, f"{module} ({layer(module)}) imports a higher layer: {upward}"


def test_errors_import_nothing_of_the_engine():
    assert GRAPH["engine.errors"] == set()


def find_cycle(graph):
    """One import cycle as a list of modules, or None."""
    state = {}

    def visit(node, path):
        state[node] = "open"
        path.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == "open":
                return path[path.index(nxt) :] + [nxt]
            if nxt not in state:
                cycle = visit(nxt, path)
                if cycle:
                    return cycle
        path.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node, [])
            if cycle:
                return cycle
    return None


def test_no_import_cycle():
    cycle = find_cycle(GRAPH)
    assert cycle is None, "import cycle: " + " -> ".join(cycle)


@pytest.mark.parametrize(
    "graph, cyclic",
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, False),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, True),
        ({"a": {"a"}}, True),
        ({"a": {"b", "c"}, "b": {"c"}, "c": set()}, False),
    ],
)
def test_find_cycle_finds_cycles_and_only_those(graph, cyclic):
    assert (find_cycle(graph) is not None) == cyclic


@pytest.mark.parametrize(
    "source, package, found",
    [
        ("def f():\n    from engine.runner import limits\n", "engine", {"engine.runner.limits"}),
        ("class A:\n    def f(self):\n        import engine.tensor\n", "engine", {"engine.tensor"}),
        ("from engine.tensor import Tensor\n", "engine", {"engine.tensor"}),
        ("from .core import wrap\n", "engine.ops", {"engine.ops.core"}),
        ("from . import core\n", "engine.ops", {"engine.ops.core"}),
        ("import numpy as np\n", "engine", set()),
    ],
)
def test_imports_are_found_inside_functions_and_relative(source, package, found):
    assert imports_in(source, package) == found
