// The controller: owns the Store, wires the editor, graph, inspector, console and timeline controls,
// and turns state changes into renders. Each render rebuilds the view from (document, step).
import { Store, deserialize, VIEWS, shareQuery, urlFollower, rememberedTheme, rememberTheme } from "./state.js";
import { Editor } from "./editor.js";
import { GraphView } from "./graph-view.js";
import { Layout } from "./layout.js";
import { indexDocument, viewGraph, collapse, groupsSomething, GROUPINGS, COLLAPSE_AT } from "./scene.js";
import { stateAt } from "./timeline.js";
import { nodeStates, edgeStates, labelSlots } from "./node-states.js";
import { calloutFor } from "./callout.js";
import { narrate } from "./narration.js";
import { inspectorModel } from "./inspector-model.js";
import { renderInspector } from "./inspector.js";
import { bindGradcheck, checksFor } from "./gradcheck.js";
import { renderConsole } from "./console.js";
import { bindCopyLink } from "./copy-link.js";
import { graphSvg, svgToPng, fetchExport, download } from "./export.js";
import { renderCurve, iterationGraph, iterationAt } from "./curve.js";
import { jumpTarget } from "./jumps.js";
import { RunTimer, lap, markScene, expose } from "./hooks.js";
import { errorText } from "./format.js";
import { startLive } from "./live.js";


/** The page's component roots, looked up once; each control is found inside its component. */
function components(app) {
  const part = (selector) => app.querySelector(selector);
  return {
    app, header: part(".topbar"), program: part(".code-pane"), graphPane: part(".graph-pane"), graph: part("#graph"),
    timeline: part(".timeline"), inspector: part("#inspector-body"), console: part("#console"), curve: part("#curve"),
    notice: part("#notice"), narration: part("#narration"),
  };
}
const STEP_MS = 650;   // one timeline event at speed 1

class Controller {
  constructor(app) {
    this.ui = components(app);
    const fromUrl = deserialize(location.search);
    this.store = new Store({ view: fromUrl.view ?? "forward", present: fromUrl.present ?? false, theme: rememberedTheme(), follow: fromUrl.follow ?? true });
    this.pendingIteration = fromUrl.iter;   // "all", an iteration number, or undefined (the step's)
    this.pendingStep = fromUrl.step ?? null;
    this.runs = 0;
    this.scene = null;
    this.index = null;
    this.layout = new Layout();
    this.graph = new GraphView(this.ui.graph, this.ui.graph.querySelector("#graph-canvas"), this.ui.graph.querySelector("#graph-svg"), this.ui.graph.querySelector("#graph-overlay"), {
      onSelect: (id) => this.select(id),
      onExpand: (key) => this.expand(key),
      onBackground: () => this.store.set({ selection: null }),
    });
    const initial = this.ui.program.querySelector("#initial-code");
    this.followUrl = urlFollower(() => (this.store.get().doc ? this.linkQuery() : null));
    this.store.set({ code: initial.value });
    this.editor = new Editor(this.ui.program.querySelector("#editor"), initial.value, () => this.run(),
      () => { this.store.set({ code: this.editor.code }); this.followUrl(); });
    this.initial = { code: initial.value, example: initial.dataset.example || null };
    initial.remove();
    this.bindControls();
    this.store.subscribe((state, changed) => this.onChange(state, changed));
    this.frame = null;
    this.renderChrome(this.store.get());
    this.renderControls(this.store.get());
    if (this.ui.app.dataset.autorun === "true") this.run();
  }

  // ------------------------------------------------------------------ actions

