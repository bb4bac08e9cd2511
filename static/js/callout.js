// The chain-rule callout beside the firing Function node: upstream × local = what it sends.
import { preview, flatten, zipWith } from "./format.js";
import { tensorLabel, tensorOfFunction, localDerivative, difference, gradUpdate } from "./names.js";

/** Text lines beside the firing Function node: upstream × local = contribution, per input. */
export function calloutFor(index, st) {
  const e = st.event;
  if (!e) return null;
  if (e.type === "function") {
    const lines = [e.name];
    const incoming = st.flows.filter((f) => f.to === e.function).map((f) => f.value);
    const upstream = e.grad_in[0];
    if (incoming.length > 1) lines.push(`upstream = ${incoming.map((v) => preview(v, 12)).join(" + ")} = ${preview(upstream, 14)}`);
    for (const g of e.grad_out || []) {
      if (!g || !g.target) continue;
      const to = index.byId.get(tensorOfFunction(index, g.target));
      const name = to ? tensorLabel(to) : g.target;
      const local = localDerivative(upstream, g.value);
      const hasLocal = local !== null && !flatten(local).some((v) => Number.isNaN(v));
      lines.push(hasLocal
        ? `${preview(upstream, 14)} × ${preview(local, 14)} = ${preview(g.value, 14)} → ${name}`
        : `${preview(upstream, 14)} → ${preview(g.value, 14)} → ${name}`);
    }
    if (e.name === "AccumulateGrad") {
      const t = index.byId.get(tensorOfFunction(index, e.function));
      const before = t && st.grad.has(t.id) ? st.grad.get(t.id) : null;
      const after = before === null ? upstream : zipWith(before, upstream, (a, b) => a + b);
      if (t) lines.push(gradUpdate(tensorLabel(t), before, upstream, after ?? "…", (v) => preview(v, 14)));
    }
    return { id: e.function, alt: tensorOfFunction(index, e.function), lines };
  }
  if (e.type === "accumulate") {
    const t = index.byId.get(e.tensor);
    return { id: e.function, alt: e.tensor, lines: ["AccumulateGrad", gradUpdate(tensorLabel(t), e.before, difference(e.after, e.before), e.after, (v) => preview(v, 14))] };
  }
  return null;
}

