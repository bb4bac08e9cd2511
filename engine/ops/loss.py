"""The losses of torch.nn.functional with every option PyTorch gives them.

nll_loss, binary_cross_entropy and binary_cross_entropy_with_logits are single Function nodes as in
PyTorch; cross_entropy is PyTorch's composite (log_softmax then nll_loss, or its label-smoothing and
probability-target formulas), so its graph ends in the node PyTorch's does.
"""

import numpy as np

from engine import trace
from engine.autograd.function import Node, unbroadcast
from engine.ops.activation_more import softplus
from engine.ops.core import (
    broadcast_shape,
    check_broadcast,
    constant,
    operands,
    result,
    saved_tensor,
    sum_to,
)
from engine.ops.registry import op
from engine.ops.scatter import positions_of, put, take
from engine.tensor import Tensor

BCE_LOG_FLOOR = -100.0  # PyTorch clamps log(x) in binary_cross_entropy to >= -100
BCE_EPSILON = 1e-12
REDUCTIONS = ("none", "mean", "sum")


def _short_name(t):
    from engine.dtypes import legacy_type_name

    return legacy_type_name(t._data.dtype)[len("torch.") : -len("Tensor")]


def legacy_reduction(size_average, reduce, reduction):
    """torch.nn._reduction.legacy_get_string: the old size_average/reduce flags win, with its warning."""
    if size_average is None and reduce is None:
        return reduction
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    reduction = "mean" if size_average and reduce else "sum" if reduce else "none"
    trace.warn(
        f"size_average and reduce args will be deprecated, please use reduction='{reduction}' "
        f"instead."
    )
    return reduction


def _check_reduction(reduction):
    if reduction not in REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")


def _reduce(loss, reduction):
    if reduction == "mean":
        return np.asarray(loss.mean(), dtype=loss.dtype)
    if reduction == "sum":
        return np.asarray(loss.sum(), dtype=loss.dtype)
    return loss


def _reduce_grad(grad, shape, reduction):
    if reduction == "none":
        return grad
    g = np.broadcast_to(grad, shape)
    return g / max(int(np.prod(shape)), 1) if reduction == "mean" else g


def _graph_reduce_grad(grad, shape, reduction):
    """The Tensor twin of _reduce_grad (create_graph)."""
    if reduction == "none":
        return grad
    g = grad.expand(shape)
    return g / max(int(np.prod(shape)), 1) if reduction == "mean" else g


def _wanted(node, i):
    return node.next_functions[i][0] is not None


# ---------------------------------------------------------------- mse_loss


class MseLossBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        x, t, reduction = self.saved
        diff = x - t
        g = 2 * diff * _reduce_grad(grad, diff.shape, reduction)
        return (
            unbroadcast(g, x.shape) if _wanted(self, 0) else None,
            unbroadcast(-g, t.shape) if _wanted(self, 1) else None,
        )

    def graph_backward(self, grad):
        x, t, reduction = self.saved
        diff = saved_tensor(self, x) - saved_tensor(self, t, -1)
        g = 2 * diff * _graph_reduce_grad(grad, diff.shape, reduction)
        return (
            sum_to(g, x.shape) if _wanted(self, 0) else None,
            sum_to(-g, t.shape) if _wanted(self, 1) else None,
        )


