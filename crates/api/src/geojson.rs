//! GeoJSON for every answer that has a shape: routes (one LineString per
//! leg, a Point per border crossing and per end), lanes before and after a
//! scenario, reached places, criticality elements and flows. Coordinates
//! follow RFC 7946: `[lon, lat]`, WGS 84, and lines that cross the
//! antimeridian split into a MultiLineString at ±180° so they draw right in
//! QGIS, geojson.io and the map page.

use serde_json::{Value, json};
use silkroute_cost::Impact;
use silkroute_model::LatLon;
use silkroute_route::Route;

use crate::json::round;

fn with_impact(mut v: Value, i: &Impact) -> Value {
    if let Value::Object(m) = &mut v {
        m.insert("duration_h".into(), json!(round(i.time_h, 3)));
        m.insert("cost_usd".into(), json!(round(i.cost_usd, 2)));
        m.insert("co2e_kg".into(), json!(round(i.co2e_kg_wtw, 3)));
        m.insert("co2e_kg_ttw".into(), json!(round(i.co2e_kg_ttw, 3)));
    }
    v
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

/// A line, or a MultiLineString where it crosses the antimeridian.
pub fn line_geometry(points: &[LatLon]) -> Value {
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
                    "route": ri, "leg": li, "mode": l.mode.as_str(), "drayage": l.drayage,
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

/// One line along a whole route (every leg's points in order).
pub fn route_line(r: &Route) -> Value {
    let mut pts: Vec<LatLon> = Vec::new();
    for l in &r.legs {
        for p in &l.geometry {
            if pts.last() != Some(p) {
                pts.push(*p);
            }
        }
    }
    line_geometry(&pts)
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
