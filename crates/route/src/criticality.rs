//! Criticality: rank the elements of the network (sea passages, border
//! crossings, ports, terminals, ferries, curated links) by the loss their
//! failure causes over a set of origin–destination pairs, weighted by the
//! trade on each pair.
//!
//! Exact and cheap at once, because closing an element only removes arcs:
//! a pair whose baseline route does not use the element keeps its route
//! (it is still available, and nothing got shorter), so its loss is zero.
//! [`losses`] therefore groups the pairs by the elements their baseline
//! routes use, and recomputes only those pairs, once per element:
//! - with a hierarchy: the element's arcs are closed in a per-thread copy
//!   of the weights and of the baseline metric, only the shortcuts that can
//!   change are re-customized ([`silkroute_hierarchy::Raise`]; a full
//!   customization would cost 0.3 s on the 850 k-node multimodal network),
//!   each affected pair is one elimination-tree query (microseconds), and
//!   the metric is restored for the next element;
//! - with a hierarchy but no baseline metric: a full re-customization;
//! - without a hierarchy: a Dijkstra per affected pair.
//!
//! Elements run in parallel over the cores; the result does not depend on
//! the order they finish in. Losses are in the objective's integer units
//! (seconds, US cents, grams, metres); unreachable pairs are counted apart,
//! not as an infinite loss.

use std::collections::HashMap;

use rayon::prelude::*;
use silkroute_graph::Network;
use silkroute_hierarchy::{HierarchyView, Metric, Query, QueryBuffers, Raise};
use silkroute_model::{LatLon, Mode, NodeId, NodeKind, Passage, Progress};

use crate::curated::{self, Record};
use crate::search;
use crate::snap::Candidate;

/// What an element is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    /// A marnet sea passage (all its arcs).
    Passage,
    /// A border crossing: the rail or road arcs across one border near one
    /// point (a curated crossing's, or a cluster of used border arcs).
    Crossing,
    /// A seaport node (all its arcs).
    Port,
    /// A curated rail terminal or dry port (all its arcs).
    Terminal,
    /// A curated ferry crossing.
    Ferry,
    /// A curated missing link (all its edges).
    Link,
    /// A stretch of network that exactly the same baseline routes use
    /// (see [`segment_elements`]).
    Segment,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Passage,
        Kind::Crossing,
        Kind::Port,
        Kind::Terminal,
        Kind::Ferry,
        Kind::Link,
        Kind::Segment,
    ];

    /// The plural used on the command line (`--elements crossings,ports`).
    pub fn plural(self) -> &'static str {
        match self {
            Kind::Passage => "passages",
            Kind::Crossing => "crossings",
            Kind::Port => "ports",
            Kind::Terminal => "terminals",
            Kind::Ferry => "ferries",
            Kind::Link => "links",
            Kind::Segment => "segments",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Passage => "passage",
            Kind::Crossing => "crossing",
            Kind::Port => "port",
            Kind::Terminal => "terminal",
            Kind::Ferry => "ferry",
            Kind::Link => "link",
            Kind::Segment => "segment",
        }
    }

    pub fn parse_plural(s: &str) -> Option<Kind> {
        Kind::ALL
            .into_iter()
            .find(|k| k.plural() == s || k.as_str() == s)
    }
}

/// One element that can fail: a set of arcs closed together.
#[derive(Clone, Debug, PartialEq)]
pub struct Element {
    pub kind: Kind,
    /// Stable id, `kind:name` (e.g. `passage:suez`, `link:china-laos-railway`).
    pub id: String,
    /// Readable name; empty when the caller should name it by place.
    pub name: String,
    /// Arc ids, sorted and unique.
    pub arcs: Vec<u32>,
    /// Nodes that stand for the element on a map (a port, a terminal);
    /// empty for elements drawn as their arcs.
    pub nodes: Vec<u32>,
}

impl Element {
    /// Where the element is: its nodes' positions, or the midpoint of its
    /// arcs' extent for line elements.
    pub fn anchor(&self, net: &Network) -> LatLon {
        if let Some(v) = self.nodes.first() {
            return net.pos(NodeId(*v));
        }
        let a = self.arcs[self.arcs.len() / 2];
        let head = net.pos(NodeId(net.arc_head()[a as usize]));
        let tail = net.pos(NodeId(search::tail_of(net.first_out(), a)));
        LatLon::new((head.lat + tail.lat) / 2.0, (head.lon + tail.lon) / 2.0)
    }

