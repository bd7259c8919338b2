#!/usr/bin/env python3
"""Side-by-side benchmark of `silkroute serve` against the real OSRM
(osrm-routed 26.10) on silkroute's own road graph (bench/osrm/README.md).

    bench/osrm/compare.py [--silkroute http://127.0.0.1:5000] [--ch | --no-ch]

Starts osrm-routed (MLD, and CH when built) on a free 127.0.0.1 port from
the data of bench/osrm/build, optionally takes a silkroute server already
running, and measures each server in turn (the speed in 3 rounds, servers
alternating, the median round reported):
  (a) correctness: routes[0].distance for the first 200 pairs of
      bench/osrm/pairs.json, against OSRM MLD;
  (b) throughput: wrk -t2 -c16 -d10s --latency -s bench/osrm/load.lua;
  (c) table: /table/v1/driving/{100 points}?annotations=duration,distance,
      median wall time of 10 requests from Python;
  (d) single-connection latency: wrk -t1 -c1 -d5s.
Writes bench/results/<date>-<host>-serve.{json,md}, with ratios
silkroute/OSRM when a silkroute server is given. Sends traffic to
127.0.0.1 only, each step bounded in time, and stops the servers it started
on exit. Standard library only; needs wrk (bench/osrm/setup).
"""

import argparse
import datetime
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.normpath(os.path.join(HERE, "..", ".."))
OSRM_VERSION = "26.10.0"

started = []  # Popen objects of the servers this script started


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def stop(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
    if proc in started:
        started.remove(proc)


def stop_all(*_):
    for p in list(started):
        stop(p)


def on_signal(signum, _frame):
    stop_all()
    sys.exit(128 + signum)


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url, timeout=60):
    """GET url; returns (http status, parsed body or None, seconds)."""
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as r:
            body = r.read()
            status = r.status
    except urllib.error.HTTPError as e:
        body = e.read()
        status = e.code
    dt = time.perf_counter() - t
    try:
        return status, json.loads(body), dt
    except ValueError:
        return status, None, dt


def rss_mb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def start_osrm(bin_dir, base, algorithm, threads):
    port = free_port()
    cmd = [os.path.join(bin_dir, "osrm-routed"), "--algorithm", algorithm, "-i", "127.0.0.1",
           "-p", str(port), "-t", str(threads), base]
    logf = open(os.path.join(os.path.dirname(base), f"routed-{algorithm.lower()}.log"), "w")
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=logf, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
    started.append(proc)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 180
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit(f"compare.py: osrm-routed ({algorithm}) exited with {proc.returncode}; see {logf.name}")
        try:
            status, body, _ = get_json(f"{url}/nearest/v1/driving/0,0", timeout=2)
            if status == 200 and body and body.get("code") == "Ok":
                break
        except (OSError, urllib.error.URLError):
            pass
        time.sleep(0.2)
    else:
        stop(proc)
        sys.exit(f"compare.py: osrm-routed ({algorithm}) not ready after 180 s; see {logf.name}")
    return proc, url, time.perf_counter() - t0


def coord(p):
    return f"{p['lon']:.7f},{p['lat']:.7f}"


def routes(url, pairs, profile, query=""):
    """routes[0].distance/duration per pair, None where the server failed."""
    out = []
    for p in pairs:
        u = f"{url}/route/v1/{profile}/{coord(p['from'])};{coord(p['to'])}?overview=false{query}"
        try:
            status, body, dt = get_json(u, timeout=30)
        except (OSError, urllib.error.URLError) as e:
            out.append({"error": str(e)})
            continue
        if status == 200 and body and body.get("code") == "Ok" and body.get("routes"):
            r = body["routes"][0]
            out.append({"distance": r.get("distance"), "duration": r.get("duration"),
                        "weight": r.get("weight"), "s": dt})
        else:
            out.append({"error": f"HTTP {status}: {(body or {}).get('code')} {(body or {}).get('message', '')}".strip()})
    return out


