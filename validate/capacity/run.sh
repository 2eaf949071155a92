#!/usr/bin/env bash
# Capacity goldens (fixtures/capacity/):
#   road network  networkx shortest paths on a generated network: multi-source travel
#                 minutes (network_golden.csv) and lengths within a cutoff
#                 (lengths_golden.csv);
#   2SFCA         PySAL access two_stage_fca on a 40 x 30 grid with 8 shelters
#                 (two_sfca_golden.csv);
# plus manifest.json (tool versions, commands, SHA-256 of inputs and goldens); then the
# Rust tests that compare against them (figures printed with --nocapture).
#
#   validate/capacity/run.sh
#
# Needs python3 with venv; networkx and access (with the geopandas, pandas and numpy it
# imports) come from the Python package registry into a venv under target/, never
# system-wide, at the versions pinned here (and recorded in the manifest).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
PY_SYS="${PYTHON:-python3}"
VENV="${RISKCENSUS_VALIDATE_VENV_CAPACITY:-$ROOT/target/validate-venv-capacity}"
if [ ! -x "$VENV/bin/python" ]; then
  "$PY_SYS" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --disable-pip-version-check \
  "networkx==3.6.1" "access==1.1.10.post3" "numpy==2.4.6" "pandas==3.1.1" \
  "geopandas==1.2.0" "shapely==2.2.0" "pyogrio==0.13.0" "pyproj==3.7.2" "scipy==1.17.1" \
  "packaging==26.4" "python-dateutil==4.0.0" "tzdata==2026.6" "certifi==2026.10.19.post1"

mkdir -p target/capacity fixtures/capacity
"$VENV/bin/python" validate/capacity/make_network_golden.py
"$VENV/bin/python" validate/capacity/make_two_sfca_golden.py
"$VENV/bin/python" validate/capacity/make_manifest.py

if ! git diff --quiet -- fixtures/capacity 2>/dev/null; then
  echo "note: regenerated goldens differ from the committed ones:" >&2
  git diff --stat -- fixtures/capacity >&2
fi
if [ -n "$(git ls-files --others --exclude-standard -- fixtures/capacity)" ]; then
  echo "note: new files in fixtures/capacity not yet committed:" >&2
  git ls-files --others --exclude-standard -- fixtures/capacity >&2
fi
cargo test -p riskcensus-models --test capacity -- --nocapture
