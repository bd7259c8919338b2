//! Scenario closures through `Service::compare` against an oracle written
//! here from the rules as `silkroute_api::scenario` documents them, on
//! random worlds (`common::world`) with fixed seeds printed in every
//! failure:
//!
//! - `close_countries` closes every node of the country; `close_areas`
//!   every node in the box; `close_polygons` every node in the ring;
//!   `close_places` every node within 50 km
//!   (`constraints::AVOID_PLACE_RADIUS_M`) of the place;
//! - `close_border_crossings` closes the arcs that carry the curated
//!   crossing; `close_ports` the transfer arcs into and out of the port's
//!   seaport (its sea lanes stay); `close_passages` the passage's arcs;
//!   `close_modes` the mode's arcs and every transfer that joins it.
//!
//! A closed node closes every arc into or out of it. The scenario route of
//! every pair must be a shortest path (plain Dijkstra in `common`) over
//! `metric::weights` of the base filter with the oracle's closures, and a
//! pair with an end inside the closed nodes must be cut off with the
//! closed-place error (never joined to the nearest open node across the
//! closure). A closure that matches nothing is an error
//! (`scenario_targets.rs` tests the messages).

mod common;

use silkroute_api::compare::CompareRequest;
use silkroute_api::{Objective, Scenario, Shipment};
use silkroute_model::{Mode, ModeSet, Passage, haversine_m};
use silkroute_route::{Filter, metric};

use common::{
    COUNTRIES, Rng, World, city, dijkstra, inside_convex, od_set, random_area, random_triangle,
    runs, scenario, tails, weigh,
};

/// What the oracle closes.
struct Closed {
    nodes: Vec<bool>,
    arcs: Vec<bool>,
    modes: Vec<Mode>,
    /// Whether each closure of the scenario matched something.
    matched: Vec<bool>,
}

/// One random closure of kind `kind` added to `s`, and to the oracle.
fn add_closure(
    w: &World,
    net: &silkroute_graph::Network,
    rng: &mut Rng,
    kind: u64,
    s: &mut Scenario,
    c: &mut Closed,
) -> Option<u32> {
    let tails = tails(net);
    let (head, mode, joins, passage) = (
        net.arc_head(),
        net.arc_mode(),
        net.arc_joins(),
        net.arc_passage(),
    );
    let close_nodes = |at: &dyn Fn(u32) -> bool, c: &mut Closed| {
        let mut any = false;
        for v in 0..w.node_count() as u32 {
            if at(v) {
                c.nodes[v as usize] = true;
                any = true;
            }
        }
        c.matched.push(any);
    };
    let mut centre = None;
    match kind {
        0 => {
            let cc = rng.pick(&COUNTRIES).to_string();
            close_nodes(&|v| w.country(v) == cc, c);
            s.close_countries.push(cc);
        }
        1 => {
            let [west, south, east, north] = random_area(w, rng);
            close_nodes(
                &|v| {
                    let p = w.pos(v);
                    west <= p.lon && p.lon <= east && south <= p.lat && p.lat <= north
                },
                c,
            );
            s.close_areas.push([west, south, east, north]);
        }
        2 => {
            let ring = random_triangle(w, rng);
            close_nodes(
                &|v| {
                    let p = w.pos(v);
                    inside_convex(&ring, p.lon, p.lat)
                },
                c,
            );
            s.close_polygons.push(ring);
        }
        3 => {
            let v = *rng.pick(&w.routable());
            let at = w.pos(v);
            close_nodes(&|u| haversine_m(at, w.pos(u)) <= 50_000.0, c);
            s.close_places.push(city(v));
            centre = Some(v);
        }
        4 => {
            let (id, e) = rng.pick(&w.crossings).clone();
            for a in w.edge_arcs(net, e) {
                c.arcs[a as usize] = true;
            }
            c.matched.push(true);
            s.close_border_crossings.push(id);
        }
        5 => {
            let (code, p) = rng.pick(&w.ports).clone();
            let mut any = false;
            for a in 0..net.arc_count() {
                if mode[a] == Mode::Transfer as u8 && (tails[a] == p || head[a] == p) {
                    c.arcs[a] = true;
                    any = true;
                }
            }
            c.matched.push(any);
            s.close_ports.push(code);
        }
        6 => {
            let p = *rng.pick(&[Passage::Suez, Passage::Malacca]);
            let mut any = false;
            for (a, code) in passage.iter().enumerate() {
                if *code == p as u8 {
                    c.arcs[a] = true;
                    any = true;
                }
            }
            c.matched.push(any);
            s.close_passages.push(p.as_str().to_string());
        }
        _ => {
            let m = *rng.pick(&[Mode::Rail, Mode::Road, Mode::Sea, Mode::Ferry]);
            let mut any = false;
            for a in 0..net.arc_count() {
                if mode[a] == m as u8 {
                    any = true;
                }
                if mode[a] == m as u8
                    || (mode[a] == Mode::Transfer as u8 && joins[a] & (1 << m as u8) != 0)
                {
                    c.arcs[a] = true;
                }
            }
            c.matched.push(any);
            c.modes.push(m);
            s.close_modes.push(m.as_str().to_string());
        }
    }
    centre
}

