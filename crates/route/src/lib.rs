//! Queries on the compiled network: resolve what the user typed to a point,
//! join it to the network where it actually connects, search on the chosen
//! objective, and explain the answer leg by leg with time, cost and CO2e.
//!
//! Data flow: [`places::resolve`](places::Gazetteer::resolve) →
//! [`snap::priced_candidates`] (several per side, each with its access
//! cost) → [`metric::weights`] (one integer weight per arc for the
//! objective, constraints applied) → [`search::shortest`] (one
//! multi-source, multi-target search, so the network itself decides which
//! candidate connects) → [`explain::route`]. [`request`] runs that for one
//! route; [`alternatives`], [`pareto`] and [`fast`] build on it.
//!
//! The modules are declared below in dependency order, one per group so
//! rustfmt keeps the order: each uses only the ones above it (leaf types first, then metric, penalties, search, snap,
//! explain, then the orchestration). `tests/layering.rs` checks it.
//!
//! Architecture invariant: this crate does no IO and never mutates the
//! network; it returns plain types, knows no serde, and only the layers
//! above it (the API crate and its shells) know JSON or GeoJSON.

// What the user typed, resolved to places (leaf).
pub mod places;
// The objective and the pricing (leaf).
pub mod objective;
// A scenario's closed arcs, delays and costs, and the arcs it names.
pub mod penalties;
// Which arcs and nodes a search may use.
pub mod filter;
// Integer arc weights per objective.
pub mod metric;
// Joining a point to the network.
pub mod snap;
// Exact shortest paths (Dijkstra), the oracle for the rest.
pub mod search;
// A found path explained leg by leg.
pub mod explain;
// One-to-many searches: matrices and reachability.
pub mod many;
// The other criteria a matrix sums along the objective's paths.
pub mod companions;
// One route query, start to end.
pub mod request;
// Meaningfully different routes.
pub mod alternatives;
// The (1+ε)-Pareto set over time × cost × CO2e.
pub mod pareto;
// Hierarchies and the caching, thread-safe query engine.
pub mod fast;
// The curated records' provenance section.
pub mod curated;
// Ranking elements by the loss their failure causes.
pub mod criticality;
// Traffic assignment.
pub mod flow;

pub use explain::{BorderCrossing, Leg, Route, Stop};
pub use filter::{BBox, Filter};
pub use objective::{Objective, Pricing};
pub use places::{Gazetteer, PlaceError, ResolvedPlace};
pub use request::{
    Finder, Request, RouteError, best_route, closed_place, inside_closed_area, route_with_finder,
    route_with_weights,
};
