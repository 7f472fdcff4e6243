// A module worker whose messages the page takes only from a private MessageChannel. The page hands
// the channel's second port to the worker in its first message, before any student code runs there,
// and the worker keeps it in its module scope. Student code reaches the worker's global (Python's
// `js` module), so a message it posts there, a forged status or run result, is never read.

/** Start the worker at `url`; `onMessage(data)` gets what it sends on the channel, `onFailure(text)`
    says why it stopped. Returns {send(message), terminate()}. */
export function openWorker(url, onMessage, onFailure) {
  const worker = new Worker(url, { type: "module" });
  const channel = new MessageChannel();
  channel.port1.onmessage = (event) => onMessage(event.data);
  worker.onerror = (event) => onFailure(event.message || "the worker stopped");
  worker.postMessage({ connect: "pycells" }, [channel.port2]);
  return {
    send: (message) => channel.port1.postMessage(message),
    terminate() {
      worker.terminate();
      channel.port1.close();
    },
  };
}
