//! The corridor-capacity rule of `Service::flow` (`flow.rs`, `capacities`)
//! and all-or-nothing loads, on random worlds (`common::world`) whose
//! catalogue gives the curated crossing `xing-1` a capacity of its own and
//! the corridor `corr-w` a capacity applying to both `xing-1` and `xing-2`
//! (which has none):
//!
//! - an element's capacity is its own times the smallest capacity factor
//!   the scenario puts on its arcs (several on one arc multiply);
//! - the corridor's factor is `((1 − lost / cap).max(0.01)).min(floor)`,
//!   where `lost` sums each cut part's capacity × (1 − its factor) and
//!   `floor` is the smallest factor of a cut part without a capacity:
//!   checked against factors computed by hand, written below as numbers;
//! - an all-or-nothing assignment puts each pair's volume on its shortest
//!   time path (plain Dijkstra in `common` over `metric::weights` for one
//!   TEU): each element's load, the corridor's bottleneck flow, the
//!   volume named after the corridor (a path over either crossing; the
//!   rest is "(none)") and the unassigned volume equal the oracle's counts
//!   of volume over its paths, each use of an arc counted.
//!
//! Seeds 6100–6111 are printed in every failure.

mod common;

use silkroute_api::flow::{FlowReport, FlowRequest, VolumeUnit};
use silkroute_api::{FlowMethod, Objective, Scenario, Shipment};
use silkroute_cost::Cargo;
use silkroute_import::Slowdown;
use silkroute_route::{Filter, metric};

use common::{Rng, World, dijkstra, od_set, path_to, scenario, tails, weigh};

fn capacities(xing_1_teu: f64) -> String {
    format!(
        r#"[[capacity]]
id = "xing-1"
kind = "border_crossing"
teu_per_year = {xing_1_teu}
basis = "test"
source = "test"
verified = false

[[capacity]]
id = "corr-w"
kind = "corridor"
teu_per_year = 1000
applies_to = ["xing-1", "xing-2"]
basis = "test"
source = "test"
verified = false
"#
    )
}

fn cut(target: impl FnOnce(&mut Slowdown), factor: f64) -> Slowdown {
    let mut d = Slowdown {
        capacity_factor: Some(factor),
        ..Slowdown::default()
    };
    target(&mut d);
    d
}

fn at_crossing(id: &str) -> impl FnOnce(&mut Slowdown) + '_ {
    move |d| d.border_crossing = Some(id.to_string())
}

fn flow(
    service: &silkroute_api::Service,
    w: &World,
    s: Option<Scenario>,
    pairs: &[(u32, u32)],
    volumes: &[f64],
) -> FlowReport {
    let mut od = od_set(service, w, pairs, 0.0);
    for (p, v) in od.pairs.iter_mut().zip(volumes) {
        p.value = *v;
    }
    service
        .flow(
            &FlowRequest {
                od,
                unit: VolumeUnit::Teu,
                scenario: s,
                method: FlowMethod::AllOrNothing,
                iterations: 0,
                gap: 0.0,
                modes: common::modes(),
                shipment: Shipment::default(),
            },
            &silkroute_api::NoProgress,
        )
        .unwrap()
}

