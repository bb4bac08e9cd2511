"""Sandbox escapes: every attempt is refused with a clean error and reaches no Python internals."""

import time
import types

import pytest

from engine.runner import run
from engine.runner.policy import Method

SAFE_ERRORS = {
    "NotAllowedError",
    "LimitError",
    "NameError",
    "AttributeError",
    "TypeError",
    "SyntaxError",
    "ValueError",
    "ImportError",
    "ModuleNotFoundError",
    "RuntimeError",
    "NotImplementedError",
}  # "gradtrace does not support torch.nn.LSTM"
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
    "numpy_of_a_tensor_that_requires_grad": "x.numpy()",
    "hook_reaching_internals": "x.register_hook(lambda g: g.__class__.__mro__)\n(x * 2).sum().backward()",
    "hook_running_forever": "def h(g):\n    while True:\n        pass\nx.register_hook(h)\n(x * 2).sum().backward()",
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
    "getattr_dunder": "getattr(torch, '__dict__')",
    "getattr_dunder_of_tensor": "getattr(x, '__class__')",
    "getattr_private": "getattr(x, '_data')",
    "hasattr_dunder": "hasattr(x, '__class__')",
    "setattr_trick": "setattr(x, 'a', 1)",
    "setattr_dunder_of_tensor": "setattr(x, '__class__', 1)",
    "globals_call": "globals()",
    "locals_call": "locals()",
    "vars_call": "vars(torch)",
    "dir_call": "dir(x)",
    "type_call_of_a_class_attribute": "type(x).mro()",
    "object_name": "object",
    "breakpoint_call": "breakpoint()",
    "input_call": "input()",
    "help_call": "help(torch)",
    "decorator_wrapping_a_builtin": "g = torch.no_grad()(print)\ng('hi')",
    "print_to_file": "print('x', file=None)",
    "set_tensor_attribute": "x.anything = 1",
    "percent_format_huge_width": "s = '%1000000000d' % 1",
    "percent_format_huge_star_width": "s = '%*d' % (10 ** 9, 1)",
    "new_dtype_over_object_arrays": "d = torch.dtype('x', 'O', 2)",
    # imports
    "import_os": "import os",
    "import_sys": "import sys",
    "import_subprocess": "import subprocess",
    "from_os_import": "from os import system",
    "import_numpy_submodule": "import numpy.linalg",
    "relative_import": "from . import x",
    "import_star": "from torch import *",
    "import_builtins": "import builtins",
    # functions: their internals stay out of reach
    "user_function_globals": "def f():\n    return 1\ng = f.__globals__",
    "user_function_code": "def f():\n    return 1\ng = f.__code__",
    "function_closure": "def f():\n    y = 1\n    def g():\n        return y\n    return g\nc = f().__closure__",
    "cell_contents_via_getattr": "def f():\n    y = 1\n    return lambda: y\nc = getattr(f(), '__closure__')",
    "function_defaults": "def f(a=1):\n    return a\nd = f.__defaults__",
    "function_interpreter": "def f():\n    return 1\ni = f.interp",
    "function_scope": "def f():\n    return 1\ni = f.scope",
    "lambda_node": "i = (lambda: 0).node",
    "getattr_function_internals": "def f():\n    return 1\ni = getattr(f, 'interp')",
    "bound_method_function": "class A:\n    def m(self):\n        return 1\ni = A().m.function",
    "bound_method_self": "class A:\n    def m(self):\n        return 1\ni = A().m.__self__",
    "set_function_attribute": "def f():\n    return 1\nf.x = 1",
    "function_repr_has_no_internals": "def f():\n    return 1\nprint(f)\nf.interp",
    "lambda_default_reaches_nothing": "f = lambda g=print: g.__self__",
    "recursion": "def f():\n    return f()\nf()",
    "mutual_recursion": "def f(n):\n    return g(n)\ndef g(n):\n    return f(n)\nf(1)",
    "recursion_through_repr": "class A:\n    def __repr__(self):\n        return repr(self)\nprint(A())",
    "recursion_through_str_format": "class A:\n    def __str__(self):\n        return f'{self}'\nprint(A())",
    "decorator_returning_builtin": "def d(f):\n    return print\n@d\ndef g():\n    pass\ng.__self__",
    "property_fget": "def f(s):\n    return 1\np = property(f)\ng = p.fget",
    "property_deleter": "def f(s):\n    return 1\np = property(f, None, f)",
    "max_key_reaches_nothing": "m = max([x], key=lambda t: t.__class__)",
    "staticmethod_func": "def f():\n    return 1\ns = staticmethod(f)\ng = s.__func__",
    "staticmethod_attribute": "def f():\n    return 1\ns = staticmethod(f)\ng = s.f",
    # classes: no metaclasses, no special methods beyond __init__-style ones, no class internals
    "class_dict": "class A:\n    pass\nd = A.__dict__",
    "class_mro": "class A:\n    pass\nm = A.__mro__",
    "class_mro_method": "class A:\n    pass\nm = A.mro()",
    "class_subclasses": "class A:\n    pass\ns = A.__subclasses__()",
    "class_subclasses_via_getattr": "class A:\n    pass\ns = getattr(A, '__subclasses__')",
    "class_bases": "class A:\n    pass\nb = A.__bases__",
    "instance_class": "class A:\n    pass\nc = A().__class__",
    "instance_dict": "class A:\n    pass\nd = A().__dict__",
    "metaclass_keyword": "class M:\n    pass\nclass A(metaclass=M):\n    pass",
    "type_with_three_arguments": "A = type('A', (), {})",
    "type_of_a_class": "t = type(type(x))",
    "type_of_a_function": "def f():\n    return 1\nt = type(f)",
    "type_of_a_builtin": "t = type(print)",
    "type_of_a_module": "t = type(torch)",
    "type_of_a_method": "t = type(x.add)",
    "name_is_only_a_string": "n = type(x).__name__.__class__",
    "name_of_a_method": "n = x.add.__name__",
    "name_assignment": "def f():\n    return 1\nf.__name__ = 'g'",
    "subclass_of_type": "class M(type):\n    pass",
    "subclass_of_tensor": "class T(torch.Tensor):\n    pass",
    "subclass_of_list": "class L(list):\n    pass",
    "subclass_of_builtin_function": "class P(print):\n    pass",
    "class_decorator": "def d(c):\n    return c\n@d\nclass A:\n    pass",
    "define_getattribute": "class A:\n    def __getattribute__(self, n):\n        return 1",
    "define_del": "class A:\n    def __del__(self):\n        pass",
    "define_init_subclass": "class A:\n    def __init_subclass__(cls):\n        pass",
    "define_slots": "class A:\n    __slots__ = ()",
    "class_attribute_of_object": "class A:\n    pass\nA.__init__.__globals__",
    "object_init_of_class": "class A:\n    pass\ni = A.__init__",
    "init_of_a_tensor": "i = x.__init__",
    "super_class": "class A:\n    def m(self):\n        return super().__class__\nA().m()",
    "super_thisclass": "class A:\n    def m(self):\n        return super().__thisclass__\nA().m()",
    "super_self_class": "class A:\n    def m(self):\n        return super().__self_class__\nA().m()",
    "super_private": "class A:\n    def m(self):\n        return super()._x\nA().m()",
    "super_outside_method": "s = super()",
    "super_of_anything": "s = super(x, x)",
    "user_private_of_module_base_is_not_object": "class A:\n    pass\na = A()\na.__class__ = int",
    # exceptions: no tracebacks, no frames; limits and refusals cannot be caught
    "exception_traceback": "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    t = e.__traceback__",
    "exception_traceback_via_getattr": "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    t = getattr(e, '__traceback__')",
    "exception_tb_frame": "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    f = e.__traceback__.tb_frame",
    "exception_tb_frame_via_getattr": "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    f = getattr(getattr(e, 'args'), 'tb_frame')",
    "exception_from_a_function_frame": "def f():\n    raise ValueError('x')\ntry:\n    f()\nexcept ValueError as e:\n    t = e.tb_frame",
    "format_attribute_of_a_function": "def f():\n    return 1\ns = '{0.__globals__}'.format(f)",
    "format_plain_attribute_of_a_function": "def f():\n    return 1\ns = '{0.interp}'.format(f)",
    "format_index_of_a_class": "class A:\n    pass\ns = '{0[0]}'.format(A)",
    "format_map_of_a_class": "class A:\n    pass\ns = '{x}'.format_map({'x': A})",
    "fstring_attribute_of_a_function": "def f():\n    return 1\ns = f'{f.interp}'",
    "percent_mapping_of_internals": "def f():\n    return 1\ns = '%(interp)s' % f",
    "exception_with_traceback": "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    t = e.with_traceback(None)",
    "exception_context": "try:\n    1 / 0\nexcept ZeroDivisionError as e:\n    t = e.__context__",
    "exception_hint_attribute": "try:\n    y = torch.ones(2).gard\nexcept AttributeError as e:\n    t = e.gradtrace_node",
    "user_exception_traceback": "class E(Exception):\n    pass\ntry:\n    raise E('x')\nexcept E as e:\n    t = e.with_traceback",
    "catch_loop_limit": "while True:\n    try:\n        while True:\n            pass\n    except:\n        pass",
    "catch_limit_as_exception": "try:\n    y = 2 ** 10 ** 10\nexcept Exception:\n    pass\ny = [0] * 10 ** 9",
    "catch_recursion_limit": "def f():\n    try:\n        return f()\n    except Exception:\n        return f()\nf()",
    "catch_refusal": "try:\n    x.__class__\nexcept Exception:\n    pass",
    "catch_base_exception": "try:\n    pass\nexcept BaseException:\n    pass\nBaseException",
    "raise_system_exit": "raise SystemExit(0)",
    "raise_a_non_exception": "raise 1",
    "raise_keyboard_interrupt": "raise KeyboardInterrupt",
    "finally_return_cannot_swallow_the_time_limit": "def f(n):\n    try:\n        f(n + 1)\n        f(n + 1)\n    finally:\n        return 0\nf(0)",
    "finally_continue_cannot_swallow_the_loop_limit": "while True:\n    try:\n        while True:\n            pass\n    finally:\n        continue",
    "finally_break_cannot_swallow_a_limit": "for i in range(3):\n    try:\n        y = [0] * 10 ** 9\n    finally:\n        break\nprint('went on')",
    "handler_return_cannot_swallow": "def f():\n    try:\n        f()\n    except:\n        return 1\nf()",
    "finally_swallows_nothing": "def f():\n    try:\n        return f()\n    finally:\n        pass\nf()",
    # comprehensions and generators: no frames, bounded
    "generator_frame": "g = (i for i in range(3))\nf = g.gi_frame",
    "generator_code": "g = (i for i in range(3))\nf = g.gi_code",
    "generator_dunder_frame": "g = (i for i in range(3))\nf = g.__next__",
    "iterator_internals": "it = iter([1, 2])\ni = it.items",
    "comprehension_of_huge_range": "l = [i for i in range(10 ** 12)]",
    "nested_comprehension_bomb": "l = [[j for j in range(1000)] for i in range(1000)]",
    "set_comprehension_bomb": "s = {i for i in range(10 ** 9)}",
    "map_bomb": "m = list(map(lambda i: i, range(10 ** 9)))",
    "sorted_key_reaches_nothing": "s = sorted([x], key=lambda t: t.__class__)",
    "star_unpack_huge_range": "print(*range(10 ** 9))",
    "star_assign_huge_range": "a, *b = range(10 ** 9)",
    "double_star_dunder_keyword": "def f(**k):\n    return k\nf(**{'__class__': 1})",
    "double_star_non_mapping": "print(**[1])",
    "set_display_of_huge_range": "s = {*range(10 ** 9)}",
    # numpy: numbers only, no buffers, files or pointers
    "numpy_object_array": "import numpy as np\na = np.array([1]).astype('O')",
    "numpy_object_dtype": "import numpy as np\na = np.array([1], dtype='O')",
    "numpy_array_of_functions": "import numpy as np\ndef f():\n    return 1\na = np.array([f, f])",
    "numpy_array_of_a_module": "import numpy as np\na = np.array(torch)",
    "numpy_string_array": "import numpy as np\na = np.array(['rm -rf'])",
    "numpy_ctypes": "import numpy as np\np = np.ones(2).ctypes",
    "numpy_data_buffer": "import numpy as np\nb = np.ones(2).data",
    "numpy_base": "import numpy as np\nb = np.ones(2)[:1].base",
    "numpy_tofile": "import numpy as np\nnp.ones(2).tofile('/tmp/gradtrace-escape')",
    "numpy_load": "import numpy as np\na = np.load('/etc/passwd')",
    "numpy_frombuffer": "import numpy as np\na = np.frombuffer(b'', dtype=np.uint8)",
    "numpy_ctypeslib": "import numpy as np\nc = np.ctypeslib",
    "numpy_random_internals": "import numpy as np\nm = np.random.mtrand",
    "numpy_dtype_mro": "import numpy as np\nm = np.float32.mro()",
    "numpy_out_into_a_tensor": "import numpy as np\nt = torch.zeros(2)\nn = t.numpy()\nnp.ones((3, 2)).sum(axis=0, out=n)",
    "numpy_huge_factory": "import numpy as np\na = np.random.rand(10 ** 5, 10 ** 5)",
    "numpy_huge_broadcast": "import numpy as np\na = np.ones((10 ** 4, 1)) + np.ones((1, 10 ** 4))",
    "numpy_huge_linspace": "import numpy as np\na = np.linspace(0, 1, 10 ** 9)",
    "numpy_import_submodule": "import numpy.random",
    "numpy_set_printoptions": "import numpy as np\nnp.set_printoptions(threshold=10 ** 9)",
    "tensor_numpy_then_object": "n = x.detach().numpy().astype('O')",
    # standard modules: only what courses use
    "math_factorial_huge": "import math\nf = math.factorial(10 ** 6)",
    "math_prod_huge": "import math\np = math.prod([2 ** 9000, 2 ** 9000])",
    "random_internals": "import random\ng = random.Random",
    "random_getstate": "import random\ns = random.getstate()",
    "random_choices_huge": "import random\nc = random.choices([1], k=10 ** 9)",
    "random_sample_huge": "import random\nc = random.sample(range(10 ** 12), 10 ** 9)",
    "copy_module_internals": "import copy\nd = copy.dispatch_table",
    "deepcopy_of_a_function_shares_it": "import copy\ndef f():\n    return 1\ng = copy.deepcopy(f)\ng.interp",
    "collections_abc": "import collections\na = collections.abc",
    "namedtuple_dunder_field": "from collections import namedtuple\nP = namedtuple('P', ['__class__'])",
    "namedtuple_internals": "from collections import namedtuple\nP = namedtuple('P', 'a b')\nm = P._make",
    "defaultdict_factory_reaches_nothing": "from collections import defaultdict\nd = defaultdict(lambda: x.__class__)\nd[1]",
    "import_os_path": "import os.path",
    "import_sys_via_from": "from sys import modules",
    "import_importlib": "import importlib",
    # refused statements and expressions
    "global_dunder": "def f():\n    global __builtins__",
    "del_dunder": "del __builtins__",
    "del_attribute_of_a_tensor": "del x.grad",
    "del_private_attribute": "class A:\n    pass\na = A()\ndel a._x",
    "del_item_of_a_tensor": "del x[0]",
    "del_item_of_a_string": "s = 'ab'\ndel s[0]",
    "async_def": "async def f():\n    pass",
    "yield": "def f():\n    yield 1",
    "yield_from": "def f():\n    yield from [1]",
    "await": "async def f():\n    await g()",
    "walrus": "(y := 1)",
    "bytes_literal": "b'abc'",
    "complex_literal": "1j",
    "annotation_is_never_evaluated": "y: __import__('os') = 1",
    "annotation_of_a_parameter": "def f(a: __builtins__):\n    return a",
    "double_star_call": "torch.ones(2, **{'__class__': 1})",
    "match": "match 1:\n    case 1:\n        pass",
    "shift": "1 << 100000000",
    # generator bombs and huge values
    "generator_expression": "g = (i for i in range(10 ** 9))",
    "while_forever": "while True:\n    pass",
    "while_growing_list": "l = [1]\nwhile True:\n    l = l + l",
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
    if isinstance(
        value,
        (
            types.ModuleType,
            types.CodeType,
            types.FrameType,
            types.FunctionType,
            types.BuiltinFunctionType,
            types.GeneratorType,
        ),
    ):
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
        assert not isinstance(value, Method) or name == "decorator_wrapping_a_builtin"
    assert "<class" not in result.output and "<module" not in result.output


