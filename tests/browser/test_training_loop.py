"""The training-loop panel in Chromium: one curve point per iteration, values from the document,
choosing an iteration shows that iteration's graph, no panel without a loop."""

import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

sys.path.insert(
    0, str(Path(__file__).resolve().parent)
)  # sibling helpers, however pytest imports us
from browser_harness import ROOT, GradtracePage  # noqa: E402

LOOP = (ROOT / "examples" / "15_training_loop_sgd.py").read_text()


@pytest.fixture
def app(page, server_url) -> GradtracePage:
    return GradtracePage(page, server_url).open()


def graph_node_count(app) -> int:
    return int(app.page.locator("#graph").get_attribute("data-nodes"))


def test_curve_has_one_point_per_iteration_with_the_documents_losses(app, artifacts):
    app.run(LOOP)
    iterations = app.document["training_loop"]["iterations"]
    points = app.page.locator("#curve .curve-point")
    expect(app.page.get_by_test_id("curve")).to_be_visible()
    expect(points).to_have_count(len(iterations))
    for k, record in enumerate(iterations):
        assert int(points.nth(k).get_attribute("data-iteration")) == record["index"]
        assert float(points.nth(k).get_attribute("data-loss")) == pytest.approx(record["loss"])
    expect(app.page.locator("#curve .curve-key[data-series=loss]")).to_have_count(1)
    app.page.get_by_test_id("curve").screenshot(path=str(artifacts / "training_loop_curve.png"))
    assert app.errors == []


def test_clicking_a_point_shows_that_iterations_graph(app, artifacts):
    app.run(LOOP)
    doc = app.document
    last = doc["training_loop"]["iterations"][-1]["index"]
    expect(app.page.get_by_test_id("curve")).to_have_attribute(
        "data-current-iteration", str(last)
    )  # one iteration by default
    app.page.get_by_test_id("iteration").select_option("")  # all of them
    app.page.wait_for_function(
        "() => window.gradtrace.store.get().iteration === null && window.gradtrace.scene"
    )
    app.page.wait_for_timeout(500)
    everything = graph_node_count(app)
    expect(app.page.locator("#graph")).to_have_attribute(
        "data-grouping", "iteration"
    )  # all: one box per iteration
    record = doc["training_loop"]["iterations"][2]
    app.page.locator("#curve .curve-point[data-iteration='2']").click()
    expect(app.page.get_by_test_id("curve")).to_have_attribute("data-current-iteration", "2")
    expect(app.page.get_by_test_id("iteration")).to_have_value("2")
    app.wait_drawn()
    app.page.wait_for_function(
        "() => window.gradtrace.scene && window.gradtrace.store.get().iteration === 2"
    )
    drawn = set(app.page.evaluate("window.gradtrace.scene.nodes.map(n => n.ref ?? n.id)"))
    nodes = {n["id"]: n for n in doc["nodes"]}
    in_loop = {i for r in doc["training_loop"]["iterations"] for i in r["nodes"]}
    tensors_of_iteration = {i for i in record["nodes"] if nodes[i]["kind"] == "tensor"}
    assert tensors_of_iteration <= drawn
    grads = {
        i for i, n in nodes.items() if n.get("grad_of")
    }  # w.grad: the leaf's gradient, in every iteration
    assert not (
        drawn & (in_loop - set(record["nodes"]) - grads)
    )  # nothing else from other iterations
    expect(app.page.locator("#graph")).to_have_attribute(
        "data-grouping", ""
    )  # one: every node of it
    # the timeline stands at the end of the chosen iteration
    assert app.step() == record["last_step"] + 1
    app.page.screenshot(path=str(artifacts / "training_loop_iteration_2.png"))
    # back to all iterations
    app.page.get_by_test_id("iteration").select_option("")
    expect(app.page.get_by_test_id("curve")).to_have_attribute("data-current-iteration", "")
    app.page.wait_for_function(
        f"() => Number(document.querySelector('#graph').dataset.nodes) === {everything}"
    )
    assert app.errors == []


def test_choosing_iterations_with_the_select_changes_the_graph(app):
    app.run(LOOP)
    doc = app.document
    shown = {}
    for index in (0, 3):
        app.page.get_by_test_id("iteration").select_option(str(index))
        app.page.wait_for_function(
            f"() => window.gradtrace.store.get().iteration === {index} && window.gradtrace.scene"
        )
        app.page.wait_for_function(
            "ids => ids.every(id => window.gradtrace.scene.nodes.some(n => (n.ref ?? n.id) === id))",
            arg=[
                i
                for i in doc["training_loop"]["iterations"][index]["nodes"]
                if next(n for n in doc["nodes"] if n["id"] == i)["kind"] == "tensor"
            ],
        )
        shown[index] = set(
            app.page.evaluate("window.gradtrace.scene.nodes.map(n => n.ref ?? n.id)")
        )
    assert shown[0] != shown[3]


def test_a_program_without_a_loop_shows_no_curve(app):
    app.run("import torch\nx = torch.tensor(2., requires_grad=True)\ny = x * x\ny.backward()\n")
    assert app.document["training_loop"] is None
    expect(app.page.get_by_test_id("curve")).to_be_hidden()
    expect(app.page.locator("#curve .curve-point")).to_have_count(0)
