//! OSRM's v5 HTTP API on silkroute: `route`, `table` and `nearest`, so that
//! OSRM clients (routingpy, osrm-client, Leaflet Routing Machine, …) work
//! unchanged.
//!
//! `GET /{service}/v1/{profile}/{coordinates}[.json]?{options}`:
//! - coordinates are `lon,lat;lon,lat…`, or `polyline(…)`/`polyline6(…)`;
//! - the profile is a mode set: `driving`, `car` or `road`; `rail` or
//!   `train`; `sea` or `ship`; `air`; `ferry`; `surface` (rail, road, sea,
//!   ferry); `multimodal` or `all`; or a comma list (`rail,sea`);
//! - every documented OSRM option is accepted and checked (`alternatives`,
//!   `steps`, `annotations`, `geometries`, `overview`, `continue_straight`,
//!   `waypoints`, `bearings`, `radiuses`, `hints`, `approaches`,
//!   `generate_hints`, `exclude` (a mode), `snapping`, `skip_waypoints`;
//!   for tables `sources`, `destinations`, `annotations`, `fallback_speed`,
//!   `fallback_coordinate`, `scale_factor`; for nearest `number`); those
//!   that steer a road router's snapping (bearings, radiuses, hints,
//!   approaches) are validated and do not change the answer; an unknown
//!   option is `InvalidOptions`;
//! - silkroute's own options ride along: `optimize` (time, cost, co2,
//!   distance), `cargo`, `avoid`.
//!
//! Answers keep OSRM's fields and units (`distance` in metres, `duration`
//! in seconds, `weight` in the objective's units with its `weight_name`)
//! and add silkroute's beside them, never instead: per route `cost_usd`,
//! `co2e_kg`, `co2e_kg_ttw`, `modes`, `corridors`, `border_crossings`; per
//! leg `modes`, `cost_usd`, `co2e_kg`; each step's `mode` is the leg's mode
//! (rail, road, sea, air, ferry, transfer). A route's duration includes
//! transfers, border dwell and waits, as its legs' do.

use std::collections::HashMap;

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, State};
use serde_json::{Value, json};
use silkroute_api::json::{BorderJson, RouteJson, round};
use silkroute_api::od::OdPlace;
use silkroute_api::service::{RoutesAnswer, Want};
use silkroute_api::{
    Constraints, LatLon, MatrixRequest, ModeSet, Objective, Route, RouteRequest, Shipment,
    haversine_m, parse,
};

use crate::reply::{Failure, Reply, ok};
use crate::{Shared, blocking, polyline};

/// The modes a profile name stands for.
pub fn profile(name: &str) -> Result<ModeSet, Failure> {
    let list = match name {
        "driving" | "car" | "road" | "truck" => "road",
        "rail" | "train" => "rail",
        "sea" | "ship" => "sea",
        "surface" => "rail,road,sea,ferry",
        "multimodal" | "all" => "rail,road,sea,air,ferry",
        other => other,
    };
    parse::modes(list).map_err(|_| {
        Failure::invalid_value(format!(
            "unknown profile {name:?} (driving, rail, sea, air, ferry, surface, multimodal, or a comma list of modes)"
        ))
    })
}

/// The coordinates of a URL's last segment.
pub fn coordinates(text: &str) -> Result<Vec<LatLon>, Failure> {
    let text = text.strip_suffix(".json").unwrap_or(text);
    let encoded = |p: u32, inner: &str| {
        polyline::decode(inner, p)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| Failure::invalid_query(format!("{text:?} is not a valid polyline")))
    };
    if let Some(inner) = text
        .strip_prefix("polyline(")
        .and_then(|t| t.strip_suffix(')'))
    {
        return encoded(5, inner);
    }
    if let Some(inner) = text
        .strip_prefix("polyline6(")
        .and_then(|t| t.strip_suffix(')'))
    {
        return encoded(6, inner);
    }
    text.split(';')
        .map(|pair| {
            let bad = || {
                Failure::invalid_query(format!(
                    "{pair:?} is not a coordinate (write lon,lat;lon,lat in decimal degrees)"
                ))
            };
            let (lon, lat) = pair.split_once(',').ok_or_else(bad)?;
            let lon: f64 = lon.trim().parse().map_err(|_| bad())?;
            let lat: f64 = lat.trim().parse().map_err(|_| bad())?;
            if !lon.is_finite() || !lat.is_finite() {
                return Err(bad());
            }
            if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
                return Err(Failure::invalid_value(format!(
                    "{pair:?}: longitude must lie in [-180, 180] and latitude in [-90, 90]"
                )));
            }
            Ok(LatLon::new(lat, lon))
        })
        .collect()
}

/// Options common to every service, and which ones each adds.
const COMMON: [&str; 11] = [
    "bearings",
    "radiuses",
    "generate_hints",
    "hints",
    "approaches",
    "exclude",
    "snapping",
    "skip_waypoints",
    "optimize",
    "cargo",
    "avoid",
];
const ROUTE: [&str; 7] = [
    "alternatives",
    "steps",
    "annotations",
    "geometries",
    "overview",
    "continue_straight",
    "waypoints",
];
const TABLE: [&str; 6] = [
    "sources",
    "destinations",
    "annotations",
    "fallback_speed",
    "fallback_coordinate",
    "scale_factor",
];
const NEAREST: [&str; 1] = ["number"];

