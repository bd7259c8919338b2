//! The network out to a GIS: its edges (one feature per edge, both arc
//! directions being one edge) and its transfer points, as a GeoJSON
//! FeatureCollection (RFC 7946, WGS 84 `[lon, lat]`) or a GeoParquet file
//! (GeoParquet 1.1, WKB geometry, OGC:CRS84), for QGIS, geopandas, DuckDB
//! or a browser. Edges carry their mode, length, gauge, the countries of
//! both ends, the sea passage and the curated or user record they belong
//! to; edges across the antimeridian are MultiLineStrings, as routes are.
//!
//! The selection ([`Selection`]) is by mode set, bounding box (an edge is
//! kept when either end lies in the box) and optionally a set of edges and
//! nodes ([`Only`], e.g. a corridor's canonical service, which
//! [`crate::Service::corridor_selection`] resolves). Edges are written as
//! straight lines between their two nodes: the network stores no
//! intermediate geometry (junctions are kept where lines meet, so a line's
//! shape is the chain of its edges).
//!
//! One rule makes the features ([`for_each_feature`]); the GeoJSON writer
//! prints them and the GeoParquet writer ([`write_geoparquet`]) turns the
//! same properties into typed columns ([`COLUMNS`]), so the two formats
//! never disagree on an attribute.

use std::collections::HashSet;
use std::io::{self, Write};
use std::path::Path;
use std::sync::Arc;

use serde_json::{Value, json};
use silkroute_graph::Network;
use silkroute_model::{LatLon, Mode, ModeSet, NodeId, NodeKind, Passage};

use crate::error::{Error, Result};
use crate::geojson::line_geometry;

/// The file formats an export writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One GeoJSON FeatureCollection (RFC 7946).
    GeoJson,
    /// One GeoParquet 1.1 file: a row per feature, WKB geometry.
    GeoParquet,
}

impl Format {
    /// `geojson` or `geoparquet` (also `parquet`).
    pub fn parse(text: &str) -> Result<Format> {
        match text.trim().to_ascii_lowercase().as_str() {
            "geojson" | "json" => Ok(Format::GeoJson),
            "geoparquet" | "parquet" => Ok(Format::GeoParquet),
            _ => Err(Error::invalid_value(format!(
                "export format {text:?}: choose geojson or geoparquet"
            ))),
        }
    }

    /// The format a file name asks for: `.parquet` or `.geoparquet` is
    /// GeoParquet, anything else GeoJSON.
    pub fn for_path(path: &Path) -> Format {
        match path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref()
        {
            Some("parquet" | "geoparquet") => Format::GeoParquet,
            _ => Format::GeoJson,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Format::GeoJson => "geojson",
            Format::GeoParquet => "geoparquet",
        }
    }
}

/// What to export.
#[derive(Clone, Debug, PartialEq)]
pub struct Selection {
    /// Edges of these modes (`Mode::Transfer` included or not).
    pub modes: ModeSet,
    /// `[west, south, east, north]` in degrees; `None`: the whole world.
    pub bbox: Option<[f64; 4]>,
    /// Also write the ports, terminals, airports and border posts as
    /// points.
    pub nodes: bool,
    /// Only these edges and nodes (within the modes and box); `None`:
    /// every one.
    pub only: Option<Arc<Only>>,
}

/// A set of edges and nodes to export, such as a corridor's route.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Only {
    /// What the set is, for messages ("corridor middle-corridor").
    pub what: String,
    /// Edges as (lower node, higher node, mode code, length in metres):
    /// direction-free, and parallel edges told apart.
    pub edges: HashSet<EdgeKey>,
    pub nodes: HashSet<u32>,
}

impl Only {
    /// The edges and nodes a path of arcs runs over.
    pub fn of_arcs(net: &Network, what: String, arcs: &[u32]) -> Only {
        let first_out = net.first_out();
        let mut only = Only {
            what,
            ..Only::default()
        };
        for &a in arcs {
            // The tail is the node whose arc range holds `a`.
            let tail = first_out.partition_point(|&f| f <= a) as u32 - 1;
            let head = net.arc_head()[a as usize];
            only.edges.insert(edge_key(net, tail, a as usize));
            only.nodes.insert(tail);
            only.nodes.insert(head);
        }
        only
    }
}

