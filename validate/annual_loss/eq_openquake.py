"""Earthquake annual-loss goldens from the OpenQuake engine (classical_damage and
classical_risk) on given hazard curves.

Inputs (fixtures/annual_loss/, written by make_inputs.py): eq_exposure.csv,
eq_hazard_curve_sampled.csv (the GB 18306-2015 four-level curve of eq_hazard_curve.csv,
log-log interpolated, sampled at N_IML = 121 log-spaced PGAs from 0.05 g to 0.4425 g,
both ends included) and the fragility rows of models/earthquake/seismic_fragility.csv.

What is fed to OpenQuake (written to fixtures/annual_loss/oq/, then run with
`python -m openquake.commands engine --run <job.ini>` on a local datastore/db under
target/):
  * hazard_curves_file: one site, PGA, investigation_time = 1, poe = 1 - exp(-rate)
    at each sampled PGA (OpenQuake reads the PoEs as float32).
  * fragility model (classical_damage): format="continuous", shape="logncdf", one
    function per taxonomy; OpenQuake's continuous functions take the arithmetic mean
    and standard deviation of the lognormal, so the HAZUS median m and beta are
    converted: mean = m exp(beta^2/2), stddev = mean sqrt(exp(beta^2) - 1) (OpenQuake
    converts back to median and sigma exactly). minIML/maxIML = the first/last hazard
    IML (no clamping inside the hazard range), no noDamageLimit.
  * vulnerability model (classical_risk): one function per taxonomy, dist="LN", covLRs
    all 0, imls = the 121 hazard IMLs, meanLRs = sum_ds P(ds | PGA) LR_ds with
    P(ds) = F_ds - F_ds+1 from scipy.stats.lognorm(s=beta, scale=median).cdf and
    LR = none 0, slight 0.02, moderate 0.10, extensive 0.50, complete 1.0.
  * exposure: every building one asset (number 1) at the site, structural value =
    value_wan (万元), so avg losses come out in 万元/yr.
  * risk_investigation_time = 1, steps_per_interval = 1 (classical_damage evaluates the
    fragility functions at the hazard IMLs themselves; no re-interpolation of the
    curve, so continuous_fragility_discretization is unused),
    lrem_steps_per_interval = LREM_STEPS (classical_risk: loss-ratio grid refinement).

What OpenQuake integrates (openquake/risklib/scientific.py, 3.26.2):
  classical_damage(): afoe_i = -ln(1 - poe_i)/investigation_time at the N hazard IMLs;
    the afoe array is padded by repeating its first and last value,
    afoo = pairwise_diff(pairwise_mean([afoe_0] + afoe + [afoe_N-1])), i.e.
    afoo_0 = (afoe_0 - afoe_1)/2, afoo_i = (afoe_i-1 - afoe_i+1)/2,
    afoo_N-1 = (afoe_N-2 - afoe_N-1)/2; then rate_ds = afoo . F_ds(iml) — the
    trapezoidal rule of the integral of F_ds over the exceedance-rate axis from
    afoe_N-1 (very rare, 1.00005e-4/yr) to afoe_0 (frequent, 0.019885/yr). Nothing is
    counted beyond either end: not the rate above the frequent level (weaker, more
    frequent shaking) and not the tail beyond the very rare PGA (no afoe_N-1 x F(x_N-1)
    term). Each damage state's PoE in risk_investigation_time T_r is
    1 - exp(-rate_ds T_r); the output is the fraction of the asset in each state,
    the differences of [1, PoE_slight, ..., PoE_complete, 0].
  classical(): the vulnerability function's imls are turned into N+1 bin edges
    (mean_imls: first iml - half step, midpoints, last iml + half step), clamped to
    the hazard range [first, last hazard IML], where the hazard PoE is interpolated
    linearly in (IML, PoE); afoo_j = afoe(edge_j) - afoe(edge_j+1) is the rate of PGA
    in the bin of iml_j: again exactly the rate range [very rare, frequent]. With cov
    0 the loss ratio exceeds l with probability 1 when l <= MLR_j; the loss-ratio
    grid is the meanLRs with 0 and 1 added, each step split into
    lrem_steps_per_interval equal parts; loss-curve PoE = 1 - exp(-rate(l) T_r) and
    the average loss is the trapezoidal rule of PoE over the loss-ratio grid
    (average_loss), times the asset value.

Conversion to rates (this script): rate_ds = -ln(1 - PoE_ds) with risk_investigation_time
1, where PoE_ds = sum of the output fractions of ds and every worse state (this
inverts OpenQuake's own 1 - exp(-rate) exactly; the fractions are stored as float32).
aal_per_wan = OpenQuake's avg_losses of the taxonomy's assets / their value (it is a
property of the taxonomy; every asset gives the same ratio up to float32 rounding);
the `portfolio` row has the sum of avg_losses over all assets, 万元/yr.
eq_quad_golden.csv's oq_rel_aal_rates is OpenQuake's own loss curves (loss_curves-stats)
integrated by the trapezoidal rule over rate = -ln(1 - PoE) instead of PoE, relative
to the quadrature: it isolates bias (b) below.

Known biases of OpenQuake's aal_per_wan against the exact integral of the loss over the
rate range (Rust should compare with a tolerance, or use eq_quad_golden.csv):
(a) average_loss integrates PoE = 1 - exp(-rate), not rate: at most rate/2 relative
(< 1 %, the frequent rate is 0.0199); (b) with cov 0 the loss curve is a step
function and the trapezoid over the loss-ratio grid overstates it by half a grid step
(reduced by LREM_STEPS). eq_quad_golden.csv gives, from scipy quadrature alone (no
OpenQuake), rate_ds and aal_per_wan = integral over [rate very rare, rate frequent] of
F_ds(PGA(rate)) resp. MLR(PGA(rate)) d rate on the continuous log-log curve, plus
OpenQuake's relative deviation from them. With N_IML = 121 and LREM_STEPS = 20 (first
run, openquake-engine 3.26.2): damage-state rates +0.8e-4 to +6.7e-4 relative (the
trapezoid over a convex F(rate) plus float32 PoEs), aal_per_wan -0.08 % to -0.31 %
(portfolio -0.24 %); the loss curves integrated over rate instead of PoE give
+0.11 % to +0.18 %, so (a) is the larger of the two biases.
"""
import csv
import glob
import hashlib
import json
import math
import os
import shutil
import subprocess
import sys

