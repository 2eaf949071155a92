"""Road-network goldens from networkx (an independent Dijkstra).

Writes, under fixtures/capacity/:
  roads.csv           - a generated road network as polylines, one row per vertex:
                        line,vertex,x,y,speed_kmh (numpy PCG64, seed SEED): a jittered
                        lattice (250 m spacing) with some links missing, cut into lines
                        of one speed each, diagonal tracks, and a separate small
                        network 3 km east that no source reaches;
  nodes.csv           - the graph's nodes: node,x,y (ids in order of first appearance
                        along the lines, the rule of RoadNetwork::build);
  sources.csv         - x,y,start_min of the sources (one node given twice with two
                        starts: the smaller counts);
  network_golden.csv  - node,x,y,minutes: multi-source shortest travel time (inf where
                        unreachable);
  lengths_golden.csv  - source_node,cutoff_m,node,x,y,metres: shortest length from a
                        few nodes, nodes within the cutoff (inclusive);
and target/capacity/network_manifest_part.json (tool versions, counts).

The graph is networkx's own: nodes = distinct vertex coordinates (snap 0: vertices
merge only when identical), an edge between consecutive vertices of each line with
length = sqrt(dx*dx + dy*dy) metres and minutes = length * 60 / (speed_kmh * 1000),
the expressions of crates/models/src/capacity/network.rs, so both sides start from
the same edge weights. Several sources with start offsets are one networkx
single_source_dijkstra_path_length from an added super-source with a directed edge of
weight = start to each source (the textbook reduction of multi-source shortest paths
with offsets to the single-source problem); its distances are start + path sums, the
order in which RiskCensus adds them.
"""
import csv
import json
import math
import os
import platform
import sys

import networkx as nx
import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "fixtures", "capacity")
PART = os.path.join(ROOT, "target", "capacity", "network_manifest_part.json")
SEED = 20260711
NX, NY = 38, 38  # lattice nodes
SPACING = 250.0  # metres
JITTER = 60.0  # metres, uniform +-
X0, Y0 = 484_000.0, 4_020_000.0  # south-west corner, EPSG:4548-like metres
MISSING = 0.08  # share of lattice links left out
BREAK = 0.2  # chance a line is cut at a vertex
SPEEDS = [20.0, 30.0, 40.0, 60.0, 80.0]  # km/h
TRACK_SHARE = 0.08  # diagonal tracks per lattice cell
TRACK_SPEED = 15.0
N_SOURCES = 10
STARTS = [0.0, 0.5, 1.0, 2.5, 4.0]  # minutes (turn-out times)
LENGTH_SOURCES = 3
LENGTH_CUTOFF = 2000.0  # metres


def make_lines(rng):
    """Polylines [(points, speed)] of the lattice, the tracks and the island."""
    xy = np.empty((NX, NY, 2))
    for i in range(NX):
        for j in range(NY):
            xy[i, j, 0] = round(X0 + i * SPACING + rng.uniform(-JITTER, JITTER), 2)
            xy[i, j, 1] = round(Y0 + j * SPACING + rng.uniform(-JITTER, JITTER), 2)
    lines = []

    def runs(chain):
        """Cut a chain of lattice nodes at missing links and at random breaks."""
        present = rng.random(len(chain) - 1) >= MISSING
        cuts = rng.random(len(chain)) < BREAK
        cur = [chain[0]]
        for k in range(1, len(chain)):
            if not present[k - 1]:
                if len(cur) >= 2:
                    lines.append(cur)
                cur = [chain[k]]
                continue
            cur.append(chain[k])
            if cuts[k] and k < len(chain) - 1:
                lines.append(cur)
                cur = [chain[k]]
        if len(cur) >= 2:
            lines.append(cur)

    for j in range(NY):
        runs([(i, j) for i in range(NX)])
    for i in range(NX):
        runs([(i, j) for j in range(NY)])
    out = [([tuple(xy[i, j]) for (i, j) in chain], float(rng.choice(SPEEDS))) for chain in lines]
    for i in range(NX - 1):
        for j in range(NY - 1):
            if rng.random() < TRACK_SHARE:
                a, b = ((i, j), (i + 1, j + 1)) if rng.random() < 0.5 else ((i + 1, j), (i, j + 1))
                out.append(([tuple(xy[a]), tuple(xy[b])], TRACK_SPEED))
    # A separate 4 x 4 network 3 km east of the lattice: unreachable from the sources.
    ex = X0 + NX * SPACING + 3000.0
    isl = [[(round(ex + i * 200.0 + rng.uniform(-30, 30), 2), round(Y0 + j * 200.0 + rng.uniform(-30, 30), 2))
            for j in range(4)] for i in range(4)]
    for i in range(4):
        out.append(([isl[i][j] for j in range(4)], 30.0))
    for j in range(4):
        out.append(([isl[i][j] for i in range(4)], 30.0))
    return out


