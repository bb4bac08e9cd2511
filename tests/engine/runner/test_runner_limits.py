"""Every limit stops a small program quickly, before the work, with its own message."""

import dataclasses
import time

import pytest

from engine.runner import Limits, run

# Defaults, except a shorter wall time and fewer ops, so each case returns well under 1 s.
FAST = Limits(max_seconds=0.5, max_ops=1_000, max_loop_iterations=10_000)  # small: quick to reach

LIMITS = [
    ("source size", "x = 1\n" * 4000, "program too long: 24,000 characters (limit 20,000)"),
    (
        "syntax nodes",
        "x = [" + "a, " * 6000 + "]",
        "program too large: more than 10,000 syntax nodes",
    ),
    ("nesting depth", "x = " + "-" * 150 + "1", "program too deeply nested: more than 100 levels"),
    (
        "elements per tensor",
        "import torch\nx = torch.ones(10 ** 9)",
        "tensor too large: 1,000,000,000 elements (limit 1,000,000 per tensor)",
    ),
    (
        "elements per tensor, broadcasting",
        "import torch\nx = torch.ones(100000, 1) + torch.ones(1, 100000)",
        "tensor too large: 10,000,000,000 elements (limit 1,000,000 per tensor)",
    ),
    (
        "elements in total",
        "import torch\nfor i in range(20):\n    x = torch.ones(900000)",
        "memory limit: the program creates more than 10,000,000 elements in total",
    ),
    (
        "ops recorded",
        "import torch\nx = torch.ones(1)\nfor i in range(9000):\n    x = x + 1\n    x = x * 1\n    x = x - 1",
        "too many operations: more than 1,000 recorded (the graph would be too large to show)",
    ),
    (
        "loop iterations",
        "for i in range(100000):\n    pass",
        "too many loop iterations: more than 10,000 in total",
    ),
    (
        "while loop steps",
        "i = 0\nwhile True:\n    i += 1",
        "too many loop iterations: more than 10,000 in total (in a while loop)",
    ),
    (
        "comprehension size",
        "l = [i for i in range(10 ** 9)]",
        "too many loop iterations: more than 10,000 in total (in a list comprehension)",
    ),
    (
        "generator expression size",
        "s = sum(i for i in range(10 ** 9))",
        "too many loop iterations: more than 10,000 in total (in a generator expression)",
    ),
    (
        "recursion depth",
        "def f(n):\n    return f(n + 1)\nf(0)",
        "recursion too deep: more than 100 nested function calls",
    ),
    (
        "printed output",
        "for i in range(3):\n    print('x' * 40000)",
        "too much output: more than 100,000 characters printed",
    ),
    (
        "wall time",
        "import torch\nx = torch.randn(1000, 1000)\nfor i in range(10000):\n    s = x.sum()",
        "time limit: the program ran for more than 0.3 s",
    ),
    (
        "integer size",
        "x = 2 ** 10 ** 10",
        "number too large: the result would have about 10,000,000,001 bits (limit 10,000)",
    ),
    (
        "sequence length",
        "s = 'a' * 10 ** 9",
        "sequence too long: 1,000,000,000 items (limit 100,000 per list, tuple, string or dict)",
    ),
    (
        "nested lists",
        "x = [1]\nfor i in range(40):\n    x = [x, x]",
        "nested lists too large: about 196,607 items through all levels (limit 100,000)",
    ),
    ("format width", "s = f'{1:>1000000000}'", "format width or precision too large (limit 1000)"),
]


@pytest.mark.parametrize("what, code, message", LIMITS, ids=[w for w, _, _ in LIMITS])
def test_each_limit_stops_the_program_with_its_own_message(what, code, message):
    started = time.monotonic()
    result = run(code, Limits(max_seconds=0.3) if what == "wall time" else FAST)
    assert time.monotonic() - started < 1.0
    assert result.error is not None and result.error.type == "LimitError"
    assert result.error.message == message


def test_limit_messages_are_all_different():
    assert len({m for _, _, m in LIMITS}) == len(LIMITS)


def test_a_run_stopped_by_a_limit_keeps_the_graph_built_so_far():
    result = run(
        "import torch\nw = torch.ones(2, requires_grad=True)\nloss = (w * 3).sum()\n"
        "for i in range(100000):\n    pass\n",
        FAST,
    )
    assert result.error.type == "LimitError" and result.error.line == 4
    assert [r.op for r in result.tensors] == ["ones", "mul", "sum"]
    assert set(result.variables) == {"torch", "w", "loss", "i"}


def test_huge_factory_is_refused_before_allocating():
    started = time.monotonic()
    result = run("import torch\nx = torch.zeros(100000, 100000)")
    assert time.monotonic() - started < 0.2
    assert result.error.type == "LimitError" and result.tensors == []


def test_huge_expand_and_repeat_are_refused():
    for call in (
        "x.expand(1000, 1000, 1000)",
        "torch.arange(10 ** 12)",
        "torch.eye(100000)",
        "torch.linspace(0, 1, 10 ** 9)",
        "torch.randn(10 ** 7)",
        "torch.cat([x] * 1000)",
        "torch.stack([x, x, x])",
        "x[[0] * 100000]",
        "torch.ones(1000, 1000, 1) @ torch.ones(1000, 1, 1000)",
    ):
        result = run(f"import torch\nx = torch.ones(1000, 1000)\ny = {call}")
        assert result.error is not None and result.error.type == "LimitError", call


def test_limits_are_configurable():
    tight = dataclasses.replace(Limits(), max_loop_iterations=3)
    assert (
        run("for i in range(4):\n    pass", tight).error.message
        == "too many loop iterations: more than 3 in total"
    )
    assert run("for i in range(3):\n    pass", tight).error is None


def test_recursion_limit_is_configurable_and_counts_only_nested_calls():
    code = "def f(n):\n    return 0 if n == 0 else 1 + f(n - 1)\nprint(f(9))\nprint(f(9))"
    assert run(code, dataclasses.replace(Limits(), max_call_depth=10)).output == "9\n9\n"
    error = run(code, dataclasses.replace(Limits(), max_call_depth=9)).error
    assert error.message == "recursion too deep: more than 9 nested function calls"


def test_deep_recursion_within_the_limit_does_not_hit_pythons_own():
    code = "def f(n):\n    return 0 if n == 0 else (((f(n - 1) + 1) * 1) - 0)\nprint(f(99))"
    result = run(code)
    assert result.error is None and result.output == "99\n"


def test_while_loops_and_for_loops_share_one_iteration_budget():
    tight = dataclasses.replace(Limits(), max_loop_iterations=5)
    code = "for i in range(3):\n    pass\nn = 0\nwhile n < 3:\n    n += 1"
    assert (
        run(code, tight).error.message
        == "too many loop iterations: more than 5 in total (in a while loop)"
    )
