//! Users' own networks in the world import: the [`UserData`] description
//! (OSM PBF extracts with a mode filter and a placement, and GeoJSON/CSV
//! files of links, nodes and ferries), its fingerprint, and the joins that
//! place it in the network, by the rules in [`crate::rules`] ("User data").
//!
//! Parsing is elsewhere: [`crate::osm_pbf`] reads extracts and
//! [`crate::user_geojson`] reads the GeoJSON and CSV files. The joins here
//! are `impl` blocks of the world import's builder, called at the points
//! `world.rs` names; with no user data none of this runs.

use std::path::PathBuf;

use silkroute_graph::spatial::{self, KdTree};
use silkroute_graph::{RawEdge, RawNode};
use silkroute_model::{LatLon, Mode, NodeId, NodeKind, Place, PlaceKind, Progress, haversine_m};

use crate::bri;
use crate::curated::{CuratedKind, CuratedRecord};
use crate::osm_pbf::{BBox, EdgeAttrs, OsmNetwork, OsmOptions, read_pbf};
use crate::rules::*;
use crate::user_geojson::{UserFeature, UserFile, UserNodeKind, line_length_m, read_user_file};
use crate::world::{Builder, country_code, crossing_anchors};
use crate::{Error, Sources};

/// Where an extract goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// Beside the world layers, each of its components joined to them.
    Add,
    /// Instead of the world layers' nodes and edges of its modes inside its
    /// box, joined at the box edge.
    Replace,
}

impl Placement {
    pub fn as_str(self) -> &'static str {
        match self {
            Placement::Add => "add",
            Placement::Replace => "replace",
        }
    }
}

/// One OSM PBF extract to import.
#[derive(Clone, Debug, PartialEq)]
pub struct OsmSource {
    pub path: PathBuf,
    /// Which modes to read (and, with `Replace`, to replace).
    pub options: OsmOptions,
    pub placement: Placement,
    /// The area `Replace` clears; default: the file header's box, else the
    /// box around the nodes read.
    pub bbox: Option<BBox>,
    /// Every node's country; default: the country of the nearest world node
    /// of the same mode ([`USER_COUNTRY_RADIUS_M`]).
    pub country: Option<[u8; 2]>,
}

impl OsmSource {
    pub fn new(path: impl Into<PathBuf>, placement: Placement) -> OsmSource {
        OsmSource {
            path: path.into(),
            options: OsmOptions::default(),
            placement,
            bbox: None,
            country: None,
        }
    }
}

/// The user's own data for one import, in order: extracts are placed one
/// after the other (a later `Replace` also clears an earlier extract inside
/// its box), then the files' features in file order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UserData {
    pub osm: Vec<OsmSource>,
    /// GeoJSON (`.geojson`, `.json`) and CSV (`.csv`) files of links, nodes
    /// and ferries (`docs/USER_DATA.md`).
    pub files: Vec<PathBuf>,
}

/// The user modules' code, hashed into a user network's fingerprint (it is
/// not in `sources::RULES_CODE`, so editing it leaves the default network
/// current).
static USER_CODE: &[&str] = &[
    include_str!("user.rs"),
    include_str!("user_geojson.rs"),
    include_str!("osm_pbf.rs"),
];

impl UserData {
    pub fn is_empty(&self) -> bool {
        self.osm.is_empty() && self.files.is_empty()
    }

    /// `base` (the sources' fingerprint) combined with the user modules' code
    /// and every user file's name, options and whole content: a network built
    /// from other user data, or from the same files edited, is stale.
    pub fn fingerprint(&self, base: u64) -> Result<u64, Error> {
        use std::io::Read;
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(b"silkroute user data 1");
        h.update(&base.to_le_bytes());
        for code in USER_CODE {
            h.update(code.as_bytes());
        }
        let hash_file = |h: &mut xxhash_rust::xxh3::Xxh3, path: &PathBuf| {
            let io = |source| Error::Io {
                path: path.clone(),
                source,
            };
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            h.update(name.unwrap_or_default().as_bytes());
            let mut f = std::fs::File::open(path).map_err(io)?;
            let mut buf = vec![0u8; 1 << 20];
            let mut len = 0u64;
            loop {
                let n = f.read(&mut buf).map_err(io)?;
                if n == 0 {
                    break;
                }
                len += n as u64;
                h.update(&buf[..n]);
            }
            h.update(&len.to_le_bytes());
            Ok::<(), Error>(())
        };
        for o in &self.osm {
            h.update(b"osm");
            hash_file(&mut h, &o.path)?;
            h.update(&[
                o.options.rail as u8,
                o.options.road as u8,
                o.options.keep_service_tracks as u8,
                o.placement as u8,
            ]);
            if let Some(b) = o.bbox {
                for x in [b.west, b.south, b.east, b.north] {
                    h.update(&x.to_le_bytes());
                }
            }
            h.update(&o.country.unwrap_or([0, 0]));
        }
        for f in &self.files {
            h.update(b"file");
            hash_file(&mut h, f)?;
        }
        Ok(h.digest())
    }
}

