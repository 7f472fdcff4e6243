#!/usr/bin/env python
"""Render the course site into _site/.

With `quarto` on PATH this runs `quarto render` (or `quarto preview`). Without it,
every page listed in _quarto.yml is rendered by plain pandoc (the binary bundled with
pypandoc) through the same Lua filter, `_extensions/pycells/pycells.lua`, into the
same output paths (chapters/01-digits.qmd -> _site/chapters/01-digits.html).

Usage: python -m tools.render_site [--profile offline] [--preview] [--port N] [--root DIR] [--pandoc]
"""
from __future__ import annotations

import argparse
import functools
import glob
import gzip
import html
import io
import http.server
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
# what an extension folder holds that is not served to the browser
EXTENSION_SOURCES = {"_extension.yml", "README.md", "src", "engine.json"}
MIRROR = REPO / "build" / "pyodide"
# what the offline profile serves from the site itself: folder -> (built by `make mirror` into, a file it holds)
OFFLINE_FOLDERS = {"pyodide": (MIRROR, "pyodide.js")}

# ```{pyodide ...} / ```{python ...} fences -> ```{.pyodide ...}, as Quarto parses them.
CELL_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*\{(?P<lang>pyodide|python)(?P<rest>[^}]*)\}\s*$",
                        re.MULTILINE)
# Links between pages name the .qmd source; Quarto points them at the .html it writes.
QMD_LINK = re.compile(r'(href="(?![a-z]+:)[^"]*?)\.qmd((?:#[^"]*)?")')
FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n(?:---|\.\.\.)\s*\n", re.DOTALL)

TEMPLATE = """<!DOCTYPE html>
<html lang="$if(lang)$$lang$$else$en$endif$">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="pandoc (tools/render_site.py)">
<title>$if(title)$$pagetitle$ – $endif$$site-title$</title>
<style>
$styles.html()$
body { max-width: none; margin: 0; padding: 0; display: flex; font-family: system-ui, sans-serif; line-height: 1.55; }
.site-sidebar { flex: 0 0 15rem; padding: 1.5rem 1rem; background: #f6f8fa; border-right: 1px solid #d0d7de;
  min-height: 100vh; box-sizing: border-box; }
.site-sidebar a { text-decoration: none; color: #1f2328; }
.site-sidebar .site-title { font-weight: 700; font-size: 1.05rem; display: block; margin-bottom: 1rem; }
.site-sidebar ol, .site-sidebar ul { padding-left: 1.1rem; }
.site-sidebar li { margin: .35rem 0; }
.site-sidebar [aria-current="page"] { font-weight: 700; color: #0b5ed7; }
main { flex: 1 1 auto; max-width: 52rem; padding: 1.5rem 2.5rem 4rem; min-width: 0; }
@media (max-width: 50rem) { body { display: block; } .site-sidebar { min-height: 0; } }
</style>
$for(css)$
<link rel="stylesheet" href="$css$">
$endfor$
$for(header-includes)$
$header-includes$
$endfor$
$if(math)$
$math$
$endif$
</head>
<body>
<nav class="site-sidebar" aria-label="Course">
$sidebar$
</nav>
<main id="quarto-document-content">
$if(title)$
<header id="title-block-header">
<h1 class="title">$title$</h1>
$if(subtitle)$
<p class="subtitle">$subtitle$</p>
$endif$
</header>
$endif$
$if(toc)$
<nav id="TOC" role="doc-toc" aria-label="On this page">
$table-of-contents$
</nav>
$endif$
$body$
</main>
</body>
</html>
"""


class RenderError(RuntimeError):
    """A page failed to render; the message is pandoc's (the filter's) error."""


def deep_merge(base: dict, extra: dict) -> dict:
    """Merge `extra` into a copy of `base`, recursing into nested mappings."""
    merged = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = deep_merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def load_config(root: Path, profile: str | None) -> dict:
    """_quarto.yml merged with _quarto-{profile}.yml when a profile is given."""
    config = yaml.safe_load((root / "_quarto.yml").read_text(encoding="utf-8")) or {}
    if profile:
        overlay = root / f"_quarto-{profile}.yml"
        if not overlay.exists():
            raise SystemExit(f"render_site: no {overlay.name} for profile '{profile}'")
        config = deep_merge(config, yaml.safe_load(overlay.read_text(encoding="utf-8")) or {})
    return config


def sidebar_entries(contents: list) -> list:
    """Flatten website.sidebar.contents into ("page", path) and ("section", title) items."""
    entries = []
    for item in contents or []:
        if isinstance(item, str):
            entries.append(("page", item))
        elif isinstance(item, dict) and "contents" in item:
            entries.append(("section", item.get("section", "")))
            entries.extend(sidebar_entries(item["contents"]))
        elif isinstance(item, dict) and ("href" in item or "file" in item):
            entries.append(("page", item.get("href") or item.get("file")))
    return entries


