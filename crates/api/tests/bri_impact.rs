//! The Belt and Road before/after (`Service::bri_impact`) against brute
//! force on random worlds (`common::world`, seeds 7100–7109, printed in
//! every failure). Each world gets three projects in its catalogue:
//!
//! - `p-express`: a curated link (provenance record `link:express`) of
//!   fast rail edges, one from an AA node to a CC node and one to an
//!   "island" node that nothing else reaches;
//! - `p-port`: a generic UN/LOCODE port (every arc into or out of the
//!   seaport named "… (CODE)") and a record the network lacks (a note);
//! - `p-crossing`: the curated crossing `xing-1` (record
//!   `crossing:xing-1`).
//!
//! The oracle routes every international pair of a dozen cities by plain
//! Dijkstra (`common`) over `metric::weights`, with and without the arcs
//! of each project and of all of them, and computes what the module header
//! says: a pair's change (with − without) / without in percent, `None`
//! when only the projects connect it; per country the mean over the routed
//! pairs it is part of (pairs connected only by the projects left out of
//! the mean and counted apart), the number improved and the largest
//! change; the world mean; per project alone the pairs it speeds up, their
//! mean and the pairs only it connects.

mod common;

use std::collections::BTreeMap;

use silkroute_api::bri_impact::BriImpactRequest;
use silkroute_api::{Objective, OdPlace, Shipment};
use silkroute_graph::{Network, RawEdge, RawNode};
use silkroute_model::{Mode, Place, PlaceKind, haversine_m};
use silkroute_route::curated::Record;
use silkroute_route::{Filter, metric};

use common::{Rng, World, city, dijkstra, tails};

const PROJECTS: &str = r#"[[project]]
id = "p-express"
name = "Express railway"
records = ["link:express"]
opened = "2020"
bri_basis = "test"
bri_basis_verified = false

[[project]]
id = "p-port"
name = "A port"
records = ["link:missing"]
locodes = ["PORTCODE"]
opened = "2020"
bri_basis = "test"
bri_basis_verified = false

[[project]]
id = "p-crossing"
name = "Crossing 1"
records = ["crossing:xing-1"]
opened = "2020"
bri_basis = "test"
bri_basis_verified = false
"#;

/// Adds the express link, the island it reaches and their provenance
/// records; returns the island node.
fn add_projects(w: &mut World, rng: &mut Rng) -> u32 {
    // A rail junction of the country (any junction of it if none is rail).
    let rail_in = |w: &World, cc: &str| -> Vec<u32> {
        let of: Vec<u32> = w
            .land_junctions()
            .into_iter()
            .filter(|v| w.country(*v) == cc)
            .collect();
        let rail: Vec<u32> = of
            .iter()
            .copied()
            .filter(|v| w.mode[*v as usize] == Mode::Rail)
            .collect();
        if rail.is_empty() { of } else { rail }
    };
    let (a, b) = (*rng.pick(&rail_in(w, "AA")), *rng.pick(&rail_in(w, "CC")));
    let island = w.raw.add_node(RawNode {
        country: Some(*b"CC"),
        ..RawNode::junction(41.5, 69.5)
    });
    w.mode.push(Mode::Rail);
    w.raw.places.push(Place {
        kind: PlaceKind::City,
        code: String::new(),
        name: city(island),
        names_zh: Vec::new(),
        country: "CC".into(),
        pos: w.pos(island),
        population: 100_000,
    });
    let fast = |w: &World, x: u32, y: u32| (haversine_m(w.pos(x), w.pos(y)) * 0.3) as u32;
    let (ab, b_island) = (fast(w, a, b), fast(w, b, island));
    w.raw.edges.push(RawEdge::new(a, b, ab, Mode::Rail));
    w.raw
        .edges
        .push(RawEdge::new(b, island, b_island, Mode::Rail));
    w.records.push(Record {
        kind: "link".into(),
        id: "express".into(),
        name: "Express railway".into(),
        nodes: Vec::new(),
        edges: vec![(a, b), (b, island)],
    });
    let (_, e) = &w.crossings[0];
    let e = &w.raw.edges[*e];
    w.records.push(Record {
        kind: "crossing".into(),
        id: "xing-1".into(),
        name: "Crossing 1".into(),
        nodes: Vec::new(),
        edges: vec![(e.from, e.to)],
    });
    island
}

