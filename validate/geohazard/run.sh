#!/usr/bin/env bash
# Geohazard susceptibility validation: regenerate the sample table and goldens with
# numpy and scikit-learn (unpenalised LogisticRegression, roc_auc_score), then run
# the Rust tests that assert agreement (figures printed with --nocapture).
#
#   validate/geohazard/run.sh
#
# Needs: python3 with venv and numpy (apt: python3-venv python3-numpy); scikit-learn
# comes from the Python package registry into a venv under target/.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
PY_SYS="${PYTHON:-python3}"
VENV="${RISKCENSUS_VALIDATE_VENV_GEOHAZARD:-$ROOT/target/validate-venv-geohazard}"
if [ ! -x "$VENV/bin/python" ]; then
  "$PY_SYS" -m venv --system-site-packages "$VENV"
fi
# Pinned peers (versions recorded in fixtures/geohazard/golden.json).
"$VENV/bin/python" -m pip install -q "numpy==2.4.6" "scikit-learn==1.9.1"

"$VENV/bin/python" validate/geohazard/make_goldens.py
if ! git diff --quiet -- fixtures/geohazard 2>/dev/null; then
  echo "note: regenerated goldens differ from the committed ones:" >&2
  git diff --stat -- fixtures/geohazard >&2
fi
cargo test -p riskcensus-models --test geohazard_golden -- --nocapture
