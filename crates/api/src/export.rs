//! The network out to a GIS: its edges (one feature per edge, both arc
//! directions being one edge) and its transfer points as a GeoJSON
//! FeatureCollection (RFC 7946, WGS 84 `[lon, lat]`), for QGIS, geopandas
//! or a browser. Edges carry their mode, length, gauge, the countries of
//! both ends, the sea passage and the curated or user record they belong
//! to; edges across the antimeridian are MultiLineStrings, as routes are.
//!
//! The selection ([`Selection`]) is by mode set and bounding box (an edge
//! is kept when either end lies in the box). Edges are written as straight
//! lines between their two nodes: the network stores no intermediate
//! geometry (junctions are kept where lines meet, so a line's shape is the
//! chain of its edges).

use std::io::{self, Write};

use serde_json::{Value, json};
use silkroute_graph::Network;
use silkroute_model::{LatLon, Mode, ModeSet, NodeId, NodeKind, Passage};

use crate::error::{Error, Result};
use crate::geojson::line_geometry;

/// What to export.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Selection {
    /// Edges of these modes (`Mode::Transfer` included or not).
    pub modes: ModeSet,
    /// `[west, south, east, north]` in degrees; `None`: the whole world.
    pub bbox: Option<[f64; 4]>,
    /// Also write the ports, terminals, airports and border posts as
    /// points.
    pub nodes: bool,
}

impl Selection {
    /// Checks the box: finite, west < east, south < north, within ±180/±90.
    pub fn validate(&self) -> Result<()> {
        if let Some([w, s, e, n]) = self.bbox {
            let ok = [w, s, e, n].iter().all(|x| x.is_finite())
                && (-180.0..=180.0).contains(&w)
                && (-180.0..=180.0).contains(&e)
                && (-90.0..=90.0).contains(&s)
                && (-90.0..=90.0).contains(&n)
                && w < e
                && s < n;
            if !ok {
                return Err(Error::invalid_value(format!(
                    "bounding box {w},{s},{e},{n}: write west,south,east,north in degrees, west < east and south < north"
                )));
            }
        }
        Ok(())
    }

    fn contains(&self, p: LatLon) -> bool {
        self.bbox
            .is_none_or(|[w, s, e, n]| (w..=e).contains(&p.lon) && (s..=n).contains(&p.lat))
    }
}

/// Parses `west,south,east,north`.
pub fn parse_bbox(text: &str) -> Result<[f64; 4]> {
    let parts: Vec<f64> = text
        .split(',')
        .map(|x| x.trim().parse::<f64>())
        .collect::<std::result::Result<_, _>>()
        .map_err(|_| Error::invalid_value(format!("bounding box {text:?}: write west,south,east,north in degrees, e.g. 19.0,41.0,30.0,49.0")))?;
    let [w, s, e, n] = parts[..] else {
        return Err(Error::invalid_value(format!(
            "bounding box {text:?}: write four numbers, west,south,east,north"
        )));
    };
    Ok([w, s, e, n])
}

/// What an export wrote.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExportStats {
    /// Edges written, per mode code.
    pub edges: [u64; 8],
    pub nodes: u64,
}

impl ExportStats {
    pub fn total_edges(&self) -> u64 {
        self.edges.iter().sum()
    }
}

/// Writes the selection as one GeoJSON FeatureCollection, a feature per
/// line, edges first.
pub fn write_geojson(net: &Network, sel: &Selection, out: &mut dyn Write) -> Result<ExportStats> {
    sel.validate()?;
    write(net, sel, out).map_err(|e| Error::internal(format!("writing the export: {e}")))
}

