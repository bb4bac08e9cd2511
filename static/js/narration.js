// The narration: one sentence for the current event, big enough to read from the back row.
import { preview, opSymbol, errorText } from "./format.js";
import { tensorLabel, tensorOfFunction, rootName, difference, gradUpdate } from "./names.js";

/**
 * One sentence for the current event, big enough to read from the back row, e.g.
 * "MulBackward0 receives dz/dmul = 1 and sends 30 to W, 40 to x". Derivatives are of the tensor the
 * backward call started from, by its name. `fmt` formats a value.
 */
export function narrate(doc, index, st, fmt = (v) => preview(v, 24)) {
  const e = st.event;
  const error = doc.error;
  // the error stops the program after its last event: at the end it is the news (the console may be hidden)
  if (error && st.step === doc.timeline.length) return errorText(error, { firstLine: true });
  if (!e) return "Before the program runs: press → to step through it.";
  const label = (id) => { const n = index.byId.get(id); return n ? tensorLabel(n) : id; };
  const where = e.line ? `line ${e.line}: ` : "";
  const call = e.call ? ` (call ${e.call + 1})` : "";
  switch (e.type) {
    case "create": return where + createSentence(index.byId.get(e.tensor), e, label, fmt);
    case "modify":
      if (e.op === "data") return `${where}${label(e.tensor)}.data is written: ${label(e.tensor)} is now ${fmt(e.data)}`;
      return `${where}${label(e.tensor)} is changed in place by ${e.op}, now ${fmt(e.data)}`;
    case "grad": return where + gradSentence(label(e.tensor), e, fmt);
    case "backward_start": {
      const roots = e.roots.map(label);
      if (roots.length > 1) return `${where}backward() starts from ${roots.join(", ")} with the gradients ${fmt(e.gradient)}${call}`;
      return `${where}${roots[0]}.backward() starts: d${roots[0]}/d${roots[0]} = ${fmt(e.gradient)}${call}`;
    }
    case "function": {
      const L = rootName(doc, index, e.call) ?? "L";
      const z = label(tensorOfFunction(index, e.function));
      const receives = `${e.name} receives d${L}/d${z} = ${e.grad_in.map(fmt).join(", ")}`;
      if (e.name === "AccumulateGrad") return `${receives} and adds it to ${z}.grad`;
      const sends = (e.grad_out || []).filter((g) => g && g.target).map((g) => `${fmt(g.value)} to ${label(tensorOfFunction(index, g.target))}`);
      return receives + (sends.length ? ` and sends ${sends.join(", ")}` : " and sends nothing back (no input needs a gradient)");
    }
    case "accumulate": return gradUpdate(label(e.tensor), e.before, difference(e.after, e.before), e.after, fmt);
    case "backward_end": return `${rootName(doc, index, e.call) ?? "L"}.backward() is done${call}`;
    case "print": return `${where}print → ${e.text.trim()}`;
    default: return e.type;
  }
}

/** A .grad reset outside backward(). */
function gradSentence(name, e, fmt) {
  if (e.grad === null) return `${name}.grad is set to None: the next backward() starts it afresh`;
  if (e.op === "zero_") return `${name}.grad is zeroed in place: now ${fmt(e.grad)}`;
  if (e.op === "set") return `${name}.grad is set to ${fmt(e.grad)}`;
  return `${name}.grad is changed in place by ${e.op}, now ${fmt(e.grad)}`;
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

