"""The backward pass: run each Function node once all the gradients flowing into it have arrived.

Like PyTorch's engine, whose ready queue runs the ready node with the highest sequence number (the
most recently created) and a leaf's AccumulateGrad as soon as it is ready; gradients are summed
where paths meet. See `_schedule` for why that order needs no queue here.
"""

import operator

import numpy as np

from engine import grad_mode, trace
from engine.autograd.function import AccumulateGrad, accumulate_grad, grad_edge  # noqa: F401 (ops import it here)
from engine.autograd.hooks import HOOKS, run_hooks
from engine.errors import NO_GRAD_FN
from engine.size import Size
from engine.tensor import Tensor


def root_gradient(tensor, gradient):
    if gradient is None:
        if tensor._data.size != 1:
            raise RuntimeError("grad can be implicitly created only for scalar outputs")
        return np.ones_like(tensor._data)
    g = np.asarray(getattr(gradient, "_data", gradient), dtype=tensor._data.dtype)
    if g.shape != tensor._data.shape:
        raise RuntimeError(
            f"Mismatch in shape: grad_output[0] has a shape of {Size(g.shape)!r} and output[0] "
            f"has a shape of {Size(tensor._data.shape)!r}."
        )
    return g


def backward(tensor, gradient=None, retain_graph=None, inputs=None, create_graph=False):
    root = grad_edge(tensor)
    if root is None:
        raise RuntimeError(NO_GRAD_FN)
    grad = _graph_root(root_gradient(tensor, gradient), create_graph)
    retain_graph = create_graph if retain_graph is None else retain_graph
    if inputs is None:
        run_backward(
            root, _as_buffer(root, tensor, grad), bool(retain_graph), create_graph=create_graph
        )
        return
    for t in inputs:  # PyTorch retains the grad of each input, so the same check comes first
        if not t._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
    for t, g in zip(
        inputs,
        _grads_reaching(root, _as_buffer(root, tensor, grad), inputs, retain_graph, create_graph),
    ):
        if g is not None:
            accumulate_grad(t, g)
    for t in inputs:  # PyTorch retains the grad of a non-leaf input for later backward calls too
        if t._grad_fn is not None:
            t.retain_grad()


def tensor_backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
    """Tensor.backward."""
    backward(
        self, gradient, retain_graph, inputs=backward_inputs(inputs), create_graph=create_graph
    )


def backward_inputs(inputs):
    """The `inputs=` of backward() as a list (None: every leaf)."""
    if inputs is None:
        return None
    inputs = [inputs] if isinstance(inputs, Tensor) else list(inputs)
    if not inputs:
        raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
    return inputs


def _as_buffer(node, tensor, grad):
    """The input buffer of `node` holding `grad` for output `tensor`."""
    if node.num_outputs == 1:
        return grad
    buffer = [None] * node.num_outputs
    buffer[tensor._output_nr] = grad
    return buffer


def _schedule(root):
    """The order PyTorch's ready queue runs the Function nodes, and how many edges lead into each leaf.

    The queue runs the ready node with the highest sequence_nr. A node is always newer than the nodes
    its edges lead to, so that is every node in order of sequence_nr, newest first: when a node's turn
    comes, all its parents have run. A leaf's AccumulateGrad runs as soon as its last edge delivers.
    """
    leaf_edges = {}
    seen = {root}
    functions = [root]
    stack = [root]
    while stack:
        for nxt, _ in stack.pop().next_functions:
            if nxt is None:
                continue
            if type(nxt) is AccumulateGrad:
                leaf_edges[nxt] = leaf_edges.get(nxt, 0) + 1
            elif nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
                functions.append(nxt)
    functions.sort(key=_sequence_nr)
    return functions, leaf_edges


_sequence_nr = operator.attrgetter("sequence_nr")


def grad(
    output, inputs, grad_output=None, retain_graph=None, allow_unused=False, create_graph=False
):
    """torch.autograd.grad: the gradients reaching `inputs` (None where unused), leaving every .grad untouched."""
    root = grad_edge(output)
    if root is None:
        raise RuntimeError(NO_GRAD_FN)
    for _i, t in enumerate(inputs):
        if not t._requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    retain_graph = create_graph if retain_graph is None else retain_graph
    grad = _graph_root(root_gradient(output, grad_output), create_graph)
    grads = _grads_reaching(
        root, _as_buffer(root, output, grad), inputs, retain_graph, create_graph
    )
    for i, g in enumerate(grads):
        if g is None and not allow_unused:
            raise RuntimeError(
                f"The differentiated Tensor at index {i} appears to not have been used in "
                "the graph. Set allow_unused=True if this is the desired behavior."
            )
    return grads


