// The one CodeMirror 6 bundle the page imports (built by build.sh with esbuild).
export { EditorState, StateEffect, StateField, RangeSetBuilder } from "@codemirror/state";
export { EditorView, keymap, Decoration, lineNumbers, highlightActiveLine, highlightActiveLineGutter, drawSelection } from "@codemirror/view";
export { defaultKeymap, history, historyKeymap, indentWithTab, insertNewline } from "@codemirror/commands";
export { syntaxHighlighting, defaultHighlightStyle, HighlightStyle, indentOnInput, bracketMatching, indentUnit } from "@codemirror/language";
export { tags } from "@lezer/highlight";
export { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
export { python } from "@codemirror/lang-python";
