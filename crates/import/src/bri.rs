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

#[derive(Clone, Debug, Deserialize)]
pub struct Ferry {
    pub id: String,
    pub name: String,
    pub kind: Option<String>,
    pub status: String,
    pub crossing_h: Option<f64>,
    pub crossing_h_max: Option<f64>,
    pub crossing_h_basis: Option<String>,
    pub sailings_per_week: Option<f64>,
    /// The customs step of a ferry between two customs territories: the
    /// published dwell range at the ports' border control, hours.
    pub border_dwell_h_min: Option<f64>,
    pub border_dwell_h_max: Option<f64>,
    pub border_dwell_basis: Option<String>,
    /// A published customs fee per container at that step.
    pub border_fee_usd_per_container: Option<f64>,
    pub from: FerryEnd,
    pub to: FerryEnd,
}

#[derive(Clone, Debug, Deserialize)]
pub struct FerryEnd {
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    pub country: Option<String>,
}

/// Reads a TOML file; an error names `name` and the line and column
/// (1-based) where the fault is.
pub fn parse<T: for<'de> Deserialize<'de>>(name: &str, bytes: &[u8]) -> Result<T, Error> {
    let text = utf8(name, bytes)?;
    toml::from_str(text).map_err(|e| toml_error(name, text, &e))
}

fn utf8<'a>(name: &str, bytes: &'a [u8]) -> Result<&'a str, Error> {
    std::str::from_utf8(bytes).map_err(|e| {
        let (line, column) = line_col(bytes, e.valid_up_to());
        Error::Parse {
            file: name.to_string(),
            line,
            column,
            detail: "not UTF-8".into(),
        }
    })
}

fn toml_error(name: &str, text: &str, e: &toml::de::Error) -> Error {
    let (line, column) = e
        .span()
        .map_or((0, 0), |s| line_col(text.as_bytes(), s.start));
    Error::Parse {
        file: name.to_string(),
        line,
        column,
        detail: e.message().trim_end().to_string(),
    }
}

/// The 1-based line and column (in characters) of byte `offset`.
fn line_col(bytes: &[u8], offset: usize) -> (u64, u64) {
    let before = &bytes[..offset.min(bytes.len())];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
    let column = String::from_utf8_lossy(&before[line_start..])
        .chars()
        .count() as u64
        + 1;
    (line, column)
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

/// A named disruption scenario (`data/scenarios/scenarios.toml`; the
/// schema is documented in that file's header and in its README).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
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
    /// Rings of `[lon, lat]` vertices.
    #[serde(default)]
    pub close_polygons: Vec<Vec<[f64; 2]>>,
    /// Ids of `data/bri/border_crossings.toml`.
    #[serde(default)]
    pub close_border_crossings: Vec<String>,
    /// UN/LOCODEs of seaports: their handling is closed, sea lanes stay.
    #[serde(default)]
    pub close_ports: Vec<String>,
    /// Places (any form `route` accepts): nodes within 50 km are closed.
    #[serde(default)]
    pub close_places: Vec<String>,
    /// Whole modes (rail, road, sea, air, ferry).
    #[serde(default)]
    pub close_modes: Vec<String>,
    /// Delays, extra costs and capacity cuts.
    #[serde(default)]
    pub slowdown: Vec<Slowdown>,
    pub source: String,
    pub notes: Option<String>,
}

/// A delay, extra cost or capacity cut on one target: exactly one of
/// `passage`, `border_crossing`, `ferry`, `port`, `place`, `country`,
/// `area`, `polygon` or `mode`. Delays and costs are charged each time a
/// route uses the target (enters the passage, crosses the border, is handled
/// at the port, takes the ferry).
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Slowdown {
    pub passage: Option<String>,
    pub border_crossing: Option<String>,
    pub ferry: Option<String>,
    pub port: Option<String>,
    pub place: Option<String>,
    pub country: Option<String>,
    pub area: Option<[f64; 4]>,
    pub polygon: Option<Vec<[f64; 2]>>,
    pub mode: Option<String>,
    #[serde(default)]
    pub delay_h: f64,
    #[serde(default)]
    pub cost_usd_per_feu: f64,
    #[serde(default)]
    pub cost_usd_per_crossing: f64,
    /// Multiplies the capacity of the capacitated elements on the target
    /// (flow assignment only).
    pub capacity_factor: Option<f64>,
    pub source: Option<String>,
}

