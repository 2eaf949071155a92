#!/usr/bin/env python3
"""Speed of the zonal stage against peers on the same data, ratios from one run.

Data (written under target/zoning-compare/, fixed formulas, float32, NaN nodata,
EPSG:4548 over the demo county's extent):
- zonal.tif: 30 m cells, 880 x 1147 (~1.0 M cells);
- jenks.tif: 10 m cells, 2640 x 3440 (~9.1 M cells), skewed values in [0, 1).
Polygons: the 12 townships of fixtures/demo-small/survey/admin.gpkg.

Timed (best of --reps runs each, wall clock):
- exactextract.exact_extract(zonal.tif, townships, count/sum/mean/min/max) vs
  RiskCensus zonal_stats (fraction rule, reading the raster through GDAL);
- mapclassify.FisherJenksSampled(values, k=5) with its defaults (a 10 % random
  sample, truncated to 1000 values) on the values already in memory vs RiskCensus
  exact Jenks on the full population, reading jenks.tif through GDAL.
"""
import argparse
import json
import subprocess
import time
from pathlib import Path

import exactextract
import mapclassify
import numpy as np
from osgeo import gdal, ogr, osr

gdal.UseExceptions()
ROOT = Path(__file__).resolve().parents[2]
ADMIN = ROOT / "fixtures" / "demo-small" / "survey" / "admin.gpkg"


def write(path, rows, cols, cell, arr):
    if path.exists():
        return
    ds = gdal.GetDriverByName("GTiff").Create(str(path), cols, rows, 1, gdal.GDT_Float32,
                                              options=["TILED=YES", "COMPRESS=DEFLATE"])
    ds.SetGeoTransform((484400.0, cell, 0.0, 4019800.0, 0.0, -cell))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4548)
    ds.SetProjection(srs.ExportToWkt())
    b = ds.GetRasterBand(1)
    b.SetNoDataValue(float("nan"))
    b.WriteRaster(0, 0, cols, rows, np.ascontiguousarray(arr).tobytes())
    ds = None


def zonal_values(rows, cols):
    r, c = np.meshgrid(np.arange(rows), np.arange(cols), indexing="ij")
    v = (((3 * r * r + 7 * c + r * c) % 1009) / 1009.0).astype(np.float32)
    v[(7 * r + 13 * c) % 97 == 0] = np.nan
    return v


def jenks_values(rows, cols):
    rng = np.random.Generator(np.random.PCG64(7))
    v = (rng.random((rows, cols)) ** 3).astype(np.float32)
    v[rng.random((rows, cols)) < 0.01] = np.nan
    return v


def best(reps, f):
    t = float("inf")
    out = None
    for _ in range(reps):
        t0 = time.perf_counter()
        out = f()
        t = min(t, time.perf_counter() - t0)
    return t, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--reps", type=int, default=3)
    a = ap.parse_args()
    work = ROOT / "target" / "zoning-compare"
    work.mkdir(parents=True, exist_ok=True)
    zr, zc = 880, 1147
    jr, jc = 2640, 3440
    zv = zonal_values(zr, zc)
    jv = jenks_values(jr, jc)
    write(work / "zonal.tif", zr, zc, 30.0, zv)
    write(work / "jenks.tif", jr, jc, 10.0, jv)

    ours = json.loads(subprocess.run([a.bin, str(work / "jenks.tif"), str(work / "zonal.tif"), str(ADMIN),
                                      "townships", str(a.reps)], check=True, capture_output=True, text=True).stdout)

    def ee():
        # Opening the layer is timed too, as on our side.
        src = ogr.Open(str(ADMIN))
        lyr = src.GetLayerByName("townships")
        return exactextract.exact_extract(str(work / "zonal.tif"), lyr, ["count", "sum", "mean", "min", "max"],
                                          include_cols=["code"], output="geojson")
    t_ee, res = best(a.reps, ee)
    ee_sum = {f["properties"]["code"]: f["properties"]["sum"] for f in res}
    worst = max(abs(z["sum"] - ee_sum[z["id"]]) / abs(ee_sum[z["id"]]) for z in ours["zonal"])

    valid = jv[~np.isnan(jv)].astype(np.float64)
    t_mc, fj = best(a.reps, lambda: mapclassify.FisherJenksSampled(valid, k=5))

    print(f"zonal statistics, 12 townships over {zr * zc} cells (30 m):")
    print(f"  exactextract {exactextract.__version__}: {t_ee * 1e3:.1f} ms   riskcensus: {ours['zonal_s'] * 1e3:.1f} ms"
          f"   ratio exactextract/riskcensus = {t_ee / ours['zonal_s']:.2f}x   (worst relative sum difference {worst:.1e})")
    print(f"natural breaks K=5 on {jr * jc} cells (10 m):")
    print(f"  mapclassify {mapclassify.__version__} FisherJenksSampled (1000-value sample, data in memory): {t_mc * 1e3:.1f} ms"
          f"   riskcensus exact Jenks (full population, read from disk): {ours['jenks_s'] * 1e3:.1f} ms"
          f"   ratio = {t_mc / ours['jenks_s']:.1f}x")
    print(f"  breaks: riskcensus {[round(b, 4) for b in ours['jenks_bounds']]}  mapclassify sample {[round(float(b), 4) for b in fj.bins]}")


if __name__ == "__main__":
    main()