@op(functional=True)
def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    size_mismatch_warning(input, target)
    reduction = legacy_reduction(size_average, reduce, reduction)
    if weight is not None:  # PyTorch's composite: broadcast, square, weigh, reduce
        if weight._data.shape != input._data.shape:
            raise ValueError("Weights and input must have the same size.")
        shape = broadcast_shape(input._data.shape, target._data.shape)
        a = input if input._data.shape == shape else input.expand(shape)
        b = target if target._data.shape == shape else target.expand(shape)
        weighted = (a - b).pow(2) * weight
        if reduction == "none":
            return weighted
        if reduction == "sum":
            return weighted.sum()
        if reduction == "mean":
            return weighted.sum() / weight.sum()
        raise ValueError(
            f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'."
        )
    _check_reduction(reduction)
    xd, td = operands(input, target)
    if xd.dtype.kind != "f":
        raise NotImplementedError(
            f"\"mse_cpu\" not implemented for '{_short_name(Tensor._wrap(xd))}'"
        )
    check_broadcast(xd, td)
    out, node = result(
        _reduce((xd - td) ** 2, reduction), MseLossBackward0, "mse_loss", (input, target)
    )
    if node is not None:
        node.save(xd, td, reduction, tensors=(input, target))
    return out


# ---------------------------------------------------------------- binary_cross_entropy


class BinaryCrossEntropyBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        x, t, w, reduction = self.saved
        g = _reduce_grad(grad, x.shape, reduction)
        if w is not None:
            g = g * w
        gx = g * (x - t) / np.maximum((1 - x) * x, BCE_EPSILON) if _wanted(self, 0) else None
        with np.errstate(divide="ignore"):
            gt = -g * np.log(x / (1 - x)) if _wanted(self, 1) else None  # -logit(x), as PyTorch
        return (
            None if gx is None else gx.astype(x.dtype, copy=False),
            None if gt is None else gt.astype(x.dtype, copy=False),
        )

    def graph_backward(self, grad):
        x, t, w, reduction = self.saved
        xt, tt = saved_tensor(self, x), saved_tensor(self, t, -1)
        g = _graph_reduce_grad(grad, x.shape, reduction)
        if w is not None:
            g = g * constant(w)
        return (
            g * (xt - tt) / ((1 - xt) * xt).clamp_min(BCE_EPSILON) if _wanted(self, 0) else None,
            -g * (xt / (1 - xt)).log() if _wanted(self, 1) else None,
        )


@op(functional=True)
def binary_cross_entropy(
    input, target, weight=None, size_average=None, reduce=None, reduction="mean"
):
    reduction = legacy_reduction(size_average, reduce, reduction)
    if input._data.shape != target._data.shape:
        raise ValueError(
            f"Using a target size ({target.shape!r}) that is different to the input size "
            f"({input.shape!r}) is deprecated. Please ensure they have the same size."
        )
    _check_reduction(reduction)
    if input._data.dtype.kind != "f":
        raise NotImplementedError(
            f"\"binary_cross_entropy\" not implemented for '{_short_name(input)}'"
        )
    if target._data.dtype != input._data.dtype:
        raise RuntimeError(f"Found dtype {_short_name(target)} but expected {_short_name(input)}")
    w = _bce_weight(weight, input)
    x, t = operands(input, target)
    if ((x < 0) | (x > 1)).any():
        raise RuntimeError("all elements of input should be between 0 and 1")
    with np.errstate(divide="ignore"):
        log_x = np.maximum(np.log(x), BCE_LOG_FLOOR)
        log_1mx = np.maximum(np.log(1 - x), BCE_LOG_FLOOR)
    loss = (t - 1) * log_1mx - t * log_x  # PyTorch's order of operations
    if w is not None:
        loss = loss * w
    out, node = result(
        _reduce(loss.astype(x.dtype, copy=False), reduction),
        BinaryCrossEntropyBackward0,
        "binary_cross_entropy",
        (input, target, *((weight,) if weight is not None else ())),
        (input, target),
    )
    if node is not None:
        node.save(x, t, w, reduction, tensors=(input, target))
    return out


