"""A run as its document needs it: ids, arrays and names, no live engine objects (docs/DOCUMENT.md).

`describe_run(result)` walks what a run left (its recorded tensors, their grad_fns, the timeline) once
and gives every tensor its id `t<n>` and every Function node its id `f<n>` (engine/runner/ids.py).
Values are numpy arrays, or a Summary (min/max/mean) past the run's budget of values; the app only
encodes them (app/document.py).
"""

from __future__ import annotations

import dataclasses
import reprlib

import numpy as np

from engine.runner.ids import function_id, tensor_id, tensor_position
from engine.runner.recorder import TensorRecord, summarize
from engine.tensor import Tensor
from engine.torch.nn import Module

MAX_VALUE_REPR = 200


@dataclasses.dataclass
class RunDescription:
    """What a run made, by id. `tensors[n]` is tensor `t<n>`, `functions[n]` Function node `f<n>`;
    a value (`data`, `grad`, timeline values) is an array, a Summary or None."""

    code: str
    output: str
    error: object  # RunError or None
    seconds: float
    tensors: list
    functions: list
    edges: list
    variables: dict  # name -> tensor id, for the tensors the program's variables hold at the end
    values: dict  # name -> short repr, for its other plain values
    timeline: list

    def names(self) -> dict:
        """tensor id -> the first variable name holding it at the end (what a request names it by;
        a node's own `name` is the variable it was first bound to, docs/DOCUMENT.md "Names")."""
        names = {}
        for name, tid in self.variables.items():
            names.setdefault(tid, name)
        return names


def describe_run(
    result, max_elements: int | None = None, max_values: int | None = None
) -> RunDescription:
    """The document-ready form of a RunResult: final values of tensors up to `max_elements` each and
    `max_values` in all (default: the run's snapshot limits), larger ones as min/max/mean."""
    limits = result.limits
    return _Builder(
        result,
        limits.snapshot_elements if max_elements is None else max_elements,
        limits.max_timeline_values if max_values is None else max_values,
    ).build()


def function_name(node) -> str:
    name = node.name()
    return name.rsplit("::", 1)[-1]


