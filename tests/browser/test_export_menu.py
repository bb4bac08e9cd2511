"""The Export menu in Chromium: each item downloads a file whose content is checked against the run
document on the page (DOT of both views from the server, SVG/PNG of the drawing, the JSON document)."""

import json
import re
import shutil
import struct
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import quote

import graphviz
import pytest
from playwright.sync_api import expect

sys.path.insert(
    0, str(Path(__file__).resolve().parent)
)  # sibling helpers, however pytest imports us
from browser_harness import GradtracePage  # noqa: E402

PROGRAM = """import torch
x = torch.tensor([1., 2.], requires_grad=True)
W = torch.tensor([[0.5, -1.], [2., 3.]], requires_grad=True)
y = (W @ x).relu()
z = y.sum() + (x * x).sum()
z.backward()
"""
SVG = "{http://www.w3.org/2000/svg}"
needs_dot = pytest.mark.skipif(
    shutil.which("dot") is None, reason="Graphviz 'dot' is not installed (apt-get install graphviz)"
)


@pytest.fixture
def app(page, server_url) -> GradtracePage:
    page.set_viewport_size({"width": 1500, "height": 900})
    app = GradtracePage(page, server_url).open("?code=" + quote(PROGRAM))
    app.scrub_to(
        next(i for i, e in enumerate(app.document["timeline"], 1) if e["type"] == "function")
    )
    return app


def export(app: GradtracePage, item: str, tmp_path: Path) -> tuple[str, bytes]:
    """Open the Export menu, pick `item`, return the download's file name and bytes."""
    app.page.get_by_test_id("export").click()
    with app.page.expect_download() as download_info:
        app.page.locator(f"[data-export='{item}']").click()
    download = download_info.value
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    expect(app.page.locator("[data-menu=export]")).not_to_have_attribute("open", "")
    return download.suggested_filename, path.read_bytes()


def ids(doc: dict, kind: str) -> set[str]:
    return {n["id"] for n in doc["nodes"] if n["kind"] == kind}


def drawn_ids(app: GradtracePage) -> set[str]:
    return set(
        app.page.eval_on_selector_all(
            "#graph-svg [data-node-id]", "gs => gs.map(g => g.dataset.nodeId)"
        )
    )


@pytest.mark.parametrize("view, kind", [("forward", "tensor"), ("backward", "function")])
def test_dot_download_names_every_node_of_its_view(app, tmp_path, view, kind):
    name, content = export(app, f"dot-{view}", tmp_path)
    assert name == f"gradtrace-{view}.dot"
    dot = content.decode()
    assert dot.startswith(f"digraph gradtrace_{view} {{")
    for node_id in ids(app.document, kind):
        assert f"\t{node_id} [" in dot


@needs_dot
@pytest.mark.parametrize("view, kind", [("forward", "tensor"), ("backward", "function")])
def test_dot_download_is_drawn_by_graphviz(app, tmp_path, view, kind):
    _, content = export(app, f"dot-{view}", tmp_path)
    svg = ET.fromstring(graphviz.pipe("dot", "svg", content))
    titles = {t.text for t in svg.iter(f"{SVG}title")}
    assert ids(app.document, kind) <= titles


@pytest.mark.parametrize("view, kind", [("forward", "tensor"), ("backward", "function")])
def test_svg_download_is_the_drawing_on_screen_as_valid_xml(app, tmp_path, view, kind):
    app.show_view(view)
    step = app.step()
    name, content = export(app, "svg", tmp_path)
    assert name == f"gradtrace-{view}-step{step}.svg"
    root = ET.fromstring(content)  # well-formed XML, an SVG document
    assert root.tag == f"{SVG}svg"
    exported = {g.get("data-node-id") for g in root.iter(f"{SVG}g") if g.get("data-node-id")}
    assert exported == drawn_ids(app)
    assert ids(app.document, kind) <= exported
    drawing = next(g for g in root if g.get("class") == "graph")
    on_screen = app.page.eval_on_selector_all(
        "#graph-svg text", "ts => ts.map(t => t.textContent).filter(Boolean)"
    )
    assert [t.text for t in drawing.iter(f"{SVG}text") if t.text] == on_screen
    callout = app.page.eval_on_selector_all(
        "#graph-overlay .callout text", "ts => ts.map(t => t.textContent)"
    )
    assert callout and callout == [t.text for t in root.iter(f"{SVG}text")][-len(callout) :]
    # standalone: the styles travel inline (no page stylesheet outside the browser)
    shapes = [e for e in root.iter() if "shape" in (e.get("class") or "").split()]
    assert len(shapes) >= len(exported)
    assert all("fill:" in e.get("style", "") and "stroke:" in e.get("style", "") for e in shapes)


def test_svg_download_keeps_text_hidden_at_low_zoom(app, tmp_path):
    app.page.evaluate("gradtrace.graph.zoomBy(0.1)")
    expect(app.page.locator("#graph-svg")).to_have_attribute("data-lod", "low")
    _, content = export(app, "svg", tmp_path)
    styles = [t.get("style", "") for t in ET.fromstring(content).iter(f"{SVG}text")]
    assert styles and not any("display:none" in s.replace(" ", "") for s in styles)
    expect(app.page.locator("#graph-svg")).to_have_attribute("data-lod", "low")


