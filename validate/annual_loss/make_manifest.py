"""Writes fixtures/annual_loss/manifest.json from the parts the three golden scripts left
under target/ (tool versions, commands) plus the SHA-256 of every input and golden."""
import glob
import hashlib
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "fixtures", "annual_loss")
PARTS = {
    "earthquake": "target/annual_loss_oq/eq_manifest_part.json",
    "flood_ead": "target/annual_loss_climada/flood_manifest_part.json",
    "flood_mortality": "target/annual_loss_oq/mortality_manifest_part.json",
}
INPUTS = ["eq_exposure.csv", "eq_hazard_curve.csv", "eq_hazard_curve_sampled.csv",
          "flood_depths.csv", "flood_buildings.csv"]
MODELS = ["models/earthquake/seismic_fragility.csv", "models/flood/flood_depth_damage.toml"]


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    man = {
        "about": "Independent goldens of the expected-annual-loss computations; "
                 "regenerate with validate/annual_loss/run.sh",
        "inputs_generated_by": "validate/annual_loss/make_inputs.py (numpy PCG64, fixed seeds)",
        "inputs_sha256": {n: sha256(os.path.join(OUT, n)) for n in INPUTS},
        "models_sha256": {m: sha256(os.path.join(ROOT, m)) for m in MODELS},
    }
    for key, rel in PARTS.items():
        with open(os.path.join(ROOT, rel)) as f:
            part = json.load(f)
        part["goldens_sha256"] = {n: sha256(os.path.join(OUT, n)) for n in part["outputs"]}
        man[key] = part
    man["earthquake"]["script"] = "validate/annual_loss/eq_openquake.py"
    man["earthquake"]["oq_engine_run"] = (
        "the full engine ran (oq engine --run); the scientific functions were not called "
        "directly")
    man["flood_ead"]["script"] = "validate/annual_loss/flood_climada.py"
    man["flood_ead"]["independence"] = (
        "CLIMADA (ETH Zurich) computes eai_exp = sum_e frequency_e x impact_e; the "
        "trapezoidal EAD convention enters only through the event frequencies w_i")
    man["flood_mortality"]["script"] = "validate/annual_loss/flood_mortality.py"
    man["flood_mortality"]["independent_copy"] = (
        "none found: the public code corpora searched (code, pages) had no implementation "
        "carrying mu_N = 7.60, sigma_N = 2.75; the flood-risk code found uses other "
        "(logistic) Jonkman fits. The parameters are those of Jonkman 2007 (thesis) and "
        "Jonkman, Vrijling & Vrouwenvelder 2008 (Nat. Hazards 46) as given in the brief")
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(man, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
