"""Tensor.backward and Tensor.register_hook: the autograd engine's entry points, declared as Tensor
methods (the hooks themselves run in engine/autograd/hooks.py)."""

from engine.autograd.engine import tensor_backward
from engine.autograd.hooks import register_hook as _register_hook
from engine.ops.registry import op

backward = op(method="backward")(tensor_backward)
register_hook = op(method="register_hook")(_register_hook)
