"""`silkroute export` opened with geopandas (through GDAL, as QGIS reads
it): every rail edge that `inspect` counts is one LineString feature in
EPSG:4326, with its attributes as columns."""

import json
import os
import subprocess

import geopandas

BIN = os.environ.get("SILKROUTE_BIN", "target/release/silkroute")


def silkroute(*args):
    cmd = [BIN, "--quiet"]
    if os.environ.get("SILKROUTE_NETWORK"):
        cmd += ["--network", os.environ["SILKROUTE_NETWORK"]]
    return subprocess.run(cmd + list(args), check=True, capture_output=True, text=True).stdout


def test_the_rail_export_opens_in_geopandas_with_every_edge(tmp_path):
    out = tmp_path / "rail.geojson"
    silkroute("export", "--modes", "rail", "--no-nodes", "--out", str(out))
    report = json.loads(silkroute("inspect", "--format", "json"))
    gdf = geopandas.read_file(out)
    assert len(gdf) == report["modes"]["rail"]["edges"]
    assert gdf.crs.to_epsg() == 4326
    assert set(gdf.geom_type) <= {"LineString", "MultiLineString"}
    assert (gdf["mode"] == "rail").all()
    for column in ["length_km", "gauge_mm", "from_country", "to_country", "border", "record"]:
        assert column in gdf.columns
    # Lengths: the export's attribute sums to inspect's rail length.
    assert abs(gdf["length_km"].sum() - report["modes"]["rail"]["length_km"]) < 1.0
    # A 1520 mm network exists (the former Soviet Union) beside 1435 mm.
    assert {1435, 1520} <= set(gdf["gauge_mm"].dropna().astype(int))


def test_a_box_export_keeps_only_edges_touching_it_and_the_transfer_points(tmp_path):
    out = tmp_path / "ca.geojson"
    silkroute("export", "--modes", "rail", "--bbox", "46,35,88,56", "--out", str(out))
    gdf = geopandas.read_file(out)
    lines = gdf[gdf.geom_type != "Point"]
    points = gdf[gdf.geom_type == "Point"]
    assert len(lines) > 1000 and len(points) > 10
    b = lines.geometry.bounds
    touches = (
        ((b.minx <= 88) & (b.maxx >= 46) & (b.miny <= 56) & (b.maxy >= 35))
    )
    assert touches.all()
    assert {"seaport", "rail_terminal"} <= set(points["kind"])
