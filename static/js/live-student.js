// A student's side of a live lesson: the page follows the teacher's program, view, iteration, step and
// selection; "Follow the teacher" off lets the student explore, on snaps back. A question hides the
// asked value (its graph row, the inspector field, and gradient labels, callout, narration and
// console, which could give it away) until the reveal.
import { LiveSocket } from "./live-socket.js";
import { promptOf, resultText, renderSummaryTable } from "./live-teacher.js";
import { short } from "./format.js";

const $ = (selector, root = document) => root.querySelector(selector);
const PARTICIPANT_KEY = "gradtrace.live.participant.";
const NAME_KEY = "gradtrace.live.name";
const FOLLOWED = ["view", "step", "iteration", "selection"];

function stored(key) { try { return sessionStorage.getItem(key); } catch { return null; } }
function store(key, value) { try { sessionStorage.setItem(key, value); } catch { /* storage disabled */ } }

export class StudentLive {
  constructor(controller, app) {
    this.controller = controller;
    this.code = app.dataset.liveCode;
    this.app = app;
    this.card = $("#live-card");
    this.followBox = $("[data-testid=live-follow]");
    this.status = $("[data-testid=live-status]");
    this.latest = null;        // the teacher's latest state
    this.applying = false;
    this.following = true;
    this.question = null;
    this.mask = document.createElement("style");
    document.head.appendChild(this.mask);
    this.followBox.addEventListener("change", () => this.setFollowing(this.followBox.checked));
    $("[data-testid=live-answer-form]").addEventListener("submit", (e) => { e.preventDefault(); this.answer(); });
    const name = $("[data-testid=live-name]");
    name.value = stored(NAME_KEY) || "";
    name.addEventListener("change", () => store(NAME_KEY, name.value));
    controller.store.subscribe((state, changed) => this.onLocalChange(state, changed));
    this.socket = new LiveSocket(app.dataset.liveSocket,
      () => ({ type: "hello", role: "student", participant: stored(PARTICIPANT_KEY + this.code) }),
      { onMessage: (m) => this.onMessage(m), onStatus: (s, d) => this.onStatus(s, d) });
  }

  onStatus(status, detail = {}) {
    const words = { connecting: "connecting…", reconnecting: "reconnecting…", live: "following live",
                    offline: "offline, retrying…", closed: "closed" };
    this.status.dataset.status = status;
    this.status.textContent = `Live ${this.code} · ${words[status]}`;
  }

  onMessage(m) {
    const handlers = {
      welcome: () => {
        store(PARTICIPANT_KEY + this.code, m.participant);
        $("[data-testid=live-message]").textContent = "";   // an outage's message, now over
        this.setQuestion(m.question, m.my_answer);
        if (m.reveal) this.reveal(m.reveal);
        if (m.ended) this.ended(m.summary);
        if (m.state) this.follow(m.state);
      },
      state: () => this.follow(m.state),
      question: () => this.setQuestion(m.question, null),
      answered: () => this.answered(m.value),
      reveal: () => this.reveal(m),
      ended: () => this.ended(m.summary),
      error: () => this.error(m),
    };
    (handlers[m.type] || (() => {}))();
  }

  error(m) {
    if (["answer-rate", "question-closed", "malformed", "not-teacher"].includes(m.kind)) {
      $("[data-testid=live-answer-error]").textContent = m.message;
    } else {
      this.say(m.message);
    }
  }

  say(text) {
    this.card.hidden = false;
    $("[data-testid=live-message]").textContent = text;
  }

  // ------------------------------------------------------------------ following

  follow(state) {
    this.latest = state;
    if (this.following) this.apply();
  }

  setFollowing(on) {
    this.following = on;
    this.followBox.checked = on;
    this.app.dataset.liveFollowing = String(on);
    if (on && this.latest) this.apply();
  }

