//! Many-to-many distances: one upward search per target and per source,
//! joined through buckets.
//!
//! Each target's backward search leaves `(target, distance)` in a bucket at
//! every ancestor it reaches; a source's forward search then scans the
//! buckets of its own ancestors. Buckets are a sorted list keyed by rank, not
//! an array over all nodes, so a small matrix costs what its searches touch.
//! Searches run in parallel on rayon's pool, one buffer set per thread.

use rayon::prelude::*;

use crate::query::Upward;
use crate::{HierarchyView, INF, MetricView};

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
    let (h, m) = (h.into(), m.into());
    assert_eq!(h.arc_count(), m.up.len(), "metric of another hierarchy");
    if sources.is_empty() || targets.is_empty() {
        return vec![None; sources.len() * targets.len()];
    }

    // (rank, target, distance) for every ancestor every target reaches.
    let mut entries: Vec<(u32, u32, u64)> = in_chunks(
        h,
        targets,
        |search, t| {
            search
                .nodes
                .iter()
                .filter(|&&x| search.dist[x as usize] != INF)
                .map(|&x| (x, t as u32, search.dist[x as usize]))
                .collect::<Vec<_>>()
        },
        m.down,
    )
    .into_iter()
    .flatten()
    .collect();
    entries.par_sort_unstable_by_key(|e| e.0);
    let keys: Vec<u32> = entries.iter().map(|e| e.0).collect();

    let width = targets.len();
    in_chunks(
        h,
        sources,
        |search, _| {
            let mut row = vec![INF; width];
            let mut from = 0;
            for &x in &search.nodes {
                let d = search.dist[x as usize];
                if d == INF {
                    continue;
                }
                from += keys[from..].partition_point(|&k| k < x);
                for &(_, t, dt) in entries[from..].iter().take_while(|e| e.0 == x) {
                    let total = d.saturating_add(dt);
                    if total < row[t as usize] {
                        row[t as usize] = total;
                    }
                }
            }
            row
        },
        m.up,
    )
    .into_iter()
    .flatten()
    .map(|d| (d != INF).then_some(d))
    .collect()
}

/// Runs a full upward search from each start set, in one chunk per thread
/// (each chunk allocates its buffers once), and maps each finished search
/// (with its index) through `f`.
fn in_chunks<T: Send>(
    h: HierarchyView<'_>,
    starts: &[Vec<(u32, u64)>],
    f: impl Fn(&Upward, usize) -> T + Sync,
    weight: &[u64],
) -> Vec<T> {
    let chunk = starts
        .len()
        .div_ceil(rayon::current_num_threads() * 2)
        .max(1);
    starts
        .par_chunks(chunk)
        .enumerate()
        .flat_map_iter(|(c, group)| {
            let mut search = Upward::new(h.node_count(), false);
            let out: Vec<T> = group
                .iter()
                .enumerate()
                .map(|(i, start)| {
                    search.seed(&h, start);
                    search.run(&h, weight);
                    let value = f(&search, c * chunk + i);
                    search.reset();
                    value
                })
                .collect();
            out
        })
        .collect()
}
