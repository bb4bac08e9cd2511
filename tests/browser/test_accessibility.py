"""axe-core (vendored in static/vendor/axe-core) finds no serious or critical WCAG 2 A/AA violation on
the page, in both themes, normal and in classroom mode; every control is reachable by Tab with a visible
focus ring."""

import json
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

sys.path.insert(
    0, str(Path(__file__).resolve().parent)
)  # sibling helpers, however pytest imports us
from browser_harness import GradtracePage  # noqa: E402

AUDIT = """async () => (await axe.run(document,
    { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] } }))
  .violations.filter((v) => ["serious", "critical"].includes(v.impact))
  .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")) }))"""


def audit(app: GradtracePage) -> list:
    # a file of the app's own origin: the page's CSP allows it, no inline script needed
    app.page.add_script_tag(url=app.base_url + "/static/vendor/axe-core/axe.min.js")
    return app.page.evaluate(AUDIT)


@pytest.mark.parametrize("present", [False, True], ids=["page", "classroom"])
@pytest.mark.parametrize("theme", ["light", "dark"])
def test_axe_finds_no_serious_violation(page, server_url, artifacts, theme, present):
    page.set_viewport_size(
        {"width": 1440, "height": 900} if not present else {"width": 1024, "height": 768}
    )
    page.emulate_media(color_scheme=theme)
    app = GradtracePage(page, server_url).open(
        "?example=02_neuron_sigmoid_loss" + ("&present=1" if present else "")
    )
    expect(page.locator("html")).to_have_attribute("data-theme", theme)
    app.press("End")
    violations = audit(app)
    name = f"axe-{theme}-{'classroom' if present else 'page'}"
    (artifacts / f"{name}.json").write_text(json.dumps(violations, indent=1))
    page.screenshot(path=str(artifacts / f"{name}.png"))
    assert violations == []


def test_every_control_is_reached_by_tab_with_a_visible_focus_ring(page, server_url):
    page.set_viewport_size({"width": 1440, "height": 900})
    GradtracePage(page, server_url).open("?example=15_training_loop_sgd")
    controls = page.evaluate("""() => [...document.querySelectorAll('button, select, input, summary, [tabindex="0"]')]
        .filter((e) => e.getClientRects().length && !e.disabled && !e.closest('[hidden]')).length""")
    page.locator("body").click(position={"x": 5, "y": 880})
    seen, unringed = set(), []
    for _ in range(controls + 40):
        if page.evaluate("() => Boolean(document.activeElement.closest('.cm-content'))"):
            page.keyboard.press(
                "Escape"
            )  # CodeMirror's Tab indents; Esc first lets Tab move on (its documented escape)
        page.keyboard.press("Tab")
        info = page.evaluate("""() => { const e = document.activeElement; if (!e || e === document.body) return null;
            const s = getComputedStyle(e); const ring = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2;
            const box = e.closest('.cm-editor') ? true : ring || s.boxShadow !== 'none';
            const id = e.dataset.testid || e.id || e.dataset.jump || e.dataset.view || e.dataset.nodeId
              || e.textContent.trim().slice(0, 20);
            return { id, ring: box }; }""")
        if info is None:
            continue
        seen.add(info["id"])
        if not info["ring"]:
            unringed.append(info["id"])
    for required in (
        "play",
        "step-forward",
        "scrub",
        "speed",
        "follow",
        "fit",
        "iteration-chooser",
        "jump-backward",
        "next-iteration",
    ):
        assert required in seen, (required, seen)
    assert unringed == []
