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
            "silkroute_core_us": q.get("core_ms", 0) * 1000,
            "speedup_vs_ch": (same.get("median_ms") or 0) / max(q.get("core_ms", 1e-9), 1e-9),
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
            "silkroute_core_us": q.get("core_ms", 0) * 1000,
            "searoute_ms": p["median_ms"],
            "speedup": p["median_ms"] / max(q.get("core_ms", q["median_ms"]), 1e-9),
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
    "matrix": {
        "silkroute_ms": (ours.get("matrix") or {}).get("median_ms"),
        "silkroute_priced_cells_ms": (ours.get("matrix") or {}).get("priced_cells_ms"),
        "silkroute_reachable_pairs": (ours.get("matrix") or {}).get("reachable_pairs"),
        "scgraph_ms": peers["scgraph"].get("distance_matrix", {}).get("ms"),
        "scgraph_reachable_pairs": peers["scgraph"].get("distance_matrix", {}).get("reachable_pairs"),
    },
    "scenario_matrix": ours.get("scenario_matrix"),
    "rail_preprocess_ms": ours.get("rail_preprocess_ms"),
    "multimodal": [q for q in ours["queries"] if "multimodal" in q["id"]],
    "pareto": ours.get("pareto"),
    "service_threads": ours.get("service_threads"),
}
mx = result["matrix"]
pre = result["rail_preprocess_ms"] or {}
targets = []
# The issue's six reference queries (scgraph answers the other two with "no
# path" at once, which is no comparison of routing speed).
REFERENCE = {"chongqing-duisburg-rail", "xian-hamburg-rail", "yiwu-madrid-rail", "moscow-tehran-rail", "beijing-paris-rail", "kunming-warsaw-rail"}
ref = [r for r in rows_rail if r["id"] in REFERENCE and r["silkroute_core_us"]]
if ref:
    worst = min(r["speedup_vs_ch"] for r in ref)
    targets.append(("one rail route, snapping and path, vs scgraph contraction_hierarchy query", f"{worst:.0f}× (worst of the {len(ref)} reference queries)", "≥ 50×", worst >= 50))
if mx["scgraph_ms"] and mx["silkroute_ms"]:
    r = mx["scgraph_ms"] / mx["silkroute_ms"]
    targets.append(("100×100 rail matrix vs scgraph distance_matrix", f"{r:.0f}× ({mx['silkroute_ms']:.1f} ms vs {mx['scgraph_ms']:.0f} ms)", "≥ 100×", r >= 100))
if rows_sea:
    worst = min(r["speedup"] for r in rows_sea)
    targets.append(("one sea route vs searoute", f"{worst:.0f}× (worst of {len(rows_sea)})", "≥ 300×", worst >= 300))
if pre and peers["scgraph"].get("ch_preprocess_s"):
    ours_s = (pre["build"] + pre["customize"]) / 1000
    r = peers["scgraph"]["ch_preprocess_s"] / ours_s
    targets.append(("preprocessing the world railway graph vs scgraph's contraction hierarchy", f"{ours_s:.2f} s vs {peers['scgraph']['ch_preprocess_s']:.2f} s ({r:.1f}× faster)", "faster", r > 1))
for q in result["multimodal"]:
    if q["id"].endswith("time"):
        targets.append(("time-optimal Chongqing → Duisburg on the full multimodal network, after loading", f"{q['median_ms']:.3f} ms explained ({q.get('core_ms', 0) * 1000:.0f} µs snapping and path; first query with customization {q.get('first_ms', 0):.0f} ms)", "< 1 ms", q["median_ms"] < 1))
if result["pareto"]:
    pm = result["pareto"]["ms"]
    targets.append(("Pareto query (time × cost × CO2e), Chongqing → Duisburg, all modes", f"{pm:.0f} ms, {result['pareto']['routes']} routes", "< 100 ms", pm < 100))
for sm in result.get("scenario_matrix") or []:
    targets.append((
        f"scenario `{sm['scenario']}` applied and a {sm['n']}×{sm['n']} surface multimodal time matrix re-answered",
        f"{sm['total_ms']:.0f} ms (apply {sm['apply_ms']:.1f}, weights + customization {sm['weights_and_customize_ms']:.0f} of which weights {sm['weights_ms']:.0f}, snapping + matrix {sm['snap_and_matrix_ms']:.0f})",
        "< 1 s",
        sm["total_ms"] < 1000,
    ))
    wb = sm.get("warm_baseline")
    if wb:
        targets.append((
            f"scenario `{sm['scenario']}` new to a session that holds the baseline, then a {sm['n']}×{sm['n']} surface multimodal time matrix",
            f"{wb['total_ms']:.0f} ms (weights + partial re-customization {wb['weights_and_customize_ms']:.0f}, snapping + matrix {wb['snap_and_matrix_ms']:.0f})",
            "< 100 ms",
            wb["total_ms"] < 100,
        ))
st = result.get("service_threads")
if st:
    targets.append((
        "one Service answering explained multimodal routes from 2 threads vs 1",
        f"{st['speedup']:.2f}× ({st['routes_per_s_2_threads']:.0f} vs {st['routes_per_s_1_thread']:.0f} routes/s)",
        "≥ 1.8×",
        st["speedup"] >= 1.8,
    ))
