// pycells page runtime: upgrades the filter's .pycell blocks into editable,
// runnable Python cells backed by one Pyodide worker per page.
(() => {
  "use strict";

  const RUNTIME_BASE = new URL(".", document.currentScript.src).href;
  const STOP_NOTICE = "The Python engine was restarted, so this page's Python state was reset: " +
    "variables from earlier cells are gone (use \u201cRun all above\u201d to rebuild them).";

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

  function absolute(url) { return new URL(url, document.baseURI).href; }

  // ---------------------------------------------------------------- status line
  class StatusLine {
    constructor(onRetry) {
      this.text = el("span", { class: "pycells-status-text" });
      this.retry = el("button", { type: "button", class: "pycells-retry", text: "Retry", onclick: onRetry });
      this.retry.hidden = true;
      this.node = el("div", { class: "pycells-status", role: "status", "aria-live": "polite" },
        [el("span", { class: "pycells-status-title", text: "Python: " }), this.text, this.retry]);
      document.body.append(this.node);
      this.timeline = [];  // [{at: ms since navigation, text}], read by tests and benchmarks
    }
    show(text, state = "busy") {
      if (text === this.text.textContent && state === this.node.dataset.state) return;
      this.timeline.push({ at: Math.round(performance.now()), text });
      this.text.textContent = text;
      this.node.dataset.state = state;
      this.retry.hidden = state !== "failed";
    }
  }

  // ------------------------------------------------------------------ engine
  // Owns the worker; runs jobs one at a time; Stop terminates and restarts it.
  class Engine {
    constructor(config, status) {
      this.config = config;
      this.status = status;
      this.queue = [];
      this.current = null;
      this.calls = new Map();
      this.nextId = 1;
      this.onReady = () => {};
    }

    start() {
      this.ready = false;
      this.worker = new Worker(RUNTIME_BASE + "pycells-worker.js");
      this.worker.onmessage = (event) => this.receive(event.data);
      this.worker.onerror = (event) => this.fail(`The Python worker failed to start (${event.message || "unknown error"}).`);
      this.status.show("loading the engine…");
      this.worker.postMessage({
        type: "init",
        engineUrl: absolute(this.config.engineUrl),
        packages: this.config.packages,
        wheels: this.config.wheels.map(absolute),
      });
    }

    fail(message) {
      this.status.show(`${message} Check your connection, then press Retry.`, "failed");
      this.worker.terminate();
      for (const job of this.queue) job.sink.notice("The Python engine is not available.");
      this.queue = [];
    }

    receive(message) {
      const job = this.current && this.current.id === message.id ? this.current : null;
      switch (message.type) {
        case "status": this.status.show(message.text.replace(/^./, (c) => c.toLowerCase())); break;
        case "init-error": this.fail(message.message); break;
        case "ready":
          this.ready = true;
          this.status.show("ready", "ready");
          this.onReady();
          this.next();
          break;
        case "begin": if (job) this.begin(job); break;
        case "idle": this.idle(); break;
        case "stream": if (job) job.sink.stream(message.name, message.text); break;
        case "figure": if (job) job.sink.figure(message.png); break;
        case "result": if (job) job.sink.result(message.text); break;
        case "error": if (job) job.sink.error(message.text); break;
        case "capped": if (job) job.sink.capped(message.lines, message.chars); break;
        case "done": if (job) this.finish(job, message.ok); break;
        case "call-done": {
          const call = this.calls.get(message.id);
          this.calls.delete(message.id);
          if (call) call(message);
          break;
        }
        default: break;
      }
    }

    /** Queue pieces [{code, filename}] to run; resolves true when all ran without error. */
    run(pieces, sink, { name, timelimit = 0, first = false } = {}) {
      return new Promise((resolve) => {
        const job = { id: this.nextId++, pieces, sink, name, timelimit, first, resolve };
        sink.queued();
        // `first` jobs (a page's hidden setup) go ahead of cells queued before the engine was ready.
        const place = first ? this.queue.findIndex((queued) => !queued.first) : -1;
        if (place >= 0) this.queue.splice(place, 0, job); else this.queue.push(job);
        this.next();
      });
    }

    call(fn, args) {
      return new Promise((resolve) => {
        const id = this.nextId++;
        this.calls.set(id, resolve);
        this.worker.postMessage({ type: "call", id, fn, args });
      });
    }

    next() {
      if (!this.ready || this.current || this.queue.length === 0) return;
      const job = this.queue.shift();
      this.current = job;
      job.sink.started();
      this.status.show(`running ${job.name}…`);
      this.worker.postMessage({ type: "run", id: job.id, pieces: job.pieces });
    }

    /** The worker began the job's code (after any package installs): its time limit starts now. */
    begin(job) {
      this.status.show(`running ${job.name}…`);
      if (job.timelimit > 0) {
        job.timer = setTimeout(() => this.stop(`Stopped after the time limit of ${job.timelimit} s.`), job.timelimit * 1000);
      }
    }

    /** The worker finished background work (installing the page's packages). */
    idle() {
      if (this.current) this.status.show(`running ${this.current.name}…`);
      else if (this.queue.length === 0) this.status.show("ready", "ready");
    }

    finish(job, ok) {
      clearTimeout(job.timer);
      this.current = null;
      job.sink.finished(ok);
      job.resolve(ok);
      if (this.queue.length === 0) this.status.show("ready", "ready");
      this.next();
    }

    isBusyWith(sink) {
      return (this.current && this.current.sink === sink) || this.queue.some((job) => job.sink === sink);
    }

    /** End whatever runs, drop the queue, and boot a fresh engine. */
    stop(reason = "Stopped.") {
      this.worker.terminate();
      const dropped = this.current ? [this.current, ...this.queue] : this.queue;
      this.current = null;
      this.queue = [];
      for (const [, call] of this.calls) call({ error: "the Python engine was restarted" });
      this.calls.clear();
      for (const job of dropped) {
        clearTimeout(job.timer);
        job.sink.notice(job === dropped[0] ? `${reason} ${STOP_NOTICE}` : "Not run: the engine was stopped.");
        job.sink.finished(false);
        job.resolve(false);
      }
      this.start();
    }
  }

  // ------------------------------------------------------------- output area
  class Output {
    constructor(visible) {
      this.node = el("div", { class: "pycell-output", role: "log", "aria-live": "polite", "aria-label": "Output" });
      this.node.hidden = !visible;
      this.visible = visible;
      this.onState = () => {};
    }
    clear() { this.node.replaceChildren(); this.lastStream = null; }
    stream(name, text) {
      if (!this.lastStream || this.lastStream.name !== name) {
        const pre = el("pre", { class: `pycell-${name}` });
        pre.append(document.createTextNode(""));
        this.node.append(pre);
        this.lastStream = { name, text: pre.firstChild };
      }
      this.lastStream.text.appendData(text);
    }
    block(tag, cls, text) { this.lastStream = null; this.node.append(el(tag, { class: cls, text })); }
    figure(png) {
      this.lastStream = null;
      const count = this.node.querySelectorAll("img").length + 1;
      this.node.append(el("img", { class: "pycell-figure", src: `data:image/png;base64,${png}`, alt: `Figure ${count}` }));
    }
    result(text) { this.block("pre", "pycell-result", text); }
    error(text) { this.block("pre", "pycell-error", text); }
    capped(lines, chars) {
      this.block("p", "pycell-notice", `Output limit reached (${lines} lines or ${chars.toLocaleString("en")} characters): the rest of this cell's output was not shown.`);
    }
    notice(text) { this.block("p", "pycell-notice", text); }
    queued() { this.clear(); this.onState("queued"); }
    started() { this.onState("running"); }
    finished(ok) { this.onState(ok ? "done" : "failed"); }
  }

  // ------------------------------------------------------------------ editor
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
      if (event.key === "Enter" && event.shiftKey) { event.preventDefault(); onRun(); }
    });
    parent.append(area);
    return { getCode: () => area.value, setCode: (value) => { area.value = value; }, focus: () => area.focus() };
  }

  // -------------------------------------------------------------------- cell
  // A student's edit is kept with the course code it was made from, so that a later
  // change to the cell in the course can be pointed out instead of silently hidden.
  const storage = {
    key: (cell) => `pycells:${location.pathname}:${cell.options.label || cell.index}`,
    originalKey: (cell) => `${storage.key(cell)}:original`,
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
  function savedEditNote(saved, cell) {
    if (saved === null || saved.code === cell.code) return null;
    const changed = saved.editedFrom !== null && saved.editedFrom !== cell.code;
    return el("p", {
      class: `pycell-saved-note${changed ? " changed" : ""}`,
      text: changed
        ? "This cell has changed in the course since you edited it. Reset replaces your edit with the new version."
        : "Your edited code, saved in this browser. Reset brings back the original.",
    });
  }

  const BLANK = "______";  // what an exercise leaves for the student to fill in
  const cellFile = (cell) => `<cell ${cell.index}>`;
  const cellName = (cell) => (cell.options.label ? `cell ${cell.index} (${cell.options.label})` : `cell ${cell.index}`);

  class Page {
    constructor(config) {
      this.config = config;
      this.cells = config.cells;
      this.status = new StatusLine(() => this.engine.start());
      this.engine = new Engine(config, this.status);
      this.engine.onReady = () => this.runSetup();
      this.firstReady = true;
    }

    node(cell) { return document.querySelector(`[data-pycell="${cell.index}"]`); }
    /** The cells with `role` ("setup", "hint", "solution", "check") in the cell's exercise, as the filter grouped them. */
    group(cell, role) {
      const members = this.config.exercises[cell.options.exercise]?.[role] ?? [];
      return this.cells.filter((c) => members.includes(c.index));
    }

    start() {
      // The worker boots the engine while this thread builds the editors.
      this.engine.start();
      for (const cell of this.cells) if (cell.run === "button") this.upgrade(cell);
    }

    /** Pieces a cell's Run executes: exercise setup, the code, then its checks. */
    pieces(cell) {
      const own = { code: cell.ui.editor.getCode(), filename: cellFile(cell) };
      if (cell.role !== "exercise") return [own];
      const extra = (role) => this.group(cell, role).map((c) => ({ code: c.code, filename: cellFile(c), showValue: false }));
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
      return this.engine.run(this.pieces(cell), cell.ui.output, { name: cellName(cell), timelimit: cell.options.timelimit });
    }

    runAllAbove(cell) {
      for (const other of this.cells) {
        if (other.index < cell.index && other.ui) this.run(other);
      }
    }

    runSetup() {
      for (const cell of this.cells) {
        if (cell.run === "page-load") {
          this.engine.run([{ code: cell.code, filename: cellFile(cell), showValue: false }], new Output(false),
            { name: `setup ${cellName(cell)}`, first: true });
        }
      }
      if (this.firstReady) {
        this.firstReady = false;
        for (const cell of this.cells) if (cell.ui && cell.options.autorun) this.run(cell);
      }
    }

    upgrade(cell) {
      const container = this.node(cell);
      if (!container) return;
      const o = cell.options;
      const name = cellName(cell);
      const saved = o.persist ? storage.load(cell) : null;
      const output = new Output(o.output);
      const toolbar = el("div", { class: "pycell-toolbar", role: "toolbar", "aria-label": `Controls for ${name}` });
      const editorHost = el("div", { class: "pycell-editor" });
      editorHost.hidden = !o.echo;
      const ui = { output };
      cell.ui = ui;
      const button = (text, label, onclick, cls = "") =>
        el("button", { type: "button", class: `pycell-button ${cls}`, text, "aria-label": label, onclick });

      if (o.runbutton) toolbar.append(button("Run", `Run ${name}`, () => this.run(cell), "pycell-run"));
      ui.stop = button("Stop", `Stop ${name}`, () => this.engine.stop(), "pycell-stop");
      ui.stop.disabled = true;
      toolbar.append(ui.stop);
      if (o.startover && o.edit) {
        toolbar.append(button("Reset", `Reset ${name} to its original code`, () => {
          ui.editor.setCode(cell.code);
          storage.forget(cell);
          note?.remove();
          output.clear();
        }, "pycell-reset"));
      }
      if (cell.index > 1) toolbar.append(button("Run all above", `Run all above ${name}`, () => this.runAllAbove(cell), "pycell-run-above"));
      if (o.exercise) this.addRevealButtons(cell, toolbar, button);
      ui.state = el("span", { class: "pycell-state", "aria-hidden": "true" });
      toolbar.append(ui.state);

      output.onState = (state) => {
        container.dataset.state = state;
        ui.state.textContent = { queued: "waiting…", running: "running…", done: "", failed: "" }[state] || "";
        ui.stop.disabled = !(state === "queued" || state === "running");
      };

      const note = o.echo ? savedEditNote(saved, cell) : null;
      container.replaceChildren(...[toolbar, note, editorHost, output.node].filter(Boolean));
      container.classList.add("pycell-live");
      ui.editor = makeEditor(editorHost, saved !== null ? saved.code : cell.code, {
        readOnly: !o.edit,
        label: `Python code of ${name}`,
        onRun: () => this.run(cell),
        onChange: (code) => { if (o.persist) storage.save(cell, code); },
      });
    }

    addRevealButtons(cell, toolbar, button) {
      const reveal = (role, text) => {
        const targets = this.group(cell, role).map((c) => this.node(c)).filter(Boolean);
        if (targets.length === 0) return;
        const toggle = button(`Show ${text}`, `Show ${text} for ${cellName(cell)}`, () => {
          const show = targets[0].hidden;
          for (const target of targets) target.hidden = !show;
          toggle.textContent = `${show ? "Hide" : "Show"} ${text}`;
          toggle.setAttribute("aria-expanded", String(show));
        }, `pycell-show-${role}`);
        toggle.setAttribute("aria-expanded", "false");
        toolbar.append(toggle);
      };
      reveal("hint", "hint");
      reveal("solution", "solution");
    }
  }

  // --------------------------------------------------------------- digit pad
  const PAD_PIXELS = 280;
  const GRID = 28;

  function inkGrid(canvas) {
    const { data } = canvas.getContext("2d").getImageData(0, 0, PAD_PIXELS, PAD_PIXELS);
    const block = PAD_PIXELS / GRID;
    const values = new Array(GRID * GRID).fill(0);
    for (let y = 0; y < PAD_PIXELS; y++) {
      for (let x = 0; x < PAD_PIXELS; x++) {
        values[Math.floor(y / block) * GRID + Math.floor(x / block)] += data[(y * PAD_PIXELS + x) * 4 + 3];
      }
    }
    return values.map((sum) => sum / (255 * block * block));
  }

  function setupPad(node, engine) {
    const fn = node.dataset.predict;
    const canvas = el("canvas", { width: PAD_PIXELS, height: PAD_PIXELS, class: "pycells-pad-canvas",
      "aria-label": "Drawing area: draw one digit with the mouse or a finger", role: "img" });
    const ctx = canvas.getContext("2d");
    ctx.lineWidth = 22; ctx.lineCap = "round"; ctx.lineJoin = "round"; ctx.strokeStyle = "#000";
    let drawing = false;
    const point = (event) => {
      const box = canvas.getBoundingClientRect();
      return [(event.clientX - box.left) * PAD_PIXELS / box.width, (event.clientY - box.top) * PAD_PIXELS / box.height];
    };
    canvas.addEventListener("pointerdown", (event) => {
      drawing = true;
      canvas.setPointerCapture(event.pointerId);
      const [x, y] = point(event);
      ctx.beginPath(); ctx.moveTo(x, y); ctx.lineTo(x + 0.1, y + 0.1); ctx.stroke();
    });
    canvas.addEventListener("pointermove", (event) => {
      if (!drawing) return;
      const [x, y] = point(event);
      ctx.lineTo(x, y); ctx.stroke();
    });
    const end = () => { drawing = false; };
    canvas.addEventListener("pointerup", end);
    canvas.addEventListener("pointercancel", end);

    const bars = el("div", { class: "pycells-pad-bars", role: "list", "aria-label": "Probability of each digit" });
    const message = el("p", { class: "pycells-pad-message", "aria-live": "polite" });
    const showBars = (probabilities) => {
      const best = probabilities.indexOf(Math.max(...probabilities));
      bars.replaceChildren(...probabilities.map((p, digit) => el("div", {
        class: `pycells-pad-bar${digit === best ? " best" : ""}`, role: "listitem",
      }, [
        el("span", { class: "digit", text: String(digit) }),
        el("span", { class: "track" }, [el("span", { class: "fill", style: `width:${(100 * p).toFixed(1)}%` })]),
        el("span", { class: "value", text: `${(100 * p).toFixed(1)} %` }),
      ])));
      message.textContent = `Best guess: ${best}`;
    };
    const classify = async () => {
      message.textContent = "Classifying…";
      const answer = await engine.call(fn, [inkGrid(canvas)]);
      if (answer.error) { message.textContent = `Could not classify: ${answer.error}`; return; }
      if (!answer.value || answer.value.length !== 10) { message.textContent = `${fn} should return 10 probabilities.`; return; }
      showBars(answer.value);
    };
    const clear = () => { ctx.clearRect(0, 0, PAD_PIXELS, PAD_PIXELS); bars.replaceChildren(); message.textContent = ""; };
    node.replaceChildren(
      canvas,
      el("div", { class: "pycells-pad-buttons" }, [
        el("button", { type: "button", class: "pycell-button", text: "Clear", onclick: clear }),
        el("button", { type: "button", class: "pycell-button", text: "Classify", onclick: classify }),
      ]),
      message, bars,
    );
  }

  // ----------------------------------------------------------- offline math
  // Under the offline profile the page's MathJax (from its CDN) may not load;
  // once every script has loaded or failed, the site's own copy is used instead.
  function useLocalMathJaxIfNeeded(url) {
    window.addEventListener("load", () => {
      if (window.MathJax && window.MathJax.version) return;
      document.head.append(el("script", { src: absolute(url) }));
    });
  }

  // -------------------------------------------------------------------- boot
  function boot() {
    const source = document.getElementById("pycells-config");
    if (!source) return;
    const config = JSON.parse(source.textContent);
    if (config.mathjaxFallback) useLocalMathJaxIfNeeded(config.mathjaxFallback);
    const page = new Page(config);
    window.pycells = page;
    page.start();
    for (const pad of document.querySelectorAll(".pycells-pad")) setupPad(pad, page.engine);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
