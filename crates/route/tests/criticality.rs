//! Oracle test for the criticality ranking: on random multimodal graphs
//! with fixed seeds, every element's loss (per pair, with the element
//! closed) equals a brute-force recomputation of every pair by Dijkstra,
//! through the hierarchy (partial and full re-customization) and through
//! the Dijkstra fallback; and every
//! pair the ranking leaves out (its baseline route avoids the element)
//! really keeps its value.

mod common;

use silkroute_cost::{Cargo, CostModel};
use silkroute_graph::Network;
use silkroute_model::{Mode, ModeSet, NoProgress, NodeId};
use silkroute_route::Filter;
use silkroute_route::Objective;
use silkroute_route::Pricing;
use silkroute_route::criticality::{self, Baseline, Element, Kind, Pair, Setting};
use silkroute_route::fast::{Scope, build_scope};
use silkroute_route::metric;
use silkroute_route::search;
use silkroute_route::snap::Candidate;

use common::{Rng, random_network};

fn candidates(rng: &mut Rng, n: usize) -> Vec<(Candidate, u64)> {
    (0..1 + rng.below(2))
        .map(|_| {
            (
                Candidate {
                    node: NodeId(rng.below(n as u64) as u32),
                    distance_m: 0.0,
                },
                rng.below(5_000),
            )
        })
        .collect()
}

fn value(net: &Network, w: &[u32], o: &[(Candidate, u64)], t: &[(Candidate, u64)]) -> Option<u64> {
    search::shortest(net, w, o, t, None).map(|f| criticality::with_access(&f, o, t))
}

#[test]
fn losses_equal_brute_force_recomputation() {
    let model = CostModel::defaults();
    let pricing = Pricing {
        model: &model,
        cargo: Cargo::Feu(1.0),
    };
    let mut checked = 0;
    for seed in 0..12u64 {
        let n = 48;
        let net = random_network(seed, n, 2);
        let filter = Filter::new(ModeSet::of(&[Mode::Rail, Mode::Road, Mode::Sea]));
        let objective = [Objective::Time, Objective::Cost, Objective::Distance][seed as usize % 3];
        let w = metric::weights(&net, &pricing, objective, &filter);
        let mut rng = Rng(seed * 977 + 13);
        let origins: Vec<_> = (0..6).map(|_| candidates(&mut rng, n)).collect();
        let destinations: Vec<_> = (0..6).map(|_| candidates(&mut rng, n)).collect();
        let pairs: Vec<Pair> = (0..36)
            .map(|i| Pair {
                origin: i / 6,
                destination: i % 6,
                weight: 1.0 + rng.below(10) as f64,
            })
            .collect();
        let mut baseline = Baseline::default();
        for p in &pairs {
            let (o, t) = (&origins[p.origin], &destinations[p.destination]);
            let f = search::shortest(&net, &w, o, t, None);
            baseline
                .value
                .push(f.as_ref().map(|f| criticality::with_access(f, o, t)));
            baseline.arcs.push(f.map(|f| f.arcs).unwrap_or_default());
        }
        // Elements: the passage, every node, every edge used by a route, and
        // the segments of the routes.
        let mut elements = criticality::passage_elements(&net);
        for v in 0..n as u32 {
            elements.push(Element {
                kind: Kind::Port,
                id: format!("port:{v}"),
                name: String::new(),
                arcs: criticality::node_arcs(&net, v),
                nodes: vec![v],
            });
        }
        for a in baseline.used_arcs() {
            let tail = search::tail_of(net.first_out(), a);
            let head = net.arc_head()[a as usize];
            let mut arcs: Vec<u32> = criticality::node_arcs(&net, tail)
                .into_iter()
                .filter(|b| {
                    let (t2, h2) = (
                        search::tail_of(net.first_out(), *b),
                        net.arc_head()[*b as usize],
                    );
                    (t2, h2) == (tail, head) || (t2, h2) == (head, tail)
                })
                .collect();
            arcs.sort_unstable();
            elements.push(Element {
                kind: Kind::Link,
                id: format!("link:{a}"),
                name: String::new(),
                arcs,
                nodes: Vec::new(),
            });
        }
        elements.extend(criticality::segment_elements(&net, &baseline));
        let affected = criticality::affected_pairs(&net, &baseline, &elements);
        let hierarchy = build_scope(&net, Scope::All);
        let metric = hierarchy.customize(&w);
        // Partial re-customization, full re-customization, Dijkstra.
        for (with_hierarchy, with_metric) in [(true, true), (true, false), (false, false)] {
            let setting = Setting {
                net: &net,
                weights: &w,
                hierarchy: with_hierarchy.then(|| (hierarchy.view(), None)),
                metric: with_metric.then_some(&metric),
                origins: &origins,
                destinations: &destinations,
                pairs: &pairs,
            };
            let losses = criticality::losses(&setting, &elements, &affected, &NoProgress).unwrap();
            for (e, el) in elements.iter().enumerate() {
                let mut closed = w.clone();
                for a in &el.arcs {
                    closed[*a as usize] = u32::MAX;
                }
                for (p, pair) in pairs.iter().enumerate() {
                    let (o, t) = (&origins[pair.origin], &destinations[pair.destination]);
                    let brute = value(&net, &closed, o, t);
                    match losses[e].pairs.binary_search(&(p as u32)) {
                        Ok(i) => assert_eq!(
                            losses[e].after[i], brute,
                            "seed {seed}, element {}, pair {p}",
                            el.id
                        ),
                        Err(_) => assert_eq!(
                            baseline.value[p], brute,
                            "seed {seed}, element {} left out pair {p} that it changes",
                            el.id
                        ),
                    }
                    checked += 1;
                }
            }
            // The ranking's totals are the sums of the per-pair losses.
            let ranked = criticality::rank(&elements, &baseline, &pairs, &losses);
            for r in &ranked {
                let l = &losses[r.element];
                let extra: u64 = l
                    .pairs
                    .iter()
                    .zip(&l.after)
                    .filter_map(|(p, a)| Some(a.as_ref()? - baseline.value[*p as usize]?))
                    .sum();
                assert_eq!(r.extra, extra);
                assert_eq!(r.cut_pairs, l.after.iter().filter(|a| a.is_none()).count());
            }
        }
    }
    assert!(checked > 10_000, "only {checked} checks");
}
