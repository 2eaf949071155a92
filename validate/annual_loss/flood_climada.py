"""Flood expected-annual-damage goldens from CLIMADA (ImpactCalc).

Inputs (fixtures/annual_loss/, written by make_inputs.py): flood_depths.csv (depth in m
per cell for the 10/20/50/100/200-year floods), flood_buildings.csv (building, cell,
structure, value in 万元) and the depth-damage curves of models/flood/flood_depth_damage.toml
(piecewise linear, constant beyond the last point).

The engine's EAD convention (Olsen et al. 2015): p_i = 1/T_i sorted by decreasing p,
EAD = sum_i (p_i - p_i+1)(L_i + L_i+1)/2 + p_n L_n: trapezoid over exceedance probability,
the rarest loss held for everything rarer, nothing for floods more frequent than the most
frequent one. By linearity EAD = sum_i w_i L_i with w_1 = (p_1 - p_2)/2,
w_i = (p_i-1 - p_i+1)/2, w_n = (p_n-1 - p_n)/2 + p_n; for T = 10, 20, 50, 100, 200:
w = 0.025, 0.04, 0.02, 0.0075, 0.0075 (sum 0.1 = p_1).

CLIMADA model: a Hazard of type "FL" with 5 events whose `frequency` is w_i (1/year),
one centroid per cell, intensity = depth (m); Exposures with one point per building at
its cell's centroid (`centr_FL` set to the cell's centroid index), `value` = value_wan
and `impf_FL` = the structure's impact-function id; an ImpactFuncSet with one ImpactFunc
per structure (intensity = the TOML depths, mdd = the TOML damage ratios, paa = 1;
CLIMADA interpolates with numpy.interp, which holds the last value beyond the last
point, as the TOML says). ImpactCalc(...).impact() gives eai_exp (per building, 万元/yr),
aai_agg (total) and at_event (per-event totals, 万元).

Goldens: flood_ead_golden.csv (id,ead_wan_per_yr + a `total` row = aai_agg) and
flood_event_golden.csv (return_period,loss_wan = at_event). The script also computes
the same numbers with plain numpy from the formulas above and stops if they differ by
more than 1e-9 relative (a check of the set-up, not the golden).
"""
import csv
import hashlib
import json
import os
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "fixtures", "annual_loss")
WORK = os.path.join(ROOT, "target", "annual_loss_climada")
RETURN_PERIODS = [10, 20, 50, 100, 200]


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(row for row in f if not row.startswith("#")))


def read_curves():
    try:
        import tomllib
    except ImportError:  # python < 3.11
        import tomli as tomllib
    with open(os.path.join(ROOT, "models", "flood", "flood_depth_damage.toml"), "rb") as f:
        doc = tomllib.load(f)
    return {c["structure"]: np.array(c["points"], dtype=float) for c in doc["curves"]}


def weights(rps):
    p = 1.0 / np.asarray(rps, dtype=float)
    order = np.argsort(-p)
    if not np.all(order == np.arange(len(p))):
        raise SystemExit("return periods must be increasing")
    n = len(p)
    w = np.empty(n)
    w[0] = (p[0] - p[1]) / 2
    for i in range(1, n - 1):
        w[i] = (p[i - 1] - p[i + 1]) / 2
    w[-1] = (p[-2] - p[-1]) / 2 + p[-1]
    return w


