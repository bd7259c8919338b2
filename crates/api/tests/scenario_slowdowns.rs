//! Scenario slowdowns (`silkroute_api::scenario::apply`, then
//! `Service::compare`) against an oracle written in this file from the
//! rules as `silkroute_route::penalties` documents them, on random worlds
//! (`common::world`) with fixed seeds printed in every failure:
//!
//! - a **country, area, polygon or place** (50 km) rule charges every
//!   rail or road border arc (ends in two different countries) with an end
//!   where the rule holds, and every transfer arc whose tail or head is a
//!   hub (any node kind but junction) where it holds; once per use;
//! - a **mode** rule charges every transfer arc that joins the mode and
//!   every border arc of the mode; for ferries every ferry arc;
//! - a **port** (UN/LOCODE) charges the transfer arcs into and out of its
//!   seaport; a curated **border crossing** the arcs that carry it;
//! - a **passage** charges each of its arcs its share of one crossing: its
//!   length over half the total length of the passage's arcs.
//!
//! The oracle's charges must be exactly the penalties `apply` builds; the
//! scenario routes of `Service::compare` must be shortest paths (plain
//! Dijkstra in `common`) over `metric::weights` of the base filter plus
//! the oracle's charges (each rounded to a second or a cent), the baseline
//! routes shortest over the plain weights, and the reported deltas the
//! oracle's optimum differences (within the per-arc rounding of the
//! integer weights). A rule whose target matches no arc is an error naming
//! the target.

mod common;

use silkroute_api::compare::CompareRequest;
use silkroute_api::{Cargo, Objective, OdPair, OdSet, Scenario, Shipment};
use silkroute_graph::Network;
use silkroute_import::Slowdown;
use silkroute_model::{Mode, NodeKind, Passage, haversine_m};
use silkroute_route::{Filter, metric};

use common::{
    COUNTRIES, Rng, World, city, dijkstra, inside_convex, od_place, random_area, random_triangle,
    runs, scenario, tails, weigh,
};

#[derive(Clone, Debug)]
enum Target {
    Port(String, u32),
    Place(u32),
    Country(String),
    Area([f64; 4]),
    Polygon(Vec<[f64; 2]>),
    Mode(Mode),
    Passage(Passage),
    Crossing(String, usize),
}

fn random_target(w: &World, rng: &mut Rng, kind: u64) -> Target {
    match kind {
        0 => {
            let (code, v) = rng.pick(&w.ports).clone();
            Target::Port(code, v)
        }
        1 => Target::Place(rng.below(w.node_count() as u64) as u32),
        2 => Target::Country(rng.pick(&COUNTRIES).to_string()),
        3 => Target::Area(random_area(w, rng)),
        4 => Target::Polygon(random_triangle(w, rng)),
        5 => Target::Mode(*rng.pick(&[Mode::Rail, Mode::Road, Mode::Sea, Mode::Ferry])),
        6 => Target::Passage(*rng.pick(&[Passage::Suez, Passage::Malacca])),
        _ => {
            let (id, e) = rng.pick(&w.crossings).clone();
            Target::Crossing(id, e)
        }
    }
}

fn slowdown_of(t: &Target, delay_h: f64, usd_per_feu: f64, usd: f64) -> Slowdown {
    let mut d = Slowdown {
        delay_h,
        cost_usd_per_feu: usd_per_feu,
        cost_usd_per_crossing: usd,
        ..Slowdown::default()
    };
    match t {
        Target::Port(code, _) => d.port = Some(code.clone()),
        Target::Place(v) => d.place = Some(city(*v)),
        Target::Country(c) => d.country = Some(c.to_lowercase()),
        Target::Area(b) => d.area = Some(*b),
        Target::Polygon(r) => d.polygon = Some(r.clone()),
        Target::Mode(m) => d.mode = Some(m.as_str().to_string()),
        Target::Passage(p) => d.passage = Some(p.as_str().to_string()),
        Target::Crossing(id, _) => d.border_crossing = Some(id.clone()),
    }
    d
}

