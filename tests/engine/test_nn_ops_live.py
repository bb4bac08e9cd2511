"""conv2d, max_pool2d, layer_norm, batch_norm, embedding, gelu against live torch over a grid of shapes and
options: the same values and input gradients (float64, so only the formulas can differ)."""

import itertools

import numpy as np
import pytest

import engine.torch as engine_torch
from engine.torch.nn import functional as EF

torch = pytest.importorskip("torch")
F = torch.nn.functional
RNG = np.random.default_rng(0)


def pair(shape, low=-1.0, high=1.0):
    data = RNG.uniform(low, high, shape)
    return (
        engine_torch.tensor(data.tolist(), dtype=engine_torch.float64, requires_grad=True),
        torch.tensor(data, dtype=torch.float64, requires_grad=True),
    )


def check(ours, theirs, inputs):
    out_e, out_t = ours(*(e for e, _ in inputs)), theirs(*(t for _, t in inputs))
    np.testing.assert_allclose(out_e._data, out_t.detach().numpy(), rtol=1e-10, atol=1e-12)
    weights = RNG.standard_normal(tuple(out_t.shape))
    (out_e * engine_torch.tensor(weights.tolist(), dtype=engine_torch.float64)).sum().backward()
    (out_t * torch.tensor(weights)).sum().backward()
    for e, t in inputs:
        np.testing.assert_allclose(e.grad._data, t.grad.numpy(), rtol=1e-10, atol=1e-12)
    assert out_e.grad_fn.name() == type(out_t.grad_fn).__name__


CONV = [
    dict(stride=s, padding=p, dilation=d, groups=g, batch=b, bias=bias)
    for s, p, d, g, b, bias in itertools.product(
        (1, 2, (2, 1)), (0, 1, (2, 0)), (1, 2), (1, 2), (1, 3), (True, False)
    )
]


@pytest.mark.parametrize("case", CONV, ids=str)
def test_conv2d_matches_torch(case):
    c_in, c_out = 2 * case["groups"], 2 * case["groups"]
    inputs = [pair((case["batch"], c_in, 7, 6)), pair((c_out, c_in // case["groups"], 3, 2))]
    if case["bias"]:
        inputs.append(pair((c_out,)))
    options = dict(
        stride=case["stride"],
        padding=case["padding"],
        dilation=case["dilation"],
        groups=case["groups"],
    )
    check(lambda *a: EF.conv2d(*a, **options), lambda *a: F.conv2d(*a, **options), inputs)


POOL = [
    dict(kernel=k, stride=s, padding=p, dilation=d, ceil_mode=c)
    for k, s, p, d, c in itertools.product(
        (2, 3, (3, 2)), (None, 1, 2), (0, 1), (1, 2), (False, True)
    )
]


@pytest.mark.parametrize("case", POOL, ids=str)
def test_max_pool2d_matches_torch(case):
    options = dict(
        kernel_size=case["kernel"],
        stride=case["stride"],
        padding=case["padding"],
        dilation=case["dilation"],
        ceil_mode=case["ceil_mode"],
    )
    check(
        lambda x: EF.max_pool2d(x, **options),
        lambda x: F.max_pool2d(x, **options),
        [pair((2, 3, 7, 8))],
    )


@pytest.mark.parametrize("shape, normalized", [((4,), (4,)), ((3, 4), (4,)), ((2, 3, 4), (3, 4))])
def test_layer_norm_matches_torch(shape, normalized):
    inputs = [pair(shape), pair(normalized), pair(normalized)]
    check(
        lambda x, w, b: EF.layer_norm(x, normalized, w, b),
        lambda x, w, b: F.layer_norm(x, normalized, w, b),
        inputs,
    )


@pytest.mark.parametrize(
    "shape, training", [((5, 3), True), ((4, 3, 6), True), ((5, 3), False), ((4, 3, 2), False)]
)
def test_batch_norm_matches_torch(shape, training):
    stats = RNG.uniform(0.5, 1.5, (2, 3))
    running_e = [engine_torch.tensor(s.tolist(), dtype=engine_torch.float64) for s in stats]
    running_t = [torch.tensor(s) for s in stats]
    check(
        lambda x, w, b: EF.batch_norm(x, *running_e, w, b, training, 0.2),
        lambda x, w, b: F.batch_norm(x, *running_t, w, b, training, 0.2),
        [pair(shape), pair((3,)), pair((3,))],
    )
    for e, t in zip(running_e, running_t):
        np.testing.assert_allclose(e._data, t.numpy(), rtol=1e-12)


@pytest.mark.parametrize("approximate", ["none", "tanh"])
def test_gelu_matches_torch(approximate):
    check(
        lambda x: EF.gelu(x, approximate=approximate),
        lambda x: F.gelu(x, approximate=approximate),
        [pair((3, 5), -4.0, 4.0)],
    )


@pytest.mark.parametrize("padding_idx, scale", [(None, False), (2, False), (None, True)])
def test_embedding_matches_torch(padding_idx, scale):
    idx = RNG.integers(0, 5, (3, 4))
    check(
        lambda w: EF.embedding(
            engine_torch.tensor(idx.tolist()), w, padding_idx, scale_grad_by_freq=scale
        ),
        lambda w: F.embedding(torch.tensor(idx), w, padding_idx, scale_grad_by_freq=scale),
        [pair((5, 3))],
    )
