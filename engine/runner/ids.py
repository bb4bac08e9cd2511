"""The ids a run gives its objects, for the document and every request that names one.

Tensors are `t<n>`: n is the tensor's position in the order the run first saw it (the runner's
`replace` hook and POST /api/gradcheck use the same n). Function nodes are `f<n>`, in the order they
are reached from the tensors' grad_fns (next_functions, AccumulateGrad).
"""

from __future__ import annotations

import re

_TENSOR_ID = re.compile(r"t(\d+)")


def tensor_id(position: int) -> str:
    return f"t{position}"


def function_id(position: int) -> str:
    return f"f{position}"


def tensor_position(text: str) -> int | None:
    """n of a tensor id `t<n>`, or None when `text` is not one."""
    match = _TENSOR_ID.fullmatch(text)
    return int(match.group(1)) if match else None
