#!/usr/bin/env python3
"""Time RiskCensus kernels against gdaldem and RichDEM on the same DEM, one run.

    validate/terrain/run.sh --speed [--size 4096]      # sets up the venv first

A fixed-seed synthetic DEM (sum of sines + uniform noise, 30 m cells, size × size)
is written as raw float32 and timed in three ways, all single-threaded:
- gdaldem slope and aspect (Horn) through `gdal.DEMProcessing` on in-memory (MEM)
  datasets, so no disk I/O is counted on either side;
- RichDEM (richdem-fork) FillDepressions(epsilon=True) + FlowAccumulation(D8)
  (which computes D8 internally), with OMP_NUM_THREADS=1;
- the Rust example `terrain_bench` (release build), best of N repeats, kernel time
  only (the file read is not counted).
Ratios use process CPU time (both sides single-threaded), which other load on the
machine disturbs far less than wall time; wall times are printed too. Prints the
timings, throughput (Mcells/s) and ratios (> 1 means Rust is faster).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np  # noqa: E402
from osgeo import gdal  # noqa: E402

gdal.UseExceptions()
ROOT = Path(__file__).resolve().parents[2]
CELL = 30.0


def timed(f):
    """(process CPU seconds, wall seconds) of one call."""
    c, t = time.process_time(), time.perf_counter()
    f()
    return time.process_time() - c, time.perf_counter() - t


def best(f, n):
    runs = [timed(f) for _ in range(n)]
    return min(r[0] for r in runs), min(r[1] for r in runs)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--size", type=int, default=4096)
    ap.add_argument("--repeats", type=int, default=2)
    a = ap.parse_args()
    n = a.size
    y, x = np.mgrid[0:n, 0:n].astype(np.float32)
    rng = np.random.default_rng(42)
    z = (500 + 150 * np.sin(y / 97) * np.cos(x / 131) + 80 * np.sin((x + y) / 57)
         + 0.03 * (x - y) + 6 * rng.random((n, n), dtype=np.float32)).astype("<f4")
    del x, y
    cells = n * n
    res = {}

    ds = gdal.GetDriverByName("MEM").Create("", n, n, 1, gdal.GDT_Float32)
    ds.SetGeoTransform((0, CELL, 0, 0, 0, -CELL))
    ds.GetRasterBand(1).WriteArray(z)
    for p in ("slope", "aspect"):
        def run():
            o = gdal.DEMProcessing("", ds, p, format="MEM", alg="Horn")
            o.GetRasterBand(1).Checksum()  # force the computation to complete
        res[f"gdaldem_{p}_s"], res[f"gdaldem_{p}_wall_s"] = best(run, a.repeats)
    res["gdal_version"] = gdal.__version__

    import richdem as rd
    from importlib.metadata import version
    arr = rd.rdarray(z.copy(), no_data=-9999.0)
    arr.geotransform = [0, CELL, 0, 0, 0, -CELL]
    box = {}
    res["richdem_fill_s"], res["richdem_fill_wall_s"] = timed(
        lambda: box.setdefault("f", rd.FillDepressions(arr, epsilon=True, in_place=False)))
    filled = box["f"]
    res["richdem_d8_acc_s"], res["richdem_d8_acc_wall_s"] = timed(lambda: rd.FlowAccumulation(filled, method="D8"))
    res["richdem_version"] = "richdem-fork " + version("richdem-fork")
    del filled, arr

    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "dem.f32"
        z.tofile(p)
        exe = os.environ.get("TERRAIN_BENCH_EXE")  # a prebuilt example, else build it
        if not exe:
            subprocess.run(["cargo", "build", "-q", "--release", "-p", "riskcensus-kernels",
                            "--example", "terrain_bench"], cwd=ROOT, check=True)
            target = Path(os.environ.get("CARGO_TARGET_DIR", ROOT / "target"))
            exe = target / "release" / "examples" / "terrain_bench"
        out = subprocess.run([str(exe), str(p), str(n), str(n), str(CELL), str(a.repeats)],
                             check=True, capture_output=True, text=True).stdout
        rs = json.loads(out)

    mc = lambda s: cells / s / 1e6  # noqa: E731
    rs_hydro = rs["fill_s"] + rs["d8_s"] + rs["accumulation_s"]
    rd_hydro = res["richdem_fill_s"] + res["richdem_d8_acc_s"]
    print(f"DEM {n}x{n} = {cells} cells, single thread, CPU time; {res['gdal_version']=}, {res['richdem_version']=}")
    for name, ours, peer in [("slope (Horn)", rs["slope_s"], res["gdaldem_slope_s"]),
                             ("aspect (Horn)", rs["aspect_s"], res["gdaldem_aspect_s"])]:
        print(f"{name:28s} rust {ours:7.3f} s ({mc(ours):6.1f} Mc/s)  gdaldem {peer:7.3f} s "
              f"({mc(peer):6.1f} Mc/s)  ratio {peer / ours:5.2f}x  (target >= 2x)")
    print(f"{'fill+D8+accumulation':28s} rust {rs_hydro:7.3f} s ({mc(rs_hydro):6.1f} Mc/s)  richdem {rd_hydro:7.3f} s "
          f"({mc(rd_hydro):6.1f} Mc/s)  ratio {rd_hydro / rs_hydro:5.2f}x  (target >= 1.5x)")
    print(f"  rust fill {rs['fill_s']:.3f} s, d8 {rs['d8_s']:.3f} s, accumulation {rs['accumulation_s']:.3f} s; "
          f"richdem fill {res['richdem_fill_s']:.3f} s, D8+accumulation {res['richdem_d8_acc_s']:.3f} s")
    wall = lambda k: rs[k + "_wall_s"]  # noqa: E731
    print(f"  wall clock: rust slope {wall('slope'):.3f} s, aspect {wall('aspect'):.3f} s, "
          f"fill+D8+acc {wall('fill') + wall('d8') + wall('accumulation'):.3f} s; gdaldem slope "
          f"{res['gdaldem_slope_wall_s']:.3f} s, aspect {res['gdaldem_aspect_wall_s']:.3f} s; richdem "
          f"{res['richdem_fill_wall_s'] + res['richdem_d8_acc_wall_s']:.3f} s")
    print(f"  rust peak RSS {rs['peak_rss_kb'] / 1024:.0f} MiB = {rs['peak_rss_kb'] * 1024 / cells:.2f} B/cell "
          "(input DEM 4 + filled 4 + D8 1 + accumulation 4 + state 1, not all live at once)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
