//! The world import: every source file in order, joined by [`crate::rules`].
//!
//! Order of nodes in the raw network: rail junctions, road junctions, sea
//! junctions, then seaports, cargo-hub airports and modelled terminals. The
//! order is deterministic, so the same sources always compile to the same
//! bytes.
//!
//! With user data ([`import_world_with`], [`crate::user`]) the user's OSM
//! extracts are placed right after the rail and road junctions are read
//! (before anything joins them), user links after the Belt and Road links,
//! user hubs and ferries after the curated ones, and user crossings after the
//! curated crossings; without it, nothing here changes.

use std::collections::HashMap;

use silkroute_graph::spatial::{self, KdTree};
use silkroute_graph::{RawEdge, RawNetwork, RawNode};
use silkroute_model::{
    LatLon, Mode, ModeSet, NodeId, NodeKind, Passage, Place, PlaceKind, Progress, haversine_m,
};

use crate::bri;
use crate::csvfile::{Table, coord, field, num};
use crate::curated::{CuratedKind, CuratedRecord};
use crate::port_classes::PortClass;
use crate::rules::*;
use crate::{Error, Sources};

/// The raw network plus what the import noticed on the way.
pub struct Imported {
    pub raw: RawNetwork,
    /// Data oddities that did not stop the import (skipped rows, ports with
    /// no land connection, …), one line each.
    pub warnings: Vec<String>,
    /// What each curated Belt and Road record added (see [`crate::curated`]),
    /// and each user record (ids `user:…`).
    pub curated: Vec<CuratedRecord>,
    /// Side table of per-edge attributes the compiled file does not store
    /// (OSM way id, `maxspeed` km/h, gauge, usage, …), keyed by the index of
    /// the edge in `raw.edges`, ascending; empty without user data.
    pub edge_attrs: Vec<(u32, crate::osm_pbf::EdgeAttrs)>,
    /// What each user source added and replaced; empty without user data.
    pub user: Vec<crate::user::UserSourceReport>,
}

pub(crate) struct Builder {
    pub(crate) raw: RawNetwork,
    /// The mode of each junction node (transfer-point nodes are not indexed).
    pub(crate) junction_mode: Vec<Mode>,
    pub(crate) warnings: Vec<String>,
    pub(crate) curated: Vec<CuratedRecord>,
    pub(crate) user: crate::user::UserState,
}

pub fn import_world(src: &Sources, progress: &dyn Progress) -> Result<Imported, Error> {
    import_world_with(src, None, progress)
}

/// [`import_world`] with the user's own networks and records joined in by
/// the rules of [`crate::rules`] ("User data"); `None` is exactly
/// [`import_world`].
pub fn import_world_with(
    src: &Sources,
    user: Option<&crate::user::UserData>,
    progress: &dyn Progress,
) -> Result<Imported, Error> {
    let fingerprint = match user {
        Some(u) => u.fingerprint(src.fingerprint())?,
        None => src.fingerprint(),
    };
    let mut b = Builder {
        raw: RawNetwork {
            fingerprint,
            ..RawNetwork::default()
        },
        junction_mode: Vec::new(),
        warnings: Vec::new(),
        curated: Vec::new(),
        user: Default::default(),
    };
    let check = || {
        if progress.cancelled() {
            Err(Error::Cancelled)
        } else {
            Ok(())
        }
    };
    for (mode, stem) in [
        (Mode::Rail, "rail"),
        (Mode::Road, "road"),
        (Mode::Sea, "sea"),
    ] {
        progress.stage(&format!("reading {stem} network"), 0);
        b.load_network(src, mode, stem)?;
        check()?;
    }
    let features = match user {
        Some(u) => {
            b.place_user_networks(src, u, progress)?;
            Some(b.read_user_files(u)?)
        }
        None => None,
    };
    progress.stage("joining ports, airports and terminals", 0);
    let (order, xyz) = spatial::build_tree(
        b.raw
            .nodes
            .iter()
            .enumerate()
            .map(|(i, v)| (v.pos, i as u32)),
    );
    let tree = KdTree {
        order: &order,
        xyz: &xyz,
    };
    b.load_bri_links(src, &tree)?;
    if let Some(f) = &features {
        b.load_user_links(f, &tree);
    }
    b.assign_gauges(src)?;
    b.load_ports(src, &tree)?;
    check()?;
    let airports = b.load_airports(src)?;
    b.load_air_hubs(src, &airports, &tree)?;
    check()?;
    b.load_cities_and_terminals(src, &tree)?;
    b.load_bri_terminals(src, &tree)?;
    b.load_bri_ferries(src, &tree)?;
    if let Some(f) = &features {
        b.load_user_hubs_and_ferries(f);
    }
    // After the ferries: a ferry between two customs territories is a
    // customs border too.
    b.mark_customs_borders(src)?;
    b.load_bri_crossings(src)?;
    if let Some(f) = &features {
        b.load_user_crossings(f);
    }
    // The crossings as curated records too (the edges each one prices), for
    // closing them in criticality and the before/after comparison.
    for (k, el) in b.raw.elements.iter().enumerate() {
        if el.kind != silkroute_graph::ELEMENT_CROSSING {
            continue;
        }
        let edges = b
            .raw
            .edges
            .iter()
            .filter(|e| e.element == Some(k as u32))
            .map(|e| (e.from, e.to))
            .collect();
        b.curated.push(CuratedRecord {
            kind: CuratedKind::Crossing,
            id: el.id.clone(),
            name: el.name.clone(),
            nodes: Vec::new(),
            edges,
        });
    }
    b.check_record_countries(&tree);
    b.load_locodes(src)?;
    let (edge_attrs, user) = b.user.finish();
    Ok(Imported {
        raw: b.raw,
        warnings: b.warnings,
        curated: b.curated,
        edge_attrs,
        user,
    })
}

