#!/usr/bin/env bash
# Trend-test goldens (fixtures/trend/): seeded synthetic annual series (series.csv) and
# pymannkendall's Mann-Kendall, Hamed-Rao, Yue-Wang and Sen's-slope results on them
# (golden.csv), plus manifest.json (tool versions, command, SHA-256 of inputs and
# goldens).
#
#   validate/trend/run.sh
#
# One venv under target/ (never system-wide), the tools pinned here.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
PY_SYS="${PYTHON:-python3}"
VENV="${RISKCENSUS_VALIDATE_VENV_TREND:-$ROOT/target/validate-venv-trend}"

if [ ! -x "$VENV/bin/python" ]; then
  "$PY_SYS" -m venv "$VENV"
fi
"$VENV/bin/python" -m pip install -q --disable-pip-version-check \
  "numpy==2.2.6" "scipy==1.15.3" "pymannkendall==1.4.3"

"$VENV/bin/python" validate/trend/make_series.py
"$VENV/bin/python" validate/trend/goldens.py
"$VENV/bin/python" validate/trend/make_manifest.py

if ! git diff --quiet -- fixtures/trend 2>/dev/null; then
  echo "note: regenerated goldens differ from the committed ones:" >&2
  git diff --stat -- fixtures/trend >&2
fi
if [ -n "$(git ls-files --others --exclude-standard -- fixtures/trend)" ]; then
  echo "note: new files in fixtures/trend not yet committed:" >&2
  git ls-files --others --exclude-standard -- fixtures/trend >&2
fi
