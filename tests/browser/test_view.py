"""The drawing at the size of a real lesson, in Chromium at 1440×900 and on a 1024×768 projector
(classroom mode): legible label sizes, no overlaps on any gallery example, groups for big graphs,
the camera keeping the current event in the pane, one training-loop iteration, the timeline's jumps."""

import json
import sys
from pathlib import Path

import pytest
from playwright.sync_api import expect

sys.path.insert(
    0, str(Path(__file__).resolve().parent)
)  # sibling helpers, however pytest imports us
from browser_harness import ROOT, GradtracePage  # noqa: E402

CHECKS = (Path(__file__).resolve().parent / "layout_checks.js").read_text()
GALLERY = sorted(
    p.stem
    for p in [
        *(ROOT / "examples").glob("[0-9][0-9]_*.py"),
        *(ROOT / "examples" / "seeds").glob("[0-9][0-9]_*.py"),
    ]
)
SMALL = ["01_neuron_linear", "10_chain_rule", "24_relu_diamond"]
MEDIUM = ["02_neuron_sigmoid_loss", "14_mlp_cross_entropy", "15_training_loop_sgd"]
SCREENS = {
    "desktop": ({"width": 1440, "height": 900}, "", 11),
    "classroom": ({"width": 1024, "height": 768}, "&present=1", 16),
}
SIN_LOOP = (
    "import torch\nx = torch.tensor(0.5, requires_grad=True)\ny = x\n"
    "for i in range(120):\n    y = torch.sin(y)\ny.backward()\n"
)


def checks(app: GradtracePage) -> dict:
    app.page.wait_for_function("() => !window.gradtrace.graph.camera")  # the camera has arrived
    return app.page.evaluate(CHECKS)


def open_example(app: GradtracePage, slug: str, extra: str = "") -> None:
    app.page.goto(f"{app.base_url}/?example={slug}{extra}")
    app.wait_drawn(1)
    app.press("End")


@pytest.mark.parametrize("screen", SCREENS)
def test_labels_are_drawn_at_a_legible_size_on_small_and_medium_examples(
    page, server_url, artifacts, screen
):
    viewport, extra, least_px = SCREENS[screen]
    page.set_viewport_size(viewport)
    app = GradtracePage(page, server_url)
    measured = {}
    for slug in SMALL + MEDIUM:
        open_example(app, slug, extra)
        result = checks(app)
        measured[slug] = {
            "min_px": round(result["minPx"], 1),
            "scale": round(result["scale"], 3),
            "nodes": result["nodes"],
            "grouping": page.locator("#graph").get_attribute("data-grouping"),
        }
        page.screenshot(path=str(artifacts / f"view-{screen}-{slug}.png"))
        assert result["texts"] > 0
        assert result["minPx"] >= least_px - 0.05, (slug, result)
    (artifacts / f"label-sizes-{screen}.json").write_text(json.dumps(measured, indent=1))
    assert app.errors == []


def test_no_overlaps_on_any_gallery_example_at_its_last_step(page, server_url, artifacts):
    page.set_viewport_size({"width": 1440, "height": 900})
    app = GradtracePage(page, server_url)
    counts = {}
    for slug in GALLERY:
        open_example(app, slug)
        result = checks(app)
        counts[slug] = {"overlaps": result["overlaps"], "overflowing": result["overflowing"]}
        if result["overlaps"] or result["overflowing"]:
            page.screenshot(path=str(artifacts / f"overlaps-{slug}.png"))
    (artifacts / "overlap-counts.json").write_text(json.dumps(counts, indent=1))
    bad = {slug: c for slug, c in counts.items() if c["overlaps"] or c["overflowing"]}
    assert bad == {}
    assert app.errors == []


