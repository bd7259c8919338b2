"""Run the same queries on the peers (scgraph, searoute) and time them.

Input (stdin): the JSON that `silkroute bench` printed. For every rail query,
scgraph routes twice on its own copy of the same OSM railway graph:
  * "same_nodes": from and to the exact graph nodes silkroute joined at, so
    snapping is identical and the lengths must agree;
  * "own_snapping": from the place coordinates, with scgraph's default
    snapping (nearest node), to show where its snapping fails.
Both are timed with scgraph's default algorithm (bidirectional buckets) and
with its contraction hierarchy (preprocessing timed once). For sea queries,
searoute routes between the same port coordinates (its own snapping, timed),
and once between the marnet nodes silkroute's port access arcs lead to
("same nodes").

Output (stdout): JSON with lengths, medians in ms and errors per query.
"""

import json
import statistics
import sys
import time
import types

REPEAT = int(sys.argv[1]) if len(sys.argv) > 1 else 5


def timed(fn, repeat=REPEAT):
    samples, result = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - t) * 1e3)
    return result, statistics.median(samples)


def load_rail():
    # scgraph_data 2.0.0 imports scgraph.core, which scgraph 3.x renamed.
    import scgraph.geograph as gg

    shim = types.ModuleType("scgraph.core")
    shim.GeoGraph = gg.GeoGraph
    sys.modules["scgraph.core"] = shim
    from scgraph_data.world_railways import world_railways_geograph

    return world_railways_geograph


def scgraph_route(graph, a, b, algorithm):
    try:
        out = graph.get_shortest_path(
            origin_node={"latitude": a[0], "longitude": a[1]},
            destination_node={"latitude": b[0], "longitude": b[1]},
            algorithm_fn=algorithm,
            silent=True,
        )
        return {"ok": True, "length_km": out["length"]}
    except Exception as e:  # scgraph raises on disconnected graphs
        return {"ok": False, "error": str(e).splitlines()[0][:200]}


MATRIX_POINTS = None


def main():
    global MATRIX_POINTS
    ours = json.load(sys.stdin)
    if len(sys.argv) > 2:
        with open(sys.argv[2]) as f:
            MATRIX_POINTS = json.load(f)["points"]
    queries = ours["queries"]
    result = {"repeat": REPEAT, "scgraph": {}, "searoute": {}}
    rail = [q for q in queries if q["id"].endswith("-rail")]
    sea = [q for q in queries if q["id"].endswith("-sea")]
    if rail:
        t = time.perf_counter()
        graph = load_rail()
        result["scgraph"]["load_s"] = time.perf_counter() - t
        t = time.perf_counter()
        graph.graph_object.create_contraction_hierarchy()
        result["scgraph"]["ch_preprocess_s"] = time.perf_counter() - t
        per = {}
        for q in rail:
            entry = {}
            if q.get("ok"):
                for algo in ["bidirectional_buckets", "contraction_hierarchy"]:
                    r, ms = timed(lambda: scgraph_route(graph, q["joined_from"], q["joined_to"], algo))
                    entry[f"same_nodes_{algo}"] = dict(r, median_ms=ms)
            r, ms = timed(lambda: scgraph_route(graph, q["from"], q["to"], "contraction_hierarchy"))
            entry["own_snapping_contraction_hierarchy"] = dict(r, median_ms=ms)
            per[q["id"]] = entry
        result["scgraph"]["queries"] = per
        matrix = ours.get("matrix")
        if matrix and MATRIX_POINTS:
            nodes = [{"latitude": a, "longitude": b} for a, b in MATRIX_POINTS]
            t = time.perf_counter()
            dm = graph.distance_matrix(nodes=nodes, silent=True)
            result["scgraph"]["distance_matrix"] = {
                "n": len(nodes),
                "ms": (time.perf_counter() - t) * 1e3,
                "reachable_pairs": sum(1 for row in dm for x in row if x is not None),
            }
    if sea:
        import searoute as sr

        sr.searoute([0, 0], [1, 1])  # load marnet once, outside the timing
        per = {}
        for q in sea:
            def run():
                f = sr.searoute(
                    [q["from"][1], q["from"][0]],
                    [q["to"][1], q["to"][0]],
                    return_passages=True,
                )
                return {"ok": True, "length_km": f.properties["length"], "passages": f.properties.get("traversed_passages", [])}

            r, ms = timed(run)
            entry = dict(r, median_ms=ms)
            if q.get("sea_inner_from") and q.get("sea_inner_to"):
                a, b = q["sea_inner_from"], q["sea_inner_to"]
                f = sr.searoute([a[1], a[0]], [b[1], b[0]])
                entry["same_nodes_length_km"] = f.properties["length"]
            per[q["id"]] = entry
        result["searoute"]["queries"] = per
    json.dump(result, real_stdout, indent=1)


if __name__ == "__main__":
    # Peers print diagnostics on stdout; keep stdout for the JSON result.
    import contextlib

    real_stdout = sys.stdout
    with contextlib.redirect_stdout(sys.stderr):
        main_result = main()
