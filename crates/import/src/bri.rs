//! The curated Belt and Road layer (`data/bri/`), joined into the network:
//! named terminals and ports, rail links that the OpenStreetMap data lacks,
//! and ferries. Only records with `status = "operating"` are joined.
//!
//! The records' coordinates are mostly approximate (see `coords_verified`
//! and `data/bri/README.md`), so every join is by a documented snapping
//! rule in [`crate::rules`], never by a straight line across a sea or a
//! border where no link exists: a link is drawn only along its own
//! waypoints (its stations in order), a ferry only between its two ports.
//!
//! Each record also becomes a curated element on the edges it describes
//! (`crossing_element`, `ferry_element`, `plain_element`): its published
//! figures price those edges, and its id tells which corridors a route
//! follows (`corridors_used`).

use serde::Deserialize;
use silkroute_graph::{RawEdge, RawElement, RawNode};
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
    pub crossing_h: Option<f64>,
    pub crossing_h_max: Option<f64>,
    pub crossing_h_basis: Option<String>,
    pub sailings_per_week: Option<f64>,
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
    #[serde(default)]
    waypoints: Vec<String>,
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
    /// Ids of the curated records (terminals, crossings, ferries, links) and
    /// plain place names that define the corridor, in order.
    pub waypoints: Vec<String>,
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
                waypoints: c.waypoints,
                query: c.engine_query,
                service: format!("{} → {}", text("from"), text("to")),
                published_km: range(&service, "distance_km"),
                published_days: range(&service, "transit_days"),
            }
        })
        .collect())
}

/// A corridor a route follows: its index in the corridor list and the
/// corridor's curated records the route uses, in route order.
#[derive(Clone, Debug, PartialEq)]
pub struct CorridorMatch {
    pub index: usize,
    pub matched: Vec<String>,
}

/// The corridors a route follows, named from the curated records it uses
/// (`used`: ids of crossings, ferries, links and terminals in route order;
/// `is_ferry` tells which ids are ferries). The rule:
///
/// 1. a corridor is a candidate when the route uses at least one record
///    listed among its waypoints;
/// 2. a candidate that lists ferries but uses none of them is dropped when
///    another candidate does not (a corridor defined by a sea crossing is
///    not named on land evidence another corridor explains: Alashankou,
///    Russia, then Marmaray into Istanbul is the western corridor, not the
///    middle one; Baku–Tbilisi–Kars alone is still the middle corridor);
/// 3. a candidate is dropped when another uses a strict superset of its
///    records (Alashankou alone does not make a route that also takes the
///    Caspian ferry a western-corridor route).
///
/// Candidates left are all named, most records first, then in file order.
pub fn corridors_used(
    corridors: &[Corridor],
    used: &[&str],
    is_ferry: &dyn Fn(&str) -> bool,
) -> Vec<CorridorMatch> {
    let sets: Vec<Vec<String>> = corridors
        .iter()
        .map(|c| {
            used.iter()
                .filter(|u| c.waypoints.iter().any(|w| w == *u))
                .map(|u| u.to_string())
                .collect()
        })
        .collect();
    let candidates: Vec<usize> = (0..corridors.len())
        .filter(|&i| !sets[i].is_empty())
        .collect();
    let sea_unused = |i: usize| {
        corridors[i].waypoints.iter().any(|w| is_ferry(w)) && !sets[i].iter().any(|u| is_ferry(u))
    };
    let after_2: Vec<usize> = candidates
        .iter()
        .copied()
        .filter(|&i| !(sea_unused(i) && candidates.iter().any(|&j| !sea_unused(j))))
        .collect();
    let subset = |a: &[String], b: &[String]| a.iter().all(|x| b.contains(x));
    let mut kept: Vec<usize> = after_2
        .iter()
        .copied()
        .filter(|&i| {
            !after_2
                .iter()
                .any(|&j| j != i && subset(&sets[i], &sets[j]) && sets[j].len() > sets[i].len())
        })
        .collect();
    kept.sort_by_key(|&i| (std::cmp::Reverse(sets[i].len()), i));
    kept.into_iter()
        .map(|i| CorridorMatch {
            index: i,
            matched: sets[i].clone(),
        })
        .collect()
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
    pub status: String,
    pub mode: String,
    pub dwell_h_min: Option<f64>,
    pub dwell_h_max: Option<f64>,
    pub dwell_basis: Option<String>,
    /// A published typical dwell, where `dwell_h_max` is a congestion peak.
    pub dwell_h_typical: Option<Range>,
    pub fee_usd_per_container: Option<f64>,
    pub side_a: CrossingSide,
    pub side_b: CrossingSide,
}

#[derive(Deserialize)]
pub struct Range {
    pub min: f64,
    pub max: f64,
}

#[derive(Deserialize)]
pub struct CrossingSide {
    pub country: String,
    pub lat: f64,
    pub lon: f64,
}