    /// The element's arcs as line segments, one per edge (the direction with
    /// the lower tail), in arc order.
    pub fn segments(&self, net: &Network) -> Vec<[LatLon; 2]> {
        let first_out = net.first_out();
        self.arcs
            .iter()
            .filter_map(|a| {
                let tail = search::tail_of(first_out, *a);
                let head = net.arc_head()[*a as usize];
                (tail < head).then(|| [net.pos(NodeId(tail)), net.pos(NodeId(head))])
            })
            .collect()
    }
}

/// Every marnet passage with arcs in the network, one element each.
pub fn passage_elements(net: &Network) -> Vec<Element> {
    let passage = net.arc_passage();
    let mut by: HashMap<u8, Vec<u32>> = HashMap::new();
    for (a, p) in passage.iter().enumerate() {
        if *p != 0 {
            by.entry(*p).or_default().push(a as u32);
        }
    }
    Passage::ALL
        .into_iter()
        .filter_map(|p| {
            let arcs = by.remove(&(p as u8))?;
            Some(Element {
                kind: Kind::Passage,
                id: format!("passage:{}", p.as_str()),
                name: p.as_str().to_string(),
                arcs,
                nodes: Vec::new(),
            })
        })
        .collect()
}

/// The curated records of a network as elements (records that account for
/// no arc, such as a crossing whose border the data does not cross near
/// its coordinates, are left out).
pub fn curated_elements(net: &Network, records: &[Record]) -> Vec<Element> {
    records
        .iter()
        .filter_map(|r| {
            let kind = match r.kind.as_str() {
                "link" => Kind::Link,
                "terminal" => Kind::Terminal,
                "port" => Kind::Port,
                "ferry" => Kind::Ferry,
                "crossing" => Kind::Crossing,
                _ => return None,
            };
            let arcs = curated::arcs(net, r);
            if arcs.is_empty() {
                return None;
            }
            // A ferry is drawn as its crossing, not as its two ports.
            let nodes = if kind == Kind::Ferry {
                Vec::new()
            } else {
                r.nodes.clone()
            };
            let arcs = if kind == Kind::Ferry {
                let mode = net.arc_mode();
                arcs.into_iter()
                    .filter(|a| mode[*a as usize] == Mode::Ferry as u8)
                    .collect()
            } else {
                arcs
            };
            Some(Element {
                kind,
                id: format!("{}:{}", kind.as_str(), r.id),
                name: r.name.clone(),
                arcs,
                nodes,
            })
        })
        .collect()
}

