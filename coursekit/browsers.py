"""The three browser engines students use, driven through one small interface.

* Chromium (Debian's `chromium`), through Playwright;
* Firefox (Debian's `firefox-esr`), through WebDriver BiDi, which it speaks itself;
* WebKit (WebKitGTK's `MiniBrowser`, Safari's engine), through `WebKitWebDriver` (WebDriver
  classic over HTTP), on a virtual screen (Xvfb), since MiniBrowser needs a display.

Each engine gives an `EnginePage`: one tab, with `goto`, `evaluate` (a JavaScript function's
source, called with one JSON argument; its promise is awaited and its JSON result returned),
real pointer and keyboard input (`click`, `press`, `stroke`), `insert_text` and the page's
uncaught errors. The tests and the benchmark drive every engine through it.

Every engine can send its requests for other hosts to a proxy (`proxy="127.0.0.1:PORT"`); requests
to this machine (127.0.0.1, localhost) always go straight to it.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ENGINES = ("chromium", "firefox", "webkit")
CHROMIUM = "/usr/bin/chromium"
FIREFOX = "/usr/bin/firefox-esr"
WEBKIT_DRIVER = "/usr/bin/WebKitWebDriver"
MINIBROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"
XVFB = "/usr/bin/Xvfb"
# Debian's package that gives each engine (what `.ci/run` installs)
PACKAGES = {"chromium": "chromium", "firefox": "firefox-esr", "webkit": "webkit2gtk-driver and xvfb"}
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 "--disable-features=AutofillServerCommunication,OptimizationHints,Translate,MediaRouter"]
VIEWPORT = (1280, 900)
# A finger's tap: the pause before it comes down and how long it rests (ms)
TAP_GAP_MS, TAP_HOLD_MS = 300, 80
# How long a finger rests at the end of a stroke before it lifts: longer than the window a browser
# measures a lift's velocity over (about 100 ms)
FINGER_REST_MS = 150
# What an iPad tells a page, for the launchers' `device="ipad"`. In desktop mode (iPadOS's default)
# Safari names a Mac and "MacIntel" but has touch points (Chromium: user agent, platform and touch
# emulated through CDP); in mobile mode its user agent names the iPad (WebKitGTK: MiniBrowser's
# --user-agent; its navigator.platform stays Linux's).
IPAD_DESKTOP_MODE = {"userAgent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 "
                                  "(KHTML, like Gecko) Version/17.5 Safari/605.1.15",
                     "platform": "MacIntel", "maxTouchPoints": 5}
IPAD_USER_AGENT = ("Mozilla/5.0 (iPad; CPU OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                   "Version/17.5 Mobile/15E148 Safari/604.1")
DEVICES = (None, "ipad")
START_TIMEOUT_S = 60
# WebDriver's codes for the keys the tests press (W3C WebDriver, "Keyboard actions")
KEY_CODES = {"Shift": "\ue008", "Control": "\ue009", "Meta": "\ue03d", "Enter": "\ue007", "Tab": "\ue004", "Escape": "\ue00c",
             "ArrowLeft": "\ue012", "ArrowUp": "\ue013", "ArrowRight": "\ue014", "ArrowDown": "\ue015",
             "Space": " ", "Backspace": "\ue003", "Delete": "\ue017", "Home": "\ue011", "End": "\ue010"}
# The page's Select all: Command+A on a Mac, an iPad or an iPhone (what the editor takes for one:
# their platform or user agent, or Apple's touch screens), Control+A elsewhere.
SELECT_ALL = """() => /Mac|iPhone|iPad|iPod/.test(navigator.platform) || /iPhone|iPad|iPod/.test(navigator.userAgent)
  || (/Apple/.test(navigator.vendor) && navigator.maxTouchPoints > 2) ? 'Meta+a' : 'Control+a'"""
# Collects the page's uncaught errors, in engines that give no event for them.
CATCH_ERRORS = """() => {
  if (window.__engineErrors) return;
  window.__engineErrors = [];
  addEventListener("error", (event) => window.__engineErrors.push(String(event.message)));
  addEventListener("unhandledrejection", (event) => window.__engineErrors.push(String(event.reason)));
}"""
# The element's centre in the viewport, after scrolling it there; null if there is no such element.
CENTRE_OF = """([selector, index]) => {
  const node = document.querySelectorAll(selector)[index];
  if (!node) return null;
  node.scrollIntoView({block: "center", inline: "center", behavior: "instant"});  // the theme scrolls smoothly
  const box = node.getBoundingClientRect();
  return {x: Math.round(box.left + box.width / 2), y: Math.round(box.top + box.height / 2),
          left: box.left, top: box.top, width: box.width, height: box.height};
}"""
# Text put where the focus is in one edit, as a paste or an input method does: no key events, so an
# editor does not indent or close brackets on its own (a synthetic paste event carries no text in
# Firefox; this edit works the same in all three engines).
INSERT_TEXT = """(text) => { document.execCommand("insertText", false, text); }"""


class EngineError(RuntimeError):
    """An engine could not be started or did not answer as its protocol says."""


class ScriptError(EngineError):
    """The page's JavaScript threw."""


