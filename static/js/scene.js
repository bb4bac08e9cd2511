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
  return { id: t.id, kind: "tensor", ref: t.id, line: t.line, iteration: t.iteration, scope: t.scope, gradOf: t.grad_of ?? null, title, rounded: !t.is_leaf, attrs: { "data-name": t.name ?? "" }, ...tensorBox(t) };
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
      return { id: g.id, kind: "function", ref: g.id, line: n.line, iteration: t ? t.iteration : undefined, scope: n.scope ?? (t ? t.scope : undefined), w: Math.max(120, n.name.length * PX_PER_CHAR + 26), h: 40, attrs: { "data-grad-fn": n.name } };
    }
    const label = opSymbol(n.op);
    const word = label.length > 2;   // "sigmoid" in 15px type, symbols ("×", "**") in 20px
    const w = Math.max(46, label.length * (word ? 9.4 : 12) + 24);
    const gradFn = g.id === n.grad_fn_id ? n.grad_fn : null;
    return { id: g.id, kind: "op", ref: n.id, line: n.line, iteration: n.iteration, scope: n.scope, w, h: 46, op: n.op, attrs: { "data-grad-fn": gradFn, "data-op": n.op, "data-word": word ? "" : null } };
  });
  return { nodes, edges: doc.graph[view].edges.map((e) => ({ ...e })), source: (doc.code || "").split("\n") };
}

const iterationKey = (n) => (n.iteration && n.iteration.length ? n.iteration.join(".") : null);

/**
 * How a view may be grouped, coarsest last: by module / function call (the document's `scope`), by
 * loop iteration, by source line. The controller tries them in this order until the graph fits the
 * pane at a legible scale (a level that groups nothing is skipped).
 */
export const GROUPINGS = ["scope", "iteration", "line"];

/** The group key of a node at a grouping level (null: drawn as itself); `open` holds opened keys. */
function groupKey(n, by, open) {
  if (by === "scope") {
    const scope = n.scope || [];
    for (let d = 1; d <= scope.length; d++) {
      const key = "S:" + scope.slice(0, d).join("/");
      if (!open.has(key)) return key;
    }
    return null;
  }
  if (by === "iteration") {
    const it = n.iteration || [];
    for (let d = 1; d <= it.length; d++) {
      const key = "I:" + it.slice(0, d).join(".");
      if (!open.has(key)) return key;
    }
    return null;
  }
  return "L" + (n.line ?? "?");
}

/** A readable title for a group key ("model.fc1", "iteration 3", "L17 h = F.relu(x @ W1…"). */
function groupTitle(key, line, source) {
  if (key.startsWith("S:")) return key.slice(2).split("/").pop();
  if (key.startsWith("I:")) return "iteration " + key.slice(2).split(".").join(" · ");
  const text = source && line ? (source[line - 1] || "").trim() : "";
  if (!text) return `line ${line ?? "?"}`;
  return `L${line} ` + (text.length > 22 ? text.slice(0, 21) + "…" : text);
}

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

/** Whether grouping `graph` by `by` would draw fewer boxes than its nodes. */
export function groupsSomething(graph, by) {
  if (!by) return false;
  const seen = new Map();
  for (const n of graph.nodes) {
    const key = groupKey(n, by, new Set());
    if (key !== null) seen.set(key, (seen.get(key) || 0) + 1);
  }
  for (const count of seen.values()) if (count > 1) return true;
  return false;
}

/** The op summary of a group, short enough for its box: "12× mul, 6× add +2 more". */
export function groupSummary(ops, maxChars) {
  const parts = ops.map(([op, c]) => `${c}× ${op}`);
  let text = "";
  for (let i = 0; i < parts.length; i++) {
    const rest = parts.length - i - 1;
    const next = (text ? text + ", " : "") + parts[i];
    const tail = rest ? ` +${rest} more` : "";
    if ((next + tail).length > maxChars) return text ? `${text} +${parts.length - i} more` : `${parts.length} kinds of node`;
    text = next;
  }
  return text;
}

