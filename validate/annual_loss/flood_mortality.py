"""Jonkman flood-mortality hand values (fixtures/annual_loss/flood_mortality_golden.csv).

Mortality in the "remaining zone" of a flood (outside the breach and rapidly-rising
zones) as a function of the water depth h (m): F_D(h) = Phi((ln h - mu_N)/sigma_N) with
mu_N = 7.60, sigma_N = 2.75 (Jonkman, S.N. 2007, Loss of life estimation in flood risk
assessment, PhD thesis TU Delft; Jonkman, S.N., Vrijling, J.K., Vrouwenvelder, A.C.W.M.
2008, Methods for the estimation of loss of life due to floods, Natural Hazards 46,
353-389). Phi = scipy.stats.norm.cdf.
"""
import csv
import json
import os
import sys

import numpy as np
import scipy
from scipy import stats

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "fixtures", "annual_loss")
WORK = os.path.join(ROOT, "target", "annual_loss_oq")
MU, SIGMA = 7.60, 2.75
DEPTHS = [0.5, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0]


def main():
    os.makedirs(WORK, exist_ok=True)
    with open(os.path.join(OUT, "flood_mortality_golden.csv"), "w", newline="") as f:
        f.write("# scipy %s: norm.cdf((ln h - %.2f)/%.2f), Jonkman (2007, 2008) remaining "
                "zone; see validate/annual_loss/flood_mortality.py\n" % (scipy.__version__,
                                                                          MU, SIGMA))
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["depth_m", "mortality"])
        for h in DEPTHS:
            w.writerow(["%g" % h, "%.10e" % stats.norm.cdf((np.log(h) - MU) / SIGMA)])
    info = {"tool": "scipy (scipy.stats.norm.cdf)", "version": scipy.__version__,
            "python": sys.version.split()[0], "mu_N": MU, "sigma_N": SIGMA,
            "command": "python validate/annual_loss/flood_mortality.py",
            "outputs": ["flood_mortality_golden.csv"]}
    with open(os.path.join(WORK, "mortality_manifest_part.json"), "w") as f:
        json.dump(info, f, indent=1)


if __name__ == "__main__":
    main()
