//! JSON and GeoJSON renderings of engine results. Only this shell knows
//! these formats; the engine returns plain types.
//!
//! A route's GeoJSON has one LineString per leg (a ferry leg with its
//! sailing and wait hours) and one Point per border crossing (with the dwell
//! and fee priced and the curated record used) and per end.
//!
//! GeoJSON follows RFC 7946: `[lon, lat]` order, WGS 84, and lines that cross
//! the antimeridian split into a MultiLineString at ±180° so they draw right
//! in QGIS and geojson.io.

use serde_json::{Value, json};
use silkroute_cost::Impact;
use silkroute_model::LatLon;
use silkroute_route::explain::{Access, Curated};
use silkroute_route::{Route, Stop};

use crate::query::Query;

pub fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

fn round(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

fn stop_json(s: &Stop) -> Value {
    json!({
        "name": s.name,
        "lat": round(s.pos.lat, 6),
        "lon": round(s.pos.lon, 6),
        "kind": s.kind.as_str(),
        "country": s.country,
    })
}

fn access_json(a: &Access) -> Value {
    json!({
        "query": a.place.query,
        "name": a.place.label(),
        "lat": round(a.place.pos.lat, 6),
        "lon": round(a.place.pos.lon, 6),
        "joined_at": {"lat": round(a.pos.lat, 6), "lon": round(a.pos.lon, 6)},
        "snap_km": round(a.snap_m / 1000.0, 3),
    })
}

fn impact_fields(map: &mut serde_json::Map<String, Value>, i: &Impact) {
    map.insert("duration_h".into(), json!(round(i.time_h, 3)));
    map.insert("cost_usd".into(), json!(round(i.cost_usd, 2)));
    map.insert("co2e_kg".into(), json!(round(i.co2e_kg_wtw, 3)));
    map.insert("co2e_kg_ttw".into(), json!(round(i.co2e_kg_ttw, 3)));
}

fn with_impact(mut v: Value, i: &Impact) -> Value {
    if let Value::Object(m) = &mut v {
        impact_fields(m, i);
    }
    v
}

fn curated_json(c: &Curated) -> Value {
    json!({"id": c.id, "name": c.name, "basis": c.basis})
}

pub fn route_json(r: &Route) -> Value {
    let legs: Vec<Value> = r
        .legs
        .iter()
        .map(|l| {
            with_impact(
                json!({
                    "mode": l.mode.as_str(),
                    "from": stop_json(&l.from),
                    "to": stop_json(&l.to),
                    "distance_km": round(l.distance_m / 1000.0, 3),
                    "passages": l.passages.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
                    "countries": l.countries,
                    "sailing": l.sailing.as_ref().map(|s| json!({
                        "crossing_h": round(s.crossing_h, 3),
                        "wait_h": round(s.wait_h, 3),
                        "curated": s.curated.as_ref().map(curated_json),
                    })),
                }),
                &l.impact,
            )
        })
        .collect();
    let borders: Vec<Value> = r
        .border_crossings
        .iter()
        .map(|b| {
            with_impact(
                json!({
                    "name": b.name,
                    "mode": b.mode.as_str(),
                    "from_country": b.from_country,
                    "to_country": b.to_country,
                    "lat": round(b.pos.lat, 6),
                    "lon": round(b.pos.lon, 6),
                    "customs": b.customs,
                    "gauge_change": b.gauge_change.map(|(from, to)| json!({"from_mm": from, "to_mm": to, "handling": "transshipment"})),
                    "dwell_h": round(b.dwell_h, 3),
                    "fee_usd": round(b.fee_usd, 2),
                    "curated": b.curated.as_ref().map(curated_json),
                }),
                &b.impact,
            )
        })
        .collect();
    with_impact(
        json!({
            "distance_km": round(r.distance_m / 1000.0, 3),
            "transfers": r.transfers(),
            "border_crossings": borders,
            "modes": r.modes().iter().map(|m| m.as_str()).collect::<Vec<_>>(),
            "passages": r.passages().iter().map(|p| p.as_str()).collect::<Vec<_>>(),
            "countries": r.countries(),
            "origin": access_json(&r.origin),
            "destination": access_json(&r.destination),
            "notes": r.notes,
            "legs": legs,
        }),
        &r.total,
    )
}

pub fn routes_json(routes: &[Route], q: &Query, notes: &[String]) -> Value {
    json!({
        "code": "Ok",
        "objective": q.objective.as_str(),
        "cargo": q.cargo.label(),
        "modes": q.modes.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
        "constraints": q.constraints,
        "cost_model": {"price_year": q.model.price_year, "currency": "USD"},
        "notes": notes,
        "routes": routes.iter().map(route_json).collect::<Vec<_>>(),
    })
}

/// Splits a polyline where it crosses the antimeridian; returns the parts as
/// GeoJSON coordinate arrays.
pub fn split_antimeridian(points: &[LatLon]) -> Vec<Vec<[f64; 2]>> {
    let mut parts = vec![Vec::new()];
    for (i, p) in points.iter().enumerate() {
        if i > 0 {
            let q = points[i - 1];
            if (p.lon - q.lon).abs() > 180.0 {
                // Interpolate the latitude where the short way crosses ±180°.
                let (edge_q, edge_p) = if q.lon > 0.0 {
                    (180.0, -180.0)
                } else {
                    (-180.0, 180.0)
                };
                let p_lon_unwrapped = if q.lon > 0.0 {
                    p.lon + 360.0
                } else {
                    p.lon - 360.0
                };
                let span = p_lon_unwrapped - q.lon;
                // A segment lying on the antimeridian (180 to -180) has no span.
                let t = if span.abs() < 1e-12 {
                    0.0
                } else {
                    (edge_q - q.lon) / span
                };
                let lat = q.lat + t * (p.lat - q.lat);
                parts.last_mut().unwrap().push([edge_q, round(lat, 6)]);
                parts.push(vec![[edge_p, round(lat, 6)]]);
            }
        }
        parts
            .last_mut()
            .unwrap()
            .push([round(p.lon, 6), round(p.lat, 6)]);
    }
    parts
}

fn line_geometry(points: &[LatLon]) -> Value {
    let parts = split_antimeridian(points);
    if parts.len() == 1 {
        json!({"type": "LineString", "coordinates": parts[0]})
    } else {
        json!({"type": "MultiLineString", "coordinates": parts})
    }
}

pub fn routes_geojson(routes: &[Route]) -> Value {
    let mut features = Vec::new();
    for (ri, r) in routes.iter().enumerate() {
        for (li, l) in r.legs.iter().enumerate() {
            features.push(json!({
                "type": "Feature",
                "geometry": line_geometry(&l.geometry),
                "properties": with_impact(json!({
                    "route": ri, "leg": li, "mode": l.mode.as_str(),
                    "from": l.from.name, "to": l.to.name,
                    "distance_km": round(l.distance_m / 1000.0, 3),
                    "passages": l.passages.iter().map(|p| p.as_str()).collect::<Vec<_>>().join(","),
                    "countries": l.countries.join(","),
                    "sailing_crossing_h": l.sailing.as_ref().map(|s| round(s.crossing_h, 3)),
                    "sailing_wait_h": l.sailing.as_ref().map(|s| round(s.wait_h, 3)),
                    "curated": l.sailing.as_ref().and_then(|s| s.curated.as_ref()).map(|c| c.id.clone()),
                }), &l.impact),
            }));
        }
        for b in &r.border_crossings {
            features.push(json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(b.pos.lon, 6), round(b.pos.lat, 6)]},
                "properties": with_impact(json!({
                    "route": ri, "role": "border", "name": b.name,
                    "from_country": b.from_country, "to_country": b.to_country,
                    "customs": b.customs,
                    "gauge_change": b.gauge_change.is_some(),
                    "dwell_h": round(b.dwell_h, 3),
                    "fee_usd": round(b.fee_usd, 2),
                    "curated": b.curated.as_ref().map(|c| c.id.clone()),
                }), &b.impact),
            }));
        }
        for (role, a) in [("origin", &r.origin), ("destination", &r.destination)] {
            features.push(json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [round(a.place.pos.lon, 6), round(a.place.pos.lat, 6)]},
                "properties": {"route": ri, "role": role, "name": a.place.label(), "snap_km": round(a.snap_m / 1000.0, 3)},
            }));
        }
    }
    json!({"type": "FeatureCollection", "features": features})
}

