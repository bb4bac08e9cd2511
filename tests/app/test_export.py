"""Export: DOT of both views, SVG/PNG drawn by Graphviz's `dot` (501 without it), JSON download."""

import re
import shutil
import subprocess
import xml.etree.ElementTree as ET

import graphviz
import pytest
from fastapi.testclient import TestClient

from app import export
from app.main import app

needs_dot = pytest.mark.skipif(
    shutil.which("dot") is None, reason="Graphviz 'dot' is not installed (apt-get install graphviz)"
)
SVG = "{http://www.w3.org/2000/svg}"
PROGRAM = """import torch
x = torch.tensor([1., 2.], requires_grad=True)
W = torch.randn(2, 2, requires_grad=True)
y = (W @ x).relu()
z = y.sum() + (x * x).sum()
z.backward()
"""
HOSTILE = [
    'a"]; evil [label="pwned',
    "<b>bold</b>",
    "\\N\\G\\l",
    "ends in \\",
    "two\nlines",
    "} digraph {",
    "graph",
    "λ₁ ünïcode",
]


@pytest.fixture(scope="module")
def client():
    return TestClient(app)


@pytest.fixture(scope="module")
def document(client):
    return client.post("/api/export/json", json={"code": PROGRAM}).json()


def ids(document, kind):
    return [n["id"] for n in document["nodes"] if n["kind"] == kind]


def svg_titles(svg: bytes) -> set[str]:
    """The node and edge titles of an SVG drawn by Graphviz (node titles are the DOT node ids)."""
    return {t.text for t in ET.fromstring(svg).iter(f"{SVG}title")}


def svg_texts(svg: bytes) -> list[str]:
    return [t.text for t in ET.fromstring(svg).iter(f"{SVG}text")]


def hostile_document(name: str) -> dict:
    """A leaf named `name` feeding a non-leaf, and a run error quoting it."""
    leaf = {
        "id": "t0",
        "kind": "tensor",
        "name": name,
        "label": name,
        "op": "tensor",
        "inputs": [],
        "shape": [1],
        "data": [1.0],
        "is_leaf": True,
        "requires_grad": True,
    }
    out = {
        "id": "t1",
        "kind": "tensor",
        "name": None,
        "label": name,
        "op": name,
        "inputs": ["t0"],
        "shape": [],
        "data": 2.0,
        "is_leaf": False,
        "requires_grad": True,
        "grad_fn_id": "f0",
    }
    functions = [
        {"id": "f0", "kind": "function", "name": name, "next_functions": ["f1"], "tensor": "t1"},
        {
            "id": "f1",
            "kind": "function",
            "name": "AccumulateGrad",
            "next_functions": [],
            "tensor": "t0",
        },
    ]
    edges = [
        {"source": "t0", "target": "t1", "kind": "forward"},
        {"source": "f0", "target": "f1", "kind": "next_function"},
    ]
    return {
        "nodes": [leaf, out, *functions],
        "edges": edges,
        "error": {"type": "RuntimeError", "message": name, "line": 3},
    }


