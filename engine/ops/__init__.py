"""Ops: one Function node per PyTorch grad_fn, its forward beside its backward.

Importing this package attaches the ops to Tensor as methods and operators.
"""
from engine.ops import arithmetic, pointwise, reduction, linalg, shape, nn, inplace, creation, sorting  # noqa: F401
