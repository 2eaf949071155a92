"""Writes fixtures/trend/manifest.json: tool versions and command (from the part
goldens.py left under target/) plus the SHA-256 of the input series and the goldens."""
import hashlib
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIX = os.path.join(ROOT, "fixtures", "trend")


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    with open(os.path.join(ROOT, "target", "trend_manifest_part.json")) as f:
        part = json.load(f)
    man = {
        "about": "Independent goldens of the Mann-Kendall family of trend tests and Sen's "
                 "slope; regenerate with validate/trend/run.sh",
        "inputs_generated_by": "validate/trend/make_series.py (numpy PCG64, one fixed seed "
                               "per series)",
        "inputs_sha256": {"series.csv": sha256(os.path.join(FIX, "series.csv"))},
        "goldens": part,
        "goldens_sha256": {"golden.csv": sha256(os.path.join(FIX, "golden.csv"))},
        "script": "validate/trend/goldens.py",
        "nan_rule": "pymannkendall drops NaN values before S, Var(S) and the autocorrelation "
                    "corrections; sens_slope keeps the positions of the finite values",
    }
    with open(os.path.join(FIX, "manifest.json"), "w") as f:
        json.dump(man, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
