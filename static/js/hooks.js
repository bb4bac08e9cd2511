// Test and timing hooks, in one place: the attributes tests/browser and bench/browser.py wait on and
// read (#graph[data-state|data-run|data-ms|data-timings|data-view|data-rankdir|data-nodes|data-grouping]) and the
// window.gradtrace handle. The controller reports to them; nothing here changes what the page does.

/** Times one run (fetch, scene, layout, draw, render) and marks #graph as it goes. */
export class RunTimer {
  constructor(graph) {
    this.graph = graph;
    this.started = performance.now();
    this.timings = {};
    graph.dataset.state = "running";
  }

  /** Time `fn()` (sync or async) under `name`; returns its result. */
  async time(name, fn) {
    const t = performance.now();
    try { return await fn(); } finally { this.timings[name] = performance.now() - t; }
  }

  record(name, ms) { this.timings[name] = ms; }

  failed() { this.graph.dataset.state = "failed"; }

  /** The run's graph is on screen: tests wait for #graph[data-run=n][data-state=drawn]. */
  drawn(run) {
    const g = this.graph.dataset;
    g.timings = JSON.stringify(Object.fromEntries(Object.entries(this.timings).map(([k, v]) => [k, Math.round(v)])));
    g.run = String(run);
    g.state = "drawn";
    g.ms = String(Math.round(performance.now() - this.started));
  }
}

/** A stopwatch for the parts of a relayout (a relayout outside a run records into a throwaway). */
export function lap(timings = {}) {
  let t = performance.now();
  return (name) => { const now = performance.now(); timings[name] = now - t; t = now; return timings; };
}

/** What was drawn, for tests and checks outside the repo. */
export function markScene(graph, { view, rankdir, nodes, collapsed, grouping = null }) {
  graph.dataset.view = view;
  graph.dataset.grouping = grouping ?? "";
  graph.dataset.rankdir = rankdir;
  graph.dataset.nodes = String(nodes);
  graph.classList.toggle("collapsed", collapsed);
}

/** The controller as window.gradtrace (tests drive the editor, read the store and the scene). */
export function expose(controller) {
  window.gradtrace = controller;
}
