//! Connected components of the network, per mode and for all modes together.
//!
//! Computed once when the network is compiled and stored in the file, because
//! both `inspect` (report the islands) and snapping (never join a 10-node
//! island when the main network is near) need them. Component ids are ranked
//! by size, so component 0 is always the largest of its column.

use silkroute_model::{Mode, ModeSet};

/// Component columns: one per travel mode, then one over every arc including
/// transfers ("any").
pub const COLUMNS: usize = 6;
pub const ANY_COLUMN: usize = 5;
pub const NONE: u32 = u32::MAX;

/// The column for a mode's own components.
pub fn column(mode: Mode) -> usize {
    match mode {
        Mode::Transfer => ANY_COLUMN,
        m => m as usize,
    }
}

struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind {
            parent: (0..n as u32).collect(),
        }
    }
    fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            let p = self.parent[x as usize];
            self.parent[x as usize] = self.parent[p as usize];
            x = p;
        }
        x
    }
    fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[hi as usize] = lo;
        }
    }
}

/// Labels nodes by component for the arcs that `in_column` accepts. Nodes with
/// no accepted arc and not in `members` get `NONE`. Returns (labels, sizes
/// largest first).
pub fn label(
    node_count: usize,
    arcs: impl Iterator<Item = (u32, u32)>,
    members: impl Fn(u32) -> bool,
) -> (Vec<u32>, Vec<u32>) {
    let mut uf = UnionFind::new(node_count);
    for (a, b) in arcs {
        uf.union(a, b);
    }
    let mut size_of_root = vec![0u32; node_count];
    for n in 0..node_count as u32 {
        if members(n) {
            let r = uf.find(n);
            size_of_root[r as usize] += 1;
        }
    }
    let mut roots: Vec<u32> = (0..node_count as u32)
        .filter(|r| size_of_root[*r as usize] > 0)
        .collect();
    roots.sort_by(|a, b| {
        size_of_root[*b as usize]
            .cmp(&size_of_root[*a as usize])
            .then(a.cmp(b))
    });
    let mut rank = vec![NONE; node_count];
    for (i, r) in roots.iter().enumerate() {
        rank[*r as usize] = i as u32;
    }
    let sizes = roots.iter().map(|r| size_of_root[*r as usize]).collect();
    let labels = (0..node_count as u32)
        .map(|n| {
            if members(n) {
                rank[uf.find(n) as usize]
            } else {
                NONE
            }
        })
        .collect();
    (labels, sizes)
}

/// The mode set a column describes (for reports).
pub fn column_modes(col: usize) -> ModeSet {
    if col == ANY_COLUMN {
        ModeSet::travel()
    } else {
        ModeSet::of(&[Mode::TRAVEL[col]])
    }
}
