#!/usr/bin/env python3
"""SHA-256 of every file a run or demo folder holds, for checking that a change of
code moves nothing (e.g. `riskcensus demo --resolution 150` before and after).

The parts of a run that are not a function of its inputs are left out or normalised:
`timings` of manifest.json and the report's timing table, the batch ids and load times of the census database as
the report quotes them, and the census database itself (its `_batches` log carries
load times; its tables are compared by row count instead).

Usage: scripts/output_digests.py <folder>   → one line per file: digest  path
"""
import hashlib
import json
import os
import re
import sqlite3
import sys

BATCH = re.compile(rb"\d{8}T\d{6}Z-\d+-\d+-[0-9a-f]{8}")
STAMP = re.compile(rb"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?")
# The report's table of stage timings (seconds of this run on this machine).
TIMINGS = re.compile(rb"(Stage timings.*?<tbody>).*?(</tbody>)", re.S)


def digest(path):
    data = open(path, "rb").read()
    name = os.path.basename(path)
    if name == "manifest.json":
        m = json.loads(data)
        m.pop("timings", None)
        data = json.dumps(m, sort_keys=True, ensure_ascii=False).encode()
    elif name.endswith(".html"):
        data = STAMP.sub(b"<time>", BATCH.sub(b"<batch>", data))
        data = TIMINGS.sub(rb"\1<timings>\2", data)
    return hashlib.sha256(data).hexdigest()


def main(root):
    for d, _, files in sorted(os.walk(root)):
        for f in sorted(files):
            p = os.path.join(d, f)
            rel = os.path.relpath(p, root)
            if f == "census.gpkg":
                db = sqlite3.connect(p)
                names = [r[0] for r in db.execute(
                    "SELECT table_name FROM gpkg_contents ORDER BY table_name")]
                counts = ";".join(
                    "%s=%d" % (n, db.execute('SELECT count(*) FROM "%s"' % n).fetchone()[0])
                    for n in names if not n.startswith("result_"))
                print(f"{hashlib.sha256(counts.encode()).hexdigest()}  {rel} (row counts)")
            elif f.endswith(("-journal", ".lock")):
                continue
            else:
                print(f"{digest(p)}  {rel}")


if __name__ == "__main__":
    main(sys.argv[1])