impl Slowdown {
    /// The target in words (`border crossing khorgos-altynkol`).
    pub fn target(&self) -> String {
        let t = self.targets();
        t.first().cloned().unwrap_or_default()
    }

    fn targets(&self) -> Vec<String> {
        let mut t = Vec::new();
        let mut push = |what: &str, v: &Option<String>| {
            if let Some(v) = v {
                t.push(format!("{what} {v}"));
            }
        };
        push("passage", &self.passage);
        push("border crossing", &self.border_crossing);
        push("ferry", &self.ferry);
        push("port", &self.port);
        push("place", &self.place);
        push("country", &self.country);
        push("mode", &self.mode);
        if let Some([w, s, e, n]) = self.area {
            t.push(format!("area {w},{s},{e},{n}"));
        }
        if let Some(p) = &self.polygon {
            t.push(format!("polygon of {} vertices", p.len()));
        }
        t
    }
}

/// The largest delay a slowdown may add per use, hours (a year).
pub const MAX_SLOWDOWN_DELAY_H: f64 = 8_760.0;
/// The largest cost a slowdown may add per use, USD (per FEU or flat).
pub const MAX_SLOWDOWN_COST_USD: f64 = 1e6;
/// The largest capacity factor (a thousandfold capacity).
pub const MAX_CAPACITY_FACTOR: f64 = 1_000.0;

fn check_scenario(s: &Scenario) -> Result<(), String> {
    if s.id.is_empty() || s.source.trim().is_empty() {
        return Err("every scenario needs an id and a source".into());
    }
    let boxes_ok = |b: &[f64; 4]| {
        let [w, so, e, n] = *b;
        (-180.0..=180.0).contains(&w)
            && (-180.0..=180.0).contains(&e)
            && (-90.0..=90.0).contains(&so)
            && (-90.0..=90.0).contains(&n)
            && so <= n
    };
    if !s.close_areas.iter().all(boxes_ok) {
        return Err(format!(
            "{}: close_areas are [west, south, east, north] in degrees",
            s.id
        ));
    }
    let vertex_ok =
        |&[lon, lat]: &[f64; 2]| (-180.0..=180.0).contains(&lon) && (-90.0..=90.0).contains(&lat);
    let polygons = s
        .close_polygons
        .iter()
        .chain(s.slowdown.iter().filter_map(|d| d.polygon.as_ref()));
    if polygons.clone().any(|p| !p.iter().all(vertex_ok)) {
        return Err(format!(
            "{}: polygon vertices are [lon, lat] in degrees (a NaN or out-of-range corner was found)",
            s.id
        ));
    }
    if s.close_polygons.iter().any(|p| p.len() < 3) {
        return Err(format!(
            "{}: a polygon needs at least 3 [lon, lat] vertices",
            s.id
        ));
    }
    for (i, d) in s.slowdown.iter().enumerate() {
        let n = d.targets().len();
        if n != 1 {
            return Err(format!(
                "{} slowdown {}: name exactly one target (passage, border_crossing, ferry, port, place, country, area, polygon or mode); found {n}",
                s.id,
                i + 1
            ));
        }
        // NaN fails every range (it was accepted and did nothing), and the
        // maxima keep a route's integer weights far from overflowing.
        for (key, x, max) in [
            ("delay_h", d.delay_h, MAX_SLOWDOWN_DELAY_H),
            (
                "cost_usd_per_feu",
                d.cost_usd_per_feu,
                MAX_SLOWDOWN_COST_USD,
            ),
            (
                "cost_usd_per_crossing",
                d.cost_usd_per_crossing,
                MAX_SLOWDOWN_COST_USD,
            ),
        ] {
            if !(0.0..=max).contains(&x) {
                return Err(format!(
                    "{} slowdown {}: {key} must be from 0 to {max}, got {x}",
                    s.id,
                    i + 1
                ));
            }
        }
        if d.capacity_factor
            .is_some_and(|f| !(f > 0.0 && f <= MAX_CAPACITY_FACTOR))
        {
            return Err(format!(
                "{} slowdown {}: capacity_factor must be above 0 and at most {MAX_CAPACITY_FACTOR}",
                s.id,
                i + 1
            ));
        }
        if d.delay_h == 0.0
            && d.cost_usd_per_feu == 0.0
            && d.cost_usd_per_crossing == 0.0
            && d.capacity_factor.is_none()
        {
            return Err(format!(
                "{} slowdown {}: set delay_h, cost_usd_per_feu, cost_usd_per_crossing or capacity_factor",
                s.id,
                i + 1
            ));
        }
        if d.area.as_ref().is_some_and(|b| !boxes_ok(b)) {
            return Err(format!(
                "{} slowdown {}: area is [west, south, east, north] in degrees",
                s.id,
                i + 1
            ));
        }
        if d.polygon.as_ref().is_some_and(|p| p.len() < 3) {
            return Err(format!(
                "{} slowdown {}: a polygon needs at least 3 vertices",
                s.id,
                i + 1
            ));
        }
    }
    Ok(())
}

