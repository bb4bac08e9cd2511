"""Conformance programs for losses' options, optimizers, and the ops courses use (see conformance_programs.py).

WRITTEN is a list of (name, source), appended to conformance_programs.PROGRAMS.
"""

from __future__ import annotations

from textwrap import dedent

WRITTEN: list[tuple[str, str]] = []


def program(name: str, source: str) -> None:
    WRITTEN.append((name, dedent(source).lstrip("\n")))


# ---------------------------------------------------------------- loss options

program(
    "loss_nll_weight",
    """
    import torch
    import torch.nn.functional as F
    x = torch.tensor([[-1.2, -0.5, -2.0], [-0.3, -1.9, -1.4], [-2.2, -0.1, -0.8]], requires_grad=True)
    t = torch.tensor([0, 2, 1])
    w = torch.tensor([1.0, 2.0, 0.5])
    loss = F.nll_loss(x, t, weight=w)
    loss.backward()
    s = F.nll_loss(x, t, weight=w, reduction="sum")
    n = F.nll_loss(x, t, weight=w, reduction="none")
    print(loss, s, n, x.grad)
""",
)

program(
    "loss_cross_entropy_weight",
    """
    import torch
    import torch.nn.functional as F
    x = torch.tensor([[1.0, 2.0, 0.5], [0.3, -1.0, 2.2], [0.0, 0.4, -0.7], [1.5, 1.5, 0.1]], requires_grad=True)
    t = torch.tensor([1, 2, 0, 0])
    w = torch.tensor([0.2, 1.0, 3.0])
    loss = F.cross_entropy(x, t, weight=w)
    loss.backward()
    print(loss, x.grad)
""",
)

program(
    "loss_cross_entropy_label_smoothing",
    """
    import torch
    import torch.nn.functional as F
    x = torch.tensor([[1.0, 2.0, 0.5], [0.3, -1.0, 2.2], [0.0, 0.4, -0.7]], requires_grad=True)
    t = torch.tensor([1, 2, 0])
    loss = F.cross_entropy(x, t, label_smoothing=0.1)
    loss.backward()
    s = F.cross_entropy(x, t, label_smoothing=0.2, reduction="sum")
    n = F.cross_entropy(x, t, label_smoothing=0.2, reduction="none")
    w = F.cross_entropy(x, t, weight=torch.tensor([1.0, 2.0, 0.5]), label_smoothing=0.3)
    print(loss, loss.grad_fn, x.grad)
    print(s, n, w)
""",
)

program(
    "loss_cross_entropy_ignore_index",
    """
    import torch
    import torch.nn.functional as F
    x = torch.tensor([[1.0, 2.0, 0.5], [0.3, -1.0, 2.2], [0.0, 0.4, -0.7]], requires_grad=True)
    t = torch.tensor([1, -100, 0])
    loss = F.cross_entropy(x, t)
    loss.backward()
    t2 = torch.tensor([1, 2, 2])
    other = F.cross_entropy(x, t2, ignore_index=2)
    none = F.nll_loss(x, t2, ignore_index=2, reduction="none")
    smooth = F.cross_entropy(x, t2, ignore_index=2, label_smoothing=0.1)
    print(loss, x.grad, other, none, smooth)
""",
)

program(
    "loss_cross_entropy_all_ignored_is_nan",
    """
    import torch
    import torch.nn.functional as F
    x = torch.tensor([[1.0, 2.0], [0.5, 0.1]], requires_grad=True)
    loss = F.cross_entropy(x, torch.tensor([-100, -100]))
    loss.backward()
    print(loss, x.grad)
""",
)

program(
    "loss_cross_entropy_probability_targets",
    """
    import torch
    import torch.nn.functional as F
    x = torch.tensor([[1.0, 2.0, 0.5], [0.3, -1.0, 2.2]], requires_grad=True)
    p = torch.tensor([[0.2, 0.7, 0.1], [0.0, 0.5, 0.5]])
    loss = F.cross_entropy(x, p)
    loss.backward()
    s = F.cross_entropy(x, p, reduction="sum")
    n = F.cross_entropy(x, p, reduction="none")
    ls = F.cross_entropy(x, p, label_smoothing=0.1)
    w = F.cross_entropy(x, p, weight=torch.tensor([1.0, 2.0, 3.0]))
    print(loss, loss.grad_fn, x.grad)
    print(s, s.grad_fn, n, n.grad_fn, ls, w)
""",
)

