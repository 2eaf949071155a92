"""Geohazard susceptibility goldens from an independent implementation.

Writes, under fixtures/geohazard/:
  samples.csv  - the sample table (class codes per factor, label, set), generated
                 here once with a fixed numpy seed;
  golden.json  - information values, frequency ratios and certainty factors per class
                 (numpy), the unpenalised logistic regression of the labels on the
                 classes' information values (scikit-learn LogisticRegression,
                 no penalty; standard errors from the inverse Fisher information
                 computed with numpy), and test-set AUCs (scikit-learn roc_auc_score),
                 with the tools' names and versions.

Definitions (as in crates/models/src/geohazard): study area = every row; hazard
cells = training rows with label 1; a class with no hazard row counts 0.5 in the
information value; CF by Chung & Fabbri's favourability form, combined in factor
order by the Shortliffe-Buchanan rule.
"""
import csv
import json
import os
import platform
import sys

import numpy as np
import sklearn
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "fixtures", "geohazard")
SEED = 20260707
FACTORS = ["slope", "lithology", "dist_faults", "landcover", "twi"]
CLASSES = [6, 4, 5, 3, 7]
N = 3000
TEST_FRACTION = 0.3


def make_table(rng):
    codes = np.column_stack([rng.integers(1, k + 1, size=N) for k in CLASSES])
    # Latent effects per class (slope rising, lithology soft > hard, faults decaying).
    eff = [
        np.array([-1.5, -0.8, 0.0, 0.6, 1.0, 1.2]),
        np.array([-0.7, -0.2, 0.5, 0.3]),
        np.array([0.8, 0.4, 0.0, -0.3, -0.5]),
        np.array([0.0, 0.3, -0.4]),
        np.array([-0.2, 0.0, 0.1, 0.2, 0.1, 0.0, -0.1]),
    ]
    eta = -1.6 + sum(e[codes[:, f] - 1] for f, e in enumerate(eff))
    p = 1.0 / (1.0 + np.exp(-eta))
    labels = (rng.random(N) < p).astype(np.int64)
    test = np.zeros(N, dtype=bool)
    for lab in (0, 1):
        idx = np.flatnonzero(labels == lab)
        rng.shuffle(idx)
        test[idx[: int(round(TEST_FRACTION * len(idx)))]] = True
    return codes, labels, test


def counts(codes, hazard_mask):
    area = [np.bincount(codes[:, f] - 1, minlength=k).astype(np.int64) for f, k in enumerate(CLASSES)]
    haz = [np.bincount(codes[hazard_mask, f] - 1, minlength=k).astype(np.int64) for f, k in enumerate(CLASSES)]
    return area, haz


def iv_fr_cf(area, haz):
    S = area[0].sum()
    Nh = haz[0].sum()
    iv, fr, cf = [], [], []
    for a, h in zip(area, haz):
        a = a.astype(float)
        h = h.astype(float)
        hi = np.where(h == 0, 0.5, h)
        iv.append(np.where(a > 0, np.log((hi / Nh) / (a / S)), 0.0))
        fr.append(np.where(a > 0, (h / Nh) / (a / S), 0.0))
        ppa = np.where(a > 0, h / np.where(a > 0, a, 1), 0.0)
        pps = Nh / S
        c = np.where(ppa >= pps, (ppa - pps) / np.where(ppa > 0, ppa * (1 - pps), 1), (ppa - pps) / (pps * (1 - ppa)))
        c = np.where(a > 0, c, 0.0)
        cf.append(c)
    return iv, fr, cf


def cf_combine(x, y):
    out = np.empty_like(x)
    both_pos = (x >= 0) & (y >= 0)
    both_neg = (x < 0) & (y < 0)
    mixed = ~(both_pos | both_neg)
    out[both_pos] = x[both_pos] + y[both_pos] - x[both_pos] * y[both_pos]
    out[both_neg] = x[both_neg] + y[both_neg] + x[both_neg] * y[both_neg]
    d = 1 - np.minimum(np.abs(x[mixed]), np.abs(y[mixed]))
    out[mixed] = np.where(d == 0, 0.0, (x[mixed] + y[mixed]) / np.where(d == 0, 1, d))
    return out


