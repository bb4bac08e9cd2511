// Presenters: from (document, scene, step state) to the plain models the renderers draw.
// Pure functions; no DOM.
import { preview, short, shapeText, nested, flatten, zipWith, opSymbol } from "./format.js";

const tensorLabel = (t) => t.name ?? t.label ?? t.op ?? t.id;

/** Which tensor a function node stands for (its output; AccumulateGrad: its leaf). */
const tensorOfFunction = (index, fid) => { const f = index.byId.get(fid); return f ? f.tensor : null; };

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
      const ops = group.ops.slice(0, 3).map(([op, c]) => `${c}× ${op}`).join(", ");
      out.set(n.id, {
        cls: [made ? "" : "future", isCurrent ? "current" : ""].join(" "),
        lines: [`${group.title} · ${group.members.length} nodes ⊕`, ops],
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
function localDerivative(upstream, contribution) {
  return zipWith(contribution, upstream, (c, u) => (u === 0 ? NaN : c / u));
}

/** Text lines beside the firing Function node: upstream × local = contribution, per input. */
export function calloutFor(index, st) {
  const e = st.event;
  if (!e) return null;
  if (e.type === "function") {
    const lines = [e.name];
    const incoming = st.flows.filter((f) => f.to === e.function).map((f) => f.value);
    const upstream = e.grad_in[0];
    if (incoming.length > 1) lines.push(`upstream = ${incoming.map((v) => preview(v, 12)).join(" + ")} = ${preview(upstream, 14)}`);
    for (const g of e.grad_out || []) {
      if (!g || !g.target) continue;
      const to = index.byId.get(tensorOfFunction(index, g.target));
      const name = to ? tensorLabel(to) : g.target;
      const local = localDerivative(upstream, g.value);
      const hasLocal = local !== null && !flatten(local).some((v) => Number.isNaN(v));
      lines.push(hasLocal
        ? `${preview(upstream, 14)} × ${preview(local, 14)} = ${preview(g.value, 14)} → ${name}`
        : `${preview(upstream, 14)} → ${preview(g.value, 14)} → ${name}`);
    }
    if (e.name === "AccumulateGrad") {
      const t = index.byId.get(tensorOfFunction(index, e.function));
      const before = t && st.grad.has(t.id) ? st.grad.get(t.id) : null;
      const after = before === null ? upstream : zipWith(before, upstream, (a, b) => a + b);
      if (t) lines.push(`${tensorLabel(t)}.grad = ${before === null ? "None" : preview(before, 12)} + ${preview(upstream, 12)} = ${after === null ? "…" : preview(after, 14)}`);
    }
    return { id: e.function, alt: tensorOfFunction(index, e.function), lines };
  }
  if (e.type === "accumulate") {
    const t = index.byId.get(e.tensor);
    return { id: e.function, alt: e.tensor, lines: ["AccumulateGrad", `${tensorLabel(t)}.grad = ${e.before === null ? "None" : preview(e.before, 12)} + ${preview(difference(e.after, e.before), 12)} = ${preview(e.after, 14)}`] };
  }
  return null;
}

function difference(after, before) {
  if (before === null || before === undefined) return after;
  return zipWith(after, before, (a, b) => a - b) ?? after;
}

// ---------------------------------------------------------------- narration

/**
 * One sentence for the current event, big enough to read from the back row, e.g.
 * "MulBackward0 receives dL/dz = 1 and sends 30 to W, 40 to x". `fmt` formats a value.
 */
export function narrate(doc, index, st, fmt = (v) => preview(v, 24)) {
  const e = st.event;
  const error = doc.error;
  // the error stops the program after its last event: at the end it is the news (the console may be hidden)
  if (error && st.step === doc.timeline.length) return `${error.line ? `line ${error.line}: ` : ""}${error.type}: ${error.message.split("\n")[0]}`;
  if (!e) return "Before the program runs: press → to step through it.";
  const label = (id) => { const n = index.byId.get(id); return n ? tensorLabel(n) : id; };
  const where = e.line ? `line ${e.line}: ` : "";
  switch (e.type) {
    case "create": return where + createSentence(index.byId.get(e.tensor), e, label, fmt);
    case "modify": return `${where}${label(e.tensor)} is changed in place by ${e.op}, now ${fmt(e.data)}`;
    case "backward_start": {
      const roots = e.roots.map(label);
      const L = lossName(doc, index, e.call);
      return `${where}${roots.join(", ")}.backward() starts with dL/d${L} = ${fmt(e.gradient)}` + (e.call ? ` (call ${e.call + 1})` : "");
    }
    case "function": {
      const L = lossName(doc, index, e.call);
      const z = label(tensorOfFunction(index, e.function));
      const receives = `${e.name} receives d${L}/d${z} = ${e.grad_in.map(fmt).join(", ")}`;
      if (e.name === "AccumulateGrad") return `${receives} and adds it to ${z}.grad`;
      const sends = (e.grad_out || []).filter((g) => g && g.target).map((g) => `${fmt(g.value)} to ${label(tensorOfFunction(index, g.target))}`);
      return receives + (sends.length ? ` and sends ${sends.join(", ")}` : " and sends nothing back (no input needs a gradient)");
    }
    case "accumulate": {
      const name = label(e.tensor);
      return `${name}.grad = ${e.before === null ? "None" : fmt(e.before)} + ${fmt(difference(e.after, e.before))} = ${fmt(e.after)}`;
    }
    case "backward_end": return `${lossName(doc, index, e.call)}.backward() is done` + (e.call ? ` (call ${e.call + 1})` : "");
    case "print": return `${where}print → ${e.text.trim()}`;
    default: return e.type;
  }
}

/** "W = 4 (leaf, requires grad)" or "z = mul + b = 17, grad_fn AddBackward0". */
function createSentence(t, e, label, fmt) {
  const name = tensorLabel(t);
  if (!e.inputs.length) return `${name} = ${fmt(e.data)} (leaf${t.requires_grad ? ", requires grad" : ""})`;
  const constants = (t.constants || []).map((c) => preview(c, 12));
  // 1 - x is recorded as rsub(x, 1): the number goes first again
  const args = e.op.startsWith("r") && opSymbol(e.op) !== e.op ? [...constants, ...e.inputs.map(label)] : [...e.inputs.map(label), ...constants];
  const symbol = opSymbol(e.op);
  const expr = symbol !== e.op && args.length === 2 ? `${args[0]} ${symbol} ${args[1]}` : `${e.op}(${args.join(", ")})`;
  return `${name} = ${expr} = ${fmt(e.data)}` + (t.grad_fn ? `, grad_fn ${t.grad_fn}` : "");
}

// ---------------------------------------------------------------- inspector

const tt = (s) => `\\texttt{${String(s).replace(/[_{}$&#%^~\\]/g, (c) => "\\" + (c === "\\" ? "backslash{}" : c === "^" || c === "~" ? c + "{}" : c))}}`;

function texValue(v) {
  if (v === null || v === undefined) return "\\text{None}";
  if (!Array.isArray(v)) return texNumber(v);
  const flat = flatten(v);
  if (flat.length > 6) return `[\\dots]_{${flat.length}}`;
  if (Array.isArray(v[0])) return "\\begin{bmatrix}" + v.map((r) => r.map(texNumber).join(" & ")).join("\\\\") + "\\end{bmatrix}";
  return "\\begin{bmatrix}" + v.map(texNumber).join(" & ") + "\\end{bmatrix}";
}
const texNumber = (x) => {
  if (x !== null && typeof x === "object") return "\\langle\\dots\\rangle";
  const s = short(x);
  return s === "nan" ? "\\text{nan}" : s === "inf" ? "\\infty" : s === "-inf" ? "-\\infty" : s.replace(/e(-?\d+)/, "\\times 10^{$1}");
};

function lossName(doc, index, call) {
  const start = doc.timeline.find((e) => e.type === "backward_start" && e.call === call);
  const root = start && index.byId.get(start.roots[0]);
  return root ? tensorLabel(root) : "L";
}

/** Chain-rule lines for the gradients a Function node sent in its latest run up to this step. */
function functionFormulas(doc, index, st, fid) {
  const e = st.fired.get(fid);
  if (!e) return [];
  const L = tt(lossName(doc, index, e.call));
  const zt = index.byId.get(tensorOfFunction(index, fid));
  const z = tt(zt ? tensorLabel(zt) : "z");
  const up = e.grad_in[0];
  const lines = [];
  for (const g of e.grad_out || []) {
    if (!g || !g.target) continue;
    const xt = index.byId.get(tensorOfFunction(index, g.target));
    const x = tt(xt ? tensorLabel(xt) : "x");
    const local = localDerivative(up, g.value);
    const d = `\\frac{\\partial ${L}}{\\partial ${x}}`;
    const chain = `\\frac{\\partial ${L}}{\\partial ${z}}\\,\\frac{\\partial ${z}}{\\partial ${x}}`;
    if (local !== null && !flatten(local).some(Number.isNaN)) {
      const times = Array.isArray(up) ? "\\odot" : "\\times";
      lines.push(`\\begin{aligned}${d} &= ${chain} \\\\ &= ${texValue(up)} ${times} ${texValue(local)} = ${texValue(g.value)}\\end{aligned}`);
    } else {
      lines.push(`\\begin{aligned}${d} &= \\Big(\\frac{\\partial ${z}}{\\partial ${x}}\\Big)^{\\!\\top} \\frac{\\partial ${L}}{\\partial ${z}} \\\\ &= ${texValue(g.value)}\\end{aligned}`);
    }
  }
  if (e.name === "AccumulateGrad" && zt) lines.push(`${tt(tensorLabel(zt) + ".grad")} \\mathrel{+}= ${texValue(up)}`);
  return lines;
}

/** The gradient a tensor received, summed over its uses, and each .grad accumulation. */
function tensorFormulas(doc, index, st, t) {
  const lines = [];
  const name = tt(tensorLabel(t));
  const incoming = st.flows.filter((f) => tensorOfFunction(index, f.to) === t.id).map((f) => ({ fid: f.from, value: f.value }));
  const call = st.fired.size ? [...st.fired.values()][0].call : null;
  if (incoming.length) {
    const L = tt(lossName(doc, index, call));
    const terms = [], numbers = [];
    for (const { fid, value } of incoming) {
      const zt = index.byId.get(tensorOfFunction(index, fid));
      const z = tt(zt ? tensorLabel(zt) : "z");
      terms.push(`\\frac{\\partial ${L}}{\\partial ${z}}\\frac{\\partial ${z}}{\\partial ${name}}`);
      const up = st.fired.get(fid)?.grad_in?.[0];
      const local = up === undefined ? null : localDerivative(up, value);
      numbers.push(local !== null && !flatten(local).some(Number.isNaN)
        ? `${texValue(up)} ${Array.isArray(up) ? "\\odot" : "\\times"} ${texValue(local)}` : texValue(value));
    }
    const total = incoming.length > 1 ? incoming.map((i) => i.value).reduce((a, b) => zipWith(a, b, (x, y) => x + y) ?? a) : incoming[0].value;
    const joined = numbers.map((x) => (incoming.length > 1 ? `(${x})` : x)).join(" + ");
    lines.push(`\\begin{aligned}\\frac{\\partial ${L}}{\\partial ${name}} &= ${terms.join(" + ")} \\\\ &= ${joined} \\\\ &= ${texValue(total)}\\end{aligned}`);
  }
  const acc = st.contributions.get(t.id) || [];
  if (acc.length) {
    const parts = acc.map((c) => texValue(difference(c.after, c.before)));
    const last = texValue(acc[acc.length - 1].after);
    lines.push(`${tt(tensorLabel(t) + ".grad")} = ` + (parts.length > 1 ? `${parts.join(" + ")} = ${last}` : last) + (parts.length > 1 ? `\\quad\\text{(${parts.length} backward calls)}` : ""));
  }
  if (t.grad_fn_id && st.fired.has(t.grad_fn_id)) lines.push(...functionFormulas(doc, index, st, t.grad_fn_id));
  return lines;
}

const pyBool = (b) => (b ? "True" : "False");

const sig = (v) => (Array.isArray(v) ? v.map(sig) : typeof v === "number" ? Number(v.toPrecision(7)) : v);

/** The numeric check beside a leaf's .grad: offered when some backward() call reached the leaf. */
function gradcheckModel(doc, n, check) {
  if (!n.is_leaf || !n.requires_grad) return null;
  if (!doc.timeline.some((e) => e.type === "accumulate" && e.tensor === n.id)) return null;
  const model = { tensor: n.id, status: check ? check.status : "idle", error: check?.error ?? null };
  const r = check && check.status === "done" ? check.result : null;
  if (!r) return model;
  const leaf = tensorLabel(n), root = r.root_name ?? r.root;
  const f = r.root_shape.length ? `⟨gradient, ${root}⟩` : root;
  return {
    ...model,
    numeric: r.numeric, autograd: r.autograd, close: r.close,
    numericText: nested(sig(r.numeric), "float64"),
    autogradText: nested(sig(r.autograd), "float64"),
    diffText: `max |Δ| ${short(r.max_abs_diff)} (rel. ${short(r.max_rel_diff)}) ${r.close ? "✓ agree" : "✗ differ"}`,
    about: `∂${f}/∂${leaf} by central differences in float64, (f(x+ε) − f(x−ε)) / 2ε ` +
      `per element, ε = ${r.eps.toExponential()}, ${r.reruns} re-runs; beside what backward() on line ${r.line} added to .grad, in float64.`,
    notes: r.notes,
  };
}

/** The inspector's model for the selected node at this step (null when nothing is selected);
 *  `checks` are the numeric gradient checks asked for in this document (gradcheck.js). */
export function inspectorModel(doc, index, st, id, checks = {}) {
  const n = id && index.byId.get(id);
  if (!n) return null;
  if (n.kind === "tensor") {
    const data = st.created.has(n.id) ? st.data.get(n.id) : undefined;
    const grad = st.grad.has(n.id) ? st.grad.get(n.id) : null;
    const fields = [
      { name: "name", text: n.name ?? "(no variable)" },
      { name: "data", text: data === undefined ? "(not created yet)" : n.truncated ? statsText(n) : nested(data, n.dtype), table: data !== undefined && !n.truncated && Array.isArray(data) ? data : null },
      { name: "grad", text: n.truncated && grad !== null ? "(large)" : nested(grad, n.dtype), table: Array.isArray(grad) ? grad : null },
      { name: "grad_fn", text: n.grad_fn ?? "None" },
      { name: "is_leaf", text: pyBool(n.is_leaf) },
      { name: "requires_grad", text: pyBool(n.requires_grad) },
      { name: "retains_grad", text: pyBool(n.retains_grad) },
      { name: "shape", text: shapeText(n.shape) },
      { name: "dtype", text: "torch." + n.dtype },
      { name: "line", text: n.line == null ? "" : String(n.line) },
      { name: "op", text: n.op ?? "" },
    ];
    return { title: tensorLabel(n), kind: "tensor", fields, formulas: tensorFormulas(doc, index, st, n), notes: [],
      gradcheck: gradcheckModel(doc, n, checks[n.id]) };
  }
  const e = st.fired.get(n.id);
  const nexts = (n.next_functions || []).map((f) => (f ? index.byId.get(f)?.name ?? f : "None"));
  const t = n.tensor && index.byId.get(n.tensor);
  const fields = [
    { name: "grad_fn", label: "name", text: n.name },
    { name: "next_functions", text: "(" + nexts.join(", ") + ")" },
    { name: "tensor", label: n.name === "AccumulateGrad" ? "variable" : "output of", text: t ? tensorLabel(t) : "" },
    { name: "grad_in", label: "gradient in", text: e ? e.grad_in.map((g) => nested(g)).join(", ") : "(not run yet)" },
    { name: "line", text: n.line == null ? "" : String(n.line) },
  ];
  return { title: n.name, kind: "function", fields, formulas: functionFormulas(doc, index, st, n.id), notes: [] };
}

function statsText(n) {
  const s = n.stats || {};
  return `${shapeText(n.shape)} values: min ${short(s.min)}, max ${short(s.max)}, mean ${short(s.mean)}`;
}