program(
    "loss_cross_entropy_spatial_targets",
    """
    import torch
    import torch.nn.functional as F
    x = torch.tensor([[[1.0, 0.2], [2.0, -1.0], [0.5, 0.3]]], requires_grad=True)
    t = torch.tensor([[1, 0]])
    loss = F.cross_entropy(x, t, weight=torch.tensor([1.0, 0.5, 2.0]))
    loss.backward()
    print(loss, x.grad)
""",
)

program(
    "loss_nll_1d_input_ignored_target",
    """
    import torch
    import torch.nn.functional as F
    x = torch.tensor([-1.0, -2.0, -0.5], requires_grad=True)
    a = F.nll_loss(x, torch.tensor(1), weight=torch.tensor([1.0, 3.0, 2.0]))
    b = F.nll_loss(x, torch.tensor(-100), reduction="sum")
    a.backward()
    print(a, b, x.grad)
""",
)

program(
    "loss_bce_weight_and_target_grad",
    """
    import torch
    import torch.nn.functional as F
    p = torch.tensor([0.2, 0.9, 0.6, 0.4], requires_grad=True)
    y = torch.tensor([0.0, 1.0, 0.3, 1.0], requires_grad=True)
    w = torch.tensor([1.0, 2.0, 0.5, 3.0])
    loss = F.binary_cross_entropy(p, y, weight=w)
    loss.backward()
    s = F.binary_cross_entropy(p, y, weight=torch.tensor(2.0), reduction="sum")
    print(loss, p.grad, y.grad, s)
""",
)

program(
    "loss_bce_with_logits_pos_weight_and_weight",
    """
    import torch
    import torch.nn.functional as F
    z = torch.tensor([[0.5, -1.5, 2.0], [-0.3, 0.8, -2.5]], requires_grad=True)
    y = torch.tensor([[1.0, 0.0, 1.0], [0.0, 1.0, 0.5]], requires_grad=True)
    pw = torch.tensor([3.0, 0.5, 2.0])
    loss = F.binary_cross_entropy_with_logits(z, y, pos_weight=pw)
    loss.backward()
    w = F.binary_cross_entropy_with_logits(z, y, weight=torch.tensor([[2.0], [0.5]]), reduction="sum")
    both = F.binary_cross_entropy_with_logits(z, y, weight=torch.tensor([2.0, 1.0, 0.1]), pos_weight=pw,
                                              reduction="none")
    print(loss, z.grad, y.grad)
    print(w, both)
""",
)

program(
    "loss_legacy_size_average_and_reduce",
    """
    import torch
    import torch.nn.functional as F
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = torch.tensor([2.0, 0.0, 3.0])
    a = F.mse_loss(x, y, size_average=False)
    b = F.mse_loss(x, y, reduce=False)
    c = F.mse_loss(x, y, size_average=True, reduce=True)
    d = F.mse_loss(x, y, size_average=False, reduce=False)
    a.backward()
    lp = torch.tensor([[-1.0, -0.5], [-0.2, -2.0]])
    t = torch.tensor([1, 0])
    e = F.nll_loss(lp, t, size_average=False)
    f = F.cross_entropy(lp, t, reduce=False)
    g = F.binary_cross_entropy(torch.tensor([0.3, 0.6]), torch.tensor([0.0, 1.0]), size_average=False)
    h = F.binary_cross_entropy_with_logits(torch.tensor([0.3, 0.6]), torch.tensor([0.0, 1.0]), reduce=False)
    print(a, b, c, d, x.grad)
    print(e, f, g, h)
""",
)

program(
    "loss_bad_reduction_message",
    """
    import torch
    import torch.nn.functional as F
    F.mse_loss(torch.ones(2), torch.zeros(2), reduction="average")
""",
)

# ---------------------------------------------------------------- autograd corners

program(
    "relu_gradient_at_nan_passes_through",
    """
    import torch
    x = torch.tensor([float("nan"), -1.0, 0.0, 2.0], requires_grad=True)
    y = torch.relu(x)
    y.sum().backward()
    print(y, x.grad)
""",
)

