// One page of cells: when each cell runs (the page's setup, autorun, Run, an exercise's setup and
// checks), on the engine it starts or the one it takes over from the page it replaces.
import { otherTabSaved, upgradeCell } from "./cell-view.js";
import { absolute } from "./dom.js";
import { Engine } from "./engine-client.js";
import { addSkipLink } from "./keyboard.js";
import { SetupReport } from "./output.js";
import { savedEdits } from "./saved-edits.js";
import { StatusLine } from "./status.js";

const BLANK = "______";  // what an exercise leaves for the student to fill in

export class Page {
  /** `engine`: the engine of the page this one replaced, when the site keeps it (navigation.js). */
  constructor(config, engine = null) {
    this.config = config;
    this.cells = config.cells;
    this.engine = engine ?? new Engine(config, new StatusLine(() => this.engine.start()));
    this.adopting = engine !== null;
    this.engine.onReady = () => this.runSetup();
    this.engine.onIdle = () => this.keepForOffline();
    this.firstReady = true;
  }

  /** Once the engine is idle (its downloads no longer compete with a cell's), register the site's
      service worker, which caches the site and the engine for the next pages and for offline use. */
  keepForOffline() {
    const url = this.config.serviceWorker;
    if (!url || this.offlineRequested || !("serviceWorker" in navigator)) return;
    this.offlineRequested = true;
    navigator.serviceWorker.register(absolute(url)).catch((error) =>
      console.warn(`pycells: this site cannot be kept for offline use (${error.message})`));
  }

  node(cell) { return document.querySelector(`[data-pycell="${cell.index}"]`); }
  /** The cells with `role` ("setup", "hint", "solution", "check") in the cell's exercise, as the filter grouped them. */
  group(cell, role) {
    const members = this.config.exercises[cell.options.exercise]?.[role] ?? [];
    return this.cells.filter((c) => members.includes(c.index));
  }

  start() {
    // The worker boots the engine (or moves it to this page) while this thread builds the editors.
    if (this.adopting) this.engine.adopt(this.config); else this.engine.start();
    for (const cell of this.cells) if (cell.run === "button") upgradeCell(this, cell);
    const firstCell = document.querySelector(".pycell-live:not([hidden])");
    if (firstCell) this.skipLink = addSkipLink(firstCell);
    this.onStorage = (event) => {
      const cell = this.cells.find((c) => c.ui && c.options.persist && event.key === savedEdits.key(c));
      if (cell) otherTabSaved(this, cell, event.newValue);
    };
    window.addEventListener("storage", this.onStorage);
  }

  /** This page's content is about to be replaced by another page's. */
  dispose() {
    this.skipLink?.remove();
    window.removeEventListener("storage", this.onStorage);
  }

  /** Pieces a cell's Run executes: exercise setup, the code, then its checks. */
  pieces(cell) {
    const { settings } = cell;
    const own = { code: cell.ui.editor.getCode(), filename: cell.file, settings };
    if (cell.role !== "exercise") return [own];
    const extra = (role) => this.group(cell, role).map((c) =>
      ({ code: c.code, filename: c.file, showValue: false, settings: { envir: settings.envir, warnings: settings.warnings } }));
    return [...extra("setup"), own, ...extra("check")];
  }

  run(cell) {
    if (!cell.ui) return Promise.resolve(false);
    if (cell.role === "exercise" && cell.ui.editor.getCode().includes(BLANK)) {
      cell.ui.output.clear();
      cell.ui.output.notice(`Fill in each ${BLANK} with your own code first, then run the cell again.`);
      cell.ui.output.finished(false);
      return Promise.resolve(false);
    }
    return this.engine.run(this.pieces(cell), cell.ui.output, { name: cell.name, timelimit: cell.options.timelimit });
  }

  runAllAbove(cell) {
    for (const other of this.cells) {
      if (other.index < cell.index && other.ui) this.run(other);
    }
  }

  runSetup() {
    for (const cell of this.cells) {
      if (cell.run === "page-load") {
        this.engine.run([{ code: cell.code, filename: cell.file, showValue: false }],
          new SetupReport(this.node(cell), cell.name, this.engine), { name: `setup ${cell.name}`, first: true });
      }
    }
    if (this.firstReady) {
      this.firstReady = false;
      for (const cell of this.cells) if (cell.ui && cell.options.autorun) this.run(cell);
    }
  }
}