def site_pages(root: Path, config: dict) -> list[str]:
    """The .qmd pages the site lists, in sidebar order (index.qmd first if present)."""
    sidebar = config.get("website", {}).get("sidebar", {})
    if isinstance(sidebar, list):
        sidebar = sidebar[0] if sidebar else {}
    pages = [path for kind, path in sidebar_entries(sidebar.get("contents", [])) if kind == "page"]
    if "index.qmd" not in pages and (root / "index.qmd").exists():
        pages.insert(0, "index.qmd")
    return pages


def front_matter(text: str) -> dict:
    match = FRONT_MATTER.match(text)
    if not match:
        return {}
    data = yaml.safe_load(match.group(1))
    return data if isinstance(data, dict) else {}


def preprocess(text: str) -> str:
    """Turn executable-cell fences into class fences pandoc understands."""
    return CELL_FENCE.sub(lambda m: f"{m['indent']}{m['fence']}{{.{m['lang']}{m['rest']}}}", text)


def html_path(page: str) -> str:
    return str(Path(page).with_suffix(".html")).replace(os.sep, "/")


def offset_of(page: str) -> str:
    """Relative path from a page's folder to the site root: '.' or '..' or '../..'."""
    depth = len(Path(page).parts) - 1
    return "/".join([".."] * depth) or "."


def sidebar_html(root: Path, config: dict, current: str) -> str:
    """The navigation listing every page, links relative to `current`."""
    offset = offset_of(current)
    prefix = "" if offset == "." else offset + "/"
    title = config.get("website", {}).get("title", "")
    sidebar = config.get("website", {}).get("sidebar", {})
    items, in_section = [], False
    for kind, value in sidebar_entries(sidebar.get("contents", []) if isinstance(sidebar, dict) else []):
        if kind == "section":
            if in_section:
                items.append("</ul></li>")
            items.append(f'<li class="sidebar-section"><span>{html.escape(value)}</span><ul>')
            in_section = True
            continue
        source = root / value
        label = front_matter(source.read_text(encoding="utf-8")).get("title") if source.exists() else None
        current_attr = ' aria-current="page"' if value == current else ""
        items.append(f'<li><a href="{prefix}{html_path(value)}"{current_attr}>'
                     f'{html.escape(str(label or Path(value).stem))}</a></li>')
    if in_section:
        items.append("</ul></li>")
    return (f'<a class="site-title" href="{prefix}index.html">{html.escape(title)}</a>\n'
            f'<ul class="sidebar-pages">{"".join(items)}</ul>')


def pandoc_binary() -> str:
    import pypandoc
    return pypandoc.get_pandoc_path()


def extension_filters(root: Path, config: dict) -> list[tuple[str, Path]]:
    """(extension name, Lua filter) of each filter in the project's `filters`, in order: an
    extension's name (its manifest lists its filters) or a `path` to a filter inside an extension."""
    found = []
    for entry in config.get("filters", []) or []:
        if isinstance(entry, dict):
            lua = root / entry["path"]
            if not lua.is_file() or lua.parent.parent.name != "_extensions":
                raise RenderError(f"_quarto.yml: filters: expected a filter inside _extensions/NAME/, got {entry['path']}")
            found.append((lua.parent.name, lua))
            continue
        manifest = root / "_extensions" / entry / "_extension.yml"
        if not manifest.is_file():
            raise RenderError(f"_quarto.yml: filters: no extension '{entry}' (expected {manifest})")
        contributes = (yaml.safe_load(manifest.read_text(encoding="utf-8")) or {}).get("contributes", {})
        found += [(entry, manifest.parent / lua) for lua in contributes.get("filters", [])]
    return found


