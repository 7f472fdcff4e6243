// course page widgets: the digit pad (on pycells' public API, window.PyCells) and the
// site's own MathJax when the page's did not load.
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
    const canvas = make("canvas", { width: PAD_PIXELS, height: PAD_PIXELS, class: "digit-pad-canvas",
      "aria-label": "Drawing area: draw one digit with the mouse or a finger", role: "img" });
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
    node.replaceChildren(canvas, make("div", { class: "digit-pad-buttons" }, [button("Clear", clear), button("Classify", classify)]),
      message, bars);
  }

  /** Once every script has loaded or failed: the site's own MathJax if the page's did not load. */
  function useLocalMathJaxIfNeeded() {
    const source = document.getElementById("course-mathjax-fallback");
    if (!source) return;
    window.addEventListener("load", () => {
      if (window.MathJax && window.MathJax.version) return;
      document.head.append(make("script", { src: new URL(JSON.parse(source.textContent), document.baseURI).href }));
    });
  }

  function boot() {
    useLocalMathJaxIfNeeded();
    if (!window.PyCells) return;  // the pads need the pycells extension on the page
    for (const pad of document.querySelectorAll(".digit-pad[data-predict]")) setupPad(pad);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", boot);
  else boot();
})();
