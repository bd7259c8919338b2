//! Scenario penalties and caller-given weights on the hierarchy engine,
//! against plain Dijkstra on random multimodal graphs with fixed seeds:
//! - `metric::weights` with penalties is the plain weights plus exactly the
//!   penalties (closed arcs closed, delays and costs added, nothing else);
//! - the engine's matrices under two different penalty sets each match
//!   Dijkstra (so cached metrics never leak from one scenario to another);
//! - the engine's all-criteria matrices carry the scenario's delays and
//!   charges (`common::check_all_criteria`);
//! - `Engine::paths_with_weights` (used by flow assignment) matches
//!   Dijkstra on arbitrary weights;
//! - Pareto routes under penalties are explained with the penalties the
//!   search priced them with.

mod common;

use std::sync::Arc;

use silkroute_cost::{Cargo, CostModel};
use silkroute_graph::Network;
use silkroute_model::{Mode, ModeSet, NodeId};
use silkroute_route::Filter;
use silkroute_route::Objective;
use silkroute_route::Pricing;
use silkroute_route::metric;
use silkroute_route::penalties::Penalties;
use silkroute_route::search;
use silkroute_route::snap::{self, Candidate};

use common::{Rng, at, random_network, with_hierarchies};

/// A random network (see `common::random_network`) with its hierarchies,
/// as `silkroute build` compiles it.
fn network(seed: u64, n: usize) -> Network {
    with_hierarchies(random_network(seed, n, 3))
}

fn random_penalties(net: &Network, rng: &mut Rng) -> Penalties {
    let m = net.arc_count() as u64;
    let mut p = Penalties::default();
    let closed: Vec<u32> = (0..3).map(|_| rng.below(m) as u32).collect();
    p.close(&closed);
    let slowed: Vec<(u32, f64)> = (0..8).map(|_| (rng.below(m) as u32, 1.0)).collect();
    p.slow(
        &slowed,
        1.0 + rng.below(72) as f64,
        rng.below(500) as f64,
        50.0,
        "test".into(),
    );
    p
}

#[test]
fn weights_are_the_plain_weights_plus_the_penalties() {
    let model = CostModel::defaults();
    let pricing = Pricing {
        model: &model,
        cargo: Cargo::Feu(2.0),
    };
    for seed in 0..10u64 {
        let net = network(seed + 900, 40);
        let mut rng = Rng(seed);
        let p = random_penalties(&net, &mut rng);
        for objective in Objective::ALL {
            let plain = Filter::new(ModeSet::travel());
            let mut with = plain.clone();
            with.penalties = Some(Arc::new(p.clone()));
            let (a, b) = (
                metric::weights(&net, &pricing, objective, &plain),
                metric::weights(&net, &pricing, objective, &with),
            );
            for arc in 0..net.arc_count() {
                let closed = p.closed_arcs.contains(&(arc as u32));
                if closed || a[arc] == u32::MAX {
                    assert_eq!(b[arc], u32::MAX, "seed {seed} arc {arc}");
                    continue;
                }
                let extra: f64 = p
                    .slow
                    .iter()
                    .filter(|x| x.arc == arc as u32)
                    .map(|x| match objective {
                        Objective::Time => (x.delay_h * 3600.0).round(),
                        // Cents per FEU-equivalent of the 2 FEU: the
                        // flat fee is shared by both containers.
                        Objective::Cost => {
                            ((x.cost_usd + 2.0 * x.cost_usd_per_feu) * 100.0 / 2.0).round()
                        }
                        _ => 0.0,
                    })
                    .sum();
                assert_eq!(
                    b[arc] as f64,
                    a[arc] as f64 + extra,
                    "seed {seed} {objective:?} arc {arc}"
                );
            }
        }
    }
}

fn candidates(
    net: &Network,
    filter: &Filter,
    pricing: &Pricing,
    objective: Objective,
    v: u32,
) -> Vec<(Candidate, u64)> {
    snap::candidates(net, net.pos(NodeId(v)), filter)
        .into_iter()
        .map(|c| {
            let a = metric::access_cost(pricing, objective, c.distance_m);
            (c, a)
        })
        .collect()
}

