// The training-loop panel: the loss curve (SVG, one point per iteration, printed scalars as extra
// series) and the iteration chooser; plus the filter that keeps one iteration's part of a graph.

import { short } from "./format.js";

const SVG = "http://www.w3.org/2000/svg";
const W = 300, H = 130, PAD = { left: 38, right: 8, top: 8, bottom: 18 };
const COLOURS = ["var(--accent, #2563eb)", "#d97706", "#059669", "#db2777", "#7c3aed"];

const finite = (v) => (typeof v === "number" && Number.isFinite(v) ? v : null);
const label = (v) => (v === null ? "—" : short(v));

/** The series drawn: the loss first, then each printed label, as [{name, values}]. */
export function curveSeries(loop) {
  const series = [{ name: "loss", values: loop.iterations.map((i) => finite(i.loss)) }];
  for (const name of loop.series) {
    if (name === "loss") continue;   // a printed loss is the same curve as the backward root's
    series.push({ name, values: loop.iterations.map((i) => finite(i.scalars[name])) });
  }
  return series;
}

function el(name, attrs = {}, parent = null) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (parent) parent.appendChild(node);
  return node;
}

/** Draw the panel for `loop` (or hide it when null); `current` is the chosen iteration or null. */
export function renderCurve(panel, loop, current, onChoose) {
  panel.hidden = !loop;
  panel.dataset.currentIteration = current === null || current === undefined ? "" : String(current);
  if (!loop) { panel.replaceChildren(); return; }
  const iterations = loop.iterations;
  const series = curveSeries(loop);
  const svg = el("svg", { viewBox: `0 0 ${W} ${H}`, class: "curve-svg", role: "img", "aria-label": "loss per iteration" });
  const n = iterations.length;
  const x = (k) => PAD.left + (n > 1 ? (k / (n - 1)) * (W - PAD.left - PAD.right) : (W - PAD.left - PAD.right) / 2);
  const legend = document.createElement("div");
  legend.className = "curve-legend";
  series.forEach((s, si) => {
    const known = s.values.filter((v) => v !== null);
    const lo = known.length ? Math.min(...known) : 0, hi = known.length ? Math.max(...known) : 1;
    const span = hi - lo || 1;   // every series on its own scale; the axis labels are the loss's
    const y = (v) => PAD.top + (1 - (v - lo) / span) * (H - PAD.top - PAD.bottom);
    if (si === 0) {
      el("text", { x: PAD.left - 4, y: PAD.top + 8, "text-anchor": "end", class: "curve-axis" }, svg).textContent = label(hi);
      el("text", { x: PAD.left - 4, y: H - PAD.bottom, "text-anchor": "end", class: "curve-axis" }, svg).textContent = label(lo);
      el("text", { x: W - PAD.right, y: H - 4, "text-anchor": "end", class: "curve-axis" }, svg).textContent = `iteration ${iterations[n - 1].index}`;
    }
    const colour = COLOURS[si % COLOURS.length];
    const points = s.values.map((v, k) => (v === null ? null : `${x(k).toFixed(1)},${y(v).toFixed(1)}`)).filter(Boolean);
    el("polyline", { points: points.join(" "), fill: "none", stroke: colour, "stroke-width": si ? 1.2 : 2, "data-series": s.name }, svg);
    if (si === 0) {
      s.values.forEach((v, k) => {
        const record = iterations[k];
        const dot = el("circle", {
          cx: x(k).toFixed(1), cy: (v === null ? H - PAD.bottom : y(v)).toFixed(1), r: record.index === current ? 5 : 3,
          fill: colour, class: "curve-point" + (record.index === current ? " chosen" : ""),
          "data-iteration": record.index, "data-loss": v === null ? "" : v,
        }, svg);
        el("title", {}, dot).textContent = `iteration ${record.index}: ` +
          series.map((t) => `${t.name} ${label(t.values[k])}`).join(", ");
        dot.addEventListener("click", () => onChoose(record.index));
      });
    }
    const item = document.createElement("span");
    item.className = "curve-key";
    item.dataset.series = s.name;
    item.style.setProperty("--key", colour);
    item.textContent = s.name;
    legend.appendChild(item);
  });
  const chooser = document.createElement("select");
  chooser.className = "curve-chooser";
  chooser.dataset.testid = "iteration";
  chooser.setAttribute("aria-label", "Iteration shown in the graph");
  chooser.append(new Option("all iterations", ""));
  for (const record of iterations) chooser.append(new Option(`iteration ${record.index}`, String(record.index)));
  chooser.value = panel.dataset.currentIteration;
  chooser.dataset.currentIteration = panel.dataset.currentIteration;
  chooser.addEventListener("change", () => onChoose(chooser.value === "" ? null : Number(chooser.value)));
  const head = document.createElement("div");
  head.className = "curve-head";
  const title = document.createElement("span");
  title.className = "pane-title";
  title.textContent = "Training loop";
  head.append(title, legend, chooser);
  panel.replaceChildren(head, svg);
}

/** The part of a view's graph that belongs to one iteration: its own nodes, those made outside the loop, and .grad tensors. */
export function iterationGraph(graph, loop, chosen) {
  const record = loop.iterations.find((i) => i.index === chosen);
  if (!record) return graph;
  const inLoop = new Set(loop.iterations.flatMap((i) => i.nodes));
  const mine = new Set(record.nodes);
  // a leaf's .grad lives across iterations (made in the first, zeroed in each): every iteration shows it
  const keep = (n) => { const ref = n.ref ?? n.id; return mine.has(ref) || !inLoop.has(ref) || Boolean(n.gradOf); };
  const nodes = graph.nodes.filter(keep);
  const ids = new Set(nodes.map((n) => n.id));
  return { ...graph, nodes, edges: graph.edges.filter((e) => ids.has(e.source) && ids.has(e.target)) };
}

/** The iteration record step `step` is in (events[step - 1]); before the loop the first, after it the last. */
export function iterationAt(loop, step) {
  const its = loop.iterations;
  const at = step - 1;
  for (const record of its) if (at >= record.first_step && at <= record.last_step) return record;
  return at < its[0].first_step ? its[0] : its[its.length - 1];
}
