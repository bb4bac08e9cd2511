// SVG renderer of a laid-out scene: boxes, arrows, zoom/pan/fit, and per-step states applied as diffs.
// It knows nothing of autograd: the controller hands it plain node/edge states.

const SVG = "http://www.w3.org/2000/svg";
const el = (name, attrs = {}, parent = null) => {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (parent) parent.appendChild(e);
  return e;
};

function pathFrom(points) {
  if (!points || points.length < 4) return "";
  const p = points.map((v) => v.toFixed(1));
  let d = `M${p[0]},${p[1]}`;
  if ((points.length / 2 - 1) % 3 === 0) {
    for (let i = 2; i < p.length; i += 6) d += `C${p[i]},${p[i + 1]} ${p[i + 2]},${p[i + 3]} ${p[i + 4]},${p[i + 5]}`;
  } else {
    for (let i = 2; i < p.length; i += 2) d += `L${p[i]},${p[i + 1]}`;
  }
  return d;
}

const LABEL_CHAR_PX = 8.5;   // 14px monospace: 0.6 em a character

/** Boxes in a coarse grid, to ask "what does this box cover?" fast on graphs of thousands of nodes. */
class BoxGrid {
  constructor(cell = 96) { this.cell = cell; this.cells = new Map(); this.boxes = new Map(); }
  _keys(b) {
    const c = this.cell, keys = [];
    for (let i = Math.floor(b.x / c); i <= Math.floor((b.x + b.w) / c); i++) {
      for (let j = Math.floor(b.y / c); j <= Math.floor((b.y + b.h) / c); j++) keys.push(i + "," + j);
    }
    return keys;
  }
  add(box, id) {
    this.remove(id);
    this.boxes.set(id, box);
    for (const k of this._keys(box)) { if (!this.cells.has(k)) this.cells.set(k, new Set()); this.cells.get(k).add(id); }
  }
  remove(id) {
    const box = this.boxes.get(id);
    if (!box) return;
    for (const k of this._keys(box)) this.cells.get(k)?.delete(id);
    this.boxes.delete(id);
  }
  /** How many stored boxes `b` overlaps. */
  count(b) {
    const seen = new Set();
    for (const k of this._keys(b)) {
      for (const id of this.cells.get(k) || []) {
        if (seen.has(id)) continue;
        const o = this.boxes.get(id);
        if (o.x < b.x + b.w && b.x < o.x + o.w && o.y < b.y + b.h && b.y < o.y + o.h) seen.add(id);
      }
    }
    return seen.size;
  }
}

