//! Many-to-many distances: one upward search per target and per source,
//! joined through buckets; optionally with the sums of other criteria
//! along each cell's path ([`matrix_with_sums`]).
//!
//! One side's searches (the targets', or the sources' when there are fewer
//! of them) leave `(owner, distance)` in a bucket at every ancestor they
//! reach; each search of the other side then scans the buckets of its own
//! ancestors, keeping per cell the least sum of the two distances. Buckets
//! are one array sorted by rank (with the distinct ranks beside it), not an
//! array over all nodes, so a small matrix costs what its searches touch.
//! A scan walks its ancestors in ascending rank and gallops through the
//! distinct ranks, and its inner loop over a bucket is branch-free (a
//! cell's best so far is kept with a conditional move), because which
//! meeting node wins is data the branch predictor cannot guess.
//! Searches run in parallel on rayon's pool, one buffer set per chunk.
//!
//! With sums, each search also records how it reached each node (the
//! position of the predecessor and the hierarchy arc from it); after it
//! finishes, a pass in ascending rank gives each node a record: the start
//! it came from and the companion sums ([`crate::Companions`]) along its
//! upward path. Bucket entries keep their node's record. The combine step
//! keeps one word per cell, the distance shifted left past the bits of the
//! scanning node's index with that index below, so a plain minimum finds
//! the least distance at the lowest meeting rank; the two halves' records
//! are added once per cell at the end. A cell's path is thus the one
//! through its lowest-ranked best meeting node, along the predecessors the
//! searches chose: among several paths of equal weight it may differ from
//! the one [`crate::Query::shortest`] unpacks, with equally optimal (but
//! possibly different) sums.
//!
//! On the 850 k-node multimodal network, a 1,000 × 1,000 table takes about
//! 0.24 s of CPU (0.15 s on 2 idle cores), and 0.5 s (0.3 s) with four
//! criteria; about 370 k bucket entries, of which each scan reads 120 k.

use std::sync::Mutex;

use rayon::prelude::*;

use crate::companion::Companions;
use crate::query::{NO_LINK, Track, Upward};
use crate::{HierarchyView, INF, MetricView, NONE};

/// Distances from every source to every target, row-major (`sources.len()`
/// rows of `targets.len()`), `None` where unreachable. Each source and target
/// is a set of `(node, offset)`, as in [`crate::Query::shortest`].
///
/// # Panics
/// If `m` was not customized on `h`, or a node id is out of range.
pub fn matrix<'a>(
    h: impl Into<HierarchyView<'a>>,
    m: impl Into<MetricView<'a>>,
    sources: &[Vec<(u32, u64)>],
    targets: &[Vec<(u32, u64)>],
) -> Vec<Option<u64>> {
    matrix_in(h, m, sources, targets, &MatrixBuffers::default())
}

/// Search buffers kept between matrices on one hierarchy (16 bytes per
/// node for each search that ran at once, about one per thread), so that a small matrix does not
/// spend its time allocating and clearing them: pass the same one to
/// [`matrix_in`] and [`matrix_with_sums`] for every matrix on a hierarchy.
/// `Send + Sync`; each search takes a buffer and gives it back clean.
#[derive(Default)]
pub struct MatrixBuffers {
    free: Mutex<Vec<Upward>>,
}

impl MatrixBuffers {
    fn take(&self, n: usize) -> Upward {
        let mut free = self.free.lock().unwrap_or_else(|e| e.into_inner());
        // Buffers of another node count (a caller's mistake) are dropped.
        free.retain(|u| u.dist.len() == n);
        free.pop().unwrap_or_else(|| Upward::with_links(n))
    }

    fn give(&self, u: Upward) {
        self.free.lock().unwrap_or_else(|e| e.into_inner()).push(u);
    }
}

