#!/usr/bin/env bash
# Wildfire / FWI validation: regenerate the xclim goldens under fixtures/wildfire/,
# then run the Rust tests that compare against them and against the Van Wagner &
# Pickett (1985) test table (figures printed with --nocapture).
#
#   validate/wildfire/run.sh
#
# Needs python3 with venv; xclim (pinned) is installed into a venv under target/.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
PY_SYS="${PYTHON:-python3}"
VENV="${RISKCENSUS_VALIDATE_VENV_WILDFIRE:-$ROOT/target/validate-venv-wildfire}"
if [ ! -x "$VENV/bin/python" ]; then
  "$PY_SYS" -m venv --system-site-packages "$VENV"
fi
# Pinned peer (version recorded in fixtures/wildfire/xclim_manifest.json).
"$VENV/bin/python" -m pip install -q "xclim==0.62.0"

"$VENV/bin/python" -W ignore validate/wildfire/make_goldens.py
if ! git diff --quiet -- fixtures/wildfire 2>/dev/null; then
  echo "note: regenerated goldens differ from the committed ones:" >&2
  git diff --stat -- fixtures/wildfire >&2
fi
cargo test -p riskcensus-models --test wildfire_fwi -- --nocapture --test-threads=1
