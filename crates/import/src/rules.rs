//! The documented rules that join the single-mode source networks into one
//! multimodal graph. Every number here is a modelling choice, not a measured
//! fact; ARCHITECTURE.md and `data/README.md` explain them, and changing one
//! changes `RULES_VERSION` so compiled networks are rebuilt.
//!
//! - **Seaports** (searoute's UN/LOCODE ports) join the sea network by a sea
//!   arc to the nearest marnet node if it lies within [`PORT_SEA_RADIUS_M`],
//!   and join rail and road by transfer arcs to the nearest rail and road
//!   node within [`PORT_LAND_RADIUS_M`]. searoute snaps a port to its nearest
//!   marnet node at any distance, but its list includes inland places (Chengdu,
//!   Lanzhou, Denver: over 1,000 km from the sea) whose "access" would be a
//!   straight line across a continent; those stay places, not ports.
//! - **Air**: cargo hubs listed in `data/curated/air_cargo_hubs.csv` (ACI
//!   World's busiest cargo airports and the Air Silk Road hubs) are joined
//!   pairwise by air arcs of great-circle length; each hub joins road by a
//!   transfer arc to the nearest road node within [`AIRPORT_ROAD_RADIUS_M`].
//!   Other airports are places only (for `--from PVG`-style lookups).
//! - **Countries** come with every node (Natural Earth 1:50m); short
//!   enclaves along a line are smoothed away ([`ENCLAVE_MAX_M`]), except
//!   stubs that a curated border crossing says really cross
//!   ([`CROSSING_ANCHOR_M`]).
//! - **Rail gauge** comes from `data/curated/rail_gauge_by_country.csv`
//!   (sourced per country): a rail edge inside one country takes that
//!   country's gauge; a rail edge between two countries of different gauge
//!   is a gauge break (1520 and 1524 mm interoperate and are not a break).
//!   Exceptions inside a country (the 1435 mm Kars–Akhalkalaki section in
//!   Georgia, 1520 mm stubs into Poland) wait for the Belt and Road layer.
//! - **Customs borders**: a rail or road edge between two countries is a
//!   customs border, where cargo dwells for clearance, unless both are in
//!   one customs union (`data/curated/customs_unions.csv`: the EU, the
//!   Eurasian Economic Union). Country changes inside a union are still
//!   shown, but cost no dwell or fee.
//! - **The Belt and Road layer** (`data/bri/`, operating records only):
//!   a missing rail link runs along its waypoints; each waypoint reuses an
//!   OSM rail node within [`LINK_SNAP_M`] or becomes a new node; the
//!   published length is shared out in proportion to the straight segments.
//!   A named terminal becomes a hub joined to the nearest rail and road
//!   nodes (up to [`BRI_JOINS`] of each) within [`BRI_TERMINAL_RADIUS_M`] (seaports also to marnet within
//!   [`PORT_SEA_RADIUS_M`]). A ferry joins its two ports, each a hub joined
//!   to rail and road within [`BRI_TERMINAL_RADIUS_M`].
//! - **Curated figures** (`bri::crossing_element`, `bri::ferry_element`): a
//!   rail edge between the two countries of an operating crossing record,
//!   whose midpoint lies within [`BRI_CROSSING_RADIUS_M`] of the record's
//!   two sides (the nearest record if several), carries that record. Its
//!   dwell is the midpoint of the published range: `dwell_h_typical` where
//!   the record has one (an annual average or regular wait, because
//!   `dwell_h_max` is often a congestion peak), else `dwell_h_min..max`; its
//!   fee is `fee_usd_per_container` where published. A ferry edge carries its
//!   ferry record: sailing time `crossing_h` (the midpoint with
//!   `crossing_h_max` where given), and an expected wait for a sailing of
//!   half the headway, 168 h / `sailings_per_week` / 2, where a frequency is
//!   published. Every figure a record lacks falls back to the cost model
//!   (`[border.*]`, `[mode.ferry]` speed, `[ferry_wait]`).
//! - **Rail–road terminals (modelled)**: generic data has no terminal list,
//!   so every GeoNames city of at least [`TERMINAL_CITY_POPULATION`]
//!   inhabitants gets a terminal node at its nearest rail node, joined to
//!   that rail node and to the nearest road node, each within
//!   [`TERMINAL_RADIUS_M`] of the city. The Belt and Road layer adds real,
//!   named terminals.

/// Changes whenever a rule below changes, so old compiled networks are stale.
pub const RULES_VERSION: u32 = 6;

/// Country enclaves along a line: a connected run of rail (or road) nodes
/// labelled B whose every neighbour outside the run is labelled A, with at
/// most this much track inside the run, is relabelled A. Natural Earth at
/// 1:50m puts lines that follow a border river on the wrong bank for a few
/// km (the Yalu and Tumen, the Rhine at Basel); without this rule each such
/// flip would count as two border crossings. Real transits are longer
/// (the Trans-Siberian's ~200 km through Kazakhstan near Petropavl).
/// A run with a node within [`CROSSING_ANCHOR_M`] of a curated border
/// crossing's side in the run's own country is a real stub across the
/// border, not an enclave, and keeps its label.
pub const ENCLAVE_MAX_M: u64 = 15_000;

/// See [`ENCLAVE_MAX_M`]: the Thanaleng line, 3.5 km of metre gauge from the
/// Friendship Bridge into Laos, ends in Laos and must not become Thai
/// (the curated sides are approximate to ±0.05°, about 5 km).
pub const CROSSING_ANCHOR_M: f64 = 6_000.0;

/// A port joins the marnet sea network no farther than this (100 km: marnet
/// lanes run offshore, so genuine coastal ports lie within tens of km; 830 of
/// searoute's 3,954 ports lie farther and are inland).
pub const PORT_SEA_RADIUS_M: f64 = 100_000.0;

/// A missing link's waypoint reuses an OSM rail node this close (waypoint
/// coordinates are approximate station positions, ±0.05°).
pub const LINK_SNAP_M: f64 = 5_000.0;

/// A curated terminal, port or ferry end joins rail and road no farther
/// than this (its coordinates are approximate).
pub const BRI_TERMINAL_RADIUS_M: f64 = 20_000.0;

/// A curated hub joins up to this many nearest rail (and road) nodes within
/// [`BRI_TERMINAL_RADIUS_M`]: its coordinates are approximate and the
/// nearest node may be an isolated siding (Aktau port's is), so the search
/// picks the join that connects, as snapping does for queries.
pub const BRI_JOINS: usize = 4;

/// A border edge takes a curated crossing's figures when its midpoint lies
/// this close to the midpoint of the record's two sides (record coordinates
/// are approximate, ±0.05° and up to ±0.5°; the same radius names crossings
/// in route explanations).
pub const BRI_CROSSING_RADIUS_M: f64 = 60_000.0;

/// A port joins rail and road networks no farther than this (25 km: the
/// order of a port's hinterland access road or rail spur).
pub const PORT_LAND_RADIUS_M: f64 = 25_000.0;

/// A cargo hub airport joins the road network no farther than this.
pub const AIRPORT_ROAD_RADIUS_M: f64 = 30_000.0;

/// Cities of at least this population get a modelled rail–road terminal.
pub const TERMINAL_CITY_POPULATION: u32 = 500_000;

/// A modelled terminal's rail and road nodes lie within this of the city.
pub const TERMINAL_RADIUS_M: f64 = 15_000.0;