def _graph_root(grad, create_graph):
    """With create_graph, gradients are Tensors (each node's graph_backward), the first one too."""
    if not create_graph:
        return grad
    return Tensor._wrap(grad)


def _grads_reaching(root, buffer, inputs, retain_graph, create_graph=False):
    """Run only the part of the graph that leads to `inputs`; the gradient reaching each (or None)."""
    capture = {grad_edge(t): None for t in inputs}
    run_backward(root, buffer, bool(retain_graph), capture, create_graph)
    grads = []
    for t in inputs:
        g = capture[grad_edge(t)]
        grads.append(g[t._output_nr] if isinstance(g, list) else g)
    return grads


def _leading_to(root, targets):
    """The nodes of root's graph with a node of `targets` behind them."""
    parents = {}
    seen = {root}
    stack = [root]
    while stack:
        node = stack.pop()
        for nxt, _ in node.next_functions:
            if nxt is not None:
                parents.setdefault(nxt, []).append(node)
                if nxt not in seen:
                    seen.add(nxt)
                    stack.append(nxt)
    found = set()
    stack = [t for t in targets if t in seen]
    while stack:
        for parent in parents.get(stack.pop(), ()):
            if parent not in found:
                found.add(parent)
                stack.append(parent)
    return found


def _arrays(*gradient_lists):
    """Gradient lists as the tracer takes them: arrays (create_graph gives Tensors)."""
    return [[getattr(g, "_data", g) for g in grads] for grads in gradient_lists]


def run_backward(root, grad, retain_graph, capture=None, create_graph=False):
    """Run the graph from `root`. With `capture` (node -> None), record the gradients reaching those
    nodes and run only the nodes leading to them, leaves' AccumulateGrad excepted (autograd.grad)."""
    tracer = trace.local.tracer
    if tracer is not None:
        tracer.backward_started((root,), (getattr(grad, "_data", grad),))
    pending, leaf_edges = _schedule(root)  # pending.pop() is the next node to run
    leading = None if capture is None else _leading_to(root, capture)
    buffers = {root: grad}
    prev_mode = grad_mode.state.enabled
    grad_mode.state.enabled = create_graph
    try:
        while pending:
            node = pending.pop()
            grad_in = buffers.pop(node, None)
            if HOOKS and grad_in is not None and node in HOOKS:
                grad_in = run_hooks(node, grad_in)
            if capture is not None:
                if node in capture:
                    capture[node] = grad_in
                if node not in leading:
                    grad_in = None  # nothing asked for lies behind it: PyTorch skips it
            if node.retained is not None and grad_in is not None:
                for nr, tensor in node.retained.items():
                    g = grad_in if node.num_outputs == 1 else grad_in[nr]
                    if g is not None:
                        accumulate_grad(tensor, g)
            grads_out = (
                (node.graph_backward(grad_in) if create_graph else node.backward(grad_in))
                if grad_in is not None
                else (None,) * len(node.next_functions)
            )
            if tracer is not None:
                tracer.function_ran(
                    node, *_arrays(grad_in if node.num_outputs > 1 else [grad_in], grads_out)
                )
            if not retain_graph and node.saves_tensors:
                node.release()
            ready_leaves = None
            for (nxt, nr), g in zip(node.next_functions, grads_out):
                if nxt is None:
                    continue
                if g is not None:
                    if nxt.num_outputs == 1:
                        old = buffers.get(nxt)
                        buffers[nxt] = g if old is None else old + g
                    else:
                        old = buffers.get(nxt)
                        if old is None:
                            old = buffers[nxt] = [None] * nxt.num_outputs
                        old[nr] = g if old[nr] is None else old[nr] + g
                if type(nxt) is AccumulateGrad:
                    left = leaf_edges[nxt] = leaf_edges[nxt] - 1
                    if left == 0:
                        if ready_leaves is None:
                            ready_leaves = [nxt]
                        else:
                            ready_leaves.append(nxt)
            if ready_leaves is not None:
                pending.extend(reversed(ready_leaves))  # run next, in the order they became ready
        if buffers:  # a gradient arrived after its node ran: the order above would be wrong
            raise AssertionError(
                f"{next(iter(buffers)).name()} ran before all its gradients arrived"
            )
    finally:
        grad_mode.state.enabled = prev_mode
        if tracer is not None:
            tracer.backward_finished()
