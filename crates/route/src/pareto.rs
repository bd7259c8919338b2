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
use std::collections::{BinaryHeap, HashMap};

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
    /// Arc that led here and the previous label (u32::MAX at a source).
    arc: u32,
    prev: u32,
    origin: u32,
    alive: bool,
}

/// Exact distances to the nearest target (with its access cost) over one
/// weight array; `u64::MAX` where the targets cannot be reached.
fn distances_to_targets(net: &Network, w: &[u32], targets: &[(Candidate, u64)]) -> Vec<u64> {
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
    if !req.via_places.is_empty() || req.via_passage.is_some() {
        return Err(RouteError::BadRequest(
            "--pareto does not combine with --via yet; use --alternatives".into(),
        ));
    }
    let criteria = [Objective::Time, Objective::Cost, Objective::Co2];
    let w: Vec<Vec<u32>> = criteria
        .iter()
        .map(|o| metric::weights(net, &req.pricing, *o, &req.filter))
        .collect();
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
    let lower: Vec<Vec<u64>> = (0..3)
        .map(|i| {
            let t: Vec<(Candidate, u64)> = targets.iter().map(|c| (*c, access(c)[i])).collect();
            distances_to_targets(net, &w[i], &t)
        })
        .collect();
    let target_access: HashMap<u32, Vec3> = {
        let mut m: HashMap<u32, Vec3> = HashMap::new();
        for t in &targets {
            let a = access(t);
            m.entry(t.node.0)
                .and_modify(|e| {
                    if a[0] < e[0] {
                        *e = a
                    }
                })
                .or_insert(a);
        }
        m
    };
    let (first_out, head) = (net.first_out(), net.arc_head());
    let mut labels: Vec<Label> = Vec::new();
    let mut at_node: HashMap<u32, Vec<u32>> = HashMap::new();
    let mut heap: BinaryHeap<Reverse<(Vec3, u32)>> = BinaryHeap::new();
    let mut solutions: Vec<(Vec3, u32)> = Vec::new();
    let bound = |g: &Vec3, v: usize| -> Option<Vec3> {
        let mut f = [0u64; 3];
        for i in 0..3 {
            let l = lower[i][v];
            if l == u64::MAX {
                return None;
            }
            f[i] = g[i] + l;
        }
        Some(f)
    };
    let push = |g: Vec3,
                node: u32,
                arc: u32,
                prev: u32,
                origin: u32,
                labels: &mut Vec<Label>,
                at_node: &mut HashMap<u32, Vec<u32>>,
                heap: &mut BinaryHeap<Reverse<(Vec3, u32)>>,
                solutions: &[(Vec3, u32)]| {
        let Some(f) = bound(&g, node as usize) else {
            return;
        };
        if solutions.iter().any(|(s, _)| covers(s, &f, epsilon)) {
            return;
        }
        let list = at_node.entry(node).or_default();
        // A label within (1 + ε/2) of a kept label here, on the bound of
        // the whole route, adds nothing a user could tell apart.
        let node_eps = epsilon / 2.0;
        if list.iter().any(|l| {
            let lg = labels[*l as usize].g;
            dominates(&lg, &g)
                || (node_eps > 0.0
                    && bound(&lg, node as usize).is_some_and(|lf| covers(&lf, &f, node_eps)))
        }) {
            return;
        }
        list.retain(|l| {
            let keep = !dominates(&g, &labels[*l as usize].g);
            if !keep {
                labels[*l as usize].alive = false;
            }
            keep
        });
        let id = labels.len() as u32;
        labels.push(Label {
            g,
            node,
            arc,
            prev,
            origin,
            alive: true,
        });
        list.push(id);
        heap.push(Reverse((f, id)));
    };
    for (i, c) in origins.iter().enumerate() {
        push(
            access(c),
            c.node.0,
            u32::MAX,
            u32::MAX,
            i as u32,
            &mut labels,
            &mut at_node,
            &mut heap,
            &solutions,
        );
    }
    let mut truncated = false;
    while let Some(Reverse((f, id))) = heap.pop() {
        let (g, v, alive) = {
            let l = &labels[id as usize];
            (l.g, l.node, l.alive)
        };
        if !alive || solutions.iter().any(|(s, _)| covers(s, &f, epsilon)) {
            continue;
        }
        if let Some(acc) = target_access.get(&v) {
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
            if w[0][a] == u32::MAX {
                continue;
            }
            let ng = [
                g[0] + w[0][a] as u64,
                g[1] + w[1][a] as u64,
                g[2] + w[2][a] as u64,
            ];
            let origin = labels[id as usize].origin;
            push(
                ng,
                head[a],
                a as u32,
                id,
                origin,
                &mut labels,
                &mut at_node,
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