def test_the_current_event_is_inside_the_pane_at_every_step_of_a_long_run(
    page, server_url, artifacts
):
    page.set_viewport_size({"width": 1024, "height": 768})
    app = GradtracePage(page, server_url).open()
    app.run(SIN_LOOP)
    page.locator("[data-action=present]").click()  # on the projector
    page.wait_for_function(
        "() => window.gradtrace.graph.legiblePx === 16 && window.gradtrace.scene"
    )
    page.wait_for_timeout(1500)  # the classroom layout is drawn
    total = app.steps()
    assert total > 240
    outside = page.evaluate(
        """async (checks) => {
      const g = window.gradtrace;
      const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      const check = eval(checks), bad = [];
      for (let s = 1; s <= g.store.get().doc.timeline.length; s++) {
        g.setStep(s);
        await frames();
        while (g.graph.camera) await frames();
        const r = check();
        // events about a node
        const about = !["backward_end", "print"].includes(g.store.get().doc.timeline[s - 1].type);
        if (r.currentOutside || (about && !r.currentCount)) bad.push([s, r.currentOutside, r.currentCount]);
      }
      return bad;
    }""",
        CHECKS,
    )
    page.screenshot(path=str(artifacts / "view-long-run-last-step.png"))
    assert outside == []


def test_the_follow_toggle_leaves_the_camera_where_the_learner_put_it(app_1440):
    app = app_1440
    app.run(SIN_LOOP)
    follow = app.page.get_by_test_id("follow")
    expect(follow).to_have_attribute("aria-pressed", "true")
    follow.click()
    expect(follow).to_have_attribute("aria-pressed", "false")
    assert "follow=0" in app.page.evaluate("window.gradtrace.linkQuery()")
    app.press("Home")
    before = app.page.evaluate("({...window.gradtrace.graph.view})")
    app.press("End")
    app.page.wait_for_timeout(200)
    assert app.page.evaluate("({...window.gradtrace.graph.view})") == before


@pytest.fixture
def app_1440(page, server_url) -> GradtracePage:
    page.set_viewport_size({"width": 1440, "height": 900})
    return GradtracePage(page, server_url).open()


def test_a_big_graph_is_shown_in_groups_that_open_and_keep_their_data_attributes(
    app_1440, artifacts
):
    app = app_1440
    app.run((ROOT / "examples" / "15_training_loop_sgd.py").read_text())
    app.page.get_by_test_id("iteration-chooser").select_option("all")
    expect(app.page.locator("#graph")).to_have_attribute("data-grouping", "iteration")
    groups = app.page.locator("g.node.group")
    expect(groups.first).to_be_visible()
    first = groups.first
    for attr in ("data-node-id", "data-name", "data-group", "data-iteration", "data-members"):
        assert first.get_attribute(attr), attr
    app.page.screenshot(path=str(artifacts / "view-groups-all-iterations.png"))
    key = first.get_attribute("data-group")
    first.focus()
    app.page.keyboard.press("Enter")  # keyboard opens a group as a click does
    expect(app.page.locator(f"g.node.group[data-group='{key}']")).to_have_count(0)


def test_a_training_loop_shows_one_iteration_and_keeps_it_in_the_link(app_1440):
    app = app_1440
    app.run((ROOT / "examples" / "15_training_loop_sgd.py").read_text())
    loop = app.document["training_loop"]
    last = loop["iterations"][-1]["index"]
    expect(app.page.get_by_test_id("iteration-chooser")).to_have_value(str(last))
    app.page.get_by_test_id("iteration-chooser").select_option("1")
    app.page.wait_for_function("() => window.gradtrace.store.get().iteration === 1")
    assert "iter=1" in app.page.evaluate("window.gradtrace.linkQuery()")
    app.press("PageDown")  # next iteration: the graph follows
    app.page.wait_for_function("() => window.gradtrace.store.get().iteration === 2")
    assert app.step() == loop["iterations"][2]["first_step"] + 1
    link = app.page.evaluate("window.gradtrace.linkQuery()")
    app.page.goto(f"{app.base_url}/?{link}&present=1")
    app.wait_drawn(1)
    expect(app.page.get_by_test_id("iteration-chooser")).to_be_visible()  # in classroom mode too
    expect(app.page.get_by_test_id("iteration-chooser")).to_have_value("2")


def test_jump_to_backward_and_by_line(app_1440):
    app = app_1440
    app.run((ROOT / "examples" / "seeds" / "02_neuron_sigmoid_loss.py").read_text())
    doc = app.document
    app.press("Home")
    app.press("b")
    start = next(i for i, e in enumerate(doc["timeline"], 1) if e["type"] == "backward_start")
    expect(app.page.get_by_test_id("step")).to_have_text(str(start))
    app.press("Home")
    app.press("Shift+ArrowRight")
    app.press("Shift+ArrowRight")
    step = app.step()
    lines = [e["line"] for e in doc["timeline"][:step]]
    assert len(set(lines)) == 2 and lines[-1] != lines[0]


