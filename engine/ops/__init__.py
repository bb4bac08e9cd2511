"""Ops: one Function node per PyTorch grad_fn, its forward beside its backward.

Importing this package attaches the ops to Tensor as methods and operators.
"""
from engine.ops import arithmetic, pointwise, reduction, linalg, shape, nn, inplace, creation, sorting  # noqa: F401
from engine.ops import linear, conv, activation, normalization, random_fill  # noqa: F401,E402  (torch.nn's ops)
from engine.ops.arguments import check_tensor_methods, make_read_only_attributes_say_so  # noqa: E402

check_tensor_methods()  # after every op is attached
make_read_only_attributes_say_so()
