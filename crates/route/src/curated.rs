//! The provenance section: which nodes and edges each curated Belt and Road
//! record (a missing link, terminal, port, ferry or border crossing of
//! `data/bri/`) accounts for, stored as extension section [`SECTION`] of
//! the network file.
//!
//! The import records the provenance while it joins the layer; the CLI
//! encodes it here when it builds a network. Layout (all `u32`): the
//! layout version [`VERSION`], the record count, then per record: the byte
//! length of `kind \t id \t name` (UTF-8) and those bytes packed four to a
//! word (little-endian, zero-padded), the node count and the nodes, the
//! edge count and the edges as node pairs. A network without the section
//! (or with another version) simply has no curated records.

use silkroute_graph::Network;
use silkroute_model::NodeId;

/// Extension section id (the hierarchies use 0–20).
pub const SECTION: u32 = 30;
/// Layout version of the section.
pub const VERSION: u32 = 1;

/// What one curated record put into the network.
#[derive(Clone, Debug, PartialEq)]
pub struct Record {
    /// `link`, `terminal`, `port`, `ferry` or `crossing`.
    pub kind: String,
    pub id: String,
    pub name: String,
    pub nodes: Vec<u32>,
    pub edges: Vec<(u32, u32)>,
}

/// The section's words.
pub fn encode(records: &[Record]) -> Vec<u32> {
    let mut out = vec![VERSION, records.len() as u32];
    for r in records {
        let text = format!("{}\t{}\t{}", r.kind, r.id, r.name);
        let bytes = text.as_bytes();
        out.push(bytes.len() as u32);
        for chunk in bytes.chunks(4) {
            let mut w = [0u8; 4];
            w[..chunk.len()].copy_from_slice(chunk);
            out.push(u32::from_le_bytes(w));
        }
        out.push(r.nodes.len() as u32);
        out.extend(&r.nodes);
        out.push(r.edges.len() as u32);
        for (a, b) in &r.edges {
            out.extend([*a, *b]);
        }
    }
    out
}

/// The records of a section, or `None` if it is malformed (or refers to
/// nodes the network does not have).
pub fn decode(words: &[u32], node_count: usize) -> Option<Vec<Record>> {
    let mut it = words.iter().copied();
    if it.next()? != VERSION {
        return None;
    }
    let count = it.next()? as usize;
    let mut out = Vec::new();
    let node = |v: u32| ((v as usize) < node_count).then_some(v);
    for _ in 0..count {
        let len = it.next()? as usize;
        let mut bytes = Vec::with_capacity(len + 3);
        for _ in 0..len.div_ceil(4) {
            bytes.extend(it.next()?.to_le_bytes());
        }
        bytes.truncate(len);
        let text = String::from_utf8(bytes).ok()?;
        let mut parts = text.splitn(3, '\t');
        let (kind, id, name) = (parts.next()?, parts.next()?, parts.next()?);
        let n = it.next()? as usize;
        let nodes = (0..n)
            .map(|_| it.next().and_then(node))
            .collect::<Option<Vec<u32>>>()?;
        let m = it.next()? as usize;
        let edges = (0..m)
            .map(|_| Some((node(it.next()?)?, node(it.next()?)?)))
            .collect::<Option<Vec<(u32, u32)>>>()?;
        out.push(Record {
            kind: kind.to_string(),
            id: id.to_string(),
            name: name.to_string(),
            nodes,
            edges,
        });
    }
    Some(out)
}

/// The curated records of a network (empty when it has none).
pub fn records(net: &Network) -> Vec<Record> {
    net.extension(SECTION)
        .and_then(|w| decode(w, net.node_count()))
        .unwrap_or_default()
}

/// Every arc a record accounts for, sorted: both directions of its edges,
/// and every arc into or out of its nodes.
pub fn arcs(net: &Network, r: &Record) -> Vec<u32> {
    let (first_out, head) = (net.first_out(), net.arc_head());
    let between = |a: u32, b: u32| {
        (first_out[a as usize]..first_out[a as usize + 1]).filter(move |x| head[*x as usize] == b)
    };
    let mut out = Vec::new();
    for &(a, b) in &r.edges {
        out.extend(between(a, b));
        out.extend(between(b, a));
    }
    for &v in &r.nodes {
        for x in net.arcs(NodeId(v)) {
            out.push(x as u32);
            out.extend(between(head[x], v));
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let records = vec![
            Record {
                kind: "link".into(),
                id: "china-laos-railway".into(),
                name: "China–Laos Railway".into(),
                nodes: vec![],
                edges: vec![(1, 2), (2, 3)],
            },
            Record {
                kind: "port".into(),
                id: "gwadar".into(),
                name: "Gwadar".into(),
                nodes: vec![4],
                edges: vec![],
            },
        ];
        let words = encode(&records);
        assert_eq!(decode(&words, 5), Some(records));
        assert_eq!(decode(&words, 4), None, "node 4 out of range");
        assert_eq!(decode(&words[..words.len() - 1], 5), None, "truncated");
    }
}