/// What one user source put into the network (for `inspect`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UserSourceReport {
    pub path: PathBuf,
    /// `osm`, `geojson` or `csv`.
    pub kind: &'static str,
    /// For extracts: `add` or `replace`.
    pub placement: Option<&'static str>,
    pub nodes: u64,
    pub edges: u64,
    pub rail_km: f64,
    pub road_km: f64,
    /// World nodes and edges removed (`replace`).
    pub replaced_nodes: u64,
    pub replaced_edges: u64,
    /// Edges added to join the source to the rest of the network.
    pub joins: u64,
    /// Extract joins that found nothing (box-edge edges or components).
    pub unjoined: u64,
    /// Features read and skipped (files).
    pub features: u64,
    pub skipped: u64,
    /// Ids of the records that joined nothing.
    pub joined_nothing: Vec<String>,
}

/// The user side of the world import's builder.
#[derive(Default)]
pub(crate) struct UserState {
    /// While extracts are placed: for each edge of `raw.edges`, its index in
    /// `pool`, or `u32::MAX`.
    edge_attr: Vec<u32>,
    pool: Vec<EdgeAttrs>,
    /// Attributes of edges that never move once added (user links).
    fixed: Vec<(u32, EdgeAttrs)>,
    reports: Vec<UserSourceReport>,
    /// Report index of each file, in `UserData::files` order.
    file_reports: Vec<usize>,
}

impl UserState {
    pub(crate) fn finish(self) -> (Vec<(u32, EdgeAttrs)>, Vec<UserSourceReport>) {
        let UserState {
            edge_attr,
            mut pool,
            mut fixed,
            reports,
            ..
        } = self;
        let mut out: Vec<(u32, EdgeAttrs)> = edge_attr
            .iter()
            .enumerate()
            .filter(|(_, a)| **a != u32::MAX)
            .map(|(i, a)| (i as u32, std::mem::take(&mut pool[*a as usize])))
            .collect();
        out.append(&mut fixed);
        out.sort_by_key(|(i, _)| *i);
        (out, reports)
    }
}

/// Where the segment from `w` (outside `b`) to `v` (inside) enters `b`, as
/// the fraction of the way from `w` (Liang–Barsky in degrees).
fn entry_fraction(b: &BBox, w: LatLon, v: LatLon) -> f64 {
    let (dx, dy) = (v.lon - w.lon, v.lat - w.lat);
    let mut t0 = 0.0f64;
    for (p, q) in [
        (-dx, w.lon - b.west),
        (dx, b.east - w.lon),
        (-dy, w.lat - b.south),
        (dy, b.north - w.lat),
    ] {
        if p < 0.0 {
            t0 = t0.max(q / p);
        }
    }
    t0.clamp(0.0, 1.0)
}

fn lerp(a: LatLon, b: LatLon, t: f64) -> LatLon {
    LatLon::new(a.lat + (b.lat - a.lat) * t, a.lon + (b.lon - a.lon) * t)
}

/// Owned kd-tree arrays over some nodes.
struct Tree(Vec<u32>, Vec<f32>);

impl Tree {
    fn over(nodes: impl Iterator<Item = (LatLon, u32)>) -> Tree {
        let (o, x) = spatial::build_tree(nodes);
        Tree(o, x)
    }
    fn get(&self) -> KdTree<'_> {
        KdTree {
            order: &self.0,
            xyz: &self.1,
        }
    }
}

impl Builder {
    fn junction_tree(&self) -> Tree {
        Tree::over(
            self.raw.nodes[..self.junction_mode.len()]
                .iter()
                .enumerate()
                .map(|(i, v)| (v.pos, i as u32)),
        )
    }

    /// Nearest node of `mode` among `allowed` in `tree`, with its distance.
    fn nearest_where(
        &self,
        tree: &KdTree,
        p: LatLon,
        mode: Mode,
        allowed: &dyn Fn(usize) -> bool,
    ) -> Option<(u32, f64)> {
        tree.nearest(p, 1, &mut |n: NodeId| {
            self.junction_mode.get(n.index()) == Some(&mode) && allowed(n.index())
        })
        .first()
        .map(|(_, n)| (n.0, haversine_m(p, self.raw.nodes[n.index()].pos)))
    }