/// Writes a result file atomically (temporary file in the same directory,
/// then rename), so an interrupted run never leaves half a file behind.
pub fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> Result<(), crate::Failure> {
    use std::io::Write;
    let fail = |e: std::io::Error| crate::Failure::other(format!("{}: {e}", path.display()));
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(fail)?;
    tmp.write_all(bytes).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// A command's result: printed, or written atomically to `out` with a
/// note saying so.
pub fn deliver(
    ctx: &crate::progress::Context,
    out: Option<&std::path::Path>,
    text: &str,
) -> Result<(), crate::Failure> {
    match out {
        None => emit(text),
        Some(path) => {
            write_atomically(path, text.as_bytes())?;
            ctx.note(&format!("wrote {}", path.display()));
        }
    }
    Ok(())
}

/// Prints a result on standard output. A closed pipe (`silkroute … | head`)
/// ends the program quietly, as Unix tools do, instead of panicking.
pub fn emit(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let result = out.write_all(text.as_bytes()).and_then(|_| {
        if !text.ends_with('\n') {
            out.write_all(b"\n")?;
        }
        out.flush()
    });
    if let Err(e) = result {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: writing the output: {e}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_the_antimeridian() {
        let pts = [
            LatLon::new(0.0, 179.0),
            LatLon::new(2.0, -179.0),
            LatLon::new(2.0, -178.0),
        ];
        let parts = split_antimeridian(&pts);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].last().unwrap(), &[180.0, 1.0]);
        assert_eq!(parts[1][0], [-180.0, 1.0]);
        assert_eq!(split_antimeridian(&pts[1..]).len(), 1);
        // marnet joins (180, y) to (-180, y) by a zero-length edge.
        let seam = [
            LatLon::new(50.0, 180.0),
            LatLon::new(50.0, -180.0),
            LatLon::new(50.2, -179.5),
        ];
        let parts = split_antimeridian(&seam);
        assert!(
            parts
                .iter()
                .flatten()
                .all(|c| c[0].is_finite() && c[1].is_finite())
        );
        assert_eq!(parts[0].last().unwrap(), &[180.0, 50.0]);
    }
}