def missing(engine: str) -> str | None:
    """Why `engine` cannot run here (which Debian package to install), or None when it can."""
    needed = {"chromium": [CHROMIUM], "firefox": [FIREFOX], "webkit": [WEBKIT_DRIVER, MINIBROWSER, XVFB]}[engine]
    absent = [path for path in needed if not Path(path).exists()]
    if absent:
        return f"{engine}: {', '.join(absent)} missing: install Debian's {PACKAGES[engine]} (`.ci/run` does)"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise EngineError(f"{what} exited with code {process.returncode} before it listened on port {port}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
            return
        time.sleep(0.1)
    raise EngineError(f"{what} did not listen on port {port} within {START_TIMEOUT_S} s")


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def key_actions(combo: str) -> list[dict]:
    """WebDriver key actions for "Shift+Enter", "Control+a", "Tab": press in order, release in reverse."""
    keys = [KEY_CODES.get(name, name) for name in combo.split("+")]
    return ([{"type": "keyDown", "value": key} for key in keys]
            + [{"type": "keyUp", "value": key} for key in reversed(keys)])


def pointer_actions(points: list[tuple[float, float]], step_ms: int = 16) -> list[dict]:
    """A press at the first point, moves through the others, and a release (a mouse's or a finger's)."""
    first, *rest = [(round(x), round(y)) for x, y in points]
    moves = [{"type": "pointerMove", "x": x, "y": y, "duration": step_ms} for x, y in rest]
    return ([{"type": "pointerMove", "x": first[0], "y": first[1], "duration": 0},
             {"type": "pointerDown", "button": 0}] + moves + [{"type": "pointerUp", "button": 0}])


def call_with_json(function_source: str) -> str:
    """A function of one JSON string that calls `function_source` with its value and answers
    JSON: {"value": ...} or {"error": ...}."""
    return (f"async (argument) => {{ try {{ const value = await ({function_source})(JSON.parse(argument));"
            " return JSON.stringify({value: value === undefined ? null : value}); }"
            " catch (error) { return JSON.stringify({error: String(error && error.stack || error)}); } }")


def unwrap(answer: str, function_source: str):
    result = json.loads(answer)
    if "error" in result:
        raise ScriptError(f"{result['error']}\n  in: {function_source[:200]}")
    return result["value"]


class EnginePage:
    """One tab of one engine. Subclasses give `goto`, `_call` (JSON in, JSON out) and `_actions`."""

    engine = ""

    def evaluate(self, function_source: str, argument=None):
        return unwrap(self._call(call_with_json(function_source), json.dumps(argument)), function_source)

    def wait_for(self, function_source: str, argument=None, *, timeout_s: float, message: str, poll_s: float = 0.05):
        """Poll until the function returns a truthy value; return it, or raise AssertionError(message)."""
        deadline = time.monotonic() + timeout_s
        while True:
            value = self.evaluate(function_source, argument)
            if value:
                return value
            if time.monotonic() > deadline:
                raise AssertionError(f"{self.engine}: {message} (after {timeout_s:g} s)")
            time.sleep(poll_s)

    def centre(self, selector: str, index: int = 0) -> dict:
        """The box of the element (`index` among those `selector` matches), scrolled into view."""
        box = self.evaluate(CENTRE_OF, [selector, index])
        if box is None:
            raise AssertionError(f"{self.engine}: no element {index} matches {selector}")
        return box

    def click(self, selector: str, index: int = 0) -> None:
        """A real mouse click at the centre of the element (`index` among those `selector` matches)."""
        box = self.centre(selector, index)
        self.stroke([(box["x"], box["y"])])

    def tap(self, selector: str, index: int = 0) -> None:
        """A finger's tap at the centre of the element (`index` among those `selector` matches): it
        comes down a moment after the last touch and rests a moment, as a finger does (Chromium
        takes two touches within a few milliseconds for one gesture)."""
        box = self.centre(selector, index)
        move, down, up = pointer_actions([(box["x"], box["y"])])
        actions = [move, {"type": "pause", "duration": TAP_GAP_MS}, down, {"type": "pause", "duration": TAP_HOLD_MS}, up]
        self._actions([{"type": "pointer", "id": "touch", "parameters": {"pointerType": "touch"}, "actions": actions}])

    def stroke(self, points: list[tuple[float, float]], pointer: str = "mouse") -> None:
        """Press at the first point (viewport pixels), drag through the rest, release: with the
        mouse, or with a finger (pointer="touch"), which comes to rest before it lifts, as a finger
        does (one lifted while moving is a fling, and Chromium takes a tap that stops a fling for no
        tap at all)."""
        *actions, up = pointer_actions(points)
        if pointer == "touch":
            actions.append({"type": "pause", "duration": FINGER_REST_MS})
        self._actions([{"type": "pointer", "id": pointer, "parameters": {"pointerType": pointer},
                        "actions": actions + [up]}])

    def set_viewport(self, width: int, height: int) -> None:
        """The size of the page's viewport in CSS pixels (a phone's: 390 by 844)."""
        raise NotImplementedError

    def press(self, combo: str) -> None:
        """Keys as a student presses them: "Shift+Enter", "Control+a", "Tab"."""
        self._actions([{"type": "key", "id": "keyboard", "actions": key_actions(combo)}])

    def select_all(self) -> None:
        """Select all of the focused editor's text with the keys this device uses for it."""
        self.press(self.evaluate(SELECT_ALL))

    def insert_text(self, text: str) -> None:
        """Put `text` where the focus is in one edit, as a paste does (no typing, no auto-indent)."""
        self.evaluate(INSERT_TEXT, text)

    def errors(self) -> list[str]:
        return self.evaluate("() => window.__engineErrors || []")

    def goto(self, url: str) -> None:
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def _call(self, function_source: str, argument_json: str) -> str:
        raise NotImplementedError

    def _actions(self, sources: list[dict]) -> None:
        raise NotImplementedError


# ------------------------------------------------------------------------------ Chromium
class ChromiumPage(EnginePage):
    engine = "chromium"

    def __init__(self, context, device=None):
        self._finger_down = False
        self.page = context.new_page()
        self.page.add_init_script(f"({CATCH_ERRORS})()")
        if device == "ipad":
            devtools = context.new_cdp_session(self.page)
            devtools.send("Emulation.setUserAgentOverride", {key: IPAD_DESKTOP_MODE[key] for key in ("userAgent", "platform")})
            devtools.send("Emulation.setTouchEmulationEnabled", {"enabled": True, "maxTouchPoints": IPAD_DESKTOP_MODE["maxTouchPoints"]})

    def goto(self, url: str) -> None:
        self.page.goto(url)

    def _call(self, function_source: str, argument_json: str) -> str:
        return self.page.evaluate(f"(argument) => ({function_source})(argument)", argument_json)

    def _actions(self, sources: list[dict]) -> None:
        for source in sources:
            if source.get("parameters", {}).get("pointerType") == "touch":
                self._touch(source)
            else:
                self._perform(source)

    def set_viewport(self, width: int, height: int) -> None:
        self.page.set_viewport_size({"width": width, "height": height})

    def _touch(self, source: dict) -> None:
        """A finger's pointer actions as the touch events Chromium's input takes (CDP)."""
        devtools = self.page.context.new_cdp_session(self.page)
        at = None
        for action in source["actions"]:
            if action["type"] == "pause":
                time.sleep(action["duration"] / 1000)
            elif action["type"] == "pointerMove":
                at = {"x": action["x"], "y": action["y"]}
                time.sleep(action.get("duration", 0) / 1000)
                if self._finger_down:
                    devtools.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [at]})
            elif action["type"] == "pointerDown":
                self._finger_down = True
                devtools.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [at]})
            elif action["type"] == "pointerUp":
                self._finger_down = False
                devtools.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        devtools.detach()

    def _perform(self, source: dict) -> None:
        mouse, keyboard = self.page.mouse, self.page.keyboard
        names = {code: name for name, code in KEY_CODES.items()}
        names[" "] = " "
        for action in source["actions"]:
            kind = action["type"]
            if kind == "pointerMove":
                mouse.move(action["x"], action["y"], steps=1)
            elif kind == "pointerDown":
                mouse.down()
            elif kind == "pointerUp":
                mouse.up()
            elif kind == "keyDown":
                keyboard.down(names.get(action["value"], action["value"]))
            elif kind == "keyUp":
                keyboard.up(names.get(action["value"], action["value"]))

    def close(self) -> None:
        self.page.close()


