//! Meaningfully different routes: other corridors or modes, not 1-km
//! variants of the best one.
//!
//! Candidates come from two generators: the best route with one allowed
//! mode removed (a sea route instead of rail, a rail route instead of
//! road), and the best route after penalising the arcs of routes already
//! accepted (which pushes the search into another corridor). A candidate is
//! accepted only if at most [`MAX_SHARED`] of its objective weight runs on
//! arcs of an accepted route, and if it costs at most [`MAX_STRETCH`] times
//! the best. Results are sorted by the objective.

use std::collections::HashSet;

use silkroute_graph::Network;
use silkroute_model::ModeSet;

use crate::explain::Route;
use crate::metric;
use crate::places::Gazetteer;
use crate::request::{Request, RouteError, route_with_weights};

/// At most this share of a new route's weight may lie on an accepted route.
pub const MAX_SHARED: f64 = 0.6;
/// An alternative may cost at most this many times the best route.
pub const MAX_STRETCH: f64 = 3.0;
/// Penalty factor for arcs already used.
const PENALTY: u64 = 3;
/// Penalty rounds tried before giving up.
const MAX_ROUNDS: usize = 12;

fn value(route: &Route, weights: &[u32]) -> u64 {
    route.arcs.iter().map(|a| weights[*a as usize] as u64).sum()
}

fn shared_share(route: &Route, accepted: &HashSet<u32>, weights: &[u32]) -> f64 {
    let total = value(route, weights).max(1);
    let shared: u64 = route
        .arcs
        .iter()
        .filter(|a| accepted.contains(a))
        .map(|a| weights[*a as usize] as u64)
        .sum();
    shared as f64 / total as f64
}

/// Up to `k` meaningfully different routes, the best first.
pub fn alternatives(
    net: &Network,
    gazetteer: &Gazetteer,
    req: &Request,
    k: usize,
) -> Result<Vec<Route>, RouteError> {
    let weights = metric::weights(net, &req.pricing, req.objective, &req.filter);
    let best = route_with_weights(net, gazetteer, req, &weights)?;
    let best_value = value(&best, &weights).max(1);
    let mut accepted_arcs: HashSet<u32> = best.arcs.iter().copied().collect();
    let mut routes = vec![best];
    let consider = |r: Route, routes: &mut Vec<Route>, accepted: &mut HashSet<u32>| {
        let v = value(&r, &weights);
        if v as f64 > MAX_STRETCH * best_value as f64 {
            return;
        }
        let distinct_from_each = routes.iter().all(|other| {
            let set: HashSet<u32> = other.arcs.iter().copied().collect();
            shared_share(&r, &set, &weights) <= MAX_SHARED
        });
        if distinct_from_each {
            accepted.extend(r.arcs.iter().copied());
            routes.push(r);
        }
    };
    // Mode alternatives: drop one allowed mode at a time.
    let modes: Vec<_> = req.filter.modes.iter().collect();
    if modes.len() > 1 {
        for drop in &modes {
            if routes.len() >= k {
                break;
            }
            let mut filter = req.filter.clone();
            filter.modes = ModeSet(req.filter.modes.0 & !drop.bit());
            let sub = Request {
                filter,
                ..req.clone()
            };
            let w = metric::weights(net, &sub.pricing, sub.objective, &sub.filter);
            if let Ok(r) = route_with_weights(net, gazetteer, &sub, &w) {
                consider(r, &mut routes, &mut accepted_arcs);
            }
        }
    }
    // Corridor alternatives: penalise what is already used.
    let mut penalised = weights.clone();
    for _ in 0..MAX_ROUNDS {
        if routes.len() >= k {
            break;
        }
        for a in &accepted_arcs {
            let w = penalised[*a as usize];
            if w != u32::MAX {
                penalised[*a as usize] = (w as u64 * PENALTY).min(u32::MAX as u64 - 1) as u32;
            }
        }
        let Ok(r) = route_with_weights(net, gazetteer, req, &penalised) else {
            break;
        };
        // Re-explain on the true weights: the route's own numbers never
        // include penalties (explain recomputes impacts from the cost model).
        consider(r, &mut routes, &mut accepted_arcs);
    }
    routes.sort_by_key(|r| value(r, &weights));
    routes.truncate(k.max(1));
    Ok(routes)
}