def test_fast_playback_reaches_sixty_events_a_second(app_1440):
    app = app_1440
    app.run(SIN_LOOP)
    app.press("Home")
    app.page.get_by_test_id("speed").select_option("40")
    rate = app.page.evaluate("""async () => {
      const g = window.gradtrace; g.play();
      const t0 = performance.now(), s0 = g.store.get().step;
      await new Promise((r) => setTimeout(r, 2000));
      const rate = (g.store.get().step - s0) / ((performance.now() - t0) / 1000);
      g.pause(); return rate; }""")
    assert rate >= 45, rate  # 40× of 650 ms an event: ~61 events/s, frames batched when late


def test_api_docs_render_offline(page, server_url, artifacts):
    blocked = []
    page.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(server_url)
            else (blocked.append(route.request.url), route.abort())
        ),
    )
    page.goto(server_url + "/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("gradtrace")
    expect(page.locator(".opblock").first).to_be_visible()
    page.screenshot(path=str(artifacts / "api-docs.png"))
    assert blocked == []


@pytest.mark.parametrize("screen", SCREENS)
def test_the_callout_and_labels_overlap_nothing_at_any_step(page, server_url, artifacts, screen):
    viewport, extra, _ = SCREENS[screen]
    page.set_viewport_size(viewport)
    app = GradtracePage(page, server_url)
    bad = {}
    for slug in ("02_neuron_sigmoid_loss", "24_relu_diamond"):
        open_example(app, slug, extra)
        found = page.evaluate(
            """async (checks) => {
          const g = window.gradtrace, check = eval(checks);
          const frames = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
          const out = [];
          for (let s = 0; s <= g.store.get().doc.timeline.length; s++) {
            g.setStep(s);
            await frames();
            while (g.graph.camera) await frames();
            const r = check();
            if (r.overlaps.length || r.overflowing.length || r.currentOutside)
              out.push([s, r.overlaps, r.overflowing, r.currentOutside]);
          }
          return out;
        }""",
            CHECKS,
        )
        if found:
            bad[slug] = found
            app.page.evaluate(f"window.gradtrace.setStep({found[0][0]})")
            page.wait_for_timeout(500)
            page.screenshot(path=str(artifacts / f"overlaps-{screen}-{slug}-step{found[0][0]}.png"))
    assert bad == {}


def test_classroom_chrome_fits_a_1024_projector_and_a_phone(page, server_url, artifacts):
    page.set_viewport_size({"width": 1024, "height": 768})
    app = GradtracePage(page, server_url).open("?example=02_neuron_sigmoid_loss&present=1")
    boxes = page.evaluate("""() => Object.fromEntries(['.graph-toolbar', '.graph-pane',
        '[data-testid=export]', '.topbar', '[data-testid=copy-link]', '[data-testid=view-forward]',
        '#zoom-out'].map((s) => {
          const r = document.querySelector(s).getBoundingClientRect();
          return [s, { left: r.left, right: r.right, top: r.top, bottom: r.bottom, height: r.height,
                       width: r.width }]; }))""")
    assert boxes[".graph-toolbar"]["height"] < 64  # one row
    assert (
        boxes["[data-testid=export]"]["right"] <= boxes[".graph-pane"]["right"]
    )  # Export inside the pane
    assert (
        boxes["[data-testid=export]"]["right"] <= boxes[".topbar"]["left"] + 1
    )  # and clear of the header's buttons
    assert boxes["[data-testid=copy-link]"]["width"] > 0  # Copy link in classroom mode
    assert page.evaluate("document.documentElement.scrollWidth") <= 1024
    play = page.get_by_test_id("play")
    width = play.bounding_box()["width"]
    app.press(" ")
    expect(play).to_have_attribute("aria-pressed", "true")
    assert play.bounding_box()["width"] == pytest.approx(
        width, abs=0.5
    )  # Play and Pause: same width
    app.press(" ")
    page.screenshot(path=str(artifacts / "view-classroom-1024-chrome.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    app.open("?example=02_neuron_sigmoid_loss")
    assert (
        page.evaluate("document.documentElement.scrollWidth") <= 390
    )  # no sideways scroll on a phone
    page.screenshot(path=str(artifacts / "view-phone-390.png"), full_page=True)
