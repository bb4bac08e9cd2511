// The inspector's model: the selected node's fields at this step, its chain-rule formulas and its
// numeric check. Pure; inspector.js renders it.
import { short, shapeText, nested } from "./format.js";
import { tensorLabel } from "./names.js";
import { tensorFormulas, functionFormulas } from "./tex.js";
import { gradcheckModel } from "./gradcheck-model.js";

const pyBool = (b) => (b ? "True" : "False");

/** The inspector's model for the selected node at this step (null when nothing is selected);
 *  `checks` are the numeric gradient checks asked for in this document (gradcheck.js). */
export function inspectorModel(doc, index, st, id, checks = {}) {
  const n = id && index.byId.get(id);
  if (!n) return null;
  if (n.kind === "tensor") {
    const data = st.created.has(n.id) ? st.data.get(n.id) : undefined;
    const grad = st.grad.has(n.id) ? st.grad.get(n.id) : null;
    const fields = [
      { name: "name", text: n.name ?? "(no variable)" },
      { name: "data", text: data === undefined ? "(not created yet)" : n.truncated ? statsText(n) : nested(data, n.dtype), table: data !== undefined && !n.truncated && Array.isArray(data) ? data : null },
      { name: "grad", text: n.truncated && grad !== null ? "(large)" : nested(grad, n.dtype), table: Array.isArray(grad) ? grad : null },
      { name: "grad_fn", text: n.grad_fn ?? "None" },
      { name: "is_leaf", text: pyBool(n.is_leaf) },
      { name: "requires_grad", text: pyBool(n.requires_grad) },
      { name: "retains_grad", text: pyBool(n.retains_grad) },
      { name: "shape", text: shapeText(n.shape) },
      { name: "dtype", text: "torch." + n.dtype },
      { name: "line", text: n.line == null ? "" : String(n.line) },
      { name: "op", text: n.op ?? "" },
    ];
    return { title: tensorLabel(n), kind: "tensor", fields, formulas: tensorFormulas(doc, index, st, n), notes: [],
      gradcheck: gradcheckModel(doc, n, checks[n.id], st.step) };
  }
  const e = st.fired.get(n.id);
  const nexts = (n.next_functions || []).map((f) => (f ? index.byId.get(f)?.name ?? f : "None"));
  const t = n.tensor && index.byId.get(n.tensor);
  const fields = [
    { name: "grad_fn", label: "name", text: n.name },
    { name: "next_functions", text: "(" + nexts.join(", ") + ")" },
    { name: "tensor", label: n.name === "AccumulateGrad" ? "variable" : "output of", text: t ? tensorLabel(t) : "" },
    { name: "grad_in", label: "gradient in", text: e ? e.grad_in.map((g) => nested(g)).join(", ") : "(not run yet)" },
    { name: "line", text: n.line == null ? "" : String(n.line) },
  ];
  return { title: n.name, kind: "function", fields, formulas: functionFormulas(doc, index, st, n.id), notes: [] };
}

function statsText(n) {
  const s = n.stats || {};
  return `${shapeText(n.shape)} values: min ${short(s.min)}, max ${short(s.max)}, mean ${short(s.mean)}`;
}


