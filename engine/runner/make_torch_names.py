"""Write engine/runner/torch_names.json: the public names of PyTorch 2.13's modules and Tensor.

Run with the pinned torch==2.13.0: `python -m engine.runner.make_torch_names`. The runner reads the file
(never torch) to tell a name PyTorch has but gradtrace does not ("gradtrace does not support
torch.nn.LSTM") from a misspelt one (Python's AttributeError, with Python's "Did you mean").
"""

import importlib
import json
import sys
import types
from pathlib import Path

PATH = Path(__file__).with_name("torch_names.json")
MODULES = (
    "torch",
    "torch.nn",
    "torch.nn.functional",
    "torch.nn.init",
    "torch.nn.utils",
    "torch.optim",
    "torch.optim.lr_scheduler",
    "torch.autograd",
    "torch.autograd.functional",
    "torch.linalg",
    "torch.fft",
    "torch.special",
    "torch.distributions",
    "torch.utils",
    "torch.utils.data",
    "torch.random",
    "torch.cuda",
    "torch.backends",
    "torch.jit",
    "torch.testing",
    "torch.func",
    "torch.sparse",
    "torch.amp",
)


def public(names):
    return sorted(n for n in names if not n.startswith("_"))


def main():
    import torch

    if torch.__version__.split("+")[0] != "2.13.0":
        sys.exit(f"names must come from torch==2.13.0, not {torch.__version__}")
    modules = {}
    for name in MODULES:
        module = importlib.import_module(name)
        modules[name] = public(dir(module))
    submodules = sorted(
        {
            f"{name}.{attr}"
            for name in MODULES
            for attr in modules[name]
            if isinstance(getattr(importlib.import_module(name), attr, None), types.ModuleType)
        }
        | set(MODULES)
    )
    document = {
        "torch_version": torch.__version__,
        "modules": modules,
        "submodules": submodules,
        "Tensor": public(dir(torch.Tensor)),
    }
    PATH.write_text(json.dumps(document, indent=0) + "\n")
    print(
        f"wrote {PATH} ({sum(map(len, modules.values()))} module names, {len(document['Tensor'])} Tensor names)"
    )


if __name__ == "__main__":
    main()
