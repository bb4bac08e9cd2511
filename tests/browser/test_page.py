"""The gradtrace page in Chromium: seed examples, inspector grads vs PyTorch, stepping, views, errors, keys."""

import json
import math
import re
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

sys.path.insert(
    0, str(Path(__file__).resolve().parent)
)  # sibling helpers, however pytest imports us
from browser_harness import ROOT, GradtracePage  # noqa: E402

SEEDS = ROOT / "examples" / "seeds"  # verbatim copies of ../shared/seed-examples
FIXTURE = ROOT / "tests" / "engine" / "fixtures" / "torch_conformance.json"
SEED_FILES = sorted(SEEDS.glob("[0-9][0-9]_*.py"))


def torch_seed(path: Path) -> dict:
    if not FIXTURE.exists():
        pytest.skip(f"{FIXTURE.name} not generated yet")
    programs = json.loads(FIXTURE.read_text())["programs"]
    key = "seed_" + path.stem
    if key not in programs:
        pytest.skip(f"{key} not in {FIXTURE.name}")
    return programs[key]


def parse_value(text: str):
    """The inspector's text back to Python: 30, [1, 4], [[..]], None, nan/inf."""
    if text == "None":
        return None
    return json.loads(
        text.replace("-inf", "-Infinity").replace("inf", "Infinity").replace("nan", "NaN")
    )


def assert_close(actual, expected, rel=1e-5, abs_=1e-6):
    if expected is None or actual is None:
        assert actual == expected
    elif isinstance(expected, list):
        assert isinstance(actual, list) and len(actual) == len(expected)
        for a, e in zip(actual, expected):
            assert_close(a, e, rel, abs_)
    elif isinstance(expected, float) and math.isnan(expected):
        assert math.isnan(actual)
    else:
        assert actual == pytest.approx(expected, rel=rel, abs=abs_)


@pytest.fixture
def app(page, server_url) -> GradtracePage:
    page.set_viewport_size({"width": 1500, "height": 900})
    return GradtracePage(page, server_url).open()


def test_page_loads_without_console_errors(app):
    expect(app.page.get_by_test_id("run")).to_be_visible()
    expect(app.page.locator("#editor .cm-content")).to_contain_text("import torch")
    assert app.steps() > 0
    assert app.errors == []


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.stem)
def test_seed_example_draws_its_named_tensors(app, seed, artifacts):
    expected = torch_seed(seed)
    app.run(seed.read_text())
    for name in expected["tensors"]:
        expect(app.variable(name)).to_have_count(1)
        expect(app.variable(name)).to_have_attribute(
            "data-name", re.compile(f"^{re.escape(name)}′*$")
        )
    app.press("End")
    app.page.screenshot(path=str(artifacts / f"{seed.stem}.png"))
    assert app.errors == []


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.stem)
def test_leaf_grads_at_the_end_equal_pytorch(app, seed):
    expected = torch_seed(seed)
    code = seed.read_text()
    app.run(code)
    app.press("End")
    nodes = {n["id"]: n for n in app.document["nodes"]}
    document_grads = {
        name: nodes[node_id]["grad"] for name, node_id in app.document["variables"].items()
    }
    for name, tensor in expected["tensors"].items():
        if not tensor["is_leaf"]:
            continue
        app.select_variable(name)
        # randn: gradtrace need not reproduce PyTorch's random stream, so compare with its own document.
        want = document_grads[name] if "randn" in code else tensor["grad"]
        assert_close(parse_value(app.field("grad")), want)
        assert app.field("is_leaf") == "True"
        assert app.field("requires_grad") == str(tensor["requires_grad"])


def test_scrubbing_back_restores_earlier_values(app):
    app.run((SEEDS / "02_neuron_sigmoid_loss.py").read_text())
    timeline = app.document["timeline"]
    backward_start = next(e["step"] for e in timeline if e["type"] == "backward_start")
    first_update = next(e["step"] for e in timeline if e["type"] == "modify")
    app.press("End")
    app.select("W")
    assert_close(parse_value(app.field("data")), 0.8111424)
    assert_close(parse_value(app.field("grad")), -0.111423559486866)
    app.scrub_to(first_update)  # events before the in-place update: W still 0.8, grad set
    assert_close(parse_value(app.field("data")), 0.8)
    assert_close(parse_value(app.field("grad")), -0.111423559486866)
    app.scrub_to(backward_start)  # before backward(): no grad yet
    assert app.field("grad") == "None"
    app.scrub_to(0)  # before the program: W not created
    assert app.field("data") == "(not created yet)"
    expect(app.tensor("W")).to_have_class(re.compile(r"\bfuture\b"))
    app.scrub_to(app.steps())
    assert_close(parse_value(app.field("data")), 0.8111424)


