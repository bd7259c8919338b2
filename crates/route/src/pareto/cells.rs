//! Cells: small regions of one transport mode that the Pareto search
//! crosses by paths between their boundary nodes instead of node by node.
//!
//! Rail, road and sea weights are linear in length for every criterion
//! (time, cost and CO2e per metre are the mode's rates, with no fixed part;
//! see [`crate::metric::linear_rates`]): between two nodes of a one-mode
//! region the shortest path is also the fastest, the cheapest and the
//! cleanest, up to rounding each arc's weights to whole seconds, cents and
//! grams, whatever the cost model or cargo. A route that crosses such a
//! region never needs more than that one path between where it enters and
//! where it leaves, so the label search need not leave labels on the
//! region's inner nodes. (Measured for Chongqing → Duisburg: 97 % of the
//! labels sat on nodes whose arcs are all road, or all rail, with no border
//! or transfer.)
//!
//! An arc may lie inside a cell when both its ends have arcs of one linear
//! mode only (other arcs, such as a terminal's transfers, do not count), it
//! is of that mode, and it stays inside one country with no border, gauge
//! change, curated element or sea passage ([`LinearArcs`]). Nodes are
//! grown over such arcs into cells of at most [`CELL_SIZE`] nodes (breadth
//! first); a cell's *boundary* nodes are those with any other arc, to or
//! from outside the cell or not linear (so a port or terminal is itself a
//! boundary node of its cell). For each boundary node, `silkroute build`
//! stores one *path across* to every boundary node of its cell that its
//! shortest path inside the cell reaches without passing another boundary
//! node (with the path's length and arc count).
//! Any shortest path across a cell is a chain of such pieces. All of this
//! depends on the network only, so it is computed once, at build time.
//!
//! Per query weighting, a cell is used only if all its inside arcs are
//! open and none carries a scenario penalty ([`Cells::new`]); a path across is then
//! weighted `floor(rate × length + arcs / 2)` per criterion, never below the
//! sum of its arcs' rounded weights, so the per-criterion bounds stay
//! consistent and a route is never better than its labels said. Cells are
//! used only with ε > 0, where such differences of a few units vanish in
//! the (1 + ε) factor; a query whose end or via place lies in a cell
//! searches that cell node by node.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use silkroute_graph::Network;
use silkroute_model::{Mode, NodeId, haversine_m};

use super::Compact;

/// Nodes per cell at most.
pub const CELL_SIZE: usize = 4096;

/// Extension sections: layout version, then the cell of each node, each
/// node's range of paths across, and the paths (head, length m, arcs).
pub const VERSION_SECTION: u32 = 21;
const VERSION: u32 = 1;
const CELL_SECTION: u32 = 22;
const FIRST_SECTION: u32 = 23;
const ACROSS_SECTION: u32 = 24;

/// Marks a search arc that stands for a path across a cell (its index in
/// [`Cells::arcs`] below the bit).
pub const CLIQUE_BIT: u32 = 1 << 30;

/// In [`Cells::arcs`]: the entry is an arc out of the cell, its compact
/// arc index below the bit.
const CUT: u32 = 1 << 31;

