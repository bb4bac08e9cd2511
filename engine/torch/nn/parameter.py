"""nn.Parameter: a leaf Tensor that a Module registers as one of its parameters."""

import numpy as np

from engine import trace
from engine.tensor import Tensor


class Parameter(Tensor):
    """Shares the data of the tensor it is made from, as PyTorch's does; ops on it give Tensors."""

    __slots__ = ()

    def __new__(cls, data=None, requires_grad=True):
        if data is None:
            data = Tensor._wrap(np.empty(0, dtype=np.float32))
        if not isinstance(data, Tensor):
            raise TypeError(
                f"Parameter.__new__() argument 'data' must be Tensor, not {type(data).__name__}"
            )
        param = cls._wrap(data._data)
        param._set_requires_grad(
            requires_grad, "Only Tensors of floating point and complex dtype can require gradients"
        )
        if trace.local.tracer is not None:
            trace.local.tracer.tensor_created(param, "Parameter", (data,))
        return param

    def __init__(self, data=None, requires_grad=True):
        pass

    def __deepcopy__(self, memo):
        """copy.deepcopy(model): a new leaf Parameter with copies of the data and .grad."""
        if id(self) not in memo:
            copied = Parameter(Tensor._wrap(self._data.copy()), self._requires_grad)
            if self._grad is not None:
                copied._grad = Tensor._wrap(self._grad._data.copy())
            memo[id(self)] = copied
        return memo[id(self)]

    def __repr__(self):
        return "Parameter containing:\n" + super().__repr__()

    __str__ = __repr__


def empty_parameter(shape, device=None, dtype=None):
    """A module's uninitialised parameter (PyTorch's Parameter(torch.empty(shape))), recorded once."""
    check_factory_kwargs(device, dtype)
    param = Parameter._wrap(np.empty(shape, dtype=np.float32 if dtype is None else dtype.np))
    param._requires_grad = True
    if trace.local.tracer is not None:
        trace.local.tracer.tensor_created(param, "Parameter", ())
    return param


def check_factory_kwargs(device, dtype):
    """A module's device= and dtype=: the CPU only, floating dtypes only (PyTorch's message)."""
    from engine import dtypes

    if device is not None and str(device).split(":")[0] != "cpu":
        raise RuntimeError(f"gradtrace runs on the CPU only: device='{device}' is not supported")
    if dtype is not None:
        if not isinstance(dtype, dtypes.dtype):
            raise TypeError(f"dtype must be a torch.dtype, not {type(dtype).__name__}")
        if dtype.np.kind != "f":
            raise RuntimeError(
                "Only Tensors of floating point and complex dtype can require gradients"
            )
