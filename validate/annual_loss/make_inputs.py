"""Seeded, deterministic inputs of the annual-loss goldens (fixtures/annual_loss/).

Writes
  eq_exposure.csv           id,taxonomy,value_wan,occupants (300 buildings, 8 taxonomies)
  eq_hazard_curve.csv       level,annual_rate,pga_g (the four GB 18306-2015 levels)
  eq_hazard_curve_sampled.csv  the log-log interpolated curve at N_IML log-spaced PGAs
                            (what the OpenQuake runs are fed), pga_g,annual_rate,poe_1yr
  flood_depths.csv          cell,depth_10y,...,depth_200y (40 cells, m)
  flood_buildings.csv       id,cell,structure,value_wan (150 buildings)

Everything comes from numpy's PCG64 generator with fixed seeds (the stream of
Generator.integers/uniform/choice is stable across numpy releases), so a rerun writes
the same bytes. Run through validate/annual_loss/run.sh.

Taxonomies are `<hazus_type>_<code>` rows of models/earthquake/seismic_fragility.csv.
That table has unreinforced masonry (URML, URMM) only at the low code level (HAZUS
gives no URM rows for high/moderate code and the table does not carry the pre-code
URM rows), so the eight taxonomies are C1L_moderate, C1M_low, C1M_pre, RM2L_low,
RM2L_pre, URML_low, URMM_low, S1L_high.

Hazard curve. GB 18306-2015 levels for a site of basic PGA 0.15 g: frequent
(63 % in 50 yr), basic (10 % in 50 yr), rare (2 % in 50 yr), very rare (annual
probability 1e-4); annual rate = -ln(1 - P)/T; PGA = basic x (1/3, 1, 1.95, 2.95)
(clause 6.2: frequent >= 1/3 of basic, rare 1.6-2.3x, very rare 2.7-3.2x; midpoints).
Between neighbouring levels ln(rate) is linear in ln(PGA). The sampled curve has
N_IML points log-spaced from the frequent to the very rare PGA, both included.
"""
import csv
import math
import os

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "fixtures", "annual_loss")

TAXONOMIES = ["C1L_moderate", "C1M_low", "C1M_pre", "RM2L_low", "RM2L_pre",
              "URML_low", "URMM_low", "S1L_high"]
N_BUILDINGS = 300
BASIC_PGA = 0.15
N_IML = 121

LEVELS = [  # name, annual rate, PGA factor of the basic PGA
    ("frequent", -math.log(0.37) / 50.0, 1.0 / 3.0),
    ("basic", -math.log(0.90) / 50.0, 1.0),
    ("rare", -math.log(0.98) / 50.0, 1.95),
    ("very_rare", -math.log(1.0 - 1e-4), 2.95),
]

STRUCTURES = ["rc_frame", "brick_concrete", "brick_wood", "earth_stone", "steel", "other"]
RETURN_PERIODS = [10, 20, 50, 100, 200]


def hazard_points():
    return [(name, rate, BASIC_PGA * f) for name, rate, f in LEVELS]


def loglog_rate(pga, points):
    """Annual exceedance rate at `pga` on the log-log interpolation of `points`
    ((name, rate, pga) sorted by increasing pga); only inside their range."""
    xs = np.log([p[2] for p in points])
    ys = np.log([p[1] for p in points])
    lx = np.log(pga)
    if np.any(lx < xs[0] - 1e-12) or np.any(lx > xs[-1] + 1e-12):
        raise ValueError("outside the hazard curve")
    return np.exp(np.interp(lx, xs, ys))


def sampled_curve(points, n=N_IML):
    lo, hi = points[0][2], points[-1][2]
    pgas = np.exp(np.linspace(math.log(lo), math.log(hi), n))
    pgas[0], pgas[-1] = lo, hi
    rates = loglog_rate(pgas, points)
    return pgas, rates


def write_csv(name, header, rows):
    path = os.path.join(OUT, name)
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    return path


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20240611)
    # Every taxonomy at least 20 times, the rest at random.
    taxo = TAXONOMIES * 20
    taxo += list(rng.choice(TAXONOMIES, N_BUILDINGS - len(taxo)))
    taxo = [taxo[i] for i in rng.permutation(len(taxo))]
    values = rng.uniform(20.0, 2000.0, N_BUILDINGS)
    occupants = rng.integers(1, 61, N_BUILDINGS)
    write_csv("eq_exposure.csv", ["id", "taxonomy", "value_wan", "occupants"],
              [["b%03d" % (i + 1), t, "%.1f" % v, int(o)]
               for i, (t, v, o) in enumerate(zip(taxo, values, occupants))])

    pts = hazard_points()
    write_csv("eq_hazard_curve.csv", ["level", "annual_rate", "pga_g"],
              [[n, "%.12e" % r, "%.12g" % p] for n, r, p in pts])
    pgas, rates = sampled_curve(pts)
    write_csv("eq_hazard_curve_sampled.csv", ["pga_g", "annual_rate", "poe_1yr"],
              [["%.12g" % p, "%.12e" % r, "%.12e" % (-math.expm1(-r))]
               for p, r in zip(pgas, rates)])

    rng = np.random.default_rng(20240612)
    n_cells = 40
    rows = []
    for c in range(n_cells):
        # Some cells stay dry at the frequent floods; depths grow with T.
        base = rng.uniform(-1.0, 2.5)
        steps = rng.uniform(0.0, 0.9, len(RETURN_PERIODS))
        depths = np.clip(base + np.cumsum(steps), 0.0, 6.0)
        rows.append(["c%02d" % (c + 1)] + ["%.2f" % d for d in depths])
    write_csv("flood_depths.csv", ["cell"] + ["depth_%dy" % t for t in RETURN_PERIODS], rows)
    cells = rng.integers(1, n_cells + 1, 150)
    structs = rng.choice(STRUCTURES, 150)
    fvalues = rng.uniform(10.0, 800.0, 150)
    write_csv("flood_buildings.csv", ["id", "cell", "structure", "value_wan"],
              [["f%03d" % (i + 1), "c%02d" % c, s, "%.1f" % v]
               for i, (c, s, v) in enumerate(zip(cells, structs, fvalues))])
    print("inputs written to fixtures/annual_loss/")


if __name__ == "__main__":
    main()
