"""Matrices, reach and nearest against the CLI's (and the server's)
answers, with every accepted input form."""

import json
import math
import socket
import subprocess
import time
import urllib.request

import numpy as np
import pandas as pd
import pytest

import silkroute

CITIES = ["Shanghai", "Chongqing", "Xi'an", "Almaty", "Moscow", "Duisburg", "Warsaw", "Istanbul"]
POINTS = [(121.47, 31.23), (106.55, 29.56), (8.68, 50.11), (2.35, 48.86)]


def write_places(path, rows, header):
    pd.DataFrame(rows, columns=header).to_csv(path, index=False)
    return str(path)


def cli_grid(cli, tmp_path, origins_csv, dest_csv, *args):
    return cli("matrix", "--from", origins_csv, "--to", dest_csv, *args, "--format", "json")


def same_cells(df, want, n_o, n_d):
    assert len(df) == n_o * n_d
    for col, key in [("hours", "durations_h"), ("usd", "costs_usd"), ("co2e_kg", "co2e_kg"), ("km", "distances_km")]:
        got = df[col].to_numpy().reshape(n_o, n_d)
        exp = np.array([[np.nan if x is None else x for x in row] for row in want[key]], dtype=float)
        np.testing.assert_array_equal(got, exp, err_msg=col)


def test_matrix_of_names_matches_the_cli(net, cli, tmp_path):
    o = write_places(tmp_path / "o.csv", [[c] for c in CITIES[:5]], ["place"])
    d = write_places(tmp_path / "d.csv", [[c] for c in CITIES[3:]], ["place"])
    df = net.matrix(CITIES[:5], CITIES[3:], modes="rail")
    want = cli_grid(cli, tmp_path, o, d, "--modes", "rail")
    same_cells(df, want, 5, 5)
    assert list(df.columns) == ["origin", "destination", "hours", "usd", "co2e_kg", "km"]
    assert list(df["origin"][:5]) == ["Shanghai"] * 5
    assert list(df["destination"][:5]) == CITIES[3:]
    for c in ["hours", "usd", "co2e_kg", "km"]:
        assert df[c].dtype == "float64"
    # Labels are categorical, in the order given; cells are float64.
    assert isinstance(df["origin"].dtype, pd.CategoricalDtype)
    assert list(df["origin"].cat.categories) == CITIES[:5]
    assert pd.api.types.is_string_dtype(df["origin"].cat.categories)
    # A place paired with itself is a zero-length trip.
    same = df[(df.origin == "Almaty") & (df.destination == "Almaty")]
    assert same["km"].iloc[0] == pytest.approx(0.0, abs=1.0)


def test_matrix_of_points_and_dataframes_matches_the_cli(net, cli, tmp_path):
    # (lon, lat) tuples, and a DataFrame with lon/lat columns and ids.
    frame = pd.DataFrame({"id": ["sha", "ckg", "fra", "par"], "lon": [p[0] for p in POINTS], "lat": [p[1] for p in POINTS]})
    o = write_places(tmp_path / "o.csv", [[i, la, lo] for i, lo, la in zip(frame.id, frame.lon, frame.lat)], ["id", "lat", "lon"])
    want = cli_grid(cli, tmp_path, o, o, "--modes", "rail,road", "--optimize", "cost")
    by_frame = net.matrix(frame, modes="rail,road", optimize="cost")
    same_cells(by_frame, want, 4, 4)
    assert list(by_frame["origin"].unique()) == ["sha", "ckg", "fra", "par"]
    by_tuples = net.matrix(POINTS, POINTS, modes=["rail", "road"], optimize="cost")
    same_cells(by_tuples, want, 4, 4)
    assert by_tuples["origin"].iloc[0] == "31.23,121.47", "a point is labelled lat,lon as the CLI labels it"


def test_unreachable_pairs_are_nan(net, cli, tmp_path):
    # Rail only: Tokyo has no rail link to the mainland.
    df = net.matrix(["Tokyo", "Shanghai"], ["Moscow"], modes="rail")
    assert math.isnan(df["hours"].iloc[0]) and math.isnan(df["km"].iloc[0])
    assert df["hours"].iloc[1] > 0
    o = write_places(tmp_path / "o.csv", [["Tokyo"], ["Shanghai"]], ["place"])
    d = write_places(tmp_path / "d.csv", [["Moscow"]], ["place"])
    same_cells(df, cli_grid(cli, tmp_path, o, d, "--modes", "rail"), 2, 1)
    # A place inside what `avoid` closes joins nothing, and is named.
    closed = net.matrix(["Almaty", "Shanghai"], ["Moscow"], modes="rail", avoid="KZ")
    assert math.isnan(closed["hours"].iloc[0])
    assert any("Almaty" in p for p in closed.attrs["closed_places"])


def test_reach_matches_the_cli(net, cli):
    df = net.reach("Xi'an", "4d", modes="rail")
    want = cli("reach", "--from", "Xi'an", "--within", "4d", "--modes", "rail", "--format", "json")
    assert len(df) == len(want["places"]) > 10
    assert list(df["name"]) == [p["name"] for p in want["places"]]
    assert list(df["value"]) == [p["arrival_h"] for p in want["places"]]
    assert df["value"].is_monotonic_increasing and df["value"].max() <= 96
    assert df["value"].dtype == "float64" and df["lat"].dtype == "float64"
    assert df.attrs["reached_nodes"] == want["reached_nodes"]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_nearest_matches_the_server(net, network_path):
    import os

    port = free_port()
    server = subprocess.Popen(
        [os.environ["SILKROUTE_BIN"], "--quiet", "--network", network_path, "serve", "--listen", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                urllib.request.urlopen(base + "/health", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        for lon, lat, profile, modes in [(8.68, 50.11, "rail", "rail"), (121.47, 31.23, "sea", "sea"), (37.6, 55.75, "driving", "road")]:
            url = f"{base}/nearest/v1/{profile}/{lon},{lat}?number=3"
            want = json.load(urllib.request.urlopen(url, timeout=10))["waypoints"]
            got = net.nearest((lon, lat), modes=modes, k=3)
            assert list(got["node"]) == [w["nodes"][0] for w in want]
            assert list(got["name"]) == [w["name"] for w in want]
            assert list(got["distance_m"]) == [w["distance"] for w in want]
            assert [[lo, la] for lo, la in zip(got["lon"], got["lat"])] == [w["location"] for w in want]
            assert got["node"].dtype == "int64" and got["distance_m"].is_monotonic_increasing
    finally:
        server.terminate()
        server.wait(timeout=10)
