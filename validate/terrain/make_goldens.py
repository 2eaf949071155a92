#!/usr/bin/env python3
"""Build the terrain fixture DEM and the golden outputs of independent tools.

Fixture: the Jacksboro fault DEM shipped in matplotlib's wheel
(`matplotlib/mpl-data/sample_data/jacksboro_fault_dem.npz`, a USGS 3-arc-second
DEM of Campbell County, Tennessee; int16 metres on a NAD83 lon/lat grid of
0.000833333°, north-west corner -84.41375 E, 36.73292 N, row 0 north). It is
warped with GDAL to NAD83 / UTM zone 16N (EPSG:26916) at 90 m cells (≈ the
native 92.6 m north-south spacing; bilinear), and the central 256 × 256 window
(no nodata) is kept as `fixtures/terrain/dem.tif` plus a raw little-endian
float32 copy `dem.f32` for the Rust tests (kernels must not link GDAL).

Goldens (`fixtures/terrain/golden/*.{f32,u8,i32}` raw little-endian, row-major,
described in `golden/manifest.json` with tool names, versions and commands):
- gdaldem slope / aspect / hillshade, Horn and ZevenbergenThorne, plus
  `slope -compute_edges` and `TRI -alg Riley`; nodata written as NaN (f32) or 0 (u8);
- RichDEM (package `richdem-fork`, R. Barnes' code; the original `richdem` 0.3.4
  sdist does not build on Python 3.11): FillDepressions(epsilon=True) on float32,
  D8 receivers from FlowProportions(method='D8') converted to ESRI codes (border
  cells have no flow → 0), FlowAccumulation(method='D8') as int32 cells;
- pyflwdir `from_dem(outlets='edge')` D8 (already ESRI codes; 0 pit, 247 nodata).

Run through validate/terrain/run.sh, which sets up the Python environment.
"""
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np
from osgeo import gdal, osr

gdal.UseExceptions()