type Options = HashMap<String, String>;

fn bool_option(o: &Options, key: &str, default: bool) -> Result<bool, Failure> {
    match o.get(key).map(String::as_str) {
        None => Ok(default),
        Some("true") => Ok(true),
        Some("false") => Ok(false),
        Some(v) => Err(Failure::invalid_value(format!(
            "{key}={v:?}: write true or false"
        ))),
    }
}

fn choice<'a>(
    o: &'a Options,
    key: &str,
    allowed: &[&str],
    default: &'a str,
) -> Result<&'a str, Failure> {
    let v = o.get(key).map_or(default, String::as_str);
    if allowed.contains(&v) {
        Ok(v)
    } else {
        Err(Failure::invalid_value(format!(
            "{key}={v:?}: choose from {}",
            allowed.join(", ")
        )))
    }
}

/// Checks the option names and the common options' values; returns the
/// modes (profile minus `exclude`), the objective and the shipment.
fn common(
    o: &Options,
    profile_name: &str,
    service_options: &[&str],
    n: usize,
) -> Result<(Constraints, Objective, Shipment), Failure> {
    for k in o.keys() {
        if !COMMON.contains(&k.as_str()) && !service_options.contains(&k.as_str()) {
            let mut all: Vec<&str> = COMMON.iter().chain(service_options).copied().collect();
            all.sort_unstable();
            return Err(Failure::invalid_options(format!(
                "unknown option {k:?} (accepted: {})",
                all.join(", ")
            )));
        }
    }
    let per_coordinate = |key: &str, check: &dyn Fn(&str) -> bool| -> Result<(), Failure> {
        // Some clients send every option, empty when unused.
        if let Some(v) = o.get(key).filter(|v| !v.is_empty()) {
            let parts: Vec<&str> = v.split(';').collect();
            if parts.len() != n || !parts.iter().all(|p| p.is_empty() || check(p)) {
                return Err(Failure::invalid_value(format!(
                    "{key}={v:?}: give one value per coordinate ({n}), separated by ';'"
                )));
            }
        }
        Ok(())
    };
    per_coordinate("radiuses", &|p| {
        p == "unlimited" || p.parse::<f64>().is_ok_and(|x| x.is_finite() && x >= 0.0)
    })?;
    per_coordinate("bearings", &|p| {
        p.split_once(',').is_some_and(|(b, r)| {
            b.parse::<u16>().is_ok_and(|b| b <= 360) && r.parse::<u16>().is_ok_and(|r| r <= 180)
        })
    })?;
    per_coordinate("hints", &|_| true)?;
    per_coordinate("approaches", &|p| {
        ["curb", "unrestricted", "opposite"].contains(&p)
    })?;
    bool_option(o, "generate_hints", true)?;
    bool_option(o, "skip_waypoints", false)?;
    choice(o, "snapping", &["default", "any"], "default")?;
    let mut modes = profile(profile_name)?;
    if let Some(ex) = o.get("exclude") {
        for item in ex.split(',').filter(|s| !s.is_empty()) {
            let m = parse::modes(item).map_err(|_| {
                Failure::invalid_value(format!(
                    "exclude={item:?}: silkroute excludes modes (rail, road, sea, air, ferry)"
                ))
            })?;
            modes = ModeSet(modes.0 & !m.0);
        }
    }
    let objective = parse::objective(o.get("optimize").map_or("time", String::as_str))?;
    let shipment = Shipment::parse(o.get("cargo").map_or("feu", String::as_str), None)?;
    let avoid = o.get("avoid").map(|a| vec![a.clone()]).unwrap_or_default();
    Ok((
        Constraints {
            modes,
            avoid,
            via: Vec::new(),
            vessel: None,
        },
        objective,
        shipment,
    ))
}

fn place_text(p: LatLon) -> String {
    format!("{},{}", p.lat, p.lon)
}

fn location(p: LatLon) -> Value {
    json!([round(p.lon, 6), round(p.lat, 6)])
}

/// A route's points in order, the join at each leg boundary once.
fn points(route: &Route, legs: std::ops::Range<usize>) -> Vec<LatLon> {
    let mut pts: Vec<LatLon> = Vec::new();
    for l in &route.legs[legs] {
        for p in &l.geometry {
            if pts.last() != Some(p) {
                pts.push(*p);
            }
        }
    }
    pts
}

