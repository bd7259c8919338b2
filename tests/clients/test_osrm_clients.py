"""Real OSRM clients from PyPI against `silkroute serve`: routingpy (route
with polyline6 and GeoJSON, alternatives, table with sources and
destinations) and osrm-py (which sends every option, empty when unused).
Passing proves the OSRM v5 shape; numbers are compared with the server's
own JSON for the same question."""

import math

import osrm
import routingpy

from conftest import get

CHONGQING = (106.551556, 29.563009)
DUISBURG = (6.762691, 51.434999)
BERLIN = (13.405, 52.52)
PARIS = (2.3522, 48.8566)
VIENNA = (16.3738, 48.2082)


def reference(server, profile, coords, **params):
    q = "&".join(f"{k}={v}" for k, v in params.items())
    path = ";".join(f"{lon},{lat}" for lon, lat in coords)
    return get(f"{server}/route/v1/{profile}/{path}?{q}")


def test_routingpy_directions_polyline6_and_geojson(server):
    client = routingpy.OSRM(base_url=server)
    ref = reference(server, "rail", [CHONGQING, DUISBURG], overview="full")["routes"][0]
    for geometries in ["polyline6", "geojson"]:
        d = client.directions(
            locations=[CHONGQING, DUISBURG],
            profile="rail",
            geometries=geometries,
            overview="full",
        )
        # routingpy keeps whole metres and seconds.
        assert d.distance == int(ref["distance"])
        assert d.duration == int(ref["duration"])
        # routingpy decodes both into [lon, lat] pairs: the ends lie near the
        # places, so lat/lon were not swapped.
        start, end = d.geometry[0], d.geometry[-1]
        assert abs(start[0] - CHONGQING[0]) < 0.2 and abs(start[1] - CHONGQING[1]) < 0.2, start
        assert abs(end[0] - DUISBURG[0]) < 0.2 and abs(end[1] - DUISBURG[1]) < 0.2, end
        assert len(d.geometry) > 100


def test_routingpy_alternatives(server):
    client = routingpy.OSRM(base_url=server)
    ds = client.directions(
        locations=[CHONGQING, DUISBURG],
        profile="rail",
        alternatives=True,
    )
    routes = list(ds)
    assert 1 <= len(routes) <= 2
    assert all(r.distance > 9_000_000 for r in routes)


def test_routingpy_matrix_with_sources_and_destinations(server):
    client = routingpy.OSRM(base_url=server)
    m = client.matrix(
        locations=[BERLIN, PARIS, VIENNA],
        profile="driving",
        sources=[0],
        destinations=[1, 2],
        annotations=["duration", "distance"],
    )
    path = ";".join(f"{lon},{lat}" for lon, lat in [BERLIN, PARIS, VIENNA])
    ref = get(f"{server}/table/v1/driving/{path}?sources=0&destinations=1;2&annotations=duration,distance")
    assert m.durations == ref["durations"]
    assert m.distances == ref["distances"]
    assert len(m.durations) == 1 and len(m.durations[0]) == 2
    assert all(v > 0 for v in m.durations[0])


def test_osrm_py_route_and_nearest(server):
    client = osrm.Client(host=server, profile="rail")
    r = client.route(coordinates=[list(CHONGQING), list(DUISBURG)], overview=osrm.overview.full)
    ref = reference(server, "rail", [CHONGQING, DUISBURG], overview="simplified")["routes"][0]
    assert r["code"] == "Ok"
    assert math.isclose(r["routes"][0]["distance"], ref["distance"], rel_tol=1e-9)
    assert r["routes"][0]["geometry"]["type"] == "LineString"
    n = client.nearest(coordinates=[list(BERLIN)], number=3)
    assert len(n["waypoints"]) == 3
    try:
        client.route(coordinates=[[106.55, 29.56], [139.69, 35.69]])
    except osrm.OSRMClientException as e:
        assert e.args[0]["code"] == "NoRoute"
    else:
        raise AssertionError("Chongqing → Tokyo by rail has no route")
