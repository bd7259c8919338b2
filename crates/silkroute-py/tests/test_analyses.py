"""Scenario comparisons (named and as dicts), criticality, flow and the
Belt and Road before/after against the CLI's JSON for the same question."""

import pandas as pd
import pytest

import silkroute


def comparison_rows(want):
    return [(p["from"], p["to"], p["status"], p["baseline"].get("duration_h"), p["scenario"].get("duration_h"),
             p["baseline"].get("cost_usd"), p["scenario"].get("cost_usd")) for p in want["pairs"]]


def frame_rows(df):
    def v(x):
        return None if pd.isna(x) else x

    return [(r["from"], r["to"], r["status"], v(r["baseline_hours"]), v(r["scenario_hours"]), v(r["baseline_usd"]), v(r["scenario_usd"]))
            for _, r in df.iterrows()]


@pytest.mark.parametrize("scenario", ["red-sea-2024", "no-russia-transit", "kazakh-border-congestion"])
def test_named_scenario_matches_the_cli(net, cli, repo, scenario):
    od = repo / "data/scenarios/od-eurasia.csv"
    s = net.scenario(scenario)
    assert s.id == scenario and s.changes
    df = s.compare(od)
    want = cli("scenario", "run", scenario, "--od", str(od), "--format", "json")
    assert frame_rows(df) == comparison_rows(want)
    assert df.attrs["totals"] == want["totals"]
    assert df.attrs["by_country_pair"] == want["by_country_pair"]
    assert s.compare_dict(od) == want
    for c in ["baseline_hours", "scenario_usd", "delta_hours", "delta_km"]:
        assert df[c].dtype == "float64", c
    assert pd.api.types.is_string_dtype(df["status"])


def test_scenario_dict_matches_the_cli_with_the_same_toml(net, cli, tmp_path):
    spec = {
        "id": "suez-and-slow-khorgos",
        "name": "Suez closed, Khorgos slow",
        "close_passages": ["suez"],
        "slowdown": [{"border_crossing": "khorgos-altynkol", "delay_h": 48, "source": "test"}],
        "source": "a test of scenarios given as dicts",
    }
    toml = tmp_path / "s.toml"
    toml.write_text(
        '[[scenario]]\nid = "suez-and-slow-khorgos"\nname = "Suez closed, Khorgos slow"\n'
        'close_passages = ["suez"]\nsource = "a test of scenarios given as dicts"\n'
        '[[scenario.slowdown]]\nborder_crossing = "khorgos-altynkol"\ndelay_h = 48\nsource = "test"\n'
    )
    pairs = [("Shanghai", "Rotterdam"), ("Xi'an", "Duisburg"), ("Chongqing", "Hamburg")]
    od = tmp_path / "od.csv"
    pd.DataFrame(pairs, columns=["from", "to"]).to_csv(od, index=False)
    s = net.scenario(spec)
    assert s.id == "suez-and-slow-khorgos"
    assert "close passages suez" in s.changes
    want = cli("scenario", "--scenarios", str(toml), "run", "suez-and-slow-khorgos", "--od", str(od), "--format", "json")
    assert s.compare_dict(pairs) == want
    assert frame_rows(s.compare(pairs)) == comparison_rows(want)


def test_bad_scenarios_are_refused_by_the_api(net):
    with pytest.raises(silkroute.InvalidValue, match="no-such"):
        net.scenario("no-such-scenario")
    with pytest.raises(silkroute.InvalidValue):
        net.scenario({"id": "x", "name": "x", "source": "s", "close_passages": ["atlantis"]}).compare([("Shanghai", "Rotterdam")])
    with pytest.raises(silkroute.InvalidValue, match="unknown field|close_pasages"):
        net.scenario({"id": "x", "name": "x", "source": "s", "close_pasages": ["suez"]})
    listed = net.scenarios()
    assert "red-sea-2024" in set(listed["id"])


def test_criticality_matches_the_cli(net, cli, tmp_path):
    pairs = pd.DataFrame(
        {"from": ["Shanghai", "Chongqing", "Xi'an", "Singapore", "Yiwu"],
         "to": ["Rotterdam", "Duisburg", "Hamburg", "Piraeus", "Madrid"],
         "weight": [5.0, 3.0, 2.0, 1.0, 1.0]}
    )
    od = tmp_path / "od.csv"
    pairs.to_csv(od, index=False)
    df = net.criticality(pairs, top=10)
    want = cli("criticality", "--od", str(od), "--top", "10", "--format", "json")
    assert len(df) == len(want["ranking"]) > 3
    assert list(df["id"]) == [r["id"] for r in want["ranking"]]
    assert list(df["loss"]) == [r["loss"] for r in want["ranking"]]
    assert list(df["affected_weight"]) == [r["affected_weight"] for r in want["ranking"]]
    assert df["rank"].dtype == "int64" and df["loss"].dtype == "float64"
    assert df.attrs["pairs"] == 5


def test_flow_matches_the_cli(net, cli, repo):
    od = repo / "data/scenarios/od-trade-example.csv"
    df = net.flow(od)
    want = cli("flow", "--od", str(od), "--format", "json")
    elements = df[df.kind != "corridor"]
    corridors = df[df.kind == "corridor"]
    assert list(elements["id"]) == [e["id"] for e in want["elements"]]
    assert list(elements["load"]) == [e["load"] for e in want["elements"]]
    assert list(corridors["id"]) == [c["corridor"] for c in want["corridors"]]
    assert list(corridors["load"]) == [c["load"] for c in want["corridors"]]
    assert df.attrs["final_gap"] == want["final_gap"]
    assert df.attrs["converged"] == want["converged"]
    assert df["load"].dtype == "float64" and df["utilisation"].dtype == "float64"
    # With a scenario, as `--scenario`.
    slow = net.flow(od, scenario="kazakh-border-congestion", method="aon")
    want = cli("flow", "--od", str(od), "--scenario", "kazakh-border-congestion", "--method", "aon", "--format", "json")
    assert list(slow["load"][slow.kind != "corridor"]) == [e["load"] for e in want["elements"]]


def test_bri_impact_matches_the_cli(net, cli, repo, tmp_path):
    cities = pd.read_csv(repo / "data/scenarios/bri-cities-100.csv").head(20)
    places = tmp_path / "cities.csv"
    cities.to_csv(places, index=False)
    df = net.bri_impact(cities)
    want = cli("bri-impact", "--places", str(places), "--format", "json")
    assert list(df["country"]) == [c["country"] for c in want["countries"]]
    assert list(df["mean_change_pct"]) == [c["mean_change_pct"] for c in want["countries"]]
    assert df.attrs["mean_change_pct"] == want["mean_change_pct"]
    assert df.attrs["changed_pairs"] == want["changed_pairs"]
    assert df["pairs"].dtype == "int64" and df["mean_change_pct"].dtype == "float64"
    assert (df["mean_change_pct"] <= 0).all(), "the projects never make a shipment slower"
