// The console: printed output and PyTorch's warnings up to the current step, then the run's error (always shown).
import { errorText } from "./format.js";

/**
 * @param {HTMLElement} root
 * @param {{output: string, entries?: Array<{kind: string, text: string, category?: string, line?: number}>,
 *          error: Object|null, note: string|null}} model
 *   `entries` (printed text and warnings in program order) wins over `output` when given.
 */
export function renderConsole(root, { output, entries, error, note }) {
  const items = entries || (output ? [{ kind: "print", text: output }] : []);
  const key = JSON.stringify(items) + "\u0000" + (error ? JSON.stringify(error) : "") + "\u0000" + (note || "");
  if (root.dataset.key === key) return;
  root.dataset.key = key;
  root.replaceChildren();
  let printed = null;   // consecutive prints share one <pre>, as a terminal shows them
  for (const item of items) {
    if (item.kind === "print") {
      if (!printed) {
        printed = document.createElement("pre");
        printed.className = "output";
        printed.textContent = "";
        root.appendChild(printed);
      }
      printed.textContent += item.text;
      continue;
    }
    printed = null;
    const pre = document.createElement("pre");
    pre.className = "warning";
    pre.dataset.testid = "warning";
    pre.textContent = `${item.category}: ${item.text}` + (item.line ? `\n  (line ${item.line})` : "");
    root.appendChild(pre);
  }
  if (note) {
    const p = document.createElement("p");
    p.className = "note";
    p.textContent = note;
    root.appendChild(p);
  }
  if (error) {
    const pre = document.createElement("pre");
    pre.className = "error";
    pre.setAttribute("role", "alert");
    pre.dataset.testid = "error";
    pre.textContent = errorText(error) + (error.hint ? `\n${error.hint}` : "");
    root.appendChild(pre);
  }
  root.scrollTop = root.scrollHeight;
}
