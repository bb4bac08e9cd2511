// The code editor: CodeMirror 6 with Python highlighting, the current step's line and the error's line.
import {
  EditorState, StateEffect, StateField, EditorView, keymap, Decoration, lineNumbers,
  highlightActiveLineGutter, drawSelection, defaultKeymap, history, historyKeymap, indentWithTab,
  syntaxHighlighting, HighlightStyle, tags, bracketMatching, indentUnit,
  closeBrackets, closeBracketsKeymap, python,
} from "../vendor/codemirror/codemirror.js";

const setMarks = StateEffect.define();

/** Syntax colours from CSS variables, so the light and dark themes both read well on a projector. */
const highlightStyle = HighlightStyle.define([
  { tag: tags.keyword, color: "var(--cm-keyword)", fontWeight: "600" },
  { tag: [tags.bool, tags.null, tags.atom], color: "var(--cm-atom)" },
  { tag: [tags.number], color: "var(--cm-number)" },
  { tag: [tags.string, tags.special(tags.string)], color: "var(--cm-string)" },
  { tag: tags.comment, color: "var(--cm-comment)", fontStyle: "italic" },
  { tag: [tags.function(tags.variableName), tags.function(tags.propertyName)], color: "var(--cm-function)" },
  { tag: [tags.definition(tags.variableName)], color: "var(--cm-definition)" },
  { tag: [tags.operator], color: "var(--cm-operator)" },
]);

/** Line decorations: {step: line|null, error: {line, col, end_line, end_col}|null}. */
const marksField = StateField.define({
  create: () => Decoration.none,
  update(decos, tr) {
    decos = decos.map(tr.changes);
    for (const e of tr.effects) if (e.is(setMarks)) decos = buildMarks(tr.state.doc, e.value);
    if (tr.docChanged) decos = Decoration.none;   // stale after an edit
    return decos;
  },
  provide: (f) => EditorView.decorations.from(f),
});

function buildMarks(doc, { step, error }) {
  const ranges = [];
  const valid = (n) => Number.isInteger(n) && n >= 1 && n <= doc.lines;
  if (valid(step)) ranges.push(Decoration.line({ class: "cm-step-line" }).range(doc.line(step).from));
  if (error && valid(error.line)) {
    const line = doc.line(error.line);
    if (!valid(step) || step !== error.line) ranges.push(Decoration.line({ class: "cm-error-line", attributes: { "data-error-line": String(error.line) } }).range(line.from));
    else ranges.push(Decoration.line({ class: "cm-error-line cm-step-line", attributes: { "data-error-line": String(error.line) } }).range(line.from));
    let from = line.from + Math.max(0, error.col || 0);
    let to = valid(error.end_line) ? doc.line(error.end_line).from + (error.end_col ?? 0) : line.to;
    from = Math.min(from, line.to); to = Math.max(Math.min(to, doc.length), from);
    if (to === from) { from = line.from; to = line.to; }
    if (to > from) ranges.push(Decoration.mark({ class: "cm-error-mark" }).range(from, to));
  }
  ranges.sort((a, b) => a.from - b.from || a.value.startSide - b.value.startSide);
  return Decoration.set(ranges, true);
}

/** Enter: a new line with the current line's indentation, one level deeper after a ":" (def, for, with...). */
export function indentAfter(lineBeforeCursor) {
  let indent = /^[ \t]*/.exec(lineBeforeCursor)[0];
  if (/:\s*(#.*)?$/.test(lineBeforeCursor)) indent += "    ";
  return indent;
}

function newlineAndIndent(view) {
  const { state } = view;
  const range = state.selection.main;
  const line = state.doc.lineAt(range.from);
  const insert = "\n" + indentAfter(state.doc.sliceString(line.from, range.from));
  view.dispatch({ changes: { from: range.from, to: range.to, insert }, selection: { anchor: range.from + insert.length }, scrollIntoView: true, userEvent: "input" });
  return true;
}

export class Editor {
  /** @param {HTMLElement} parent  @param {string} code  @param {() => void} onRun  @param {() => void} onEdit */
  constructor(parent, code, onRun, onEdit = () => {}) {
    this.marks = { step: null, error: null };
    this.view = new EditorView({
      parent,
      state: EditorState.create({
        doc: code,
        extensions: [
          // Enter keeps the line's indentation and adds a level after ":" (pasted programs stay exact).
          keymap.of([{ key: "Mod-Enter", run: () => { onRun(); return true; } }, { key: "Enter", run: newlineAndIndent }]),
          EditorView.lineWrapping,
          lineNumbers(), highlightActiveLineGutter(), history(), drawSelection(),
          indentUnit.of("    "), bracketMatching(), closeBrackets(),
          syntaxHighlighting(highlightStyle), python(), marksField,
          keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
          EditorView.updateListener.of((update) => { if (update.docChanged) onEdit(); }),
          EditorView.contentAttributes.of({ "aria-label": "PyTorch program", "data-testid": "editor" }),
        ],
      }),
    });
    // a long program scrolls: its scroller is reachable by keyboard too (axe: scrollable-region-focusable)
    this.view.scrollDOM.tabIndex = 0;
    this.view.scrollDOM.setAttribute("aria-label", "Program (scroll)");
  }

  get code() { return this.view.state.doc.toString(); }

  set code(text) {
    this.view.dispatch({ changes: { from: 0, to: this.view.state.doc.length, insert: text } });
  }

  /** Highlight the current step's line and underline the error (either may be null). */
  mark({ step = this.marks.step, error = this.marks.error } = {}) {
    if (step === this.marks.step && error === this.marks.error) return;
    this.marks = { step, error };
    this.view.dispatch({ effects: setMarks.of(this.marks) });
    const parent = this.view.dom.parentElement;
    if (error && error.line) parent.dataset.errorLine = String(error.line); else delete parent.dataset.errorLine;
  }

  focus() { this.view.focus(); }
}
