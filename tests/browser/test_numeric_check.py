"""The inspector's "Check numerically" button in Chromium: beside a leaf's .grad it shows the float64
finite-difference estimate from POST /api/gradcheck, equal to the backprop grad within tolerance."""

import json
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

sys.path.insert(
    0, str(Path(__file__).resolve().parent)
)  # sibling helpers, however pytest imports us
from browser_harness import ROOT, GradtracePage  # noqa: E402

SEEDS = ROOT / "examples" / "seeds"
BUTTON = "#inspector-body [data-action=gradcheck]"


@pytest.fixture
def app(page, server_url) -> GradtracePage:
    page.set_viewport_size({"width": 1500, "height": 900})
    return GradtracePage(page, server_url).open()


def inspector_grad(app) -> list | float:
    return json.loads(app.field("grad"))


def check_numerically(app) -> tuple:
    """Click the button; the estimate and the float64 backprop grad, once shown."""
    app.page.locator(BUTTON).click()
    numeric = app.page.locator("#inspector-body [data-numeric-grad]")
    expect(numeric).to_be_visible()
    backprop = app.page.locator("#inspector-body [data-backprop-grad]")
    return json.loads(numeric.get_attribute("data-numeric-grad")), json.loads(
        backprop.get_attribute("data-backprop-grad")
    )


@pytest.mark.parametrize(
    "seed, leaf",
    [("01_neuron_linear", "W"), ("04_external_gradient", "x"), ("07_variable_mean", "a")],
)
def test_estimate_beside_the_grad_equals_it(app, artifacts, seed, leaf):
    app.run((SEEDS / f"{seed}.py").read_text())
    app.select(leaf)
    expect(app.page.locator(BUTTON)).to_have_text("Check numerically")
    numeric, backprop = check_numerically(app)
    grad = inspector_grad(app)
    assert numeric == pytest.approx(grad, rel=1e-5, abs=1e-6)
    assert backprop == pytest.approx(grad, rel=1e-6)
    diff = app.page.locator("#inspector-body [data-gradcheck-diff]")
    assert diff.get_attribute("data-gradcheck-diff") == "true"
    expect(diff).to_contain_text("✓ agree")
    expect(app.page.locator(BUTTON)).to_have_text("Check again")
    app.page.screenshot(path=str(artifacts / f"numeric-check-{seed}.png"))
    assert app.errors == []


def test_button_shows_loading_until_the_server_answers(app):
    app.run((SEEDS / "02_neuron_sigmoid_loss.py").read_text())
    held = []
    app.page.route("**/api/gradcheck", lambda route: held.append(route))
    app.select("b")
    app.page.locator(BUTTON).click()
    expect(app.page.locator(BUTTON)).to_have_text("Checking…")
    expect(app.page.locator(BUTTON)).to_be_disabled()
    expect(app.page.locator("#inspector-body .gradcheck")).to_have_attribute(
        "data-state", "loading"
    )
    assert len(held) == 1
    held[0].continue_()
    expect(app.page.locator("#inspector-body .gradcheck")).to_have_attribute("data-state", "done")
    # before the backward() it checks, the result is not shown beside an earlier .grad (issue 14) ...
    app.press("Home")
    expect(app.page.locator("#inspector-body [data-numeric-grad]")).to_have_count(0)
    expect(app.page.locator("#inspector-body [data-gradcheck-later]")).to_contain_text(
        "b.grad at step"
    )
    # ... and it survives stepping: back at the end it is there again
    app.press("End")
    expect(app.page.locator("#inspector-body [data-numeric-grad]")).to_be_visible()


def test_server_refusal_is_shown_in_the_inspector(app, artifacts):
    app.run("import torch\nx = torch.zeros(5000, requires_grad=True)\nx.sum().backward()\n")
    app.select("x")
    app.page.locator(BUTTON).click()
    error = app.page.locator("#inspector-body [data-gradcheck-error]")
    expect(error).to_contain_text("5,000 elements")
    expect(app.page.locator(BUTTON)).to_be_enabled()
    app.page.screenshot(path=str(artifacts / "numeric-check-refused.png"))
    assert app.errors == [] or all("413" in e for e in app.errors)


def test_only_leaves_some_backward_reached_offer_the_check(app):
    app.run((SEEDS / "01_neuron_linear.py").read_text())
    for name in ("x", "z"):  # x does not require grad; z is not a leaf
        app.select(name)
        expect(app.page.locator(BUTTON)).to_have_count(0)