/// Every arc into or out of `v`, sorted.
pub fn node_arcs(net: &Network, v: u32) -> Vec<u32> {
    let (first_out, head) = (net.first_out(), net.arc_head());
    let mut out = Vec::new();
    for a in first_out[v as usize]..first_out[v as usize + 1] {
        out.push(a);
        let w = head[a as usize] as usize;
        out.extend((first_out[w]..first_out[w + 1]).filter(|b| head[*b as usize] == v));
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Seaport nodes that some baseline route passes (`used` = arcs of the
/// baseline routes), one element each, except those in `skip` (ports the
/// curated layer already names).
pub fn port_elements(net: &Network, used: &[u32], skip: &[u32]) -> Vec<Element> {
    let first_out = net.first_out();
    let head = net.arc_head();
    let mut ports: Vec<u32> = used
        .iter()
        .flat_map(|a| [search::tail_of(first_out, *a), head[*a as usize]])
        .filter(|v| net.kind(NodeId(*v)) == NodeKind::Seaport && !skip.contains(v))
        .collect();
    ports.sort_unstable();
    ports.dedup();
    ports
        .into_iter()
        .map(|v| Element {
            kind: Kind::Port,
            id: format!("port:{v}"),
            name: net.name(NodeId(v)).unwrap_or("").to_string(),
            arcs: node_arcs(net, v),
            nodes: vec![v],
        })
        .collect()
}

/// Border arcs within this distance of each other, on the same border and
/// of the same mode, make one crossing.
pub const CROSSING_CLUSTER_M: f64 = 30_000.0;

/// Rail and road arcs between two countries.
fn is_border(net: &Network, tail: u32, a: usize) -> bool {
    let mode = net.arc_mode()[a];
    if mode != Mode::Rail as u8 && mode != Mode::Road as u8 {
        return false;
    }
    let c = net.country_codes();
    let (ct, ch) = (c[tail as usize], c[net.arc_head()[a] as usize]);
    ct != 0 && ch != 0 && ct != ch
}

/// Border crossings that some baseline route uses and no element in
/// `covered` (arcs of the curated crossings) accounts for: each used border
/// arc, with every border arc of the same mode and border within
/// [`CROSSING_CLUSTER_M`] of it, is one crossing.
pub fn crossing_elements(net: &Network, used: &[u32], covered: &[u32]) -> Vec<Element> {
    let first_out = net.first_out();
    let (mode, head, codes) = (net.arc_mode(), net.arc_head(), net.country_codes());
    let mid = |a: u32| {
        let t = net.pos(NodeId(search::tail_of(first_out, a)));
        let h = net.pos(NodeId(head[a as usize]));
        LatLon::new((t.lat + h.lat) / 2.0, (t.lon + h.lon) / 2.0)
    };
    // Every border arc, keyed by (mode, unordered country pair).
    let border_key = |a: u32| {
        let t = search::tail_of(first_out, a) as usize;
        let (x, y) = (codes[t], codes[head[a as usize] as usize]);
        (mode[a as usize], x.min(y), x.max(y))
    };
    let mut all: HashMap<(u8, u16, u16), Vec<u32>> = HashMap::new();
    for t in 0..net.node_count() {
        for a in first_out[t]..first_out[t + 1] {
            if is_border(net, t as u32, a as usize) {
                all.entry(border_key(a)).or_default().push(a);
            }
        }
    }
    let mut seen: std::collections::HashSet<u32> = covered.iter().copied().collect();
    let mut used: Vec<u32> = used
        .iter()
        .copied()
        .filter(|a| is_border(net, search::tail_of(first_out, *a), *a as usize))
        .collect();
    used.sort_unstable();
    used.dedup();
    let mut out = Vec::new();
    for a in used {
        if seen.contains(&a) {
            continue;
        }
        let key = border_key(a);
        let at = mid(a);
        let mut arcs: Vec<u32> = all[&key]
            .iter()
            .copied()
            .filter(|b| silkroute_model::haversine_m(mid(*b), at) <= CROSSING_CLUSTER_M)
            .filter(|b| !covered.contains(b))
            .collect();
        arcs.sort_unstable();
        seen.extend(arcs.iter().copied());
        let cc = |c: u16| String::from_utf8_lossy(&c.to_le_bytes()).into_owned();
        let m = Mode::from_code(key.0).map_or("?", |m| m.as_str());
        out.push(Element {
            kind: Kind::Crossing,
            id: format!(
                "crossing:{}-{}-{m}@{:.2},{:.2}",
                cc(key.1),
                cc(key.2),
                at.lat,
                at.lon
            ),
            name: String::new(),
            arcs,
            nodes: Vec::new(),
        });
    }
    out
}

/// Every stretch of network that some baseline route uses, as elements:
/// the edges (both directions, parallel edges together) used by exactly
/// the same set of pairs form one group, and each connected piece of a
/// group is one segment. Closing a segment is the failure of that stretch
/// of line, road or sea lane; every pair that uses any of it uses all of it.
pub fn segment_elements(net: &Network, baseline: &Baseline) -> Vec<Element> {
    let first_out = net.first_out();
    let head = net.arc_head();
    let edge = |a: u32| {
        let (t, h) = (search::tail_of(first_out, a), head[a as usize]);
        (t.min(h), t.max(h))
    };
    let mut users: HashMap<(u32, u32), Vec<u32>> = HashMap::new();
    for (p, arcs) in baseline.arcs.iter().enumerate() {
        for a in arcs {
            let list = users.entry(edge(*a)).or_default();
            if list.last() != Some(&(p as u32)) {
                list.push(p as u32);
            }
        }
    }
    let mut groups: HashMap<Vec<u32>, Vec<(u32, u32)>> = HashMap::new();
    for (e, pairs) in users {
        groups.entry(pairs).or_default().push(e);
    }
    let mut groups: Vec<Vec<(u32, u32)>> = groups
        .into_values()
        .map(|mut g| {
            g.sort_unstable();
            g
        })
        .collect();
    groups.sort_unstable();
    let mut out = Vec::new();
    for g in groups {
        // Connected pieces, by union-find over the group's nodes.
        let mut nodes: Vec<u32> = g.iter().flat_map(|(u, v)| [*u, *v]).collect();
        nodes.sort_unstable();
        nodes.dedup();
        let index = |v: u32| nodes.binary_search(&v).expect("own node");
        let mut parent: Vec<usize> = (0..nodes.len()).collect();
        fn find(parent: &mut [usize], mut x: usize) -> usize {
            while parent[x] != x {
                parent[x] = parent[parent[x]];
                x = parent[x];
            }
            x
        }
        for (u, v) in &g {
            let (a, b) = (find(&mut parent, index(*u)), find(&mut parent, index(*v)));
            if a != b {
                parent[a.max(b)] = a.min(b);
            }
        }
        let mut pieces: Vec<(usize, Vec<(u32, u32)>)> = Vec::new();
        for e in &g {
            let r = find(&mut parent, index(e.0));
            match pieces.iter_mut().find(|(k, _)| *k == r) {
                Some((_, list)) => list.push(*e),
                None => pieces.push((r, vec![*e])),
            }
        }
        for (_, piece) in pieces {
            let mut arcs = Vec::new();
            for (u, v) in &piece {
                for (x, y) in [(*u, *v), (*v, *u)] {
                    arcs.extend(
                        (first_out[x as usize]..first_out[x as usize + 1])
                            .filter(|a| head[*a as usize] == y),
                    );
                }
            }
            arcs.sort_unstable();
            let (u, v) = piece[0];
            out.push(Element {
                kind: Kind::Segment,
                id: format!("segment:{u}-{v}"),
                name: String::new(),
                arcs,
                nodes: Vec::new(),
            });
        }
    }
    out
}

/// One origin–destination pair: indices into the origin and destination
/// candidate lists, and its trade weight.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pair {
    pub origin: usize,
    pub destination: usize,
    pub weight: f64,
}

/// The baseline: each pair's best value (access included) and route arcs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Baseline {
    pub value: Vec<Option<u64>>,
    pub arcs: Vec<Vec<u32>>,
}

impl Baseline {
    /// Every arc some baseline route uses, sorted and unique.
    pub fn used_arcs(&self) -> Vec<u32> {
        let mut all: Vec<u32> = self.arcs.iter().flatten().copied().collect();
        all.sort_unstable();
        all.dedup();
        all
    }
}

/// A path's value plus the access costs of the candidates it joined by.
pub fn with_access(
    f: &search::Found,
    origins: &[(Candidate, u64)],
    targets: &[(Candidate, u64)],
) -> u64 {
    let access =
        |set: &[(Candidate, u64)], node| set.iter().find(|c| c.0.node == node).map_or(0, |c| c.1);
    f.weight + access(origins, f.origin.node) + access(targets, f.target.node)
}

/// Which pairs each element's failure can change: those whose baseline
/// route uses one of its arcs. Pair lists are ascending.
pub fn affected_pairs(net: &Network, baseline: &Baseline, elements: &[Element]) -> Vec<Vec<u32>> {
    // arc → elements, as a CSR over the arcs that belong to some element.
    let mut slot = vec![u32::MAX; net.arc_count()];
    let mut lists: Vec<Vec<u32>> = Vec::new();
    for (e, el) in elements.iter().enumerate() {
        for a in &el.arcs {
            let s = &mut slot[*a as usize];
            if *s == u32::MAX {
                *s = lists.len() as u32;
                lists.push(Vec::new());
            }
            lists[*s as usize].push(e as u32);
        }
    }
    let mut out = vec![Vec::new(); elements.len()];
    let mut last = vec![u32::MAX; elements.len()];
    for (p, arcs) in baseline.arcs.iter().enumerate() {
        for a in arcs {
            let s = slot[*a as usize];
            if s == u32::MAX {
                continue;
            }
            for e in &lists[s as usize] {
                if last[*e as usize] != p as u32 {
                    last[*e as usize] = p as u32;
                    out[*e as usize].push(p as u32);
                }
            }
        }
    }
    out
}

/// The values of the affected pairs with one element closed.
#[derive(Clone, Debug, PartialEq)]
pub struct Loss {
    /// Affected pair indices, ascending.
    pub pairs: Vec<u32>,
    /// Their values with the element closed (`None` = cut off).
    pub after: Vec<Option<u64>>,
}

/// Where the searches run: the prepared objective's weights per network
/// arc, and the hierarchy (with its arc map) when there is one.
pub struct Setting<'a> {
    pub net: &'a Network,
    pub weights: &'a [u32],
    pub hierarchy: Option<(HierarchyView<'a>, Option<&'a [u32]>)>,
    /// The hierarchy customized for `weights`, if at hand: elements are
    /// then closed by partial re-customization.
    pub metric: Option<&'a Metric>,
    pub origins: &'a [Vec<(Candidate, u64)>],
    pub destinations: &'a [Vec<(Candidate, u64)>],
    pub pairs: &'a [Pair],
}

