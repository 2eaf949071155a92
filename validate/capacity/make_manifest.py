"""Writes fixtures/capacity/manifest.json from the parts the two golden scripts left
under target/capacity/ (tool versions, commands, parameters) plus the SHA-256 of every
input and golden."""
import hashlib
import json
import os

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "fixtures", "capacity")
PARTS = {
    "network": ("target/capacity/network_manifest_part.json",
                "validate/capacity/make_network_golden.py"),
    "two_sfca": ("target/capacity/two_sfca_manifest_part.json",
                 "validate/capacity/make_two_sfca_golden.py"),
}


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def main():
    man = {
        "about": "Independent goldens of the capacity computations (road-network travel "
                 "times and lengths: networkx; 2SFCA: PySAL access); regenerate with "
                 "validate/capacity/run.sh, compared by crates/models/tests/capacity.rs",
        "run": "validate/capacity/run.sh",
    }
    for key, (rel, script) in PARTS.items():
        with open(os.path.join(ROOT, rel)) as f:
            part = json.load(f)
        part["script"] = script
        part["inputs_sha256"] = {n: sha256(os.path.join(OUT, n)) for n in part.pop("inputs")}
        part["goldens_sha256"] = {n: sha256(os.path.join(OUT, n)) for n in part.pop("outputs")}
        man[key] = part
    with open(os.path.join(OUT, "manifest.json"), "w") as f:
        json.dump(man, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
