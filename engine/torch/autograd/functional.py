"""torch.autograd.functional: jacobian and hessian, row by row with autograd.grad (PyTorch's
reverse-mode strategy without vectorize, which gives the same numbers)."""

from engine import grad_mode
from engine.tensor import Tensor


def _as_tuple(value, what, fn_name):
    if isinstance(value, Tensor):
        return (value,), False
    if isinstance(value, (tuple, list)) and all(isinstance(v, Tensor) for v in value):
        return tuple(value), True
    raise TypeError(
        f"The {what} given to {fn_name} must be either a Tensor or a tuple of Tensors but the value "
        f"at index 0 has type {type(value).__name__}."
    )


def _prepare(inputs, create_graph):
    """PyTorch's _grad_preprocess: inputs the function is differentiated at, detached unless the outer graph
    is wanted."""
    out = []
    for x in inputs:
        if create_graph and x.requires_grad:
            out.append(x.view_as(x))
        else:
            out.append(x.detach().requires_grad_(True))
    return tuple(out)


def jacobian(
    func, inputs, create_graph=False, strict=False, vectorize=False, strategy="reverse-mode"
):
    from engine.ops.creation import zeros
    from engine.ops.shape import stack
    from engine.torch.autograd.gradients import grad

    if strategy != "reverse-mode":
        raise NotImplementedError(f"gradtrace does not support jacobian(strategy={strategy!r})")
    with grad_mode.enable_grad():
        inputs, inputs_tuple = _as_tuple(inputs, "inputs", "jacobian")
        inputs = _prepare(inputs, create_graph)
        outputs, outputs_tuple = _as_tuple(
            func(*inputs), "outputs of the user-provided function", "jacobian"
        )
        result = []
        for i, out in enumerate(outputs):
            rows = [[] for _ in inputs]
            for j in range(out.numel()):
                if (
                    out.requires_grad
                ):  # the vector-Jacobian product with the j-th basis vector: row j
                    basis = zeros(out.numel(), dtype=out.dtype)
                    basis._data[j] = 1
                    grads = grad(
                        out,
                        inputs,
                        grad_outputs=basis.view(out.shape),
                        retain_graph=True,
                        create_graph=create_graph,
                        allow_unused=True,
                    )
                else:
                    grads = (None,) * len(inputs)
                for k, (g, x) in enumerate(zip(grads, inputs)):
                    if g is None:
                        if strict:
                            raise RuntimeError(
                                f"Output {i} of the user-provided function is independent of input "
                                f"{k}. This is not allowed in strict mode."
                            )
                        g = zeros(x.shape, dtype=x.dtype)
                    rows[k].append(g)
            blocks = []
            for k, x in enumerate(inputs):
                if rows[k]:
                    block = stack(rows[k]).view(tuple(out.shape) + tuple(x.shape))
                else:
                    block = zeros(tuple(out.shape) + tuple(x.shape), dtype=x.dtype)
                blocks.append(block if create_graph else block.detach())
            result.append(tuple(blocks))
    if not outputs_tuple and not inputs_tuple:
        return result[0][0]
    if not outputs_tuple:
        return result[0]
    if not inputs_tuple:
        return tuple(r[0] for r in result)
    return tuple(result)


def hessian(
    func,
    inputs,
    create_graph=False,
    strict=False,
    vectorize=False,
    outer_jacobian_strategy="reverse-mode",
):
    inputs_tuple = isinstance(inputs, (tuple, list))

    def single_output(*inp):
        out = func(*inp)
        outs, is_tuple = _as_tuple(out, "outputs of the user-provided function", "hessian")
        if is_tuple and len(outs) != 1:
            raise RuntimeError("The function given to hessian should return a single Tensor")
        if outs[0].numel() != 1:
            raise RuntimeError(
                "The Tensor returned by the function given to hessian should contain a single "
                "element"
            )
        return outs[0].squeeze()

    def jac_func(*inp):
        return jacobian(single_output, inp if inputs_tuple else inp[0], create_graph=True)

    res = jacobian(
        jac_func,
        tuple(inputs) if inputs_tuple else inputs,
        create_graph=create_graph,
        strict=strict,
        strategy=outer_jacobian_strategy,
    )
    return res


__all__ = ["jacobian", "hessian"]
