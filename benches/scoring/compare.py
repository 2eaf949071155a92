#!/usr/bin/env python3
"""Fused scoring kernel vs numpy vs numexpr vs memory bandwidth, in one run.

The computation (crates/models/tests/data/bench8.toml, read here with tomllib so
the numbers stay in sync): 8 float32 layers, each through a linear ramp
s = clamp((x - x0) * r, 0, 1) with r = f32(1 / (x1 - x0)), weighted sum in factor
order, then 5 fixed-break classes (level 1 = highest, 0 = nodata/NaN), over a
seeded 8 x 4096 x 4096 stack with 1 % NaN. Times, best of --reps:

  (a) numpy (one thread, temporaries as a user would write it);
  (b) numexpr with 2 threads (one fused expression for the score, one for levels),
      and with 1 thread (numexpr's threads synchronise per block, so on a loaded
      machine its 2-thread figure suffers most: compare both);
  (c) the Rust fused kernel (crates/models/examples/score_bench.rs, 2 threads over
      row bands, parallel == serial checked), reading the same raw stack;
  (d) a STREAM triad a = b + s*c in the same Rust example (2 threads, 3 x 256 MiB).

Bytes per cell for the scoring: 8 inputs x 4 B + 1 B level (u8) output.
Prints throughputs, ratios vs numpy and numexpr, the fraction of triad bandwidth,
and checks that the level grids of all three agree.

Usage: python3 benches/scoring/compare.py [--size 4096] [--reps 3] [--threads 2]
(run from the repository root; needs numpy and numexpr: pip install numpy numexpr).
The machine may be shared: the load average is printed first and last.
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import tomllib

import numpy as np

try:
    import numexpr as ne
except ImportError:  # pragma: no cover
    sys.exit("numexpr is required: pip install numexpr")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODEL = os.path.join(ROOT, "crates/models/tests/data/bench8.toml")


def load_model():
    with open(MODEL, "rb") as f:
        m = tomllib.load(f)
    inputs = sorted(m["inputs"])  # the scorer's slice order: inputs sorted by id
    factors = []
    for f in m["factors"]:
        t = f["transform"]
        assert t["kind"] == "ramp"
        x0, x1 = np.float32(t["x0"]), np.float32(t["x1"])
        r = np.float32(1.0 / (np.float64(np.float32(x1)) - np.float64(np.float32(x0))))
        w = np.float32(m["weights"]["direct"][f["id"]])
        factors.append((inputs.index(f["input"]), x0, r, w))
    breaks = [np.float32(b) for b in m["classification"]["breaks"]]
    return inputs, factors, breaks


def load():
    return os.getloadavg()


def best(reps, fn):
    times = []
    out = None
    for _ in range(reps):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def numpy_levels(x, factors, breaks):
    acc = None
    for i, x0, r, w in factors:
        s = (x[i] - x0) * r
        np.clip(s, np.float32(0), np.float32(1), out=s)
        s *= w
        acc = s if acc is None else acc + s
    lv = np.full(acc.shape, len(breaks) + 1, dtype=np.uint8)
    for b in breaks:
        lv -= (acc >= b).astype(np.uint8)
    lv[np.isnan(acc)] = 0
    return lv


def numexpr_levels(x, factors, breaks):
    env = {}
    terms = []
    for k, (i, x0, r, w) in enumerate(factors):
        env[f"x{k}"] = x[i]
        env[f"a{k}"], env[f"r{k}"], env[f"w{k}"] = x0, r, w
        t = f"((x{k} - a{k}) * r{k})"
        # clamp as where(): NaN stays NaN (comparisons with NaN are false)
        terms.append(f"w{k} * where({t} < 0, 0, where({t} > 1, 1, {t}))")
    acc = ne.evaluate(" + ".join(terms), local_dict=env)
    benv = {"acc": acc}
    cnt = []
    for j, b in enumerate(breaks):
        benv[f"b{j}"] = b
        cnt.append(f"where(acc >= b{j}, 1, 0)")
    expr = f"where(acc != acc, 0, {len(breaks) + 1} - ({' + '.join(cnt)}))"
    return ne.evaluate(expr, local_dict=benv).astype(np.uint8)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--size", type=int, default=4096)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    l0 = load()
    print(f"load average at start: {l0[0]:.2f} {l0[1]:.2f} {l0[2]:.2f} ({os.cpu_count()} CPUs)")
    inputs, factors, breaks = load_model()
    n = a.size * a.size
    rng = np.random.default_rng(a.seed)
    x = rng.uniform(-0.1, 1.1, size=(len(inputs), n)).astype(np.float32)
    x[rng.random(size=x.shape) < 0.01] = np.nan
    print(f"stack: {len(inputs)} x {a.size} x {a.size} float32 ({x.nbytes / 2**20:.0f} MiB), seed {a.seed}")
    bytes_per_cell = len(inputs) * 4 + 1

    t_np, lv_np = best(a.reps, lambda: numpy_levels(x, factors, breaks))
    ne.set_num_threads(1)
    t_ne1, _ = best(a.reps, lambda: numexpr_levels(x, factors, breaks))
    ne.set_num_threads(a.threads)
    t_ne, lv_ne = best(a.reps, lambda: numexpr_levels(x, factors, breaks))

    with tempfile.TemporaryDirectory() as d:
        raw = os.path.join(d, "stack.f32")
        x.astype("<f4").tofile(raw)
        lv_path = os.path.join(d, "levels.u8")
        cmd = [
            "cargo", "run", "--quiet", "--release", "-p", "riskcensus-models", "--example", "score_bench", "--",
            "--input", raw, "--rows", str(a.size), "--cols", str(a.size), "--threads", str(a.threads),
            "--reps", str(max(a.reps, 3)), "--levels-out", lv_path,
        ]
        res = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        if res.returncode != 0:
            sys.exit(f"score_bench failed:\n{res.stderr}")
        kv = dict(re.findall(r"^(\w+) = (.+)$", res.stdout, re.M))
        lv_rs = np.fromfile(lv_path, dtype=np.uint8)

    t_rs = float(kv["levels_parallel_s"])
    t_rs1 = float(kv["levels_serial_s"])
    triad = float(kv["triad_gb_per_s"])

    def row(name, t):
        cps = n / t
        gbs = n * bytes_per_cell / t / 1e9
        print(f"  {name:<34} {t * 1e3:9.1f} ms  {cps / 1e6:9.1f} Mcells/s  {gbs:6.2f} GB/s  {gbs / triad:6.1%} of triad")

    print(f"\nlevels (u8) from 8 ramps + weights + 5 classes, {n} cells, {bytes_per_cell} B/cell:")
    row("numpy (1 thread)", t_np)
    row("numexpr (1 thread)", t_ne1)
    row(f"numexpr ({a.threads} threads)", t_ne)
    row("riskcensus fused (1 thread)", t_rs1)
    row(f"riskcensus fused ({a.threads} threads)", t_rs)
    print(f"  {'STREAM triad (' + str(a.threads) + ' threads)':<34} {triad:6.2f} GB/s (24 B/element, f64)")
    print(f"\nfused {a.threads} threads vs numexpr {a.threads} threads: {t_ne / t_rs:5.2f}x  (target >= 3x)")
    print(f"fused {a.threads} threads vs numpy:             {t_np / t_rs:5.2f}x  (target >= 5x)")
    print(f"fused fraction of triad bandwidth:      {n * bytes_per_cell / t_rs / 1e9 / triad:5.1%}  (target >= 60%)")
    print(f"fused f32 score output ({len(inputs) * 4 + 4} B/cell): {float(kv['score_f32_parallel_cells_per_s']) / 1e6:.1f} Mcells/s, "
          f"{float(kv['score_f32_fraction_of_triad']):.1%} of triad")
    print(f"\nlevels differ: numpy vs fused {int((lv_np != lv_rs).sum())}, numexpr vs fused {int((lv_ne != lv_rs).sum())} "
          f"of {n} cells; parallel == serial: {kv.get('parallel_equals_serial')}")
    l1 = load()
    print(f"load average at end: {l1[0]:.2f} {l1[1]:.2f} {l1[2]:.2f}")


if __name__ == "__main__":
    main()
