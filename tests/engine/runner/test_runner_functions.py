"""Functions, classes, loops and exceptions behave as in Python: each snippet's printed output and
error (type and message) are compared with Python's own run of it (Python is the oracle here)."""

import contextlib
import io
import textwrap

import pytest

from engine.runner import run

SNIPPETS = {
    "defaults_evaluated_once": """
        def f(x, acc=[]):
            acc.append(x)
            return acc
        f(1)
        print(f(2))
    """,
    "keyword_only_and_varargs": """
        def f(a, *args, b=2, **kw):
            return a, args, b, sorted(kw.items())
        print(f(1, 2, 3, b=4, c=5), f(a=1))
    """,
    "positional_only": """
        def f(a, b, /, c):
            return a + b + c
        print(f(1, 2, c=3))
        f(a=1, b=2, c=3)
    """,
    "takes_from_to_positional": "def f(a, b=1):\n    pass\nf(1, 2, 3)",
    "takes_one_positional": "def f(a):\n    pass\nf(1, 2)",
    "takes_zero_positional": "def f():\n    pass\nf(1)",
    "positional_and_keyword_only_given": "def f(a, *, b):\n    pass\nf(1, 2, b=3)",
    "missing_three": "def f(a, b, c):\n    pass\nf()",
    "missing_two_keyword_only": "def f(*, a, b):\n    pass\nf()",
    "multiple_values": "def f(a):\n    pass\nf(1, a=2)",
    "unexpected_keyword": "def f(a):\n    pass\nf(1, b=2)",
    "method_qualname_in_errors": "class A:\n    def m(self, x):\n        pass\nA().m()",
    "nested_qualname_in_errors": "def outer():\n    def inner(x):\n        pass\n    inner()\nouter()",
    "lambda_in_errors": "f = lambda x: x\nf()",
    "star_args_not_iterable": "def f(*a):\n    pass\nf(*1)",
    "star_in_display_not_iterable": "x = [*1]",
    "double_star_not_mapping": "def f(**k):\n    pass\nf(**[1])",
    "duplicate_keyword_from_double_star": "def f(**k):\n    pass\nf(a=1, **{'a': 2})",
    "closure_sees_later_value": """
        def make():
            fs = [lambda: i for i in range(3)]
            return [f() for f in fs]
        print(make())
    """,
    "closure_default_captures_now": "fs = [lambda i=i: i for i in range(3)]\nprint([f() for f in fs])",
    "nonlocal_and_global": """
        n = 0
        def outer():
            m = 0
            def inner():
                global n
                nonlocal m
                n += 1
                m += 10
            inner()
            inner()
            return m
        print(outer(), n)
    """,
    "free_variable_not_yet_bound": """
        def outer():
            def inner():
                return x
            print(inner())
            x = 1
        outer()
    """,
    "unbound_local": "x = 1\ndef f():\n    print(x)\n    x = 2\nf()",
    "recursion_and_mutual_recursion": """
        def even(n):
            return True if n == 0 else odd(n - 1)
        def odd(n):
            return False if n == 0 else even(n - 1)
        def hanoi(n):
            return 0 if n == 0 else 2 * hanoi(n - 1) + 1
        print(even(10), odd(7), hanoi(20))
    """,
    "decorator_of_the_program": """
        def twice(f):
            def wrapped(*args, **kwargs):
                return f(f(*args, **kwargs))
            return wrapped
        @twice
        def inc(x):
            return x + 1
        print(inc(1))
    """,
    "comprehension_scopes": """
        x = 'outer'
        print([x for x in 'ab'], x, {k: v for k, v in zip('ab', range(2))}, {c for c in 'aab'} == {'a', 'b'})
        print([(i, j) for i in range(3) if i for j in range(i) if j != 1], sum(i * i for i in range(5)))
    """,
    "comprehension_uses_enclosing_function_names": """
        def f(n):
            k = 2
            return [k * i for i in range(n)]
        print(f(3))
    """,
    "while_else_break_continue": """
        i = 0
        out = []
        while i < 10:
            i += 1
            if i % 2:
                continue
            if i > 6:
                break
            out.append(i)
        else:
            out.append('else')
        print(out, i)
        for j in range(2):
            pass
        else:
            print('for-else', j)
    """,
    "try_except_order_and_else_finally": """
        def f(x):
            try:
                r = 10 // x
            except ZeroDivisionError as e:
                return 'zero: ' + str(e)
            except (TypeError, ValueError):
                return 'type'
            else:
                return r
            finally:
                print('finally', x)
        print(f(2), f(0), f('a'))
    """,
    "exception_name_unbound_after_handler": """
        try:
            1 / 0
        except ZeroDivisionError as e:
            pass
        print(e)
    """,
    "bare_raise_reraises": """
        try:
            try:
                [][1]
            except IndexError:
                raise
        except Exception as e:
            print(isinstance(e, IndexError), e)
    """,
    "raise_class_and_from": """
        try:
            raise ValueError
        except ValueError as e:
            print(repr(e), e.args)
        try:
            raise KeyError('k') from None
        except KeyError as e:
            print(repr(e))
    """,
    "raise_non_exception": "raise 5",
    "bare_raise_without_exception": "raise",
    "except_non_exception_class": "try:\n    1 / 0\nexcept 5:\n    pass",
    "uncaught_exception_in_function": "def f():\n    raise RuntimeError('boom')\nf()",
    "assert_plain": "assert 1 + 1 == 3",
    "assert_message": "x = 2\nassert x > 3, f'x is {x}'",
    "class_attributes_and_methods": """
        class Counter:
            total = 0
            def __init__(self, start=0):
                self.n = start
            def inc(self, by=1):
                self.n += by
                Counter.total += by
                return self
            @staticmethod
            def describe():
                return 'counts'
            @classmethod
            def make(cls, start):
                return cls(start)
            def __repr__(self):
                return f'Counter({self.n})'
            def __len__(self):
                return self.n
            def __getitem__(self, i):
                return i * self.n
            def __str__(self):
                return 'C' + str(self.n)
        c = Counter.make(3).inc().inc(2)
        print(c, repr(c), len(c), c[2], Counter.total, Counter.describe(), c.describe())
        print(isinstance(c, Counter), [Counter(i) for i in range(2)], c.inc(1).n)
    """,
    "instance_attribute_shadows_class_attribute": """
        class A:
            x = 1
        a, b = A(), A()
        a.x = 5
        print(a.x, b.x, A.x)
    """,
    "private_names_of_the_program": """
        class A:
            def __init__(self):
                self._hidden = 3
            def _helper(self):
                return self._hidden * 2
        print(A()._helper(), A()._hidden)
    """,
    "super_in_multilevel_inheritance": """
        class A:
            def __init__(self):
                self.log = ['A']
            def who(self):
                return 'A'
        class B(A):
            def __init__(self):
                super().__init__()
                self.log.append('B')
            def who(self):
                return 'B>' + super().who()
        class C(B):
            def who(self):
                return 'C>' + super().who()
        c = C()
        print(c.log, c.who(), isinstance(c, A), issubclass(C, A), issubclass(A, C))
    """,
    "base_init_called_explicitly": """
        class A:
            def __init__(self, v):
                self.v = v
        class B(A):
            def __init__(self):
                A.__init__(self, 7)
        print(B().v)
    """,
    "user_exception_hierarchy": """
        class TrainingError(Exception):
            pass
        class Diverged(TrainingError):
            def __init__(self, loss):
                super().__init__(f'loss diverged: {loss}')
                self.loss = loss
        try:
            raise Diverged(1e9)
        except TrainingError as e:
            print('caught', e, e.loss)
        raise Diverged(3.5)
    """,
    "missing_attribute_of_instance": "class A:\n    pass\nA().x",
    "missing_attribute_of_class": "class A:\n    pass\nA.x",
    "init_returns_value": "class A:\n    def __init__(self):\n        return 1\nA()",
    "instance_not_callable": "class A:\n    pass\nA()()",
    "super_without_method": """
        class A:
            pass
        class B(A):
            def m(self):
                return super().missing()
        B().m()
    """,
    "star_assignments": """
        a, *b, c = range(5)
        (d, *e), f = 'xyz', 3
        print(a, b, c, d, e, f)
        first, *rest = [1]
        print(first, rest)
    """,
    "star_assignment_too_few": "a, *b, c = [1]",
    "star_in_calls_and_displays": """
        def f(*a, **k):
            return a, k
        xs = [1, 2]
        d = {'x': 1}
        print(f(*xs, 3, *(4,), **d, y=2), [*xs, *'ab'], (*xs,), {**d, 'z': 0}, {*xs, 3})
    """,
    "percent_formats": """
        print('%d %i %5.2f %-5s| %+d %x %o %e %g %c %%' % (1, 2, 3.14159, 'ab', 5, 255, 8, 12345.678, 0.0001, 65))
        print('%s' % (1,), '%s' % [1, 2], '%(a)s-%(b)d' % {'a': 'x', 'b': 2}, '%*d|' % (5, 42), '%.*f' % (2, 3.14159))
    """,
    "percent_format_errors": "print('%d' % 'x')",
    "percent_format_too_few": "print('%d %d' % (1,))",
    "builtins_for_functions": """
        print(sorted([3, 1, 2], reverse=True), sorted(['bb', 'a'], key=len), list(reversed([1, 2, 3])))
        print(any([0, 0]), all([]), list(map(str, [1, 2])), list(filter(None, [0, 1, 2])), divmod(7, 2))
        it = iter([1, 2])
        print(next(it), next(it), next(it, 'done'), set([1, 1, 2]), dict(a=1), dict([('b', 2)]))
        print(isinstance(1, int), isinstance('a', (int, str)), isinstance([], dict), callable(len), callable(1))
        class A:
            def m(self):
                pass
        a = A()
        setattr(a, 'v', 3)
        print(getattr(a, 'v'), getattr(a, 'w', 'none'), hasattr(a, 'm'), hasattr(a, 'q'))
    """,
    "iterating_an_object_with_getitem": """
        class Squares:
            def __init__(self, n):
                self.n = n
            def __getitem__(self, i):
                if i >= self.n:
                    raise IndexError('done')
                return i * i
            def __len__(self):
                return self.n
        s = Squares(4)
        a, b, c, d = s
        print([v for v in s], list(s), sum(s), d, len(s))
        for v in s:
            print(v)
    """,
    "type_and_name": """
        class A:
            pass
        def f():
            pass
        try:
            {}['k']
        except Exception as e:
            print(type(e).__name__, type(e), type(e) is KeyError)
        print(type(3) == int, type('s'), type([]) is list, type(A()) is A, type(A()).__name__, f.__name__)
        print((lambda: 0).__name__, type(None).__name__, type(1.5)(2), type(A()), A.__name__)
    """,
    "property_and_min_max_key": """
        class Box:
            def __init__(self, w, h):
                self.w, self.h = w, h
            @property
            def area(self):
                return self.w * self.h
        boxes = [Box(2, 3), Box(1, 1), Box(4, 2)]
        print([b.area for b in boxes], max(boxes, key=lambda b: b.area).area, min([3, 1, 2], key=lambda v: -v))
        boxes[0].area = 5
    """,
    "decorators_are_evaluated_before_defaults": """
        def trace(tag):
            print('decorator', tag)
            def wrap(f):
                return f
            return wrap
        def default():
            print('default')
            return 1
        @trace('a')
        def f(x=default()):
            return x
        print(f())
    """,
    "generator_expressions_are_consumed_once": """
        g = (i * i for i in range(4))
        print(next(g), next(g), list(g), list(g), sum(x for x in [1, 2]), max(c for c in 'abc'))
        m = map(lambda v: v + 1, [1, 2])
        print(list(m), list(m), tuple(reversed([1, 2])), sorted(filter(None, [0, 3, 1])))
    """,
    "generator_has_no_len": "len(i for i in range(3))",
    "annotations": """
        def scale(x: float, factor: float = 2.0) -> float:
            result: float = x * factor
            return result
        class Config:
            lr: float = 0.1
            epochs: int
        total: int = 0
        print(scale(3.0), Config.lr, total)
    """,
    "del_statement": """
        x, y = 1, 2
        l = [0, 1, 2, 3]
        d = {'a': 1, 'b': 2}
        del x, l[0], d['a'], l[1:]
        class A:
            pass
        a = A()
        a.v = 1
        del a.v
        print(l, d, hasattr(a, 'v'), y)
        def f():
            z = 1
            del z
            return z
        f()
    """,
    "del_unbound_name": "del nothing",
    "del_missing_key": "d = {}\ndel d['k']",
    "main_guard": "def main():\n    print('main', __name__)\nif __name__ == '__main__':\n    main()",
    "next_of_exhausted_iterator": "it = iter([])\nnext(it)",
    "set_methods": """
        s = {1, 2}
        s.add(3)
        s.discard(1)
        s.update([4, 5])
        print(sorted(s), sorted(s.union({9})), sorted(s.intersection([2, 3])), 3 in s, len(s))
    """,
    "dict_methods": """
        d = {'a': 1}
        d.update({'b': 2}, c=3)
        print(d.setdefault('a', 9), d.setdefault('z', 0), d, d.popitem(), d)
    """,
    "str_methods": """
        s = '  Epoch 1, loss 0.5  '
        print(s.strip().split(', '), s.lower().strip(), '-'.join(['a', 'b']), 'ab'.upper(), 'x'.rjust(3), '7'.zfill(3))
        print('a,b'.replace(',', ';'), 'abc'.startswith('ab'), 'abc'.find('c'), 'l1\\nl2'.splitlines(), 'abc'.center(7, '*'))
    """,
}


