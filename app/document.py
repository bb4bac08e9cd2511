"""The runner's RunDescription -> the run document of docs/DOCUMENT.md (plain dicts, ready for json.dumps).

The runner gives ids, names and arrays (engine/runner/document.py); here values become nested lists
with NaN/Inf as strings, and a value the runner summarised is sent as its min/max/mean only.
"""

from __future__ import annotations

import json
import math

import numpy as np

from app.graph_model import graph_views
from app.schemas import SCHEMA_VERSION
from app.training_loop import training_loop
from engine.runner import RunDescription, RunError, Summary


def _number(x: float):
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def encode(value):
    """An array (or Summary, or None) as JSON-ready nested lists / summary object."""
    if value is None:
        return None
    if isinstance(value, Summary):
        return {
            "truncated": True,
            "shape": list(value.shape),
            "stats": {
                "min": _number(value.min),
                "max": _number(value.max),
                "mean": _number(value.mean),
            },
        }
    a = np.asarray(value)
    if a.size <= 64:  # most values in a teaching program: cheaper in Python than numpy's checks
        plain = a.tolist()
        if a.dtype.kind != "f":
            return plain
        for v in (plain,) if a.ndim == 0 else plain if a.ndim == 1 else a.ravel().tolist():
            if v - v != 0:  # nan or ±inf
                return _finite(plain)
        return plain
    if a.dtype.kind in "fc" and not np.isfinite(a).all():
        out = a.astype(object)
        out[np.isnan(a)] = "nan"
        out[np.isposinf(a)] = "inf"
        out[np.isneginf(a)] = "-inf"
        return out.tolist()
    return a.tolist()


def _finite(value):
    """NaN/Inf in (nested lists of) Python floats as strings."""
    if isinstance(value, list):
        return [_finite(v) for v in value]
    if value != value or value in (math.inf, -math.inf):
        return _number(value)
    return value


def _final(node: dict, key: str) -> None:
    """A tensor node's final value (`data` or `grad`): lists, or min/max/mean when truncated."""
    value = node[key]
    prefix = "" if key == "data" else "grad_"
    node[f"{prefix}truncated"], node[f"{prefix}stats"] = False, None
    if isinstance(value, Summary):
        node[key] = None
        node[f"{prefix}truncated"], node[f"{prefix}stats"] = True, encode(value)["stats"]
    else:
        node[key] = encode(value)


def _tensor_node(node: dict) -> dict:
    node = dict(node)
    node["constants"] = [_number(x) if isinstance(x, float) else x for x in node["constants"]]
    _final(node, "data")
    _final(node, "grad")
    return node


def _event(event: dict) -> dict:
    event = dict(event)
    kind = event["type"]
    if kind in ("create", "modify"):
        event["data"] = encode(event["data"])
    elif kind == "backward_start":
        gradient = event["gradient"]
        event["gradient"] = (
            [encode(g) for g in gradient] if isinstance(gradient, list) else encode(gradient)
        )
    elif kind == "function":
        event["grad_in"] = [encode(g) for g in event["grad_in"]]
        event["grad_out"] = [
            {"target": out["target"], "value": encode(out["value"])} for out in event["grad_out"]
        ]
    elif kind in ("accumulate", "hook"):
        event["before"], event["after"] = encode(event["before"]), encode(event["after"])
    elif kind == "grad":
        event["grad"] = encode(event["grad"])
    return event


def _error(error: RunError) -> dict:
    return {
        "type": error.type,
        "message": error.message,
        "line": error.line,
        "col": error.col,
        "end_line": error.end_line,
        "end_col": error.end_col,
        "hint": error.hint,
    }


def build_document(run: RunDescription) -> dict:
    """The run document (see docs/DOCUMENT.md) of a run the runner described: its values encoded."""
    document = {
        "schema_version": SCHEMA_VERSION,
        "code": run.code,
        "nodes": [_tensor_node(node) for node in run.tensors] + run.functions,
        "edges": run.edges,
        "variables": run.variables,
        "values": run.values,
        "timeline": [_event(event) for event in run.timeline],
        "output": run.output,
        "warnings": [
            {"type": e["category"], "message": e["message"], "line": e["line"]}
            for e in run.timeline
            if e["type"] == "warning"
        ],
        "error": None if run.error is None else _error(run.error),
        "seconds": round(run.seconds, 6),
    }
    document["training_loop"] = training_loop(document)
    document["graph"] = graph_views(document)
    return document


def error_document(code: str, error: RunError) -> dict:
    """A document with no graph, only an error (for failures outside the runner)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "code": code,
        "nodes": [],
        "edges": [],
        "variables": {},
        "values": {},
        "timeline": [],
        "output": "",
        "warnings": [],
        "error": _error(error),
        "seconds": 0.0,
        "training_loop": None,
        "graph": graph_views({}),
    }


try:  # optional: about ten times faster on float-heavy documents
    import orjson
except ImportError:  # pragma: no cover - depends on the machine
    orjson = None


def dumps(document: dict) -> bytes:
    """The document as UTF-8 JSON (NaN/Inf were already turned into strings)."""
    try:
        if orjson is not None:
            return orjson.dumps(document)
        return json.dumps(
            document, separators=(",", ":"), allow_nan=False, ensure_ascii=False
        ).encode("utf-8")
    except (TypeError, UnicodeEncodeError):  # lone surrogates ("\ud800") are not UTF-8: escape them
        return json.dumps(document, separators=(",", ":"), allow_nan=False).encode("ascii")
