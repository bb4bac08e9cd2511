"""Run document -> Graphviz DOT (forward DAG, backward graph) and SVG/PNG rendered by `dot`.

Pure functions over the document dict of docs/DOCUMENT.md. DOT is built with the `graphviz`
package; every piece of text goes through `graphviz.escape`, so no name, label or id can end a
quoted string, start an HTML label or smuggle a Graphviz escape (`\\N`, `\\l`) into the picture.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import textwrap

import graphviz

from app.errors import RequestError

VIEWS = ("forward", "backward")
FORMATS = {"svg": "image/svg+xml", "png": "image/png"}
MAX_DOT_NODES = 5_000       # DOT text is cheap to build; beyond this nobody can read the picture
MAX_RENDER_NODES = 1_500    # `dot` layout grows faster than linearly with the graph
RENDER_SECONDS = 10.0
MAX_TEXT = 60               # characters of one label line
ERROR_LINES = 4             # lines of a run error shown above the picture
PREVIEW_ITEMS = 6           # numbers shown of a tensor's value

LEAF_STYLE = {"shape": "box", "style": "filled", "fillcolor": "lightblue"}
CONSTANT_STYLE = {"shape": "box", "style": "filled", "fillcolor": "whitesmoke"}  # leaf, no grad
NON_LEAF_STYLE = {"shape": "ellipse", "style": "filled", "fillcolor": "white"}
ROOT_STYLE = {"shape": "box", "style": "filled", "fillcolor": "darkolivegreen1"}
FUNCTION_STYLE = {"shape": "box", "style": "filled", "fillcolor": "lightgrey"}
ACCUMULATE_STYLE = {"shape": "box", "style": "filled", "fillcolor": "lightgrey", "color": "gray40"}
GRAPH_ATTR = {"rankdir": "TB", "fontname": "Helvetica", "fontsize": "12", "labelloc": "t"}
NODE_ATTR = {"fontname": "Helvetica", "fontsize": "11", "height": "0.2"}

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class ExportError(RequestError):
    """An export that cannot be made; `status` is the HTTP status the route answers with."""


def dot_not_installed() -> ExportError:
    return ExportError(501, "Graphviz 'dot' is not installed on this server; install it "
                            "(apt-get install graphviz) or export DOT instead")


# -- text -------------------------------------------------------------------------------------
def _clean(text) -> str:
    """One line of user-visible text: no control characters, at most MAX_TEXT characters."""
    text = _CONTROL.sub(" ", str(text))
    return text if len(text) <= MAX_TEXT else text[:MAX_TEXT - 1] + "…"


def _label(*lines) -> str:
    """A multi-line DOT label, every line taken literally."""
    return graphviz.nohtml("\\n".join(graphviz.escape(_clean(line)) for line in lines if line))


def _id(node_id) -> str:
    """A DOT node id from a document id (already safe for our ids; escaped for any other)."""
    return graphviz.escape(_CONTROL.sub(" ", str(node_id)))


def shape_text(shape) -> str:
    """PyTorch's way of writing a shape: (2, 3), (5,) and () for a scalar."""
    dims = [str(d) for d in shape or []]
    return f"({dims[0]},)" if len(dims) == 1 else f"({', '.join(dims)})"


def _number(x) -> str:
    if isinstance(x, bool):
        return str(x)
    if isinstance(x, float):
        return f"{x:.4g}"
    return str(x)


def _flatten(value, out: list, limit: int) -> None:
    if len(out) > limit:
        return
    if isinstance(value, list):
        for item in value:
            _flatten(item, out, limit)
    else:
        out.append(value)


def value_preview(node: dict) -> str:
    """A tensor's value in a few characters: `4.817`, `[1, 2, 3, …]`, or min/max when truncated."""
    if node.get("truncated"):
        stats = node.get("stats") or {}
        return f"min {_number(stats.get('min'))}  max {_number(stats.get('max'))}"
    data = node.get("data")
    if data is None:
        return ""
    if not isinstance(data, list):
        return _number(data)
    items: list = []
    _flatten(data, items, PREVIEW_ITEMS)
    shown = ", ".join(_number(x) for x in items[:PREVIEW_ITEMS])
    return f"[{shown}{', …' if len(items) > PREVIEW_ITEMS else ''}]"


# -- graphs -----------------------------------------------------------------------------------
def _nodes(document: dict, kind: str) -> list[dict]:
    return [n for n in document.get("nodes", []) if n.get("kind") == kind]