    /// Places every extract of `user`, in order (after the world's rail,
    /// road and sea junctions are read, before anything joins them).
    pub(crate) fn place_user_networks(
        &mut self,
        src: &Sources,
        user: &UserData,
        progress: &dyn Progress,
    ) -> Result<(), Error> {
        if user.osm.is_empty() {
            return Ok(());
        }
        self.user.edge_attr = vec![u32::MAX; self.raw.edges.len()];
        for o in &user.osm {
            progress.stage(&format!("reading {}", o.path.display()), 0);
            let net = read_pbf(&o.path, &o.options)?;
            if progress.cancelled() {
                return Err(Error::Cancelled);
            }
            self.place_osm(src, o, net)?;
        }
        Ok(())
    }

    fn place_osm(&mut self, src: &Sources, o: &OsmSource, net: OsmNetwork) -> Result<(), Error> {
        let file = o.path.display().to_string();
        self.warnings.extend(net.warnings.iter().cloned());
        let mut report = UserSourceReport {
            path: o.path.clone(),
            kind: "osm",
            placement: Some(o.placement.as_str()),
            nodes: net.nodes.len() as u64,
            edges: net.edges.len() as u64,
            rail_km: net.stats.rail_m / 1000.0,
            road_km: net.stats.road_m / 1000.0,
            ..UserSourceReport::default()
        };
        let modes: Vec<Mode> = [(o.options.rail, Mode::Rail), (o.options.road, Mode::Road)]
            .into_iter()
            .filter_map(|(on, m)| on.then_some(m))
            .collect();
        let Some(area) = o.bbox.or_else(|| net.bbox()) else {
            self.warnings
                .push(format!("{file}: no rail or road read; nothing placed"));
            self.user.reports.push(report);
            return Ok(());
        };
        // Countries, from the world as it is before anything is removed.
        let world = self.junction_tree();
        let countries: Vec<Option<[u8; 2]>> = match o.country {
            Some(c) => vec![Some(c); net.nodes.len()],
            None => net
                .nodes
                .iter()
                .zip(&net.node_mode)
                .map(|(n, m)| {
                    self.nearest_where(&world.get(), n.pos, *m, &|_| true)
                        .filter(|(_, d)| *d <= USER_COUNTRY_RADIUS_M)
                        .and_then(|(v, _)| self.raw.nodes[v as usize].country)
                })
                .collect(),
        };
        // Replace: clear the box, remembering the edges that cross its edge.
        let mut boundary: Vec<(u32, LatLon, LatLon, u32, Mode)> = Vec::new();
        if o.placement == Placement::Replace {
            let n = self.raw.nodes.len();
            let remove: Vec<bool> = (0..n)
                .map(|i| {
                    self.junction_mode.get(i).is_some_and(|m| modes.contains(m))
                        && area.contains(self.raw.nodes[i].pos)
                })
                .collect();
            let mut new_index = vec![u32::MAX; n];
            let mut k = 0u32;
            for i in 0..n {
                if !remove[i] {
                    new_index[i] = k;
                    k += 1;
                }
            }
            for e in &self.raw.edges {
                let (f, t) = (e.from as usize, e.to as usize);
                let pos = |i: usize| self.raw.nodes[i].pos;
                match (remove[f], remove[t]) {
                    (false, true) => {
                        boundary.push((new_index[f], pos(f), pos(t), e.length_m, e.mode))
                    }
                    (true, false) => {
                        boundary.push((new_index[t], pos(t), pos(f), e.length_m, e.mode))
                    }
                    _ => {}
                }
            }
            report.replaced_nodes = (n as u32 - k) as u64;
            let mut i = 0usize;
            self.raw.nodes.retain(|_| {
                i += 1;
                !remove[i - 1]
            });
            let mut i = 0usize;
            self.junction_mode.retain(|_| {
                i += 1;
                !remove[i - 1]
            });
            let keep: Vec<bool> = self
                .raw
                .edges
                .iter()
                .map(|e| !remove[e.from as usize] && !remove[e.to as usize])
                .collect();
            report.replaced_edges = keep.iter().filter(|k| !**k).count() as u64;
            let mut i = 0usize;
            self.raw.edges.retain(|_| {
                i += 1;
                keep[i - 1]
            });
            for e in &mut self.raw.edges {
                e.from = new_index[e.from as usize];
                e.to = new_index[e.to as usize];
            }
            let mut i = 0usize;
            self.user.edge_attr.retain(|_| {
                i += 1;
                keep[i - 1]
            });
        }
        // The extract itself.
        let base = self.raw.nodes.len() as u32;
        let first_edge = self.raw.edges.len();
        for ((node, mode), country) in net.nodes.into_iter().zip(net.node_mode).zip(countries) {
            self.raw.nodes.push(RawNode { country, ..node });
            self.junction_mode.push(mode);
        }
        for (mut e, a) in net.edges.into_iter().zip(net.attrs) {
            e.from += base;
            e.to += base;
            self.raw.edges.push(e);
            self.user.edge_attr.push(self.user.pool.len() as u32);
            self.user.pool.push(a);
        }
        if o.country.is_none() {
            for &m in &modes {
                let anchors = crossing_anchors(src, m)?;
                let n = self.smooth_enclaves(base as usize, first_edge, m, &anchors);
                if n > 0 {
                    self.warnings.push(format!(
                        "{file}: relabelled {n} {} nodes in country enclaves",
                        m.as_str()
                    ));
                }
            }
        }
        let is_extract = |i: usize| i >= base as usize;
        let mut joins: Vec<RawEdge> = Vec::new();
        let mut unjoined = Vec::new();
        match o.placement {
            Placement::Replace => {
                let tree = Tree::over(
                    (base as usize..self.raw.nodes.len())
                        .map(|i| (self.raw.nodes[i].pos, i as u32)),
                );
                for (w, wpos, vpos, len, mode) in boundary {
                    if !modes.contains(&mode) {
                        continue;
                    }
                    let t = entry_fraction(&area, wpos, vpos);
                    let c = lerp(wpos, vpos, t);
                    match self
                        .nearest_where(&tree.get(), c, mode, &is_extract)
                        .filter(|(_, d)| *d <= USER_JOIN_RADIUS_M)
                    {
                        Some((u, d)) => joins.push(RawEdge::new(
                            w,
                            u,
                            (len as f64 * t + d).round() as u32,
                            mode,
                        )),
                        None => {
                            unjoined.push(format!("{} {:.4},{:.4}", mode.as_str(), c.lat, c.lon))
                        }
                    }
                }
                if !unjoined.is_empty() {
                    self.warnings.push(format!(
                        "{file}: {} world edges cross the box edge with no extract node of their mode within {} km and end there (at {})",
                        unjoined.len(),
                        USER_JOIN_RADIUS_M / 1000.0,
                        unjoined.iter().take(5).cloned().collect::<Vec<_>>().join("; ")
                    ));
                }
            }
            Placement::Add => {
                // Components of the extract, per mode (edges never mix modes).
                let n = self.raw.nodes.len() - base as usize;
                let mut parent: Vec<u32> = (0..n as u32).collect();
                fn root(p: &mut [u32], mut x: u32) -> u32 {
                    while p[x as usize] != x {
                        p[x as usize] = p[p[x as usize] as usize];
                        x = p[x as usize];
                    }
                    x
                }
                for e in &self.raw.edges[first_edge..] {
                    let (a, b) = (
                        root(&mut parent, e.from - base),
                        root(&mut parent, e.to - base),
                    );
                    parent[a.max(b) as usize] = a.min(b);
                }
                let mut best: std::collections::BTreeMap<u32, (f64, u32, u32)> =
                    std::collections::BTreeMap::new();
                for i in 0..n {
                    let v = base + i as u32;
                    let m = self.junction_mode[v as usize];
                    let r = root(&mut parent, i as u32);
                    if let Some((w, d)) =
                        self.nearest_where(&world.get(), self.raw.nodes[v as usize].pos, m, &|_| {
                            true
                        })
                    {
                        let b = best.entry(r).or_insert((f64::INFINITY, v, w));
                        if d < b.0 {
                            *b = (d, v, w);
                        }
                    } else {
                        best.entry(r).or_insert((f64::INFINITY, v, u32::MAX));
                    }
                }
                for (_, (d, v, w)) in best {
                    if d <= USER_JOIN_RADIUS_M {
                        let m = self.junction_mode[v as usize];
                        joins.push(RawEdge::new(v, w, d.round() as u32, m));
                    } else {
                        let p = self.raw.nodes[v as usize].pos;
                        unjoined.push(format!("{:.4},{:.4}", p.lat, p.lon));
                    }
                }
                if !unjoined.is_empty() {
                    self.warnings.push(format!(
                        "{file}: {} components have no world node of their mode within {} km and stay apart (near {})",
                        unjoined.len(),
                        USER_JOIN_RADIUS_M / 1000.0,
                        unjoined.iter().take(5).cloned().collect::<Vec<_>>().join("; ")
                    ));
                }
            }
        }
        report.joins = joins.len() as u64;
        report.unjoined = unjoined.len() as u64;
        for e in joins {
            self.raw.edges.push(e);
            self.user.edge_attr.push(u32::MAX);
        }
        self.warnings.push(format!(
            "{file}: {} ({}) {} nodes, {} edges, {:.1} km rail, {:.1} km road; replaced {} world nodes and {} edges; {} joins",
            o.placement.as_str(),
            modes.iter().map(|m| m.as_str()).collect::<Vec<_>>().join("+"),
            report.nodes,
            report.edges,
            report.rail_km,
            report.road_km,
            report.replaced_nodes,
            report.replaced_edges,
            report.joins
        ));
        self.user.reports.push(report);
        Ok(())
    }

