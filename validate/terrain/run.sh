#!/usr/bin/env bash
# Terrain/hydrology validation: regenerate goldens with independent tools, then run
# the Rust tests that assert agreement with them (figures printed with --nocapture).
#
#   validate/terrain/run.sh            # goldens + assertions
#   validate/terrain/run.sh --speed    # also time against gdaldem and RichDEM
#
# Needs: gdaldem and the GDAL Python bindings of the system Python
# (apt: gdal-bin python3-gdal python3-numpy python3-venv), the Python package registry for richdem-fork and
# pyflwdir (installed into a venv under target/, never system-wide).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
PY_SYS="${PYTHON_GDAL:-/usr/bin/python3}"
VENV="${RISKCENSUS_VALIDATE_VENV:-$ROOT/target/validate-venv}"

command -v gdaldem >/dev/null || { echo "gdaldem not found: apt-get install gdal-bin" >&2; exit 1; }
"$PY_SYS" -c "import osgeo, numpy" 2>/dev/null || {
  echo "$PY_SYS lacks GDAL bindings: apt-get install python3-gdal python3-numpy" >&2; exit 1; }
if [ ! -x "$VENV/bin/python" ]; then
  "$PY_SYS" -m venv --system-site-packages "$VENV"
fi
# Pinned peers (versions recorded in fixtures/terrain/golden/manifest.json).
"$VENV/bin/python" -m pip install -q "richdem-fork==3.0.0" "pyflwdir==0.5.12"

"$VENV/bin/python" validate/terrain/make_goldens.py
if ! git diff --quiet -- fixtures/terrain 2>/dev/null; then
  echo "note: regenerated goldens differ from the committed ones:" >&2
  git diff --stat -- fixtures/terrain >&2
fi
cargo test -p riskcensus-kernels --release --test golden -- --nocapture --test-threads=1

if [ "${1:-}" = "--speed" ]; then
  "$VENV/bin/python" validate/terrain/compare_speed.py "${@:2}"
fi
