//! Reading a user's own links, nodes and ferries from GeoJSON or CSV files,
//! in the schemas of `docs/USER_DATA.md`, into checked [`UserFeature`]s.
//! Joining them to the network is [`crate::user`]'s job; this module only
//! parses and validates.
//!
//! A GeoJSON file is one `FeatureCollection`. Its features are told apart by
//! geometry: a `Point` is a node (its `kind` says which), a `LineString` is a
//! link, or a ferry when its `mode` is `ferry`. A CSV file is a nodes file
//! (columns `kind`, `lat`, `lon`, …) or a links-and-ferries file (columns
//! `mode`, `from_lat`, `from_lon`, `to_lat`, `to_lon`, …), told apart by its
//! header; each row is turned into the same properties as a GeoJSON feature
//! (a cell that parses as a number is a number, an empty cell is absent) and
//! checked by the same code.
//!
//! Only a file that cannot be read, is not JSON or not a `FeatureCollection`,
//! or is a CSV with neither header, is an error ([`crate::Error`], naming the
//! file). A bad feature is skipped with a warning naming the file, the
//! feature (its index, from 0 for GeoJSON and its line for CSV, and its id)
//! and the field; a property the schema does not know is a warning too (a
//! misspelt `gauge` for `gauge_mm` would otherwise pass unnoticed), and the
//! feature is kept.

use std::path::Path;

use serde_json::{Map, Value};
use silkroute_model::{LatLon, Mode, haversine_m};

use crate::Error;

/// Where a user record comes from and what it is called.
#[derive(Clone, Debug, PartialEq)]
pub struct UserRecord {
    /// The file, as given.
    pub file: String,
    /// "feature 3" (GeoJSON, from 0) or "line 4" (CSV).
    pub at: String,
    /// Stable id: `user:<file stem>:<id>`, the feature's `id` (or its
    /// position where it has none).
    pub id: String,
    pub name: String,
    pub source: Option<String>,
}

impl UserRecord {
    /// One line for a route's explanation: the file, the feature, the source.
    pub fn basis(&self) -> String {
        match &self.source {
            Some(s) => format!("user data {} {} (source: {s})", self.file, self.at),
            None => format!("user data {} {}", self.file, self.at),
        }
    }
}

/// The kinds of user nodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UserNodeKind {
    Port,
    RailTerminal,
    DryPort,
    BorderCrossing,
    Airport,
}

impl UserNodeKind {
    pub const NAMES: [&str; 5] = [
        "port",
        "rail_terminal",
        "dry_port",
        "border_crossing",
        "airport",
    ];

    fn parse(s: &str) -> Option<UserNodeKind> {
        Some(match s {
            "port" => UserNodeKind::Port,
            "rail_terminal" => UserNodeKind::RailTerminal,
            "dry_port" => UserNodeKind::DryPort,
            "border_crossing" => UserNodeKind::BorderCrossing,
            "airport" => UserNodeKind::Airport,
            _ => return None,
        })
    }
}

/// A checked user feature.
#[derive(Clone, Debug, PartialEq)]
pub enum UserFeature {
    /// A rail or road link along a line.
    Link {
        rec: UserRecord,
        mode: Mode,
        line: Vec<LatLon>,
        gauge_mm: Option<u16>,
        speed_kmh: Option<f32>,
        /// Published length; otherwise the length along the line.
        length_km: Option<f64>,
        /// Names of the two ends, where given.
        end_names: [Option<String>; 2],
    },
    /// A port, terminal, dry port, airport or border crossing.
    Node {
        rec: UserRecord,
        kind: UserNodeKind,
        pos: LatLon,
        country: Option<[u8; 2]>,
        /// Border crossings: the country on the other side, where given.
        country_b: Option<[u8; 2]>,
        /// Border crossings: rail (default) or road.
        mode: Mode,
        dwell_h_min: Option<f64>,
        dwell_h_max: Option<f64>,
        fee_usd: Option<f64>,
    },
    /// A ferry between the two ends of its line.
    Ferry {
        rec: UserRecord,
        line: Vec<LatLon>,
        crossing_h: Option<f64>,
        crossing_h_max: Option<f64>,
        sailings_per_week: Option<f64>,
        end_names: [Option<String>; 2],
        end_countries: [Option<[u8; 2]>; 2],
    },
}