def _bce_weight(weight, input):
    """F.binary_cross_entropy's weight, expanded to the input's shape as PyTorch does."""
    if weight is None:
        return None
    if weight._requires_grad:
        raise RuntimeError(
            "The function 'binary_cross_entropy' is not differentiable with respect to argument "
            "'weight'. This input cannot have requires_grad True."
        )
    shape, ws = input._data.shape, weight._data.shape
    try:
        return np.broadcast_to(weight._data, np.broadcast_shapes(shape, ws)).astype(
            input._data.dtype
        )
    except ValueError:
        bad = next(
            i for i in range(1, len(ws) + 1) if i > len(shape) or ws[-i] not in (1, shape[-i])
        )
        raise RuntimeError(
            f"Attempting to broadcast a dimension of length {ws[-bad]} at -{bad}! Mismatching "
            f"argument at index 1 had torch.Size({list(ws)}); but expected shape should be "
            f"broadcastable to {list(shape)}"
        ) from None


# ---------------------------------------------------------------- binary_cross_entropy_with_logits


def _softplus_neg(x):
    """log(1 + exp(-x)) without overflow."""
    return np.maximum(-x, 0) + np.log1p(np.exp(-np.abs(x)))


class BinaryCrossEntropyWithLogitsBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        x, t, w, pw, reduction = self.saved
        g = _reduce_grad(grad, x.shape, reduction)
        wide = x.astype(np.float64)
        gx = gt = None
        if _wanted(self, 0):
            sig = 1 / (1 + np.exp(-wide))
            if pw is None:
                gx = g * (sig - t)
            else:
                pt = pw * t
                gx = g * ((pt + 1 - t) * sig - pt)
            gx = gx * w if w is not None else gx
            gx = gx.astype(x.dtype)
        if _wanted(self, 1):
            if pw is None:
                gt = -g * x
            else:  # log_sigmoid(-x) - pos_weight * log_sigmoid(x)
                gt = g * (-_softplus_neg(-wide) + pw * _softplus_neg(wide))
            gt = gt * w if w is not None else gt
            gt = gt.astype(x.dtype)
        return gx, gt

    def graph_backward(self, grad):
        x, t, w, pw, reduction = self.saved
        xt, tt = saved_tensor(self, x), saved_tensor(self, t, -1)
        g = _graph_reduce_grad(grad, x.shape, reduction)
        if w is not None:
            g = g * constant(w)
        gx = gt = None
        if _wanted(self, 0):
            if pw is None:
                gx = g * (xt.sigmoid() - tt)
            else:
                pt = constant(pw) * tt
                gx = g * ((pt + 1 - tt) * xt.sigmoid() - pt)
        if _wanted(self, 1):
            gt = -g * xt if pw is None else g * (-softplus(xt) + constant(pw) * softplus(-xt))
        return gx, gt


@op(functional=True)
def binary_cross_entropy_with_logits(
    input, target, weight=None, size_average=None, reduce=None, reduction="mean", pos_weight=None
):
    reduction = legacy_reduction(size_average, reduce, reduction)
    if input._data.shape != target._data.shape:
        raise ValueError(
            f"Target size ({target.shape!r}) must be the same as input size ({input.shape!r})"
        )
    _check_reduction(reduction)
    if input._data.dtype.kind != "f":
        raise NotImplementedError(f"\"log_sigmoid_cpu\" not implemented for '{_short_name(input)}'")
    if target._data.dtype.kind in "iub":
        raise RuntimeError(
            f"result type Float can't be cast to the desired output type {_short_name(target)}"
        )
    x, t = operands(input, target)
    w = None if weight is None else operands(weight, input)[0]
    pw = None if pos_weight is None else operands(pos_weight, input)[0]
    for extra in (w, pw):
        if extra is not None:
            check_broadcast(x, extra)
    wide = x.astype(np.float64)
    if pw is None:
        loss = (1 - t) * wide + _softplus_neg(wide)
    else:
        loss = (1 - t) * wide + ((pw - 1) * t + 1) * _softplus_neg(wide)
    if w is not None:
        loss = loss * w
    loss = np.broadcast_to(loss, x.shape).astype(x.dtype)
    extras = tuple(e for e in (weight, pos_weight) if e is not None)
    out, node = result(
        _reduce(loss, reduction),
        BinaryCrossEntropyWithLogitsBackward0,
        "binary_cross_entropy_with_logits",
        (input, target, *extras),
        (input, target),
    )
    if node is not None:
        node.save(x, t, w, pw, reduction, tensors=(input, target))
    return out