    /// Reads every user file (features and warnings; a bad file is an error).
    pub(crate) fn read_user_files(&mut self, user: &UserData) -> Result<Vec<UserFile>, Error> {
        let mut out = Vec::new();
        for path in &user.files {
            let f = read_user_file(path)?;
            self.warnings.extend(f.warnings.iter().cloned());
            self.user.file_reports.push(self.user.reports.len());
            let csv = path
                .extension()
                .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
            self.user.reports.push(UserSourceReport {
                path: path.clone(),
                kind: if csv { "csv" } else { "geojson" },
                features: f.features.len() as u64,
                skipped: f.skipped as u64,
                ..UserSourceReport::default()
            });
            out.push(f);
        }
        Ok(out)
    }

    fn note_joined_nothing(&mut self, file: usize, id: &str, why: String) {
        let rec = &self.user.reports[self.user.file_reports[file]];
        self.warnings
            .push(format!("{} {id}: joins nothing: {why}", rec.path.display()));
        let r = self.user.file_reports[file];
        self.user.reports[r].joined_nothing.push(id.to_string());
    }

    fn count(&mut self, file: usize, nodes: u64, edges: u64, mode: Option<Mode>, km: f64) {
        let r = &mut self.user.reports[self.user.file_reports[file]];
        r.nodes += nodes;
        r.edges += edges;
        match mode {
            Some(Mode::Rail) => r.rail_km += km,
            Some(Mode::Road) => r.road_km += km,
            _ => {}
        }
    }

