#!/usr/bin/env bash
# Installs what a fresh Debian/Ubuntu machine lacks to build and test RiskCensus:
# GDAL and PROJ (libraries, headers, command-line tools), clang/libclang, pkg-config,
# and the Python GDAL bindings used by `make validate`. Idempotent and quiet when
# everything is present. On a system without apt it stops and names what to install.
set -euo pipefail

pkgs=(libgdal-dev gdal-bin libproj-dev proj-bin clang libclang-dev pkg-config python3-gdal python3-numpy python3-venv)
# Maps and report: a CJK font for the Chinese labels of the maps.
pkgs+=(fonts-noto-cjk)
if [ "${1:-}" = "--with-extra" ]; then shift; pkgs+=("$@"); fi

missing=()
if command -v dpkg-query >/dev/null 2>&1; then
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
else
  for t in gdalinfo gdalwarp pkg-config clang; do command -v "$t" >/dev/null 2>&1 || missing+=("$t"); done
fi

if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    echo "installing system packages: ${missing[*]}" >&2
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "error: this system has no apt-get. Install these with your package manager, then retry:" >&2
    echo "  GDAL >= 3.4 with headers and tools, PROJ >= 8 with headers, clang/libclang, pkg-config" >&2
    echo "  (missing here: ${missing[*]})" >&2
    exit 1
  fi
fi

# Chromium, for the report's real-browser check (the report test fails without it
# when CI is set, and skips with a note otherwise). The policy is read into a variable
# first: piping apt-cache into `grep -q` under `set -o pipefail` fails whenever grep
# exits early, which made this step skip on every machine.
if ! command -v chromium >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  policy="$(apt-cache policy chromium 2>/dev/null || true)"
  if ! grep -q 'Candidate: [0-9]' <<<"$policy"; then
    # Fresh machines start with empty package lists.
    $SUDO apt-get update -qq || true
    policy="$(apt-cache policy chromium 2>/dev/null || true)"
  fi
  if grep -q 'Candidate: [0-9]' <<<"$policy"; then
    echo "installing chromium (report check)" >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null \
      || echo "note: chromium could not be installed; the report's browser check cannot run" >&2
  else
    echo "note: no chromium package in the apt lists; the report's browser check cannot run" >&2
  fi
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "error: no Rust toolchain (cargo) on PATH; install Rust 1.89 or newer (rustup), then retry" >&2
  exit 1
fi

# `make test` also runs rustfmt and clippy.
for tool in rustfmt clippy; do
  cmd=$tool; [ "$tool" = clippy ] && cmd=cargo-clippy
  if ! command -v "$cmd" >/dev/null 2>&1; then
    if command -v rustup >/dev/null 2>&1; then
      echo "installing the $tool component (make test)" >&2
      rustup component add "$tool" >/dev/null
    else
      echo "error: $tool is missing and there is no rustup to add it; install it, then retry" >&2
      exit 1
    fi
  fi
done
