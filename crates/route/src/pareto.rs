//! The Pareto set over time × cost × CO2e: routes that no other route beats
//! on all three at once.
//!
//! Multi-criteria label-setting (Martins' algorithm, processed in order of
//! a lower bound on the total, as in NAMOA*): each node keeps its exactly
//! non-dominated labels (time, cost, CO2e so far); per-criterion lower bounds
//! to the destination are exact single-criterion distances (one backward
//! search per criterion). Criteria are the integer weights of [`metric`]
//! (seconds, US cents, grams).
//!
//! The exact set over such fine units holds thousands of routes that differ
//! by a few minutes or dollars (a measured 2,000+ for Chongqing → Duisburg,
//! in 75 s). So a label, or a new route, is dropped when a route already
//! found is within a factor (1 + ε) of its lower bound on every criterion:
//! the result is an approximate Pareto set: no returned route dominates
//! another, and every truly non-dominated route is matched closely on all
//! three criteria by a returned one. Against complete routes the factor is
//! (1 + ε); at nodes a new label is also dropped when a kept label's bound
//! is within (1 + ε/2) of its own, which is what keeps the label count
//! small, and whose errors can add up along a path (the oracle test
//! measures the worst cover on random graphs). ε = 0 gives the exact set.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use silkroute_graph::Network;

use crate::metric::{self, Objective};
use crate::places::Gazetteer;
use crate::search::Found;
use crate::snap::{self, Candidate};
use crate::{Request, Route, RouteError, explain};

/// Labels created before the search gives up and reports a truncated set.
pub const MAX_LABELS: usize = 5_000_000;

type Vec3 = [u64; 3];

fn dominates(a: &Vec3, b: &Vec3) -> bool {
    a[0] <= b[0] && a[1] <= b[1] && a[2] <= b[2]
}

/// `a` is within a factor (1 + ε) of `b` on every criterion.
fn covers(a: &Vec3, b: &Vec3, epsilon: f64) -> bool {
    (0..3).all(|i| a[i] as f64 <= b[i] as f64 * (1.0 + epsilon))
}

/// The default ε: 5 %, below the uncertainty of the cost model itself (see
/// docs/COST_MODEL.md), so routes it drops are ones no user could tell apart.
pub const DEFAULT_EPSILON: f64 = 0.05;

struct Label {
    g: Vec3,
    node: u32,
    /// The next label at the same node.
    next: u32,
    /// Arc that led here and the previous label (u32::MAX at a source).
    arc: u32,
    prev: u32,
    origin: u32,
    alive: bool,
}

/// Exact distances to the nearest target (with its access cost) over one
/// weight array; `u64::MAX` where the targets cannot be reached.
pub fn distances_to_targets(net: &Network, w: &[u32], targets: &[(Candidate, u64)]) -> Vec<u64> {
    let (first_out, head) = (net.first_out(), net.arc_head());
    let mut dist = vec![u64::MAX; net.node_count()];
    let mut heap = BinaryHeap::new();
    for (c, access) in targets {
        let v = c.node.index();
        if *access < dist[v] {
            dist[v] = *access;
            heap.push(Reverse((*access, v as u32)));
        }
    }
    // Arc weights are symmetric (u→v and v→u are priced alike), so a forward
    // search from the targets gives distances to them.
    while let Some(Reverse((d, v))) = heap.pop() {
        if d > dist[v as usize] {
            continue;
        }
        for a in first_out[v as usize] as usize..first_out[v as usize + 1] as usize {
            if w[a] == u32::MAX {
                continue;
            }
            let t = head[a] as usize;
            let nd = d + w[a] as u64;
            if nd < dist[t] {
                dist[t] = nd;
                heap.push(Reverse((nd, t as u32)));
            }
        }
    }
    dist
}

/// The Pareto set, sorted by time; the bool says whether the search hit
/// [`MAX_LABELS`] and the set may be incomplete.
pub fn pareto(
    net: &Network,
    gazetteer: &Gazetteer,
    req: &Request,
    epsilon: f64,
) -> Result<(Vec<Route>, bool), RouteError> {
    let w: Vec<Vec<u32>> = CRITERIA
        .iter()
        .map(|o| metric::weights(net, &req.pricing, *o, &req.filter))
        .collect();
    let weights = [&w[0][..], &w[1][..], &w[2][..]];
    // Exact per-criterion distances to the destination, by Dijkstra.
    let bounds = |targets: &[[(Candidate, u64); 1]], i: usize| -> Vec<u64> {
        let t: Vec<(Candidate, u64)> = targets.iter().map(|c| c[0]).collect();
        distances_to_targets(net, weights[i], &t)
    };
    pareto_search(net, gazetteer, req, epsilon, weights, &bounds)
}

