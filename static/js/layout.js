// Client side of the layout worker: one request in flight per view; stale answers are dropped.

export class Layout {
  constructor() {
    this.worker = new Worker(new URL("./layout-worker.js", import.meta.url), { type: "module" });
    this.next = 1;
    this.waiting = new Map();
    this.worker.onmessage = (m) => {
      const answer = m.data;
      if (answer.id === undefined) return;
      const entry = this.waiting.get(answer.id);
      if (!entry) return;
      this.waiting.delete(answer.id);
      if (answer.error) entry.reject(new Error(answer.error)); else entry.resolve(answer);
    };
  }

  /** Lay out a scene ({nodes:[{id,w,h}], edges:[{source,target,kind}]}) -> {width, height, pos: Map id->{x,y}, paths} */
  async run(scene, view = { width: 1000, height: 700 }) {
    const indexOf = new Map(scene.nodes.map((n, i) => [n.id, i]));
    const detached = detachedEdges(scene);
    const rankdir = chooseRankdir(scene, view.width, view.height, detached);
    const laid = [], laidIndex = [];
    scene.edges.forEach((e, i) => {
      if (detached.has(i)) return;
      laid.push([indexOf.get(e.source), indexOf.get(e.target), e.kind !== "modify"]);
      laidIndex.push(i);
    });
    const id = this.next++;
    const answer = await new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, rankdir, nodes: scene.nodes.map((n) => [n.w, n.h]), edges: laid });
    });
    const pos = new Map();
    scene.nodes.forEach((n, i) => pos.set(n.id, { x: answer.centers[2 * i], y: answer.centers[2 * i + 1] }));
    const paths = new Array(scene.edges.length).fill(null);
    laidIndex.forEach((edgeIndex, j) => { paths[edgeIndex] = answer.paths[j]; });
    const nodeOf = new Map(scene.nodes.map((n) => [n.id, n]));
    for (const i of detached) {   // straight from the bottom of the source to the top of the target
      const e = scene.edges[i], a = pos.get(e.source), b = pos.get(e.target);
      const ha = nodeOf.get(e.source).h / 2, hb = nodeOf.get(e.target).h / 2;
      if (rankdir === "LR") {
        const wa = nodeOf.get(e.source).w / 2, wb = nodeOf.get(e.target).w / 2;
        paths[i] = [a.x + (b.x >= a.x ? wa : -wa), a.y, b.x + (b.x >= a.x ? -wb : wb), b.y];
      } else {
        paths[i] = [a.x, a.y + (b.y >= a.y ? ha : -ha), b.x, b.y + (b.y >= a.y ? -hb : hb)];
      }
    }
    return { width: answer.width, height: answer.height, pos, paths, detached, rankdir, ms: answer.ms };
  }
}

/**
 * Edges left out of the layout and drawn straight: those from a node used many times (a weight reused
 * in every loop iteration). Kept in, each spans many ranks and dot's time explodes (300 nodes: >2 min).
 */
export function detachedEdges(scene, { minNodes = 40, maxFanOut = 4 } = {}) {
  const out = new Set();
  if (scene.nodes.length < minNodes) return out;
  const degree = new Map();
  for (const e of scene.edges) degree.set(e.source, (degree.get(e.source) || 0) + 1);
  scene.edges.forEach((e, i) => { if (degree.get(e.source) > maxFanOut) out.add(i); });
  return out;
}

/**
 * Top-to-bottom (torchviz's way) unless the graph is a long chain that would end up a thin column on a
 * wide screen: then left-to-right. Depth = longest path, breadth = most nodes at one depth.
 */
export function chooseRankdir(scene, viewWidth, viewHeight, detached = new Set()) {
  const indegree = new Map(scene.nodes.map((n) => [n.id, 0]));
  const out = new Map(scene.nodes.map((n) => [n.id, []]));
  scene.edges.forEach((e, i) => {
    if (detached.has(i) || e.kind === "modify") return;
    out.get(e.source).push(e.target);
    indegree.set(e.target, indegree.get(e.target) + 1);
  });
  const depth = new Map();
  const queue = scene.nodes.filter((n) => indegree.get(n.id) === 0).map((n) => n.id);
  for (const id of queue) depth.set(id, 0);
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i];
    for (const next of out.get(id)) {
      depth.set(next, Math.max(depth.get(next) ?? 0, depth.get(id) + 1));
      indegree.set(next, indegree.get(next) - 1);
      if (indegree.get(next) === 0) queue.push(next);
    }
  }
  const perLevel = new Map();
  for (const d of depth.values()) perLevel.set(d, (perLevel.get(d) || 0) + 1);
  const levels = perLevel.size, breadth = Math.max(1, ...perLevel.values());
  const tall = (levels * 70) / Math.max(1, viewHeight);          // ~70 px per rank (box + gap, averaged)
  const wide = (breadth * 170) / Math.max(1, viewWidth);         // ~170 px per node across
  return levels > 6 && tall > 2.5 * Math.max(wide, 0.25) ? "LR" : "TB";
}
