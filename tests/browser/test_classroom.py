"""Classroom mode in Chromium: ?present=1 and the button, graph-only layout, big type, keyboard
stepping with a narration sentence built from the run document, Esc, and the remembered dark theme."""

import sys
from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

sys.path.insert(
    0, str(Path(__file__).resolve().parent)
)  # sibling helpers, however pytest imports us
from browser_harness import GradtracePage  # noqa: E402

# The issue's example: MulBackward0 receives dL/dz = 1 and sends x to W and W to x.
PROGRAM = """import torch
W = torch.tensor(40.0, requires_grad=True)
x = torch.tensor(30.0, requires_grad=True)
z = W * x
L = z.sum()
L.backward()
"""
CLASSROOM_LINK = "?present=1&code=" + quote(PROGRAM)
VIEWPORT = {"width": 1500, "height": 900}


@pytest.fixture
def app(page, server_url) -> GradtracePage:
    page.set_viewport_size(VIEWPORT)
    return GradtracePage(page, server_url)


def number(value) -> str:
    """The page's text of a whole number (every value of PROGRAM is one)."""
    assert float(value).is_integer(), value
    return str(int(value))


def expected_narration(doc: dict, event: dict) -> str | None:
    """The sentence the page should show for `event`, from the document's labels and numbers."""
    nodes = {n["id"]: n for n in doc["nodes"]}
    label = lambda tensor_id: nodes[tensor_id]["label"]  # noqa: E731
    of_function = lambda function_id: label(nodes[function_id]["tensor"])  # noqa: E731
    if event["type"] == "function":
        start = next(
            e
            for e in doc["timeline"]
            if e["type"] == "backward_start" and e["call"] == event["call"]
        )
        loss, z = label(start["roots"][0]), of_function(event["function"])
        receives = f"{event['name']} receives d{loss}/d{z} = {number(event['grad_in'][0])}"
        if event["name"] == "AccumulateGrad":
            return f"{receives} and adds it to {z}.grad"
        sends = [
            f"{number(g['value'])} to {of_function(g['target'])}"
            for g in event["grad_out"]
            if g["target"]
        ]
        return f"{receives} and sends {', '.join(sends)}"
    if event["type"] == "accumulate":
        assert event["before"] is None
        return f"{label(event['tensor'])}.grad = {number(event['after'])} (was None)"
    if event["type"] == "create" and not event["inputs"]:
        rg = ", requires grad" if nodes[event["tensor"]]["requires_grad"] else ""
        return (
            f"line {event['line']}: {label(event['tensor'])} = {number(event['data'])} (leaf{rg})"
        )
    return None


def layout_boxes(page) -> dict:
    return page.evaluate("""() => Object.fromEntries(['.code-pane', '.graph-pane', '.inspector-pane', 'main.layout']
        .map(s => {
          const r = document.querySelector(s).getBoundingClientRect();
          return [s, {x: r.x, width: r.width}];
        }))""")


def font_px(page, selector: str) -> float:
    return page.evaluate(
        f"parseFloat(getComputedStyle(document.querySelector({selector!r})).fontSize)"
    )


def assert_classroom_layout(app: GradtracePage):
    page = app.page
    expect(page.locator("html")).to_have_attribute("data-present", "true")
    expect(page.locator("#editor")).to_be_hidden()
    expect(page.locator("#inspector-body")).to_be_hidden()
    boxes = layout_boxes(page)
    assert boxes[".code-pane"]["width"] == 0 and boxes[".inspector-pane"]["width"] == 0
    assert boxes[".graph-pane"]["width"] == pytest.approx(boxes["main.layout"]["width"], abs=1)
    assert boxes[".graph-pane"]["width"] >= VIEWPORT["width"] - 20


def test_present_in_the_url_collapses_the_editor_and_enlarges_the_type(app):
    app.open()
    normal = {
        s: font_px(app.page, s) for s in ("#narration", "[data-testid=run]", "[data-testid=step]")
    }
    normal_graph_width = layout_boxes(app.page)[".graph-pane"]["width"]
    app.open("?present=1")
    assert_classroom_layout(app)
    assert layout_boxes(app.page)[".graph-pane"]["width"] > 1.8 * normal_graph_width
    assert font_px(app.page, "#narration") >= 1.8 * normal["#narration"]
    assert font_px(app.page, "[data-testid=step]") > normal["[data-testid=step]"]
    assert font_px(app.page, "#to-start") > normal["[data-testid=run]"]
    expect(app.page.locator("[data-action=present]")).to_have_attribute("aria-pressed", "true")
    assert app.errors == []


def test_classroom_button_enters_and_escape_leaves(app):
    app.open()
    app.page.locator("[data-action=present]").click()
    assert_classroom_layout(app)
    app.press("Escape")
    expect(app.page.locator("html")).to_have_attribute("data-present", "false")
    expect(app.page.locator("#editor")).to_be_visible()
    expect(app.page.locator("[data-action=present]")).to_have_attribute("aria-pressed", "false")


