//! What the API test binaries share: a seeded generator; random multimodal
//! "worlds" with three countries (AA, BB, CC by longitude band), border
//! arcs (customs and gauge-break flags), two curated rail crossings
//! (`xing-1` AA–BB, `xing-2` BB–CC), seaports named like real ones
//! ("Port 0 (AAP00)") with their transfer arcs, rail terminals, ferries,
//! Suez and Malacca sea arcs and a gazetteer (a city at every node, the
//! ports, and "Nowhere" far from the network); the curated catalogue in the
//! real TOML schemas; the network compiled with its hierarchies, curated
//! provenance (section 30) and catalogue (section 31) exactly as
//! `silkroute_api::store::build` writes them, opened as a `Service`; and an
//! independent Dijkstra for the oracles. Each binary uses part of it.
#![allow(dead_code)]

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use silkroute_api::{OdPlace, Scenario, Service, ServiceOptions};
use silkroute_graph::{
    ARC_FLAG_CUSTOMS_BORDER, ARC_FLAG_GAUGE_BREAK, ELEMENT_CROSSING, Network, RawEdge, RawElement,
    RawNetwork, RawNode, compile,
};
use silkroute_model::{
    LatLon, Mode, ModeSet, NoProgress, NodeId, NodeKind, Passage, Place, PlaceKind, haversine_m,
};
use silkroute_route::curated::Record;

/// A small linear congruential generator: fixed seeds give fixed worlds.
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

    pub fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len() as u64) as usize]
    }
}

pub const COUNTRIES: [&str; 3] = ["AA", "BB", "CC"];

/// The modes the tests route with.
pub fn modes() -> ModeSet {
    ModeSet::of(&[Mode::Rail, Mode::Road, Mode::Sea, Mode::Ferry])
}

/// A random world, before compiling.
pub struct World {
    pub raw: RawNetwork,
    /// Per node, the mode of the random arcs it was drawn for (a seaport's
    /// is sea, a terminal's rail).
    pub mode: Vec<Mode>,
    /// Seaports: UN/LOCODE and node.
    pub ports: Vec<(String, u32)>,
    /// Curated crossings: id and index of the raw edge that carries it.
    pub crossings: Vec<(String, usize)>,
    /// Curated provenance records (section 30).
    pub records: Vec<Record>,
}

/// The gazetteer name of the city at node `v`.
pub fn city(v: u32) -> String {
    format!("City {v}")
}

/// The position of a place far from every node.
pub const NOWHERE: LatLon = LatLon { lat: 0.0, lon: 0.0 };

fn e7(x: f64) -> f64 {
    (x * 1e7).round() / 1e7
}

impl World {
    pub fn node_count(&self) -> usize {
        self.raw.nodes.len()
    }

    pub fn pos(&self, v: u32) -> LatLon {
        self.raw.nodes[v as usize].pos
    }

    /// The node's country ("" for sea junctions).
    pub fn country(&self, v: u32) -> String {
        self.raw.nodes[v as usize]
            .country
            .map_or(String::new(), |c| String::from_utf8(c.to_vec()).unwrap())
    }

    pub fn kind(&self, v: u32) -> NodeKind {
        self.raw.nodes[v as usize].kind
    }

    /// The modes of the non-transfer edges at `v` (what snapping sees).
    pub fn node_modes(&self, v: u32) -> ModeSet {
        let mut s = ModeSet::EMPTY;
        for e in &self.raw.edges {
            if e.mode != Mode::Transfer && (e.from == v || e.to == v) {
                s = ModeSet(s.0 | ModeSet::of(&[e.mode]).0);
            }
        }
        s
    }

    /// Nodes a place snaps to itself at: those with an arc of a routed mode
    /// (transfer arcs alone do not make a node a snapping candidate).
    pub fn routable(&self) -> Vec<u32> {
        (0..self.node_count() as u32)
            .filter(|v| self.node_modes(*v).intersects(modes()))
            .collect()
    }