def _graph(document: dict, view: str) -> graphviz.Digraph:
    graph = graphviz.Digraph(name=f"gradtrace_{view}", graph_attr=GRAPH_ATTR, node_attr=NODE_ATTR)
    error = document.get("error")
    if error:
        where = f" (line {error['line']})" if error.get("line") else ""
        text = _CONTROL.sub(" ", f"{error.get('type', 'Error')}{where}: {error.get('message', '')}")
        graph.attr(label=_label(*textwrap.wrap(text, MAX_TEXT)[:ERROR_LINES]), fontcolor="firebrick")
    return graph


def _check_size(count: int, limit: int, what: str) -> None:
    if count > limit:
        raise ExportError(413, f"the {what} has {count:,} nodes; export is limited to {limit:,} "
                               "(make the program smaller, e.g. fewer loop iterations)")


def forward_graph(document: dict, max_nodes: int | None = None) -> graphviz.Digraph:
    """The forward DAG: one node per tensor (name or op, shape, value), edges input -> output."""
    tensors = _nodes(document, "tensor")
    _check_size(len(tensors), max_nodes or MAX_DOT_NODES, "forward graph")
    graph = _graph(document, "forward")
    for node in tensors:
        title = node.get("name") or node.get("op") or node.get("label") or "tensor"
        if node.get("name") and node.get("op") and not node.get("is_leaf"):
            title = f"{node['name']} = {node['op']}"
        if node.get("is_leaf"):
            style = LEAF_STYLE if node.get("requires_grad") else CONSTANT_STYLE
        else:
            style = NON_LEAF_STYLE
        graph.node(_id(node["id"]), _label(title, shape_text(node.get("shape")),
                                           value_preview(node)), **style)
    for edge in document.get("edges", []):
        if edge.get("kind") == "forward":
            graph.edge(_id(edge["source"]), _id(edge["target"]))
    return graph


def backward_graph(document: dict, max_nodes: int | None = None) -> graphviz.Digraph:
    """The backward graph like torchviz: output -> grad_fn -> next_functions -> AccumulateGrad -> leaf."""
    functions = _nodes(document, "function")
    tensors = {n["id"]: n for n in _nodes(document, "tensor")}
    referenced = {nxt for f in functions for nxt in f.get("next_functions") or [] if nxt}
    roots = [f for f in functions if f["id"] not in referenced and f.get("name") != "AccumulateGrad"]
    leaves = [f for f in functions if f.get("name") == "AccumulateGrad"]
    _check_size(len(functions) + len(roots) + len(leaves), max_nodes or MAX_DOT_NODES,
                "backward graph")
    graph = _graph(document, "backward")

    def tensor_box(tensor_id: str, style: dict) -> str:
        tensor = tensors.get(tensor_id) or {}
        box = _id(f"{tensor_id}_tensor")
        graph.node(box, _label(tensor.get("name") or tensor.get("label") or "tensor",
                               shape_text(tensor.get("shape"))), **style)
        return box

    for function in functions:
        style = ACCUMULATE_STYLE if function.get("name") == "AccumulateGrad" else FUNCTION_STYLE
        graph.node(_id(function["id"]), _label(function.get("name") or "Function"), **style)
    for root in roots:
        if root.get("tensor") in tensors:
            graph.edge(tensor_box(root["tensor"], ROOT_STYLE), _id(root["id"]))
    for edge in document.get("edges", []):
        if edge.get("kind") == "next_function":
            graph.edge(_id(edge["source"]), _id(edge["target"]))
    for accumulate in leaves:
        if accumulate.get("tensor") in tensors:
            graph.edge(_id(accumulate["id"]), tensor_box(accumulate["tensor"], LEAF_STYLE))
    return graph


def to_dot(document: dict, view: str = "forward", max_nodes: int | None = None) -> str:
    """DOT source of one view ("forward" or "backward") of a run document."""
    build = forward_graph if view == "forward" else backward_graph
    return build(document, max_nodes).source


def render(document: dict, view: str, fmt: str) -> bytes:
    """SVG or PNG of one view, drawn by Graphviz's `dot` (ExportError 501 when it is missing)."""
    dot = shutil.which("dot")
    if dot is None:
        raise dot_not_installed()
    source = to_dot(document, view, MAX_RENDER_NODES)
    try:
        done = subprocess.run([dot, f"-T{fmt}"], input=source.encode("utf-8"),
                              capture_output=True, timeout=RENDER_SECONDS, check=False)
    except subprocess.TimeoutExpired:
        raise ExportError(413, f"the graph took over {RENDER_SECONDS:g} s to lay out; "
                               "export DOT instead, or make the program smaller") from None
    if done.returncode != 0:
        raise ExportError(500, "Graphviz 'dot' failed: "
                               + done.stderr.decode("utf-8", "replace").strip()[:500])
    return done.stdout
