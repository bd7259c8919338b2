//! A scenario target that matches nothing is an error naming it, never a
//! silent no-op (`silkroute_api::scenario`'s header): for every closure
//! and every slowdown target, on a random world (`common::world`, seed
//! 5300), a name the network does not know and a name it knows that
//! selects nothing (an area or polygon over no node, a place with no node
//! within 50 km, a passage, mode or ferry with no arc, a curated crossing
//! the network does not carry) are refused by `Service::compare` with an
//! invalid-value error whose message names the target; the same scenario
//! with the target swapped for one that matches is accepted, so the error
//! is the target's.

mod common;

use silkroute_api::compare::CompareRequest;
use silkroute_api::{Code, Objective, Scenario, Shipment};
use silkroute_import::Slowdown;

use common::{Rng, World, city, od_set, scenario};

const SEED: u64 = 5300;

/// A box and a triangle over the Gulf of Guinea, far from every node.
const FAR_AREA: [f64; 4] = [0.0, 0.0, 1.0, 1.0];
fn far_polygon() -> Vec<[f64; 2]> {
    vec![[0.0, 0.0], [1.0, 0.0], [0.5, 1.0]]
}

fn compare(
    service: &silkroute_api::Service,
    w: &World,
    s: &Scenario,
) -> silkroute_api::Result<silkroute_api::compare::Comparison> {
    let ends = w.routable();
    service.compare(
        &CompareRequest {
            scenario: s.clone(),
            od: od_set(service, w, &[(ends[0], ends[1])], 1.0),
            modes: common::modes(),
            objective: Objective::Time,
            shipment: Shipment::default(),
            vessel: None,
        },
        &silkroute_api::NoProgress,
    )
}

fn slowdown(f: impl FnOnce(&mut Slowdown)) -> Slowdown {
    let mut d = Slowdown {
        delay_h: 12.0,
        ..Slowdown::default()
    };
    f(&mut d);
    d
}

