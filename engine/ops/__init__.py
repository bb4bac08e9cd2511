"""Ops: one Function node per PyTorch grad_fn, its forward beside its backward.

Importing this package imports every module in it (adding an op is adding a file), then binds what
they declared with `@op` (engine/ops/registry.py): Tensor's methods and operators, torch's functions.
"""

import importlib
import pkgutil

from engine.ops import registry

for _module in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    importlib.import_module(f"{__name__}.{_module}")

registry.bind()
