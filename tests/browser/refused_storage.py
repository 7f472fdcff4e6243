"""Page scripts for the tests of an edit the browser will not store: storage that refuses every
write (as a full quota or blocked storage does), and a clipboard that records what the page copies."""

REFUSE_STORAGE = """() => { Storage.prototype.setItem = function () {
  throw new DOMException("The quota has been exceeded.", "QuotaExceededError"); }; }"""
WATCH_CLIPBOARD = """() => { Object.defineProperty(navigator, "clipboard", { configurable: true,
  value: { writeText: async (text) => { window.copiedText = text; } } }); }"""