# ---------------------------------------------------------------- nll_loss


class NllLossBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        shape, rows, cols, weights, total, reduction = self.saved
        flat = np.zeros((int(np.prod(shape[:-1], dtype=np.int64)), shape[-1]), dtype=grad.dtype)
        if reduction == "none":
            g = grad.reshape(-1)[rows]
        else:
            g = grad / total if reduction == "mean" else grad
        flat[rows, cols] = -weights * g
        return (_from_rows(flat, shape),)

    def graph_backward(self, grad):
        shape, rows, cols, weights, total, reduction = self.saved
        in_rows = _from_rows(
            positions_of((int(np.prod(shape[:-1], dtype=np.int64)), shape[-1])), shape
        )
        position = np.empty(in_rows.size, dtype=np.int64)
        position[in_rows.reshape(-1)] = np.arange(
            in_rows.size
        )  # row-layout position -> input position
        if reduction == "none":
            g = take(grad, rows)
        else:
            g = grad / total if reduction == "mean" else grad
        values = constant(-np.broadcast_to(weights, rows.shape).astype(grad._data.dtype)) * g
        return (put(values, position[rows * shape[-1] + cols], in_rows.shape),)


class NllLoss2DBackward0(NllLossBackward0):
    __slots__ = ()


def _to_rows(x):
    """(N, C, d1, ...) -> (N*d1*..., C) with classes last; (C,) -> (1, C); (N, C) stays."""
    if x.ndim == 1:
        return x.reshape(1, -1), (x.shape[0],)
    moved = np.moveaxis(x, 1, -1)
    return moved.reshape(-1, x.shape[1]), moved.shape


def _from_rows(flat, moved_shape):
    if len(moved_shape) == 1:
        return flat.reshape(moved_shape)
    return np.ascontiguousarray(np.moveaxis(flat.reshape(moved_shape), -1, 1))


def _check_nll_target(x, t, target):
    if x.ndim == 0:
        raise ValueError("Expected 1 or more dimensions (got 0)")
    if x.ndim <= 2:
        if t.ndim > 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        if x.ndim == 1 and t.ndim == 1 and t.shape[0] != 1:
            raise ValueError(
                f"For 1D input, 1D target must have size 1, but got target size: {t.shape[0]}"
            )
        if x.ndim == 2 and (t.ndim != 1 or t.shape[0] != x.shape[0]):
            raise ValueError(
                f"Expected input batch_size ({x.shape[0]}) to match target batch_size "
                f"({t.shape[0] if t.ndim else 0})."
            )
    else:
        if t.ndim == 0 or t.shape[0] != x.shape[0]:
            raise ValueError(
                f"Expected input batch_size ({x.shape[0]}) to match target batch_size "
                f"({t.shape[0] if t.ndim else 0})."
            )
        want = (x.shape[0], *x.shape[2:])
        if t.shape != want:
            raise RuntimeError(
                f"Expected target size [{', '.join(map(str, want))}], "
                f"got [{', '.join(map(str, t.shape))}]"
            )
    if t.dtype not in (np.int64, np.uint8):
        raise RuntimeError(
            f"expected target dtype to be Long or Byte, but got {_short_name(target)}"
        )


