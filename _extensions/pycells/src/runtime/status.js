// The status line at the foot of the page. The worker reports a structured status; this is the
// one place that puts it into words.
import { el } from "./dom.js";

function statusWords(status) {
  const list = (names) => names.join(", ");
  switch (status.phase) {
    case "loading": return "loading the engine…";
    case "installing": return `installing packages: ${list(status.packages)}…`;
    case "installing-imports": return `installing the packages this cell imports: ${list(status.packages)}…`;
    case "install-failed": return `could not install ${list(status.packages)} (${status.message}).`;
    case "running": return `running ${status.cell}…`;
    case "ready": return "ready";
    case "setup-failed": return `ready, but the page's hidden setup code failed (${status.cell}): see the message on the page.`;
    case "failed": return "Could not load the Python engine, so the code cells cannot run yet. " +
      `Check your internet connection, then press Retry. (Details: ${status.message})`;
    default: return status.phase;
  }
}
const STATUS_LOOK = { ready: "ready", "setup-failed": "warning", failed: "failed", "install-failed": "warning" };

export class StatusLine {
  constructor(onRetry) {
    this.text = el("span", { class: "pycells-status-text" });
    this.retry = el("button", { type: "button", class: "pycells-retry", text: "Retry", onclick: () => {
      this.node.focus();   // Retry hides itself: keep the keyboard on the status it changes
      onRetry();
    } });
    this.retry.hidden = true;
    this.node = el("div", { class: "pycells-status", role: "status", "aria-live": "polite", tabindex: "-1" },
      [el("span", { class: "pycells-status-title", text: "Python: " }), this.text, this.retry]);
    document.body.append(this.node);
  }
  show(status) {
    const text = statusWords(status);
    const look = STATUS_LOOK[status.phase] || "busy";
    if (text === this.text.textContent && look === this.node.dataset.state) return;
    // a performance mark per change: the page's own record of its start-up, for anyone measuring it
    performance.mark("pycells-status", { detail: { phase: status.phase, text } });
    this.text.textContent = text;
    this.node.dataset.state = look;
    this.retry.hidden = look !== "failed";
  }
}
