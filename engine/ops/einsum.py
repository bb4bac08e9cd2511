"""torch.einsum: one Function node whose backward is an einsum per operand.

PyTorch computes einsum by permuting, multiplying and bmm-ing its operands, so the node that ends the
graph depends on the equation; this node takes the name PyTorch's last node has (ViewBackward0 after a
contraction, MulBackward0 for an outer product, SumBackward1 or PermuteBackward0 for one operand).
"""

import numpy as np

from engine.autograd.function import Node
from engine.ops.core import connect, needs_grad, saved_tensor, wrap
from engine.ops.registry import op
from engine.tensor import Tensor


class _EinsumBackward(Node):
    __slots__ = ()

    def backward(self, grad):
        inputs, out_subscripts, operands = self.saved
        grads = []
        for k, (subscripts, x) in enumerate(zip(inputs, operands)):
            if self.next_functions[k][0] is None:
                grads.append(None)
                continue
            others = [(s, o) for j, (s, o) in enumerate(zip(inputs, operands)) if j != k]
            available = set(out_subscripts).union(*(set(s) for s, _ in others))
            present = "".join(c for c in subscripts if c in available)
            spec = ",".join([out_subscripts] + [s for s, _ in others]) + "->" + present
            g = np.einsum(spec, grad, *[o for _, o in others])
            index = tuple(slice(None) if c in available else np.newaxis for c in subscripts)
            grads.append(
                np.ascontiguousarray(np.broadcast_to(g[index], x.shape)).astype(x.dtype, copy=False)
            )
        return tuple(grads)

    def graph_backward(self, grad):
        inputs, out_subscripts, operands = self.saved
        tensors = [saved_tensor(self, o, k and -1) for k, o in enumerate(operands)]
        grads = []
        for k, (subscripts, x) in enumerate(zip(inputs, tensors)):
            if self.next_functions[k][0] is None:
                grads.append(None)
                continue
            others = [(s, o) for j, (s, o) in enumerate(zip(inputs, tensors)) if j != k]
            available = set(out_subscripts).union(*(set(s) for s, _ in others))
            present = "".join(c for c in subscripts if c in available)
            g = einsum(
                ",".join([out_subscripts] + [s for s, _ in others]) + "->" + present,
                grad,
                *[o for _, o in others],
            )
            for i, c in enumerate(subscripts):
                if c not in available:
                    g = g.unsqueeze(i)
            grads.append(g.expand(*x.shape))
        return tuple(grads)


NAMED = {
    name: type(name, (_EinsumBackward,), {"__slots__": ()})
    for name in ("ViewBackward0", "MulBackward0", "SumBackward1", "PermuteBackward0")
}


def _parse(equation, operands):
    equation = equation.replace(" ", "")
    if "..." in equation:
        raise NotImplementedError("gradtrace does not support '...' in einsum equations")
    if "->" in equation:
        lhs, out = equation.split("->")
    else:
        lhs = equation
        letters = lhs.replace(",", "")
        out = "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
    inputs = lhs.split(",")
    if len(inputs) != len(operands):
        raise ValueError(
            "einsum(): more operands were provided than specified in the equation"
            if len(operands) > len(inputs)
            else "einsum(): fewer operands were provided than specified in the equation"
        )
    for s, x in zip(inputs, operands):
        if len(s) != x._data.ndim:
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({len(s)}) does not match the "
                f"number of dimensions ({x._data.ndim}) for operand {inputs.index(s)} and no "
                f"ellipsis was given"
            )
    return inputs, out


@op(torch=True)
def einsum(equation, *operands):
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    for x in operands:
        if not isinstance(x, Tensor):
            raise TypeError(
                f"einsum(): argument 'operands' must be tuple of Tensors, not {type(x).__name__}"
            )
    inputs, out = _parse(equation, operands)
    data = [x._data for x in operands]
    out_data = np.asarray(np.einsum(f"{','.join(inputs)}->{out}", *data))
    node = None
    if needs_grad(*operands):
        if any(len(set(s)) != len(s) for s in inputs):
            raise NotImplementedError(
                "gradtrace does not support the gradient of einsum with a repeated subscript "
                "in one operand (a diagonal)"
            )
        contracted = set("".join(inputs)) - set(out)
        if len(operands) == 1:
            name = "SumBackward1" if contracted else "PermuteBackward0"
        else:
            name = "ViewBackward0" if contracted or len(operands) > 2 else "MulBackward0"
        node = connect(NAMED[name](), *operands)
        node.save(inputs, out, data, tensors=operands)
    return wrap(out_data, node, "einsum", operands)
