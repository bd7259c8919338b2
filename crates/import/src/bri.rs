//! The curated Belt and Road layer (`data/bri/`), joined into the network:
//! named terminals and ports, rail links that the OpenStreetMap data lacks,
//! and ferries. Only records with `status = "operating"` are joined.
//!
//! The records' coordinates are mostly approximate (see `coords_verified`
//! and `data/bri/README.md`), so every join is by a documented snapping
//! rule in [`crate::rules`], never by a straight line across a sea or a
//! border where no link exists: a link is drawn only along its own
//! waypoints (its stations in order), a ferry only between its two ports.

use serde::Deserialize;
use silkroute_graph::{RawEdge, RawNode};
use silkroute_model::{LatLon, Mode, ModeSet, NodeKind, Place, PlaceKind, haversine_m};

use crate::Error;

#[derive(Deserialize)]
pub struct TerminalsFile {
    pub terminal: Vec<Terminal>,
}

#[derive(Deserialize)]
pub struct Terminal {
    pub id: String,
    pub name: String,
    pub name_zh: Option<String>,
    pub country: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub kind: String,
    pub status: String,
}

#[derive(Deserialize)]
pub struct LinksFile {
    pub link: Vec<Link>,
}

#[derive(Deserialize)]
pub struct Link {
    pub id: String,
    pub name: String,
    pub mode: String,
    pub gauge_mm: Option<u16>,
    pub length_km: Option<f64>,
    pub status: String,
    pub waypoints: Vec<Waypoint>,
}

#[derive(Deserialize)]
pub struct Waypoint {
    pub name: String,
    pub lat: f64,
    pub lon: f64,
}

#[derive(Deserialize)]
pub struct FerriesFile {
    pub ferry: Vec<Ferry>,
}

#[derive(Deserialize)]
pub struct Ferry {
    pub id: String,
    pub name: String,
    pub kind: Option<String>,
    pub status: String,
    pub from: FerryEnd,
    pub to: FerryEnd,
}

#[derive(Deserialize)]
pub struct FerryEnd {
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    pub country: Option<String>,
}

pub fn parse<T: for<'de> Deserialize<'de>>(name: &str, bytes: &[u8]) -> Result<T, Error> {
    let text = std::str::from_utf8(bytes).map_err(|_| Error::Parse {
        file: name.to_string(),
        line: 0,
        detail: "not UTF-8".into(),
    })?;
    toml::from_str(text).map_err(|e| Error::Parse {
        file: name.to_string(),
        line: 0,
        detail: e.message().to_string(),
    })
}

/// Words of a terminal id that name nothing by themselves.
const GENERIC: [&str; 12] = [
    "port",
    "west",
    "north",
    "south",
    "east",
    "central",
    "station",
    "gateway",
    "terminal",
    "cict",
    "international",
    "new",
];

/// Place entries for a terminal: its full name, and each distinctive word of
/// its id (`baku-alat` → "Baku", "Alat") so users can type the short name. A
/// city of the same name still wins by population (see `route::places`).
pub fn terminal_places(t: &Terminal) -> Vec<Place> {
    let base = Place {
        kind: PlaceKind::Terminal,
        code: t.id.clone(),
        name: t.name.clone(),
        names_zh: t.name_zh.iter().cloned().collect(),
        country: t.country.clone().unwrap_or_default(),
        pos: LatLon::new(t.lat, t.lon),
        population: 0,
    };
    let mut out = vec![base.clone()];
    for word in
        t.id.split('-')
            .filter(|w| w.len() >= 4 && !GENERIC.contains(w))
    {
        let mut name = word.to_string();
        name[..1].make_ascii_uppercase();
        out.push(Place {
            name,
            names_zh: Vec::new(),
            ..base.clone()
        });
    }
    out
}

/// Edge lengths along a link's waypoints: the published length shared out
/// in proportion to the straight segments, or the segments themselves.
pub fn link_lengths(link: &Link) -> Vec<f64> {
    let seg: Vec<f64> = link
        .waypoints
        .windows(2)
        .map(|w| {
            haversine_m(
                LatLon::new(w[0].lat, w[0].lon),
                LatLon::new(w[1].lat, w[1].lon),
            )
        })
        .collect();
    let total: f64 = seg.iter().sum();
    match link.length_km {
        Some(km) if total > 0.0 => seg.iter().map(|s| s / total * km * 1000.0).collect(),
        _ => seg,
    }
}

pub fn mode_of(s: &str) -> Option<Mode> {
    match s {
        "rail" => Some(Mode::Rail),
        "road" => Some(Mode::Road),
        _ => None,
    }
}

/// A transfer edge between a hub and a junction of another mode.
pub fn transfer(hub: u32, junction: u32, length_m: f64, a: Mode, b: Mode) -> RawEdge {
    let mut e = RawEdge::new(hub, junction, length_m.round() as u32, Mode::Transfer);
    e.joins = ModeSet::of(&[a, b]);
    e
}