impl Builder {
    fn load_network(&mut self, src: &Sources, mode: Mode, stem: &str) -> Result<(), Error> {
        let base = self.raw.nodes.len() as u32;
        let nodes_file = format!("open/{stem}_nodes.csv.gz");
        Table::open(
            &nodes_file,
            src.get(&nodes_file)?,
            &["lat", "lon", "country"],
        )?
        .for_each(|r, _| {
            let p = coord(r, 0, 1)?;
            let c = field(r, 2);
            let country = country_code(c);
            if country.is_none() && !c.is_empty() {
                return Err(format!("country {c:?} is not an ISO 3166-1 alpha-2 code"));
            }
            self.raw.nodes.push(RawNode {
                country,
                ..RawNode::junction(p.lat, p.lon)
            });
            self.junction_mode.push(mode);
            Ok(())
        })?;
        let count = self.raw.nodes.len() as u32 - base;
        let first_edge = self.raw.edges.len();
        let edges_file = format!("open/{stem}_edges.csv.gz");
        let columns: &[&str] = if mode == Mode::Sea {
            &["from", "to", "length_m", "passage"]
        } else {
            &["from", "to", "length_m"]
        };
        let mut self_loops = 0u64;
        Table::open(&edges_file, src.get(&edges_file)?, columns)?.for_each(|r, _| {
            let from: u32 = num(r, 0, "from")?;
            let to: u32 = num(r, 1, "to")?;
            if from >= count || to >= count {
                return Err(format!(
                    "node {} does not exist ({count} nodes)",
                    from.max(to)
                ));
            }
            if from == to {
                self_loops += 1;
                return Ok(());
            }
            let mut e = RawEdge::new(base + from, base + to, num(r, 2, "length_m")?, mode);
            if mode == Mode::Sea {
                let p = field(r, 3);
                if !p.is_empty() {
                    e.passage =
                        Some(Passage::parse(p).ok_or_else(|| format!("unknown passage {p:?}"))?);
                }
            }
            self.raw.edges.push(e);
            Ok(())
        })?;
        if self_loops > 0 {
            self.warnings
                .push(format!("{edges_file}: skipped {self_loops} self-loops"));
        }
        if mode != Mode::Sea {
            let anchors = crossing_anchors(src, mode)?;
            let relabelled = self.smooth_enclaves(base as usize, first_edge, mode, &anchors);
            self.warnings.push(format!(
                "{stem}: relabelled {relabelled} nodes in country enclaves of at most {} km of track",
                ENCLAVE_MAX_M / 1000
            ));
        }
        Ok(())
    }

    /// Applies [`ENCLAVE_MAX_M`] (and its [`CROSSING_ANCHOR_M`] exception)
    /// to the nodes `base..` joined by the edges
    /// `first_edge..`; returns how many nodes changed country.
    pub(crate) fn smooth_enclaves(
        &mut self,
        base: usize,
        first_edge: usize,
        mode: Mode,
        anchors: &[([u8; 2], LatLon)],
    ) -> usize {
        let n = self.raw.nodes.len() - base;
        let mut adj: Vec<Vec<(u32, u32)>> = vec![Vec::new(); n];
        for e in &self.raw.edges[first_edge..] {
            if e.mode == mode {
                let (a, b) = (e.from as usize - base, e.to as usize - base);
                adj[a].push((b as u32, e.length_m));
                adj[b].push((a as u32, e.length_m));
            }
        }
        let country = |b: &Builder, v: usize| b.raw.nodes[base + v].country;
        let mut seen = vec![false; n];
        let mut changed = 0;
        for start in 0..n {
            let Some(c) = country(self, start) else {
                continue;
            };
            if seen[start] {
                continue;
            }
            // The run of nodes labelled `c` that `start` belongs to.
            let mut run = vec![start];
            seen[start] = true;
            let mut i = 0;
            let mut track = 0u64;
            let mut outside: Option<Option<[u8; 2]>> = None;
            let mut mixed = false;
            while i < run.len() {
                let v = run[i];
                i += 1;
                for &(w, len) in &adj[v] {
                    let w = w as usize;
                    let cw = country(self, w);
                    if cw == Some(c) {
                        track += len as u64;
                        if !seen[w] {
                            seen[w] = true;
                            run.push(w);
                        }
                    } else {
                        match outside {
                            None => outside = Some(cw),
                            Some(o) if o != cw => mixed = true,
                            _ => {}
                        }
                    }
                }
            }
            let anchored = || {
                run.iter().any(|&v| {
                    let node = &self.raw.nodes[base + v];
                    anchors
                        .iter()
                        .any(|(ac, at)| *ac == c && haversine_m(node.pos, *at) <= CROSSING_ANCHOR_M)
                })
            };
            // Internal edges were counted from both ends.
            if let Some(Some(a)) = outside
                && !mixed
                && track / 2 <= ENCLAVE_MAX_M
                && !anchored()
            {
                for v in run {
                    self.raw.nodes[base + v].country = Some(a);
                    changed += 1;
                }
            }
        }
        changed
    }

