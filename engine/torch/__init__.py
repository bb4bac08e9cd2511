"""The namespace user programs see as `torch`. `__all__` is exactly what the runner exposes."""

import sys as _sys

from engine import dtypes as _dtypes
from engine.dtypes import dtype, float16, float32, float64, int8, int16, int32, int64, uint8
from engine.generator import Generator
from engine.grad_mode import (
    enable_grad,
    inference_mode,
    is_grad_enabled,
    is_inference_mode_enabled,
    no_grad,
    set_grad_enabled,
)
from engine.ops import arguments as _arguments
from engine.ops import registry as _registry
from engine.ops.out import accepting_out as _accepting_out
from engine.printing import set_printoptions
from engine.size import Size
from engine.tensor import Tensor
from engine.torch import autograd, nn, optim

bool = _dtypes.bool_
float = float32
double = float64
long = int64
int = int32
half = float16

__version__ = "2.13.0"


def is_tensor(obj):
    return isinstance(obj, Tensor)


def numel(input):
    return input.numel()


def detach(input):
    return input.detach()


def result_type(a, b):
    return _dtypes.result_type(a, b)


def promote_types(a, b):
    return _dtypes.promote_types(a, b)


def get_default_dtype():
    return float32


globals().update(_registry.torch_functions())

__all__ = [
    # types and modules
    "Tensor",
    "Size",
    "dtype",
    "autograd",
    "nn",
    "optim",
    "float16",
    "float32",
    "float64",
    "int8",
    "int16",
    "int32",
    "int64",
    "uint8",
    "bool",
    "float",
    "double",
    "long",
    "int",
    "half",
    "__version__",
    # grad mode
    "no_grad",
    "enable_grad",
    "set_grad_enabled",
    "is_grad_enabled",
    "inference_mode",
    "is_inference_mode_enabled",
    "set_printoptions",
    "Generator",
    "is_tensor",
    "numel",
    "detach",
    "result_type",
    "promote_types",
    "get_default_dtype",
    # the ops (engine/ops/, each declared once with @op)
    *_registry.torch_functions(),
]


_arguments.check_exports(_sys.modules[__name__])

# torch functions taking `out=` (random factories excepted: engine/ops/random* owns them)
OUT_FUNCTIONS = (
    "zeros",
    "ones",
    "empty",
    "full",
    "arange",
    "linspace",
    "eye",
    "add",
    "sub",
    "subtract",
    "mul",
    "multiply",
    "div",
    "divide",
    "true_divide",
    "neg",
    "negative",
    "pow",
    "reciprocal",
    "remainder",
    "floor_divide",
    "floor",
    "ceil",
    "round",
    "trunc",
    "eq",
    "ne",
    "lt",
    "le",
    "gt",
    "ge",
    "logical_and",
    "logical_or",
    "logical_xor",
    "logical_not",
    "abs",
    "exp",
    "log",
    "sqrt",
    "sin",
    "cos",
    "tanh",
    "sigmoid",
    "clamp",
    "clip",
    "maximum",
    "minimum",
    "where",
    "sum",
    "mean",
    "prod",
    "max",
    "min",
    "argmax",
    "argmin",
    "std",
    "var",
    "norm",
    "sort",
    "any",
    "all",
    "matmul",
    "mm",
    "mv",
    "dot",
    "bmm",
    "cat",
    "concat",
    "concatenate",
    "stack",
    "cumsum",
    "cumprod",
    "logsumexp",
    "gather",
    "index_select",
    "topk",
    "amax",
    "amin",
    "sign",
    "tril",
    "triu",
)
for _name in OUT_FUNCTIONS:
    if _name in globals():
        globals()[_name] = _accepting_out(globals()[_name], _name)
