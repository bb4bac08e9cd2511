"""Write tests/app/fixtures/gallery_torch.json: what real PyTorch does with each example in examples/.

Run with the pinned torch==2.13.0: `python tests/app/make_gallery_fixtures.py`.
test_gallery_examples.py reads the file without torch and runs the same examples on engine.torch.
Each example starts from the seed a gradtrace run starts from (see tests/engine/make_torch_fixtures.py).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXAMPLES_DIR = REPO / "examples"
FIXTURE_PATH = Path(__file__).parent / "fixtures" / "gallery_torch.json"

sys.path.insert(0, str(REPO / "tests" / "engine"))
import make_torch_fixtures  # noqa: E402  (the initial seed and run_in_torch)

source_digest = make_torch_fixtures.source_digest


def gallery_examples() -> dict[str, str]:
    """slug -> source of every examples/<NN>_<slug>.py, in gallery order."""
    return {
        path.stem: path.read_text(encoding="utf-8") for path in sorted(EXAMPLES_DIR.glob("*.py"))
    }


def run_in_torch(slug: str, source: str) -> dict:
    """One example in real torch: output (addresses normalized), error, named tensors, source digest."""
    return make_torch_fixtures.run_in_torch(slug, source)


def main() -> None:
    import torch

    examples = {slug: run_in_torch(slug, source) for slug, source in gallery_examples().items()}
    FIXTURE_PATH.parent.mkdir(parents=True, exist_ok=True)
    document = {"torch_version": torch.__version__, "examples": examples}
    FIXTURE_PATH.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n")
    errors = sorted(slug for slug, entry in examples.items() if entry["error"])
    print(
        f"wrote {len(examples)} examples (errors on purpose: {', '.join(errors)}) to {FIXTURE_PATH} "
        f"with torch {torch.__version__}"
    )


if __name__ == "__main__":
    main()
