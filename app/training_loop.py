"""The document's `training_loop`: per-iteration loss and printed scalars of the program's training loop.

The training loop is the first top-level `for` statement inside which `.backward()` ran in at least one
iteration. Everything is read back from the finished document (timeline and nodes), so it is bounded by
the runner's limits like the rest: one small record per iteration (MAX_LOOP_ITERATIONS at most).
"""

from __future__ import annotations

import ast
import re

from engine.runner import PARSE_LOCK

# A printed scalar is a number right after a word and an optional ":" or "=": "loss 0.25", "w=1.5".
_LABELLED_NUMBER = re.compile(
    r"\b([A-Za-z_][A-Za-z_0-9]*)(?:\s*[:=]\s*|\s+)(?:tensor\()?"
    r"([-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|nan|inf|-inf)\b"
)


def printed_scalars(text: str) -> dict[str, float]:
    """The labelled numbers in one printed text: `"step 3: loss 0.25"` -> `{"step": 3.0, "loss": 0.25}`."""
    return {label: float(number) for label, number in _LABELLED_NUMBER.findall(text)}


def _top_level_loops(code: str) -> list[tuple[int, int]]:
    try:
        with PARSE_LOCK:  # ast.parse is not thread-safe in CPython 3.11
            tree = ast.parse(code)
    except (SyntaxError, ValueError, UnicodeEncodeError):  # e.g. a lone surrogate
        return []
    return [(node.lineno, node.end_lineno) for node in tree.body if isinstance(node, ast.For)]


def _scalar(value):
    return value if isinstance(value, (int, float, str)) and not isinstance(value, bool) else None


def training_loop(document: dict) -> dict | None:
    """`{"line", "end_line", "series", "iterations": [...]}` or None when no loop ran backward."""
    timeline = document["timeline"]
    for line, end_line in _top_level_loops(document["code"]):
        inside = [e for e in timeline if e["iteration"] and line <= e["line"] <= end_line]
        if not any(e["type"] == "backward_start" for e in inside):
            continue
        record = _loop_record(document, inside, line, end_line)
        if any(i["loss"] is not None for i in record["iterations"]):
            return record
    return None


def _loop_record(document: dict, events: list, line: int, end_line: int) -> dict:
    value_at_birth: dict[str, object] = {}
    by_index: dict[int, dict] = {}
    for event in events:
        index = event["iteration"][0]
        record = by_index.setdefault(
            index,
            {
                "index": index,
                "first_step": event["step"],
                "last_step": event["step"],
                "loss": None,
                "scalars": {},
                "nodes": [],
            },
        )
        record["last_step"] = event["step"]
        if event["type"] == "create":
            value_at_birth[event["tensor"]] = event["data"]
        elif event["type"] == "backward_start" and record["loss"] is None:
            # the loss is the first scalar tensor .backward() was called on in that iteration
            record["loss"] = _scalar(value_at_birth.get(event["roots"][0]))
        elif event["type"] == "print":
            for label, value in printed_scalars(event["text"]).items():
                record["scalars"].setdefault(label, value)
    tensor_iteration = {}
    for node in document["nodes"]:
        if node["kind"] == "tensor" and node["iteration"] and line <= node["line"] <= end_line:
            tensor_iteration[node["id"]] = node["iteration"][0]
    for node in document["nodes"]:
        owner = node["id"] if node["kind"] == "tensor" else node["tensor"]
        if owner in tensor_iteration and tensor_iteration[owner] in by_index:
            by_index[tensor_iteration[owner]]["nodes"].append(node["id"])
    iterations = [by_index[i] for i in sorted(by_index)]
    series = _series(iterations)
    for record in iterations:
        record["scalars"] = {label: record["scalars"].get(label) for label in series}
    return {"line": line, "end_line": end_line, "series": series, "iterations": iterations}


def _series(iterations: list) -> list[str]:
    """Printed labels seen in every iteration, except a counter that just repeats the loop index."""
    labels: list[str] = []
    for record in iterations:
        labels.extend(label for label in record["scalars"] if label not in labels)
    return [
        label
        for label in labels
        if all(label in r["scalars"] for r in iterations)
        and not all(r["scalars"][label] == r["index"] for r in iterations)
    ]
