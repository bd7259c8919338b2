//! The raw network: what `import` hands to `compile`. Plain vectors of nodes,
//! undirected edges, gazetteer places and curated elements, in source order.
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
    /// The curated element (index into `RawNetwork::elements`) whose figures
    /// price this edge instead of the cost model's defaults.
    pub element: Option<u32>,
}

/// A curated element of the network (a named border crossing or ferry) with
/// the figures that price the arcs carrying it. The values are data, read
/// from a source by `import`; `route` decides how they are used. `NaN`
/// means "not published": the cost model's default applies.
#[derive(Clone, Debug, PartialEq)]
pub struct RawElement {
    /// What the record is, one of the `ELEMENT_*` labels.
    pub kind: &'static str,
    /// Stable id of the record (e.g. `khorgos-altynkol`).
    pub id: String,
    pub name: String,
    /// How the figures were obtained, one line (shown to users).
    pub basis: String,
    /// Border dwell, hours.
    pub dwell_h: f32,
    /// Border fee, USD per container.
    pub fee_usd: f32,
    /// Ferry crossing time, hours.
    pub crossing_h: f32,
    /// Expected wait for a ferry sailing, hours.
    pub wait_h: f32,
}

/// Kinds of curated elements (`RawElement::kind`, `Element::kind`).
pub const ELEMENT_CROSSING: &str = "crossing";
pub const ELEMENT_FERRY: &str = "ferry";
pub const ELEMENT_LINK: &str = "link";
pub const ELEMENT_TERMINAL: &str = "terminal";

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
            element: None,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct RawNetwork {
    pub nodes: Vec<RawNode>,
    pub edges: Vec<RawEdge>,
    pub places: Vec<Place>,
    /// Curated elements that edges refer to by `RawEdge::element`.
    pub elements: Vec<RawElement>,
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