/// [`matrix`] with buffers kept by the caller.
///
/// # Panics
/// As [`matrix`].
pub fn matrix_in<'a>(
    h: impl Into<HierarchyView<'a>>,
    m: impl Into<MetricView<'a>>,
    sources: &[Vec<(u32, u64)>],
    targets: &[Vec<(u32, u64)>],
    buffers: &MatrixBuffers,
) -> Vec<Option<u64>> {
    let (h, m) = (h.into(), m.into());
    assert_eq!(h.arc_count(), m.up.len(), "metric of another hierarchy");
    let cells = sources.len() * targets.len();
    if cells == 0 {
        return vec![None; cells];
    }
    let flip = buckets_hold_sources(sources.len(), targets.len());
    let (bucketed, scanned) = if flip {
        (sources, targets)
    } else {
        (targets, sources)
    };
    let (b_weight, s_weight) = if flip { (m.up, m.down) } else { (m.down, m.up) };
    let sides = in_chunks(h, bucketed, b_weight, buffers, false, |search, _, _| {
        Side::of(search, &h, None)
    });
    let buckets = Buckets::new(&sides, 0);
    drop(sides);
    let width = bucketed.len();
    let rows = in_chunks(h, scanned, s_weight, buffers, false, |search, _, _| {
        let side = Side::of(search, &h, None);
        let mut best = vec![INF; width];
        buckets.scan(&side, &mut best);
        best
    });
    let at = |i: usize, j: usize| rows[i][j];
    let mut out = Vec::with_capacity(cells);
    for i in 0..sources.len() {
        for j in 0..targets.len() {
            let d = if flip { at(j, i) } else { at(i, j) };
            out.push((d != INF).then_some(d));
        }
    }
    out
}

/// Whether [`matrix`] and [`matrix_with_sums`] put the sources' searches in
/// buckets (and scan from the targets'): when there are fewer sources than
/// targets, so the buckets, which are held in memory all at once, stay
/// small. Callers that count progress per scanned search can tell which
/// side that is.
pub fn buckets_hold_sources(sources: usize, targets: usize) -> bool {
    sources < targets
}

/// A [`matrix_with_sums`]: per cell, the least distance (both offsets
/// included), which source and target of the sets it starts and ends at,
/// and the companion sums along its path (offsets not included). Held as
/// the scanning side's rows (see [`buckets_hold_sources`]), so nothing is
/// copied into place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SumsMatrix {
    sources: usize,
    targets: usize,
    criteria: usize,
    /// Whether the rows are the targets' (the sources were bucketed).
    flip: bool,
    rows: Vec<Row>,
}

/// One scanning search's cells, one per bucketed owner: the distance (`INF`
/// if none), the starts used on (scanning, bucketed) side, and the sums.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Row {
    dist: Vec<u64>,
    ends: Vec<(u32, u32)>,
    sums: Vec<u64>,
}

/// One reachable cell of a [`SumsMatrix`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SumsCell<'a> {
    /// Total distance, both offsets included.
    pub distance: u64,
    /// Index of the chosen source in the cell's source set.
    pub source_index: usize,
    /// Index of the chosen target in the cell's target set.
    pub target_index: usize,
    /// Each companion criterion summed along the path (offsets excluded).
    pub sums: &'a [u64],
}

impl SumsMatrix {
    /// Number of cells (`sources × targets`).
    pub fn len(&self) -> usize {
        self.sources * self.targets
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Number of targets (cells per row).
    pub fn width(&self) -> usize {
        self.targets
    }

    /// Cell `i` (row-major: source `i / width`, target `i % width`), `None`
    /// where unreachable.
    ///
    /// # Panics
    /// If `i` is out of range.
    pub fn cell(&self, i: usize) -> Option<SumsCell<'_>> {
        assert!(i < self.len(), "cell out of range");
        let (s, t) = (i / self.targets, i % self.targets);
        let (r, o) = if self.flip { (t, s) } else { (s, t) };
        let row = self.rows.get(r)?;
        let d = row.dist[o];
        let (scan, bucket) = row.ends[o];
        let (source_index, target_index) = if self.flip {
            (bucket, scan)
        } else {
            (scan, bucket)
        };
        let k = self.criteria;
        (d != INF).then(|| SumsCell {
            distance: d,
            source_index: source_index as usize,
            target_index: target_index as usize,
            sums: &row.sums[o * k..(o + 1) * k],
        })
    }
}