    /// Junction nodes with a country (where the bri tests put cities).
    pub fn land_junctions(&self) -> Vec<u32> {
        (0..self.node_count() as u32)
            .filter(|v| self.kind(*v) == NodeKind::Junction && !self.country(*v).is_empty())
            .filter(|v| self.node_modes(*v).intersects(modes()))
            .collect()
    }

    /// The compiled arcs of raw edge `i`, both directions.
    pub fn edge_arcs(&self, net: &Network, i: usize) -> Vec<u32> {
        let e = &self.raw.edges[i];
        let (first_out, head, len, mode) = (
            net.first_out(),
            net.arc_head(),
            net.arc_length_m(),
            net.arc_mode(),
        );
        let mut out = Vec::new();
        for (t, h) in [(e.from, e.to), (e.to, e.from)] {
            let found: Vec<u32> = (first_out[t as usize]..first_out[t as usize + 1])
                .filter(|a| {
                    let a = *a as usize;
                    head[a] == h && len[a] == e.length_m && mode[a] == e.mode as u8
                })
                .collect();
            assert_eq!(found.len(), 1, "edge {i} {t}→{h}: one arc");
            out.extend(found);
        }
        out
    }
}

/// A random world of `n` nodes (see the module header). Rail, road and sea
/// nodes lie on a jittered 1° grid (60–68° E, 40° N and up), so a place
/// at a node snaps to that node alone; `3n` tries at an edge as in
/// `route/tests/common::random_network`.
pub fn world(seed: u64, n: usize) -> World {
    let mut rng = Rng(seed);
    let mut raw = RawNetwork::default();
    let drawn = [Mode::Rail, Mode::Road, Mode::Sea];
    let mut mode = Vec::new();
    for i in 0..n {
        let (gx, gy) = (i % 8, i / 8);
        let lat = e7(40.0 + gy as f64 + rng.unit() * 0.3);
        let lon = e7(60.0 + gx as f64 + rng.unit() * 0.3);
        let m = drawn[rng.below(3) as usize];
        let cc = COUNTRIES[(gx / 3).min(2)].as_bytes();
        raw.add_node(RawNode {
            country: (m != Mode::Sea).then(|| [cc[0], cc[1]]),
            ..RawNode::junction(lat, lon)
        });
        mode.push(m);
    }
    let of_mode = |mode: &[Mode], m: Mode| -> Vec<u32> {
        (0..n as u32).filter(|v| mode[*v as usize] == m).collect()
    };
    // Three seaports (with their grid column's country) and two terminals.
    let mut ports = Vec::new();
    let sea = of_mode(&mode, Mode::Sea);
    let mut taken = Vec::new();
    while ports.len() < 3 && taken.len() < sea.len() {
        let v = *rng.pick(&sea);
        if taken.contains(&v) {
            continue;
        }
        taken.push(v);
        let k = ports.len();
        let cc = COUNTRIES[((v as usize % 8) / 3).min(2)];
        let code = format!("{cc}P{k:02}");
        let node = &mut raw.nodes[v as usize];
        node.kind = NodeKind::Seaport;
        node.country = Some([cc.as_bytes()[0], cc.as_bytes()[1]]);
        node.name = Some(format!("Port {k} ({code})"));
        ports.push((code, v));
    }
    let rail = of_mode(&mode, Mode::Rail);
    for k in 0..2 {
        let v = *rng.pick(&rail);
        let node = &mut raw.nodes[v as usize];
        node.kind = NodeKind::RailTerminal;
        node.name = Some(format!("Terminal {k}"));
    }
    let dist = |raw: &RawNetwork, a: u32, b: u32| {
        haversine_m(raw.nodes[a as usize].pos, raw.nodes[b as usize].pos)
    };
    let border = |raw: &RawNetwork, a: u32, b: u32| {
        let (ca, cb) = (raw.nodes[a as usize].country, raw.nodes[b as usize].country);
        ca.is_some() && cb.is_some() && ca != cb
    };
    for _ in 0..n * 3 {
        let (a, b) = (rng.below(n as u64) as u32, rng.below(n as u64) as u32);
        if a == b {
            continue;
        }
        let d = dist(&raw, a, b) * (1.0 + rng.unit() * 0.5);
        let (ma, mb) = (mode[a as usize], mode[b as usize]);
        if ma == mb {
            let mut e = RawEdge::new(a, b, d as u32, ma);
            if ma == Mode::Sea {
                match rng.below(6) {
                    0 | 1 => e.passage = Some(Passage::Suez),
                    2 => e.passage = Some(Passage::Malacca),
                    _ => {}
                }
            }
            if border(&raw, a, b) {
                if rng.below(4) != 0 {
                    e.flags |= ARC_FLAG_CUSTOMS_BORDER;
                }
                if ma == Mode::Rail && rng.below(2) == 0 {
                    e.flags |= ARC_FLAG_GAUGE_BREAK;
                }
            }
            raw.edges.push(e);
        } else if rng.below(3) == 0 {
            let mut e = RawEdge::new(a, b, (d / 10.0) as u32, Mode::Transfer);
            e.joins = ModeSet::of(&[ma, mb]);
            raw.edges.push(e);
        }
    }
    // Each seaport is handled to its two nearest land nodes.
    for (_, p) in &ports {
        let mut land: Vec<u32> = (0..n as u32)
            .filter(|v| mode[*v as usize] != Mode::Sea)
            .collect();
        land.sort_by(|x, y| dist(&raw, *p, *x).total_cmp(&dist(&raw, *p, *y)));
        for &q in land.iter().take(2) {
            let mut e = RawEdge::new(*p, q, (dist(&raw, *p, q) / 10.0) as u32, Mode::Transfer);
            e.joins = ModeSet::of(&[Mode::Sea, mode[q as usize]]);
            raw.edges.push(e);
        }
    }
    // A few ferries between road nodes.
    let road = of_mode(&mode, Mode::Road);
    for _ in 0..3 {
        let (a, b) = (*rng.pick(&road), *rng.pick(&road));
        if a != b {
            let d = dist(&raw, a, b) * 1.2;
            raw.edges.push(RawEdge::new(a, b, d as u32, Mode::Ferry));
        }
    }
    // Two curated rail crossings: the closest rail pair across each border.
    let mut crossings = Vec::new();
    for (k, (ca, cb)) in [("AA", "BB"), ("BB", "CC")].into_iter().enumerate() {
        let in_c = |c: &str| -> Vec<u32> {
            rail.iter()
                .copied()
                .filter(|v| {
                    raw.nodes[*v as usize].country == Some([c.as_bytes()[0], c.as_bytes()[1]])
                })
                .collect()
        };
        let (xs, ys) = (in_c(ca), in_c(cb));
        let best = xs
            .iter()
            .flat_map(|x| ys.iter().map(move |y| (*x, *y)))
            .min_by(|p, q| dist(&raw, p.0, p.1).total_cmp(&dist(&raw, q.0, q.1)));
        let Some((a, b)) = best else { continue };
        let id = format!("xing-{}", k + 1);
        raw.elements.push(RawElement {
            kind: ELEMENT_CROSSING,
            id: id.clone(),
            name: format!("Crossing {}", k + 1),
            basis: "test".into(),
            dwell_h: 6.0,
            fee_usd: 150.0,
            crossing_h: f32::NAN,
            wait_h: f32::NAN,
        });
        // An odd length no random edge has.
        let mut e = RawEdge::new(a, b, (dist(&raw, a, b) * 1.05) as u32 | 1, Mode::Rail);
        e.flags = ARC_FLAG_CUSTOMS_BORDER;
        e.element = Some(raw.elements.len() as u32 - 1);
        crossings.push((id, raw.edges.len()));
        raw.edges.push(e);
    }
    // The gazetteer: a city at every node, the ports, and Nowhere.
    for (v, node) in raw.nodes.iter().enumerate() {
        raw.places.push(Place {
            kind: PlaceKind::City,
            code: String::new(),
            name: city(v as u32),
            names_zh: Vec::new(),
            country: node
                .country
                .map_or(String::new(), |c| String::from_utf8(c.to_vec()).unwrap()),
            pos: node.pos,
            population: 100_000,
        });
    }
    for (k, (code, v)) in ports.iter().enumerate() {
        raw.places.push(Place {
            kind: PlaceKind::Seaport,
            code: code.clone(),
            name: format!("Port {k}"),
            names_zh: Vec::new(),
            country: code[..2].to_string(),
            pos: raw.nodes[*v as usize].pos,
            population: 0,
        });
    }
    raw.places.push(Place {
        kind: PlaceKind::City,
        code: String::new(),
        name: "Nowhere".into(),
        names_zh: Vec::new(),
        country: String::new(),
        pos: NOWHERE,
        population: 1_000,
    });
    World {
        raw,
        mode,
        ports,
        crossings,
        records: Vec::new(),
    }
}

