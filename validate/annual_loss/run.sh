#!/usr/bin/env bash
# Expected-annual-loss goldens (fixtures/annual_loss/):
#   earthquake  OpenQuake engine classical_damage + classical_risk on the GB 18306-2015
#               four-level hazard curve (eq_oq_golden.csv), with a scipy quadrature
#               reference (eq_quad_golden.csv);
#   flood EAD   CLIMADA ImpactCalc on the depth-damage curves (flood_ead_golden.csv,
#               flood_event_golden.csv);
#   mortality   Jonkman remaining-zone function, scipy (flood_mortality_golden.csv);
# plus manifest.json (tool versions, commands, SHA-256 of inputs and goldens).
#
#   validate/annual_loss/run.sh
#
# Two venvs under target/ (never system-wide), because OpenQuake pins numpy 2.2 and
# CLIMADA's dependency set wants newer numpy/pandas:
#  * the OpenQuake one follows validate/earthquake/run.sh: openquake-engine without its
#    dependency list (GDAL Python bindings newer than Debian's libgdal), the libraries
#    it imports pinned here; `oq engine --run` also imports geopandas and django;
#  * the CLIMADA one installs climada without its dependency list and the pinned
#    validate/annual_loss/climada-requirements.txt (a freeze of a working venv less
#    climada and gdal); the GDAL Python bindings are built for Debian's libgdal.
# The OpenQuake runs use a datastore and db under target/annual_loss_oq/ (no server).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
PY_SYS="${PYTHON:-python3}"
VENV_OQ="${RISKCENSUS_VALIDATE_VENV_AAL:-$ROOT/target/validate-venv-annual-loss}"
VENV_CL="${RISKCENSUS_VALIDATE_VENV_CLIMADA:-$ROOT/target/validate-venv-climada}"

if [ ! -x "$VENV_OQ/bin/python" ]; then
  "$PY_SYS" -m venv --system-site-packages "$VENV_OQ"
fi
PIP=("$VENV_OQ/bin/python" -m pip install -q --disable-pip-version-check)
"${PIP[@]}" "numpy==2.2.6" "scipy==1.15.3" "pandas==2.2.3" "h5py==3.13.0" "numba==0.61.2" \
  "pyproj==3.7.2" "shapely==2.1.1" "toml==0.10.2" "decorator==5.1.1" "psutil==7.0.0" \
  "h3==4.4.1" "alpha_shapes==1.1.0" "pyzmq==26.0.3" "requests==2.32.3" \
  "geopandas==1.1.4" "pyogrio==0.13.0" "django==4.2.23" "django-cors-headers==4.3.1"
"${PIP[@]}" --only-binary=:all: "fiona==1.10.1"
"${PIP[@]}" --no-deps "openquake-engine==3.26.2"

if [ ! -x "$VENV_CL/bin/python" ]; then
  "$PY_SYS" -m venv "$VENV_CL"
fi
PIPC=("$VENV_CL/bin/python" -m pip install -q --disable-pip-version-check)
"${PIPC[@]}" -r validate/annual_loss/climada-requirements.txt
"${PIPC[@]}" --no-deps "climada==6.1.0"
# climada imports osgeo at import time (night-light exposures): the GDAL bindings are
# built from source for the system libgdal (libgdal-dev, scripts/install-deps.sh)
# against the venv's numpy, once.
if ! "$VENV_CL/bin/python" -c "from osgeo import gdal, gdal_array" 2>/dev/null; then
  "${PIPC[@]}" "wheel==0.45.1" "setuptools==65.5.0"
  "${PIPC[@]}" --no-cache-dir --force-reinstall --no-deps --no-build-isolation \
    "gdal==$(gdal-config --version)"
fi

"$VENV_OQ/bin/python" validate/annual_loss/make_inputs.py
"$VENV_OQ/bin/python" validate/annual_loss/eq_openquake.py
"$VENV_CL/bin/python" validate/annual_loss/flood_climada.py
"$VENV_OQ/bin/python" validate/annual_loss/flood_mortality.py
"$VENV_OQ/bin/python" validate/annual_loss/make_manifest.py

if ! git diff --quiet -- fixtures/annual_loss 2>/dev/null; then
  echo "note: regenerated goldens differ from the committed ones:" >&2
  git diff --stat -- fixtures/annual_loss >&2
fi
if [ -n "$(git ls-files --others --exclude-standard -- fixtures/annual_loss)" ]; then
  echo "note: new files in fixtures/annual_loss not yet committed:" >&2
  git ls-files --others --exclude-standard -- fixtures/annual_loss >&2
fi
