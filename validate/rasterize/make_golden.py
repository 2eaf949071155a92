#!/usr/bin/env python3
"""Golden files for the rasterize test: a small CGCS2000 geographic (EPSG:4490)
vector layer reprojected by `ogr2ogr -t_srs EPSG:4548` (gdal_rasterize does not
reproject on the fly) and burnt onto a CGCS2000 / GK CM 117E (EPSG:4548) 30 m grid by
GDAL's own `gdal_rasterize` command: cell-centre mask, all-touched mask, and summed
attribute.

Writes fixtures/rasterize/{features.geojson, mask_center.tif, mask_touched.tif,
sum_value.tif, golden.json}. Run through `make validate`; needs gdal-bin and
python3-gdal.
"""
import json
import os
import subprocess

from osgeo import ogr, osr

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "fixtures", "rasterize")
os.makedirs(OUT, exist_ok=True)

x_min, y_max, cell, rows, cols = 484_500.0, 4_005_600.0, 30.0, 100, 110
te = [x_min, y_max - rows * cell, x_min + cols * cell, y_max]

gk = osr.SpatialReference(); gk.ImportFromEPSG(4548)
geo = osr.SpatialReference(); geo.ImportFromEPSG(4490)
for s in (gk, geo):
    s.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
to_geo = osr.CoordinateTransformation(gk, geo)

def P(x, y):
    """A grid-relative point (metres from the north-west corner) in lon/lat."""
    lon, lat, _ = to_geo.TransformPoint(x_min + x, y_max - y)
    return lon, lat

features = [
    ("LINESTRING", [P(100, 200), P(1500, 900), P(3200, 1400)], 2.0),       # a river
    ("LINESTRING", [P(50, 2950), P(1650, 1700), P(1700, 100)], 1.0),       # a road
    ("POLYGON", [P(2000, 1800), P(2900, 1900), P(2700, 2800), P(1900, 2600), P(2000, 1800)], 5.0),
    ("POLYGON", [P(2300, 2000), P(3100, 2100), P(3000, 2900), P(2300, 2000)], 3.0),  # overlaps
    ("POINT", [P(615, 2415)], 7.0),
    ("POINT", [P(620, 2420)], 4.0),                                         # same cell
]
path = os.path.join(OUT, "features.geojson")
if os.path.exists(path):
    os.remove(path)
ds = ogr.GetDriverByName("GeoJSON").CreateDataSource(path)
lyr = ds.CreateLayer("features", geo, ogr.wkbUnknown, ["COORDINATE_PRECISION=9"])
lyr.CreateField(ogr.FieldDefn("value", ogr.OFTReal))
for kind, pts, v in features:
    wkt_pts = ", ".join(f"{lon:.9f} {lat:.9f}" for lon, lat in pts)
    wkt = f"{kind} (({wkt_pts}))" if kind == "POLYGON" else (f"POINT ({wkt_pts})" if kind == "POINT" else f"{kind} ({wkt_pts})")
    f = ogr.Feature(lyr.GetLayerDefn())
    f.SetField("value", v)
    f.SetGeometry(ogr.CreateGeometryFromWkt(wkt))
    lyr.CreateFeature(f)
ds = None

projected = os.path.join(OUT, "features_4548.geojson")
if os.path.exists(projected):
    os.remove(projected)
subprocess.run(["ogr2ogr", "-f", "GeoJSON", "-t_srs", "EPSG:4548", projected, path], check=True)

base = ["gdal_rasterize", "-q", "-te", *map(str, te), "-tr", str(cell), str(cell), "-a_srs", "EPSG:4548",
        "-ot", "Float32", "-init", "0"]
runs = {
    "mask_center.tif": ["-burn", "1"],
    "mask_touched.tif": ["-burn", "1", "-at"],
    "sum_value.tif": ["-a", "value", "-add"],
}
for name, extra in runs.items():
    out = os.path.join(OUT, name)
    if os.path.exists(out):
        os.remove(out)
    subprocess.run(base + extra + ["-co", "COMPRESS=DEFLATE", projected, out], check=True)
os.remove(projected)

version = subprocess.run(["gdalinfo", "--version"], capture_output=True, text=True, check=True).stdout.strip()
with open(os.path.join(OUT, "golden.json"), "w") as f:
    json.dump({"tool": "gdal_rasterize", "version": version,
               "grid": {"crs": "EPSG:4548", "x_min": x_min, "y_max": y_max, "cell_size": cell,
                        "rows": rows, "cols": cols},
               "outputs": {k: " ".join(v) for k, v in runs.items()}}, f, indent=2)
    f.write("\n")
