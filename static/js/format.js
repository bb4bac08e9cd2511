// Values, shapes and op symbols as text, for every renderer (pure functions of plain data).
// app/format.py is its Python twin (exported DOT/SVG); tests/js/test_format_parity.py checks both agree.

const OP_SYMBOL = { add: "+", sub: "−", mul: "×", div: "÷", matmul: "@", pow: "**", neg: "−", rsub: "−", radd: "+", rmul: "×", rdiv: "÷", truediv: "÷" };
export const opSymbol = (op) => OP_SYMBOL[op] ?? op ?? "";

/** A value too large to send: {truncated: true, shape, stats: {min, max, mean}} (docs/DOCUMENT.md). */
export const isTruncated = (v) => v !== null && typeof v === "object" && !Array.isArray(v) && v.truncated === true;

export function truncatedText(v) {
  const s = v.stats || {};
  return `⟨${shapeText(v.shape, "")}: min ${short(s.min)}, mean ${short(s.mean)}, max ${short(s.max)}⟩`;
}

/** A JSON number or one of the document's "nan" / "inf" / "-inf" strings, as a JS number. */
export function toNumber(v) {
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v === "nan") return NaN;
  if (v === "inf") return Infinity;
  if (v === "-inf") return -Infinity;
  return Number(v);
}

/** Shortest decimal that reads back as the same value in `dtype` (0.1, not 0.10000000149 for float32). */
export function exact(v, dtype = "float32") {
  if (typeof v === "boolean") return v ? "True" : "False";
  const x = toNumber(v);
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  if (dtype !== "float32" && dtype !== "float16" && dtype !== "bfloat16") return String(x);
  const f = Math.fround(x);
  for (let p = 1; p < 17; p++) {
    const s = Number(x.toPrecision(p));
    if (Math.fround(s) === f) return String(s);
  }
  return String(x);
}

/** Four significant digits for node labels and edges. */
export function short(v) {
  if (typeof v === "boolean") return v ? "True" : "False";
  const x = toNumber(v);
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (Number.isInteger(x) && Math.abs(x) < 1e6) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return x.toExponential(2).replace("e+", "e");
  return String(Number(x.toPrecision(4)));
}

/** Nested lists as text with a number formatter: 30, [1, 4], [[1, 2], [3, 4]]; null -> "None". */
export function nested(value, dtype = "float32") {
  if (value === null || value === undefined) return "None";
  if (isTruncated(value)) return truncatedText(value);
  if (Array.isArray(value)) return "[" + value.map((v) => nested(v, dtype)).join(", ") + "]";
  return exact(value, dtype);
}

/** A short preview for a node label (at most ~`max` characters). */
export function preview(value, max = 22) {
  if (value === null || value === undefined) return "";
  if (isTruncated(value)) return `⟨${shapeText(value.shape, "")}, mean ${short(value.stats?.mean)}⟩`;
  if (!Array.isArray(value)) return short(value);
  const flat = flatten(value);
  let text = "";
  for (let i = 0; i < flat.length; i++) {
    const piece = (i ? ", " : "") + short(flat[i]);
    if (text.length + piece.length > max - 3) return "[" + text + ", …]";
    text += piece;
  }
  return "[" + text + "]";
}

export function flatten(value, out = []) {
  if (Array.isArray(value)) for (const v of value) flatten(v, out);
  else out.push(value);
  return out;
}

/** 2×3, or `empty` for a 0-d tensor. */
export function shapeText(shape, empty = "scalar") {
  return shape && shape.length ? shape.join("×") : empty;
}

/** Elementwise binary op over equal nested shapes (null when shapes differ). */
export function zipWith(a, b, fn) {
  if (isTruncated(a) || isTruncated(b) || a === null || b === null) return null;
  if (Array.isArray(a) !== Array.isArray(b)) return null;
  if (!Array.isArray(a)) return fn(toNumber(a), toNumber(b));
  if (a.length !== b.length) return null;
  const out = [];
  for (let i = 0; i < a.length; i++) {
    const v = zipWith(a[i], b[i], fn);
    if (v === null) return null;
    out.push(v);
  }
  return out;
}

/** An error as one line of text, its line number once: "RuntimeError (line 3): message". */
export function errorText(error, { firstLine = false } = {}) {
  const message = firstLine ? String(error.message).split("\n")[0] : String(error.message);
  const said = error.line && new RegExp(`\\bline ${error.line}\\b`).test(message);
  return `${error.type}${error.line && !said ? ` (line ${error.line})` : ""}: ${message}`;
}
