"""The runner interprets the allowed subset of Python like Python, and reports errors like Python."""

import textwrap
import warnings

import pytest

from engine.runner import run


def run_ok(code: str):
    result = run(textwrap.dedent(code).lstrip("\n"))
    assert result.error is None, result.error
    return result


def error_of(code: str):
    result = run(textwrap.dedent(code).lstrip("\n"))
    assert result.error is not None, "expected an error"
    return result.error


@pytest.mark.parametrize(
    "code, printed",
    [
        ("print(1 + 2 * 3, 7 // 2, 7 % 3, 2 ** 10, 7 / 2)", "7 3 1 1024 3.5\n"),
        ("print('a', 'b', sep='-', end='!\\n')", "a-b!\n"),
        ("print()", "\n"),
        ("x = [1, 2, 3]\nx.append(4)\nprint(x[1:], x[-1], len(x))", "[2, 3, 4] 4 4\n"),
        ("a, b = 1, 2\na, b = b, a\nprint(a, b)", "2 1\n"),
        (
            "d = {'lr': 0.1}\nd['m'] = 2\nprint(d, d['lr'], list(d.keys()))",
            "{'lr': 0.1, 'm': 2} 0.1 ['lr', 'm']\n",
        ),
        (
            "t = 0\nfor i in range(5):\n    if i == 3:\n        continue\n    t += i\nprint(t)",
            "7\n",
        ),
        ("for i in range(10):\n    if i > 2:\n        break\nprint(i)", "3\n"),
        ("for i, (a, b) in enumerate(zip([1, 2], [3, 4])):\n    print(i, a * b)", "0 3\n1 8\n"),
        (
            "print(1 < 2 < 3, 1 < 3 < 2, not 0, 0 or 'x', 1 and 2, 3 if 0 else 4)",
            "True False True x 2 4\n",
        ),
        ("print(f'{3.14159:.2f}|{7:>3}|{\"s\"!r}|{10:,}')", "3.14|  7|'s'|10\n"),
        (
            "print(min(3, 1, 2), max([4, 5]), sum([1, 2, 3]), abs(-2), round(2.567, 2), round(2.5))",
            "1 5 6 2 2.57 2\n",
        ),
        (
            "print(int('12') + 1, float(2), str(3) + 'x', bool(0), tuple([1, 2]), list(range(3)))",
            "13 2.0 3x False (1, 2) [0, 1, 2]\n",
        ),
        ("x = 5\nx -= 2\nx *= 3\nx /= 2\nprint(x)", "4.5\n"),
        ("s = 'ab' * 3\nprint(s, s[::-1], 'b' in s, [0] * 3)", "ababab bababa True [0, 0, 0]\n"),
        ("print(None is None, 1 is not None, repr('x'))", "True True 'x'\n"),
        (
            "l = [3, 1, 2]\nl.sort()\nl.reverse()\nprint(l, l.pop(), l.index(2), l.count(3))",
            "[3, 2] 1 1 1\n",
        ),
    ],
)
def test_python_subset_prints_like_python(code, printed):
    assert run_ok(code).output == printed


def test_torch_imports_in_every_allowed_form():
    result = run_ok("""
        import torch
        import torch as t
        import torch.nn.functional as F
        import torch.nn as nn
        from torch.autograd import Variable
        from torch import tensor
        from torch.nn import functional
        print(t.relu(tensor([-1., 2.])), F.relu(torch.tensor(-3.)), nn.functional.relu(torch.tensor(1.)))
        print(functional.sigmoid(torch.tensor(0.)), Variable(torch.ones(1)))
    """)
    assert result.output == (
        "tensor([0., 2.]) tensor(0.) tensor(1.)\ntensor(0.5000) tensor([1.])\n"
    )


def test_fstring_formats_a_scalar_tensor_and_item():
    result = run_ok("""
        import torch
        loss = torch.tensor(0.123456)
        print(f"{loss.item():.4f} {loss:.2f} {loss}")
    """)
    assert result.output == "0.1235 0.12 tensor(0.1235)\n"


def test_no_grad_with_block_restores_grad_mode():
    result = run_ok("""
        import torch
        x = torch.tensor(1., requires_grad=True)
        with torch.no_grad():
            y = x * 2
        z = x * 2
        with torch.set_grad_enabled(False):
            w = x * 2
        print(y.requires_grad, z.requires_grad, w.requires_grad, torch.is_grad_enabled())
    """)
    assert result.output == "False True False True\n"


def test_grad_mode_does_not_leak_into_the_next_run():
    run_ok("import torch\ntorch.set_grad_enabled(False)")
    assert run_ok("import torch\nprint(torch.is_grad_enabled())").output == "True\n"


def test_division_by_zero_gives_inf_and_nan_silently_as_pytorch_does():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a numpy RuntimeWarning would now be the program's error
        result = run_ok("""
            import torch
            x = torch.tensor([1.0, 0.0], requires_grad=True)
            y = (x / 0).sum()
            print(y, torch.tensor(1.0) / 0, torch.log(x * 0))
            y.backward()
            print(x.grad)
        """)
    assert result.output == (
        "tensor(nan, grad_fn=<SumBackward0>) tensor(inf) "
        "tensor([-inf, -inf], grad_fn=<LogBackward0>)\ntensor([inf, inf])\n"
    )


