"""torch.optim on the engine matches real PyTorch step for step (live, when torch is installed)."""
import numpy as np
import pytest

import engine.torch as engine_torch

torch = pytest.importorskip("torch")


def _train(ns, make_optimizer, steps=4):
    W = ns.tensor([[0.5, -0.3], [0.2, 0.8]], requires_grad=True)
    b = ns.tensor([0.1, -0.1], requires_grad=True)
    x = ns.tensor([[1., 2.], [3., -1.], [0.5, 0.5]])
    y = ns.tensor([[1., 0.], [0., 1.], [1., 1.]])
    opt = make_optimizer(ns, [W, b])
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = ((x @ W + b - y) ** 2).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, W.detach().tolist(), b.detach().tolist(), W.grad is None


@pytest.mark.parametrize("make_optimizer", [
    lambda ns, ps: ns.optim.SGD(ps, lr=0.1),
    lambda ns, ps: ns.optim.SGD(ps, lr=0.05, momentum=0.9),
    lambda ns, ps: ns.optim.SGD(ps, lr=0.05, momentum=0.5, weight_decay=0.01, nesterov=True),
    lambda ns, ps: ns.optim.Adam(ps, lr=0.1),
    lambda ns, ps: ns.optim.Adam(ps, lr=0.01, betas=(0.8, 0.99), weight_decay=0.1),
], ids=["sgd", "sgd_momentum", "sgd_nesterov_decay", "adam", "adam_decay"])
def test_optimizer_steps_match_pytorch(make_optimizer):
    ours = _train(engine_torch, make_optimizer)
    theirs = _train(torch, make_optimizer)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-5)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(ours[2], theirs[2], rtol=1e-5, atol=1e-6)
    assert ours[3] == theirs[3]


def test_step_changes_parameters_in_place_and_bumps_their_version():
    w = engine_torch.tensor([1.0, 2.0], requires_grad=True)
    opt = engine_torch.optim.SGD([w], lr=0.5)
    (w * w).sum().backward()
    storage = w._data
    opt.step()
    assert w._data is storage and w._version[0] == 1
    assert w.tolist() == [0.0, 0.0]


def test_optimizer_refuses_a_non_leaf():
    w = engine_torch.tensor([1.0], requires_grad=True)
    with pytest.raises(ValueError, match="can't optimize a non-leaf Tensor"):
        engine_torch.optim.SGD([w * 2], lr=0.1)
