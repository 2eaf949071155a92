#!/usr/bin/env bash
# Zonal statistics vs exactextract and exact Jenks vs mapclassify.FisherJenksSampled
# on the same rasters, ratios from one run (see compare.py).
#
#   benches/zoning/compare.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
VENV="${RISKCENSUS_VALIDATE_VENV_ZONING:-$ROOT/target/validate-venv-zoning}"
if [ ! -x "$VENV/bin/python" ]; then
  /usr/bin/python3 -m venv --system-site-packages "$VENV"
fi
"$VENV/bin/python" -m pip install -q "mapclassify==2.10.0" "exactextract==0.3.0" "numpy==1.26.4"
cargo build -q --release -p riskcensus-engine --example zoning_speed
BIN="${CARGO_TARGET_DIR:-$ROOT/target}/release/examples/zoning_speed"
"$VENV/bin/python" benches/zoning/compare.py --bin "$BIN" "$@"