program(
    "backward_inputs_retains_grad_of_non_leaf",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    y = (h * h).sum()
    y.backward(inputs=[h])
    print(h.retains_grad, h.grad, x.grad)
""",
)

program(
    "autograd_grad_of_several_outputs_sums",
    """
    import torch
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y1 = (x * x).sum()
    y2 = (x * 5).sum()
    (g,) = torch.autograd.grad([y1, y2], [x], retain_graph=True)
    y3 = x * 2
    (g2,) = torch.autograd.grad([y3, y1], x, grad_outputs=[torch.ones(3), torch.tensor(2.0)])
    print(g, g2)
""",
)

program(
    "uint8_times_negative_one_wraps",
    """
    import torch
    u = torch.tensor([1, 2, 200], dtype=torch.uint8)
    a = u * -1
    b = u + 300
    c = -1 * u
    print(a, a.dtype, b, c)
""",
)

# ---------------------------------------------------------------- optimizers

_TRAIN = """
    import torch
    W = torch.tensor([[0.5, -0.3], [0.2, 0.8]], requires_grad=True)
    b = torch.tensor([0.1, -0.1], requires_grad=True)
    x = torch.tensor([[1., 2.], [3., -1.], [0.5, 0.5]])
    y = torch.tensor([[1., 0.], [0., 1.], [1., 1.]])
    opt = {make}
    for step in range(5):
        opt.zero_grad()
        loss = ((x @ W + b - y) ** 2).mean()
        loss.backward()
        opt.step()
        print(step, loss)
    print(W, b)
"""

for _name, _make in [
    (
        "sgd_dampening_maximize",
        "torch.optim.SGD([W, b], lr=0.05, momentum=0.9, dampening=0.3, weight_decay=0.1)",
    ),
    (
        "sgd_nesterov",
        "torch.optim.SGD([W, b], lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.01)",
    ),
    ("sgd_maximize", "torch.optim.SGD([W, b], lr=0.01, momentum=0.5, maximize=True)"),
    ("adam_amsgrad", "torch.optim.Adam([W, b], lr=0.1, amsgrad=True)"),
    (
        "adam_weight_decay_maximize",
        "torch.optim.Adam([W, b], lr=0.05, betas=(0.8, 0.99), weight_decay=0.1, maximize=True)",
    ),
    ("adam_foreach_false", "torch.optim.Adam([W, b], lr=0.05, foreach=False, fused=None)"),
    ("adamw_defaults", "torch.optim.AdamW([W, b], lr=0.1)"),
    ("adamw_amsgrad", "torch.optim.AdamW([W, b], lr=0.1, weight_decay=0.5, amsgrad=True)"),
    ("rmsprop_defaults", "torch.optim.RMSprop([W, b])"),
    (
        "rmsprop_centered_momentum",
        "torch.optim.RMSprop([W, b], lr=0.01, alpha=0.9, momentum=0.5, centered=True, weight_decay=0.1)",
    ),
    ("adagrad_defaults", "torch.optim.Adagrad([W, b], lr=0.3)"),
    (
        "adagrad_decay_accumulator",
        "torch.optim.Adagrad([W, b], lr=0.3, lr_decay=0.1, initial_accumulator_value=0.5, weight_decay=0.1)",
    ),
    (
        "param_groups_per_group_options",
        "torch.optim.SGD([{'params': [W]}, {'params': [b], 'lr': 0.5, 'momentum': 0.9}], lr=0.05)",
    ),
]:
    program(f"optim_{_name}", _TRAIN.format(make=_make))

program(
    "optim_adam_on_a_zero_dim_parameter",
    """
    import torch
    w = torch.tensor(0.0, requires_grad=True)
    x = torch.tensor([1.0, 2.0, 3.0])
    y = torch.tensor([2.0, 4.0, 6.0])
    opt = torch.optim.Adam([w], lr=0.1)
    for epoch in range(20):
        loss = ((w * x - y) ** 2).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    print(w, loss)
    print(opt.state[w]["step"], opt.state[w]["exp_avg"], opt.state[w]["exp_avg_sq"])
""",
)

program(
    "optim_state_and_param_groups_as_torch_exposes_them",
    """
    import torch
    w = torch.tensor([1.0, -2.0], requires_grad=True)
    opt = torch.optim.Adam([w], lr=0.1, amsgrad=True)
    print(opt.state[w])
    (w * w).sum().backward()
    opt.step()
    s = opt.state[w]
    for key in s:
        print(key, s[key])
    g = opt.param_groups[0]
    print(len(opt.param_groups), g["lr"], g["betas"], g["amsgrad"], g["params"][0] is w)
    g["lr"] = 0.5
    opt.step()
    print(w)
    print(opt)
""",
)

program(
    "optim_sgd_momentum_buffer_in_state",
    """
    import torch
    w = torch.tensor([1.0, -2.0], requires_grad=True)
    opt = torch.optim.SGD([w], lr=0.1, momentum=0.9)
    for i in range(3):
        opt.zero_grad()
        (w ** 2).sum().backward()
        opt.step()
    print(opt.state[w]["momentum_buffer"], w)
    print(len(opt.state), opt.param_groups[0]["momentum"])
""",
)

program(
    "optim_add_param_group",
    """
    import torch
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0], requires_grad=True)
    opt = torch.optim.SGD([a], lr=0.1)
    opt.add_param_group({"params": [b], "lr": 0.01})
    (a.sum() * b.sum()).backward()
    opt.step()
    print(a, b, len(opt.param_groups), opt.param_groups[1]["lr"], opt.param_groups[1]["momentum"])
    print(opt)