/// The scenarios of `data/scenarios/scenarios.toml`, checked: every
/// scenario has an id and a source, ids are unique, and every slowdown names
/// one target and at least one effect.
pub fn scenarios(bytes: &[u8]) -> Result<Vec<Scenario>, Error> {
    scenarios_named("scenarios/scenarios.toml", bytes)
}

/// Where each `[[scenario]]` record starts, for errors found after parsing.
#[derive(Deserialize)]
struct ScenarioSpans {
    scenario: Vec<toml::Spanned<toml::Table>>,
}

/// The scenarios of a file in the schema of `scenarios/scenarios.toml`
/// named `name` in errors, each check failure at its record's line.
pub fn scenarios_named(name: &str, bytes: &[u8]) -> Result<Vec<Scenario>, Error> {
    let file: ScenariosFile = parse(name, bytes)?;
    let text = utf8(name, bytes)?;
    let spans: Option<ScenarioSpans> = toml::from_str(text).ok();
    for (i, s) in file.scenario.iter().enumerate() {
        let bad = |detail: String| {
            let (line, column) = spans
                .as_ref()
                .and_then(|sp| sp.scenario.get(i))
                .map_or((0, 0), |sp| line_col(bytes, sp.span().start));
            Error::Parse {
                file: name.to_string(),
                line,
                column,
                detail,
            }
        };
        check_scenario(s).map_err(bad)?;
        if file.scenario[..i].iter().any(|o| o.id == s.id) {
            return Err(bad(format!("scenario id {:?} appears twice", s.id)));
        }
    }
    Ok(file.scenario)
}

