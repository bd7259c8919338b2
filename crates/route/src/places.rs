//! Turning what a user typed into a point: `lat,lon`, a UN/LOCODE (`DEDUI`),
//! an IATA code (`PVG`), or a place name in English or Chinese (`Xi'an`,
//! `重庆`), optionally qualified by country (`Hamburg, DE`).
//!
//! Names are compared after folding case, accents and punctuation, so
//! `Lodz`, `Łódź` and `xian` match. When several places share a name, the
//! most populous city wins if it is clearly the one meant (ten times the
//! next); otherwise the answer is an error listing the candidates. An
//! unknown name gets the closest names as suggestions.

use silkroute_model::{LatLon, Place, PlaceKind};

/// A place the user meant, with how it was found.
#[derive(Clone, Debug, PartialEq)]
pub struct ResolvedPlace {
    pub query: String,
    pub name: String,
    pub code: String,
    pub country: String,
    pub kind: Option<PlaceKind>,
    pub pos: LatLon,
}

impl ResolvedPlace {
    /// "Duisburg, DE" / "Shanghai (CNSHA)" / "31.2,121.5".
    pub fn label(&self) -> String {
        match (&self.kind, self.code.is_empty(), self.country.is_empty()) {
            (None, _, _) => self.name.clone(),
            (Some(_), false, _) => format!("{} ({})", self.name, self.code),
            (Some(_), true, false) => format!("{}, {}", self.name, self.country),
            (Some(_), true, true) => self.name.clone(),
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum PlaceError {
    #[error(
        "{query:?} is not a valid coordinate: {detail} (write lat,lon in decimal degrees, e.g. 29.56,106.55)"
    )]
    BadCoordinate { query: String, detail: String },
    #[error("unknown place {query:?}{}", suggest(.suggestions))]
    Unknown {
        query: String,
        suggestions: Vec<String>,
    },
    #[error("{query:?} is ambiguous: {} ({hint})", .candidates.join("; "))]
    Ambiguous {
        query: String,
        candidates: Vec<String>,
        /// How to say which one is meant.
        hint: String,
    },
}

fn suggest(s: &[String]) -> String {
    if s.is_empty() {
        String::new()
    } else {
        format!("; closest matches: {}", s.join(", "))
    }
}

/// The searchable gazetteer.
pub struct Gazetteer {
    places: Vec<Place>,
    /// Folded name per place, parallel to `places`.
    keys: Vec<String>,
    /// A kd-tree over the cities (place index, unit vector), built on first
    /// use: naming stops asks for the nearest city many times per route.
    cities: std::sync::OnceLock<(Vec<u32>, Vec<f32>)>,
    /// Indices of the curated border crossings (a few dozen among ~50 k
    /// places; every border of every explained route looks them up).
    crossings: std::sync::OnceLock<Vec<u32>>,
}

/// Case-, accent- and punctuation-insensitive key: `Xi'an` → `xian`.
pub fn fold(s: &str) -> String {
    deunicode::deunicode(s)
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn is_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{3400}'..='\u{9fff}').contains(&c))
}

impl Gazetteer {
    pub fn new(places: Vec<Place>) -> Gazetteer {
        let keys = places.iter().map(|p| fold(&p.name)).collect();
        Gazetteer {
            places,
            keys,
            cities: std::sync::OnceLock::new(),
            crossings: std::sync::OnceLock::new(),
        }
    }

    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// Up to `k` places whose name (folded) starts with what the user typed
    /// so far, or whose code or Chinese name does; cities by population
    /// first, then hubs, each with the query text that resolves to it
    /// exactly (`Name, CC`, or the code). For type-ahead in a form.
    pub fn suggest(&self, prefix: &str, k: usize) -> Vec<(String, &Place)> {
        let key = fold(prefix);
        let raw = prefix.trim();
        if key.is_empty() && raw.is_empty() {
            return Vec::new();
        }
        let upper = raw.to_ascii_uppercase();
        let mut hits: Vec<(u32, usize)> = self
            .places
            .iter()
            .enumerate()
            .filter(|(i, p)| {
                (!key.is_empty() && self.keys[*i].starts_with(&key))
                    || (!p.code.is_empty() && p.code.starts_with(&upper))
                    || p.names_zh.iter().any(|n| n.starts_with(raw))
            })
            .map(|(i, p)| (p.population, i))
            .collect();
        hits.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then(
                    self.places[a.1]
                        .name
                        .len()
                        .cmp(&self.places[b.1].name.len()),
                )
                .then(a.1.cmp(&b.1))
        });
        let mut out: Vec<(String, &Place)> = Vec::new();
        for (_, i) in hits {
            let p = &self.places[i];
            let code = p.code.split('|').next().unwrap_or("");
            let text = if !code.is_empty() && p.kind != silkroute_model::PlaceKind::City {
                code.to_string()
            } else if p.country.is_empty() {
                p.name.clone()
            } else {
                format!("{}, {}", p.name, p.country)
            };
            // Only texts that resolve back to this place.
            let resolves = self.resolve(&text).is_ok_and(|r| r.pos == p.pos);
            if resolves && !out.iter().any(|(t, _)| *t == text) {
                out.push((text, p));
            }
            if out.len() >= k {
                break;
            }
        }
        out
    }

    fn resolved(&self, query: &str, p: &Place) -> ResolvedPlace {
        ResolvedPlace {
            query: query.to_string(),
            name: p.name.clone(),
            // Border crossings keep their second country after a `|`.
            code: p.code.split('|').next().unwrap_or("").to_string(),
            country: p.country.clone(),
            kind: Some(p.kind),
            pos: p.pos,
        }
    }

    /// Resolves a query (see the module docs for the accepted forms).
    pub fn resolve(&self, query: &str) -> Result<ResolvedPlace, PlaceError> {
        let q = query.trim();
        if let Some(r) = parse_coordinate(q)? {
            return Ok(r);
        }
        // "Name, CC": a country qualifier.
        let (name, country) = match q.rsplit_once(',') {
            Some((n, c))
                if c.trim().len() == 2 && c.trim().chars().all(|c| c.is_ascii_alphabetic()) =>
            {
                (n.trim(), Some(c.trim().to_ascii_uppercase()))
            }
            _ => (q, None),
        };
        let in_country = |p: &Place| country.as_ref().is_none_or(|c| &p.country == c);
        let upper = name.to_ascii_uppercase();
        // UN/LOCODE: two letters and three letters or digits.
        if upper.len() == 5
            && upper.chars().all(|c| c.is_ascii_alphanumeric())
            && upper[..2].chars().all(|c| c.is_ascii_alphabetic())
        {
            let hit = self.places.iter().find(|p| {
                matches!(p.kind, PlaceKind::Seaport | PlaceKind::Locode) && p.code == upper
            });
            if let Some(p) = hit {
                return Ok(self.resolved(query, p));
            }
        }
        // IATA code typed in capitals.
        if name.len() == 3
            && name.chars().all(|c| c.is_ascii_uppercase())
            && let Some(p) = self
                .places
                .iter()
                .find(|p| p.kind == PlaceKind::Airport && p.code == name)
        {
            return Ok(self.resolved(query, p));
        }
        let mut hits: Vec<&Place> = if is_cjk(name) {
            let bare = name.trim_end_matches('市');
            self.places
                .iter()
                .filter(|p| {
                    p.names_zh
                        .iter()
                        .any(|z| z == name || z.trim_end_matches('市') == bare)
                })
                .filter(|p| in_country(p))
                .collect()
        } else {
            let key = fold(name);
            if key.is_empty() {
                return Err(PlaceError::Unknown {
                    query: query.to_string(),
                    suggestions: Vec::new(),
                });
            }
            self.places
                .iter()
                .zip(&self.keys)
                .filter(|(p, k)| **k == key && in_country(p))
                .map(|(p, _)| p)
                .collect()
        };
        if hits.is_empty()
            && name.len() == 3
            && name.chars().all(|c| c.is_ascii_alphabetic())
            && let Some(p) = self
                .places
                .iter()
                .find(|p| p.kind == PlaceKind::Airport && p.code == upper)
        {
            return Ok(self.resolved(query, p));
        }
        if hits.is_empty() {
            return Err(PlaceError::Unknown {
                query: query.to_string(),
                suggestions: self.suggestions(name, country.as_deref()),
            });
        }
        self.choose(query, &mut hits)
    }

    /// Picks among same-name places: a city clearly bigger than the others,
    /// else the single place, else an ambiguity error.
    fn choose(&self, query: &str, hits: &mut Vec<&Place>) -> Result<ResolvedPlace, PlaceError> {
        hits.sort_by(|a, b| {
            b.population
                .cmp(&a.population)
                .then(a.kind.as_str().cmp(b.kind.as_str()))
        });
        let cities: Vec<&&Place> = hits.iter().filter(|p| p.kind == PlaceKind::City).collect();
        if let Some(top) = cities.first() {
            // A city ten times the size of any homonymous city is the one
            // meant; ports and codes of the same name elsewhere are small
            // places (a user wanting them types the code).
            let runner_up = cities.get(1).map_or(0, |p| p.population);
            if (runner_up as u64) * 10 <= top.population as u64 {
                return Ok(self.resolved(query, top));
            }
        }
        // The same name at (nearly) the same spot, e.g. a port and its LOCODE.
        let first = hits[0];
        if hits
            .iter()
            .all(|p| silkroute_model::haversine_m(p.pos, first.pos) <= 50_000.0)
        {
            return Ok(self.resolved(query, first));
        }
        let candidates = hits
            .iter()
            .take(8)
            .map(|p| {
                let code = if p.code.is_empty() {
                    String::new()
                } else {
                    format!(" {}", p.code)
                };
                format!(
                    "{} ({}{}, {}, {:.2},{:.2})",
                    p.name,
                    p.kind.as_str(),
                    code,
                    p.country,
                    p.pos.lat,
                    p.pos.lon
                )
            })
            .collect();
        let one_country = hits.iter().all(|p| p.country == first.country);
        let hint = if one_country {
            "give its coordinates as lat,lon, or its UN/LOCODE".to_string()
        } else {
            format!(
                "add a country code, e.g. \"{}, {}\", or give lat,lon",
                query.trim(),
                first.country
            )
        };
        Err(PlaceError::Ambiguous {
            query: query.to_string(),
            candidates,
            hint,
        })
    }

    /// The five names closest to `name` (Jaro–Winkler on folded names),
    /// preferring cities and larger places.
    fn suggestions(&self, name: &str, country: Option<&str>) -> Vec<String> {
        let key = fold(name);
        if key.is_empty() {
            return Vec::new();
        }
        let mut scored: Vec<(f64, &Place)> = self
            .places
            .iter()
            .zip(&self.keys)
            .filter(|(p, _)| country.is_none_or(|c| p.country == c))
            .map(|(p, k)| (strsim::jaro_winkler(&key, k), p))
            .filter(|(s, _)| *s > 0.75)
            .collect();
        scored.sort_by(|a, b| {
            b.0.total_cmp(&a.0)
                .then(b.1.population.cmp(&a.1.population))
        });
        let mut out: Vec<String> = Vec::new();
        for (_, p) in scored {
            let label = if p.code.is_empty() {
                format!("{}, {}", p.name, p.country)
            } else {
                format!("{} ({})", p.name, p.code)
            };
            if !out.contains(&label) {
                out.push(label);
            }
            if out.len() == 5 {
                break;
            }
        }
        out
    }

    /// The curated border crossing between `a` and `b` (either order) nearest
    /// to `p` within `radius_m`, for naming a route's border crossings.
    pub fn border_crossing(&self, p: LatLon, a: &str, b: &str, radius_m: f64) -> Option<&Place> {
        let crossings = self.crossings.get_or_init(|| {
            (0..self.places.len() as u32)
                .filter(|i| {
                    let c = &self.places[*i as usize];
                    c.kind == PlaceKind::BorderCrossing && c.code.contains('|')
                })
                .collect()
        });
        crossings
            .iter()
            .map(|i| &self.places[*i as usize])
            .filter(|c| {
                let other = c.code.rsplit('|').next().unwrap_or("");
                (c.country == a && other == b) || (c.country == b && other == a)
            })
            .map(|c| (c, silkroute_model::haversine_m(p, c.pos)))
            .filter(|(_, d)| *d <= radius_m)
            .min_by(|x, y| x.1.total_cmp(&y.1))
            .map(|(c, _)| c)
    }

    /// The nearest city of at least `min_population` to `p`, for naming
    /// unnamed junctions ("near Dostyk, KZ").
    pub fn nearest_city(&self, p: LatLon, min_population: u32) -> Option<(&Place, f64)> {
        let (order, xyz) = self.cities.get_or_init(|| {
            silkroute_graph::spatial::build_tree(
                self.places
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.kind == PlaceKind::City)
                    .map(|(i, c)| (c.pos, i as u32)),
            )
        });
        let tree = silkroute_graph::spatial::KdTree { order, xyz };
        let found = tree.nearest(p, 1, &mut |i| {
            self.places[i.index()].population >= min_population
        });
        let (_, i) = *found.first()?;
        let c = &self.places[i.index()];
        Some((c, silkroute_model::haversine_m(p, c.pos)))
    }
}

