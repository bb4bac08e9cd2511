"""A PyTorch name gradtrace lacks is said plainly; a misspelt one gets Python's error and a real suggestion."""

import json

import pytest

from engine.runner import run
from engine.runner.make_torch_names import MODULES, PATH


@pytest.mark.parametrize(
    "code, kind, message",
    [
        (
            "import torch\nm = torch.nn.LSTM(3, 4)",
            "NotImplementedError",
            "gradtrace does not support torch.nn.LSTM",
        ),
        (
            "import torch\nx = torch.ones(2)\nx.unfold(0, 1, 1)",
            "NotImplementedError",
            "gradtrace does not support Tensor.unfold",
        ),
        ("import torch.linalg", "NotImplementedError", "gradtrace does not support torch.linalg"),
        (
            "import torch\ntorch.linalg.norm(torch.ones(2))",
            "NotImplementedError",
            "gradtrace does not support torch.linalg",
        ),
        (
            "from torch.nn import GRU",
            "NotImplementedError",
            "gradtrace does not support torch.nn.GRU",
        ),
        (
            "import torch.nn.functional as F\nF.conv1d",
            "NotImplementedError",
            "gradtrace does not support torch.nn.functional.conv1d",
        ),
        ("from torch.nn import Foo", "ImportError", "cannot import name 'Foo' from 'torch.nn'"),
        ("import torch.foo", "ModuleNotFoundError", "No module named 'torch.foo'"),
        (
            "import torch\ntorch.tensr([1])",
            "AttributeError",
            "module 'torch' has no attribute 'tensr'",
        ),
    ],
)
def test_unsupported_and_unknown_names(code, kind, message):
    error = run(code).error
    assert (error.type, error.message) == (kind, message)


@pytest.mark.parametrize(
    "code",
    [
        "import torch\nm = torch.nn.LSTM(3, 4)",
        "import torch\nx = torch.ones(2)\nx.unfold(0, 1, 1)",
        "import torch.nn.functional as F\nF.conv1d",
    ],
)
def test_an_unsupported_name_gets_no_did_you_mean(code):
    assert run(code).error.hint is None


def test_a_misspelt_name_suggests_a_name_gradtrace_has():
    assert run("import torch\ntorch.tensr([1])").error.hint == "Did you mean: 'tensor'?"


def test_torch_names_file_is_pytorch_2_13_s():
    torch = pytest.importorskip("torch")
    import importlib

    names = json.loads(PATH.read_text())
    assert names["torch_version"].split("+")[0] == "2.13.0"
    import types

    for module in MODULES:  # submodules show up in dir() once anything imports them: compared apart
        mod = importlib.import_module(module)
        live = {n for n in dir(mod) if not n.startswith("_")}
        plain = {n for n in live if not isinstance(getattr(mod, n, None), types.ModuleType)}
        recorded = {
            n for n in names["modules"][module] if f"{module}.{n}" not in names["submodules"]
        }
        assert recorded == plain, module
    assert names["Tensor"] == sorted(n for n in dir(torch.Tensor) if not n.startswith("_"))