def wrk(url, threads, conns, seconds, pairs_file, profile, query=""):
    cmd = ["wrk", f"-t{threads}", f"-c{conns}", f"-d{seconds}s", "--latency", "--timeout", "10s",
           "-s", os.path.join(HERE, "load.lua"), url]
    env = dict(os.environ, WRK_PAIRS=pairs_file, WRK_PROFILE=profile, WRK_QUERY=query.lstrip("&"))
    r = subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=seconds + 60)
    if r.returncode != 0:
        sys.exit(f"compare.py: wrk failed ({r.returncode}): {r.stderr.strip() or r.stdout.strip()}")
    for line in r.stdout.splitlines():
        if line.startswith("WRK_JSON "):
            d = json.loads(line[len("WRK_JSON "):])
            d["command"] = f"wrk -t{threads} -c{conns} -d{seconds}s --latency -s bench/osrm/load.lua"
            return d
    sys.exit(f"compare.py: wrk printed no WRK_JSON line:\n{r.stdout}\n{r.stderr}")


def table(url, points, profile, repeats, query=""):
    coords = ";".join(coord(p) for p in points)
    u = f"{url}/table/v1/{profile}/{coords}?annotations=duration,distance{query}"
    times, last, errors = [], None, []
    for i in range(repeats + 1):  # the first request warms up, untimed
        status, body, dt = get_json(u, timeout=120)
        if status != 200 or not body or body.get("code") != "Ok":
            errors.append(f"HTTP {status}: {(body or {}).get('code')} {(body or {}).get('message', '')}".strip())
            continue
        if i > 0:
            times.append(dt)
        last = body
    n = len(points)
    res = {"points": n, "repeats": len(times), "errors": errors[:3], "error_count": len(errors)}
    if times:
        res.update(median_ms=statistics.median(times) * 1e3, min_ms=min(times) * 1e3,
                   max_ms=max(times) * 1e3)
    if last:
        dist = last.get("distances") or []
        dur = last.get("durations") or []
        shape_ok = len(dist) == n and all(len(r) == n for r in dist) and len(dur) == n
        res["shape_ok"] = shape_ok
        res["null_cells"] = sum(v is None for r in dist for v in r) if shape_ok else None
        res["distances"] = dist if shape_ok else None
    return res


def rel_diffs(ours, ref, key_ours="distance", key_ref="distance"):
    """Relative differences |a-b|/b over pairs both answered."""
    d, missing = [], 0
    for a, b in zip(ours, ref):
        va, vb = a.get(key_ours), b.get(key_ref)
        if va is None or vb is None:
            missing += 1
            continue
        d.append((va - vb) / vb if vb else 0.0)
    return d, missing


def summarize(d, missing):
    if not d:
        return {"pairs": 0, "missing": missing}
    a = [abs(x) for x in d]
    return {
        "pairs": len(d), "missing": missing,
        "max_rel": max(a), "mean_rel": statistics.fmean(a),
        "mean_signed_rel": statistics.fmean(d),
        "within_0.1%": sum(x <= 1e-3 for x in a) / len(a),
    }


def table_diffs(ours, ref):
    if not ours or not ref:
        return None
    d, missing = [], 0
    for ra, rb in zip(ours, ref):
        for va, vb in zip(ra, rb):
            if va is None or vb is None:
                missing += 1
            elif vb:
                d.append((va - vb) / vb)
    return summarize(d, missing)


def machine():
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return {"host": socket.gethostname().split(".")[0], "cpu": cpu, "cores": os.cpu_count(),
            "kernel": platform.release(), "loadavg_start": os.getloadavg()}


def git_commit():
    """The short commit, with "+dirty" when tracked files differ from it."""
    try:
        run = lambda *args: subprocess.run(["git", "-C", ROOT, *args], capture_output=True, text=True,
                                           timeout=10).stdout.strip()
        commit = run("rev-parse", "--short", "HEAD")
        dirty = run("status", "--porcelain", "--untracked-files=no")
        return (commit + ("+dirty" if dirty else "")) or None
    except (OSError, subprocess.SubprocessError):
        return None


