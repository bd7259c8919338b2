//! silkroute's engine API: the one layer between the engine crates and
//! every shell (the CLI, the HTTP server, the Python package). It owns
//! every user-facing rule, so the shells cannot disagree:
//!
//! - where the network comes from and when it is rebuilt ([`store`]);
//! - the curated catalogue of *that* network and the one rule that names a
//!   route's corridor ([`catalogue`]);
//! - parsing what users write ([`parse`]), what is shipped and how it is
//!   priced ([`shipment`]), and constraints resolved with the closed-place
//!   rule ([`constraints`]);
//! - lists of places and origin–destination pairs ([`od`]) and scenarios
//!   turned into penalties ([`scenario`]);
//! - the questions, as methods of one [`Service`] that many threads can
//!   share: routes, Pareto sets, alternatives, matrices, reach and nearest
//!   ([`service`]), scenario comparisons ([`compare`]), flows ([`flow`]),
//!   criticality ([`criticality`]), the Belt and Road before/after
//!   ([`bri_impact`]), corridors and inspection ([`inspect`]);
//! - default trade weights, a gravity model ([`trade`]);
//! - how much a route's days vary, P10/P50/P90 ([`reliability`]);
//! - the answers' JSON ([`json`]) and GeoJSON ([`geojson`]), and one error
//!   type with a fixed set of codes ([`error`]).
//!
//! Data flow: a shell parses its transport (arguments, a URL, Python
//! values) into a request type → a [`Service`] method → an answer type →
//! the shell renders it (a table, CSV) or serves its JSON.
//!
//! Architecture invariant: no clap, HTTP, pyo3 or terminal here. The shells
//! own their transport and their text layouts (tables, CSV); this crate
//! owns the meaning and the JSON. File IO is limited to opening and
//! building network files ([`store`]) and to opening the input files a
//! user names, regular files only ([`input`]); everything else arrives as
//! values or readers.
//!
//! ```no_run
//! use silkroute_api::{NetworkSource, RouteRequest, Service, ServiceOptions, Want};
//! use silkroute_api::{Constraints, Shipment};
//!
//! let service = Service::open(
//!     &NetworkSource::Default,
//!     ServiceOptions::default(),
//!     &silkroute_api::NoProgress,
//! )?;
//! let answer = service.route(&RouteRequest {
//!     from: "Chongqing".into(),
//!     to: "Duisburg".into(),
//!     constraints: Constraints::modes(silkroute_api::parse::modes("rail")?),
//!     objective: silkroute_api::parse::objective("time")?,
//!     shipment: Shipment::default(),
//!     corridor: None,
//!     want: Want::Best,
//!     max_join_km: None,
//! })?;
//! println!("{:.1} days", answer.routes[0].total.time_h / 24.0);
//! # Ok::<(), silkroute_api::Error>(())
//! ```

pub mod bench;
pub mod bri_impact;
pub mod catalogue;
pub mod compare;
pub mod constraints;
pub mod criticality;
pub mod error;
pub mod export;
pub mod flow;
pub mod geojson;
pub mod input;
pub mod inspect;
pub mod json;
pub mod od;
pub mod parse;
pub mod reliability;
pub mod scenario;
pub mod service;
pub mod shipment;
pub mod store;
pub mod trade;
pub mod validate;

/// The README's examples, compiled (its `rust` blocks are doctests).
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeExamples;

pub use constraints::Constraints;
pub use error::{Code, Error, Result};
pub use od::{OdPair, OdPlace, OdSet};
pub use service::{
    MatrixAnswer, MatrixRequest, PathAnswer, PathEnd, ReachAnswer, ReachRequest, RouteRequest,
    RoutesAnswer, Service, ServiceOptions, Want,
};
pub use shipment::Shipment;
pub use store::NetworkSource;

/// The engine types answers are made of, re-exported so a caller needs
/// only this crate.
pub use silkroute_cost::{Cargo, CostModel, Impact};
pub use silkroute_graph::scratch;
pub use silkroute_import::{Corridor, Project, Scenario};
pub use silkroute_model::{LatLon, Mode, ModeSet, NoProgress, Progress, haversine_m};
pub use silkroute_route::criticality::Kind as ElementKind;
pub use silkroute_route::flow::Method as FlowMethod;
pub use silkroute_route::{Objective, ResolvedPlace, Route};
