"""Conformance programs for losses' options, optimizers, and the ops courses use (see conformance_programs.py).

WRITTEN is a list of (name, source), appended to conformance_programs.PROGRAMS.
"""

from __future__ import annotations

from textwrap import dedent

WRITTEN: list[tuple[str, str]] = []


def program(name: str, source: str) -> None:
    WRITTEN.append((name, dedent(source).lstrip("\n")))


# ---------------------------------------------------------------- loss options

program("loss_nll_weight", """
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
""")

program("loss_cross_entropy_weight", """
    import torch
    import torch.nn.functional as F
    x = torch.tensor([[1.0, 2.0, 0.5], [0.3, -1.0, 2.2], [0.0, 0.4, -0.7], [1.5, 1.5, 0.1]], requires_grad=True)
    t = torch.tensor([1, 2, 0, 0])
    w = torch.tensor([0.2, 1.0, 3.0])
    loss = F.cross_entropy(x, t, weight=w)
    loss.backward()
    print(loss, x.grad)
""")

program("loss_cross_entropy_label_smoothing", """
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
""")

program("loss_cross_entropy_ignore_index", """
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
""")

program("loss_cross_entropy_all_ignored_is_nan", """
    import torch
    import torch.nn.functional as F
    x = torch.tensor([[1.0, 2.0], [0.5, 0.1]], requires_grad=True)
    loss = F.cross_entropy(x, torch.tensor([-100, -100]))
    loss.backward()
    print(loss, x.grad)
""")

program("loss_cross_entropy_probability_targets", """
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
""")

program("loss_cross_entropy_spatial_targets", """
    import torch
    import torch.nn.functional as F
    x = torch.tensor([[[1.0, 0.2], [2.0, -1.0], [0.5, 0.3]]], requires_grad=True)
    t = torch.tensor([[1, 0]])
    loss = F.cross_entropy(x, t, weight=torch.tensor([1.0, 0.5, 2.0]))
    loss.backward()
    print(loss, x.grad)
""")

program("loss_nll_1d_input_ignored_target", """
    import torch
    import torch.nn.functional as F
    x = torch.tensor([-1.0, -2.0, -0.5], requires_grad=True)
    a = F.nll_loss(x, torch.tensor(1), weight=torch.tensor([1.0, 3.0, 2.0]))
    b = F.nll_loss(x, torch.tensor(-100), reduction="sum")
    a.backward()
    print(a, b, x.grad)
""")

program("loss_bce_weight_and_target_grad", """
    import torch
    import torch.nn.functional as F
    p = torch.tensor([0.2, 0.9, 0.6, 0.4], requires_grad=True)
    y = torch.tensor([0.0, 1.0, 0.3, 1.0], requires_grad=True)
    w = torch.tensor([1.0, 2.0, 0.5, 3.0])
    loss = F.binary_cross_entropy(p, y, weight=w)
    loss.backward()
    s = F.binary_cross_entropy(p, y, weight=torch.tensor(2.0), reduction="sum")
    print(loss, p.grad, y.grad, s)
""")

program("loss_bce_with_logits_pos_weight_and_weight", """
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
""")

program("loss_legacy_size_average_and_reduce", """
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
""")

program("loss_bad_reduction_message", """
    import torch
    import torch.nn.functional as F
    F.mse_loss(torch.ones(2), torch.zeros(2), reduction="average")
""")

# ---------------------------------------------------------------- autograd corners

program("relu_gradient_at_nan_passes_through", """
    import torch
    x = torch.tensor([float("nan"), -1.0, 0.0, 2.0], requires_grad=True)
    y = torch.relu(x)
    y.sum().backward()
    print(y, x.grad)
""")

program("backward_inputs_retains_grad_of_non_leaf", """
    import torch
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    h = x * 3
    y = (h * h).sum()
    y.backward(inputs=[h])
    print(h.retains_grad, h.grad, x.grad)
""")

program("autograd_grad_of_several_outputs_sums", """
    import torch
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y1 = (x * x).sum()
    y2 = (x * 5).sum()
    (g,) = torch.autograd.grad([y1, y2], [x], retain_graph=True)
    y3 = x * 2
    (g2,) = torch.autograd.grad([y3, y1], x, grad_outputs=[torch.ones(3), torch.tensor(2.0)])
    print(g, g2)
""")