/// The catalogue's TOML files in their real schemas
/// (`data/bri/*.toml`, `data/scenarios/scenarios.toml`): the world's two
/// crossings plus `xing-ghost` (operating, on no arc of the network), a
/// ferry on no arc (`ghost-ferry`), the corridor `corr-w` over both
/// crossings, and the given capacities and projects (`capacity = []`,
/// `project = []` when empty).
pub fn catalogue_files(w: &World, capacities: &str, projects: &str) -> Vec<(String, Vec<u8>)> {
    let side = |v: u32| {
        let p = w.pos(v);
        format!(
            "country = \"{}\"\nlat = {}\nlon = {}\n",
            w.country(v),
            p.lat,
            p.lon
        )
    };
    let mut crossings = String::new();
    for (id, e) in &w.crossings {
        let e = &w.raw.edges[*e];
        crossings.push_str(&format!(
            "[[crossing]]\nid = \"{id}\"\nname = \"Crossing {id}\"\nmode = \"rail\"\nstatus = \"operating\"\ndwell_h_min = 4\ndwell_h_max = 8\nfee_usd_per_container = 150\n\n[crossing.side_a]\n{}\n[crossing.side_b]\n{}\n",
            side(e.from),
            side(e.to)
        ));
    }
    crossings.push_str(
        "[[crossing]]\nid = \"xing-ghost\"\nname = \"Ghost crossing\"\nmode = \"road\"\nstatus = \"operating\"\n\n[crossing.side_a]\ncountry = \"AA\"\nlat = 1.0\nlon = 1.0\n\n[crossing.side_b]\ncountry = \"BB\"\nlat = 1.0\nlon = 1.1\n",
    );
    let ferries = "[[ferry]]\nid = \"ghost-ferry\"\nname = \"Ghost ferry\"\nkind = \"rail_ferry\"\nstatus = \"operating\"\ncrossing_h = 10\n\n[ferry.from]\nname = \"A\"\nlat = 1.0\nlon = 1.0\n\n[ferry.to]\nname = \"B\"\nlat = 2.0\nlon = 2.0\n";
    let corridors = "[[corridor]]\nid = \"corr-w\"\nname = \"Western test corridor\"\nstatus = \"operating\"\nwaypoints = [\"xing-1\", \"xing-2\"]\n";
    let or = |s: &str, empty: &str| {
        if s.trim().is_empty() {
            empty.to_string()
        } else {
            s.to_string()
        }
    };
    vec![
        ("bri/terminals.toml".into(), b"terminal = []\n".to_vec()),
        ("bri/ferries.toml".into(), ferries.as_bytes().to_vec()),
        ("bri/corridors.toml".into(), corridors.as_bytes().to_vec()),
        ("bri/border_crossings.toml".into(), crossings.into_bytes()),
        (
            "bri/capacities.toml".into(),
            or(capacities, "capacity = []\n").into_bytes(),
        ),
        (
            "bri/projects.toml".into(),
            or(projects, "project = []\n").into_bytes(),
        ),
        (
            "scenarios/scenarios.toml".into(),
            b"scenario = []\n".to_vec(),
        ),
    ]
}