/// As [`matrix`], and per cell the sums of every criterion of `c` along the
/// path (see the module header for which path, among equal ones), and which
/// source and target of the sets it uses. `buffers` as for [`matrix_in`].
/// `on_scan` is called once per finished search of the scanning side: the
/// sources, unless [`buckets_hold_sources`].
///
/// # Panics
/// If `m` was not customized on `h`, `c` is not of `m`, or a node id is out
/// of range.
pub fn matrix_with_sums<'a>(
    h: impl Into<HierarchyView<'a>>,
    m: impl Into<MetricView<'a>>,
    c: &Companions,
    sources: &[Vec<(u32, u64)>],
    targets: &[Vec<(u32, u64)>],
    buffers: &MatrixBuffers,
    on_scan: &(dyn Fn() + Sync),
) -> SumsMatrix {
    let (h, m) = (h.into(), m.into());
    assert_eq!(h.arc_count(), m.up.len(), "metric of another hierarchy");
    assert_eq!(c.arc_count(), m.up.len(), "companions of another metric");
    let k = c.criteria();
    let flip = buckets_hold_sources(sources.len(), targets.len());
    let mut out = SumsMatrix {
        sources: sources.len(),
        targets: targets.len(),
        criteria: k,
        flip,
        rows: Vec::new(),
    };
    if out.is_empty() {
        return out;
    }
    let (bucketed, scanned) = if flip {
        (sources, targets)
    } else {
        (targets, sources)
    };
    // A forward search goes up by `up`, a backward one by `down`.
    let (b_weight, s_weight) = if flip { (m.up, m.down) } else { (m.down, m.up) };
    let sides = in_chunks(h, bucketed, b_weight, buffers, true, |search, _, starts| {
        Side::of(search, &h, Some((c, flip, starts)))
    });
    let buckets = Buckets::new(&sides, k);
    drop(sides);
    let width = bucketed.len();
    out.rows = in_chunks(h, scanned, s_weight, buffers, true, |search, _, starts| {
        let side = Side::of(search, &h, Some((c, !flip, starts)));
        let row = buckets.join(&side, width, k);
        on_scan();
        row
    });
    out
}

/// A finished upward search, compacted: the nodes it reached, in ascending
/// rank, and their distances, and (with sums) per node a record of the
/// index of the start it came from and the companion sums along its path
/// (`1 + criteria` words).
struct Side {
    ranks: Vec<u32>,
    dist: Vec<u64>,
    records: Vec<u64>,
    /// The greatest distance.
    max: u64,
}

/// What a search needs to record sums: the companions, whether it is a
/// forward search (goes up by `up`), and its starts.
type SumsOf<'x> = (&'x Companions, bool, &'x [(u32, u64)]);

impl Side {
    /// The side of a finished `search` (with links when with sums).
    fn of(search: &Upward, h: &HierarchyView<'_>, sums: Option<SumsOf<'_>>) -> Side {
        let dist = &search.dist;
        let mut side = Side {
            ranks: Vec::new(),
            dist: Vec::new(),
            records: Vec::new(),
            max: 0,
        };
        let Some((c, forward, starts)) = sums else {
            for &x in &search.nodes {
                let d = dist[x as usize];
                if d != INF {
                    side.ranks.push(x);
                    side.dist.push(d);
                    side.max = side.max.max(d);
                }
            }
            return side;
        };
        // Every visited node's record, by its position in `nodes`, so a
        // link finds its predecessor's at once (unreached nodes' stay 0).
        let stride = 1 + c.criteria();
        let mut all = vec![0u64; search.nodes.len() * stride];
        for (i, &x) in search.nodes.iter().enumerate() {
            let d = dist[x as usize];
            if d == INF {
                continue;
            }
            let link = search.link[x as usize];
            let (done, rest) = all.split_at_mut(i * stride);
            let record = &mut rest[..stride];
            if link == NO_LINK {
                // A start whose own offset is its distance (the first).
                let root = starts
                    .iter()
                    .position(|&(v, off)| h.rank[v as usize] == x && off == d)
                    .expect("an unreached start is a start");
                record[0] = root as u64;
            } else {
                // The predecessor ranks lower, so its record is final.
                let (p, arc) = ((link >> 32) as usize, (link & 0xffff_ffff) as usize);
                let parent = &done[p * stride..(p + 1) * stride];
                record[0] = parent[0];
                c.add(arc, forward, &parent[1..], &mut record[1..]);
            }
            side.ranks.push(x);
            side.dist.push(d);
            side.max = side.max.max(d);
            side.records.extend_from_slice(record);
        }
        side
    }
}

