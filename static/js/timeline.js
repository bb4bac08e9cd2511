// Step-through: the document's timeline plus one integer. `stateAt(doc, step)` rebuilds everything
// the view shows from events[0 .. step-1], so scrubbing back is exact (no incremental drift).
//
// step 0 is "before the program ran"; step N (= timeline.length) is the end.

/**
 * @typedef {Object} StepState
 * @property {number} step
 * @property {Object|null} event          the event just applied (events[step-1])
 * @property {Set<string>} created        tensor ids that exist
 * @property {Map<string, any>} data      tensor id -> value now
 * @property {Map<string, any>} grad      tensor id -> .grad now (absent = None): accumulate events add
 *           to it, grad events (zero_(), = None, zero_grad()) reset it; a drawn .grad tensor's data follows
 * @property {Map<string, Array>} contributions  tensor id -> [{call, before, after, function}] accumulations since
 *           its .grad was last reset
 * @property {Map<string, Object>} fired  function id -> its latest "function" event in the current backward call
 * @property {{from: string, to: string, index: number, value: any}[]} flows  gradients sent in the current
 *           backward call, one per next_functions entry (x*x sends two to the same AccumulateGrad)
 * @property {number|null} call           backward call in progress (null when none)
 * @property {string} phase               "forward" | "backward"
 * @property {number|null} line           source line of the current event
 * @property {string} output              printed text so far
 * @property {Array<{kind: string, text: string, category?: string, line?: number}>} console
 *           what the console shows so far: printed text and PyTorch's warnings, in program order
 */

/** @returns {StepState} */
export function stateAt(doc, step) {
  const events = doc.timeline;
  const n = Math.max(0, Math.min(step, events.length));
  const s = {
    step: n, event: n ? events[n - 1] : null,
    created: new Set(), data: new Map(), grad: new Map(), contributions: new Map(),
    fired: new Map(), flows: [], call: null, phase: "forward", line: null, output: "", console: [],
    backwardCalls: 0,
  };
  const out = [];
  const implicit = implicitTensors(doc);
  for (let i = 0; i < n; i++) {
    const e = events[i];
    if (implicit.size && e.inputs) {
      // a .grad first used as a value already has the value its gradient events gave it
      for (const id of e.inputs) if (implicit.has(id) && !s.created.has(id)) { s.created.add(id); if (!s.data.has(id)) s.data.set(id, implicit.get(id)); }
    }
    switch (e.type) {
      case "create":
        s.created.add(e.tensor);
        s.data.set(e.tensor, e.data);
        break;
      case "modify":
        s.created.add(e.tensor);
        s.data.set(e.tensor, e.data);
        break;
      case "backward_start":
        s.call = e.call; s.phase = "backward";
        s.fired = new Map(); s.flows = [];
        break;
      case "function":
        s.fired.set(e.function, e);
        (e.grad_out || []).forEach((g, i) => {
          if (g && g.target) s.flows.push({ from: e.function, to: g.target, index: i, value: g.value });
        });
        break;
      case "grad":   // w.grad.zero_(), w.grad = None, opt.zero_grad(): the gradient starts again
        if (e.grad === null) s.grad.delete(e.tensor); else s.grad.set(e.tensor, e.grad);
        if (e.grad_tensor && e.grad !== null) s.data.set(e.grad_tensor, e.grad);
        s.contributions.delete(e.tensor);
        break;
      case "accumulate": {
        s.grad.set(e.tensor, e.after);
        if (e.grad_tensor) s.data.set(e.grad_tensor, e.after);
        if (!s.contributions.has(e.tensor)) s.contributions.set(e.tensor, []);
        s.contributions.get(e.tensor).push({ call: e.call, before: e.before, after: e.after, function: e.function, step: i + 1 });
        break;
      }
      case "backward_end":
        s.call = null; s.backwardCalls += 1;
        break;
      case "print":
        out.push(e.text);
        s.console.push({ kind: "print", text: e.text });
        break;
      case "warning":
        s.console.push({ kind: "warning", category: e.category, text: e.message, line: e.line });
        break;
    }
  }
  s.phase = s.call !== null || (s.event && s.event.type === "backward_end") ? "backward" : "forward";
  s.line = s.event ? s.event.line ?? null : null;
  s.output = out.join("");
  return s;
}

const implicitCache = new WeakMap();

/** Tensors with no "create" event (e.g. a .grad used as a value): they appear when first used. */
function implicitTensors(doc) {
  if (implicitCache.has(doc)) return implicitCache.get(doc);
  const created = new Set();
  for (const e of doc.timeline) if (e.type === "create") created.add(e.tensor);
  const m = new Map();
  for (const n of doc.nodes) if (n.kind === "tensor" && !created.has(n.id)) m.set(n.id, n.data);
  implicitCache.set(doc, m);
  return m;
}
