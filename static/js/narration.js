// The narration: one sentence for the current event, big enough to read from the back row.
import { preview, opSymbol } from "./format.js";
import { tensorLabel, tensorOfFunction, rootName, difference } from "./names.js";

/**
 * One sentence for the current event, big enough to read from the back row, e.g.
 * "MulBackward0 receives dL/dz = 1 and sends 30 to W, 40 to x". `fmt` formats a value.
 */
export function narrate(doc, index, st, fmt = (v) => preview(v, 24)) {
  const e = st.event;
  const error = doc.error;
  // the error stops the program after its last event: at the end it is the news (the console may be hidden)
  if (error && st.step === doc.timeline.length) return `${error.line ? `line ${error.line}: ` : ""}${error.type}: ${error.message.split("\n")[0]}`;
  if (!e) return "Before the program runs: press → to step through it.";
  const label = (id) => { const n = index.byId.get(id); return n ? tensorLabel(n) : id; };
  const where = e.line ? `line ${e.line}: ` : "";
  switch (e.type) {
    case "create": return where + createSentence(index.byId.get(e.tensor), e, label, fmt);
    case "modify": return `${where}${label(e.tensor)} is changed in place by ${e.op}, now ${fmt(e.data)}`;
    case "backward_start": {
      const roots = e.roots.map(label);
      const L = (rootName(doc, index, e.call) ?? "L");
      return `${where}${roots.join(", ")}.backward() starts with dL/d${L} = ${fmt(e.gradient)}` + (e.call ? ` (call ${e.call + 1})` : "");
    }
    case "function": {
      const L = (rootName(doc, index, e.call) ?? "L");
      const z = label(tensorOfFunction(index, e.function));
      const receives = `${e.name} receives d${L}/d${z} = ${e.grad_in.map(fmt).join(", ")}`;
      if (e.name === "AccumulateGrad") return `${receives} and adds it to ${z}.grad`;
      const sends = (e.grad_out || []).filter((g) => g && g.target).map((g) => `${fmt(g.value)} to ${label(tensorOfFunction(index, g.target))}`);
      return receives + (sends.length ? ` and sends ${sends.join(", ")}` : " and sends nothing back (no input needs a gradient)");
    }
    case "accumulate": {
      const name = label(e.tensor);
      return `${name}.grad = ${e.before === null ? "None" : fmt(e.before)} + ${fmt(difference(e.after, e.before))} = ${fmt(e.after)}`;
    }
    case "backward_end": return `${(rootName(doc, index, e.call) ?? "L")}.backward() is done` + (e.call ? ` (call ${e.call + 1})` : "");
    case "print": return `${where}print → ${e.text.trim()}`;
    default: return e.type;
  }
}

/** "W = 4 (leaf, requires grad)" or "z = mul + b = 17, grad_fn AddBackward0". */
function createSentence(t, e, label, fmt) {
  const name = tensorLabel(t);
  if (!e.inputs.length) return `${name} = ${fmt(e.data)} (leaf${t.requires_grad ? ", requires grad" : ""})`;
  const constants = (t.constants || []).map((c) => preview(c, 12));
  // 1 - x is recorded as rsub(x, 1): the number goes first again
  const args = e.op.startsWith("r") && opSymbol(e.op) !== e.op ? [...constants, ...e.inputs.map(label)] : [...e.inputs.map(label), ...constants];
  const symbol = opSymbol(e.op);
  const expr = symbol !== e.op && args.length === 2 ? `${args[0]} ${symbol} ${args[1]}` : `${e.op}(${args.join(", ")})`;
  return `${name} = ${expr} = ${fmt(e.data)}` + (t.grad_fn ? `, grad_fn ${t.grad_fn}` : "");
}

