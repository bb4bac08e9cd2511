// A value table with a heatmap: number[] or number[][] in, an HTML <table> out (knows nothing else).
import { toNumber, short } from "./format.js";

const MAX_ROWS = 12, MAX_COLS = 12;

/** Diverging colour: negative blue, zero neutral, positive red; t in [-1, 1]. */
function colour(t) {
  if (!Number.isFinite(t)) return "var(--heat-nan)";
  const a = Math.min(1, Math.abs(t));
  return t >= 0 ? `rgba(214, 69, 65, ${0.08 + 0.62 * a})` : `rgba(52, 120, 198, ${0.08 + 0.62 * a})`;
}

export function heatmap(value) {
  if (!Array.isArray(value) || !value.length) return document.createComment("no values");
  const rows = Array.isArray(value[0]) ? value : [value];
  let max = 0;
  for (const r of rows) for (const v of r) { const x = Math.abs(toNumber(v)); if (Number.isFinite(x)) max = Math.max(max, x); }
  const table = document.createElement("table");
  table.className = "heatmap";
  rows.slice(0, MAX_ROWS).forEach((r) => {
    const tr = table.insertRow();
    const cells = Array.isArray(r) ? r : [r];
    cells.slice(0, MAX_COLS).forEach((v) => {
      const td = tr.insertCell();
      const x = toNumber(v);
      td.textContent = short(v);
      td.style.background = colour(max ? x / max : 0);
      td.title = String(v);
    });
    if (cells.length > MAX_COLS) tr.insertCell().textContent = "…";
  });
  if (rows.length > MAX_ROWS) table.insertRow().insertCell().textContent = `… ${rows.length - MAX_ROWS} more rows`;
  return table;
}
