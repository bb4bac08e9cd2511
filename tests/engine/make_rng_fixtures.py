"""Write tests/engine/fixtures/torch_rng.json: what real PyTorch's CPU generator gives for each case
of rng_cases.py, at each of its seeds.

Run with the pinned torch==2.13.0: `python tests/engine/make_rng_fixtures.py`.
test_random.py reads the file without torch and runs the same cases on engine.torch.
The numbers are those of x86 CPUs: randn/normal_ of 16+ float32 (or half) elements use PyTorch's AVX2
kernel there (AVX-512 machines too); ARM builds (Apple silicon) compute those with their libm and differ
in the last bits. Made on an AMD CPU with an MKL build of torch (MKL sampling is off in PyTorch's public
builds, pytorch#146174).
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import rng_cases  # noqa: E402

FIXTURE_PATH = Path(__file__).parent / "fixtures" / "torch_rng.json"


def source_digest(source: str) -> str:
    return hashlib.sha256(source.encode()).hexdigest()[:16]


def main() -> None:
    import torch
    import torch.nn.functional as F

    if torch.__version__.split("+")[0] != "2.13.0":
        sys.exit(f"fixtures must come from torch==2.13.0, not {torch.__version__}")
    state = torch.get_rng_state()
    cases = {}
    for name, (source, seeds) in rng_cases.cases().items():
        cases[name] = {
            "source_digest": source_digest(source),
            "seeds": {str(seed): rng_cases.run(source, seed, torch, F) for seed in seeds},
        }
    torch.set_rng_state(state)
    FIXTURE_PATH.parent.mkdir(parents=True, exist_ok=True)
    lines = ",\n".join(
        f"  {json.dumps(name)}: {json.dumps(case, separators=(',', ':'))}"
        for name, case in cases.items()
    )  # a case per line: readable diffs
    FIXTURE_PATH.write_text(
        f'{{"torch_version": {json.dumps(torch.__version__)}, "cases": {{\n{lines}\n}}}}\n'
    )
    runs = sum(len(c["seeds"]) for c in cases.values())
    print(
        f"wrote {len(cases)} cases ({runs} seeded runs) to {FIXTURE_PATH} with torch {torch.__version__}"
    )


if __name__ == "__main__":
    main()
