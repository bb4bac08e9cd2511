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
  // TB is torchviz's direction (tall graphs are fitted by width, GraphView.fit); LR suits a wide projector.
  // `slots`: edge index -> characters of the widest gradient label it will carry; dot places that label
  // like a node, so labels never cover a node or each other.
  async run(scene, rankdir = "TB", slots = new Map()) {
    const indexOf = new Map(scene.nodes.map((n, i) => [n.id, i]));
    const detached = detachedEdges(scene);
    const laid = [], laidIndex = [];
    scene.edges.forEach((e, i) => {
      if (detached.has(i)) return;
      laid.push([indexOf.get(e.source), indexOf.get(e.target), e.kind !== "modify", slots.get(i) || 0]);
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
    const labels = new Array(scene.edges.length).fill(null);
    laidIndex.forEach((edgeIndex, j) => { paths[edgeIndex] = answer.paths[j]; labels[edgeIndex] = answer.labels[j]; });
    const nodeOf = new Map(scene.nodes.map((n) => [n.id, n]));
    for (const i of detached) {   // straight from the bottom (LR: right side) of the source to the target
      const e = scene.edges[i], a = pos.get(e.source), b = pos.get(e.target);
      if (rankdir === "LR") {
        const wa = nodeOf.get(e.source).w / 2, wb = nodeOf.get(e.target).w / 2;
        paths[i] = [a.x + (b.x >= a.x ? wa : -wa), a.y, b.x + (b.x >= a.x ? -wb : wb), b.y];
      } else {
        const ha = nodeOf.get(e.source).h / 2, hb = nodeOf.get(e.target).h / 2;
        paths[i] = [a.x, a.y + (b.y >= a.y ? ha : -ha), b.x, b.y + (b.y >= a.y ? -hb : hb)];
      }
    }
    return { width: answer.width, height: answer.height, pos, paths, labels, detached, rankdir, ms: answer.ms };
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

