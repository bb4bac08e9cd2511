"""Write tests/engine/fixtures/torch_conformance.json: what real PyTorch does with each conformance program.

Run with the pinned torch==2.13.0: `python tests/engine/make_torch_fixtures.py`.
test_conformance.py reads the file without torch and runs the same programs on engine.torch.

Random numbers are PyTorch's own: each program starts from torch.manual_seed(INITIAL_SEED), the seed
a gradtrace run starts from (torch 2.13 seeds its default generator at random when imported).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import conformance_programs  # noqa: E402
import torch_harness  # noqa: E402

FIXTURE_PATH = Path(__file__).parent / "fixtures" / "torch_conformance.json"


def source_digest(source: str) -> str:
    """Ties a fixture entry to the program text it was made from."""
    return hashlib.sha256(source.encode()).hexdigest()[:16]


@contextlib.contextmanager
def initial_seed(torch):
    """Seed torch's default generator as a gradtrace run starts; restore its state afterwards."""
    state = torch.get_rng_state()
    torch.manual_seed(torch_harness.INITIAL_SEED)
    try:
        yield
    finally:
        torch.set_rng_state(state)


def run_in_torch(name: str, source: str) -> dict:
    """Run one program in real torch (fresh globals) and describe its output, error and tensors."""
    import torch

    namespace = torch_harness.fresh_globals()
    with initial_seed(torch):
        result = torch_harness.run_program(source, name, namespace)
    result["tensors"] = torch_harness.describe_tensors(
        namespace,
        torch.Tensor,
        to_numpy=torch_harness.torch_to_numpy,
        grad_fn_name=torch_harness.torch_grad_fn_name,
    )
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
    print(
        f"wrote {len(programs)} programs ({errors} end in an error) to {FIXTURE_PATH} with torch {torch.__version__}"
    )


if __name__ == "__main__":
    main()