program("uint8_times_negative_one_wraps", """
    import torch
    u = torch.tensor([1, 2, 200], dtype=torch.uint8)
    a = u * -1
    b = u + 300
    c = -1 * u
    print(a, a.dtype, b, c)
""")

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
    ("sgd_dampening_maximize", "torch.optim.SGD([W, b], lr=0.05, momentum=0.9, dampening=0.3, weight_decay=0.1)"),
    ("sgd_nesterov", "torch.optim.SGD([W, b], lr=0.05, momentum=0.8, nesterov=True, weight_decay=0.01)"),
    ("sgd_maximize", "torch.optim.SGD([W, b], lr=0.01, momentum=0.5, maximize=True)"),
    ("adam_amsgrad", "torch.optim.Adam([W, b], lr=0.1, amsgrad=True)"),
    ("adam_weight_decay_maximize", "torch.optim.Adam([W, b], lr=0.05, betas=(0.8, 0.99), weight_decay=0.1, maximize=True)"),
    ("adam_foreach_false", "torch.optim.Adam([W, b], lr=0.05, foreach=False, fused=None)"),
    ("adamw_defaults", "torch.optim.AdamW([W, b], lr=0.1)"),
    ("adamw_amsgrad", "torch.optim.AdamW([W, b], lr=0.1, weight_decay=0.5, amsgrad=True)"),
    ("rmsprop_defaults", "torch.optim.RMSprop([W, b])"),
    ("rmsprop_centered_momentum", "torch.optim.RMSprop([W, b], lr=0.01, alpha=0.9, momentum=0.5, centered=True, weight_decay=0.1)"),
    ("adagrad_defaults", "torch.optim.Adagrad([W, b], lr=0.3)"),
    ("adagrad_decay_accumulator", "torch.optim.Adagrad([W, b], lr=0.3, lr_decay=0.1, initial_accumulator_value=0.5, weight_decay=0.1)"),
    ("param_groups_per_group_options", "torch.optim.SGD([{'params': [W]}, {'params': [b], 'lr': 0.5, 'momentum': 0.9}], lr=0.05)"),
]:
    program(f"optim_{_name}", _TRAIN.format(make=_make))

program("optim_adam_on_a_zero_dim_parameter", """
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
""")

program("optim_state_and_param_groups_as_torch_exposes_them", """
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
""")

program("optim_sgd_momentum_buffer_in_state", """
    import torch
    w = torch.tensor([1.0, -2.0], requires_grad=True)
    opt = torch.optim.SGD([w], lr=0.1, momentum=0.9)
    for i in range(3):
        opt.zero_grad()
        (w ** 2).sum().backward()
        opt.step()
    print(opt.state[w]["momentum_buffer"], w)
    print(len(opt.state), opt.param_groups[0]["momentum"])
""")

program("optim_add_param_group", """
    import torch
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([3.0], requires_grad=True)
    opt = torch.optim.SGD([a], lr=0.1)
    opt.add_param_group({"params": [b], "lr": 0.01})
    (a.sum() * b.sum()).backward()
    opt.step()
    print(a, b, len(opt.param_groups), opt.param_groups[1]["lr"], opt.param_groups[1]["momentum"])
    print(opt)
""")

program("optim_add_param_group_twice_is_an_error", """
    import torch
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    opt = torch.optim.SGD([a], lr=0.1)
    opt.add_param_group({"params": [a]})
""")

program("optim_zero_grad_set_to_none_false_keeps_zeros", """
    import torch
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    opt = torch.optim.SGD([a], lr=0.1)
    (a * 3).sum().backward()
    opt.zero_grad(set_to_none=False)
    print(a.grad)
    opt.zero_grad()
    print(a.grad)
""")

program("optim_nesterov_requires_momentum", """
    import torch
    a = torch.tensor([1.0], requires_grad=True)
    torch.optim.SGD([a], lr=0.1, nesterov=True)
""")

program("optim_invalid_beta", """
    import torch
    a = torch.tensor([1.0], requires_grad=True)
    torch.optim.Adam([a], betas=(0.9, 1.0))
""")

program("optim_step_lr", """
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
""")

program("optim_lr_scheduler_module_names", """
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
""")