import numpy as np
from scipy import integrate, stats

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "fixtures", "annual_loss")
OQDIR = os.path.join(OUT, "oq")
WORK = os.path.join(ROOT, "target", "annual_loss_oq")
DS = ["slight", "moderate", "extensive", "complete"]
LR = {"none": 0.0, "slight": 0.02, "moderate": 0.10, "extensive": 0.50, "complete": 1.0}
LREM_STEPS = 20
SITE = (117.1, 36.2)  # lon, lat (any point; the hazard is given)


def read_csv(path):
    with open(path, newline="") as f:
        return list(csv.DictReader(row for row in f if not row.startswith("#")))


def fragility_rows():
    rows = read_csv(os.path.join(ROOT, "models", "earthquake", "seismic_fragility.csv"))
    return {"%s_%s" % (r["hazus_type"], r["code"]): r for r in rows}


def cdfs(row, x):
    """P(DS >= ds | PGA x) for the four damage states (scipy lognormal)."""
    beta = float(row["beta"])
    return [stats.lognorm.cdf(x, s=beta, scale=float(row[ds + "_g"])) for ds in DS]


def mean_loss_ratio(row, x):
    F = cdfs(row, x) + [np.zeros_like(np.asarray(x, dtype=float))]
    return sum((F[i] - F[i + 1]) * LR[ds] for i, ds in enumerate(DS))