def test_same_program_gives_same_random_numbers():
    code = "import torch\nprint(torch.randn(3))"
    assert run_ok(code).output == run_ok(code).output


def test_training_loop_updates_weights_in_place():
    result = run_ok("""
        import torch
        w = torch.tensor(0.0, requires_grad=True)
        for step in range(3):
            loss = (w - 2) ** 2
            loss.backward()
            with torch.no_grad():
                w -= 0.25 * w.grad
            w.grad.zero_()
        print(f"{w.item():.4f}")
    """)
    assert result.output == "1.7500\n"


def test_subscript_and_attribute_assignment():
    result = run_ok("""
        import torch
        x = torch.zeros(3)
        x[1] = 5.0
        x[0] += 1.0
        w = torch.ones(2)
        w.requires_grad = True
        w.grad = torch.ones(2)
        print(x, w.requires_grad, w.grad)
    """)
    assert result.output == "tensor([1., 5., 0.]) True tensor([1., 1.])\n"


def test_iterating_a_tensor_gives_its_rows():
    result = run_ok("""
        import torch
        for row in torch.tensor([[1., 2.], [3., 4.]]):
            print(row.sum())
    """)
    assert result.output == "tensor(3.)\ntensor(7.)\n"


def test_backward_on_non_scalar_names_the_line():
    error = error_of("""
        import torch
        x = torch.tensor([1., 2.], requires_grad=True)
        y = x * 2
        y.backward()
    """)
    assert (error.type, error.message) == (
        "RuntimeError",
        "grad can be implicitly created only for scalar outputs",
    )
    assert (error.line, error.col, error.end_line, error.end_col) == (4, 0, 4, 12)


def test_undefined_name_is_a_name_error_with_its_position():
    error = error_of("import torch\nW = torch.ones(1)\nprint(w)")
    assert (error.type, error.message) == ("NameError", "name 'w' is not defined")
    assert (error.line, error.col, error.end_col) == (3, 6, 7)
    assert error.hint == "Did you mean: 'W'?"


def test_misspelt_tensor_attribute_is_an_attribute_error():
    error = error_of("import torch\nx = torch.ones(1)\nprint(x.gard)")
    assert (error.type, error.message) == (
        "AttributeError",
        "'Tensor' object has no attribute 'gard'",
    )
    assert (error.line, error.col, error.end_col) == (3, 6, 12)
    assert error.hint == "Did you mean: 'grad'?"


def test_unknown_torch_function_is_an_attribute_error_of_the_module():
    error = error_of("import torch\ntorch.foo(1)")
    assert (error.type, error.message) == (
        "AttributeError",
        "module 'torch' has no attribute 'foo'",
    )


def test_syntax_error_has_line_and_column():
    error = error_of("import torch\nx = (1 +\n")
    assert error.type == "SyntaxError" and error.line == 2 and error.col is not None


def test_torch_used_without_import_is_a_name_error():
    error = error_of("x = torch.ones(2)")
    assert (error.type, error.message) == ("NameError", "name 'torch' is not defined")


def test_shape_mismatch_is_pytorchs_runtime_error():
    error = error_of("import torch\nz = torch.ones(2) + torch.ones(3)")
    assert error.type == "RuntimeError"
    assert error.message.startswith("The size of tensor a (2) must match the size of tensor b (3)")


def test_python_errors_keep_pythons_words():
    assert error_of("x = 1 / 0").message == "division by zero"
    assert error_of("a, b = [1, 2, 3]").message == "too many values to unpack (expected 2)"
    assert error_of("x = [1][5]").type == "IndexError"
    assert error_of("x = {}['k']").message == "'k'"
    assert error_of("x = 1 + 'a'").type == "TypeError"


def test_column_counts_characters_not_bytes():
    error = error_of("s = 'é' ; print(nope)")
    assert (error.col, error.end_col) == (16, 20)


def test_a_failing_program_keeps_what_it_built():
    result = run("import torch\na = torch.ones(2)\nb = a * 3\nprint(b)\nc = b.nope\n")
    assert result.error.line == 5
    assert result.output == "tensor([3., 3.])\n"
    assert set(result.variables) >= {"a", "b"}
    assert [r.op for r in result.tensors] == ["ones", "mul"]


def test_events_carry_the_line_and_loop_iteration():
    result = run_ok("import torch\nx = torch.ones(1)\nfor i in range(2):\n    x = x + 1\n")
    creates = [(e.line, e.iteration) for e in result.events if e.type == "create"]
    assert creates == [(2, ()), (4, (0,)), (4, (1,))]


def test_replace_changes_a_tensor_as_it_is_created_for_numeric_gradients():
    import numpy as np

    code = "import torch\nx = torch.tensor(3.0, requires_grad=True)\ny = x * x\nprint(y)"
    nudged = run(code, replace={0: lambda a: a.astype(np.float64) + 0.5})
    assert nudged.error is None
    assert nudged.output == "tensor(12.2500, dtype=torch.float64, grad_fn=<MulBackward0>)\n"
    assert run(code).output == "tensor(9., grad_fn=<MulBackward0>)\n"
