"""What the page shows at step k is what the program held at step k (issue 14), in Chromium: the grad
after each kind of reset at every statement (real PyTorch is the oracle), names, narration, errors."""

import json
import re
import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

sys.path.insert(
    0, str(Path(__file__).resolve().parent)
)  # sibling helpers, however pytest imports us
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from browser_harness import GradtracePage  # noqa: E402

from tests.app.torch_statements import PROGRAMS, step_after_line, torch_states  # noqa: E402


@pytest.fixture
def app(page, server_url) -> GradtracePage:
    page.set_viewport_size({"width": 1440, "height": 900})
    return GradtracePage(page, server_url)


def shown(app: GradtracePage, field: str):
    text = app.field(field)
    return None if text == "None" else json.loads(text)


@pytest.mark.parametrize("name", PROGRAMS)
def test_grad_shown_after_each_reset_at_every_statement_is_pytorchs(app, artifacts, name):
    torch = pytest.importorskip("torch")  # noqa: F841 - the oracle
    code = PROGRAMS[name]
    app.open("?code=" + quote(code))
    doc = app.document
    w = app.variable("w")
    w.click()
    for line, held in torch_states(code):
        if "w" not in held:
            continue
        app.scrub_to(step_after_line(doc, line))
        data, grad = held["w"]
        assert shown(app, "data") == pytest.approx(data), f"w after line {line}"
        if grad is None:
            assert shown(app, "grad") is None, f"w.grad after line {line}"
            expect(w).not_to_have_class(re.compile(r"\bhas-grad\b"))
        else:
            assert shown(app, "grad") == pytest.approx(grad), f"w.grad after line {line}"
            expect(w.locator("text.row3")).to_have_text(re.compile(r"^grad "))
    app.page.screenshot(path=str(artifacts / f"true-state-{name}.png"))
    assert app.errors == []


def test_the_training_loop_example_ends_with_the_gradients_it_zeroed(app, artifacts):
    app.open("?example=15_training_loop_sgd")
    app.press("End")
    for leaf in ("w", "b"):
        app.variable(leaf).click()
        assert shown(app, "grad") == 0  # the program zeroed them: the lesson of the example
    # the zeroed gradient is w's, not an anonymous "tensor" box
    assert app.page.locator("g.tensor[data-name='tensor']").count() == 0
    expect(app.page.locator("g.tensor[data-name='w.grad']")).to_have_count(1)
    app.page.screenshot(path=str(artifacts / "true-state-gallery-15.png"))


def test_seed_08_labels_the_leaf_that_gets_the_gradient_W(app, artifacts):
    app.open("?example=08_linear_regression")
    app.press("End")
    leaf = app.tensor("W")
    expect(leaf).to_have_count(1)
    expect(leaf).to_have_class(re.compile(r"\bleaf\b.*\bhas-grad\b"))
    expect(app.tensor("W′")).to_have_count(1)  # W = W - lr * W.grad.data: the new tensor
    expect(app.page.locator("g.tensor text.row0", has_text="Variable")).to_have_count(0)
    app.page.screenshot(path=str(artifacts / "true-state-seed-08.png"))


def test_loop_made_tensors_are_named_with_their_iteration(app):
    app.open(
        "?code="
        + quote(
            "import torch\ny = torch.tensor(0.5, requires_grad=True)\nx = y\n"
            "for i in range(3):\n    x = torch.sin(x)\nx.backward()\n"
        )
    )
    rows = app.page.locator("g.tensor text.row0").all_text_contents()
    assert sorted(rows) == ["x₀", "x₁", "x₂", "y"]
    step = next(
        i
        for i, e in enumerate(app.document["timeline"], 1)
        if e["type"] == "create" and e["iteration"] == [1]
    )
    app.scrub_to(step)
    expect(app.page.get_by_test_id("narration")).to_have_text(
        re.compile(r"^line 5: x₁ = sin\(x₀\) = 0\.4613, grad_fn SinBackward0$")
    )


NARRATED = """import torch
x = torch.tensor(3.0, requires_grad=True)
b = torch.tensor(1.0, requires_grad=True)
out = x * x - b
out.backward()
(b * -3).backward()
"""


def test_narration_names_the_output_and_writes_each_grad_update_plainly(app):
    app.open("?code=" + quote(NARRATED))
    sentences = []
    for step in range(1, app.steps() + 1):
        app.scrub_to(step)
        sentences.append(app.page.get_by_test_id("narration").text_content())
    backward = [s for s in sentences if "backward" in s or "receives" in s or ".grad" in s]
    assert backward[0] == "line 5: out.backward() starts: dout/dout = 1"
    assert backward[1] == "SubBackward0 receives dout/dout = 1 and sends 1 to mul, -1 to b"
    assert "b.grad = -1 (was None)" in sentences
    assert (
        "x.grad = 6 (was None)" in sentences
    )  # x * x: both gradients reach x's AccumulateGrad summed
    assert "b.grad = -1 − 3 = -4" in sentences  # a second backward() adds a negative gradient
    text = "\n".join(sentences)
    assert "dL/" not in text and "None +" not in text and "+ -" not in text


def test_an_error_names_its_line_once(app):
    app.open(
        "?code="
        + quote("import torch\nx = torch.ones(2, requires_grad=True)\n(x * 2).backward()\n")
    )
    error = app.page.get_by_test_id("error")
    expect(error).to_have_text(
        "RuntimeError (line 3): grad can be implicitly created only for scalar outputs"
    )
    app.press("End")
    assert app.page.get_by_test_id("narration").text_content().count("line 3") == 1


def test_a_syntax_error_is_written_in_the_graph_pane(app, artifacts):
    app.open("?code=" + quote("import torch\nx = torch.tensor(1.0\ny = 2\n"))
    message = app.page.get_by_test_id("graph-message")
    expect(message).to_be_visible()
    expect(message).to_have_text("SyntaxError (line 2): '(' was never closed")
    app.page.screenshot(path=str(artifacts / "syntax-error-graph-pane.png"))


def test_the_graph_is_marked_stale_after_an_edit_until_run(app, artifacts):
    app.open("?example=01_neuron_linear")
    stale = app.page.get_by_test_id("graph-stale")
    expect(stale).to_be_hidden()
    app.page.locator("#editor .cm-content").click()
    app.page.keyboard.press("End")
    app.page.keyboard.type("  # edited")
    expect(stale).to_be_visible()
    expect(app.page.locator("#graph")).to_have_attribute("data-stale", "true")
    app.page.screenshot(path=str(artifacts / "stale-graph.png"))
    app.page.get_by_test_id("run").click()
    app.wait_drawn(2)
    expect(stale).to_be_hidden()


def test_keys_still_step_after_the_slider_and_the_speed_menu(app):
    app.open("?example=01_neuron_linear&present=1")
    app.page.get_by_test_id("scrub").click()
    app.page.keyboard.press(" ")
    expect(app.page.get_by_test_id("play")).to_have_attribute("aria-pressed", "true")
    app.page.keyboard.press(" ")
    expect(app.page.get_by_test_id("play")).to_have_attribute("aria-pressed", "false")
    app.page.get_by_test_id("speed").select_option("2")
    step = app.step()
    app.page.keyboard.press("ArrowLeft" if step else "ArrowRight")
    expect(app.page.get_by_test_id("step")).to_have_text(str(step - 1 if step else 1))
    assert app.page.get_by_test_id("speed").input_value() == "2"
    app.page.get_by_test_id("scrub").click()
    app.page.keyboard.press("Escape")
    expect(app.page.locator("html")).to_have_attribute("data-present", "false")