/// Exact distances to the targets (each with its access cost) for
/// criterion `i`, for every node.
pub type TargetBounds<'a> = dyn Fn(&[[(Candidate, u64); 1]], usize) -> Vec<u64> + 'a;

/// The three criteria, in the order of every `Vec3`.
pub const CRITERIA: [Objective; 3] = [Objective::Time, Objective::Cost, Objective::Co2];

/// The label-setting search, given each criterion's arc weights and a way
/// to compute exact distances to the targets for criterion `i` (Dijkstra
/// here; a hierarchy sweep in [`crate::fast::Engine::pareto`]).
pub fn pareto_search(
    net: &Network,
    gazetteer: &Gazetteer,
    req: &Request,
    epsilon: f64,
    weights: [&[u32]; 3],
    bounds: &TargetBounds,
) -> Result<(Vec<Route>, bool), RouteError> {
    if !req.via_places.is_empty() || req.via_passage.is_some() {
        return Err(RouteError::BadRequest(
            "--pareto does not combine with --via yet; use --alternatives".into(),
        ));
    }
    let criteria = CRITERIA;
    let cands = |p: &crate::ResolvedPlace| -> Result<Vec<Candidate>, RouteError> {
        let c = snap::candidates(net, p.pos, &req.filter);
        if c.is_empty() {
            return Err(RouteError::NoNetwork {
                place: p.label(),
                modes: req.filter.modes,
                constrained: !req.filter.closed_nodes.is_empty(),
            });
        }
        Ok(c)
    };
    let origins = cands(&req.from)?;
    let targets = cands(&req.to)?;
    let access = |c: &Candidate| -> Vec3 {
        let mut v = [0u64; 3];
        for (i, o) in criteria.iter().enumerate() {
            v[i] = metric::access_cost(&req.pricing, *o, c.distance_m, snap::ACCESS_CIRCUITY);
        }
        v
    };
    // Exact per-criterion distances to the destination, interleaved per node.
    let lower: Vec<[u64; 3]> = {
        let per: Vec<Vec<u64>> = (0..3)
            .map(|i| {
                let t: Vec<[(Candidate, u64); 1]> =
                    targets.iter().map(|c| [(*c, access(c)[i])]).collect();
                bounds(&t, i)
            })
            .collect();
        (0..net.node_count())
            .map(|v| [per[0][v], per[1][v], per[2][v]])
            .collect()
    };
    // Arc weights interleaved per arc, for the same reason (cache lines).
    let aw: Vec<[u32; 3]> = (0..net.arc_count())
        .map(|a| [weights[0][a], weights[1][a], weights[2][a]])
        .collect();
    let target_access: Vec<(u32, Vec3)> = {
        let mut m: Vec<(u32, Vec3)> = Vec::new();
        for t in &targets {
            let a = access(t);
            match m.iter_mut().find(|(n, _)| *n == t.node.0) {
                Some((_, e)) if a[0] < e[0] => *e = a,
                Some(_) => {}
                None => m.push((t.node.0, a)),
            }
        }
        m
    };
    let (first_out, head) = (net.first_out(), net.arc_head());
    let mut labels: Vec<Label> = Vec::new();
    // Labels at each node, as a linked list through `Label::next`.
    let mut first_label = vec![u32::MAX; net.node_count()];
    // Labels are processed in order of a positive combination of their
    // bounds, each criterion scaled by its optimum from the origin: still
    // exact (each bound never decreases along a path, so a dominating label
    // always comes first), and it finds routes across the whole front early,
    // so far more labels are pruned than in time order (measured: 2.4 M
    // labels in time order, 1.1 M this way, for Chongqing → Duisburg).
    let scale: [f64; 3] = {
        let mut sc = [1.0f64; 3];
        for (i, s) in sc.iter_mut().enumerate() {
            let best = origins
                .iter()
                .map(|c| lower[c.node.index()][i])
                .min()
                .unwrap_or(u64::MAX);
            if best != u64::MAX && best > 0 {
                *s = 1.0 / best as f64;
            }
        }
        sc
    };
    let order_key = |f: &Vec3| -> u64 {
        ((f[0] as f64 * scale[0] + f[1] as f64 * scale[1] + f[2] as f64 * scale[2]) * 1e9) as u64
    };
    let bound = |g: &Vec3, v: usize| -> Option<Vec3> {
        let l = lower[v];
        if l[0] == u64::MAX || l[1] == u64::MAX || l[2] == u64::MAX {
            return None;
        }
        Some([g[0] + l[0], g[1] + l[1], g[2] + l[2]])
    };
    // A label within (1 + ε) of a kept label at the same node, on the bound
    // of the whole route, adds nothing a user could tell apart.
    let node_eps = epsilon;
    let mut heap: BinaryHeap<Reverse<(u64, Vec3, u32)>> = BinaryHeap::new();
    let mut solutions: Vec<(Vec3, u32)> = Vec::new();
    let mut push = |g: Vec3,
                    node: u32,
                    arc: u32,
                    prev: u32,
                    origin: u32,
                    labels: &mut Vec<Label>,
                    heap: &mut BinaryHeap<Reverse<(u64, Vec3, u32)>>,
                    solutions: &[(Vec3, u32)]| {
        let Some(f) = bound(&g, node as usize) else {
            return;
        };
        if solutions.iter().any(|(s, _)| covers(s, &f, epsilon)) {
            return;
        }
        let mut l = first_label[node as usize];
        while l != u32::MAX {
            let other = &labels[l as usize];
            if other.alive {
                let lg = other.g;
                let lf = [
                    lg[0] + (f[0] - g[0]),
                    lg[1] + (f[1] - g[1]),
                    lg[2] + (f[2] - g[2]),
                ];
                if dominates(&lg, &g) || (node_eps > 0.0 && covers(&lf, &f, node_eps)) {
                    return;
                }
            }
            l = other.next;
        }
        let mut l = first_label[node as usize];
        while l != u32::MAX {
            let other = &mut labels[l as usize];
            if other.alive && dominates(&g, &other.g) {
                other.alive = false;
            }
            l = other.next;
        }
        let id = labels.len() as u32;
        labels.push(Label {
            g,
            node,
            arc,
            prev,
            origin,
            alive: true,
            next: first_label[node as usize],
        });
        first_label[node as usize] = id;
        heap.push(Reverse((order_key(&f), f, id)));
    };
    for (i, c) in origins.iter().enumerate() {
        push(
            access(c),
            c.node.0,
            u32::MAX,
            u32::MAX,
            i as u32,
            &mut labels,
            &mut heap,
            &solutions,
        );
    }
    let mut truncated = false;
    while let Some(Reverse((_, f, id))) = heap.pop() {
        let (g, v, alive, origin) = {
            let l = &labels[id as usize];
            (l.g, l.node, l.alive, l.origin)
        };
        if !alive || solutions.iter().any(|(s, _)| covers(s, &f, epsilon)) {
            continue;
        }
        if let Some((_, acc)) = target_access.iter().find(|(n, _)| *n == v) {
            let total = [g[0] + acc[0], g[1] + acc[1], g[2] + acc[2]];
            if !solutions.iter().any(|(s, _)| covers(s, &total, epsilon)) {
                solutions.retain(|(s, _)| !dominates(&total, s));
                solutions.push((total, id));
            }
        }
        if labels.len() > MAX_LABELS {
            truncated = true;
            break;
        }
        for a in first_out[v as usize] as usize..first_out[v as usize + 1] as usize {
            let w = aw[a];
            if w[0] == u32::MAX {
                continue;
            }
            let ng = [g[0] + w[0] as u64, g[1] + w[1] as u64, g[2] + w[2] as u64];
            push(
                ng,
                head[a],
                a as u32,
                id,
                origin,
                &mut labels,
                &mut heap,
                &solutions,
            );
        }
    }
    if solutions.is_empty() {
        return crate::best_route(net, gazetteer, req).map(|r| (vec![r], false));
    }
    solutions.sort();
    let mut routes = Vec::new();
    for (total, id) in solutions {
        let mut arcs = Vec::new();
        let mut l = id;
        while labels[l as usize].arc != u32::MAX {
            arcs.push(labels[l as usize].arc);
            l = labels[l as usize].prev;
        }
        arcs.reverse();
        let origin = origins[labels[id as usize].origin as usize];
        let end = labels[id as usize].node;
        let target = *targets
            .iter()
            .filter(|t| t.node.0 == end)
            .min_by(|a, b| a.distance_m.total_cmp(&b.distance_m))
            .expect("a target");
        let found = Found {
            arcs,
            origin,
            target,
            weight: total[0],
        };
        let mut r = explain::route(net, &req.pricing, &req.from, &req.to, &found, gazetteer);
        r.notes = snap::explain_joins(
            net,
            &req.from,
            &origins,
            &origin,
            &req.to,
            &targets,
            &target,
            req.filter.modes,
        );
        routes.push(r);
    }
    Ok((routes, truncated))
}