pub fn hub_node(name: &str, pos: LatLon, kind: NodeKind, country: Option<[u8; 2]>) -> RawNode {
    RawNode {
        pos,
        kind,
        country,
        name: Some(name.to_string()),
    }
}

#[derive(Deserialize)]
struct CorridorsFile {
    corridor: Vec<CorridorRecord>,
}

#[derive(Deserialize)]
struct CorridorRecord {
    id: String,
    name: String,
    name_zh: Option<String>,
    status: String,
    engine_query: Option<CorridorQuery>,
    canonical_service: Option<toml::Table>,
}

/// How to ask the engine for a corridor's canonical service.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct CorridorQuery {
    pub from: String,
    pub to: String,
    pub modes: String,
    pub via: Option<String>,
    /// Places the service passes, which keep the route on its branch.
    #[serde(default)]
    pub via_places: Vec<String>,
}

/// A Belt and Road corridor and its canonical service's published figures.
#[derive(Clone, Debug, PartialEq)]
pub struct Corridor {
    pub id: String,
    pub name: String,
    pub name_zh: Option<String>,
    pub status: String,
    pub query: Option<CorridorQuery>,
    pub service: String,
    pub published_km: Option<(f64, f64)>,
    pub published_days: Option<(f64, f64)>,
}

fn range(t: &toml::Table, key: &str) -> Option<(f64, f64)> {
    let r = t.get(key)?.as_table()?;
    let num = |v: &toml::Value| v.as_float().or_else(|| v.as_integer().map(|i| i as f64));
    Some((num(r.get("min")?)?, num(r.get("max")?)?))
}

/// The corridors of `data/bri/corridors.toml`.
pub fn corridors(bytes: &[u8]) -> Result<Vec<Corridor>, Error> {
    let file: CorridorsFile = parse("bri/corridors.toml", bytes)?;
    Ok(file
        .corridor
        .into_iter()
        .map(|c| {
            let service = c.canonical_service.unwrap_or_default();
            let text = |k: &str| {
                service
                    .get(k)
                    .and_then(|v| v.as_str())
                    .unwrap_or("")
                    .to_string()
            };
            Corridor {
                id: c.id,
                name: c.name,
                name_zh: c.name_zh,
                status: c.status,
                query: c.engine_query,
                service: format!("{} → {}", text("from"), text("to")),
                published_km: range(&service, "distance_km"),
                published_days: range(&service, "transit_days"),
            }
        })
        .collect())
}

#[derive(Deserialize)]
struct ScenariosFile {
    scenario: Vec<Scenario>,
}

/// A named disruption scenario (`data/scenarios/scenarios.toml`).
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Scenario {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub close_passages: Vec<String>,
    #[serde(default)]
    pub close_countries: Vec<String>,
    /// Boxes `[west, south, east, north]` in degrees.
    #[serde(default)]
    pub close_areas: Vec<[f64; 4]>,
    pub source: String,
}

/// The scenarios of `data/scenarios/scenarios.toml`.
pub fn scenarios(bytes: &[u8]) -> Result<Vec<Scenario>, Error> {
    let file: ScenariosFile = parse("scenarios/scenarios.toml", bytes)?;
    Ok(file.scenario)
}

#[derive(Deserialize)]
pub struct CrossingsFile {
    pub crossing: Vec<Crossing>,
}

#[derive(Deserialize)]
pub struct Crossing {
    pub id: String,
    pub name: String,
    pub mode: String,
    pub status: String,
    pub side_a: CrossingSide,
    pub side_b: CrossingSide,
}

#[derive(Deserialize)]
pub struct CrossingSide {
    pub country: String,
    pub lat: f64,
    pub lon: f64,
}

/// Place entries for a border crossing between two countries, at the
/// midpoint of its two sides, with short aliases like terminals have
/// (`alashankou-dostyk` → "Alashankou", "Dostyk"). The second country is
/// kept in the code after a `|`, so routes can match both sides.
pub fn crossing_places(c: &Crossing) -> Vec<Place> {
    let pos = LatLon::new(
        (c.side_a.lat + c.side_b.lat) / 2.0,
        (c.side_a.lon + c.side_b.lon) / 2.0,
    );
    let base = Place {
        kind: PlaceKind::BorderCrossing,
        code: format!("{}|{}", c.id, c.side_b.country),
        name: c.name.clone(),
        names_zh: Vec::new(),
        country: c.side_a.country.clone(),
        pos,
        population: 0,
    };
    let mut out = vec![base.clone()];
    for word in c.id.split('-').filter(|w| {
        w.len() >= 4 && !GENERIC.contains(w) && !["gauge", "change", "break"].contains(w)
    }) {
        let mut name = word.to_string();
        name[..1].make_ascii_uppercase();
        out.push(Place {
            name,
            ..base.clone()
        });
    }
    out
}
