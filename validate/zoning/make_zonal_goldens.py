#!/usr/bin/env python3
"""Golden zonal statistics from exactextract and GDAL (issue 9 items 4 and 8).

Fixture (fixtures/zoning/zonal/):
- value.tif: float32 EPSG:4548 grid, 150 m cells, north-west corner
  (484 637.3, 4 019 411.7) — off the township extent's lattice, clipping its north and
  west sides so some townships lie partly outside — 170 rows x 222 cols, values
  v(r, c) = float32(((3r^2 + 7c + rc) mod 1009) / 1009 * 0.5 + r / 170 * 0.5)
  computed in float64, NaN (nodata) where (7r + 13c) mod 97 == 0;
- level.tif: uint8 levels of value.tif with upper bounds 0.2, 0.4, 0.6, 0.8 (level
  5 = lowest ... 1 = highest; 0 = nodata);
- townships.json: the 12 township polygons of fixtures/demo-small/survey/admin.gpkg
  (layer townships, EPSG:4548) as coordinate arrays, for the Rust tests (which link
  no GDAL).

Goldens (zonal.json):
- fraction: exactextract count, sum, mean, min, max per township (coverage-fraction
  weighted; nodata excluded);
- level_frac: exactextract unique + frac on level.tif (coverage-weighted share of
  each level among the levelled cells);
- raster_breaks_k5: numpy.quantile (linear) and mapclassify.EqualInterval breaks of
  value.tif's valid cells, K = 5 (for the command-line test);
- center: count and sum over the cells whose centre GDAL's rasterizer puts inside
  the township (gdal.Rasterize without ALL_TOUCHED, one township at a time).

Run through validate/zoning/run.sh.
"""
import json
from pathlib import Path

import exactextract
import numpy as np
from osgeo import gdal, ogr, osr

gdal.UseExceptions()
ogr.UseExceptions()

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "fixtures" / "zoning" / "zonal"
ADMIN = ROOT / "fixtures" / "demo-small" / "survey" / "admin.gpkg"
X_MIN, Y_MAX, CELL, ROWS, COLS = 484637.3, 4019411.7, 150.0, 170, 222
BOUNDS = [0.2, 0.4, 0.6, 0.8]


def values():
    r, c = np.meshgrid(np.arange(ROWS, dtype=np.int64), np.arange(COLS, dtype=np.int64), indexing="ij")
    m = (3 * r * r + 7 * c + r * c) % 1009
    v = (m.astype(np.float64) / 1009.0 * 0.5 + r.astype(np.float64) / float(ROWS) * 0.5).astype(np.float32)
    v[(7 * r + 13 * c) % 97 == 0] = np.nan
    return v


def levels(v):
    lv = np.zeros(v.shape, dtype=np.uint8)
    ok = ~np.isnan(v)
    cls = np.searchsorted(np.array(BOUNDS, dtype=np.float32), v[ok], side="left")  # v <= b stays
    lv[ok] = (5 - cls).astype(np.uint8)
    return lv


def write(path, arr, dtype, nodata):
    drv = gdal.GetDriverByName("GTiff")
    ds = drv.Create(str(path), COLS, ROWS, 1, dtype, options=["COMPRESS=DEFLATE", "PREDICTOR=1"])
    ds.SetGeoTransform((X_MIN, CELL, 0.0, Y_MAX, 0.0, -CELL))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4548)
    ds.SetProjection(srs.ExportToWkt())
    b = ds.GetRasterBand(1)
    b.SetNoDataValue(nodata)
    # raw bytes, not WriteArray: the system GDAL's numpy bridge is built for numpy 1.x
    b.WriteRaster(0, 0, COLS, ROWS, np.ascontiguousarray(arr).tobytes())
    ds = None


def rings(geom):
    g = ogr.ForceToMultiPolygon(geom.Clone())
    out = []
    for i in range(g.GetGeometryCount()):
        p = g.GetGeometryRef(i)
        out.append([[list(p.GetGeometryRef(j).GetPoint_2D(k)) for k in range(p.GetGeometryRef(j).GetPointCount())]
                    for j in range(p.GetGeometryCount())])
    return out


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    v = values()
    write(OUT / "value.tif", v, gdal.GDT_Float32, float("nan"))
    write(OUT / "level.tif", levels(v), gdal.GDT_Byte, 0)

    src = ogr.Open(str(ADMIN))
    lyr = src.GetLayerByName("townships")
    towns = []
    for f in lyr:
        towns.append({"code": f.GetField("code"), "rings": rings(f.GetGeometryRef())})
    (OUT / "townships.json").write_text(json.dumps({"crs": "EPSG:4548", "source": "fixtures/demo-small/survey/admin.gpkg layer townships", "townships": towns}) + "\n")

    lyr.ResetReading()
    res = exactextract.exact_extract(str(OUT / "value.tif"), lyr, ["count", "sum", "mean", "min", "max"],
                                     include_cols=["code"], output="geojson")
    fraction = {}
    for feat in res:
        p = feat["properties"]
        fraction[p["code"]] = {k: (None if p[k] is None or (isinstance(p[k], float) and np.isnan(p[k])) else float(p[k]))
                               for k in ["count", "sum", "mean", "min", "max"]}
    lyr.ResetReading()
    res = exactextract.exact_extract(str(OUT / "level.tif"), lyr, ["unique", "frac"], include_cols=["code"], output="geojson")
    level_frac = {}
    for feat in res:
        p = feat["properties"]
        level_frac[p["code"]] = {str(int(u)): float(fr) for u, fr in zip(p["unique"], p["frac"])}

    center = {}
    mem = gdal.GetDriverByName("MEM")
    for t in towns:
        ds = mem.Create("", COLS, ROWS, 1, gdal.GDT_Byte)
        ds.SetGeoTransform((X_MIN, CELL, 0.0, Y_MAX, 0.0, -CELL))
        srs = osr.SpatialReference()
        srs.ImportFromEPSG(4548)
        ds.SetProjection(srs.ExportToWkt())
        gdal.Rasterize(ds, str(ADMIN), layers=["townships"], burnValues=[1], where=f"code = '{t['code']}'")
        burnt = np.frombuffer(ds.GetRasterBand(1).ReadRaster(), dtype=np.uint8).reshape(ROWS, COLS)
        mask = burnt.astype(bool) & ~np.isnan(v)
        vals = v[mask].astype(np.float64)
        center[t["code"]] = {"count": int(mask.sum()), "sum": float(vals.sum()) if vals.size else 0.0,
                             "min": float(vals.min()) if vals.size else None,
                             "max": float(vals.max()) if vals.size else None}

    import mapclassify
    x = v[~np.isnan(v)].astype(np.float64)
    probs = np.array([i / 5 for i in range(1, 5)], dtype=np.float64)
    raster_breaks = {
        "quantile": [float(t) for t in np.quantile(x, probs, method="linear")] + [float(x.max())],
        "equal": [float(b) for b in mapclassify.EqualInterval(x, k=5).bins],
    }
    gold = {
        "raster_breaks_k5": raster_breaks,
        "tools": {"exactextract": exactextract.__version__, "mapclassify": mapclassify.__version__, "gdal": gdal.__version__, "numpy": np.__version__},
        "grid": {"crs": "EPSG:4548", "x_min": X_MIN, "y_max": Y_MAX, "cell_size": CELL, "rows": ROWS, "cols": COLS},
        "level_bounds": BOUNDS,
        "fraction": fraction,
        "level_frac": level_frac,
        "center": center,
    }
    (OUT / "zonal.json").write_text(json.dumps(gold, indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
