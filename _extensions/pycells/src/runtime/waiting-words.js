// What a cell that waits to run says it waits for, from the engine's state and its last status:
// the engine to start, packages to install, Retry, or the cells queued before it.

const INSTALLING = ["installing", "installing-imports"];

/** The words beside a waiting cell's buttons; `next`: the engine has its code and will start it. */
export function waitingWords(engineState, engineStatus, next) {
  if (engineState === "failed") return "waiting for the Python engine, which did not load…";
  // the engine's own packages at its start, or ones the next cell (or the page) needs before it runs
  if (INSTALLING.includes(engineStatus.phase) && (engineState !== "ready" || next)) {
    return `waiting for packages to install: ${engineStatus.packages.join(", ")}…`;
  }
  if (engineState !== "ready") return "waiting for the Python engine to start…";
  return next ? "starting…" : "waiting for the cells before it to finish…";
}
