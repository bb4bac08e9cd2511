// From a run document to a "scene": the boxes and arrows of one view (forward DAG or backward graph),
// with big graphs collapsed into groups per source line. Pure data in, pure data out.

import { preview, opSymbol } from "./format.js";

export const COLLAPSE_AT = 1500;   // above this many nodes in a view, group per source line
const BUDGET = 500;                 // groups auto-expand (smallest first) while the view stays under this
const CHUNK = 120;                  // an expanded group bigger than this shows chunks of this size

const PX_PER_CHAR = 8.2;

/** Index of the document: nodes by id, and each tensor's op-node id in the forward view (doc.graph). */
export function indexDocument(doc) {
  const byId = new Map();
  for (const n of doc.nodes) byId.set(n.id, n);
  const opIdOf = new Map();   // tensor id -> id of the op node that produced it (forward view)
  for (const n of doc.graph.forward.nodes) if (n.kind === "op") opIdOf.set(n.ref, n.id);
  const tensorOfOp = new Map([...opIdOf].map(([t, op]) => [op, t]));
  return { byId, opIdOf, tensorOfOp };
}

const VALUE_CHAR_PX = 8.6;   // 14px monospace

/** Box size from the longest row it will show (final data and grad previews), capped. */
function tensorBox(t) {
  const rows = [String(t.label ?? "").length * 1.15, 18];
  if (t.data !== null && t.data !== undefined) rows.push(preview(t.data, 28).length);
  if (t.grad !== null && t.grad !== undefined) rows.push(5 + preview(t.grad, 24).length);
  const w = Math.round(Math.min(270, Math.max(118, Math.max(...rows) * VALUE_CHAR_PX + 20)));
  return { w, h: 78, chars: Math.floor((w - 14) / VALUE_CHAR_PX) };
}

function tensorNode(t) {
  const title = `${t.name ?? t.label} — ${t.is_leaf ? "leaf" : "result of " + t.op}${t.requires_grad ? ", requires_grad" : ""}${t.grad_fn ? ", grad_fn=" + t.grad_fn : ""} (line ${t.line ?? "?"})`;
  return { id: t.id, kind: "tensor", ref: t.id, line: t.line, iteration: t.iteration, title, rounded: !t.is_leaf, attrs: { "data-name": t.name ?? "" }, ...tensorBox(t) };
}

/**
 * The full (uncollapsed) node and edge lists of a view: the server's graph model (doc.graph, built by
 * app/graph_model.py, the same one DOT export writes) with each node's size and attributes for drawing.
 */
export function viewGraph(doc, index, view) {
  const nodes = doc.graph[view].nodes.map((g) => {
    const n = index.byId.get(g.ref);
    if (g.kind === "tensor") return tensorNode(n);
    if (g.kind === "function") {
      const t = n.tensor && index.byId.get(n.tensor);
      return { id: g.id, kind: "function", ref: g.id, line: n.line, iteration: t ? t.iteration : undefined, w: Math.max(120, n.name.length * PX_PER_CHAR + 26), h: 40, attrs: { "data-grad-fn": n.name } };
    }
    const label = opSymbol(n.op);
    const word = label.length > 2;   // "sigmoid" in 15px type, symbols ("×", "**") in 20px
    const w = Math.max(46, label.length * (word ? 9.4 : 12) + 24);
    const gradFn = g.id === n.grad_fn_id ? n.grad_fn : null;
    return { id: g.id, kind: "op", ref: n.id, line: n.line, iteration: n.iteration, w, h: 46, op: n.op, attrs: { "data-grad-fn": gradFn, "data-op": n.op, "data-word": word ? "" : null } };
  });
  return { nodes, edges: doc.graph[view].edges.map((e) => ({ ...e })) };
}

const iterationKey = (n) => (n.iteration && n.iteration.length ? n.iteration.join(".") : null);

/** Split a big line group into chunks of about CHUNK nodes that never cut a loop iteration in two. */
function chunks(members) {
  const out = [];
  let current = null, lastKey;
  for (const m of members) {
    const key = iterationKey(m);
    if (!current || (current.members.length >= CHUNK && key !== lastKey)) {
      current = { members: [], first: key, last: key };
      out.push(current);
    }
    current.members.push(m);
    current.last = key;
    lastKey = key;
  }
  out.forEach((c, i) => {
    c.title = c.first !== null && c.first !== undefined ? `iterations ${c.first}–${c.last}` : `part ${i + 1}`;
  });
  return out;
}

/**
 * Collapse a view into groups per source line when it is big. `expanded` holds group keys the user
 * opened. Returns {nodes, edges, groups, unitOf} where unitOf maps a node id to the id drawn for it.
 */
export function collapse(graph, expanded = new Set()) {
  const unitOf = new Map();
  if (graph.nodes.length <= COLLAPSE_AT) {
    for (const n of graph.nodes) unitOf.set(n.id, n.id);
    return { ...graph, groups: new Map(), unitOf, collapsed: false };
  }
  const byLine = new Map();
  for (const n of graph.nodes) {
    const key = "L" + (n.line ?? "?");
    if (!byLine.has(key)) byLine.set(key, []);
    byLine.get(key).push(n);
  }
  // Auto-expand the smallest lines while the view stays small; the rest start collapsed.
  const open = new Set(expanded);
  let visible = byLine.size;
  for (const [key, members] of [...byLine].sort((a, b) => a[1].length - b[1].length)) {
    if (members.length > CHUNK) break;
    if (visible + members.length - 1 > BUDGET) break;
    open.add(key); visible += members.length - 1;
  }
  const groups = new Map();
  const nodes = [];
  const addGroup = (key, members, line, title) => {
    const ops = new Map();
    for (const m of members) { const k = m.op ?? m.kind; ops.set(k, (ops.get(k) || 0) + 1); }
    groups.set(key, { key, members: members.map((m) => m.id), line, title, ops: [...ops].sort((a, b) => b[1] - a[1]) });
    const w = Math.max(230, (title.length + 16) * 8.4 + 24);   // "<title> · N nodes ⊕" in bold 14px
    nodes.push({ id: "group:" + key, kind: "group", ref: key, line, w, h: 60, attrs: { "data-group": key } });
    for (const m of members) unitOf.set(m.id, "group:" + key);
  };
  for (const [key, members] of byLine) {
    const line = members[0].line;
    if (!open.has(key)) { addGroup(key, members, line, `line ${line ?? "?"}`); continue; }
    if (members.length <= CHUNK) { for (const m of members) { nodes.push(m); unitOf.set(m.id, m.id); } continue; }
    chunks(members).forEach((chunk, c) => {
      const ckey = key + ":" + c;
      if (open.has(ckey)) for (const m of chunk.members) { nodes.push(m); unitOf.set(m.id, m.id); }
      else addGroup(ckey, chunk.members, line, `line ${line ?? "?"} · ${chunk.title}`);
    });
  }
  const edges = [];
  const seen = new Set();
  for (const e of graph.edges) {
    const source = unitOf.get(e.source), target = unitOf.get(e.target);
    if (!source || !target || source === target) continue;
    const key = source + ">" + target;
    if (seen.has(key)) continue;
    seen.add(key);
    edges.push({ source, target, kind: e.kind, grouped: source !== e.source || target !== e.target });
  }
  return { nodes, edges, groups, unitOf, collapsed: true };
}
