//! Reading a user's OpenStreetMap PBF extract into rail and road nodes and
//! undirected edges in the shapes of [`silkroute_graph::raw`] (`RawNode`,
//! `RawEdge`), plus a side table of per-edge OSM attributes.
//!
//! **What is read.** Rail: ways tagged `railway=rail`, keeping `usage`,
//! `service`, `gauge`, `maxspeed` and `electrified`; ways with
//! `service=yard|siding|spur|crossover` are skipped unless
//! [`OsmOptions::keep_service_tracks`], and counted by value either way.
//! Roads: `highway=motorway|trunk|primary|secondary|tertiary` and their
//! `_link`s, keeping `maxspeed`. A way tagged both ways is read as rail.
//!
//! **Streaming, memory bounded.** Two passes over the file's blobs, each
//! decoded in parallel batches of [`BATCH`] blobs: the first keeps only the
//! selected ways (their node ids and tags) and notes which blobs hold nodes;
//! the second decodes only those blobs and keeps the coordinates of the
//! nodes the selected ways reference. Memory is the selected ways plus one
//! coordinate per node they use, never every node of the file.
//!
//! **Nodes and edges (collapsed chains).** The world layers' rail and road
//! edges (scgraph_data, read as they are by `world.rs`) are already
//! simplified: degree-2 nodes are gone and one edge runs between junctions.
//! This reader does the same. A way's node is kept when it is the end of a
//! stretch of present nodes, or is used twice or more by the selected ways
//! of that mode (a junction, or a way meeting itself); an edge runs along
//! the way between consecutive kept nodes, its length the haversine sum
//! (`silkroute_model::haversine_m`) along every node in between. A closed
//! way whose only kept node is its start is split at its middle node, so no
//! self-loop is lost. Chains are not merged across ways: a way's ends are
//! always nodes, because the tags (and so the edge attributes) can change
//! there. Rail and road never share a node: an OSM node on both a rail and
//! a road way (a level crossing) becomes one rail and one road node, so no
//! route changes mode without a transfer.
//!
//! **Clipped extracts.** A node a way references but the file lacks cuts
//! the way there: each stretch of present nodes becomes edges, no straight
//! line is drawn across the gap, and the ways affected are counted in a
//! warning. (`scripts/osm-length-oracle` measures the same way.)
//!
//! **Attributes.** `RawEdge` has `gauge_mm` (rail; parsed from `gauge`, the
//! first value of a dual gauge such as `1520;1435`) but no field for speed,
//! and adding one would not be read by `compile`; the per-edge OSM
//! attributes (way id, `maxspeed` in km/h, gauge, usage, service,
//! electrified, highway class) are kept in [`OsmNetwork::attrs`], parallel
//! to `edges`, for the cost model to use later. `maxspeed` is parsed from
//! OSM syntax ([`parse_maxspeed`]): `80`, `50 mph`, `10 knots`, `80 km/h`,
//! country defaults such as `RU:urban`, `DE:zone:30`; `none`, `signals`,
//! `variable` and `walk` carry no number.
//!
//! **Oddities are warnings.** Ways with fewer than two nodes in the file,
//! unknown `gauge` or `maxspeed` values and skipped service tracks are
//! counted in [`OsmNetwork::warnings`] (one line per kind, with the first
//! way id); only an unreadable or corrupt file is an error
//! ([`crate::Error::Pbf`], naming the path).

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::path::{Path, PathBuf};

use osmpbf::{BlobDecode, BlobReader, Element, PrimitiveBlock};
use rayon::prelude::*;
use silkroute_graph::{RawEdge, RawNode};
use silkroute_model::{LatLon, Mode, haversine_m};

use crate::Error;

/// Blobs decoded in parallel at once (a blob is about 8,000 elements).
pub const BATCH: usize = 64;

/// `service=*` values of rail ways skipped by default.
pub const SKIPPED_SERVICE: [&str; 4] = ["yard", "siding", "spur", "crossover"];