def test_dot_is_a_graphviz_download(client):
    response = client.post("/api/export/dot", json={"code": PROGRAM, "view": "backward"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/vnd.graphviz")
    assert (
        response.headers["content-disposition"] == 'attachment; filename="gradtrace-backward.dot"'
    )
    assert response.text.startswith("digraph gradtrace_backward {")


def test_view_defaults_to_forward(client):
    response = client.post("/api/export/dot", json={"code": PROGRAM})
    assert response.text.startswith("digraph gradtrace_forward {")


def test_unknown_view_is_a_422(client):
    response = client.post("/api/export/dot", json={"code": PROGRAM, "view": "sideways"})
    assert response.status_code == 422
    assert "view" in response.json()["detail"]


def dot_graph(source: str) -> tuple[set[str], set[tuple[str, str]]]:
    """Node ids and edges of DOT written by export (one statement a line)."""
    nodes, edges = set(), set()
    for line in source.splitlines():
        edge = re.match(r'\s*"?([^"\s]+)"? -> "?([^"\s]+)"?', line)
        node = re.match(r'\s*"?([^"\s\[]+)"? \[label=', line)
        if edge:
            edges.add(edge.groups())
        elif node:
            nodes.add(node.group(1))
    return nodes, edges


@pytest.mark.parametrize("view", export.VIEWS)
def test_dot_is_the_graph_model_the_page_draws(document, view):
    nodes, edges = dot_graph(export.to_dot(document, view))
    model = document["graph"][view]
    assert nodes == {n["id"] for n in model["nodes"]}
    assert edges == {(e["source"], e["target"]) for e in model["edges"]}


def test_forward_dot_keeps_in_place_changes_connected(client):
    code = (
        "import torch\nW = torch.tensor([1., 2.], requires_grad=True)\n(W * W).sum().backward()\n"
        "with torch.no_grad():\n    W -= 0.1 * W.grad\n"
    )
    document = client.post("/api/run", json={"code": code}).json()
    _, edges = dot_graph(export.to_dot(document, "forward"))
    update = next(
        n
        for n in document["nodes"]
        if n["kind"] == "tensor" and n["op"] == "mul" and n["constants"] == [0.1]
    )
    assert (update["id"], document["variables"]["W"]) in edges


def test_forward_dot_tells_leaves_from_non_leaves_by_shape(document):
    graph = export.to_dot(document, "forward")
    lines = {line.split()[0]: line for line in graph.splitlines() if "[label=" in line}
    for node in document["nodes"]:
        if node["kind"] == "tensor":
            assert ("shape=box" if node["is_leaf"] else "shape=ellipse") in lines[node["id"]]


def test_forward_labels_show_name_op_shape_and_value(document):
    graph = export.to_dot(document, "forward")
    assert '"W\\n2×2 · float32\\n[' in graph
    assert '"z\\nscalar · float32\\n' in graph


def test_backward_dot_goes_from_output_through_grad_fns_to_leaves(document):
    graph = export.to_dot(document, "backward")
    z, x = document["variables"]["z"], document["variables"]["x"]
    z_fn = next(n["grad_fn_id"] for n in document["nodes"] if n["id"] == z)
    accumulate = next(
        n["id"]
        for n in document["nodes"]
        if n["kind"] == "function" and n["name"] == "AccumulateGrad" and n["tensor"] == x
    )
    assert f"{z} -> {z_fn}" in graph
    assert f"{accumulate} -> {x}" in graph
    assert '"x\\n2 · float32"' in graph


@needs_dot
@pytest.mark.parametrize("view, kind", [("forward", "tensor"), ("backward", "function")])
def test_dot_parses_and_draws_every_node(client, document, view, kind):
    dot = client.post("/api/export/dot", json={"code": PROGRAM, "view": view}).text
    drawn = svg_titles(graphviz.pipe("dot", "svg", dot.encode()))
    assert set(ids(document, kind)) <= drawn


@needs_dot
@pytest.mark.parametrize("view, kind", [("forward", "tensor"), ("backward", "function")])
def test_svg_is_xml_with_every_node(client, document, view, kind):
    response = client.post("/api/export/svg", json={"code": PROGRAM, "view": view})
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/svg+xml"
    assert set(ids(document, kind)) <= svg_titles(response.content)


@needs_dot
@pytest.mark.parametrize("view", export.VIEWS)
def test_png_has_the_png_magic_bytes(client, view):
    response = client.post("/api/export/png", json={"code": PROGRAM, "view": view})
    assert response.status_code == 200
    assert response.headers["content-type"] == "image/png"
    assert response.content[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("fmt", ["svg", "png"])
def test_images_answer_501_without_dot(client, monkeypatch, fmt):
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: None)
    response = client.post(f"/api/export/{fmt}", json={"code": PROGRAM})
    assert response.status_code == 501
    assert response.json() == {
        "detail": "Graphviz 'dot' is not installed on this server; install it "
        "(apt-get install graphviz) or export DOT instead"
    }


def test_dot_needs_no_dot_binary(client, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: None)
    assert client.post("/api/export/dot", json={"code": PROGRAM}).status_code == 200


def test_json_is_the_run_document_as_a_download(client):
    response = client.post("/api/export/json", json={"code": PROGRAM})
    assert response.headers["content-disposition"] == 'attachment; filename="gradtrace-run.json"'
    exported, ran = response.json(), client.post("/api/run", json={"code": PROGRAM}).json()
    assert exported.pop("seconds") >= 0 and ran.pop("seconds") >= 0
    assert exported == ran


def test_over_large_graph_is_refused_with_413(client, document, monkeypatch):
    monkeypatch.setattr(export, "MAX_DOT_NODES", 3)
    response = client.post("/api/export/dot", json={"code": PROGRAM})
    assert response.status_code == 413
    assert response.json()["detail"] == (
        f"the forward graph has {len(document['graph']['forward']['nodes'])} nodes; export is limited to 3 "
        "(make the program smaller, e.g. fewer loop iterations)"
    )


def test_render_over_its_time_is_refused_with_413(document, monkeypatch):
    def slow(*args, **kwargs):
        raise subprocess.TimeoutExpired("dot", export.RENDER_SECONDS)

    monkeypatch.setattr(shutil, "which", lambda name, *args, **kwargs: "/usr/bin/dot")
    monkeypatch.setattr(subprocess, "run", slow)
    with pytest.raises(export.ExportError) as raised:
        export.render(document, "forward", "svg")
    assert raised.value.status == 413


def test_program_error_is_written_above_the_graph(client):
    code = "import torch\nx = torch.ones(2)\nx.backward()\n"
    dot = client.post("/api/export/dot", json={"code": code}).text
    assert 'label="RuntimeError (line 3): ' in dot


@pytest.mark.parametrize("view", export.VIEWS)
@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_names_stay_inside_their_labels(name, view):
    document = hostile_document(name)
    dot = export.to_dot(document, view)
    assert "pwned" not in dot or '\\"pwned' in dot  # the quote that would end the label is escaped
    if shutil.which("dot") is None:
        return
    svg = graphviz.pipe("dot", "svg", dot.encode())
    nodes = [g for g in ET.fromstring(svg).iter(f"{SVG}g") if g.get("class") == "node"]
    assert len(nodes) == (3 if view == "forward" else 4)  # no node smuggled in, none lost
    shown = name.replace("\n", " ")
    assert any(shown in (text or "") for text in svg_texts(svg))  # drawn literally


def test_unicode_variable_names_export(client):
    code = "import torch\nλ = torch.ones(2, requires_grad=True)\nnode = (λ * 2).sum()\nnode.backward()\n"
    dot = client.post("/api/export/dot", json={"code": code, "view": "backward"}).text
    assert '"λ\\n2 · float32"' in dot and '"node\\nscalar · float32"' in dot


def test_over_large_request_body_is_refused_with_413(client):
    response = client.post("/api/export/svg", json={"code": "#" * 1_000_000})
    assert response.status_code == 413
