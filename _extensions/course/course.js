// course page widgets: the digit pad, on pycells' public API (window.PyCells).
(() => {
  "use strict";

  const PAD_PIXELS = 280;
  const GRID = 28;

  function make(tag, attributes = {}, children = []) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
      if (name === "text") node.textContent = value;
      else node.setAttribute(name, value);
    }
    node.append(...children);
    return node;
  }

  /** The drawing as 784 ink values in [0, 1], row by row (28x28 blocks of the canvas's alpha). */
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

  function drawWithPointer(canvas) {
    const pen = canvas.getContext("2d");
    Object.assign(pen, { lineWidth: 22, lineCap: "round", lineJoin: "round", strokeStyle: "#000" });
    let drawing = false;
    const point = (event) => {
      const box = canvas.getBoundingClientRect();
      return [(event.clientX - box.left) * PAD_PIXELS / box.width, (event.clientY - box.top) * PAD_PIXELS / box.height];
    };
    canvas.addEventListener("pointerdown", (event) => {
      drawing = true;
      canvas.setPointerCapture(event.pointerId);
      const [x, y] = point(event);
      pen.beginPath(); pen.moveTo(x, y); pen.lineTo(x + 0.1, y + 0.1); pen.stroke();
    });
    canvas.addEventListener("pointermove", (event) => {
      if (!drawing) return;
      const [x, y] = point(event);
      pen.lineTo(x, y); pen.stroke();
    });
    for (const type of ["pointerup", "pointercancel"]) canvas.addEventListener(type, () => { drawing = false; });
    return pen;
  }

  const KEY_STEP = PAD_PIXELS / 20;
  const PAD_KEYS = "Keys: the arrows move the pen, Space puts it down or lifts it, Enter classifies, Delete clears.";

  /** Drawing without a pointer: the arrows move a pen (a ring shows where), Space puts it down or
   *  lifts it, Enter classifies, Delete clears; `say` announces the pen's state. */
  function drawWithKeys(canvas, pen, marker, { classify, clear, say }) {
    const at = { x: PAD_PIXELS / 2, y: PAD_PIXELS / 2, down: false };
    const moves = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] };
    const inside = (value) => Math.min(PAD_PIXELS - KEY_STEP / 2, Math.max(KEY_STEP / 2, value));
    const showPen = () => {
      marker.style.left = `${(100 * at.x) / PAD_PIXELS}%`;
      marker.style.top = `${(100 * at.y) / PAD_PIXELS}%`;
      marker.classList.toggle("down", at.down);
    };
    canvas.addEventListener("keydown", (event) => {
      if (event.key in moves) {
        const [dx, dy] = moves[event.key];
        const x = inside(at.x + dx * KEY_STEP);
        const y = inside(at.y + dy * KEY_STEP);
        if (at.down) { pen.beginPath(); pen.moveTo(at.x, at.y); pen.lineTo(x, y); pen.stroke(); }
        Object.assign(at, { x, y });
      } else if (event.key === " ") {
        at.down = !at.down;
        if (at.down) { pen.beginPath(); pen.moveTo(at.x, at.y); pen.lineTo(at.x + 0.1, at.y + 0.1); pen.stroke(); }
        say(at.down ? "Pen down: the arrows draw." : "Pen up: the arrows move without drawing.");
      } else if (event.key === "Enter") classify();
      else if (event.key === "Delete" || event.key === "Backspace") clear();
      else return;
      event.preventDefault();
      showPen();
    });
    showPen();
  }

  function probabilityBars(probabilities) {
    const best = probabilities.indexOf(Math.max(...probabilities));
    return probabilities.map((p, digit) => make("div", { class: `digit-pad-bar${digit === best ? " best" : ""}`, role: "listitem" }, [
      make("span", { class: "digit", text: String(digit) }),
      make("span", { class: "track" }, [make("span", { class: "fill", style: `width:${(100 * p).toFixed(1)}%` })]),
      make("span", { class: "value", text: `${(100 * p).toFixed(1)} %` }),
    ]));
  }

  function setupPad(node) {
    const fn = node.dataset.predict;
    const keysId = `digit-pad-keys-${document.querySelectorAll(".digit-pad-keys").length + 1}`;
    const canvas = make("canvas", { width: PAD_PIXELS, height: PAD_PIXELS, class: "digit-pad-canvas", tabindex: "0",
      role: "application", "aria-label": "Drawing area: draw one digit with the mouse, a finger or the keys",
      "aria-describedby": keysId });
    const marker = make("span", { class: "digit-pad-marker", "aria-hidden": "true" });
    const pen = drawWithPointer(canvas);
    const bars = make("div", { class: "digit-pad-bars", role: "list", "aria-label": "Probability of each digit" });
    const message = make("p", { class: "digit-pad-message", "aria-live": "polite" });
    const classify = async () => {
      message.textContent = "Classifying…";
      bars.replaceChildren();
      const answer = await window.PyCells.call(fn, [inkGrid(canvas)]);
      if (answer.problem) { message.textContent = `Could not classify: ${answer.problem}`; return; }
      if (answer.values.length !== 10) { message.textContent = `${fn} should return 10 probabilities.`; return; }
      bars.replaceChildren(...probabilityBars(answer.values));
      message.textContent = `Best guess: ${answer.values.indexOf(Math.max(...answer.values))}`;
    };
    const clear = () => { pen.clearRect(0, 0, PAD_PIXELS, PAD_PIXELS); bars.replaceChildren(); message.textContent = ""; };
    const button = (text, onclick) => {
      const node = make("button", { type: "button", class: "pycell-button", text });
      node.addEventListener("click", onclick);
      return node;
    };
    drawWithKeys(canvas, pen, marker, { classify, clear, say: (text) => { message.textContent = text; } });
    node.replaceChildren(make("div", { class: "digit-pad-surface" }, [canvas, marker]),
      make("div", { class: "digit-pad-buttons" }, [button("Clear", clear), button("Classify", classify)]),
      make("p", { class: "digit-pad-keys", id: keysId, text: PAD_KEYS }), message, bars);
  }

  function setupPads() {
    if (!window.PyCells) return;  // the pads need the pycells extension on the page
    for (const pad of document.querySelectorAll(".digit-pad[data-predict]:not(.digit-pad-ready)")) {
      setupPad(pad);
      pad.classList.add("digit-pad-ready");
    }
  }

  function boot() {
    setupPads();
    document.addEventListener("pycells:page", setupPads);   // a page shown in place of this one
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
