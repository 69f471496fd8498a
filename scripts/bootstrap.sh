#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# bootstrap.sh [--relay-only]: installs the Debian packages (12 or later) Switchboard needs to
# build, run and test, and the interop test's node modules. --relay-only installs only what
# switchboard-relay's build (-DSWITCHBOARD_CONSOLE=OFF) and its tests need: no Qt Widgets, Charts,
# Svg, Linguist, QtKeychain, X server or fuzzing toolchain. Idempotent: prints nothing and does
# nothing when everything is present.
set -euo pipefail

relay_only=0
for arg in "$@"; do
  case $arg in
    --relay-only) relay_only=1 ;;
    -h|--help) sed -n '3,7p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "bootstrap: unknown argument '$arg' (try --help)" >&2; exit 2 ;;
  esac
done

# switchboard-relay: compiler and build tools, Qt Core/Network/WebSockets/HttpServer (the admin
# listener)/Test, hiredis, and for the tests redis-server, redis-sentinel (the Sentinel fixture),
# openssl (the test PKI), python3 (scripts/check-structure.py), node, chromium for the browser
# test, and prometheus for promtool (tst_adminserver checks /metrics with it).
RELAY_PACKAGES=(
  build-essential cmake ninja-build pkg-config git python3
  qt6-base-dev qt6-base-dev-tools qt6-websockets-dev qt6-httpserver-dev
  libhiredis-dev redis-server redis-sentinel redis-tools openssl
  nodejs npm chromium prometheus
  ccache
)
# The console on top: widgets, charts, the SVG icon, translations, the keychain, screenshots
# under Xvfb, and clang for the fuzzers.
CONSOLE_PACKAGES=(
  qt6-qpa-plugins libgl-dev
  qt6-charts-dev libqt6opengl6-dev qt6-svg-dev
  qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n
  qtkeychain-qt6-dev
  xvfb xauth imagemagick
  clang libclang-rt-dev
)
PACKAGES=("${RELAY_PACKAGES[@]}")
((relay_only)) || PACKAGES+=("${CONSOLE_PACKAGES[@]}")

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# node/npm may come from outside Debian (nodesource); accept whatever works.
if command -v node >/dev/null && command -v npm >/dev/null; then
  filtered=()
  for p in "${missing[@]}"; do
    [[ $p == nodejs || $p == npm ]] || filtered+=("$p")
  done
  missing=("${filtered[@]}")
fi

if ((${#missing[@]})); then
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then SUDO="sudo"; fi
  echo "bootstrap: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq >/dev/null
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  # Only promtool is wanted from prometheus: on a systemd machine the package also enables and
  # starts a Prometheus server on port 9090, which this bootstrap did not ask for.
  if [[ " ${missing[*]} " == *" prometheus "* && -d /run/systemd/system ]]; then
    $SUDO systemctl disable --now prometheus >/dev/null 2>&1 || true
  fi
fi

# The interop test drives the relay with Node's `ws`, pinned in tests/interop/package-lock.json.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
if [[ ! -d $root/tests/interop/node_modules/ws ]]; then
  echo "bootstrap: installing tests/interop node modules" >&2
  (cd "$root/tests/interop" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
# The browser test drives Debian's chromium with puppeteer-core, pinned in tests/browser/package-lock.json.
if [[ ! -d $root/tests/browser/node_modules/puppeteer-core ]]; then
  echo "bootstrap: installing tests/browser node modules" >&2
  (cd "$root/tests/browser" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