fn write(net: &Network, sel: &Selection, out: &mut dyn Write) -> io::Result<ExportStats> {
    let mut stats = ExportStats::default();
    let (first_out, head, mode, length, passage, gauge) = (
        net.first_out(),
        net.arc_head(),
        net.arc_mode(),
        net.arc_length_m(),
        net.arc_passage(),
        net.arc_gauge_mm(),
    );
    let mut first = true;
    let mut feature = |out: &mut dyn Write, v: Value| -> io::Result<()> {
        out.write_all(if first { b"\n" } else { b",\n" })?;
        first = false;
        serde_json::to_writer(&mut *out, &v)?;
        Ok(())
    };
    out.write_all(br#"{"type":"FeatureCollection","features":["#)?;
    let countries = net.country_codes();
    let country = |v: usize| {
        let c = countries[v];
        (c != 0).then(|| String::from_utf8_lossy(&c.to_le_bytes()).into_owned())
    };
    for tail in 0..net.node_count() {
        for a in first_out[tail] as usize..first_out[tail + 1] as usize {
            let h = head[a] as usize;
            let Some(m) = Mode::from_code(mode[a]) else {
                continue;
            };
            if !sel.modes.contains(m) || !is_edge_representative(net, tail, a) {
                continue;
            }
            let (p, q) = (net.pos(NodeId(tail as u32)), net.pos(NodeId(h as u32)));
            if !sel.contains(p) && !sel.contains(q) {
                continue;
            }
            let element = net.arc_element(a).map(|k| net.element(k));
            let (from_country, to_country) = (country(tail), country(h));
            let props = json!({
                "id": a,
                "mode": m.as_str(),
                "length_km": length[a] as f64 / 1000.0,
                "gauge_mm": (m == Mode::Rail && gauge[a] != 0).then_some(gauge[a]),
                "from_node": tail,
                "to_node": h,
                "from_country": from_country,
                "to_country": to_country,
                "border": from_country.is_some() && to_country.is_some() && from_country != to_country,
                "passage": Passage::from_code(passage[a]).map(Passage::as_str),
                "record": element.map(|e| e.id.as_str()),
                "record_kind": element.map(|e| e.kind.as_str()),
                "record_name": element.map(|e| e.name.as_str()),
            });
            feature(
                out,
                json!({"type": "Feature", "geometry": line_geometry(&[p, q]), "properties": props}),
            )?;
            stats.edges[m as usize] += 1;
        }
    }
    if sel.nodes {
        let kinds = net.kinds();
        for (v, &code) in kinds.iter().enumerate() {
            let kind = NodeKind::from_code(code).unwrap_or(NodeKind::Junction);
            let p = net.pos(NodeId(v as u32));
            // A transfer point belongs to the modes it joins.
            let serves = net.arcs(NodeId(v as u32)).any(|a| {
                Mode::from_code(mode[a]).is_some_and(|m| sel.modes.contains(m))
                    || (mode[a] == Mode::Transfer as u8
                        && ModeSet(net.arc_joins()[a]).intersects(sel.modes))
            });
            if kind == NodeKind::Junction || !sel.contains(p) || !serves {
                continue;
            }
            feature(
                out,
                json!({
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
                    "properties": {
                        "id": v,
                        "kind": kind.as_str(),
                        "name": net.name(NodeId(v as u32)),
                        "country": country(v),
                        "modes": ModeSet(
                            net.node_modes_all()[v]
                                | net
                                    .arcs(NodeId(v as u32))
                                    .filter(|&a| mode[a] == Mode::Transfer as u8)
                                    .fold(0, |m, a| m | net.arc_joins()[a])
                        )
                        .to_string(),
                    },
                }),
            )?;
            stats.nodes += 1;
        }
    }
    out.write_all(b"\n]}\n")?;
    out.flush()?;
    Ok(stats)
}

/// Whether arc `a` (from `tail`) stands for its edge: every edge is stored
/// as two arcs, one each way; the one from the lower node id is written,
/// and an arc with no reverse arc of the same mode and length stands for
/// itself.
fn is_edge_representative(net: &Network, tail: usize, a: usize) -> bool {
    let h = net.arc_head()[a] as usize;
    if tail < h {
        return true;
    }
    let (mode, length) = (net.arc_mode(), net.arc_length_m());
    let reverse = net.arcs(NodeId(h as u32)).any(|b| {
        net.arc_head()[b] as usize == tail && mode[b] == mode[a] && length[b] == length[a]
    });
    // A loop (tail == h) is its own reverse: write it once.
    tail == h || !reverse
}