def test_view_switch_shows_the_backward_graph_and_keeps_the_selection(app):
    app.run((SEEDS / "01_neuron_linear.py").read_text())
    app.select("W")
    app.show_view("backward")
    grad_fns = app.page.locator("[data-grad-fn]").evaluate_all(
        "els => els.map(e => e.dataset.gradFn).sort()"
    )
    assert grad_fns == ["AccumulateGrad", "AccumulateGrad", "AddBackward0", "MulBackward0"]
    expect(app.tensor("W")).to_have_class(re.compile(r"\bselected-node\b"))
    expect(app.page.locator("#inspector-body h2")).to_have_text("W")
    assert app.field("grad") == "30"
    app.show_view("forward")
    expect(app.tensor("W")).to_have_class(re.compile(r"\bselected-node\b"))
    expect(app.tensor("x")).to_have_count(1)


def test_error_seed_shows_the_message_highlights_its_line_and_the_partial_graph(app):
    app.run((SEEDS / "05_scalar_output_required.py").read_text())
    expect(app.page.get_by_test_id("console")).to_contain_text(
        "RuntimeError (line 8): grad can be implicitly created only for scalar outputs"
    )
    error_line = app.page.locator("#editor .cm-error-line")
    expect(error_line).to_have_count(1)
    expect(error_line).to_have_text("z.backward()")
    expect(app.page.locator("#editor")).to_have_attribute("data-error-line", "8")
    for name in ("x", "y", "z"):
        expect(app.tensor(name)).to_have_count(1)


def test_keyboard_controls_step_play_and_jump(app):
    app.run((SEEDS / "01_neuron_linear.py").read_text())
    total = app.steps()
    app.press("Home")
    expect(app.page.get_by_test_id("step")).to_have_text("0")
    app.press("ArrowRight")
    app.press("ArrowRight")
    expect(app.page.get_by_test_id("step")).to_have_text("2")
    app.press("ArrowLeft")
    expect(app.page.get_by_test_id("step")).to_have_text("1")
    app.press("End")
    expect(app.page.get_by_test_id("step")).to_have_text(str(total))
    app.press("Home")
    app.press(" ")
    expect(app.page.get_by_test_id("play")).to_have_attribute("aria-pressed", "true")
    expect(app.page.get_by_test_id("step")).not_to_have_text("0")
    app.press(" ")
    expect(app.page.get_by_test_id("play")).to_have_attribute("aria-pressed", "false")


def test_timeline_keys_are_left_to_the_editor_while_typing(app):
    app.run((SEEDS / "01_neuron_linear.py").read_text())
    app.press("Home")
    app.page.locator("#editor .cm-content").click()
    app.page.keyboard.press("End")
    app.page.keyboard.press("ArrowLeft")
    expect(app.page.get_by_test_id("step")).to_have_text("0")


def test_ctrl_enter_in_the_editor_runs_the_program(app):
    runs = app.page.evaluate("window.gradtrace.runs")
    app.page.locator("#editor .cm-content").click()
    app.page.keyboard.press("Control+Enter")
    app.wait_drawn(runs + 1)


def test_forward_step_highlights_the_program_line(app):
    app.run((SEEDS / "01_neuron_linear.py").read_text())
    app.press("Home")
    app.press("ArrowRight")  # x = torch.tensor(30.)
    expect(app.page.locator("#editor .cm-step-line")).to_have_text("x = torch.tensor(30.)")


SHARED_LEAF_TWO_CALLS = """import torch
x = torch.tensor(3.0, requires_grad=True)
y = x * x + x
y.backward()
z = 2 * x
z.backward()
print(x.grad)
"""


def test_a_leaf_used_twice_sums_its_gradients_and_backward_calls_accumulate(app):
    app.run(SHARED_LEAF_TWO_CALLS)
    timeline = app.document["timeline"]
    first_accumulate = next(
        e for e in timeline if e["type"] == "function" and e["name"] == "AccumulateGrad"
    )
    app.scrub_to(first_accumulate["step"] + 1)  # AccumulateGrad of the first backward() fires
    expect(app.page.locator("#graph-overlay .callout")).to_contain_text("1 + 3 + 3 = 7")
    first_end = next(e["step"] for e in timeline if e["type"] == "backward_end")
    app.scrub_to(first_end + 1)
    app.select("x")
    assert app.field("grad") == "7"
    app.press("End")  # the second backward() adds 2
    assert app.field("grad") == "9"
    expect(app.page.locator("#inspector-body .formula").last).to_contain_text("7+2=9")