    /// A new junction of `mode` at `pos`, its country from the nearest node
    /// of the mode.
    fn user_junction(&mut self, tree: &KdTree, pos: LatLon, mode: Mode, name: String) -> u32 {
        let country = self
            .nearest(tree, pos, mode)
            .filter(|(_, d)| *d <= USER_COUNTRY_RADIUS_M)
            .and_then(|(v, _)| self.raw.nodes[v as usize].country);
        let v = self.raw.add_node(RawNode {
            pos,
            kind: NodeKind::Junction,
            country,
            name: Some(name),
        });
        self.junction_mode.push(mode);
        v
    }

    /// User links: one edge between the line's two ends, each end reusing a
    /// node of the mode within [`LINK_SNAP_M`] or becoming a new node
    /// (right after the Belt and Road links, before gauges and customs
    /// borders are set).
    pub(crate) fn load_user_links(&mut self, files: &[UserFile], tree: &KdTree) {
        for (fi, f) in files.iter().enumerate() {
            for feat in &f.features {
                let UserFeature::Link {
                    rec,
                    mode,
                    line,
                    gauge_mm,
                    speed_kmh,
                    length_km,
                    end_names,
                } = feat
                else {
                    continue;
                };
                let mut ends = [0u32; 2];
                let mut snapped = 0;
                for (k, p) in [line[0], line[line.len() - 1]].into_iter().enumerate() {
                    ends[k] = match self
                        .nearest(tree, p, *mode)
                        .filter(|(_, d)| *d <= LINK_SNAP_M)
                    {
                        Some((v, _)) => {
                            snapped += 1;
                            v
                        }
                        None => {
                            let name = end_names[k]
                                .clone()
                                .unwrap_or_else(|| format!("{} end {}", rec.name, k + 1));
                            self.user_junction(tree, p, *mode, name)
                        }
                    };
                }
                if ends[0] == ends[1] {
                    self.warnings.push(format!(
                        "{} {} (id {:?}): both ends join the same {} node; link skipped",
                        rec.file,
                        rec.at,
                        rec.id,
                        mode.as_str()
                    ));
                    continue;
                }
                if snapped == 0 {
                    self.note_joined_nothing(
                        fi,
                        &rec.id,
                        format!(
                            "no {} node within {} km of either end (added as a separate line)",
                            mode.as_str(),
                            LINK_SNAP_M / 1000.0
                        ),
                    );
                }
                let length = length_km.map_or_else(|| line_length_m(line), |km| km * 1000.0);
                let element = self.raw.elements.len() as u32;
                let mut el = bri::plain_element(silkroute_graph::ELEMENT_LINK, &rec.id, &rec.name);
                el.basis = rec.basis();
                self.raw.elements.push(el);
                let mut e = RawEdge::new(ends[0], ends[1], length.round().max(1.0) as u32, *mode);
                e.gauge_mm = gauge_mm.unwrap_or(0);
                e.element = Some(element);
                let index = self.raw.edges.len() as u32;
                self.raw.edges.push(e);
                if gauge_mm.is_some() || speed_kmh.is_some() {
                    self.user.fixed.push((
                        index,
                        EdgeAttrs {
                            way_id: None,
                            speed_kmh: *speed_kmh,
                            gauge_mm: *gauge_mm,
                            ..EdgeAttrs::default()
                        },
                    ));
                }
                self.curated.push(CuratedRecord {
                    kind: CuratedKind::Link,
                    id: rec.id.clone(),
                    name: rec.name.clone(),
                    nodes: Vec::new(),
                    edges: vec![(ends[0], ends[1])],
                });
                self.count(fi, 0, 1, Some(*mode), length / 1000.0);
            }
        }
    }

