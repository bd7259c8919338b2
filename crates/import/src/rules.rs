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
//! - **Port classes** (`data/curated/port_classes.csv`, each row sourced):
//!   `hub` ports are deep-sea container ports of a published throughput
//!   ranking; `river` ports lie on an inland waterway that no ocean
//!   container ship reaches and are **not joined to the sea network** (they
//!   stay places, reached by land legs). Every other port within
//!   [`PORT_SEA_RADIUS_M`] is `coastal`; farther ones are `inland`.
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
//! - **Customs borders**: a rail, road or ferry edge between two countries
//!   is a customs border, where cargo dwells for clearance, unless both are
//!   in one customs union (`data/curated/customs_unions.csv`: the EU, the
//!   Eurasian Economic Union). Country changes inside a union are still
//!   shown, but cost no dwell or fee. A ferry's two ports carry its
//!   record's countries, so a ferry between two customs territories (the
//!   Caspian KZ–AZ and TM–AZ ferries, the Black Sea GE–RO and GE–BG ones)
//!   crosses a customs border on its sailing; it takes the `[border.rail]`
//!   defaults unless its record publishes its own customs step.
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
//!   published; where its ports lie in two customs territories, its
//!   customs step's dwell is the midpoint of `border_dwell_h_min..max` and
//!   its fee `border_fee_usd_per_container`, where published. Every figure
//!   a record lacks falls back to the cost model
//!   (`[border.*]`, `[mode.ferry]` speed, `[ferry_wait]`).
//! - **Record countries** (a check, not a join): every airport, port and
//!   terminal whose [`PLACEMENT_NEIGHBOURS`] nearest road junctions within
//!   [`PLACEMENT_RADIUS_M`] all lie in one other country than its record
//!   names is reported in a build warning (count and the first
//!   [`PLACEMENT_SHOWN`]); wrong coordinates are corrected by sourced
//!   records (`data/curated/airport_corrections.csv`).
//! - **Rail–road terminals (modelled)**: generic data has no terminal list,
//!   so every GeoNames city of at least [`TERMINAL_CITY_POPULATION`]
//!   inhabitants gets a terminal node at its nearest rail node, joined to
//!   that rail node and to the nearest road node, each within
//!   [`TERMINAL_RADIUS_M`] of the city. The Belt and Road layer adds real,
//!   named terminals.
//! - **User data** (`crate::user`, only when the caller passes
//!   `UserData`; the default network never runs these rules, and editing
//!   them leaves it current). Extracts are read by `crate::osm_pbf` (rail
//!   and roads, degree-2 chains collapsed like the world layers) and placed
//!   in the order given, right after the world's rail, road and sea
//!   junctions are read, so every later rule (Belt and Road links, gauges,
//!   customs borders, ports, hubs, modelled terminals, crossings) treats
//!   their nodes and edges like the world's.
//!   - *Countries*: an extract node takes the extract's `country` if one is
//!     given, else the country of the nearest world junction of its mode
//!     within [`USER_COUNTRY_RADIUS_M`] (none farther away), and the
//!     extract's own country enclaves are then smoothed by
//!     [`ENCLAVE_MAX_M`]. Gauges come from the OSM `gauge` tag where it is
//!     a number, else from the country as for the world layers.
//!   - *`replace`*: the area is the extract's box (the `bbox` given, else
//!     its file header's, else the box around its nodes; a box does not
//!     cross ±180°). Every world junction of the extract's modes whose
//!     position lies inside the box (edges included) is removed with every
//!     edge that touches it; only node positions count, so a world edge
//!     whose two ends lie outside stays even if its straight line crosses
//!     the box. Each removed world edge with exactly one end `w` outside is
//!     a *boundary edge*: let `c` be the point where the straight segment
//!     from `w` to its inside end `v` enters the box (linear in degrees) and
//!     `t = |wc| / |wv|` along it; the edge is replaced by an edge of the
//!     same mode from `w` to the extract node `u` of that mode nearest to `c`
//!     if it lies within [`USER_JOIN_RADIUS_M`] of `c`, of length
//!     `t × (the world edge's length) + haversine(c, u)` (the world's
//!     length outside the box, scaled like the line, plus the gap to the
//!     extract). A boundary edge with no such node is dropped (the world
//!     line ends at the box) and reported with its position. A later
//!     extract's `replace` also clears earlier extracts inside its box.
//!   - *`add`*: nothing is removed; each connected component of the
//!     extract (per mode) is joined to the world by one edge of its mode
//!     between its node and the world junction of that mode that are
//!     nearest to each other, of haversine length, if within
//!     [`USER_JOIN_RADIUS_M`]; components farther away stay apart and are
//!     reported.
//!   - *Links* (GeoJSON LineStrings, CSV rows): one edge of the link's mode
//!     between the line's two ends, of the published `length_km` or else the
//!     haversine length along all its vertices; each end reuses the nearest
//!     junction of the mode within [`LINK_SNAP_M`] (the Belt and Road
//!     links' rule) or becomes a new junction (its country as for extract
//!     nodes). Interior vertices give the length only: a detailed line does
//!     not snap onto every line it passes. A link with neither end joined
//!     is reported as joining nothing (it is kept: a user terminal may
//!     join it). Links are joined right after the Belt and Road links.
//!   - *Nodes*: a `port` is a seaport hub joined to the nearest marnet node
//!     within [`PORT_SEA_RADIUS_M`] and to up to [`BRI_JOINS`] rail and road
//!     nodes within [`BRI_TERMINAL_RADIUS_M`]; a `rail_terminal` or
//!     `dry_port` is a terminal hub joined to up to [`BRI_JOINS`] rail and
//!     road nodes within [`BRI_TERMINAL_RADIUS_M`] (the curated terminals'
//!     rules); an `airport` joins the nearest road node within
//!     [`AIRPORT_ROAD_RADIUS_M`] and every cargo-hub airport by an air arc
//!     of great-circle length (the air network's rule). A
//!     `border_crossing` prices the border edges of its mode (rail unless
//!     `road`) whose midpoint lies within [`BRI_CROSSING_RADIUS_M`] of it
//!     and, where `country`/`country_b` are given, that join those
//!     countries (the nearest user crossing where several fit), with its
//!     dwell (midpoint of `dwell_h_min..max`) and `fee_usd`; on those edges
//!     it replaces a curated crossing's figures. Hubs are joined after the
//!     curated hubs, over every junction including user links' new ends.
//!   - *Ferries*: a hub at each end of the line joined to up to
//!     [`BRI_JOINS`] rail and road nodes within [`BRI_TERMINAL_RADIUS_M`],
//!     and one ferry edge of the length along the line, priced like a
//!     curated ferry (`crossing_h`, half the headway from
//!     `sailings_per_week`).
//!   - Every user record that joins nothing is reported with its file and
//!     id.