/// Douglas–Peucker in degrees: what `overview=simplified` draws (about
/// 100 m of tolerance, enough for a world map).
fn simplify(pts: &[LatLon], tolerance: f64) -> Vec<LatLon> {
    if pts.len() < 3 {
        return pts.to_vec();
    }
    let mut keep = vec![false; pts.len()];
    keep[0] = true;
    keep[pts.len() - 1] = true;
    let mut stack = vec![(0usize, pts.len() - 1)];
    while let Some((a, b)) = stack.pop() {
        let (p, q) = (pts[a], pts[b]);
        let (dx, dy) = (q.lon - p.lon, q.lat - p.lat);
        let len = (dx * dx + dy * dy).sqrt();
        let mut best = (0.0, a);
        for (i, r) in pts.iter().enumerate().take(b).skip(a + 1) {
            let d = if len == 0.0 {
                ((r.lon - p.lon).powi(2) + (r.lat - p.lat).powi(2)).sqrt()
            } else {
                ((r.lon - p.lon) * dy - (r.lat - p.lat) * dx).abs() / len
            };
            if d > best.0 {
                best = (d, i);
            }
        }
        if best.0 > tolerance {
            keep[best.1] = true;
            stack.push((a, best.1));
            stack.push((best.1, b));
        }
    }
    pts.iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(p, _)| *p)
        .collect()
}

fn geometry(pts: &[LatLon], kind: &str) -> Value {
    match kind {
        "polyline6" => json!(polyline::encode(pts, 6)),
        "geojson" => {
            json!({"type": "LineString", "coordinates": pts.iter().map(|p| [round(p.lon, 6), round(p.lat, 6)]).collect::<Vec<_>>()})
        }
        _ => json!(polyline::encode(pts, 5)),
    }
}

fn bearing(a: LatLon, b: LatLon) -> f64 {
    let (la, lb) = (a.lat.to_radians(), b.lat.to_radians());
    let dl = (b.lon - a.lon).to_radians();
    let y = dl.sin() * lb.cos();
    let x = la.cos() * lb.sin() - la.sin() * lb.cos() * dl.cos();
    (y.atan2(x).to_degrees() + 360.0) % 360.0
}

/// The weight of an impact in the objective's units, and the unit's name.
fn weight(objective: Objective, i: &silkroute_api::Impact, distance_m: f64) -> f64 {
    match objective {
        Objective::Time => round(i.time_h * 3600.0, 1),
        Objective::Cost => round(i.cost_usd, 2),
        Objective::Co2 => round(i.co2e_kg_wtw, 3),
        Objective::Distance => round(distance_m, 1),
    }
}

fn weight_name(objective: Objective) -> &'static str {
    match objective {
        Objective::Time => "duration",
        Objective::Cost => "cost_usd",
        Objective::Co2 => "co2e_kg",
        Objective::Distance => "distance",
    }
}

struct RouteShape<'a> {
    geometries: &'a str,
    overview: &'a str,
    steps: bool,
    annotations: Vec<&'a str>,
    objective: Objective,
}

/// One OSRM route from a silkroute route: a leg per stretch between
/// consecutive coordinates.
fn osrm_route(
    r: &Route,
    corridors: &[silkroute_api::service::CorridorRef],
    s: &RouteShape,
) -> Value {
    let mut segments = r.segments.clone();
    segments.push((r.legs.len(), r.border_crossings.len()));
    let legs: Vec<Value> = segments
        .windows(2)
        .map(|w| {
            let ((l0, b0), (l1, b1)) = (w[0], w[1]);
            let mut impact = silkroute_api::Impact::default();
            let mut distance = 0.0;
            for l in &r.legs[l0..l1] {
                impact += l.impact;
                distance += l.distance_m;
            }
            for b in &r.border_crossings[b0..b1] {
                impact += b.impact;
            }
            let mut modes: Vec<&str> = Vec::new();
            for l in &r.legs[l0..l1] {
                if l.mode != silkroute_api::Mode::Transfer && !modes.contains(&l.mode.as_str()) {
                    modes.push(l.mode.as_str());
                }
            }
            let mut leg = json!({
                "distance": round(distance, 1),
                "duration": round(impact.time_h * 3600.0, 1),
                "weight": weight(s.objective, &impact, distance),
                "summary": modes.join(", "),
                "modes": modes,
                "cost_usd": round(impact.cost_usd, 2),
                "co2e_kg": round(impact.co2e_kg_wtw, 3),
                "steps": [],
            });
            if s.steps {
                leg["steps"] = json!(steps(r, l0..l1, s));
            }
            if !s.annotations.is_empty() {
                leg["annotation"] = annotation(r, l0..l1, &s.annotations);
            }
            leg
        })
        .collect();
    let pts = points(r, 0..r.legs.len());
    let mut route = json!({
        "distance": round(r.distance_m, 1),
        "duration": round(r.total.time_h * 3600.0, 1),
        "weight": weight(s.objective, &r.total, r.distance_m),
        "weight_name": weight_name(s.objective),
        "legs": legs,
        "cost_usd": round(r.total.cost_usd, 2),
        "co2e_kg": round(r.total.co2e_kg_wtw, 3),
        "co2e_kg_ttw": round(r.total.co2e_kg_ttw, 3),
        "modes": r.modes().iter().map(|m| m.as_str()).collect::<Vec<_>>(),
        "passages": r.passages().iter().map(|p| p.as_str()).collect::<Vec<_>>(),
        "countries": r.countries(),
        "corridors": corridors.iter().map(|c| json!({"id": c.id, "name": c.name})).collect::<Vec<_>>(),
        "border_crossings": RouteJson::new(r).border_crossings.into_iter().map(|b: BorderJson| serde_json::to_value(b).unwrap_or_default()).collect::<Vec<_>>(),
    });
    match s.overview {
        "false" => {}
        "simplified" => route["geometry"] = geometry(&simplify(&pts, 0.001), s.geometries),
        _ => route["geometry"] = geometry(&pts, s.geometries),
    }
    route
}