/// From this many affected pairs (if they fill at least an eighth of their
/// origins × destinations), an element's pairs are answered by one bucket
/// matrix rather than one query each.
const MATRIX_PAIRS: usize = 64;

/// Per-thread scratch: a copy of the weights (in the hierarchy's arc ids)
/// to close arcs in, and a metric and query buffers to reuse.
struct Scratch {
    weights: Vec<u32>,
    metric: Option<Metric>,
    buffers: Option<QueryBuffers>,
}

/// For each element, the affected pairs' values with it closed. `None` if
/// cancelled. `progress` advances by one per element.
pub fn losses(
    s: &Setting,
    elements: &[Element],
    affected: &[Vec<u32>],
    progress: &(dyn Progress + Sync),
) -> Option<Vec<Loss>> {
    // Network arc → hierarchy input arc (identity for the multimodal one).
    let sub_weights: Vec<u32>;
    let inverse: Option<Vec<u32>>;
    let base: &[u32] = match s.hierarchy {
        Some((_, Some(map))) => {
            sub_weights = map.iter().map(|a| s.weights[*a as usize]).collect();
            let mut inv = vec![u32::MAX; s.weights.len()];
            for (i, a) in map.iter().enumerate() {
                inv[*a as usize] = i as u32;
            }
            inverse = Some(inv);
            &sub_weights
        }
        _ => {
            inverse = None;
            s.weights
        }
    };
    let to_sub = |a: u32| match &inverse {
        Some(inv) => inv[a as usize],
        None => a,
    };
    let raise = match (s.hierarchy, s.metric) {
        (Some((view, _)), Some(_)) => Some(Raise::new(view)),
        _ => None,
    };
    let work: Vec<usize> = (0..elements.len())
        .filter(|e| !affected[*e].is_empty())
        .collect();
    let results: Vec<Option<(usize, Loss)>> = work
        .par_iter()
        .map_init(
            || Scratch {
                weights: base.to_vec(),
                metric: raise.as_ref().and(s.metric.cloned()),
                buffers: None,
            },
            |scratch, &e| {
                if progress.cancelled() {
                    return None;
                }
                let closed: Vec<u32> = elements[e]
                    .arcs
                    .iter()
                    .map(|a| to_sub(*a))
                    .filter(|a| *a != u32::MAX)
                    .collect();
                let saved: Vec<u32> = closed
                    .iter()
                    .map(|a| scratch.weights[*a as usize])
                    .collect();
                for a in &closed {
                    scratch.weights[*a as usize] = u32::MAX;
                }
                let after = values(s, raise.as_ref(), scratch, &affected[e], &closed);
                for (a, w) in closed.iter().zip(saved) {
                    scratch.weights[*a as usize] = w;
                }
                progress.advance(1);
                Some((
                    e,
                    Loss {
                        pairs: affected[e].clone(),
                        after,
                    },
                ))
            },
        )
        .collect();
    if progress.cancelled() || results.iter().any(Option::is_none) {
        return None;
    }
    let mut out: Vec<Loss> = (0..elements.len())
        .map(|_| Loss {
            pairs: Vec::new(),
            after: Vec::new(),
        })
        .collect();
    for (e, loss) in results.into_iter().flatten() {
        out[e] = loss;
    }
    Some(out)
}