ROOT = Path(__file__).resolve().parents[2]
FIX = ROOT / "fixtures" / "terrain"
GOLD = FIX / "golden"
CELL = 90.0
SIZE = 256
MPL_VERSION = "3.11.2"  # the wheel the fixture was cut from


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def fetch_npz(tmp: Path) -> Path:
    """Extract the DEM from matplotlib's wheel (downloaded with pip, no install)."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(tmp),
         f"matplotlib=={MPL_VERSION}"],
        check=True,
    )
    whl = next(tmp.glob("matplotlib-*.whl"))
    member = "matplotlib/mpl-data/sample_data/jacksboro_fault_dem.npz"
    with zipfile.ZipFile(whl) as z:
        z.extract(member, tmp)
    return tmp / member


def build_dem():
    FIX.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as t:
        t = Path(t)
        d = np.load(fetch_npz(t))
        z = d["elevation"].astype(np.float32)
        rows, cols = z.shape
        dx, dy = float(d["dx"]), float(d["dy"])
        west, north = float(d["xmin"]), float(d["ymin"])  # 'ymin' holds the northern edge
        src = gdal.GetDriverByName("MEM").Create("", cols, rows, 1, gdal.GDT_Float32)
        src.SetGeoTransform((west, dx, 0.0, north, 0.0, -dy))
        srs = osr.SpatialReference()
        srs.ImportFromEPSG(4269)
        src.SetProjection(srs.ExportToWkt())
        src.GetRasterBand(1).WriteArray(z)
        src.GetRasterBand(1).SetNoDataValue(-9999)
        warped = gdal.Warp("", src, format="MEM", dstSRS="EPSG:26916", xRes=CELL, yRes=CELL,
                           targetAlignedPixels=True, resampleAlg="bilinear",
                           dstNodata=float("nan"), outputType=gdal.GDT_Float32)
        a = warped.GetRasterBand(1).ReadAsArray()
        gt = warped.GetGeoTransform()
        r0 = (a.shape[0] - SIZE) // 2
        c0 = (a.shape[1] - SIZE) // 2
        crop = a[r0:r0 + SIZE, c0:c0 + SIZE].astype(np.float32)
        assert np.isfinite(crop).all(), "crop window touches the warp collar"
        out_gt = (gt[0] + c0 * CELL, CELL, 0.0, gt[3] - r0 * CELL, 0.0, -CELL)
        drv = gdal.GetDriverByName("GTiff")
        ds = drv.Create(str(FIX / "dem.tif"), SIZE, SIZE, 1, gdal.GDT_Float32,
                        options=["COMPRESS=DEFLATE", "PREDICTOR=3", "TILED=NO"])
        ds.SetGeoTransform(out_gt)
        ds.SetProjection(warped.GetProjection())
        ds.GetRasterBand(1).WriteArray(crop)
        ds.GetRasterBand(1).SetNoDataValue(float("nan"))
        ds.SetMetadata({
            "SOURCE": f"matplotlib {MPL_VERSION} wheel: mpl-data/sample_data/jacksboro_fault_dem.npz (USGS 3-arcsec DEM)",
            "PROCESSING": "gdal.Warp EPSG:4269 -> EPSG:26916, 90 m, bilinear; central 256x256 window",
        })
        ds = None
        log(f"fixture DEM: {SIZE}x{SIZE}, {crop.min():.1f}..{crop.max():.1f} m")


def read_tif(path):
    ds = gdal.Open(str(path))
    b = ds.GetRasterBand(1)
    return b.ReadAsArray(), b.GetNoDataValue()


def write_raw(name, arr, dtype, meta, layers):
    arr = np.ascontiguousarray(arr.astype(dtype))
    (GOLD / name).write_bytes(arr.astype(arr.dtype.newbyteorder("<")).tobytes())
    layers[name] = dict(dtype=np.dtype(dtype).name, shape=list(arr.shape), **meta)


def gdaldem_goldens(layers):
    ver = subprocess.run(["gdaldem", "--version"], capture_output=True, text=True).stdout.strip().splitlines()[0]
    ver = "gdaldem (" + ver + ")"
    dem = FIX / "dem.tif"
    runs = [
        ("slope_horn.f32", ["slope", "-alg", "Horn"]),
        ("slope_horn_edges.f32", ["slope", "-alg", "Horn", "-compute_edges"]),
        ("slope_zt.f32", ["slope", "-alg", "ZevenbergenThorne"]),
        ("aspect_horn.f32", ["aspect", "-alg", "Horn"]),
        ("aspect_zt.f32", ["aspect", "-alg", "ZevenbergenThorne"]),
        ("hillshade_horn.u8", ["hillshade", "-alg", "Horn"]),
        ("hillshade_zt.u8", ["hillshade", "-alg", "ZevenbergenThorne"]),
        ("tri_riley.f32", ["TRI", "-alg", "Riley"]),
    ]
    with tempfile.TemporaryDirectory() as t:
        for name, args in runs:
            out = Path(t) / (name + ".tif")
            cmd = ["gdaldem", args[0], str(dem), str(out), *args[1:], "-q"]
            subprocess.run(cmd, check=True)
            a, nd = read_tif(out)
            if name.endswith(".f32"):
                a = a.astype(np.float32)
                if nd is not None:
                    a[a == np.float32(nd)] = np.nan
                write_raw(name, a, "<f4", dict(tool=ver, command="gdaldem " + " ".join(args) + " dem.tif out.tif",
                                               nodata="NaN (gdaldem nodata, incl. flat aspect)"), layers)
            else:
                write_raw(name, a, "u1", dict(tool=ver, command="gdaldem " + " ".join(args) + " dem.tif out.tif",
                                              nodata="0"), layers)
            log("gdaldem", name)


# RichDEM neighbour n = 1..8 (W, NW, N, NE, E, SE, S, SW) → ESRI code.
RD_TO_ESRI = [0, 16, 32, 64, 128, 1, 2, 4, 8]


def richdem_goldens(layers):
    import richdem as rd
    from importlib.metadata import version
    ver = f"richdem-fork {version('richdem-fork')} (Python package richdem)"
    dem, _ = read_tif(FIX / "dem.tif")
    a = rd.rdarray(dem.astype(np.float32), no_data=-9999.0)
    a.geotransform = [0.0, CELL, 0.0, 0.0, 0.0, -CELL]
    filled = rd.FillDepressions(a, epsilon=True, in_place=False)
    props = np.asarray(rd.FlowProportions(filled, method="D8"))
    acc = np.asarray(rd.FlowAccumulation(filled, method="D8"))
    p = props[:, :, 1:]
    has = (p > 0).any(axis=2)
    n = np.argmax(p, axis=2) + 1
    d8 = np.where(has, np.take(RD_TO_ESRI, n), 0).astype(np.uint8)
    write_raw("richdem_filled.f32", np.asarray(filled), "<f4",
              dict(tool=ver, command="FillDepressions(dem, epsilon=True)"), layers)
    write_raw("richdem_d8.u8", d8, "u1",
              dict(tool=ver, command="FlowProportions(filled, method='D8') -> ESRI codes; no flow = 0"), layers)
    write_raw("richdem_acc.i32", acc.round(), "<i4",
              dict(tool=ver, command="FlowAccumulation(filled, method='D8'), cells incl. itself"), layers)
    log("richdem done")


def pyflwdir_goldens(layers):
    import pyflwdir
    dem, _ = read_tif(FIX / "dem.tif")
    flw = pyflwdir.from_dem(data=dem.astype(np.float32), nodata=-9999.0, outlets="edge",
                            transform=(CELL, 0, 0, 0, -CELL, 0), latlon=False)
    d8 = flw.to_array(ftype="d8").astype(np.uint8)
    write_raw("pyflwdir_d8.u8", d8, "u1",
              dict(tool=f"pyflwdir {pyflwdir.__version__}",
                   command="from_dem(dem, outlets='edge').to_array('d8'); 0 pit, 247 nodata"), layers)
    log("pyflwdir done")


def main():
    if not (FIX / "dem.tif").exists() or "--rebuild-dem" in sys.argv:
        build_dem()
    dem, _ = read_tif(FIX / "dem.tif")
    dem = dem.astype("<f4")
    (FIX / "dem.f32").write_bytes(dem.tobytes())
    (FIX / "dem.json").write_text(json.dumps(dict(
        rows=dem.shape[0], cols=dem.shape[1], dtype="float32", byte_order="little", cell_size_m=CELL,
        crs="EPSG:26916", geotransform=list(gdal.Open(str(FIX / "dem.tif")).GetGeoTransform()),
        source=f"matplotlib {MPL_VERSION} wheel, mpl-data/sample_data/jacksboro_fault_dem.npz "
               "(USGS 3-arcsec DEM, Jacksboro fault, Tennessee), warped to UTM 16N 90 m bilinear, "
               "central 256x256"), indent=1) + "\n")
    GOLD.mkdir(parents=True, exist_ok=True)
    layers = {}
    gdaldem_goldens(layers)
    richdem_goldens(layers)
    pyflwdir_goldens(layers)
    (GOLD / "manifest.json").write_text(json.dumps(dict(
        dem="../dem.f32", rows=dem.shape[0], cols=dem.shape[1], cell_size_m=CELL,
        layout="raw little-endian, row-major (row 0 north)", layers=layers), indent=1, sort_keys=True) + "\n")


if __name__ == "__main__":
    main()