/// Section 31's layout (`silkroute_api::store`): the layout version 1,
/// the file count, then per file its name and its content, each as a byte
/// length and the bytes packed four to a little-endian word.
fn encode_files(files: &[(String, Vec<u8>)]) -> Vec<u32> {
    let mut out = vec![1, files.len() as u32];
    let put = |bytes: &[u8], out: &mut Vec<u32>| {
        out.push(bytes.len() as u32);
        for chunk in bytes.chunks(4) {
            let mut w = [0u8; 4];
            w[..chunk.len()].copy_from_slice(chunk);
            out.push(u32::from_le_bytes(w));
        }
    };
    for (name, bytes) in files {
        put(name.as_bytes(), &mut out);
        put(bytes, &mut out);
    }
    out
}

/// The world compiled as `silkroute build` stores a network: hierarchies,
/// curated provenance and catalogue.
pub fn network(w: &World, files: &[(String, Vec<u8>)]) -> Network {
    let plain = Network::from_image(compile::build_image(&w.raw, &NoProgress).unwrap()).unwrap();
    let ext = silkroute_route::fast::build_extensions(&plain, &NoProgress).unwrap();
    let (mut image, fingerprint) =
        silkroute_graph::format::FileImage::from_image(plain.image_bytes()).unwrap();
    for (k, data) in &ext {
        image.push_extension(*k, data);
    }
    image.push_extension(
        silkroute_route::curated::SECTION,
        &silkroute_route::curated::encode(&w.records),
    );
    image.push_extension(
        silkroute_api::store::CATALOGUE_SECTION,
        &encode_files(files),
    );
    Network::from_image(image.finish(fingerprint)).unwrap()
}