#[test]
fn closures_close_what_the_rules_say_and_cut_off_pairs_inside_them() {
    let shipment = Shipment::default();
    let (mut routed, mut cut_inside, mut rerouted, mut refused) = (0, 0, 0, 0);
    for seed in 0..16u64 {
        let seed = 5100 + seed;
        eprintln!("seed {seed}");
        let w = common::world(seed, 64);
        let service = common::service(&w, "", "");
        let net = service.net();
        let tails = tails(net);
        let mut rng = Rng(seed ^ 0xc105e);
        let ends = w.routable();
        for kind in 0..9u64 {
            let objective = if (seed + kind) % 3 == 0 {
                Objective::Cost
            } else {
                Objective::Time
            };
            let mut s = scenario(&format!("c{kind}"));
            let mut c = Closed {
                nodes: vec![false; w.node_count()],
                arcs: vec![false; net.arc_count()],
                modes: Vec::new(),
                matched: Vec::new(),
            };
            let kinds: Vec<u64> = if kind < 8 {
                vec![kind]
            } else {
                vec![0, 3, 4, 5]
            };
            let mut centres = Vec::new();
            for k in kinds {
                centres.extend(add_closure(&w, net, &mut rng, k, &mut s, &mut c));
            }
            // Random pairs, and pairs from and to each closed place.
            let mut pairs: Vec<(u32, u32)> = (0..24)
                .map(|_| (*rng.pick(&ends), *rng.pick(&ends)))
                .collect();
            for v in centres {
                pairs.push((v, *rng.pick(&ends)));
                pairs.push((*rng.pick(&ends), v));
            }
            pairs.retain(|(o, t)| o != t);
            let got = service.compare(
                &CompareRequest {
                    scenario: s.clone(),
                    od: od_set(&service, &w, &pairs, 1.0),
                    modes: common::modes(),
                    objective,
                    shipment: shipment.clone(),
                    vessel: None,
                },
                &silkroute_api::NoProgress,
            );
            if c.matched.iter().any(|m| !m) {
                assert!(
                    got.is_err(),
                    "seed {seed} {}: a closure that matches nothing is an error ({:?})",
                    s.id,
                    s
                );
                refused += 1;
                continue;
            }
            let got = got.unwrap_or_else(|e| panic!("seed {seed} {}: {}", s.id, e.message));
            let pricing = shipment.pricing();
            let base = metric::weights(net, &pricing, objective, &Filter::new(common::modes()));
            let mut scen = base.clone();
            let head = net.arc_head();
            for a in 0..net.arc_count() {
                if c.arcs[a] || c.nodes[tails[a] as usize] || c.nodes[head[a] as usize] {
                    scen[a] = u32::MAX;
                }
            }
            let open_modes = ModeSet(common::modes().0 & !ModeSet::of(&c.modes).0);
            for (pc, &(o, t)) in got.pairs.iter().zip(&pairs) {
                let what = format!("seed {seed} {} {objective:?} {o}→{t}", s.id);
                let d0 = dijkstra(net, &base, o).0[t as usize];
                match (&pc.before, d0) {
                    (Ok(r), Some(d)) => {
                        assert!(runs(net, &tails, &r.arcs, o, t), "{what}: baseline path");
                        assert_eq!(weigh(&base, &r.arcs), d, "{what}: baseline optimum");
                    }
                    (Err(_), None) => {}
                    (b, d) => panic!("{what}: baseline {:?}, oracle {d:?}", b.as_ref().err()),
                }
                // An end whose own modes are all closed snaps elsewhere;
                // the oracle does not follow it there.
                if [o, t]
                    .iter()
                    .any(|v| !w.node_modes(*v).intersects(open_modes))
                {
                    continue;
                }
                if c.nodes[o as usize] || c.nodes[t as usize] {
                    let Err(e) = &pc.after else {
                        panic!("{what}: an end inside the closure has a scenario route");
                    };
                    let inside = if c.nodes[o as usize] { o } else { t };
                    assert!(
                        e.message
                            .contains("lies inside an area the constraints close")
                            && e.message.contains(&city(inside)),
                        "{what}: the closed-place error: {}",
                        e.message
                    );
                    if pc.before.is_ok() {
                        assert_eq!(pc.status(), "cut off", "{what}");
                    }
                    cut_inside += 1;
                    continue;
                }
                let d1 = dijkstra(net, &scen, o).0[t as usize];
                match (&pc.after, d1) {
                    (Ok(r), Some(d)) => {
                        assert!(runs(net, &tails, &r.arcs, o, t), "{what}: scenario path");
                        assert_eq!(weigh(&scen, &r.arcs), d, "{what}: scenario optimum");
                        routed += 1;
                        if pc.status() == "rerouted" {
                            rerouted += 1;
                        }
                    }
                    (Err(_), None) => {}
                    (a, d) => panic!("{what}: scenario {:?}, oracle {d:?}", a.as_ref().err()),
                }
            }
        }
    }
    eprintln!(
        "{routed} scenario routes checked ({rerouted} rerouted), {cut_inside} pairs cut off inside a closure, {refused} scenarios refused"
    );
    assert!(routed > 1000 && rerouted > 100 && cut_inside > 100);
}