def irls(X, y):
    """Plain numpy Newton-Raphson, as a cross-check of scikit-learn."""
    Xd = np.column_stack([np.ones(len(y)), X])
    b = np.zeros(Xd.shape[1])
    for _ in range(100):
        p = 1 / (1 + np.exp(-Xd @ b))
        W = p * (1 - p)
        step = np.linalg.solve(Xd.T @ (Xd * W[:, None]), Xd.T @ (y - p))
        b += step
        if np.max(np.abs(step)) < 1e-13 * (1 + np.max(np.abs(b))):
            break
    return b


def main():
    rng = np.random.default_rng(SEED)
    codes, labels, test = make_table(rng)
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, "samples.csv"), "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(FACTORS + ["label", "set"])
        for r in range(N):
            w.writerow([int(c) for c in codes[r]] + [int(labels[r]), "test" if test[r] else "train"])

    train = ~test
    area, haz = counts(codes, train & (labels == 1))
    iv, fr, cf = iv_fr_cf(area, haz)

    X = np.column_stack([iv[f][codes[:, f] - 1] for f in range(len(FACTORS))])
    lr = LogisticRegression(C=np.inf, solver="newton-cholesky", tol=1e-14, max_iter=1000)  # unpenalised: C = inf (penalty=None is deprecated since 1.8)
    lr.fit(X[train], labels[train])
    coef = np.concatenate([lr.intercept_, lr.coef_[0]])
    Xd = np.column_stack([np.ones(train.sum()), X[train]])
    p = 1 / (1 + np.exp(-Xd @ coef))
    info = Xd.T @ (Xd * (p * (1 - p))[:, None])
    se = np.sqrt(np.diag(np.linalg.inv(info)))
    b_np = irls(X[train], labels[train])
    print(f"sklearn vs numpy IRLS: max relative coefficient difference {np.max(np.abs(coef - b_np) / np.abs(b_np)):.2e}")

    iv_score = sum(iv[f][codes[:, f] - 1] for f in range(len(FACTORS)))
    fr_score = sum(fr[f][codes[:, f] - 1] for f in range(len(FACTORS)))
    cf_score = cf[0][codes[:, 0] - 1]
    for f in range(1, len(FACTORS)):
        cf_score = cf_combine(cf_score, cf[f][codes[:, f] - 1])
    lr_prob = lr.predict_proba(X)[:, 1]
    auc = {
        "iv": roc_auc_score(labels[test], iv_score[test]),
        "fr": roc_auc_score(labels[test], fr_score[test]),
        "cf": roc_auc_score(labels[test], cf_score[test]),
        "lr": roc_auc_score(labels[test], lr_prob[test]),
    }
    golden = {
        "generator": "validate/geohazard/make_goldens.py",
        "tools": {
            "python": platform.python_version(),
            "numpy": np.__version__,
            "scikit-learn": sklearn.__version__,
            "estimator": "sklearn.linear_model.LogisticRegression(C=inf (no penalty), solver='newton-cholesky', tol=1e-14)",
            "auc": "sklearn.metrics.roc_auc_score",
        },
        "seed": SEED,
        "factors": FACTORS,
        "classes": CLASSES,
        "area_counts": [a.tolist() for a in area],
        "hazard_counts": [h.tolist() for h in haz],
        "information_value": [v.tolist() for v in iv],
        "frequency_ratio": [v.tolist() for v in fr],
        "certainty_factor": [v.tolist() for v in cf],
        "logistic": {
            "names": ["(intercept)"] + FACTORS,
            "coefficients": coef.tolist(),
            "std_errors": se.tolist(),
            "numpy_irls_coefficients": b_np.tolist(),
        },
        "test_auc": auc,
    }
    with open(os.path.join(OUT, "golden.json"), "w") as fh:
        json.dump(golden, fh, indent=1)
        fh.write("\n")
    print("test AUC:", {k: round(v, 6) for k, v in auc.items()})
    print("coefficients:", coef)


if __name__ == "__main__":
    sys.exit(main())
