"""The namespace user programs see as `torch`. `__all__` is exactly what the runner exposes."""
import sys as _sys

from engine import dtypes as _dtypes
from engine.ops import arguments as _arguments
from engine import ops as _ops  # noqa: F401  (attaches the ops to Tensor)
from engine.dtypes import dtype, float16, float32, float64, int8, int16, int32, int64, uint8
from engine.grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from engine.ops.arithmetic import (add, div, divide, floor_divide, mul, multiply, neg, negative, positive, pow,
                                   reciprocal, remainder,
                                   rsub, sub, subtract, true_divide, eq, ne, lt, le, gt, ge,
                                   logical_and, logical_not, logical_or, logical_xor)
from engine.ops.creation import (BoolTensor, DoubleTensor, FloatTensor, IntTensor, LongTensor, arange,
                                 as_tensor, empty, empty_like, eye, full, full_like, linspace,
                                 manual_seed, ones, ones_like, rand, rand_like, randint, randn,
                                 randn_like, tensor, zeros, zeros_like)
from engine.ops.linalg import bmm, dot, matmul, mm, mv
from engine.ops.linear import addmm
from engine.ops.nn import log_softmax, softmax
from engine.ops.pointwise import (abs, ceil, clamp, clamp_max, clamp_min, clip, cos, exp, floor, log, maximum,
                                  minimum, relu, round, sigmoid, sin, sqrt, tanh, trunc, where)
from engine.ops.reduction import all_ as all
from engine.ops.reduction import any_ as any
from engine.ops.reduction import argmax, argmin, max, mean, min, norm, prod, std, sum, var
from engine.ops.sorting import argsort, sort
from engine.ops.shape import (cat, concat, concatenate, flatten, permute, reshape, squeeze, stack, t,
                              transpose, unsqueeze, clone, unbind)
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


__all__ = [
    # types and modules
    "Tensor", "Size", "dtype", "autograd", "nn", "optim", "float16", "float32", "float64", "int8", "int16",
    "int32", "int64", "uint8", "bool", "float", "double", "long", "int", "half", "__version__",
    # grad mode
    "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled",
    # creation
    "tensor", "as_tensor", "zeros", "ones", "empty", "full", "zeros_like", "ones_like", "empty_like",
    "full_like", "arange", "linspace", "eye", "rand", "randn", "randint", "rand_like", "randn_like",
    "manual_seed", "FloatTensor", "DoubleTensor", "LongTensor", "IntTensor", "BoolTensor",
    # ops
    "add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide", "neg", "negative",
    "positive", "pow", "reciprocal", "remainder", "floor_divide", "floor", "ceil", "round", "trunc", "rsub", "eq", "ne", "lt", "le", "gt", "ge", "logical_and", "logical_or",
    "logical_xor", "logical_not",
    "abs", "exp", "log", "sqrt", "sin", "cos", "tanh", "sigmoid", "relu", "clamp", "clamp_min",
    "clamp_max", "clip", "maximum", "minimum", "where",
    "sum", "mean", "prod", "max", "min", "argmax", "argmin", "std", "var", "norm", "sort", "argsort", "any", "all",
    "matmul", "mm", "mv", "dot", "bmm", "addmm",
    "t", "transpose", "permute", "reshape", "squeeze", "unsqueeze", "flatten", "cat", "concat",
    "concatenate", "stack", "clone", "unbind", "softmax", "log_softmax",
    "is_tensor", "numel", "detach", "result_type", "promote_types", "get_default_dtype",
]


_arguments.check_exports(_sys.modules[__name__])
