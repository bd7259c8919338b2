"""Country (ISO 3166-1 alpha-2) lookup for scripts/refresh_open_data.py.

The polygons are Natural Earth's 1:50m admin-0 countries, as redistributed in
the npm package world-atlas (TopoJSON, `countries-50m.json`). The package is
fetched with `npm pack` (the npm registry, not the live web) unless a tarball
is given, and checked against the sha256 pinned below.

Rule for a point (see data/README.md, "Country column"):
  1. the country whose polygon contains it (points on a shared boundary go to
     the alphabetically first code, and are counted);
  2. otherwise the country with the nearest polygon within MAX_NEAREST_KM,
     the distance being measured in a local equirectangular projection
     centred on the point (within 20 km this differs from the great-circle
     distance by far less than the 1:50m map's own error);
  3. otherwise no country ("").
"""

import base64
import hashlib
import io
import json
import os
import subprocess
import tarfile
import tempfile

WORLD_ATLAS_NAME = "world-atlas"
WORLD_ATLAS_VERSION = "2.0.2"
# sha256 of world-atlas-2.0.2.tgz as served by the npm registry, and npm's own
# integrity string for it (from `npm view world-atlas@2.0.2 dist.integrity`).
WORLD_ATLAS_TGZ_SHA256 = "032e7765f2ce00edaeafec23ff22bc3b77e42987c257da944cc585b452c05b97"
WORLD_ATLAS_INTEGRITY = ("sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/"
                         "MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ==")
WORLD_ATLAS_MEMBER = "package/countries-50m.json"
# world-atlas 2.x README: "Natural Earth's vector data, version 4.1.0".
NATURAL_EARTH_VERSION = "4.1.0"

MAX_NEAREST_KM = 20.0
EARTH_RADIUS_KM = 6371.0088
KM_PER_DEG = EARTH_RADIUS_KM * 3.141592653589793 / 180.0

# Natural Earth features that have no ISO 3166-1 numeric id in world-atlas.
# Documented in data/README.md.
NO_ID_FEATURES = {
    # Not in ISO 3166-1; XK is the user-assigned code used by the EU, the
    # IMF, SWIFT and others. Kept separate so Kosovo-Serbia crossings show.
    "Kosovo": "XK",
    # Territories that ISO 3166-1 counts as part of a member state.
    "N. Cyprus": "CY",
    "Somaliland": "SO",
    # Disputed between India and Pakistan, administered by India.
    "Siachen Glacier": "IN",
    # Christmas Island (CX) and the Cocos (Keeling) Islands (CC) in one
    # feature: split by longitude (Christmas 105.6 E, Cocos 96.8 E).
    "Indian Ocean Ter.": "CX|CC",
}
INDIAN_OCEAN_TER_SPLIT_LON = 100.0
# Codes that pycountry does not know: (iso_numeric, name).
EXTRA_CODES = {"XK": ("", "Kosovo")}


def _run_npm_pack(spec, dest, log):
    # --prefer-offline: use npm's cache when it has the tarball (the sha256 is
    # checked below either way), so a second run needs no network.
    cmd = ["npm", "pack", spec, "--json", "--prefer-offline", "--pack-destination", dest]
    try:
        res = subprocess.run(cmd, cwd=dest, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise SystemExit("npm not found: it is needed to fetch world-atlas "
                         "(or pass --world-atlas-tgz PATH)")
    if res.returncode != 0:
        raise SystemExit(f"`{' '.join(cmd)}` failed ({res.returncode}):\n{res.stderr}")
    info = json.loads(res.stdout)
    if isinstance(info, list):
        info = info[0]
    path = os.path.join(dest, info["filename"])
    log(f"  npm pack {spec}: {info['filename']} ({info.get('size')} bytes)")
    return path


def load_world_atlas(tgz_path, allow_mismatch, log):
    """Return (countries-50m.json bytes, source info for the manifest)."""
    spec = f"{WORLD_ATLAS_NAME}@{WORLD_ATLAS_VERSION}"
    if tgz_path:
        with open(tgz_path, "rb") as f:
            tgz = f.read()
    else:
        with tempfile.TemporaryDirectory(prefix="silkroute-world-atlas-") as tmp:
            with open(_run_npm_pack(spec, tmp, log), "rb") as f:
                tgz = f.read()
    sha256 = hashlib.sha256(tgz).hexdigest()
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(tgz).digest()).decode("ascii")
    with tarfile.open(fileobj=io.BytesIO(tgz), mode="r:gz") as tf:
        pkg = json.load(tf.extractfile("package/package.json"))
        raw = tf.extractfile(WORLD_ATLAS_MEMBER).read()
    problems = []
    if sha256 != WORLD_ATLAS_TGZ_SHA256:
        problems.append(f"tarball sha256 {sha256}, pinned {WORLD_ATLAS_TGZ_SHA256}")
    if integrity != WORLD_ATLAS_INTEGRITY:
        problems.append(f"tarball integrity {integrity}, pinned {WORLD_ATLAS_INTEGRITY}")
    if pkg.get("name") != WORLD_ATLAS_NAME or pkg.get("version") != WORLD_ATLAS_VERSION:
        problems.append(f"package.json says {pkg.get('name')}@{pkg.get('version')}, "
                        f"pinned {spec}")
    if problems:
        msg = "world-atlas does not match the pin:\n  " + "\n  ".join(problems)
        if not allow_mismatch:
            raise SystemExit(msg + "\n(use --allow-version-mismatch to run anyway)")
        log("WARNING: " + msg)
    info = {
        "registry": "npm",
        "version": pkg.get("version"),
        "license": pkg.get("license"),
        "tarball_sha256": sha256,
        "tarball_integrity": integrity,
        "member": WORLD_ATLAS_MEMBER,
        "member_bytes": len(raw),
        "member_sha256": hashlib.sha256(raw).hexdigest(),
        "natural_earth_version": NATURAL_EARTH_VERSION,
        "natural_earth_layer": "admin 0 countries, 1:50m",
    }
    return raw, info