/// The oracle's "where" rule: border arcs with an end where `at` holds,
/// transfer arcs at a hub where it holds.
fn where_rule(w: &World, net: &Network, at: &dyn Fn(u32) -> bool) -> Vec<u32> {
    let tails = tails(net);
    let (head, mode) = (net.arc_head(), net.arc_mode());
    let hub = |v: u32| w.kind(v) != NodeKind::Junction;
    (0..net.arc_count() as u32)
        .filter(|&a| {
            let (t, h, m) = (tails[a as usize], head[a as usize], mode[a as usize]);
            if m == Mode::Rail as u8 || m == Mode::Road as u8 {
                let (ct, ch) = (w.country(t), w.country(h));
                !ct.is_empty() && !ch.is_empty() && ct != ch && (at(t) || at(h))
            } else if m == Mode::Transfer as u8 {
                (hub(t) && at(t)) || (hub(h) && at(h))
            } else {
                false
            }
        })
        .collect()
}

/// The arcs a target charges, each with its share of one use.
fn oracle_arcs(w: &World, net: &Network, t: &Target) -> Vec<(u32, f64)> {
    let whole = |v: Vec<u32>| v.into_iter().map(|a| (a, 1.0)).collect();
    let tails = tails(net);
    let (head, mode, joins) = (net.arc_head(), net.arc_mode(), net.arc_joins());
    match t {
        Target::Port(_, p) => whole(
            (0..net.arc_count() as u32)
                .filter(|&a| {
                    mode[a as usize] == Mode::Transfer as u8
                        && (tails[a as usize] == *p || head[a as usize] == *p)
                })
                .collect(),
        ),
        Target::Place(v) => {
            let c = w.pos(*v);
            whole(where_rule(w, net, &|u| {
                haversine_m(c, w.pos(u)) <= 50_000.0
            }))
        }
        Target::Country(cc) => whole(where_rule(w, net, &|u| w.country(u) == *cc)),
        Target::Area([west, south, east, north]) => whole(where_rule(w, net, &|u| {
            let p = w.pos(u);
            *west <= p.lon && p.lon <= *east && *south <= p.lat && p.lat <= *north
        })),
        Target::Polygon(ring) => whole(where_rule(w, net, &|u| {
            let p = w.pos(u);
            inside_convex(ring, p.lon, p.lat)
        })),
        Target::Mode(m) => whole(
            (0..net.arc_count() as u32)
                .filter(|&a| {
                    let (ai, t, h) = (a as usize, tails[a as usize], head[a as usize]);
                    if mode[ai] == Mode::Transfer as u8 {
                        joins[ai] & (1 << *m as u8) != 0
                    } else if mode[ai] == *m as u8 {
                        let (ct, ch) = (w.country(t), w.country(h));
                        *m == Mode::Ferry
                            || (matches!(m, Mode::Rail | Mode::Road)
                                && !ct.is_empty()
                                && !ch.is_empty()
                                && ct != ch)
                    } else {
                        false
                    }
                })
                .collect(),
        ),
        Target::Passage(p) => {
            let len = net.arc_length_m();
            let arcs: Vec<u32> = (0..net.arc_count() as u32)
                .filter(|a| net.arc_passage()[*a as usize] == *p as u8)
                .collect();
            let one_way: f64 = arcs.iter().map(|a| len[*a as usize] as f64).sum::<f64>() / 2.0;
            arcs.into_iter()
                .map(|a| (a, len[a as usize] as f64 / one_way))
                .collect()
        }
        Target::Crossing(_, e) => whole(w.edge_arcs(net, *e)),
    }
}

/// One charge of one rule on one arc, per use.
#[derive(Clone, Debug, PartialEq)]
struct Charge {
    rule: u32,
    arc: u32,
    delay_h: f64,
    usd_per_feu: f64,
    usd: f64,
}

