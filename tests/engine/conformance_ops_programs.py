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