/// An edge whichever way it is walked: (lower node, higher node, mode
/// code, length in metres).
pub type EdgeKey = (u32, u32, u8, u32);

fn edge_key(net: &Network, u: u32, a: usize) -> EdgeKey {
    let v = net.arc_head()[a];
    (u.min(v), u.max(v), net.arc_mode()[a], net.arc_length_m()[a])
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

    /// What the selection holds, for a "nothing to export" message.
    pub fn describe(&self) -> String {
        let mut parts = vec![format!("edges of modes {}", self.modes)];
        if let Some([w, s, e, n]) = self.bbox {
            parts.push(format!("inside the box {w},{s},{e},{n}"));
        }
        if let Some(only) = &self.only {
            parts.push(format!("on {}", only.what));
        }
        parts.join(" ")
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

    pub fn is_empty(&self) -> bool {
        self.total_edges() == 0 && self.nodes == 0
    }
}

/// Writes the selection in `format`.
pub fn write(
    net: &Network,
    sel: &Selection,
    format: Format,
    out: &mut dyn Write,
) -> Result<ExportStats> {
    match format {
        Format::GeoJson => write_geojson(net, sel, out),
        Format::GeoParquet => write_geoparquet(net, sel, out),
    }
}

/// Writes the selection as one GeoJSON FeatureCollection, a feature per
/// line, edges first.
pub fn write_geojson(net: &Network, sel: &Selection, out: &mut dyn Write) -> Result<ExportStats> {
    sel.validate()?;
    let mut first = true;
    let result = (|| -> io::Result<ExportStats> {
        out.write_all(br#"{"type":"FeatureCollection","features":["#)?;
        let stats = for_each_feature(net, sel, &mut |f: Value| {
            out.write_all(if first { b"\n" } else { b",\n" })?;
            first = false;
            serde_json::to_writer(&mut *out, &f)?;
            Ok(())
        })?;
        out.write_all(b"\n]}\n")?;
        out.flush()?;
        Ok(stats)
    })();
    result.map_err(|e| Error::internal(format!("writing the export: {e}")))
}

/// Calls `emit` with each selected feature (a GeoJSON Feature), edges
/// first, then the transfer points.
pub fn for_each_feature(
    net: &Network,
    sel: &Selection,
    emit: &mut dyn FnMut(Value) -> io::Result<()>,
) -> io::Result<ExportStats> {
    let mut stats = ExportStats::default();
    let (first_out, head, mode, length, passage, gauge) = (
        net.first_out(),
        net.arc_head(),
        net.arc_mode(),
        net.arc_length_m(),
        net.arc_passage(),
        net.arc_gauge_mm(),
    );
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
            if let Some(only) = &sel.only
                && !only.edges.contains(&edge_key(net, tail as u32, a))
            {
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
            emit(
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
            let listed = sel
                .only
                .as_ref()
                .is_none_or(|o| o.nodes.contains(&(v as u32)));
            if kind == NodeKind::Junction || !sel.contains(p) || !serves || !listed {
                continue;
            }
            emit(json!({
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
            }))?;
            stats.nodes += 1;
        }
    }
    Ok(stats)
}

/// A GeoParquet column: its name, its Parquet type, and whether it is
/// an edge's, a transfer point's or every feature's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub kind: ColumnKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnKind {
    Int64,
    Double,
    Boolean,
    Text,
}

/// The GeoParquet table: `feature` says whether the row is an `edge` or
/// a `node` (a transfer point); the other columns are the GeoJSON
/// properties of the same name, null where a row has none; `geometry`
/// (WKB) comes last.
pub const COLUMNS: &[Column] = &{
    use ColumnKind::*;
    const fn c(name: &'static str, kind: ColumnKind) -> Column {
        Column { name, kind }
    }
    [
        c("feature", Text),
        c("id", Int64),
        c("mode", Text),
        c("length_km", Double),
        c("gauge_mm", Int64),
        c("from_node", Int64),
        c("to_node", Int64),
        c("from_country", Text),
        c("to_country", Text),
        c("border", Boolean),
        c("passage", Text),
        c("record", Text),
        c("record_kind", Text),
        c("record_name", Text),
        c("kind", Text),
        c("name", Text),
        c("country", Text),
        c("modes", Text),
    ]
};

/// Rows per Parquet row group: small enough for a reader to stream.
const ROW_GROUP: usize = 65_536;

/// Writes the selection as one GeoParquet 1.1 file (Parquet with the
/// `geo` metadata key; geometry as WKB in OGC:CRS84, i.e. lon/lat on WGS 84;
/// Snappy-compressed pages): geopandas.read_parquet, QGIS 3.32 and later,
/// DuckDB's spatial extension and GDAL read it.
pub fn write_geoparquet(
    net: &Network,
    sel: &Selection,
    out: &mut dyn Write,
) -> Result<ExportStats> {
    sel.validate()?;
    parquet_file(net, sel, out).map_err(|e| Error::internal(format!("writing the export: {e}")))
}

/// One column's values in a row group; `defined` holds the definition
/// level of every row (1 present, 0 null), the values only the present.
enum Values {
    Int64(Vec<i64>),
    Double(Vec<f64>),
    Boolean(Vec<bool>),
    Bytes(Vec<parquet::data_type::ByteArray>),
}

struct Group {
    columns: Vec<(Values, Vec<i16>)>,
    geometry: Vec<parquet::data_type::ByteArray>,
}

impl Group {
    fn new() -> Group {
        Group {
            columns: COLUMNS
                .iter()
                .map(|c| {
                    let v = match c.kind {
                        ColumnKind::Int64 => Values::Int64(Vec::new()),
                        ColumnKind::Double => Values::Double(Vec::new()),
                        ColumnKind::Boolean => Values::Boolean(Vec::new()),
                        ColumnKind::Text => Values::Bytes(Vec::new()),
                    };
                    (v, Vec::new())
                })
                .collect(),
            geometry: Vec::new(),
        }
    }

    fn len(&self) -> usize {
        self.geometry.len()
    }

    fn push(&mut self, feature: &Value) -> io::Result<()> {
        let props = &feature["properties"];
        let kind = if props.get("mode").is_some() {
            "edge"
        } else {
            "node"
        };
        for (col, (values, defined)) in COLUMNS.iter().zip(&mut self.columns) {
            let v = if col.name == "feature" {
                Value::from(kind)
            } else {
                props.get(col.name).cloned().unwrap_or(Value::Null)
            };
            let present = match (values, &v) {
                (_, Value::Null) => false,
                (Values::Int64(xs), _) => v.as_i64().map(|x| xs.push(x)).is_some(),
                (Values::Double(xs), _) => v.as_f64().map(|x| xs.push(x)).is_some(),
                (Values::Boolean(xs), _) => v.as_bool().map(|x| xs.push(x)).is_some(),
                (Values::Bytes(xs), _) => v.as_str().map(|x| xs.push(x.into())).is_some(),
            };
            if !present && !v.is_null() {
                return Err(io::Error::other(format!(
                    "column {} cannot hold {v}",
                    col.name
                )));
            }
            defined.push(present as i16);
        }
        self.geometry.push(wkb(&feature["geometry"])?.into());
        Ok(())
    }
}

fn parquet_file(net: &Network, sel: &Selection, out: &mut dyn Write) -> io::Result<ExportStats> {
    use parquet::basic::Compression;
    use parquet::file::metadata::KeyValue;
    use parquet::file::properties::WriterProperties;
    use parquet::file::writer::SerializedFileWriter;

    let err = |e: parquet::errors::ParquetError| io::Error::other(e.to_string());
    let mut message = String::from("message silkroute_export {\n");
    for c in COLUMNS {
        let repetition = if c.name == "feature" || c.name == "id" {
            "REQUIRED"
        } else {
            "OPTIONAL"
        };
        let ty = match c.kind {
            ColumnKind::Int64 => "INT64",
            ColumnKind::Double => "DOUBLE",
            ColumnKind::Boolean => "BOOLEAN",
            ColumnKind::Text => "BYTE_ARRAY",
        };
        let annotation = if c.kind == ColumnKind::Text {
            " (UTF8)"
        } else {
            ""
        };
        message.push_str(&format!("  {repetition} {ty} {}{annotation};\n", c.name));
    }
    message.push_str("  REQUIRED BYTE_ARRAY geometry;\n}");
    let schema = Arc::new(parquet::schema::parser::parse_message_type(&message).map_err(err)?);
    let props = Arc::new(
        WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_created_by(format!("silkroute {}", env!("CARGO_PKG_VERSION")))
            .build(),
    );
    let mut bytes = Vec::new();
    let mut writer = SerializedFileWriter::new(&mut bytes, schema, props).map_err(err)?;
    let mut group = Group::new();
    let mut types: Vec<&'static str> = Vec::new();
    let mut bbox = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    let mut flush = |group: &mut Group| -> io::Result<()> {
        if group.len() == 0 {
            return Ok(());
        }
        let full = std::mem::replace(group, Group::new());
        let mut rows = writer.next_row_group().map_err(err)?;
        let mut columns = full.columns.into_iter();
        let mut geometry = Some(full.geometry);
        while let Some(mut col) = rows.next_column().map_err(err)? {
            use parquet::data_type::*;
            match columns.next() {
                Some((values, defined)) => {
                    let d = Some(&defined[..]);
                    match values {
                        Values::Int64(xs) => col.typed::<Int64Type>().write_batch(&xs, d, None),
                        Values::Double(xs) => col.typed::<DoubleType>().write_batch(&xs, d, None),
                        Values::Boolean(xs) => col.typed::<BoolType>().write_batch(&xs, d, None),
                        Values::Bytes(xs) => col.typed::<ByteArrayType>().write_batch(&xs, d, None),
                    }
                    .map_err(err)?;
                }
                None => {
                    let g = geometry.take().unwrap_or_default();
                    col.typed::<ByteArrayType>()
                        .write_batch(&g, None, None)
                        .map_err(err)?;
                }
            }
            col.close().map_err(err)?;
        }
        rows.close().map_err(err)?;
        Ok(())
    };
    let stats = for_each_feature(net, sel, &mut |f: Value| {
        let ty = f["geometry"]["type"].as_str().unwrap_or("");
        if let Some(t) = ["Point", "LineString", "MultiLineString"]
            .into_iter()
            .find(|t| *t == ty)
            && !types.contains(&t)
        {
            types.push(t);
        }
        for [lon, lat] in coordinates(&f["geometry"]) {
            bbox = [
                bbox[0].min(lon),
                bbox[1].min(lat),
                bbox[2].max(lon),
                bbox[3].max(lat),
            ];
        }
        group.push(&f)?;
        if group.len() >= ROW_GROUP {
            flush(&mut group)?;
        }
        Ok(())
    })?;
    flush(&mut group)?;
    types.sort_unstable();
    let mut column = json!({"encoding": "WKB", "geometry_types": types});
    if bbox[0].is_finite() {
        column["bbox"] = json!(bbox);
    }
    let geo = json!({
        "version": "1.1.0",
        "primary_column": "geometry",
        "columns": {"geometry": column},
    });
    writer.append_key_value_metadata(KeyValue::new("geo".to_string(), geo.to_string()));
    writer.close().map_err(err)?;
    out.write_all(&bytes)?;
    out.flush()?;
    Ok(stats)
}

/// Every `[lon, lat]` of a GeoJSON Point, LineString or MultiLineString.
fn coordinates(geometry: &Value) -> Vec<[f64; 2]> {
    let pair = |v: &Value| Some([v.get(0)?.as_f64()?, v.get(1)?.as_f64()?]);
    let c = &geometry["coordinates"];
    match geometry["type"].as_str() {
        Some("Point") => pair(c).into_iter().collect(),
        Some("LineString") => c
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(pair)
            .collect(),
        Some("MultiLineString") => c
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|l| l.as_array())
            .flatten()
            .filter_map(pair)
            .collect(),
        _ => Vec::new(),
    }
}

