#!/usr/bin/env python3
"""|Δ| between two single-band float rasters on the same grid (e.g. fwi_p90.tif of
the weather lattice against the per-cell run): cells, max, mean, 99th percentile,
cells with |Δ| > 0.5, nodata mismatches, and the range of the first raster.

Usage: compare_grids.py REFERENCE.tif OTHER.tif
Needs gdal_translate (GDAL command-line tools) on PATH; no Python GDAL bindings.
"""
import math
import os
import subprocess
import sys
import tempfile


def xyz(path, out):
    subprocess.run(["gdal_translate", "-q", "-of", "XYZ", path, out], check=True)


def main(ref, other):
    with tempfile.TemporaryDirectory() as d:
        a, b = os.path.join(d, "a.xyz"), os.path.join(d, "b.xyz")
        xyz(ref, a)
        xyz(other, b)
        ds, mismatch, lo, hi = [], 0, math.inf, -math.inf
        with open(a) as fa, open(b) as fb:
            for la, lb in zip(fa, fb):
                xa, ya, va = la.split()
                xb, yb, vb = lb.split()
                if (xa, ya) != (xb, yb):
                    sys.exit(f"grids differ at {xa},{ya} vs {xb},{yb}")
                va, vb = float(va), float(vb)
                if math.isnan(va) or math.isnan(vb):
                    mismatch += math.isnan(va) != math.isnan(vb)
                    continue
                ds.append(abs(va - vb))
                lo, hi = min(lo, va), max(hi, va)
    n = len(ds)
    if n == 0:
        sys.exit("no valid cell in common")
    ds.sort()
    print(
        f"cells {n}  max |Δ| {ds[-1]:.4f}  mean |Δ| {sum(ds) / n:.5f}  "
        f"p99 |Δ| {ds[int(0.99 * (n - 1))]:.4f}  cells |Δ| > 0.5: {sum(d > 0.5 for d in ds)}  "
        f"nodata mismatches {mismatch}  reference range {lo:.2f}..{hi:.2f}"
    )


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
