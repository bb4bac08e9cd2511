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

/** The middle of a polyline or of the middle cubic segment of a B-spline (no layout query needed). */
function midpoint(points) {
  if (!points || points.length < 4) return { x: 0, y: 0 };
  const n = points.length / 2;
  if (n === 2 || (n - 1) % 3 !== 0) {
    const i = Math.floor((n - 1) / 2);
    return { x: (points[2 * i] + points[2 * i + 2]) / 2, y: (points[2 * i + 1] + points[2 * i + 3]) / 2 };
  }
  const segments = (n - 1) / 3, k = Math.floor(segments / 2) * 3;
  const p = (j) => [points[2 * (k + j)], points[2 * (k + j) + 1]];
  const [a, b, c, d] = [p(0), p(1), p(2), p(3)];
  const t = segments % 2 ? 0.5 : 0;
  const u = 1 - t;
  const f = (i) => u * u * u * a[i] + 3 * u * u * t * b[i] + 3 * u * t * t * c[i] + t * t * t * d[i];
  return { x: f(0), y: f(1) };
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
      this.edges.push({ g, path, kind, points: layout.paths[i], label: null, state: {}, source: e.source, target: e.target });
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
      const ox = +(p.x - n.w / 2).toFixed(1), oy = +(p.y - n.h / 2).toFixed(1);
      const shape = this._shape(n, g, ox, oy);
      const texts = this._texts(n, g, ox, oy);
      nodeFrag.appendChild(g);
      this.nodes.set(n.id, { g, shape, texts, node: n, x: p.x, y: p.y, state: { cls: "", lines: [] } });
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
      if (s.cls !== edge.state.cls) edge.g.setAttribute("class", `edge ${edge.kind} ${s.cls}`);
      if ((s.label || "") !== (edge.state.label || "")) {
        if (!edge.label) {
          const mid = midpoint(edge.points);
          edge.labelBg = el("rect", { class: "edge-label-bg", rx: 4 }, edge.g);
          edge.label = el("text", { class: "edge-label", x: mid.x, y: mid.y + 4 }, edge.g);
        }
        edge.label.textContent = s.label || "";
        const width = (s.label || "").length * 7.9 + 10;   // 13px monospace: 0.6 em a character
        const x = +edge.label.getAttribute("x"), y = +edge.label.getAttribute("y");
        Object.entries({ x: x - width / 2, y: y - 13, width: s.label ? width : 0, height: s.label ? 18 : 0 }).forEach(([k, v]) => edge.labelBg.setAttribute(k, v));
      }
      edge.state = s;
    });
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
      const label = document.createElement("span");
      label.textContent = f.text;
      dot.appendChild(label);
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
    if (this.callout) { this.callout.remove(); this.callout = null; }
    const entry = id && this.nodes.get(id);
    if (!entry || !lines || !lines.length) return;
    const g = el("g", { class: "callout" }, this.overlay);
    const width = Math.max(...lines.map((l) => l.length)) * 8.5 + 20, height = lines.length * 18 + 10;   // 14px monospace
    // beside the node across the flow of the graph (TB: left or right; LR: above or below), on the side with more room
    let x, y;
    if (this.rankdir === "LR") {
      const below = entry.y <= this.size.height / 2;
      x = entry.x - width / 2;
      y = below ? entry.y + entry.node.h / 2 + 12 : entry.y - entry.node.h / 2 - 12 - height;
    } else {
      const right = entry.x <= this.size.width / 2;
      x = right ? entry.x + entry.node.w / 2 + 12 : entry.x - entry.node.w / 2 - 12 - width;
      y = entry.y - height / 2;
    }
    el("rect", { x, y, width, height, rx: 6 }, g);
    lines.forEach((l, i) => { const t = el("text", { x: x + 10, y: y + 20 + i * 18 }, g); t.textContent = l; });
    this.callout = g;
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

  /**
   * Fit the graph to the view. A tall graph (a long chain) would shrink to unreadable, so the first fit
   * shows it at a readable width from the top; pressing Fit again shows all of it.
   */
  fit({ overview = false } = {}) {
    const r = this.frame.getBoundingClientRect();
    const { width, height } = this.size;
    if (!width || !height || !r.width) return;
    const byWidth = (r.width - 40) / width, byHeight = (r.height - 90) / height;   // 90: clear of the legend
    const whole = Math.min(this.maxScale, byWidth, byHeight);
    const readable = Math.min(0.9, byWidth);
    if (!overview && whole < 0.35 && readable > whole * 1.5) {
      this.view = { k: readable, x: (r.width - width * readable) / 2, y: 20 };
      this.fitted = "readable";
      this.lastFitView = { ...this.view };
    } else {
      this.view = { k: whole, x: (r.width - width * whole) / 2, y: 20 + (r.height - 70 - height * whole) / 2 };
      this.fitted = "whole";
    }
    this._apply();
  }

  /** The Fit button: readable first, then the whole graph. */
  toggleFit() { this.fit({ overview: this.fitted === "readable" && this._atFit() }); }

  _atFit() { return this.lastFitView && this.view.k === this.lastFitView.k && this.view.x === this.lastFitView.x && this.view.y === this.lastFitView.y; }

  /** Readable zoom centred on one node. */
  focus(id) {
    this.view.k = 0.8;
    this.center(id);
  }

  zoomBy(factor, cx, cy) {
    const r = this.frame.getBoundingClientRect();
    if (cx === undefined) { cx = r.width / 2; cy = r.height / 2; }
    const k = Math.min(8, Math.max(0.02, this.view.k * factor));
    this.view.x = cx - (cx - this.view.x) * (k / this.view.k);
    this.view.y = cy - (cy - this.view.y) * (k / this.view.k);
    this.view.k = k;
    this._apply();
  }

  panBy(dx, dy) { this.view.x += dx; this.view.y += dy; this._apply(); }

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
      // Level of detail: text too small to read costs most of the paint time, so it is hidden.
      const lod = k < 0.3 ? "low" : k < 0.6 ? "mid" : "high";
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