/// The oracle's weights: the base weights plus each charge in the
/// objective's integer units, rounded per charge; closed arcs stay closed.
fn charged_weights(base: &[u32], charges: &[Charge], objective: Objective, feu: f64) -> Vec<u32> {
    let mut w = base.to_vec();
    for c in charges {
        let x = &mut w[c.arc as usize];
        if *x == u32::MAX {
            continue;
        }
        let extra = match objective {
            Objective::Time => (c.delay_h * 3600.0).round(),
            // Cents per FEU-equivalent, as metric weights are: the flat
            // fee is shared by the containers.
            Objective::Cost => ((c.usd + c.usd_per_feu * feu) * 100.0 / feu).round(),
            _ => 0.0,
        };
        *x += extra as u32;
    }
    w
}

/// Checks one scenario on one world: the penalties, then every pair's
/// routes and deltas. Returns how many pairs had a route on both sides,
/// and how many of them the scenario delayed or rerouted.
fn check(
    seed: u64,
    w: &World,
    service: &silkroute_api::Service,
    s: &Scenario,
    targets: &[Target],
    objective: Objective,
    pairs: &[(u32, u32)],
) -> (usize, usize) {
    let net = service.net();
    let feu = 2.0;
    let shipment = Shipment::default().with_cargo(Cargo::Feu(feu));
    let mut charges = Vec::new();
    let mut empty = None;
    for (i, (t, d)) in targets.iter().zip(&s.slowdown).enumerate() {
        let arcs = oracle_arcs(w, net, t);
        if arcs.is_empty() && empty.is_none() {
            empty = Some((i, d.target()));
        }
        for (arc, share) in arcs {
            charges.push(Charge {
                rule: i as u32,
                arc,
                delay_h: d.delay_h * share,
                usd_per_feu: d.cost_usd_per_feu * share,
                usd: d.cost_usd_per_crossing * share,
            });
        }
    }
    let od = OdSet {
        places: (0..w.node_count() as u32)
            .map(|v| od_place(service, v))
            .collect(),
        pairs: pairs
            .iter()
            .map(|&(o, t)| OdPair {
                from: o as usize,
                to: t as usize,
                value: 1.0,
            })
            .collect(),
        valued: true,
        notes: Vec::new(),
    };
    let req = CompareRequest {
        scenario: s.clone(),
        od,
        modes: common::modes(),
        objective,
        shipment: shipment.clone(),
        vessel: None,
    };
    let got = service.compare(&req, &silkroute_api::NoProgress);
    if let Some((i, target)) = empty {
        let Err(e) = got else {
            panic!(
                "seed {seed} {}: {target} matches nothing, yet no error",
                s.id
            );
        };
        assert!(
            e.message.contains(&target) && e.message.contains(&format!("slowdown {}", i + 1)),
            "seed {seed} {}: the error names the target {target:?}: {}",
            s.id,
            e.message
        );
        return (0, 0);
    }
    let got = got.unwrap_or_else(|e| panic!("seed {seed} {}: {}", s.id, e.message));
    // The penalties `apply` builds are the oracle's charges.
    let mut filter = Filter::new(common::modes());
    silkroute_api::scenario::apply(
        s,
        net,
        service.gazetteer(),
        service.catalogue(),
        &mut filter,
    )
    .unwrap();
    let p = filter.penalties.as_ref().expect("slowdowns give penalties");
    assert!(p.closed_arcs.is_empty(), "seed {seed} {}", s.id);
    let mut applied: Vec<Charge> = p
        .slow
        .iter()
        .map(|x| Charge {
            rule: x.rule,
            arc: x.arc,
            delay_h: x.delay_h,
            usd_per_feu: x.cost_usd_per_feu,
            usd: x.cost_usd,
        })
        .collect();
    let key = |c: &Charge| (c.rule, c.arc);
    applied.sort_by_key(key);
    charges.sort_by_key(key);
    assert_eq!(
        applied.iter().map(key).collect::<Vec<_>>(),
        charges.iter().map(key).collect::<Vec<_>>(),
        "seed {seed} {}: charged arcs",
        s.id
    );
    for (a, c) in applied.iter().zip(&charges) {
        let close = |x: f64, y: f64| (x - y).abs() <= 1e-9 * (1.0 + y.abs());
        assert!(
            close(a.delay_h, c.delay_h)
                && close(a.usd_per_feu, c.usd_per_feu)
                && close(a.usd, c.usd),
            "seed {seed} {}: charge {a:?}, oracle {c:?}",
            s.id
        );
    }
    // Routes: shortest over the oracle's weights.
    let pricing = shipment.pricing();
    let base = metric::weights(net, &pricing, objective, &Filter::new(common::modes()));
    let scen = charged_weights(&base, &charges, objective, feu);
    let tails = tails(net);
    let unit = match objective {
        Objective::Time => 3600.0,
        _ => 100.0,
    };
    // In the weights' units: cost per FEU-equivalent.
    let total = |r: &silkroute_api::Route| match objective {
        Objective::Time => r.total.time_h * 3600.0,
        _ => r.total.cost_usd * 100.0 / feu,
    };
    let (mut both, mut changed) = (0, 0);
    for (pc, &(o, t)) in got.pairs.iter().zip(pairs) {
        let what = format!("seed {seed} {} {objective:?} {o}→{t}", s.id);
        let d0 = dijkstra(net, &base, o).0[t as usize];
        let d1 = dijkstra(net, &scen, o).0[t as usize];
        match (&pc.before, d0) {
            (Ok(r), Some(d)) => {
                assert!(
                    runs(net, &tails, &r.arcs, o, t),
                    "{what}: baseline path {:?} from {:?} to {:?}, modes {} {}",
                    r.arcs
                        .iter()
                        .map(|a| (tails[*a as usize], net.arc_head()[*a as usize]))
                        .collect::<Vec<_>>(),
                    r.origin.node,
                    r.destination.node,
                    w.node_modes(o),
                    w.node_modes(t)
                );
                assert_eq!(weigh(&base, &r.arcs), d, "{what}: baseline optimum");
            }
            (Err(_), None) => {}
            (b, d) => panic!("{what}: baseline {:?}, oracle {d:?}", b.as_ref().err()),
        }
        match (&pc.after, d1) {
            (Ok(r), Some(d)) => {
                assert!(runs(net, &tails, &r.arcs, o, t), "{what}: scenario path");
                assert_eq!(weigh(&scen, &r.arcs), d, "{what}: scenario optimum");
                let on_path = charges.iter().filter(|c| r.arcs.contains(&c.arc)).count();
                let slack = 0.5 * (r.arcs.len() + on_path) as f64 + 1e-6;
                assert!(
                    (total(r) - d as f64).abs() <= slack,
                    "{what}: reported {} vs oracle {d}",
                    total(r)
                );
            }
            (Err(_), None) => {}
            (a, d) => panic!("{what}: scenario {:?}, oracle {d:?}", a.as_ref().err()),
        }
        if let (Ok(b), Ok(a), Some(d0), Some(d1)) = (&pc.before, &pc.after, d0, d1) {
            both += 1;
            let (dh, dusd, _, _) = pc.delta().expect("both sides routed");
            let reported = match objective {
                Objective::Time => dh * 3600.0,
                _ => dusd * 100.0 / feu,
            };
            let on_path = charges.iter().filter(|c| a.arcs.contains(&c.arc)).count();
            let slack = 0.5 * (a.arcs.len() + b.arcs.len() + on_path) as f64 + 1e-6;
            assert!(
                (reported - (d1 as f64 - d0 as f64)).abs() <= slack,
                "{what}: delta {} vs oracle {}",
                reported / unit,
                (d1 as f64 - d0 as f64) / unit
            );
            // The status follows: same arcs and no charge on them is
            // unchanged; same arcs and a charge is delayed.
            if a.arcs == b.arcs {
                let charged = charges.iter().any(|c| a.arcs.contains(&c.arc));
                assert_eq!(
                    pc.status(),
                    if charged { "delayed" } else { "unchanged" },
                    "{what}"
                );
            } else {
                assert_eq!(pc.status(), "rerouted", "{what}");
            }
            if pc.status() != "unchanged" {
                changed += 1;
            }
        }
    }
    (both, changed)
}