    /// Flags rail, road and ferry edges between different customs
    /// territories.
    fn mark_customs_borders(&mut self, src: &Sources) -> Result<(), Error> {
        let file = "curated/customs_unions.csv";
        let mut union_of: HashMap<[u8; 2], String> = HashMap::new();
        Table::open(file, src.get(file)?, &["country", "union", "source"])?.for_each(|r, _| {
            let c = country_code(field(r, 0)).ok_or_else(|| {
                format!(
                    "country {:?} is not an ISO 3166-1 alpha-2 code",
                    field(r, 0)
                )
            })?;
            if field(r, 2).trim().is_empty() {
                return Err(format!("customs union of {} has no source", field(r, 0)));
            }
            union_of.insert(c, field(r, 1).to_string());
            Ok(())
        })?;
        let (mut customs, mut internal) = (0, 0);
        for e in self
            .raw
            .edges
            .iter_mut()
            .filter(|e| matches!(e.mode, Mode::Rail | Mode::Road | Mode::Ferry))
        {
            let (Some(a), Some(b)) = (
                self.raw.nodes[e.from as usize].country,
                self.raw.nodes[e.to as usize].country,
            ) else {
                continue;
            };
            if a == b {
                continue;
            }
            match (union_of.get(&a), union_of.get(&b)) {
                (Some(x), Some(y)) if x == y => internal += 1,
                _ => {
                    e.flags |= silkroute_graph::ARC_FLAG_CUSTOMS_BORDER;
                    customs += 1;
                }
            }
        }
        self.warnings.push(format!("borders: {customs} rail/road/ferry edges cross customs borders, {internal} cross borders inside a customs union"));
        Ok(())
    }

    /// Gauge of every rail edge from its country; gauge breaks at borders.
    fn assign_gauges(&mut self, src: &Sources) -> Result<(), Error> {
        let file = "curated/rail_gauge_by_country.csv";
        let mut gauge_of: HashMap<[u8; 2], u16> = HashMap::new();
        Table::open(file, src.get(file)?, &["country", "gauge_mm", "source"])?.for_each(
            |r, _| {
                let c = country_code(field(r, 0)).ok_or_else(|| {
                    format!(
                        "country {:?} is not an ISO 3166-1 alpha-2 code",
                        field(r, 0)
                    )
                })?;
                let g: u16 = num(r, 1, "gauge_mm")?;
                if field(r, 2).trim().is_empty() {
                    return Err(format!("gauge of {} has no source", field(r, 0)));
                }
                gauge_of.insert(c, g);
                Ok(())
            },
        )?;
        // 1520 and 1524 mm run through without a change.
        let family = |g: u16| if g == 1524 { 1520 } else { g };
        let mut breaks = 0;
        for e in self.raw.edges.iter_mut().filter(|e| e.mode == Mode::Rail) {
            let (a, b) = (
                self.raw.nodes[e.from as usize].country,
                self.raw.nodes[e.to as usize].country,
            );
            let (ga, gb) = (
                a.and_then(|c| gauge_of.get(&c).copied()),
                b.and_then(|c| gauge_of.get(&c).copied()),
            );
            match (ga, gb) {
                (Some(x), Some(y)) if family(x) != family(y) => {
                    e.flags |= silkroute_graph::ARC_FLAG_GAUGE_BREAK;
                    breaks += 1;
                }
                // A curated link keeps its own gauge.
                (Some(x), Some(y)) if (a == b || x == y) && e.gauge_mm == 0 => e.gauge_mm = x,
                _ => {}
            }
        }
        self.warnings.push(format!(
            "rail: {breaks} border edges change gauge ({} countries with a known gauge)",
            gauge_of.len()
        ));
        Ok(())
    }