def write_inputs(taxos, frag, pgas, exposure):
    if os.path.isdir(OQDIR):
        shutil.rmtree(OQDIR)
    os.makedirs(OQDIR)
    lon, lat = SITE
    with open(os.path.join(OQDIR, "hazard_curves.csv"), "w") as f:
        f.write("#,,,,\"investigation_time=1.0, imt='PGA'\"\n")
        f.write(",".join(["lon", "lat", "depth"] + ["poe-%.12g" % p for p in pgas]) + "\n")
        rates = np.array([float(r["annual_rate"]) for r in read_csv(
            os.path.join(OUT, "eq_hazard_curve_sampled.csv"))])
        f.write(",".join(["%.5f" % lon, "%.5f" % lat, "0.0"] +
                         ["%.10e" % (-math.expm1(-r)) for r in rates]) + "\n")
    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<nrml xmlns="http://openquake.org/xmlns/nrml/0.5">',
             '<fragilityModel id="hazus_equiv_pga" assetCategory="buildings" '
             'lossCategory="structural">',
             '<description>HAZUS-MH MR4 equivalent-PGA fragility '
             '(models/earthquake/seismic_fragility.csv)</description>',
             '<limitStates>%s</limitStates>' % " ".join(DS)]
    for t in taxos:
        r = frag[t]
        beta = float(r["beta"])
        lines.append('<fragilityFunction id="%s" format="continuous" shape="logncdf">' % t)
        lines.append('<imls imt="PGA" minIML="%.12g" maxIML="%.12g"/>' % (pgas[0], pgas[-1]))
        for ds in DS:
            med = float(r[ds + "_g"])
            mean = med * math.exp(beta * beta / 2.0)
            std = mean * math.sqrt(math.expm1(beta * beta))
            lines.append('<params ls="%s" mean="%.15g" stddev="%.15g"/>' % (ds, mean, std))
        lines.append('</fragilityFunction>')
    lines += ['</fragilityModel>', '</nrml>']
    with open(os.path.join(OQDIR, "fragility_model.xml"), "w") as f:
        f.write("\n".join(lines) + "\n")

    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<nrml xmlns="http://openquake.org/xmlns/nrml/0.5">',
             '<vulnerabilityModel id="hazus_equiv_pga_lr" assetCategory="buildings" '
             'lossCategory="structural">',
             '<description>mean loss ratio = sum_ds P(ds|PGA) LR_ds, cov 0</description>']
    for t in taxos:
        mlr = mean_loss_ratio(frag[t], pgas)
        lines.append('<vulnerabilityFunction id="%s" dist="LN">' % t)
        lines.append('<imls imt="PGA">%s</imls>' % " ".join("%.12g" % p for p in pgas))
        lines.append('<meanLRs>%s</meanLRs>' % " ".join("%.15g" % m for m in mlr))
        lines.append('<covLRs>%s</covLRs>' % " ".join("0" for _ in pgas))
        lines.append('</vulnerabilityFunction>')
    lines += ['</vulnerabilityModel>', '</nrml>']
    with open(os.path.join(OQDIR, "vulnerability_model.xml"), "w") as f:
        f.write("\n".join(lines) + "\n")

    lines = ['<?xml version="1.0" encoding="utf-8"?>',
             '<nrml xmlns="http://openquake.org/xmlns/nrml/0.5">',
             '<exposureModel id="eq_exposure" category="buildings" taxonomySource="HAZUS">',
             '<description>fixtures/annual_loss/eq_exposure.csv</description>',
             '<conversions><costTypes>'
             '<costType name="structural" type="aggregated" unit="wan_CNY"/>'
             '</costTypes></conversions>', '<assets>']
    for a in exposure:
        lines.append('<asset id="%s" number="1" taxonomy="%s"><location lon="%.5f" '
                     'lat="%.5f"/><costs><cost type="structural" value="%s"/></costs>'
                     '<occupancies><occupancy occupants="%s" period="night"/></occupancies>'
                     '</asset>' % (a["id"], a["taxonomy"], lon, lat, a["value_wan"],
                                   a["occupants"]))
    lines += ['</assets>', '</exposureModel>', '</nrml>']
    with open(os.path.join(OQDIR, "exposure_model.xml"), "w") as f:
        f.write("\n".join(lines) + "\n")

    common = ("[general]\ndescription = RiskCensus annual-loss golden ({mode})\n"
              "calculation_mode = {mode}\n\n[hazard]\nhazard_curves_file = hazard_curves.csv\ninvestigation_time = 1\n\n"
              "[exposure]\nexposure_file = exposure_model.xml\n\n[risk]\n{model}\n"
              "risk_investigation_time = 1\n{extra}\n")
    with open(os.path.join(OQDIR, "job_damage.ini"), "w") as f:
        f.write(common.format(mode="classical_damage",
                              model="structural_fragility_file = fragility_model.xml",
                              extra="steps_per_interval = 1"))
    with open(os.path.join(OQDIR, "job_risk.ini"), "w") as f:
        f.write(common.format(mode="classical_risk",
                              model="structural_vulnerability_file = vulnerability_model.xml",
                              extra="lrem_steps_per_interval = %d" % LREM_STEPS))


def oq_env():
    env = dict(os.environ)
    env["OQ_DATADIR"] = os.path.join(WORK, "oqdata")
    env["OQ_DISTRIBUTE"] = "no"
    env["OQ_CONFIG_FILE"] = os.path.join(WORK, "openquake.cfg")
    return env