/// Every bucketed search's nodes, sorted by rank and then owner (the index
/// of the search): each entry's owner and distance, and (with sums) its
/// record; and the distinct ranks with where their entries start.
struct Buckets {
    owner: Vec<u32>,
    dist: Vec<u64>,
    records: Vec<u64>,
    ranks: Vec<u32>,
    starts: Vec<u32>,
    /// The greatest distance.
    max: u64,
}

impl Buckets {
    /// The buckets of `sides`, whose records hold `criteria` sums each.
    fn new(sides: &[Side], criteria: usize) -> Buckets {
        let total: usize = sides.iter().map(|s| s.ranks.len()).sum();
        assert!(total < NONE as usize, "too many bucket entries");
        let mut keys: Vec<(u32, u32, u32)> = Vec::with_capacity(total);
        for (o, s) in sides.iter().enumerate() {
            keys.extend(
                s.ranks
                    .iter()
                    .enumerate()
                    .map(|(j, &x)| (x, o as u32, j as u32)),
            );
        }
        // By rank, then owner: deterministic, and each owner once per rank.
        keys.par_sort_unstable();
        let with_records = sides.iter().any(|s| !s.records.is_empty());
        let stride = 1 + criteria;
        let mut b = Buckets {
            owner: Vec::with_capacity(total),
            dist: Vec::with_capacity(total),
            records: Vec::with_capacity(if with_records { total * stride } else { 0 }),
            ranks: Vec::new(),
            starts: Vec::new(),
            max: sides.iter().map(|s| s.max).max().unwrap_or(0),
        };
        for (e, &(x, o, j)) in keys.iter().enumerate() {
            if b.ranks.last() != Some(&x) {
                b.ranks.push(x);
                b.starts.push(e as u32);
            }
            let (side, j) = (&sides[o as usize], j as usize);
            b.owner.push(o);
            b.dist.push(side.dist[j]);
            if with_records {
                b.records
                    .extend_from_slice(&side.records[j * stride..(j + 1) * stride]);
            }
        }
        b.starts.push(total as u32);
        b
    }

    /// Joins one scanning search with the buckets: `best[o]` becomes the
    /// least distance to owner `o` through a common node.
    fn scan(&self, side: &Side, best: &mut [u64]) {
        let mut from = 0;
        for (&x, &d) in side.ranks.iter().zip(&side.dist) {
            let Some(r) = self.bucket(&mut from, x) else {
                continue;
            };
            for (&o, &dt) in self.owner[r.clone()].iter().zip(&self.dist[r]) {
                let b = &mut best[o as usize];
                *b = (*b).min(d.saturating_add(dt));
            }
        }
    }