    /// Rail links the OSM data lacks, along their waypoints.
    fn load_bri_links(&mut self, src: &Sources, tree: &KdTree) -> Result<(), Error> {
        let file = "bri/missing_links.toml";
        let links: bri::LinksFile = bri::parse(file, src.get(file)?)?;
        let (mut joined, mut new_nodes, mut snapped) = (0, 0, 0);
        for link in links.link.iter().filter(|l| l.status == "operating") {
            let Some(mode) = bri::mode_of(&link.mode) else {
                continue;
            };
            if link.waypoints.len() < 2 {
                continue;
            }
            let lengths = bri::link_lengths(link);
            let mut nodes = Vec::new();
            let mut record = CuratedRecord {
                kind: CuratedKind::Link,
                id: link.id.clone(),
                name: link.name.clone(),
                nodes: Vec::new(),
                edges: Vec::new(),
            };
            for w in &link.waypoints {
                let pos = LatLon::new(w.lat, w.lon);
                match self.nearest(tree, pos, mode) {
                    Some((v, d)) if d <= LINK_SNAP_M => {
                        nodes.push(v);
                        snapped += 1;
                    }
                    near => {
                        let country = near
                            .filter(|(_, d)| *d <= 30_000.0)
                            .and_then(|(v, _)| self.raw.nodes[v as usize].country);
                        let v = self.raw.add_node(RawNode {
                            pos,
                            kind: NodeKind::Junction,
                            country,
                            name: Some(format!("{} ({})", w.name, link.name)),
                        });
                        self.junction_mode.push(mode);
                        nodes.push(v);
                        new_nodes += 1;
                    }
                }
            }
            let element = self.raw.elements.len() as u32;
            self.raw.elements.push(bri::plain_element(
                silkroute_graph::ELEMENT_LINK,
                &link.id,
                &link.name,
            ));
            for (k, pair) in nodes.windows(2).enumerate() {
                if pair[0] != pair[1] {
                    let mut e =
                        RawEdge::new(pair[0], pair[1], lengths[k].round().max(1.0) as u32, mode);
                    e.gauge_mm = link.gauge_mm.unwrap_or(0);
                    e.element = Some(element);
                    self.raw.edges.push(e);
                    record.edges.push((pair[0], pair[1]));
                }
            }
            joined += 1;
            self.curated.push(record);
        }
        self.warnings.push(format!(
            "Belt and Road layer: joined {joined} missing links ({snapped} waypoints on OSM rail, {new_nodes} new nodes)"
        ));
        Ok(())
    }

    /// Border crossings between two countries: places to route `--via`, and
    /// curated figures on the rail edges at each crossing
    /// ([`BRI_CROSSING_RADIUS_M`]).
    fn load_bri_crossings(&mut self, src: &Sources) -> Result<(), Error> {
        let file = "bri/border_crossings.toml";
        let crossings: bri::CrossingsFile = bri::parse(file, src.get(file)?)?;
        let mut records = Vec::new();
        for c in crossings
            .crossing
            .iter()
            .filter(|c| c.status == "operating" && c.side_a.country != c.side_b.country)
        {
            self.raw.places.extend(bri::crossing_places(c));
            let (Some(a), Some(b), Some(mode)) = (
                country_code(&c.side_a.country),
                country_code(&c.side_b.country),
                bri::mode_of(&c.mode),
            ) else {
                continue;
            };
            let pos = LatLon::new(
                (c.side_a.lat + c.side_b.lat) / 2.0,
                (c.side_a.lon + c.side_b.lon) / 2.0,
            );
            let k = self.raw.elements.len() as u32;
            self.raw.elements.push(bri::crossing_element(c));
            records.push((k, a, b, mode, pos, 0usize));
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
            let best = records
                .iter_mut()
                .filter(|r| r.3 == e.mode && ((r.1, r.2) == (ca, cb) || (r.1, r.2) == (cb, ca)))
                .map(|r| (haversine_m(mid, r.4), r))
                .filter(|(d, _)| *d <= BRI_CROSSING_RADIUS_M)
                .min_by(|x, y| x.0.total_cmp(&y.0));
            if let Some((_, r)) = best {
                e.element = Some(r.0);
                r.5 += 1;
            }
        }
        let unmatched: Vec<&str> = records
            .iter()
            .filter(|r| r.5 == 0)
            .map(|r| self.raw.elements[r.0 as usize].id.as_str())
            .collect();
        self.warnings.push(format!(
            "Belt and Road layer: {} border edges carry the figures of {} curated crossings{}",
            records.iter().map(|r| r.5).sum::<usize>(),
            records.len() - unmatched.len(),
            if unmatched.is_empty() {
                String::new()
            } else {
                format!(
                    "; no border edge within {} km of {}",
                    BRI_CROSSING_RADIUS_M / 1000.0,
                    unmatched.join(", ")
                )
            }
        ));
        Ok(())
    }

