"""Write tests/app/fixtures/training_loop_torch.json: the loss of every backward call in real PyTorch.

Run with the pinned torch==2.13.0: `python tests/app/make_training_loop_fixtures.py`.
For each gallery example with a top-level training loop, the value of each scalar tensor that
`.backward()` is called on, in call order; test_training_loop_document.py compares the document's per-iteration
`loss` with it (one backward per iteration in these examples).
"""

from __future__ import annotations

import json
from pathlib import Path

from make_gallery_fixtures import gallery_examples, make_torch_fixtures, source_digest

FIXTURE_PATH = Path(__file__).parent / "fixtures" / "training_loop_torch.json"
LOOP_EXAMPLES = ("15_training_loop_sgd", "20_logistic_regression", "33_nn_module_adam")


def losses_in_torch(slug: str, source: str) -> list[float]:
    import torch

    losses: list[float] = []
    backward = torch.Tensor.backward

    def recording_backward(self, *args, **kwargs):
        if self.numel() == 1:
            losses.append(self.item())
        return backward(self, *args, **kwargs)

    torch.Tensor.backward = recording_backward
    try:
        make_torch_fixtures.run_in_torch(slug, source)
    finally:
        torch.Tensor.backward = backward
    return losses


def main() -> None:
    import torch

    sources = gallery_examples()
    examples = {
        slug: {
            "losses": losses_in_torch(slug, sources[slug]),
            "source_digest": source_digest(sources[slug]),
        }
        for slug in LOOP_EXAMPLES
    }
    FIXTURE_PATH.write_text(
        json.dumps({"torch_version": torch.__version__, "examples": examples}, indent=1) + "\n"
    )
    print(f"wrote {len(examples)} examples to {FIXTURE_PATH} with torch {torch.__version__}")


if __name__ == "__main__":
    main()