/// The cells of a network, as extension sections (see the module comment).
pub fn build_sections(net: &Network) -> Vec<(u32, Vec<u32>)> {
    let n = net.node_count();
    let (first_out, head) = (net.first_out(), net.arc_head());
    let linear = LinearArcs::new(net);
    let mut cell = vec![u32::MAX; n];
    let mut cells = 0u32;
    let mut queue = std::collections::VecDeque::new();
    for seed in 0..n {
        if linear.modes[seed] == 0 || cell[seed] != u32::MAX {
            continue;
        }
        let id = cells;
        cells += 1;
        cell[seed] = id;
        let mut size = 1;
        queue.clear();
        queue.push_back(seed as u32);
        'grow: while let Some(v) = queue.pop_front() {
            for a in first_out[v as usize]..first_out[v as usize + 1] {
                let h = head[a as usize] as usize;
                if cell[h] == u32::MAX && linear.contains(v as usize, a as usize) {
                    cell[h] = id;
                    size += 1;
                    queue.push_back(h as u32);
                    if size == CELL_SIZE {
                        break 'grow;
                    }
                }
            }
        }
    }
    let layout = Layout::new(net, &linear, &cell, cells as usize);
    // Paths across each cell, from each of its boundary nodes.
    use rayon::prelude::*;
    // Per cell, its paths across as (tail, [head, length, arcs]); `None`
    // if a length does not fit.
    type Across = Option<Vec<(u32, [u32; 3])>>;
    let across: Vec<Across> = (0..cells as usize)
        .into_par_iter()
        .map(|c| {
            let view = layout.view(c);
            let mut scratch = Scratch::default();
            let mut out = Vec::new();
            for &s in view.members {
                if !layout.boundary[s as usize] {
                    continue;
                }
                let mut fits = true;
                scratch.run(net, &view, s, None, |b, len, count| {
                    match u32::try_from(len) {
                        Ok(len) => out.push((s, [b, len, count])),
                        Err(_) => fits = false,
                    }
                });
                if !fits {
                    return None;
                }
            }
            Some(out)
        })
        .collect();
    // A cell too long for the stored lengths is searched node by node.
    for (c, a) in across.iter().enumerate() {
        if a.is_none() {
            for &v in layout.members(c) {
                cell[v as usize] = u32::MAX;
            }
        }
    }
    let mut first = Vec::with_capacity(n + 1);
    let mut paths = Vec::new();
    let mut all: Vec<(u32, [u32; 3])> = across.into_iter().flatten().flatten().collect();
    all.sort_by_key(|(s, _)| *s);
    let mut i = 0;
    first.push(0);
    for v in 0..n as u32 {
        while i < all.len() && all[i].0 == v {
            paths.extend_from_slice(&all[i].1);
            i += 1;
        }
        first.push((paths.len() / 3) as u32);
    }
    vec![
        (VERSION_SECTION, vec![VERSION]),
        (CELL_SECTION, cell),
        (FIRST_SECTION, first),
        (ACROSS_SECTION, paths),
    ]
}

/// Which arcs may lie inside a cell: of the one linear mode (rail, road
/// or sea) of both their ends, inside one country, with no border, gauge
/// change, curated element or sea passage. Their weights are then linear in
/// their length for every criterion.
struct LinearArcs<'n> {
    net: &'n Network,
    head: &'n [u32],
    mode: &'n [u8],
    flags: &'n [u8],
    passage: &'n [u8],
    country: &'n [u16],
    /// Per node, its one linear mode as code + 1, or 0 if it has arcs of
    /// none or of several.
    modes: Vec<u8>,
}

impl<'n> LinearArcs<'n> {
    fn new(net: &'n Network) -> LinearArcs<'n> {
        let (first_out, mode) = (net.first_out(), net.arc_mode());
        let linear = [Mode::Rail as u8, Mode::Road as u8, Mode::Sea as u8];
        let modes = (0..net.node_count())
            .map(|v| {
                let mut found = 0u8;
                for &m in &mode[first_out[v] as usize..first_out[v + 1] as usize] {
                    if linear.contains(&m) {
                        if found != 0 && found != m + 1 {
                            return 0;
                        }
                        found = m + 1;
                    }
                }
                found
            })
            .collect();
        LinearArcs {
            net,
            head: net.arc_head(),
            mode,
            flags: net.arc_flags(),
            passage: net.arc_passage(),
            country: net.country_codes(),
            modes,
        }
    }

    /// Whether arc `a` out of `v` may lie inside a cell.
    fn contains(&self, v: usize, a: usize) -> bool {
        let h = self.head[a] as usize;
        let m = self.modes[v];
        m != 0
            && self.mode[a] + 1 == m
            && self.modes[h] == m
            && self.flags[a] == 0
            && self.passage[a] == 0
            && self.country[h] == self.country[v]
            && self.net.arc_element(a).is_none()
    }
}

/// What the cells a network file stores amount to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CellStats {
    pub cells: usize,
    /// Nodes in some cell.
    pub nodes: usize,
    /// Paths across cells, over all boundary nodes.
    pub paths_across: usize,
}