def test_the_graph_is_laid_out_to_fill_the_pane_and_drawn_larger(app):
    app.open()
    graph = app.page.locator("#graph")
    label = app.page.locator(".node.tensor text.row0").first
    normal_height = label.bounding_box()["height"]
    app.page.locator("[data-action=present]").click()
    app.page.wait_for_function("() => window.gradtrace.graph.legiblePx === 16")
    app.page.wait_for_timeout(600)  # relaid out; the fit is applied on the next frame
    assert graph.get_attribute("data-rankdir") in (
        "TB",
        "LR",
    )  # whichever fills the wide pane better
    assert label.bounding_box()["height"] > 1.1 * normal_height
    box = app.page.locator("#graph-svg").bounding_box()
    assert box["x"] + box["width"] / 2 == pytest.approx(
        VIEWPORT["width"] / 2, abs=40
    )  # centred in the page
    app.press("Escape")
    expect(app.page.locator("html")).to_have_attribute("data-present", "false")


def test_keys_step_and_the_narration_tells_each_event_from_the_document(app):
    app.open(CLASSROOM_LINK)
    doc, narration, step = (
        app.document,
        app.page.get_by_test_id("narration"),
        app.page.get_by_test_id("step"),
    )
    app.press("Home")
    expect(step).to_have_text("0")
    checked = set()
    for i, event in enumerate(doc["timeline"], start=1):
        app.press("ArrowRight")
        expect(step).to_have_text(str(i))
        sentence = expected_narration(doc, event)
        if sentence is not None:
            expect(narration).to_have_text(sentence)
            checked.add(event.get("name", event["type"]))
        else:
            expect(narration).not_to_be_empty()
    assert {"MulBackward0", "SumBackward0", "AccumulateGrad", "accumulate", "create"} <= checked
    app.press("ArrowLeft")
    expect(step).to_have_text(str(len(doc["timeline"]) - 1))
    expect(narration).to_have_text(expected_narration(doc, doc["timeline"][-2]) or "")
    app.press("End")
    expect(step).to_have_text(str(len(doc["timeline"])))
    app.press("Home")
    expect(narration).to_have_text("Before the program runs: press → to step through it.")
    app.press(" ")
    expect(app.page.get_by_test_id("play")).to_have_attribute("aria-pressed", "true")
    expect(step).not_to_have_text("0")
    app.press(" ")
    expect(app.page.get_by_test_id("play")).to_have_attribute("aria-pressed", "false")


def test_narration_names_the_issue_example_sentence(app):
    app.open(CLASSROOM_LINK)
    mul = next(
        i for i, e in enumerate(app.document["timeline"], 1) if e.get("name") == "MulBackward0"
    )
    app.scrub_to(mul)
    expect(app.page.get_by_test_id("narration")).to_have_text(
        "MulBackward0 receives dL/dz = 1 and sends 30 to W, 40 to x"
    )


def relative_luminance(css_rgb: str) -> float:
    r, g, b = (
        int(v) / 255 for v in css_rgb[css_rgb.index("(") + 1 : css_rgb.index(")")].split(",")[:3]
    )
    lin = lambda c: c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4  # noqa: E731
    return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b)


def contrast(page, selector: str) -> float:
    """WCAG contrast of an element's text against the graph pane's background."""
    fg = page.evaluate(f"getComputedStyle(document.querySelector({selector!r})).color")
    bg = page.evaluate("getComputedStyle(document.querySelector('.graph-pane')).backgroundColor")
    hi, lo = sorted((relative_luminance(fg), relative_luminance(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_both_themes_are_high_contrast_in_classroom_mode(app, theme):
    app.open("?present=1")
    if app.page.locator("html").get_attribute("data-theme") != theme:
        app.page.locator("#theme").click()
    expect(app.page.locator("html")).to_have_attribute("data-theme", theme)
    background = relative_luminance(
        app.page.evaluate("getComputedStyle(document.querySelector('.graph-pane')).backgroundColor")
    )
    assert (background < 0.05) if theme == "dark" else (background > 0.9)
    assert contrast(app.page, ".node.tensor text.row0") >= 12
    assert contrast(app.page, "#narration") >= 4.5


def test_the_chosen_theme_is_remembered_and_not_put_in_the_url(app):
    app.open("?present=1")
    expect(app.page.locator("html")).to_have_attribute("data-theme", "light")
    app.page.locator("#theme").click()
    expect(app.page.locator("html")).to_have_attribute("data-theme", "dark")
    assert "theme" not in app.page.url
    app.open()
    expect(app.page.locator("html")).to_have_attribute("data-theme", "dark")
    app.page.locator("#theme").click()
    app.open()
    expect(app.page.locator("html")).to_have_attribute("data-theme", "light")


@pytest.mark.parametrize("value", ["0", "yes", "constructor", ""])
def test_other_present_values_leave_the_normal_page(app, value):
    app.open(f"?present={value}")
    expect(app.page.locator("html")).to_have_attribute("data-present", "false")
    expect(app.page.locator("#editor")).to_be_visible()


def test_at_the_end_the_narration_tells_the_programs_error(app):
    program = "import torch\nx = torch.ones(2, requires_grad=True)\ny = x * 2\ny.backward()\n"
    app.open("?present=1&code=" + quote(program))
    error = app.document["error"]
    assert error is not None  # backward of a non-scalar without a gradient
    app.press("End")
    expect(app.page.get_by_test_id("narration")).to_have_text(
        f"{error['type']} (line {error['line']}): {error['message'].splitlines()[0]}"
    )
    app.press("ArrowLeft")
    expect(app.page.get_by_test_id("narration")).not_to_contain_text(error["type"])