""",
)

program(
    "optim_add_param_group_twice_is_an_error",
    """
    import torch
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    opt = torch.optim.SGD([a], lr=0.1)
    opt.add_param_group({"params": [a]})
""",
)

program(
    "optim_zero_grad_set_to_none_false_keeps_zeros",
    """
    import torch
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    opt = torch.optim.SGD([a], lr=0.1)
    (a * 3).sum().backward()
    opt.zero_grad(set_to_none=False)
    print(a.grad)
    opt.zero_grad()
    print(a.grad)
""",
)

program(
    "optim_nesterov_requires_momentum",
    """
    import torch
    a = torch.tensor([1.0], requires_grad=True)
    torch.optim.SGD([a], lr=0.1, nesterov=True)
""",
)

program(
    "optim_invalid_beta",
    """
    import torch
    a = torch.tensor([1.0], requires_grad=True)
    torch.optim.Adam([a], betas=(0.9, 1.0))
""",
)

program(
    "optim_step_lr",
    """
    import torch
    from torch.optim.lr_scheduler import StepLR
    w = torch.tensor([1.0, -1.0], requires_grad=True)
    opt = torch.optim.SGD([w], lr=0.1)
    sched = StepLR(opt, step_size=2, gamma=0.5)
    for epoch in range(6):
        opt.zero_grad()
        (w ** 2).sum().backward()
        opt.step()
        sched.step()
        print(epoch, sched.get_last_lr(), opt.param_groups[0]["lr"], w)
    print(opt.param_groups[0]["initial_lr"], sched.last_epoch)
""",
)

program(
    "optim_lr_scheduler_module_names",
    """
    import torch
    w = torch.tensor([1.0], requires_grad=True)
    opt = torch.optim.Adam([w], lr=1.0)
    m = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[1, 3], gamma=0.1)
    for i in range(4):
        opt.step()
        m.step()
        print(m.get_last_lr())
    opt2 = torch.optim.SGD([w], lr=1.0)
    e = torch.optim.lr_scheduler.ExponentialLR(opt2, gamma=0.5)
    for i in range(3):
        opt2.step()
        e.step()
    print(e.get_last_lr())
""",
)

# ---------------------------------------------------------------- ops courses use

program(
    "op_cumsum_cumprod",
    """
    import torch
    x = torch.tensor([[1.0, 2.0, 0.0], [3.0, -1.0, 0.5]], requires_grad=True)
    c = x.cumsum(1)
    p = torch.cumprod(x, dim=1)
    (c * torch.tensor([1.0, 2.0, 3.0])).sum().backward(retain_graph=True)
    g1 = x.grad.clone()
    x.grad = None
    p.sum().backward()
    i = torch.tensor([1, 2, 3]).cumsum(0)
    b = torch.tensor([True, False, True]).cumsum(0)
    d = torch.tensor([1, 2]).cumsum(0, dtype=torch.float64)
    print(c, p, g1, x.grad, i, b, d)
""",
)

program(
    "op_logsumexp_amax_amin",
    """
    import torch
    x = torch.tensor([[1.0, 3.0, 3.0], [-2.0, 0.5, 4.0]], requires_grad=True)
    l = torch.logsumexp(x, dim=1)
    m = x.amax(dim=1)
    n = torch.amin(x, 0, keepdim=True)
    a = x.amax()
    (l.sum() + m.sum() + n.sum() + a).backward()
    k = x.logsumexp(dim=(0, 1), keepdim=True)
    big = torch.logsumexp(torch.tensor([1000.0, 1000.0]), 0)
    ninf = torch.logsumexp(torch.tensor([float("-inf"), float("-inf")]), 0)
    print(l, m, n, a, x.grad, k, big, ninf)
""",
)

program(
    "op_topk",
    """
    import torch
    x = torch.tensor([[0.5, 3.0, -1.0, 2.0], [4.0, 1.0, 1.5, -2.0]], requires_grad=True)
    v, i = x.topk(2)
    s = torch.topk(x, 1, dim=0, largest=False)
    (v * torch.tensor([[1.0, 10.0], [100.0, 1000.0]])).sum().backward()
    print(v, i, s, s.values, s.indices, x.grad)
""",
)

program(
    "op_topk_k_too_large",
    """
    import torch
    torch.tensor([1.0, 2.0]).topk(3)