/// The pairs' values under the scratch weights.
fn values(
    s: &Setting,
    raise: Option<&Raise>,
    scratch: &mut Scratch,
    pairs: &[u32],
    closed: &[u32],
) -> Vec<Option<u64>> {
    let ids = |c: &[(Candidate, u64)]| -> Vec<(u32, u64)> {
        c.iter().map(|(c, a)| (c.node.0, *a)).collect()
    };
    match s.hierarchy {
        Some((view, _)) => {
            let mut metric = match scratch.metric.take() {
                Some(mut m) => {
                    if raise.is_none() {
                        view.customize_into(&scratch.weights, &mut m);
                    }
                    m
                }
                None => view.customize(&scratch.weights),
            };
            let undo = raise.map(|r| r.apply(&mut metric, &scratch.weights, closed));
            // Many pairs: one bucket matrix over their origins and
            // destinations (each search once); few: one query per pair.
            let mut origins: Vec<usize> =
                pairs.iter().map(|p| s.pairs[*p as usize].origin).collect();
            let mut dests: Vec<usize> = pairs
                .iter()
                .map(|p| s.pairs[*p as usize].destination)
                .collect();
            origins.sort_unstable();
            origins.dedup();
            dests.sort_unstable();
            dests.dedup();
            let out: Vec<Option<u64>> = if pairs.len() >= MATRIX_PAIRS
                && pairs.len() * 2 >= origins.len() * dests.len() / 4
            {
                let o: Vec<Vec<(u32, u64)>> = origins.iter().map(|i| ids(&s.origins[*i])).collect();
                let d: Vec<Vec<(u32, u64)>> =
                    dests.iter().map(|i| ids(&s.destinations[*i])).collect();
                let cells = silkroute_hierarchy::matrix(view, &metric, &o, &d);
                pairs
                    .iter()
                    .map(|p| {
                        let pair = s.pairs[*p as usize];
                        let i = origins.binary_search(&pair.origin).expect("own origin");
                        let j = dests
                            .binary_search(&pair.destination)
                            .expect("own destination");
                        cells[i * dests.len() + j]
                    })
                    .collect()
            } else {
                let buffers = scratch
                    .buffers
                    .take()
                    .unwrap_or_else(|| QueryBuffers::new(view.node_count()));
                let mut q = Query::with_buffers(view, &metric, buffers);
                let out = pairs
                    .iter()
                    .map(|p| {
                        let pair = s.pairs[*p as usize];
                        q.distance(
                            &ids(&s.origins[pair.origin]),
                            &ids(&s.destinations[pair.destination]),
                        )
                    })
                    .collect();
                scratch.buffers = Some(q.into_buffers());
                out
            };
            if let (Some(r), Some(u)) = (raise, undo) {
                r.undo(&mut metric, u);
            }
            scratch.metric = Some(metric);
            out
        }
        None => pairs
            .iter()
            .map(|p| {
                let pair = s.pairs[*p as usize];
                let (o, t) = (&s.origins[pair.origin], &s.destinations[pair.destination]);
                search::shortest(s.net, &scratch.weights, o, t, None).map(|f| with_access(&f, o, t))
            })
            .collect(),
    }
}