def correctness(name, url, pairs, profile, query=""):
    log(f"[{name}] correctness: {len(pairs)} routes...")
    answers = routes(url, pairs, profile, query)
    for x in answers:
        if x.get("duration") is not None:
            # The profile makes OSRM's duration our length / 10 s, so ten
            # times it is the path's length in silkroute metres.
            x["weight_length"] = x["duration"] * 10
    return answers


def speed(name, url, a, points, pairs_file, profile, rnd, query=""):
    tag = f"[{name} {rnd}/{a.rounds}]"
    log(f"{tag} warm-up 2 s, then throughput: wrk -t2 -c{a.connections} -d{a.duration}s...")
    wrk(url, 2, a.connections, 2, pairs_file, profile, query)
    thr = wrk(url, 2, a.connections, a.duration, pairs_file, profile, query)
    thr["loadavg_1min"] = os.getloadavg()[0]
    log(f"{tag}   {thr['requests_per_s']:.0f} req/s, p50 {thr['latency_ms']['p50']:.2f} ms, "
        f"p99 {thr['latency_ms']['p99']:.2f} ms, {thr['errors']['status']} non-2xx (load {thr['loadavg_1min']:.1f})")
    log(f"{tag} table {len(points)}x{len(points)}, {a.table_repeats} requests...")
    tab = table(url, points, profile, a.table_repeats, query)
    if "median_ms" in tab:
        log(f"{tag}   median {tab['median_ms']:.1f} ms")
    log(f"{tag} single connection: wrk -t1 -c1 -d{a.latency_duration}s...")
    one = wrk(url, 1, 1, a.latency_duration, pairs_file, profile, query)
    log(f"{tag}   p50 {one['latency_ms']['p50']:.2f} ms, {one['requests_per_s']:.0f} req/s")
    return {"throughput": thr, "table": tab, "single": one}