/// One step per silkroute leg of a stretch, then the arrival.
fn steps(r: &Route, legs: std::ops::Range<usize>, s: &RouteShape) -> Vec<Value> {
    let n = legs.len();
    let mut out = Vec::new();
    for (k, l) in r.legs[legs].iter().enumerate() {
        let g = &l.geometry;
        let (first, second) = (g[0], *g.get(1).unwrap_or(&g[0]));
        let after = bearing(first, second).round();
        out.push(json!({
            "distance": round(l.distance_m, 1),
            "duration": round(l.impact.time_h * 3600.0, 1),
            "weight": weight(s.objective, &l.impact, l.distance_m),
            "name": format!("{} → {}", l.from.name, l.to.name),
            "mode": l.mode.as_str(),
            "driving_side": "right",
            "geometry": geometry(g, s.geometries),
            "maneuver": {
                "type": if k == 0 { "depart" } else { "new name" },
                "modifier": "straight",
                "location": location(first),
                "bearing_before": 0,
                "bearing_after": after,
            },
            "intersections": [{"location": location(first), "bearings": [after], "entry": [true], "out": 0}],
        }));
        if k + 1 == n {
            let last = *g.last().unwrap_or(&first);
            out.push(json!({
                "distance": 0.0, "duration": 0.0, "weight": 0.0,
                "name": l.to.name, "mode": l.mode.as_str(), "driving_side": "right",
                "geometry": geometry(&[last, last], s.geometries),
                "maneuver": {"type": "arrive", "location": location(last), "bearing_before": after, "bearing_after": 0},
                "intersections": [{"location": location(last), "bearings": [after], "entry": [true], "in": 0}],
            }));
        }
    }
    out
}

/// Per segment between consecutive points: distance (metres, the
/// network's lengths apportioned by straight-line length), duration (the
/// leg's time apportioned by length; transfers and dwell fall on their
/// own legs), and the network node ids.
fn annotation(r: &Route, legs: std::ops::Range<usize>, wanted: &[&str]) -> Value {
    let (mut distance, mut duration, mut nodes) = (Vec::new(), Vec::new(), Vec::new());
    for l in &r.legs[legs] {
        let parts: Vec<f64> = l
            .geometry
            .windows(2)
            .map(|w| haversine_m(w[0], w[1]))
            .collect();
        let sum: f64 = parts.iter().sum::<f64>().max(1e-9);
        for p in &parts {
            let share = if parts.len() == 1 { 1.0 } else { p / sum };
            distance.push(round(l.distance_m * share, 1));
            duration.push(round(l.impact.time_h * 3600.0 * share, 1));
        }
    }
    let head_node = |r: &Route| r.origin.node.0;
    nodes.push(head_node(r));
    let mut a = serde_json::Map::new();
    let all = wanted.contains(&"true");
    if all || wanted.contains(&"distance") {
        a.insert("distance".into(), json!(distance));
    }
    if all || wanted.contains(&"duration") {
        a.insert("duration".into(), json!(duration));
    }
    if all || wanted.contains(&"weight") {
        a.insert("weight".into(), json!(duration));
    }
    if all || wanted.contains(&"speed") {
        let speed: Vec<f64> = distance
            .iter()
            .zip(&duration)
            .map(|(d, t)| if *t > 0.0 { round(d / t, 1) } else { 0.0 })
            .collect();
        a.insert("speed".into(), json!(speed));
    }
    if all || wanted.contains(&"nodes") {
        let ids: Vec<u32> = r
            .legs
            .iter()
            .flat_map(|l| [l.from.node.0, l.to.node.0])
            .collect();
        nodes = ids;
        nodes.dedup();
        a.insert("nodes".into(), json!(nodes));
    }
    if all || wanted.contains(&"datasources") {
        a.insert("datasources".into(), json!(vec![0; distance.len()]));
    }
    Value::Object(a)
}

fn waypoint(name: &str, input: LatLon, at: LatLon) -> Value {
    json!({"name": name, "location": location(at), "distance": round(haversine_m(input, at), 1), "hint": ""})
}