/// The network's stored cells, if it has valid ones.
pub fn stats(net: &Network) -> Option<CellStats> {
    let s = Stored::load(net)?;
    let in_cells = s.cell.iter().filter(|c| **c != u32::MAX);
    Some(CellStats {
        cells: in_cells.clone().max().map_or(0, |c| *c as usize + 1),
        nodes: in_cells.count(),
        paths_across: s.across.len() / 3,
    })
}

/// The stored cells of a network, checked; `None` if it has none or they
/// do not fit it (then the search runs node by node everywhere).
struct Stored<'n> {
    cell: &'n [u32],
    first: &'n [u32],
    /// `(head, length m, arcs)` triples.
    across: &'n [u32],
}

impl<'n> Stored<'n> {
    /// The sections, if present with this layout and sizes that fit the
    /// network (cheap: no pass over them).
    fn sections(net: &'n Network) -> Option<Stored<'n>> {
        if net.extension(VERSION_SECTION)? != [VERSION] {
            return None;
        }
        let n = net.node_count();
        let (cell, first, across) = (
            net.extension(CELL_SECTION)?,
            net.extension(FIRST_SECTION)?,
            net.extension(ACROSS_SECTION)?,
        );
        (cell.len() == n && first.len() == n + 1 && across.len() == 3 * first[n] as usize)
            .then_some(Stored {
                cell,
                first,
                across,
            })
    }

    /// [`Stored::sections`], checked in full before a search relies on
    /// them: cell ids in range, ranges in order, every path across ending
    /// in its tail's cell.
    fn load(net: &'n Network) -> Option<Stored<'n>> {
        let s = Stored::sections(net)?;
        let n = s.cell.len();
        let ok = s.cell.iter().all(|&c| c == u32::MAX || (c as usize) < n)
            && s.first[0] == 0
            && s.first.windows(2).all(|w| w[0] <= w[1])
            && (0..n).all(|v| {
                s.across[3 * s.first[v] as usize..3 * s.first[v + 1] as usize]
                    .chunks_exact(3)
                    .all(|p| (p[0] as usize) < n && s.cell[p[0] as usize] == s.cell[v])
            });
        ok.then_some(s)
    }
}

/// Whether the network carries cells in this version's layout (a cheap
/// check, for deciding at start-up whether a cached file is current).
pub fn present(net: &Network) -> bool {
    Stored::sections(net).is_some()
}

/// Cell membership laid out for searches inside cells.
#[derive(Default)]
struct Layout {
    /// Cell `c`'s nodes, sorted: `members[start[c]..start[c + 1]]`.
    start: Vec<u32>,
    members: Vec<u32>,
    /// Each cell node's index in its cell's members.
    local_of: Vec<u32>,
    /// Nodes with an arc to or from another cell or a node in none, or an
    /// arc that may not lie inside a cell.
    boundary: Vec<bool>,
    /// One bit per network arc: whether it lies inside a cell (linear,
    /// between two nodes of the same cell).
    inside: Vec<u64>,
}

impl Layout {
    fn new(net: &Network, linear: &LinearArcs, cell: &[u32], cells: usize) -> Layout {
        let n = cell.len();
        let (first_out, head) = (net.first_out(), net.arc_head());
        let mut boundary = vec![false; n];
        let mut inside = vec![0u64; net.arc_count().div_ceil(64)];
        for v in 0..n {
            for a in first_out[v] as usize..first_out[v + 1] as usize {
                let h = head[a] as usize;
                if cell[v] == u32::MAX && cell[h] == u32::MAX {
                    continue;
                }
                if cell[v] != cell[h] || !linear.contains(v, a) {
                    boundary[v] = true;
                    boundary[h] = true;
                } else {
                    inside[a / 64] |= 1 << (a % 64);
                }
            }
        }
        let mut start = vec![0u32; cells + 1];
        for &c in cell {
            if c != u32::MAX {
                start[c as usize + 1] += 1;
            }
        }
        for c in 0..cells {
            start[c + 1] += start[c];
        }
        let mut members = vec![0u32; start[cells] as usize];
        let mut local_of = vec![u32::MAX; n];
        let mut fill = start.clone();
        for (v, &c) in cell.iter().enumerate() {
            if c != u32::MAX {
                let c = c as usize;
                members[fill[c] as usize] = v as u32;
                local_of[v] = fill[c] - start[c];
                fill[c] += 1;
            }
        }
        Layout {
            start,
            members,
            local_of,
            boundary,
            inside,
        }
    }

    fn members(&self, c: usize) -> &[u32] {
        &self.members[self.start[c] as usize..self.start[c + 1] as usize]
    }

    fn view(&self, c: usize) -> CellView<'_> {
        CellView {
            members: self.members(c),
            local_of: &self.local_of,
            boundary: &self.boundary,
            inside: &self.inside,
        }
    }
}

/// The cells of one query weighting (see the module comment).
#[derive(Default)]
pub struct Cells {
    /// Cell of each node as stored; `u32::MAX` for nodes in none.
    stored_cell: Vec<u32>,
    /// Whether each stored cell is used for this weighting.
    usable: Vec<bool>,
    /// Per node (`n + 1` entries): its range in `arcs` (boundary nodes of
    /// usable cells only; others have an empty one).
    first: Vec<u32>,
    /// A boundary node's arcs: a path across its cell `(head, weights)`,
    /// or an arc out of the cell `(CUT | compact arc, _)`.
    arcs: Vec<(u32, [u32; 3])>,
    /// Indexed like `arcs`: a path across's length in metres (to check
    /// the path found when unpacking it).
    length: Vec<u32>,
    layout: Layout,
}

/// One of a boundary node's search arcs.
pub enum CellArc {
    /// A path across the cell: its id (with [`CLIQUE_BIT`]), head and weights.
    Across(u32, u32, [u32; 3]),
    /// An arc out of the cell (a compact arc index).
    Out(u32),
}

impl Cells {
    /// The stored cells usable with `compact`'s weights: `weights` are the
    /// three criteria's network arc weights (`u32::MAX` where closed),
    /// `rates` their per-metre rates and fixed parts per mode code
    /// ([`crate::metric::linear_rates`]), `irregular` the sorted network
    /// arcs whose weights a scenario changes.
    pub fn new(
        net: &Network,
        compact: &Compact,
        weights: [&[u32]; 3],
        rates: [([f64; 6], [f64; 6]); 3],
        irregular: &[u32],
    ) -> Cells {
        let Some(stored) = Stored::load(net) else {
            return Cells::default();
        };
        let n = net.node_count();
        let cells = stored
            .cell
            .iter()
            .filter(|c| **c != u32::MAX)
            .max()
            .map_or(0, |c| *c as usize + 1);
        let first_out = net.first_out();
        let linear = LinearArcs::new(net);
        let layout = Layout::new(net, &linear, stored.cell, cells);
        let inside = |a: usize| layout.inside[a / 64] >> (a % 64) & 1 != 0;
        // A cell is used when every arc inside it is open, unpenalized and
        // linear in length for all three criteria.
        let mut usable = vec![true; cells];
        for v in 0..n {
            let c = stored.cell[v];
            if c == u32::MAX {
                continue;
            }
            let m = linear.modes[v] as usize - 1;
            for a in first_out[v] as usize..first_out[v + 1] as usize {
                if !inside(a) {
                    continue;
                }
                if weights.iter().any(|w| w[a] == u32::MAX)
                    || rates.iter().any(|(_, fixed)| fixed[m] != 0.0)
                    || irregular.binary_search(&(a as u32)).is_ok()
                {
                    usable[c as usize] = false;
                }
            }
        }
        let mut first = Vec::with_capacity(n + 1);
        let mut arcs = Vec::new();
        let mut length = Vec::new();
        first.push(0);
        for (v, &c) in stored.cell.iter().enumerate() {
            if c != u32::MAX && usable[c as usize] && layout.boundary[v] {
                for a in compact.first_out[v]..compact.first_out[v + 1] {
                    if !inside(compact.network_arc[a as usize] as usize) {
                        arcs.push((CUT | a, [0; 3]));
                        length.push(0);
                    }
                }
                let m = linear.modes[v] as usize - 1;
                for p in stored.across
                    [3 * stored.first[v] as usize..3 * stored.first[v + 1] as usize]
                    .chunks_exact(3)
                {
                    let (h, len, count) = (p[0], p[1] as f64, p[2] as f64);
                    let w = rates.map(|(per_m, _)| {
                        (per_m[m] * len + count / 2.0)
                            .floor()
                            .clamp(0.0, (u32::MAX - 1) as f64) as u32
                    });
                    arcs.push((h, w));
                    length.push(p[1]);
                }
            }
            first.push(arcs.len() as u32);
        }
        Cells {
            stored_cell: stored.cell.to_vec(),
            usable,
            first,
            arcs,
            length,
            layout,
        }
    }

