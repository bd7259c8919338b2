//! One route query from start to end: the [`Request`] (places, filter,
//! objective, pricing), its checks (a place inside what the constraints
//! close is an error, [`closed_place`]), snapping every stop
//! ([`crate::snap::priced_candidates`]), one search per segment through a
//! caller's [`Finder`] (plain Dijkstra or the hierarchy engine), the
//! explanation of the answer, and [`RouteError`] saying why there is none.
//!
//! The orchestration over the pieces below it; [`crate::alternatives`],
//! [`crate::pareto`] and [`crate::fast`] build on it.

use silkroute_graph::Network;
use silkroute_model::{LatLon, ModeSet, Passage};

use crate::explain::{self, Route};
use crate::filter::Filter;
use crate::objective::{Objective, Pricing};
use crate::places::{Gazetteer, ResolvedPlace};
use crate::snap::{self, Candidate};
use crate::{metric, search};

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum RouteError {
    #[error("no {modes} network node anywhere near {place}{}", constraint_note(.constrained))]
    NoNetwork {
        place: String,
        modes: ModeSet,
        constrained: bool,
    },
    /// Both ends join the network, but no path links them; the text says
    /// where each end joins and why that is a dead end.
    #[error("{0}")]
    NotConnected(String),
    /// A route exists, but not under the constraints the user set.
    #[error(
        "no route satisfies {constraints}: a route exists without them, so they make this trip impossible"
    )]
    Constrained { constraints: String },
    #[error("{0}")]
    BadRequest(String),
    /// An end or a via place lies inside what the constraints close, so
    /// joining it to the nearest open node would cross the closure unseen.
    #[error(
        "{place} lies inside an area the constraints close ({constraints}): a route cannot {role} there; drop the constraint or name a place outside it"
    )]
    PlaceClosed {
        place: String,
        constraints: String,
        role: &'static str,
    },
}

fn constraint_note(constrained: &bool) -> &'static str {
    if *constrained {
        " outside the avoided areas"
    } else {
        ""
    }
}

/// Everything a route query says.
#[derive(Clone)]
pub struct Request<'a> {
    pub from: ResolvedPlace,
    pub to: ResolvedPlace,
    /// Places the route must pass, in order.
    pub via_places: Vec<ResolvedPlace>,
    /// A sea passage the route must use.
    pub via_passage: Option<Passage>,
    pub filter: Filter,
    pub objective: Objective,
    pub pricing: Pricing<'a>,
    /// Human-readable list of the user's constraints (for error messages);
    /// empty when there are none.
    pub constraints: String,
}

/// One stop's candidates with their access costs in the objective's units
/// ([`snap::priced_candidates`] in `tree`); an error naming the place when
/// no open node of the filter's modes is anywhere near it.
pub fn stop_candidates(
    net: &Network,
    tree: silkroute_graph::spatial::KdTree<'_>,
    req: &Request,
    p: &ResolvedPlace,
) -> Result<Vec<(Candidate, u64)>, RouteError> {
    let c = snap::priced_candidates(net, tree, p.pos, &req.filter, &req.pricing, req.objective);
    if c.is_empty() {
        return Err(RouteError::NoNetwork {
            place: p.label(),
            modes: req.filter.modes,
            constrained: !req.filter.closed_nodes.is_empty(),
        });
    }
    Ok(c)
}

/// The best route for the request's objective, over precomputed `weights`,
/// by plain Dijkstra.
pub fn route_with_weights(
    net: &Network,
    gazetteer: &Gazetteer,
    req: &Request,
    weights: &[u32],
) -> Result<Route, RouteError> {
    route_with_finder(net, gazetteer, req, &mut |o, t, p| {
        search::shortest(net, weights, o, t, p)
    })
}

/// A path finder: the best path between two candidate sets (with access
/// costs), optionally through a required passage. Dijkstra and the
/// hierarchy engine both provide one.
pub type Finder<'a> = dyn FnMut(&[(Candidate, u64)], &[(Candidate, u64)], Option<Passage>) -> Option<search::Found>
    + 'a;

/// [`route_with_weights`] with any path finder.
pub fn route_with_finder(
    net: &Network,
    gazetteer: &Gazetteer,
    req: &Request,
    finder: &mut Finder,
) -> Result<Route, RouteError> {
    route_with_finder_in(net, net.kd_tree(), gazetteer, req, finder)
}

