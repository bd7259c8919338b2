"""Routes, alternatives and Pareto sets against the CLI's answers, the
route's tables and their dtypes, GeoJSON, and the GeoDataFrame."""

import math

import pandas as pd
import pytest

import silkroute
from conftest import close

QUERIES = [
    dict(from_="Chongqing", to="Duisburg", modes="rail"),
    dict(from_="CNSHA", to="NLRTM", modes="sea", avoid="suez"),
    dict(from_="Xi'an", to="Hamburg", modes="rail,road,sea,ferry", optimize="cost"),
    dict(from_="Yiwu", to="Madrid", modes="rail,road", optimize="co2", via="Khorgos"),
    dict(from_=(106.55, 29.56), to=(6.76, 51.43), modes=["rail", "road"], cargo="tonnes:12.5"),
]


def cli_args(q):
    def place(p):
        return p if isinstance(p, str) else f"{p[1]},{p[0]}"

    args = ["route", "--from", place(q["from_"]), "--to", place(q["to"])]
    modes = q.get("modes", "rail,road,sea,air,ferry")
    args += ["--modes", modes if isinstance(modes, str) else ",".join(modes)]
    # Net.route answers one objective, time by default; the CLI without
    # --optimize prints the planner's overview, so name it.
    args += ["--optimize", q.get("optimize", "time")]
    for k in ("cargo", "avoid", "via", "corridor"):
        if k in q:
            args += [f"--{k}", q[k]]
    return args


def totals(d):
    return (d["duration_h"], d["cost_usd"], d["co2e_kg"], d["distance_km"])


@pytest.mark.parametrize("q", QUERIES, ids=lambda q: f"{q['from_']}-{q['to']}")
def test_route_matches_the_cli(net, dnet, cli, q):
    want = cli(*cli_args(q), "--format", "json")["routes"][0]
    # On the hierarchy: the same optimum, up to ties between equal paths.
    h = net.route(**q)
    for a, b in zip((h.hours, h.usd, h.co2e_kg, h.km), totals(want), strict=True):
        assert close(a, b), (a, b)
    # By Dijkstra, as the CLI searches: the very same answer.
    r = dnet.route(**q)
    assert (r.hours, r.usd, r.co2e_kg, r.km) == totals(want)
    assert r.days == pytest.approx(want["duration_h"] / 24)
    assert r.modes == want["modes"]
    assert r.passages == want["passages"]
    assert r.countries == want["countries"]
    assert len(r.legs) == len(want["legs"])
    assert list(r.legs["hours"]) == [leg["duration_h"] for leg in want["legs"]]
    assert list(r.border_crossings["name"]) == [b["name"] for b in want["border_crossings"]]
    # The whole route dict is the API's JSON, as the CLI prints it.
    assert r.to_dict() == want
    t = r.transit_days
    assert t == want["transit_days"]
    assert t["p10"] <= t["p50"] <= t["p90"]


def test_route_tables_have_fixed_dtypes(net):
    r = net.route("Chongqing", "Duisburg", modes="rail")
    legs = r.legs
    for c in ["distance_km", "hours", "usd", "co2e_kg", "co2e_kg_ttw", "from_lat", "from_lon", "to_lat", "to_lon"]:
        assert legs[c].dtype == "float64", c
    for c in ["mode", "from", "to", "passages", "countries"]:
        assert pd.api.types.is_string_dtype(legs[c]), c
    # The first mile (2.5 km from Chongqing) is a drayage leg by road.
    assert legs["drayage"].dtype == "bool"
    assert legs["drayage"].iloc[0] and legs["mode"].iloc[0] == "road"
    b = r.border_crossings
    assert len(b) >= 5, "China → Germany by rail crosses at least five borders"
    assert b["customs"].dtype == "bool" and b["gauge_change"].dtype == "bool"
    assert b["gauge_change"].any(), "1,435 → 1,520 mm at the Chinese border"
    for c in ["lat", "lon", "dwell_h", "fee_usd", "hours", "usd", "co2e_kg"]:
        assert b[c].dtype == "float64", c
    # Totals are the sums of what the answer lists (legs, transfers, borders).
    assert legs["distance_km"].sum() == pytest.approx(r.km, abs=0.01)
    assert legs["hours"].sum() + b["hours"].sum() <= r.hours + 1e-6
    # An empty table keeps its columns and dtypes.
    sea = net.route("CNSHA", "SGSIN", modes="sea")
    assert len(sea.border_crossings) == 0
    assert sea.border_crossings["dwell_h"].dtype == "float64"
    assert list(sea.border_crossings.columns) == list(b.columns)


def test_geojson_is_the_clis(dnet, cli):
    r = dnet.route("Chongqing", "Duisburg", modes="rail")
    want = cli("route", "--from", "Chongqing", "--to", "Duisburg", "--modes", "rail", "--optimize", "time",
               "--format", "geojson")
    assert r.geojson == want
    gdf = r.to_geodataframe()
    assert gdf.crs.to_epsg() == 4326
    assert len(gdf) == len(want["features"])
    line = gdf[gdf.geometry.geom_type.isin(["LineString", "MultiLineString"])]
    assert len(line) == len(r.legs)
    minx, miny, maxx, maxy = line.total_bounds
    assert 6 < minx < 7 and 106 < maxx < 107, "lon/lat order (RFC 7946)"


