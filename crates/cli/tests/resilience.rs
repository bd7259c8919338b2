//! Scenarios beyond closures and flow assignment, on the real embedded
//! network: a slowdown at the China–Kazakhstan crossings delays or reroutes
//! the lanes that used them, outputs carry the corridor and the country-pair
//! summary, and `flow` converges and reports loads on capacitated elements.

mod common;

use std::process::Output;

use common::{file, tmp};
use serde_json::Value;

fn run(args: &[&str]) -> Output {
    common::run(&[&["--quiet"], args].concat())
}

fn json(args: &[&str]) -> Value {
    common::json_of(args, run(args))
}

#[test]
fn border_congestion_delays_or_reroutes_lanes_through_kazakhstan() {
    let od = file("kz.csv", "from,to\nChongqing,Duisburg\nÜrümqi,Tashkent\n");
    let v = json(&[
        "scenario",
        "run",
        "kazakh-border-congestion",
        "--od",
        &od,
        "--modes",
        "rail",
        "--optimize",
        "time",
        "--format",
        "json",
    ]);
    let pairs = v["pairs"].as_array().unwrap();
    for p in pairs {
        // Both lanes leave China through Dostyk on the baseline.
        assert_eq!(p["baseline"]["corridor"], "china-europe-western", "{p}");
        assert!(["rerouted", "delayed"].contains(&p["status"].as_str().unwrap()));
        let dh = p["delta"]["duration_h"].as_f64().unwrap();
        // Never worse than waiting the full queue at Dostyk.
        assert!(dh > 0.0 && dh <= 144.0 + 1e-6, "{p}");
    }
    // A lane that keeps its route pays the queue of the crossing it uses
    // (144 h at Dostyk, 29 h at Khorgos) and says which.
    let kept: Vec<&Value> = pairs.iter().filter(|p| p["status"] == "delayed").collect();
    for p in kept {
        let dh = p["delta"]["duration_h"].as_f64().unwrap();
        let note = p["scenario"]["notes"][0].as_str().unwrap();
        let queue = if note.contains("alashankou-dostyk") {
            144.0
        } else {
            assert!(note.contains("khorgos-altynkol"), "{p}");
            29.0
        };
        assert!((dh - queue).abs() < 1e-6, "{p}");
    }
    let by = v["by_country_pair"].as_array().unwrap();
    assert!(
        by.iter()
            .any(|s| s["from_country"] == "CN" && s["to_country"] == "DE")
    );
    assert_eq!(v["totals"]["pairs"], 2);
}