# --------------------------------------------------------------------------
# TopoJSON


def decode_topology(raw, obj="countries"):
    """Decode a quantized, delta-encoded TopoJSON object.

    Returns a list of (id or None, name, polygons) in file order, where each
    polygon is a list of rings (numpy arrays of lon, lat; exterior first).
    """
    import numpy as np

    topo = json.loads(raw)
    tr = topo.get("transform")
    arcs = []
    for arc in topo["arcs"]:
        a = np.asarray(arc, dtype=np.float64)[:, :2]
        if tr:
            a = np.cumsum(a, axis=0) * np.asarray(tr["scale"]) + np.asarray(tr["translate"])
        arcs.append(a)

    def ring(indices):
        parts = []
        for k, i in enumerate(indices):
            a = arcs[i] if i >= 0 else arcs[~i][::-1]
            parts.append(a if k == 0 else a[1:])
        coords = np.concatenate(parts)
        if not np.array_equal(coords[0], coords[-1]):
            coords = np.vstack([coords, coords[:1]])
        return coords

    out = []
    for g in topo["objects"][obj]["geometries"]:
        if g["type"] == "Polygon":
            polys = [[ring(r) for r in g["arcs"]]]
        elif g["type"] == "MultiPolygon":
            polys = [[ring(r) for r in p] for p in g["arcs"]]
        elif g["type"] is None:
            polys = []
        else:
            raise AssertionError(f"unexpected TopoJSON geometry type {g['type']!r}")
        out.append((g.get("id"), (g.get("properties") or {}).get("name", ""), polys))
    return out


def make_polygons(rings, stats):
    """Planar shapely Polygons in [-180, 180] for one TopoJSON polygon.

    world-atlas stitches Natural Earth's polygons across the antimeridian
    (Chukotka, Wrangel Island, a Fiji island, Antarctica's mainland), so a
    ring can jump from +180 to -180. Such rings are unwrapped (longitudes
    made continuous; a ring that circles a pole is closed through the pole),
    cut into the [-180, 180] window and its copies shifted by 360 degrees,
    and combined by the even-odd rule.
    """
    import numpy as np
    import shapely
    import shapely.affinity

    def fix(g):
        if not g.is_valid:
            stats["polygons_made_valid"] += 1
            g = shapely.make_valid(g)
        return g

    # quantization can collapse a tiny islet or hole to fewer than 4 points
    kept = [r for r in rings if len(r) >= 4]
    stats["degenerate_rings_dropped"] += len(rings) - len(kept)
    if not kept or len(rings[0]) < 4:
        return []
    rings = kept

    if not any((np.abs(np.diff(r[:, 0])) > 180).any() for r in rings):
        return [fix(shapely.Polygon(rings[0], rings[1:]))]

    stats["polygons_cut_at_antimeridian"] += 1

    def unwrap(c):
        x = c[:, 0]
        off = np.concatenate([[0.0], np.cumsum(-360.0 * np.round(np.diff(x) / 360.0))])
        u = np.column_stack([x + off, c[:, 1]])
        if abs(u[-1, 0] - u[0, 0]) > 180:  # circles a pole
            pole = -90.0 if c[:, 1].mean() < 0 else 90.0
            u = np.vstack([u, [[u[-1, 0], pole], [u[0, 0], pole]], u[:1]])
        return u

    def cut(c):
        g = fix(shapely.Polygon(unwrap(c)))
        pieces = []
        for k in (-1, 0, 1):
            w = shapely.intersection(g, shapely.box(-180 + 360 * k, -90, 180 + 360 * k, 90))
            if not w.is_empty:
                pieces.append(shapely.affinity.translate(w, xoff=-360 * k))
        return shapely.union_all(pieces)

    # Even-odd rule: each ring toggles inside/outside. For an ordinary shell
    # with holes this is shell minus holes; for Antarctica's mainland (a ring
    # round the pole at -89.999 plus the coastline, both closed through the
    # pole) it is the band between them.
    region = cut(rings[0])
    for r in rings[1:]:
        region = shapely.symmetric_difference(region, cut(r))
    return [fix(region)]


