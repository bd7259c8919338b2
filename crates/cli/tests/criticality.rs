//! `silkroute criticality` and `silkroute bri-impact` on the real embedded
//! network: the ranking's figures agree with routes asked directly, the
//! outputs are well formed, and bad input is refused before anything is
//! written.
//!
//! The world network is compiled once into this test's temporary directory.

mod common;

use std::process::Output;

use common::tmp;

use serde_json::Value;

fn run(args: &[&str]) -> Output {
    common::run(&[&["--quiet"], args].concat())
}

fn json(args: &[&str]) -> Value {
    common::json_of(args, run(args))
}

fn write(name: &str, text: &str) -> String {
    common::file(name, text)
}

#[test]
fn suez_loss_equals_the_detour_a_route_takes() {
    let od = write("od-suez.csv", "from,to\nCNSHA,NLRTM\n");
    let weights = write("w-suez.csv", "from,to,weight\nCNSHA,NLRTM,2.5\n");
    let v = json(&[
        "criticality",
        "--od",
        &od,
        "--weights",
        &weights,
        "--weight-unit",
        "TEU",
        "--elements",
        "passages",
        "--modes",
        "sea",
        "--optimize",
        "cost",
        "--format",
        "json",
    ]);
    let ranking = v["ranking"].as_array().unwrap();
    let suez = ranking
        .iter()
        .find(|r| r["id"] == "passage:suez")
        .expect("Shanghai–Rotterdam by sea runs through Suez");
    assert_eq!(suez["affected_pairs"], 1);
    assert_eq!(suez["cut_pairs"], 0);
    // The same detour asked as two routes. Criticality applies no ship
    // class (no passage is closed by one), so the routes sail with the
    // default class that fits every passage, not the lane's ULCV.
    let route = |extra: &[&str]| -> f64 {
        let mut args = vec![
            "route",
            "--from",
            "CNSHA",
            "--to",
            "NLRTM",
            "--modes",
            "sea",
            "--vessel",
            "neopanamax",
            "--optimize",
            "cost",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        json(&args)["routes"][0]["cost_usd"].as_f64().unwrap()
    };
    let detour = route(&["--avoid", "suez"]) - route(&[]);
    let extra = suez["extra_total"].as_f64().unwrap();
    assert!(
        (extra - detour).abs() < 2.0,
        "ranking {extra} USD, routes {detour} USD"
    );
    let loss = suez["loss"].as_f64().unwrap();
    assert!(
        (loss - 2.5 * extra).abs() < 0.05,
        "loss {loss} is 2.5 × {extra}"
    );
    assert_eq!(suez["loss_unit"], "USD × TEU");
}

#[test]
fn ranking_over_corridor_lanes_is_ordered_and_maps() {
    let od = write(
        "od-lanes.csv",
        "from,to\nChongqing,Duisburg\nKunming,Vientiane\nShanghai,Rotterdam\nXi'an,Hamburg\n",
    );
    let v = json(&["criticality", "--od", &od, "--top", "0", "--format", "json"]);
    let ranking = v["ranking"].as_array().unwrap();
    assert!(ranking.len() >= 3, "{v}");
    for (i, r) in ranking.iter().enumerate() {
        assert_eq!(r["rank"], i + 1);
        assert!(r["affected_pairs"].as_u64().unwrap() >= 1);
    }
    // Ordered by cut weight, then loss.
    for w in ranking.windows(2) {
        let key = |r: &Value| {
            (
                r["cut_weight"].as_f64().unwrap(),
                r["loss"].as_f64().unwrap(),
            )
        };
        let (a, b) = (key(&w[0]), key(&w[1]));
        assert!(
            a.0 > b.0 || (a.0 == b.0 && a.1 >= b.1),
            "{a:?} before {b:?}"
        );
    }
    // Segments: stretches of the routes, every one used by some lane.
    let seg = json(&[
        "criticality",
        "--od",
        &od,
        "--elements",
        "segments",
        "--top",
        "0",
        "--format",
        "json",
    ]);
    let seg = seg["ranking"].as_array().unwrap();
    assert!(!seg.is_empty());
    assert!(
        seg.iter()
            .all(|r| r["kind"] == "segment" && r["affected_pairs"].as_u64().unwrap() >= 1)
    );
    // The same run twice gives the same bytes.
    let again = json(&["criticality", "--od", &od, "--top", "0", "--format", "json"]);
    assert_eq!(v, again);
    // GeoJSON: one Feature per element, points for ports and terminals.
    let out = tmp().join("crit.geojson");
    let g = run(&[
        "criticality",
        "--od",
        &od,
        "--top",
        "5",
        "--format",
        "geojson",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(g.status.success(), "{}", String::from_utf8_lossy(&g.stderr));
    let g: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    assert_eq!(g["type"], "FeatureCollection");
    let features = g["features"].as_array().unwrap();
    assert_eq!(features.len(), ranking.len().min(5));
    for f in features {
        let t = f["geometry"]["type"].as_str().unwrap();
        let kind = f["properties"]["kind"].as_str().unwrap();
        match kind {
            "port" | "terminal" => assert_eq!(t, "Point"),
            _ => assert_eq!(t, "MultiLineString"),
        }
        assert!(f["properties"]["rank"].as_u64().is_some());
    }
}

#[test]
fn bad_input_is_refused_and_writes_nothing() {
    let od = write("od-bad.csv", "from,to\nChongqing,Duisburg\n");
    let out = tmp().join("never.json");
    let o = run(&[
        "criticality",
        "--od",
        &od,
        "--elements",
        "bridges",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown element kind"));
    let w = write("w-bad.csv", "from,to,weight\nChongqing,Madrid,3\n");
    let o = run(&[
        "criticality",
        "--od",
        &od,
        "--weights",
        &w,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not in the origin–destination set"));
    let w = write("w-neg.csv", "from,to,weight\nChongqing,Duisburg,-1\n");
    let o = run(&["criticality", "--od", &od, "--weights", &w]);
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["criticality"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!out.exists());
    let o = run(&["bri-impact", "--projects", "atlantis-bridge"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("unknown project"));
}

#[test]
fn baku_tbilisi_kars_shortens_georgian_rail_shipments() {
    let places = write(
        "bri-places.csv",
        "id,place\nTbilisi,\"Tbilisi, GE\"\nAnkara,\"Ankara, TR\"\nBaku,\"Baku, AZ\"\nKars,\"Kars, TR\"\n",
    );
    let v = json(&[
        "bri-impact",
        "--places",
        &places,
        "--projects",
        "baku-tbilisi-kars",
        "--format",
        "json",
    ]);
    let ge = v["countries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["country"] == "GE")
        .unwrap()
        .clone();
    assert!(ge["mean_change_pct"].as_f64().unwrap() < -1.0, "{ge}");
    for p in v["changed_pairs"].as_array().unwrap() {
        if let (Some(w), Some(wo)) = (p["with"].as_f64(), p["without"].as_f64()) {
            assert!(
                w <= wo,
                "{p}: removing a project never makes a shipment faster"
            );
        }
    }
}

/// Without trade data of the user's, pairs weigh by the gravity model
/// (GDP × GDP / distance, mean 1) and every output says so; a weight
/// column or --weights wins; --unit-weights weighs every pair 1.
#[test]
fn pairs_without_trade_data_weigh_by_gravity_and_outputs_say_which_weights() {
    let od = write(
        "od-gravity.csv",
        "from,to\nCNSHA,NLRTM\nCNSHA,DEHAM\nLKCMB,NLRTM\n",
    );
    let ask = |extra: &[&str]| {
        let mut args = vec![
            "criticality",
            "--od",
            &od,
            "--elements",
            "passages",
            "--modes",
            "sea",
            "--format",
            "json",
        ];
        args.extend_from_slice(extra);
        json(&args)
    };
    let v = ask(&[]);
    assert!(
        v["weights"].as_str().unwrap().starts_with("gravity"),
        "{}",
        v["weights"]
    );
    let suez = |v: &serde_json::Value| {
        v["ranking"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == "passage:suez")
            .unwrap()
            .clone()
    };
    // All three lanes cross Suez; gravity weights have mean 1, so their
    // sum is 3 as with unit weights, but split by the lanes' trade.
    let w = suez(&v)["affected_weight"].as_f64().unwrap();
    assert!((w - 3.0).abs() < 0.01, "{w}");
    let unit = ask(&["--unit-weights"]);
    assert!(unit["weights"].as_str().unwrap().starts_with("unit"));
    assert_ne!(
        suez(&v)["loss"],
        suez(&unit)["loss"],
        "gravity weighs lanes unequally"
    );
    let given = write(
        "od-gravity-w.csv",
        "from,to,weight\nCNSHA,NLRTM,1\nCNSHA,DEHAM,1\nLKCMB,NLRTM,1\n",
    );
    let v = json(&[
        "criticality",
        "--od",
        &given,
        "--elements",
        "passages",
        "--modes",
        "sea",
        "--format",
        "json",
    ]);
    assert!(v["weights"].as_str().unwrap().starts_with("your weights"));
    assert_eq!(suez(&v)["loss"], suez(&unit)["loss"]);
}
