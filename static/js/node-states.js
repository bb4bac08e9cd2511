// Node and edge states for the renderer at one step: classes (future, current, fired, has-grad) and text
// rows of every drawn node, and the gradients labelled on edges. Pure functions; no DOM.
import { preview, short, shapeText, opSymbol } from "./format.js";
import { tensorLabel, tensorOfFunction } from "./names.js";

function tensorClasses(t) {
  return [t.is_leaf ? "leaf" : "nonleaf", t.requires_grad ? "rg" : "norg", t.retains_grad ? "retains" : ""].join(" ");
}

/** The ids the current event is about (highlighted as "current"). */
function currentIds(index, event) {
  const ids = new Set();
  if (!event) return ids;
  if (event.tensor) ids.add(event.tensor);
  if (event.function) {
    ids.add(event.function);
    const f = index.byId.get(event.function);
    if (f && f.name === "AccumulateGrad" && f.tensor) ids.add(f.tensor);   // the leaf, in the forward view
  }
  if (event.type === "create" || event.type === "modify") { const op = index.opIdOf.get(event.tensor); if (op) ids.add(op); }
  if (event.type === "backward_start") for (const r of event.roots) ids.add(r);
  return ids;
}

/** Node states for the renderer: Map id -> {cls, lines}. */
export function nodeStates(scene, doc, index, st) {
  const current = currentIds(index, st.event);
  const out = new Map();
  for (const n of scene.nodes) {
    if (n.kind === "tensor") {
      const t = index.byId.get(n.id);
      const exists = st.created.has(n.id);
      const grad = st.grad.get(n.id);
      const cls = [tensorClasses(t), exists ? "" : "future", current.has(n.id) ? "current" : "", grad !== undefined ? "has-grad" : ""].join(" ");
      out.set(n.id, {
        cls,
        lines: [
          tensorLabel(t),
          `${shapeText(t.shape)} · ${t.dtype}` + (t.line ? ` · L${t.line}` : ""),
          exists ? (t.truncated ? `${t.stats ? "mean " + short(t.stats.mean) : "…"}` : preview(st.data.get(n.id), n.chars)) : "",
          grad !== undefined && grad !== null ? "grad " + (t.truncated ? "…" : preview(grad, n.chars - 5)) : "",
        ],
      });
    } else if (n.kind === "op" || n.kind === "function") {
      const tid = n.kind === "op" ? index.tensorOfOp.get(n.id) : tensorOfFunction(index, n.id);
      const exists = tid ? st.created.has(tid) : true;
      const fired = st.fired.has(n.id);
      const cls = [exists ? "" : "future", fired ? "fired" : "", current.has(n.id) ? "current" : "", n.id.startsWith("op:") ? "nograd-op" : ""].join(" ");
      const t = tid && index.byId.get(tid);
      out.set(n.id, { cls, lines: [n.kind === "op" ? opSymbol(t ? t.op : "?") : index.byId.get(n.id).name] });
    } else if (n.kind === "group") {
      const group = scene.groups.get(n.ref);
      let made = 0, isCurrent = false;
      for (const id of group.members) {
        const tid = index.byId.get(id)?.kind === "tensor" ? id : index.tensorOfOp.get(id) ?? tensorOfFunction(index, id);
        if (!tid || st.created.has(tid)) made++;
        if (current.has(id)) isCurrent = true;
      }
      out.set(n.id, {
        cls: [made ? "" : "future", isCurrent ? "current" : ""].join(" "),
        lines: [group.head, group.summary],
      });
    }
  }
  return out;
}

/**
 * Which scene edge carries the gradient a Function node sends (flow "fid>targetFid"), and whether
 * the gradient travels against the arrow. Forward view: target's tensor -> op(fid's tensor), reversed.
 */
function flowEdgeKey(view, index, fid, target) {
  if (view === "backward") return { key: fid + ">" + target, reverse: false };
  const to = tensorOfFunction(index, fid), from = tensorOfFunction(index, target);
  const opId = to && index.opIdOf.get(to);
  return { key: from + ">" + opId, reverse: true };
}

