"""Speed of engine.torch against real PyTorch (and a micrograd-style scalar Value) in one process.

    python bench/engine.py               # table of best-of-7 forward+backward times
    python bench/engine.py --clock cpu   # thread CPU time instead of wall time (busy machines)
    python bench/engine.py --profile     # plus a cProfile of the engine on each case

Each case is written once as `setup(torch, size)` + `step(torch, state)`, taking the namespace as an
argument, so the identical program runs on `engine.torch`, on real PyTorch (when importable, one
thread) and, for the scalar chain, on `Value` below. Only `step` (forward + backward) is timed.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import io
import math
import pstats
import sys
import time
import types
from pathlib import Path

import numpy as np

_HERE = Path(__file__).resolve().parent
if sys.path and Path(sys.path[0] or ".").resolve() == _HERE:
    # run as `python bench/engine.py`: this file would shadow the `engine` package
    sys.path[0] = str(_HERE.parent)


# ---- micrograd's engine.py design: data, grad, a _backward closure, topological sort ------------


class Value:
    """A scalar and its gradient (Karpathy's micrograd Value, the ops the bench needs)."""

    __slots__ = ("data", "grad", "_backward", "_prev", "_op")

    def __init__(self, data, _children=(), _op=""):
        self.data = data
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = set(_children)
        self._op = _op

    def __add__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    def __mul__(self, other):
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    __radd__ = __add__
    __rmul__ = __mul__

    def backward(self):
        topo, visited = [], set()

        def build_topo(v):
            if v not in visited:
                visited.add(v)
                for child in v._prev:
                    build_topo(child)
                topo.append(v)

        limit = sys.getrecursionlimit()  # micrograd recurses once per node of a 1,000-op chain
        sys.setrecursionlimit(max(limit, 10_000))
        try:
            build_topo(self)
        finally:
            sys.setrecursionlimit(limit)
        self.grad = 1.0
        for v in reversed(topo):
            v._backward()

    def item(self):
        return self.data


micrograd = types.SimpleNamespace(
    __name__="micrograd", tensor=lambda data, requires_grad=False: Value(float(data))
)


# ---- the cases: setup(torch, size) -> state; step(torch, state) -> results (forward + backward) ---


def _functional(torch):
    return importlib.import_module(torch.__name__ + ".nn.functional")


def scalar_chain_setup(torch, size=1000):
    """(a) `size` ops on 0-d tensors: y = y * w, y = y + b alternating, then backward."""
    return {
        "n": size,
        "params": [
            torch.tensor(0.5, requires_grad=True),
            torch.tensor(1.001, requires_grad=True),
            torch.tensor(0.001, requires_grad=True),
        ],
    }


def scalar_chain_step(torch, state):
    x, w, b = state["params"]
    y = x
    for _ in range(state["n"] // 2):
        y = y * w
        y = y + b
    y.backward()
    return [y.item()] + [p.grad for p in state["params"]]


def mlp_setup(torch, size=32, n_in=64, hidden=128, n_out=10):
    """(b) 2-layer MLP, batch `size`: relu, F.cross_entropy, backward."""
    rng = np.random.default_rng(0)

    def param(*shape):
        return torch.tensor(
            (rng.standard_normal(shape) / math.sqrt(shape[0])).astype(np.float32).tolist(),
            requires_grad=True,
        )

    return {
        "x": torch.tensor(rng.standard_normal((size, n_in)).astype(np.float32).tolist()),
        "y": torch.tensor(rng.integers(0, n_out, size).tolist()),
        "params": [param(n_in, hidden), param(1, hidden), param(hidden, n_out), param(1, n_out)],
    }


def mlp_step(torch, state):
    F = _functional(torch)
    w1, b1, w2, b2 = state["params"]
    h = F.relu(state["x"] @ w1 + b1)  # (B, hidden)
    logits = h @ w2 + b2  # (B, n_out)
    loss = F.cross_entropy(logits, state["y"])
    loss.backward()
    return [loss.item()] + [p.grad for p in state["params"]]


def broadcast_setup(torch, size=64, n_ops=500):
    """(c) `n_ops` elementwise ops on (size, size) tensors with (size, 1) / (1, size) operands."""
    rng = np.random.default_rng(1)

    def leaf(shape, scale, offset=0.0):
        data = (offset + scale * rng.standard_normal(shape)).astype(np.float32)
        return torch.tensor(data.tolist(), requires_grad=True)

    x = leaf((size, size), 0.01)
    r = leaf((size, 1), 0.01, 1.0)  # column operands near 1
    q = leaf((size, 1), 0.01, 1.0)
    c = leaf((1, size), 0.01)  # row operands near 0
    d = leaf((1, size), 0.01)
    return {"n_ops": n_ops, "params": [x, r, q, c, d]}


def broadcast_step(torch, state):
    x, r, q, c, d = state["params"]
    y = x
    for _ in range(state["n_ops"] // 5):
        y = y * r  # (S, S) * (S, 1)
        y = y + c  # (S, S) + (1, S)
        y = y / q  # (S, S) / (S, 1)
        y = y - d  # (S, S) - (1, S)
        y = y + x  # (S, S) + (S, S): x is used once per round
    loss = y.sum()
    loss.backward()
    return [loss.item()] + [p.grad for p in state["params"]]


def nn_mlp_setup(torch, size=32, n_in=64, hidden=128, n_out=10):
    """(d) one nn.Module training step, batch `size`: Sequential(Linear, ReLU, Linear), CrossEntropyLoss,
    Adam. The parameters start from the same numbers in every namespace."""
    nn = importlib.import_module(torch.__name__ + ".nn")
    rng = np.random.default_rng(2)
    model = nn.Sequential(nn.Linear(n_in, hidden), nn.ReLU(), nn.Linear(hidden, n_out))
    with torch.no_grad():
        for p in model.parameters():
            values = rng.uniform(-1, 1, tuple(p.shape)) / math.sqrt(n_in)
            p.copy_(torch.tensor(values.astype(np.float32).tolist()))
    return {
        "x": torch.tensor(rng.standard_normal((size, n_in)).astype(np.float32).tolist()),
        "y": torch.tensor(rng.integers(0, n_out, size).tolist()),
        "model": model,
        "loss_fn": nn.CrossEntropyLoss(),
        "optimizer": importlib.import_module(torch.__name__ + ".optim").Adam(
            model.parameters(), lr=1e-3
        ),
        "params": list(model.parameters()),
    }


def nn_mlp_step(torch, state):
    state["optimizer"].zero_grad()
    loss = state["loss_fn"](state["model"](state["x"]), state["y"])
    loss.backward()
    state["optimizer"].step()
    return (
        [loss.item()]
        + [p.grad for p in state["params"]]
        + [p.detach().clone() for p in state["params"]]
    )


CASES = {
    "scalar_chain": (scalar_chain_setup, scalar_chain_step, {"torch": 1.0, "micrograd": 2.0}),
    "mlp": (mlp_setup, mlp_step, {"torch": 1.5}),
    "broadcast": (broadcast_setup, broadcast_step, {"torch": 1.0}),
    "nn_mlp": (nn_mlp_setup, nn_mlp_step, {"torch": 1.5}),
}
TINY_SIZES = {"scalar_chain": 10, "mlp": 4, "broadcast": 3, "nn_mlp": 4}


# ---- running -------------------------------------------------------------------------------


def load_namespaces() -> dict:
    """{"engine": engine.torch, "torch": torch (if installed), "micrograd": Value shim}."""
    import engine.torch as engine_torch

    spaces = {"engine": engine_torch}
    try:
        import torch
    except ImportError:
        pass
    else:
        torch.set_num_threads(1)
        spaces["torch"] = torch
    spaces["micrograd"] = micrograd
    return spaces


def _reset_grads(state):
    for p in state["params"]:
        p.grad = 0.0 if isinstance(p, Value) else None


def run_once(case: str, torch, size=None) -> list:
    """Set up and run one case once; results as floats / float64 arrays, for comparisons."""
    setup, step, _ = CASES[case]
    state = setup(torch) if size is None else setup(torch, size)
    return [to_numpy(v) for v in step(torch, state)]


def to_numpy(value):
    if isinstance(value, (int, float)):
        return np.float64(value)
    if hasattr(value, "detach"):
        value = value.detach()
    return np.asarray(value.numpy(), dtype=np.float64)


CLOCKS = {
    "wall": time.perf_counter,
    "cpu": time.thread_time,
}  # cpu: this thread only (torch runs 1 thread)


def best_time(case: str, torch, repeat=7, warmup=1, clock="wall") -> float:
    """Best time of `step` in seconds on one namespace (see `best_times`)."""
    return best_times(case, {"only": torch}, repeat, warmup, clock)["only"]


def best_times(case: str, spaces: dict, repeat=7, warmup=1, clock="wall") -> dict:
    """{name: best time of `step` in seconds}, timeit-style (the minimum is the least disturbed
    run). Namespaces take turns every round, so load from other processes hits all alike;
    clock="cpu" counts only this thread's CPU time, steadier on a busy machine."""
    now = CLOCKS[clock]
    setup, step, _ = CASES[case]
    states = {name: setup(torch) for name, torch in spaces.items()}
    best = dict.fromkeys(spaces, math.inf)
    for i in range(warmup + repeat):
        for name, torch in spaces.items():
            state = states[name]
            _reset_grads(state)
            start = now()
            step(torch, state)
            elapsed = now() - start
            if i >= warmup:
                best[name] = min(best[name], elapsed)
    return best


def profile_case(case: str, torch, top=15) -> str:
    setup, step, _ = CASES[case]
    state = setup(torch)
    step(torch, state)
    _reset_grads(state)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(3):
        _reset_grads(state)
        step(torch, state)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument(
        "--clock",
        choices=sorted(CLOCKS),
        default="wall",
        help="wall (timeit's default) or cpu (thread CPU time, steadier under load)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="also cProfile the engine on each case"
    )
    args = parser.parse_args(argv)
    spaces = load_namespaces()

    def ms(seconds):
        return f"{seconds * 1e3:9.2f}" if seconds is not None else "      n/a"

    header = (
        f"{'case':<13} {'engine ms':>9} {'torch ms':>9} {'eng/torch':>9} {'target':>7}   "
        f"{'micrograd ms':>12} {'eng/micro':>9} {'target':>7}"
    )
    print(header)
    print("-" * len(header))
    for case, (_, _, targets) in CASES.items():
        names = ["engine"] + [
            name for name in ("torch", "micrograd") if name in spaces and name in targets
        ]
        times = best_times(
            case, {name: spaces[name] for name in names}, args.repeat, clock=args.clock
        )
        t_engine, t_torch = times["engine"], times.get("torch")
        row = f"{case:<13} {ms(t_engine)} {ms(t_torch)} "
        row += f"{t_engine / t_torch:8.2f}x" if t_torch else f"{'n/a':>9}"
        row += f" {'<=' + format(targets['torch'], '.1f') + 'x':>7}"
        if "micrograd" in times:
            t_micro = times["micrograd"]
            target = "<=" + format(targets["micrograd"], ".1f") + "x"
            row += f"   {ms(t_micro):>12} {t_engine / t_micro:8.2f}x {target:>7}"
        print(row, flush=True)
    if args.profile:
        for case in CASES:
            print(f"\n==== cProfile: engine, {case} (3 steps) ====")
            print(profile_case(case, spaces["engine"]))


if __name__ == "__main__":
    main()
