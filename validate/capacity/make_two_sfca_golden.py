"""2SFCA goldens from PySAL's access package (Access.two_stage_fca).

Writes, under fixtures/capacity/:
  two_sfca_grid.json   - the census grid (CRS, x_min, y_max, cell size, rows, cols) and
                         the service radius;
  two_sfca_cells.csv   - row,col,x,y,population: persons per cell (integers, some
                         cells NaN = unknown), x, y the cell centre (numpy PCG64, seed
                         SEED);
  two_sfca_shelters.csv - shelter,x,y,capacity (persons);
  two_sfca_golden.csv  - row,col,access: access's 2SFCA value per cell, places per
                         person; nan where access has no value (no shelter within the
                         radius: the cell has no row in its catchment sums);
and target/capacity/two_sfca_manifest_part.json (tool versions, parameters).

access is called as its documentation shows: demand and supply as GeoDataFrames of
points, Access.create_euclidean_distance (geopandas distance between the points) with a
threshold larger than the grid (every pair kept), then two_stage_fca(max_cost=RADIUS_M,
normalize=False) with no weight function: a cell is within a shelter's catchment when
its cost <= max_cost (access's weighted_catchment), the rule of RiskCensus's
two_step_fca (centre distance <= d0). Cells at a distance within TIE_MARGIN_M of the
radius are refused by this script, so that rounding in the distance cannot decide
membership differently on the two sides. Every shelter has people within reach (access
would divide by 0 otherwise; RiskCensus gives such a shelter a ratio of 0).
"""
import csv
import json
import math
import os
import platform
import sys
from importlib.metadata import version

import access
import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "fixtures", "capacity")
PART = os.path.join(ROOT, "target", "capacity", "two_sfca_manifest_part.json")
SEED = 20260712
CRS = "EPSG:4548"
X_MIN, Y_MAX, CELL = 484_000.0, 4_030_000.0, 100.0
ROWS, COLS = 30, 40
RADIUS_M = 900.0
N_SHELTERS = 8
NODATA_SHARE = 0.02
TIE_MARGIN_M = 1e-6


def main():
    os.makedirs(OUT, exist_ok=True)
    os.makedirs(os.path.dirname(PART), exist_ok=True)
    rng = np.random.Generator(np.random.PCG64(SEED))
    rows, cols = np.meshgrid(np.arange(ROWS), np.arange(COLS), indexing="ij")
    rows, cols = rows.ravel(), cols.ravel()
    # Cell centres as GridSpec::cell_center computes them.
    cx = X_MIN + (cols + 0.5) * CELL
    cy = Y_MAX - (rows + 0.5) * CELL
    # Denser in the west: people rise to the west edge, zeros in the east.
    base = np.maximum(0.0, 400.0 * (1.0 - cols / COLS) - 40.0)
    pop = np.floor(base * rng.random(ROWS * COLS)).astype(np.float64)
    pop[rng.random(ROWS * COLS) < NODATA_SHARE] = np.nan

    sx = np.round(X_MIN + rng.uniform(300.0, COLS * CELL - 300.0, N_SHELTERS), 2)
    sy = np.round(Y_MAX - rng.uniform(300.0, ROWS * CELL - 300.0, N_SHELTERS), 2)
    cap = rng.integers(500, 5000, N_SHELTERS).astype(np.float64)
    for j in range(N_SHELTERS):
        d = np.sqrt((cx - sx[j]) ** 2 + (cy - sy[j]) ** 2)
        assert np.all(np.abs(d - RADIUS_M) > TIE_MARGIN_M), f"shelter {j}: a centre on the radius"
        assert np.nansum(pop[d <= RADIUS_M]) > 0, f"shelter {j}: nobody within reach"

    with open(os.path.join(OUT, "two_sfca_grid.json"), "w") as f:
        json.dump({"crs": CRS, "x_min": X_MIN, "y_max": Y_MAX, "cell_size": CELL,
                   "rows": ROWS, "cols": COLS, "radius_m": RADIUS_M}, f, indent=1)
        f.write("\n")
    with open(os.path.join(OUT, "two_sfca_cells.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["row", "col", "x", "y", "population"])
        for k in range(ROWS * COLS):
            w.writerow([rows[k], cols[k], repr(float(cx[k])), repr(float(cy[k])), repr(float(pop[k]))])
    with open(os.path.join(OUT, "two_sfca_shelters.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["shelter", "x", "y", "capacity"])
        for j in range(N_SHELTERS):
            w.writerow([j, repr(float(sx[j])), repr(float(sy[j])), repr(float(cap[j]))])

    demand = gpd.GeoDataFrame(
        {"cell": np.arange(ROWS * COLS), "pop": pop},
        geometry=[Point(x, y) for x, y in zip(cx, cy)], crs=CRS)
    supply = gpd.GeoDataFrame(
        {"shelter": np.arange(N_SHELTERS), "capacity": cap},
        geometry=[Point(x, y) for x, y in zip(sx, sy)], crs=CRS)
    a = access.Access(demand_df=demand, demand_index="cell", demand_value="pop",
                      supply_df=supply, supply_index="shelter", supply_value="capacity")
    a.create_euclidean_distance(name="euclidean", threshold=1e9)
    res = a.two_stage_fca(name="2sfca", cost="euclidean", max_cost=RADIUS_M, normalize=False)
    col = res["2sfca_capacity"].reindex(np.arange(ROWS * COLS))
    with open(os.path.join(OUT, "two_sfca_golden.csv"), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["row", "col", "access"])
        for k in range(ROWS * COLS):
            w.writerow([rows[k], cols[k], repr(float(col.iloc[k]))])

    part = {
        "tool": "access (PySAL)",
        "version": version("access"),
        "geopandas": gpd.__version__,
        "pandas": pd.__version__,
        "shapely": shapely.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "command": "python validate/capacity/make_two_sfca_golden.py (access.Access(...)"
                   ".create_euclidean_distance(threshold=1e9); .two_stage_fca(max_cost="
                   f"{RADIUS_M}, normalize=False), no weight function)",
        "seed": SEED,
        "rng": "numpy PCG64",
        "grid": {"crs": CRS, "x_min": X_MIN, "y_max": Y_MAX, "cell_size": CELL,
                 "rows": ROWS, "cols": COLS},
        "radius_m": RADIUS_M,
        "catchment": "cost <= max_cost (access weighted_catchment); RiskCensus: centre distance <= d0",
        "tie_margin_m": TIE_MARGIN_M,
        "nodata_cells": int(np.isnan(pop).sum()),
        "cells_without_shelter": int(col.isna().sum()),
        "nan_meaning": "access gives no value to a cell with no shelter within the radius; "
                       "RiskCensus gives 0 there",
        "inputs": ["two_sfca_grid.json", "two_sfca_cells.csv", "two_sfca_shelters.csv"],
        "outputs": ["two_sfca_golden.csv"],
    }
    with open(PART, "w") as f:
        json.dump(part, f, indent=1)
    print(f"2sfca: {ROWS}x{COLS} cells, {N_SHELTERS} shelters, "
          f"{part['cells_without_shelter']} cells without a shelter in reach", file=sys.stderr)


if __name__ == "__main__":
    main()
