"""F.l1_loss, composed as PyTorch composes it, and the losses' legacy size_average/reduce arguments."""

from engine.ops.core import broadcast_shape
from engine.ops.registry import op


def legacy_get_string(size_average, reduce):
    """torch.nn._reduction.legacy_get_string: the reduction the legacy arguments mean."""
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    if size_average and reduce:
        return "mean"
    return "sum" if reduce else "none"


@op(functional=True)
def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """|input - target| reduced: AbsBackward0, then MeanBackward0 or SumBackward0; with `weight`, the
    weighted sum divided by the sum of the weights."""
    if size_average is not None or reduce is not None:
        reduction = legacy_get_string(size_average, reduce)
    if input._data.shape != target._data.shape:  # broadcast_tensors
        shape = broadcast_shape(input._data.shape, target._data.shape)
        input = input if input._data.shape == shape else input.expand(shape)
        target = target if target._data.shape == shape else target.expand(shape)
    if weight is not None:
        if weight._data.shape != input._data.shape:
            raise ValueError("Weights and input must have the same size.")
        weighted = (input - target).abs() * weight
        if reduction == "none":
            return weighted
        if reduction == "sum":
            return weighted.sum()
        if reduction == "mean":
            return weighted.sum() / weight.sum()
        raise ValueError(
            f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'."
        )
    if reduction not in ("mean", "sum", "none"):
        raise ValueError(f"{reduction} is not a valid value for reduction")
    loss = (input - target).abs()
    if reduction == "none":
        return loss
    return loss.mean() if reduction == "mean" else loss.sum()