impl UserFeature {
    pub fn record(&self) -> &UserRecord {
        match self {
            UserFeature::Link { rec, .. }
            | UserFeature::Node { rec, .. }
            | UserFeature::Ferry { rec, .. } => rec,
        }
    }
}

/// The length along a line, metres.
pub fn line_length_m(line: &[LatLon]) -> f64 {
    line.windows(2).map(|w| haversine_m(w[0], w[1])).sum()
}

/// What one user file gave.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct UserFile {
    pub features: Vec<UserFeature>,
    /// Features skipped as bad.
    pub skipped: usize,
    pub warnings: Vec<String>,
}

const LINK_KEYS: &[&str] = &[
    "id",
    "mode",
    "name",
    "gauge_mm",
    "speed_kmh",
    "length_km",
    "source",
    "from_name",
    "to_name",
];
const NODE_KEYS: &[&str] = &[
    "id",
    "kind",
    "name",
    "country",
    "country_b",
    "mode",
    "dwell_h_min",
    "dwell_h_max",
    "fee_usd",
    "source",
];
const FERRY_KEYS: &[&str] = &[
    "id",
    "mode",
    "name",
    "from_name",
    "to_name",
    "from_country",
    "to_country",
    "crossing_h",
    "crossing_h_max",
    "sailings_per_week",
    "source",
];

/// Reads a user file: `.geojson`/`.json` as GeoJSON, `.csv` as CSV.
pub fn read_user_file(path: &Path) -> Result<UserFile, Error> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let name = path.display().to_string();
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or("file")
        .trim_end_matches(".geo")
        .to_string();
    match path
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .as_deref()
    {
        Some("csv") => parse_csv(&name, &stem, &bytes),
        Some("geojson" | "json") => parse_geojson(&name, &stem, &bytes),
        _ => Err(file_error(
            &name,
            0,
            "a user file ends in .geojson, .json or .csv".into(),
        )),
    }
}

fn file_error(file: &str, line: u64, detail: String) -> Error {
    Error::Parse {
        file: file.to_string(),
        line,
        column: 0,
        detail,
    }
}

/// Parses a GeoJSON `FeatureCollection` (`file` names it in messages,
/// `stem` prefixes the record ids).
pub fn parse_geojson(file: &str, stem: &str, bytes: &[u8]) -> Result<UserFile, Error> {
    let v: Value = serde_json::from_slice(bytes)
        .map_err(|e| file_error(file, e.line() as u64, format!("not JSON: {e}")))?;
    if v.get("type").and_then(Value::as_str) != Some("FeatureCollection") {
        return Err(file_error(
            file,
            0,
            "not a GeoJSON FeatureCollection".into(),
        ));
    }
    let Some(features) = v.get("features").and_then(Value::as_array) else {
        return Err(file_error(
            file,
            0,
            "the FeatureCollection has no \"features\" array".into(),
        ));
    };
    let mut out = UserFile::default();
    for (i, f) in features.iter().enumerate() {
        let at = format!("feature {i}");
        let top_id = f.get("id").and_then(id_text);
        let empty = Map::new();
        let props = match f.get("properties") {
            Some(Value::Object(p)) => p,
            Some(Value::Null) | None => &empty,
            Some(_) => {
                out.skip(file, &at, None, "properties", "is not an object");
                continue;
            }
        };
        let geom = f.get("geometry").unwrap_or(&Value::Null);
        out.push(file, stem, at, top_id, geom, props);
    }
    Ok(out)
}