/// A service over the world with this catalogue.
pub fn service(w: &World, capacities: &str, projects: &str) -> Service {
    let files = catalogue_files(w, capacities, projects);
    let service = Service::new(network(w, &files), ServiceOptions::default()).unwrap();
    assert!(service.engine().has_hierarchy());
    service
}

/// The city at node `v` as a labelled place of an OD list.
pub fn od_place(s: &Service, v: u32) -> OdPlace {
    OdPlace {
        label: city(v),
        place: s.place(&city(v)).unwrap(),
    }
}

/// Every node's city as the places of an OD list, with these pairs of
/// nodes (each of volume `value`).
pub fn od_set(s: &Service, w: &World, pairs: &[(u32, u32)], value: f64) -> silkroute_api::OdSet {
    silkroute_api::OdSet {
        places: (0..w.node_count() as u32).map(|v| od_place(s, v)).collect(),
        pairs: pairs
            .iter()
            .map(|&(o, t)| silkroute_api::OdPair {
                from: o as usize,
                to: t as usize,
                value,
            })
            .collect(),
        valued: true,
        notes: Vec::new(),
    }
}

/// A scenario that changes nothing yet.
pub fn scenario(id: &str) -> Scenario {
    Scenario {
        id: id.into(),
        name: id.into(),
        close_passages: Vec::new(),
        close_countries: Vec::new(),
        close_areas: Vec::new(),
        close_polygons: Vec::new(),
        close_border_crossings: Vec::new(),
        close_ports: Vec::new(),
        close_places: Vec::new(),
        close_modes: Vec::new(),
        slowdown: Vec::new(),
        source: "test".into(),
        notes: None,
    }
}

/// A box around a random node, sometimes several nodes wide.
pub fn random_area(w: &World, rng: &mut Rng) -> [f64; 4] {
    let c = w.pos(rng.below(w.node_count() as u64) as u32);
    let (dx, dy) = (0.2 + rng.unit() * 1.5, 0.2 + rng.unit() * 1.5);
    [c.lon - dx, c.lat - dy, c.lon + dx, c.lat + dy]
}

