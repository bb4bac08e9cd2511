"""Write tests/engine/fixtures/torch_conformance.json: what real PyTorch does with each conformance program.

Run with the pinned torch==2.13.0: `python tests/engine/make_torch_fixtures.py`.
test_conformance.py reads the file without torch and runs the same programs on engine.torch.

Random numbers follow gradtrace's specification, not PyTorch's generator: while a program runs,
torch.manual_seed/randn/rand/randint draw from `numpy.random.default_rng(seed)` (seed INITIAL_SEED
until the program calls manual_seed), so the fixtures hold what PyTorch computes from our values.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import conformance_programs  # noqa: E402
import torch_harness  # noqa: E402

FIXTURE_PATH = Path(__file__).parent / "fixtures" / "torch_conformance.json"


def source_digest(source: str) -> str:
    """Ties a fixture entry to the program text it was made from."""
    return hashlib.sha256(source.encode()).hexdigest()[:16]


def _size(size) -> tuple:
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        return tuple(size[0])
    return tuple(size)


@contextlib.contextmanager
def numpy_random_stream(torch):
    """Patch torch's random factories to gradtrace's numpy stream; restore them afterwards."""
    state = {"rng": np.random.default_rng(torch_harness.INITIAL_SEED)}

    def finish(array, dtype=None, requires_grad=False, **_ignored):
        tensor = torch.from_numpy(np.ascontiguousarray(array))
        if dtype is not None:
            tensor = tensor.to(dtype)
        return tensor.requires_grad_(requires_grad)

    def manual_seed(seed):
        state["rng"] = np.random.default_rng(int(seed))
        return originals["manual_seed"](seed)

    def randn(*size, **kwargs):
        size = (kwargs.pop("size"),) if "size" in kwargs else size
        return finish(state["rng"].standard_normal(_size(size), dtype=np.float32), **kwargs)

    def rand(*size, **kwargs):
        size = (kwargs.pop("size"),) if "size" in kwargs else size
        return finish(state["rng"].random(_size(size), dtype=np.float32), **kwargs)

    def randint(*args, **kwargs):
        if "size" in kwargs:
            args = args + (kwargs.pop("size"),)
        low, high, size = (0, *args) if len(args) == 2 else args
        return finish(state["rng"].integers(low, high, _size((size,)), dtype=np.int64), **kwargs)

    patches = {"manual_seed": manual_seed, "randn": randn, "rand": rand, "randint": randint}
    originals = {name: getattr(torch, name) for name in patches}
    for name, fn in patches.items():
        setattr(torch, name, fn)
    try:
        yield
    finally:
        for name, fn in originals.items():
            setattr(torch, name, fn)


def run_in_torch(name: str, source: str) -> dict:
    """Run one program in real torch (fresh globals) and describe its output, error and tensors."""
    import torch

    namespace = torch_harness.fresh_globals()
    with numpy_random_stream(torch):
        result = torch_harness.run_program(source, name, namespace)
    result["tensors"] = torch_harness.describe_tensors(
        namespace, torch.Tensor,
        to_numpy=torch_harness.torch_to_numpy, grad_fn_name=torch_harness.torch_grad_fn_name)
    result["source_digest"] = source_digest(source)
    return result


def main() -> None:
    import torch

    if torch.__version__.split("+")[0] != "2.13.0":
        sys.exit(f"fixtures must come from torch==2.13.0, not {torch.__version__}")
    programs = {name: run_in_torch(name, source) for name, source in conformance_programs.PROGRAMS}
    FIXTURE_PATH.parent.mkdir(parents=True, exist_ok=True)
    document = {"torch_version": torch.__version__, "programs": programs}
    FIXTURE_PATH.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
    errors = sum(1 for p in programs.values() if p["error"])
    print(f"wrote {len(programs)} programs ({errors} end in an error) to {FIXTURE_PATH} with torch {torch.__version__}")


if __name__ == "__main__":
    main()