  async run() {
    const code = this.store.get().code;
    const run = ++this.runs;
    this.pause();
    this.store.set({ running: true });
    const timer = new RunTimer(this.ui.graph);
    let doc;
    try {
      const response = await fetch(this.ui.app.dataset.apiRun, {
        method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code }),
      });
      const body = await response.json().catch(() => null);
      if (!response.ok || !body || !Array.isArray(body.nodes)) {
        throw new Error(apiError(response.status, body, response.headers.get("retry-after")));
      }
      doc = body;
      timer.record("fetch", performance.now() - timer.started);
    } catch (error) {
      if (run !== this.runs) return;
      this.store.set({ running: false });
      timer.failed();
      renderConsole(this.ui.console, { output: "", error: null, note: String(error.message || error) });
      return;
    }
    if (run !== this.runs) return;   // a newer run started meanwhile
    this.scene = null;               // nothing renders until the new document's scene is drawn
    this.layoutTicket = (this.layoutTicket || 0) + 1;
    this.index = indexDocument(doc);
    const keep = this.store.get().selection;
    const step = this.pendingStep !== null ? this.pendingStep : doc.timeline.length;
    if (step > doc.timeline.length) {
      this.showNotice(`The link's step ${step} is past the end of this run (${doc.timeline.length} steps); showing the last step.`);
    }
    this.pendingStep = null;
    const iteration = initialIteration(doc.training_loop, this.pendingIteration, step);
    this.pendingIteration = undefined;
    this.store.set({
      doc, step, running: false, expanded: new Set(), iteration,
      selection: keep && this.index.byId.has(keep) ? keep : null,
    });
    await timer.time("relayout", () => this.relayout({ fit: true, timings: timer.timings }));
    if (run !== this.runs) return;
    timer.drawn(run);
  }

  /**
   * Build the current view's scene, lay it out in the worker, draw it, then render the step. The scene
   * is the least grouped one that is legible in the pane (GraphView.minScale) — `levels` forces one.
   */
  async relayout({ fit = false, focus = null, timings = {}, regroup = true, levels = null } = {}) {
    const { doc, view, expanded, iteration } = this.store.get();
    if (!doc) return;
    const done = lap(timings);
    let graph = viewGraph(doc, this.index, view);
    if (iteration !== null && doc.training_loop) graph = iterationGraph(graph, doc.training_loop, iteration);
    done("scene");
    const ticket = (this.layoutTicket = (this.layoutTicket || 0) + 1);
    let chosen;
    try {
      // one iteration on screen: grouping it by iteration would fold all of it into one box
      const auto = iteration !== null && doc.training_loop ? [null, "scope", "line"] : null;
      chosen = await this.legibleScene(graph, expanded, levels ?? (regroup || this.grouping === undefined ? auto : [this.grouping]), () => ticket !== this.layoutTicket);
    } catch (error) {
      renderConsole(this.ui.console, { output: "", error: null, note: "Layout failed: " + error.message });
      return;
    }
    if (!chosen || ticket !== this.layoutTicket) return;
    const { scene, layout } = chosen;
    this.grouping = scene.by;
    done("layoutRoundTrip");
    timings.layout = layout.ms;
    this.scene = scene;
    this.graph.draw(scene, layout);
    done("draw");
    markScene(this.ui.graph, { view, rankdir: layout.rankdir, nodes: scene.nodes.length, collapsed: scene.collapsed, grouping: scene.by });
    this.ui.graphPane.querySelector("#collapse").hidden = !(scene.collapsed && expanded.size);
    if (focus && scene.unitOf.has(focus)) this.graph.focus(scene.unitOf.get(focus));
    else if (fit) this.graph.fit();
    this.renderedStep = null;
    this.render({ smooth: false });
    done("render");
  }

  /**
   * Lay out the view at each grouping level (none, scopes, iterations, lines), each both top-down and
   * left-to-right when small, and keep the first that fits the pane legibly — or that spans at most
   * three panes at the legible scale, the camera following the current event; else the most grouped.
   */
  async legibleScene(graph, expanded, levels, stale) {
    const big = graph.nodes.length > COLLAPSE_AT;
    levels = levels ?? (big ? ["line"] : [null, ...GROUPINGS]);
    const r = this.ui.graph.getBoundingClientRect();
    const paneArea = Math.max(1, (r.width - 40) * (r.height - 90));
    const kMin = Math.min(this.graph.minScale, this.graph.maxScale);
    let last = null, lastCount = -1;
    for (const [i, by] of levels.entries()) {
      if (by && levels.length > 1 && !groupsSomething(graph, by)) continue;
      const scene = collapse(graph, expanded, by);
      if (scene.nodes.length === lastCount) continue;
      lastCount = scene.nodes.length;
      // a level far too big to be legible is not worth laying out (dot's time grows fast with size)
      const estimate = scene.nodes.reduce((a, n) => a + (n.w + 30) * (n.h + 40), 0) * kMin * kMin / paneArea;
      if (estimate > 6 && i < levels.length - 1 && levels.slice(i + 1).some((b) => groupsSomething(graph, b))) continue;
      let best = null;
      const { doc, view } = this.store.get();
      const slots = scene.nodes.length <= 400 && doc.timeline.length <= 5000 ? labelSlots(scene, doc, this.index, view, stateAt) : new Map();
      for (const rankdir of scene.nodes.length <= 200 ? ["TB", "LR"] : ["TB"]) {
        const layout = await this.layout.run(scene, rankdir, slots);
        if (stale()) return null;
        const k = this.graph.wholeScale(layout);
        if (!best || k > best.k * 1.04) best = { scene, layout, k };
        if (k >= this.graph.maxScale) break;   // shown at its largest already: the other way cannot do better
      }
      last = best;
      const screens = best.layout.width * best.layout.height * kMin * kMin / paneArea;
      if (best.k >= kMin * 0.98 || screens <= 3) break;
    }
    return last;
  }

  /** The share link's query for what is on screen: the editor's program, the view and the step. */
  linkQuery() {
    const { doc, view, step, present, iteration, follow } = this.store.get();
    const code = this.store.get().code;
    const example = code === this.initial.code ? this.initial.example : null;
    const iter = doc && doc.training_loop ? (iteration === null ? "all" : iteration) : this.pendingIteration ?? null;
    // classroom mode travels only when on: a teacher's projector link opens in classroom mode
    return shareQuery({ code, example, view, step: doc ? step : this.pendingStep, iter, present: present || null, follow: follow ? null : false });
  }

  /** A message above the editor (beside the server's notice about the link, if any). */
  showNotice(text) {
    const notice = this.ui.notice;
    notice.textContent = notice.hidden ? text : notice.textContent + " " + text;
    notice.hidden = false;
  }

  select(id) {
    if (id && id.startsWith("op:") && this.index) id = this.index.tensorOfOp.get(id) ?? null;
    this.store.set({ selection: id });
  }

  expand(key) {
    const group = this.scene && this.scene.groups.get(key);
    this.expandedFocus = group ? group.members[0] : null;   // keep the opened group in view
    const expanded = new Set(this.store.get().expanded);
    expanded.add(key);
    this.store.set({ expanded });
  }

  /** Go to a step; when one iteration of a training loop is shown, the one the step is in. */
  setStep(step) {
    const { doc, iteration } = this.store.get();
    const loop = doc && doc.training_loop;
    if (loop && iteration !== null) {
      const total = doc.timeline.length;
      const record = iterationAt(loop, Math.max(0, Math.min(step, total)));
      if (record && record.index !== iteration) { this.store.set({ step, iteration: record.index }); return; }
    }
    this.store.set({ step });
  }

  /** Show one iteration of the training loop (its graph, the timeline at its end), or all (null). */
  chooseIteration(iteration) {
    const loop = this.store.get().doc?.training_loop;
    const record = loop && loop.iterations.find((i) => i.index === iteration);
    this.pause();
    this.store.set({ iteration: record ? iteration : null, ...(record ? { step: record.last_step + 1 } : {}) });
  }

  /** The timeline's jumps: "backward", "next-iteration", "previous-iteration", "next-line", "previous-line". */
  jump(kind) {
    const { doc, step } = this.store.get();
    if (!doc) return;
    const target = jumpTarget(doc, step, kind);
    if (target === null) return;
    this.pause();
    this.setStep(target);
  }
  stepBy(delta) { this.pause(); this.setStep(this.store.get().step + delta); }

  play() {
    const { doc, step } = this.store.get();
    if (!doc || !doc.timeline.length) return;
    if (step >= doc.timeline.length) this.setStep(0);
    this.store.set({ playing: true });
    this.renderedStep = null;
    this.render();   // the current step's gradients start travelling now
    this.stepStarted = performance.now();
    const tick = (now) => {
      const state = this.store.get();
      if (!state.playing) return;
      const duration = STEP_MS / state.speed;
      const progress = (now - this.stepStarted) / duration;
      if (progress >= 1) {
        if (state.step >= state.doc.timeline.length) { this.pause(); return; }
        // fast playback batches: the events due since the last frame are applied in one render
        const due = Math.min(Math.floor(progress), 8);
        this.stepStarted = due > 1 ? now : this.stepStarted + duration;
        if (now - this.stepStarted > duration) this.stepStarted = now;
        this.setStep(state.step + due);
      }
      this.frame = requestAnimationFrame(tick);
    };
    this.frame = requestAnimationFrame(tick);
  }

  pause() {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = null;
    if (this.store.get().playing) this.store.set({ playing: false });
    this.graph.setFlows([]);
  }

  // ------------------------------------------------------------------ rendering

  onChange(state, changed) {
    if (changed.has("theme") || changed.has("present")) this.renderChrome(state);
    if (changed.has("doc") || changed.has("iteration")) {
      renderCurve(this.ui.curve, state.doc?.training_loop ?? null, state.iteration, (i) => this.chooseIteration(i));
    }
    // classroom mode lays out left to right; a chosen iteration shows only its part of the graph
    if (changed.has("view") || changed.has("present") || (changed.has("iteration") && !changed.has("doc"))) this.relayout({ fit: true });
    else if (changed.has("expanded")) this.relayout({ fit: true, focus: this.expandedFocus });
    else if (changed.has("step") || changed.has("selection") || changed.has("doc") || changed.has("gradchecks")) this.render();
    if (changed.has("follow")) { this.graph.follow = state.follow; this.graph.reveal(); }
    if (["view", "step", "doc", "present", "iteration", "follow"].some((k) => changed.has(k))) this.followUrl();
    if (changed.has("doc") || changed.has("code")) this.renderGraphNotes(state);
    this.renderControls(state);
  }

  /** Rebuild everything shown for the current step from the document (exact when scrubbing back). */
  render({ smooth = true } = {}) {
    const state = this.store.get();
    const { doc, step, view, selection } = state;
    if (!doc || !this.scene) return;
    const st = stateAt(doc, step);
    if (this.renderedStep !== step || this.renderedView !== view) {
      this.graph.updateNodes(nodeStates(this.scene, doc, this.index, st));
      const { states, flows } = edgeStates(this.scene, doc, this.index, st, view);
      this.graph.updateEdges(states);
      this.graph.setFlows(state.playing ? flows : [], STEP_MS / state.speed);
      const callout = calloutFor(this.index, st);
      const drawn = (id) => (id && this.scene.unitOf.get(id) === id ? id : null);
      this.graph.setCallout(callout && (drawn(callout.id) ?? drawn(callout.alt)), callout && callout.lines);
      this.renderedStep = step; this.renderedView = view;
      this.graph.reveal({ smooth: smooth && (!state.playing || state.speed <= 4) });   // fast playback: no lag behind
    }
    this.graph.select(this.drawnIdFor(selection));
    renderInspector(this.ui.inspector, inspectorModel(doc, this.index, st, selection, checksFor(state.gradchecks, doc)));
    renderConsole(this.ui.console, { output: st.output, entries: st.console, error: doc.error, note: null });
    this.editor.mark({ step: st.line, error: doc.error });
    this.ui.narration.textContent = narrate(doc, this.index, st);
  }

  /** Over the graph: the error when a run drew nothing (a syntax error), and "edited since this run". */
  renderGraphNotes({ doc, code }) {
    const message = this.ui.graph.querySelector("#graph-message");
    const empty = doc && doc.error && !doc.nodes.length;
    message.hidden = !empty;
    message.textContent = empty ? errorText(doc.error) + (doc.error.hint ? "\n" + doc.error.hint : "") : "";
    const stale = Boolean(doc) && code !== doc.code;
    this.ui.graph.dataset.stale = String(stale);
    this.ui.graph.querySelector("#graph-stale").hidden = !stale;
  }

  /** The drawn node standing for a selected id in this view (a tensor's grad_fn in the backward graph). */
  drawnIdFor(id) {
    if (!id || !this.scene) return null;
    const unit = this.scene.unitOf.get(id);
    if (unit) return unit;
    const n = this.index.byId.get(id);
    if (n && n.kind === "tensor") {
      const alt = this.store.get().view === "backward" ? n.grad_fn_id : this.index.opIdOf.get(n.id);
      return alt ? this.scene.unitOf.get(alt) ?? null : null;
    }
    if (n && n.kind === "function" && n.tensor) return this.scene.unitOf.get(n.tensor) ?? null;
    return null;
  }

  /** Theme and classroom mode, as attributes on <html> that the CSS keys on. */
  renderChrome(state) {
    const root = document.documentElement;
    root.dataset.theme = state.theme;
    root.dataset.present = String(state.present);
    this.graph.maxScale = state.present ? 2.5 : 1.4;   // a small graph may fill the projector
    this.graph.legiblePx = state.present ? 16 : 11;    // a projector's text is read from the back of the room
    const button = this.ui.header.querySelector("[data-action=present]");
    button.setAttribute("aria-pressed", String(state.present));
    button.textContent = state.present ? "✕ Leave" : "⤢ Classroom";
    button.title = state.present ? "Leave classroom mode (Esc)" : "Classroom mode: big type, graph only; ← → Space Home End step, Esc leaves";
    // one toolbar row: the graph toolbar leaves room at its right for the header's buttons laid over it
    if (state.present) requestAnimationFrame(() => this.ui.app.style.setProperty("--topbar-width", Math.ceil(this.ui.header.getBoundingClientRect().width) + "px"));
  }

  /** One item of the Export menu: DOT from the server, SVG/PNG of the drawing on screen, the JSON document. */
  async exportAs(kind) {
    const menu = this.ui.graphPane.querySelector("[data-menu=export]");
    menu.open = false;
    const { doc, view, step } = this.store.get();
    if (!doc || !this.scene) return;
    try {
      if (kind === "json") {
        download(new Blob([JSON.stringify(doc)], { type: "application/json" }), "gradtrace-run.json");
      } else if (kind === "dot-forward" || kind === "dot-backward") {
        const dotView = kind.slice(4);
        download(await fetchExport(menu.dataset.apiExportDot, { code: doc.code, view: dotView }), `gradtrace-${dotView}.dot`);
      } else if (kind === "svg" || kind === "png") {
        const svg = graphSvg(this.ui.graph.querySelector("#graph-svg"), this.ui.graph.querySelector("#graph-overlay"));
        const blob = kind === "svg" ? new Blob([svg.text], { type: "image/svg+xml" }) : await svgToPng(svg);
        download(blob, `gradtrace-${view}-step${step}.${kind}`);
      }
    } catch (error) {
      renderConsole(this.ui.console, { output: "", error: null, note: String(error.message || error) });
    }
  }

  /** Timeline controls and buttons; each DOM write only when its value changed (cheap while playing). */
  renderControls(state) {
    const total = state.doc ? state.doc.timeline.length : 0;
    const set = (el, key, value) => { if (el[key] !== value) el[key] = value; };
    set(this.ui.timeline.querySelector("[data-testid=step]"), "textContent", String(state.step));
    set(this.ui.timeline.querySelector("[data-testid=steps]"), "textContent", String(total));
    const slider = this.ui.timeline.querySelector("#scrub");
    set(slider, "max", String(total));
    set(slider, "value", String(state.step));
    set(slider, "disabled", !total);
    const play = this.ui.timeline.querySelector("#play");
    set(play, "textContent", state.playing ? "❚❚ Pause" : "▶ Play");
    if (play.getAttribute("aria-pressed") !== String(state.playing)) play.setAttribute("aria-pressed", String(state.playing));
    for (const b of this.ui.graphPane.querySelectorAll("button[data-view]")) {
      const pressed = String(b.dataset.view === state.view);
      if (b.getAttribute("aria-pressed") !== pressed) b.setAttribute("aria-pressed", pressed);
    }
    const follow = this.ui.graphPane.querySelector("#follow");
    if (follow.getAttribute("aria-pressed") !== String(state.follow)) follow.setAttribute("aria-pressed", String(state.follow));
    this.renderIterationChooser(state);
    const run = this.ui.program.querySelector("[data-testid=run]");
    set(run, "disabled", state.running);
    set(run, "textContent", state.running ? "Running…" : "▶ Run");
    const phase = state.doc && inBackward(state) ? "backward" : "forward";
    if (this.ui.app.dataset.phase !== phase) this.ui.app.dataset.phase = phase;
  }

  /** The timeline's iteration chooser (in classroom mode too): all, or one iteration. */
  renderIterationChooser(state) {
    const loop = state.doc && state.doc.training_loop;
    const box = this.ui.timeline.querySelector(".iteration-jumps");
    if (box.hidden !== !loop) box.hidden = !loop;
    if (!loop) return;
    const chooser = box.querySelector("#iteration");
    if (chooser.dataset.doc !== String(this.runs)) {
      chooser.dataset.doc = String(this.runs);
      chooser.replaceChildren(new Option("all iterations", "all"), ...loop.iterations.map((i) => new Option(`iteration ${i.index}`, String(i.index))));
    }
    const value = state.iteration === null ? "all" : String(state.iteration);
    if (chooser.value !== value) chooser.value = value;
  }

  // ------------------------------------------------------------------ input

  bindControls() {
    this.ui.program.querySelector("[data-testid=run]").addEventListener("click", () => this.run());
    this.ui.timeline.querySelector("#play").addEventListener("click", () => (this.store.get().playing ? this.pause() : this.play()));
    this.ui.timeline.querySelector("#step-back").addEventListener("click", () => this.stepBy(-1));
    this.ui.timeline.querySelector("#step-forward").addEventListener("click", () => this.stepBy(1));
    this.ui.timeline.querySelector("#to-start").addEventListener("click", () => { this.pause(); this.setStep(0); });
    this.ui.timeline.querySelector("#to-end").addEventListener("click", () => { this.pause(); this.setStep(Infinity); });
    this.ui.timeline.querySelector("#scrub").addEventListener("input", (e) => { this.pause(); this.setStep(Number(e.target.value)); });
    this.ui.timeline.querySelector("#speed").addEventListener("change", (e) => {
      this.store.set({ speed: Number(e.target.value) || 1 });
      e.target.blur();   // a chosen speed hands the keys back: → steps instead of changing the speed
    });
    for (const b of this.ui.graphPane.querySelectorAll("button[data-view]")) {
      b.addEventListener("click", () => { if (VIEWS.includes(b.dataset.view)) this.store.set({ view: b.dataset.view }); });
    }
    this.ui.graphPane.querySelector("#fit").addEventListener("click", () => this.graph.toggleFit());
    this.ui.graphPane.querySelector("#follow").addEventListener("click", () => this.store.set({ follow: !this.store.get().follow }));
    for (const b of this.ui.timeline.querySelectorAll("[data-jump]")) b.addEventListener("click", () => this.jump(b.dataset.jump));
    this.ui.timeline.querySelector("#iteration").addEventListener("change", (e) => {
      this.chooseIteration(e.target.value === "all" ? null : Number(e.target.value));
      e.target.blur();   // the keys go back to stepping
    });
    this.ui.graphPane.querySelector("#collapse").addEventListener("click", () => { this.expandedFocus = null; this.store.set({ expanded: new Set() }); });
    this.ui.graphPane.querySelector("#zoom-in").addEventListener("click", () => this.graph.zoomBy(1.25));
    this.ui.graphPane.querySelector("#zoom-out").addEventListener("click", () => this.graph.zoomBy(0.8));
    this.ui.header.querySelector("#theme").addEventListener("click", () => {
      const theme = this.store.get().theme === "dark" ? "light" : "dark";
      rememberTheme(theme);
      this.store.set({ theme });
    });
    this.ui.header.querySelector("[data-action=present]").addEventListener("click", () => this.store.set({ present: !this.store.get().present }));
    for (const b of this.ui.graphPane.querySelectorAll("[data-export]")) b.addEventListener("click", () => this.exportAs(b.dataset.export));
    document.addEventListener("click", (e) => {   // a click elsewhere closes an open menu (Export, Examples)
      for (const menu of this.ui.app.querySelectorAll("details.menu[open]")) if (!menu.contains(e.target)) menu.open = false;
    });
    // POST /api/gradcheck sits beside /api/run
    bindGradcheck(this.ui.inspector, this.store, new URL("gradcheck", new URL(this.ui.app.dataset.apiRun, location.href)).pathname);
    bindCopyLink(this.ui.header.querySelector("[data-action=copy-link]"), this.ui.header.querySelector("#share-link"), async () => location.origin + location.pathname + "?" + await this.linkQuery());
    document.addEventListener("keydown", (e) => this.onKey(e));
  }

  onKey(e) {
    const target = e.target;
    if (target.closest && target.closest(".cm-editor, textarea, input:not([type=range]), select")) return;
    // the slider keeps its own keys (arrows, Home, End move it: the same steps); Space and Esc are ours
    if (target.matches && target.matches("input[type=range]") && e.key !== " " && e.key !== "Escape") return;
    if (e.altKey || e.ctrlKey || e.metaKey) return;
    const actions = {
      " ": () => (this.store.get().playing ? this.pause() : this.play()),
      ArrowLeft: () => (e.shiftKey ? this.jump("previous-line") : this.stepBy(-1)),
      ArrowRight: () => (e.shiftKey ? this.jump("next-line") : this.stepBy(1)),
      b: () => this.jump("backward"),
      PageUp: () => this.jump("previous-iteration"),
      PageDown: () => this.jump("next-iteration"),
      c: () => this.store.set({ follow: !this.store.get().follow }),
      Home: () => { this.pause(); this.setStep(0); },
      End: () => { this.pause(); this.setStep(Infinity); },
      f: () => this.graph.toggleFit(),
      "+": () => this.graph.zoomBy(1.25),
      "=": () => this.graph.zoomBy(1.25),
      "-": () => this.graph.zoomBy(0.8),
      Escape: () => {   // closes an open menu first, then leaves classroom mode
        const menus = this.ui.app.querySelectorAll("details.menu[open]");
        if (menus.length) for (const menu of menus) menu.open = false;
        else this.store.set({ present: false });
      },
    };
    const action = actions[e.key];
    if (!action) return;
    e.preventDefault();
    action();
  }
}

/** The iteration shown first: the link's (iter=), else the one the step is in; null shows all. */
function initialIteration(loop, fromLink, step) {
  if (!loop || !loop.iterations.length) return null;
  if (fromLink === "all") return null;
  if (typeof fromLink === "number" && loop.iterations.some((i) => i.index === fromLink)) return fromLink;
  return iterationAt(loop, step).index;
}

function inBackward(state) {
  const e = state.step ? state.doc.timeline[state.step - 1] : null;
  return e && ["backward_start", "function", "accumulate"].includes(e.type);
}


function apiError(status, body, retryAfter) {
  // 429: the run was not admitted (server busy, or too many runs from this address); nothing failed
  if (status === 429 && body && typeof body.detail === "string") {
    return `Not run: ${body.detail}` + (retryAfter ? ` (try again in ${retryAfter} s)` : "");
  }
  if (body && typeof body.detail === "string") return `Server error ${status}: ${body.detail}`;
  if (body && Array.isArray(body.detail)) return `Server error ${status}: ` + body.detail.map((d) => d.msg).join("; ");
  return `Server error ${status}: the run failed.`;
}

const controller = new Controller(document.getElementById("app"));
expose(controller);
controller.live = startLive(controller);   // live lessons (live-*.js)
