"""Speed of engine.torch's random numbers against real PyTorch's in one process.

    python bench/rng.py             # best-of-7 times and engine/torch ratios
    python bench/rng.py --check     # also check that both gave the same bits

Each case is one call written once over the namespace (`torch`), after the same manual_seed, so the
identical draw runs on engine.torch and on real PyTorch (one thread). PyTorch's kernels are C++; the
engine's are numpy, so the ratios say how far from native the pure-numpy generator is.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np

_HERE = Path(__file__).resolve().parent
if sys.path and Path(sys.path[0] or ".").resolve() == _HERE:
    sys.path[0] = str(_HERE.parent)  # run as `python bench/rng.py`: the repo root, not bench/

CASES = {
    "randn 1e6": lambda torch, F: torch.randn(1_000_000),
    "rand 1e6": lambda torch, F: torch.rand(1_000_000),
    "randn 1e6 f64": lambda torch, F: torch.randn(1_000_000, dtype=torch.float64),
    "randn 15 (x100)": lambda torch, F: [torch.randn(15) for _ in range(100)],
    "randint 1e6": lambda torch, F: torch.randint(0, 1000, (1_000_000,)),
    "randperm 1e5": lambda torch, F: torch.randperm(100_000),
    "dropout 1e5": lambda torch, F: F.dropout(torch.ones(100_000), 0.5),
    "linear init 512x512": lambda torch, F: torch.empty(512, 512).uniform_(-0.04, 0.04),
}
TARGETS = {
    "randn 1e6": 15.0
}  # a 1e6-element randn within 15x of PyTorch's C++ (measured: about 13x)


def load_namespaces() -> dict:
    import engine.torch as engine_torch
    import engine.torch.nn.functional as engine_functional

    spaces = {"engine": (engine_torch, engine_functional)}
    try:
        import torch
    except ImportError:
        return spaces
    torch.set_num_threads(1)
    spaces["torch"] = (torch, torch.nn.functional)
    return spaces


def as_list(value) -> list:
    values = value if isinstance(value, list) else [value]
    return [np.asarray(v._data if hasattr(v, "_data") else v.numpy()) for v in values]


def best_times(case: str, spaces: dict, repeat=7, seed=0) -> tuple[dict, dict]:
    """{name: best seconds} and {name: the values of the last run}; namespaces take turns."""
    best, values = dict.fromkeys(spaces, math.inf), {}
    for _ in range(repeat):
        for name, (torch, functional) in spaces.items():
            torch.manual_seed(seed)
            start = time.perf_counter()
            out = CASES[case](torch, functional)
            best[name] = min(best[name], time.perf_counter() - start)
            values[name] = out
    return best, values


def same_bits(a, b) -> bool:
    return all(
        x.dtype == y.dtype and x.tobytes() == y.tobytes() for x, y in zip(as_list(a), as_list(b))
    )


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--check", action="store_true", help="also compare the values bit for bit")
    args = parser.parse_args(argv)
    spaces = load_namespaces()
    header = f"{'case':<20} {'engine ms':>9} {'torch ms':>9} {'eng/torch':>9} {'target':>7}"
    print(header + ("  same bits" if args.check else ""))
    print("-" * len(header))
    for case in CASES:
        times, values = best_times(case, spaces, args.repeat)
        t_engine, t_torch = times["engine"], times.get("torch")
        row = f"{case:<20} {t_engine * 1e3:9.2f} "
        row += (
            f"{t_torch * 1e3:9.2f} {t_engine / t_torch:8.1f}x"
            if t_torch
            else f"{'n/a':>9} {'n/a':>9}"
        )
        row += f" {'<=' + format(TARGETS[case], '.0f') + 'x' if case in TARGETS else '':>7}"
        if args.check and "torch" in values:
            row += f"  {same_bits(values['engine'], values['torch'])}"
        print(row, flush=True)


if __name__ == "__main__":
    main()
