// Entry point of the committed CodeMirror bundle (codemirror.bundle.js).
// Rebuild with `npm run build` (or `make js`); exposes window.PyCellsEditor.createEditor.
import { EditorState, Prec } from "@codemirror/state";
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, drawSelection,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import {
  bracketMatching, indentOnInput, syntaxHighlighting, HighlightStyle,
} from "@codemirror/language";
import { tags } from "@lezer/highlight";
import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { python } from "@codemirror/lang-python";

// Code colours that keep a contrast of at least 4.5:1 (WCAG 2.1 AA) on the editor's white
// and on its highlighted active line.
const readableHighlightStyle = HighlightStyle.define([
  { tag: tags.keyword, color: "#7a1a8c" },
  { tag: [tags.atom, tags.bool, tags.url, tags.labelName], color: "#1d3f9e" },
  { tag: [tags.literal, tags.inserted], color: "#0f6b3a" },
  { tag: [tags.string, tags.deleted], color: "#a11a1a" },
  { tag: [tags.regexp, tags.escape, tags.special(tags.string)], color: "#a33000" },
  { tag: tags.definition(tags.variableName), color: "#0040c0" },
  { tag: tags.local(tags.variableName), color: "#3a1aa0" },
  { tag: [tags.typeName, tags.namespace], color: "#00684a" },
  { tag: tags.className, color: "#115e6b" },
  { tag: [tags.special(tags.variableName), tags.macroName], color: "#22555a" },
  { tag: tags.definition(tags.propertyName), color: "#0030b0" },
  { tag: tags.comment, color: "#74480a", fontStyle: "italic" },
  { tag: tags.invalid, color: "#b00020" },
  { tag: tags.heading, fontWeight: "bold" },
  { tag: tags.strong, fontWeight: "bold" },
  { tag: tags.emphasis, fontStyle: "italic" },
]);

/**
 * Create a Python editor.
 * @param {object} o
 * @param {HTMLElement} o.parent   element the editor is appended to
 * @param {string} o.doc           initial code
 * @param {boolean} o.readOnly     true: code can be read, not edited
 * @param {string} o.label         accessible name of the editing area
 * @param {() => void} o.onRun     Shift+Enter
 * @param {(code: string) => void} o.onChange  called after every edit
 * @returns {{getCode: () => string, setCode: (code: string) => void, focus: () => void}}
 */
export function createEditor({ parent, doc, readOnly, label, onRun, onChange }) {
  const runKey = Prec.highest(keymap.of([
    { key: "Shift-Enter", run: () => { onRun(); return true; } },
  ]));
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc,
      extensions: [
        runKey,
        lineNumbers(), history(), drawSelection(), highlightActiveLine(),
        indentOnInput(), bracketMatching(), closeBrackets(),
        syntaxHighlighting(readableHighlightStyle),
        keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
        python(),
        EditorState.readOnly.of(Boolean(readOnly)),
        EditorView.editable.of(!readOnly),
        // tabindex: read-only code is reachable by Tab too, and its arrow keys scroll long lines
        EditorView.contentAttributes.of({ "aria-label": label, tabindex: "0" }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    getCode: () => view.state.doc.toString(),
    setCode: (code) => view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: code } }),
    focus: () => view.focus(),
  };
}
