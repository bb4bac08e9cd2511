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
from app.format import op_symbol, preview, shape_text
from app.graph_model import backward_roots, graph_views

VIEWS = ("forward", "backward")
FORMATS = {"svg": "image/svg+xml", "png": "image/png"}
MAX_DOT_NODES = 5_000  # DOT text is cheap to build; beyond this nobody can read the picture
MAX_RENDER_NODES = 1_500  # `dot` layout grows faster than linearly with the graph
RENDER_SECONDS = 10.0
MAX_TEXT = 60  # characters of one label line
ERROR_LINES = 4  # lines of a run error shown above the picture
PREVIEW_CHARS = 28  # characters of a tensor's value (as on the page's boxes)

LEAF_STYLE = {"shape": "box", "style": "filled", "fillcolor": "lightblue"}
CONSTANT_STYLE = {"shape": "box", "style": "filled", "fillcolor": "whitesmoke"}  # leaf, no grad
NON_LEAF_STYLE = {"shape": "ellipse", "style": "filled", "fillcolor": "white"}
ROOT_STYLE = {"shape": "box", "style": "filled", "fillcolor": "darkolivegreen1"}
OP_STYLE = {"shape": "ellipse", "style": "filled", "fillcolor": "white"}
EDGE_STYLE = {"modify": {"style": "dashed", "label": "in place"}}
FUNCTION_STYLE = {"shape": "box", "style": "filled", "fillcolor": "lightgrey"}
ACCUMULATE_STYLE = {"shape": "box", "style": "filled", "fillcolor": "lightgrey", "color": "gray40"}
GRAPH_ATTR = {"rankdir": "TB", "fontname": "Helvetica", "fontsize": "12", "labelloc": "t"}
NODE_ATTR = {"fontname": "Helvetica", "fontsize": "11", "height": "0.2"}

_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class ExportError(RequestError):
    """An export that cannot be made; `status` is the HTTP status the route answers with."""


def dot_not_installed() -> ExportError:
    return ExportError(
        501,
        "Graphviz 'dot' is not installed on this server; install it "
        "(apt-get install graphviz) or export DOT instead",
    )


# -- text -------------------------------------------------------------------------------------
def _clean(text) -> str:
    """One line of user-visible text: no control characters, at most MAX_TEXT characters."""
    text = _CONTROL.sub(" ", str(text))
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _label(*lines) -> str:
    """A multi-line DOT label, every line taken literally."""
    return graphviz.nohtml("\\n".join(graphviz.escape(_clean(line)) for line in lines if line))


def _id(node_id) -> str:
    """A DOT node id from a document id (already safe for our ids; escaped for any other)."""
    return graphviz.escape(_CONTROL.sub(" ", str(node_id)))


def value_preview(node: dict) -> str:
    """A tensor's final value as the page previews it: `4.817`, `[1, 2, 3, …]`, ⟨shape, mean⟩."""
    if node.get("truncated"):
        return preview({"truncated": True, "shape": node.get("shape"), "stats": node.get("stats")})
    return preview(node.get("data"), PREVIEW_CHARS)


# -- graphs -----------------------------------------------------------------------------------
def _graph(document: dict, view: str) -> graphviz.Digraph:
    graph = graphviz.Digraph(name=f"gradtrace_{view}", graph_attr=GRAPH_ATTR, node_attr=NODE_ATTR)
    error = document.get("error")
    if error:
        where = f" (line {error['line']})" if error.get("line") else ""
        text = _CONTROL.sub(" ", f"{error.get('type', 'Error')}{where}: {error.get('message', '')}")
        graph.attr(
            label=_label(*textwrap.wrap(text, MAX_TEXT)[:ERROR_LINES]), fontcolor="firebrick"
        )
    return graph


def _check_size(count: int, limit: int, what: str) -> None:
    if count > limit:
        raise ExportError(
            413,
            f"the {what} has {count:,} nodes; export is limited to {limit:,} "
            "(make the program smaller, e.g. fewer loop iterations)",
        )


def _tensor_label(node: dict, with_value: bool) -> str:
    lines = [
        node.get("label") or node.get("name") or "tensor",
        f"{shape_text(node.get('shape'))} · {node.get('dtype', '')}".rstrip(" ·"),
    ]
    return _label(*lines, value_preview(node) if with_value else "")


def _tensor_style(node: dict, root: bool) -> dict:
    if root:
        return ROOT_STYLE
    if node.get("is_leaf"):
        return LEAF_STYLE if node.get("requires_grad") else CONSTANT_STYLE
    return NON_LEAF_STYLE


def _view(document: dict, view: str, max_nodes: int | None) -> graphviz.Digraph:
    """One view of the document's graph model (app/graph_model.py): the nodes and edges the page draws."""
    model = (document.get("graph") or graph_views(document))[view]
    _check_size(len(model["nodes"]), max_nodes or MAX_DOT_NODES, f"{view} graph")
    graph = _graph(document, view)
    by_id = {n["id"]: n for n in document.get("nodes", [])}
    roots = (
        set(backward_roots(document.get("nodes", []), document.get("timeline", [])))
        if view == "backward"
        else set()
    )
    for node in model["nodes"]:
        ref = by_id.get(node["ref"], {})
        if node["kind"] == "tensor":
            graph.node(
                _id(node["id"]),
                _tensor_label(ref, view == "forward"),
                **_tensor_style(ref, node["id"] in roots),
            )
        elif node["kind"] == "op":
            graph.node(_id(node["id"]), _label(op_symbol(ref.get("op"))), **OP_STYLE)
        else:
            style = ACCUMULATE_STYLE if ref.get("name") == "AccumulateGrad" else FUNCTION_STYLE
            graph.node(_id(node["id"]), _label(ref.get("name") or "Function"), **style)
    for edge in model["edges"]:
        graph.edge(_id(edge["source"]), _id(edge["target"]), **EDGE_STYLE.get(edge["kind"], {}))
    return graph


def forward_graph(document: dict, max_nodes: int | None = None) -> graphviz.Digraph:
    """The forward DAG as the page draws it: tensors, op nodes, in-place changes' edges."""
    return _view(document, "forward", max_nodes)


def backward_graph(document: dict, max_nodes: int | None = None) -> graphviz.Digraph:
    """The backward graph as the page draws it: roots -> grad_fn -> next_functions -> AccumulateGrad -> leaf."""
    return _view(document, "backward", max_nodes)


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
        done = subprocess.run(
            [dot, f"-T{fmt}"],
            input=source.encode("utf-8"),
            capture_output=True,
            timeout=RENDER_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise ExportError(
            413,
            f"the graph took over {RENDER_SECONDS:g} s to lay out; "
            "export DOT instead, or make the program smaller",
        ) from None
    if done.returncode != 0:
        raise ExportError(
            500, "Graphviz 'dot' failed: " + done.stderr.decode("utf-8", "replace").strip()[:500]
        )
    return done.stdout
