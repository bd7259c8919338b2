//! WGS 84 coordinates and great-circle distance.
//!
//! Distances use the haversine formula on a sphere of radius 6 371 008.8 m
//! (the IUGG mean Earth radius, also the radius searoute uses), which is
//! within 0.5 % of the ellipsoidal distance everywhere. That is the accuracy
//! the source networks themselves have, so nothing gains from Karney's
//! geodesics here.

/// Mean Earth radius in metres (IUGG R1).
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// A point in decimal degrees, latitude first (the order people say it in).
/// GeoJSON output flips it to `[lon, lat]`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LatLon {
    pub lat: f64,
    pub lon: f64,
}

impl LatLon {
    pub fn new(lat: f64, lon: f64) -> Self {
        LatLon { lat, lon }
    }

    /// Unit vector on the sphere; chord distance between unit vectors is
    /// monotonic in great-circle distance, so nearest-neighbour search can work
    /// in 3-D with no special case at the antimeridian or the poles.
    pub fn unit_vector(self) -> [f64; 3] {
        let (lat, lon) = (self.lat.to_radians(), self.lon.to_radians());
        [lat.cos() * lon.cos(), lat.cos() * lon.sin(), lat.sin()]
    }
}

/// Great-circle distance in metres.
pub fn haversine_m(a: LatLon, b: LatLon) -> f64 {
    let (lat1, lat2) = (a.lat.to_radians(), b.lat.to_radians());
    let dlat = lat2 - lat1;
    let dlon = (b.lon - a.lon).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + lat1.cos() * lat2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_M * h.sqrt().min(1.0).asin()
}

/// Chord length (on the unit sphere) that corresponds to a great-circle
/// distance in metres.
pub fn chord_for_distance_m(distance_m: f64) -> f64 {
    2.0 * (distance_m / (2.0 * EARTH_RADIUS_M))
        .min(std::f64::consts::FRAC_PI_2)
        .sin()
}

/// Great-circle distance in metres for a chord length on the unit sphere.
pub fn distance_m_for_chord(chord: f64) -> f64 {
    2.0 * EARTH_RADIUS_M * (chord / 2.0).clamp(0.0, 1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn haversine_matches_known_distance() {
        // One degree of latitude on the mean sphere is 111.195 km.
        let d = haversine_m(LatLon::new(0.0, 0.0), LatLon::new(1.0, 0.0));
        assert!((d - 111_195.08).abs() < 1.0, "{d}");
        // Across the antimeridian the short way round.
        let d = haversine_m(LatLon::new(0.0, 179.5), LatLon::new(0.0, -179.5));
        assert!((d - 111_195.08).abs() < 1.0, "{d}");
    }

    #[test]
    fn chord_round_trips() {
        for d in [0.0, 1.0, 5_000.0, 1.0e6, 1.5e7] {
            let back = distance_m_for_chord(chord_for_distance_m(d));
            assert!((back - d).abs() < 1e-3 * d.max(1.0), "{d} {back}");
        }
    }
}