export class GraphView {
  /**
   * @param {HTMLElement} frame       the visible area (takes the wheel and drag input)
   * @param {HTMLElement} canvas      holds both SVGs; pan and zoom are a CSS transform of this one
   *                                  composited layer, so panning never repaints the graph
   * @param {SVGSVGElement} svg       the graph (repainted only when a step changes it)
   * @param {SVGSVGElement} overlaySvg the callout, on its own layer
   * @param {{onSelect(id), onExpand(key), onBackground()}} handlers
   */
  constructor(frame, canvas, svg, overlaySvg, handlers) {
    this.frame = frame;
    this.canvas = canvas;
    this.svg = svg;
    this.handlers = handlers;
    this.defs = el("defs", {}, svg);
    const marker = el("marker", { id: "arrow", viewBox: "0 0 10 10", refX: "9", refY: "5", markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse" }, this.defs);
    el("path", { d: "M0,0 L10,5 L0,10 z", class: "arrowhead" }, marker);
    this.viewport = el("g", { class: "viewport" }, svg);
    this.edgeLayer = el("g", { class: "edges" }, this.viewport);
    this.nodeLayer = el("g", { class: "nodes" }, this.viewport);
    this.overlaySvg = overlaySvg;
    this.overlay = el("g", { class: "overlay" }, overlaySvg);
    this.dotViewport = document.createElement("div");
    this.dotViewport.className = "dots-viewport";
    overlaySvg.insertAdjacentElement("afterend", this.dotViewport);
    this.view = { x: 0, y: 0, k: 1 };
    this.maxScale = 1.4;      // fit() never magnifies more than this
    this.legiblePx = 11;      // no text is drawn smaller than this on screen (classroom: 16)
    this.follow = true;       // the camera keeps the current event in view
    this.grid = new BoxGrid();
    this.nodes = new Map();   // id -> {g, shape, texts, state}
    this.edges = [];          // {path, label, state, source, target}
    this.flowDots = [];
    this.size = { width: 0, height: 0 };
    this._bindInput();
  }

  /** Replace the drawing. scene nodes: {id, kind, w, h, attrs}; layout: {pos, paths, width, height}. */
  draw(scene, layout) {
    this.edgeLayer.replaceChildren(); this.nodeLayer.replaceChildren(); this.overlay.replaceChildren();
    for (const d of this.flowDots) d.remove();
    this.nodes.clear(); this.edges = []; this.flowDots = []; this.callout = null;
    this.size = { width: layout.width, height: layout.height };
    this.rankdir = layout.rankdir;
    this.grid = new BoxGrid();
    this.camera = null;
    for (const svg of [this.svg, this.overlaySvg]) {
      svg.setAttribute("width", Math.ceil(layout.width));
      svg.setAttribute("height", Math.ceil(layout.height));
    }
    const edgeFrag = document.createDocumentFragment();
    scene.edges.forEach((e, i) => {
      const kind = e.kind + (layout.detached && layout.detached.has(i) ? " detached" : "");
      const g = el("g", { class: "edge " + kind, "data-source": e.source, "data-target": e.target });
      const path = el("path", { d: pathFrom(layout.paths[i]), "marker-end": "url(#arrow)" }, g);
      edgeFrag.appendChild(g);
      this.edges.push({ g, path, kind, points: layout.paths[i], slot: layout.labels ? layout.labels[i] : null, label: null, state: {}, source: e.source, target: e.target });
    });
    this.edgeLayer.appendChild(edgeFrag);
    const nodeFrag = document.createDocumentFragment();
    for (const n of scene.nodes) {
      const p = layout.pos.get(n.id);
      // Absolute coordinates, no per-node transform: thousands of transform nodes would make every
      // frame's compositing update (Layerize) walk thousands of paint chunks.
      const g = el("g", { class: "node " + n.kind, "data-node-id": n.id });
      for (const [k, v] of Object.entries(n.attrs || {})) if (v !== null && v !== undefined) g.setAttribute(k, v);
      if (n.title) el("title", {}, g).textContent = n.title;
      if (n.kind === "group") g.addEventListener("keydown", (e) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); e.stopPropagation(); this.handlers.onExpand?.(n.ref); } });
      const ox = +(p.x - n.w / 2).toFixed(1), oy = +(p.y - n.h / 2).toFixed(1);
      const shape = this._shape(n, g, ox, oy);
      const texts = this._texts(n, g, ox, oy);
      nodeFrag.appendChild(g);
      this.nodes.set(n.id, { g, shape, texts, node: n, x: p.x, y: p.y, state: { cls: "", lines: [] } });
      this.grid.add({ x: ox - 3, y: oy - 3, w: n.w + 6, h: n.h + 6 }, "node:" + n.id);
    }
    this.nodeLayer.appendChild(nodeFrag);
  }

  _shape(n, g, x, y) {
    const { w, h } = n;
    if (n.kind === "op") return el("ellipse", { cx: x + w / 2, cy: y + h / 2, rx: w / 2, ry: h / 2, class: "shape" }, g);
    if (n.kind === "function") return el("rect", { x, y, width: w, height: h, rx: h / 2, class: "shape" }, g);
    if (n.kind === "group") {
      el("rect", { x: x + 6, y: y - 6, width: w, height: h, rx: 6, class: "shape stack" }, g);
      return el("rect", { x, y, width: w, height: h, rx: 6, class: "shape" }, g);
    }
    return el("rect", { x, y, width: w, height: h, rx: n.rounded ? 16 : 2, class: "shape" }, g);
  }

  _texts(n, g, x, y) {
    const rows = n.kind === "tensor" ? [21, 38, 55, 71] : n.kind === "group" ? [24, 44] : [n.h / 2 + 5];
    return rows.map((dy, i) => el("text", { x: x + n.w / 2, y: y + dy, class: "row" + i }, g));
  }

  /** Apply per-node states {cls, lines: [..]} (Map id -> state); only changed DOM is touched. */
  updateNodes(states) {
    for (const [id, entry] of this.nodes) {
      const s = states.get(id);
      if (!s) continue;
      if (s.cls !== entry.state.cls) entry.g.setAttribute("class", `node ${entry.node.kind} ${s.cls}`);
      for (let i = 0; i < entry.texts.length; i++) {
        const text = s.lines[i] ?? "";
        if (text !== (entry.state.lines[i] ?? "")) entry.texts[i].textContent = text;
      }
      entry.state = s;
    }
  }

  /** Per-edge states, aligned with scene.edges: {cls, label}. */
  updateEdges(states) {
    this.edges.forEach((edge, i) => {
      const s = states[i] || { cls: "", label: "" };
      if (edge.kind.includes("detached")) s.label = "";
      if (s.cls !== edge.state.cls) edge.g.setAttribute("class", `edge ${edge.kind} ${s.cls}`);
      if ((s.label || "") !== (edge.state.label || "")) {
        if (!edge.label) {
          edge.labelBg = el("rect", { class: "edge-label-bg", rx: 4 }, edge.g);
          edge.label = el("text", { class: "edge-label" }, edge.g);
        }
        edge.label.textContent = s.label || "";
        this.grid.remove("label:" + i);
        if (s.label) {
          const box = this._placeLabel(edge, s.label.length * LABEL_CHAR_PX + 10, 20);
          this.grid.add(box, "label:" + i);
          edge.labelBox = box;
          edge.label.setAttribute("x", (box.x + box.w / 2).toFixed(1));
          edge.label.setAttribute("y", (box.y + 15).toFixed(1));
          Object.entries({ x: box.x, y: box.y, width: box.w, height: box.h }).forEach(([k, v]) => edge.labelBg.setAttribute(k, v.toFixed(1)));
        } else {
          edge.labelBox = null;
          for (const k of ["width", "height"]) edge.labelBg.setAttribute(k, 0);
        }
      }
      edge.state = s;
    });
  }

  /**
   * Where an edge's label goes: in the slot the layout reserved for it; else beside the edge (never on
   * it, where the gradient dot runs), at the first place along it that covers no node box and no other
   * label, the least crowded otherwise.
   */
  _placeLabel(edge, w, h) {
    if (edge.slot) return { x: edge.slot.x - w / 2, y: edge.slot.y - h / 2, w, h };   // dot kept this room free
    let best = null;
    for (const t of [0.5, 0.38, 0.62, 0.26, 0.74, 0.16, 0.84]) {
      const p = this._pointAt(edge, t), q = this._pointAt(edge, Math.min(1, t + 0.02));
      let dx = q.x - p.x, dy = q.y - p.y;
      const len = Math.hypot(dx, dy) || 1;
      dx /= len; dy /= len;
      // the normal, and how far along it the box must go to clear the line
      const nx = -dy, ny = dx;
      const clear = Math.abs(nx) * (w / 2) + Math.abs(ny) * (h / 2) + 5;
      for (const side of [1, -1]) {
        const cx = p.x + side * nx * clear, cy = p.y + side * ny * clear;
        const box = { x: cx - w / 2, y: cy - h / 2, w, h };
        const hits = this.grid.count(box);
        if (!hits) return box;
        if (!best || hits < best.hits) best = { box, hits };
      }
    }
    return best.box;
  }

  _pointAt(edge, t) {
    if (!edge.length) edge.length = edge.path.getTotalLength() || 0;
    const p = edge.length ? edge.path.getPointAtLength(edge.length * t) : { x: 0, y: 0 };
    return { x: p.x, y: p.y };
  }

  /**
   * Gradient dots travelling along edges: [{edge index, reverse, text}] over `duration` ms. They are
   * HTML elements moved by Web Animations on `transform`, which the compositor runs: no paint of the
   * graph per frame (a 1,000-node SVG costs ~10 ms to repaint in software).
   */
  setFlows(flows, duration = 600) {
    for (const d of this.flowDots) d.remove();
    this.flowDots = flows.map((f) => {
      const edge = this.edges[f.edge];
      const dot = document.createElement("div");
      dot.className = "flow-dot";
      dot.title = f.text;
      this.dotViewport.appendChild(dot);
      const keyframes = [];
      for (let i = 0; i <= 12; i++) {
        const t = i / 12;
        const p = this._pointAt(edge, f.reverse ? 1 - t : t);
        keyframes.push({ transform: `translate(${p.x.toFixed(1)}px, ${p.y.toFixed(1)}px)`, opacity: i === 12 ? 0 : 1 });
      }
      dot.animate(keyframes, { duration, easing: "ease-in-out", fill: "forwards" });
      return dot;
    });
  }

  /** A box of text lines beside a node (the chain-rule step of the firing Function node). */
  setCallout(id, lines) {
    if (this.callout) { this.callout.remove(); this.callout = null; this.calloutBox = null; }
    const entry = id && this.nodes.get(id);
    if (!entry || !lines || !lines.length) return;
    const g = el("g", { class: "callout" }, this.overlay);
    const width = Math.max(...lines.map((l) => l.length)) * 8.6 + 20, height = lines.length * 19 + 10;   // 14px monospace
    const box = this._placeCallout(entry, width, height);
    el("rect", { x: box.x, y: box.y, width, height, rx: 6 }, g);
    lines.forEach((l, i) => { const t = el("text", { x: box.x + 10, y: box.y + 21 + i * 19 }, g); t.textContent = l; });
    this.calloutBox = box;
    this.callout = g;
  }

  /** Beside the node on the first side (across the flow first) where it covers no node or label. */
  _placeCallout(entry, w, h) {
    const n = entry.node, gap = 14;
    const right = { x: entry.x + n.w / 2 + gap, y: entry.y - h / 2, w, h };
    const left = { x: entry.x - n.w / 2 - gap - w, y: entry.y - h / 2, w, h };
    const below = { x: entry.x - w / 2, y: entry.y + n.h / 2 + gap, w, h };
    const above = { x: entry.x - w / 2, y: entry.y - n.h / 2 - gap - h, w, h };
    const sides = this.rankdir === "LR" ? [below, above, right, left] : [right, left, below, above];
    const candidates = [];
    for (const base of sides) {
      for (const shift of [0, -0.5, 0.5, -1, 1]) {
        const across = sides.indexOf(base) < 2 === (this.rankdir === "LR");
        candidates.push(across ? { ...base, x: base.x + shift * w } : { ...base, y: base.y + shift * h });
      }
    }
    let best = null;
    for (const box of candidates) {
      const hits = this.grid.count(box);
      if (!hits) return box;
      if (!best || hits < best.hits) best = { box, hits };
    }
    return best.box;
  }

  select(id) {
    for (const old of this.nodeLayer.querySelectorAll(".node.selected-node")) old.classList.remove("selected-node");
    const entry = id && this.nodes.get(id);
    if (entry) entry.g.classList.add("selected-node");
  }

  center(id) {
    const entry = this.nodes.get(id);
    if (!entry) return;
    const r = this.frame.getBoundingClientRect();
    this.view.x = r.width / 2 - entry.x * this.view.k;
    this.view.y = r.height / 2 - entry.y * this.view.k;
    this._apply();
  }

  /** The smallest scale at which a node's values and the gradients on edges (14px) stay legible. */
  get minScale() { return this.legiblePx / 14; }

  /** The scale that shows a laid-out size whole in the pane (at most maxScale). */
  wholeScale({ width, height }) {
    const r = this.frame.getBoundingClientRect();
    if (!width || !height || !r.width) return 1;
    return Math.min(this.maxScale, (r.width - 40) / width, (r.height - 90) / height);   // 90: clear of the legend
  }

  /**
   * Fit the graph to the pane, never below the legible scale: a graph too big for that is shown from
   * its start (top, or left when laid out left to right) and the camera follows the current event.
   * `overview` (the Fit button's second press) shows all of it however small.
   */
  fit({ overview = false } = {}) {
    const r = this.frame.getBoundingClientRect();
    const { width, height } = this.size;
    if (!width || !height || !r.width) return;
    const whole = this.wholeScale(this.size);
    const k = overview ? whole : Math.max(whole, Math.min(this.minScale, this.maxScale));
    const spareX = r.width - width * k, spareY = r.height - 70 - height * k;
    this.view = { k, x: spareX >= 0 ? spareX / 2 : 20, y: spareY >= 0 ? 20 + spareY / 2 : 20 };
    this.fitted = overview || k === whole ? "whole" : "readable";
    this.lastFitView = { ...this.view };
    this.camera = null;
    this._apply();
  }

  /** The Fit button: readable first, then the whole graph. */
  toggleFit() { this.fit({ overview: this.fitted === "readable" && this._atFit() }); }

  _atFit() { return this.lastFitView && this.view.k === this.lastFitView.k && this.view.x === this.lastFitView.x && this.view.y === this.lastFitView.y; }

  /** Graph-space box of what the current step is about: the current nodes, active edges, the callout. */
  activeBox() {
    const boxes = [];
    for (const entry of this.nodes.values()) {
      if (entry.state.cls && /\bcurrent\b/.test(entry.state.cls)) boxes.push({ x: entry.x - entry.node.w / 2, y: entry.y - entry.node.h / 2, w: entry.node.w, h: entry.node.h, main: true });
    }
    for (const edge of this.edges) {
      if (edge.state.cls && edge.state.cls.includes("active") && edge.points) {
        const xs = edge.points.filter((_, i) => i % 2 === 0), ys = edge.points.filter((_, i) => i % 2 === 1);
        boxes.push({ x: Math.min(...xs), y: Math.min(...ys), w: Math.max(...xs) - Math.min(...xs), h: Math.max(...ys) - Math.min(...ys) });
        if (edge.labelBox) boxes.push(edge.labelBox);
      }
    }
    if (this.calloutBox) boxes.push(this.calloutBox);
    if (!boxes.length) return null;
    const x0 = Math.min(...boxes.map((b) => b.x)), y0 = Math.min(...boxes.map((b) => b.y));
    const x1 = Math.max(...boxes.map((b) => b.x + b.w)), y1 = Math.max(...boxes.map((b) => b.y + b.h));
    const main = boxes.find((b) => b.main) || boxes[0];
    return { x: x0, y: y0, w: x1 - x0, h: y1 - y0, main };
  }

  /** Pan (smoothly) so the current event is inside the pane; nothing moves while it already is. */
  reveal({ smooth = true } = {}) {
    if (!this.follow) return;
    const box = this.activeBox();
    if (!box) return;
    const r = this.frame.getBoundingClientRect();
    const { k } = this.view;
    const margin = 24, bottom = 56;   // clear of the legend
    const inside = (b, v) => b.x * v.k + v.x >= margin && (b.x + b.w) * v.k + v.x <= r.width - margin &&
      b.y * v.k + v.y >= margin && (b.y + b.h) * v.k + v.y <= r.height - bottom;
    const goal = this.camera ? { ...this.camera } : this.view;
    if (inside(box, goal)) return;
    // back to the fitted view when that shows it; else the smallest move that shows the whole active box,
    // zooming out for it down to the legible scale; else centred on the node itself
    const fitted = this.lastFitView;
    let target = null;
    if (fitted && inside(box, fitted)) target = { ...fitted };
    else {
      const room = { w: r.width - 2 * margin, h: r.height - margin - bottom };
      const k2 = Math.min(k, Math.max(Math.min(this.minScale, k), Math.min(room.w / box.w, room.h / box.h)));
      if (box.w * k2 <= room.w && box.h * k2 <= room.h) {
        const shift = (lo, hi, min, max) => (lo < min ? min - lo : hi > max ? max - hi : 0);
        const vx = k2 === goal.k ? goal.x : r.width / 2 - (box.x + box.w / 2) * k2;
        const vy = k2 === goal.k ? goal.y : (r.height - bottom + margin) / 2 - (box.y + box.h / 2) * k2;
        target = {
          k: k2,
          x: vx + shift(box.x * k2 + vx, (box.x + box.w) * k2 + vx, margin, r.width - margin),
          y: vy + shift(box.y * k2 + vy, (box.y + box.h) * k2 + vy, margin, r.height - bottom),
        };
      } else {
        const m = box.main;
        target = { k: k2, x: r.width / 2 - (m.x + m.w / 2) * k2, y: (r.height - bottom + margin) / 2 - (m.y + m.h / 2) * k2 };
      }
    }
    if (!smooth) { this.camera = null; this.view = target; this._apply(); return; }
    this.camera = target;
    if (!this._cameraFrame) this._cameraFrame = requestAnimationFrame((t) => this._moveCamera(t));
  }

  _moveCamera() {
    this._cameraFrame = null;
    if (!this.camera) return;
    const dx = this.camera.x - this.view.x, dy = this.camera.y - this.view.y, dk = this.camera.k - this.view.k;
    if (Math.abs(dx) < 0.5 && Math.abs(dy) < 0.5 && Math.abs(dk) < 0.002) { this.view = { ...this.camera }; this.camera = null; }
    else { this.view.x += dx * 0.3; this.view.y += dy * 0.3; this.view.k += dk * 0.3; }
    this._apply();
    if (this.camera) this._cameraFrame = requestAnimationFrame((t) => this._moveCamera(t));
  }

  /** Readable zoom centred on one node. */
  focus(id) {
    this.view.k = Math.max(this.minScale, Math.min(1, this.maxScale));
    this.center(id);
  }

  zoomBy(factor, cx, cy) {
    const r = this.frame.getBoundingClientRect();
    if (cx === undefined) { cx = r.width / 2; cy = r.height / 2; }
    this.camera = null;
    const k = Math.min(8, Math.max(0.02, this.view.k * factor));
    this.view.x = cx - (cx - this.view.x) * (k / this.view.k);
    this.view.y = cy - (cy - this.view.y) * (k / this.view.k);
    this.view.k = k;
    this._apply();
  }

  panBy(dx, dy) { this.camera = null; this.view.x += dx; this.view.y += dy; this._apply(); }

  _apply() {
    if (this._frame) return;
    this._frame = requestAnimationFrame(() => {
      this._frame = null;
      const { x, y, k } = this.view;
      this.canvas.style.transform = `translate(${x.toFixed(1)}px, ${y.toFixed(1)}px) scale(${k.toFixed(4)})`;
      // A composited layer keeps the scale it was rastered at: re-raster once zooming settles.
      if (k !== this.rasterScale) {
        clearTimeout(this._sharpen);
        this._sharpen = setTimeout(() => {
          this.rasterScale = this.view.k;
          this.canvas.style.willChange = "auto";
          requestAnimationFrame(() => { this.canvas.style.willChange = "transform"; });
        }, 250);
      }
      // Semantic zoom: a row of text is drawn only where it is legible on screen (and hidden text costs
      // no paint): shapes and dtypes (12px) first, then values and gradients (14px), then names (15px+).
      const px = this.legiblePx;
      const lod = k * 12 >= px ? "high" : k * 14 >= px ? "mid" : k * 15 >= px ? "names" : "low";
      if (this.svg.dataset.lod !== lod) this.svg.dataset.lod = lod;
    });
  }

  _bindInput() {
    const svg = this.frame;
    svg.addEventListener("wheel", (e) => {
      e.preventDefault();
      const r = svg.getBoundingClientRect();
      this.zoomBy(Math.exp(-e.deltaY * 0.0015), e.clientX - r.left, e.clientY - r.top);
    }, { passive: false });
    let drag = null;
    svg.addEventListener("pointerdown", (e) => {
      drag = { x: e.clientX, y: e.clientY, moved: false, target: e.target };
    });
    svg.addEventListener("pointermove", (e) => {
      if (!drag) return;
      const dx = e.clientX - drag.x, dy = e.clientY - drag.y;
      if (!drag.moved && Math.abs(dx) + Math.abs(dy) < 4) return;
      if (!drag.moved) { svg.setPointerCapture(e.pointerId); svg.classList.add("panning"); }
      drag.moved = true; drag.x = e.clientX; drag.y = e.clientY;
      this.panBy(dx, dy);
    });
    const end = (e) => {
      if (!drag) return;
      const wasClick = !drag.moved;
      const target = drag.target;
      drag = null;
      svg.classList.remove("panning");
      if (!wasClick) return;
      const g = target.closest && target.closest(".node");
      if (!g) { this.handlers.onBackground?.(); return; }
      if (g.classList.contains("group")) this.handlers.onExpand?.(g.dataset.group);
      else this.handlers.onSelect?.(g.dataset.nodeId);
    };
    svg.addEventListener("pointerup", end);
    svg.addEventListener("pointercancel", () => { drag = null; svg.classList.remove("panning"); });
  }
}
