//! No silent wrong answers from the numbers (issue 17, item 9): on the
//! world network, the best route of loose cargo does not depend on the
//! tonnage (cost and CO2e weights are per FEU-equivalent, so 1 kg keeps
//! the precision of a container), matrices and reach report the cargo's
//! own amounts, and every number the weights cannot represent is refused
//! with exit code 2 (`InvalidValue`) and one line saying the limit.

mod common;

use common::{json_of, run, stderr, tmp};
use serde_json::Value;

fn json(args: &[&str]) -> Value {
    json_of(args, run(args))
}

/// The best route's cost, CO2e and legs (mode, ends, length).
fn best(objective: &str, cargo: &str) -> (f64, f64, Vec<Value>) {
    let v = json(&[
        "route",
        "--from",
        "Chongqing",
        "--to",
        "Duisburg",
        "--optimize",
        objective,
        "--modes",
        "rail,road,sea,ferry",
        "--cargo",
        cargo,
        "--format",
        "json",
    ]);
    let r = &v["routes"][0];
    let legs: Vec<Value> = r["legs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            serde_json::json!([
                l["mode"],
                l["from"]["name"],
                l["to"]["name"],
                l["distance_km"]
            ])
        })
        .collect();
    (
        r["cost_usd"].as_f64().unwrap(),
        r["co2e_kg"].as_f64().unwrap(),
        legs,
    )
}

#[test]
fn the_cheapest_and_lowest_co2e_routes_do_not_depend_on_the_tonnage() {
    // Before: 0.1 t cost 194.00 USD/t against 181.22 at 20 t, and 1 kg
    // went by road to Dianbai and round the Cape.
    for objective in ["cost", "co2"] {
        let (cost20, co2_20, legs20) = best(objective, "tonnes:20");
        for tonnes in [0.001, 0.1] {
            let (cost, co2, legs) = best(objective, &format!("tonnes:{tonnes}"));
            assert_eq!(legs, legs20, "{objective} at {tonnes} t");
            let per_t = |x: f64, t: f64| x / t;
            let value = |c: f64, g: f64| if objective == "cost" { c } else { g };
            let (a, b) = (
                per_t(value(cost, co2), tonnes),
                per_t(value(cost20, co2_20), 20.0),
            );
            // The JSON rounds to cents and grams: at 1 kg that is 5 %.
            let slack = if objective == "cost" { 0.005 } else { 0.0005 } / tonnes;
            assert!(
                (a - b).abs() <= slack + 1e-9,
                "{objective} at {tonnes} t: {a} per t, {b} per t at 20 t"
            );
        }
    }
}

#[test]
fn a_matrix_and_reach_report_the_cargos_own_amounts() {
    let dir = tmp().join("precision-matrix");
    std::fs::create_dir_all(&dir).unwrap();
    let (from, to) = (dir.join("from.csv"), dir.join("to.csv"));
    std::fs::write(&from, "id,place\nchongqing,Chongqing\n").unwrap();
    std::fs::write(&to, "id,place\nduisburg,Duisburg\nmadrid,Madrid\n").unwrap();
    let cells = |cargo: &str| -> Value {
        json(&[
            "matrix",
            "--from",
            from.to_str().unwrap(),
            "--to",
            to.to_str().unwrap(),
            "--modes",
            "rail,road",
            "--optimize",
            "cost",
            "--cargo",
            cargo,
            "--format",
            "json",
        ])
    };
    let (small, big) = (cells("tonnes:0.5"), cells("tonnes:20"));
    let costs = |v: &Value| -> Vec<f64> {
        v["costs_usd"].as_array().unwrap()[0]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_f64().unwrap())
            .collect()
    };
    for (s, b) in costs(&small).iter().zip(costs(&big)) {
        assert!(b > 1000.0, "{b}");
        // Equal but for the JSON's rounding to cents (before, the sums of
        // whole cents per arc for 0.5 t drifted by dollars).
        assert!((s * 40.0 - b).abs() <= 0.25, "{s} × 40 against {b}");
    }
    // The same budget per tonne reaches the same places.
    let reach = |cargo: &str, within: &str| -> usize {
        json(&[
            "reach",
            "--from",
            "Xi'an",
            "--within",
            within,
            "--optimize",
            "cost",
            "--modes",
            "rail",
            "--cargo",
            cargo,
            "--format",
            "json",
        ])["places"]
            .as_array()
            .unwrap()
            .len()
    };
    let (a, b) = (reach("tonnes:0.01", "1"), reach("tonnes:20", "2000"));
    assert!(b > 10, "{b} places");
    assert_eq!(a, b, "places at 0.01 t and at 20 t");
}

