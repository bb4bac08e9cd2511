"""Runs the front end's unit tests (tests/js/*.test.mjs) with `node --test`, on documents the real
server makes from PROGRAMS (the tests read them from GRADTRACE_DOCUMENTS)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.main import app

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
PROGRAMS = {
    "neuron": (ROOT / "examples/seeds/01_neuron_linear.py").read_text(),
    "square": "import torch\nx = torch.tensor(3.0, requires_grad=True)\ny = x * x\ny.backward()\n",
    "training_loop": (ROOT / "examples/15_training_loop_sgd.py").read_text(),
    "two_backward": (ROOT / "examples/19_accumulate_two_backward.py").read_text(),
    "grad_none": (
        "import torch\nw = torch.tensor(2.0, requires_grad=True)\nloss = 3 * w\nloss.backward()\n"
        "w.grad = None\nout = w * w\nout.backward()\n"
    ),
    "optimizer": (
        "import torch\nw = torch.tensor([1.0, -1.0], requires_grad=True)\n"
        "opt = torch.optim.SGD([w], lr=0.1)\nfor i in range(2):\n    opt.zero_grad()\n"
        "    loss = (w * w).sum()\n    loss.backward()\n    opt.step()\n"
    ),
    "data_write": (
        "import torch\nw = torch.tensor([1.0, 2.0], requires_grad=True)\n(w * 2).sum().backward()\n"
        "w.data = torch.tensor([5.0, 6.0])\nw.data.mul_(2)\nw.grad.data.zero_()\n"
    ),
    "seed08": (ROOT / "examples/seeds/08_linear_regression.py").read_text(),
    "sin_loop": (
        "import torch\ny = torch.tensor(0.5, requires_grad=True)\nx = y\n"
        "for i in range(3):\n    x = torch.sin(x)\nx.backward()\n"
    ),
    "error": "import torch\nx = torch.ones(2, requires_grad=True)\n(x * 2).backward()\n",
    "nn_mlp": (
        "import torch\nimport torch.nn as nn\ntorch.manual_seed(0)\n"
        "model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 1))\n"
        "x = torch.randn(16, 4)\nloss = model(x).pow(2).mean()\nloss.backward()\n"
    ),
}


def node() -> str:
    found = shutil.which("node") or shutil.which("nodejs")
    if found is None:
        message = "node not found: apt-get install -y nodejs"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def test_front_end_unit_tests_pass(tmp_path):
    client = TestClient(app)
    documents = {
        name: client.post("/api/run", json={"code": code}).json() for name, code in PROGRAMS.items()
    }
    path = tmp_path / "documents.json"
    path.write_text(json.dumps(documents))
    tests = sorted(str(p) for p in HERE.glob("*.test.mjs"))
    assert tests, "no tests/js/*.test.mjs found"
    done = subprocess.run(
        [node(), "--test", *tests],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "GRADTRACE_DOCUMENTS": str(path)},
    )
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert "# fail 0" in done.stdout and "# skipped 0" in done.stdout, done.stdout[-3000:]