""",
)

program(
    "op_gather_index_select_masked_fill",
    """
    import torch
    x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    g = x.gather(1, torch.tensor([[2, 0], [1, 1]]))
    s = torch.index_select(x, 1, torch.tensor([0, 2, 0]))
    m = x.masked_fill(x > 4, 0.0)
    m2 = torch.masked_fill(x, torch.tensor([True, False, True]), -1.0)
    (g.sum() * 2 + (s * s).sum() + m.sum() + m2.sum()).backward()
    print(g, s, m, m2, x.grad)
""",
)

program(
    "op_gather_picks_class_scores",
    """
    import torch
    logits = torch.tensor([[2.0, 0.5, -1.0], [0.1, 0.2, 3.0]], requires_grad=True)
    y = torch.tensor([0, 2])
    picked = logits.gather(1, y.unsqueeze(1)).squeeze(1)
    loss = -picked.mean()
    loss.backward()
    print(picked, loss, logits.grad)
""",
)

program(
    "op_masked_fill_needs_bool_mask",
    """
    import torch
    x = torch.ones(3)
    x.masked_fill(torch.tensor([1.0, 0.0, 1.0]), 0.0)
""",
)

program(
    "op_masked_fill_in_place_and_tensor_value",
    """
    import torch
    x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
    v = torch.tensor(9.0, requires_grad=True)
    y = x * 2
    y.masked_fill_(y < 0, 0.0)
    z = x.masked_fill(x > 2, v)
    (y.sum() + z.sum()).backward()
    print(y, z, x.grad, v.grad, y.grad_fn, z.grad_fn)
""",
)

program(
    "op_gather_out_of_range",
    """
    import torch
    torch.tensor([[1.0, 2.0]]).gather(1, torch.tensor([[5]]))
""",
)

program(
    "op_chunk_split",
    """
    import torch
    x = torch.arange(10.0, requires_grad=True)
    a, b, c = x.chunk(3)
    p, q = torch.split(x, [3, 7])
    r = x.split(4)
    (a.sum() + 2 * c.sum() + (q * q).sum() + r[2].sum()).backward()
    print(a, b, c, p, q, len(r), r[2], x.grad)
""",
)

program(
    "op_tril_triu_flip",
    """
    import torch
    x = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]], requires_grad=True)
    lo = x.tril()
    up = torch.triu(x, diagonal=1)
    f = x.flip(0)
    f2 = torch.flip(x, [0, 1])
    (lo.sum() + 2 * up.sum() + (f * torch.arange(9.0).view(3, 3)).sum() + f2[0, 0]).backward()
    print(lo, up, f, f2, x.grad)
""",
)

program(
    "op_sign_and_clamp_with_tensor_bounds",
    """
    import torch
    x = torch.tensor([1.0, -2.0, 0.0, 3.0], requires_grad=True)
    lo = torch.tensor([0.0, 0.0, -1.0, 5.0], requires_grad=True)
    hi = torch.tensor([0.5, 1.0, 1.0, 6.0], requires_grad=True)
    s = x.sign()
    c = x.clamp(lo, hi)
    c2 = torch.clamp(x, min=lo)
    c3 = x.clamp_max(hi)
    (s.sum() + c.sum() + 2 * c2.sum() + 3 * c3.sum()).backward()
    print(s, c, c2, c3, x.grad, lo.grad, hi.grad)
    print(c.grad_fn, c2.grad_fn, c3.grad_fn)
""",
)

program(
    "op_clamp_mixed_bounds_error",
    """
    import torch
    torch.ones(2).clamp(torch.zeros(2), 1.0)
""",
)

program(
    "op_div_rounding_mode",
    """
    import torch
    a = torch.tensor([7.0, -7.0, 7.5, -7.5], requires_grad=True)
    f = a.div(2, rounding_mode="floor")
    t = torch.div(a, torch.tensor(2.0), rounding_mode="trunc")
    (f + t).sum().backward()
    i = torch.tensor([7, -7, 9]).div(2, rounding_mode="floor")
    j = torch.div(torch.tensor([7, -7, 9]), 2, rounding_mode="trunc")
    k = torch.tensor([7, -7]) // 2
    print(f, t, a.grad, i, j, k, f.grad_fn)
""",
)

program(
    "op_div_bad_rounding_mode",
    """
    import torch
    torch.ones(2).div(2, rounding_mode="round")