/// `lat,lon` → a point; `None` when the text is not meant as a coordinate.
fn parse_coordinate(q: &str) -> Result<Option<ResolvedPlace>, PlaceError> {
    let Some((a, b)) = q.split_once(',') else {
        return Ok(None);
    };
    let (a, b) = (a.trim(), b.trim());
    let numeric =
        |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit() || "+-.eE".contains(c));
    if !numeric(a) {
        return Ok(None); // a name, maybe with a country qualifier
    }
    let bad = |detail: String| PlaceError::BadCoordinate {
        query: q.to_string(),
        detail,
    };
    let lat: f64 = a
        .parse()
        .map_err(|_| bad(format!("latitude {a:?} is not a number")))?;
    let lon: f64 = b
        .parse()
        .map_err(|_| bad(format!("longitude {b:?} is not a number")))?;
    if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
        return Err(bad(format!("latitude {lat} is outside -90..90")));
    }
    if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
        return Err(bad(format!("longitude {lon} is outside -180..180")));
    }
    Ok(Some(ResolvedPlace {
        query: q.to_string(),
        name: format!("{lat},{lon}"),
        code: String::new(),
        country: String::new(),
        kind: None,
        pos: LatLon::new(lat, lon),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[allow(clippy::too_many_arguments)]
    fn place(
        kind: PlaceKind,
        code: &str,
        name: &str,
        zh: &[&str],
        country: &str,
        lat: f64,
        lon: f64,
        pop: u32,
    ) -> Place {
        Place {
            kind,
            code: code.into(),
            name: name.into(),
            names_zh: zh.iter().map(|s| s.to_string()).collect(),
            country: country.into(),
            pos: LatLon::new(lat, lon),
            population: pop,
        }
    }

    fn gazetteer() -> Gazetteer {
        Gazetteer::new(vec![
            place(
                PlaceKind::City,
                "",
                "Chongqing",
                &["重庆", "重庆市"],
                "CN",
                29.56,
                106.55,
                7_457_599,
            ),
            place(
                PlaceKind::City,
                "",
                "Xi'an",
                &["西安"],
                "CN",
                34.26,
                108.93,
                6_501_190,
            ),
            place(
                PlaceKind::City,
                "",
                "Hamburg",
                &[],
                "DE",
                53.55,
                10.0,
                1_739_117,
            ),
            place(
                PlaceKind::City,
                "",
                "Łódź",
                &[],
                "PL",
                51.77,
                19.47,
                768_755,
            ),
            place(
                PlaceKind::City,
                "",
                "Alexandria",
                &[],
                "EG",
                31.2,
                29.9,
                3_811_516,
            ),
            place(
                PlaceKind::City,
                "",
                "Alexandria",
                &[],
                "US",
                38.8,
                -77.0,
                1_000_000,
            ),
            place(
                PlaceKind::Seaport,
                "DEHAM",
                "Hamburg",
                &[],
                "DE",
                53.53,
                9.97,
                0,
            ),
            place(
                PlaceKind::Locode,
                "DEDUI",
                "Duisburg",
                &[],
                "DE",
                51.43,
                6.76,
                0,
            ),
            place(
                PlaceKind::Airport,
                "PVG",
                "Shanghai Pudong International Airport",
                &[],
                "CN",
                31.14,
                121.8,
                0,
            ),
        ])
    }

    #[test]
    fn resolves_every_form() {
        let g = gazetteer();
        assert_eq!(g.resolve("Chongqing").unwrap().country, "CN");
        assert_eq!(g.resolve("重庆").unwrap().name, "Chongqing");
        assert_eq!(g.resolve("重庆市").unwrap().name, "Chongqing");
        assert_eq!(g.resolve("xian").unwrap().name, "Xi'an");
        assert_eq!(g.resolve("Lodz").unwrap().name, "Łódź");
        assert_eq!(g.resolve("DEDUI").unwrap().name, "Duisburg");
        assert_eq!(g.resolve("dehAM").unwrap().code, "DEHAM");
        assert_eq!(g.resolve("PVG").unwrap().code, "PVG");
        assert_eq!(g.resolve("pvg").unwrap().code, "PVG");
        // A city and its port at the same spot: the city, clearly.
        assert_eq!(g.resolve("Hamburg").unwrap().kind, Some(PlaceKind::City));
        let c = g.resolve(" 29.5, 106.5 ").unwrap();
        assert_eq!((c.pos.lat, c.pos.lon), (29.5, 106.5));
        assert_eq!(g.resolve("Alexandria, US").unwrap().country, "US");
    }

    #[test]
    fn bad_input_gets_clear_errors() {
        let g = gazetteer();
        assert!(matches!(
            g.resolve("91,10"),
            Err(PlaceError::BadCoordinate { .. })
        ));
        assert!(matches!(
            g.resolve("10,181"),
            Err(PlaceError::BadCoordinate { .. })
        ));
        assert!(matches!(
            g.resolve("10,abc"),
            Err(PlaceError::BadCoordinate { .. })
        ));
        match g.resolve("Chongqin") {
            Err(PlaceError::Unknown { suggestions, .. }) => {
                assert_eq!(suggestions[0], "Chongqing, CN")
            }
            other => panic!("{other:?}"),
        }
        match g.resolve("Alexandria") {
            Err(e @ PlaceError::Ambiguous { .. }) => {
                let text = e.to_string();
                assert!(text.contains("EG") && text.contains("US"), "{text}");
            }
            other => panic!("{other:?}"),
        }
    }
}