#[test]
fn scenario_geojson_has_baseline_and_scenario_lines() {
    let od = file("sea.csv", "from,to\nShanghai,Rotterdam\n");
    let out = tmp().join("red-sea.geojson");
    let o = run(&[
        "scenario",
        "run",
        "red-sea-2024",
        "--od",
        &od,
        "--format",
        "geojson",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let variants: Vec<&str> = v["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["variant"].as_str().unwrap())
        .collect();
    assert_eq!(variants, ["baseline", "scenario"]);
    assert_eq!(
        v["features"][0]["properties"]["corridor"],
        "silk-road-maritime"
    );
}

#[test]
fn flow_converges_and_loads_the_capacitated_crossing() {
    let od = file(
        "trade.csv",
        "from,to,volume\nChongqing,Duisburg,300000\nXi'an,Hamburg,300000\nLianyungang,Almaty,150000\n",
    );
    let v = json(&[
        "flow", "--od", &od, "--modes", "rail", "--format", "json", "--gap", "1e-3",
    ]);
    assert_eq!(v["converged"], true, "{}", v["iterations"]);
    assert!(v["final_gap"].as_f64().unwrap() <= 1e-3);
    let dostyk = v["elements"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "alashankou-dostyk")
        .unwrap();
    let load = dostyk["load"].as_f64().unwrap();
    // Congested: less than all of it (the free-flow choice), but some.
    assert!(load > 0.0 && load < 750_000.0, "{dostyk}");
    assert!(dostyk["utilisation"].as_f64().unwrap() > 0.0);
    // All-or-nothing puts every lane on its free-flow path: the two Europe
    // lanes through Dostyk, Lianyungang-Almaty through Khorgos.
    let aon = json(&[
        "flow", "--od", &od, "--modes", "rail", "--method", "aon", "--format", "json",
    ]);
    assert!(aon["iterations"].as_array().unwrap().is_empty());
    let aon_load = |id: &str| {
        aon["elements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == id)
            .unwrap()["load"]
            .as_f64()
            .unwrap()
    };
    assert!((aon_load("alashankou-dostyk") - 600_000.0).abs() < 1e-6);
    assert!((aon_load("khorgos-altynkol") - 150_000.0).abs() < 1e-6);
}

#[test]
fn flow_refuses_bad_volumes_and_writes_nothing() {
    let od = file("bad.csv", "from,to,volume\nChongqing,Duisburg,lots\n");
    let out = tmp().join("never.json");
    let o = run(&["flow", "--od", &od, "--out", out.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("volume"));
    assert!(!out.exists());
    let o = run(&["flow", "--od", &od, "--scenario", "atlantis"]);
    assert_eq!(o.status.code(), Some(2));
}

const OWN: &str = r#"
[[scenario]]
id = "suez-slow"
name = "Suez slowed"
source = "test"
[[scenario.slowdown]]
passage = "suez"
delay_h = 48
cost_usd_per_feu = 1000
cost_usd_per_crossing = 500

[[scenario]]
id = "no-moerdijk"
name = "Moerdijk's port closed"
source = "test"
close_ports = ["NLMOE"]

[[scenario]]
id = "no-sea"
name = "No sea"
source = "test"
close_modes = ["sea"]

[[scenario]]
id = "sinai-box"
name = "A polygon around Suez"
source = "test"
close_polygons = [[[31.0, 29.0], [33.5, 29.0], [33.5, 31.8], [31.0, 31.8]]]
"#;

#[test]
fn own_scenario_files_slow_and_close_what_they_name() {
    let scen = file("own.toml", OWN);
    let od = file("own-od.csv", "from,to\nShanghai,Hamburg\n");
    let ask = |id: &str, modes: &str| {
        json(&[
            "scenario",
            "--scenarios",
            &scen,
            "run",
            id,
            "--od",
            &od,
            "--modes",
            modes,
            "--optimize",
            "time",
            "--format",
            "json",
        ])
    };
    // A whole crossing of Suez pays the delay and both costs once
    // (2 FEU-equivalents would double only the per-FEU part).
    let v = ask("suez-slow", "sea");
    let p = &v["pairs"][0];
    assert_eq!(p["status"], "delayed", "{p}");
    assert!((p["delta"]["duration_h"].as_f64().unwrap() - 48.0).abs() < 0.01);
    assert!((p["delta"]["cost_usd"].as_f64().unwrap() - 1500.0).abs() < 1.0);
    // The polygon closes the canal: the lane goes round.
    let v = ask("sinai-box", "sea");
    let p = &v["pairs"][0];
    assert_eq!(p["status"], "rerouted");
    assert!(
        !p["scenario"]["passages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|x| x == "suez")
    );
    // Without sea, Shanghai–Hamburg still runs by land; without any mode it
    // would be cut off.
    let v = ask("no-sea", "rail,road,sea");
    let p = &v["pairs"][0];
    assert!(p["scenario"]["reachable"] == true);
    assert!(p["scenario"]["passages"].as_array().unwrap().is_empty());
    let v = ask("no-sea", "sea");
    assert_eq!(v["pairs"][0]["status"], "cut off");
    // A closed port is not handled at: the cheapest Shanghai–Duisburg box
    // lands at Moerdijk (since river ports such as Nijmegen are no longer
    // joined to the sea network); with it closed the box lands elsewhere,
    // and cannot get cheaper.
    let od = file("nij-od.csv", "from,to\nShanghai,Duisburg\n");
    let v = json(&[
        "scenario",
        "--scenarios",
        &scen,
        "run",
        "no-moerdijk",
        "--od",
        &od,
        "--modes",
        "rail,road,sea",
        "--format",
        "json",
    ]);
    let p = &v["pairs"][0];
    assert_eq!(p["status"], "rerouted", "{p}");
    assert!(p["delta"]["cost_usd"].as_f64().unwrap() >= -0.5);
}

#[test]
fn bad_scenario_files_are_refused_with_the_reason() {
    let od = file("one.csv", "from,to\nShanghai,Hamburg\n");
    let bad = file(
        "bad.toml",
        "[[scenario]]\nid = \"x\"\nname = \"x\"\nsource = \"s\"\n[[scenario.slowdown]]\nborder_crossing = \"nowhere\"\ndelay_h = 1\n",
    );
    let o = run(&["scenario", "--scenarios", &bad, "run", "x", "--od", &od]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("alashankou-dostyk"));
    let typo = file(
        "typo.toml",
        "[[scenario]]\nid = \"x\"\nname = \"x\"\nsource = \"s\"\nclose_pasages = [\"suez\"]\n",
    );
    let o = run(&["scenario", "--scenarios", &typo, "list"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("close_pasages"));
}

/// Every fault in a user's scenario file names that file (not the built-in
/// `scenarios/scenarios.toml`) and the line and column where it is: a
/// misspelt key, a bad value, a record that fails its checks, a
/// duplicate id.
#[test]
fn scenario_file_errors_name_the_users_file_line_and_column() {
    let od = file("lc-od.csv", "from,to\nShanghai,Hamburg\n");
    let head = "[[scenario]]\nid = \"x\"\nname = \"x\"\nsource = \"s\"\n";
    let cases = [
        (
            "lc-key.toml",
            format!("{head}close_pasages = [\"suez\"]\n"),
            "line 5, column 1: unknown field `close_pasages`",
        ),
        (
            "lc-value.toml",
            format!("{head}\n\nclose_modes = sea\n"),
            "line 7, column 15:",
        ),
        (
            "lc-check.toml",
            format!(
                "{head}\n[[scenario]]\nid = \"y\"\nname = \"y\"\nsource = \"s\"\nclose_areas = [[0, 50, 10, 40]]\n"
            ),
            "line 6, column 1: y: close_areas",
        ),
        (
            "lc-twice.toml",
            format!("{head}{head}"),
            "line 5, column 1: scenario id \"x\" appears twice",
        ),
    ];
    for (name, text, want) in cases {
        let path = file(name, &text);
        for args in [
            vec!["scenario", "--scenarios", &path, "list"],
            vec!["scenario", "--scenarios", &path, "run", "x", "--od", &od],
        ] {
            let o = run(&args);
            assert_eq!(o.status.code(), Some(2), "{args:?}");
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(err.contains(&format!("{path} {want}")), "{args:?}: {err}");
            assert!(!err.contains("scenarios/scenarios.toml"), "{err}");
            assert!(!err.contains("line 0"), "{err}");
        }
    }
}

/// A pair whose end lies inside what the scenario closes is cut off, as a
/// route with the same closure is an error: Moscow under
/// `no-russia-transit` used to answer "rerouted" via Ukraine, starting
/// outside Russia unseen.
#[test]
fn a_scenario_cuts_off_a_pair_whose_end_it_closes() {
    let od = file("ru.csv", "from,to\nMoscow,Berlin\nWarsaw,Berlin\n");
    let v = json(&[
        "scenario",
        "run",
        "no-russia-transit",
        "--od",
        &od,
        "--format",
        "json",
    ]);
    let pairs = v["pairs"].as_array().unwrap();
    assert_eq!(pairs[0]["status"], "cut off", "{}", pairs[0]);
    let reason = pairs[0]["scenario"]["reason"].as_str().unwrap();
    assert!(reason.contains("lies inside"), "{reason}");
    assert_ne!(pairs[1]["status"], "cut off", "{}", pairs[1]);
}

/// One rule names a route's corridor, whichever command asks: `route`,
/// `scenario run` and `flow` agree on each lane (they used two rules, and
/// 6 of 10 lanes got different names; flow called the overland
/// Alashankou–Marmaray path the Middle Corridor).
#[test]
fn route_scenario_and_flow_name_the_same_corridor() {
    let lanes = [
        ("Baku", "Tbilisi"),
        ("Urumqi", "Istanbul"),
        ("Chongqing", "Duisburg"),
        ("Xi'an", "Hamburg"),
        ("Kunming", "Vientiane"),
    ];
    let mut od = String::from("from,to,volume\n");
    for (f, t) in lanes {
        od.push_str(&format!("\"{f}\",\"{t}\",1\n"));
    }
    let od = file("lanes.csv", &od);
    let scen = json(&[
        "scenario",
        "run",
        "kazakh-border-congestion",
        "--od",
        &od,
        "--modes",
        "rail",
        "--optimize",
        "time",
        "--format",
        "json",
    ]);
    let flow = json(&[
        "flow", "--od", &od, "--modes", "rail", "--method", "aon", "--format", "json",
    ]);
    for (i, (f, t)) in lanes.iter().enumerate() {
        let route = json(&[
            "route", "--from", f, "--to", t, "--modes", "rail", "--format", "json",
        ]);
        let named = route["routes"][0]["corridors"][0]["id"].clone();
        assert_eq!(
            scen["pairs"][i]["baseline"]["corridor"], named,
            "{f} → {t}: scenario vs route"
        );
        let by_flow = &flow["pairs"][i]["corridors"][0]["corridor"];
        let by_flow = if by_flow == "(none)" {
            &Value::Null
        } else {
            by_flow
        };
        assert_eq!(*by_flow, named, "{f} → {t}: flow vs route");
    }
    let baku = json(&[
        "route", "--from", "Baku", "--to", "Tbilisi", "--modes", "rail", "--format", "json",
    ]);
    assert_eq!(baku["routes"][0]["corridors"][0]["id"], "middle-corridor");
}