fn dijkstra_with_access(
    net: &Network,
    w: &[u32],
    o: &[(Candidate, u64)],
    d: &[(Candidate, u64)],
) -> Option<u64> {
    search::shortest(net, w, o, d, None).map(|f| {
        let oa = o.iter().find(|c| c.0.node == f.origin.node).unwrap().1;
        let da = d.iter().find(|c| c.0.node == f.target.node).unwrap().1;
        f.weight + oa + da
    })
}

#[test]
fn engine_matrices_under_two_scenarios_match_dijkstra() {
    let model = CostModel::defaults();
    let pricing = Pricing {
        model: &model,
        cargo: Cargo::Feu(1.0),
    };
    for seed in 0..12u64 {
        let net = std::sync::Arc::new(network(seed + 1300, 48));
        let engine = silkroute_route::fast::Engine::new(net.clone(), Default::default());
        assert!(engine.has_hierarchy());
        let mut rng = Rng(seed + 7);
        let modes = ModeSet::of(&[Mode::Rail, Mode::Road, Mode::Sea]);
        for objective in [Objective::Time, Objective::Cost] {
            // Same modes and closures, different penalties: two metrics.
            for _ in 0..2 {
                let mut filter = Filter::new(modes);
                filter.penalties = Some(Arc::new(random_penalties(&net, &mut rng)));
                let w = metric::weights(&net, &pricing, objective, &filter);
                let points: Vec<u32> = (0..6).map(|i| ((seed * 11 + i * 7) % 48) as u32).collect();
                let sets: Vec<_> = points
                    .iter()
                    .map(|p| candidates(&net, &filter, &pricing, objective, *p))
                    .collect();
                let got = engine.matrix_weights(objective, &filter, &pricing, &sets, &sets);
                for (i, o) in sets.iter().enumerate() {
                    for (j, d) in sets.iter().enumerate() {
                        assert_eq!(
                            got[i * sets.len() + j],
                            dijkstra_with_access(&net, &w, o, d),
                            "seed {seed} {objective:?} pair {i},{j}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn all_criteria_matrices_under_scenarios_include_the_charges() {
    // A scenario's delays and charges are in the time and cost weights, so
    // the companion sums carry them as `charge_path` adds them to a priced
    // path; closed arcs are never summed.
    let model = CostModel::defaults();
    let pricing = Pricing {
        model: &model,
        cargo: Cargo::Feu(2.0),
    };
    let mut checked = common::Checked::default();
    for seed in 0..10u64 {
        let net = Arc::new(network(seed + 1500, 48));
        let engine = silkroute_route::fast::Engine::new(net.clone(), Default::default());
        let mut rng = Rng(seed + 3);
        let modes = ModeSet::of(&[Mode::Rail, Mode::Road, Mode::Sea]);
        for objective in Objective::ALL {
            let mut filter = Filter::new(modes);
            filter.penalties = Some(Arc::new(random_penalties(&net, &mut rng)));
            let points: Vec<u32> = (0..6).map(|i| ((seed * 7 + i * 13) % 48) as u32).collect();
            let sets: Vec<_> = points
                .iter()
                .map(|p| candidates(&net, &filter, &pricing, objective, *p))
                .collect();
            common::check_all_criteria(
                &format!("seed {seed} {objective:?}"),
                &engine,
                (objective, &filter, &pricing),
                &sets[..4],
                &sets,
                &mut checked,
            );
        }
    }
    assert!(checked.unique > 500, "{checked:?}");
}

#[test]
fn paths_with_caller_weights_match_dijkstra() {
    let model = CostModel::defaults();
    let pricing = Pricing {
        model: &model,
        cargo: Cargo::Feu(1.0),
    };
    for seed in 0..12u64 {
        let net = std::sync::Arc::new(network(seed + 1700, 48));
        let engine = silkroute_route::fast::Engine::new(net.clone(), Default::default());
        let mut rng = Rng(seed);
        for modes in [
            ModeSet::of(&[Mode::Rail, Mode::Road, Mode::Sea]),
            ModeSet::of(&[Mode::Rail]),
        ] {
            let filter = Filter::new(modes);
            // Congested-looking weights: the plain ones with random arcs raised.
            let mut w = metric::weights(&net, &pricing, Objective::Time, &filter);
            for _ in 0..20 {
                let a = rng.below(w.len() as u64) as usize;
                if w[a] != u32::MAX {
                    w[a] += rng.below(100_000) as u32;
                }
            }
            let pairs: Vec<_> = (0..8u64)
                .map(|i| {
                    let (a, b) = (
                        ((seed + i * 5) % 48) as u32,
                        ((seed * 3 + i * 11 + 1) % 48) as u32,
                    );
                    (
                        candidates(&net, &filter, &pricing, Objective::Time, a),
                        candidates(&net, &filter, &pricing, Objective::Time, b),
                    )
                })
                .collect();
            let got = engine.paths_with_weights(modes, &w, &pairs);
            for ((o, d), g) in pairs.iter().zip(&got) {
                let want = search::shortest(&net, &w, o, d, None);
                assert_eq!(
                    g.as_ref().map(|f| f.weight
                        + o.iter().find(|c| c.0.node == f.origin.node).unwrap().1
                        + d.iter().find(|c| c.0.node == f.target.node).unwrap().1),
                    dijkstra_with_access(&net, &w, o, d),
                    "seed {seed} {modes}"
                );
                // The path's arcs add up to its weight.
                if let Some(f) = g {
                    let sum: u64 = f.arcs.iter().map(|a| w[*a as usize] as u64).sum();
                    assert_eq!(sum, f.weight);
                }
                assert_eq!(g.is_some(), want.is_some());
            }
        }
    }
}

/// Under a scenario's penalties every route of a Pareto set reports the
/// time and cost the search weighed its arcs at: their penalized weights
/// (each rounded to a second and a cent; the access to the network is a
/// note, not part of the totals).
#[test]
fn pareto_routes_carry_the_penalties_they_were_found_with() {
    let model = CostModel::defaults();
    let pricing = Pricing {
        model: &model,
        cargo: Cargo::Feu(1.0),
    };
    let g = silkroute_route::places::Gazetteer::new(Vec::new());
    let mut checked = 0;
    for seed in 0..10u64 {
        let net = network(seed + 950, 30);
        let mut rng = Rng(seed + 7);
        let mut filter = Filter::new(ModeSet::of(&[Mode::Rail, Mode::Road, Mode::Sea]));
        filter.penalties = Some(Arc::new(random_penalties(&net, &mut rng)));
        let w: Vec<Vec<u32>> = [Objective::Time, Objective::Cost]
            .iter()
            .map(|o| metric::weights(&net, &pricing, *o, &filter))
            .collect();
        let (o, t) = ((seed % 30) as u32, ((seed * 11 + 5) % 30) as u32);
        let req = silkroute_route::Request {
            from: at(&net, o),
            to: at(&net, t),
            via_places: Vec::new(),
            via_passage: None,
            filter: filter.clone(),
            objective: Objective::Time,
            pricing: Pricing {
                model: &model,
                cargo: Cargo::Feu(1.0),
            },
            constraints: String::new(),
        };
        let Ok((routes, _)) = silkroute_route::pareto::pareto(&net, &g, &req, 0.05) else {
            continue;
        };
        for r in &routes {
            let sum = |k: usize| -> f64 { r.arcs.iter().map(|a| w[k][*a as usize] as f64).sum() };
            let slack = r.arcs.len() as f64 + 2.0;
            let (time_s, cost_c) = (sum(0), sum(1));
            // The network's part: the totals less the drayage legs, which
            // no arc carries.
            let (mut time_h, mut cost_usd) = (r.total.time_h, r.total.cost_usd);
            for l in r.legs.iter().filter(|l| l.drayage) {
                time_h -= l.impact.time_h;
                cost_usd -= l.impact.cost_usd;
            }
            assert!(
                (time_h * 3600.0 - time_s).abs() <= slack,
                "seed {seed}: explained {} s, weighed {time_s} s",
                time_h * 3600.0
            );
            assert!(
                (cost_usd * 100.0 - cost_c).abs() <= slack,
                "seed {seed}: explained {} cents, weighed {cost_c}",
                cost_usd * 100.0
            );
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} routes checked");
}

/// Metrics are cached by what they depend on, never by where the cost
/// model lives: a second model written over the first at the same address
/// gets its own metric (the cache once answered 316 h where Dijkstra gave
/// 191 h). A server that parses one model per request depends on it.
#[test]
fn a_cost_model_at_the_same_address_with_other_numbers_gets_its_own_metric() {
    let net = Arc::new(network(2100, 48));
    let engine = silkroute_route::fast::Engine::new(net.clone(), Default::default());
    let filter = Filter::new(ModeSet::of(&[Mode::Rail, Mode::Road, Mode::Sea]));
    let mut slot = Box::new(CostModel::defaults());
    let slow =
        CostModel::from_overrides("[mode.rail]\nspeed_kmh = 3\n[mode.road]\nspeed_kmh = 200\n")
            .unwrap();
    let mut differed = 0;
    for (o, t) in [(0u32, 40u32), (3, 45), (7, 30), (12, 47)] {
        let ends = |v: u32, pricing: &Pricing| -> Vec<(Candidate, u64)> {
            snap::priced_candidates(
                &net,
                net.kd_tree(),
                at(&net, v).pos,
                &filter,
                pricing,
                Objective::Time,
            )
        };
        *slot = CostModel::defaults();
        let first = {
            let pricing = Pricing {
                model: &slot,
                cargo: Cargo::Feu(1.0),
            };
            engine
                .path(
                    Objective::Time,
                    &filter,
                    &pricing,
                    &ends(o, &pricing),
                    &ends(t, &pricing),
                )
                .map(|f| f.weight)
        };
        *slot = slow.clone();
        let pricing = Pricing {
            model: &slot,
            cargo: Cargo::Feu(1.0),
        };
        let (os, ts) = (ends(o, &pricing), ends(t, &pricing));
        let got = engine
            .path(Objective::Time, &filter, &pricing, &os, &ts)
            .map(|f| f.weight);
        let w = metric::weights(&net, &pricing, Objective::Time, &filter);
        let want = search::shortest(&net, &w, &os, &ts, None).map(|f| f.weight);
        assert_eq!(got, want, "{o} → {t}");
        if first != got {
            differed += 1;
        }
    }
    assert!(differed > 0, "the two models should give other answers");
}

/// A scenario's metric derived from the baseline's by partial
/// re-customization is exactly the one full customization computes, for
/// closed nodes, closed passages and penalties together (same distances,
/// same unpacking: the arrays are compared).
#[test]
fn a_raised_scenario_metric_equals_full_customization() {
    let model = CostModel::defaults();
    let pricing = Pricing {
        model: &model,
        cargo: Cargo::Feu(1.0),
    };
    for seed in 0..12u64 {
        let net = Arc::new(network(seed + 2300, 48));
        let raised = silkroute_route::fast::Engine::new(net.clone(), Default::default());
        let full = silkroute_route::fast::Engine::new(
            net.clone(),
            silkroute_route::fast::EngineOptions {
                raise_scenarios: false,
                ..Default::default()
            },
        );
        let mut rng = Rng(seed + 11);
        for modes in [
            ModeSet::of(&[Mode::Rail, Mode::Road, Mode::Sea]),
            ModeSet::of(&[Mode::Rail]),
        ] {
            for objective in [Objective::Time, Objective::Cost, Objective::Distance] {
                let mut filter = Filter::new(modes);
                if rng.below(2) == 0 {
                    filter.close(silkroute_model::Passage::Suez);
                }
                let v = rng.below(48) as u32;
                filter.close_nodes(&net, |n| n.0 == v);
                filter.penalties = Some(Arc::new(random_penalties(&net, &mut rng)));
                // The baseline first, as a session has it.
                raised.prepare(objective, &Filter::new(modes), &pricing);
                let a = raised.prepare(objective, &filter, &pricing);
                let b = full.prepare(objective, &filter, &pricing);
                assert_eq!(a.weights, b.weights, "seed {seed} {objective:?}");
                assert_eq!(a.metric, b.metric, "seed {seed} {objective:?} {modes}");
            }
        }
    }
}