    /// User ports, terminals, dry ports and airports as hubs, and user
    /// ferries (after the curated hubs and ferries; over every junction,
    /// user links' new ends included).
    pub(crate) fn load_user_hubs_and_ferries(&mut self, files: &[UserFile]) {
        let tree = self.junction_tree();
        let tree = tree.get();
        for (fi, f) in files.iter().enumerate() {
            for feat in &f.features {
                match feat {
                    UserFeature::Node {
                        rec,
                        kind,
                        pos,
                        country,
                        ..
                    } if *kind != UserNodeKind::BorderCrossing => {
                        self.user_hub(fi, rec, *kind, *pos, *country, &tree)
                    }
                    UserFeature::Ferry {
                        rec,
                        line,
                        crossing_h,
                        crossing_h_max,
                        sailings_per_week,
                        end_names,
                        end_countries,
                    } => {
                        let end = |k: usize, p: LatLon| bri::FerryEnd {
                            name: end_names[k]
                                .clone()
                                .unwrap_or_else(|| format!("{} end {}", rec.name, k + 1)),
                            lat: p.lat,
                            lon: p.lon,
                            country: end_countries[k]
                                .map(|c| String::from_utf8_lossy(&c).into_owned()),
                        };
                        let ferry = bri::Ferry {
                            id: rec.id.clone(),
                            name: rec.name.clone(),
                            kind: None,
                            status: "operating".into(),
                            crossing_h: *crossing_h,
                            crossing_h_max: *crossing_h_max,
                            crossing_h_basis: Some(rec.basis()),
                            sailings_per_week: *sailings_per_week,
                            border_dwell_h_min: None,
                            border_dwell_h_max: None,
                            border_dwell_basis: None,
                            border_fee_usd_per_container: None,
                            from: end(0, line[0]),
                            to: end(1, line[line.len() - 1]),
                        };
                        self.user_ferry(fi, &ferry, line_length_m(line), &tree);
                    }
                    _ => {}
                }
            }
        }
    }

