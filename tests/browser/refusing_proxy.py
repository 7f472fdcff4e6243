"""A proxy that refuses every request and remembers what was asked, for any browser engine.

Each engine under test sends its requests for other hosts here (coursekit.browsers, `proxy=`);
requests to this machine go straight to the site's server. So whatever a page asks of a third
party (a font service, a CDN, a polyfill) is seen here, in every engine, whether the page, its
worker or its service worker asked, and refused, as a classroom without internet would.
"""
from __future__ import annotations

import contextlib
import socketserver
import threading
from dataclasses import dataclass
from urllib.parse import urlsplit

from coursekit import browsers


def host_of(target: str) -> str:
    """'cdn.example.org' from 'cdn.example.org:443' (CONNECT) or 'http://cdn.example.org/x.js'."""
    return (urlsplit(target).hostname if "://" in target else target.rsplit(":", 1)[0]) or target


class RefusingHandler(socketserver.StreamRequestHandler):
    def handle(self):
        line = self.rfile.readline(65536).decode("latin-1").split()
        if len(line) >= 2:
            self.server.asked.append(line[1])
        self.wfile.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")


class RefusingProxy(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self):
        super().__init__(("127.0.0.1", 0), RefusingHandler)
        self.asked: list[str] = []

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.server_address[1]}"

    def hosts_since(self, mark: int) -> list[str]:
        """The hosts asked for since `len(self.asked)` was `mark`, each once, in order."""
        return list(dict.fromkeys(host_of(target) for target in self.asked[mark:]))


@contextlib.contextmanager
def refusing_proxy():
    proxy = RefusingProxy()
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        proxy.shutdown()
        proxy.server_close()


@dataclass
class Engine:
    """A running browser engine whose requests for other hosts go to a refusing proxy."""

    name: str
    browser: object
    proxy: RefusingProxy

    def outside_hosts(self, mark):
        """The hosts other than this machine that pages asked for since the proxy had `mark`
        requests (not those the browser asks for itself)."""
        return [host for host in self.proxy.hosts_since(mark) if host not in browsers.OWN_SERVICES[self.name]]


@contextlib.contextmanager
def behind_refusing_proxy(name, **options):
    """The engine `name` running (`options` for coursekit.browsers.launch), with its proxy: an Engine."""
    with refusing_proxy() as proxy:
        browser = browsers.launch(name, proxy=proxy.address, **options)
        try:
            yield Engine(name, browser, proxy)
        finally:
            browser.close()