def median_round(rounds):
    """Combines the rounds of one server: the wrk runs of the round with the
    median req/s (p50 for one connection), so each reported run is one real
    run, and the median of the rounds' table medians. All rounds are kept."""
    def pick(key, metric):
        runs = sorted((r[key] for r in rounds), key=metric)
        return runs[(len(runs) - 1) // 2]
    out = {"throughput": pick("throughput", lambda t: t["requests_per_s"]),
           "single": pick("single", lambda t: t["latency_ms"]["p50"])}
    tabs = [r["table"] for r in rounds]
    tab = dict(pick("table", lambda t: t.get("median_ms", float("inf"))))
    if all("median_ms" in t for t in tabs):
        tab["median_ms"] = statistics.median(t["median_ms"] for t in tabs)
    tab["distances"] = next((t["distances"] for t in tabs if t.get("distances")), None)
    out["table"] = tab
    out["rounds"] = [{"requests_per_s": r["throughput"]["requests_per_s"],
                      "p50_c16_ms": r["throughput"]["latency_ms"]["p50"],
                      "p99_c16_ms": r["throughput"]["latency_ms"]["p99"],
                      "p50_c1_ms": r["single"]["latency_ms"]["p50"],
                      "table_median_ms": r["table"].get("median_ms"),
                      "loadavg_1min": r["throughput"]["loadavg_1min"]} for r in rounds]
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--silkroute", metavar="URL", help="a running silkroute serve, e.g. http://127.0.0.1:5000")
    ap.add_argument("--silkroute-profile", default="driving", help="profile in silkroute's paths (default driving)")
    ap.add_argument("--silkroute-query", default="optimize=distance",
                    help="options added to silkroute's requests (default optimize=distance: the shortest path, "
                         "which is what OSRM finds with this benchmark's profile; silkroute's default, time, "
                         "prices border dwells and so takes other paths)")
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--ch", dest="ch", action="store_true", default=None, help="require and run OSRM CH too")
    g.add_argument("--no-ch", dest="ch", action="store_false", help="skip OSRM CH even if built")
    ap.add_argument("--data", default=os.path.join(ROOT, "bench", ".cache", "osrm", "current"),
                    help="directory of roads.osrm (default: the latest bench/osrm/build)")
    ap.add_argument("--osrm-bin", default=os.environ.get("OSRM_BIN", os.path.join(ROOT, "bench", ".venv-osrm", "osrm", "bin")))
    ap.add_argument("--pairs", default=os.path.join(HERE, "pairs.json"))
    ap.add_argument("--correctness", type=int, default=200, help="pairs checked for distance (default 200)")
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--duration", type=int, default=10, help="seconds of the throughput run (default 10)")
    ap.add_argument("--latency-duration", type=int, default=5, help="seconds of the 1-connection run (default 5)")
    ap.add_argument("--table-repeats", type=int, default=10)
    ap.add_argument("--osrm-threads", type=int, default=2, help="osrm-routed -t (default 2)")
    ap.add_argument("--rounds", type=int, default=3,
                    help="speed measurements per server, alternating servers; the median round is reported (default 3)")
    ap.add_argument("--out-dir", default=os.path.join(ROOT, "bench", "results"))
    ap.add_argument("--date", default=datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d"))
    a = ap.parse_args()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    if a.silkroute:
        host = urllib.parse.urlsplit(a.silkroute).hostname
        if host not in ("127.0.0.1", "localhost", "::1"):
            sys.exit(f"compare.py: --silkroute must be on this machine (127.0.0.1), not {host}")
        a.silkroute = a.silkroute.rstrip("/")
    routed = os.path.join(a.osrm_bin, "osrm-routed")
    if not os.access(routed, os.X_OK):
        sys.exit(f"compare.py: {routed} not found; run bench/osrm/setup")
    version = subprocess.run([routed, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    if OSRM_VERSION not in version:
        sys.exit(f"compare.py: {routed} is {version!r}, expected v{OSRM_VERSION}; run bench/osrm/setup")
    if subprocess.run(["sh", "-c", "command -v wrk"], capture_output=True).returncode != 0:
        sys.exit("compare.py: wrk not found; run bench/osrm/setup")
    data = os.path.realpath(a.data)
    base = os.path.join(data, "roads.osrm")
    if not os.path.exists(os.path.join(data, ".mld.done")):
        sys.exit(f"compare.py: no MLD data in {data}; run bench/osrm/build")
    have_ch = os.path.exists(os.path.join(data, ".ch.done"))
    if a.ch and not have_ch:
        sys.exit(f"compare.py: no CH data in {data}; run bench/osrm/build --ch")
    run_ch = have_ch if a.ch is None else a.ch
    if not os.path.exists(a.pairs):
        subprocess.run([sys.executable, os.path.join(HERE, "pairs.py"), "--out", a.pairs], check=True)
    pairs_doc = json.load(open(a.pairs))
    pairs, points = pairs_doc["pairs"][: a.correctness], pairs_doc["table"]
    build_times = {}
    bt = os.path.join(data, "build-times.json")
    if os.path.exists(bt):
        build_times = json.load(open(bt))

    info = machine()
    results = {
        "date": a.date, "machine": info, "commit": git_commit(), "osrm_version": version,
        "data": os.path.relpath(data, ROOT), "build_times": build_times,
        "pairs": {"file": os.path.relpath(a.pairs, ROOT), "seed": pairs_doc.get("seed"),
                  "count": len(pairs_doc["pairs"]), "checked": len(pairs), "table_points": len(points)},
        "servers": {},
    }

    # All servers stay up for the whole run and are measured in turn, round
    # after round, so that a burst of load from elsewhere on a shared machine
    # falls on every server alike; each is idle while another is measured.
    servers = {}  # name -> (url, profile, extra fields)
    for name, alg in [("osrm-mld", "MLD")] + ([("osrm-ch", "CH")] if run_ch else []):
        log(f"[{name}] starting osrm-routed --algorithm {alg.lower()}...")
        proc, url, startup = start_osrm(a.osrm_bin, base, alg, a.osrm_threads)
        log(f"[{name}] ready on {url} after {startup:.1f} s")
        servers[name] = (url, "driving", {
            "proc": proc, "startup_s": startup,
            "server": f"osrm-routed v{OSRM_VERSION} --algorithm {alg.lower()} -t {a.osrm_threads}"})
    if a.silkroute:
        status = None
        try:
            status, _, _ = get_json(f"{a.silkroute}/route/v1/{a.silkroute_profile}/"
                                    f"{coord(pairs[0]['from'])};{coord(pairs[0]['to'])}?overview=false", timeout=30)
        except (OSError, urllib.error.URLError) as e:
            sys.exit(f"compare.py: silkroute at {a.silkroute} does not answer: {e}")
        log(f"[silkroute] {a.silkroute} answered HTTP {status}")
        servers["silkroute"] = (a.silkroute, a.silkroute_profile,
                                {"server": a.silkroute, "query": a.silkroute_query})
    query = {name: ("&" + extra["query"]) if extra.get("query") else "" for name, (_, _, extra) in servers.items()}
    answers = {name: correctness(name, url, pairs, prof, query[name]) for name, (url, prof, _) in servers.items()}
    rounds = {name: [] for name in servers}
    for rnd in range(1, a.rounds + 1):
        for name, (url, prof, _) in servers.items():
            rounds[name].append(speed(name, url, a, points, a.pairs, prof, rnd, query[name]))
    for name, (url, prof, extra) in servers.items():
        m = {"url": url, "routes": answers[name], **median_round(rounds[name])}
        proc = extra.pop("proc", None)
        if proc is not None:
            extra["rss_mb"] = rss_mb(proc.pid)
            stop(proc)
        m.update(extra)
        results["servers"][name] = m
    info["loadavg_end"] = os.getloadavg()

    compare(results)
    write(results, a)


def compare(results):
    s = results["servers"]
    ref = s["osrm-mld"]
    # OSRM's own distance (segment lengths from the node coordinates) against
    # the silkroute length of the same path (10 x duration, by the profile).
    d, miss = rel_diffs(ref["routes"], ref["routes"], "distance", "weight_length")
    results["osrm_distance_vs_silkroute_length"] = summarize(d, miss)
    if d:
        results["osrm_distance_vs_silkroute_length"]["min_signed_rel"] = min(d)
        results["osrm_distance_vs_silkroute_length"]["max_signed_rel"] = max(d)
    comps = {}
    for name, m in s.items():
        if name == "osrm-mld":
            continue
        # Another OSRM's own path length is 10 x its duration too; silkroute's
        # is its distance.
        ours = "weight_length" if name.startswith("osrm") else "distance"
        c = {
            "path_length_from": "10 x duration" if ours == "weight_length" else "distance",
            "distance_vs_osrm_distance": summarize(*rel_diffs(m["routes"], ref["routes"], "distance", "distance")),
            "distance_vs_osrm_path_length": summarize(*rel_diffs(m["routes"], ref["routes"], ours, "weight_length")),
            "table_distance_vs_osrm": table_diffs(m["table"].get("distances"), ref["table"].get("distances")),
            "errors": [x["error"] for x in m["routes"] if "error" in x][:5],
        }
        exact = [abs(a[ours] - b["weight_length"]) <= 1.0 for a, b in zip(m["routes"], ref["routes"])
                 if a.get(ours) is not None and b.get("weight_length") is not None]
        c["distance_vs_osrm_path_length"]["within_1m"] = (sum(exact) / len(exact)) if exact else None
        comps[name] = c
    results["comparisons"] = comps
    if "silkroute" in s:
        sk = s["silkroute"]
        ratios = {}
        for name in [n for n in s if n.startswith("osrm")]:
            o = s[name]
            r = {
                "requests_per_s": sk["throughput"]["requests_per_s"] / o["throughput"]["requests_per_s"],
                "p50_c16": sk["throughput"]["latency_ms"]["p50"] / o["throughput"]["latency_ms"]["p50"],
                "p99_c16": sk["throughput"]["latency_ms"]["p99"] / o["throughput"]["latency_ms"]["p99"],
                "p50_c1": sk["single"]["latency_ms"]["p50"] / o["single"]["latency_ms"]["p50"],
            }
            if "median_ms" in sk["table"] and "median_ms" in o["table"]:
                r["table_median"] = sk["table"]["median_ms"] / o["table"]["median_ms"]
            ratios[f"silkroute/{name}"] = r
        results["ratios"] = ratios
    # Matrices and per-route answers stay out of the committed JSON: they are
    # summarized above.
    for m in s.values():
        m["table"].pop("distances", None)
        answered = [x for x in m["routes"] if "error" not in x]
        m["routes_summary"] = {
            "checked": len(m["routes"]), "answered": len(answered),
            "median_ms": statistics.median(x["s"] for x in answered) * 1e3 if answered else None,
            "mean_distance_km": statistics.fmean(x["distance"] for x in answered) / 1e3 if answered else None,
        }
        del m["routes"]


def pct(x):
    return "—" if x is None else f"{100 * x:.3f} %"


def share(x):
    return "—" if x is None else f"{100 * x:.1f} %"


def write(results, a):
    os.makedirs(a.out_dir, exist_ok=True)
    stem = os.path.join(a.out_dir, f"{a.date}-{results['machine']['host']}-serve")
    with open(stem + ".json.tmp", "w") as f:
        json.dump(results, f, indent=1, sort_keys=True)
        f.write("\n")
    os.replace(stem + ".json.tmp", stem + ".json")
    md = render(results)
    with open(stem + ".md.tmp", "w") as f:
        f.write(md)
    os.replace(stem + ".md.tmp", stem + ".md")
    log(f"wrote {stem}.json and {stem}.md")
    print(md)


def render(r):
    s = r["servers"]
    m = r["machine"]
    L = []
    L.append(f"# `silkroute serve` against OSRM {OSRM_VERSION}: {r['date']} on {m['host']}")
    L.append("")
    L.append(f"{m['cpu']}, {m['cores']} cores, load average {m['loadavg_start'][0]:.2f} at the start and "
             f"{m['loadavg_end'][0]:.2f} at the end; commit {r['commit']}; made by `bench/osrm/compare.py`.")
    p = r["pairs"]
    L.append(f"Road graph: silkroute's world network exported by `export_osm` ({r['data']}); "
             f"{p['count']} random pairs of road nodes of the largest road component (seed {p['seed']}), "
             f"{p['checked']} of them checked for distance; table over {p['table_points']} points.")
    L.append("")
    L.append("| server | route req/s (-t2 -c16) | p50 | p90 | p99 | non-2xx | 1 connection p50 | p99 | table "
             f"{p['table_points']}×{p['table_points']} median | routes answered |")
    L.append("|---|---|---|---|---|---|---|---|---|---|")
    for name, x in s.items():
        t, o, tb, rs = x["throughput"], x["single"], x["table"], x["routes_summary"]
        e = t["errors"]
        table_ms = f"{tb['median_ms']:.1f} ms" if "median_ms" in tb else f"failed ({tb['error_count']} errors)"
        L.append(f"| {name} | {t['requests_per_s']:.0f} | {t['latency_ms']['p50']:.2f} ms | "
                 f"{t['latency_ms']['p90']:.2f} ms | {t['latency_ms']['p99']:.2f} ms | "
                 f"{e['status']} (+{e['connect'] + e['read'] + e['write'] + e['timeout']} socket) | "
                 f"{o['latency_ms']['p50']:.2f} ms | {o['latency_ms']['p99']:.2f} ms | {table_ms} |")
        L[-1] += f" {rs['answered']}/{rs['checked']} |"
    L.append("")
    L.append("Each row is the median of the rounds (the wrk runs of the median round, the median table time); "
             "the rounds, as route req/s at 16 connections (1-minute load average):")
    L.append("")
    for name, x in s.items():
        L.append(f"- {name}: " + ", ".join(f"{q['requests_per_s']:.0f} ({q['loadavg_1min']:.1f})" for q in x["rounds"])
                 + "; table " + ", ".join("—" if q["table_median_ms"] is None else f"{q['table_median_ms']:.0f} ms"
                                          for q in x["rounds"]))
    L.append("")
    if "ratios" in r:
        L.append("Ratios silkroute ÷ OSRM (req/s: above 1 means silkroute serves more; latencies and table: "
                 "below 1 means silkroute is faster):")
        L.append("")
        L.append("| against | req/s | p50 at 16 | p99 at 16 | p50 at 1 | table |")
        L.append("|---|---|---|---|---|---|")
        for k, v in r["ratios"].items():
            tm = f"{v['table_median']:.2f}" if "table_median" in v else "—"
            L.append(f"| {k.split('/')[1]} | {v['requests_per_s']:.2f} | {v['p50_c16']:.2f} | {v['p99_c16']:.2f} | "
                     f"{v['p50_c1']:.2f} | {tm} |")
        L.append("")
    dv = r["osrm_distance_vs_silkroute_length"]
    L.append("## Distances")
    L.append("")
    if dv.get("pairs"):
        L.append(f"OSRM's `distance` is its own length of the path's segments, computed from the node "
                 f"coordinates; ten times its `duration` is the silkroute length of the same path (the profile "
                 f"sets each way's duration to `silkroute:length_m` / 10). Over {dv['pairs']} routes OSRM's "
                 f"distance is {100 * -dv['mean_signed_rel']:.2f} % shorter on average "
                 f"(from {100 * -dv['max_signed_rel']:.2f} % to {100 * -dv['min_signed_rel']:.2f} %; "
                 f"{share(dv['within_0.1%'])} of routes within 0.1 %): our lengths follow the road between "
                 "the nodes, OSRM's segments are straight lines between them.")
        L.append("")
    for name, c in r.get("comparisons", {}).items():
        L.append(f"**{name}** against OSRM MLD on the same {p['checked']} pairs:")
        L.append("")
        L.append("| compared | pairs | missing | max rel. diff | mean rel. diff | within 0.1 % |")
        L.append("|---|---|---|---|---|---|")
        src = "10 × `duration`" if c["path_length_from"] != "distance" else "`distance`"
        for label, key in (("`distance` vs OSRM `distance`", "distance_vs_osrm_distance"),
                           (f"path length ({src}) vs OSRM MLD path length (10 × `duration`)",
                            "distance_vs_osrm_path_length"),
                           ("table `distances` vs OSRM table", "table_distance_vs_osrm")):
            v = c.get(key)
            if not v or not v.get("pairs"):
                L.append(f"| {label} | 0 | {v.get('missing') if v else '—'} | — | — | — |")
                continue
            L.append(f"| {label} | {v['pairs']} | {v['missing']} | {pct(v['max_rel'])} | {pct(v['mean_rel'])} | "
                     f"{share(v['within_0.1%'])} |")
        w = c["distance_vs_osrm_path_length"].get("within_1m")
        if w is not None:
            L.append("")
            L.append(f"{share(w)} of routes have a path length ({src}) within 1 m of OSRM MLD's.")
        if c["errors"]:
            L.append("")
            L.append("First errors: " + "; ".join(f"`{e}`" for e in c["errors"]))
        L.append("")
    if r["build_times"]:
        L.append("## OSRM build (bench/osrm/build)")
        L.append("")
        L.append("| step | wall | peak memory |")
        L.append("|---|---|---|")
        for k in ("export", "osmium", "extract", "partition", "customize", "contract"):
            if k in r["build_times"]:
                v = r["build_times"][k]
                L.append(f"| {k} | {v['wall_s']:.1f} s | {v['max_rss_kb'] / 1024:.0f} MB |")
        L.append("")
    L.append("## Servers")
    L.append("")
    for name, x in s.items():
        extra = ""
        if "startup_s" in x:
            extra = f", ready {x['startup_s']:.1f} s after start"
            if x.get("rss_mb") is not None:
                extra += f", {x['rss_mb']:.0f} MB resident after the run"
        rs = x["routes_summary"]
        if rs["answered"]:
            extra += (f"; mean route {rs['mean_distance_km']:.0f} km, median single request from Python "
                      f"{rs['median_ms']:.2f} ms")
        L.append(f"- {name}: `{x['server']}`{extra}.")
    L.append("")
    return "\n".join(L)


if __name__ == "__main__":
    try:
        main()
    finally:
        stop_all()
