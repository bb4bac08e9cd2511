"""Sandbox escapes: every attempt is refused with a clean error and reaches no Python internals."""
import time
import types

import pytest

from engine.runner import run
from engine.runner.policy import Builtin, Method, ModuleProxy

SAFE_ERRORS = {"NotAllowedError", "LimitError", "NameError", "AttributeError", "TypeError",
               "SyntaxError", "ValueError", "ImportError", "ModuleNotFoundError",
               "NotImplementedError"}  # "gradtrace does not support torch.nn.LSTM"
PRELUDE = "import torch\nx = torch.tensor([1.0, 2.0], requires_grad=True)\n"

ATTEMPTS = {
    # dunder walks
    "class_bases_subclasses": "().__class__.__bases__[0].__subclasses__()",
    "tensor_class": "x.__class__",
    "tensor_dict": "x.__dict__",
    "torch_dict": "torch.__dict__",
    "torch_loader": "torch.__loader__",
    "torch_builtins": "torch.nn.functional.__builtins__",
    "function_globals": "torch.tensor.__globals__",
    "function_code": "torch.nn.functional.relu.__code__",
    "wrapped": "torch.autograd.grad.__wrapped__",
    "mro": "torch.autograd.Variable.__mro__",
    "type_subclasses": "torch.Tensor.__subclasses__()",
    "size_base": "torch.Size.__base__",
    "init_of_class": "torch.set_grad_enabled.__init__",
    "module_of_function": "torch.manual_seed.__module__",
    "builtin_self": "print.__self__",
    "builtin_call": "len.__call__",
    "range_new": "range.__new__",
    "setattr_dunder": "x.__setattr__('a', 1)",
    "grad_fn_variable_class": "y = x * 2\ny.grad_fn.next_functions[0][0].variable.__class__",
    "dunder_name": "__builtins__",
    "dunder_import": "__import__('os')",
    "dunder_alias": "import torch as __builtins__",
    "dunder_from_import": "from torch import __version__",
    "dunder_keyword": "torch.ones(2, __class__=1)",
    "dunder_in_fstring": "f'{x.__class__}'",
    # private attributes
    "private_engine_module": "torch._C",
    "private_tensor_data": "x._data",
    "private_version": "x._version",
    # non-whitelisted attributes and builtins
    "numpy_escape": "x.detach().numpy()",
    "register_hook": "x.register_hook(print)",
    "grad_fn_saved": "y = x * 2\ny.grad_fn.saved",
    "grad_fn_backward": "y = x * 2\ny.grad_fn.backward(1)",
    "dtype_numpy": "torch.float32.np",
    "int_real": "(1).real",
    "str_format_attribute": "'{0.__class__}'.format(1)",
    "str_format_map": "'{a}'.format_map({})",
    "class_attribute": "torch.Tensor.add(x, x)",
    "open_file": "open('/etc/passwd')",
    "eval_builtin": "eval('1 + 1')",
    "exec_builtin": "exec('import os')",
    "compile_builtin": "compile('1', 'f', 'eval')",
    "getattr_trick": "getattr(torch, 'tensor')",
    "setattr_trick": "setattr(x, 'a', 1)",
    "globals_call": "globals()",
    "locals_call": "locals()",
    "vars_call": "vars(torch)",
    "dir_call": "dir(x)",
    "type_call": "type(x)",
    "object_name": "object",
    "breakpoint_call": "breakpoint()",
    "input_call": "input()",
    "help_call": "help(torch)",
    "decorator_wrapping_a_builtin": "g = torch.no_grad()(print)\ng('hi')",
    "print_to_file": "print('x', file=None)",
    "set_tensor_attribute": "x.anything = 1",
    "percent_format": "'%s' % 1",
    "new_dtype_over_object_arrays": "d = torch.dtype('x', 'O', 2)",
    # imports
    "import_os": "import os",
    "import_sys": "import sys",
    "import_subprocess": "import subprocess",
    "from_os_import": "from os import system",
    "import_numpy": "import numpy",
    "relative_import": "from . import x",
    "import_star": "from torch import *",
    "import_builtins": "import builtins",
    # refused statements and expressions
    "lambda": "f = lambda: 0",
    "def": "def f():\n    return 1",
    "class": "class A:\n    pass",
    "while": "while True:\n    pass",
    "try": "try:\n    pass\nexcept Exception:\n    pass",
    "global": "global x",
    "del": "del x",
    "assert": "assert False",
    "raise": "raise ValueError('x')",
    "async_def": "async def f():\n    pass",
    "yield": "yield 1",
    "walrus": "(y := 1)",
    "set_literal": "{1, 2}",
    "bytes_literal": "b'abc'",
    "complex_literal": "1j",
    "annotated": "y: int = 1",
    "starred_call": "print(*[1, 2])",
    "double_star_call": "torch.ones(2, **{})",
    "match": "match 1:\n    case 1:\n        pass",
    "shift": "1 << 100000000",
    # generator bombs and huge values
    "generator_expression": "g = (i for i in range(10 ** 9))",
    "list_comprehension": "l = [i for i in range(10 ** 9)]",
    "dict_comprehension": "d = {i: i for i in range(10 ** 9)}",
    "list_of_huge_range": "l = list(range(10 ** 9))",
    "sum_of_huge_range": "s = sum(range(10 ** 12))",
    "max_of_huge_range": "m = max(range(10 ** 12))",
    "huge_exponent": "y = 2 ** 10 ** 10",
    "huge_exponent_chain": "y = 9 ** 9 ** 9",
    "huge_string": "s = 'a' * 10 ** 9",
    "huge_list": "l = [0] * 10 ** 9",
    "doubling_string": "s = 'ab'\nfor i in range(40):\n    s = s + s",
    "doubling_list_extend": "l = [1]\nfor i in range(40):\n    l.extend(l)",
    "exponential_nesting": "l = [1]\nfor i in range(60):\n    l = [l, l]\nprint(l)",
    "exponential_tuple_hash": "t = (1,)\nfor i in range(60):\n    t = (t, t)\nd = {t: 1}",
    "huge_round": "r = round(1, -10 ** 9)",
    "huge_format_width": "s = f'{1:>1000000000}'",
    "huge_nested_format_width": "w = 10 ** 9\ns = f'{1:>{w}}'",
    "huge_tensor": "t = torch.ones(10 ** 9)",
    "huge_outer_broadcast": "t = torch.ones(10 ** 6, 1) * torch.ones(1, 10 ** 6)",
    "huge_matmul": "t = torch.ones(10 ** 5, 1) @ torch.ones(1, 10 ** 5)",
    "huge_arange": "t = torch.arange(0, 10 ** 12)",
    "huge_loop": "for i in range(10 ** 12):\n    pass",
    "many_kept_strings": "big = list(range(50000))\nkept = []\nfor i in range(10000):\n    kept.append(str(big))",
    "tensor_of_huge_range": "t = torch.tensor(range(10 ** 9))",
    "size_of_huge_range": "s = torch.Size(range(10 ** 9))",
    "list_holding_huge_range": "l = [range(10 ** 9)]\nt = torch.tensor(l)",
    "cat_of_many": "t = torch.cat([torch.ones(1000, 1000)] * 1000)",
    "deep_parentheses": "y = " + "(" * 300 + "1" + ")" * 300,
    "deep_unary": "y = " + "-" * 5000 + "1",
    "deep_lists": "y = " + "[" * 150 + "]" * 150,
    "deep_attribute_chain": "y = x" + ".T" * 3000,
    "long_program": "y = 1\n" * 5000,
    "null_byte": "y = 1\x00",
}


