"""Tensor.backward: the autograd engine's entry point, declared as a Tensor method."""
from engine.autograd.engine import tensor_backward
from engine.ops.registry import op

backward = op(method="backward")(tensor_backward)
