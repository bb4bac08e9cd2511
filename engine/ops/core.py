"""What every op shares: promoting operands, wrapping outputs, connecting Function nodes."""

import numpy as np

from engine import dtypes, grad_mode, trace
from engine.autograd.engine import grad_edge
from engine.autograd.function import Node
from engine.errors import BadArgument
from engine.tensor import Tensor, wrap_dim


def data_of(x):
    """A Tensor's array, or the Python scalar itself (numpy treats those as weakly typed)."""
    return x._data if isinstance(x, Tensor) else x


def operands(a, b):
    """Both operands' data, cast to PyTorch's result dtype of the pair."""
    ad = a._data if isinstance(a, Tensor) else a
    tb = type(b)
    if tb is Tensor:
        bd = b._data
        if type(ad) is np.ndarray and ad.dtype is bd.dtype:
            return ad, bd
    elif (tb is float or tb is int) and type(ad) is np.ndarray and ad.dtype.kind == "f":
        return ad, b  # numpy keeps a Python scalar weakly typed, as PyTorch does
    elif isinstance(b, Tensor):  # a subclass (nn.Parameter)
        bd = b._data
    else:
        bd = b
    if isinstance(ad, Tensor) or isinstance(bd, Tensor):
        raise TypeError("unsupported operand")
    for x in (ad, bd):
        if not isinstance(x, (np.ndarray, int, float, bool)):
            raise BadArgument(f"unsupported operand type: '{type(x).__name__}'")
    dt = dtypes.result_type(a, b).np
    return _as_dtype(ad, dt), _as_dtype(bd, dt)


def _as_dtype(x, dt):
    if isinstance(x, np.ndarray):
        return x if x.dtype == dt else x.astype(dt)
    try:
        return np.asarray(x, dtype=dt)
    except (
        OverflowError
    ):  # PyTorch wraps a Python int into a narrower integer dtype (uint8 * -1 is 255)
        return np.asarray(x).astype(dt)


def broadcast_shape(sa, sb):
    """PyTorch's infer_size, with its error message."""
    na, nb = len(sa), len(sb)
    n = max(na, nb)
    out = [0] * n
    for i in range(n - 1, -1, -1):
        ia, ib = i - n + na, i - n + nb
        x = sa[ia] if ia >= 0 else 1
        y = sb[ib] if ib >= 0 else 1
        if x != y and x != 1 and y != 1:
            raise RuntimeError(
                f"The size of tensor a ({x}) must match the size of tensor b ({y}) "
                f"at non-singleton dimension {i}"
            )
        out[i] = x if y == 1 else y
    return tuple(out)


def check_broadcast(ad, bd):
    """Raise PyTorch's error before numpy's, and let a tracer refuse a too-large output."""
    sa = np.shape(ad)
    sb = np.shape(bd)
    if sa != sb:
        shape = broadcast_shape(sa, sb)
    else:
        shape = sa
    if trace.local.tracer is not None:
        trace.local.tracer.allocating(int(np.prod(shape, dtype=np.int64)))


def needs_grad(*inputs) -> bool:
    if not grad_mode.state.enabled:
        return False
    for t in inputs:
        if isinstance(t, Tensor) and t._requires_grad:
            return True
    return False


def connect(node: Node, *inputs):
    """Set node.next_functions from its inputs (None where an input needs no gradient)."""
    node.next_functions = tuple(
        (grad_edge(t), t._output_nr) if isinstance(t, Tensor) else (None, 0) for t in inputs
    )
    return node


def wrap(data, node, op, inputs, version=None):
    """The output Tensor of `op`, recorded by the tracer when one listens."""
    if type(data) is not np.ndarray:
        data = np.asarray(data)
    t = Tensor._wrap(data, node, version)
    if trace.local.tracer is not None:
        trace.local.tracer.tensor_created(t, op, inputs)
    return t


def as_tensor(x, like=None):
    """Python scalars become 0-d tensors of the default dtype (or like's)."""
    if isinstance(x, Tensor):
        return x
    return Tensor._wrap(
        np.asarray(x, dtype=dtypes.result_type(x).np if like is None else like._data.dtype)
    )


def dims_arg(dim, ndim):
    """Normalise an int / tuple / list / None dim argument to a tuple of non-negative axes."""
    if dim is None:
        return tuple(range(ndim))
    if ndim == 0:  # a scalar accepts dim 0 or -1 and has nothing to reduce
        for d in dim if isinstance(dim, (tuple, list)) else (dim,):
            wrap_dim(d, 0)
        return ()
    if isinstance(dim, (tuple, list)):
        return tuple(sorted(wrap_dim(d, ndim) for d in dim))
    return (wrap_dim(dim, ndim),)


# -- create_graph: backward formulas on Tensors (each node's graph_backward) ----------------------


def saved_tensor(node, value, position=0):
    """The Tensor a node saved `value` from, for its graph_backward (a Python number stays a number).

    A numpy scalar is the value of a 0-d operand (engine/ops/arithmetic.py saves those unwrapped), an
    array of another dtype an operand cast to the op's dtype: its Tensor stands at `position` among
    the node's saved tensors (0: first operand, -1: second), and is cast the same way (ToCopyBackward0).
    """
    if not isinstance(value, (np.ndarray, np.generic)):
        return value
    for tensor, _, _ in node._versions or ():
        if tensor._data is value:
            return tensor
    tensor = node._versions[position][0]
    if tensor._data.dtype != value.dtype:
        return tensor.to(dtypes.from_numpy(value.dtype))
    return tensor


def constant(array):
    """A Tensor holding `array` that no gradient flows through (masks, signs, indices in formulas)."""
    return Tensor._wrap(np.asarray(array))


def sum_to(grad, shape):
    """The Tensor twin of `unbroadcast`: sum `grad` down to `shape` (None: it has that shape), as
    PyTorch's at::sum_to does it (one keepdim sum, then a view when leading dims went)."""
    if shape is None:
        return grad
    shape = tuple(shape)
    sizes = tuple(grad.shape)
    if sizes == shape:
        return grad
    if not shape:
        return grad.sum()
    leading = len(sizes) - len(shape)
    dims = (
        *range(leading),
        *(i for i in range(leading, len(sizes)) if shape[i - leading] == 1 and sizes[i] != 1),
    )
    if dims:
        grad = grad.sum(dims, keepdim=True)
    return grad.view(shape) if leading > 0 else grad


def result(data, node_cls, op, inputs, grad_inputs=None):
    """Wrap an op's output, with a `node_cls` grad_fn when an input needs grad.

    `inputs` is what the tracer sees; `grad_inputs` (default: inputs) the node's edges.
    Returns (tensor, node or None); the caller saves what its backward needs on the node.
    """
    grad_inputs = inputs if grad_inputs is None else grad_inputs
    node = connect(node_cls(), *grad_inputs) if needs_grad(*grad_inputs) else None
    return wrap(data, node, op, inputs), node
