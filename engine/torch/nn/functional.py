"""torch.nn.functional (`F`): the ops declared with a `functional=` name (engine/ops/registry.py).
`__all__` is what the runner exposes."""

import sys

from engine.ops import registry as _registry
from engine.ops.arguments import check_exports

globals().update(_registry.functional_functions())

__all__ = [*_registry.functional_functions()]

check_exports(sys.modules[__name__], python_style=True)
