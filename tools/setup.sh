#!/usr/bin/env bash
# Set up a fresh machine: the Python venv with pinned packages, the three browser engines of the
# browser tests (Debian's chromium, firefox-esr, webkit2gtk-driver), and Quarto.
#   usage: tools/setup.sh QUARTO_PREFIX   (where to install Quarto when none is on PATH)
# Quarto, in this order: a `quarto` already on PATH (an instructor's own install); else
# ../shared/quarto/install-quarto.sh, which builds a real Quarto 1.6.42 from its sources where
# Quarto's own installer cannot download (as on our CI machines); else the quarto-cli package
# of requirements-quarto.txt, whose install downloads Quarto's binary.
set -euo pipefail
cd "$(dirname "$0")/.."
QUARTO_PREFIX=${1:?usage: tools/setup.sh QUARTO_PREFIX}
SHARED_INSTALLER=../shared/quarto/install-quarto.sh

python3 -m venv .venv
.venv/bin/pip install --quiet --upgrade pip==24.3.1
.venv/bin/pip install --quiet -r requirements.txt

# the browser tests' three engines, from Debian: chromium, firefox-esr, and WebKitGTK's
# MiniBrowser with WebKitWebDriver (webkit2gtk-driver), which needs a virtual screen (xvfb)
ENGINE_PACKAGES=(chromium firefox-esr webkit2gtk-driver xvfb)
ENGINE_FILES=(/usr/bin/chromium /usr/bin/firefox-esr /usr/bin/WebKitWebDriver /usr/bin/Xvfb)
absent=()
for i in "${!ENGINE_FILES[@]}"; do
  [ -e "${ENGINE_FILES[$i]}" ] || absent+=("${ENGINE_PACKAGES[$i]}")
done
if [ ${#absent[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${absent[@]}" >/dev/null
  else
    echo "setup: missing for the browser tests: ${absent[*]} (install these Debian packages)" >&2
  fi
fi

export PATH="$QUARTO_PREFIX/bin:$PATH"
if command -v quarto >/dev/null; then
  echo "setup: using $(command -v quarto) ($(quarto --version))"
elif [ -f "$SHARED_INSTALLER" ]; then
  bash "$SHARED_INSTALLER" "$QUARTO_PREFIX"
elif timeout 300 .venv/bin/pip install --quiet -r requirements-quarto.txt 2>/dev/null; then
  echo "setup: quarto-cli installed"
else
  echo "setup: Quarto could not be installed here; make site will render with pandoc" \
       "(install Quarto 1.6 or newer from quarto.org for the authoritative render)" >&2
fi

# axe-core for the accessibility tests (and the JS build tools), as package-lock.json pins them
npm ci --no-audit --no-fund