@pytest.mark.parametrize(
    "name, construct",
    [
        (
            "del_dunder",
            "names with double underscores (`__builtins__`) are not allowed in gradtrace programs (line 3)",
        ),
        (
            "yield",
            "`yield` (generator functions: return a list instead) is not allowed in gradtrace "
            "programs (line 4)",
        ),
        (
            "metaclass_keyword",
            "class keywords (`metaclass=`) are not allowed in gradtrace programs (line 5)",
        ),
        ("class_decorator", "class decorators are not allowed in gradtrace programs (line 6)"),
        (
            "define_getattribute",
            "names with double underscores (`__getattribute__`) are not allowed in gradtrace programs (line 4)",
        ),
        (
            "class_bases_subclasses",
            "names with double underscores (`__class__`) are not allowed in gradtrace programs (line 3)",
        ),
        (
            "import_os",
            "import of `os` is not allowed in gradtrace programs (line 3): only torch, "
            "torch.nn, torch.nn.functional, torch.autograd, torch.optim, math, random, "
            "collections, copy, numpy can be imported",
        ),
    ],
)
def test_refusal_names_the_construct_and_its_line(name, construct):
    error = run(PRELUDE + ATTEMPTS[name]).error
    line = int(construct.rsplit("(line ", 1)[1].split(")")[0])
    assert (error.type, error.message, error.line) == ("NotAllowedError", construct, line)


def test_escape_attempts_leave_the_runner_usable():
    for code in ATTEMPTS.values():
        run(PRELUDE + code)
    result = run(
        "import torch\nx = torch.ones(2, requires_grad=True)\nx.sum().backward()\nprint(x.grad)"
    )
    assert result.error is None and result.output == "tensor([1., 1.])\n"