    /// The usable cell `v` lies in, if any.
    pub fn cell_of(&self, v: usize) -> Option<u32> {
        let c = *self.stored_cell.get(v)?;
        (c != u32::MAX && self.usable[c as usize]).then_some(c)
    }

    /// Whether `v` has an arc to or from outside its cell.
    pub fn is_boundary(&self, v: usize) -> bool {
        self.layout.boundary.get(v).copied().unwrap_or(false)
    }

    /// The nodes of usable cell `c`.
    pub fn members(&self, c: u32) -> &[u32] {
        self.layout.members(c as usize)
    }

    /// Whether `v` lies in a usable cell.
    pub fn in_cell(&self, v: usize) -> bool {
        self.cell_of(v).is_some()
    }

    /// Calls `f` for each search arc of a node of a usable cell (only
    /// boundary nodes have any).
    #[inline]
    pub fn for_each_arc(&self, v: usize, mut f: impl FnMut(CellArc)) {
        for i in self.first[v]..self.first[v + 1] {
            let (h, w) = self.arcs[i as usize];
            if h & CUT != 0 {
                f(CellArc::Out(h & !CUT));
            } else {
                f(CellArc::Across(CLIQUE_BIT | i, h, w));
            }
        }
    }

    /// The network arcs of the paths across cells that search arcs `ids`
    /// (with [`CLIQUE_BIT`]) stand for: one search per tail, in parallel.
    pub fn paths(&self, net: &Network, ids: &[u32]) -> HashMap<u32, Vec<u32>> {
        use rayon::prelude::*;
        let mut by_tail: Vec<(u32, u32)> = ids
            .iter()
            .map(|id| {
                let i = id & !CLIQUE_BIT;
                ((self.first.partition_point(|&x| x <= i) - 1) as u32, *id)
            })
            .collect();
        by_tail.sort_unstable();
        by_tail.dedup();
        let groups: Vec<&[(u32, u32)]> = by_tail.chunk_by(|a, b| a.0 == b.0).collect();
        let one = |scratch: &mut Scratch, group: &&[(u32, u32)]| {
            let tail = group[0].0;
            let c = self.stored_cell[tail as usize] as usize;
            let view = self.layout.view(c);
            // One path wanted (the common case): an A* search to it,
            // checked against the stored length; otherwise, or if the
            // check fails, all paths from the tail as at build time.
            let mut out = Vec::with_capacity(group.len());
            for &(_, id) in group.iter() {
                let i = (id & !CLIQUE_BIT) as usize;
                let head = self.arcs[i].0;
                let at = self.layout.local_of[head as usize];
                scratch.run(net, &view, tail, Some(head), |_, _, _| {});
                if scratch.dist(at as usize) != self.length[i] as u64 {
                    scratch.run(net, &view, tail, None, |_, _, _| {});
                }
                out.push((id, scratch.path_to(at)));
            }
            out
        };
        let found: Vec<Vec<(u32, Vec<u32>)>> =
            groups.par_iter().map_init(Scratch::default, one).collect();
        found.into_iter().flatten().collect()
    }
}

/// One cell, for a search inside it.
struct CellView<'a> {
    members: &'a [u32],
    local_of: &'a [u32],
    boundary: &'a [bool],
    inside: &'a [u64],
}