class Chromium:
    """Debian's chromium through Playwright; `new_page()` opens a tab in one shared context."""

    def __init__(self, proxy: str | None = None, playwright=None, device: str | None = None):
        """`playwright`: a running Playwright to launch from (its sync API allows one per thread);
        else one is started, and stopped by close(). `device`: None, or "ipad" (DEVICES)."""
        from playwright.sync_api import sync_playwright
        self.device = checked_device(device)
        self._own_playwright = playwright is None
        self._playwright = sync_playwright().start() if playwright is None else playwright
        options = {"proxy": {"server": f"http://{proxy}", "bypass": "127.0.0.1,localhost"}} if proxy else {}
        self.browser = self._playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, **options)
        self.context = self.browser.new_context(viewport=dict(zip(("width", "height"), VIEWPORT)))

    def new_page(self) -> ChromiumPage:
        return ChromiumPage(self.context, self.device)

    def close(self) -> None:
        self.context.close()
        self.browser.close()
        if self._own_playwright:
            self._playwright.stop()


# ------------------------------------------------------------------------------- Firefox
# Hosts a browser asks for on its own (updates, settings, sign-in), not for a page.
OWN_SERVICES = {"chromium": ("update.googleapis.com", "accounts.google.com", "clients2.google.com",
                             "content-autofill.googleapis.com", "optimizationguide-pa.googleapis.com"),
                "firefox": ("firefox.settings.services.mozilla.com", "content-signature-2.cdn.mozilla.net",
                            "aus5.mozilla.org", "update.googleapis.com"),
                "webkit": ()}
