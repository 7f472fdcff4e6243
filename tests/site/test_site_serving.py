"""The site's own web server (coursekit.website.SiteRequestHandler: `make preview`, the browser
tests, the benchmark): it serves under a sub-path and compresses what a static host compresses."""
from __future__ import annotations

import gzip
import http.server
import threading
import urllib.request

import pytest

from coursekit import website


@pytest.fixture
def site_url(tmp_path):
    (tmp_path / "engine.wasm").write_bytes(b"\0asm" + bytes(range(256)) * 200)
    (tmp_path / "pylib.whl").write_bytes(b"PK" + bytes(range(256)) * 10)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), website.site_handler(tmp_path, "/course/"))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/course/", tmp_path
    server.shutdown()
    server.server_close()


def get(url, encoding=None):
    request = urllib.request.Request(url, headers={"Accept-Encoding": encoding} if encoding else {})
    with urllib.request.urlopen(request) as response:
        return response.headers, response.read()


def test_webassembly_goes_out_gzip_compressed_to_a_browser_that_accepts_it(site_url):
    url, folder = site_url
    headers, body = get(url + "engine.wasm", "gzip, deflate, br")
    assert headers["Content-Encoding"] == "gzip" and headers["Content-Type"] == "application/wasm"
    assert int(headers["Content-Length"]) == len(body) < (folder / "engine.wasm").stat().st_size / 10
    assert gzip.decompress(body) == (folder / "engine.wasm").read_bytes()


def test_a_client_without_gzip_and_an_archive_get_the_file_as_it_is(site_url):
    url, folder = site_url
    headers, body = get(url + "engine.wasm")
    assert headers["Content-Encoding"] is None and body == (folder / "engine.wasm").read_bytes()
    headers, body = get(url + "pylib.whl", "gzip")
    assert headers["Content-Encoding"] is None and body == (folder / "pylib.whl").read_bytes()


def test_a_path_outside_the_site_is_not_found(site_url):
    url, _ = site_url
    with pytest.raises(urllib.error.HTTPError, match="404"):
        get(url.replace("/course/", "/") + "engine.wasm", "gzip")
