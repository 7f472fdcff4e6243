#!/usr/bin/env bash
# Set up a fresh machine: the Python venv with pinned packages, Debian's chromium
# for the browser tests, and quarto-cli where its installer can reach its download.
set -euo pipefail
cd "$(dirname "$0")/.."

python3 -m venv .venv
.venv/bin/pip install --quiet --upgrade pip==24.3.1
.venv/bin/pip install --quiet -r requirements.txt

if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "setup: chromium is missing; install Debian's 'chromium' package for the browser tests" >&2
  fi
fi

if command -v quarto >/dev/null; then
  echo "setup: using $(command -v quarto) ($(quarto --version))"
elif timeout 300 .venv/bin/pip install --quiet -r requirements-quarto.txt 2>/dev/null; then
  echo "setup: quarto-cli installed"
else
  echo "setup: quarto-cli could not be installed here; make site will render with pandoc"
fi