/// `GET /route/v1/{profile}/{coordinates}`.
#[utoipa::path(get, path = "/route/v1/{profile}/{coordinates}", tag = "OSRM v5",
    summary = "OSRM v5 route, with silkroute's fields beside OSRM's",
    params(
        ("profile" = String, Path, description = "Mode set: driving|car|road, rail|train, sea|ship, air, ferry, surface, multimodal|all, or a comma list"),
        ("coordinates" = String, Path, description = "lon,lat;lon,lat… (optionally ending in .json), or polyline(…) / polyline6(…)"),
        ("bearings" = Option<String>, Query, description = "OSRM syntax; accepted, does not change the answer"),
        ("radiuses" = Option<String>, Query, description = "OSRM syntax; accepted, does not change the answer"),
        ("hints" = Option<String>, Query, description = "OSRM syntax; accepted, does not change the answer"),
        ("approaches" = Option<String>, Query, description = "OSRM syntax; accepted, does not change the answer"),
        ("generate_hints" = Option<bool>, Query, description = "true|false"),
        ("exclude" = Option<String>, Query, description = "Modes to leave out (comma list)"),
        ("snapping" = Option<String>, Query, description = "default|any"),
        ("skip_waypoints" = Option<bool>, Query, description = "true|false"),
        ("optimize" = Option<String>, Query, description = "silkroute: time|cost|co2|distance (weight_name follows)"),
        ("cargo" = Option<String>, Query, description = "silkroute: feu, teu, 2feu, tonnes:12.5"),
        ("avoid" = Option<String>, Query, description = "silkroute: passages, ISO countries, places, curated-links or bbox:W,S,E,N (comma list)"),
        ("alternatives" = Option<String>, Query, description = "true|false|N (up to 5)"),
        ("steps" = Option<bool>, Query, description = "true|false"),
        ("annotations" = Option<String>, Query, description = "true|false|nodes,distance,duration,datasources,weight,speed"),
        ("geometries" = Option<String>, Query, description = "polyline|polyline6|geojson"),
        ("overview" = Option<String>, Query, description = "simplified|full|false"),
        ("continue_straight" = Option<String>, Query, description = "default|true|false"),
        ("waypoints" = Option<String>, Query, description = "Coordinate indices, first to last"),
    ),
    responses(
        (status = 200, description = "Routes, waypoints and data_version", body = serde_json::Value),
        (status = 400, description = "A bad request: its code says what (InvalidQuery, InvalidValue, InvalidOptions, NoSegment, NoRoute, TooBig)", body = crate::openapi::ErrorBody),
        (status = 404, description = "No such endpoint", body = crate::openapi::ErrorBody),
        (status = 500, description = "Internal", body = crate::openapi::ErrorBody),
        (status = 503, description = "Overloaded (retry after the Retry-After seconds) or Cancelled", body = crate::openapi::ErrorBody),
        (status = 504, description = "Timeout", body = crate::openapi::ErrorBody),
    ))]
pub async fn route(
    State(state): State<Shared>,
    path: Result<Path<(String, String)>, PathRejection>,
    query: Result<Query<Options>, QueryRejection>,
) -> Reply {
    let Path((profile_name, coords)) = path.map_err(crate::reply::rejected)?;
    let Query(o) = query.map_err(crate::reply::rejected)?;
    let pts = coordinates(&coords)?;
    if pts.len() < 2 {
        return Err(Failure::invalid_query(
            "a route needs at least two coordinates",
        ));
    }
    if pts.len() > state.limits.route_coordinates {
        return Err(Failure::too_big(format!(
            "{} coordinates; a route takes at most {}",
            pts.len(),
            state.limits.route_coordinates
        )));
    }
    let (mut constraints, objective, shipment) = common(&o, &profile_name, &ROUTE, pts.len())?;
    let geometries = choice(
        &o,
        "geometries",
        &["polyline", "polyline6", "geojson"],
        "polyline",
    )?
    .to_string();
    let overview = choice(
        &o,
        "overview",
        &["simplified", "full", "false"],
        "simplified",
    )?
    .to_string();
    choice(
        &o,
        "continue_straight",
        &["default", "true", "false"],
        "default",
    )?;
    let steps = bool_option(&o, "steps", false)?;
    let annotations: Vec<String> = match o.get("annotations").map(String::as_str) {
        None | Some("false") => Vec::new(),
        Some(list) => {
            let allowed = [
                "true",
                "nodes",
                "distance",
                "duration",
                "datasources",
                "weight",
                "speed",
            ];
            let items: Vec<String> = list.split(',').map(String::from).collect();
            if let Some(bad) = items.iter().find(|i| !allowed.contains(&i.as_str())) {
                return Err(Failure::invalid_value(format!(
                    "annotations={bad:?}: choose from true, false, {}",
                    allowed[1..].join(", ")
                )));
            }
            items
        }
    };
    let alternatives = match o.get("alternatives").map(String::as_str) {
        None | Some("false") => 0,
        Some("true") => 1,
        Some(n) => n.parse::<usize>().ok().filter(|n| *n <= 5).ok_or_else(|| {
            Failure::invalid_value(format!(
                "alternatives={n:?}: write true, false or a number up to 5"
            ))
        })?,
    };
    if let Some(w) = o.get("waypoints") {
        let idx: Option<Vec<usize>> = w.split(';').map(|x| x.parse().ok()).collect();
        let ok = idx.is_some_and(|v| {
            v.first() == Some(&0)
                && v.last() == Some(&(pts.len() - 1))
                && v.windows(2).all(|p| p[0] < p[1])
        });
        if !ok {
            return Err(Failure::invalid_value(
                "waypoints must list coordinate indices in order, from the first to the last",
            ));
        }
    }
    constraints.via = pts[1..pts.len() - 1]
        .iter()
        .map(|p| place_text(*p))
        .collect();
    let req = RouteRequest {
        from: place_text(pts[0]),
        to: place_text(pts[pts.len() - 1]),
        constraints,
        objective,
        shipment,
        corridor: None,
        want: if alternatives > 0 {
            Want::Alternatives(alternatives + 1)
        } else {
            Want::Best
        },
        max_join_km: None,
    };
    let answer: RoutesAnswer = blocking(&state, move |service, _| Ok(service.route(&req)?)).await?;
    let shape = RouteShape {
        geometries: &geometries,
        overview: &overview,
        steps,
        annotations: annotations.iter().map(String::as_str).collect(),
        objective,
    };
    let routes: Vec<Value> = answer
        .routes
        .iter()
        .zip(&answer.corridors)
        .map(|(r, c)| osrm_route(r, c, &shape))
        .collect();
    let first = &answer.routes[0];
    let mut waypoints = vec![waypoint(
        &first.origin.place.label(),
        pts[0],
        first.origin.pos,
    )];
    for (k, p) in pts[1..pts.len() - 1].iter().enumerate() {
        let at = first
            .segments
            .get(k + 1)
            .and_then(|(l, _)| first.legs.get(*l))
            .map_or(*p, |l| l.from.pos);
        let name = first
            .segments
            .get(k + 1)
            .and_then(|(l, _)| first.legs.get(*l))
            .map_or(String::new(), |l| l.from.name.clone());
        waypoints.push(waypoint(&name, *p, at));
    }
    waypoints.push(waypoint(
        &first.destination.place.label(),
        pts[pts.len() - 1],
        first.destination.pos,
    ));
    let mut body = json!({"code": "Ok", "routes": routes, "notes": answer.notes});
    if !bool_option(&o, "skip_waypoints", false)? {
        body["waypoints"] = json!(waypoints);
    }
    Ok(ok(body, &state.data_version))
}

