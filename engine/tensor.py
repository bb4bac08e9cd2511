"""Tensor: a numpy array with PyTorch's autograd attributes.

Ops live in engine/ops/ and are attached as methods there; this module holds the state and the
methods that are about the tensor itself rather than an op.
"""

import numpy as np

from engine import dtypes, grad_mode, trace
from engine.errors import BadArgument
from engine.printing import tensor_repr
from engine.size import Size

NON_LEAF_GRAD_WARNING = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute won't be "
    "populated during autograd.backward(). If you indeed want the .grad field to be populated for a non-leaf "
    "Tensor, use .retain_grad() on the non-leaf Tensor. If you access the non-leaf Tensor by mistake, make sure "
    "you access the leaf Tensor instead. See github.com/pytorch/pytorch/pull/30531 for more information. "
    "(Triggered internally at /__w/pytorch/pytorch/build/aten/src/ATen/core/TensorBody.h:493.)"
)


class Tensor:
    __slots__ = (
        "_data",
        "_requires_grad",
        "_grad",
        "_grad_fn",
        "_output_nr",
        "_retains_grad",
        "_version",
        "_accumulate",
        "_base",
        "_views",
        "_no_grad_view",
        "__weakref__",
    )

    __array_priority__ = 1000  # so numpy scalars defer to our reflected operators
    __module__ = "torch"  # print(type(x)) shows <class 'torch.Tensor'>, as PyTorch's

    @classmethod
    def _wrap(cls, data, grad_fn=None, version=None):
        t = object.__new__(cls)  # not cls.__new__: Parameter has its own, taking data
        t._data = data
        t._requires_grad = grad_fn is not None
        t._grad = None
        t._grad_fn = grad_fn
        t._output_nr = 0  # which output of grad_fn this is (unbind has several)
        t._retains_grad = False
        t._version = [0] if version is None else version  # shared by views, as in PyTorch
        t._accumulate = None
        # _base (the tensor this is a view of), _views (a base's views) and _no_grad_view are set only on
        # views and bases, and read with getattr (engine/ops/views.py): nothing to pay for elsewhere
        return t

    # -- autograd attributes ----------------------------------------------------------------
    @property
    def grad_fn(self):
        return self._grad_fn

    @property
    def is_leaf(self) -> bool:
        return self._grad_fn is None

    @property
    def requires_grad(self) -> bool:
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, value):
        self._set_requires_grad(
            value, "only Tensors of floating point and complex dtype can require gradients"
        )

    def requires_grad_(self, requires_grad=True):
        if not isinstance(requires_grad, (bool, np.bool_)):
            raise TypeError(
                f"requires_grad_(): argument 'requires_grad' (position 1) must be bool, not "
                f"{type(requires_grad).__name__}"
            )
        self._set_requires_grad(
            requires_grad, "only Tensors of floating point dtype can require gradients"
        )
        return self

    def _set_requires_grad(self, value, not_float_message):
        if not isinstance(value, (bool, np.bool_)):
            raise RuntimeError("requires_grad must be a bool")
        value = bool(value)
        if self._grad_fn is not None:
            if value:
                return
            raise RuntimeError(
                "you can only change requires_grad flags of leaf variables. If you want to use a "
                "computed variable in a subgraph that doesn't require differentiation use "
                "var_no_grad = var.detach()."
            )
        if value and self._data.dtype.kind != "f":
            raise RuntimeError(not_float_message)
        self._requires_grad = value

    @property
    def grad(self):
        if self._grad is None and self._grad_fn is not None and not self._retains_grad:
            from engine import trace

            trace.warn(NON_LEAF_GRAD_WARNING)
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None and not isinstance(value, Tensor):
            raise TypeError(
                f"assigned grad expected to be a Tensor or None but got grad of type "
                f"{type(value).__name__}"
            )
        if value is not None and value._data.shape != self._data.shape:
            raise RuntimeError(
                f"attempting to assign a gradient of size '[{', '.join(map(str, value._data.shape))}]' "
                f"to a tensor of size '[{', '.join(map(str, self._data.shape))}]'. Please ensure "
                f"that the gradient and the tensor are the same size"
            )
        self._grad = value

    @property
    def retains_grad(self) -> bool:
        return self._retains_grad

    def retain_grad(self):
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self._grad_fn is not None and not self._retains_grad:
            fn = self._grad_fn
            if fn.retained is None:
                fn.retained = {}
            fn.retained[self._output_nr] = self
            self._retains_grad = True
        return None

    def detach(self):
        return _alias(self, "detach")

    def detach_(self):
        self._grad_fn = None
        self._requires_grad = False
        return self

    @property
    def data(self):
        t = Tensor._wrap(self._data)  # shares storage, not the version counter (as .data does)
        return t

    @data.setter
    def data(self, value):
        if not isinstance(value, Tensor):
            raise TypeError(f"Variable data has to be a tensor, but got {type(value).__name__}")
        self._data = value._data

    # -- metadata -------------------------------------------------------------------------
    @property
    def shape(self) -> Size:
        return Size(self._data.shape)

    def size(self, dim=None):
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[_wrap_dim(dim, self._data.ndim)]

    @property
    def dtype(self):
        return dtypes.BY_NUMPY[self._data.dtype]

    @property
    def device(self):
        return "cpu"

    @property
    def is_cuda(self) -> bool:
        return False

    def dim(self) -> int:
        return self._data.ndim

    ndimension = dim

    @property
    def ndim(self) -> int:
        return self._data.ndim

    def numel(self) -> int:
        return int(self._data.size)

    nelement = numel

    def element_size(self) -> int:
        return self._data.itemsize

    def is_floating_point(self) -> bool:
        return self._data.dtype.kind == "f"

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    # -- conversion to Python -------------------------------------------------------------
    def item(self):
        if self._data.size != 1:
            raise RuntimeError(
                f"a Tensor with {self._data.size} elements cannot be converted to Scalar"
            )
        return self._data.reshape(()).item()

    def tolist(self):
        return self._data.tolist()

    def __deepcopy__(self, memo):
        """copy.deepcopy (of a model, say): a new leaf with the same data, requires_grad and grad."""
        if self._grad_fn is not None:
            raise RuntimeError(
                "Only Tensors created explicitly by the user (graph leaves) support the deepcopy "
                "protocol at the moment.  If you were attempting to deepcopy a module, this may be "
                "because of a torch.nn.utils.weight_norm usage, see "
                "https://github.com/pytorch/pytorch/pull/103001"
            )
        with grad_mode.no_grad():
            new = self.clone()
        if type(self) is not Tensor:
            new.__class__ = type(self)  # nn.Parameter stays a Parameter
        memo[id(self)] = new
        if self._requires_grad:
            new.requires_grad_(True)
        if self._grad is not None:
            new._grad = self._grad.__deepcopy__(memo)
        return new

    def numpy(self):
        if self._requires_grad:
            raise RuntimeError(
                "Can't call numpy() on Tensor that requires grad. Use "
                "tensor.detach().numpy() instead."
            )
        return self._data

    def __float__(self):
        return float(self._scalar("float"))

    def __int__(self):
        return int(self._scalar("int"))

    def __index__(self):
        if self._data.dtype.kind not in "iub":
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self._scalar("int"))

    def __bool__(self):
        if self._data.size != 1:
            raise RuntimeError(
                f"Boolean value of Tensor with {'no values' if self._data.size == 0 else 'more than one value'} "
                "is ambiguous"
            )
        return bool(self._data.reshape(()))

    def _scalar(self, kind):
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return self._data.reshape(()).item()

    def __format__(self, spec):
        if self._data.ndim == 0:
            return format(self.item(), spec)
        return format(repr(self), spec)

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return iter(self.unbind(0))

    def __contains__(self, element):
        """`v in x`: whether any element of x equals v (PyTorch's Tensor.__contains__)."""
        if not isinstance(element, (Tensor, int, float, bool)):
            raise RuntimeError(
                f"Tensor.__contains__ only supports Tensor or scalar, but you passed in a "
                f"{type(element)}."
            )
        return bool(np.any((self == element)._data))

    def __hash__(self):
        return id(self)

    def __repr__(self):
        fn = self._grad_fn
        return tensor_repr(
            self._data,
            grad_fn_name=None if fn is None else fn.name(),
            requires_grad=self._requires_grad and fn is None,
        )

    __str__ = __repr__

    def type(self, dtype=None):
        if dtype is None:
            return dtypes.legacy_type_name(self._data.dtype)
        if isinstance(dtype, str):
            by_name = {dtypes.legacy_type_name(d.np): d for d in dtypes.ALL}
            if dtype not in by_name:
                raise ValueError(f"invalid type: '{dtype}'")
            dtype = by_name[dtype]
        elif isinstance(dtype, type):
            raise ValueError(f"invalid type: '{dtype.__name__}'")
        elif not isinstance(dtype, dtypes.dtype):
            raise TypeError("dtype must be a type, str, or dtype object")
        return self.to(dtype)


def _wrap_dim(dim, ndim):
    lo, hi = (-ndim, ndim - 1) if ndim else (-1, 0)
    try:
        inside = lo <= dim <= hi
    except TypeError:
        inside = False
    if not inside or not isinstance(dim, int):
        if isinstance(dim, bool) or not isinstance(dim, int):
            raise BadArgument(f"dim must be an int, not {type(dim).__name__}")
        raise IndexError(
            f"Dimension out of range (expected to be in range of [{lo}, {hi}], but got {dim})"
        )
    return dim % ndim if ndim else 0


def _alias(tensor, op):
    """A new leaf sharing storage and version counter (detach, Variable)."""
    out = Tensor._wrap(tensor._data, version=tensor._version)
    if trace.local.tracer is not None:
        trace.local.tracer.tensor_created(out, op, (tensor,))
    return out


def wrap_dim(dim, ndim):
    return _wrap_dim(dim, ndim)
