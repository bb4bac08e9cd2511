// The teacher's side of a live lesson: "Go live" opens a lesson, the panel shows the join code, URL
// and QR code, the page's state (program, view, iteration, step, selection) streams to the students,
// and questions gather answers into a live histogram until the reveal.
import { LiveSocket } from "./live-socket.js";
import { renderHistogram } from "./live-histogram.js";
import { short } from "./format.js";

const $ = (selector, root = document) => root.querySelector(selector);
const LESSON_KEY = "gradtrace.live";     // this tab's lesson: a reload rejoins it (the token is an httpOnly cookie)
const FOLLOWED = ["doc", "view", "step", "iteration", "selection"];
const SEND_EVERY_MS = 40;                // scrubbing sends at most this often (the last position always goes)

export class TeacherLive {
  constructor(controller) {
    this.controller = controller;
    this.panel = $("#live-panel");
    this.button = $("[data-action=go-live]");
    this.answers = new Map();   // who -> {value, name}
    this.question = null;
    this.lastSent = 0;
    this.button.addEventListener("click", () => (this.socket ? this.panel.hidden = !this.panel.hidden : this.goLive()));
    $("[data-action=live-ask]", this.panel).addEventListener("click", () => this.ask());
    $("[data-action=live-reveal]", this.panel).addEventListener("click", () => this.socket.send({ type: "reveal" }));
    $("[data-action=live-end]", this.panel).addEventListener("click", () => this.end());
    $("[data-action=live-fold]", this.panel).addEventListener("click", () => this.panel.classList.toggle("folded"));
    controller.store.subscribe((state, changed) => {
      if (FOLLOWED.some((k) => changed.has(k))) this.scheduleSend();
      if (changed.has("selection") || changed.has("doc")) this.renderTarget();
    });
    let code = null;
    try { code = sessionStorage.getItem(LESSON_KEY); } catch { /* storage disabled: no rejoin on reload */ }
    if (code) this.connect(code);
    // `gradtrace live` opens the page with ?golive=1 (the address bar's next update drops it)
    else if (new URLSearchParams(location.search).get("golive") === "1") this.goLive();
  }

  async goLive() {
    this.button.disabled = true;
    try {
      const response = await fetch(this.button.dataset.liveApi, { method: "POST" });
      const body = await response.json().catch(() => null);
      if (!response.ok || !body) throw new Error(body && body.detail ? body.detail : `server error ${response.status}`);
      try { sessionStorage.setItem(LESSON_KEY, body.code); } catch { /* see above */ }
      this.connect(body.code);
    } catch (error) {
      this.panel.hidden = false;
      $("[data-testid=live-error]", this.panel).textContent = "Could not start a live lesson: " + error.message;
    } finally {
      this.button.disabled = false;
    }
  }

  connect(code) {
    this.code = code;
    this.panel.hidden = false;
    this.button.setAttribute("aria-pressed", "true");
    $("[data-testid=live-code]", this.panel).textContent = code;
    this.socket = new LiveSocket(`/api/live/${code}/ws`, () => ({ type: "hello", role: "teacher" }), {
      onMessage: (m) => this.onMessage(m),
      onStatus: (status, detail) => this.onStatus(status, detail),
    });
  }

  onStatus(status, detail = {}) {
    const label = { connecting: "connecting…", reconnecting: "reconnecting…", live: "● live",
                    offline: "offline, retrying…", closed: "closed" }[status];
    const el = $("[data-testid=live-status]", this.panel);
    el.textContent = label;
    el.dataset.status = status;
    if (status === "live") $("[data-testid=live-error]", this.panel).textContent = "";
    if (status === "closed") this.stop("This lesson has ended or expired, or this browser is not its teacher.");
  }

  stop(message) {
    if (this.socket) this.socket.close();
    this.socket = null;
    try { sessionStorage.removeItem(LESSON_KEY); } catch { /* nothing stored */ }
    this.button.setAttribute("aria-pressed", "false");
    $("[data-testid=live-error]", this.panel).textContent = message;
  }

  onMessage(m) {
    const handlers = {
      welcome: () => this.welcome(m),
      presence: () => this.renderCount(m.students),
      question: () => { this.question = m.question; this.answers.clear(); this.renderQuestion(); },
      answer: () => {
        if (!this.question || m.question !== this.question.id) return;
        this.answers.set(m.who, { value: m.value, name: m.name });
        this.scheduleHistogram();
      },
      reveal: () => { Object.assign(this.question, m.question, { revealed: true, stats: m.stats }); this.renderQuestion(); },
      ended: () => this.renderSummary(m.summary),
      error: () => { $("[data-testid=live-error]", this.panel).textContent = m.message; },
    };
    (handlers[m.type] || (() => {}))();
  }

  welcome(m) {
    const url = $("[data-testid=live-url]", this.panel);
    url.textContent = m.join_url;
    url.href = m.join_url;
    $("[data-testid=live-qr]", this.panel).src = `/live/${m.code}/qr.svg`;
    this.renderCount(m.students);
    this.question = m.questions.length ? m.questions[m.questions.length - 1] : null;
    this.answers = new Map(m.answers.map((a) => [a.who, { value: a.value, name: a.name }]));
    this.renderQuestion();
    if (m.ended) this.renderSummary(m.summary);
    this.send();   // after a reconnect the students catch up with where the teacher is now
  }

  renderCount(students) {
    const el = $("[data-testid=live-count]", this.panel);
    el.dataset.students = String(students);
    el.textContent = students ? `${students} student${students === 1 ? "" : "s"} connected` : "no students yet";
  }

  // ------------------------------------------------------------------ following

