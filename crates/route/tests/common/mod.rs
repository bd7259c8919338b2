//! What the route test binaries share: a seeded generator, random
//! multimodal networks (with or without their hierarchies) and places at
//! nodes. Each binary uses part of it.
#![allow(dead_code)]

use silkroute_graph::{Network, RawEdge, RawNetwork, RawNode, compile};
use silkroute_model::{LatLon, Mode, ModeSet, NoProgress, NodeId, Passage};
use silkroute_route::places::ResolvedPlace;

/// A small linear congruential generator: fixed seeds give fixed graphs.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    pub fn unit(&mut self) -> f64 {
        self.next() as f64 / (1u64 << 31) as f64
    }
}

/// A random multimodal graph of `n` nodes: rail, road and sea nodes on a
/// jittered 1° grid (so no two lie within snapping range of each other),
/// `edges_per_node × n` tries at an edge: within a mode an edge (some sea
/// edges in the Suez passage), between modes a transfer one time in three.
pub fn random_network(seed: u64, n: usize, edges_per_node: usize) -> Network {
    let mut rng = Rng(seed);
    let mut raw = RawNetwork::default();
    let modes = [Mode::Rail, Mode::Road, Mode::Sea];
    let mut node_mode = Vec::new();
    for i in 0..n {
        let (gx, gy) = ((i % 8) as f64, (i / 8) as f64);
        raw.add_node(RawNode::junction(
            gy + rng.unit() * 0.3,
            gx + rng.unit() * 0.3,
        ));
        node_mode.push(modes[rng.below(3) as usize]);
    }
    for _ in 0..n * edges_per_node {
        let (a, b) = (rng.below(n as u64) as usize, rng.below(n as u64) as usize);
        if a == b {
            continue;
        }
        let d = silkroute_model::haversine_m(raw.nodes[a].pos, raw.nodes[b].pos)
            * (1.0 + rng.unit() * 0.5);
        if node_mode[a] == node_mode[b] {
            let mut e = RawEdge::new(a as u32, b as u32, d as u32, node_mode[a]);
            if node_mode[a] == Mode::Sea && rng.below(4) == 0 {
                e.passage = Some(Passage::Suez);
            }
            raw.edges.push(e);
        } else if rng.below(3) == 0 {
            let mut e = RawEdge::new(a as u32, b as u32, (d / 10.0) as u32, Mode::Transfer);
            e.joins = ModeSet::of(&[node_mode[a], node_mode[b]]);
            raw.edges.push(e);
        }
    }
    Network::from_image(compile::build_image(&raw, &NoProgress).unwrap()).unwrap()
}

/// `plain` with its contraction hierarchies, as `silkroute build` stores them.
pub fn with_hierarchies(plain: Network) -> Network {
    let ext = silkroute_route::fast::build_extensions(&plain, &NoProgress).unwrap();
    let (mut image, fingerprint) =
        silkroute_graph::format::FileImage::from_image(plain.image_bytes()).unwrap();
    for (k, data) in &ext {
        image.push_extension(*k, data);
    }
    Network::from_image(image.finish(fingerprint)).unwrap()
}

/// A place exactly at node `v`, named `n{v}`.
pub fn at(net: &Network, v: u32) -> ResolvedPlace {
    let p = net.pos(NodeId(v));
    ResolvedPlace {
        query: format!("n{v}"),
        name: format!("n{v}"),
        code: String::new(),
        country: String::new(),
        kind: None,
        pos: LatLon::new(p.lat, p.lon),
    }
}