def test_a_big_graph_is_collapsed_per_line_and_a_group_expands_on_click(app):
    loop = (
        "import torch\nx = torch.tensor([1.0, 2.0], requires_grad=True)\n"
        "w = torch.tensor([0.5, -0.3], requires_grad=True)\n"
        "h = x\nfor i in range(300):\n    h = torch.tanh(h * w + x)\nL = h.sum()\nL.backward()\n"
    )
    app.run(loop)
    group = app.page.locator("g.group[data-group='L6']")
    expect(group).to_have_count(1)
    assert len(app.document["nodes"]) > 1500
    expect(app.tensor("x")).to_have_count(1)
    group.click()
    chunk = app.page.locator("g.group[data-group='L6:0']")
    expect(chunk).to_contain_text("iterations 0–")
    chunk.click()
    expect(chunk).to_have_count(0)  # opened: its members are drawn instead
    assert app.page.locator("g.node.tensor").count() > 40
    app.page.locator("#collapse").click()
    expect(app.page.locator("g.group[data-group='L6']")).to_have_count(1)


def test_space_after_clicking_play_pauses_once(app):
    app.run((SEEDS / "01_neuron_linear.py").read_text())
    app.press("Home")
    play = app.page.get_by_test_id("play")
    play.click()
    expect(play).to_have_attribute("aria-pressed", "true")
    app.page.keyboard.press(" ")  # focus is still on the button
    expect(play).to_have_attribute("aria-pressed", "false")
    app.page.wait_for_timeout(300)
    expect(play).to_have_attribute("aria-pressed", "false")


def test_a_syntax_error_shows_its_message_and_line_with_an_empty_graph(app):
    app.run("import torch\nx = torch.tensor(1.0\ny = 2\n")
    expect(app.page.get_by_test_id("console")).to_contain_text("SyntaxError")
    expect(app.page.locator("#editor .cm-error-line")).to_have_count(1)
    assert app.errors == []


def test_modules_are_served_as_javascript_and_the_page_has_no_inline_script(server_url):
    import urllib.request

    for path in (
        "/static/js/main.js",
        "/static/js/layout-worker.js",
        "/static/vendor/graphviz/graphviz.js",
    ):
        with urllib.request.urlopen(server_url + path) as response:
            assert response.headers["content-type"].startswith("text/javascript")
    html = urllib.request.urlopen(server_url + "/").read().decode()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert not re.search(r"<[^>]+\son[a-z]+=", html)  # no inline event handlers either


def test_example_and_code_links_fill_the_editor(app, server_url):
    app.page.goto(server_url + "/?code=" + "import%20torch%0Aq%20%3D%20torch.tensor(2.0)%0A")
    app.wait_drawn(1)
    expect(app.tensor("q")).to_have_count(1)
    app.page.goto(server_url + "/?example=01_neuron_linear")
    app.wait_drawn(1)
    expect(app.tensor("W")).to_have_count(1)


@pytest.mark.parametrize("name", ["02_neuron_sigmoid_loss.py", "07_variable_mean.py"])
def test_typing_a_program_keeps_it_exactly(app, name):
    code = (SEEDS / name).read_text()
    app.page.locator("#editor .cm-content").click()
    app.page.keyboard.press("Control+a")
    app.page.keyboard.press("Delete")
    app.page.keyboard.insert_text(code)  # as pasted: Enter's auto-indent does not apply
    assert app.page.evaluate("window.gradtrace.editor.code") == code


def test_enter_keeps_the_indentation_and_indents_after_a_colon(app):
    app.page.locator("#editor .cm-content").click()
    app.page.keyboard.press("Control+a")
    app.page.keyboard.press("Delete")
    app.page.keyboard.type("for i in range(2):")
    app.page.keyboard.press("Enter")
    app.page.keyboard.type("y = i")
    app.page.keyboard.press("Enter")
    app.page.keyboard.type("z = y")
    assert (
        app.page.evaluate("window.gradtrace.editor.code")
        == "for i in range(2):\n    y = i\n    z = y"
    )


def test_long_lines_wrap_in_the_editor_and_tensor_printouts_do_not_wrap_in_the_console(app):
    long_line = "x = torch.tensor([" + ", ".join(f"{i}.5" for i in range(40)) + "])"
    app.run("import torch\n" + long_line + "\nprint(torch.ones(3, 30))\n")
    editor = app.page.locator("#editor .cm-scroller")
    assert editor.evaluate("e => e.scrollWidth <= e.clientWidth + 1")  # wrapped, nothing cut
    console = app.page.get_by_test_id("console")
    app.press("End")
    assert console.evaluate(
        "e => e.scrollWidth > e.clientWidth"
    )  # one printed row per line: scrolls sideways
    output = console.locator("pre.output")
    assert output.evaluate(
        "e => e.offsetHeight < 6 * 1.5 * parseFloat(getComputedStyle(e).fontSize)"
    )  # 3 rows, not 9+


def test_view_and_step_from_the_url(app, server_url):
    app.page.goto(server_url + "/?example=01_neuron_linear&view=backward&step=0")
    app.wait_drawn(1)
    expect(app.page.locator("#graph")).to_have_attribute("data-view", "backward")
    expect(app.page.get_by_test_id("step")).to_have_text("0")
    expect(app.page.locator("[data-grad-fn='AccumulateGrad']")).to_have_count(2)