@op(functional=True)
def nll_loss(
    input, target, weight=None, size_average=None, ignore_index=-100, reduce=None, reduction="mean"
):
    reduction = legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    x, t = input._data, target._data
    _check_nll_target(x, t, target)
    n_classes = x.shape[0] if x.ndim == 1 else x.shape[1]
    if weight is not None and weight._data.shape != (n_classes,):
        raise RuntimeError(
            f"weight tensor should be defined either for all {n_classes} classes or no classes but "
            f"got weight tensor of shape: [{', '.join(map(str, weight._data.shape))}]"
        )
    flat, moved_shape = _to_rows(x)
    cols = t.reshape(-1).astype(np.int64)
    keep = cols != ignore_index
    bad = keep & ((cols < 0) | (cols >= n_classes))
    if bad.any():
        raise IndexError(f"Target {int(cols[bad][0])} is out of bounds.")
    rows = np.nonzero(keep)[0]
    cols = cols[keep]
    w = np.ones(len(rows), dtype=x.dtype) if weight is None else weight._data.astype(x.dtype)[cols]
    picked = 0 - w * flat[rows, cols]  # +0 for a zero input, as PyTorch gives
    total = np.asarray(w.sum(), dtype=x.dtype)
    if reduction == "none":
        per = np.zeros(flat.shape[0], dtype=x.dtype)
        per[rows] = picked
        loss = per.reshape(()) if x.ndim == 1 else per.reshape(t.shape)
    elif reduction == "sum":
        loss = np.asarray(picked.sum(), dtype=x.dtype)
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            loss = np.asarray(picked.sum() / total, dtype=x.dtype)
    spatial = x.ndim >= 3
    inputs = (input, target) if weight is None else (input, target, weight)
    out, node = result(
        loss, NllLoss2DBackward0 if spatial else NllLossBackward0, "nll_loss", inputs, (input,)
    )
    if node is not None:
        node.save(moved_shape, rows, cols, w, total, reduction)
    if spatial and reduction == "none" and x.ndim != 4:
        return out.view(t.shape)  # PyTorch runs nll_loss2d on a 4-d view and views the result back
    return out


# ---------------------------------------------------------------- cross_entropy


@op(functional=True)
def cross_entropy(
    input,
    target,
    weight=None,
    size_average=None,
    ignore_index=-100,
    reduce=None,
    reduction="mean",
    label_smoothing=0.0,
):
    from engine.ops.nn import log_softmax

    reduction = legacy_reduction(size_average, reduce, reduction)
    _check_reduction(reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing:g}")
    class_dim = 0 if input._data.ndim == 1 else 1
    if target._data.dtype.kind == "f":
        if target._data.shape != input._data.shape:
            raise RuntimeError(
                f"expected target dtype to be Long or Byte, but got {_short_name(target)}"
            )
        return _cross_entropy_probabilities(
            log_softmax(input, class_dim), target, weight, reduction, label_smoothing, class_dim
        )
    logp = log_softmax(input, class_dim)
    if label_smoothing > 0.0:
        return _cross_entropy_smoothed(
            logp, target, weight, reduction, ignore_index, label_smoothing, class_dim
        )
    return nll_loss(logp, target, weight, ignore_index=ignore_index, reduction=reduction)


def _class_broadcast(weight, ndim, class_dim):
    shape = [1] * ndim
    shape[class_dim] = weight._data.shape[0]
    return weight.view(shape)


class DivBackward1(Node):
    """A tensor divided by a C++ Scalar (PyTorch's composite losses divide so; Python's `/` gives DivBackward0)."""

    __slots__ = ()

    def backward(self, grad):
        (divisor,) = self.saved
        return ((grad / divisor).astype(grad.dtype, copy=False),)

    def graph_backward(self, grad):
        (divisor,) = self.saved
        return (grad / divisor,)


def _div_scalar(t, divisor):
    out, node = result((t._data / divisor).astype(t._data.dtype), DivBackward1, "div", (t,))
    if node is not None:
        node.save(divisor)
    return out