""",
)

program(
    "op_einsum",
    """
    import torch
    a = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    b = torch.tensor([[1.0, 0.0], [0.5, -1.0], [2.0, 1.0]], requires_grad=True)
    v = torch.tensor([1.0, -1.0, 2.0], requires_grad=True)
    mm = torch.einsum("ij,jk->ik", a, b)
    dot = torch.einsum("i,i->", v, v)
    outer = torch.einsum("i,j->ij", v, v)
    col = torch.einsum("ij->j", a)
    tr = torch.einsum("ij->ji", a)
    mv = torch.einsum("ij,j->i", a, v)
    (mm.sum() + dot + outer.sum() + (col * v).sum() + tr[0, 1] + mv.sum()).backward()
    print(mm, dot, outer, col, tr, mv)
    print(a.grad, b.grad, v.grad)
    print(mm.grad_fn, dot.grad_fn, outer.grad_fn, col.grad_fn, tr.grad_fn)
""",
)

program(
    "op_einsum_batched",
    """
    import torch
    x = torch.arange(12.0).view(2, 2, 3).requires_grad_()
    w = torch.ones(2, 3, 2, requires_grad=True)
    y = torch.einsum("bij,bjk->bik", x, w)
    y.sum().backward()
    print(y, x.grad, w.grad)
""",
)

program(
    "op_allclose_equal",
    """
    import torch
    a = torch.tensor([1.0, 2.0, 3.0])
    b = a + 1e-7
    print(torch.allclose(a, b), a.allclose(a + 0.1), torch.allclose(a, b, atol=0.0, rtol=0.0))
    print(torch.equal(a, a.clone()), a.equal(b), torch.equal(a, torch.tensor([1.0, 2.0])))
    n = torch.tensor([float("nan"), 1.0])
    print(torch.allclose(n, n), torch.allclose(n, n, equal_nan=True))
""",
)

program(
    "op_allclose_dtype_mismatch",
    """
    import torch
    torch.allclose(torch.ones(2), torch.ones(2, dtype=torch.float64))
""",
)

program(
    "functional_one_hot_softplus_elu_silu",
    """
    import torch
    import torch.nn.functional as F
    y = F.one_hot(torch.tensor([0, 2, 1]))
    y4 = F.one_hot(torch.tensor([[1], [3]]), num_classes=4)
    x = torch.tensor([-30.0, -1.0, 0.0, 0.5, 25.0], requires_grad=True)
    sp = F.softplus(x)
    sp2 = F.softplus(x, beta=2.0, threshold=5.0)
    e = F.elu(x)
    e2 = F.elu(x, alpha=0.5)
    s = F.silu(x)
    (sp.sum() + sp2.sum() + e.sum() + e2.sum() + s.sum()).backward()
    print(y, y4, sp, sp2, e, e2, s, x.grad)
""",
)

program(
    "functional_one_hot_errors",
    """
    import torch
    import torch.nn.functional as F
    F.one_hot(torch.tensor([0, 5]), 3)
""",
)

program(
    "functional_normalize_and_huber_loss",
    """
    import torch
    import torch.nn.functional as F
    x = torch.tensor([[1.0, 2.0], [3.0, -4.0], [0.0, 0.0]], requires_grad=True)
    n = F.normalize(x)
    n1 = F.normalize(x, p=1, dim=0)
    t = torch.tensor([[0.0, 5.0], [3.5, -4.0], [1.0, -1.0]])
    h = F.huber_loss(x, t, delta=1.5)
    hs = F.huber_loss(x, t, reduction="sum")
    hw = F.huber_loss(x, t, weight=torch.ones(3, 2) * 2)
    (n.sum() + n1.sum() + h + hs + hw).backward()
    print(n, n1, h, hs, hw, x.grad)
""",
)

program(
    "functional_mse_loss_target_shape_warning_still_broadcasts",
    """
    import torch
    import torch.nn.functional as F
    pred = torch.tensor([[1.0], [2.0], [3.0]], requires_grad=True)
    y = torch.tensor([1.5, 2.0, 2.5])
    loss = F.mse_loss(pred, y)
    loss.backward()
    w = F.mse_loss(torch.tensor([1.0, 2.0]), torch.tensor([0.0, 0.0]), weight=torch.tensor([1.0, 3.0]))
    print(loss, pred.grad, w)
""",
)

program(
    "torch_Tensor_legacy_constructor",
    """
    import torch
    a = torch.Tensor([1, 2, 3])
    c = torch.Tensor([[1.5, 2.5]])
    e = torch.Tensor()
    print(a, a.dtype, torch.Tensor(2, 3).shape, c, e)
""",
)

program(
    "torch_Tensor_rejects_a_number",
    """
    import torch
    torch.Tensor(2.5)
""",
)

program(
    "out_argument_writes_into_the_tensor",
    """
    import torch
    r = torch.zeros(3)
    y = torch.add(torch.tensor([1.0, 2.0, 3.0]), 1, out=r)
    print(r, y is r)
    m = torch.empty(2, 2)
    torch.matmul(torch.ones(2, 3), torch.ones(3, 2), out=m)
    s = torch.zeros(())
    torch.sum(torch.tensor([1.0, 2.0]), 0, out=s)
    print(m, s)
