// A cell the reader runs, as the page shows it: its toolbar, saved-edit note, editor and output,
// its exercise's hints and solutions on request, and the choice offered when another tab saves it.
import { el } from "./dom.js";
import { makeEditor } from "./editor.js";
import { focusAfterStop } from "./keyboard.js";
import { Output } from "./output.js";
import { savedEdits, savedEditNote } from "./saved-edits.js";

/** The filter's block for `cell` becomes a live cell: toolbar, saved-edit note, editor, output. */
export function upgradeCell(page, cell) {
  const container = page.node(cell);
  if (!container) return;
  const o = cell.options;
  const name = cell.name;
  const saved = o.persist ? savedEdits.load(cell) : null;
  const output = new Output(o.output, { alt: o["fig-alt"], caption: o["fig-cap"] });
  const toolbar = el("div", { class: "pycell-toolbar", role: "toolbar", "aria-label": `Controls for ${name}` });
  const editorHost = el("div", { class: "pycell-editor" });
  editorHost.hidden = !o.echo;
  if (o["min-lines"]) editorHost.style.setProperty("--pycell-min-lines", o["min-lines"]);
  if (o["max-lines"]) editorHost.style.setProperty("--pycell-max-lines", o["max-lines"]);
  const caption = o.caption ? el("p", { class: "pycell-caption", text: o.caption }) : null;
  const ui = { output };
  cell.ui = ui;
  const button = (text, label, onclick, cls = "") =>
    el("button", { type: "button", class: `pycell-button ${cls}`, text, "aria-label": label, onclick });

  if (o.runbutton) {
    ui.run = button("Run", `Run ${name}`, () => page.run(cell), "pycell-run");
    toolbar.append(ui.run);
  }
  ui.stop = button("Stop", `Stop ${name}`, () => {
    page.engine.stop();
    focusAfterStop(ui);
  }, "pycell-stop");
  ui.stop.disabled = true;
  toolbar.append(ui.stop);
  if (o.startover && o.edit) {
    toolbar.append(button("Reset", `Reset ${name} to its original code`, () => {
      ui.editor.setCode(cell.code);
      savedEdits.forget(cell);
      note?.remove();
      output.clear();
      ui.editor.focus();
    }, "pycell-reset"));
  }
  if (cell.index > 1) toolbar.append(button("Run all above", `Run all above ${name}`, () => page.runAllAbove(cell), "pycell-run-above"));
  if (o.exercise) addRevealButtons(page, cell, toolbar, button);
  ui.state = el("span", { class: "pycell-state" });
  toolbar.append(ui.state);

  output.onState = (state) => showRunState(container, ui, state);

  // the output the course build shipped in the page stays until the cell runs
  const shipped = container.querySelector(".pycell-prerendered");
  if (shipped) output.showShipped(shipped);
  const note = o.echo ? savedEditNote(saved, cell) : null;
  container.replaceChildren(...[caption, toolbar, note, editorHost, output.node].filter(Boolean));
  container.classList.add("pycell-live");
  ui.editor = makeEditor(editorHost, saved !== null ? saved.code : cell.code, {
    readOnly: !o.edit,
    label: `Python code of ${name}`,
    onRun: () => page.run(cell),
    onChange: (code) => { if (o.persist) savedEdits.save(cell, code); },
  });
}

/** A run's state on the cell: its container's data-state, the output's aria-busy, Stop, and the
    words beside the buttons. */
function showRunState(container, ui, state) {
  container.dataset.state = state;
  ui.output.node.setAttribute("aria-busy", String(state === "running"));
  ui.state.textContent = { queued: "waiting…", running: "running…", done: "", failed: "" }[state] || "";
  ui.stop.disabled = !(state === "queued" || state === "running");
  clearInterval(ui.clock);
  if (state === "running") {   // after a second, how long it has been running
    const started = performance.now();
    ui.clock = setInterval(() => {
      ui.state.textContent = `running… ${Math.floor((performance.now() - started) / 1000)} s`;
    }, 1000);
  }
}

/** Another tab of this chapter saved (or reset) this cell: say so, and let the student choose. */
export function otherTabSaved(page, cell, savedCode) {
  const { ui } = cell;
  const theirs = savedCode === null ? cell.code : savedCode;
  ui.conflict?.remove();
  ui.conflict = null;
  if (theirs === ui.editor.getCode()) return;
  const settle = (code) => {
    ui.conflict.remove();
    ui.conflict = null;
    if (code === ui.editor.getCode()) savedEdits.save(cell, code); else ui.editor.setCode(code);
  };
  ui.conflict = el("div", { class: "pycell-conflict", role: "alert" }, [
    el("p", { text: savedCode === null
      ? "This cell was reset in another tab of this chapter. Which code should this tab keep?"
      : "This cell was edited in another tab of this chapter, and that edit is now the saved one. Which code should this tab keep?" }),
    el("button", { type: "button", class: "pycell-button", text: "Use the other tab's code", onclick: () => settle(theirs) }),
    el("button", { type: "button", class: "pycell-button", text: "Keep this tab's code", onclick: () => settle(ui.editor.getCode()) }),
  ]);
  page.node(cell).querySelector(".pycell-editor").before(ui.conflict);
}

function addRevealButtons(page, cell, toolbar, button) {
  // Hints come one at a time ("Show hint", then "Show next hint"), solutions all at once;
  // once everything is shown, the button hides it all again.
  const reveal = (role, text) => {
    const targets = page.group(cell, role).map((c) => page.node(c)).filter(Boolean);
    if (targets.length === 0) return;
    const oneAtATime = role === "hint" && targets.length > 1;
    const toggle = button(`Show ${text}`, `Show ${text} for ${cell.name}`, () => {
      const hidden = targets.filter((target) => target.hidden);
      const next = hidden.length === 0 ? [] : oneAtATime ? hidden.slice(0, 1) : hidden;
      if (next.length === 0) for (const target of targets) target.hidden = true;
      for (const target of next) target.hidden = false;
      const left = targets.filter((target) => target.hidden).length;
      const label = left === 0 ? `Hide ${text}` : left < targets.length ? `Show next ${text}` : `Show ${text}`;
      toggle.textContent = label;
      toggle.setAttribute("aria-label", `${label} for ${cell.name}`);
      toggle.setAttribute("aria-expanded", String(left < targets.length));
    }, `pycell-show-${role}`);
    toggle.setAttribute("aria-expanded", "false");
    toolbar.append(toggle);
  };
  reveal("hint", "hint");
  reveal("solution", "solution");
}