fn indices(o: &Options, key: &str, n: usize) -> Result<Vec<usize>, Failure> {
    match o.get(key).map(String::as_str) {
        None | Some("all") => Ok((0..n).collect()),
        Some(list) => list
            .split(';')
            .map(|x| {
                x.parse::<usize>().ok().filter(|i| *i < n).ok_or_else(|| {
                    Failure::invalid_value(format!(
                        "{key}={list:?}: give coordinate indices below {n}, separated by ';', or all"
                    ))
                })
            })
            .collect(),
    }
}

/// `GET /table/v1/{profile}/{coordinates}`.
#[utoipa::path(get, path = "/table/v1/{profile}/{coordinates}", tag = "OSRM v5",
    summary = "OSRM v5 table: durations (s) and distances (m), null where unreachable",
    params(
        ("profile" = String, Path, description = "Mode set: driving|car|road, rail|train, sea|ship, air, ferry, surface, multimodal|all, or a comma list"),
        ("coordinates" = String, Path, description = "lon,lat;lon,lat… (optionally ending in .json), or polyline(…) / polyline6(…)"),
        ("bearings" = Option<String>, Query, description = "OSRM syntax; accepted, does not change the answer"),
        ("radiuses" = Option<String>, Query, description = "OSRM syntax; accepted, does not change the answer"),
        ("hints" = Option<String>, Query, description = "OSRM syntax; accepted, does not change the answer"),
        ("approaches" = Option<String>, Query, description = "OSRM syntax; accepted, does not change the answer"),
        ("generate_hints" = Option<bool>, Query, description = "true|false"),
        ("exclude" = Option<String>, Query, description = "Modes to leave out (comma list)"),
        ("snapping" = Option<String>, Query, description = "default|any"),
        ("skip_waypoints" = Option<bool>, Query, description = "true|false"),
        ("optimize" = Option<String>, Query, description = "silkroute: time|cost|co2|distance (weight_name follows)"),
        ("cargo" = Option<String>, Query, description = "silkroute: feu, teu, 2feu, tonnes:12.5"),
        ("avoid" = Option<String>, Query, description = "silkroute: passages, ISO countries, places, curated-links or bbox:W,S,E,N (comma list)"),
        ("sources" = Option<String>, Query, description = "Indices separated by ';', or all"),
        ("destinations" = Option<String>, Query, description = "Indices separated by ';', or all"),
        ("annotations" = Option<String>, Query, description = "duration|distance|duration,distance"),
        ("fallback_speed" = Option<f64>, Query, description = "m/s for unreachable pairs (crow-fly)"),
        ("fallback_coordinate" = Option<String>, Query, description = "input|snapped"),
        ("scale_factor" = Option<f64>, Query, description = "Multiplies durations"),
    ),
    responses(
        (status = 200, description = "Durations, distances, sources, destinations", body = serde_json::Value),
        (status = 400, description = "A bad request: its code says what (InvalidQuery, InvalidValue, InvalidOptions, NoSegment, NoRoute, TooBig)", body = crate::openapi::ErrorBody),
        (status = 404, description = "No such endpoint", body = crate::openapi::ErrorBody),
        (status = 500, description = "Internal", body = crate::openapi::ErrorBody),
        (status = 503, description = "Overloaded (retry after the Retry-After seconds) or Cancelled", body = crate::openapi::ErrorBody),
        (status = 504, description = "Timeout", body = crate::openapi::ErrorBody),
    ))]