/// A GeoJSON Point, LineString or MultiLineString as ISO WKB
/// (little-endian, 2D).
fn wkb(geometry: &Value) -> io::Result<Vec<u8>> {
    let bad = || io::Error::other(format!("no WKB for geometry {geometry}"));
    let mut b = Vec::new();
    let header = |b: &mut Vec<u8>, ty: u32| {
        b.push(1);
        b.extend_from_slice(&ty.to_le_bytes());
    };
    let line = |b: &mut Vec<u8>, points: &[[f64; 2]]| {
        header(b, 2);
        b.extend_from_slice(&(points.len() as u32).to_le_bytes());
        for [x, y] in points {
            b.extend_from_slice(&x.to_le_bytes());
            b.extend_from_slice(&y.to_le_bytes());
        }
    };
    let points = |v: &Value| -> Option<Vec<[f64; 2]>> {
        v.as_array()?
            .iter()
            .map(|p| Some([p.get(0)?.as_f64()?, p.get(1)?.as_f64()?]))
            .collect()
    };
    let c = &geometry["coordinates"];
    match geometry["type"].as_str() {
        Some("Point") => {
            let [[x, y]] = coordinates(geometry)[..] else {
                return Err(bad());
            };
            header(&mut b, 1);
            b.extend_from_slice(&x.to_le_bytes());
            b.extend_from_slice(&y.to_le_bytes());
        }
        Some("LineString") => line(&mut b, &points(c).ok_or_else(bad)?),
        Some("MultiLineString") => {
            let parts = c.as_array().ok_or_else(bad)?;
            header(&mut b, 5);
            b.extend_from_slice(&(parts.len() as u32).to_le_bytes());
            for part in parts {
                line(&mut b, &points(part).ok_or_else(bad)?);
            }
        }
        _ => return Err(bad()),
    }
    Ok(b)
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

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(b: &[u8]) -> String {
        b.iter().map(|x| format!("{x:02x}")).collect()
    }

    /// The WKB of the OGC Simple Features spec's own examples
    /// (little-endian), as PostGIS `ST_AsBinary` prints them.
    #[test]
    fn wkb_matches_the_simple_features_encoding() {
        let point = wkb(&json!({"type": "Point", "coordinates": [1.0, 2.0]})).unwrap();
        assert_eq!(hex(&point), "0101000000000000000000f03f0000000000000040");
        let line =
            wkb(&json!({"type": "LineString", "coordinates": [[0.0, 0.0], [1.0, 1.0]]})).unwrap();
        assert_eq!(
            hex(&line),
            "01020000000200000000000000000000000000000000000000000000000000f03f000000000000f03f"
        );
        let multi = wkb(&json!({"type": "MultiLineString",
            "coordinates": [[[179.0, 0.0], [180.0, 0.5]], [[-180.0, 0.5], [-179.0, 1.0]]]}))
        .unwrap();
        assert_eq!(&multi[..9], &[1, 5, 0, 0, 0, 2, 0, 0, 0]);
        assert_eq!(multi.len(), 9 + 2 * (9 + 2 * 16));
        assert!(wkb(&json!({"type": "Polygon", "coordinates": []})).is_err());
    }

    #[test]
    fn formats_follow_the_file_name_unless_told() {
        assert_eq!(Format::for_path(Path::new("w.parquet")), Format::GeoParquet);
        assert_eq!(
            Format::for_path(Path::new("w.GeoParquet")),
            Format::GeoParquet
        );
        assert_eq!(Format::for_path(Path::new("w.geojson")), Format::GeoJson);
        assert_eq!(Format::for_path(Path::new("-")), Format::GeoJson);
        assert_eq!(Format::parse("parquet").unwrap(), Format::GeoParquet);
        assert!(Format::parse("shp").is_err());
    }
}
