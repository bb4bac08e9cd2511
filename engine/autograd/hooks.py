"""Tensor.register_hook: functions run on a tensor's gradient during backward, as PyTorch runs them.

A hook is kept on the node the tensor's gradient flows into (its grad_fn at the tensor's output_nr, or a
leaf's AccumulateGrad) and runs when that gradient is complete, before the node: a hook that returns a
tensor replaces the gradient, which then goes on (and is what a retained .grad holds). The tracer is told
(a `hook` event: the gradient before and after).
"""

import itertools
import weakref

import numpy as np

from engine import trace
from engine.autograd.function import grad_edge

_handles = itertools.count()
HOOKS = (
    weakref.WeakKeyDictionary()
)  # node -> {output_nr: {handle id: (tensor, hook)}}; empty in most runs


class RemovableHandle:
    """What register_hook returns; `remove()` takes the hook off."""

    __slots__ = ("id", "_hooks")

    def __init__(self, hooks):
        self.id = next(_handles)
        self._hooks = hooks

    def remove(self):
        self._hooks.pop(self.id, None)

    def __repr__(self):
        return f"<torch.utils.hooks.RemovableHandle object at {hex(id(self))}>"


def register_hook(tensor, hook):
    if not tensor._requires_grad:
        raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
    if not callable(hook):
        raise TypeError(f"'{type(hook).__name__}' object is not callable")
    node = grad_edge(tensor)
    hooks = HOOKS.setdefault(node, {}).setdefault(tensor._output_nr, {})
    handle = RemovableHandle(hooks)
    hooks[handle.id] = (tensor, hook)
    return handle


def run_hooks(node, grad_in):
    """grad_in after the hooks kept on `node` (a list for a node of several outputs)."""
    from engine.tensor import Tensor

    several = node.num_outputs > 1
    grads = list(grad_in) if several else [grad_in]
    for nr, hooks in HOOKS[node].items():
        for tensor, hook in list(hooks.values()):
            g = grads[nr] if nr < len(grads) else None
            if g is None:
                continue
            given = g if isinstance(g, Tensor) else Tensor._wrap(np.array(g))
            out = hook(given)
            new = g
            if out is not None:
                if not isinstance(out, Tensor):
                    raise TypeError(f"expected Tensor or None (got {type(out).__name__})")
                if out._data.shape != np.shape(getattr(g, "_data", g)):
                    raise RuntimeError(
                        f"hook '{getattr(hook, '__name__', 'hook')}' has changed the size of value"
                    )
                new = (
                    out
                    if isinstance(g, Tensor)
                    else out._data.astype(np.asarray(g).dtype, copy=False)
                )
            if trace.local.tracer is not None and hasattr(trace.local.tracer, "hook_ran"):
                trace.local.tracer.hook_ran(
                    tensor, getattr(g, "_data", g), getattr(new, "_data", new)
                )
            grads[nr] = new
    return grads if several else grads[0]
