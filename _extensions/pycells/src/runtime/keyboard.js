// Where the keyboard goes: past the page to the first cell, and back into a cell after Stop.
import { el } from "./dom.js";

/** Stop disables itself: keep the keyboard in the cell, on Run (or the editor when there is no Run). */
export function focusAfterStop(ui) {
  if (ui.run) ui.run.focus(); else ui.editor.focus();
}

/** A link before everything else on the page that takes the keyboard to the first cell. */
export function addSkipLink(firstCell) {
  const link = el("a", { class: "pycells-skip-link", href: `#${firstCell.id}`, text: "Skip to the first Python cell" });
  link.addEventListener("click", (event) => {
    event.preventDefault();
    firstCell.scrollIntoView({ block: "start" });
    (firstCell.querySelector(".pycell-run") || firstCell.querySelector("[contenteditable], textarea, button"))?.focus();
  });
  document.body.prepend(link);
  return link;
}
