"""A program's `class Net(nn.Module)` is a real subclass of an engine base: the engine calls its
forward, its __setattr__ sees the program's assignments, super() reaches the base.

Until torch.nn.Module lands in the engine, a small stand-in base with the same contract
(__setattr__ registering parameters and submodules, __getattr__, __call__ -> forward) is put into
the runner's torch.nn for these tests.
"""

import textwrap

import pytest

from engine.runner import namespace, run
from engine.tensor import Tensor


class Module:
    """Stand-in for engine.torch.nn.Module: the part of its contract the runner relies on."""

    def __init__(self):
        object.__setattr__(self, "_parameters", {})
        object.__setattr__(self, "_modules", {})
        self.training = True

    def __setattr__(self, name, value):
        if isinstance(value, Tensor) and value.requires_grad and value.is_leaf:
            self._parameters[name] = value
        elif isinstance(value, Module):
            self._modules[name] = value
        else:
            object.__setattr__(self, name, value)

    def __getattr__(self, name):
        for table in ("_parameters", "_modules"):
            found = self.__dict__.get(table, {})
            if name in found:
                return found[name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __call__(self, *args, **kwargs):
        return self.forward(*args, **kwargs)

    def parameters(self):
        yield from self._parameters.values()
        for module in self._modules.values():
            yield from module.parameters()

    def register_forward_hook(self, hook):
        raise AssertionError("a program must not reach hooks")


Module.__module__ = "engine.torch.nn.standin"


@pytest.fixture
def nn_module():
    ns = namespace()
    exported = ns.modules["torch.nn"].exported
    had = exported.get("Module")
    exported["Module"] = Module
    ns.classes.add(Module)
    ns.callables.add(id(Module))
    yield Module
    ns.classes.discard(Module)
    ns.callables.discard(id(Module))
    if had is None:
        exported.pop("Module")
    else:
        exported["Module"] = had


def run_ok(code):
    result = run(textwrap.dedent(code).lstrip("\n"))
    assert result.error is None, result.error
    return result


MLP_CLASS = """
    import torch
    import torch.nn as nn

    class Layer(nn.Module):
        def __init__(self, n_in, n_out):
            super().__init__()
            self.weight = torch.linspace(-1, 1, n_in * n_out).reshape(n_in, n_out).requires_grad_()
            self.bias = torch.zeros(n_out, requires_grad=True)

        def forward(self, x):
            return x @ self.weight + self.bias

    class MLP(nn.Module):
        def __init__(self):
            nn.Module.__init__(self)
            self.fc1 = Layer(3, 4)
            self.fc2 = Layer(4, 1)

        def forward(self, x):
            return self.fc2(torch.tanh(self.fc1(x)))

    model = MLP()
    x = torch.tensor([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]])
    for step in range(3):
        loss = model(x).pow(2).mean()
        for p in model.parameters():
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in model.parameters():
                p -= 0.1 * p.grad
    print(loss, len(list(model.parameters())), model.training)
    print(model.fc1.weight, model.fc2.bias)
"""

MLP_FUNCTIONS = """
    import torch
    w1 = torch.linspace(-1, 1, 12).reshape(3, 4).requires_grad_()
    b1 = torch.zeros(4, requires_grad=True)
    w2 = torch.linspace(-1, 1, 4).reshape(4, 1).requires_grad_()
    b2 = torch.zeros(1, requires_grad=True)
    params = [w1, b1, w2, b2]
    x = torch.tensor([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]])
    for step in range(3):
        loss = (torch.tanh(x @ w1 + b1) @ w2 + b2).pow(2).mean()
        for p in params:
            p.grad = None
        loss.backward()
        with torch.no_grad():
            for p in params:
                p -= 0.1 * p.grad
    print(loss, len(params), True)
    print(w1, b2)
"""


def test_module_subclass_trains_like_the_same_model_written_with_tensors(nn_module):
    assert run_ok(MLP_CLASS).output == run_ok(MLP_FUNCTIONS).output


def test_the_engine_base_calls_the_programs_forward(nn_module):
    result = run_ok("""
        import torch
        from torch import nn
        class Double(nn.Module):
            def forward(self, x, scale=1):
                return x * 2 * scale
        d = Double()
        print(d(torch.ones(2)), d(torch.ones(1), scale=3), isinstance(d, nn.Module))
    """)
    assert result.output == "tensor([2., 2.]) tensor([6.]) True\n"


@pytest.mark.parametrize(
    "line, error",
    [
        ("m._parameters", "'Net' object has no attribute '_parameters'"),
        ("m._modules", "'Net' object has no attribute '_modules'"),
        ("m.register_forward_hook(print)", "'Net' object has no attribute 'register_forward_hook'"),
        ("getattr(m, '_parameters')", "'Net' object has no attribute '_parameters'"),
        ("Net.mro()", "type object 'Net' has no attribute 'mro'"),
        ("super(Net, m)._modules", "'super' object has no attribute '_modules'"),
    ],
)
def test_engine_internals_of_a_module_subclass_stay_out_of_reach(nn_module, line, error):
    result = run(f"import torch.nn as nn\nclass Net(nn.Module):\n    pass\nm = Net()\n{line}")
    assert (result.error.type, result.error.message) == ("AttributeError", error)


def test_a_module_subclass_keeps_the_programs_own_private_attributes(nn_module):
    result = run_ok("""
        import torch.nn as nn
        class Net(nn.Module):
            def __init__(self):
                super().__init__()
                self._depth = 3
            def _double(self):
                return self._depth * 2
        print(Net()._double())
    """)
    assert result.output == "6\n"


def test_setting_an_engine_private_attribute_is_refused(nn_module):
    result = run(
        "import torch.nn as nn\nclass Net(nn.Module):\n    pass\nm = Net()\nm._parameters = {}"
    )
    assert result.error.type == "NotAllowedError"


def test_deriving_from_an_engine_class_outside_nn_is_refused():
    result = run("import torch\nclass T(torch.Tensor):\n    pass")
    assert result.error.type == "NotAllowedError" and "torch.nn.Module" in result.error.message