const GROUP_CHAR_PX = 8.6;   // bold 14px sans, generous

/**
 * Collapse a view into groups (`by`: "scope" | "iteration" | "line"; null: no grouping). A view above
 * COLLAPSE_AT nodes is always grouped, at least per line. `expanded` holds group keys the user
 * opened. Returns {nodes, edges, groups, unitOf, collapsed, by} where unitOf maps a node id to the id
 * drawn for it.
 */
export function collapse(graph, expanded = new Set(), by = null) {
  const unitOf = new Map();
  if (!by && graph.nodes.length > COLLAPSE_AT) by = "line";
  if (!by) {
    for (const n of graph.nodes) unitOf.set(n.id, n.id);
    return { ...graph, groups: new Map(), unitOf, collapsed: false, by: null };
  }
  const open = new Set(expanded);
  const byKey = new Map();
  const order = [];   // first appearance: groups keep the program's order
  for (const n of graph.nodes) {
    const key = groupKey(n, by, open);
    const k = key ?? "=" + n.id;
    if (!byKey.has(k)) { byKey.set(k, []); order.push(k); }
    byKey.get(k).push(n);
  }
  if (by === "line") {
    // auto-expand the smallest lines while the view stays small; the rest start collapsed
    let visible = byKey.size;
    for (const [key, members] of [...byKey].sort((a, b) => a[1].length - b[1].length)) {
      if (members.length > CHUNK || visible + members.length - 1 > BUDGET) break;
      if (graph.nodes.length > COLLAPSE_AT) { open.add(key); visible += members.length - 1; }
    }
  }
  const groups = new Map();
  const nodes = [];
  const addGroup = (key, members, title) => {
    const ops = new Map();
    for (const m of members) { const k = m.op ?? (m.kind === "function" ? m.attrs?.["data-grad-fn"] : null) ?? m.kind; ops.set(k, (ops.get(k) || 0) + 1); }
    const line = members[0].line;
    const head = `${title} · ${members.length} ⊕`;
    const w = Math.round(Math.max(180, head.length * GROUP_CHAR_PX + 28));
    const summary = groupSummary([...ops].sort((a, b) => b[1] - a[1]), Math.floor((w - 20) / 8.6));   // 14px monospace
    const iteration = members[0].iteration;
    const scope = members[0].scope;
    groups.set(key, { key, members: members.map((m) => m.id), line, title, head, summary, ops: [...ops].sort((a, b) => b[1] - a[1]) });
    nodes.push({
      id: "group:" + key, kind: "group", ref: key, line, iteration, scope, w, h: 60, title: `${head}\n${summary}`,
      attrs: { "data-group": key, "data-node-id": "group:" + key, "data-name": title, "data-line": line ?? null,
        "data-iteration": iteration && iteration.length ? iteration.join(".") : null, "data-scope": scope && scope.length ? scope.join("/") : null,
        "data-members": members.length, role: "button", tabindex: "0", "aria-label": `${head}: open the group` },
    });
    for (const m of members) unitOf.set(m.id, "group:" + key);
  };
  const single = (m) => { nodes.push(m); unitOf.set(m.id, m.id); };
  for (const key of order) {
    const members = byKey.get(key);
    if (key.startsWith("=") || members.length === 1 || open.has(key)) {
      if (by !== "line" || members.length <= CHUNK || !open.has(key)) { members.forEach(single); continue; }
      chunks(members).forEach((chunk, c) => {
        const ckey = key + ":" + c;
        if (open.has(ckey)) chunk.members.forEach(single);
        else addGroup(ckey, chunk.members, `line ${members[0].line ?? "?"} · ${chunk.title}`);
      });
      continue;
    }
    addGroup(key, members, groupTitle(key, members[0].line, graph.source));
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
  return { nodes, edges, groups, unitOf, collapsed: groups.size > 0, by };
}