/// Exit code 2 (`InvalidValue`) with one line naming `needle`, and no
/// answer on stdout.
fn refused(args: &[&str], needle: &str) {
    let out = run(args);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
    assert!(err.contains(needle), "{args:?}: {err}");
    assert!(out.stdout.is_empty(), "{args:?} printed an answer");
}

#[test]
fn numbers_the_weights_cannot_represent_are_refused() {
    // Before: 1e15d saturated to the "unreached" sentinel and reported
    // 4,195 unreachable places as reached (1e15d is now not a duration at
    // all; a huge one in digits is refused by the limit).
    refused(
        &[
            "reach", "--from", "Xi'an", "--within", "1e15d", "--modes", "rail",
        ],
        "write a duration",
    );
    refused(
        &[
            "reach",
            "--from",
            "Xi'an",
            "--within",
            "1000000000000000d",
            "--modes",
            "rail",
        ],
        "at most 3650d",
    );
    refused(
        &[
            "reach",
            "--from",
            "Xi'an",
            "--within",
            "nan",
            "--optimize",
            "cost",
        ],
        "or a number for cost (USD)",
    );
    refused(
        &[
            "reach",
            "--from",
            "Xi'an",
            "--within",
            "1e10",
            "--optimize",
            "cost",
        ],
        "at most 1000000000 USD",
    );
    // Before: inf USD, 0 USD routes and "no route".
    // The weight in the refusal is written as the user wrote it (1e308 t
    // was 309 digits).
    for (cargo, weighs) in [
        ("tonnes:1e308", "weighs 1e308 t;"),
        ("1e-300feu", "weighs 2e-299 t;"),
        ("tonnes:1e300", "weighs 1e300 t;"),
    ] {
        let o = run(&[
            "route", "--from", "Xi'an", "--to", "Almaty", "--modes", "rail", "--cargo", cargo,
        ]);
        assert!(stderr(&o).contains(weighs), "{cargo}: {}", stderr(&o));
        refused(
            &[
                "route", "--from", "Xi'an", "--to", "Almaty", "--modes", "rail", "--cargo", cargo,
            ],
            "a shipment weighs from 0.001 t (1 kg) to 1000000 t",
        );
    }
    // Before: accepted, and routes priced at inf or 0.
    let dir = tmp().join("precision-numbers");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text, key) in [
        (
            "slow.toml",
            "[mode.rail]\nspeed_kmh = 1e-9\n",
            "mode.rail.speed_kmh",
        ),
        (
            "dear.toml",
            "[mode.rail]\ncost_usd_per_tonne_km = 1e308\n",
            "mode.rail.cost_usd_per_tonne_km",
        ),
    ] {
        let model = dir.join(name);
        std::fs::write(&model, text).unwrap();
        refused(
            &[
                "route",
                "--from",
                "Xi'an",
                "--to",
                "Almaty",
                "--modes",
                "rail",
                "--cost-model",
                model.to_str().unwrap(),
            ],
            key,
        );
    }
    // Before: a NaN delay was accepted and did nothing.
    let scenarios = dir.join("nan.toml");
    std::fs::write(
        &scenarios,
        "[[scenario]]\nid = \"nan\"\nname = \"nan\"\nsource = \"test\"\n\
         [[scenario.slowdown]]\nmode = \"rail\"\ndelay_h = nan\n",
    )
    .unwrap();
    let out = run(&[
        "scenario",
        "--scenarios",
        scenarios.to_str().unwrap(),
        "list",
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("delay_h"), "{}", stderr(&out));
    // Before: 1e308 TEU "converged: true after 0 iterations".
    let od = dir.join("od.csv");
    std::fs::write(&od, "from,to,volume\nChongqing,Duisburg,1e308\n").unwrap();
    refused(
        &["flow", "--od", od.to_str().unwrap()],
        "an assignment carries from 0 to 10000000000 a year",
    );
}
