"""`silkroute export` opened with geopandas (through GDAL, as QGIS reads
it): every rail edge that `inspect` counts is one LineString feature in
EPSG:4326, with its attributes as columns; the GeoParquet file opens with
geopandas.read_parquet (pyarrow and shapely, which check its `geo`
metadata) holding the same rows as the GeoJSON of the same selection."""

import json
import os
import subprocess

import geopandas
import pyarrow.parquet as pq

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


def test_geoparquet_opens_in_geopandas_like_the_geojson(tmp_path):
    selection = ["--modes", "rail,ferry", "--bbox", "40,38,52,44"]
    parquet = tmp_path / "caucasus.parquet"
    geojson = tmp_path / "caucasus.geojson"
    for out in (parquet, geojson):
        silkroute("export", *selection, "--out", str(out))
    gp = geopandas.read_parquet(parquet)
    gj = geopandas.read_file(geojson)
    # No `crs` key: GeoParquet's default, lon/lat on WGS 84.
    assert gp.crs.to_authority() == ("OGC", "CRS84")
    assert len(gp) == len(gj) > 100
    assert set(gp["feature"]) == {"edge", "node"}
    assert set(gp[gp["feature"] == "edge"]["mode"]) <= {"rail", "ferry"}
    # The same attributes, row for row, in the same order.
    for column in ["id", "mode", "from_country", "to_country", "record", "kind", "name"]:
        a = gp[column].where(gp[column].notna(), None).tolist()
        b = gj[column].where(gj[column].notna(), None).tolist()
        assert a == b, column
    assert (gp["length_km"].fillna(0) - gj["length_km"].fillna(0)).abs().max() < 1e-9
    # GeoJSON says EPSG:4326, the same datum with the lat/lon axis order of
    # the EPSG register; the coordinates are the same lon/lat pairs.
    assert (
        gp.geometry.set_crs(None, allow_override=True)
        .geom_equals_exact(gj.geometry.set_crs(None, allow_override=True), tolerance=1e-9)
        .all()
    )
    meta = pq.read_metadata(parquet).metadata[b"geo"]
    assert b'"WKB"' in meta and b'"bbox"' in meta
    assert "aktau-alat" in set(gp["record"].dropna())