def python_run(code: str) -> tuple[str, tuple | None]:
    """What Python prints and raises for `code` (the oracle: our own fixed snippets only)."""
    out = io.StringIO()
    error = None
    with contextlib.redirect_stdout(out):
        try:
            exec(compile(code, "<snippet>", "exec"), {"__name__": "__main__"})
        except Exception as exc:
            error = (type(exc).__name__, str(exc).splitlines()[0] if str(exc) else "")
    return out.getvalue(), error


@pytest.mark.parametrize("name", list(SNIPPETS))
def test_snippet_runs_as_python_runs_it(name):
    code = textwrap.dedent(SNIPPETS[name]).lstrip("\n")
    want_output, want_error = python_run(code)
    result = run(code)
    error = None if result.error is None else (result.error.type, result.error.message)
    assert (result.output, error) == (want_output, want_error)


def test_error_inside_a_function_points_at_the_line_inside_it():
    error = run("def f(x):\n    y = x + 1\n    return y / 0\nf(1)").error
    assert (error.type, error.message, error.line) == ("ZeroDivisionError", "division by zero", 3)


def test_events_inside_a_function_carry_the_lines_of_its_body():
    result = run("import torch\ndef f(x):\n    return x * 2\nx = torch.ones(1)\ny = f(x) + 1\n")
    assert [(e.op, e.line) for e in result.events if e.type == "create"] == [
        ("ones", 4),
        ("mul", 3),
        ("add", 5),
    ]


