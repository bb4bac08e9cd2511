// The numeric gradient check's model beside a leaf's .grad in the inspector (the request is gradcheck.js).
import { short, nested } from "./format.js";
import { tensorLabel } from "./names.js";

const sig = (v) => (Array.isArray(v) ? v.map(sig) : typeof v === "number" ? Number(v.toPrecision(7)) : v);

/** The numeric check beside a leaf's .grad: offered when some backward() call reached the leaf. */
export function gradcheckModel(doc, n, check, step = doc.timeline.length) {
  if (!n.is_leaf || !n.requires_grad) return null;
  let last = 0;   // the step after the last accumulation: the .grad the check compares with
  doc.timeline.forEach((e, i) => { if (e.type === "accumulate" && e.tensor === n.id) last = i + 1; });
  if (!last) return null;
  const model = { tensor: n.id, status: check ? check.status : "idle", error: check?.error ?? null };
  const r = check && check.status === "done" ? check.result : null;
  if (!r) return model;
  // earlier steps show an earlier .grad: the result beside it would compare two different things
  if (step < last) return { ...model, status: "later", laterText: `The check compares with ${tensorLabel(n)}.grad at step ${last} (after the last backward() that reached it); step there to see it.` };
  const leaf = tensorLabel(n), root = r.root_name ?? r.root;
  const f = r.root_shape.length ? `⟨gradient, ${root}⟩` : root;
  return {
    ...model,
    numeric: r.numeric, autograd: r.autograd, close: r.close,
    numericText: nested(sig(r.numeric), "float64"),
    autogradText: nested(sig(r.autograd), "float64"),
    diffText: `max |Δ| ${short(r.max_abs_diff)} (rel. ${short(r.max_rel_diff)}) ${r.close ? "✓ agree" : "✗ differ"}`,
    about: `∂${f}/∂${leaf} by central differences in float64, (f(x+ε) − f(x−ε)) / 2ε ` +
      `per element, ε = ${r.eps.toExponential()}, ${r.reruns} re-runs; beside what backward() on line ${r.line} added to .grad, in float64.`,
    notes: r.notes,
  };
}
