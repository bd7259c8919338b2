//! Ship classes and canals (issue 15, item 1) on the real embedded network:
//! Asia–North Europe lanes sail with an ultra-large container ship by
//! default (data/vessels.toml), which does not fit the Panama locks, so
//! closing Suez sends them round the Cape; a smaller class asked for with
//! `--vessel` may still use Panama; the red-sea-2024 scenario reroutes
//! Shanghai → Rotterdam round the Cape.

mod common;

use serde_json::Value;

fn json(args: &[&str]) -> Value {
    let mut all = vec!["--quiet"];
    all.extend(args);
    all.extend(["--format", "json"]);
    common::json_of(args, common::run(&all))
}

fn passages(route: &Value) -> Vec<String> {
    route["passages"]
        .as_array()
        .unwrap_or_else(|| panic!("no passages in {route:#}"))
        .iter()
        .map(|p| p.as_str().unwrap().to_string())
        .collect()
}

fn sea(extra: &[&str]) -> Value {
    let mut args = vec![
        "route", "--from", "CNSHA", "--to", "NLRTM", "--modes", "sea",
    ];
    args.extend(extra);
    json(&args)
}

#[test]
fn shanghai_rotterdam_without_suez_sails_round_the_cape_not_through_panama() {
    let v = sea(&["--avoid", "suez"]);
    let p = passages(&v["routes"][0]);
    assert!(p.iter().any(|p| p == "south_africa"), "{p:?}");
    assert!(!p.iter().any(|p| p == "panama" || p == "suez"), "{p:?}");
    assert_eq!(v["vessel"]["class"], "ulcv", "{:#}", v["vessel"]);
    assert_eq!(v["vessel"]["basis"], "lane");
    assert_eq!(v["vessel"]["lane"], "asia-north-europe");
    assert_eq!(v["vessel"]["closed_passages"][0], "panama");
    assert!(
        v["constraints"].as_str().unwrap().contains("vessel ulcv"),
        "{}",
        v["constraints"]
    );
    // The same lane the other way round takes the same class.
    let back = json(&[
        "route", "--from", "NLRTM", "--to", "CNSHA", "--modes", "sea", "--avoid", "suez",
    ]);
    let p = passages(&back["routes"][0]);
    assert!(!p.iter().any(|p| p == "panama"), "{p:?}");
}