def _cross_entropy_probabilities(logp, target, weight, reduction, label_smoothing, class_dim):
    """PyTorch's cross_entropy_loss_prob_target."""
    n_classes = logp._data.shape[class_dim]
    if label_smoothing > 0.0:
        target = target * (1 - label_smoothing) + label_smoothing / n_classes
    product = logp * target
    if weight is not None:
        product = product * _class_broadcast(weight, logp._data.ndim, class_dim)
    if reduction == "none":
        return -product.sum(class_dim)
    if reduction == "sum":
        return -product.sum()
    return _div_scalar(-product.sum(), logp._data.size // n_classes)


def _cross_entropy_smoothed(
    logp, target, weight, reduction, ignore_index, label_smoothing, class_dim
):
    """PyTorch's cross_entropy_loss_label_smoothing: (1 - s) * nll + s / C * (the smooth loss)."""
    from engine.ops.indexing import masked_fill_

    n_classes = logp._data.shape[class_dim]
    nll = nll_loss(logp, target, weight, ignore_index=ignore_index, reduction=reduction)
    ignore_mask = target == ignore_index
    if weight is not None:
        smooth = -(logp * _class_broadcast(weight, logp._data.ndim, class_dim)).sum(class_dim)
    else:
        smooth = -logp.sum(class_dim)
    masked_fill_(smooth, ignore_mask, 0.0)
    if reduction == "mean":
        kept = ~ignore_mask._data
        if weight is not None:
            denominator = Tensor._wrap(np.asarray(weight._data[target._data[kept]].sum()))
        else:
            denominator = Tensor._wrap(np.asarray(kept.sum()))
        ret = smooth.sum() / denominator
    else:
        ret = smooth.sum() if reduction == "sum" else smooth
    return (1 - label_smoothing) * nll + ret * (label_smoothing / n_classes)


# ---------------------------------------------------------------- huber_loss


def size_mismatch_warning(input, target):
    """F.mse_loss, l1_loss and huber_loss warn when broadcasting makes the target another shape."""
    if target._data.shape != input._data.shape:
        trace.warn(
            f"Using a target size ({target.shape!r}) that is different to the input size ({input.shape!r}). "
            "This will likely lead to incorrect results due to broadcasting. Please ensure they have the "
            "same size."
        )


class HuberLossBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        x, t, delta, reduction = self.saved
        diff = x - t
        g = _reduce_grad(grad, diff.shape, reduction)
        d = np.where(diff < -delta, -delta, np.where(diff > delta, delta, diff)).astype(diff.dtype)
        return (
            unbroadcast(g * d, x.shape) if _wanted(self, 0) else None,
            unbroadcast(-g * d, t.shape) if _wanted(self, 1) else None,
        )

    def graph_backward(self, grad):
        x, t, delta, reduction = self.saved
        diff = saved_tensor(self, x) - saved_tensor(self, t, -1)
        g = _graph_reduce_grad(grad, diff.shape, reduction) * diff.clamp(-delta, delta)
        return (
            sum_to(g, x.shape) if _wanted(self, 0) else None,
            sum_to(-g, t.shape) if _wanted(self, 1) else None,
        )


@op(functional=True)
def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    size_mismatch_warning(input, target)
    if delta <= 0:
        raise RuntimeError("huber_loss does not support non-positive values for delta.")
    if weight is not None:
        if weight._data.shape != input._data.shape:
            raise ValueError("Weights and input must have the same size.")
        weighted = huber_loss(input, target, "none", delta) * weight
        if reduction == "none":
            return weighted
        if reduction == "sum":
            return weighted.sum()
        if reduction == "mean":
            return weighted.mean()
        raise ValueError(
            f"Invalid reduction mode: {reduction}. Expected one of 'none', 'mean', 'sum'."
        )
    _check_reduction(reduction)
    x, t = operands(input, target)
    check_broadcast(x, t)
    diff = np.abs(x - t)
    loss = np.where(diff < delta, 0.5 * diff * diff, delta * (diff - 0.5 * delta)).astype(
        diff.dtype
    )
    out, node = result(_reduce(loss, reduction), HuberLossBackward0, "huber_loss", (input, target))
    if node is not None:
        node.save(x, t, delta, reduction, tensors=(input, target))
    return out