    /// Named terminals and ports, as hubs joined to rail, road and sea.
    fn load_bri_terminals(&mut self, src: &Sources, tree: &KdTree) -> Result<(), Error> {
        let file = "bri/terminals.toml";
        let terminals: bri::TerminalsFile = bri::parse(file, src.get(file)?)?;
        let mut joined = 0;
        for t in terminals
            .terminal
            .iter()
            .filter(|t| t.status == "operating")
        {
            self.raw.places.extend(bri::terminal_places(t));
            if t.kind == "airport" {
                continue; // the air network comes from the cargo-hub list
            }
            let pos = LatLon::new(t.lat, t.lon);
            let seaport = t.kind == "seaport";
            let kind = if seaport {
                NodeKind::Seaport
            } else {
                NodeKind::RailTerminal
            };
            let country = t.country.as_deref().and_then(country_code);
            let hub = self
                .raw
                .add_node(bri::hub_node(&t.name, pos, kind, country));
            let element = self.raw.elements.len() as u32;
            self.raw.elements.push(bri::plain_element(
                silkroute_graph::ELEMENT_TERMINAL,
                &t.id,
                &t.name,
            ));
            let first_edge = self.raw.edges.len();
            self.curated.push(CuratedRecord {
                kind: if seaport {
                    CuratedKind::Port
                } else {
                    CuratedKind::Terminal
                },
                id: t.id.clone(),
                name: t.name.clone(),
                nodes: vec![hub],
                edges: Vec::new(),
            });
            let mut modes = Vec::new();
            if seaport
                && let Some((sea, d)) = self
                    .nearest(tree, pos, Mode::Sea)
                    .filter(|(_, d)| *d <= PORT_SEA_RADIUS_M)
            {
                self.raw
                    .edges
                    .push(RawEdge::new(hub, sea, d.round() as u32, Mode::Sea));
                modes.push(Mode::Sea);
            }
            let land: Vec<(Mode, u32, f64)> = [Mode::Rail, Mode::Road]
                .into_iter()
                .flat_map(|m| {
                    self.nearest_within(tree, pos, m, BRI_JOINS, BRI_TERMINAL_RADIUS_M)
                        .into_iter()
                        .map(move |(v, d)| (m, v, d))
                })
                .collect();
            for (m, v, d) in &land {
                if seaport {
                    self.raw
                        .edges
                        .push(bri::transfer(hub, *v, *d, Mode::Sea, *m));
                } else {
                    self.raw
                        .edges
                        .push(bri::transfer(hub, *v, *d, Mode::Rail, Mode::Road));
                }
            }
            for e in &mut self.raw.edges[first_edge..] {
                e.element = Some(element);
            }
            if !land.is_empty() || !modes.is_empty() {
                joined += 1;
            }
        }
        self.warnings.push(format!(
            "Belt and Road layer: joined {joined} terminals and ports"
        ));
        Ok(())
    }

    /// Ferries between two ports, each a hub joined to rail and road.
    fn load_bri_ferries(&mut self, src: &Sources, tree: &KdTree) -> Result<(), Error> {
        let file = "bri/ferries.toml";
        let ferries: bri::FerriesFile = bri::parse(file, src.get(file)?)?;
        let mut joined = 0;
        for f in ferries
            .ferry
            .iter()
            .filter(|f| f.status == "operating" && f.kind.as_deref() != Some("fixed_link"))
        {
            let mut ends = Vec::new();
            for end in [&f.from, &f.to] {
                let pos = LatLon::new(end.lat, end.lon);
                let country = end.country.as_deref().and_then(country_code).or_else(|| {
                    self.nearest(tree, pos, Mode::Road)
                        .filter(|(_, d)| *d <= 30_000.0)
                        .and_then(|(v, _)| self.raw.nodes[v as usize].country)
                });
                let hub = self.raw.add_node(bri::hub_node(
                    &format!("{} (ferry)", end.name),
                    pos,
                    NodeKind::Seaport,
                    country,
                ));
                for m in [Mode::Rail, Mode::Road] {
                    for (v, d) in
                        self.nearest_within(tree, pos, m, BRI_JOINS, BRI_TERMINAL_RADIUS_M)
                    {
                        self.raw
                            .edges
                            .push(bri::transfer(hub, v, d, Mode::Ferry, m));
                    }
                }
                ends.push((hub, pos));
            }
            let length = haversine_m(ends[0].1, ends[1].1);
            let mut e = RawEdge::new(ends[0].0, ends[1].0, length.round() as u32, Mode::Ferry);
            e.element = Some(self.raw.elements.len() as u32);
            self.raw.elements.push(bri::ferry_element(f));
            self.raw.edges.push(e);
            self.curated.push(CuratedRecord {
                kind: CuratedKind::Ferry,
                id: f.id.clone(),
                name: f.name.clone(),
                nodes: vec![ends[0].0, ends[1].0],
                edges: vec![(ends[0].0, ends[1].0)],
            });
            joined += 1;
        }
        self.warnings
            .push(format!("Belt and Road layer: joined {joined} ferries"));
        Ok(())
    }