#[derive(Clone, Deserialize)]
pub struct CrossingsFile {
    pub crossing: Vec<Crossing>,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Crossing {
    pub id: String,
    pub name: String,
    /// `rail` or `road`.
    pub mode: String,
    pub status: String,
    pub dwell_h_min: Option<f64>,
    pub dwell_h_max: Option<f64>,
    pub dwell_basis: Option<String>,
    /// A published typical dwell, where `dwell_h_max` is a congestion peak.
    pub dwell_h_typical: Option<Range>,
    pub fee_usd_per_container: Option<f64>,
    pub side_a: CrossingSide,
    pub side_b: CrossingSide,
}

#[derive(Clone, Debug, Deserialize)]
pub struct Range {
    pub min: f64,
    pub max: f64,
}

#[derive(Clone, Debug, Deserialize)]
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
/// `crossing_h_max`), wait = half the headway where a frequency is
/// published, and the customs step where its ports lie in two customs
/// territories: dwell = midpoint of `border_dwell_h_min..max`, fee =
/// `border_fee_usd_per_container`, where published.
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
    let dwell = midpoint(f.border_dwell_h_min, f.border_dwell_h_max);
    let border_basis = f
        .border_dwell_basis
        .as_deref()
        .unwrap_or("basis not stated");
    let mut basis = format!("{sailing}; {waiting}");
    match (f.border_dwell_h_min, f.border_dwell_h_max, dwell) {
        (Some(a), Some(b), Some(d)) if a != b => basis.push_str(&format!(
            "; border dwell {}–{} h ({border_basis}), midpoint {} h used",
            figure(a),
            figure(b),
            figure(d)
        )),
        (_, _, Some(d)) => {
            basis.push_str(&format!("; border dwell {} h ({border_basis})", figure(d)))
        }
        _ => {}
    }
    match (f.border_fee_usd_per_container, dwell) {
        (Some(x), _) => basis.push_str(&format!("; border fee {} USD per container", figure(x))),
        (None, Some(_)) => basis.push_str("; no published border fee, cost-model default"),
        _ => {}
    }
    RawElement {
        kind: silkroute_graph::ELEMENT_FERRY,
        id: f.id.clone(),
        name: f.name.clone(),
        basis,
        dwell_h: dwell.map_or(f32::NAN, |d| d as f32),
        fee_usd: f
            .border_fee_usd_per_container
            .map_or(f32::NAN, |x| x as f32),
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

#[derive(Deserialize)]
struct CapacitiesFile {
    capacity: Vec<Capacity>,
}

/// A yearly capacity of a border crossing, ferry or corridor
/// (`data/bri/capacities.toml`).
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Capacity {
    pub id: String,
    /// `border_crossing`, `ferry` or `corridor`.
    pub kind: String,
    pub teu_per_year: Option<f64>,
    pub tonnes_per_year: Option<f64>,
    /// For a corridor: the crossings and ferries whose arcs share its
    /// capacity in the assignment (its bottleneck); empty = reported only.
    #[serde(default)]
    pub applies_to: Vec<String>,
    pub basis: String,
    pub source: String,
    pub verified: bool,
}

/// The capacities, checked against the ids of the elements they name.
pub fn capacities(
    bytes: &[u8],
    crossings: &[Crossing],
    ferries: &[Ferry],
    corridors: &[Corridor],
) -> Result<Vec<Capacity>, Error> {
    let file: CapacitiesFile = parse("bri/capacities.toml", bytes)?;
    for c in &file.capacity {
        let known = match c.kind.as_str() {
            "border_crossing" => crossings.iter().any(|x| x.id == c.id),
            "ferry" => ferries.iter().any(|x| x.id == c.id),
            "corridor" => corridors.iter().any(|x| x.id == c.id),
            _ => false,
        };
        let positive = |v: Option<f64>| v.is_none_or(|x| x > 0.0);
        let parts_known = c
            .applies_to
            .iter()
            .all(|id| crossings.iter().any(|x| &x.id == id) || ferries.iter().any(|x| &x.id == id));
        if !known
            || !parts_known
            || (c.kind != "corridor" && !c.applies_to.is_empty())
            || (c.teu_per_year.is_none() && c.tonnes_per_year.is_none())
            || !positive(c.teu_per_year)
            || !positive(c.tonnes_per_year)
        {
            return Err(Error::Parse {
                file: "bri/capacities.toml".into(),
                line: 0,
                column: 0,
                detail: format!(
                    "capacity {:?}: needs a known {} id, a positive teu_per_year or tonnes_per_year, and (corridors only) applies_to naming known crossings or ferries",
                    c.id, c.kind
                ),
            });
        }
    }
    Ok(file.capacity)
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

    fn parse_one(text: &str) -> Result<Vec<Scenario>, String> {
        scenarios(text.as_bytes()).map_err(|e| e.to_string())
    }

    const HEAD: &str = "[[scenario]]\nid = \"t\"\nname = \"t\"\nsource = \"s\"\n";

    #[test]
    fn the_shipped_scenarios_parse_and_are_sourced() {
        let all = scenarios(include_bytes!("../../../data/scenarios/scenarios.toml")).unwrap();
        assert!(all.iter().any(|s| s.id == "kazakh-border-congestion"));
        assert!(all.iter().all(|s| !s.source.trim().is_empty()));
    }

    #[test]
    fn a_slowdown_names_one_target_and_one_effect() {
        let ok = format!("{HEAD}[[scenario.slowdown]]\npassage = \"suez\"\ndelay_h = 48\n");
        assert_eq!(
            parse_one(&ok).unwrap()[0].slowdown[0].target(),
            "passage suez"
        );
        let two = format!(
            "{HEAD}[[scenario.slowdown]]\npassage = \"suez\"\ncountry = \"EG\"\ndelay_h = 1\n"
        );
        assert!(parse_one(&two).unwrap_err().contains("exactly one target"));
        let none = format!("{HEAD}[[scenario.slowdown]]\npassage = \"suez\"\n");
        assert!(parse_one(&none).unwrap_err().contains("delay_h"));
        let negative = format!("{HEAD}[[scenario.slowdown]]\nmode = \"rail\"\ndelay_h = -1\n");
        assert!(
            parse_one(&negative)
                .unwrap_err()
                .contains("delay_h must be from 0")
        );
        // NaN was accepted and did nothing; huge values overflowed weights.
        for bad in [
            "delay_h = nan",
            "delay_h = inf",
            "delay_h = 1e308",
            "cost_usd_per_feu = nan",
            "cost_usd_per_crossing = 1e300",
            "capacity_factor = nan",
            "capacity_factor = 1e308",
        ] {
            let text = format!("{HEAD}[[scenario.slowdown]]\nmode = \"rail\"\n{bad}\n");
            let key = bad.split(' ').next().unwrap();
            assert!(parse_one(&text).unwrap_err().contains(key), "{bad}");
        }
        let corner = format!(
            "{HEAD}[[scenario.slowdown]]\npolygon = [[0, 0], [nan, 1], [1, 1]]\ndelay_h = 1\n"
        );
        assert!(parse_one(&corner).unwrap_err().contains("polygon vertices"));
        let closed = format!("{HEAD}close_polygons = [[[0, 0], [1, 1], [200, 1]]]\n");
        assert!(parse_one(&closed).unwrap_err().contains("polygon vertices"));
        let factor = format!("{HEAD}[[scenario.slowdown]]\nmode = \"rail\"\ncapacity_factor = 0\n");
        assert!(parse_one(&factor).unwrap_err().contains("capacity_factor"));
    }

    #[test]
    fn unknown_keys_bad_shapes_and_duplicates_are_refused() {
        let typo = format!("{HEAD}close_pasages = [\"suez\"]\n");
        assert!(parse_one(&typo).unwrap_err().contains("close_pasages"));
        let area = format!("{HEAD}close_areas = [[10.0, 50.0, 20.0, 40.0]]\n");
        assert!(parse_one(&area).is_err());
        let polygon = format!("{HEAD}close_polygons = [[[0.0, 0.0], [1.0, 1.0]]]\n");
        assert!(parse_one(&polygon).unwrap_err().contains("polygon"));
        assert!(
            parse_one(&format!("{HEAD}{HEAD}"))
                .unwrap_err()
                .contains("twice")
        );
    }
}
