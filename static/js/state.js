// The page's state, in one place: the run document, the timeline step, the view, the selection.
// Only this module reads (and, later, writes) the URL: a declarative table of properties with one
// serialize() and one deserialize() that ignores bad values.

export const VIEWS = ["forward", "backward"];

/** URL properties: name -> {parse(text) -> value | undefined (ignored), format(value) -> text}. */
const URL_PROPERTIES = {
  view: { parse: (t) => (VIEWS.includes(t) ? t : undefined), format: (v) => v },
  step: { parse: (t) => (/^\d{1,7}$/.test(t) ? Number(t) : undefined), format: (v) => String(v) },
};

/** Read the URL's known properties; unknown or malformed values are ignored. */
export function deserialize(search) {
  const params = new URLSearchParams(search);
  const out = {};
  for (const [name, prop] of Object.entries(URL_PROPERTIES)) {
    if (!params.has(name)) continue;
    const value = prop.parse(params.get(name));
    if (value !== undefined) out[name] = value;
  }
  return out;
}

/** The query string for a state (only the properties in the table). */
export function serialize(state) {
  const params = new URLSearchParams();
  for (const [name, prop] of Object.entries(URL_PROPERTIES)) {
    if (state[name] !== undefined && state[name] !== null) params.set(name, prop.format(state[name]));
  }
  return params.toString();
}

/**
 * @typedef {Object} PageState
 * @property {Object|null} doc          the run document (docs/DOCUMENT.md), null before the first run
 * @property {number} step              0 .. doc.timeline.length
 * @property {"forward"|"backward"} view
 * @property {string|null} selection    id of the selected node (tensor or function)
 * @property {boolean} playing
 * @property {number} speed             playback speed multiplier
 * @property {Set<string>} expanded     groups the learner opened (big graphs)
 * @property {number|null} iteration   training-loop iteration whose graph is shown, null for all
 * @property {boolean} running          a run request is in flight
 * @property {"light"|"dark"} theme
 */

export class Store {
  /** @param {Partial<PageState>} initial */
  constructor(initial = {}) {
    /** @type {PageState} */
    this.state = {
      doc: null, step: 0, view: "forward", selection: null, playing: false, speed: 1,
      expanded: new Set(), iteration: null, running: false, theme: "light", ...initial,
    };
    this.listeners = new Set();
  }

  get() { return this.state; }

  /** Merge a patch and tell listeners which keys changed. */
  set(patch) {
    const changed = new Set();
    for (const [k, v] of Object.entries(patch)) {
      if (this.state[k] !== v) { changed.add(k); }
    }
    if (!changed.size) return;
    this.state = { ...this.state, ...patch };
    const total = this.state.doc ? this.state.doc.timeline.length : 0;
    this.state.step = Math.max(0, Math.min(this.state.step, total));
    for (const fn of this.listeners) fn(this.state, changed);
  }

  subscribe(fn) { this.listeners.add(fn); return () => this.listeners.delete(fn); }
}