    /// Warns of every airport, port and terminal whose position lies in
    /// another country than its record names ([`PLACEMENT_NEIGHBOURS`]).
    fn check_record_countries(&mut self, tree: &KdTree) {
        let mut seen = std::collections::HashSet::new();
        let mut checked = [("airport", 0usize), ("port", 0), ("terminal", 0)];
        let mut found = Vec::new();
        for p in &self.raw.places {
            let (slot, kind) = match p.kind {
                PlaceKind::Airport => (0, "airport"),
                PlaceKind::Seaport => (1, "port"),
                PlaceKind::Terminal => (2, "terminal"),
                _ => continue,
            };
            let Some(named) = country_code(&p.country) else {
                continue;
            };
            if !seen.insert((slot, p.code.as_str())) {
                continue; // a terminal's short names repeat its record
            }
            checked[slot].1 += 1;
            let near: Vec<Option<[u8; 2]>> = self
                .nearest_within(
                    tree,
                    p.pos,
                    Mode::Road,
                    PLACEMENT_NEIGHBOURS,
                    PLACEMENT_RADIUS_M,
                )
                .into_iter()
                .map(|(v, _)| self.raw.nodes[v as usize].country)
                .collect();
            found.extend(crate::placement::misplaced(kind, &p.code, named, &near));
        }
        self.warnings
            .push(crate::placement::warning(&checked, &found, PLACEMENT_SHOWN));
    }

    /// Up to `k` nearest junctions of `mode` within `radius_m` of `p`.
    pub(crate) fn nearest_within(
        &self,
        tree: &KdTree,
        p: LatLon,
        mode: Mode,
        k: usize,
        radius_m: f64,
    ) -> Vec<(u32, f64)> {
        tree.nearest(p, k, &mut |n: NodeId| {
            self.junction_mode.get(n.index()) == Some(&mode)
        })
        .into_iter()
        .map(|(_, n)| (n.0, haversine_m(p, self.raw.nodes[n.index()].pos)))
        .filter(|(_, d)| *d <= radius_m)
        .collect()
    }

    /// Nearest junction of `mode` to `p`, with its distance in metres.
    pub(crate) fn nearest(&self, tree: &KdTree, p: LatLon, mode: Mode) -> Option<(u32, f64)> {
        let found = tree.nearest(p, 1, &mut |n: NodeId| {
            self.junction_mode.get(n.index()) == Some(&mode)
        });
        found
            .first()
            .map(|(_, n)| (n.0, haversine_m(p, self.raw.nodes[n.index()].pos)))
    }

    pub(crate) fn add_transfer(&mut self, a: u32, b: u32, length_m: f64, joins: [Mode; 2]) {
        let mut e = RawEdge::new(a, b, length_m.round() as u32, Mode::Transfer);
        e.joins = ModeSet::of(&joins);
        self.raw.edges.push(e);
    }

