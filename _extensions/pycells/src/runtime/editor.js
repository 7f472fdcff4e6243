// A cell's code editor: CodeMirror (codemirror.bundle.js, window.PyCellsEditor), or a plain textarea without it.
import { el } from "./dom.js";

export function makeEditor(parent, code, { readOnly, label, onRun, onChange }) {
  if (window.PyCellsEditor && window.PyCellsEditor.createEditor) {
    return window.PyCellsEditor.createEditor({ parent, doc: code, readOnly, label, onRun, onChange });
  }
  const area = el("textarea", { class: "pycell-textarea", "aria-label": label, spellcheck: "false" });
  area.value = code;
  area.readOnly = readOnly;
  area.rows = Math.max(3, code.split("\n").length);
  area.addEventListener("input", () => onChange(area.value));
  area.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && event.shiftKey) { event.preventDefault(); onRun(); }
  });
  parent.append(area);
  return { getCode: () => area.value, setCode: (value) => { area.value = value; }, focus: () => area.focus() };
}
