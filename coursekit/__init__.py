"""The course's shared build and test code, imported by the thin command-line verbs in tools/,
by the tests and by the benchmarks (bench/).

| module | holds |
|---|---|
| `chapters` | a chapter's cells as the pycells filter plans them, the harness's run order, the notebooks |
| `engines` | running planned cells in CPython and in Pyodide (Node, the page's engine), through the extension's hosts |
| `website` | the site's config and pages, the pandoc fallback renderer, Quarto's invocation, serving a site |
| `wheel` | the pylib wheel: where it lives, building it reproducibly, whether it is stale |
| `mnist_files` | reading the original MNIST IDX files and writing data/mnist.npz |
| `mirrors` | fetching pinned files into a local mirror (Pyodide, MathJax, test wheels) |
| `pylib_in_pyodide` | pylib's own tests run inside Pyodide against the installed wheel |
"""