    fn load_ports(&mut self, src: &Sources, tree: &KdTree) -> Result<(), Error> {
        let file = "open/ports.csv";
        let mut rows = Vec::new();
        Table::open(
            file,
            src.get(file)?,
            &["locode", "name", "country", "lat", "lon"],
        )?
        .for_each(|r, _| {
            rows.push((
                field(r, 0).to_string(),
                field(r, 1).to_string(),
                field(r, 2).to_string(),
                coord(r, 3, 4)?,
            ));
            Ok(())
        })?;
        // Curated corrections of wrong source countries and coordinates, each
        // with its source; an empty field keeps the source's value.
        let file = "curated/port_corrections.csv";
        let mut corrected = 0;
        Table::open(
            file,
            src.get(file)?,
            &["locode", "country", "lat", "lon", "source"],
        )?
        .for_each(|r, _| {
            if field(r, 4).trim().is_empty() {
                return Err(format!("correction of {} has no source", field(r, 0)));
            }
            let Some(row) = rows.iter_mut().find(|x| x.0 == field(r, 0)) else {
                return Err(format!("port {} is not in open/ports.csv", field(r, 0)));
            };
            if !field(r, 1).is_empty() {
                if country_code(field(r, 1)).is_none() {
                    return Err(format!(
                        "country {:?} is not an ISO 3166-1 alpha-2 code",
                        field(r, 1)
                    ));
                }
                row.2 = field(r, 1).to_string();
            }
            if !field(r, 2).is_empty() || !field(r, 3).is_empty() {
                row.3 = coord(r, 2, 3)?;
            }
            corrected += 1;
            Ok(())
        })?;
        self.warnings
            .push(format!("{file}: corrected {corrected} ports"));
        // Sourced port classes: a river port is not joined to the sea
        // network (rules.rs, "Port classes").
        let classes = {
            let known: std::collections::HashSet<&str> =
                rows.iter().map(|r| r.0.as_str()).collect();
            crate::port_classes::read(src, &|l| known.contains(l))?
        };
        let class_of = |locode: &str| classes.get(locode).map(|r| r.class);
        let (mut no_rail, mut no_road, mut inland) = (0, 0, 0);
        let (mut hubs, mut coastal, mut river) = (0, 0, 0);
        for (locode, name, country, pos) in rows {
            let place = Place {
                kind: PlaceKind::Seaport,
                code: locode.clone(),
                name: name.clone(),
                names_zh: Vec::new(),
                country: country.clone(),
                pos,
                population: 0,
            };
            self.raw.places.push(place);
            if class_of(&locode) == Some(PortClass::River) {
                river += 1;
                continue;
            }
            let Some((sea, d)) = self
                .nearest(tree, pos, Mode::Sea)
                .filter(|(_, d)| *d <= PORT_SEA_RADIUS_M)
            else {
                inland += 1;
                continue;
            };
            if class_of(&locode) == Some(PortClass::Hub) {
                hubs += 1;
            } else {
                coastal += 1;
            }
            let node = self.raw.add_node(RawNode {
                pos,
                kind: NodeKind::Seaport,
                country: country_code(&country),
                name: Some(format!("{name} ({locode})")),
            });
            self.raw
                .edges
                .push(RawEdge::new(node, sea, d.round() as u32, Mode::Sea));
            match self.nearest(tree, pos, Mode::Rail) {
                Some((rail, d)) if d <= PORT_LAND_RADIUS_M => {
                    self.add_transfer(node, rail, d, [Mode::Sea, Mode::Rail])
                }
                _ => no_rail += 1,
            }
            match self.nearest(tree, pos, Mode::Road) {
                Some((road, d)) if d <= PORT_LAND_RADIUS_M => {
                    self.add_transfer(node, road, d, [Mode::Sea, Mode::Road])
                }
                _ => no_road += 1,
            }
        }
        self.warnings.push(format!(
            "ports: {inland} lie more than {} km from the sea network and are kept as places only; of the others, {no_rail} have no rail node within {} km, {no_road} no road node within {} km",
            PORT_SEA_RADIUS_M / 1000.0,
            PORT_LAND_RADIUS_M / 1000.0,
            PORT_LAND_RADIUS_M / 1000.0
        ));
        self.warnings.push(format!(
            "port classes ({}): {hubs} hub, {coastal} coastal, {river} river (not joined to the sea network), {inland} inland",
            crate::port_classes::FILE
        ));
        Ok(())
    }

    fn load_airports(&mut self, src: &Sources) -> Result<HashMap<String, Place>, Error> {
        let file = "open/airports.csv.gz";
        let mut by_iata = HashMap::new();
        Table::open(
            file,
            src.get(file)?,
            &["iata", "icao", "name", "city", "country", "lat", "lon"],
        )?
        .for_each(|r, _| {
            let place = Place {
                kind: PlaceKind::Airport,
                code: field(r, 0).to_string(),
                name: field(r, 2).to_string(),
                names_zh: Vec::new(),
                country: field(r, 4).to_string(),
                pos: coord(r, 5, 6)?,
                population: 0,
            };
            by_iata.insert(place.code.clone(), place.clone());
            self.raw.places.push(place);
            Ok(())
        })?;
        // Curated corrections of wrong source coordinates, each with its source.
        let file = "curated/airport_corrections.csv";
        let mut corrected = HashMap::new();
        Table::open(file, src.get(file)?, &["iata", "lat", "lon", "source"])?.for_each(
            |r, _| {
                corrected.insert(field(r, 0).to_string(), coord(r, 1, 2)?);
                Ok(())
            },
        )?;
        for place in self
            .raw
            .places
            .iter_mut()
            .filter(|p| p.kind == PlaceKind::Airport)
            .chain(by_iata.values_mut())
        {
            if let Some(pos) = corrected.get(&place.code) {
                place.pos = *pos;
            }
        }
        self.warnings.push(format!(
            "{file}: corrected the coordinates of {} airports",
            corrected.len()
        ));
        Ok(by_iata)
    }

