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
  async run(scene, rankdir = "TB") {
    const indexOf = new Map(scene.nodes.map((n, i) => [n.id, i]));
    const edges = scene.edges.map((e) => [indexOf.get(e.source), indexOf.get(e.target), e.kind !== "modify"]);
    const id = this.next++;
    const answer = await new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ id, rankdir, nodes: scene.nodes.map((n) => [n.w, n.h]), edges });
    });
    const pos = new Map();
    scene.nodes.forEach((n, i) => pos.set(n.id, { x: answer.centers[2 * i], y: answer.centers[2 * i + 1] }));
    return { width: answer.width, height: answer.height, pos, paths: answer.paths, ms: answer.ms };
  }
}
