"""Views and in-place writes, as PyTorch's autograd handles them.

A view (x[0], x.t(), x.view(...)) shares its base's storage and version counter and remembers its
base (`_base`, always the root, never another view). Writing into a view in place changes the base:
the base's history becomes CopySlices (the op's node, applied to the base's gradient where the view
lies), and every view of that base that takes part in autograd has its grad_fn regenerated as
AsStridedBackward0 of the base, as PyTorch regenerates a view's grad_fn once the version moved on.
"""

import weakref

import numpy as np

from engine.autograd.engine import grad_edge
from engine.autograd.function import Node
from engine.errors import LEAF_IN_PLACE, VIEW_OF_LEAF_IN_PLACE
from engine.ops.core import constant
from engine.ops.scatter import put, take


def base_of(tensor):
    """The tensor `tensor` is a view of, or None."""
    return getattr(tensor, "_base", None)


def register_view(view, base, grad_enabled):
    """Make `view` a view of `base` (or of base's own base); one made in grad mode is tracked for
    grad_fn regeneration, one made under no_grad still requires grad if its base does (as in PyTorch)."""
    root = base_of(base)
    root = base if root is None else root
    view._base = root
    if not grad_enabled:
        view._requires_grad = root._requires_grad
        view._no_grad_view = True
        return
    views = getattr(root, "_views", None)
    if views is None:
        views = root._views = []
    views.append(weakref.ref(view))
    n = len(views)
    if n >= 64 and not n & (
        n - 1
    ):  # now and then, forget the views that are gone (for row in x: ...)
        views[:] = [ref for ref in views if ref() is not None]


def view_positions(base, view):
    """For each element of numpy view `view`, its flat (C-order) index in `base`, whose memory it shares."""
    start = base.__array_interface__["data"][0]

    def byte_offsets(a):
        off = np.full(a.shape, a.__array_interface__["data"][0] - start, dtype=np.int64)
        for axis, (n, stride) in enumerate(zip(a.shape, a.strides)):
            off = off + (np.arange(n, dtype=np.int64) * stride).reshape(
                (-1,) + (1,) * (a.ndim - axis - 1)
            )
        return off

    if base.flags.c_contiguous:  # the usual case: the offset is the index
        return byte_offsets(view) // base.itemsize
    in_base = byte_offsets(base).reshape(-1)
    order = np.argsort(in_base, kind="stable")
    return order[np.searchsorted(in_base[order], byte_offsets(view))]


class AsStridedBackward0(Node):
    """A view's grad_fn after its base (or another view of it) was written in place."""

    __slots__ = ()
    saves_tensors = False

    def backward(self, grad):
        base, view = self.saved  # the arrays: where the view lies is worked out only when needed
        out = np.zeros(base.size, dtype=grad.dtype)
        np.add.at(out, view_positions(base, view), grad)
        return (out.reshape(base.shape),)

    def graph_backward(self, grad):
        base, view = self.saved
        return (put(grad, view_positions(base, view), base.shape),)


class CopySlices(Node):
    """The base's grad_fn after an in-place op on one of its views: runs that op's node on the part of
    the gradient where the view lies, and passes the rest of the base's gradient through."""

    __slots__ = ("fn",)
    cpp_name = "torch::autograd::CopySlices"

    def __init__(self, fn, base_edge, base, view):
        Node.__init__(self)
        self.fn = fn
        self.next_functions = (base_edge,) + tuple(fn.next_functions[1:])
        self.save(base, view)

    def backward(self, grad):
        positions = view_positions(*self.saved)
        result = np.array(grad, dtype=grad.dtype, order="C").reshape(-1)
        grads = self.fn.backward(result[positions])
        if self.next_functions[0][0] is not None and grads[0] is not None:
            result[positions] = grads[0]
        return (result.reshape(grad.shape),) + tuple(grads[1:])

    def graph_backward(self, grad):
        positions = view_positions(*self.saved)
        grads = self.fn.graph_backward(take(grad, positions))
        result = grad
        if self.next_functions[0][0] is not None and grads[0] is not None:
            outside = np.ones(grad._data.size, dtype=grad._data.dtype)
            outside[positions] = 0
            result = grad * constant(outside.reshape(grad._data.shape)) + put(
                grads[0], positions, grad._data.shape
            )
        return (result,) + tuple(grads[1:])

    def release(self):
        self.fn.release()  # its own saved base and view stay: they hold no graph


def check_in_place(tensor, grad_enabled):
    """PyTorch's checks before an in-place op writes anything (leaf and view-of-leaf rules)."""
    if not grad_enabled or not tensor._requires_grad:
        return
    base = base_of(tensor)
    if base is not None:
        if getattr(tensor, "_no_grad_view", False):
            raise RuntimeError(
                "A view was created in no_grad mode and is being modified inplace with grad mode enabled. Given "
                "that this use case is ambiguous and error-prone, it is forbidden. You can clarify your code by "
                "moving both the view and the inplace either both inside the no_grad block (if you don't want "
                "the inplace to be tracked) or both outside (if you want the inplace to be tracked)."
            )
        if tensor._grad_fn is not None and tensor._grad_fn.num_outputs > 1:
            op = tensor._grad_fn.name().replace("Backward0", "")
            raise RuntimeError(
                f"Output {tensor._output_nr} of {op} is a view and is being modified inplace. This view is "
                "the output of a function that returns multiple views. Such functions do not allow the "
                "output views to be modified inplace. You should replace the inplace operation by an "
                "out-of-place one."
            )
        if base._grad_fn is None:
            raise RuntimeError(VIEW_OF_LEAF_IN_PLACE)
    elif tensor._grad_fn is None:
        raise RuntimeError(LEAF_IN_PLACE)


def set_history(tensor, node):
    """`tensor` is now output 0 of `node` (its retained .grad follows it)."""
    if tensor._retains_grad:
        del tensor._grad_fn.retained[tensor._output_nr]
        node.retained = {0: tensor}
    tensor._grad_fn = node
    tensor._output_nr = 0
    tensor._requires_grad = True


def rebase_history(tensor, node):
    """After an in-place op recorded as `node`: on a view, the base takes CopySlices(node)."""
    base = base_of(tensor)
    if base is None:
        set_history(tensor, node)
        return
    base_edge = (grad_edge(base), base._output_nr)
    set_history(base, CopySlices(node, base_edge, base._data, tensor._data))


def regenerate_views(tensor):
    """The version of `tensor`'s storage moved on: its family's views take AsStridedBackward0 of the base."""
    root = base_of(tensor)
    root = tensor if root is None else root
    views = getattr(root, "_views", None)
    if views is None:
        return
    alive = []
    for ref in views:
        view = ref()
        if view is None:
            continue
        alive.append(ref)
        if root._requires_grad:
            node = AsStridedBackward0()
            node.next_functions = ((grad_edge(root), root._output_nr),)
            node.save(root._data, view._data)
            set_history(view, node)
    views[:] = alive