""",
)

program(
    "out_argument_refuses_autograd",
    """
    import torch
    x = torch.ones(2, requires_grad=True)
    torch.mul(x, 2, out=torch.zeros(2))
""",
)

program(
    "out_argument_cannot_downcast",
    """
    import torch
    torch.add(torch.ones(2), 0.5, out=torch.zeros(2, dtype=torch.int64))
""",
)

program(
    "set_printoptions_precision_and_profiles",
    """
    import torch
    x = torch.tensor([1.123456789, 2.5, 1000.25])
    torch.set_printoptions(precision=2)
    print(x)
    torch.set_printoptions(precision=6)
    print(x)
    torch.set_printoptions(sci_mode=True)
    print(x)
    torch.set_printoptions(threshold=5, edgeitems=2)
    print(torch.arange(10))
    torch.set_printoptions(profile="short")
    print(x, torch.arange(10.0) / 3)
    torch.set_printoptions(profile="default")
    print(x)
""",
)

program(
    "inference_mode_builds_no_graph",
    """
    import torch
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    with torch.inference_mode():
        y = w * 2
        inside = torch.is_grad_enabled()
    z = w * 3
    print(y, y.requires_grad, y.grad_fn, inside, torch.is_inference_mode_enabled(), z.grad_fn)
""",
)

program(
    "autograd_functional_jacobian_and_hessian",
    """
    import torch
    from torch.autograd.functional import hessian, jacobian

    def f(x):
        return x ** 2 * 3 + x.sum()

    def g(x):
        return (x ** 3).sum() + x.sum() ** 2

    def two(a, b):
        return a * b, a + b

    x = torch.tensor([1.0, 2.0, -1.0])
    J = jacobian(f, x)
    Ja, Jb = jacobian(lambda a, b: a * b.sum(), (torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0])))
    T = jacobian(two, (torch.tensor([1.0, 2.0]), torch.tensor([3.0, 5.0])))
    print(J, Ja, Jb)
    print(T[0][0], T[0][1], T[1][0], T[1][1], J.requires_grad)
""",
)

program(
    "autograd_functional_hessian",
    """
    import torch
    from torch.autograd.functional import hessian

    def g(x):
        return (x ** 3).sum() + x.sum() ** 2

    H = hessian(g, torch.tensor([1.0, 2.0]))
    print(H)
""",
)

program(
    "register_hook_changes_and_sees_gradients",
    """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    seen = []
    x.register_hook(lambda g: seen.append(g.clone()))
    y = x * 3
    y.retain_grad()
    h = y.register_hook(lambda g: g * 10)
    z = (y * y).sum()
    z.backward()
    print(x.grad, y.grad, seen)
    h.remove()
    x.grad = None
    (x * 3).sum().backward()
    print(x.grad, len(seen))
""",
)

program(
    "register_hook_needs_requires_grad",
    """
    import torch
    torch.ones(2).register_hook(lambda g: g * 2)
""",
)


# ---------------------------------------------------------------- second derivatives (create_graph)
_SECOND = """
    import torch
    import torch.nn.functional as F

    def second(name, f, *xs):
        # f's gradients built with create_graph, then the gradient of a function of them: second
        # derivatives through every op f uses; kept as globals (detached) so their values are compared
        gs = torch.autograd.grad(f(*xs), xs, create_graph=True)
        total = sum(((g * g).sum() * (i + 1) + (g * 0.5).sum() for i, g in enumerate(gs)), torch.tensor(0.0))
        hs = torch.autograd.grad(total, xs, allow_unused=True)
        for i, (g, h) in enumerate(zip(gs, hs)):
            globals()[f"g_{name}_{i}"] = g.detach()
            if h is not None:
                globals()[f"h_{name}_{i}"] = h

    a = torch.tensor([[0.5, 1.25, 2.0], [-1.0, 0.25, 3.0]], requires_grad=True)
    w = torch.tensor([1.0, 2.0, 0.5])