def _reaches_internals(value) -> bool:
    """True for anything a program should never hold: modules, code, frames, foreign types."""
    if isinstance(value, (types.ModuleType, types.CodeType, types.FrameType, types.FunctionType,
                          types.BuiltinFunctionType, types.GeneratorType)):
        return True
    return isinstance(value, type) and value.__module__ == "builtins"


def test_there_are_at_least_fifty_attempts():
    assert len(ATTEMPTS) >= 50


@pytest.mark.parametrize("name", list(ATTEMPTS))
def test_escape_attempt_is_refused_cleanly(name):
    started = time.monotonic()
    result = run(PRELUDE + ATTEMPTS[name])
    assert time.monotonic() - started < 1.0
    assert result.error is not None, f"{name} was not refused"
    assert result.error.type in SAFE_ERRORS, result.error
    assert result.error.message and "Traceback" not in result.error.message
    assert not any(_reaches_internals(v) for v in result.variables.values())
    for value in result.variables.values():
        assert not isinstance(value, (Method, Builtin)) or name == "decorator_wrapping_a_builtin"
    assert "<class" not in result.output and "<module" not in result.output


@pytest.mark.parametrize("name, construct", [
    ("def", "`def` (function definitions) are not allowed in gradtrace programs (line 3)"),
    ("while", "`while` loops are not allowed in gradtrace programs (line 3)"),
    ("lambda", "`lambda` is not allowed in gradtrace programs (line 3)"),
    ("class_bases_subclasses",
     "names with double underscores (`__class__`) are not allowed in gradtrace programs (line 3)"),
    ("import_os", "import of `os` is not allowed in gradtrace programs (line 3): only torch, "
                  "torch.nn, torch.nn.functional, torch.autograd, torch.optim can be imported"),
])
def test_refusal_names_the_construct_and_its_line(name, construct):
    error = run(PRELUDE + ATTEMPTS[name]).error
    assert (error.type, error.message, error.line) == ("NotAllowedError", construct, 3)


def test_escape_attempts_leave_the_runner_usable():
    for code in ATTEMPTS.values():
        run(PRELUDE + code)
    result = run("import torch\nx = torch.ones(2, requires_grad=True)\nx.sum().backward()\nprint(x.grad)")
    assert result.error is None and result.output == "tensor([1., 1.])\n"