/// [`route_with_finder`] snapping in `tree`.
pub fn route_with_finder_in(
    net: &Network,
    tree: silkroute_graph::spatial::KdTree<'_>,
    gazetteer: &Gazetteer,
    req: &Request,
    finder: &mut Finder,
) -> Result<Route, RouteError> {
    let mut stops = vec![&req.from];
    stops.extend(req.via_places.iter());
    stops.push(&req.to);
    if let Some(e) = closed_place(net, req) {
        return Err(e);
    }
    let candidates: Vec<Vec<(Candidate, u64)>> = stops
        .iter()
        .map(|p| stop_candidates(net, tree, req, p))
        .collect::<Result<_, _>>()?;
    // With a required passage, try it on each segment and keep the best.
    let segment_options: Vec<Option<usize>> = match req.via_passage {
        None => vec![None],
        Some(_) => (0..stops.len() - 1).map(Some).collect(),
    };
    let mut best: Option<(u64, Vec<search::Found>)> = None;
    for option in segment_options {
        let mut founds: Vec<search::Found> = Vec::new();
        let mut total = 0u64;
        let mut ok = true;
        for k in 0..stops.len() - 1 {
            let required = if option == Some(k) {
                req.via_passage
            } else {
                None
            };
            // A segment after a via place starts exactly where the previous
            // one ended, so the route passes through one node there and
            // pays any transfer it makes (re-snapping the place could jump
            // from a rail node to a port without the handling).
            let from: Vec<(Candidate, u64)> = match founds.last() {
                Some(prev) => vec![(prev.target, 0)],
                None => candidates[k].clone(),
            };
            match finder(&from, &candidates[k + 1], required) {
                Some(f) => {
                    total += f.weight
                        + candidates[k + 1]
                            .iter()
                            .find(|c| c.0.node == f.target.node)
                            .map_or(0, |c| c.1);
                    founds.push(f);
                }
                None => {
                    ok = false;
                    break;
                }
            }
        }
        if ok && best.as_ref().is_none_or(|(b, _)| total < *b) {
            best = Some((total, founds));
        }
    }
    let Some((_, founds)) = best else {
        return Err(explain_failure(net, req, &stops, &candidates));
    };
    let mut route: Option<Route> = None;
    for (k, found) in founds.iter().enumerate() {
        let mut r = explain::route(net, &req.pricing, stops[k], stops[k + 1], found, gazetteer);
        let origins: Vec<Candidate> = candidates[k].iter().map(|c| c.0).collect();
        let targets: Vec<Candidate> = candidates[k + 1].iter().map(|c| c.0).collect();
        r.notes = snap::explain_joins(
            net,
            stops[k],
            &origins,
            &found.origin,
            stops[k + 1],
            &targets,
            &found.target,
            req.filter.modes,
        );
        if let Some(p) = &req.filter.penalties {
            explain::charge_penalties(p, net, &req.pricing, &mut r);
        }
        match &mut route {
            None => route = Some(r),
            Some(acc) => acc.extend(r),
        }
    }
    let mut route = route.expect("at least one segment");
    route.notes.dedup();
    explain::add_drayage(net, gazetteer, &req.pricing, &mut route);
    Ok(route)
}

/// Says why no route was found: the constraints, or where the ends join.
fn explain_failure(
    net: &Network,
    req: &Request,
    stops: &[&ResolvedPlace],
    candidates: &[Vec<(Candidate, u64)>],
) -> RouteError {
    if !req.constraints.is_empty() {
        // Would the trip work without the user's constraints?
        let free = Filter::new(req.filter.modes);
        let w = metric::weights(net, &req.pricing, Objective::Distance, &free);
        let cands: Vec<Vec<(Candidate, u64)>> = stops
            .iter()
            .map(|p| {
                snap::candidates(net, p.pos, &free)
                    .into_iter()
                    .map(|c| (c, c.access_cost()))
                    .collect()
            })
            .collect();
        let feasible = (0..stops.len() - 1)
            .all(|k| search::shortest(net, &w, &cands[k], &cands[k + 1], None).is_some());
        if feasible {
            return RouteError::Constrained {
                constraints: req.constraints.clone(),
            };
        }
    }
    // Find the first segment that fails and explain its ends.
    let w = metric::weights(net, &req.pricing, Objective::Distance, &req.filter);
    for k in 0..stops.len() - 1 {
        let dist: Vec<(Candidate, u64)> = candidates[k]
            .iter()
            .map(|(c, _)| (*c, c.access_cost()))
            .collect();
        let dist_t: Vec<(Candidate, u64)> = candidates[k + 1]
            .iter()
            .map(|(c, _)| (*c, c.access_cost()))
            .collect();
        if search::shortest(net, &w, &dist, &dist_t, None).is_none() {
            let o: Vec<Candidate> = dist.iter().map(|c| c.0).collect();
            let t: Vec<Candidate> = dist_t.iter().map(|c| c.0).collect();
            return RouteError::NotConnected(snap::explain_disconnection(
                net,
                stops[k],
                &o,
                stops[k + 1],
                &t,
                req.filter.modes,
            ));
        }
    }
    match req.via_passage {
        Some(p) => RouteError::NotConnected(format!(
            "no {} route between {} and {} uses the {} passage",
            req.filter.modes,
            req.from.label(),
            req.to.label(),
            p
        )),
        None => RouteError::NotConnected("no route found".into()),
    }
}

/// The first of the request's places (origin, via places, destination)
/// that lies inside what the filter closes: every node it would join
/// without the closures is closed. Snapping alone would join it to the
/// nearest open node instead, which may be across a closed border (Almaty
/// with `--avoid KZ` would start 69 km away in Kyrgyzstan), silently
/// dropping the constraint.
pub fn closed_place(net: &Network, req: &Request) -> Option<RouteError> {
    let places = std::iter::once((&req.from, "start"))
        .chain(req.via_places.iter().map(|p| (p, "pass")))
        .chain(std::iter::once((&req.to, "end")));
    for (p, role) in places {
        if inside_closed_area(net, &req.filter, p.pos) {
            return Some(RouteError::PlaceClosed {
                place: p.label(),
                constraints: if req.constraints.is_empty() {
                    "the constraints".to_string()
                } else {
                    req.constraints.clone()
                },
                role,
            });
        }
    }
    None
}

/// Whether the filter's closed nodes take every node a place at `pos`
/// would join with its modes open (so snapping would silently start it
/// somewhere else, outside the avoided area).
pub fn inside_closed_area(net: &Network, filter: &Filter, pos: LatLon) -> bool {
    if filter.closed_nodes.is_empty() {
        return false;
    }
    let near = snap::candidates(net, pos, &Filter::new(filter.modes));
    !near.is_empty() && near.iter().all(|c| !filter.node_open(c.node.0))
}

/// The best route for the request's objective.
pub fn best_route(
    net: &Network,
    gazetteer: &Gazetteer,
    req: &Request,
) -> Result<Route, RouteError> {
    let weights = metric::weights(net, &req.pricing, req.objective, &req.filter);
    route_with_weights(net, gazetteer, req, &weights)
}
