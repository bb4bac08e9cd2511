// The answers to a question as a histogram: pure binning plus an SVG renderer (text via textContent only).
import { short } from "./format.js";

const SVG = "http://www.w3.org/2000/svg";

/** Equal-width bins over the answers (and the true value, once known): [{lo, hi, count}]. */
export function bins(values, truth = null, binCount = 12) {
  const all = truth === null ? values : [...values, truth];
  if (!all.length) return [];
  let lo = Math.min(...all), hi = Math.max(...all);
  const n = lo === hi ? 1 : binCount;
  if (lo === hi) { lo -= 0.5; hi += 0.5; }
  const width = (hi - lo) / n;
  const out = Array.from({ length: n }, (_, i) => ({ lo: lo + i * width, hi: lo + (i + 1) * width, count: 0 }));
  for (const v of values) out[Math.min(n - 1, Math.floor((v - lo) / width))].count += 1;
  return out;
}

/** Draw `values` into `svg`; with `truth`, a marker at the true value and the tolerance band. */
export function renderHistogram(svg, values, { truth = null, tolerance = null } = {}) {
  const W = 260, H = 120, pad = 18;
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.replaceChildren();
  svg.dataset.answered = String(values.length);
  const data = bins(values, truth);
  if (!data.length) return;
  const top = Math.max(...data.map((b) => b.count));
  const lo = data[0].lo, hi = data[data.length - 1].hi;
  const x = (v) => pad + ((v - lo) / (hi - lo)) * (W - 2 * pad);
  const barW = (W - 2 * pad) / data.length;
  const el = (name, attrs, parent = svg) => {
    const node = document.createElementNS(SVG, name);
    for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
    parent.appendChild(node);
    return node;
  };
  if (truth !== null && tolerance !== null) {
    el("rect", { class: "band", x: x(truth - tolerance), y: 4, width: Math.max(2, x(truth + tolerance) - x(truth - tolerance)), height: H - 22 });
  }
  data.forEach((b, i) => {
    const h = top ? (b.count / top) * (H - 40) : 0;
    const bar = el("rect", { class: "bar", x: pad + i * barW + 1, y: H - 18 - h, width: barW - 2, height: h, "data-count": b.count });
    el("title", {}, bar).textContent = `${short(b.lo)} – ${short(b.hi)}: ${b.count}`;
    if (b.count) el("text", { class: "count", x: pad + (i + 0.5) * barW, y: H - 22 - h }).textContent = String(b.count);
  });
  el("text", { class: "axis", x: pad, y: H - 4 }).textContent = short(lo);
  el("text", { class: "axis end", x: W - pad, y: H - 4 }).textContent = short(hi);
  if (truth !== null) {
    el("line", { class: "truth", x1: x(truth), x2: x(truth), y1: 2, y2: H - 18 });
  }
}
