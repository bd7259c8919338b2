#!/usr/bin/env python3
"""Picks the query points of the serve benchmark: random pairs of road nodes
that are connected, and a set of points for the table test.

Reads the exporter's sidecar (`roads.osm.nodes.csv`: osm_id,lat,lon,component,
written by crates/graph/examples/export_osm.rs) and draws from the largest
road component only (Eurasia with Africa on the world network), so every
pair has a route on both servers. Coordinates are those of exact network
nodes, so OSRM and silkroute snap to the same node.

    bench/osrm/pairs.py [--nodes CSV] [--n 1000] [--table 100] [--seed 20261202] [--out bench/osrm/pairs.json]

Standard library only.
"""

import argparse
import csv
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_NODES = os.path.join(HERE, "..", ".cache", "osrm", "current", "roads.osm.nodes.csv")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--nodes", default=DEFAULT_NODES, help="exported nodes CSV (default: the current build's)")
    ap.add_argument("--n", type=int, default=1000, help="number of route pairs (default 1000)")
    ap.add_argument("--table", type=int, default=100, help="number of table points (default 100)")
    ap.add_argument("--seed", type=int, default=20261202, help="random seed (default 20261202)")
    ap.add_argument("--component", type=int, default=0, help="road component rank to draw from (0 = largest)")
    ap.add_argument("--out", default=os.path.join(HERE, "pairs.json"))
    a = ap.parse_args()
    if a.n < 1 or a.table < 2:
        sys.exit("pairs.py: --n must be >= 1 and --table >= 2")
    if not os.path.exists(a.nodes):
        sys.exit(f"pairs.py: {a.nodes} not found; run bench/osrm/build first")

    nodes = []
    with open(a.nodes, newline="") as f:
        r = csv.DictReader(f)
        if r.fieldnames is None or not {"osm_id", "lat", "lon", "component"} <= set(r.fieldnames):
            sys.exit(f"pairs.py: {a.nodes} lacks the columns osm_id,lat,lon,component")
        for row in r:
            if int(row["component"]) == a.component:
                # Stored to 1e-7 degree: formatting with 7 decimals gives
                # back the exporter's text exactly.
                nodes.append((int(row["osm_id"]), float(row["lat"]), float(row["lon"])))
    if len(nodes) < max(2, a.table):
        sys.exit(f"pairs.py: component {a.component} has only {len(nodes)} nodes")

    rng = random.Random(a.seed)
    pairs = []
    while len(pairs) < a.n:
        s, t = rng.sample(nodes, 2)
        pairs.append({"from": point(s), "to": point(t)})
    table = [point(p) for p in rng.sample(nodes, a.table)]

    out = {
        "seed": a.seed,
        "source": os.path.relpath(os.path.realpath(a.nodes), os.path.join(HERE, "..", "..")),
        "component": a.component,
        "component_nodes": len(nodes),
        "note": "coordinates of exact road nodes of the largest road component; "
        "node = network node id + 1 (export_osm)",
        "pairs": pairs,
        "table": table,
    }
    tmp = a.out + ".tmp"
    with open(tmp, "w") as f:
        # One pair or point per line: small, and readable in a diff.
        head = {k: v for k, v in out.items() if k not in ("pairs", "table")}
        f.write(json.dumps(head, indent=1)[:-2] + ",\n")
        for key in ("pairs", "table"):
            rows = ",\n".join("  " + json.dumps(x) for x in out[key])
            f.write(f' "{key}": [\n{rows}\n ]' + (",\n" if key == "pairs" else "\n}\n"))
    os.replace(tmp, a.out)
    print(
        f"pairs.py: seed {a.seed}: {len(pairs)} pairs and {len(table)} table points "
        f"from {len(nodes)} nodes of road component {a.component} -> {a.out}",
        file=sys.stderr,
    )


def point(n):
    osm_id, lat, lon = n
    return {"node": osm_id, "lon": lon, "lat": lat}


if __name__ == "__main__":
    main()