/// A shortest-path search by length inside one cell, from one boundary node.
/// Kept between searches: entries are valid only with the current stamp,
/// so starting one costs nothing however large the last cell was.
#[derive(Default)]
struct Scratch {
    stamp: u32,
    entries: Vec<Entry>,
    heap: BinaryHeap<Reverse<(u64, u32)>>,
}

/// What a search knows of one cell member.
#[derive(Clone, Copy)]
struct Entry {
    stamp: u32,
    /// Arcs on the path so far.
    count: u32,
    /// Network arc into the member on its path (`u32::MAX` at the start).
    pred: u32,
    pred_node: u32,
    dist: u64,
    /// A* potential (`u64::MAX`: not yet computed).
    potential: u64,
    /// Whether the path passes another boundary node.
    through: bool,
}

impl Scratch {
    /// Member `x`'s entry, fresh if the current search has not touched it.
    #[inline]
    fn entry(&mut self, x: usize) -> &mut Entry {
        let stamp = self.stamp;
        let e = &mut self.entries[x];
        if e.stamp != stamp {
            *e = Entry {
                stamp,
                count: 0,
                pred: u32::MAX,
                pred_node: u32::MAX,
                dist: u64::MAX,
                potential: u64::MAX,
                through: false,
            };
        }
        e
    }

