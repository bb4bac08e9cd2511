"""The document's training_loop: per-iteration losses match real PyTorch, printed scalars, bounds."""

import json
import math
from pathlib import Path

import pytest
from make_gallery_fixtures import source_digest

from app.document import build_document, dumps
from app.schemas import RunDocument
from app.training_loop import printed_scalars
from engine.runner import run_described

REPO = Path(__file__).resolve().parents[2]
FIXTURE = json.loads((Path(__file__).parent / "fixtures" / "training_loop_torch.json").read_text())


def document(code: str) -> dict:
    doc = build_document(run_described(code))
    RunDocument.model_validate(doc)
    return doc


@pytest.mark.parametrize("slug", sorted(FIXTURE["examples"]))
def test_gallery_loop_losses_match_torch(slug):
    source = (REPO / "examples" / f"{slug}.py").read_text()
    assert source_digest(source) == FIXTURE["examples"][slug]["source_digest"], (
        f"{slug} changed: rerun tests/app/make_training_loop_fixtures.py"
    )
    doc = document(source)
    losses = [i["loss"] for i in doc["training_loop"]["iterations"]]
    expected = FIXTURE["examples"][slug]["losses"]
    assert [i["index"] for i in doc["training_loop"]["iterations"]] == list(range(len(expected)))
    assert losses == pytest.approx(expected, rel=1e-5)


def test_printed_loss_is_a_series_and_the_step_counter_is_not():
    doc = document((REPO / "examples" / "15_training_loop_sgd.py").read_text())
    loop = doc["training_loop"]
    assert loop["series"] == ["loss"]
    for record in loop["iterations"]:
        assert record["scalars"]["loss"] == pytest.approx(record["loss"], abs=5e-5)


def test_iterations_cover_their_own_steps_and_nodes():
    doc = document((REPO / "examples" / "15_training_loop_sgd.py").read_text())
    nodes = {n["id"]: n for n in doc["nodes"]}
    iterations = doc["training_loop"]["iterations"]
    for before, after in zip(iterations, iterations[1:]):
        assert before["last_step"] < after["first_step"]
    for record in iterations:
        steps = doc["timeline"][record["first_step"] : record["last_step"] + 1]
        assert all(e["iteration"][0] == record["index"] for e in steps)
        tensors = [nodes[i] for i in record["nodes"] if nodes[i]["kind"] == "tensor"]
        assert tensors and all(t["iteration"][0] == record["index"] for t in tensors)
        assert any(nodes[i]["kind"] == "function" for i in record["nodes"])


def test_programs_without_a_loop_have_no_training_loop():
    seed = REPO / "examples" / "seeds" / "08_linear_regression.py"
    assert document(seed.read_text())["training_loop"] is None
    assert (
        document("import torch\nx = torch.ones(2, requires_grad=True)\n(x * 2).sum().backward()")[
            "training_loop"
        ]
        is None
    )


def test_a_loop_of_vector_backward_calls_is_not_a_training_loop():
    doc = document((REPO / "examples" / "18_jacobian_rows.py").read_text())
    assert doc["training_loop"] is None


def test_printed_scalars_take_the_word_before_each_number():
    assert printed_scalars("step 3: loss 0.25, acc=0.5\n") == {
        "step": 3.0,
        "loss": 0.25,
        "acc": 0.5,
    }
    assert printed_scalars("loss tensor(1.5000, grad_fn=<MseLossBackward0>)") == {"loss": 1.5}
    assert printed_scalars("loss nan")["loss"] != printed_scalars("loss nan")["loss"]  # nan


LONG_LOOP = """import torch
w = torch.tensor(0.0, requires_grad=True)
opt = torch.optim.SGD([w], lr=0.01)
for step in range(500):
    loss = (w - 3.0) ** 2
    opt.zero_grad()
    loss.backward()
    opt.step()
    print(f"loss {loss.item():.6f} w {w.item():.4f}")
"""


def test_a_500_step_loop_gives_every_iteration_and_a_bounded_document():
    doc = document(LONG_LOOP)
    loop = doc["training_loop"]
    assert doc["error"] is None and len(loop["iterations"]) == 500
    assert loop["series"] == ["loss", "w"]
    assert loop["iterations"][-1]["loss"] < loop["iterations"][0]["loss"]
    assert len(dumps(doc)) < 3_000_000


def test_a_loop_stopped_by_a_limit_keeps_the_iterations_so_far():
    doc = document(LONG_LOOP.replace("range(500)", "range(100000)"))
    assert doc["error"]["type"] == "LimitError"
    iterations = doc["training_loop"]["iterations"]
    assert len(iterations) > 10 and all(not math.isnan(i["loss"]) for i in iterations[:-1])