def render_page_with_pandoc(root: Path, site_dir: Path, config: dict, page: str, workdir: Path) -> Path:
    """Render one .qmd page to HTML through the project's filters; raises RenderError."""
    source = root / page
    text = preprocess(source.read_text(encoding="utf-8"))
    offset = offset_of(page)
    prefix = "" if offset == "." else offset + "/"
    html_format = config.get("format", {}).get("html", {}) or {}
    metadata = {
        "site-title": config.get("website", {}).get("title", ""),
        **{name: config.get(name, {}) for name, _ in extension_filters(root, config)},
        "page-offset": offset,
        "page-source": page,
        "project-root": str(root),
        "lang": "en",
    }
    meta_file = workdir / "metadata.json"
    meta_file.write_text(json.dumps(metadata), encoding="utf-8")
    template = workdir / "page.html"
    template.write_text(TEMPLATE, encoding="utf-8")
    target = site_dir / html_path(page)
    target.parent.mkdir(parents=True, exist_ok=True)
    command = [
        pandoc_binary(), "--from=markdown", "--to=html5", "--standalone",
        f"--template={template}", *[f"--lua-filter={lua}" for _, lua in extension_filters(root, config)],
        f"--metadata-file={meta_file}", mathjax_option(html_format, prefix), f"--resource-path={source.parent}",
        f"--variable=sidebar:{sidebar_html(root, config, page)}", "-o", str(target),
    ]
    if html_format.get("toc"):
        command.append("--toc")
    css = html_format.get("css")
    for sheet in [css] if isinstance(css, str) else css or []:
        command.append(f"--css={prefix}{sheet}")
    completed = subprocess.run(command, input=text, text=True, capture_output=True, cwd=source.parent)
    if completed.returncode != 0:
        names = tuple(f"{name}:" for name, _ in extension_filters(root, config))
        reasons = [line for line in completed.stderr.splitlines() if line.startswith(names)]
        raise RenderError(reasons[0] if reasons else f"{page}: {completed.stderr.strip()}")
    target.write_text(QMD_LINK.sub(r'\1.html\2', target.read_text(encoding="utf-8")), encoding="utf-8")
    return target


def mathjax_option(html_format: dict, prefix: str) -> str:
    """pandoc's --mathjax with the project's own MathJax (`html-math-method: url:`), relative to the page."""
    method = html_format.get("html-math-method")
    url = method.get("url") if isinstance(method, dict) else None
    return f"--mathjax={prefix}{url}" if url else "--mathjax"


def copy_runtime(root: Path, site_dir: Path, config: dict) -> None:
    """The pandoc path's copy of each extension's browser files into site_libs/NAME/ (Quarto copies
    them itself)."""
    for name, lua in extension_filters(root, config):
        target = site_dir / "site_libs" / name
        target.mkdir(parents=True, exist_ok=True)
        for file in lua.parent.iterdir():
            if file.is_file() and file.suffix != ".lua" and file.name not in EXTENSION_SOURCES:
                shutil.copy2(file, target / file.name)


def copy_resources(root: Path, site_dir: Path, config: dict) -> None:
    """assets/ plus the project's `resources` globs (wheels, notebooks)."""
    if (root / "assets").is_dir():
        shutil.copytree(root / "assets", site_dir / "assets", dirs_exist_ok=True)
    for pattern in config.get("project", {}).get("resources", []) or []:
        for found in glob.glob(str(root / pattern.lstrip("/")), recursive=True):
            relative = Path(found).relative_to(root)
            (site_dir / relative).parent.mkdir(parents=True, exist_ok=True)
            if Path(found).is_file():
                shutil.copy2(found, site_dir / relative)


def add_offline_folders(site_dir: Path, link: bool = False) -> None:
    """Put the offline profile's own Pyodide into the site (a copy, or a link for tests)."""
    for name, (source, marker) in OFFLINE_FOLDERS.items():
        if not (source / marker).exists():
            raise SystemExit(f"render_site: the offline build needs {source}: run `make mirror`")
        target = site_dir / name
        if link:
            target.symlink_to(source, target_is_directory=True)
        else:
            shutil.copytree(source, target, dirs_exist_ok=True)


def output_dir(root: Path, config: dict, override: Path | None) -> Path:
    return override.resolve() if override else root / config.get("project", {}).get("output-dir", "_site")


def run_project_scripts(root: Path, config: dict, stage: str, site_dir: Path) -> None:
    """Run the project's `pre-render` or `post-render` commands, as Quarto does, with this Python
    (and without Quarto's QUARTO_SHARE_PATH, which tells a script that Quarto renders)."""
    commands = config.get("project", {}).get(stage) or []
    environment = {name: value for name, value in os.environ.items() if name != "QUARTO_SHARE_PATH"}
    environment["QUARTO_PROJECT_OUTPUT_DIR"] = str(site_dir)
    for command in [commands] if isinstance(commands, str) else commands:
        words = command.split()
        if words and words[0] in ("python", "python3"):
            words[0] = sys.executable
        print(f"render_site: {stage}: {command}")
        if subprocess.run(words, cwd=root, env=environment).returncode != 0:
            raise RenderError(f"{stage} command failed: {command}")


