#!/usr/bin/env bash
# Earthquake validation: ground-motion medians and sigmas from the OpenQuake hazard
# library (fixtures/earthquake/gmm_golden.csv), then the Rust tests that demand
# agreement within 1 % (Yu et al. 2013, Boore et al. 2014) or within 1e-3 in ln
# median and 1e-3 relative in sigma (ASK14, CB14, CY14); max errors per model and
# IMT printed with --nocapture.
#
#   validate/earthquake/run.sh
#
# Needs the system python3 with venv; the packages below are installed into a venv
# under target/ (never system-wide). openquake-engine is installed without its
# dependency list (which pulls GDAL Python bindings built against a newer libgdal
# than Debian's and a web stack the hazard library does not import); the
# libraries that openquake.hazardlib imports are pinned here instead.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
PY_SYS="${PYTHON:-python3}"
VENV="${RISKCENSUS_VALIDATE_VENV_EQ:-$ROOT/target/validate-venv-earthquake}"

if [ ! -x "$VENV/bin/python" ]; then
  "$PY_SYS" -m venv --system-site-packages "$VENV"
fi
PIP=("$VENV/bin/python" -m pip install -q --disable-pip-version-check)
"${PIP[@]}" "numpy==2.2.6" "scipy==1.15.3" "pandas==2.2.3" "h5py==3.13.0" "numba==0.61.2" \
  "pyproj==3.7.2" "shapely==2.1.1" "toml==0.10.2" "decorator==5.1.1" "psutil==7.0.0" \
  "h3==4.4.1" "alpha_shapes==1.1.0" "pyzmq==26.0.3" "requests==2.32.3"
"${PIP[@]}" --only-binary=:all: "fiona==1.10.1"
"${PIP[@]}" --no-deps "openquake-engine==3.26.2"

"$VENV/bin/python" validate/earthquake/make_goldens.py
if ! git diff --quiet -- fixtures/earthquake 2>/dev/null; then
  echo "note: regenerated goldens differ from the committed ones:" >&2
  git diff --stat -- fixtures/earthquake >&2
fi
cargo test -p riskcensus-models --test earthquake_gmm -- --nocapture
