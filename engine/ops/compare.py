"""Whole-tensor comparisons that give a Python bool: allclose and equal."""

import numpy as np

from engine.ops.core import broadcast_shape
from engine.ops.registry import op
from engine.tensor import Tensor


@op(method=True, torch=True)
def allclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    if not isinstance(other, Tensor):
        raise TypeError(
            f"allclose(): argument 'other' (position 1) must be Tensor, not {type(other).__name__}"
        )
    if self._data.dtype != other._data.dtype:
        from engine.ops.loss import _short_name

        raise RuntimeError(f"{_short_name(self)} did not match {_short_name(other)}")
    broadcast_shape(self._data.shape, other._data.shape)
    return bool(
        np.all(np.isclose(self._data, other._data, rtol=rtol, atol=atol, equal_nan=equal_nan))
    )


@op(method=True, torch=True)
def equal(self, other):
    if not isinstance(other, Tensor):
        raise TypeError(
            f"equal(): argument 'other' (position 1) must be Tensor, not {type(other).__name__}"
        )
    return self._data.shape == other._data.shape and bool(np.all(self._data == other._data))