/// Parses a CSV nodes file or links-and-ferries file (see the module header).
pub fn parse_csv(file: &str, stem: &str, bytes: &[u8]) -> Result<UserFile, Error> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| file_error(file, 1, e.to_string()))?
        .iter()
        .map(String::from)
        .collect();
    let has = |c: &str| header.iter().any(|h| h == c);
    let nodes = has("kind") && has("lat") && has("lon");
    let lines = has("mode")
        && ["from_lat", "from_lon", "to_lat", "to_lon"]
            .iter()
            .all(|c| has(c));
    if nodes == lines {
        return Err(file_error(
            file,
            1,
            format!(
                "columns {header:?} are neither a nodes file (kind, lat, lon, …) nor a links-and-ferries file (mode, from_lat, from_lon, to_lat, to_lon, …); see docs/USER_DATA.md"
            ),
        ));
    }
    let mut out = UserFile::default();
    for row in reader.records() {
        let row = match row {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                out.skip(file, &format!("line {line}"), None, "row", &e.to_string());
                continue;
            }
        };
        let line = row.position().map_or(0, |p| p.line());
        let at = format!("line {line}");
        let mut props = Map::new();
        let cell = |name: &str| -> Option<f64> {
            let i = header.iter().position(|h| h == name)?;
            row.get(i)?.parse().ok()
        };
        let geom = if nodes {
            let (lat, lon) = (cell("lat"), cell("lon"));
            serde_json::json!({"type": "Point", "coordinates": [lon, lat]})
        } else {
            let ends = [
                [cell("from_lon"), cell("from_lat")],
                [cell("to_lon"), cell("to_lat")],
            ];
            serde_json::json!({"type": "LineString", "coordinates": ends})
        };
        let geometry_columns = ["lat", "lon", "from_lat", "from_lon", "to_lat", "to_lon"];
        for (h, v) in header.iter().zip(row.iter()) {
            if v.is_empty() || geometry_columns.contains(&h.as_str()) {
                continue;
            }
            // Text fields stay text even when they look like numbers.
            let text = matches!(
                h.as_str(),
                "id" | "name" | "from_name" | "to_name" | "source"
            );
            let value = match v.parse::<f64>() {
                Ok(x) if !text && x.is_finite() => serde_json::json!(x),
                _ => Value::String(v.to_string()),
            };
            props.insert(h.clone(), value);
        }
        out.push(file, stem, at, None, &geom, &props);
    }
    Ok(out)
}

fn id_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.trim().is_empty() => Some(s.trim().to_string()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl UserFile {
    fn skip(&mut self, file: &str, at: &str, id: Option<&str>, field: &str, detail: &str) {
        let id = id.map(|i| format!(" (id {i:?})")).unwrap_or_default();
        self.warnings.push(format!(
            "{file} {at}{id}: field `{field}` {detail}; feature skipped"
        ));
        self.skipped += 1;
    }

    fn push(
        &mut self,
        file: &str,
        stem: &str,
        at: String,
        top_id: Option<String>,
        geom: &Value,
        props: &Map<String, Value>,
    ) {
        let own_id = top_id.or_else(|| props.get("id").and_then(id_text));
        let id_for_msg = own_id.clone();
        match check_feature(file, stem, &at, own_id, geom, props) {
            Ok((feature, unknown)) => {
                for k in unknown {
                    self.warnings.push(format!(
                        "{file} {at}{}: property `{k}` is not in the schema (docs/USER_DATA.md); ignored",
                        id_for_msg
                            .as_deref()
                            .map(|i| format!(" (id {i:?})"))
                            .unwrap_or_default()
                    ));
                }
                self.features.push(feature);
            }
            Err((field, detail)) => self.skip(file, &at, id_for_msg.as_deref(), &field, &detail),
        }
    }
}

type Bad = (String, String);

fn bad(field: &str, detail: impl Into<String>) -> Bad {
    (field.to_string(), detail.into())
}

fn position(v: &Value, field: &str) -> Result<LatLon, Bad> {
    let a = v
        .as_array()
        .filter(|a| a.len() >= 2)
        .ok_or_else(|| bad(field, "is not a [lon, lat] position"))?;
    let (Some(lon), Some(lat)) = (a[0].as_f64(), a[1].as_f64()) else {
        return Err(bad(field, "is not a [lon, lat] position of numbers"));
    };
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err(bad(field, format!("[{lon}, {lat}] is out of range")));
    }
    Ok(LatLon::new(lat, lon))
}

fn text(props: &Map<String, Value>, key: &str) -> Result<Option<String>, Bad> {
    match props.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => id_text(v)
            .map(Some)
            .ok_or_else(|| bad(key, format!("{v} is not text"))),
    }
}