/// Hand-computed cases: (the cuts, xing-1's factor, xing-2's factor, the
/// corridor's factor), with xing-1 at 400 TEU/year and the corridor at
/// 1000.
fn cases_400() -> Vec<(Vec<Slowdown>, f64, f64, f64)> {
    vec![
        // No cut.
        (vec![], 1.0, 1.0, 1.0),
        // xing-1 halved: 200 of the corridor's 1000 lost, 1 − 0.2.
        (vec![cut(at_crossing("xing-1"), 0.5)], 0.5, 1.0, 0.8),
        // xing-2 (no capacity of its own) at 0.3: the corridor's floor.
        (vec![cut(at_crossing("xing-2"), 0.3)], 1.0, 0.3, 0.3),
        // Both: min(0.8, 0.3).
        (
            vec![
                cut(at_crossing("xing-1"), 0.5),
                cut(at_crossing("xing-2"), 0.3),
            ],
            0.5,
            0.3,
            0.3,
        ),
        // Two halvings of xing-1 multiply to 0.25: 300 lost, 1 − 0.3.
        (
            vec![
                cut(at_crossing("xing-1"), 0.5),
                cut(at_crossing("xing-1"), 0.5),
            ],
            0.25,
            1.0,
            0.7,
        ),
        // A cut of country AA's borders reaches xing-1 (AA–BB), not
        // xing-2 (BB–CC): 400 × 0.4 = 160 lost, 1 − 0.16.
        (
            vec![cut(|d| d.country = Some("AA".into()), 0.6)],
            0.6,
            1.0,
            0.84,
        ),
        // A crossing cut and a country cut on the same arcs multiply to
        // 0.45: 400 × 0.55 = 220 lost, 1 − 0.22.
        (
            vec![
                cut(at_crossing("xing-1"), 0.5),
                cut(|d| d.country = Some("AA".into()), 0.9),
            ],
            0.45,
            1.0,
            0.78,
        ),
    ]
}

