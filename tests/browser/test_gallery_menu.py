"""The Examples menu in Chromium: picking an example opens it (program in the editor, graph drawn,
explanation beside the graph, example= in the URL); the menu closes on Escape and outside clicks."""

import sys
from pathlib import Path

from playwright.sync_api import expect

sys.path.insert(
    0, str(Path(__file__).resolve().parent)
)  # sibling helpers, however pytest imports us
from browser_harness import GradtracePage  # noqa: E402

from app.examples import all_examples  # noqa: E402

SLUG = "11_fan_out_accumulation"


def test_picking_an_example_opens_its_program_graph_and_explanation(page, server_url):
    app = GradtracePage(page, server_url).open()
    expect(page.get_by_test_id("explanation")).to_have_count(0)
    page.get_by_test_id("examples").click()
    menu = page.locator("[data-menu=examples]")
    expect(menu).to_have_attribute("open", "")
    expect(menu.locator("a[data-example]")).to_have_count(len(all_examples()))
    menu.locator(f"a[data-example='{SLUG}']").click()
    page.wait_for_url(f"**/?example={SLUG}*")
    app.wait_drawn(1)
    example = all_examples()[SLUG]
    assert page.evaluate("window.gradtrace.editor.code") == example.code
    explanation = page.get_by_test_id("explanation")
    expect(explanation).to_be_visible()
    expect(explanation.locator("summary")).to_have_text(example.title)
    expect(explanation).to_contain_text("x.grad = 7")
    assert {n["name"] for n in app.document["nodes"] if n["kind"] == "tensor"} >= {"x", "y"}
    page.get_by_test_id("examples").click()
    expect(menu.locator(f"a[data-example='{SLUG}']")).to_have_attribute("aria-current", "page")
    assert not app.errors


def test_the_examples_menu_closes_on_escape_and_on_a_click_elsewhere(page, server_url):
    app = GradtracePage(page, server_url).open()
    menu = page.locator("[data-menu=examples]")
    page.get_by_test_id("examples").click()
    expect(menu).to_have_attribute("open", "")
    app.press("Escape")
    expect(menu).not_to_have_attribute("open", "")
    expect(page.locator("html")).not_to_have_attribute("data-present", "true")
    page.get_by_test_id("examples").click()
    expect(menu).to_have_attribute("open", "")
    page.locator("#narration").click()
    expect(menu).not_to_have_attribute("open", "")
