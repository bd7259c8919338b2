//! Provenance of the curated Belt and Road layer: which nodes and edges of
//! the raw network each record of `data/bri/` put there (a missing link's
//! edges, a terminal's or port's hub, a ferry's crossing) and, for each
//! border crossing record, the rail or road edges that cross its border
//! near it.
//!
//! The import records this while it joins the layer, so later stages (the
//! criticality ranking, the Belt and Road before/after comparison) can close
//! exactly what a record added instead of guessing it back from coordinates.
//! The CLI stores the list in an extension section of the network file
//! (`route::curated`).

/// What kind of record a [`CuratedRecord`] comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CuratedKind {
    /// `missing_links.toml`: the edges along the link's waypoints.
    Link,
    /// `terminals.toml`, a rail terminal or dry port: its hub node.
    Terminal,
    /// `terminals.toml`, a seaport: its hub node.
    Port,
    /// `ferries.toml`: the crossing edge and the two ferry-port hubs.
    Ferry,
    /// `border_crossings.toml`: the border edges of its mode near it.
    Crossing,
}

impl CuratedKind {
    pub const ALL: [CuratedKind; 5] = [
        CuratedKind::Link,
        CuratedKind::Terminal,
        CuratedKind::Port,
        CuratedKind::Ferry,
        CuratedKind::Crossing,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            CuratedKind::Link => "link",
            CuratedKind::Terminal => "terminal",
            CuratedKind::Port => "port",
            CuratedKind::Ferry => "ferry",
            CuratedKind::Crossing => "crossing",
        }
    }
}

/// The part of the raw network one curated record accounts for.
#[derive(Clone, Debug, PartialEq)]
pub struct CuratedRecord {
    pub kind: CuratedKind,
    /// The record's `id` in its file.
    pub id: String,
    pub name: String,
    /// Hub nodes the record added (closing one closes all its arcs).
    pub nodes: Vec<u32>,
    /// Edges (as node pairs, either direction) the record added or, for a
    /// crossing, the border edges it names.
    pub edges: Vec<(u32, u32)>,
}
