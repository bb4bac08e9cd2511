"""F functions beyond the conformance list, checked live against PyTorch (values and grads)."""

import numpy as np
import pytest

import engine.torch as engine_torch

torch = pytest.importorskip("torch")

CASES = {
    "bce_with_logits_mean": lambda ns, x, t: ns.nn.functional.binary_cross_entropy_with_logits(
        x, t
    ),
    "bce_with_logits_sum": lambda ns, x, t: ns.nn.functional.binary_cross_entropy_with_logits(
        x, t, reduction="sum"
    ),
    "bce_with_logits_none": lambda ns, x, t: ns.nn.functional.binary_cross_entropy_with_logits(
        x, t, reduction="none"
    ).sum(),
}


@pytest.mark.parametrize("name", CASES)
def test_matches_pytorch_values_and_gradients(name):
    x0 = [[0.5, -2.0, 30.0], [-40.0, 0.0, 1.5]]
    t0 = [[1.0, 0.0, 1.0], [0.0, 1.0, 0.3]]
    results = []
    for ns in (engine_torch, torch):
        x = ns.tensor(x0, requires_grad=True)
        t = ns.tensor(t0, requires_grad=True)
        out = CASES[name](ns, x, t)
        out.backward()
        results.append((out.item(), x.grad.tolist(), t.grad.tolist(), type(out.grad_fn).__name__))
    ours, theirs = results
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-5)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(ours[2], theirs[2], rtol=1e-5, atol=1e-7)
    assert ours[3] == theirs[3]
