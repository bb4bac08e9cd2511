"""torch dtypes over numpy dtypes, and PyTorch's type-promotion rules."""

import numpy as np

BOOL, INTEGRAL, FLOATING = 0, 1, 2  # categories, lowest to highest


class dtype:
    """A torch dtype (`torch.float32` ...): a name over a numpy dtype."""

    __slots__ = ("name", "np", "category", "is_floating_point", "itemsize")

    def __init__(self, name, np_dtype, category):
        self.name = name
        self.np = np.dtype(np_dtype)
        self.category = category
        self.is_floating_point = category == FLOATING
        self.itemsize = self.np.itemsize

    def __repr__(self):
        return f"torch.{self.name}"

    def __reduce__(self):
        return self.name


float16 = dtype("float16", np.float16, FLOATING)
float32 = dtype("float32", np.float32, FLOATING)
float64 = dtype("float64", np.float64, FLOATING)
uint8 = dtype("uint8", np.uint8, INTEGRAL)
int8 = dtype("int8", np.int8, INTEGRAL)
int16 = dtype("int16", np.int16, INTEGRAL)
int32 = dtype("int32", np.int32, INTEGRAL)
int64 = dtype("int64", np.int64, INTEGRAL)
bool_ = dtype("bool", np.bool_, BOOL)

ALL = (float16, float32, float64, uint8, int8, int16, int32, int64, bool_)
BY_NUMPY = {d.np: d for d in ALL}
DEFAULT_FLOAT = float32
DEFAULT_INT = int64


def from_numpy(np_dtype) -> dtype:
    return BY_NUMPY[np.dtype(np_dtype)]


def to_numpy(d) -> np.dtype:
    """Accept a torch dtype (or None) and give the numpy dtype."""
    if isinstance(d, dtype):
        return d.np
    raise TypeError(f"dtype must be torch.dtype, not {type(d).__name__}")


def promote_types(a: dtype, b: dtype) -> dtype:
    """torch.promote_types: a higher category wins; within a category the wider type."""
    if a is b:
        return a
    if a.category != b.category:
        return a if a.category > b.category else b
    return BY_NUMPY[np.promote_types(a.np, b.np)]


def scalar_category(value) -> int:
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, int):
        return INTEGRAL
    return FLOATING


def result_type(*operands) -> dtype:
    """torch.result_type over Tensors and Python scalars.

    Dimensioned tensors outrank zero-dim tensors, which outrank Python scalars, unless a lower
    rank holds a higher category (an int tensor times 2.5 is float32, the default float).
    """
    dimensioned = zero_dim = None
    scalar_cat = -1
    for op in operands:
        d = getattr(op, "_data", None)
        if d is None:
            scalar_cat = max(scalar_cat, scalar_category(op))
            continue
        t = BY_NUMPY[d.dtype]
        if d.ndim:
            dimensioned = t if dimensioned is None else promote_types(dimensioned, t)
        else:
            zero_dim = t if zero_dim is None else promote_types(zero_dim, t)
    result = dimensioned
    if zero_dim is not None and (result is None or zero_dim.category > result.category):
        result = zero_dim
    if result is None:
        return {BOOL: bool_, INTEGRAL: int64}.get(scalar_cat, DEFAULT_FLOAT)
    if scalar_cat > result.category:
        result = DEFAULT_FLOAT if scalar_cat == FLOATING else int64
    return result


_LEGACY_NAMES = {
    "float32": "Float",
    "float64": "Double",
    "float16": "Half",
    "int64": "Long",
    "int32": "Int",
    "int16": "Short",
    "int8": "Char",
    "uint8": "Byte",
    "bool": "Bool",
}


def legacy_type_name(np_dtype) -> str:
    """PyTorch's legacy CPU type name, as its error messages print it: torch.FloatTensor."""
    return f"torch.{_LEGACY_NAMES[from_numpy(np_dtype).name]}Tensor"


def short_type_name(np_dtype) -> str:
    """The scalar type name PyTorch's messages use: Float, Long, Bool ..."""
    return _LEGACY_NAMES[from_numpy(np_dtype).name]
