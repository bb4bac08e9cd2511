// The console: printed output up to the current step, then the run's error (always shown).
import { errorText } from "./format.js";

/** @param {HTMLElement} root  @param {{output: string, error: Object|null, note: string|null}} model */
export function renderConsole(root, { output, error, note }) {
  const key = output + "\u0000" + (error ? JSON.stringify(error) : "") + "\u0000" + (note || "");
  if (root.dataset.key === key) return;
  root.dataset.key = key;
  root.replaceChildren();
  if (output) {
    const pre = document.createElement("pre");
    pre.className = "output";
    pre.textContent = output;
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
