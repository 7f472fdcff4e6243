// Generated from _extensions/pycells/src/runtime/ by make js (npm run build:runtime): edit those modules, not this file.
"use strict";
(() => {
  // _extensions/pycells/src/runtime/dom.js
  function el(tag, props = {}, children = []) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (key === "text") node.textContent = value;
      else if (key === "class") node.className = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value);
    }
    for (const child of children) node.append(child);
    return node;
  }
  function absolute(url) {
    return new URL(url, document.baseURI).href;
  }

  // _extensions/pycells/src/runtime/editor.js
  function makeEditor(parent, code, { readOnly, label, onRun, onChange }) {
    if (window.PyCellsEditor && window.PyCellsEditor.createEditor) {
      return window.PyCellsEditor.createEditor({ parent, doc: code, readOnly, label, onRun, onChange });
    }
    const area = el("textarea", { class: "pycell-textarea", "aria-label": label, spellcheck: "false" });
    area.value = code;
    area.readOnly = readOnly;
    area.rows = Math.max(3, code.split("\n").length);
    area.addEventListener("input", () => onChange(area.value));
    area.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && event.shiftKey) {
        event.preventDefault();
        onRun();
      }
    });
    parent.append(area);
    return { getCode: () => area.value, setCode: (value) => {
      area.value = value;
    }, focus: () => area.focus() };
  }

  // _extensions/pycells/src/runtime/keyboard.js
  function focusAfterStop(ui) {
    if (ui.run) ui.run.focus();
    else ui.editor.focus();
  }
  function addSkipLink(firstCell) {
    const link = el("a", { class: "pycells-skip-link", href: `#${firstCell.id}`, text: "Skip to the first Python cell" });
    link.addEventListener("click", (event) => {
      event.preventDefault();
      firstCell.scrollIntoView({ block: "start" });
      (firstCell.querySelector(".pycell-run") || firstCell.querySelector("[contenteditable], textarea, button"))?.focus();
    });
    document.body.prepend(link);
    return link;
  }

  // _extensions/pycells/src/runtime/terminal-text.mjs
  function appendAsTerminal(shown, written) {
    const [first, ...rewrites] = written.replace(/\r\n/g, "\n").split("\r");
    let text = shown + first;
    for (const rewrite of rewrites) text = text.slice(0, text.lastIndexOf("\n") + 1) + rewrite;
    return text;
  }

  // _extensions/pycells/src/runtime/output.js
  function carriageReturns(node, text) {
    if (text.includes("\r")) node.data = appendAsTerminal(node.data, text);
    else node.appendData(text);
  }
  var Output = class {
    constructor(visible, figures = {}) {
      this.figures = figures;
      this.node = el("div", { class: "pycell-output", role: "log", "aria-live": "polite", "aria-label": "Output" });
      this.node.hidden = !visible;
      this.visible = visible;
      this.onState = () => {
      };
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
    block(tag, cls, text) {
      this.lastStream = null;
      this.node.append(el(tag, { class: cls, text }));
    }
    figure(png) {
      this.lastStream = null;
      const count = this.node.querySelectorAll("img").length + 1;
      const image = el("img", { class: "pycell-figure", src: `data:image/png;base64,${png}`, alt: this.figures.alt || `Figure ${count}` });
      if (!this.figures.caption) {
        this.node.append(image);
        return;
      }
      this.node.append(el("figure", { class: "pycell-figure-box" }, [image, el("figcaption", { text: this.figures.caption })]));
    }
    /** A check's verdict written the quarto-live way: {correct, message, type}. */
    feedback({ correct, message, type }) {
      const kind = ["success", "info", "warning", "danger", "error"].includes(type) ? type : correct ? "success" : "danger";
      const heading = correct === true ? "Correct" : correct === false ? "Not yet" : "Note";
      this.lastStream = null;
      this.node.append(el(
        "div",
        { class: `pycell-feedback pycell-feedback-${kind === "error" ? "danger" : kind}`, role: "status" },
        [el("strong", { text: `${heading}: ` }), message]
      ));
    }
    result(text) {
      this.block("pre", "pycell-result", text);
    }
    error(text) {
      this.block("pre", "pycell-error", text);
    }
    capped(lines, chars) {
      this.block("p", "pycell-notice", `Output limit reached (${lines} lines or ${chars.toLocaleString("en")} characters): the rest of this cell's output was not shown.`);
    }
    notice(text) {
      this.block("p", "pycell-notice", text);
    }
    queued() {
      this.clear();
      this.onState("queued");
    }
    waitingForRetry() {
      this.notice("Waiting for the Python engine, which did not load: press Retry at the bottom of the page and this cell runs.");
    }
    started() {
      this.clear();
      this.onState("running");
    }
    finished(ok) {
      this.onState(ok ? "done" : "failed");
    }
  };
  var SetupReport = class {
    constructor(anchor, name, engine) {
      this.anchor = anchor;
      this.name = name;
      this.engine = engine;
      this.panel = null;
    }
    queued() {
    }
    stream() {
    }
    figure() {
    }
    feedback() {
    }
    result() {
    }
    capped() {
    }
    notice() {
    }
    finished() {
    }
    waitingForRetry() {
    }
    started() {
      this.panel?.remove();
      this.panel = null;
    }
    error(text) {
      this.panel = el("div", { class: "pycells-setup-error", role: "alert" }, [
        el("p", { text: `This page's hidden setup code (${this.name}) failed, so cells that rely on it will fail too. Its error:` }),
        el("pre", { class: "pycell-error", text })
      ]);
      if (this.anchor) this.anchor.after(this.panel);
      else document.body.prepend(this.panel);
      this.engine.setupFailure = { phase: "setup-failed", cell: this.name };
    }
  };

  // _extensions/pycells/src/runtime/saved-edits.js
  var savedEdits = {
    key: (cell) => `pycells:${location.pathname}:${cell.options.label || cell.index}`,
    originalKey: (cell) => `${savedEdits.key(cell)}:original`,
    load(cell) {
      try {
        const code = localStorage.getItem(this.key(cell));
        return code === null ? null : { code, editedFrom: localStorage.getItem(this.originalKey(cell)) };
      } catch (e) {
        return null;
      }
    },
    save(cell, code) {
      try {
        localStorage.setItem(this.key(cell), code);
        localStorage.setItem(this.originalKey(cell), cell.code);
      } catch (e) {
      }
    },
    forget(cell) {
      try {
        for (const key of [this.key(cell), this.originalKey(cell)]) localStorage.removeItem(key);
      } catch (e) {
      }
    }
  };
  function savedEditNote(saved, cell) {
    if (saved === null || saved.code === cell.code) return null;
    const changed = saved.editedFrom !== null && saved.editedFrom !== cell.code;
    return el("p", {
      class: `pycell-saved-note${changed ? " changed" : ""}`,
      text: changed ? "This cell has changed in the course since you edited it. Reset replaces your edit with the new version." : "Your edited code, saved in this browser. Reset brings back the original."
    });
  }

  // _extensions/pycells/src/runtime/cell-view.js
  function upgradeCell(page, cell) {
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
    const button = (text, label, onclick, cls = "") => el("button", { type: "button", class: `pycell-button ${cls}`, text, "aria-label": label, onclick });
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
    const shipped = container.querySelector(".pycell-prerendered");
    if (shipped) output.showShipped(shipped);
    const note = o.echo ? savedEditNote(saved, cell) : null;
    container.replaceChildren(...[caption, toolbar, note, editorHost, output.node].filter(Boolean));
    container.classList.add("pycell-live");
    ui.editor = makeEditor(editorHost, saved !== null ? saved.code : cell.code, {
      readOnly: !o.edit,
      label: `Python code of ${name}`,
      onRun: () => page.run(cell),
      onChange: (code) => {
        if (o.persist) savedEdits.save(cell, code);
      }
    });
  }
  function showRunState(container, ui, state) {
    container.dataset.state = state;
    ui.output.node.setAttribute("aria-busy", String(state === "running"));
    ui.state.textContent = { queued: "waiting\u2026", running: "running\u2026", done: "", failed: "" }[state] || "";
    ui.stop.disabled = !(state === "queued" || state === "running");
    clearInterval(ui.clock);
    if (state === "running") {
      const started = performance.now();
      ui.clock = setInterval(() => {
        ui.state.textContent = `running\u2026 ${Math.floor((performance.now() - started) / 1e3)} s`;
      }, 1e3);
    }
  }
  function otherTabSaved(page, cell, savedCode) {
    const { ui } = cell;
    const theirs = savedCode === null ? cell.code : savedCode;
    ui.conflict?.remove();
    ui.conflict = null;
    if (theirs === ui.editor.getCode()) return;
    const settle = (code) => {
      ui.conflict.remove();
      ui.conflict = null;
      if (code === ui.editor.getCode()) savedEdits.save(cell, code);
      else ui.editor.setCode(code);
    };
    ui.conflict = el("div", { class: "pycell-conflict", role: "alert" }, [
      el("p", { text: savedCode === null ? "This cell was reset in another tab of this chapter. Which code should this tab keep?" : "This cell was edited in another tab of this chapter, and that edit is now the saved one. Which code should this tab keep?" }),
      el("button", { type: "button", class: "pycell-button", text: "Use the other tab's code", onclick: () => settle(theirs) }),
      el("button", { type: "button", class: "pycell-button", text: "Keep this tab's code", onclick: () => settle(ui.editor.getCode()) })
    ]);
    page.node(cell).querySelector(".pycell-editor").before(ui.conflict);
  }
  function addRevealButtons(page, cell, toolbar, button) {
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

  // _extensions/pycells/src/runtime/engine-client.js
  var WORKER_URL = new URL("pycells-worker.mjs", document.currentScript.src).href;
  var STOP_NOTICE = "The Python engine was restarted, so this page's Python state was reset: variables from earlier cells are gone (use \u201CRun all above\u201D to rebuild them).";
  var DIED_NOTICE = "Python itself stopped while running this cell: the code called os._exit(), or the interpreter crashed. A cell cannot end Python; to stop a cell early, raise an exception instead.";
  var NOT_AVAILABLE = { kind: "not-started", message: "the Python engine is not available: press Retry at the bottom of the page." };
  function onAppleMobile(nav = navigator) {
    return /iPad|iPhone|iPod/.test(nav.platform) || /iPad|iPhone|iPod/.test(nav.userAgent) || nav.platform === "MacIntel" && nav.maxTouchPoints > 1;
  }
  function engineSource(config) {
    return { indexURL: absolute(config.engineUrl), appleMobile: onAppleMobile() };
  }
  function pageNeeds(config) {
    return {
      packages: config.packages,
      wheels: config.wheels.map(absolute),
      importAhead: config.cells.filter((cell) => cell.run !== "never").map((cell) => cell.code)
    };
  }
  var Engine = class {
    constructor(config, status) {
      this.config = config;
      this.status = status;
      this.queue = [];
      this.current = null;
      this.requests = /* @__PURE__ */ new Map();
      this.waitingCalls = [];
      this.nextId = 1;
      this.state = "stopped";
      this.onReady = () => {
      };
      this.onIdle = () => {
      };
    }
    /** Ready, with nothing queued or running: the engine can move to another page. */
    isIdle() {
      return this.state === "ready" && !this.current && this.queue.length === 0;
    }
    /** Move this engine to a new page of the site (an idle engine): a fresh namespace, then the
        packages of the new page that are not installed yet; its setup runs once that is done. */
    adopt(config) {
      this.config = config;
      this.setupFailure = null;
      this.ran = false;
      this.state = "starting";
      this.request("newPage", pageNeeds(config)).then(() => this.started(), (failure) => this.startFailed(failure));
    }
    start() {
      this.state = "starting";
      this.ran = false;
      this.worker = new Worker(WORKER_URL, { type: "module" });
      this.worker.onmessage = (event) => this.receive(event.data);
      this.worker.onerror = (event) => this.workerFailed(event.message || "the worker stopped");
      this.status.show({ phase: "loading" });
      const params = { ...engineSource(this.config), ...pageNeeds(this.config) };
      this.request("start", params).then(({ timings, snapshotWanted }) => {
        performance.mark("pycells-engine-started", { detail: timings });
        this.snapshotWanted = snapshotWanted;
        this.started();
      }, (failure) => this.startFailed(failure));
    }
    /** Once the page has settled, a second worker stores a snapshot of a fresh Python, from which
        the engines of later visits start (the next tab, a reload, Stop, a page opened offline). */
    storeSnapshot() {
      if (!this.snapshotWanted) return;
      this.snapshotWanted = false;
      const maker = new Worker(WORKER_URL, { type: "module" });
      const done = (stored) => {
        maker.terminate();
        performance.mark("pycells-snapshot", { detail: { stored } });
      };
      maker.onmessage = (event) => {
        if (event.data.id === 1) done(!event.data.failure);
      };
      maker.onerror = () => done(false);
      maker.postMessage({ id: 1, method: "snapshot", params: engineSource(this.config) });
    }
    started() {
      this.state = "ready";
      this.showIdle();
      for (const call of this.waitingCalls.splice(0)) call();
      this.onReady();
      this.next();
    }
    /** The engine did not start: say so, offer Retry, and keep the cells that wait for it. */
    startFailed(failure) {
      this.worker.terminate();
      this.state = "failed";
      this.rejectAll(failure);
      for (const call of this.waitingCalls.splice(0)) call();
      this.status.show({ phase: "failed", message: failure.message });
      for (const job of this.queue) job.sink.waitingForRetry();
    }
    workerFailed(message) {
      if (this.state === "starting") this.startFailed({ kind: "load-failed", message: `The Python worker failed to start (${message}).` });
      else this.stop(DIED_NOTICE);
    }
    request(method, params, onEvent = () => {
    }) {
      const id = this.nextId++;
      return new Promise((resolve, reject) => {
        this.requests.set(id, { resolve, reject, onEvent });
        this.worker.postMessage({ id, method, params });
      });
    }
    rejectAll(failure) {
      for (const [, request] of this.requests) request.reject(failure);
      this.requests.clear();
    }
    receive(message) {
      if (message.event === "settled") {
        performance.mark("pycells-settled");
        this.storeSnapshot();
        return;
      }
      if (message.event === "status") {
        if (message.status.phase === "ready") this.showIdle();
        else this.status.show(message.status);
        return;
      }
      const request = this.requests.get(message.event ? message.request : message.id);
      if (!request) return;
      if (message.event) {
        request.onEvent(message);
        return;
      }
      this.requests.delete(message.id);
      if (message.failure) request.reject(message.failure);
      else request.resolve(message.result);
    }
    /** Queue pieces [{code, filename, showValue}] to run; resolves true when all ran without error. */
    run(pieces, sink, { name, timelimit = 0, first = false } = {}) {
      return new Promise((resolve) => {
        const job = { pieces, sink, name, timelimit, first, resolve };
        sink.queued();
        if (this.state === "failed") sink.waitingForRetry();
        const place = first ? this.queue.findIndex((queued) => !queued.first) : -1;
        if (place >= 0) this.queue.splice(place, 0, job);
        else this.queue.push(job);
        this.next();
      });
    }
    /** Call a named Python function; resolves {values} or {problem}, or rejects {kind, message}. */
    call(name, args) {
      if (this.state === "ready") return this.request("call", { name, args });
      if (this.state === "failed") return Promise.reject(NOT_AVAILABLE);
      return new Promise((resolve, reject) => {
        this.waitingCalls.push(() => this.state === "ready" ? this.call(name, args).then(resolve, reject) : reject(NOT_AVAILABLE));
      });
    }
    next() {
      if (this.state !== "ready" || this.current || this.queue.length === 0) return;
      this.execute(this.queue.shift());
    }
    async execute(job) {
      this.current = job;
      this.ran = true;
      job.sink.started();
      this.status.show({ phase: "running", cell: job.name });
      let ok = true;
      for (const piece of job.pieces) {
        let outcome;
        try {
          outcome = await this.request(
            "run",
            { code: piece.code, filename: piece.filename, settings: piece.settings ?? null },
            (event) => this.deliver(job, event)
          );
        } catch (failure) {
          if (failure.kind === "interpreter-died" && this.current === job) this.stop(DIED_NOTICE);
          return;
        }
        if (outcome.error !== null) {
          job.sink.error(outcome.error);
          ok = false;
          break;
        }
        if (outcome.feedback !== null) job.sink.feedback(JSON.parse(outcome.feedback));
        if (outcome.value !== null && piece.showValue !== false) job.sink.result(outcome.value);
      }
      this.finish(job, ok);
    }
    deliver(job, event) {
      switch (event.event) {
        case "begin":
          this.begin(job);
          break;
        case "stream":
          job.sink.stream(event.name, event.text);
          break;
        case "figure":
          job.sink.figure(event.png);
          break;
        case "capped":
          job.sink.capped(event.lines, event.chars);
          break;
        default:
          break;
      }
    }
    /** The job's code began (after any package installs): its time limit starts now. */
    begin(job) {
      this.status.show({ phase: "running", cell: job.name });
      if (job.timelimit > 0 && !job.timer) {
        job.timer = setTimeout(() => this.stop(`Stopped after the time limit of ${job.timelimit} s.`), job.timelimit * 1e3);
      }
    }
    showIdle() {
      if (this.current) this.status.show({ phase: "running", cell: this.current.name });
      else if (this.queue.length === 0) {
        this.status.show(this.setupFailure || { phase: "ready" });
        if (this.state === "ready" && this.ran) this.request("idle").catch(() => {
        });
        this.onIdle();
      }
    }
    finish(job, ok) {
      clearTimeout(job.timer);
      this.current = null;
      job.sink.finished(ok);
      job.resolve(ok);
      this.showIdle();
      this.next();
    }
    /** End whatever runs, drop the queue, and boot a fresh engine. */
    stop(reason = "Stopped.") {
      this.worker.terminate();
      const dropped = this.current ? [this.current, ...this.queue] : this.queue;
      this.current = null;
      this.queue = [];
      this.setupFailure = null;
      this.rejectAll({ kind: "restarted", message: "the Python engine was restarted." });
      for (const job of dropped) {
        clearTimeout(job.timer);
        job.sink.notice(job === dropped[0] ? `${reason} ${STOP_NOTICE}` : "Not run: the engine was stopped.");
        job.sink.finished(false);
        job.resolve(false);
      }
      this.start();
    }
  };

  // _extensions/pycells/src/runtime/status.js
  function statusWords(status) {
    const list = (names) => names.join(", ");
    switch (status.phase) {
      case "loading":
        return "loading the engine\u2026";
      case "installing":
        return `installing packages: ${list(status.packages)}\u2026`;
      case "installing-imports":
        return `installing the packages this cell imports: ${list(status.packages)}\u2026`;
      case "install-failed":
        return `could not install ${list(status.packages)} (${status.message}).`;
      case "running":
        return `running ${status.cell}\u2026`;
      case "ready":
        return "ready";
      case "setup-failed":
        return `ready, but the page's hidden setup code failed (${status.cell}): see the message on the page.`;
      case "failed":
        return `Could not load the Python engine, so the code cells cannot run yet. Check your internet connection, then press Retry. (Details: ${status.message})`;
      default:
        return status.phase;
    }
  }
  var STATUS_LOOK = { ready: "ready", "setup-failed": "warning", failed: "failed", "install-failed": "warning" };
  var StatusLine = class {
    constructor(onRetry) {
      this.text = el("span", { class: "pycells-status-text" });
      this.retry = el("button", { type: "button", class: "pycells-retry", text: "Retry", onclick: () => {
        this.node.focus();
        onRetry();
      } });
      this.retry.hidden = true;
      this.node = el(
        "div",
        { class: "pycells-status", role: "status", "aria-live": "polite", tabindex: "-1" },
        [el("span", { class: "pycells-status-title", text: "Python: " }), this.text, this.retry]
      );
      document.body.append(this.node);
    }
    show(status) {
      const text = statusWords(status);
      const look = STATUS_LOOK[status.phase] || "busy";
      if (text === this.text.textContent && look === this.node.dataset.state) return;
      performance.mark("pycells-status", { detail: { phase: status.phase, text } });
      this.text.textContent = text;
      this.node.dataset.state = look;
      this.retry.hidden = look !== "failed";
    }
  };

  // _extensions/pycells/src/runtime/page.js
  var BLANK = "______";
  var Page = class {
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
      navigator.serviceWorker.register(absolute(url)).catch((error) => console.warn(`pycells: this site cannot be kept for offline use (${error.message})`));
    }
    node(cell) {
      return document.querySelector(`[data-pycell="${cell.index}"]`);
    }
    /** The cells with `role` ("setup", "hint", "solution", "check") in the cell's exercise, as the filter grouped them. */
    group(cell, role) {
      const members = this.config.exercises[cell.options.exercise]?.[role] ?? [];
      return this.cells.filter((c) => members.includes(c.index));
    }
    start() {
      if (this.adopting) this.engine.adopt(this.config);
      else this.engine.start();
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
      const extra = (role) => this.group(cell, role).map((c) => ({ code: c.code, filename: c.file, showValue: false, settings: { envir: settings.envir, warnings: settings.warnings } }));
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
          this.engine.run(
            [{ code: cell.code, filename: cell.file, showValue: false }],
            new SetupReport(this.node(cell), cell.name, this.engine),
            { name: `setup ${cell.name}`, first: true }
          );
        }
      }
      if (this.firstReady) {
        this.firstReady = false;
        for (const cell of this.cells) if (cell.ui && cell.options.autorun) this.run(cell);
      }
    }
  };

  // _extensions/pycells/src/runtime/navigation.js
  var SWAPPED = [
    "#quarto-document-content",
    "#quarto-margin-sidebar",
    "#quarto-header .quarto-page-breadcrumbs",
    "nav.page-navigation"
  ];
  var currentPage = null;
  var shownPath = location.pathname;
  var folderOf = (path) => path.slice(0, path.lastIndexOf("/") + 1);
  var headAssets = (doc) => Array.from(
    doc.querySelectorAll("head script[src], head link[rel=stylesheet]"),
    (node) => node.getAttribute("src") || node.getAttribute("href")
  );
  function markCurrentInSidebar() {
    for (const link of document.querySelectorAll("#quarto-sidebar a[href]")) {
      const current = new URL(link.href).pathname === location.pathname;
      link.classList.toggle("active", current);
      if (current) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }
  }
  async function showPageInPlace(url, { push }) {
    const target = new URL(url, location.href);
    if (!currentPage?.config.keepEngine || !currentPage.engine.isIdle() || folderOf(target.pathname) !== folderOf(shownPath)) return false;
    let doc;
    try {
      const response = await fetch(target.href);
      if (!response.ok) return false;
      doc = new DOMParser().parseFromString(await response.text(), "text/html");
    } catch {
      return false;
    }
    const mine = new Set(headAssets(document));
    const source = doc.getElementById("pycells-config");
    if (!source || !currentPage.engine.isIdle() || headAssets(doc).some((asset) => !mine.has(asset))) return false;
    const parts = SWAPPED.filter((selector) => document.querySelector(selector) && doc.querySelector(selector));
    if (!parts.includes(SWAPPED[0])) return false;
    currentPage.dispose();
    for (const selector of parts) document.querySelector(selector).replaceWith(document.adoptNode(doc.querySelector(selector)));
    document.title = doc.title;
    if (push) history.pushState(null, "", target.href);
    shownPath = location.pathname;
    markCurrentInSidebar();
    currentPage = new Page(JSON.parse(source.textContent), currentPage.engine);
    currentPage.start();
    const main = document.querySelector(SWAPPED[0]);
    window.MathJax?.typesetPromise?.([main]);
    document.dispatchEvent(new CustomEvent("pycells:page"));
    const anchor = target.hash && document.getElementById(decodeURIComponent(target.hash.slice(1)));
    if (anchor) anchor.scrollIntoView();
    else window.scrollTo(0, 0);
    const heading = main.querySelector("h1") || main;
    heading.tabIndex = -1;
    heading.focus({ preventScroll: true });
    return true;
  }
  function followLinksInPlace(firstPage) {
    currentPage = firstPage;
    document.addEventListener("click", (event) => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const link = event.target.closest?.("a[href]");
      if (!link || link.target || link.hasAttribute("download")) return;
      const url = new URL(link.href);
      if (url.origin !== location.origin || url.pathname === location.pathname || !url.pathname.endsWith(".html")) return;
      if (!currentPage?.config.keepEngine || folderOf(url.pathname) !== folderOf(location.pathname)) return;
      event.preventDefault();
      showPageInPlace(url.href, { push: true }).then((shown) => {
        if (!shown) location.assign(url.href);
      });
    });
    window.addEventListener("popstate", () => {
      if (location.pathname === shownPath) return;
      showPageInPlace(location.href, { push: false }).then((shown) => {
        if (!shown) location.reload();
      });
    });
  }

  // _extensions/pycells/src/runtime/main.js
  var engineBooted;
  var booted = new Promise((resolve) => {
    engineBooted = resolve;
  });
  window.PyCells = Object.freeze({
    call: (name, args) => booted.then((engine) => engine.call(name, args)).catch((failure) => ({ problem: failure.message }))
  });
  function boot() {
    const source = document.getElementById("pycells-config");
    if (!source) return;
    const page = new Page(JSON.parse(source.textContent));
    page.start();
    followLinksInPlace(page);
    engineBooted(page.engine);
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
