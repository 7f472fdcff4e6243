// Text as a terminal shows it: a "\r" goes back to the start of its line, and what follows
// replaces that line (a progress bar drawn in place). The page shows a cell's streams this way,
// and the Node host records them this way; the CPython host follows the same rule in Python.

/** `shown` (text already shown, in its final state) with `written` appended, as a terminal leaves it. */
export function appendAsTerminal(shown, written) {
  const [first, ...rewrites] = written.replace(/\r\n/g, "\n").split("\r");
  let text = shown + first;
  for (const rewrite of rewrites) text = text.slice(0, text.lastIndexOf("\n") + 1) + rewrite;
  return text;
}
