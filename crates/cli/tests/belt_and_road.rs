//! The Belt and Road layer on the real embedded network: curated border
//! dwell and ferry figures priced and shown, the Istanbul and Biała Podlaska
//! gaps closed, and routes naming the corridors they follow.
//!
//! The network is built once into this binary's own scratch directory.

mod common;

use std::process::Output;

use serde_json::Value;

fn run(args: &[&str]) -> Output {
    common::run(&[&["--quiet"], args].concat())
}

fn json(args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    common::json_of(args, run(&all))
}

fn border<'a>(route: &'a Value, id: &str) -> &'a Value {
    route["border_crossings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["curated"]["id"] == id)
        .unwrap_or_else(|| panic!("no border crossing {id} in {route:#}"))
}

fn ferry_leg(route: &Value) -> &Value {
    route["legs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["mode"] == "ferry")
        .unwrap_or_else(|| panic!("no ferry leg in {route:#}"))
}

fn close(a: &Value, b: f64) -> bool {
    (a.as_f64().unwrap() - b).abs() < 1e-6
}

#[test]
fn curated_crossings_price_their_own_dwell() {
    // The cheapest Chongqing–Duisburg rail route takes Alashankou–Dostyk and
    // Brest–Małaszewicze (dwell does not change its cost, so the choice is
    // the shortest customs path).
    let v = json(&[
        "route",
        "--from",
        "Chongqing",
        "--to",
        "Duisburg",
        "--modes",
        "rail",
        "--optimize",
        "cost",
    ]);
    let r = &v["routes"][0];
    // Alashankou: CPMM 2022 typical 30.5 h; Brest: midpoint of the regular
    // two to three days (data/bri/border_crossings.toml).
    for (id, dwell) in [("alashankou-dostyk", 30.5), ("brest-malaszewicze", 60.0)] {
        let b = border(r, id);
        assert!(close(&b["dwell_h"], dwell), "{id}: {b:#}");
        // No published fee: the cost model's default, 200 USD per FEU.
        assert!(close(&b["fee_usd"], 200.0), "{id}: {b:#}");
        // The gauge change (6 h transshipment) comes on top of the dwell.
        assert!(close(&b["duration_h"], dwell + 6.0), "{id}: {b:#}");
        assert!(
            b["name"]
                .as_str()
                .unwrap()
                .contains(b["curated"]["name"].as_str().unwrap())
        );
        assert!(b["curated"]["basis"].as_str().unwrap().contains("dwell"));
    }
    // Xi'an–Tashkent leaves China at Khorgos (CPMM 2022: 34.8 h).
    let v = json(&[
        "route", "--from", "Xi'an", "--to", "Tashkent", "--modes", "rail",
    ]);
    let b = border(&v["routes"][0], "khorgos-altynkol");
    assert!(close(&b["dwell_h"], 34.8), "{b:#}");
    // The map shows the same figures on each border point.
    let geo = run(&[
        "route",
        "--from",
        "Chongqing",
        "--to",
        "Duisburg",
        "--modes",
        "rail",
        "--optimize",
        "cost",
        "--format",
        "geojson",
    ]);
    let geo: Value = serde_json::from_slice(&geo.stdout).unwrap();
    let brest = geo["features"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["properties"]["curated"] == "brest-malaszewicze")
        .expect("a Brest border point");
    assert_eq!(brest["geometry"]["type"], "Point");
    assert!(close(&brest["properties"]["dwell_h"], 60.0));
    // Borders without a record keep the defaults and say so.
    let table = run(&[
        "route",
        "--from",
        "Chongqing",
        "--to",
        "Duisburg",
        "--modes",
        "rail",
    ]);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(
        text.contains("dwell 30.5 h, fee 200 USD (curated)"),
        "{text}"
    );
}

#[test]
fn caspian_ferries_take_their_crossing_time_and_published_frequency() {
    // Aktau–Alat: 22 h sailing (published); no published frequency, so the
    // cost model's 48 h expected wait.
    let v = json(&[
        "route",
        "--from",
        "Aktau",
        "--to",
        "Baku",
        "--modes",
        "rail,ferry",
    ]);
    let leg = ferry_leg(&v["routes"][0]);
    assert_eq!(leg["sailing"]["curated"]["id"], "aktau-alat");
    assert!(close(&leg["sailing"]["crossing_h"], 22.0), "{leg:#}");
    assert!(close(&leg["sailing"]["wait_h"], 48.0), "{leg:#}");
    assert!(close(&leg["duration_h"], 70.0), "{leg:#}");
    // Kuryk–Alat: the midpoint of the published 18–22 h.
    let v = json(&[
        "route",
        "--from",
        "Kuryk",
        "--to",
        "Baku",
        "--modes",
        "rail,ferry",
    ]);
    let leg = ferry_leg(&v["routes"][0]);
    assert_eq!(leg["sailing"]["curated"]["id"], "kuryk-alat");
    assert!(close(&leg["sailing"]["crossing_h"], 20.0), "{leg:#}");
    // Poti–Varna sails once a week: the expected wait is half the headway.
    let v = json(&[
        "route",
        "--from",
        "Poti",
        "--to",
        "Varna",
        "--modes",
        "rail,ferry",
    ]);
    let leg = ferry_leg(&v["routes"][0]);
    assert_eq!(leg["sailing"]["curated"]["id"], "poti-varna");
    assert!(close(&leg["sailing"]["wait_h"], 84.0), "{leg:#}");
}

#[test]
fn the_caspian_ferry_crosses_the_kz_az_customs_border() {
    // Almaty → Baku by rail and ferry sails Aktau–Alat: KZ (EAEU) to AZ is
    // a customs border, priced with the ferry record's published
    // clearance dwell (2.5–9 h, midpoint 5.75 h) and the default fee.
    // Before, the route listed no border crossing at all.
    let v = json(&[
        "route",
        "--from",
        "Almaty",
        "--to",
        "Baku",
        "--modes",
        "rail,ferry",
    ]);
    let route = &v["routes"][0];
    let b = border(route, "aktau-alat");
    assert_eq!(b["mode"], "ferry", "{b:#}");
    assert_eq!(
        (&b["from_country"], &b["to_country"]),
        (&"KZ".into(), &"AZ".into())
    );
    assert_eq!(b["customs"], true);
    assert!(close(&b["dwell_h"], 5.75), "{b:#}");
    assert!(close(&b["fee_usd"], 200.0), "{b:#}");
    // The table shows it too.
    let table = run(&[
        "route",
        "--from",
        "Almaty",
        "--to",
        "Baku",
        "--modes",
        "rail,ferry",
    ]);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(
        text.contains("KZ–AZ Aktau – Baku/Alat (Caspian): dwell 5.8 h, fee 200 USD (curated)"),
        "{text}"
    );
}

#[test]
fn istanbul_joins_the_caucasus_and_europe_by_rail() {
    // Sofia–Istanbul runs over the conventional line through Kapıkule.
    let v = json(&[
        "route", "--from", "Sofia", "--to", "Istanbul", "--modes", "rail",
    ]);
    let r = &v["routes"][0];
    assert!(r["destination"]["snap_km"].as_f64().unwrap() < 5.0);
    assert!(
        (400.0..900.0).contains(&r["distance_km"].as_f64().unwrap()),
        "{r:#}"
    );
}

#[test]
fn baku_reaches_istanbul_by_rail() {
    let v = json(&[
        "route", "--from", "Baku", "--to", "Istanbul", "--modes", "rail",
    ]);
    let r = &v["routes"][0];
    // The route ends in Istanbul itself, not ~84 km out at İzmit.
    assert!(
        r["destination"]["snap_km"].as_f64().unwrap() < 5.0,
        "{:#}",
        r["destination"]
    );
    let countries: Vec<&str> = r["countries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(countries, ["AZ", "GE", "TR"]);
    assert_eq!(r["corridors"][0]["id"], "middle-corridor");
}

#[test]
fn routes_name_the_corridors_they_follow() {
    let named = |args: &[&str]| -> Vec<String> {
        let v = json(args);
        v["routes"][0]["corridors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        named(&[
            "route",
            "--from",
            "Chongqing",
            "--to",
            "Duisburg",
            "--modes",
            "rail"
        ]),
        ["china-europe-western"]
    );
    assert_eq!(
        named(&[
            "route",
            "--from",
            "Xi'an",
            "--to",
            "Istanbul",
            "--corridor",
            "middle-corridor"
        ]),
        ["middle-corridor"]
    );
    // Overland through Russia and the Balkans into Istanbul (over
    // Marmaray) is not the middle corridor: it never crosses the Caspian.
    assert_eq!(
        named(&[
            "route", "--from", "Xi'an", "--to", "Istanbul", "--modes", "rail"
        ]),
        ["china-europe-western"]
    );
    assert_eq!(
        named(&[
            "route",
            "--from",
            "Kunming",
            "--to",
            "Vientiane",
            "--modes",
            "rail"
        ]),
        ["china-laos-railway"]
    );
    // A route that uses no curated record names no corridor.
    assert!(
        named(&[
            "route", "--from", "Hamburg", "--to", "Munich", "--modes", "rail"
        ])
        .is_empty()
    );
    let table = run(&[
        "route",
        "--from",
        "Kunming",
        "--to",
        "Vientiane",
        "--modes",
        "rail",
    ]);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(
        text.contains("corridor: China–Laos Railway") && text.contains("uses mohan-boten"),
        "{text}"
    );
}