pub async fn table(
    State(state): State<Shared>,
    path: Result<Path<(String, String)>, PathRejection>,
    query: Result<Query<Options>, QueryRejection>,
) -> Reply {
    let Path((profile_name, coords)) = path.map_err(crate::reply::rejected)?;
    let Query(o) = query.map_err(crate::reply::rejected)?;
    let pts = coordinates(&coords)?;
    if pts.len() > state.limits.table_coordinates {
        return Err(Failure::too_big(format!(
            "{} coordinates; a table takes at most {}",
            pts.len(),
            state.limits.table_coordinates
        )));
    }
    let (constraints, objective, shipment) = common(&o, &profile_name, &TABLE, pts.len())?;
    let sources = indices(&o, "sources", pts.len())?;
    let destinations = indices(&o, "destinations", pts.len())?;
    let wanted: Vec<String> = o
        .get("annotations")
        .map_or("duration", String::as_str)
        .split(',')
        .map(String::from)
        .collect();
    if wanted.is_empty() || wanted.iter().any(|w| w != "duration" && w != "distance") {
        return Err(Failure::invalid_value(
            "annotations: choose duration, distance or duration,distance",
        ));
    }
    let number = |key: &str| -> Result<Option<f64>, Failure> {
        o.get(key)
            .map(|v| {
                v.parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite() && *x > 0.0)
                    .ok_or_else(|| {
                        Failure::invalid_value(format!("{key}={v:?}: write a number > 0"))
                    })
            })
            .transpose()
    };
    let fallback_speed = number("fallback_speed")?;
    let scale = number("scale_factor")?.unwrap_or(1.0);
    choice(&o, "fallback_coordinate", &["input", "snapped"], "input")?;
    let modes = constraints.modes;
    let answer = blocking(&state, move |service, stop| {
        let place = |i: &usize| -> Result<OdPlace, Failure> {
            Ok(OdPlace {
                label: i.to_string(),
                place: service.place(&place_text(pts[*i]))?,
            })
        };
        let req = MatrixRequest {
            origins: sources.iter().map(place).collect::<Result<_, _>>()?,
            destinations: destinations.iter().map(place).collect::<Result<_, _>>()?,
            constraints,
            objective,
            shipment,
        };
        let m = service.matrix(&req, stop)?;
        let near = |p: &OdPlace| {
            let w = service.nearest(p.place.pos, modes, 1);
            let at = w.first().map_or(p.place.pos, |w| w.location);
            let name = w.first().map_or(String::new(), |w| w.name.clone());
            waypoint(&name, p.place.pos, at)
        };
        let s: Vec<Value> = m.origins.iter().map(near).collect();
        let d: Vec<Value> = m.destinations.iter().map(near).collect();
        Ok((m, s, d))
    })
    .await?;
    let (m, s, d) = answer;
    let cols = m.destinations.len();
    let cell = |i: usize, j: usize, duration: bool| -> Value {
        match &m.cells[i * cols + j] {
            Some(c) if duration => json!(round(c.impact.time_h * 3600.0 * scale, 1)),
            Some(c) => json!(round(c.distance_m, 1)),
            None => match fallback_speed {
                Some(v) => {
                    let crow = haversine_m(m.origins[i].place.pos, m.destinations[j].place.pos);
                    if duration {
                        json!(round(crow / v * scale, 1))
                    } else {
                        json!(round(crow, 1))
                    }
                }
                None => Value::Null,
            },
        }
    };
    let grid = |duration: bool| -> Value {
        json!(
            (0..m.origins.len())
                .map(|i| (0..cols).map(|j| cell(i, j, duration)).collect::<Vec<_>>())
                .collect::<Vec<_>>()
        )
    };
    let mut body = json!({"code": "Ok", "sources": s, "destinations": d});
    if wanted.iter().any(|w| w == "duration") {
        body["durations"] = grid(true);
    }
    if wanted.iter().any(|w| w == "distance") {
        body["distances"] = grid(false);
    }
    Ok(ok(body, &state.data_version))
}