function edgeIndex(scene) {
  const m = new Map();
  scene.edges.forEach((e, i) => m.set(e.source + ">" + e.target, i));
  return m;
}

/** Edge states aligned with scene.edges ({cls, label}) and the current event's travelling gradients. */
export function edgeStates(scene, doc, index, st, view) {
  const edges = edgeIndex(scene);
  const states = scene.edges.map((e) => {
    const a = endTensor(index, e.source), b = endTensor(index, e.target);
    const exists = (!a || st.created.has(a)) && (!b || st.created.has(b));
    return { cls: exists ? "" : "future", label: "" };
  });
  const flows = [];
  const unit = (id) => scene.unitOf.get(id) ?? id;
  const current = st.event && st.event.type === "function" ? st.event.function : null;
  const byEdge = new Map();   // scene edge index -> {values, reverse, active}
  for (const f of st.flows) {
    const { key: raw, reverse } = flowEdgeKey(view, index, f.from, f.to);
    const [s, t] = raw.split(">");
    const i = edges.get(unit(s) + ">" + unit(t));
    if (i === undefined) continue;
    if (!byEdge.has(i)) byEdge.set(i, { values: [], reverse, active: false });
    const entry = byEdge.get(i);
    entry.values.push(f.value);
    if (f.from === current) entry.active = true;
  }
  for (const [i, entry] of byEdge) {
    // several gradients on one drawn edge (x*x: both inputs are x; or a collapsed group) are summed
    const label = entry.values.length > 3 ? `${entry.values.length} grads` : entry.values.map((v) => preview(v, 14)).join(" + ");
    states[i] = { cls: entry.active ? "grad-flow active" : "grad-flow", label };
    if (entry.active) flows.push({ edge: i, reverse: entry.reverse, text: label });
  }
  // The gradient entering each fired Function node from its output side (forward view: op -> tensor edge).
  if (view === "forward") {
    for (const [fid, e] of st.fired) {
      const tid = tensorOfFunction(index, fid);
      const opId = tid && index.opIdOf.get(tid);
      const i = opId && edges.get(unit(opId) + ">" + unit(tid));
      if (i === undefined || i === null || i === false) continue;
      const g = e.grad_in && e.grad_in[0];
      states[i] = { cls: "grad-flow", label: preview(g, 16) };
      if (st.event === e) { states[i].cls = "grad-flow active"; flows.push({ edge: i, reverse: true, text: preview(g, 16) }); }
    }
  } else {
    for (const [tid, list] of st.contributions) {
      const acc = list[list.length - 1].function;
      const i = edges.get(unit(acc) + ">" + unit(tid));
      if (i !== undefined) states[i] = { cls: "grad-flow", label: "grad " + preview(list[list.length - 1].after, 14) };
    }
  }
  return { states, flows };
}

function endTensor(index, id) {
  const n = index.byId.get(id);
  if (!n) return index.tensorOfOp.get(id) ?? null;
  return n.kind === "tensor" ? n.id : n.tensor ?? null;
}

/** Elementwise local derivative contribution / upstream when both are scalars or the same shape. */

/**
 * The widest gradient label each scene edge ever shows (edge index -> characters), so the layout can
 * reserve room for it. Labels only grow within a backward call, so the end of each call shows them all.
 */
export function labelSlots(scene, doc, index, view, stateAt) {
  const slots = new Map();
  const steps = [];
  doc.timeline.forEach((e, i) => { if (e.type === "backward_end") steps.push(i + 1); });
  steps.push(doc.timeline.length);
  for (const step of steps) {
    const { states } = edgeStates(scene, doc, index, stateAt(doc, step), view);
    states.forEach((s, i) => { if (s.label) slots.set(i, Math.max(slots.get(i) || 0, s.label.length)); });
  }
  return slots;
}
