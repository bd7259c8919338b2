//! The gazetteer section: places as tab-separated text lines.
//!
//! Text, not arrays, because places are read only when a user types a name,
//! and then all of them are scanned anyway; a line per place keeps the section
//! readable with `strings` and easy to extend. Columns: kind code, code, name,
//! Chinese names joined by `|`, country, lat, lon, population.

use silkroute_model::{LatLon, Place, PlaceKind};

fn clean(s: &str) -> String {
    s.replace(['\t', '\n', '\r'], " ")
}

pub fn encode(places: &[Place]) -> String {
    let mut out = String::new();
    for p in places {
        let zh: Vec<String> = p
            .names_zh
            .iter()
            .map(|s| clean(s).replace('|', " "))
            .collect();
        out.push_str(&format!(
            "{}\t{}\t{}\t{}\t{}\t{:.6}\t{:.6}\t{}\n",
            p.kind as u8,
            clean(&p.code),
            clean(&p.name),
            zh.join("|"),
            clean(&p.country),
            p.pos.lat,
            p.pos.lon,
            p.population
        ));
    }
    out
}

/// Parses the section; a malformed line means a corrupt file.
pub fn decode(text: &str) -> Result<Vec<Place>, String> {
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            let f: Vec<&str> = line.split('\t').collect();
            let bad = || format!("gazetteer line {}", i + 1);
            if f.len() != 8 {
                return Err(bad());
            }
            let kind = f[0]
                .parse::<u8>()
                .ok()
                .and_then(PlaceKind::from_code)
                .ok_or_else(bad)?;
            let lat = f[5].parse::<f64>().map_err(|_| bad())?;
            let lon = f[6].parse::<f64>().map_err(|_| bad())?;
            Ok(Place {
                kind,
                code: f[1].to_string(),
                name: f[2].to_string(),
                names_zh: f[3]
                    .split('|')
                    .filter(|s| !s.is_empty())
                    .map(String::from)
                    .collect(),
                country: f[4].to_string(),
                pos: LatLon::new(lat, lon),
                population: f[7].parse().map_err(|_| bad())?,
            })
        })
        .collect()
}
