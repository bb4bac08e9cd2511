// How the page names things: a tensor by its label, a Function node by the tensor it stands for,
// the output a backward call started from; and the elementwise arithmetic of gradients.
import { zipWith, toNumber, isTruncated } from "./format.js";

export const tensorLabel = (t) => t.label ?? t.name ?? t.op ?? t.id;

/** Which tensor a function node stands for (its output; AccumulateGrad: its leaf). */
export const tensorOfFunction = (index, fid) => { const f = index.byId.get(fid); return f ? f.tensor : null; };

/** The label of the (first) tensor backward call `call` started from, or null. */
export function rootName(doc, index, call) {
  const start = doc.timeline.find((e) => e.type === "backward_start" && e.call === call);
  const root = start && index.byId.get(start.roots[0]);
  return root ? tensorLabel(root) : null;
}

/** Elementwise local derivative contribution / upstream when both are scalars or the same shape. */
export function localDerivative(upstream, contribution) {
  return zipWith(contribution, upstream, (c, u) => (u === 0 ? NaN : c / u));
}

/** after − before, elementwise (before None: after). */
export function difference(after, before) {
  if (before === null || before === undefined) return after;
  return zipWith(after, before, (a, b) => a - b) ?? after;
}

/**
 * "W.grad = 0.5 − 0.2228 = 0.2772", or "W.grad = −0.2228 (was None)" for the first gradient; a negative
 * number added is written as a subtraction.
 */
export function gradUpdate(name, before, added, after, fmt) {
  if (before === null || before === undefined) return `${name}.grad = ${fmt(after)} (was None)`;
  const negative = !Array.isArray(added) && !isTruncated(added) && added !== null && toNumber(added) < 0;
  const term = negative ? `− ${fmt(-toNumber(added))}` : `+ ${fmt(added)}`;
  return `${name}.grad = ${fmt(before)} ${term} = ${fmt(after)}`;
}