def render_with_pandoc(root: Path, profile: str | None, out: Path | None = None) -> Path:
    config = load_config(root, profile)
    site_dir = output_dir(root, config, out)
    run_project_scripts(root, config, "pre-render", site_dir)
    site_dir.mkdir(parents=True, exist_ok=True)
    pages = site_pages(root, config)
    with tempfile.TemporaryDirectory(prefix="render-site-") as work:
        for page in pages:
            if not (root / page).exists():
                print(f"render_site: skipping {page} (not written yet)")
                continue
            target = render_page_with_pandoc(root, site_dir, config, page, Path(work))
            print(f"  {page} -> {target}")
    copy_runtime(root, site_dir, config)
    copy_resources(root, site_dir, config)
    run_project_scripts(root, config, "post-render", site_dir)
    return site_dir


class SiteRequestHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a built site with the types Pyodide needs (application/wasm lets it compile while
    downloading), under the URL path `prefix` ("/" or, as on a GitHub Pages project site, "/REPO/").
    Like a static host or a CDN, it sends text, scripts and WebAssembly gzip-compressed to a
    browser that accepts it (zip archives, wheels and images are compressed already)."""

    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map,
                      ".wasm": "application/wasm", ".js": "text/javascript", ".mjs": "text/javascript"}
    prefix = "/"
    COMPRESSED_SUFFIXES = {".html", ".css", ".js", ".mjs", ".json", ".wasm", ".svg", ".txt", ".py", ".ipynb"}
    compressed = {}   # (path, modification time) -> gzip bytes, shared by all requests

    def send_head(self):
        if not self.path.startswith(self.prefix):
            self.send_error(404, f"not under the site's path {self.prefix}")
            return None
        path = Path(self.translate_path(self.path))
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts_gzip and path.is_file() and path.suffix in self.COMPRESSED_SUFFIXES):
            return super().send_head()
        modified = path.stat().st_mtime
        key = (str(path), modified)
        if key not in self.compressed:
            self.compressed[key] = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        body = self.compressed[key]
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Last-Modified", self.date_time_string(modified))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)

    def translate_path(self, path):
        return super().translate_path("/" + path[len(self.prefix):])


def site_handler(site_dir: Path, prefix: str = "/", handler: type = SiteRequestHandler):
    """A request handler class serving `site_dir` at the URL path `prefix`."""
    if not (prefix.startswith("/") and prefix.endswith("/")):
        raise ValueError(f"the site prefix must start and end with '/', e.g. '/course/'; got {prefix!r}")
    return functools.partial(type("PrefixedHandler", (handler,), {"prefix": prefix}), directory=str(site_dir))


def serve(site_dir: Path, port: int, prefix: str = "/") -> None:
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), site_handler(site_dir, prefix)) as server:
        print(f"Serving {site_dir} at http://127.0.0.1:{port}{prefix} (Ctrl+C stops)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            print("stopped")


def quarto_environment() -> dict:
    """This process's environment with this Python's folder first on PATH.

    Quarto runs the project's `pre-render` command (`python -m tools.chapter_notebooks`)
    with the first `python` on PATH; run from `make site`, that must be the project's
    virtual environment, which has nbformat and PyYAML.
    """
    python_folder = str(Path(sys.executable).parent)
    return dict(os.environ, PATH=os.pathsep.join([python_folder, os.environ.get("PATH", "")]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profile", help="Quarto profile, e.g. 'offline' (engine and wheels served by the site)")
    parser.add_argument("--preview", action="store_true", help="render, then serve _site on localhost")
    parser.add_argument("--port", type=int, default=4848)
    parser.add_argument("--root", type=Path, default=REPO, help="project folder (default: this repo)")
    parser.add_argument("--pandoc", action="store_true", help="use pandoc even when quarto is installed")
    parser.add_argument("--out", type=Path, help="output folder (default: the project's output-dir, _site)")
    args = parser.parse_args(argv)
    root = args.root.resolve()

    quarto = None if args.pandoc else shutil.which("quarto")
    if quarto:
        print(f"render_site: renderer = quarto ({quarto})")
        verb = "preview" if args.preview else "render"
        command = [quarto, verb] + (["--profile", args.profile] if args.profile else [])
        command += ["--port", str(args.port)] if args.preview else []
        command += ["--output-dir", str(args.out.resolve())] if args.out else []
        if subprocess.run(command, cwd=root, env=quarto_environment()).returncode != 0:
            return 1
        site_dir = output_dir(root, load_config(root, args.profile), args.out)
    else:
        print(f"render_site: renderer = pandoc {pandoc_binary()} (quarto not found on PATH)")
        try:
            site_dir = render_with_pandoc(root, args.profile, args.out)
        except RenderError as error:
            print(f"render_site: error: {error}", file=sys.stderr)
            return 1
    if args.profile == "offline":
        add_offline_folders(site_dir)
        print(f"render_site: copied Pyodide to {site_dir / 'pyodide'}")
    print(f"render_site: site written to {site_dir}")
    if args.preview and not quarto:
        serve(site_dir, args.port)
    return 0