def run_oq(job):
    """Runs `oq engine --run job` and returns the calculation's datastore path."""
    env = oq_env()
    before = set(glob.glob(os.path.join(env["OQ_DATADIR"], "calc_*.hdf5")))
    cmd = [sys.executable, "-m", "openquake.commands", "engine", "--run", job]
    res = subprocess.run(cmd, env=env, cwd=OQDIR, capture_output=True, text=True)
    if res.returncode != 0:
        sys.stderr.write(res.stdout[-4000:] + res.stderr[-4000:])
        raise SystemExit("oq engine --run %s failed" % os.path.basename(job))
    new = sorted(p for p in set(glob.glob(os.path.join(env["OQ_DATADIR"], "calc_*.hdf5")))
                 - before if not p.endswith("_tmp.hdf5"))
    if len(new) != 1:
        raise SystemExit("cannot find the datastore of %s: %s" % (job, new))
    return new[0]


def read_damages(path):
    """Fractions (A, D+1) of each asset in no_damage, slight, ..., complete."""
    import h5py
    with h5py.File(path, "r") as h5:
        arr = h5["damages-rlzs"][()]  # (A, R=1), fields structural-<state>, float32
    names = ["structural-no_damage"] + ["structural-" + ds for ds in DS]
    if list(arr.dtype.names) != names:
        raise SystemExit("unexpected damages-rlzs fields %s" % (arr.dtype.names,))
    return np.stack([arr[n][:, 0].astype(np.float64) for n in names], axis=1)


def read_avg_losses(path):
    """Average annual loss per asset (A,) and the loss curves (A, C) of losses, PoEs."""
    import h5py
    with h5py.File(path, "r") as h5:
        avg = h5["avg_losses-stats"]["structural"][()][:, 0].astype(np.float64)
        lc = h5["loss_curves-stats"][()]["structural"][:, 0]
    return avg, lc["losses"].astype(np.float64), lc["poes"].astype(np.float64)


def quad_rates(frag_row, pts):
    """Exact integrals over [rate very rare, rate frequent] on the log-log curve."""
    out = {ds: 0.0 for ds in DS}
    out["aal"] = 0.0
    for (n0, r0, x0), (n1, r1, x1) in zip(pts[:-1], pts[1:]):
        b = (math.log(r1) - math.log(r0)) / (math.log(x1) - math.log(x0))  # < 0
        a = math.log(r0) - b * math.log(x0)

        def rate(lx):
            return math.exp(a + b * lx)
        for i, ds in enumerate(DS):
            f = lambda lx: cdfs(frag_row, math.exp(lx))[i] * (-b) * rate(lx)
            out[ds] += integrate.quad(f, math.log(x0), math.log(x1), epsabs=0,
                                      epsrel=1e-12, limit=200)[0]
        g = lambda lx: float(mean_loss_ratio(frag_row, math.exp(lx))) * (-b) * rate(lx)
        out["aal"] += integrate.quad(g, math.log(x0), math.log(x1), epsabs=0,
                                     epsrel=1e-12, limit=200)[0]
    return out


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        h.update(f.read())
    return h.hexdigest()