FIREFOX_PREFS = {
    # a tab that never asks anything of the network or the user on its own
    "browser.shell.checkDefaultBrowser": False, "datareporting.policy.dataSubmissionEnabled": False,
    "app.update.enabled": False, "browser.startup.homepage_override.mstone": "ignore",
    "network.captive-portal-service.enabled": False, "network.connectivity-service.enabled": False,
    "extensions.update.enabled": False, "browser.safebrowsing.update.enabled": False,
    "toolkit.telemetry.reportingpolicy.firstRun": False, "browser.newtabpage.enabled": False,
    "browser.startup.page": 0, "dom.disable_open_during_load": False,
    "app.update.auto": False, "app.update.disabledForTesting": True, "media.gmp-manager.updateEnabled": False,
    "media.gmp-manager.url": "http://127.0.0.1:9/", "services.settings.server": "http://127.0.0.1:9/",
    "browser.safebrowsing.malware.enabled": False, "browser.safebrowsing.phishing.enabled": False,
    "browser.safebrowsing.downloads.enabled": False, "extensions.blocklist.enabled": False,
    "network.prefetch-next": False, "network.dns.disablePrefetch": True,
}


def firefox_prefs(proxy: str | None) -> dict:
    prefs = dict(FIREFOX_PREFS)
    if proxy:
        host, port = proxy.rsplit(":", 1)
        prefs.update({"network.proxy.type": 1, "network.proxy.http": host, "network.proxy.http_port": int(port),
                      "network.proxy.ssl": host, "network.proxy.ssl_port": int(port),
                      "network.proxy.no_proxies_on": "127.0.0.1,localhost",
                      "network.proxy.allow_hijacking_localhost": False})
    return prefs


