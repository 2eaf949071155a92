#!/usr/bin/env bash
# Zoning validation: regenerate goldens with independent tools, then run the Rust
# tests that assert agreement with them.
#
#   validate/zoning/run.sh
#
# Peers (installed into a venv under target/, never system-wide; versions recorded in
# the goldens): jenkspy and mapclassify (natural breaks, equal interval), numpy
# (quantiles), exactextract (zonal statistics); GDAL's Python bindings of the system
# Python (apt: python3-gdal python3-numpy python3-venv) for the rasters and the
# cell-centre rasterization (numpy is pinned below 2 because the system GDAL numpy
# bridge, which exactextract uses, is built for numpy 1.x). mapclassify is pinned to 2.10.0, the last release that
# supports the system Python 3.11 (2.11.0 needs Python ≥ 3.12).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
PY_SYS="${PYTHON_GDAL:-/usr/bin/python3}"
VENV="${RISKCENSUS_VALIDATE_VENV_ZONING:-$ROOT/target/validate-venv-zoning}"

"$PY_SYS" -c "import osgeo, numpy" 2>/dev/null || {
  echo "$PY_SYS lacks GDAL bindings: apt-get install python3-gdal python3-numpy" >&2; exit 1; }
if [ ! -x "$VENV/bin/python" ]; then
  "$PY_SYS" -m venv --system-site-packages "$VENV"
fi
"$VENV/bin/python" -m pip install -q "mapclassify==2.10.0" "jenkspy==0.4.1" "exactextract==0.3.0" "numpy==1.26.4"

"$VENV/bin/python" validate/zoning/make_breaks_goldens.py
if [ -f validate/zoning/make_zonal_goldens.py ]; then
  "$VENV/bin/python" validate/zoning/make_zonal_goldens.py
fi
if ! git diff --quiet -- fixtures/zoning 2>/dev/null; then
  echo "note: regenerated goldens differ from the committed ones:" >&2
  git diff --stat -- fixtures/zoning >&2
fi
cargo test -p riskcensus-zoning --test golden -- --nocapture
