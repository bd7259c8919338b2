//! Queries on the compiled network: resolve what the user typed to a point,
//! join it to the network where it actually connects, search, and explain
//! the answer leg by leg.
//!
//! Data flow: [`places::resolve`] → [`snap::candidates`] (several per side) →
//! [`search::shortest`] (one multi-source, multi-target search, so the
//! network itself decides which candidate connects) → [`explain::route`].
//!
//! Architecture invariant: this crate does no IO and never mutates the
//! network; it returns plain types, and only the shells (CLI, server) know
//! JSON or GeoJSON.

pub mod explain;
pub mod places;
pub mod search;
pub mod snap;

pub use explain::{Leg, Route, Stop};
pub use places::{PlaceError, ResolvedPlace};

use silkroute_graph::Network;
use silkroute_model::ModeSet;

#[derive(Debug, thiserror::Error)]
pub enum RouteError {
    #[error("no {modes} network node anywhere near {place}")]
    NoNetwork { place: String, modes: ModeSet },
    /// Both ends join the network, but no path links them; the text says
    /// where each end joins and why that is a dead end.
    #[error("{0}")]
    NotConnected(String),
}

/// The shortest route by distance between two resolved places, over the
/// arcs `filter` allows.
pub fn shortest_route(
    net: &Network,
    from: &ResolvedPlace,
    to: &ResolvedPlace,
    filter: &search::Filter,
    gazetteer: &places::Gazetteer,
) -> Result<Route, RouteError> {
    let modes = filter.modes;
    let no_network = |p: &ResolvedPlace| RouteError::NoNetwork {
        place: p.label(),
        modes,
    };
    let origins = snap::candidates(net, from.pos, modes);
    if origins.is_empty() {
        return Err(no_network(from));
    }
    let targets = snap::candidates(net, to.pos, modes);
    if targets.is_empty() {
        return Err(no_network(to));
    }
    match search::shortest(net, &origins, &targets, filter) {
        Some(found) => {
            let mut route = explain::route(net, from, to, &found, gazetteer);
            route.notes = snap::explain_joins(
                net,
                from,
                &origins,
                &found.origin,
                to,
                &targets,
                &found.target,
                modes,
            );
            Ok(route)
        }
        None => Err(RouteError::NotConnected(snap::explain_disconnection(
            net, from, &origins, to, &targets, modes,
        ))),
    }
}