/// `highway=*` values read as roads.
pub const ROAD_CLASSES: [&str; 10] = [
    "motorway",
    "trunk",
    "primary",
    "secondary",
    "tertiary",
    "motorway_link",
    "trunk_link",
    "primary_link",
    "secondary_link",
    "tertiary_link",
];

/// What to read from an extract.
#[derive(Clone, Debug, PartialEq)]
pub struct OsmOptions {
    pub rail: bool,
    pub road: bool,
    /// Keep `service=yard|siding|spur|crossover` rail ways (default: skip).
    pub keep_service_tracks: bool,
}

impl Default for OsmOptions {
    fn default() -> OsmOptions {
        OsmOptions {
            rail: true,
            road: true,
            keep_service_tracks: false,
        }
    }
}

/// The OSM attributes of one edge (the way it was cut from).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct EdgeAttrs {
    /// The OSM way; `None` for a user GeoJSON/CSV link.
    pub way_id: Option<i64>,
    /// `maxspeed`, km/h, where the tag gives a number.
    pub speed_kmh: Option<f32>,
    /// `gauge`, mm (rail; the first value of a multi-gauge track).
    pub gauge_mm: Option<u16>,
    pub usage: Option<String>,
    pub service: Option<String>,
    pub electrified: Option<String>,
    /// `highway` class (roads).
    pub highway: Option<String>,
}

/// What the reader counted.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OsmStats {
    pub rail_ways: u64,
    pub road_ways: u64,
    /// Rail ways skipped by `service` value.
    pub skipped_service: BTreeMap<String, u64>,
    /// Selected ways with at least one node missing from the file.
    pub ways_missing_nodes: u64,
    /// Selected ways left with fewer than two nodes in the file.
    pub ways_dropped: u64,
    /// Total length of the edges, unrounded, metres.
    pub rail_m: f64,
    pub road_m: f64,
    /// Nodes of the file whose coordinates were kept.
    pub nodes_used: u64,
}

/// The bounding box of an extract, degrees.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BBox {
    pub west: f64,
    pub south: f64,
    pub east: f64,
    pub north: f64,
}

impl BBox {
    pub fn contains(&self, p: LatLon) -> bool {
        (self.south..=self.north).contains(&p.lat) && (self.west..=self.east).contains(&p.lon)
    }

    /// The smallest box around `points`, or `None` when there are none.
    pub fn around(points: impl IntoIterator<Item = LatLon>) -> Option<BBox> {
        let mut b: Option<BBox> = None;
        for p in points {
            let x = b.get_or_insert(BBox {
                west: p.lon,
                south: p.lat,
                east: p.lon,
                north: p.lat,
            });
            x.west = x.west.min(p.lon);
            x.east = x.east.max(p.lon);
            x.south = x.south.min(p.lat);
            x.north = x.north.max(p.lat);
        }
        b
    }
}

/// A read extract: nodes and edges (indices into `nodes`), the mode and OSM
/// id of each node, the attributes of each edge, and what was noticed.
#[derive(Clone, Debug)]
pub struct OsmNetwork {
    pub path: PathBuf,
    pub nodes: Vec<RawNode>,
    pub node_mode: Vec<Mode>,
    pub node_osm_id: Vec<i64>,
    pub edges: Vec<RawEdge>,
    /// Parallel to `edges`.
    pub attrs: Vec<EdgeAttrs>,
    /// The file header's bounding box, if it has one.
    pub header_bbox: Option<BBox>,
    pub stats: OsmStats,
    pub warnings: Vec<String>,
}

impl OsmNetwork {
    /// The header's box, or else the box around the nodes read.
    pub fn bbox(&self) -> Option<BBox> {
        self.header_bbox
            .or_else(|| BBox::around(self.nodes.iter().map(|n| n.pos)))
    }

    /// Total edge length of `mode`, km (from the rounded edge lengths).
    pub fn km(&self, mode: Mode) -> f64 {
        self.edges
            .iter()
            .filter(|e| e.mode == mode)
            .map(|e| e.length_m as f64)
            .sum::<f64>()
            / 1000.0
    }
}