/// `GET /nearest/v1/{profile}/{coordinate}`.
#[utoipa::path(get, path = "/nearest/v1/{profile}/{coordinates}", tag = "OSRM v5",
    summary = "OSRM v5 nearest network nodes",
    params(
        ("profile" = String, Path, description = "Mode set: driving|car|road, rail|train, sea|ship, air, ferry, surface, multimodal|all, or a comma list"),
        ("coordinates" = String, Path, description = "lon,lat;lon,lat… (optionally ending in .json), or polyline(…) / polyline6(…)"),
        ("bearings" = Option<String>, Query, description = "OSRM syntax; accepted, does not change the answer"),
        ("radiuses" = Option<String>, Query, description = "OSRM syntax; accepted, does not change the answer"),
        ("hints" = Option<String>, Query, description = "OSRM syntax; accepted, does not change the answer"),
        ("approaches" = Option<String>, Query, description = "OSRM syntax; accepted, does not change the answer"),
        ("generate_hints" = Option<bool>, Query, description = "true|false"),
        ("exclude" = Option<String>, Query, description = "Modes to leave out (comma list)"),
        ("snapping" = Option<String>, Query, description = "default|any"),
        ("skip_waypoints" = Option<bool>, Query, description = "true|false"),
        ("optimize" = Option<String>, Query, description = "silkroute: time|cost|co2|distance (weight_name follows)"),
        ("cargo" = Option<String>, Query, description = "silkroute: feu, teu, 2feu, tonnes:12.5"),
        ("avoid" = Option<String>, Query, description = "silkroute: passages, ISO countries, places, curated-links or bbox:W,S,E,N (comma list)"),
        ("number" = Option<u32>, Query, description = "1 to 100"),
    ),
    responses(
        (status = 200, description = "Waypoints", body = serde_json::Value),
        (status = 400, description = "A bad request: its code says what (InvalidQuery, InvalidValue, InvalidOptions, NoSegment, NoRoute, TooBig)", body = crate::openapi::ErrorBody),
        (status = 404, description = "No such endpoint", body = crate::openapi::ErrorBody),
        (status = 500, description = "Internal", body = crate::openapi::ErrorBody),
        (status = 503, description = "Overloaded (retry after the Retry-After seconds) or Cancelled", body = crate::openapi::ErrorBody),
        (status = 504, description = "Timeout", body = crate::openapi::ErrorBody),
    ))]
pub async fn nearest(
    State(state): State<Shared>,
    path: Result<Path<(String, String)>, PathRejection>,
    query: Result<Query<Options>, QueryRejection>,
) -> Reply {
    let Path((profile_name, coords)) = path.map_err(crate::reply::rejected)?;
    let Query(o) = query.map_err(crate::reply::rejected)?;
    let pts = coordinates(&coords)?;
    if pts.len() != 1 {
        return Err(Failure::invalid_query(
            "nearest takes exactly one coordinate",
        ));
    }
    let (constraints, _, _) = common(&o, &profile_name, &NEAREST, 1)?;
    let number = match o.get("number") {
        None => 1,
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=100).contains(n))
            .ok_or_else(|| {
                Failure::invalid_value(format!("number={v:?}: write a number from 1 to 100"))
            })?,
    };
    let p = pts[0];
    let modes = constraints.modes;
    let found = blocking(&state, move |service, _| {
        Ok(service.nearest(p, modes, number))
    })
    .await?;
    if found.is_empty() {
        return Err(Failure::from(silkroute_api::Error::new(
            silkroute_api::Code::NoSegment,
            format!("no {modes} network node near {},{}", p.lon, p.lat),
        )));
    }
    let waypoints: Vec<Value> = found
        .iter()
        .map(|w| {
            json!({
                "nodes": [w.node, 0],
                "distance": round(w.distance_m, 1),
                "location": location(w.location),
                "name": w.name,
                "hint": "",
                "kind": w.kind.as_str(),
            })
        })
        .collect();
    Ok(ok(
        json!({"code": "Ok", "waypoints": waypoints}),
        &state.data_version,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coordinates_parse_and_refuse() {
        let p = coordinates("106.55,29.56;6.76,51.43.json").unwrap();
        assert_eq!(p.len(), 2);
        assert_eq!(p[0].lat, 29.56);
        assert_eq!(coordinates("1,2;x,3").unwrap_err().code, "InvalidQuery");
        assert_eq!(coordinates("200,10").unwrap_err().code, "InvalidValue");
        assert_eq!(coordinates("10,95").unwrap_err().code, "InvalidValue");
        let enc = polyline::encode(&[LatLon::new(29.56, 106.55), LatLon::new(51.43, 6.76)], 5);
        let q = coordinates(&format!("polyline({enc})")).unwrap();
        assert!((q[1].lon - 6.76).abs() < 1e-5);
    }

    #[test]
    fn profiles_map_to_modes() {
        assert_eq!(profile("driving").unwrap(), parse::modes("road").unwrap());
        assert_eq!(
            profile("rail,sea").unwrap(),
            parse::modes("rail,sea").unwrap()
        );
        assert_eq!(profile("hovercraft").unwrap_err().code, "InvalidValue");
    }

    #[test]
    fn simplification_keeps_the_ends() {
        let pts: Vec<LatLon> = (0..100)
            .map(|i| LatLon::new(0.0, i as f64 * 0.01))
            .collect();
        let s = simplify(&pts, 0.001);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0], pts[0]);
        assert_eq!(s[1], pts[99]);
    }
}