  scheduleSend() {
    if (this.sendTimer) return;
    const wait = Math.max(0, this.lastSent + SEND_EVERY_MS - performance.now());
    this.sendTimer = setTimeout(() => { this.sendTimer = null; this.send(); }, wait);
  }

  send() {
    const { doc, view, step, iteration, selection } = this.controller.store.get();
    if (!this.socket || !doc) return;   // nothing to show before the first run
    this.lastSent = performance.now();
    this.socket.send({ type: "state", state: { code: doc.code, view, step, iteration, selection } });
  }

  // ------------------------------------------------------------------ questions

  /** The selected node's tensor and its final value of `field`, as a flat list of numbers (or an error). */
  target(field) {
    const { doc, selection } = this.controller.store.get();
    const byId = this.controller.index && this.controller.index.byId;
    let node = selection && byId ? byId.get(selection) : null;
    if (node && node.kind === "function") node = byId.get(node.tensor);
    if (!doc || !node || node.kind !== "tensor") return { error: "Select a tensor in the graph first." };
    const value = node[field === "grad" ? "grad" : "data"];
    const truncated = field === "grad" ? node.grad_truncated : node.truncated;
    if (value === null || value === undefined) return { node, error: `${node.label} has no ${field} at the end of this run.` };
    if (truncated) return { node, error: `${node.label}.${field} is too large to ask about.` };
    return { node, values: [value].flat(Infinity).map(Number) };
  }

  renderTarget() {
    const hint = $("[data-testid=live-ask-target]", this.panel);
    const t = this.target($("[data-testid=live-field]", this.panel).value);
    hint.textContent = t.node ? `Ask about ${t.node.label}` + (t.values && t.values.length > 1 ? ` (${t.values.length} elements)` : "") : "Select a node, then ask the class to predict its grad or data.";
  }

  ask() {
    const field = $("[data-testid=live-field]", this.panel).value;
    const index = Number($("[data-testid=live-index]", this.panel).value) || 0;
    const error = $("[data-testid=live-error]", this.panel);
    const t = this.target(field);
    if (t.error) { error.textContent = t.error; return; }
    if (index < 0 || index >= t.values.length) { error.textContent = `${t.node.label} has ${t.values.length} element(s): element ${index} does not exist.`; return; }
    const truth = t.values[index];
    if (!Number.isFinite(truth)) { error.textContent = `${t.node.label}.${field} is ${truth}: ask about a finite number.`; return; }
    const typed = $("[data-testid=live-tolerance]", this.panel).value;
    const tolerance = typed !== "" && Number(typed) >= 0 ? Number(typed) : (truth === 0 ? 0.01 : Math.abs(truth) * 0.05);
    error.textContent = "";
    this.socket.send({ type: "ask", question: { node: t.node.id, label: t.node.label, field, index, truth, tolerance } });
  }

  renderQuestion() {
    const box = $("[data-testid=live-question]", this.panel);
    const q = this.question;
    box.hidden = !q;
    if (!q) return;
    $("[data-testid=live-prompt]", this.panel).textContent = `${promptOf(q)} = ${q.revealed ? short(q.truth) : "?"}`;
    $("[data-testid=live-reveal]", this.panel).hidden = q.revealed;
    const result = $("[data-testid=live-result]", this.panel);
    result.textContent = q.revealed ? resultText(q) : "";
    this.renderHistogram();
  }

  scheduleHistogram() {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => { this.frame = null; this.renderHistogram(); });
  }

  renderHistogram() {
    const q = this.question;
    if (!q) return;
    const values = [...this.answers.values()].map((a) => a.value);
    $("[data-testid=live-answered]", this.panel).textContent = String(values.length);
    renderHistogram($("[data-testid=live-histogram]", this.panel), values,
      q.revealed ? { truth: q.truth, tolerance: q.tolerance } : {});
    const names = [...this.answers.values()].map((a) => a.name).filter(Boolean);
    $("[data-testid=live-names]", this.panel).textContent = names.length ? "Answered: " + names.slice(-12).join(", ") : "";
  }

  end() {
    if (this.socket) this.socket.send({ type: "end" });
  }

  renderSummary(summary) {
    renderSummaryTable($("[data-testid=live-summary]", this.panel), summary);
    try { sessionStorage.removeItem(LESSON_KEY); } catch { /* nothing stored */ }
  }
}

export function promptOf(q) {
  return `${q.label}.${q.field}` + (q.index ? `[${q.index}]` : "");
}

/** "true value 30 · 2 of 3 within ±1.5 (67%) · median 28, range 20 – 31, spread σ 4.5" */
export function resultText(q) {
  const s = q.stats;
  const head = `${promptOf(q)} = ${short(q.truth)}`;
  if (!s || !s.answered) return `${head} · nobody answered`;
  return `${head} · ${s.within} of ${s.answered} within ±${short(q.tolerance)} (${Math.round(100 * s.fraction_within)}%)` +
    ` · median ${short(s.median)}, range ${short(s.min)} – ${short(s.max)}, spread σ ${short(s.stdev)}`;
}

/** Per question: answered and right (within tolerance). */
export function renderSummaryTable(table, summary) {
  table.hidden = false;
  table.replaceChildren();
  const row = (cells, tag = "td") => {
    const tr = document.createElement("tr");
    for (const c of cells) { const td = document.createElement(tag); td.textContent = c; tr.appendChild(td); }
    table.appendChild(tr);
    return tr;
  };
  const caption = document.createElement("caption");
  caption.textContent = "Lesson summary";
  table.appendChild(caption);
  row(["question", "true value", "answered", "right"], "th");
  for (const q of summary) {
    row([q.prompt, q.truth === null ? "not revealed" : short(q.truth), String(q.answered), q.right === null ? "–" : String(q.right)]).dataset.question = q.id;
  }
}
