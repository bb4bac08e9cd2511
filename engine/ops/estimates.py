"""Size estimates ops declare for the runner: upper bounds of the elements a call allocates, read from
the arguments alone so a too-large call is refused before it runs (engine/ops/registry.py).

Each takes `(args, kwargs)` as the op's torch function takes them (a method's self first).
"""

from __future__ import annotations

import math

import numpy as np


def prod(sizes) -> int:
    n = 1
    for s in sizes:
        n *= max(int(s), 0)
    return n


def _is_int(x) -> bool:
    return isinstance(x, (int, np.integer))


def _ints(values):
    return [int(v) for v in values if _is_int(v)]


def _sizes(args, kwargs):
    """The size a factory was given: `size=`, a tuple/list/Size first argument, or leading ints."""
    if "size" in kwargs:
        size = kwargs["size"]
        return tuple(size) if isinstance(size, (tuple, list)) else (size,)
    if args and isinstance(args[0], (tuple, list)):
        return tuple(args[0])
    sizes = []
    for a in args:
        if not _is_int(a):
            break
        sizes.append(a)
    return tuple(sizes)


def shape_of(x) -> tuple:
    return tuple(x.shape) if hasattr(x, "shape") and not isinstance(x, (int, float)) else ()


def broadcast_numel(sa: tuple, sb: tuple) -> int:
    """Elements of the broadcast of two shapes (0 when they do not broadcast)."""
    if sa == sb:
        return prod(sa)
    if len(sa) < len(sb):
        sa, sb = sb, sa
    sb = (1,) * (len(sa) - len(sb)) + tuple(sb)
    n = 1
    for x, y in zip(sa, sb):
        if x != y and x != 1 and y != 1:
            return 0  # the engine raises PyTorch's error
        n *= max(x, y) if x and y else 0
    return n


def matmul_numel(a, b) -> int:
    sa, sb = shape_of(a), shape_of(b)
    if len(sa) < 2 or len(sb) < 2:
        return max(prod(sa), prod(sb))
    try:
        batch = np.broadcast_shapes(sa[:-2], sb[:-2])
    except ValueError:
        return 0
    return prod(batch) * sa[-2] * sb[-1]


# -- the estimates ops declare -------------------------------------------------------------
def elementwise(args, kwargs=None) -> int:
    """Ops of several tensors without an estimate of their own: their broadcast shape."""
    shapes = [a._data.shape for a in args if hasattr(a, "_data")]
    if len(shapes) < 2:
        return 0
    numel = prod(shapes[0])
    for shape in shapes[1:]:
        numel = max(numel, broadcast_numel(shapes[0], shape), prod(shape))
    return numel


def nothing(args, kwargs) -> int:
    """Views and reshapes allocate nothing new worth refusing."""
    return 0


def factory(args, kwargs) -> int:
    """zeros(2, 3), ones((2, 3)), rand(size=...)."""
    return prod(_ints(_sizes(args, kwargs)))


def legacy_factory(args, kwargs) -> int:
    """FloatTensor(2, 3) allocates; FloatTensor(data) holds data that is already bounded."""
    if args and not all(_is_int(a) for a in args):
        return 0
    return factory(args, kwargs)


def new_factory(args, kwargs) -> int:
    """x.new_zeros(2, 3): the size follows self."""
    return factory(args[1:], kwargs)


def full(args, kwargs) -> int:
    return prod(_ints(_sizes(args[:1], kwargs)))


def randint(args, kwargs) -> int:
    sizes = [a for a in args if isinstance(a, (tuple, list))] or [kwargs.get("size", ())]
    return prod(_ints(sizes[0]))


def randperm(args, kwargs) -> int:
    n = args[0] if args else kwargs.get("n", 0)
    return n if _is_int(n) else 0


def normal(args, kwargs) -> int:
    """normal(mean, std, size) with floats, else the broadcast of its tensor arguments."""
    size = args[2] if len(args) > 2 else kwargs.get("size")
    if isinstance(size, (tuple, list)):
        return prod(_ints(size))
    return elementwise(args, kwargs)


def arange(args, kwargs) -> int:
    numbers = [float(a) for a in args if isinstance(a, (int, float))]
    start, end, step = 0.0, 0.0, float(kwargs.get("step", 1) or 1)
    if len(numbers) == 1:
        end = numbers[0]
    elif len(numbers) >= 2:
        start, end = numbers[:2]
        if len(numbers) >= 3 and numbers[2]:
            step = numbers[2]
    span = (end - start) / step
    return int(math.ceil(span)) if math.isfinite(span) and span > 0 else 0


def linspace(args, kwargs) -> int:
    steps = kwargs.get("steps", args[2] if len(args) > 2 else 0)
    return int(steps) if _is_int(steps) else 0


def eye(args, kwargs) -> int:
    ints = _ints(list(args[:2]) + [kwargs[k] for k in ("n", "m") if k in kwargs])
    return ints[0] * (ints[1] if len(ints) > 1 else ints[0]) if ints else 0


def expand(args, kwargs) -> int:
    return prod(abs(s) for s in _ints(_sizes(args[1:], kwargs)))


def repeat(args, kwargs) -> int:
    return prod(shape_of(args[0])) * prod(_ints(_sizes(args[1:], kwargs))) if args else 0


def matmul(args, kwargs) -> int:
    return matmul_numel(args[0], args[1]) if len(args) >= 2 else 0


def join(args, kwargs) -> int:
    """cat / stack: the elements of the tensors joined."""
    tensors = args[0] if args and isinstance(args[0], (list, tuple)) else kwargs.get("tensors", ())
    return sum(prod(t._data.shape) for t in tensors if hasattr(t, "_data"))