def _flatten_polygons(g):
    """The non-empty Polygons in g (which may be a multi-part or collection)."""
    import shapely
    if g.geom_type == "Polygon":
        if g.area > 0:
            yield g
        return
    if g.geom_type in ("MultiPolygon", "GeometryCollection"):
        for q in shapely.get_parts(g):
            yield from _flatten_polygons(q)


# --------------------------------------------------------------------------
# country index


class CountryIndex:
    """Polygon parts with their country, in an STRtree."""

    def __init__(self, raw, log):
        import numpy as np
        import pycountry
        import shapely

        self.np, self.shapely = np, shapely
        features = decode_topology(raw)
        self.stats = {"natural_earth_features": len(features)}
        parts, part_code = [], []
        names = {}          # iso2 -> (numeric, name)
        special = []
        self.stats.update({"polygons_made_valid": 0, "polygons_cut_at_antimeridian": 0,
                           "degenerate_rings_dropped": 0})
        for fid, ne_name, polygons in features:
            if fid is None:
                rule = NO_ID_FEATURES.get(ne_name)
                if rule is None:
                    raise AssertionError(f"Natural Earth feature {ne_name!r} has no id "
                                         f"and no rule in NO_ID_FEATURES")
                special.append(f"{ne_name} -> {rule}")
            else:
                c = pycountry.countries.get(numeric=fid)
                if c is None:
                    raise AssertionError(f"ISO numeric {fid} ({ne_name}) unknown to pycountry")
                rule = c.alpha_2
            for p in (g for rings in polygons for g in make_polygons(rings, self.stats)):
                if rule == "CX|CC":
                    code = "CX" if p.centroid.x > INDIAN_OCEAN_TER_SPLIT_LON else "CC"
                else:
                    code = rule
                for q in _flatten_polygons(p):
                    minx, miny, maxx, maxy = q.bounds
                    if not (-180 <= minx and maxx <= 180 and -90 <= miny and maxy <= 90):
                        raise AssertionError(f"{ne_name}: polygon outside the lon/lat "
                                             f"range: {q.bounds}")
                    parts.append(q)
                    part_code.append(code)
        for code in sorted(set(part_code)):
            if code in EXTRA_CODES:
                names[code] = EXTRA_CODES[code]
            else:
                c = pycountry.countries.get(alpha_2=code)
                names[code] = (c.numeric, getattr(c, "common_name", None) or c.name)
        self.codes = sorted(names)            # index -> iso2, alphabetical
        code_idx = {c: i for i, c in enumerate(self.codes)}
        self.names = names
        self.parts = np.array(parts, dtype=object)
        self.part_country = np.array([code_idx[c] for c in part_code], dtype=np.int64)
        self.tree = shapely.STRtree(self.parts)
        self.stats.update({
            "polygons": len(parts),
            "countries": len(self.codes),
            "features_without_iso_numeric": special,
        })
        log(f"  countries: {len(self.codes)} codes, {len(parts)} polygons")

    def rows(self):
        """countries.csv rows: iso2, iso_numeric, name."""
        return [(c, self.names[c][0], self.names[c][1]) for c in self.codes]

    def assign(self, lat, lon):
        """Country code ("" if none) for each point; and statistics."""
        np, shapely = self.np, self.shapely
        lat = np.asarray(lat, dtype=np.float64)
        lon = np.asarray(lon, dtype=np.float64)
        n = len(lat)
        NONE = len(self.codes)
        result = np.full(n, NONE, dtype=np.int64)

        # 1. containment (boundary included)
        pts = shapely.points(lon, lat)
        pi, gi = self.tree.query(pts, predicate="intersects")
        ci = self.part_country[gi]
        # several countries for one point: keep the alphabetically first
        np.minimum.at(result, pi, ci)
        multi = np.zeros(n, dtype=bool)
        multi[pi[ci != result[pi]]] = True
        inside = result != NONE

        # 2. nearest polygon within MAX_NEAREST_KM
        out_idx = np.flatnonzero(~inside)
        dist_km = np.full(n, np.nan)
        if len(out_idx):
            self._nearest(out_idx, lat, lon, result, dist_km)
        near = (~inside) & (result != NONE)

        codes = np.array(self.codes + [""], dtype=object)[result]
        counts = {}
        for c in codes:
            counts[c] = counts.get(c, 0) + 1
        none = counts.pop("", 0)
        d = dist_km[near]
        stats = {
            "inside_polygon": int(inside.sum()),
            "on_boundary_of_several_countries": int(multi.sum()),
            f"nearest_within_{MAX_NEAREST_KM:g}km": int(near.sum()),
            "nearest_distance_km_max": round(float(d.max()), 3) if len(d) else None,
            "nearest_distance_km_median": round(float(np.median(d)), 3) if len(d) else None,
            "without_country": none,
            "countries": len(counts),
            "nodes_per_country": dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))),
        }
        return codes.tolist(), stats

    def _nearest(self, idx, lat, lon, result, dist_km):
        np, shapely = self.np, self.shapely
        dlat = MAX_NEAREST_KM / KM_PER_DEG
        plat, plon = lat[idx], lon[idx]
        coslat = np.cos(np.radians(plat))
        dlon = np.minimum(dlat / np.maximum(coslat, 1e-9), 360.0)
        # query boxes; near the antimeridian also a copy shifted by 360 degrees
        q_pt = [np.arange(len(idx))]
        q_shift = [np.zeros(len(idx))]
        east = np.flatnonzero(plon + dlon > 180)
        west = np.flatnonzero(plon - dlon < -180)
        q_pt += [east, west]
        q_shift += [np.full(len(east), -360.0), np.full(len(west), 360.0)]
        q_pt = np.concatenate(q_pt)
        q_shift = np.concatenate(q_shift)
        qlon = plon[q_pt] + q_shift
        qlat = plat[q_pt]
        qdlon = dlon[q_pt]
        xmin, xmax = qlon - qdlon, qlon + qdlon
        ymin, ymax = qlat - dlat, qlat + dlat
        boxes = shapely.box(xmin, ymin, xmax, ymax)
        qi, gi = self.tree.query(boxes)
        if len(qi) == 0:
            return
        clip = shapely.clip_by_rect  # takes scalar bounds only
        parts = self.parts
        clipped = np.array([clip(parts[g], xmin[q], ymin[q], xmax[q], ymax[q])
                            for q, g in zip(qi.tolist(), gi.tolist())], dtype=object)
        keep = ~shapely.is_empty(clipped)
        qi, gi, clipped = qi[keep], gi[keep], clipped[keep]
        # local equirectangular projection (km) centred on each point
        coords, cidx = shapely.get_coordinates(clipped, return_index=True)
        pair_q = qi[cidx]
        coords[:, 0] = (coords[:, 0] - qlon[pair_q]) * np.cos(np.radians(qlat[pair_q])) * KM_PER_DEG
        coords[:, 1] = (coords[:, 1] - qlat[pair_q]) * KM_PER_DEG
        projected = shapely.set_coordinates(clipped, coords)  # replaces the array's items
        d = shapely.distance(shapely.Point(0, 0), projected)
        ok = d <= MAX_NEAREST_KM
        qi, gi, d = qi[ok], gi[ok], d[ok]
        if len(qi) == 0:
            return
        point = idx[q_pt[qi]]
        country = self.part_country[gi]
        # per point: smallest distance, then alphabetically first code
        order = np.lexsort((country, d, point))
        point, country, d = point[order], country[order], d[order]
        first = np.ones(len(point), dtype=bool)
        first[1:] = point[1:] != point[:-1]
        result[point[first]] = country[first]
        dist_km[point[first]] = d[first]


def geos_version():
    """GEOS library version (bundled in the shapely wheel)."""
    import shapely
    return shapely.geos_version_string


def border_pairs(edges, codes):
    """{(a, b): edges} for edges whose ends are in different countries (a < b),
    and the number of edges with exactly one end without a country."""
    pairs = {}
    half = 0
    for (i, j) in edges:
        a, b = codes[i], codes[j]
        if a == b:
            continue
        if not a or not b:
            half += 1
            continue
        key = (a, b) if a < b else (b, a)
        pairs[key] = pairs.get(key, 0) + 1
    return pairs, half
