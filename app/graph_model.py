"""The two drawn graphs of a run document, built once: the page draws them and export writes them.

- forward: one box per tensor and one op node per tensor an op made (its id is the tensor's grad_fn
  id, or `op:<tensor id>` when autograd recorded nothing), edges input -> op -> output, and an
  in-place change's inputs -> the changed tensor (`W -= lr * g`).
- backward: every Function node, edges along next_functions, each AccumulateGrad -> its leaf, and
  the roots -> their grad_fn. The roots are the tensors backward() started from; a program that
  never called backward() shows the outputs (tensors whose grad_fn no other node leads to).

Pure function of the document dict (docs/DOCUMENT.md); the result travels in it as `graph`.
"""

from __future__ import annotations

ACCUMULATE = "AccumulateGrad"


def _edges():
    edges: list[dict] = []
    seen: set[tuple[str, str]] = set()

    def add(source: str, target: str, kind: str) -> None:
        if source == target or (source, target) in seen:
            return
        seen.add((source, target))
        edges.append({"source": source, "target": target, "kind": kind})

    return edges, add


def forward_view(nodes: list[dict], timeline: list[dict]) -> dict:
    known = {n["id"] for n in nodes}
    out: list[dict] = []
    edges, add = _edges()
    used: set[str] = set()
    for n in nodes:
        if n["kind"] != "tensor":
            continue
        out.append({"id": n["id"], "kind": "tensor", "ref": n["id"]})
        if not n.get("inputs"):
            continue
        fn = n.get("grad_fn_id")
        op_id = fn if fn and fn not in used else "op:" + n["id"]
        used.add(op_id)
        out.append({"id": op_id, "kind": "op", "ref": n["id"]})
        for source in n["inputs"]:
            if source in known:
                add(source, op_id, "forward")
        add(op_id, n["id"], "output")
    for event in timeline:
        if event["type"] == "modify":
            for source in event.get("inputs") or ():
                if source in known:
                    add(source, event["tensor"], "modify")
    return {"nodes": out, "edges": edges}


def backward_roots(nodes: list[dict], timeline: list[dict]) -> list[str]:
    """Tensor ids the backward graph starts from, in order (see the module docstring)."""
    tensors = {n["id"]: n for n in nodes if n["kind"] == "tensor"}
    roots: list[str] = []
    for event in timeline:
        if event["type"] == "backward_start":
            roots += [r for r in event["roots"] if r in tensors and r not in roots]
    if roots:
        return roots
    referenced = {
        f for n in nodes if n["kind"] == "function" for f in n.get("next_functions") or () if f
    }
    return [
        t["id"]
        for t in tensors.values()
        if t.get("grad_fn_id") and t["grad_fn_id"] not in referenced
    ]


def backward_view(nodes: list[dict], timeline: list[dict]) -> dict:
    out: list[dict] = []
    edges, add = _edges()
    shown = dict.fromkeys(backward_roots(nodes, timeline))
    for n in nodes:
        if n["kind"] != "function":
            continue
        out.append({"id": n["id"], "kind": "function", "ref": n["id"]})
        if n["name"] == ACCUMULATE and n.get("tensor"):
            shown[n["tensor"]] = None
    for n in nodes:
        if n["kind"] == "tensor" and n["id"] in shown:
            out.append({"id": n["id"], "kind": "tensor", "ref": n["id"]})
    for n in nodes:
        if n["kind"] == "function":
            for target in n.get("next_functions") or ():
                if target:
                    add(n["id"], target, "next_function")
            if n["name"] == ACCUMULATE and n.get("tensor"):
                add(n["id"], n["tensor"], "accumulate")
        elif n["id"] in shown and n.get("grad_fn_id"):
            add(n["id"], n["grad_fn_id"], "grad_fn")
    return {"nodes": out, "edges": edges}


def graph_views(document: dict) -> dict:
    """{"forward": {"nodes", "edges"}, "backward": {...}} of a run document."""
    nodes, timeline = document.get("nodes", []), document.get("timeline", [])
    return {"forward": forward_view(nodes, timeline), "backward": backward_view(nodes, timeline)}