"""

program(
    "create_graph_through_course_ops",
    _SECOND
    + """
    second("cumsum", lambda a: (a.cumsum(1) ** 2).sum() + (torch.cumsum(a, 0) ** 3).sum(), a)
    second("cumprod", lambda a: (a.cumprod(1) ** 2).sum() + a.cumprod(0).sum(), a)
    second("logsumexp", lambda a: (a.logsumexp(1) ** 2).sum() + torch.logsumexp(a, (0, 1)), a)
    second("amax_amin", lambda a: (a.amax(1) ** 2).sum() + (a.amin(0) ** 3).sum() + a.amax() ** 2, a)
    second("topk", lambda a: (a.topk(2, dim=1).values ** 3).sum() + (a.topk(1, dim=0, largest=False)[0] ** 2).sum(), a)
    second("gather", lambda a: (a.gather(1, torch.tensor([[2, 0], [1, 1]])) ** 3).sum(), a)
    second("index_select", lambda a: (a.index_select(1, torch.tensor([0, 2, 2])) ** 2).sum(), a)
    second("masked_fill", lambda a: (a.masked_fill(a > 1, 0.5) ** 3).sum(), a)
    second("split_chunk", lambda a: (a.split([1, 2], 1)[1] ** 3).sum() + (a.chunk(2, 0)[0] ** 2).sum(), a)
    second("tril_triu_flip", lambda a: (a.tril() ** 2).sum() + (a.triu(1) ** 3).sum() + (a.flip(0) * a ** 2).sum(), a)
    second("sign_clamp", lambda a: (a.sign() * a ** 2).sum()
           + (a.clamp(torch.zeros(3), torch.full((2, 1), 1.9)) ** 3).sum(), a)
    second("rounding_div", lambda a: (a.div(0.7, rounding_mode="floor") * a ** 2).sum(), a)
    second("einsum", lambda a: (torch.einsum("ij,kj->ik", a, a) ** 2).sum() + torch.einsum("ij->", a ** 3), a)
    second("activations", lambda a: (F.softplus(a, beta=2.0) ** 2).sum() + (F.elu(a) ** 2).sum()
           + (F.silu(a) ** 2).sum(), a)
    second("clamp_min_max", lambda a: (a.clamp_min(torch.full((3,), 0.4)) ** 3).sum()
           + (torch.clamp_max(a, torch.full((2, 1), 1.5)) ** 2).sum(), a)
    second("masked_fill_tensor", lambda a: (a.masked_fill(a > 1, a[0, 0]) ** 3).sum(), a)
    second("einsum_mul_permute", lambda a: (torch.einsum("ij,ij->ij", a, a) ** 2).sum()
           + (torch.einsum("ij->ji", a) ** 3).sum(), a)

    def third(f):
        (g,) = torch.autograd.grad(f(a), a, create_graph=True)
        (h,) = torch.autograd.grad((g ** 3).sum(), a, create_graph=True)
        (k,) = torch.autograd.grad((h ** 3).sum(), a)
        return torch.stack([g.detach(), h.detach(), k])

    third_gather = third(lambda a: (a.gather(1, torch.tensor([[2, 0], [1, 1]])) ** 3).sum())
    third_index_select = third(lambda a: (a.index_select(1, torch.tensor([0, 2, 2])) ** 3).sum())
""",
)

program(
    "create_graph_through_loss_options",
    _SECOND
    + """
    p = torch.tensor([[0.2, 0.7, 0.4], [0.9, 0.4, 0.6]], requires_grad=True)
    t = torch.tensor([[0.0, 1.0, 1.0], [1.0, 0.0, 0.5]])
    second("nll_weight", lambda a: F.nll_loss(a.log_softmax(1), torch.tensor([2, 0]), weight=w) ** 2, a)
    second("nll_ignore", lambda a: F.nll_loss(a.log_softmax(1), torch.tensor([1, -100])) ** 2, a)
    second("ce_weight", lambda a: F.cross_entropy(a, torch.tensor([2, 1]), weight=w) ** 2, a)
    second("ce_smoothing", lambda a: F.cross_entropy(a, torch.tensor([1, 2]), label_smoothing=0.1) ** 2, a)
    second("ce_probabilities", lambda a: F.cross_entropy(a, t.softmax(1)) ** 2, a)
    second("bce_weight", lambda p: F.binary_cross_entropy(p, t, weight=w) ** 2, p)
    second("bce_target", lambda p, a: F.binary_cross_entropy(p, a.sigmoid()) ** 2, p, a)
    second("bce_logits_pos_weight", lambda a: F.binary_cross_entropy_with_logits(a, t, pos_weight=w) ** 2
           + F.binary_cross_entropy_with_logits(a, t, weight=w, reduction="sum"), a)
    second("huber", lambda a: F.huber_loss(a, torch.ones(2, 3), delta=0.6) ** 2, a)
    second("nll_spatial", lambda a: F.nll_loss(a.view(1, 2, 3).log_softmax(1), torch.tensor([[1, 0, 1]])) ** 2, a)
    second("mse_legacy", lambda a: F.mse_loss(a, torch.ones(2, 3), size_average=False) ** 2, a)
""",
)
