"""A run the server does not admit (429: queue full, or too many runs from one address) is shown
on the page with the server's reason and when to try again; the graph shown before stays."""

import json
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

sys.path.insert(
    0, str(Path(__file__).resolve().parent)
)  # sibling helpers, however pytest imports us
from browser_harness import GradtracePage  # noqa: E402

DETAIL = (
    "too many runs at once from your address: 2 are still running (GRADTRACE_RUNS_PER_CLIENT); "
    "wait for them to finish"
)


@pytest.fixture
def app(page, server_url) -> GradtracePage:
    page.set_viewport_size({"width": 1300, "height": 800})
    return GradtracePage(page, server_url).open()


def test_a_429_shows_the_reason_and_the_retry_delay(app, artifacts):
    app.run("import torch\nx = torch.ones(2, requires_grad=True)\nx.sum().backward()")
    app.page.route(
        "**/api/run",
        lambda route: route.fulfill(
            status=429,
            headers={"Retry-After": "3"},
            content_type="application/json",
            body=json.dumps({"detail": DETAIL}),
        ),
    )
    app.page.get_by_test_id("run").click()
    note = app.page.locator("#console .note")
    expect(note).to_have_text(f"Not run: {DETAIL} (try again in 3 s)")
    expect(app.page.locator("#graph")).to_have_attribute("data-state", "failed")
    app.page.screenshot(path=str(artifacts / "busy-server-429.png"))
    app.page.unroute("**/api/run")
    app.run("print(1)")  # the next admitted run draws as usual
