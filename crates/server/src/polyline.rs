//! Google's encoded polyline format, as OSRM serves geometries: precision
//! 5 (`polyline`, OSRM's default) or 6 (`polyline6`). The order is
//! **lat, lon**, the opposite of GeoJSON's, which is the classic bug this
//! module's tests guard against.

use silkroute_api::LatLon;

/// Encodes points at `precision` decimals (5 or 6).
pub fn encode(points: &[LatLon], precision: u32) -> String {
    let factor = 10f64.powi(precision as i32);
    let mut out = String::new();
    let (mut last_lat, mut last_lon) = (0i64, 0i64);
    for p in points {
        let lat = (p.lat * factor).round() as i64;
        let lon = (p.lon * factor).round() as i64;
        push(lat - last_lat, &mut out);
        push(lon - last_lon, &mut out);
        last_lat = lat;
        last_lon = lon;
    }
    out
}

fn push(delta: i64, out: &mut String) {
    let mut v = if delta < 0 { !(delta << 1) } else { delta << 1 } as u64;
    while v >= 0x20 {
        out.push(char::from((((v & 0x1f) | 0x20) + 63) as u8));
        v >>= 5;
    }
    out.push(char::from((v + 63) as u8));
}

/// One zigzag-encoded number at `*i`, advancing it.
fn number(bytes: &[u8], i: &mut usize) -> Option<i64> {
    let (mut shift, mut result) = (0u32, 0u64);
    loop {
        let b = *bytes.get(*i)? as i64 - 63;
        *i += 1;
        if !(0..64).contains(&b) || shift > 60 {
            return None;
        }
        result |= ((b & 0x1f) as u64) << shift;
        shift += 5;
        if b < 0x20 {
            break;
        }
    }
    let r = result as i64;
    Some(if r & 1 == 1 { !(r >> 1) } else { r >> 1 })
}

/// Decodes a polyline at `precision` decimals; `None` if malformed.
pub fn decode(text: &str, precision: u32) -> Option<Vec<LatLon>> {
    let factor = 10f64.powi(precision as i32);
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut out = Vec::new();
    let (mut lat, mut lon) = (0i64, 0i64);
    while i < bytes.len() {
        lat = lat.checked_add(number(bytes, &mut i)?)?;
        if i >= bytes.len() {
            return None;
        }
        lon = lon.checked_add(number(bytes, &mut i)?)?;
        let p = LatLon::new(lat as f64 / factor, lon as f64 / factor);
        if !(-90.0..=90.0).contains(&p.lat) || !(-180.0..=180.0).contains(&p.lon) {
            return None;
        }
        out.push(p);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn googles_example_round_trips() {
        // developers.google.com/maps/documentation/utilities/polylinealgorithm
        let pts = [
            LatLon::new(38.5, -120.2),
            LatLon::new(40.7, -120.95),
            LatLon::new(43.252, -126.453),
        ];
        assert_eq!(encode(&pts, 5), "_p~iF~ps|U_ulLnnqC_mqNvxq`@");
        let back = decode("_p~iF~ps|U_ulLnnqC_mqNvxq`@", 5).unwrap();
        for (a, b) in pts.iter().zip(&back) {
            assert!((a.lat - b.lat).abs() < 1e-9 && (a.lon - b.lon).abs() < 1e-9);
        }
    }

    #[test]
    fn precision_six_and_bad_input() {
        let pts = [
            LatLon::new(29.563009, 106.551556),
            LatLon::new(51.434999, 6.762691),
        ];
        let back = decode(&encode(&pts, 6), 6).unwrap();
        assert!((back[1].lon - 6.762691).abs() < 1e-9 && (back[1].lat - 51.434999).abs() < 1e-9);
        assert_eq!(decode("_p~iF", 5), None, "a latitude without its longitude");
        assert_eq!(decode("\u{7f}", 5), None);
        // A pseudo-random round trip over the whole globe.
        let mut x = 12345u64;
        let mut rnd = || {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 11) as f64 / (1u64 << 53) as f64
        };
        let pts: Vec<LatLon> = (0..200)
            .map(|_| LatLon::new(rnd() * 180.0 - 90.0, rnd() * 360.0 - 180.0))
            .collect();
        for precision in [5, 6] {
            let back = decode(&encode(&pts, precision), precision).unwrap();
            let tol = 0.6 / 10f64.powi(precision as i32);
            assert!(
                pts.iter()
                    .zip(&back)
                    .all(|(a, b)| (a.lat - b.lat).abs() <= tol && (a.lon - b.lon).abs() <= tol)
            );
        }
    }
}
