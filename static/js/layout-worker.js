// Web Worker: lays out a scene with Graphviz dot (WebAssembly) so the page never freezes.
// In:  {id, nodes: [[w, h], ...] (px), edges: [[sourceIndex, targetIndex, constraint, labelChars], ...], rankdir}
// Out: {id, ms, width, height, centers: [x0, y0, x1, y1, ...], paths: [[x, y, x, y, ...], ...],
//       labels: [{x, y} | null, ...]} (px, y down; labels: the centre dot gave each edge's label slot)
import { Graphviz } from "../vendor/graphviz/graphviz.js";

const graphvizReady = Graphviz.load().then((graphviz) => {
  graphviz.layout("digraph { a -> b; a -> c; b -> c }", "plain", "dot");   // warm the WASM up
  return graphviz;
});
const PT = 72;   // Graphviz works in points (inches for sizes); we draw 1 px = 1 pt

// Spline routing dominates dot's time on big graphs (1,000 nodes: 1.1 s with splines, 0.15 s with lines).
const SPLINES_UP_TO = 150;

function toDot({ nodes, edges, rankdir }) {
  const splines = nodes.length <= SPLINES_UP_TO ? "spline" : "line";
  const labelled = edges.some((e) => e[3]);
  const out = [
    "digraph G {",
    // left to right, a gradient's label sits on a horizontal edge: give it the width of a number or two
    // a labelled edge gets its label's own rank, so the ranks themselves can sit closer
    `graph [rankdir=${rankdir === "LR" ? "LR" : "TB"}, nodesep=0.3, ranksep=${(rankdir === "LR" ? 0.9 : 0.42) * (labelled ? 0.5 : 1)}, splines=${splines}, mclimit=0.6, searchsize=20];`,
    'node [shape=box, fixedsize=true, label=""];',
    "edge [arrowhead=none];",
  ];
  nodes.forEach(([w, h], i) => out.push(`n${i} [width=${(w / PT).toFixed(3)}, height=${(h / PT).toFixed(3)}];`));
  for (const [s, t, constraint, chars] of edges) {
    const attrs = [];
    if (!constraint) attrs.push("constraint=false");
    // a label slot as wide as the gradient's text (14px monospace: Courier's 0.6 em a character) plus padding
    if (chars) attrs.push(`label="${"M".repeat(chars + 2)}", fontname="Courier", fontsize=14`);
    out.push(`n${s} -> n${t}${attrs.length ? " [" + attrs.join(", ") + "]" : ""};`);
  }
  out.push("}");
  return out.join("\n");
}

/** Parse Graphviz's "plain" output (inches, y up) into centers and edge polylines (px, y down). */
function parsePlain(text, nodeCount, edges) {
  const centers = new Float64Array(nodeCount * 2);
  const paths = new Array(edges.length).fill(null);
  const labels = new Array(edges.length).fill(null);
  const pending = new Map();   // "s>t" -> queue of edge indexes (duplicate edges stay aligned)
  edges.forEach(([s, t], i) => {
    const k = s + ">" + t;
    if (!pending.has(k)) pending.set(k, []);
    pending.get(k).push(i);
  });
  let height = 0, width = 0;
  for (const line of text.split("\n")) {
    const f = line.split(" ");
    if (f[0] === "graph") { width = +f[2] * PT; height = +f[3] * PT; }
    else if (f[0] === "node") {
      const i = +f[1].slice(1);
      centers[2 * i] = +f[2] * PT; centers[2 * i + 1] = height - +f[3] * PT;
    } else if (f[0] === "edge") {
      const s = f[1].slice(1), t = f[2].slice(1), n = +f[3];
      const pts = new Array(2 * n);
      for (let j = 0; j < n; j++) { pts[2 * j] = +f[4 + 2 * j] * PT; pts[2 * j + 1] = height - +f[5 + 2 * j] * PT; }
      const queue = pending.get(s + ">" + t);
      if (queue && queue.length) {
        const i = queue.shift();
        paths[i] = pts;
        const rest = f.length - (4 + 2 * n);   // [label xl yl] style color
        if (rest >= 5) labels[i] = { x: +f[5 + 2 * n] * PT, y: height - +f[6 + 2 * n] * PT };
      }
    }
  }
  return { width, height, centers: Array.from(centers), paths, labels };
}

self.onmessage = async (message) => {
  const request = message.data;
  try {
    const graphviz = await graphvizReady;
    const t0 = performance.now();
    const plain = graphviz.layout(toDot(request), "plain", "dot");
    const result = parsePlain(plain, request.nodes.length, request.edges);
    self.postMessage({ id: request.id, ms: performance.now() - t0, ...result });
  } catch (error) {
    self.postMessage({ id: request.id, error: String(error && error.message || error) });
  }
};
self.postMessage({ ready: false });
graphvizReady.then(() => self.postMessage({ ready: true }));
