//! The option strings: `--modes`, `--optimize`, `--cargo`, `--within`,
//! `--pareto-epsilon`, `bbox:` boxes, and `--avoid`/`--via` resolved
//! against a small network (passages, countries, places, boxes). The
//! first byte picks the parser.
#![no_main]

use libfuzzer_sys::fuzz_target;
use silkroute_api::{Constraints, ModeSet, Objective, parse};

fuzz_target!(|data: &[u8]| {
    let (selector, text) = silkroute_fuzz::selector_and_text(data);
    match selector % 8 {
        0 => {
            let _ = parse::modes(&text);
        }
        1 => {
            let _ = parse::objective(&text);
        }
        2 => {
            if let Ok(c) = parse::cargo(&text) {
                let m = silkroute_cost::CostModel::defaults();
                let _ = (c.tonnes(&m), c.feu_equivalents(&m), c.label());
            }
        }
        3 => {
            for o in Objective::ALL {
                let _ = parse::budget(&text, o, &silkroute_api::shipment::Shipment::default());
            }
        }
        4 => {
            if let Ok(x) = text.trim().parse::<f64>() {
                let _ = parse::epsilon(x);
            }
            let _ = parse::passage(&text);
        }
        5 => {
            let _ = parse::bbox(&text);
        }
        6 => {
            let c = Constraints {
                modes: ModeSet::travel(),
                avoid: text.split('\n').map(str::to_string).collect(),
                via: Vec::new(),
                vessel: None,
            };
            let _ = silkroute_api::constraints::resolve(
                silkroute_fuzz::network(),
                silkroute_fuzz::gazetteer(),
                &silkroute_cost::Vessels::defaults(),
                &c,
                None,
            );
        }
        _ => {
            let c = Constraints {
                modes: ModeSet::travel(),
                avoid: Vec::new(),
                via: text.split('\n').map(str::to_string).collect(),
                vessel: None,
            };
            let _ = silkroute_api::constraints::resolve(
                silkroute_fuzz::network(),
                silkroute_fuzz::gazetteer(),
                &silkroute_cost::Vessels::defaults(),
                &c,
                None,
            );
        }
    }
});