#[test]
fn slowdowns_charge_what_the_rules_say_and_routes_are_shortest_under_them() {
    let (mut routed, mut scenarios, mut refused) = (0, 0, 0);
    // Per target kind (port, place, country, area, polygon, mode,
    // passage, crossing, mixed): pairs the scenario delayed or rerouted.
    let mut delayed_or_rerouted_kinds = [0usize; 9];
    for seed in 0..20u64 {
        let seed = 4200 + seed;
        eprintln!("seed {seed}");
        let w = common::world(seed, 64);
        let service = common::service(&w, "", "");
        let mut rng = Rng(seed ^ 0x5eed);
        let ends = w.routable();
        let pairs: Vec<(u32, u32)> = (0..30)
            .map(|_| {
                loop {
                    let (o, t) = (*rng.pick(&ends), *rng.pick(&ends));
                    if o != t {
                        break (o, t);
                    }
                }
            })
            .collect();
        for kind in 0..9u64 {
            let targets: Vec<Target> = if kind < 8 {
                vec![random_target(&w, &mut rng, kind)]
            } else {
                (0..3)
                    .map(|_| {
                        let k = rng.below(8);
                        random_target(&w, &mut rng, k)
                    })
                    .collect()
            };
            let mut s = scenario(&format!("s{kind}"));
            for t in &targets {
                let delay = 1.0 + rng.below(96) as f64 / 2.0;
                let feu = rng.below(400) as f64;
                let flat = rng.below(300) as f64;
                s.slowdown.push(slowdown_of(t, delay, feu, flat));
            }
            let objective = if (seed + kind) % 2 == 0 {
                Objective::Time
            } else {
                Objective::Cost
            };
            let n = check(seed, &w, &service, &s, &targets, objective, &pairs);
            delayed_or_rerouted_kinds[kind as usize] += n.1;
            routed += n.0;
            refused += (n == (0, 0)) as usize;
            scenarios += 1;
        }
    }
    eprintln!(
        "{scenarios} scenarios ({refused} refused or unrouted), {routed} pairs routed on both sides; delayed or rerouted per target kind: {delayed_or_rerouted_kinds:?}"
    );
    assert!(routed > 2000, "only {routed} pairs checked");
    assert!(
        delayed_or_rerouted_kinds.iter().all(|k| *k > 0),
        "every target kind changed some route: {delayed_or_rerouted_kinds:?}"
    );
}