def main():
    import climada
    from climada.engine import ImpactCalc
    from climada.entity import Exposures, ImpactFunc, ImpactFuncSet
    from climada.hazard import Centroids, Hazard
    from importlib.metadata import version
    import scipy.sparse as sp

    os.makedirs(WORK, exist_ok=True)
    curves = read_curves()
    structs = sorted(curves)
    impf_id = {s: i + 1 for i, s in enumerate(structs)}
    cells = read_csv(os.path.join(OUT, "flood_depths.csv"))
    bldgs = read_csv(os.path.join(OUT, "flood_buildings.csv"))
    cell_idx = {c["cell"]: i for i, c in enumerate(cells)}
    depth = np.array([[float(c["depth_%dy" % t]) for c in cells] for t in RETURN_PERIODS])
    w = weights(RETURN_PERIODS)

    # Cells on a 0.01-degree row (positions only identify the centroids).
    lat = np.full(len(cells), 36.2)
    lon = 117.0 + 0.01 * np.arange(len(cells))
    haz = Hazard(haz_type="FL", units="m",
                 centroids=Centroids(lat=lat, lon=lon),
                 event_id=np.arange(1, len(RETURN_PERIODS) + 1),
                 event_name=["T%d" % t for t in RETURN_PERIODS],
                 frequency=w, frequency_unit="1/year",
                 intensity=sp.csr_matrix(depth),
                 fraction=sp.csr_matrix(np.ones_like(depth)))
    haz.check()

    funcs = []
    for s in structs:
        pts = curves[s]
        funcs.append(ImpactFunc(haz_type="FL", id=impf_id[s], intensity=pts[:, 0],
                                mdd=pts[:, 1], paa=np.ones(len(pts)), intensity_unit="m",
                                name=s))
    impfset = ImpactFuncSet(funcs)
    impfset.check()

    import pandas as pd
    ci = np.array([cell_idx[b["cell"]] for b in bldgs])
    df = pd.DataFrame({
        "latitude": lat[ci], "longitude": lon[ci],
        "value": [float(b["value_wan"]) for b in bldgs],
        "impf_FL": [impf_id[b["structure"]] for b in bldgs],
        "centr_FL": ci,
    })
    exp = Exposures(df, value_unit="wan_CNY")
    exp.check()
    imp = ImpactCalc(exp, impfset, haz).impact(save_mat=True)

    eai = np.asarray(imp.eai_exp, dtype=float)
    at_event = np.asarray(imp.at_event, dtype=float)
    aai = float(imp.aai_agg)

    # Plain numpy check of the set-up (same formulas, no CLIMADA).
    vals = df["value"].to_numpy()
    loss = np.array([[np.interp(depth[e, ci[j]], curves[bldgs[j]["structure"]][:, 0],
                                curves[bldgs[j]["structure"]][:, 1]) * vals[j]
                      for j in range(len(bldgs))] for e in range(len(RETURN_PERIODS))])
    L = loss.sum(axis=1)
    p = 1.0 / np.array(RETURN_PERIODS, dtype=float)
    ead_trapz = sum((p[i] - p[i + 1]) * (L[i] + L[i + 1]) / 2 for i in range(len(p) - 1)) \
        + p[-1] * L[-1]
    checks = [np.max(np.abs(eai - w @ loss) / np.maximum(np.abs(w @ loss), 1e-300)),
              abs(aai / ead_trapz - 1.0), np.max(np.abs(at_event / L - 1.0))]
    if max(checks) > 1e-9:
        raise SystemExit("CLIMADA and the numpy check disagree: %s" % checks)

    cv = version("climada")
    head = "# CLIMADA %s ImpactCalc (eai_exp, aai_agg), numpy %s; see " \
           "validate/annual_loss/flood_climada.py\n" % (cv, np.__version__)
    with open(os.path.join(OUT, "flood_ead_golden.csv"), "w", newline="") as f:
        f.write(head)
        wr = csv.writer(f, lineterminator="\n")
        wr.writerow(["id", "ead_wan_per_yr"])
        for b, v in zip(bldgs, eai):
            wr.writerow([b["id"], "%.10e" % v])
        wr.writerow(["total", "%.10e" % aai])
    with open(os.path.join(OUT, "flood_event_golden.csv"), "w", newline="") as f:
        f.write(head.replace("(eai_exp, aai_agg)", "(at_event)"))
        wr = csv.writer(f, lineterminator="\n")
        wr.writerow(["return_period", "loss_wan"])
        for t, v in zip(RETURN_PERIODS, at_event):
            wr.writerow([t, "%.10e" % v])
    print("  flood EAD total %.6f 万元/yr; event losses %s" %
          (aai, ", ".join("%dy %.3f" % (t, v) for t, v in zip(RETURN_PERIODS, at_event))))
    info = {"tool": "climada", "version": cv, "numpy": np.__version__,
            "pandas": pd.__version__, "python": sys.version.split()[0],
            "command": "python validate/annual_loss/flood_climada.py (CLIMADA Hazard + "
                       "Exposures + ImpactFuncSet -> ImpactCalc.impact())",
            "event_frequencies": dict(zip(["T%d" % t for t in RETURN_PERIODS],
                                          [float(x) for x in w])),
            "numpy_cross_check_max_rel": float(max(checks)),
            "outputs": ["flood_ead_golden.csv", "flood_event_golden.csv"]}
    with open(os.path.join(WORK, "flood_manifest_part.json"), "w") as f:
        json.dump(info, f, indent=1)


if __name__ == "__main__":
    main()