    fn user_hub(
        &mut self,
        fi: usize,
        rec: &crate::user_geojson::UserRecord,
        kind: UserNodeKind,
        pos: LatLon,
        country: Option<[u8; 2]>,
        tree: &KdTree,
    ) {
        let country = country.or_else(|| {
            self.nearest(tree, pos, Mode::Road)
                .filter(|(_, d)| *d <= USER_COUNTRY_RADIUS_M)
                .and_then(|(v, _)| self.raw.nodes[v as usize].country)
        });
        let (node_kind, curated_kind) = match kind {
            UserNodeKind::Port => (NodeKind::Seaport, CuratedKind::Port),
            UserNodeKind::Airport => (NodeKind::Airport, CuratedKind::Terminal),
            _ => (NodeKind::RailTerminal, CuratedKind::Terminal),
        };
        let airports: Vec<(u32, LatLon)> = if kind == UserNodeKind::Airport {
            self.raw
                .nodes
                .iter()
                .enumerate()
                .filter(|(_, n)| n.kind == NodeKind::Airport)
                .map(|(i, n)| (i as u32, n.pos))
                .collect()
        } else {
            Vec::new()
        };
        let hub = self
            .raw
            .add_node(bri::hub_node(&rec.name, pos, node_kind, country));
        let element = self.raw.elements.len() as u32;
        let mut el = bri::plain_element(silkroute_graph::ELEMENT_TERMINAL, &rec.id, &rec.name);
        el.basis = rec.basis();
        self.raw.elements.push(el);
        let first_edge = self.raw.edges.len();
        match kind {
            UserNodeKind::Port => {
                if let Some((sea, d)) = self
                    .nearest(tree, pos, Mode::Sea)
                    .filter(|(_, d)| *d <= PORT_SEA_RADIUS_M)
                {
                    self.raw
                        .edges
                        .push(RawEdge::new(hub, sea, d.round() as u32, Mode::Sea));
                }
                for m in [Mode::Rail, Mode::Road] {
                    for (v, d) in
                        self.nearest_within(tree, pos, m, BRI_JOINS, BRI_TERMINAL_RADIUS_M)
                    {
                        self.raw.edges.push(bri::transfer(hub, v, d, Mode::Sea, m));
                    }
                }
            }
            UserNodeKind::Airport => {
                if let Some((road, d)) = self
                    .nearest(tree, pos, Mode::Road)
                    .filter(|(_, d)| *d <= AIRPORT_ROAD_RADIUS_M)
                {
                    self.add_transfer(hub, road, d, [Mode::Air, Mode::Road]);
                }
                for (a, p) in airports {
                    self.raw.edges.push(RawEdge::new(
                        hub,
                        a,
                        haversine_m(pos, p).round() as u32,
                        Mode::Air,
                    ));
                }
            }
            _ => {
                for m in [Mode::Rail, Mode::Road] {
                    for (v, d) in
                        self.nearest_within(tree, pos, m, BRI_JOINS, BRI_TERMINAL_RADIUS_M)
                    {
                        self.raw
                            .edges
                            .push(bri::transfer(hub, v, d, Mode::Rail, Mode::Road));
                    }
                }
            }
        }
        let added = self.raw.edges.len() - first_edge;
        for e in &mut self.raw.edges[first_edge..] {
            e.element = Some(element);
        }
        if added == 0 {
            let r = match kind {
                UserNodeKind::Port => format!(
                    "no sea node within {} km nor rail or road node within {} km",
                    PORT_SEA_RADIUS_M / 1000.0,
                    BRI_TERMINAL_RADIUS_M / 1000.0
                ),
                UserNodeKind::Airport => format!(
                    "no road node within {} km and no other airport",
                    AIRPORT_ROAD_RADIUS_M / 1000.0
                ),
                _ => format!(
                    "no rail or road node within {} km",
                    BRI_TERMINAL_RADIUS_M / 1000.0
                ),
            };
            self.note_joined_nothing(fi, &rec.id, r);
        }
        self.raw.places.push(Place {
            kind: PlaceKind::Terminal,
            code: rec.id.clone(),
            name: rec.name.clone(),
            names_zh: Vec::new(),
            country: country
                .map(|c| String::from_utf8_lossy(&c).into_owned())
                .unwrap_or_default(),
            pos,
            population: 0,
        });
        self.curated.push(CuratedRecord {
            kind: curated_kind,
            id: rec.id.clone(),
            name: rec.name.clone(),
            nodes: vec![hub],
            edges: Vec::new(),
        });
        self.count(fi, 1, added as u64, None, 0.0);
    }

    fn user_ferry(&mut self, fi: usize, f: &bri::Ferry, length_m: f64, tree: &KdTree) {
        let mut ends = Vec::new();
        let mut joined = 0;
        for end in [&f.from, &f.to] {
            let pos = LatLon::new(end.lat, end.lon);
            let country = end.country.as_deref().and_then(country_code).or_else(|| {
                self.nearest(tree, pos, Mode::Road)
                    .filter(|(_, d)| *d <= USER_COUNTRY_RADIUS_M)
                    .and_then(|(v, _)| self.raw.nodes[v as usize].country)
            });
            let hub = self.raw.add_node(bri::hub_node(
                &format!("{} (ferry)", end.name),
                pos,
                NodeKind::Seaport,
                country,
            ));
            let mut any = false;
            for m in [Mode::Rail, Mode::Road] {
                for (v, d) in self.nearest_within(tree, pos, m, BRI_JOINS, BRI_TERMINAL_RADIUS_M) {
                    self.raw
                        .edges
                        .push(bri::transfer(hub, v, d, Mode::Ferry, m));
                    any = true;
                }
            }
            joined += any as usize;
            ends.push(hub);
        }
        if joined < 2 {
            self.note_joined_nothing(
                fi,
                &f.id,
                format!(
                    "{} of its ends has no rail or road node within {} km",
                    2 - joined,
                    BRI_TERMINAL_RADIUS_M / 1000.0
                ),
            );
        }
        let mut e = RawEdge::new(ends[0], ends[1], length_m.round() as u32, Mode::Ferry);
        e.element = Some(self.raw.elements.len() as u32);
        self.raw.elements.push(bri::ferry_element(f));
        self.raw.edges.push(e);
        self.curated.push(CuratedRecord {
            kind: CuratedKind::Ferry,
            id: f.id.clone(),
            name: f.name.clone(),
            nodes: ends.clone(),
            edges: vec![(ends[0], ends[1])],
        });
        self.count(fi, 2, 1, None, 0.0);
    }

