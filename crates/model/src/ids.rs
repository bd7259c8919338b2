//! Typed ids for nodes and arcs of the compiled network.
//!
//! Ids are dense `u32` indices into the network's arrays. A typed id keeps a
//! node index from being used as an arc index, and prints readably
//! (`n42`, `a7`) in errors and debug output.

use std::fmt;

/// A node of the compiled network (junction, port, airport, terminal, …).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub u32);

/// A directed arc of the compiled network. Every undirected edge of the
/// sources is stored as two arcs, one per direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ArcId(pub u32);

impl NodeId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl ArcId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "n{}", self.0)
    }
}

impl fmt::Display for ArcId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a{}", self.0)
    }
}