class BiDiConnection:
    """WebDriver BiDi over a WebSocket: commands and their answers; events are kept."""

    def __init__(self, url: str):
        import websocket
        self.socket = websocket.create_connection(url, suppress_origin=True, timeout=300)
        self.next_id = 0
        self.events: list[dict] = []

    def send(self, method: str, **params) -> dict:
        self.next_id += 1
        command_id = self.next_id
        self.socket.send(json.dumps({"id": command_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.socket.recv())
            if message.get("type") == "event":
                self.events.append(message)
            elif message.get("id") == command_id:
                if message.get("type") == "error":
                    raise EngineError(f"firefox: {method}: {message.get('error')}: {message.get('message')}")
                return message["result"]

    def close(self) -> None:
        self.socket.close()


class FirefoxPage(EnginePage):
    engine = "firefox"

    def __init__(self, bidi: BiDiConnection, context: str):
        self.bidi, self.context = bidi, context

    def goto(self, url: str) -> None:
        self.bidi.send("browsingContext.navigate", context=self.context, url=url, wait="complete")

    def _call(self, function_source: str, argument_json: str) -> str:
        result = self.bidi.send("script.callFunction", functionDeclaration=function_source, awaitPromise=True,
                                arguments=[{"type": "string", "value": argument_json}],
                                target={"context": self.context})
        if result.get("type") == "exception":
            raise ScriptError(f"firefox: {result['exceptionDetails'].get('text')}")
        return result["result"]["value"]

    def _actions(self, sources: list[dict]) -> None:
        self.bidi.send("input.performActions", context=self.context, actions=sources)
        self.bidi.send("input.releaseActions", context=self.context)

    def set_viewport(self, width: int, height: int) -> None:
        self.bidi.send("browsingContext.setViewport", context=self.context, viewport={"width": width, "height": height})

    def close(self) -> None:
        self.bidi.send("browsingContext.close", context=self.context)


class Firefox:
    """Debian's firefox-esr, headless, in a fresh profile, over WebDriver BiDi."""

    def __init__(self, proxy: str | None = None):
        self.profile = Path(tempfile.mkdtemp(prefix="firefox-profile-"))
        (self.profile / "user.js").write_text(
            "".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in firefox_prefs(proxy).items()))
        port = free_port()
        self.process = subprocess.Popen(
            [FIREFOX, "--headless", f"--remote-debugging-port={port}", "--profile", str(self.profile),
             "--no-remote", f"--width={VIEWPORT[0]}", f"--height={VIEWPORT[1]}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=dict(os.environ, MOZ_CRASHREPORTER_DISABLE="1"))
        try:
            wait_for_port(port, self.process, "firefox-esr")
            self.bidi = BiDiConnection(f"ws://127.0.0.1:{port}/session")
            self.bidi.send("session.new", capabilities={})
            self.bidi.send("script.addPreloadScript", functionDeclaration=CATCH_ERRORS)
        except Exception:
            self.close()
            raise

    def new_page(self) -> FirefoxPage:
        # a new tab each time: the first stays open, so that closing a page never closes the browser
        context = self.bidi.send("browsingContext.create", type="tab")["context"]
        self.bidi.send("browsingContext.setViewport", context=context,
                       viewport={"width": VIEWPORT[0], "height": VIEWPORT[1]})
        return FirefoxPage(self.bidi, context)

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.bidi.send("session.end")
            self.bidi.close()
        stop(self.process)
        shutil.rmtree(self.profile, ignore_errors=True)


# -------------------------------------------------------------------------------- WebKit
class WebDriverSession:
    """WebDriver classic over HTTP: one session of a driver on localhost."""

    def __init__(self, port: int, capabilities: dict):
        self.base = f"http://127.0.0.1:{port}"
        self.id = self.send("POST", "/session", {"capabilities": {"alwaysMatch": capabilities}})["sessionId"]

    def send(self, method: str, path: str, body: dict | None = None):
        request = urllib.request.Request(self.base + path, method=method,
                                         data=None if body is None else json.dumps(body).encode(),
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=600) as response:
                return json.load(response)["value"]
        except urllib.error.HTTPError as failure:
            value = json.load(failure).get("value", {})
            raise EngineError(f"webkit: {method} {path}: {value.get('error')}: {value.get('message')}") from None

    def command(self, method: str, path: str, body: dict | None = None):
        return self.send(method, f"/session/{self.id}{path}", body)


class WebKitPage(EnginePage):
    engine = "webkit"

    def __init__(self, session: WebDriverSession, handle: str, on_close):
        self.session, self.handle, self.on_close = session, handle, on_close

    def goto(self, url: str) -> None:
        self.session.command("POST", "/url", {"url": url})
        self.evaluate(CATCH_ERRORS)

    def _call(self, function_source: str, argument_json: str) -> str:
        script = ("const done = arguments[arguments.length - 1];"
                  f"({function_source})(arguments[0]).then(done, (error) => done(JSON.stringify({{error: String(error)}})));")
        return self.session.command("POST", "/execute/async", {"script": script, "args": [argument_json]})

    def _actions(self, sources: list[dict]) -> None:
        self.session.command("POST", "/actions", {"actions": sources})
        self.session.command("DELETE", "/actions")

    def set_viewport(self, width: int, height: int) -> None:
        """The window sized so that its viewport is `width` by `height` (MiniBrowser adds its toolbar)."""
        chrome = self.evaluate("() => [outerWidth - innerWidth, outerHeight - innerHeight]")
        self.session.command("POST", "/window/rect", {"width": width + chrome[0], "height": height + chrome[1]})

    def close(self) -> None:
        try:
            self.session.command("POST", "/url", {"url": "about:blank"})
            self.session.command("POST", "/window/rect", {"width": VIEWPORT[0], "height": VIEWPORT[1]})
        finally:
            self.on_close()


class WebKit:
    """WebKitGTK's MiniBrowser through WebKitWebDriver, on a virtual screen of its own (Xvfb)."""

    def __init__(self, proxy: str | None = None, device: str | None = None):
        """`device`: None, or "ipad" (DEVICES): MiniBrowser says it is an iPad in its user agent."""
        self.screen = self.driver = None
        arguments = ["--automation"] + ([f"--user-agent={IPAD_USER_AGENT}"] if checked_device(device) else [])
        try:
            self.screen, display = start_virtual_screen()
            port = free_port()
            environment = dict(os.environ, DISPLAY=display)
            if proxy:
                environment.update(http_proxy=f"http://{proxy}", https_proxy=f"http://{proxy}", no_proxy="127.0.0.1,localhost")
            self.driver = subprocess.Popen([WEBKIT_DRIVER, f"--port={port}"], stdout=subprocess.DEVNULL,
                                           stderr=subprocess.DEVNULL, env=environment)
            wait_for_port(port, self.driver, "WebKitWebDriver")
            capabilities = {"browserName": "MiniBrowser",
                            "webkitgtk:browserOptions": {"binary": MINIBROWSER, "args": arguments}}
            self.session = WebDriverSession(port, capabilities)
            self.session.command("POST", "/window/rect", {"width": VIEWPORT[0], "height": VIEWPORT[1]})
            self.window, self.open_page = self.session.command("GET", "/window"), None
        except Exception:
            self.close()
            raise

    def new_page(self) -> WebKitPage:
        # MiniBrowser's first window, reused: closing a session's last window ends the session, and
        # a second window does not get the pointer's input
        if self.open_page is not None:
            raise EngineError("webkit: one page at a time (close the open page first)")
        self.open_page = WebKitPage(self.session, self.window, on_close=self._closed)
        return self.open_page

    def _closed(self) -> None:
        self.open_page = None

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.session.command("DELETE", "")
        stop(self.driver)
        stop(self.screen)


def checked_device(device: str | None) -> str | None:
    if device not in DEVICES:
        raise ValueError(f"device: expected None or 'ipad', got {device!r}")
    return device


def start_virtual_screen() -> tuple[subprocess.Popen, str]:
    """Xvfb on a free display number; (its process, the DISPLAY value)."""
    read_end, write_end = os.pipe()
    screen = subprocess.Popen([XVFB, "-displayfd", str(write_end), "-screen", "0", f"{VIEWPORT[0]}x{VIEWPORT[1] + 200}x24",
                               "-nolisten", "tcp"], pass_fds=(write_end,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write_end)
    with os.fdopen(read_end) as announced:
        number = announced.readline().strip()
    if not number:
        stop(screen)
        raise EngineError("Xvfb did not start")
    return screen, f":{number}"


LAUNCHERS = {"chromium": Chromium, "firefox": Firefox, "webkit": WebKit}


def launch(engine: str, proxy: str | None = None, **options):
    """A running browser of `engine` ("chromium", "firefox", "webkit") with `new_page()` and `close()`;
    `options` go to its launcher (Chromium's `playwright`)."""
    if engine not in LAUNCHERS:
        raise ValueError(f"engine: expected one of {', '.join(ENGINES)}, got {engine!r}")
    reason = missing(engine)
    if reason:
        raise EngineError(reason)
    return LAUNCHERS[engine](proxy=proxy, **options)


# the processes of each engine, by the names /proc gives them
PROCESS_NAMES = {"chromium": ("chromium",), "firefox": ("firefox-esr", "Web Content", "WebExtensions",
                                                         "Isolated Web Co", "RDD Process", "Socket Process",
                                                         "Privileged Cont", "Utility Process"),
                 "webkit": ("MiniBrowser", "WebKitWebProces", "WebKitNetworkPr", "WebKitGPUProces")}


def descendants(pid: int) -> list[int]:
    """Every process started, directly or not, by process `pid`."""
    children: dict[int, list[int]] = {}
    for status in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = status.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(status.parent.name))
    found, waiting = [], [pid]
    while waiting:
        for child in children.get(waiting.pop(), []):
            found.append(child)
            waiting.append(child)
    return found


def memory_mb(engine: str) -> float:
    """The resident memory of all of `engine`'s processes that this Python process started, in MB."""
    total_kb = 0
    for pid in descendants(os.getpid()):
        with contextlib.suppress(OSError):
            name = Path(f"/proc/{pid}/comm").read_text().strip()
            if name.startswith(PROCESS_NAMES[engine]):
                rss = next(line for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                           if line.startswith("VmRSS:"))
                total_kb += int(rss.split()[1])
    return total_kb / 1024