def test_no_grad_decorator_restores_grad_mode_even_on_error():
    result = run(
        "import torch\n@torch.no_grad()\ndef f():\n    raise ValueError('x')\n"
        "try:\n    f()\nexcept ValueError:\n    pass\nprint(torch.is_grad_enabled())"
    )
    assert result.error is None and result.output == "True\n"


def test_random_module_is_seeded_the_same_every_run():
    code = "import random\nprint(random.random(), random.randint(0, 100))"
    assert run(code).output == run(code).output


def test_functions_of_the_program_are_kept_as_variables():
    result = run("def f():\n    return 1\nclass A:\n    pass\n")
    assert set(result.variables) == {"f", "A"}


def test_the_programs_functions_do_not_run_after_the_program_ends():
    result = run("class A:\n    def __repr__(self):\n        return 'A!'\na = A()\nprint(a)")
    assert result.output == "A!\n"
    with pytest.raises(RuntimeError, match="the program has finished"):
        repr(result.variables["a"])


def test_a_misspelt_local_name_gets_a_hint():
    error = run("def f(learning_rate):\n    return learning_rat * 2\nf(1)").error
    assert (error.type, error.line, error.hint) == (
        "NameError",
        2,
        "Did you mean: 'learning_rate'?",
    )


def test_a_plain_function_call_is_a_graph_scope_for_the_tracer():
    from engine.runner import interpreter, namespace
    from engine.runner.check import parse
    from engine.runner.limits import Limits

    seen = []
    interp = interpreter.Interpreter(Limits(), namespace())
    interp.recorder.enter_scope = lambda owner: seen.append(("enter", owner))
    interp.recorder.exit_scope = lambda: seen.append(("exit",))
    interp.run(
        parse(
            "def outer(x):\n    return inner(x)\ndef inner(x):\n    return x\n"
            "class A:\n    def m(self):\n        return outer(1)\nA().m()\n",
            Limits(),
        )
    )
    assert seen == [("enter", "outer"), ("enter", "inner"), ("exit",), ("exit",)]
