// What a run shows: a cell's output area, and the report of a hidden setup cell.
import { el } from "./dom.js";
import { appendAsTerminal } from "./terminal-text.mjs";

/** Append `text` to a text node as a terminal shows it (terminal-text.mjs). */
function carriageReturns(node, text) {
  if (text.includes("\r")) node.data = appendAsTerminal(node.data, text);
  else node.appendData(text);
}

export class Output {
  constructor(visible, figures = {}) {
    this.figures = figures;   // {alt, caption}: the cell's fig-alt and fig-cap
    this.node = el("div", { class: "pycell-output", role: "log", "aria-live": "polite", "aria-label": "Output" });
    this.node.hidden = !visible;
    this.visible = visible;
    this.onState = () => {};
  }
  clear() {
    this.node.replaceChildren();
    this.node.classList.remove("pycell-prerendered");
    this.lastStream = null;
  }
  /** Show the output the course build put in the page (`shipped`), until the cell runs. */
  showShipped(shipped) {
    this.node.classList.add("pycell-prerendered");
    this.node.append(...shipped.childNodes);
  }
  stream(name, text) {
    if (!this.lastStream || this.lastStream.name !== name) {
      const pre = el("pre", { class: `pycell-${name}` });
      pre.append(document.createTextNode(""));
      this.node.append(pre);
      this.lastStream = { name, text: pre.firstChild };
    }
    carriageReturns(this.lastStream.text, text);
  }
  block(tag, cls, text) { this.lastStream = null; this.node.append(el(tag, { class: cls, text })); }
  figure(png) {
    this.lastStream = null;
    const count = this.node.querySelectorAll("img").length + 1;
    const image = el("img", { class: "pycell-figure", src: `data:image/png;base64,${png}`, alt: this.figures.alt || `Figure ${count}` });
    if (!this.figures.caption) { this.node.append(image); return; }
    this.node.append(el("figure", { class: "pycell-figure-box" }, [image, el("figcaption", { text: this.figures.caption })]));
  }
  /** A check's verdict written the quarto-live way: {correct, message, type}. */
  feedback({ correct, message, type }) {
    const kind = ["success", "info", "warning", "danger", "error"].includes(type) ? type : (correct ? "success" : "danger");
    const heading = correct === true ? "Correct" : correct === false ? "Not yet" : "Note";
    this.lastStream = null;
    this.node.append(el("div", { class: `pycell-feedback pycell-feedback-${kind === "error" ? "danger" : kind}`, role: "status" },
      [el("strong", { text: `${heading}: ` }), message]));
  }
  result(text) { this.block("pre", "pycell-result", text); }
  error(text) { this.block("pre", "pycell-error", text); }
  capped(lines, chars) {
    this.block("p", "pycell-notice", `Output limit reached (${lines} lines or ${chars.toLocaleString("en")} characters): the rest of this cell's output was not shown.`);
  }
  notice(text) { this.block("p", "pycell-notice", text); }
  queued() { this.clear(); this.onState("queued"); }
  waitingForRetry() { this.notice("Waiting for the Python engine, which did not load: press Retry at the bottom of the page and this cell runs."); }
  started() { this.clear(); this.onState("running"); }
  finished(ok) { this.onState(ok ? "done" : "failed"); }
}

// A hidden setup cell shows nothing, unless it fails: then the page says so where the cell
// sits, and the status line says so too, since the cells that rely on it will fail as well.
export class SetupReport {
  constructor(anchor, name, engine) {
    this.anchor = anchor;
    this.name = name;
    this.engine = engine;
    this.panel = null;
  }
  queued() {}
  stream() {}
  figure() {}
  feedback() {}
  result() {}
  capped() {}
  notice() {}
  finished() {}
  waitingForRetry() {}
  started() { this.panel?.remove(); this.panel = null; }
  error(text) {
    this.panel = el("div", { class: "pycells-setup-error", role: "alert" }, [
      el("p", { text: `This page's hidden setup code (${this.name}) failed, so cells that rely on it will fail too. Its error:` }),
      el("pre", { class: "pycell-error", text }),
    ]);
    if (this.anchor) this.anchor.after(this.panel); else document.body.prepend(this.panel);
    this.engine.setupFailure = { phase: "setup-failed", cell: this.name };
  }
}
