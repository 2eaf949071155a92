"""Goldens for the FWI system from xclim (independent implementation).

Writes under fixtures/wildfire/:
  xclim_demo_fwi.csv   FFMC, DMC, DC, ISI, BUI, FWI of xclim for every station-day of
                       fixtures/demo-small/survey/weather_daily.csv (3 stations, 2 fire
                       seasons each, 723 station-days), full float precision;
  xclim_vwp1985.csv    the same for the Van Wagner & Pickett (1985) test weather;
  xclim_manifest.json  tool name and version, options, inputs and their SHA-256.

xclim is configured to the standard method RiskCensus implements: each season is run
as its own continuous series from the start-up codes FFMC 85, DMC 6, DC 15
(no `season_method`, no overwintering, no dry start), so xclim's start-up is the
standard one; latitude ≥ 30°N selects xclim's standard (46°N) day-length tables,
the same `Le`/`Lf` as Van Wagner (1987).
"""
import csv
import hashlib
import json
import pathlib
import sys

import numpy as np
import pandas as pd
import xarray as xr
import xclim
from xclim.indices.fire import cffwis_indices

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "fixtures" / "wildfire"
DEMO = ROOT / "fixtures" / "demo-small" / "survey" / "weather_daily.csv"
VWP = OUT / "vanwagner_pickett_1985_test.csv"
SEASON_BREAK_DAYS = 60  # same gap policy as crates/models/src/wildfire/weather.rs


def run_xclim(dates, temp, rh, wind, rain, lat):
    t = pd.DatetimeIndex(list(dates), name="time")
    def da(v, units):
        return xr.DataArray(np.asarray(v, dtype=float), dims=("time",), coords={"time": t},
                            attrs={"units": units})
    out = cffwis_indices(
        tas=da(temp, "degC"), pr=da(rain, "mm/d"), sfcWind=da(wind, "km/h"),
        hurs=da(rh, "%"), lat=xr.DataArray(float(lat), attrs={"units": "degrees_north"}),
    )
    dc, dmc, ffmc, isi, bui, fwi = (np.asarray(o.values, dtype=float) for o in out)
    return ffmc, dmc, dc, isi, bui, fwi


def seasons(df):
    d = pd.to_datetime(df["date"]).values
    gaps = np.diff(d).astype("timedelta64[D]").astype(int)
    starts = [0] + [i + 1 for i, g in enumerate(gaps) if g > SEASON_BREAK_DAYS]
    ends = starts[1:] + [len(df)]
    for s, e in zip(starts, ends):
        part = df.iloc[s:e]
        dd = pd.to_datetime(part["date"]).values
        assert (np.diff(dd).astype("timedelta64[D]").astype(int) == 1).all(), "gap inside a season"
        yield part


def fmt(x):
    return repr(float(x))


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    demo = pd.read_csv(DEMO, dtype={"station": str})
    rows = []
    for station, g in sorted(demo.groupby("station"), key=lambda kv: kv[0]):
        g = g.sort_values("date")
        for part in seasons(g):
            lat = part["lat"].iloc[0]
            res = run_xclim(part["date"], part["temp_c"], part["rh_pct"], part["wind_kmh"],
                            part["rain_mm"], lat)
            for i, date in enumerate(part["date"]):
                rows.append([station, date] + [fmt(r[i]) for r in res])
    with open(OUT / "xclim_demo_fwi.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["station", "date", "ffmc", "dmc", "dc", "isi", "bui", "fwi"])
        w.writerows(rows)

    vwp = pd.read_csv(VWP, comment="#")
    dates = [f"1985-{m:02d}-{d:02d}" for m, d in zip(vwp["month"], vwp["day"])]
    res = run_xclim(dates, vwp["temp_c"], vwp["rh_pct"], vwp["wind_kmh"], vwp["rain_mm"], 46.0)
    with open(OUT / "xclim_vwp1985.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["month", "day", "ffmc", "dmc", "dc", "isi", "bui", "fwi"])
        for i in range(len(vwp)):
            w.writerow([vwp["month"][i], vwp["day"][i]] + [fmt(r[i]) for r in res])
        # Report the xclim-vs-table agreement (both rounded the same way as the table).
    names = ["ffmc", "dmc", "dc", "isi", "bui", "fwi"]
    diffs = {n: float(np.max(np.abs(np.round(r, 1) - vwp[n].values))) for n, r in zip(names, res)}
    print("xclim vs Van Wagner & Pickett (1985) table, max |round(xclim,1) - table|:", diffs)

    sha = lambda p: hashlib.sha256(p.read_bytes()).hexdigest()
    manifest = {
        "tool": "xclim",
        "version": xclim.__version__,
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "xarray": xr.__version__,
        "function": "xclim.indices.fire.cffwis_indices",
        "options": "defaults: no season_method, overwintering=False, dry_start=None, "
                   "initial_start_up=True (FFMC 85, DMC 6, DC 15); one call per station-season",
        "season_break_days": SEASON_BREAK_DAYS,
        "inputs": {
            "fixtures/demo-small/survey/weather_daily.csv": sha(DEMO),
            "fixtures/wildfire/vanwagner_pickett_1985_test.csv": sha(VWP),
        },
        "outputs": ["xclim_demo_fwi.csv", "xclim_vwp1985.csv"],
        "station_days": len(rows),
        "xclim_vs_vwp1985_table_max_abs_diff_rounded": diffs,
    }
    (OUT / "xclim_manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} station-days of xclim {xclim.__version__} goldens")


if __name__ == "__main__":
    main()
