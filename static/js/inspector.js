// The inspector: a selected node's fields (each in an element with data-field), value tables with a
// heatmap, and the chain-rule formula typeset with KaTeX. Takes a plain model, knows nothing else.
import katex from "../vendor/katex/katex.js";
import { heatmap } from "./heatmap.js";

/**
 * @param {HTMLElement} root
 * @param {{title: string, kind: string, fields: {name: string, label?: string, text: string, table?: any}[],
 *          formulas: string[], notes?: string[], gradcheck?: object|null}|null} model
 */
export function renderInspector(root, model) {
  const key = model ? JSON.stringify(model) : "";
  if (root.dataset.key === key) return;
  root.dataset.key = key;
  root.replaceChildren();
  if (!model) {
    const p = document.createElement("p");
    p.className = "hint";
    p.textContent = "Click a node in the graph to inspect it.";
    root.appendChild(p);
    return;
  }
  const h = document.createElement("h2");
  h.textContent = model.title;
  h.dataset.kind = model.kind;
  root.appendChild(h);
  const dl = document.createElement("dl");
  for (const f of model.fields) {
    const dt = document.createElement("dt");
    dt.textContent = f.label ?? f.name;
    const dd = document.createElement("dd");
    const value = document.createElement("code");
    value.dataset.field = f.name;
    value.textContent = f.text;
    dd.appendChild(value);
    if (f.table && Array.isArray(f.table) && f.table.length) dd.appendChild(heatmap(f.table));
    if (f.name === "grad" && model.gradcheck) dd.appendChild(gradcheckBlock(model.gradcheck));
    dl.append(dt, dd);
  }
  root.appendChild(dl);
  if (model.formulas.length) {
    const h3 = document.createElement("h3");
    h3.textContent = "Chain rule";
    root.appendChild(h3);
    for (const tex of model.formulas) {
      const div = document.createElement("div");
      div.className = "formula";
      katex.render(tex, div, { throwOnError: false, displayMode: true, output: "html" });
      root.appendChild(div);
    }
  }
  for (const text of model.notes || []) {
    const p = document.createElement("p");
    p.className = "note";
    p.textContent = text;
    root.appendChild(p);
  }
}

/** Under .grad: the "Check numerically" button, then the finite-difference estimate beside backprop's. */
function gradcheckBlock(check) {
  const box = document.createElement("div");
  box.className = "gradcheck";
  box.dataset.gradcheck = check.tensor;
  box.dataset.state = check.status;
  const button = document.createElement("button");
  button.type = "button";
  button.dataset.action = "gradcheck";
  button.dataset.tensor = check.tensor;
  button.disabled = check.status === "loading";
  button.textContent = check.status === "loading" ? "Checking…" : check.status === "done" || check.status === "later" ? "Check again" : "Check numerically";
  button.title = "Estimate this gradient by finite differences (float64, on the server)";
  box.appendChild(button);
  if (check.status === "error") {
    const p = document.createElement("p");
    p.className = "note";
    p.dataset.gradcheckError = "";
    p.textContent = check.error;
    box.appendChild(p);
  }
  if (check.status === "later") {
    const p = document.createElement("p");
    p.className = "hint";
    p.dataset.gradcheckLater = "";
    p.textContent = check.laterText;
    box.appendChild(p);
  }
  if (check.status !== "done") return box;
  const dl = document.createElement("dl");
  const row = (label, attribute, value, text) => {
    const dt = document.createElement("dt");
    dt.textContent = label;
    const code = document.createElement("code");
    code.dataset[attribute] = value === undefined ? "" : JSON.stringify(value);
    code.textContent = text;
    const dd = document.createElement("dd");
    dd.appendChild(code);
    dl.append(dt, dd);
  };
  row("numeric", "numericGrad", check.numeric, check.numericText);
  row("backprop", "backpropGrad", check.autograd, check.autogradText);
  row("difference", "gradcheckDiff", check.close, check.diffText);
  box.appendChild(dl);
  for (const text of [check.about, ...(check.notes || [])]) {
    const p = document.createElement("p");
    p.className = "hint";
    p.textContent = text;
    box.appendChild(p);
  }
  return box;
}
