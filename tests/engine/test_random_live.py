"""Random sequences of random-number calls, run live in real PyTorch and in engine.torch: same bits.

Hypothesis picks a seed and a sequence of draws (factories, in-place samplers, dropout, generators,
state save/restore) over sizes around the 16-element vectorised path, dtypes and layouts; the
sequence runs as source text through rng_cases.run, shown on failure and runnable as is.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, note, settings
from hypothesis import strategies as st

sys.path.insert(
    0, str(Path(__file__).resolve().parent)
)  # sibling helpers, however pytest imports us
import rng_cases  # noqa: E402

torch = pytest.importorskip("torch")

import engine.torch  # noqa: E402
import engine.torch.nn.functional  # noqa: E402

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FLOATS = ["torch.float32", "torch.float64", "torch.float16"]
# Templates: {n} a size, {d} a float dtype, {s} a shape of two dims, {a}/{b} bounds with a < b.
DRAWS = [
    "torch.rand({n}, dtype={d})",
    "torch.randn({n}, dtype={d})",
    "torch.randn{s}",
    "torch.rand{s}",
    "torch.empty({n}, dtype={d}).uniform_({a}, {b})",
    "torch.empty({n}, dtype={d}).normal_({a}, {b} - {a})",
    "torch.randint({a}, {b} + 1, ({n},))",
    "torch.randint(2**33, ({n},))",
    "torch.randperm({n})",
    "torch.bernoulli(torch.rand({n}))",
    "torch.empty({n}).bernoulli_(0.25)",
    "F.dropout(torch.ones{s}, 0.3)",
    "torch.empty({n}, dtype={d}).exponential_()",
    "torch.zeros({n}, dtype=torch.int64).random_({b} + 1)",
    "torch.empty{s}.t().normal_()",
    "torch.empty{s}.t().uniform_()",
    "torch.randn_like(torch.empty{s}.t())",
    "torch.normal(torch.zeros({n}), {b} - {a})",
    "torch.normal({a}, torch.ones{s})",
    "torch.randn({n}, generator=g)",
    "torch.rand({n}, generator=g)",
]
SIZES = st.sampled_from([1, 2, 3, 5, 8, 15, 16, 17, 31, 32, 33, 48, 100, 257])


@st.composite
def programs(draw):
    lines = [f"g = torch.Generator().manual_seed({draw(st.integers(0, 2**64 - 1))})", "out = []"]
    for _ in range(draw(st.integers(1, 8))):
        if draw(st.integers(0, 9)) == 0:  # save the state, draw, restore, draw again
            lines += [
                "s = torch.get_rng_state()",
                "out.append(torch.randn(3))",
                "torch.set_rng_state(s)",
            ]
        rows, cols = draw(st.integers(1, 9)), draw(st.integers(1, 9))
        a = draw(st.integers(-20, 19))
        template = draw(st.sampled_from(DRAWS))
        lines.append(
            "out.append("
            + template.format(
                n=draw(SIZES),
                d=draw(st.sampled_from(FLOATS)),
                s=f"({rows}, {cols})",
                a=a,
                b=a + draw(st.integers(1, 30)),
            )
            + ")"
        )
    return "\n".join(lines)


@SETTINGS
@given(source=programs(), seed=st.integers(-(2**63), 2**64 - 1))
def test_random_call_sequences_match_torch_bit_for_bit(source, seed):
    note(f"torch.manual_seed({seed})\n{source}")
    want = rng_cases.run(source, seed, torch, torch.nn.functional)
    got = rng_cases.run(source, seed, engine.torch, engine.torch.nn.functional)
    assert got == want


@pytest.mark.parametrize(
    "make",
    [
        "torch.nn.Linear(64, 128)",
        "torch.nn.Linear(3, 1)",
        "torch.nn.Conv2d(3, 8, 3)",
        "torch.nn.Conv2d(1, 4, (2, 5))",
    ],
)
@pytest.mark.parametrize("seed", [0, 42])
def test_module_default_init_is_kaiming_uniform_through_uniform_(make, seed):
    """nn.Linear/Conv2d's reset_parameters: kaiming_uniform_(a=sqrt(5)) on the weight, then the bias
    uniform in +-1/sqrt(fan_in), both by Tensor.uniform_ under no_grad: the engine's uniform_ in the
    same order gives the module's numbers."""
    import math

    import numpy as np

    torch.manual_seed(seed)
    module = eval(make)  # noqa: S307  (our own fixed table)
    weight, bias = module.weight.detach().numpy(), module.bias.detach().numpy()
    fan_in = int(np.prod(weight.shape[1:]))
    bound = math.sqrt(2.0 / (1 + 5)) * math.sqrt(3.0 / fan_in)
    engine.torch.manual_seed(seed)
    with engine.torch.no_grad():
        w = engine.torch.empty(*weight.shape).uniform_(-bound, bound)
        b = engine.torch.empty(*bias.shape).uniform_(-1 / math.sqrt(fan_in), 1 / math.sqrt(fan_in))
    assert w._data.tobytes() == weight.tobytes() and b._data.tobytes() == bias.tobytes()