#[test]
fn targets_that_match_nothing_are_errors_naming_them() {
    eprintln!("seed {SEED}");
    let w = common::world(SEED, 64);
    let service = common::service(&w, "", "");
    let net = service.net();
    // A node that is no seaport: no seaport lies within 30 km of it.
    let inland = *w
        .routable()
        .iter()
        .find(|v| !w.ports.iter().any(|(_, p)| p == *v))
        .unwrap();
    let (port, _) = w.ports[0].clone();
    let has = |p: silkroute_model::Passage| net.arc_passage().contains(&(p as u8));
    assert!(
        !has(silkroute_model::Passage::Panama) && has(silkroute_model::Passage::Suez),
        "seed {SEED}: the world has Suez arcs and no Panama arc"
    );
    assert!(
        !net.arc_mode().contains(&(silkroute_model::Mode::Air as u8)),
        "no air arcs"
    );
    let mut rng = Rng(SEED);
    let place = city(*rng.pick(&w.routable()));
    // (what the scenario does, words the error must contain, the same
    // with a target that matches)
    type Case = (Scenario, Vec<String>, Scenario);
    let mut cases: Vec<Case> = Vec::new();
    let mut closure = |f: &dyn Fn(&mut Scenario), g: &dyn Fn(&mut Scenario), words: &[&str]| {
        let (mut bad, mut good) = (scenario("bad"), scenario("good"));
        f(&mut bad);
        g(&mut good);
        cases.push((bad, words.iter().map(|s| s.to_string()).collect(), good));
    };
    // Closures.
    closure(
        &|s| s.close_countries.push("ZZ".into()),
        &|s| s.close_countries.push("BB".into()),
        &["close_countries", "ZZ"],
    );
    closure(
        &|s| s.close_ports.push("ZZP99".into()),
        &|s| s.close_ports.push(port.clone()),
        &["close_ports", "ZZP99"],
    );
    closure(
        &|s| s.close_ports.push(city(inland)),
        &|s| s.close_ports.push(port.clone()),
        &["close_ports", &city(inland), "no seaport"],
    );
    closure(
        &|s| s.close_places.push("Atlantis".into()),
        &|s| s.close_places.push(place.clone()),
        &["close_places", "Atlantis"],
    );
    closure(
        &|s| s.close_places.push("Nowhere".into()),
        &|s| s.close_places.push(place.clone()),
        &["close_places", "Nowhere"],
    );
    closure(
        &|s| s.close_border_crossings.push("no-such-crossing".into()),
        &|s| s.close_border_crossings.push("xing-1".into()),
        &["no-such-crossing"],
    );
    closure(
        &|s| s.close_border_crossings.push("xing-ghost".into()),
        &|s| s.close_border_crossings.push("xing-1".into()),
        &["close_border_crossings", "xing-ghost"],
    );
    closure(
        &|s| s.close_passages.push("atlantis-strait".into()),
        &|s| s.close_passages.push("suez".into()),
        &["close_passages", "atlantis-strait"],
    );
    closure(
        &|s| s.close_passages.push("panama".into()),
        &|s| s.close_passages.push("suez".into()),
        &["close_passages", "panama"],
    );
    closure(
        &|s| s.close_modes.push("hovercraft".into()),
        &|s| s.close_modes.push("ferry".into()),
        &["close_modes", "hovercraft"],
    );
    closure(
        &|s| s.close_modes.push("air".into()),
        &|s| s.close_modes.push("ferry".into()),
        &["close_modes", "air"],
    );
    closure(
        &|s| s.close_areas.push(FAR_AREA),
        &|s| {
            let c = w.pos(w.routable()[0]);
            s.close_areas
                .push([c.lon - 0.1, c.lat - 0.1, c.lon + 0.1, c.lat + 0.1])
        },
        &["close_areas", "0,0,1,1"],
    );
    closure(
        &|s| s.close_polygons.push(far_polygon()),
        &|s| {
            let c = w.pos(w.routable()[0]);
            s.close_polygons.push(vec![
                [c.lon - 0.1, c.lat - 0.1],
                [c.lon + 0.1, c.lat - 0.1],
                [c.lon, c.lat + 0.1],
            ])
        },
        &["close_polygons", "polygon 1"],
    );
    // Slowdowns.
    // Unknown crossing and ferry ids are refused by the catalogue, whose
    // message names the id (and lists the known ones) but not the slowdown.
    let mut slow = |bad: Slowdown, good: Slowdown, words: &[&str]| {
        let by_catalogue = bad.border_crossing.as_deref() == Some("no-such-crossing")
            || bad.ferry.as_deref() == Some("no-such-ferry");
        let (mut b, mut g) = (scenario("bad"), scenario("good"));
        // A matching first slowdown, so the error must name the second.
        let first = slowdown(|d| d.country = Some("AA".into()));
        b.slowdown = vec![first.clone(), bad];
        g.slowdown = vec![first, good];
        let mut words: Vec<String> = words.iter().map(|s| s.to_string()).collect();
        if !by_catalogue {
            words.push("slowdown 2".into());
        }
        cases.push((b, words, g));
    };
    let good = slowdown(|d| d.country = Some("CC".into()));
    slow(
        slowdown(|d| d.country = Some("ZZ".into())),
        good.clone(),
        &["ZZ"],
    );
    slow(
        slowdown(|d| d.port = Some("ZZP99".into())),
        slowdown(|d| d.port = Some(port.clone())),
        &["ZZP99"],
    );
    slow(
        slowdown(|d| d.port = Some(city(inland))),
        slowdown(|d| d.port = Some(port.clone())),
        &[&city(inland), "no seaport"],
    );
    slow(
        slowdown(|d| d.place = Some("Atlantis".into())),
        good.clone(),
        &["Atlantis"],
    );
    slow(
        slowdown(|d| d.place = Some("Nowhere".into())),
        good.clone(),
        &["place Nowhere", "matches no arc"],
    );
    slow(
        slowdown(|d| d.area = Some(FAR_AREA)),
        good.clone(),
        &["area 0,0,1,1", "matches no arc"],
    );
    slow(
        slowdown(|d| d.polygon = Some(far_polygon())),
        good.clone(),
        &["polygon of 3 vertices", "matches no arc"],
    );
    slow(
        slowdown(|d| d.mode = Some("air".into())),
        slowdown(|d| d.mode = Some("rail".into())),
        &["mode air", "matches no arc"],
    );
    slow(
        slowdown(|d| d.mode = Some("hovercraft".into())),
        slowdown(|d| d.mode = Some("rail".into())),
        &["hovercraft"],
    );
    slow(
        slowdown(|d| d.passage = Some("panama".into())),
        slowdown(|d| d.passage = Some("suez".into())),
        &["passage panama", "matches no arc"],
    );
    slow(
        slowdown(|d| d.passage = Some("atlantis-strait".into())),
        slowdown(|d| d.passage = Some("suez".into())),
        &["atlantis-strait"],
    );
    slow(
        slowdown(|d| d.border_crossing = Some("no-such-crossing".into())),
        slowdown(|d| d.border_crossing = Some("xing-2".into())),
        &["no-such-crossing"],
    );
    slow(
        slowdown(|d| d.border_crossing = Some("xing-ghost".into())),
        slowdown(|d| d.border_crossing = Some("xing-2".into())),
        &["border crossing xing-ghost", "matches no arc"],
    );
    slow(
        slowdown(|d| d.ferry = Some("ghost-ferry".into())),
        good.clone(),
        &["ferry ghost-ferry", "matches no arc"],
    );
    slow(
        slowdown(|d| d.ferry = Some("no-such-ferry".into())),
        good,
        &["no-such-ferry"],
    );
    let mut failures = Vec::new();
    for (bad, words, good) in &cases {
        if let Err(e) = compare(&service, &w, good) {
            failures.push(format!("{good:?} (the matching case) fails: {}", e.message));
        }
        match compare(&service, &w, bad) {
            Ok(_) => failures.push(format!("accepted as a no-op: {bad:?}")),
            Err(e) if e.code != Code::InvalidValue => {
                failures.push(format!("{bad:?}: code {:?}: {}", e.code, e.message))
            }
            Err(e) => {
                let missing: Vec<&String> =
                    words.iter().filter(|x| !e.message.contains(*x)).collect();
                if !missing.is_empty() {
                    failures.push(format!(
                        "the error does not name {missing:?}: {}",
                        e.message
                    ));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "seed {SEED}: {} of {} cases fail:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}
