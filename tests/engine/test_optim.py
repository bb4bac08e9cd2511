"""torch.optim on the engine matches real PyTorch step for step (live, when torch is installed)."""

import numpy as np
import pytest

import engine.torch as engine_torch

torch = pytest.importorskip("torch")


def _train(ns, make_optimizer, steps=4):
    W = ns.tensor([[0.5, -0.3], [0.2, 0.8]], requires_grad=True)
    b = ns.tensor([0.1, -0.1], requires_grad=True)
    x = ns.tensor([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]])
    y = ns.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    opt = make_optimizer(ns, [W, b])
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = ((x @ W + b - y) ** 2).mean()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses, W.detach().tolist(), b.detach().tolist(), W.grad is None


@pytest.mark.parametrize(
    "make_optimizer",
    [
        lambda ns, ps: ns.optim.SGD(ps, lr=0.1),
        lambda ns, ps: ns.optim.SGD(ps, lr=0.05, momentum=0.9),
        lambda ns, ps: ns.optim.SGD(ps, lr=0.05, momentum=0.5, weight_decay=0.01, nesterov=True),
        lambda ns, ps: ns.optim.Adam(ps, lr=0.1),
        lambda ns, ps: ns.optim.Adam(ps, lr=0.01, betas=(0.8, 0.99), weight_decay=0.1),
    ],
    ids=["sgd", "sgd_momentum", "sgd_nesterov_decay", "adam", "adam_decay"],
)
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


OPTIMIZERS = {
    "sgd_momentum_dampening_decay": lambda ns, ps: ns.optim.SGD(
        ps, lr=0.05, momentum=0.9, dampening=0.3, weight_decay=0.1
    ),
    "sgd_nesterov_maximize": lambda ns, ps: ns.optim.SGD(
        ps, lr=0.05, momentum=0.8, nesterov=True, maximize=True
    ),
    "adam_amsgrad_decay": lambda ns, ps: ns.optim.Adam(ps, lr=0.1, amsgrad=True, weight_decay=0.01),
    "adam_maximize": lambda ns, ps: ns.optim.Adam(ps, lr=0.1, betas=(0.3, 0.9), maximize=True),
    "adamw": lambda ns, ps: ns.optim.AdamW(ps, lr=0.1),
    "adamw_amsgrad": lambda ns, ps: ns.optim.AdamW(ps, lr=0.1, weight_decay=0.3, amsgrad=True),
    "rmsprop": lambda ns, ps: ns.optim.RMSprop(ps),
    "rmsprop_centered_momentum": lambda ns, ps: ns.optim.RMSprop(
        ps, lr=0.01, alpha=0.9, momentum=0.5, centered=True, weight_decay=0.1
    ),
    "adagrad": lambda ns, ps: ns.optim.Adagrad(
        ps, lr=0.3, lr_decay=0.1, initial_accumulator_value=0.5, weight_decay=0.1
    ),
    "param_groups": lambda ns, ps: ns.optim.Adam(
        [{"params": ps[:1]}, {"params": ps[1:], "lr": 0.5}], lr=0.01
    ),
}


def _steps_with_given_gradients(ns, make_optimizer, gradients):
    """Parameters after optimizer steps whose gradients are exactly `gradients` (no forward rounding)."""
    params = [
        ns.tensor(np.linspace(-1, 1, 7, dtype=np.float32).tolist(), requires_grad=True),
        ns.tensor(0.25, requires_grad=True),
    ]
    opt = make_optimizer(ns, params)
    history = []
    for g in gradients:
        opt.zero_grad()
        (
            (params[0] * ns.tensor(g[:7].tolist())).sum() + params[1] * ns.tensor(float(g[7]))
        ).backward()
        opt.step()
        history.append([np.float32(p.detach().tolist()) for p in params])
    return history


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_optimizer_steps_match_pytorch_to_the_last_bits(name):
    """Exact where PyTorch's kernels are (SGD); Adam, RMSprop and Adagrad take a square root, which
    PyTorch's vectorised CPU kernel does not round correctly, so those are compared to a few ulps."""
    gradients = np.random.default_rng(7).standard_normal((12, 8)).astype(np.float32)
    ours = _steps_with_given_gradients(engine_torch, OPTIMIZERS[name], gradients)
    theirs = _steps_with_given_gradients(torch, OPTIMIZERS[name], gradients)
    for step, (a, b) in enumerate(zip(ours, theirs)):
        for x, y in zip(a, b):
            if name.startswith("sgd"):
                np.testing.assert_array_equal(x, y, err_msg=f"step {step}")
            else:
                np.testing.assert_allclose(x, y, rtol=1e-6, atol=1e-7, err_msg=f"step {step}")
