//! The raw network: what `import` hands to `compile`. Plain vectors of nodes,
//! undirected edges and gazetteer places, in source order.
//!
//! It is deliberately simple and owned, so importers can push into it and
//! tests can draw tiny networks by hand; the compiled `Network` is the
//! compact, read-only form.

use silkroute_model::{LatLon, Mode, ModeSet, NodeKind, Passage, Place};

#[derive(Clone, Debug, PartialEq)]
pub struct RawNode {
    pub pos: LatLon,
    pub kind: NodeKind,
    /// ISO 3166-1 alpha-2 when known.
    pub country: Option<[u8; 2]>,
    pub name: Option<String>,
}

impl RawNode {
    pub fn junction(lat: f64, lon: f64) -> RawNode {
        RawNode {
            pos: LatLon::new(lat, lon),
            kind: NodeKind::Junction,
            country: None,
            name: None,
        }
    }
}

/// An undirected edge; compiling stores it as two arcs.
#[derive(Clone, Debug, PartialEq)]
pub struct RawEdge {
    pub from: u32,
    pub to: u32,
    pub length_m: u32,
    pub mode: Mode,
    pub passage: Option<Passage>,
    /// Rail gauge in millimetres; 0 when unknown.
    pub gauge_mm: u16,
    /// For `Mode::Transfer` edges, the two modes joined; empty otherwise.
    pub joins: ModeSet,
    /// Bit set of `ARC_FLAG_*`.
    pub flags: u8,
}

/// The arc is a rail border crossing between countries of different gauge.
pub const ARC_FLAG_GAUGE_BREAK: u8 = 1;
/// The arc crosses a customs border (between countries outside a common
/// customs union), where cargo dwells for clearance.
pub const ARC_FLAG_CUSTOMS_BORDER: u8 = 2;

impl RawEdge {
    pub fn new(from: u32, to: u32, length_m: u32, mode: Mode) -> RawEdge {
        RawEdge {
            from,
            to,
            length_m,
            mode,
            passage: None,
            gauge_mm: 0,
            joins: ModeSet::EMPTY,
            flags: 0,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct RawNetwork {
    pub nodes: Vec<RawNode>,
    pub edges: Vec<RawEdge>,
    pub places: Vec<Place>,
    /// Identifies the inputs and import rules; stored in the file header so a
    /// network built from other data is recognised as stale.
    pub fingerprint: u64,
}

impl RawNetwork {
    pub fn add_node(&mut self, node: RawNode) -> u32 {
        self.nodes.push(node);
        (self.nodes.len() - 1) as u32
    }
}
