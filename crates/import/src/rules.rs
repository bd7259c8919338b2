//! The documented rules that join the single-mode source networks into one
//! multimodal graph. Every number here is a modelling choice, not a measured
//! fact; ARCHITECTURE.md and `data/README.md` explain them, and changing one
//! changes `RULES_VERSION` so compiled networks are rebuilt.
//!
//! - **Seaports** (searoute's UN/LOCODE ports) join the sea network by a sea
//!   arc to the nearest marnet node (any distance: searoute does the same),
//!   and join rail and road by transfer arcs to the nearest rail and road
//!   node within [`PORT_LAND_RADIUS_M`].
//! - **Air**: cargo hubs listed in `data/curated/air_cargo_hubs.csv` (ACI
//!   World's busiest cargo airports and the Air Silk Road hubs) are joined
//!   pairwise by air arcs of great-circle length; each hub joins road by a
//!   transfer arc to the nearest road node within [`AIRPORT_ROAD_RADIUS_M`].
//!   Other airports are places only (for `--from PVG`-style lookups).
//! - **Rail–road terminals (modelled)**: generic data has no terminal list,
//!   so every GeoNames city of at least [`TERMINAL_CITY_POPULATION`]
//!   inhabitants gets a terminal node at its nearest rail node, joined to
//!   that rail node and to the nearest road node, each within
//!   [`TERMINAL_RADIUS_M`] of the city. The Belt and Road layer adds real,
//!   named terminals.

/// Changes whenever a rule below changes, so old compiled networks are stale.
pub const RULES_VERSION: u32 = 1;

/// A port joins rail and road networks no farther than this (25 km: the
/// order of a port's hinterland access road or rail spur).
pub const PORT_LAND_RADIUS_M: f64 = 25_000.0;

/// A cargo hub airport joins the road network no farther than this.
pub const AIRPORT_ROAD_RADIUS_M: f64 = 30_000.0;

/// Cities of at least this population get a modelled rail–road terminal.
pub const TERMINAL_CITY_POPULATION: u32 = 500_000;

/// A modelled terminal's rail and road nodes lie within this of the city.
pub const TERMINAL_RADIUS_M: f64 = 15_000.0;