    /// User border crossings: the figures on the border edges of the
    /// crossing's mode whose midpoint lies within [`BRI_CROSSING_RADIUS_M`]
    /// (after the curated crossings, whose figures they replace there).
    pub(crate) fn load_user_crossings(&mut self, files: &[UserFile]) {
        struct C {
            file: usize,
            id: String,
            k: u32,
            mode: Mode,
            pos: LatLon,
            a: Option<[u8; 2]>,
            b: Option<[u8; 2]>,
            edges: usize,
        }
        let mut cs = Vec::new();
        for (fi, f) in files.iter().enumerate() {
            for feat in &f.features {
                let UserFeature::Node {
                    rec,
                    kind: UserNodeKind::BorderCrossing,
                    pos,
                    country,
                    country_b,
                    mode,
                    dwell_h_min,
                    dwell_h_max,
                    fee_usd,
                } = feat
                else {
                    continue;
                };
                let side = |c: Option<[u8; 2]>| bri::CrossingSide {
                    country: c
                        .map(|c| String::from_utf8_lossy(&c).into_owned())
                        .unwrap_or_default(),
                    lat: pos.lat,
                    lon: pos.lon,
                };
                let record = bri::Crossing {
                    id: rec.id.clone(),
                    name: rec.name.clone(),
                    mode: mode.as_str().to_string(),
                    status: "operating".into(),
                    dwell_h_min: *dwell_h_min,
                    dwell_h_max: *dwell_h_max,
                    dwell_basis: Some(rec.basis()),
                    dwell_h_typical: None,
                    fee_usd_per_container: *fee_usd,
                    side_a: side(*country),
                    side_b: side(*country_b),
                };
                let k = self.raw.elements.len() as u32;
                self.raw.elements.push(bri::crossing_element(&record));
                self.raw.places.push(Place {
                    kind: PlaceKind::BorderCrossing,
                    code: format!("{}|{}", rec.id, record.side_b.country),
                    name: rec.name.clone(),
                    names_zh: Vec::new(),
                    country: record.side_a.country.clone(),
                    pos: *pos,
                    population: 0,
                });
                cs.push(C {
                    file: fi,
                    id: rec.id.clone(),
                    k,
                    mode: *mode,
                    pos: *pos,
                    a: *country,
                    b: *country_b,
                    edges: 0,
                });
            }
        }
        if cs.is_empty() {
            return;
        }
        for e in self.raw.edges.iter_mut() {
            let (na, nb) = (
                &self.raw.nodes[e.from as usize],
                &self.raw.nodes[e.to as usize],
            );
            let (Some(ca), Some(cb)) = (na.country, nb.country) else {
                continue;
            };
            if ca == cb {
                continue;
            }
            let mid = LatLon::new(
                (na.pos.lat + nb.pos.lat) / 2.0,
                (na.pos.lon + nb.pos.lon) / 2.0,
            );
            let fits = |c: &C| {
                c.mode == e.mode
                    && c.a.is_none_or(|a| a == ca || a == cb)
                    && c.b.is_none_or(|b| b == ca || b == cb)
            };
            if let Some((_, c)) = cs
                .iter_mut()
                .filter(|c| fits(c))
                .map(|c| (haversine_m(mid, c.pos), c))
                .filter(|(d, _)| *d <= BRI_CROSSING_RADIUS_M)
                .min_by(|x, y| x.0.total_cmp(&y.0))
            {
                e.element = Some(c.k);
                c.edges += 1;
            }
        }
        for c in cs {
            if c.edges == 0 {
                self.note_joined_nothing(
                    c.file,
                    &c.id,
                    format!(
                        "no {} border edge{} within {} km",
                        c.mode.as_str(),
                        match (c.a, c.b) {
                            (Some(a), Some(b)) => format!(
                                " between {} and {}",
                                String::from_utf8_lossy(&a),
                                String::from_utf8_lossy(&b)
                            ),
                            (Some(a), None) | (None, Some(a)) =>
                                format!(" of {}", String::from_utf8_lossy(&a)),
                            _ => String::new(),
                        },
                        BRI_CROSSING_RADIUS_M / 1000.0
                    ),
                );
            }
            self.count(c.file, 0, c.edges as u64, None, 0.0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_segment_enters_a_box_where_it_crosses_its_edge() {
        let b = BBox {
            west: 0.0,
            south: 0.0,
            east: 10.0,
            north: 10.0,
        };
        let t = entry_fraction(&b, LatLon::new(5.0, -10.0), LatLon::new(5.0, 10.0));
        assert!((t - 0.5).abs() < 1e-12, "{t}");
        let t = entry_fraction(&b, LatLon::new(20.0, 5.0), LatLon::new(5.0, 5.0));
        assert!((t - 10.0 / 15.0).abs() < 1e-12, "{t}");
    }
}
