// Chain-rule formulas as KaTeX source, for the inspector: what a Function node sent and what a tensor
// received, with the numbers of the current step.
import { short, flatten, zipWith } from "./format.js";
import { tensorLabel, tensorOfFunction, rootName, localDerivative, difference } from "./names.js";

const tt = (s) => `\\texttt{${String(s).replace(/[_{}$&#%^~\\]/g, (c) => "\\" + (c === "\\" ? "backslash{}" : c === "^" || c === "~" ? c + "{}" : c))}}`;

function texValue(v) {
  if (v === null || v === undefined) return "\\text{None}";
  if (!Array.isArray(v)) return texNumber(v);
  const flat = flatten(v);
  if (flat.length > 6) return `[\\dots]_{${flat.length}}`;
  if (Array.isArray(v[0])) return "\\begin{bmatrix}" + v.map((r) => r.map(texNumber).join(" & ")).join("\\\\") + "\\end{bmatrix}";
  return "\\begin{bmatrix}" + v.map(texNumber).join(" & ") + "\\end{bmatrix}";
}
const texNumber = (x) => {
  if (x !== null && typeof x === "object") return "\\langle\\dots\\rangle";
  const s = short(x);
  return s === "nan" ? "\\text{nan}" : s === "inf" ? "\\infty" : s === "-inf" ? "-\\infty" : s.replace(/e(-?\d+)/, "\\times 10^{$1}");
};


/** Whether a gradient is all ones (the implicit dz/dz of a scalar root). */
const allOnes = (v) => v !== undefined && v !== null && flatten(v).every((x) => x === 1);

export function functionFormulas(doc, index, st, fid) {
  const e = st.fired.get(fid);
  if (!e) return [];
  const L = tt(rootName(doc, index, e.call) ?? "L");
  const zt = index.byId.get(tensorOfFunction(index, fid));
  const z = tt(zt ? tensorLabel(zt) : "z");
  const up = e.grad_in[0];
  const lines = [];
  for (const g of e.grad_out || []) {
    if (!g || !g.target) continue;
    const xt = index.byId.get(tensorOfFunction(index, g.target));
    const x = tt(xt ? tensorLabel(xt) : "x");
    const local = localDerivative(up, g.value);
    const d = `\\frac{\\partial ${L}}{\\partial ${x}}`;
    const chain = `\\frac{\\partial ${L}}{\\partial ${z}}\\,\\frac{\\partial ${z}}{\\partial ${x}}`;
    if (z === L && allOnes(up)) {   // the root's own grad_fn: ∂z/∂z = 1, no chain to write
      lines.push(`${d} = ${texValue(g.value)}`);
    } else if (local !== null && !flatten(local).some(Number.isNaN)) {
      const times = Array.isArray(up) ? "\\odot" : "\\times";
      lines.push(`\\begin{aligned}${d} &= ${chain} \\\\ &= ${texValue(up)} ${times} ${texValue(local)} = ${texValue(g.value)}\\end{aligned}`);
    } else {
      lines.push(`\\begin{aligned}${d} &= \\Big(\\frac{\\partial ${z}}{\\partial ${x}}\\Big)^{\\!\\top} \\frac{\\partial ${L}}{\\partial ${z}} \\\\ &= ${texValue(g.value)}\\end{aligned}`);
    }
  }
  if (e.name === "AccumulateGrad" && zt) lines.push(`${tt(tensorLabel(zt) + ".grad")} \\mathrel{+}= ${texValue(up)}`);
  return lines;
}

/** The gradient a tensor received, summed over its uses, and each .grad accumulation. */
export function tensorFormulas(doc, index, st, t) {
  const lines = [];
  const name = tt(tensorLabel(t));
  const incoming = st.flows.filter((f) => tensorOfFunction(index, f.to) === t.id).map((f) => ({ fid: f.from, value: f.value }));
  const call = st.fired.size ? [...st.fired.values()][0].call : null;
  if (incoming.length) {
    const L = tt(rootName(doc, index, call) ?? "L");
    const terms = [], numbers = [];
    for (const { fid, value } of incoming) {
      const zt = index.byId.get(tensorOfFunction(index, fid));
      const z = tt(zt ? tensorLabel(zt) : "z");
      const up = st.fired.get(fid)?.grad_in?.[0];
      if (z === L && allOnes(up)) { terms.push(`\\frac{\\partial ${L}}{\\partial ${name}}`); numbers.push(texValue(value)); continue; }
      terms.push(`\\frac{\\partial ${L}}{\\partial ${z}}\\frac{\\partial ${z}}{\\partial ${name}}`);
      const local = up === undefined ? null : localDerivative(up, value);
      numbers.push(local !== null && !flatten(local).some(Number.isNaN)
        ? `${texValue(up)} ${Array.isArray(up) ? "\\odot" : "\\times"} ${texValue(local)}` : texValue(value));
    }
    const total = incoming.length > 1 ? incoming.map((i) => i.value).reduce((a, b) => zipWith(a, b, (x, y) => x + y) ?? a) : incoming[0].value;
    const joined = numbers.map((x) => (incoming.length > 1 ? `(${x})` : x)).join(" + ");
    lines.push(`\\begin{aligned}\\frac{\\partial ${L}}{\\partial ${name}} &= ${terms.join(" + ")} \\\\ &= ${joined} \\\\ &= ${texValue(total)}\\end{aligned}`);
  }
  const acc = st.contributions.get(t.id) || [];
  if (acc.length) {
    const parts = acc.map((c) => texValue(difference(c.after, c.before)));
    const last = texValue(acc[acc.length - 1].after);
    lines.push(`${tt(tensorLabel(t) + ".grad")} = ` + (parts.length > 1 ? `${parts.join(" + ")} = ${last}` : last) + (parts.length > 1 ? `\\quad\\text{(${parts.length} backward calls)}` : ""));
  }
  if (t.grad_fn_id && st.fired.has(t.grad_fn_id)) lines.push(...functionFormulas(doc, index, st, t.grad_fn_id));
  return lines;
}