class _Builder:
    def __init__(self, result, max_elements: int, max_values: int):
        self.result = result
        self.max_elements = max_elements
        self.values_left = max_values
        self.tensor_ids: dict[int, str] = {}
        self.tensor_list: list = []  # (tensor, record or None)
        self.function_ids: dict[int, str] = {}
        self.function_list: list = []
        self.owner: dict[int, object] = {}  # id(grad_fn) -> the tensor it produced
        self.expanded: set[int] = set()
        self.grad_links: list = []  # (event dict, the .grad Tensor it left), linked once nodes are known
        self.qualified_names: dict[int, str] = {}  # id(parameter or buffer) -> "model.fc1.weight"

    # -- ids --------------------------------------------------------------------------------
    def tid(self, tensor, record=None) -> str:
        key = id(tensor)
        found = self.tensor_ids.get(key)
        if found is None:
            found = self.tensor_ids[key] = tensor_id(len(self.tensor_list))
            self.tensor_list.append((tensor, record))
        return found

    def fid(self, node) -> str:
        key = id(node)
        found = self.function_ids.get(key)
        if found is None:
            found = self.function_ids[key] = function_id(len(self.function_list))
            self.function_list.append(node)
        return found

    def build(self) -> RunDescription:
        result = self.result
        for record in result.tensors:
            self.tid(record.tensor, record)
        variables, values = {}, {}
        for name, value in result.variables.items():
            if isinstance(
                value, Module
            ):  # model.fc1.weight: parameters and buffers by qualified name
                for qualified, member in (
                    *value.named_parameters(prefix=name),
                    *value.named_buffers(prefix=name),
                ):
                    self.qualified_names.setdefault(id(member), qualified)
            if isinstance(value, Tensor):
                variables[name] = self.tid(value)
            elif isinstance(value, (int, float, str, bool, type(None), list, tuple, dict, Module)):
                values[name] = _short_repr(value)
        self._discover_functions()
        timeline = [self._event(step, event) for step, event in enumerate(result.events)]
        # events may have named tensors and nodes not seen before: discover again
        self._discover_functions()
        nodes, edges = [], []
        i = 0
        while i < len(self.tensor_list):  # tensor nodes may add tensors (inputs not recorded)
            tensor, record = self.tensor_list[i]
            nodes.append(self._tensor_node(tensor, record, edges))
            i += 1
        self._discover_functions()
        self._name(nodes)
        for event, grad in self.grad_links:
            event["grad_tensor"] = self.tensor_ids.get(id(grad)) if grad is not None else None
        functions = [self._function_node(node, edges) for node in self.function_list]
        return RunDescription(
            code=result.code,
            output=result.output,
            error=result.error,
            seconds=result.seconds,
            tensors=nodes,
            functions=functions,
            edges=edges,
            variables=variables,
            values=values,
            timeline=timeline,
        )

    def _discover_functions(self) -> None:
        """Every Function node reachable from the tensors' grad_fns (and AccumulateGrads)."""
        for tensor, _ in self.tensor_list:
            fn = tensor.grad_fn
            if fn is not None:
                self.owner.setdefault(id(fn), tensor)
                self.fid(fn)
        stack = [n for n in self.function_list if id(n) not in self.expanded]
        while stack:
            node = stack.pop()
            if id(node) in self.expanded:
                continue
            self.expanded.add(id(node))
            variable = getattr(node, "variable", None)
            if variable is not None:
                self.owner.setdefault(id(node), variable)
            for nxt, _ in getattr(node, "next_functions", ()):
                if nxt is not None:
                    self.fid(nxt)
                    if id(nxt) not in self.expanded:
                        stack.append(nxt)

    # -- nodes ------------------------------------------------------------------------------
    def _value(self, array):
        """A final value while the document's budget of values lasts, then only min/max/mean."""
        a = np.asarray(array)
        if a.size <= self.max_elements and a.size <= self.values_left:
            self.values_left -= a.size
            return a
        return summarize(a)

    def _name(self, nodes: list[dict]) -> None:
        """Names and labels from the program's variables (docs/DOCUMENT.md, "Names")."""
        result = self.result
        at_end = {id(v): k for k, v in result.variables.items() if isinstance(v, Tensor)}
        grad_owners = getattr(result, "grad_owners", None) or {}
        grad_of = {id(grad): owner for grad, owner in grad_owners.values()}
        outside: dict[str, int] = {}  # name -> tensors made outside loops that were bound to it
        for node, (tensor, record) in zip(nodes, self.tensor_list):
            name = record.name if record is not None and record.name else at_end.get(id(tensor))
            if name is not None and not node["iteration"]:
                primes = outside[name] = outside.get(name, -1) + 1
                name += "′" * primes  # W = W - lr * W.grad: the new W is W′
            node["name"] = name
            node["label"] = (name or node["parameter"] or node["op"] or "tensor") + _subscript(
                node["iteration"]
            )
        by_tensor = {id(t): n for n, (t, _) in zip(nodes, self.tensor_list)}
        # `.data` of a tensor or of a .grad is a new Tensor on the same array: named after it
        storage = {id(t._data): (by_tensor[id(t)], ".data") for t, _ in self.tensor_list}
        storage.update(
            {
                id(grad._data): (by_tensor[id(owner)], ".grad.data")
                for grad, owner in grad_owners.values()
                if id(owner) in by_tensor
            }
        )
        for node, (tensor, record) in zip(nodes, self.tensor_list):
            owner = grad_of.get(id(tensor))
            if owner is not None and id(owner) in by_tensor:
                of = by_tensor[id(owner)]
                node["grad_of"] = of["id"]
                node["name"] = f"{of['name'] or of['label']}.grad"
                node["label"] = f"{of['label']}.grad"
            elif node["name"] is None and (record is None or record.op is None):
                of, suffix = storage.get(id(tensor._data), (None, ""))
                if of is not None and of is not node:
                    node["name"] = (of["name"] or of["label"]) + suffix
                    node["label"] = of["label"] + suffix

    def _tensor_node(self, tensor, record, edges) -> dict:
        tid = self.tensor_ids[id(tensor)]
        data = tensor._data
        op = record.op if record is not None else None
        inputs, constants = [], []
        if record is not None:
            for x in record.inputs:
                if isinstance(x, Tensor):
                    source = self.tid(x, _first_use(x, record.line, record.iteration))
                    inputs.append(source)
                    edges.append({"source": source, "target": tid, "kind": "forward"})
                elif isinstance(x, (bool, int, float)):
                    constants.append(x)
        fn = tensor.grad_fn
        fn_id = self.fid(fn) if fn is not None else None
        if fn_id is not None:
            edges.append({"source": tid, "target": fn_id, "kind": "grad_fn"})
        else:
            accumulate = getattr(tensor, "_accumulate", None)
            if accumulate is not None and id(accumulate) in self.function_ids:
                edges.append(
                    {"source": tid, "target": self.function_ids[id(accumulate)], "kind": "grad_fn"}
                )
        parameter = self.qualified_names.get(id(tensor))
        node = {
            "id": tid,
            "kind": "tensor",
            "name": None,
            "label": parameter or op or "tensor",
            "grad_of": None,
            "parameter": parameter,
            "scope": list(record.scope) if record is not None else [],
            "op": op,
            "inputs": inputs,
            "constants": constants,
            "shape": list(data.shape),
            "dtype": str(tensor.dtype.name),
            "grad": None,
            "grad_fn": function_name(fn) if fn is not None else None,
            "grad_fn_id": fn_id,
            "is_leaf": bool(tensor.is_leaf),
            "requires_grad": bool(tensor.requires_grad),
            "retains_grad": bool(tensor.retains_grad),
            "line": record.line if record is not None else None,
            "iteration": list(record.iteration) if record is not None else [],
        }
        node["data"] = self._value(data)
        grad = tensor._grad
        if grad is not None:
            node["grad"] = self._value(grad._data)
        return node

    def _function_node(self, node, edges) -> dict:
        fid = self.function_ids[id(node)]
        nexts = []
        for nxt, _ in getattr(node, "next_functions", ()):
            if nxt is None:
                nexts.append(None)
            else:
                target = self.fid(nxt)
                nexts.append(target)
                edges.append({"source": fid, "target": target, "kind": "next_function"})
        owner = self.owner.get(id(node))
        line = None
        tensor_id = None
        if owner is not None:
            tensor_id = self.tid(owner)
            record = self.tensor_list[tensor_position(tensor_id)][1]
            line = record.line if record is not None else None
        scoped = self.result.function_scopes.get(id(node))
        return {
            "id": fid,
            "kind": "function",
            "name": function_name(node),
            "next_functions": nexts,
            "tensor": tensor_id,
            "line": line,
            "scope": list(scoped[1]) if scoped is not None and scoped[0] is node else [],
        }

    # -- timeline ---------------------------------------------------------------------------
    def _root(self, root) -> str:
        if isinstance(root, Tensor):
            return self.tid(root)
        owner = self.owner.get(id(root))
        if owner is None:
            owner = getattr(root, "variable", None)
        return self.tid(owner) if owner is not None else self.fid(root)

    def _event(self, step: int, event) -> dict:
        kind = event.type
        out = {"type": kind, "step": step, "line": event.line, "iteration": list(event.iteration)}
        if kind in ("create", "modify"):
            out["tensor"] = self.tid(event.tensor)
            out["op"] = event.op
            out["inputs"] = [
                self.tid(x, _first_use(x, event.line, event.iteration))
                for x in event.inputs
                if isinstance(x, Tensor)
            ]
            out["data"] = event.data
        elif kind == "backward_start":
            out["call"] = event.call
            out["roots"] = [self._root(r) for r in event.roots]
            gradients = list(event.gradients)
            out["gradient"] = gradients[0] if len(gradients) == 1 else gradients
        elif kind == "function":
            node = event.node
            out["call"] = event.call
            out["function"] = self.fid(node)
            out["name"] = function_name(node)
            out["grad_in"] = list(event.grads_in)
            nexts = getattr(node, "next_functions", ())
            out["grad_out"] = [
                {"target": self.fid(nxt) if nxt is not None else None, "value": g}
                for (nxt, _), g in zip(nexts, event.grads_out)
            ]
        elif kind == "accumulate":
            tensor = event.tensor
            out["call"] = event.call
            fn = getattr(tensor, "_accumulate", None) if tensor.grad_fn is None else tensor.grad_fn
            out["function"] = self.fid(fn) if fn is not None else None
            out["tensor"] = self.tid(tensor)
            out["before"] = event.before
            out["after"] = event.after
            self.grad_links.append((out, event.grad_tensor))
        elif kind == "grad":
            out["tensor"] = self.tid(event.tensor)
            out["op"] = event.op
            out["grad"] = event.data
            self.grad_links.append((out, event.grad_tensor))
        elif kind == "backward_end":
            out["call"] = event.call
        elif kind == "print":
            out["text"] = event.text
        elif kind == "hook":
            out["call"] = event.call
            out["tensor"] = self.tid(event.tensor)
            out["before"] = event.before
            out["after"] = event.after
        elif kind == "warning":
            out["category"] = event.op
            out["message"] = event.text
        return out


_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxlist, _REPR.maxtuple, _REPR.maxdict = 3, 20, 20, 20
_REPR.maxstring, _REPR.maxother = MAX_VALUE_REPR, MAX_VALUE_REPR


_SUBSCRIPT = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def _subscript(iteration) -> str:
    """A loop-made tensor's iteration as a subscript: y₃, or y₁,₂ in nested loops."""
    return ",".join(str(i) for i in iteration).translate(_SUBSCRIPT)


def _first_use(tensor, line, iteration) -> TensorRecord:
    """A tensor the tracer never saw made (e.g. `W.grad.data`) belongs to the line that used it."""
    return TensorRecord(tensor, None, (), line, iteration)


def _short_repr(value) -> str:
    try:
        text = _REPR.repr(value)
    except Exception:  # e.g. a list nested too deeply to print
        return f"<{type(value).__name__}>"
    return text if len(text) <= MAX_VALUE_REPR else text[: MAX_VALUE_REPR - 1] + "…"