fn figure(x: f64) -> String {
    if x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

/// The midpoint of a published range; a single bound stands alone.
fn midpoint(lo: Option<f64>, hi: Option<f64>) -> Option<f64> {
    match (lo, hi) {
        (Some(a), Some(b)) => Some((a + b) / 2.0),
        (a, b) => a.or(b),
    }
}

/// The figures a crossing record prices its border edges with (rule in
/// [`crate::rules`]): dwell = midpoint of the published typical range where
/// the record has one, else of `dwell_h_min..max`; fee where published;
/// `NaN` = the cost model's default.
pub fn crossing_element(c: &Crossing) -> RawElement {
    let basis_of = c.dwell_basis.as_deref().unwrap_or("basis not stated");
    let (lo, hi, what) = match &c.dwell_h_typical {
        Some(t) => (Some(t.min), Some(t.max), "published typical".to_string()),
        None => (c.dwell_h_min, c.dwell_h_max, basis_of.to_string()),
    };
    let dwell = midpoint(lo, hi);
    let mut basis = match (lo, hi, dwell) {
        (Some(a), Some(b), Some(d)) if a != b => format!(
            "dwell {}–{} h ({what}), midpoint {} h used",
            figure(a),
            figure(b),
            figure(d)
        ),
        (_, _, Some(d)) => format!("dwell {} h ({what})", figure(d)),
        _ => "no published dwell; cost-model default".to_string(),
    };
    match c.fee_usd_per_container {
        Some(f) => basis.push_str(&format!("; fee {} USD per container", figure(f))),
        None => basis.push_str("; no published fee, cost-model default"),
    }
    RawElement {
        kind: silkroute_graph::ELEMENT_CROSSING,
        id: c.id.clone(),
        name: c.name.clone(),
        basis,
        dwell_h: dwell.map_or(f32::NAN, |d| d as f32),
        fee_usd: c.fee_usd_per_container.map_or(f32::NAN, |f| f as f32),
        crossing_h: f32::NAN,
        wait_h: f32::NAN,
    }
}

/// A record that prices nothing by itself (a missing link or a terminal):
/// carried by its edges so routes can tell which curated records they use.
pub fn plain_element(kind: &'static str, id: &str, name: &str) -> RawElement {
    RawElement {
        kind,
        id: id.to_string(),
        name: name.to_string(),
        basis: String::new(),
        dwell_h: f32::NAN,
        fee_usd: f32::NAN,
        crossing_h: f32::NAN,
        wait_h: f32::NAN,
    }
}

/// Hours in a week, for turning sailings a week into a headway.
const WEEK_H: f64 = 168.0;

/// The figures a ferry record prices its crossing with (rule in
/// [`crate::rules`]): sailing time = `crossing_h` (midpoint with
/// `crossing_h_max`), wait = half the headway where a frequency is published.
pub fn ferry_element(f: &Ferry) -> RawElement {
    let crossing = midpoint(f.crossing_h, f.crossing_h_max);
    let wait = f
        .sailings_per_week
        .filter(|n| *n > 0.0)
        .map(|n| WEEK_H / n / 2.0);
    let basis_of = f.crossing_h_basis.as_deref().unwrap_or("basis not stated");
    let sailing = match (f.crossing_h, f.crossing_h_max, crossing) {
        (Some(a), Some(b), Some(c)) if a != b => format!(
            "crossing {}–{} h ({basis_of}), midpoint {} h used",
            figure(a),
            figure(b),
            figure(c)
        ),
        (_, _, Some(c)) => format!("crossing {} h ({basis_of})", figure(c)),
        _ => "no published crossing time; distance at the cost-model ferry speed".to_string(),
    };
    let waiting = match (f.sailings_per_week, wait) {
        (Some(n), Some(w)) => format!(
            "{} sailing(s) a week, wait half the headway = {} h",
            figure(n),
            figure(w)
        ),
        _ => "no published frequency; cost-model [ferry_wait] default".to_string(),
    };
    RawElement {
        kind: silkroute_graph::ELEMENT_FERRY,
        id: f.id.clone(),
        name: f.name.clone(),
        basis: format!("{sailing}; {waiting}"),
        dwell_h: f32::NAN,
        fee_usd: f32::NAN,
        crossing_h: crossing.map_or(f32::NAN, |c| c as f32),
        wait_h: wait.map_or(f32::NAN, |w| w as f32),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn corridor(id: &str, waypoints: &[&str]) -> Corridor {
        Corridor {
            id: id.into(),
            name: id.into(),
            name_zh: None,
            status: "operating".into(),
            waypoints: waypoints.iter().map(|w| w.to_string()).collect(),
            query: None,
            service: String::new(),
            published_km: None,
            published_days: None,
        }
    }

    fn named(used: &[&str]) -> Vec<String> {
        let all = [
            corridor("western", &["alashankou", "khorgos", "brest"]),
            corridor("central", &["erenhot", "brest"]),
            corridor("eastern", &["manzhouli", "brest"]),
            corridor(
                "middle",
                &["alashankou", "khorgos", "aktau-alat", "btk", "marmaray"],
            ),
        ];
        let ferry = |id: &str| id == "aktau-alat";
        corridors_used(&all, used, &ferry)
            .into_iter()
            .map(|m| all[m.index].id.clone())
            .collect()
    }

    #[test]
    fn corridors_are_named_by_the_records_a_route_uses() {
        // A superset wins: the western corridor explains both crossings.
        assert_eq!(named(&["alashankou", "brest"]), ["western"]);
        // The Caspian ferry makes Alashankou a middle-corridor crossing.
        assert_eq!(named(&["alashankou", "aktau-alat", "btk"]), ["middle"]);
        // By land, Alashankou alone is the western corridor.
        assert_eq!(named(&["alashankou"]), ["western"]);
        // BTK alone is only in the middle corridor.
        assert_eq!(named(&["btk", "marmaray"]), ["middle"]);
        // Overland into Istanbul through Marmaray is still the western one.
        assert_eq!(named(&["alashankou", "brest", "marmaray"]), ["western"]);
        // Brest alone is shared by three corridors: all are named.
        assert_eq!(named(&["brest"]), ["western", "central", "eastern"]);
        assert!(named(&["somewhere-else"]).is_empty());
    }
}