result["targets"] = [{"what": t[0], "measured": t[1], "target": t[2], "met": t[3]} for t in targets]
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
    "## Speed targets (ratios measured in this run)",
    "",
    "| what | measured | target | met |",
    "|---|---|---|---|",
] + [f"| {t['what']} | {t['measured']} | {t['target']} | {'yes' if t['met'] else '**no**'} |" for t in result["targets"]] + [
    "",
    "## Rail: shortest distance on the same graph",
    "",
    "`same nodes`: scgraph routes between the exact graph nodes silkroute joined at, so snapping is identical. `own snapping`: scgraph from the place coordinates with its default nearest-node snapping (its length includes the off-graph access). silkroute: `µs` is snapping plus the hierarchy query with its path (the work scgraph's query does); `ms` is the whole explained route (legs, borders, names, prices).",
    "",
    "| query | silkroute km | scgraph km (same nodes) | diff | silkroute µs (snap + path) | silkroute ms (explained) | scgraph CH ms | speed-up | scgraph buckets ms | scgraph, own snapping |",
    "|---|---|---|---|---|---|---|---|---|---|",
]
for r in rows_rail:
    lines.append(
        f"| {r['id']} | {fmt(r['silkroute_km'])} | {fmt(r['scgraph_same_nodes_km'])} | {fmt(r['diff_pct'], 3)} % | {fmt(r['silkroute_core_us'], 1)} | {fmt(r['silkroute_ms'], 3)} | {fmt(r['scgraph_ch_ms'], 2)} | {fmt(r['speedup_vs_ch'], 0)}× | {fmt(r['scgraph_buckets_ms'], 2)} | {fmt(r['scgraph_own_snapping'])} |"
    )
lines += [
    "",
    "## Sea: shortest distance on marnet",
    "",
    "silkroute's length includes the two port access arcs (port to its nearest marnet node by great-circle distance); searoute starts at the nearest marnet node by planar lon/lat distance and does not count the access. `diff without access` removes the arcs; `same nodes` runs searoute between the marnet nodes silkroute's access arcs lead to, so any remaining difference is in the network itself.",
    "",
    "| query | silkroute km | port access km | searoute km | diff | diff without access | searoute km (same nodes) | diff (same nodes) | passages (silkroute / searoute) | silkroute µs (snap + path) | silkroute ms (explained) | searoute ms | speed-up |",
    "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
]
for r in rows_sea:
    lines.append(
        f"| {r['id']} | {fmt(r['silkroute_km'])} | {fmt(r['silkroute_port_access_km'], 2)} | {fmt(r['searoute_km'])} | {fmt(r['diff_pct'], 3)} % | {fmt(r['diff_without_access_pct'], 3)} % | {fmt(r['searoute_same_nodes_km'])} | {fmt(r['diff_same_nodes_pct'], 3)} % | {','.join(r['silkroute_passages'] or [])} / {','.join(r['searoute_passages'] or [])} | {fmt(r['silkroute_core_us'], 1)} | {fmt(r['silkroute_ms'], 3)} | {fmt(r['searoute_ms'], 2)} | {fmt(r['speedup'], 0)}× |"
    )
lines += [
    "",
    "## Matrix and multimodal",
    "",
    f"- 100×100 rail distance matrix on `bench/matrix.json` (snapping included): silkroute {fmt(mx['silkroute_ms'], 1)} ms ({mx['silkroute_reachable_pairs']} reachable pairs), scgraph distance_matrix {fmt(mx['scgraph_ms'], 0)} ms ({mx['scgraph_reachable_pairs']} pairs). Pricing every cell's path in time, cost, CO2e and distance, as `silkroute matrix` does, takes {fmt(mx['silkroute_priced_cells_ms'], 0)} ms more.",
    f"- Rail hierarchy preprocessing: build {fmt(pre.get('build'), 0)} ms + customization {fmt(pre.get('customize'), 0)} ms.",
]
for q in result["multimodal"]:
    lines.append(f"- {q['id']}: {fmt(q.get('distance_km'), 1)} km; first query (weights + customization of the multimodal hierarchy) {fmt(q.get('first_ms'), 0)} ms, then {fmt(q['median_ms'], 3)} ms explained, {fmt(q.get('core_ms', 0) * 1000, 0)} µs snapping and path; plain Dijkstra {fmt(q.get('dijkstra_ms'), 1)} ms.")
if result["pareto"]:
    lines.append(f"- Pareto set {result['pareto']['query']}: {fmt(result['pareto']['ms'], 0)} ms, {result['pareto']['routes']} routes (ε = 5 %).")
    others = result["pareto"].get("other_pairs") or []
    if others:
        lines.append("- Pareto sets of other pairs, all modes, on the same metrics (median of 3): " + "; ".join(f"{o['query']} {fmt(o['ms'], 0)} ms, {o['routes']} routes" for o in others) + ".")
with open(stem + ".md", "w") as f:
    f.write("\n".join(lines) + "\n")