  /** Bring the page to the teacher's latest state (runs the program when it changed). */
  async apply() {
    if (this.applying) { this.again = true; return; }
    this.applying = true;
    const c = this.controller;
    try {
      do {
        this.again = false;
        const t = this.latest;
        const { doc } = c.store.get();
        if (t.code && (!doc || doc.code !== t.code)) {
          c.editor.code = t.code;
          c.pendingStep = t.step;
          await c.run();
        }
        c.pause();
        c.store.set({ view: t.view, iteration: t.iteration ?? null });
        c.store.set({ step: t.step, selection: t.selection ?? null });
      } while (this.again && this.following);
    } finally {
      this.applying = false;
      this.app.dataset.liveStep = String(c.store.get().step);
    }
  }

  /** The student stepped, scrubbed, switched view or selected a node: exploring, not following. */
  onLocalChange(state, changed) {
    if (changed.has("selection") || changed.has("doc")) this.updateMask();
    if (this.applying || !this.following || !this.latest) return;
    const t = this.latest;
    const differs = FOLLOWED.some((k) => changed.has(k) && (state[k] ?? null) !== (t[k] ?? null));
    if (differs) this.setFollowing(false);
  }

  // ------------------------------------------------------------------ questions

  setQuestion(question, myAnswer) {
    this.question = question;
    const form = $("[data-testid=live-answer-form]");
    $("[data-testid=live-revealed]").hidden = true;
    form.hidden = !question;
    if (question) {
      this.card.hidden = false;
      $("[data-testid=live-message]").textContent = "";
      $("[data-testid=live-prompt]").textContent = promptOf(question);
      $("[data-testid=live-answer]").value = myAnswer ?? "";
      $("[data-testid=live-answer-error]").textContent = "";
      $("[data-testid=live-answer-note]").textContent = myAnswer === null || myAnswer === undefined ? "" : `Sent: ${short(myAnswer)}. You can change it until the reveal.`;
    }
    this.updateMask();
  }

  answer() {
    const input = $("[data-testid=live-answer]");
    const text = input.value.trim().replace(/^\u2212/, "-");
    const value = text === "" ? NaN : Number(text);
    const error = $("[data-testid=live-answer-error]");
    if (!Number.isFinite(value)) { error.textContent = "Type a number, like 12, -0.5 or 3e-2."; return; }
    const name = $("[data-testid=live-name]").value.trim() || null;
    if (!this.question || !this.socket.send({ type: "answer", question: this.question.id, value, name })) {
      error.textContent = "Not connected: the answer was not sent. Try again in a moment.";
    }
  }

  answered(value) {
    this.myAnswer = value;
    $("[data-testid=live-answer-error]").textContent = "";
    $("[data-testid=live-answer-note]").textContent = `Sent: ${short(value)}. You can change it until the reveal.`;
  }

  reveal(m) {
    const q = { ...m.question, stats: m.stats };
    const mine = this.question && this.question.id === q.id ? Number($("[data-testid=live-answer]").value) : NaN;
    this.question = null;
    this.updateMask();
    $("[data-testid=live-answer-form]").hidden = true;
    const box = $("[data-testid=live-revealed]");
    box.hidden = false;
    this.card.hidden = false;
    let yours = "You did not answer.";
    if (Number.isFinite(mine) && $("[data-testid=live-answer]").value.trim() !== "") {
      const right = Math.abs(mine - q.truth) <= q.tolerance;
      yours = `Your answer ${short(mine)}: ${right ? "right ✓" : "off by " + short(Math.abs(mine - q.truth))}.`;
      box.dataset.right = String(right);
    }
    box.textContent = `${resultText(q)}. ${yours}`;
    box.dataset.truth = String(q.truth);
  }

  ended(summary) {
    this.say("The lesson has ended.");
    renderSummaryTable($("[data-testid=live-summary]"), summary);
  }

  /** Hide the asked value while the question is open. */
  updateMask() {
    const q = this.question;
    this.app.toggleAttribute("data-live-asking", Boolean(q));
    if (!q) { this.mask.textContent = ""; delete this.app.dataset.liveHideField; return; }
    const row = q.field === "grad" ? 3 : 2;   // present.js nodeStates: row 2 is the data, row 3 the grad
    this.mask.textContent = `.node[data-node-id="${CSS.escape(q.node)}"] text.row${row} { visibility: hidden; }`;
    const selected = this.controller.store.get().selection;
    if (selected === q.node) this.app.dataset.liveHideField = q.field;
    else delete this.app.dataset.liveHideField;
  }
}