/// A scenario's slowdowns reach the routes: on every seed some pair is
/// delayed or rerouted by a country slowdown (so the oracle comparison
/// above is not vacuous).
#[test]
fn country_slowdowns_change_routes() {
    for seed in [4200u64, 4203, 4207] {
        let w = common::world(seed, 64);
        let service = common::service(&w, "", "");
        let nodes = w.node_count() as u32;
        let ends = w.routable();
        let pairs: Vec<(u32, u32)> = ends
            .iter()
            .step_by(5)
            .flat_map(|o| ends.iter().skip(1).step_by(7).map(move |t| (*o, *t)))
            .filter(|(o, t)| o != t)
            .collect();
        let mut s = scenario("bb-slow");
        let t = Target::Country("BB".into());
        s.slowdown.push(slowdown_of(&t, 48.0, 0.0, 0.0));
        check(seed, &w, &service, &s, &[t], Objective::Time, &pairs);
        let od = OdSet {
            places: (0..nodes).map(|v| od_place(&service, v)).collect(),
            pairs: pairs
                .iter()
                .map(|&(o, t)| OdPair {
                    from: o as usize,
                    to: t as usize,
                    value: 1.0,
                })
                .collect(),
            valued: true,
            notes: Vec::new(),
        };
        let c = service
            .compare(
                &CompareRequest {
                    scenario: s,
                    od,
                    modes: common::modes(),
                    objective: Objective::Time,
                    shipment: Shipment::default(),
                    vessel: None,
                },
                &silkroute_api::NoProgress,
            )
            .unwrap();
        assert!(
            c.count("delayed") + c.count("rerouted") > 0,
            "seed {seed}: a 48 h slowdown on BB's borders changes nothing"
        );
    }
}