def graph(lines):
    """networkx Graph; nodes numbered by first appearance; no parallel edges."""
    ids = {}
    g = nx.Graph()
    for points, speed in lines:
        for p in points:
            if p not in ids:
                ids[p] = len(ids)
                g.add_node(ids[p], x=p[0], y=p[1])
        for p, q in zip(points, points[1:]):
            a, b = ids[p], ids[q]
            assert a != b and not g.has_edge(a, b), "generator made a parallel edge"
            dx, dy = q[0] - p[0], q[1] - p[1]
            length = math.sqrt(dx * dx + dy * dy)
            g.add_edge(a, b, length=length, minutes=length * 60.0 / (speed * 1000.0))
    return g, ids


def write_csv(name, header, rows):
    with open(os.path.join(OUT, name), "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def num(v):
    """Shortest round-trip text of a float (Python repr); inf as 'inf'."""
    return repr(float(v))


def main():
    os.makedirs(OUT, exist_ok=True)
    os.makedirs(os.path.dirname(PART), exist_ok=True)
    rng = np.random.Generator(np.random.PCG64(SEED))
    lines = make_lines(rng)
    g, ids = graph(lines)
    xy = {n: (d["x"], d["y"]) for n, d in g.nodes(data=True)}

    write_csv("roads.csv", ["line", "vertex", "x", "y", "speed_kmh"],
              [[li, vi, num(p[0]), num(p[1]), num(speed)]
               for li, (points, speed) in enumerate(lines) for vi, p in enumerate(points)])
    write_csv("nodes.csv", ["node", "x", "y"],
              [[n, num(xy[n][0]), num(xy[n][1])] for n in sorted(g.nodes)])

    # Sources on the main component (the largest), one given twice.
    main_comp = sorted(max(nx.connected_components(g), key=len))
    picks = rng.choice(main_comp, size=N_SOURCES, replace=False)
    sources = [(int(n), float(rng.choice(STARTS))) for n in picks]
    sources.append((sources[0][0], sources[0][1] + 3.0))
    write_csv("sources.csv", ["x", "y", "start_min"],
              [[num(xy[n][0]), num(xy[n][1]), num(s)] for n, s in sources])

    start = {}
    for n, s in sources:
        start[n] = min(s, start.get(n, math.inf))
    dg = g.to_directed()
    SUPER = "super-source"
    for n, s in start.items():
        dg.add_edge(SUPER, n, minutes=s)
    dist = nx.single_source_dijkstra_path_length(dg, SUPER, weight="minutes")
    write_csv("network_golden.csv", ["node", "x", "y", "minutes"],
              [[n, num(xy[n][0]), num(xy[n][1]), num(dist.get(n, math.inf))] for n in sorted(g.nodes)])

    length_sources = [int(n) for n in rng.choice(main_comp, size=LENGTH_SOURCES, replace=False)]
    rows = []
    for s in length_sources:
        d = nx.single_source_dijkstra_path_length(g, s, cutoff=LENGTH_CUTOFF, weight="length")
        rows += [[s, num(LENGTH_CUTOFF), n, num(xy[n][0]), num(xy[n][1]), num(d[n])] for n in sorted(d)]
    write_csv("lengths_golden.csv", ["source_node", "cutoff_m", "node", "x", "y", "metres"], rows)

    reached = sum(1 for n in g.nodes if n in dist)
    part = {
        "tool": "networkx",
        "version": nx.__version__,
        "numpy": np.__version__,
        "python": platform.python_version(),
        "command": "python validate/capacity/make_network_golden.py "
                   "(networkx single_source_dijkstra_path_length from a super-source; "
                   "single_source_dijkstra_path_length with cutoff on length)",
        "seed": SEED,
        "rng": "numpy PCG64",
        "lines": len(lines),
        "nodes": g.number_of_nodes(),
        "edges": g.number_of_edges(),
        "nodes_reached": reached,
        "sources": len(sources),
        "length_sources": length_sources,
        "length_cutoff_m": LENGTH_CUTOFF,
        "edge_weights": "length = sqrt(dx*dx + dy*dy) m; minutes = length * 60 / (speed_kmh * 1000)",
        "multi_source": "super-source with a directed edge of weight = start minutes to each "
                        "source (a node given twice keeps the smaller start)",
        "inputs": ["roads.csv", "nodes.csv", "sources.csv"],
        "outputs": ["network_golden.csv", "lengths_golden.csv"],
    }
    with open(PART, "w") as f:
        json.dump(part, f, indent=1)
    print(f"network: {len(lines)} lines, {g.number_of_nodes()} nodes, {g.number_of_edges()} edges, "
          f"{reached} reached", file=sys.stderr)


if __name__ == "__main__":
    main()
