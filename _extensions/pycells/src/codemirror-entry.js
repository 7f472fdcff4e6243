// Entry point of the committed CodeMirror bundle (codemirror.bundle.js).
// Rebuild with `npm run build` (or `make js`); exposes window.PyCellsEditor.createEditor.
import { EditorState, Prec } from "@codemirror/state";
import {
  EditorView, keymap, lineNumbers, highlightActiveLine, drawSelection,
} from "@codemirror/view";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import {
  bracketMatching, indentOnInput, syntaxHighlighting, defaultHighlightStyle,
} from "@codemirror/language";
import { closeBrackets, closeBracketsKeymap } from "@codemirror/autocomplete";
import { python } from "@codemirror/lang-python";

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
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        keymap.of([...closeBracketsKeymap, ...defaultKeymap, ...historyKeymap, indentWithTab]),
        python(),
        EditorState.readOnly.of(Boolean(readOnly)),
        EditorView.editable.of(!readOnly),
        EditorView.contentAttributes.of({ "aria-label": label }),
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
