"""PyTorch's warnings in the console: in program order with the printed output, styled apart from it."""

import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).resolve().parent))
from browser_harness import GradtracePage  # noqa: E402

PROGRAM = """import torch
x = torch.tensor([1.0, 2.0], requires_grad=True)
y = x * 3
print("before")
y.sum().backward()
print(y.grad)
print("after")
"""


@pytest.fixture
def app(page, server_url) -> GradtracePage:
    page.set_viewport_size({"width": 1500, "height": 900})
    return GradtracePage(page, server_url).open()


def test_non_leaf_grad_warning_shows_between_prints_and_apart_from_them(app, artifacts):
    app.run(PROGRAM)
    app.press("End")
    console = app.page.locator("#console")
    warning = console.get_by_test_id("warning")
    expect(warning).to_have_count(1)
    expect(warning).to_contain_text(
        "UserWarning: The .grad attribute of a Tensor that is not a leaf Tensor"
    )
    expect(warning).to_contain_text("(line 6)")
    blocks = console.locator("pre").all_text_contents()
    assert (
        blocks[0] == "before\n"
        and blocks[1].startswith("UserWarning")
        and blocks[2] == "None\nafter\n"
    )
    styles = [
        console.locator(f"pre.{kind}").first.evaluate("e => getComputedStyle(e).backgroundColor")
        for kind in ("output", "warning")
    ]
    assert styles[0] != styles[1]
    app.page.screenshot(path=str(artifacts / "console_warning.png"))
    assert app.errors == []


def test_warning_appears_only_once_its_step_is_reached(app):
    app.run(PROGRAM)
    app.press("Home")
    expect(app.page.locator("#console").get_by_test_id("warning")).to_have_count(0)
    app.press("End")
    expect(app.page.locator("#console").get_by_test_id("warning")).to_have_count(1)