/// A multiplicative hasher for OSM ids (ids are dense integers; SipHash's
/// flood protection buys nothing here and costs a third of the second pass).
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(5) ^ *b as u64).wrapping_mul(0x517c_c1b7_2722_0a95);
        }
    }
    fn write_i64(&mut self, i: i64) {
        self.0 = (i as u64)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .rotate_left(26);
    }
}

type IdMap = HashMap<i64, u32, BuildHasherDefault<IdHasher>>;

/// A selected way as read in the first pass.
struct WayRec {
    id: i64,
    mode: Mode,
    refs: Vec<i64>,
    gauge: Option<String>,
    maxspeed: Option<String>,
    usage: Option<String>,
    service: Option<String>,
    electrified: Option<String>,
    highway: Option<String>,
}

/// What one blob of the first pass gave.
#[derive(Default)]
struct WayBlob {
    ways: Vec<WayRec>,
    has_nodes: bool,
    skipped: BTreeMap<String, u64>,
    header_bbox: Option<BBox>,
}

fn pbf_error(path: &Path, e: impl std::fmt::Display) -> Error {
    Error::Pbf {
        path: path.to_path_buf(),
        detail: e.to_string(),
    }
}

fn blobs(path: &Path) -> Result<BlobReader<std::io::BufReader<std::fs::File>>, Error> {
    let file = std::fs::File::open(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(BlobReader::new(std::io::BufReader::new(file)))
}

/// Runs `f` over the file's blobs in parallel batches, in file order;
/// `want(i)` says whether blob `i` needs decoding at all.
fn for_batches<T: Send>(
    path: &Path,
    want: &(dyn Fn(usize) -> bool + Sync),
    f: &(dyn Fn(&osmpbf::Blob) -> Result<T, String> + Sync),
    mut sink: impl FnMut(usize, T),
) -> Result<(), Error> {
    let mut reader = blobs(path)?;
    let mut index = 0usize;
    loop {
        let mut batch = Vec::with_capacity(BATCH);
        for blob in reader.by_ref() {
            let blob = blob.map_err(|e| pbf_error(path, e))?;
            if want(index) {
                batch.push((index, blob));
            }
            index += 1;
            if batch.len() == BATCH {
                break;
            }
        }
        if batch.is_empty() {
            return Ok(());
        }
        let done: Vec<(usize, Result<T, String>)> =
            batch.par_iter().map(|(i, b)| (*i, f(b))).collect();
        for (i, r) in done {
            sink(i, r.map_err(|e| pbf_error(path, format!("blob {i}: {e}")))?);
        }
    }
}

fn decode(blob: &osmpbf::Blob) -> Result<Option<PrimitiveBlock>, String> {
    match blob.decode().map_err(|e| e.to_string())? {
        BlobDecode::OsmData(block) => Ok(Some(block)),
        _ => Ok(None),
    }
}

fn first_pass(blob: &osmpbf::Blob, opts: &OsmOptions) -> Result<WayBlob, String> {
    let mut out = WayBlob::default();
    match blob.decode().map_err(|e| e.to_string())? {
        BlobDecode::OsmHeader(h) => {
            out.header_bbox = h.bbox().map(|b| BBox {
                west: b.left.min(b.right),
                east: b.left.max(b.right),
                south: b.top.min(b.bottom),
                north: b.top.max(b.bottom),
            });
        }
        BlobDecode::OsmData(block) => {
            for group in block.groups() {
                if group.dense_nodes().next().is_some() || group.nodes().next().is_some() {
                    out.has_nodes = true;
                }
                for way in group.ways() {
                    let mut rec = WayRec {
                        id: way.id(),
                        mode: Mode::Rail,
                        refs: Vec::new(),
                        gauge: None,
                        maxspeed: None,
                        usage: None,
                        service: None,
                        electrified: None,
                        highway: None,
                    };
                    let (mut rail, mut road) = (false, false);
                    for (k, v) in way.tags() {
                        match k {
                            "railway" => rail = v == "rail",
                            "highway" => {
                                road = ROAD_CLASSES.contains(&v);
                                rec.highway = Some(v.to_string());
                            }
                            "gauge" => rec.gauge = Some(v.to_string()),
                            "maxspeed" => rec.maxspeed = Some(v.to_string()),
                            "usage" => rec.usage = Some(v.to_string()),
                            "service" => rec.service = Some(v.to_string()),
                            "electrified" => rec.electrified = Some(v.to_string()),
                            _ => {}
                        }
                    }
                    if rail && opts.rail {
                        if let Some(s) = rec.service.as_deref()
                            && SKIPPED_SERVICE.contains(&s)
                        {
                            *out.skipped.entry(s.to_string()).or_default() += 1;
                            if !opts.keep_service_tracks {
                                continue;
                            }
                        }
                        rec.highway = None;
                    } else if road && opts.road {
                        rec.mode = Mode::Road;
                        rec.gauge = None;
                        rec.usage = None;
                        rec.service = None;
                        rec.electrified = None;
                    } else {
                        continue;
                    }
                    rec.refs = way.refs().collect();
                    out.ways.push(rec);
                }
            }
        }
        BlobDecode::Unknown(_) => {}
    }
    Ok(out)
}

/// Counts of one kind of oddity, with the first way it was seen on.
#[derive(Default)]
struct Tally(BTreeMap<String, (u64, i64)>);

impl Tally {
    fn add(&mut self, what: String, way: i64) {
        self.0.entry(what).or_insert((0, way)).0 += 1;
    }
}

/// Reads the rail and road network of an OSM PBF extract (see the module
/// header for the rules). Fails only when the file cannot be read or
/// decoded; everything else is a warning.
pub fn read_pbf(path: &Path, opts: &OsmOptions) -> Result<OsmNetwork, Error> {
    // Pass 1: the selected ways.
    let mut ways: Vec<WayRec> = Vec::new();
    let mut node_blobs: Vec<bool> = Vec::new();
    let mut stats = OsmStats::default();
    let mut header_bbox = None;
    for_batches(path, &|_| true, &|b| first_pass(b, opts), |i, blob| {
        if node_blobs.len() <= i {
            node_blobs.resize(i + 1, false);
        }
        node_blobs[i] = blob.has_nodes;
        for (k, n) in blob.skipped {
            *stats.skipped_service.entry(k).or_default() += n;
        }
        header_bbox = header_bbox.or(blob.header_bbox);
        ways.extend(blob.ways);
    })?;
    // Slots: one per distinct node id the ways use, in order of first use.
    let mut slot_of: IdMap = IdMap::default();
    let mut way_slots: Vec<Vec<u32>> = Vec::with_capacity(ways.len());
    let mut slot_id: Vec<i64> = Vec::new();
    for w in &mut ways {
        let refs = std::mem::take(&mut w.refs);
        way_slots.push(
            refs.iter()
                .map(|id| {
                    *slot_of.entry(*id).or_insert_with(|| {
                        slot_id.push(*id);
                        (slot_id.len() - 1) as u32
                    })
                })
                .collect(),
        );
    }
    // Pass 2: the coordinates of those nodes only.
    let mut coords: Vec<Option<LatLon>> = vec![None; slot_id.len()];
    if !slot_id.is_empty() {
        let slot_of = &slot_of;
        for_batches(
            path,
            &|i| node_blobs.get(i).copied().unwrap_or(true),
            &|b| {
                let mut found = Vec::new();
                let Some(block) = decode(b)? else {
                    return Ok(found);
                };
                block.for_each_element(|e| {
                    let (id, lat, lon) = match e {
                        Element::DenseNode(n) => (n.id(), n.lat(), n.lon()),
                        Element::Node(n) => (n.id(), n.lat(), n.lon()),
                        _ => return,
                    };
                    if let Some(&s) = slot_of.get(&id) {
                        found.push((s, lat, lon));
                    }
                });
                Ok(found)
            },
            |_, found| {
                for (s, lat, lon) in found {
                    coords[s as usize] = Some(LatLon::new(lat, lon));
                }
            },
        )?;
    }
    drop(slot_of);
    stats.nodes_used = coords.iter().filter(|c| c.is_some()).count() as u64;

    // Uses of each slot per mode (saturating at 2: "a junction").
    let mut uses = [vec![0u8; slot_id.len()], vec![0u8; slot_id.len()]];
    let mi = |m: Mode| usize::from(m == Mode::Road);
    for (w, slots) in ways.iter().zip(&way_slots) {
        let u = &mut uses[mi(w.mode)];
        for &s in slots {
            let c = &mut u[s as usize];
            *c = (*c + 1).min(2);
        }
    }

    let mut net = OsmNetwork {
        path: path.to_path_buf(),
        nodes: Vec::new(),
        node_mode: Vec::new(),
        node_osm_id: Vec::new(),
        edges: Vec::new(),
        attrs: Vec::new(),
        header_bbox,
        stats,
        warnings: Vec::new(),
    };
    let mut node_of = [vec![u32::MAX; slot_id.len()], vec![u32::MAX; slot_id.len()]];
    let (mut bad_gauge, mut bad_speed) = (Tally::default(), Tally::default());
    let (mut first_missing, mut first_dropped) = (None, None);
    for (w, slots) in ways.iter().zip(&way_slots) {
        match w.mode {
            Mode::Rail => net.stats.rail_ways += 1,
            _ => net.stats.road_ways += 1,
        }
        let gauge_mm = w.gauge.as_deref().and_then(|g| match parse_gauge(g) {
            Some(mm) => Some(mm),
            None => {
                bad_gauge.add(g.to_string(), w.id);
                None
            }
        });
        let speed_kmh = w.maxspeed.as_deref().and_then(|v| match parse_maxspeed(v) {
            Ok(s) => s,
            Err(()) => {
                bad_speed.add(v.to_string(), w.id);
                None
            }
        });
        let attrs = EdgeAttrs {
            way_id: Some(w.id),
            speed_kmh,
            gauge_mm,
            usage: w.usage.clone(),
            service: w.service.clone(),
            electrified: w.electrified.clone(),
            highway: w.highway.clone(),
        };
        let present = |s: &u32| coords[*s as usize].is_some();
        if !slots.iter().all(present) {
            net.stats.ways_missing_nodes += 1;
            first_missing.get_or_insert(w.id);
        }
        if slots.iter().filter(|s| present(s)).count() < 2 {
            net.stats.ways_dropped += 1;
            first_dropped.get_or_insert(w.id);
            continue;
        }
        let m = mi(w.mode);
        for run in slots.split(|s| !present(s)).filter(|r| r.len() >= 2) {
            let pos: Vec<LatLon> = run.iter().map(|s| coords[*s as usize].unwrap()).collect();
            let mut cum = vec![0.0f64; run.len()];
            for k in 1..run.len() {
                cum[k] = cum[k - 1] + haversine_m(pos[k - 1], pos[k]);
            }
            let last = run.len() - 1;
            let mut start = 0usize;
            for k in 1..run.len() {
                if k != last && uses[m][run[k] as usize] < 2 {
                    continue;
                }
                let pieces: Vec<(usize, usize)> = if run[start] == run[k] {
                    if k - start < 2 {
                        Vec::new() // a repeated node: nothing between
                    } else {
                        let mid = (start + k) / 2;
                        vec![(start, mid), (mid, k)]
                    }
                } else {
                    vec![(start, k)]
                };
                for (a, b) in pieces {
                    let mut node = |i: usize, net: &mut OsmNetwork| {
                        let s = run[i] as usize;
                        if node_of[m][s] == u32::MAX {
                            node_of[m][s] = net.nodes.len() as u32;
                            net.nodes.push(RawNode::junction(pos[i].lat, pos[i].lon));
                            net.node_mode.push(w.mode);
                            net.node_osm_id.push(slot_id[s]);
                        }
                        node_of[m][s]
                    };
                    let (from, to) = (node(a, &mut net), node(b, &mut net));
                    let len = cum[b] - cum[a];
                    let mut e = RawEdge::new(from, to, len.round() as u32, w.mode);
                    if w.mode == Mode::Rail {
                        e.gauge_mm = gauge_mm.unwrap_or(0);
                        net.stats.rail_m += len;
                    } else {
                        net.stats.road_m += len;
                    }
                    net.edges.push(e);
                    net.attrs.push(attrs.clone());
                }
                start = k;
            }
        }
    }
    let file = path.display();
    let s = &net.stats;
    if !s.skipped_service.is_empty() {
        let list: Vec<String> = s
            .skipped_service
            .iter()
            .map(|(k, n)| format!("{n} service={k}"))
            .collect();
        net.warnings.push(format!(
            "{file}: {} rail ways: {}",
            if opts.keep_service_tracks {
                "kept"
            } else {
                "skipped"
            },
            list.join(", ")
        ));
    }
    if let Some(w) = first_missing {
        net.warnings.push(format!(
            "{file}: {} ways reference nodes missing from the file (a clipped extract; first: way {w}); they are cut at the gaps",
            s.ways_missing_nodes
        ));
    }
    if let Some(w) = first_dropped {
        net.warnings.push(format!(
            "{file}: {} ways have fewer than two nodes in the file and are left out (first: way {w})",
            s.ways_dropped
        ));
    }
    for (what, tally) in [("gauge", bad_gauge), ("maxspeed", bad_speed)] {
        for (v, (n, way)) in tally.0 {
            net.warnings.push(format!(
                "{file}: {what}={v:?} on {n} ways (first: way {way}) is not understood; no {what} kept"
            ));
        }
    }
    Ok(net)
}

/// `gauge=*` in mm: a number, or the first of `;`-separated numbers (dual
/// gauge). `None` for anything else (`standard`, `narrow`, …).
pub fn parse_gauge(v: &str) -> Option<u16> {
    v.split(';')
        .next()?
        .trim()
        .parse::<u16>()
        .ok()
        .filter(|g| (300..=3000).contains(g))
}

/// National default limits for `maxspeed=CC:context` values, km/h, from the
/// OpenStreetMap wiki's "Default speed limits" (general traffic). A context
/// missing here is reported as not understood, never guessed.
const ZONE_KMH: &[(&str, f32)] = &[
    ("AT:urban", 50.0),
    ("AT:rural", 100.0),
    ("AT:motorway", 130.0),
    ("BY:urban", 60.0),
    ("BY:rural", 90.0),
    ("BY:motorway", 110.0),
    ("CH:urban", 50.0),
    ("CH:rural", 80.0),
    ("CH:trunk", 100.0),
    ("CH:motorway", 120.0),
    ("CZ:urban", 50.0),
    ("CZ:rural", 90.0),
    ("CZ:motorway", 130.0),
    ("DE:urban", 50.0),
    ("DE:rural", 100.0),
    ("DE:living_street", 7.0),
    ("DK:urban", 50.0),
    ("DK:rural", 80.0),
    ("DK:motorway", 130.0),
    ("FI:urban", 50.0),
    ("FI:rural", 80.0),
    ("FR:urban", 50.0),
    ("FR:rural", 80.0),
    ("FR:motorway", 130.0),
    ("GB:nsl_single", 96.56),
    ("GB:nsl_dual", 112.65),
    ("GB:motorway", 112.65),
    ("IT:urban", 50.0),
    ("IT:rural", 90.0),
    ("IT:trunk", 110.0),
    ("IT:motorway", 130.0),
    ("NL:urban", 50.0),
    ("NL:rural", 80.0),
    ("PL:urban", 50.0),
    ("PL:rural", 90.0),
    ("PL:motorway", 140.0),
    ("RU:urban", 60.0),
    ("RU:rural", 90.0),
    ("RU:motorway", 110.0),
    ("RU:living_street", 20.0),
    ("UA:urban", 50.0),
    ("UA:rural", 90.0),
    ("UA:motorway", 130.0),
];

/// `maxspeed=*` in km/h: `Ok(Some(kmh))` for a number (`80`, `80 km/h`,
/// `50 mph`, `10 knots`), a zone (`DE:zone:30`, `FR:zone30`) or a national
/// default in [`ZONE_KMH`] (`RU:urban`); `Ok(None)` for the values that
/// carry no number (`none`, `signals`, `variable`, `walk`); `Err(())` for
/// anything else. Of several `;`-separated values the first is used.
#[allow(clippy::result_unit_err)]
pub fn parse_maxspeed(v: &str) -> Result<Option<f32>, ()> {
    let v = v.split(';').next().unwrap_or("").trim();
    if matches!(v, "none" | "signals" | "variable" | "walk") {
        return Ok(None);
    }
    let number = |s: &str| s.trim().parse::<f32>().ok().filter(|x| *x > 0.0);
    if let Some((cc, ctx)) = v.split_once(':')
        && cc.len() == 2
        && cc.bytes().all(|b| b.is_ascii_uppercase())
    {
        if let Some(z) = ctx.strip_prefix("zone") {
            return number(z.trim_start_matches(':')).map(Some).ok_or(());
        }
        return ZONE_KMH
            .iter()
            .find(|(k, _)| *k == v)
            .map(|(_, s)| Some(*s))
            .ok_or(());
    }
    let units: [(&str, f32); 5] = [
        ("km/h", 1.0),
        ("kmh", 1.0),
        ("kph", 1.0),
        ("mph", 1.609_344),
        ("knots", 1.852),
    ];
    for (unit, factor) in units {
        if let Some(n) = v.strip_suffix(unit) {
            return number(n).map(|x| Some(x * factor)).ok_or(());
        }
    }
    number(v).map(Some).ok_or(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maxspeed_follows_osm_syntax() {
        assert_eq!(parse_maxspeed("80"), Ok(Some(80.0)));
        assert_eq!(parse_maxspeed(" 80 km/h"), Ok(Some(80.0)));
        let mph = parse_maxspeed("50 mph").unwrap().unwrap();
        assert!((mph - 80.467).abs() < 0.01, "{mph}");
        assert_eq!(parse_maxspeed("RU:urban"), Ok(Some(60.0)));
        assert_eq!(parse_maxspeed("DE:zone:30"), Ok(Some(30.0)));
        assert_eq!(parse_maxspeed("FR:zone30"), Ok(Some(30.0)));
        assert_eq!(parse_maxspeed("60;80"), Ok(Some(60.0)));
        assert_eq!(parse_maxspeed("none"), Ok(None));
        assert_eq!(parse_maxspeed("XX:urban"), Err(()));
        assert_eq!(parse_maxspeed("fast"), Err(()));
        assert_eq!(parse_maxspeed("-5"), Err(()));
    }

    #[test]
    fn gauge_takes_the_first_of_a_dual_gauge() {
        assert_eq!(parse_gauge("1435"), Some(1435));
        assert_eq!(parse_gauge("1520;1435"), Some(1520));
        assert_eq!(parse_gauge("standard"), None);
        assert_eq!(parse_gauge("5"), None);
    }

    #[test]
    fn a_box_holds_what_it_was_drawn_around() {
        let b = BBox::around([LatLon::new(60.0, 24.0), LatLon::new(61.0, 25.0)]).unwrap();
        assert!(b.contains(LatLon::new(60.5, 24.5)));
        assert!(!b.contains(LatLon::new(59.9, 24.5)));
        assert!(BBox::around(std::iter::empty()).is_none());
    }
}
