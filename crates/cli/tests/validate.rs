//! `silkroute validate` as a regression gate: the shipped suite of
//! published figures keeps at least the committed share inside its ranges
//! (`data/validation/gate.toml`); a user's figures file is read with errors
//! naming its file and line. And every route reports P10 ≤ P50 ≤ P90 transit
//! days, spread where the route crosses a published dwell range.

mod common;

use common::{file, json_of, run, stderr};

fn gate() -> (usize, f64) {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/validation/gate.toml"
    ))
    .unwrap();
    let v: toml::Value = toml::from_str(&text).unwrap();
    (
        v["figures"].as_integer().unwrap() as usize,
        v["min_share"].as_float().unwrap(),
    )
}

#[test]
fn the_shipped_suite_keeps_its_committed_share_inside_the_published_ranges() {
    let args = ["validate", "--quiet", "--format", "json"];
    let v = json_of(&args, run(&args));
    let (figures, min_share) = gate();
    let total = v["total"].as_u64().unwrap() as usize;
    let share = v["share"].as_f64().unwrap();
    assert!(total >= figures, "{total} figures, the gate says {figures}");
    let misses: Vec<String> = v["outcomes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o["inside"] == false)
        .map(|o| format!("{} = {} ({}–{})", o["id"], o["value"], o["min"], o["max"]))
        .collect();
    assert!(
        share >= min_share,
        "share {share:.3} below the gate {min_share}; misses:\n{}",
        misses.join("\n")
    );
    let sum: u64 = v["by_category"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["total"].as_u64().unwrap())
        .sum();
    assert_eq!(sum as usize, total);
}

#[test]
fn a_users_figures_file_is_run_and_its_errors_name_file_and_line() {
    let good = r#"
[[figure]]
id = "cq-du"
category = "rail-distance"
what = "Chongqing to Duisburg by rail"
from = "Chongqing"
to = "Duisburg"
modes = "rail"
measure = "km"
min = 1
max = 100000
source = "test"
quote = "test"
"#;
    let path = file("figures.toml", good);
    let args = [
        "validate",
        "--quiet",
        "--figures",
        &path,
        "--format",
        "json",
    ];
    let v = json_of(&args, run(&args));
    assert_eq!(v["total"], 1);
    assert_eq!(v["outcomes"][0]["inside"], true);
    assert!(v["outcomes"][0]["value"].as_f64().unwrap() > 9000.0);

    let bad = file("bad.toml", &good.replace("\"km\"", "\"miles\""));
    let o = run(&["validate", "--quiet", "--figures", &bad]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("bad.toml, line "), "{e}");
}

#[test]
fn routes_report_p10_p50_p90_days_spread_by_published_dwell_ranges() {
    let args = [
        "route",
        "--quiet",
        "--from",
        "Chongqing",
        "--to",
        "Duisburg",
        "--modes",
        "rail",
        "--optimize",
        "time",
        "--format",
        "json",
    ];
    let v = json_of(&args, run(&args));
    let r = &v["routes"][0];
    let t = &r["transit_days"];
    let (p10, p50, p90) = (
        t["p10"].as_f64().unwrap(),
        t["p50"].as_f64().unwrap(),
        t["p90"].as_f64().unwrap(),
    );
    assert!(p10 <= p50 && p50 <= p90, "{t}");
    // The route crosses Alashankou–Dostyk, published 4 h to a week.
    assert!(t["varying"].as_u64().unwrap() >= 1, "{t}");
    assert!(p90 - p10 > 0.5, "{t}");
    // The point answer prices typical figures: inside the spread.
    let days = r["duration_h"].as_f64().unwrap() / 24.0;
    assert!(p10 <= days && days <= p90, "{days} outside {t}");
}
