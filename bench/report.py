"""Render bench/run's measurements as JSON and a Markdown report."""

import json
import os
import platform
import subprocess
import sys
from datetime import datetime, timezone

work, stem = sys.argv[1], sys.argv[2]


def load(name):
    with open(os.path.join(work, name)) as f:
        return json.load(f)


def cpu():
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


builds = [load(f"build{i}.json") for i in (1, 2, 3)]
ours, peers = load("ours.json"), load("peers.json")
machine = {
    "host": platform.node(),
    "cpu": cpu(),
    "cores": os.cpu_count(),
    "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
    "rustc": subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip(),
    "python": platform.python_version(),
}
rows_rail, rows_sea = [], []
for q in ours["queries"]:
    qid = q["id"]
    if qid in peers["scgraph"].get("queries", {}):
        p = peers["scgraph"]["queries"][qid]
        same = p.get("same_nodes_contraction_hierarchy", {})
        buckets = p.get("same_nodes_bidirectional_buckets", {})
        own = p["own_snapping_contraction_hierarchy"]
        rows_rail.append({
            "id": qid,
            "silkroute_km": q.get("distance_km"),
            "silkroute_error": q.get("error"),
            "silkroute_snap_km": [q.get("snap_from_km"), q.get("snap_to_km")],
            "silkroute_ms": q["median_ms"],
            "scgraph_same_nodes_km": same.get("length_km"),
            "diff_pct": (q["distance_km"] / same["length_km"] - 1) * 100 if same.get("ok") else None,
            "scgraph_ch_ms": same.get("median_ms"),
            "scgraph_buckets_ms": buckets.get("median_ms"),
            "scgraph_own_snapping": own.get("length_km") if own["ok"] else own["error"],
        })
    if qid in peers["searoute"].get("queries", {}):
        p = peers["searoute"]["queries"][qid]
        rows_sea.append({
            "id": qid,
            "silkroute_km": q.get("distance_km"),
            "silkroute_port_access_km": q.get("port_access_km"),
            "searoute_km": p.get("length_km"),
            "diff_pct": (q["distance_km"] / p["length_km"] - 1) * 100,
            "diff_without_access_pct": ((q["distance_km"] - q.get("port_access_km", 0)) / p["length_km"] - 1) * 100,
            "searoute_same_nodes_km": p.get("same_nodes_length_km"),
            "diff_same_nodes_pct": ((q["distance_km"] - q.get("port_access_km", 0)) / p["same_nodes_length_km"] - 1) * 100 if p.get("same_nodes_length_km") else None,
            "silkroute_passages": q.get("passages"),
            "searoute_passages": p.get("passages"),
            "silkroute_ms": q["median_ms"],
            "searoute_ms": p["median_ms"],
            "speedup": p["median_ms"] / q["median_ms"],
        })
result = {
    "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    "machine": machine,
    "build": {
        "wall_s": sorted(b["wall_s"] for b in builds)[1],
        "max_rss_mb": sorted(b["max_rss_kb"] for b in builds)[1] / 1024,
        "file_mb": ours["network_bytes"] / 1e6,
    },
    "load": {
        "open_and_verify_ms": ours["open_ms_median"],
        "gazetteer_ms": ours["gazetteer_ms"],
        "route_process_max_rss_mb": load("route-rss.json")["max_rss_kb"] / 1024,
        "scgraph_load_s": peers["scgraph"].get("load_s"),
        "scgraph_ch_preprocess_s": peers["scgraph"].get("ch_preprocess_s"),
    },
    "rail": rows_rail,
    "sea": rows_sea,
}
with open(stem + ".json", "w") as f:
    json.dump(result, f, indent=1)


def fmt(x, d=1):
    return "—" if x is None else (f"{x:,.{d}f}" if isinstance(x, (int, float)) else str(x))


b, l = result["build"], result["load"]
lines = [
    f"# Benchmark {result['date']}",
    "",
    f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gib']} GiB; {machine['rustc']}; Python {machine['python']}.",
    "Produced by `bench/run`; medians within this one run.",
    "",
    "## World network",
    "",
    "| measure | silkroute | scgraph (same OSM rail graph) |",
    "|---|---|---|",
    f"| build / load | compile all sources: {fmt(b['wall_s'], 2)} s, peak {fmt(b['max_rss_mb'], 0)} MB, file {fmt(b['file_mb'], 1)} MB | import world_railways: {fmt(l['scgraph_load_s'], 2)} s |",
    f"| open a compiled network | {fmt(l['open_and_verify_ms'], 1)} ms (mmap + checksum + structure check) | contraction hierarchy preprocessing: {fmt(l['scgraph_ch_preprocess_s'], 2)} s |",
    f"| gazetteer parse (name lookups only) | {fmt(l['gazetteer_ms'], 1)} ms | — |",
    f"| peak memory of one route query | {fmt(l['route_process_max_rss_mb'], 0)} MB | — |",
    "",
    "## Rail: shortest distance on the same graph",
    "",
    "`same nodes`: scgraph routes between the exact graph nodes silkroute joined at, so snapping is identical. `own snapping`: scgraph from the place coordinates with its default nearest-node snapping (its length includes the off-graph access). silkroute here is a plain Dijkstra (the routing-engine issue adds contraction hierarchies).",
    "",
    "| query | silkroute km | scgraph km (same nodes) | diff | silkroute ms | scgraph CH ms | scgraph buckets ms | scgraph, own snapping |",
    "|---|---|---|---|---|---|---|---|",
]
for r in rows_rail:
    lines.append(
        f"| {r['id']} | {fmt(r['silkroute_km'])} | {fmt(r['scgraph_same_nodes_km'])} | {fmt(r['diff_pct'], 3)} % | {fmt(r['silkroute_ms'], 2)} | {fmt(r['scgraph_ch_ms'], 2)} | {fmt(r['scgraph_buckets_ms'], 2)} | {fmt(r['scgraph_own_snapping'])} |"
    )
lines += [
    "",
    "## Sea: shortest distance on marnet",
    "",
    "silkroute's length includes the two port access arcs (port to its nearest marnet node by great-circle distance); searoute starts at the nearest marnet node by planar lon/lat distance and does not count the access. `diff without access` removes the arcs; `same nodes` runs searoute between the marnet nodes silkroute's access arcs lead to, so any remaining difference is in the network itself.",
    "",
    "| query | silkroute km | port access km | searoute km | diff | diff without access | searoute km (same nodes) | diff (same nodes) | passages (silkroute / searoute) | silkroute ms | searoute ms | speed-up |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|",
]
for r in rows_sea:
    lines.append(
        f"| {r['id']} | {fmt(r['silkroute_km'])} | {fmt(r['silkroute_port_access_km'], 2)} | {fmt(r['searoute_km'])} | {fmt(r['diff_pct'], 3)} % | {fmt(r['diff_without_access_pct'], 3)} % | {fmt(r['searoute_same_nodes_km'])} | {fmt(r['diff_same_nodes_pct'], 3)} % | {','.join(r['silkroute_passages'] or [])} / {','.join(r['searoute_passages'] or [])} | {fmt(r['silkroute_ms'], 2)} | {fmt(r['searoute_ms'], 2)} | {fmt(r['speedup'], 0)}× |"
    )
with open(stem + ".md", "w") as f:
    f.write("\n".join(lines) + "\n")