/// One element's place in the ranking.
#[derive(Clone, Debug, PartialEq)]
pub struct Ranked {
    pub element: usize,
    /// Pairs whose baseline route uses the element, and their trade weight.
    pub affected_pairs: usize,
    pub affected_weight: f64,
    /// Pairs that have no route at all without it, and their weight.
    pub cut_pairs: usize,
    pub cut_weight: f64,
    /// Extra value (objective units) summed over the pairs that still have
    /// a route, unweighted and trade-weighted.
    pub extra: u64,
    pub weighted_extra: f64,
    /// The pair with the largest extra value, and that value.
    pub worst: Option<(usize, u64)>,
}

/// Ranks elements by their loss: first the trade weight they cut off, then
/// the trade-weighted extra value, then the unweighted extra, then the id
/// (so ties are ordered the same way every run). Elements that no baseline
/// route uses (zero loss) are left out.
pub fn rank(
    elements: &[Element],
    baseline: &Baseline,
    pairs: &[Pair],
    losses: &[Loss],
) -> Vec<Ranked> {
    let mut out: Vec<Ranked> = losses
        .iter()
        .enumerate()
        .filter(|(_, l)| !l.pairs.is_empty())
        .map(|(e, l)| {
            let mut r = Ranked {
                element: e,
                affected_pairs: l.pairs.len(),
                affected_weight: 0.0,
                cut_pairs: 0,
                cut_weight: 0.0,
                extra: 0,
                weighted_extra: 0.0,
                worst: None,
            };
            for (p, after) in l.pairs.iter().zip(&l.after) {
                let (p, w) = (*p as usize, pairs[*p as usize].weight);
                r.affected_weight += w;
                let before = baseline.value[p].unwrap_or(0);
                match after {
                    None => {
                        r.cut_pairs += 1;
                        r.cut_weight += w;
                    }
                    Some(v) => {
                        let d = v.saturating_sub(before);
                        r.extra += d;
                        r.weighted_extra += w * d as f64;
                        if d > 0 && r.worst.is_none_or(|(_, x)| d > x) {
                            r.worst = Some((p, d));
                        }
                    }
                }
            }
            r
        })
        .collect();
    out.sort_by(|a, b| {
        b.cut_weight
            .total_cmp(&a.cut_weight)
            .then(b.weighted_extra.total_cmp(&a.weighted_extra))
            .then(b.extra.cmp(&a.extra))
            .then_with(|| elements[a.element].id.cmp(&elements[b.element].id))
    });
    out
}