def test_png_download_is_a_png_of_the_drawing(app, tmp_path):
    name, content = export(app, "png", tmp_path)
    assert name.endswith(".png")
    assert content[:8] == b"\x89PNG\r\n\x1a\n"
    assert content[12:16] == b"IHDR"
    width, height = struct.unpack(">II", content[16:24])
    svg_width = app.page.evaluate(
        "Number(document.querySelector('#graph-svg').getAttribute('width'))"
    )
    assert width >= 2 * svg_width  # drawn at twice the size, for a projector
    assert height > 0


def test_json_download_is_the_run_document_on_the_page(app, tmp_path):
    name, content = export(app, "json", tmp_path)
    assert name == "gradtrace-run.json"
    downloaded = json.loads(content)
    assert downloaded == app.document
    assert len(downloaded["nodes"]) == len(app.document["nodes"]) > 0
    assert downloaded["code"] == PROGRAM


def test_export_works_in_classroom_mode(app, tmp_path):
    app.page.locator("[data-action=present]").click()
    expect(app.page.locator("#graph")).to_have_attribute("data-rankdir", "LR")
    name, content = export(app, "svg", tmp_path)
    assert ids(app.document, "tensor") <= {
        g.get("data-node-id") for g in ET.fromstring(content).iter(f"{SVG}g")
    }
    assert app.errors == []


def test_escape_closes_the_export_menu_first(app):
    app.page.locator("[data-action=present]").click()
    app.page.get_by_test_id("export").click()
    expect(app.page.locator("[data-menu=export]")).to_have_attribute("open", "")
    app.press("Escape")
    expect(app.page.locator("[data-menu=export]")).not_to_have_attribute("open", "")
    expect(app.page.locator("html")).to_have_attribute("data-present", "true")
    app.press("Escape")
    expect(app.page.locator("html")).to_have_attribute("data-present", "false")


def test_png_of_a_long_chain_stays_within_canvas_limits(page, server_url, tmp_path):
    chain = (
        "import torch\nx = torch.tensor(1.0, requires_grad=True)\ny = x\n"
        "for i in range(150):\n    y = y * 1.01\ny.backward()\n"
    )
    page.set_viewport_size({"width": 1200, "height": 800})
    app = GradtracePage(page, server_url).open("?code=" + quote(chain))
    # every node drawn, not the legible groups the page starts with: a drawing taller than a canvas
    app.page.evaluate("window.gradtrace.relayout({ fit: true, levels: [null] })")
    app.page.wait_for_function("() => document.querySelectorAll('#graph-svg .node').length > 300")
    svg_width, svg_height = app.page.evaluate(
        "['width', 'height'].map(a => Number(document.querySelector('#graph-svg').getAttribute(a)))"
    )
    assert svg_height > 16384 / 2  # tall enough that twice its size would be too big for a canvas
    _, content = export(app, "png", tmp_path)
    assert content[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", content[16:24])
    assert height == 16384
    margin = 2 * 16  # export.js MARGIN on each side
    assert width / height == pytest.approx(
        (svg_width + margin) / (svg_height + margin), rel=0.02
    )  # scaled, not cropped


IN_PLACE = """import torch
W = torch.tensor([1., -2.], requires_grad=True)
x = torch.tensor([3., 4.])
loss = (W * x).sum()
loss.backward()
with torch.no_grad():
    W -= 0.1 * W.grad
"""


def dot_graph(source: str) -> tuple[set[str], set[tuple[str, str]]]:
    """Node ids and edges of exported DOT (one statement a line)."""
    nodes, edges = set(), set()
    for line in source.splitlines():
        edge = re.match(r'\s*"?([^"\s]+)"? -> "?([^"\s]+)"?', line)
        node = re.match(r'\s*"?([^"\s\[]+)"? \[label=', line)
        if edge:
            edges.add(edge.groups())
        elif node:
            nodes.add(node.group(1))
    return nodes, edges


@pytest.mark.parametrize("program", [PROGRAM, IN_PLACE], ids=["mlp", "in_place_update"])
@pytest.mark.parametrize("view", ["forward", "backward"])
def test_exported_dot_is_the_graph_on_the_page(page, server_url, tmp_path, program, view):
    page.set_viewport_size({"width": 1500, "height": 900})
    app = GradtracePage(page, server_url).open("?code=" + quote(program))
    app.show_view(view)
    _, content = export(app, f"dot-{view}", tmp_path)
    nodes, edges = dot_graph(content.decode())
    assert nodes == drawn_ids(app)
    drawn_edges = app.page.eval_on_selector_all(
        "#graph-svg g.edge", "gs => gs.map(g => [g.dataset.source, g.dataset.target])"
    )
    assert edges == {tuple(e) for e in drawn_edges}
    if program == IN_PLACE and view == "forward":  # W -= 0.1 * W.grad: the update is drawn into W
        w = app.document["variables"]["W"]
        assert any(target == w and source.startswith("t") for source, target in edges)
