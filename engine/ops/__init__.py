"""Ops: one Function node per PyTorch grad_fn, its forward beside its backward.

Importing this package attaches the ops to Tensor as methods and operators.
"""
from engine.autograd.engine import tensor_backward
from engine.ops import arithmetic, pointwise, reduction, linalg, shape, nn, inplace, creation, sorting  # noqa: F401
from engine.ops import higher_order  # noqa: F401  (gives nodes their graph_backward)
from engine.ops.arguments import check_tensor_methods, make_read_only_attributes_say_so
from engine.tensor import Tensor

Tensor.backward = tensor_backward
check_tensor_methods()  # after every op is attached
make_read_only_attributes_say_so()
