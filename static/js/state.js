// The page's state, in one place: the run document, the timeline step, the view, the selection.
// Only this module reads and writes the URL: a declarative table of properties with one
// serialize() and one deserialize() that ignores bad values, plus the program's codec
// (its Python twin is app/share.py, which the server uses to put a linked program in the editor).

export const VIEWS = ["forward", "backward"];

/** URL properties: name -> {parse(text) -> value | undefined (ignored), format(value) -> text}. */
const URL_PROPERTIES = {
  view: { parse: (t) => (VIEWS.includes(t) ? t : undefined), format: (v) => v },
  step: { parse: (t) => (/^\d{1,7}$/.test(t) ? Number(t) : undefined), format: (v) => String(v) },
  // the training loop's iteration shown in the graph: a number, or "all"
  iter: { parse: (t) => (t === "all" ? "all" : /^\d{1,6}$/.test(t) ? Number(t) : undefined), format: (v) => String(v) },
  present: { parse: (t) => (t === "1" ? true : t === "0" ? false : undefined), format: (v) => (v ? "1" : "0") },   // classroom mode
  follow: { parse: (t) => (t === "0" ? false : t === "1" ? true : undefined), format: (v) => (v ? "1" : "0") },   // the camera follows the current event
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

// ---------------------------------------------------------------------------------- the program
// A program travels as `code=` (percent-encoded, spaces as "+") while that is at most READABLE_MAX
// characters, so short links stay readable; a longer one as `z=`: UTF-8, raw deflate, base64url
// without padding. Unpacking stops past `maxBytes` (4 × the server's GRADTRACE_MAX_SOURCE_CHARS, which
// the page carries as #app[data-max-source-chars]), so a zip bomb costs nothing.

export const READABLE_MAX = 2000;

/** Bytes a program of at most `maxChars` characters can take: UTF-8 uses at most 4 a character. */
export const programBytes = (maxChars) => 4 * maxChars;

export class ShareError extends Error {}
const DAMAGED = "The link's program (z=) is damaged: it is not complete raw deflate data.";

/** The `code=` value: encodeURIComponent with %20 written as "+" (share.py's percent_encode). */
export function percentEncode(code) {
  return encodeURIComponent(code).replace(/%20/g, "+");
}

/** The `z=` value of a program. */
export async function compress(code) {
  const packed = await pipe(new TextEncoder().encode(code), new CompressionStream("deflate-raw"));
  let binary = "";
  for (let i = 0; i < packed.length; i += 0x8000) binary += String.fromCharCode(...packed.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The program in a `z=` value; throws ShareError (the same messages as share.py) if it is not one. */
export async function decompress(z, maxBytes) {
  if (!(maxBytes > 0)) throw new TypeError("decompress needs the byte limit (programBytes(maxSourceChars))");
  if (z.length > 2 * maxBytes) throw new ShareError(`The link's program (z=) is too long to be one of at most ${maxBytes.toLocaleString("en")} bytes.`);
  if (!/^[A-Za-z0-9_-]*$/.test(z) || z.length % 4 === 1) throw new ShareError("The link's program (z=) is not valid base64url.");
  const binary = atob(z.replace(/-/g, "+").replace(/_/g, "/"));
  const packed = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  const data = await pipe(packed, new DecompressionStream("deflate-raw"), maxBytes);
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(data);
  } catch {
    throw new ShareError("The link's program is not UTF-8 text.");
  }
}

/** Bytes through a (de)compression stream, reading at most `maxBytes` of its output. */
async function pipe(bytes, transform, maxBytes = Infinity) {
  const reader = new Blob([bytes]).stream().pipeThrough(transform).getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    let chunk;
    try {
      chunk = await reader.read();
    } catch {
      throw new ShareError(DAMAGED);
    }
    if (chunk.done) break;
    size += chunk.value.length;
    if (size > maxBytes) {
      reader.cancel().catch(() => {});
      throw new ShareError(`The link's program (z=) unpacks to more than ${maxBytes.toLocaleString("en")} bytes.`);
    }
    chunks.push(chunk.value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}

/** [name, value] of the program's URL parameter: ["code", readable] or ["z", compressed]. */
export async function programParam(code) {
  const readable = percentEncode(code);
  return readable.length <= READABLE_MAX ? ["code", readable] : ["z", await compress(code)];
}

/**
 * The query string (without "?") of a share link: the program, then the table's properties.
 * `example` (a gallery slug) stands for the program when the editor still holds that example.
 */
export async function shareQuery({ code, example = null, ...state }) {
  const [name, value] = example ? ["example", encodeURIComponent(example)] : await programParam(code);
  const rest = serialize(state);
  return `${name}=${value}` + (rest ? "&" + rest : "");
}

/**
 * A function that keeps the address bar on `makeQuery()`'s link (null: leave it), at most once per
 * `ms` (browsers throttle replaceState); a slow compression never overwrites a newer link.
 */
export function urlFollower(makeQuery, ms = 300) {
  let timer = null;
  let latest = 0;
  return () => {
    if (timer) return;
    timer = setTimeout(async () => {
      timer = null;
      const ticket = ++latest;
      const query = await makeQuery();
      if (ticket === latest && query !== null && "?" + query !== location.search) {
        history.replaceState(history.state, "", "?" + query);
      }
    }, ms);
  };
}

// The theme is the viewer's preference (a projector's room light), not part of what a link shares:
// it is remembered in this browser and never written to the URL.
const THEME_KEY = "gradtrace.theme";

/** The remembered theme, else the system's preference. */
export function rememberedTheme() {
  let stored = null;
  try { stored = localStorage.getItem(THEME_KEY); } catch { /* storage disabled */ }
  if (stored === "light" || stored === "dark") return stored;
  return matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

export function rememberTheme(theme) {
  try { localStorage.setItem(THEME_KEY, theme); } catch { /* storage disabled: the choice lasts this page */ }
}

/**
 * @typedef {Object} PageState
 * @property {string} code             the program in the editor (CodeMirror reports each edit here)
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
 * @property {Object|null} gradchecks   numeric gradient checks of one document (gradcheck.js)
 * @property {boolean} present          classroom mode: big type, graph only, keyboard stepping
 * @property {boolean} follow           the camera keeps the current event in view
 */

export class Store {
  /** @param {Partial<PageState>} initial */
  constructor(initial = {}) {
    /** @type {PageState} */
    this.state = {
      code: "", doc: null, step: 0, view: "forward", selection: null, playing: false, speed: 1,
      expanded: new Set(), iteration: null, running: false, theme: "light", gradchecks: null, present: false, follow: true, ...initial,
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
