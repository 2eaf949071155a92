#!/usr/bin/env python3
"""Golden files for the warp test: a known EPSG:4326 raster, warped onto a
CGCS2000 / GK CM 117E (EPSG:4548) 30 m grid by GDAL's own `gdalwarp` command.

Writes fixtures/warp/{src_4326.tif, gdalwarp_bilinear.tif, gdalwarp_near.tif,
golden.json}. Run through `make validate`; needs gdal-bin and python3-gdal.
"""
import json
import math
import os
import subprocess
import sys

from osgeo import gdal, osr

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "fixtures", "warp")
os.makedirs(OUT, exist_ok=True)

# Source: 80 x 80 cells of 0.0005 degrees from (116.83 E, 36.19 N), a smooth
# analytic surface (metres) with a block of nodata (-9999) cells.
cols, rows, step = 80, 80, 0.0005
lon0, lat0 = 116.83, 36.19
src = os.path.join(OUT, "src_4326.tif")
drv = gdal.GetDriverByName("GTiff")
ds = drv.Create(src, cols, rows, 1, gdal.GDT_Float32, ["COMPRESS=DEFLATE"])
ds.SetGeoTransform([lon0, step, 0, lat0, 0, -step])
srs = osr.SpatialReference()
srs.ImportFromEPSG(4326)
ds.SetProjection(srs.ExportToWkt())
band = ds.GetRasterBand(1)
band.SetNoDataValue(-9999)
vals = []
for r in range(rows):
    row = []
    for c in range(cols):
        if 30 <= r < 36 and 40 <= c < 47:
            row.append(-9999.0)
        else:
            row.append(100.0 + 50.0 * math.sin(c / 9.0) * math.cos(r / 7.0) + 0.8 * c + 0.3 * r)
    vals.append(row)
import array
buf = array.array("f", [v for row in vals for v in row]).tobytes()
band.WriteRaster(0, 0, cols, rows, buf)
ds = None

# Target: the census-grid lattice used by the test (EPSG:4548, 30 m).
x_min, y_max, cell, trows, tcols = 484_500.0, 4_005_600.0, 30.0, 100, 110
te = [x_min, y_max - trows * cell, x_min + tcols * cell, y_max]
results = {}
for alg in ("bilinear", "near"):
    dst = os.path.join(OUT, f"gdalwarp_{alg}.tif")
    if os.path.exists(dst):
        os.remove(dst)
    cmd = ["gdalwarp", "-q", "-t_srs", "EPSG:4548", "-te", *map(str, te), "-ts", str(tcols), str(trows),
           "-r", alg, "-ot", "Float32", "-dstnodata", "nan", "-co", "COMPRESS=DEFLATE", src, dst]
    subprocess.run(cmd, check=True)
    results[alg] = os.path.basename(dst)

version = subprocess.run(["gdalinfo", "--version"], capture_output=True, text=True, check=True).stdout.strip()
with open(os.path.join(OUT, "golden.json"), "w") as f:
    json.dump({"tool": "gdalwarp", "version": version,
               "grid": {"crs": "EPSG:4548", "x_min": x_min, "y_max": y_max, "cell_size": cell,
                        "rows": trows, "cols": tcols},
               "outputs": results}, f, indent=2)
    f.write("\n")
print(f"warp goldens written with {version}", file=sys.stderr)