    /// Distance found to member `x` (`u64::MAX` if none).
    fn dist(&self, x: usize) -> u64 {
        let e = &self.entries[x];
        if e.stamp == self.stamp {
            e.dist
        } else {
            u64::MAX
        }
    }

    /// Shortest paths from `s` to the cell's other boundary nodes;
    /// `emit(b, length, arcs)` for each that passes no other boundary node.
    /// With `goal`, an A* search to that node only, led by 99 % of the
    /// great-circle distance (arcs are at least as long as the straight
    /// line between their ends, so its path is a shortest one; the caller
    /// checks its length).
    fn run(
        &mut self,
        net: &Network,
        cell: &CellView,
        s: u32,
        goal: Option<u32>,
        mut emit: impl FnMut(u32, u64, u32),
    ) {
        let goal_pos = goal.map(|g| net.pos(NodeId(g)));
        let potential = |v: usize| match goal_pos {
            None => 0,
            Some(p) => (0.99 * haversine_m(net.pos(NodeId(v as u32)), p)) as u64,
        };
        let (first_out, head, length) = (net.first_out(), net.arc_head(), net.arc_length_m());
        let k = cell.members.len();
        if self.entries.len() < k {
            self.entries.resize(
                k,
                Entry {
                    stamp: 0,
                    count: 0,
                    pred: 0,
                    pred_node: 0,
                    dist: 0,
                    potential: 0,
                    through: false,
                },
            );
        }
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            for e in &mut self.entries {
                e.stamp = 0;
            }
            self.stamp = 1;
        }
        self.heap.clear();
        let si = cell.local_of[s as usize] as usize;
        let start = self.entry(si);
        start.dist = 0;
        start.potential = potential(s as usize);
        let key = start.potential;
        self.heap.push(Reverse((key, si as u32)));
        while let Some(Reverse((key, x))) = self.heap.pop() {
            let x = x as usize;
            let v = cell.members[x];
            let here = *self.entry(x);
            let d = here.dist;
            if key > d + here.potential {
                continue;
            }
            if goal == Some(v) {
                break;
            }
            let at_boundary = x != si && cell.boundary[v as usize];
            if at_boundary && !here.through {
                emit(v, d, here.count);
            }
            let through = here.through || at_boundary;
            for a in first_out[v as usize] as usize..first_out[v as usize + 1] as usize {
                if cell.inside[a / 64] >> (a % 64) & 1 == 0 {
                    continue;
                }
                let h = head[a] as usize;
                let y = cell.local_of[h] as usize;
                let nd = d + length[a] as u64;
                let e = self.entry(y);
                if nd < e.dist {
                    e.dist = nd;
                    e.count = here.count + 1;
                    e.pred = a as u32;
                    e.pred_node = x as u32;
                    e.through = through;
                    if e.potential == u64::MAX {
                        e.potential = potential(h);
                    }
                    let key = nd + e.potential;
                    self.heap.push(Reverse((key, y as u32)));
                }
            }
        }
    }

    /// The network arcs of the path found to member `x`.
    fn path_to(&self, mut x: u32) -> Vec<u32> {
        let mut path = Vec::new();
        while self.entries[x as usize].pred != u32::MAX {
            path.push(self.entries[x as usize].pred);
            x = self.entries[x as usize].pred_node;
        }
        path.reverse();
        path
    }
}
