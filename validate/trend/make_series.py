"""Writes fixtures/trend/series.csv: seeded synthetic annual series for the trend tests.

Each series is in time order, one row per year (t = 0, 1, ...); an empty value is a
missing year (NaN). numpy's PCG64 generator with one fixed seed per series.
"""
import csv
import os

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "fixtures", "trend", "series.csv")


def rng(seed):
    return np.random.Generator(np.random.PCG64(seed))


def ar1(g, n, phi, sd):
    e = g.normal(0.0, sd, n)
    y = np.empty(n)
    y[0] = e[0] / np.sqrt(1.0 - phi * phi)
    for i in range(1, n):
        y[i] = phi * y[i - 1] + e[i]
    return y


def series():
    out = {}
    t = np.arange(30)
    out["pure_trend_30"] = 0.5 * t + rng(101).normal(0.0, 2.0, 30)
    out["no_trend_40"] = rng(102).normal(10.0, 1.0, 40)
    # Heavy ties: three levels only, weak upward drift.
    g = rng(103)
    out["heavy_ties_25"] = np.clip(np.round(0.04 * np.arange(25) + g.normal(1.0, 0.7, 25)), 0, 2)
    # Disaster counts per year: Poisson with a rate rising from 2 to 5.
    g = rng(104)
    out["counts_35"] = g.poisson(np.linspace(2.0, 5.0, 35)).astype(float)
    out["ar1_pos_60"] = 0.03 * np.arange(60) + ar1(rng(105), 60, 0.8, 1.0)
    out["ar1_neg_50"] = ar1(rng(106), 50, -0.6, 1.0)
    x = -0.3 * np.arange(30) + rng(107).normal(0.0, 1.5, 30)
    x[[0, 7, 8, 15, 29]] = np.nan
    out["nans_trend_30"] = x
    g = rng(108)
    x = g.poisson(3.0, 20).astype(float)
    x[[3, 11, 12]] = np.nan
    out["nans_counts_20"] = x
    out["three_values"] = np.array([2.5, 1.0, 4.0])
    out["short_down_10"] = 20.0 - 1.1 * np.arange(10) + rng(110).normal(0.0, 1.0, 10)
    n = 48
    out["cycle_trend_48"] = 0.05 * np.arange(n) + 2.0 * np.sin(2 * np.pi * np.arange(n) / 12.0) \
        + rng(111).normal(0.0, 0.5, n)
    # Half-unit rounding: ties between neighbours, decreasing.
    out["half_ties_down_45"] = np.round(2.0 * (8.0 - 0.08 * np.arange(45)
                                               + rng(112).normal(0.0, 1.0, 45))) / 2.0
    x = np.full(7, np.nan)
    x[[1, 4, 6]] = [3.0, 3.0, 5.0]
    out["three_finite_of_7"] = x
    return out


def main():
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["series", "t", "value"])
        for name, x in series().items():
            for i, v in enumerate(x):
                w.writerow([name, i, "" if np.isnan(v) else repr(float(v))])


if __name__ == "__main__":
    main()
