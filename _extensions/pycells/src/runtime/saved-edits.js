// A student's edit is kept with the course code it was made from, so that a later
// change to the cell in the course can be pointed out instead of silently hidden.
import { el } from "./dom.js";

export const savedEdits = {
  key: (cell) => `pycells:${location.pathname}:${cell.options.label || cell.index}`,
  originalKey: (cell) => `${savedEdits.key(cell)}:original`,
  load(cell) {
    try {
      const code = localStorage.getItem(this.key(cell));
      return code === null ? null : { code, editedFrom: localStorage.getItem(this.originalKey(cell)) };
    } catch (e) { return null; }
  },
  save(cell, code) {
    try {
      localStorage.setItem(this.key(cell), code);
      localStorage.setItem(this.originalKey(cell), cell.code);
    } catch (e) { /* storage full or blocked */ }
  },
  forget(cell) {
    try {
      for (const key of [this.key(cell), this.originalKey(cell)]) localStorage.removeItem(key);
    } catch (e) { /* blocked */ }
  },
};

/** The line shown above an editor that holds the student's saved edit, or null. */
export function savedEditNote(saved, cell) {
  if (saved === null || saved.code === cell.code) return null;
  const changed = saved.editedFrom !== null && saved.editedFrom !== cell.code;
  return el("p", {
    class: `pycell-saved-note${changed ? " changed" : ""}`,
    text: changed
      ? "This cell has changed in the course since you edited it. Reset replaces your edit with the new version."
      : "Your edited code, saved in this browser. Reset brings back the original.",
  });
}