    /// As [`Buckets::scan`], and for each owner which node of `side` it met
    /// at (the lowest rank among equal distances), and then the cell: the
    /// starts of both sides and the sums of both halves.
    ///
    /// The inner loop keeps one word per owner, the distance shifted left
    /// past the bits of `side`'s node index and that index below it, so the
    /// least word is the least distance at the lowest meeting node, found
    /// by a plain minimum (no branch). Distances too large for that take a
    /// slower loop with the index apart.
    fn join(&self, side: &Side, width: usize, criteria: usize) -> Row {
        let n = side.ranks.len();
        let shift = (u64::BITS - (n as u64).leading_zeros()).max(1);
        let packed = side.max.saturating_add(self.max) < (u64::MAX >> shift);
        let mut best = vec![INF; width];
        let mut at = vec![NONE; if packed { 0 } else { width }];
        // Per node of `side`, its bucket's entries (empty if none).
        let mut found = vec![(0u32, 0u32); n];
        let mut from = 0;
        for (i, (&x, &d)) in side.ranks.iter().zip(&side.dist).enumerate() {
            let Some(r) = self.bucket(&mut from, x) else {
                continue;
            };
            found[i] = (r.start as u32, r.end as u32);
            let (owners, dists) = (&self.owner[r.clone()], &self.dist[r]);
            if packed {
                let tag = i as u64;
                for (&o, &dt) in owners.iter().zip(dists) {
                    let b = &mut best[o as usize];
                    *b = (*b).min(((d + dt) << shift) | tag);
                }
            } else {
                for (&o, &dt) in owners.iter().zip(dists) {
                    let total = d.saturating_add(dt);
                    if total < best[o as usize] {
                        best[o as usize] = total;
                        at[o as usize] = i as u32;
                    }
                }
            }
        }
        let stride = 1 + criteria;
        let mut row = Row {
            dist: best,
            ends: vec![(0, 0); width],
            sums: vec![0; width * criteria],
        };
        let Row { dist, ends, sums } = &mut row;
        for (o, (d, end)) in dist.iter_mut().zip(ends.iter_mut()).enumerate() {
            if *d == INF {
                continue;
            }
            let i = if packed {
                let v = *d;
                *d = v >> shift;
                (v & ((1 << shift) - 1)) as usize
            } else {
                at[o] as usize
            };
            // The entry of owner `o` in the bucket where it met.
            let (lo, hi) = (found[i].0 as usize, found[i].1 as usize);
            let e = lo
                + self.owner[lo..hi]
                    .binary_search(&(o as u32))
                    .expect("the owner has an entry where it met");
            let (mine, theirs) = (
                &side.records[i * stride..(i + 1) * stride],
                &self.records[e * stride..(e + 1) * stride],
            );
            *end = (mine[0] as u32, theirs[0] as u32);
            for (q, sum) in sums[o * criteria..(o + 1) * criteria]
                .iter_mut()
                .enumerate()
            {
                *sum = mine[1 + q] + theirs[1 + q];
            }
        }
        row
    }

    /// The entries at rank `x`, if any, searching the distinct ranks from
    /// `from` on (galloping, as the ranks asked for ascend) and moving it.
    #[inline]
    fn bucket(&self, from: &mut usize, x: u32) -> Option<std::ops::Range<usize>> {
        let keys = &self.ranks;
        let (mut lo, mut hi, mut step) = (*from, *from, 1);
        while hi < keys.len() && keys[hi] < x {
            lo = hi + 1;
            hi += step;
            step *= 2;
        }
        let hi = hi.min(keys.len());
        let i = lo + keys[lo..hi].partition_point(|&k| k < x);
        *from = i;
        (i < keys.len() && keys[i] == x)
            .then(|| self.starts[i] as usize..self.starts[i + 1] as usize)
    }
}

/// Runs a full upward search from each start set by `weight` (keeping
/// links if `with_links`), in chunks (each takes one buffer from
/// `buffers`; several chunks per thread, so uneven ones balance), and maps
/// each finished search, with its index and its starts, through `f`.
fn in_chunks<T: Send>(
    h: HierarchyView<'_>,
    starts: &[Vec<(u32, u64)>],
    weight: &[u64],
    buffers: &MatrixBuffers,
    with_links: bool,
    f: impl Fn(&Upward, usize, &[(u32, u64)]) -> T + Sync,
) -> Vec<T> {
    let chunk = starts
        .len()
        .div_ceil(rayon::current_num_threads() * 4)
        .max(1);
    starts
        .par_chunks(chunk)
        .enumerate()
        .flat_map_iter(|(c, group)| {
            let mut search = buffers.take(h.node_count());
            search.track = if with_links {
                Track::Links
            } else {
                Track::Nothing
            };
            let out: Vec<T> = group
                .iter()
                .enumerate()
                .map(|(i, start)| {
                    search.seed(&h, start);
                    search.run(&h, weight);
                    let value = f(&search, c * chunk + i, start);
                    search.reset();
                    value
                })
                .collect();
            buffers.give(search);
            out
        })
        .collect()
}