/// The oracle's arcs of each project: both directions of a record's
/// edges (every parallel arc), every arc at the named seaport.
fn project_arcs(w: &World, net: &Network, port: u32) -> Vec<Vec<u32>> {
    let tails = tails(net);
    let head = net.arc_head();
    let between = |x: u32, y: u32| -> Vec<u32> {
        (0..net.arc_count() as u32)
            .filter(|a| {
                let (t, h) = (tails[*a as usize], head[*a as usize]);
                (t, h) == (x, y) || (t, h) == (y, x)
            })
            .collect()
    };
    let record = |id: &str| -> Vec<u32> {
        let r = w.records.iter().find(|r| r.id == id).unwrap();
        let mut arcs: Vec<u32> = r.edges.iter().flat_map(|(x, y)| between(*x, *y)).collect();
        arcs.sort_unstable();
        arcs
    };
    let at_port: Vec<u32> = (0..net.arc_count() as u32)
        .filter(|a| tails[*a as usize] == port || head[*a as usize] == port)
        .collect();
    vec![record("express"), at_port, record("xing-1")]
}

/// A pair's change in percent.
fn change(with: u64, without: u64) -> f64 {
    (with as f64 - without as f64) / without as f64 * 100.0
}

#[test]
fn bri_impact_is_the_brute_force_before_and_after() {
    let (mut connected_only, mut improved, mut cut_by_one) = (0, 0, 0);
    // Per project: pairs it alone speeds up, over all seeds.
    let mut by_project = [0usize; 3];
    for seed in 0..10u64 {
        let seed = 7100 + seed;
        eprintln!("seed {seed}");
        let mut w = common::world(seed, 64);
        let mut rng = Rng(seed ^ 0xb41);
        let island = add_projects(&mut w, &mut rng);
        let (code, port) = w.ports[1].clone();
        let service = common::service(&w, "", &PROJECTS.replace("PORTCODE", &code));
        let net = service.net();
        // A dozen cities over the three countries, and the island.
        let mut cities: Vec<u32> = Vec::new();
        let land = w.land_junctions();
        while cities.len() < 12 {
            let v = *rng.pick(&land);
            if !cities.contains(&v) && v != island {
                cities.push(v);
            }
        }
        cities.push(island);
        let places: Vec<OdPlace> = cities
            .iter()
            .map(|v| common::od_place(&service, *v))
            .collect();
        let shipment = Shipment::default();
        let r = service
            .bri_impact(
                &BriImpactRequest {
                    places: Some(places.clone()),
                    projects: None,
                    modes: common::modes(),
                    objective: Objective::Time,
                    shipment: shipment.clone(),
                    // The oracle below takes plain means.
                    unit_weights: true,
                },
                &silkroute_api::NoProgress,
            )
            .unwrap();
        // The oracle.
        let weights = metric::weights(
            net,
            &shipment.pricing(),
            Objective::Time,
            &Filter::new(common::modes()),
        );
        let per_project = project_arcs(&w, net, port);
        let mut all: Vec<u32> = per_project.iter().flatten().copied().collect();
        all.sort_unstable();
        all.dedup();
        let closed = |arcs: &[u32]| {
            let mut x = weights.clone();
            for a in arcs {
                x[*a as usize] = u32::MAX;
            }
            x
        };
        let variants: Vec<Vec<u32>> = std::iter::once(weights.clone())
            .chain(std::iter::once(closed(&all)))
            .chain(per_project.iter().map(|a| closed(a)))
            .collect();
        // values[k][i][j]: city i to city j on variant k.
        let values: Vec<Vec<Vec<Option<u64>>>> = variants
            .iter()
            .map(|x| {
                cities
                    .iter()
                    .map(|o| {
                        let d = dijkstra(net, x, *o).0;
                        cities.iter().map(|t| d[*t as usize]).collect()
                    })
                    .collect()
            })
            .collect();
        let country: Vec<String> = cities.iter().map(|v| w.country(*v)).collect();
        let mut pairs: Vec<(usize, usize)> = Vec::new();
        for i in 0..cities.len() {
            for j in 0..cities.len() {
                if i != j && country[i] != country[j] {
                    pairs.push((i, j));
                }
            }
        }
        let what = format!("seed {seed}");
        assert_eq!(r.od.pairs.len(), pairs.len(), "{what}: international pairs");
        for (p, &(i, j)) in r.od.pairs.iter().zip(&pairs) {
            assert_eq!((p.from, p.to), (i, j), "{what}: pair order");
        }
        let with: Vec<Option<u64>> = pairs.iter().map(|&(i, j)| values[0][i][j]).collect();
        let without: Vec<Option<u64>> = pairs.iter().map(|&(i, j)| values[1][i][j]).collect();
        assert_eq!(r.with, with, "{what}: with the projects");
        assert_eq!(r.without, without, "{what}: without them");
        let pair_change: Vec<Option<f64>> = with
            .iter()
            .zip(&without)
            .map(|(w, wo)| match (w, wo) {
                (Some(w), Some(wo)) => Some(change(*w, *wo)),
                _ => None,
            })
            .collect();
        for (p, (got, want)) in r.change.iter().zip(&pair_change).enumerate() {
            if with[p].is_some() {
                assert_eq!(got, want, "{what}: pair {p} change");
            }
        }
        assert_eq!(
            r.improved(),
            pair_change
                .iter()
                .filter(|c| c.is_some_and(|c| c < 0.0))
                .count(),
            "{what}: improved"
        );
        let only: usize = (0..pairs.len())
            .filter(|p| with[*p].is_some() && without[*p].is_none())
            .count();
        assert_eq!(r.connected_only(), only, "{what}: connected only");
        connected_only += only;
        improved += r.improved();
        for p in 0..pairs.len() {
            if with[p] != without[p] {
                assert!(r.changed_pairs.contains(&p), "{what}: pair {p} changed");
            }
        }
        // Per country: the mean over the routed pairs it is part of.
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * (1.0 + b.abs());
        let mut by_country: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (p, &(i, j)) in pairs.iter().enumerate() {
            if with[p].is_some() {
                by_country.entry(&country[i]).or_default().push(p);
                by_country.entry(&country[j]).or_default().push(p);
            }
        }
        assert_eq!(
            r.countries
                .iter()
                .map(|c| c.country.as_str())
                .collect::<std::collections::BTreeSet<_>>(),
            by_country.keys().copied().collect(),
            "{what}: countries"
        );
        for c in &r.countries {
            let ps = &by_country[c.country.as_str()];
            let finite: Vec<(usize, f64)> = ps
                .iter()
                .filter_map(|p| pair_change[*p].map(|x| (*p, x)))
                .collect();
            let mean = if finite.is_empty() {
                0.0
            } else {
                finite.iter().map(|x| x.1).sum::<f64>() / finite.len() as f64
            };
            let largest =
                finite
                    .iter()
                    .filter(|x| x.1 < 0.0)
                    .fold(None, |best: Option<(f64, usize)>, x| match best {
                        Some(b) if b.0 <= x.1 => Some(b),
                        _ => Some((x.1, x.0)),
                    });
            let what = format!("{what} country {}", c.country);
            assert_eq!(
                c.cities,
                country.iter().filter(|x| **x == c.country).count(),
                "{what}"
            );
            assert_eq!(c.pairs, ps.len(), "{what}: pairs");
            assert_eq!(
                c.improved,
                finite.iter().filter(|x| x.1 < 0.0).count(),
                "{what}: improved"
            );
            assert_eq!(
                c.connected,
                ps.len() - finite.len(),
                "{what}: connected only"
            );
            assert!(close(c.mean, mean), "{what}: mean {} vs {mean}", c.mean);
            assert_eq!(
                c.largest.map(|l| l.1),
                largest.map(|l| l.1),
                "{what}: largest"
            );
        }
        for pair in r.countries.windows(2) {
            assert!(
                pair[0].mean < pair[1].mean
                    || (pair[0].mean == pair[1].mean && pair[0].connected >= pair[1].connected),
                "{what}: countries most improved first"
            );
        }
        let routed: Vec<f64> = pair_change.iter().flatten().copied().collect();
        let world = routed.iter().sum::<f64>() / routed.len().max(1) as f64;
        assert!(
            close(r.world_mean, world),
            "{what}: world mean {} vs {world}",
            r.world_mean
        );
        // Per project alone.
        for (k, row) in r.project_rows.iter().enumerate() {
            let what = format!("{what} project {}", row.id);
            let alone: Vec<(usize, f64)> = pairs
                .iter()
                .enumerate()
                .filter_map(|(p, &(i, j))| {
                    let (w, wo) = (values[0][i][j]?, values[2 + k][i][j]?);
                    Some((p, change(w, wo)))
                })
                .filter(|x| x.1 < 0.0)
                .collect();
            let cut = pairs
                .iter()
                .filter(|&&(i, j)| values[0][i][j].is_some() && values[2 + k][i][j].is_none())
                .count();
            let mean = alone.iter().map(|x| x.1).sum::<f64>() / alone.len().max(1) as f64;
            assert_eq!(row.improved, alone.len(), "{what}: improved");
            assert!(close(row.mean, mean), "{what}: mean {} vs {mean}", row.mean);
            assert_eq!(row.connected, cut, "{what}: connected only by it");
            cut_by_one += cut;
            by_project[k] += alone.len();
        }
        assert_eq!(
            r.project_rows
                .iter()
                .map(|p| p.id.as_str())
                .collect::<Vec<_>>(),
            ["p-express", "p-port", "p-crossing"]
        );
        assert!(
            r.notes
                .iter()
                .any(|n| n.contains("p-port") && n.contains("link:missing")),
            "{what}: a note names the missing record: {:?}",
            r.notes
        );
    }
    eprintln!(
        "{improved} pairs improved, {connected_only} connected only by the projects, {cut_by_one} cut by one project alone; improved by each alone: {by_project:?}"
    );
    assert!(improved > 50 && connected_only > 50 && cut_by_one > 50);
    assert!(by_project.iter().all(|n| *n > 0), "{by_project:?}");
}