fn number(props: &Map<String, Value>, key: &str, min: f64) -> Result<Option<f64>, Bad> {
    match props.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => match v.as_f64() {
            Some(x) if x.is_finite() && x >= min => Ok(Some(x)),
            _ => Err(bad(key, format!("{v} is not a number of at least {min}"))),
        },
    }
}

fn country(props: &Map<String, Value>, key: &str) -> Result<Option<[u8; 2]>, Bad> {
    match text(props, key)? {
        None => Ok(None),
        Some(c) => crate::world::country_code(&c)
            .map(Some)
            .ok_or_else(|| bad(key, format!("{c:?} is not an ISO 3166-1 alpha-2 code"))),
    }
}

/// Checks one feature; returns it with the properties the schema lacks, or
/// the field that is wrong.
fn check_feature(
    file: &str,
    stem: &str,
    at: &str,
    own_id: Option<String>,
    geom: &Value,
    props: &Map<String, Value>,
) -> Result<(UserFeature, Vec<String>), Bad> {
    let gtype = geom
        .get("type")
        .and_then(Value::as_str)
        .ok_or_else(|| bad("geometry", "is missing or has no type"))?;
    let coords = geom
        .get("coordinates")
        .ok_or_else(|| bad("geometry", "has no coordinates"))?;
    let mode_text = text(props, "mode")?;
    let rec = |default_name: String| -> Result<UserRecord, Bad> {
        let id = own_id.clone().unwrap_or_else(|| at.replace(' ', "-"));
        Ok(UserRecord {
            file: file.to_string(),
            at: at.to_string(),
            id: format!("user:{stem}:{id}"),
            name: text(props, "name")?.unwrap_or(default_name),
            source: text(props, "source")?,
        })
    };
    let unknown = |keys: &[&str]| -> Vec<String> {
        props
            .keys()
            .filter(|k| !keys.contains(&k.as_str()))
            .cloned()
            .collect()
    };
    match gtype {
        "Point" => {
            let pos = position(coords, "geometry")?;
            let kind_text = text(props, "kind")?.ok_or_else(|| {
                bad(
                    "kind",
                    format!("is missing (one of {})", UserNodeKind::NAMES.join(", ")),
                )
            })?;
            let kind = UserNodeKind::parse(&kind_text).ok_or_else(|| {
                bad(
                    "kind",
                    format!(
                        "{kind_text:?} is not one of {}",
                        UserNodeKind::NAMES.join(", ")
                    ),
                )
            })?;
            let mode = match mode_text.as_deref() {
                None | Some("rail") => Mode::Rail,
                Some("road") => Mode::Road,
                Some(m) if kind == UserNodeKind::BorderCrossing => {
                    return Err(bad("mode", format!("{m:?} is not rail or road")));
                }
                Some(_) => Mode::Rail, // reported as unused below
            };
            let mut extra = unknown(NODE_KEYS);
            let crossing_only = ["mode", "dwell_h_min", "dwell_h_max", "fee_usd", "country_b"];
            if kind != UserNodeKind::BorderCrossing {
                extra.extend(
                    crossing_only
                        .iter()
                        .filter(|k| props.contains_key(**k))
                        .map(|k| format!("{k} (only for border_crossing)")),
                );
            }
            let (lo, hi) = (
                number(props, "dwell_h_min", 0.0)?,
                number(props, "dwell_h_max", 0.0)?,
            );
            if let (Some(a), Some(b)) = (lo, hi)
                && a > b
            {
                return Err(bad("dwell_h_max", format!("{b} is below dwell_h_min {a}")));
            }
            let name = format!("{kind_text} at {:.4},{:.4}", pos.lat, pos.lon);
            Ok((
                UserFeature::Node {
                    rec: rec(name)?,
                    kind,
                    pos,
                    country: country(props, "country")?,
                    country_b: country(props, "country_b")?,
                    mode,
                    dwell_h_min: lo,
                    dwell_h_max: hi,
                    fee_usd: number(props, "fee_usd", 0.0)?,
                },
                extra,
            ))
        }
        "LineString" => {
            let pts = coords
                .as_array()
                .ok_or_else(|| bad("geometry", "coordinates are not an array"))?;
            let line: Vec<LatLon> = pts
                .iter()
                .map(|p| position(p, "geometry"))
                .collect::<Result<_, _>>()?;
            if line.len() < 2 {
                return Err(bad("geometry", "a LineString needs at least 2 positions"));
            }
            let end_names = [text(props, "from_name")?, text(props, "to_name")?];
            match mode_text.as_deref() {
                Some("ferry") => {
                    let (lo, hi) = (
                        number(props, "crossing_h", 0.0)?,
                        number(props, "crossing_h_max", 0.0)?,
                    );
                    if let (Some(a), Some(b)) = (lo, hi)
                        && a > b
                    {
                        return Err(bad(
                            "crossing_h_max",
                            format!("{b} is below crossing_h {a}"),
                        ));
                    }
                    Ok((
                        UserFeature::Ferry {
                            rec: rec("ferry".into())?,
                            line,
                            crossing_h: lo,
                            crossing_h_max: hi,
                            sailings_per_week: number(props, "sailings_per_week", 0.0)?,
                            end_names,
                            end_countries: [
                                country(props, "from_country")?,
                                country(props, "to_country")?,
                            ],
                        },
                        unknown(FERRY_KEYS),
                    ))
                }
                Some(m @ ("rail" | "road")) => {
                    let mode = if m == "rail" { Mode::Rail } else { Mode::Road };
                    let gauge_mm = match number(props, "gauge_mm", 300.0)? {
                        None => None,
                        Some(g) if g <= 3000.0 && g.fract() == 0.0 => Some(g as u16),
                        Some(g) => {
                            return Err(bad(
                                "gauge_mm",
                                format!("{g} is not a track gauge in whole mm (300–3000)"),
                            ));
                        }
                    };
                    if gauge_mm.is_some() && mode == Mode::Road {
                        return Err(bad("gauge_mm", "is for rail links only"));
                    }
                    let speed = number(props, "speed_kmh", 0.0)?;
                    if speed == Some(0.0) {
                        return Err(bad("speed_kmh", "0 is not a speed"));
                    }
                    let length_km = number(props, "length_km", 0.0)?;
                    Ok((
                        UserFeature::Link {
                            rec: rec(format!("{m} link"))?,
                            mode,
                            line,
                            gauge_mm,
                            speed_kmh: speed.map(|s| s as f32),
                            length_km,
                            end_names,
                        },
                        unknown(LINK_KEYS),
                    ))
                }
                Some(m) => Err(bad("mode", format!("{m:?} is not rail, road or ferry"))),
                None => Err(bad("mode", "is missing (rail, road or ferry)")),
            }
        }
        other => Err(bad(
            "geometry",
            format!("type {other:?} is not Point or LineString"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn geo(features: &str) -> UserFile {
        let text = format!(r#"{{"type":"FeatureCollection","features":[{features}]}}"#);
        parse_geojson("my.geojson", "my", text.as_bytes()).unwrap()
    }

    #[test]
    fn a_link_a_node_and_a_ferry_parse() {
        let f = geo(
            r#"{"type":"Feature","id":"spur","geometry":{"type":"LineString","coordinates":[[24.9,60.1],[25.0,60.2]]},
                 "properties":{"mode":"rail","gauge_mm":1524,"speed_kmh":80,"name":"Spur","source":"plan 2026"}},
               {"type":"Feature","geometry":{"type":"Point","coordinates":[24.95,60.15]},
                 "properties":{"kind":"dry_port","name":"Dry port","country":"FI"}},
               {"type":"Feature","geometry":{"type":"LineString","coordinates":[[24.9,60.1],[24.7,59.4]]},
                 "properties":{"mode":"ferry","name":"HEL-TLL","crossing_h":2,"sailings_per_week":30}}"#,
        );
        assert!(f.warnings.is_empty(), "{:?}", f.warnings);
        assert_eq!(f.features.len(), 3);
        match &f.features[0] {
            UserFeature::Link {
                rec,
                mode,
                gauge_mm,
                speed_kmh,
                ..
            } => {
                assert_eq!(rec.id, "user:my:spur");
                assert_eq!(*mode, Mode::Rail);
                assert_eq!(*gauge_mm, Some(1524));
                assert_eq!(*speed_kmh, Some(80.0));
                assert!(rec.basis().contains("plan 2026"));
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            &f.features[1],
            UserFeature::Node { kind: UserNodeKind::DryPort, country: Some(c), rec, .. }
                if c == b"FI" && rec.id == "user:my:feature-1"
        ));
        assert!(
            matches!(&f.features[2], UserFeature::Ferry { crossing_h: Some(h), .. } if *h == 2.0)
        );
    }

    #[test]
    fn bad_features_are_warnings_naming_file_feature_and_field() {
        let f = geo(
            r#"{"type":"Feature","id":7,"geometry":{"type":"LineString","coordinates":[[24.9,60.1],[25.0,60.2]]},"properties":{"mode":"tram"}},
               {"type":"Feature","geometry":{"type":"Point","coordinates":[200,60]},"properties":{"kind":"port"}},
               {"type":"Feature","geometry":{"type":"Point","coordinates":[24,60]},"properties":{"kind":"harbour"}},
               {"type":"Feature","geometry":{"type":"LineString","coordinates":[[24.9,60.1],[25.0,60.2]]},"properties":{"mode":"rail","gauge":1435}},
               {"type":"Feature","geometry":null,"properties":{}},
               {"type":"Feature","geometry":{"type":"Polygon","coordinates":[]},"properties":{}}"#,
        );
        assert_eq!(f.features.len(), 1, "{:?}", f.warnings);
        assert_eq!(f.skipped, 5);
        let w = f.warnings.join("\n");
        assert!(
            w.contains("my.geojson feature 0 (id \"7\"): field `mode` \"tram\""),
            "{w}"
        );
        assert!(
            w.contains("feature 1: field `geometry` [200, 60] is out of range"),
            "{w}"
        );
        assert!(w.contains("feature 2: field `kind` \"harbour\""), "{w}");
        assert!(
            w.contains("feature 3: property `gauge` is not in the schema"),
            "{w}"
        );
        assert!(w.contains("feature 4: field `geometry`"), "{w}");
        assert!(w.contains("Polygon"), "{w}");
    }

    #[test]
    fn a_file_that_is_not_a_feature_collection_is_an_error() {
        let e = parse_geojson("x.geojson", "x", b"{\"type\":\"Feature\"}").unwrap_err();
        assert!(e.to_string().contains("x.geojson"), "{e}");
        assert!(parse_geojson("x.geojson", "x", b"not json").is_err());
    }

    #[test]
    fn csv_nodes_and_links_read_like_geojson() {
        let nodes = "kind,name,lat,lon,country,dwell_h_min,dwell_h_max,fee_usd,mode\n\
                     border_crossing,New gate,43.1,76.5,KZ,10,20,150,rail\n\
                     rail_terminal,T,43.2,76.9,KZ,,,,\n\
                     port,Bad,95,10,,,,,\n";
        let f = parse_csv("n.csv", "n", nodes.as_bytes()).unwrap();
        assert_eq!(f.features.len(), 2, "{:?}", f.warnings);
        assert!(
            f.warnings[0].starts_with("n.csv line 4: field `geometry`"),
            "{:?}",
            f.warnings
        );
        assert!(matches!(
            &f.features[0],
            UserFeature::Node { kind: UserNodeKind::BorderCrossing, dwell_h_min: Some(a), fee_usd: Some(fee), .. }
                if *a == 10.0 && *fee == 150.0
        ));
        let links = "id,mode,name,from_lat,from_lon,to_lat,to_lon,gauge_mm,crossing_h\n\
                     1,rail,Cut-off,43.0,76.0,43.5,77.0,1520,\n\
                     2,ferry,Lake ferry,43.0,76.0,43.5,77.0,,5\n";
        let f = parse_csv("l.csv", "l", links.as_bytes()).unwrap();
        assert_eq!(f.features.len(), 2, "{:?}", f.warnings);
        assert_eq!(f.features[0].record().id, "user:l:1");
        assert!(matches!(&f.features[1], UserFeature::Ferry { .. }));
        assert!(parse_csv("z.csv", "z", b"a,b\n1,2\n").is_err());
    }
}
