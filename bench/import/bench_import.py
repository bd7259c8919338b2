#!/usr/bin/env python3
"""Driver of bench/import/run: times each tool on each file REPEAT times,
each run a fresh process under /usr/bin/time (peak RSS), and writes
<out>.json and <out>.md. Python standard library only."""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone


def timed(cmd, cwd=None):
    """Wall seconds, peak RSS (KB) and CPU seconds (user + system) of one run."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        t = time.perf_counter()
        p = subprocess.run(["/usr/bin/time", "-f", "%M %U %S", "-o", rss.name, *cmd],
                           cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        wall = time.perf_counter() - t
        if p.returncode != 0:
            sys.exit(f"{' '.join(cmd)} failed:\n{p.stderr}")
        m, u, sy = rss.read().split()[-3:]
        return wall, int(m), float(u) + float(sy), p.stdout


def series(cmd, repeat, cwd=None, before=None):
    walls, rss, cpus, out = [], [], [], ""
    for _ in range(repeat):
        if before:
            before()
        w, r, c, out = timed(cmd, cwd)
        walls.append(w)
        rss.append(r)
        cpus.append(c)
    return {
        "command": " ".join(cmd),
        "runs": repeat,
        "median_s": statistics.median(walls),
        "min_s": min(walls),
        "max_rss_kb": max(rss),
        "median_cpu_s": statistics.median(cpus),
    }, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--ours", required=True)
    ap.add_argument("--osrm")
    ap.add_argument("--osrm-profile")
    ap.add_argument("--out", required=True)
    ap.add_argument("files", nargs="+")
    a = ap.parse_args()
    a.ours = os.path.abspath(a.ours)
    if a.osrm:
        a.osrm, a.osrm_profile = os.path.abspath(a.osrm), os.path.abspath(a.osrm_profile)
    a.files = [os.path.abspath(f) for f in a.files]
    osmium_version = subprocess.run(["osmium", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    results = []
    with tempfile.TemporaryDirectory() as work:
        for f in a.files:
            name = os.path.basename(f)
            size = os.path.getsize(f)
            print(f"timing {name} ...", file=sys.stderr)
            # In process: the fastest of REPEAT reads inside one process.
            _, _, _, line = timed([a.ours, f, "--repeat", str(a.repeat)])
            inproc = json.loads(line.strip().splitlines()[-1])
            ours, _ = series([a.ours, f], a.repeat)
            osmium, _ = series(["osmium", "cat", "-O", "-o", f"{work}/cat.osm.pbf", f], a.repeat)
            row = {
                "file": name,
                "bytes": size,
                "silkroute_in_process_s": inproc["seconds"],
                "silkroute": {**ours, "nodes": inproc["nodes"], "edges": inproc["edges"],
                              "rail_km": inproc["rail_km"], "road_km": inproc["road_km"]},
                "osmium_cat": osmium,
            }
            if a.osrm:
                copy = f"{work}/osrm-{name}"
                shutil.copy(f, copy)
                base = copy[: -len(".osm.pbf")]

                def clean():
                    for g in os.listdir(work):
                        if g.startswith(os.path.basename(base) + ".osrm"):
                            os.remove(os.path.join(work, g))

                row["osrm_extract"], _ = series(
                    [a.osrm, "-p", a.osrm_profile, "-t", "2", copy], min(a.repeat, 5), cwd=work, before=clean)
            results.append(row)
    load = os.getloadavg()
    meta = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "host": os.uname().nodename,
        "cpu": next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?"),
        "cores": os.cpu_count(),
        "load_average_end": load,
        "osmium": osmium_version,
        "osrm": "osrm-extract v26.10.0 (PyPI osrm-bindings 26.10.0), car.lua, -t 2" if a.osrm else None,
        "repeat": a.repeat,
    }
    json.dump({"meta": meta, "results": results}, open(a.out + ".json", "w"), indent=1)
    ms = lambda s: f"{s * 1000:.0f} ms" if s >= 0.1 else f"{s * 1000:.1f} ms"
    mb = lambda kb: f"{kb / 1024:.0f} MB"
    lines = [
        f"# OSM PBF import timings, {meta['date']}",
        "",
        f"Machine: {meta['cpu']}, {meta['cores']} cores; load average at the end "
        f"{load[0]:.1f}, {load[1]:.1f}, {load[2]:.1f}. {osmium_version}"
        + (f"; {meta['osrm']}" if a.osrm else "") + ".",
        "",
        "| file | size | silkroute import, in process | silkroute, whole process (CPU) | max RSS | `osmium cat` (CPU) | max RSS | ratio to osmium, wall (CPU) | `osrm-extract` car (CPU) | max RSS |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        o = r.get("osrm_extract")
        lines.append(
            f"| {r['file']} | {r['bytes'] / 1e6:.2f} MB | {ms(r['silkroute_in_process_s'])} "
            f"({r['bytes'] / 1e6 / r['silkroute_in_process_s']:.0f} MB/s) | {ms(r['silkroute']['median_s'])} ({ms(r['silkroute']['median_cpu_s'])}) | "
            f"{mb(r['silkroute']['max_rss_kb'])} | {ms(r['osmium_cat']['median_s'])} ({ms(r['osmium_cat']['median_cpu_s'])}) | {mb(r['osmium_cat']['max_rss_kb'])} | "
            f"{r['silkroute']['median_s'] / r['osmium_cat']['median_s']:.2f}× ({r['silkroute']['median_cpu_s'] / max(r['osmium_cat']['median_cpu_s'], 1e-3):.2f}×) | "
            + (f"{ms(o['median_s'])} ({ms(o['median_cpu_s'])}) | {mb(o['max_rss_kb'])} |" if o else "— | — |")
        )
    lines += [
        "",
        "What each column measures:",
        "- **silkroute import, in process**: `read_pbf` with the default options (rail and road, both passes, edges built), the fastest of "
        f"{a.repeat} reads in one process (`crates/import/examples/import_pbf.rs`).",
        f"- **whole process** columns: the median wall time of {a.repeat} fresh processes, start-up included, and in brackets their median CPU time (user + system, `/usr/bin/time` at 10 ms resolution), which a busy machine disturbs less than wall time. The ratios to osmium use these.",
        "- **`osmium cat`**: reading the file and writing it again as PBF (`osmium cat -O -o out.osm.pbf FILE`).",
        "- **`osrm-extract`**: the car profile (roads only), with turn restrictions and an edge-based graph; median of "
        f"{min(a.repeat, 5)} runs. It does more than silkroute's import, and on roads only.",
        "- **max RSS**: the largest `/usr/bin/time -f %M` over the runs.",
        "",
        "What silkroute read:",
        "",
        "| file | nodes | edges | rail km | road km |",
        "|---|---|---|---|---|",
    ]
    for r in results:
        s = r["silkroute"]
        lines.append(f"| {r['file']} | {s['nodes']} | {s['edges']} | {s['rail_km']:.3f} | {s['road_km']:.3f} |")
    open(a.out + ".md", "w").write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