/// A triangle of `[lon, lat]` vertices, counter-clockwise, around a point
/// near a random node.
pub fn random_triangle(w: &World, rng: &mut Rng) -> Vec<[f64; 2]> {
    let c = w.pos(rng.below(w.node_count() as u64) as u32);
    let r = 0.4 + rng.unit() * 1.5;
    let t0 = rng.unit() * std::f64::consts::TAU;
    (0..3)
        .map(|k| {
            let t = t0 + k as f64 * std::f64::consts::TAU / 3.0;
            [c.lon + 0.2 + r * t.cos(), c.lat - 0.1 + r * t.sin()]
        })
        .collect()
}

/// Inside a convex counter-clockwise ring: left of every edge.
pub fn inside_convex(ring: &[[f64; 2]], lon: f64, lat: f64) -> bool {
    (0..ring.len()).all(|i| {
        let [x0, y0] = ring[i];
        let [x1, y1] = ring[(i + 1) % ring.len()];
        (x1 - x0) * (lat - y0) - (y1 - y0) * (lon - x0) > 0.0
    })
}

/// The tail node of every arc.
pub fn tails(net: &Network) -> Vec<u32> {
    let first_out = net.first_out();
    let mut t = vec![0u32; net.arc_count()];
    for v in 0..net.node_count() {
        for a in first_out[v]..first_out[v + 1] {
            t[a as usize] = v as u32;
        }
    }
    t
}

/// Plain Dijkstra from `source` over `w` (`u32::MAX` = closed): the
/// distance to every node and the arc each is reached by.
pub fn dijkstra(net: &Network, w: &[u32], source: u32) -> (Vec<Option<u64>>, Vec<Option<u32>>) {
    let (first_out, head) = (net.first_out(), net.arc_head());
    let n = net.node_count();
    let mut dist: Vec<Option<u64>> = vec![None; n];
    let mut via: Vec<Option<u32>> = vec![None; n];
    let mut done = vec![false; n];
    let mut heap = BinaryHeap::new();
    dist[source as usize] = Some(0);
    heap.push(Reverse((0u64, source)));
    while let Some(Reverse((d, v))) = heap.pop() {
        if done[v as usize] {
            continue;
        }
        done[v as usize] = true;
        for a in first_out[v as usize]..first_out[v as usize + 1] {
            let x = w[a as usize];
            if x == u32::MAX {
                continue;
            }
            let h = head[a as usize] as usize;
            let nd = d + x as u64;
            if dist[h].is_none_or(|old| nd < old) {
                dist[h] = Some(nd);
                via[h] = Some(a);
                heap.push(Reverse((nd, h as u32)));
            }
        }
    }
    (dist, via)
}

/// The arcs of the shortest path to `t` found by [`dijkstra`].
pub fn path_to(tails: &[u32], via: &[Option<u32>], t: u32) -> Vec<u32> {
    let mut out = Vec::new();
    let mut v = t;
    while let Some(a) = via[v as usize] {
        out.push(a);
        v = tails[a as usize];
    }
    out.reverse();
    out
}

/// The sum of `w` over a path.
pub fn weigh(w: &[u32], arcs: &[u32]) -> u64 {
    arcs.iter().map(|a| w[*a as usize] as u64).sum()
}

/// Whether `arcs` is a path from `o` to `t`.
pub fn runs(net: &Network, tails: &[u32], arcs: &[u32], o: u32, t: u32) -> bool {
    let head = net.arc_head();
    if arcs.is_empty() {
        return o == t;
    }
    tails[arcs[0] as usize] == o
        && head[*arcs.last().unwrap() as usize] == t
        && arcs
            .windows(2)
            .all(|p| head[p[0] as usize] == tails[p[1] as usize])
}

/// Node `v`'s position as the network stores it.
pub fn at(net: &Network, v: u32) -> LatLon {
    net.pos(NodeId(v))
}
