#!/usr/bin/env python3
"""Golden class breaks from independent implementations (issue 9 item 1).

Samples (seeded numpy Generator PCG64, written as raw little-endian float32 with NaN
as nodata to fixtures/zoning/breaks/<name>.f32): skewed distributions with ties.
For each sample and class count K the golden file breaks.json records

- jenks: natural breaks on the quantised population q = floor(v/step + 0.5), values
  q*step (float64), computed by jenkspy (C, exact O(k n^2) Fisher-Jenks) and, for the
  small sample, also by mapclassify.FisherJenks (pure Python); given as the K class
  upper bounds (jenkspy's list without its leading minimum);
- jenks_raw: for each quantised bound, the largest raw value whose quantised value
  does not exceed it (what RiskCensus reports as the bound);
- quantile: numpy.quantile(v as float64, i/K, method="linear") (Hyndman-Fan type 7)
  for i < K, then the maximum;
- equal: mapclassify.EqualInterval(v as float64, K).bins.

Run through validate/zoning/run.sh.
"""
import json
import sys
from pathlib import Path

import jenkspy
import mapclassify
import numpy as np

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "fixtures" / "zoning" / "breaks"


def samples():
    rng = np.random.Generator(np.random.PCG64(20240917))
    n = 5000
    out = []
    v = rng.lognormal(0.0, 1.0, n)
    out.append(("lognormal", v, 1e-3, [5, 4]))
    v = rng.beta(0.5, 3.0, n)
    v[rng.choice(n, 150, replace=False)] = np.nan
    out.append(("beta_nodata", v, 1e-4, [5, 4]))
    a = rng.exponential(0.05, n)
    b = 0.5 + rng.exponential(0.2, n)
    v = np.where(rng.random(n) < 0.7, a, b)
    out.append(("exp_mixture", v, 1e-4, [5, 4]))
    v = np.round(rng.lognormal(0.5, 0.8, n) * 4.0) / 4.0  # on a 0.25 lattice: many ties
    out.append(("ties", v, 0.01, [5, 4]))
    v = rng.beta(2.0, 5.0, 600)
    out.append(("small_beta", v, 1e-4, [5, 4]))
    return out


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    gold = {
        "tools": {
            "jenkspy": jenkspy.__version__ if hasattr(jenkspy, "__version__") else "0.4.1",
            "mapclassify": mapclassify.__version__,
            "numpy": np.__version__,
        },
        "quantisation": "q = floor(float64(v) / step + 0.5); quantised value = q * step",
        "samples": [],
    }
    for name, v, step, ks in samples():
        v32 = v.astype("<f4")
        v32.tofile(OUT / f"{name}.f32")
        x = v32[~np.isnan(v32)].astype(np.float64)
        q = np.floor(x / step + 0.5)
        xq = q * step
        entry = {"name": name, "file": f"{name}.f32", "n": int(v32.size),
                 "valid": int(x.size), "step": step, "distinct": int(np.unique(q).size),
                 "k": {}}
        for k in ks:
            jb = jenkspy.jenks_breaks(xq, n_classes=k)
            jenks = [float(b) for b in jb[1:]]
            raw = [float(x[xq <= b].max()) for b in jenks]
            probs = np.array([i / k for i in range(1, k)], dtype=np.float64)
            quant = [float(t) for t in np.quantile(x, probs, method="linear")] + [float(x.max())]
            equal = [float(b) for b in mapclassify.EqualInterval(x, k=k).bins]
            e = {"jenks": jenks, "jenks_raw": raw, "quantile": quant, "equal": equal}
            if x.size <= 1000:
                fj = mapclassify.FisherJenks(xq, k=k)
                e["jenks_mapclassify"] = [float(b) for b in fj.bins]
            entry["k"][str(k)] = e
            print(f"{name} k={k}: jenks {jenks}", file=sys.stderr)
        gold["samples"].append(entry)
    (OUT / "breaks.json").write_text(json.dumps(gold, indent=1) + "\n")


if __name__ == "__main__":
    main()
