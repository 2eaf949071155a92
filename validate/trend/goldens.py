"""Writes fixtures/trend/golden.csv: pymannkendall's results on fixtures/trend/series.csv.

Tests: original_test, hamed_rao_modification_test (all lags, and lag=3),
yue_wang_modification_test (all lags, and lag=1), sens_slope; alpha 0.05. pymannkendall
drops NaN values before the tests; its sens_slope keeps the original positions (t =
0, 1, ...) of the finite values. Floats are written with repr (round-trip exact).
Also writes the tool part of the manifest under target/.
"""
import csv
import json
import os
import platform
from collections import OrderedDict

import numpy as np
import pymannkendall as mk
import scipy

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIX = os.path.join(ROOT, "fixtures", "trend")
PART = os.path.join(ROOT, "target", "trend_manifest_part.json")
ALPHA = 0.05
FIELDS = ["series", "test", "n", "trend", "h", "p", "z", "tau", "s", "var_s", "slope", "intercept"]


def read_series():
    out = OrderedDict()
    with open(os.path.join(FIX, "series.csv"), newline="") as f:
        for r in csv.DictReader(f):
            out.setdefault(r["series"], []).append(float(r["value"]) if r["value"] else np.nan)
    return {k: np.array(v) for k, v in out.items()}


def num(v):
    return repr(float(v))


def main():
    rows = []
    for name, x in read_series().items():
        n = int(np.sum(~np.isnan(x)))
        tests = [("original", lambda: mk.original_test(x, ALPHA)),
                 ("hamed_rao", lambda: mk.hamed_rao_modification_test(x, ALPHA)),
                 ("yue_wang", lambda: mk.yue_wang_modification_test(x, ALPHA))]
        if n - 1 >= 3:
            tests.append(("hamed_rao_lag3",
                          lambda: mk.hamed_rao_modification_test(x, ALPHA, lag=3)))
        tests.append(("yue_wang_lag1", lambda: mk.yue_wang_modification_test(x, ALPHA, lag=1)))
        for test, f in tests:
            r = f()
            rows.append([name, test, n, r.trend, int(bool(r.h)), num(r.p), num(r.z), num(r.Tau),
                         num(r.s), num(r.var_s), num(r.slope), num(r.intercept)])
        s = mk.sens_slope(x)
        rows.append([name, "sens_slope", n, "", "", "", "", "", "", "", num(s.slope),
                     num(s.intercept)])
    with open(os.path.join(FIX, "golden.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(FIELDS)
        w.writerows(rows)
    os.makedirs(os.path.dirname(PART), exist_ok=True)
    with open(PART, "w") as f:
        json.dump({
            "tool": "pymannkendall",
            "version": mk.__version__,
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "python": platform.python_version(),
            "alpha": ALPHA,
            "command": "python validate/trend/goldens.py (pymannkendall original_test, "
                       "hamed_rao_modification_test with lag=None and lag=3, "
                       "yue_wang_modification_test with lag=None and lag=1, sens_slope)",
        }, f, indent=1)


if __name__ == "__main__":
    main()