/// Changes whenever a rule below changes, so old compiled networks are stale.
pub const RULES_VERSION: u32 = 8;

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

/// A user extract node takes the country of the nearest world junction of
/// its mode within this (the same 30 km the Belt and Road layer uses for its
/// new nodes).
pub const USER_COUNTRY_RADIUS_M: f64 = 30_000.0;

/// A `replace` extract joins a world edge at its box edge, and an `add`
/// extract's component joins the world, no farther than this (10 km: an
/// extract cut at its box ends within metres of the box edge, and world
/// nodes lie up to a few km off the OSM line they simplify).
pub const USER_JOIN_RADIUS_M: f64 = 10_000.0;

/// Record countries: an airport, port or terminal lies in the country its
/// record names unless its this many nearest road junctions within
/// [`PLACEMENT_RADIUS_M`] all lie in one other country (junctions carry
/// Natural Earth countries; a record near a border, with junctions of both
/// countries among its nearest, or with none that near, is not reported).
/// Offenders are a build warning, never an error (`crate::placement`).
pub const PLACEMENT_NEIGHBOURS: usize = 5;

/// See [`PLACEMENT_NEIGHBOURS`]: 25 km, the ports' land-join radius
/// ([`PORT_LAND_RADIUS_M`]); farther, a junction says little about the
/// point.
pub const PLACEMENT_RADIUS_M: f64 = 25_000.0;

/// The build's warning names this many offenders (and counts them all).
pub const PLACEMENT_SHOWN: usize = 8;
