"""engine.torch's random numbers are PyTorch's, bit for bit: every case of rng_cases.py at every seed
gives what real torch 2.13 gave (tests/engine/fixtures/torch_rng.json, made by make_rng_fixtures.py).

This test needs no torch; test_random_live.py runs random call sequences against torch itself.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(
    0, str(Path(__file__).resolve().parent)
)  # sibling helpers, however pytest imports us
import rng_cases  # noqa: E402
from make_rng_fixtures import FIXTURE_PATH, source_digest  # noqa: E402

import engine.torch  # noqa: E402
import engine.torch.nn.functional  # noqa: E402
from engine import generator  # noqa: E402

FIXTURES = json.loads(FIXTURE_PATH.read_text())
CASES = rng_cases.cases()


def test_fixtures_were_made_with_the_pinned_torch():
    assert FIXTURES["torch_version"].split("+")[0] == "2.13.0"


def test_every_case_has_a_fixture():
    assert set(FIXTURES["cases"]) == set(CASES), "run python tests/engine/make_rng_fixtures.py"


def _same(got: dict, want: dict, where: str) -> None:
    if "int" in want:
        assert got == want, where
        return
    assert (got["dtype"], got["shape"]) == (want["dtype"], want["shape"]), where
    if "values" in want:
        got_values = np.array(got["values"], dtype=want["dtype"])
        want_values = np.array(want["values"], dtype=want["dtype"])
        differ = np.flatnonzero(got_values.reshape(-1) != want_values.reshape(-1))[:3]
        assert got_values.tobytes() == want_values.tobytes(), (  # bit for bit, the sign of zero too
            f"{where}: differs at {differ.tolist()}: {got_values.reshape(-1)[differ]} vs torch "
            f"{want_values.reshape(-1)[differ]}"
        )
        return
    assert got["head"] == want["head"] and got["sha256"] == want["sha256"], (
        f"{where}: head {got['head']} vs torch {want['head']}"
    )


@pytest.mark.parametrize("name", list(CASES))
def test_case_gives_torchs_numbers_at_every_seed(name):
    source, seeds = CASES[name]
    entry = FIXTURES["cases"][name]
    assert entry["source_digest"] == source_digest(source), (
        "stale: run python tests/engine/make_rng_fixtures.py"
    )
    for seed in seeds:
        want = entry["seeds"][str(seed)]
        got = rng_cases.run(source, seed, engine.torch, engine.torch.nn.functional)
        where = f"{name} at seed {seed}"
        assert ("error" in got) == ("error" in want), (
            f"{where}: {got.get('error')} vs torch {want.get('error')}"
        )
        if "error" in want:
            assert got["error"] == want["error"], where
            continue
        assert len(got["out"]) == len(want["out"]), where
        for i, (g, w) in enumerate(zip(got["out"], want["out"])):
            _same(g, w, f"{where}, output {i}")


def test_fixtures_cover_many_seeds_sizes_and_dtypes():
    runs = sum(len(seeds) for _, seeds in CASES.values())
    assert len(rng_cases.SEEDS) >= 10 and runs >= 2000
    assert {1, 15, 16, 17, 4099} <= set(rng_cases.SMALL_SIZES + rng_cases.LARGE_SIZES)
    assert set(rng_cases.FLOATS) == {"float32", "float64", "float16"}


# -- the generator's state, against PyTorch's layout of CPUGeneratorImplState -----------------


def _state(gen):
    return np.frombuffer(gen._state_bytes(), dtype=np.uint8)


@pytest.mark.parametrize("seed", [0, 5, 2**32 + 3, 2**64 - 1])
def test_state_round_trips_through_bytes(seed):
    gen = generator.Generator().manual_seed(seed)
    generator.normal(gen, 3, np.dtype(np.float32))  # leaves a cached Box-Muller sample
    copy = generator.Generator()
    copy._load_state_bytes(gen._state_bytes())
    assert np.array_equal(_state(copy), _state(gen))
    double = np.dtype(np.float64)
    assert np.array_equal(generator.normal(copy, 7, double), generator.normal(gen, 7, double))


def test_state_holds_seed_position_and_cached_normal():
    gen = generator.Generator().manual_seed(5)
    raw = gen._state_bytes()
    assert len(raw) == 5056
    assert int.from_bytes(raw[0:8], "little") == 5 and int.from_bytes(raw[8:12], "little") == 1
    generator.normal(gen, 1, np.dtype(np.float32))  # one pair: four words, the sine cached
    raw = gen._state_bytes()
    assert int.from_bytes(raw[8:12], "little") == 621 and int.from_bytes(raw[16:24], "little") == 4
    assert (
        raw[5040] == 1 and np.frombuffer(raw[5024:5032], np.float64)[0] == gen._next_double_normal
    )


def test_invalid_state_is_refused():
    gen = generator.Generator()
    raw = bytearray(gen._state_bytes())
    raw[8:12] = (0).to_bytes(4, "little")  # left_ must be in 1..624
    with pytest.raises(RuntimeError, match="Invalid mt19937 state"):
        gen._load_state_bytes(bytes(raw))


# -- the stream itself --------------------------------------------------------------------------


def _reference_mt19937(seed, count):
    """The reference MT19937 (init_genrand and genrand_int32), written out plainly."""
    state = [seed & 0xFFFFFFFF]
    for j in range(1, 624):
        state.append((1812433253 * (state[-1] ^ (state[-1] >> 30)) + j) & 0xFFFFFFFF)
    out, index = [], 624
    for _ in range(count):
        if index == 624:
            for k in range(624):
                y = (state[k] & 0x80000000) | (state[(k + 1) % 624] & 0x7FFFFFFF)
                state[k] = state[(k + 397) % 624] ^ (y >> 1) ^ (0x9908B0DF if y & 1 else 0)
            index = 0
        y = state[index]
        index += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C5680
        y ^= (y << 15) & 0xEFC60000
        y ^= y >> 18
        out.append(y)
    return out


@pytest.mark.parametrize("seed", [0, 1, 67280421310721])
def test_words_are_the_reference_mt19937(seed):
    gen = generator.Generator().manual_seed(seed)
    assert generator.random(gen, 1500).tolist() == _reference_mt19937(seed, 1500)


def test_random64_puts_the_first_word_high():
    words = generator.random(generator.Generator().manual_seed(3), 4).tolist()
    wide = generator.random64(generator.Generator().manual_seed(3), 2).tolist()
    assert wide == [(words[0] << 32) | words[1], (words[2] << 32) | words[3]]


def test_each_thread_has_its_own_default_generator():
    import threading

    seen = []
    engine.torch.manual_seed(11)
    thread = threading.Thread(target=lambda: seen.append(engine.torch.initial_seed()))
    thread.start()
    thread.join()
    assert seen == [generator.DEFAULT_SEED] and engine.torch.initial_seed() == 11


def test_a_fresh_run_starts_from_pytorchs_default_seed():
    from engine.runner import run

    first = run(
        "import torch\nx = torch.randn(3)\ntorch.manual_seed(1)\nprint(torch.initial_seed())"
    )
    second = run("import torch\nx = torch.randn(3)")
    assert first.error is None and first.output == "1\n"
    assert np.array_equal(first.variables["x"]._data, second.variables["x"]._data)
    assert np.array_equal(
        second.variables["x"]._data,
        generator.normal(generator.Generator(), 3, np.dtype(np.float32)),
    )


def test_digest_matches_the_bytes_it_names():
    data = np.arange(100, dtype=np.float32)
    described = rng_cases.describe(engine.torch.tensor(data.tolist()))
    assert described["sha256"] == hashlib.sha256(data.tobytes()).hexdigest()


def test_multiply_add_rounds_once_like_a_fused_one():
    """1.00000012 + 2**-24 * (1 - 2**-46): a double holds the midpoint 1 + 3 * 2**-24, whose rounding to
    float goes up to the even neighbour; the exact sum is below it, so an FMA rounds down."""
    odd = np.float32(1 + 2**-23)
    a = np.array([odd, -odd], np.float32)
    b = np.float32(2**-24 * (1 - 2**-23))
    twice_rounded = (a.astype(np.float64) * np.float64(b) + a.astype(np.float64)).astype(np.float32)
    assert (twice_rounded != a).all()
    assert generator._madd(a, b, a).tolist() == a.tolist()