    fn load_air_hubs(
        &mut self,
        src: &Sources,
        airports: &HashMap<String, Place>,
        tree: &KdTree,
    ) -> Result<(), Error> {
        let file = "curated/air_cargo_hubs.csv";
        let mut hubs = Vec::new();
        let table = Table::open(
            file,
            src.get(file)?,
            &[
                "iata",
                "name",
                "country",
                "cargo_tonnes",
                "year",
                "rank",
                "source",
            ],
        )?;
        table.for_each(|r, _| {
            let iata = field(r, 0).to_string();
            if hubs.iter().any(|(c, _, _)| *c == iata) {
                return Ok(());
            }
            match airports.get(&iata) {
                Some(a) => hubs.push((iata, a.name.clone(), a.clone())),
                None => self.warnings.push(format!(
                    "{file}: airport {iata} is not in open/airports.csv.gz; skipped"
                )),
            }
            Ok(())
        })?;
        let mut nodes = Vec::new();
        for (iata, name, place) in &hubs {
            let node = self.raw.add_node(RawNode {
                pos: place.pos,
                kind: NodeKind::Airport,
                country: country_code(&place.country),
                name: Some(format!("{name} ({iata})")),
            });
            match self.nearest(tree, place.pos, Mode::Road) {
                Some((road, d)) if d <= AIRPORT_ROAD_RADIUS_M => {
                    self.add_transfer(node, road, d, [Mode::Air, Mode::Road])
                }
                _ => self.warnings.push(format!(
                    "airport {iata}: no road node within {} km",
                    AIRPORT_ROAD_RADIUS_M / 1000.0
                )),
            }
            nodes.push((node, place.pos));
        }
        for (i, (a, pa)) in nodes.iter().enumerate() {
            for (b, pb) in &nodes[i + 1..] {
                self.raw.edges.push(RawEdge::new(
                    *a,
                    *b,
                    haversine_m(*pa, *pb).round() as u32,
                    Mode::Air,
                ));
            }
        }
        Ok(())
    }

    fn load_cities_and_terminals(&mut self, src: &Sources, tree: &KdTree) -> Result<(), Error> {
        let file = "open/places.csv.gz";
        let mut cities = Vec::new();
        Table::open(
            file,
            src.get(file)?,
            &[
                "geonameid",
                "name",
                "country",
                "lat",
                "lon",
                "population",
                "names_zh",
            ],
        )?
        .for_each(|r, _| {
            cities.push(Place {
                kind: PlaceKind::City,
                code: String::new(),
                name: field(r, 1).to_string(),
                names_zh: field(r, 6)
                    .split('|')
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect(),
                country: field(r, 2).to_string(),
                pos: coord(r, 3, 4)?,
                population: num(r, 5, "population")?,
            });
            Ok(())
        })?;
        let mut terminals = 0;
        for city in cities
            .iter()
            .filter(|c| c.population >= TERMINAL_CITY_POPULATION)
        {
            let rail = self.nearest(tree, city.pos, Mode::Rail);
            let road = self.nearest(tree, city.pos, Mode::Road);
            if let (Some((rail, dr)), Some((road, dd))) = (rail, road)
                && dr <= TERMINAL_RADIUS_M
                && dd <= TERMINAL_RADIUS_M
            {
                let rail_pos = self.raw.nodes[rail as usize].pos;
                let node = self.raw.add_node(RawNode {
                    pos: rail_pos,
                    kind: NodeKind::RailTerminal,
                    country: country_code(&city.country),
                    name: Some(format!("{} rail-road terminal (modelled)", city.name)),
                });
                self.add_transfer(node, rail, 0.0, [Mode::Rail, Mode::Road]);
                let road_pos = self.raw.nodes[road as usize].pos;
                self.add_transfer(
                    node,
                    road,
                    haversine_m(rail_pos, road_pos),
                    [Mode::Rail, Mode::Road],
                );
                terminals += 1;
            }
        }
        self.warnings.push(format!(
            "modelled {terminals} rail-road terminals at cities of {TERMINAL_CITY_POPULATION}+ inhabitants"
        ));
        self.raw.places.extend(cities);
        Ok(())
    }

    fn load_locodes(&mut self, src: &Sources) -> Result<(), Error> {
        let file = "open/locodes.csv.gz";
        Table::open(
            file,
            src.get(file)?,
            &["locode", "name", "lat", "lon", "source"],
        )?
        .for_each(|r, _| {
            if field(r, 4) == "searoute" {
                return Ok(()); // already a seaport place
            }
            let code = field(r, 0).to_string();
            self.raw.places.push(Place {
                kind: PlaceKind::Locode,
                country: code.get(0..2).unwrap_or("").to_string(),
                code,
                name: field(r, 1).to_string(),
                names_zh: Vec::new(),
                pos: coord(r, 2, 3)?,
                population: 0,
            });
            Ok(())
        })
    }
}

pub(crate) fn country_code(s: &str) -> Option<[u8; 2]> {
    let b = s.as_bytes();
    (b.len() == 2 && b.iter().all(u8::is_ascii_uppercase)).then(|| [b[0], b[1]])
}

/// Each side of every operating curated border crossing of `mode`, as
/// (country, position): where a line really does cross into that country.
pub(crate) fn crossing_anchors(src: &Sources, mode: Mode) -> Result<Vec<([u8; 2], LatLon)>, Error> {
    let file = "bri/border_crossings.toml";
    let crossings: bri::CrossingsFile = bri::parse(file, src.get(file)?)?;
    Ok(crossings
        .crossing
        .iter()
        .filter(|c| c.status == "operating" && bri::mode_of(&c.mode) == Some(mode))
        .flat_map(|c| [&c.side_a, &c.side_b])
        .filter_map(|s| Some((country_code(&s.country)?, LatLon::new(s.lat, s.lon))))
        .collect())
}