def test_alternatives_match_the_cli(dnet, cli):
    alts = dnet.alternatives("Chongqing", "Duisburg", k=3, modes="rail,road,sea,ferry", optimize="cost")
    want = cli("route", "--from", "Chongqing", "--to", "Duisburg", "--modes", "rail,road,sea,ferry",
               "--optimize", "cost", "--alternatives", "3", "--format", "json")
    assert [totals(r.to_dict()) for r in alts] == [totals(w) for w in want["routes"]]
    assert len(alts) >= 2
    assert alts.frame["usd"].is_monotonic_increasing
    assert alts.frame["usd"].dtype == "float64"


def test_pareto_matches_the_cli(dnet, cli):
    front = dnet.pareto("Chongqing", "Duisburg", modes="rail,road,sea,ferry")
    want = cli("route", "--from", "Chongqing", "--to", "Duisburg", "--modes", "rail,road,sea,ferry",
               "--pareto", "--format", "json")
    assert sorted(totals(r.to_dict()) for r in front) == sorted(totals(w) for w in want["routes"])
    assert len(front) >= 2, "rail is faster, sea is cheaper"
    f = front.frame
    assert set(f.columns) >= {"hours", "usd", "co2e_kg", "km"}
    # No route of the set dominates another by more than the ε = 5 %.
    for a in front:
        for b in front:
            if a is not b:
                assert not (a.hours * 1.05 < b.hours and a.usd * 1.05 < b.usd and a.co2e_kg * 1.05 < b.co2e_kg)


def test_corridor_routes_match_the_cli(dnet, cli):
    r = dnet.route("Xi'an", "Istanbul", corridor="middle-corridor")
    want = cli("route", "--from", "Xi'an", "--to", "Istanbul", "--corridor", "middle-corridor", "--optimize", "time",
               "--format", "json")
    assert totals(r.to_dict()) == totals(want["routes"][0])
    assert "middle-corridor" in r.corridors


def test_repr_is_readable(net):
    r = net.route("Chongqing", "Duisburg", modes="rail")
    assert "days" in repr(r) and "Chongqing" in repr(r)
    assert math.isclose(r.days * 24, r.hours)


def test_shortest_path_is_the_routes_network_part(net, dnet):
    # The path alone, by distance: the rail legs of the distance-optimal
    # route between the same nodes, without the drayage miles at its ends.
    p = net.shortest_path("Chongqing", "Duisburg", modes="rail")
    r = dnet.route("Chongqing", "Duisburg", modes="rail", optimize="distance")
    rail = r.legs[r.legs["mode"] == "rail"]
    assert close(p.km, float(rail["distance_km"].sum()))
    assert p.unit == "km" and close(p.value, p.km)
    for end, want in ((p.origin, r.origin["joined_at"]), (p.destination, r.destination["joined_at"])):
        assert close(end["lat"], want["lat"], abs_=1e-6) and close(end["lon"], want["lon"], abs_=1e-6)
    xy = p.coordinates
    assert xy.shape[1] == 2 and xy.dtype == "float64" and len(xy) > 1000
    assert tuple(xy[0]) == pytest.approx((p.origin["lon"], p.origin["lat"]), abs=1e-6)
    assert tuple(xy[-1]) == pytest.approx((p.destination["lon"], p.destination["lat"]), abs=1e-6)
    g = p.geojson()
    assert g["geometry"]["type"] == "LineString" and len(g["geometry"]["coordinates"]) == len(xy)
    # Another objective: its value in its unit, over the same kind of path.
    t = net.shortest_path("Chongqing", "Duisburg", modes="rail", optimize="time")
    assert t.unit == "h" and t.value > 0 and t.km >= p.km - 1e-6
    assert "ShortestPath" in repr(p) and "km" in repr(p)


def test_curated_links_can_be_avoided(net, cli):
    # Ulan Bator -> Ulan-Ude runs over the curated Sukhbaatar-Naushki link;
    # on OpenStreetMap's own rails alone it goes round through China.
    direct = net.shortest_path("Ulan Bator", "Ulan-Ude", modes="rail")
    osm = net.shortest_path("Ulan Bator", "Ulan-Ude", modes="rail", avoid="curated-links")
    assert direct.km < 1000 < 3000 < osm.km
    answer = cli("route", "--from", "Ulan Bator", "--to", "Ulan-Ude", "--modes", "rail",
                 "--optimize", "distance", "--avoid", "curated-links", "--format", "json")
    rail = sum(leg["distance_km"] for leg in answer["routes"][0]["legs"] if leg["mode"] == "rail")
    assert close(osm.km, rail)
    assert answer["constraints"] == "avoid curated-links"


def test_a_path_fails_as_the_route_does(net):
    with pytest.raises(silkroute.NoRoute) as path_err:
        net.shortest_path("CNSHA", "USLAX", modes="rail")
    with pytest.raises(silkroute.NoRoute) as route_err:
        net.route("CNSHA", "USLAX", modes="rail")
    assert str(path_err.value) == str(route_err.value)
    with pytest.raises(silkroute.InvalidValue):
        net.shortest_path("Chongqing", "Duisburg", modes="rail", optimize="fastest")
