//! Which arcs and nodes a search may use: a [`Filter`] of allowed modes
//! (transfers only between allowed modes), closed sea passages, nodes the
//! constraints close (countries, places, areas such as a [`BBox`]) and a
//! scenario's [`Penalties`](crate::penalties::Penalties).

use silkroute_graph::Network;
use silkroute_model::{LatLon, Mode, ModeSet, NodeId, Passage};

/// A rectangle in degrees (west, south, east, north); west > east wraps the
/// antimeridian.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BBox {
    pub west: f64,
    pub south: f64,
    pub east: f64,
    pub north: f64,
}

impl BBox {
    pub fn contains(&self, p: LatLon) -> bool {
        let lon_ok = if self.west <= self.east {
            (self.west..=self.east).contains(&p.lon)
        } else {
            p.lon >= self.west || p.lon <= self.east
        };
        lon_ok && (self.south..=self.north).contains(&p.lat)
    }
}

/// Which arcs a search may use: the allowed modes (transfers only between
/// allowed modes), no closed sea passage, and no node the constraints close
/// (avoided countries, places or areas).
#[derive(Clone, Debug, PartialEq)]
pub struct Filter {
    pub modes: ModeSet,
    /// Bit `Passage as u8` set for each closed passage.
    pub closed_passages: u32,
    /// Nodes closed by `--avoid` (countries, places, areas); empty = none.
    pub closed_nodes: Vec<bool>,
    /// A scenario's closed arcs, delays, extra costs and capacity cuts
    /// (see [`crate::penalties`]); applied to the weights, not to
    /// [`Filter::allows`].
    pub penalties: Option<std::sync::Arc<crate::penalties::Penalties>>,
}

impl Filter {
    /// The Northwest Passage is closed by default: it is ice-bound most of
    /// the year and carries almost no container traffic, and searoute closes
    /// it by default for the same reason.
    pub const DEFAULT_CLOSED: [Passage; 1] = [Passage::Northwest];

    pub fn new(modes: ModeSet) -> Filter {
        let mut f = Filter {
            modes,
            closed_passages: 0,
            closed_nodes: Vec::new(),
            penalties: None,
        };
        for p in Filter::DEFAULT_CLOSED {
            f.close(p);
        }
        f
    }

    pub fn close(&mut self, p: Passage) {
        self.closed_passages |= 1 << (p as u8);
    }

    pub fn open(&mut self, p: Passage) {
        self.closed_passages &= !(1 << (p as u8));
    }

    pub fn is_closed(&self, p: Passage) -> bool {
        self.closed_passages & (1 << (p as u8)) != 0
    }

    /// Closes every node for which `close` is true.
    pub fn close_nodes(&mut self, net: &Network, close: impl Fn(NodeId) -> bool) {
        if self.closed_nodes.is_empty() {
            self.closed_nodes = vec![false; net.node_count()];
        }
        for v in 0..net.node_count() {
            if close(NodeId(v as u32)) {
                self.closed_nodes[v] = true;
            }
        }
    }

    pub fn node_open(&self, v: u32) -> bool {
        self.closed_nodes.get(v as usize).is_none_or(|c| !c)
    }

    /// True when an arc of `mode` (joining `joins` if a transfer, crossing
    /// `passage` if non-zero) may be used.
    #[inline]
    pub fn allows(&self, mode: u8, joins: u8, passage: u8) -> bool {
        let mode_ok = if mode == Mode::Transfer as u8 {
            joins != 0 && self.modes.contains_all(ModeSet(joins))
        } else {
            self.modes.0 & (1 << mode) != 0
        };
        mode_ok && (passage == 0 || self.closed_passages & (1 << passage) == 0)
    }

    /// [`Filter::allows`] plus the node constraints at both ends of arc `a`.
    #[inline]
    pub fn allows_arc(
        &self,
        net: &Network,
        tail: u32,
        a: usize,
        mode: u8,
        joins: u8,
        passage: u8,
    ) -> bool {
        self.allows(mode, joins, passage)
            && self.node_open(tail)
            && self.node_open(net.arc_head()[a])
    }
}
