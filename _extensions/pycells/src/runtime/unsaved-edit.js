// When the browser refuses to keep a student's edit (storage full or blocked), the cell says so,
// once, and offers the code to copy or download: otherwise the edit is gone on the next reload.
import { el } from "./dom.js";

const WARNING = "This browser would not save your edit (its storage is full or blocked), so it will be " +
  "lost when you reload or leave this page. Copy or download your code to keep it.";

/** The code as a link target for the download control. */
function asDataUrl(code) {
  return `data:text/x-python;charset=utf-8,${encodeURIComponent(code)}`;
}

/** Copy `code` to the clipboard; where the browser will not, select it in `area` for Ctrl+C. */
async function copyCode(code, area, said) {
  try {
    await navigator.clipboard.writeText(code);
    said.textContent = "Copied to the clipboard.";
  } catch (e) {
    area.hidden = false;
    area.value = code;
    area.select();
    said.textContent = "The browser would not copy it: the code is selected below, press Ctrl+C (\u2318C on a Mac).";
  }
}

/** The notice above the editor of a cell whose edits cannot be saved; `getCode` reads the editor. */
export class UnsavedEditNotice {
  constructor(fileName, getCode) {
    this.getCode = getCode;
    const said = el("span", { class: "pycell-unsaved-said" });
    const area = el("textarea", { class: "pycell-unsaved-code", readonly: "", "aria-label": "Your code, to copy" });
    area.hidden = true;
    this.download = el("a", { class: "pycell-button", download: fileName, text: "Download the code",
                              onclick: () => this.refresh() });
    const copy = el("button", { type: "button", class: "pycell-button", text: "Copy the code",
                                onclick: () => copyCode(this.getCode(), area, said) });
    this.node = el("div", { class: "pycell-unsaved", role: "alert" },
      [el("p", { text: WARNING }), copy, this.download, said, area]);
    this.refresh();
  }
  /** The download carries the editor's code as it is now. */
  refresh() { this.download.href = asDataUrl(this.getCode()); }
}