#[test]
fn corridor_factors_follow_the_rule_and_aon_loads_are_the_volume_over_shortest_paths() {
    let (mut loaded, mut checked) = (0usize, 0usize);
    for seed in 0..12u64 {
        let seed = 6100 + seed;
        eprintln!("seed {seed}");
        let w = common::world(seed, 64);
        assert_eq!(w.crossings.len(), 2, "seed {seed}: both crossings drawn");
        let service = common::service(&w, &capacities(400.0), "");
        let net = service.net();
        let tails = tails(net);
        let mut rng = Rng(seed ^ 0xf10);
        let ends = w.routable();
        let pairs: Vec<(u32, u32)> = (0..30)
            .map(|_| (*rng.pick(&ends), *rng.pick(&ends)))
            .filter(|(o, t)| o != t)
            .collect();
        let volumes: Vec<f64> = pairs.iter().map(|_| 10.0 + rng.below(490) as f64).collect();
        // The oracle: shortest time paths for one TEU.
        let one_teu = Shipment::default().with_cargo(Cargo::Teu(1.0));
        let weights = metric::weights(
            net,
            &one_teu.pricing(),
            Objective::Time,
            &Filter::new(common::modes()),
        );
        let arcs_of: Vec<(String, Vec<u32>)> = w
            .crossings
            .iter()
            .map(|(id, e)| (id.clone(), w.edge_arcs(net, *e)))
            .collect();
        let paths: Vec<Option<Vec<u32>>> = pairs
            .iter()
            .map(|&(o, t)| {
                let (dist, via) = dijkstra(net, &weights, o);
                dist[t as usize].map(|_| path_to(&tails, &via, t))
            })
            .collect();
        let uses = |path: &[u32], arcs: &[u32]| path.iter().filter(|a| arcs.contains(a)).count();
        let mut load = vec![0.0; arcs_of.len()];
        let (mut bottleneck, mut named, mut none, mut unassigned) = (0.0, 0.0, 0.0, 0.0);
        for (p, v) in paths.iter().zip(&volumes) {
            let Some(p) = p else {
                unassigned += v;
                continue;
            };
            let mut on_corridor = false;
            for (k, (_, arcs)) in arcs_of.iter().enumerate() {
                let n = uses(p, arcs);
                load[k] += v * n as f64;
                bottleneck += v * n as f64;
                on_corridor |= n > 0;
            }
            if on_corridor {
                named += v;
            } else {
                none += v;
            }
        }
        for (cuts, f1, f2, fc) in cases_400() {
            let what = format!("seed {seed} cuts {cuts:?}");
            let s = (!cuts.is_empty()).then(|| {
                let mut s = scenario("cut");
                s.slowdown = cuts.clone();
                s
            });
            let r = flow(&service, &w, s, &pairs, &volumes);
            let element = |id: &str| r.elements.iter().find(|e| e.id == id).unwrap();
            let (x1, x2) = (element("xing-1"), element("xing-2"));
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-9;
            assert!(
                close(x1.factor, f1) && close(x2.factor, f2),
                "{what}: factors {} {}",
                x1.factor,
                x2.factor
            );
            assert!(
                close(x1.capacity.unwrap(), 400.0 * f1),
                "{what}: xing-1 capacity {:?}",
                x1.capacity
            );
            assert_eq!(x2.capacity, None, "{what}: xing-2 has no capacity");
            let c = &r.corridor_capacities;
            assert_eq!(c.len(), 1, "{what}");
            assert!(
                close(c[0].factor, fc) && close(c[0].capacity, 1000.0 * fc),
                "{what}: corridor factor {} (hand: {fc})",
                c[0].factor
            );
            // All-or-nothing loads against the oracle's paths.
            for (pair, (got, want)) in pairs.iter().zip(r.result.paths.iter().zip(&paths)) {
                match (got.as_slice(), want) {
                    ([one], Some(p)) => {
                        assert_eq!(one.share, 1.0, "{what} {pair:?}");
                        assert_eq!(
                            weigh(&weights, &one.arcs),
                            weigh(&weights, p),
                            "{what} {pair:?}: a shortest path"
                        );
                    }
                    ([], None) => {}
                    (g, p) => panic!(
                        "{what} {pair:?}: {} paths, oracle {:?}",
                        g.len(),
                        p.is_some()
                    ),
                }
            }
            for (k, (id, _)) in arcs_of.iter().enumerate() {
                assert!(
                    close(element(id).load, load[k]),
                    "{what}: {id} load {} vs oracle {}",
                    element(id).load,
                    load[k]
                );
            }
            let corridor = r.corridors.iter().find(|c| c.id == "corr-w").unwrap();
            assert!(
                close(corridor.bottleneck_flow.unwrap(), bottleneck)
                    && close(r.result.flows[c[0].capacitated], bottleneck),
                "{what}: bottleneck flow {:?} vs oracle {bottleneck}",
                corridor.bottleneck_flow
            );
            assert!(
                close(corridor.load, named),
                "{what}: corr-w load {} vs {named}",
                corridor.load
            );
            let rest = r
                .corridors
                .iter()
                .find(|c| c.id == "(none)")
                .map_or(0.0, |c| c.load);
            assert!(close(rest, none), "{what}: (none) load {rest} vs {none}");
            assert!(close(r.unassigned, unassigned), "{what}: unassigned");
            checked += 1;
        }
        if bottleneck > 0.0 {
            loaded += 1;
        }
    }
    eprintln!("{checked} assignments checked; {loaded} seeds load a crossing");
    assert!(loaded >= 6, "only {loaded} seeds put volume on a crossing");
}

/// A part with more capacity than its corridor, cut hard: the corridor
/// keeps 1 % (`max(0.01)`), never zero or negative. xing-1 at 2000
/// TEU/year cut to 0.1 loses 1800 of the corridor's 1000.
#[test]
fn a_corridor_keeps_at_least_one_percent() {
    let seed = 6150;
    let w = common::world(seed, 64);
    let service = common::service(&w, &capacities(2000.0), "");
    let ends = w.routable();
    let mut s = scenario("hard-cut");
    s.slowdown = vec![cut(at_crossing("xing-1"), 0.1)];
    let r = flow(&service, &w, Some(s), &[(ends[0], ends[1])], &[100.0]);
    let c = &r.corridor_capacities[0];
    assert_eq!((c.factor, c.capacity), (0.01, 10.0), "seed {seed}");
    let x1 = r.elements.iter().find(|e| e.id == "xing-1").unwrap();
    assert_eq!(x1.capacity, Some(200.0), "seed {seed}");
}