#[test]
fn a_panamax_may_still_use_panama_and_a_ulcv_may_not_be_sent_through_it() {
    let v = sea(&["--avoid", "suez", "--vessel", "panamax"]);
    let p = passages(&v["routes"][0]);
    assert!(p.iter().any(|p| p == "panama"), "{p:?}");
    assert_eq!(v["vessel"]["basis"], "given");
    assert!(
        v["vessel"]["closed_passages"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // The Panama detour is shorter than the Cape, so the default ULCV's
    // route is the longer one.
    let cape = sea(&["--avoid", "suez"]);
    assert!(
        cape["routes"][0]["distance_km"].as_f64().unwrap()
            > v["routes"][0]["distance_km"].as_f64().unwrap()
    );
    // A class that does not fit the passage asked for is an error...
    let out = common::run(&[
        "--quiet", "route", "--from", "CNSHA", "--to", "NLRTM", "--modes", "sea", "--vessel",
        "ulcv", "--via", "panama",
    ]);
    assert!(!out.status.success());
    let err = common::stderr(&out);
    assert!(err.contains("does not fit panama"), "{err}");
    // ... while the lane default yields to an explicit --via panama.
    let v = sea(&["--via", "panama"]);
    assert!(passages(&v["routes"][0]).iter().any(|p| p == "panama"));
    // An unknown class lists the known ones.
    let out = common::run(&[
        "--quiet", "route", "--from", "CNSHA", "--to", "NLRTM", "--vessel", "capesize",
    ]);
    assert!(!out.status.success());
    assert!(
        common::stderr(&out).contains("neopanamax"),
        "{}",
        common::stderr(&out)
    );
}

#[test]
fn lanes_outside_the_ulcv_trades_keep_panama() {
    // Shanghai → New York is on no ULCV lane: the default class fits every
    // passage, and the route table does not mention it.
    let v = json(&[
        "route", "--from", "CNSHA", "--to", "USNYC", "--modes", "sea",
    ]);
    assert_eq!(v["vessel"]["class"], "neopanamax");
    assert_eq!(v["vessel"]["basis"], "default");
    assert!(passages(&v["routes"][0]).iter().any(|p| p == "panama"));
    let out = common::run(&[
        "--quiet", "route", "--from", "CNSHA", "--to", "USNYC", "--modes", "sea",
    ]);
    assert!(out.status.success());
    assert!(!String::from_utf8_lossy(&out.stdout).contains("vessel:"));
    let out = common::run(&[
        "--quiet", "route", "--from", "CNSHA", "--to", "NLRTM", "--modes", "sea", "--avoid", "suez",
    ]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("vessel: ulcv (Asia - North Europe lane default), does not fit panama"),
        "{text}"
    );
}

#[test]
fn the_red_sea_scenario_sends_shanghai_rotterdam_round_the_cape() {
    let od = common::file(
        "vessel-od.csv",
        "from,to\nCNSHA,NLRTM\nCNTAO,DEHAM\nCNSHA,ITGOA\n",
    );
    let v = json(&[
        "scenario",
        "run",
        "red-sea-2024",
        "--od",
        &od,
        "--modes",
        "sea",
    ]);
    for pair in v["pairs"].as_array().unwrap() {
        assert_eq!(pair["status"], "rerouted", "{pair:#}");
        assert_eq!(pair["vessel"]["class"], "ulcv");
        let p = passages(&pair["scenario"]);
        assert!(p.iter().any(|p| p == "south_africa"), "{pair:#}");
        assert!(
            !p.iter()
                .any(|p| p == "panama" || p == "suez" || p == "babalmandab"),
            "{pair:#}"
        );
    }
    // With a class that fits Panama, the fastest detour is Panama again
    // (the cheapest is still the Cape: Panama's toll outweighs the fuel).
    let v = json(&[
        "scenario",
        "run",
        "red-sea-2024",
        "--od",
        &od,
        "--modes",
        "sea",
        "--optimize",
        "time",
        "--vessel",
        "neopanamax",
    ]);
    let sha = &v["pairs"][0];
    assert!(
        passages(&sha["scenario"]).iter().any(|p| p == "panama"),
        "{sha:#}"
    );
}

#[test]
fn the_suez_toll_and_queue_are_in_a_shanghai_rotterdam_cost() {
    let v = sea(&[]);
    let leg = &v["routes"][0]["legs"][0];
    let canals = leg["canals"]
        .as_array()
        .unwrap_or_else(|| panic!("{leg:#}"));
    assert_eq!(canals.len(), 1, "{canals:?}");
    assert_eq!(canals[0]["passage"], "suez");
    let toll = canals[0]["toll_usd"].as_f64().unwrap();
    assert!(
        (toll - 80.0).abs() < 0.5,
        "one whole crossing pays once: {toll}"
    );
    assert!(canals[0]["added_h"].as_f64().unwrap() >= 3.0);
    // The toll is in the leg and the total: without it (a cost model that
    // sets it to 0) the same route costs exactly that much less.
    let free = common::file(
        "vessel-free-suez.toml",
        "[canal.suez]\ntoll_usd_per_feu = 0.0\n",
    );
    let without = sea(&["--cost-model", &free]);
    let (a, b) = (
        v["routes"][0]["cost_usd"].as_f64().unwrap(),
        without["routes"][0]["cost_usd"].as_f64().unwrap(),
    );
    assert!((a - b - toll).abs() < 1.0, "{a} - {b} != {toll}");
    // Round the Cape there is no canal to pay.
    let cape = sea(&["--avoid", "suez"]);
    assert!(cape["routes"][0]["legs"][0].get("canals").is_none());
}