def main():
    import openquake.baselib as oqb
    import scipy
    os.makedirs(WORK, exist_ok=True)
    with open(os.path.join(WORK, "openquake.cfg"), "w") as f:
        f.write("[dbserver]\nfile = %s\nmulti_user = false\n\n[directory]\n"
                "shared_dir =\ncustom_tmp = %s\n\n[distribution]\noq_distribute = no\n"
                % (os.path.join(WORK, "db.sqlite3"), WORK))
    frag = fragility_rows()
    exposure = read_csv(os.path.join(OUT, "eq_exposure.csv"))
    taxos = sorted({a["taxonomy"] for a in exposure})
    missing = [t for t in taxos if t not in frag]
    if missing:
        raise SystemExit("taxonomies without fragility rows: %s" % missing)
    sampled = read_csv(os.path.join(OUT, "eq_hazard_curve_sampled.csv"))
    pgas = np.array([float(r["pga_g"]) for r in sampled])
    write_inputs(taxos, frag, pgas, exposure)

    dpath = run_oq(os.path.join(OQDIR, "job_damage.ini"))
    dmg = read_damages(dpath)
    rpath = run_oq(os.path.join(OQDIR, "job_risk.ini"))
    avg, lc_loss, lc_poe = read_avg_losses(rpath)
    # The same loss curves integrated over rates instead of PoEs (diagnostic only).
    lc_rate = -np.log1p(-lc_poe)
    avg_rate = np.sum(np.diff(lc_loss, axis=1) * (lc_rate[:, 1:] + lc_rate[:, :-1]) / 2,
                       axis=1)
    values = np.array([float(a["value_wan"]) for a in exposure])

    from make_inputs import hazard_points
    pts = [(n, r, x) for n, r, x in hazard_points()]
    golden, quad = [], []
    for t in taxos:
        idx = [i for i, a in enumerate(exposure) if a["taxonomy"] == t]
        frac = dmg[idx]  # (n, 5): no_damage, slight, ..., complete
        if frac.shape[1] != len(DS) + 1:
            raise SystemExit("unexpected damage array shape %s" % (frac.shape,))
        poe = np.cumsum(frac[:, ::-1], axis=1)[:, ::-1][:, 1:]  # P(>= ds)
        rates = -np.log1p(-poe)
        spread = np.ptp(rates, axis=0) / rates.mean(axis=0)
        if np.any(spread > 1e-5):
            raise SystemExit("assets of %s disagree: %s" % (t, spread))
        r = rates.mean(axis=0)
        ratio = avg[idx] / values[idx]
        if np.ptp(ratio) / ratio.mean() > 1e-5:
            raise SystemExit("loss ratios of %s disagree" % t)
        aal = ratio.mean()
        aal_rate = (avg_rate[idx] / values[idx]).mean()
        golden.append([t] + ["%.8e" % v for v in r] + ["%.8e" % aal])
        q = quad_rates(frag[t], pts)
        quad.append([t] + ["%.10e" % q[ds] for ds in DS] + ["%.10e" % q["aal"]] +
                    ["%+.3e" % (r[i] / q[ds] - 1.0) for i, ds in enumerate(DS)] +
                    ["%+.3e" % (aal / q["aal"] - 1.0), "%+.3e" % (aal_rate / q["aal"] - 1.0)])
    total = avg.sum()
    head = "# openquake-engine %s (oq engine --run), numpy %s, scipy %s; see " \
           "validate/annual_loss/eq_openquake.py\n" % (oqb.__version__, np.__version__,
                                                         scipy.__version__)
    with open(os.path.join(OUT, "eq_oq_golden.csv"), "w", newline="") as f:
        f.write(head)
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["taxonomy"] + ["rate_" + ds for ds in DS] + ["aal_per_wan"])
        w.writerows(golden)
        w.writerow(["portfolio", "", "", "", "", "%.8e" % total])
    qtotal = sum(float(quad[taxos.index(a["taxonomy"])][5]) * float(a["value_wan"])
                 for a in exposure)
    with open(os.path.join(OUT, "eq_quad_golden.csv"), "w", newline="") as f:
        f.write("# scipy %s quadrature (no OpenQuake) over rate in [very rare, frequent] on "
                "the log-log curve; oq_rel_* = eq_oq_golden / this - 1\n" % scipy.__version__)
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["taxonomy"] + ["rate_" + ds for ds in DS] + ["aal_per_wan"] +
                   ["oq_rel_" + ds for ds in DS] + ["oq_rel_aal", "oq_rel_aal_rates"])
        w.writerows(quad)
        w.writerow(["portfolio", "", "", "", "", "%.10e" % qtotal, "", "", "", "",
                    "%+.3e" % (total / qtotal - 1.0),
                    "%+.3e" % (avg_rate.sum() / qtotal - 1.0)])
    for row in golden:
        print("  %-13s rates %s aal/wan %s" % (row[0], " ".join(row[1:5]), row[5]))
    print("  portfolio AAL %.6g 万元/yr (quadrature %.6g)" % (total, qtotal))
    return {
        "tool": "openquake-engine", "version": oqb.__version__,
        "numpy": np.__version__, "scipy": scipy.__version__,
        "python": sys.version.split()[0],
        "command": "python -m openquake.commands engine --run job_damage.ini / job_risk.ini "
                   "(in fixtures/annual_loss/oq, OQ_DISTRIBUTE=no, local OQ_DATADIR and db "
                   "under target/)",
        "steps_per_interval": 1, "lrem_steps_per_interval": LREM_STEPS,
        "risk_investigation_time": 1, "hazard_investigation_time": 1,
        "n_iml": int(len(pgas)),
        "rate_conversion": "rate_ds = -ln(1 - PoE_ds), PoE_ds = sum of damages-rlzs "
                           "fractions of ds and worse states (risk_investigation_time 1)",
        "integrated_rate_range": [pts[-1][1], pts[0][1]],
        "oq_inputs_sha256": {os.path.relpath(p, OUT): sha256(p)
                             for p in sorted(glob.glob(os.path.join(OQDIR, "*")))},
        "outputs": ["eq_oq_golden.csv", "eq_quad_golden.csv"],
    }


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    info = main()
    with open(os.path.join(WORK, "eq_manifest_part.json"), "w") as f:
        json.dump(info, f, indent=1)
