//! Turning what a user typed into a point: `lat,lon`, a UN/LOCODE (`DEDUI`),
//! an IATA code (`PVG`), or a place name in English or Chinese (`Xi'an`,
//! `重庆`), optionally qualified by country (`Hamburg, DE`).
//!
//! Names are compared after folding case, accents and punctuation, so
//! `Lodz`, `Łódź` and `xian` match, and with `Saint`/`Sankt` read as `St`,
//! so `St Petersburg`, `St. Petersburg` and `Saint Petersburg` match each
//! other. Besides its own name (and its Chinese names), a city answers to
//! the other names in the curated alias table
//! (`data/curated/place_aliases.csv`: English variants and former names,
//! Russian and other forms from GeoNames' alternate names, e.g. `Peking`,
//! `Москва`, `Saigon`), embedded here.
//!
//! Codes are matched as they are written, in capitals: `ABC` is Albacete's
//! airport, but `abc` is a name (three lowercase letters are more often a
//! typo or an abbreviation than a code), and when no place has that name
//! the refusal suggests the code (`ABC (Albacete-Los Llanos Airport)`).
//!
//! When several places share a name, the most populous city is taken if it
//! is at least ten times the next city of that name elsewhere, with a note
//! ([`ResolvedPlace::note`]) naming the others and how to ask for them;
//! when populations are closer the answer is an error listing the
//! candidates. A city and its port or LOCODE at the same spot are one place.
//! A name is only ever matched whole: a few letters of one (`Chongq`) or a
//! near miss (`Chongqin`) are refused with the closest names as
//! suggestions.

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
    /// Set when the name was ambiguous and the most populous place was
    /// taken: which one, the others, and how to write them. Shells show it
    /// (the CLI on stderr, the API in the answer's `notes`).
    pub note: Option<String>,
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
    /// Alias key (folded, or the text itself for Chinese) → the places it
    /// names, built on first use from [`ALIASES_CSV`]; rows whose place
    /// this gazetteer does not have are skipped.
    aliases: std::sync::OnceLock<std::collections::HashMap<String, Vec<u32>>>,
    /// Folded name → the places of that name in `places` order, and code
    /// (seaport or LOCODE; airport) → the first place with it, built on
    /// first use: every route names two places, and scanning ~50 k names
    /// per name was a quarter of a warm route's time.
    index: std::sync::OnceLock<NameIndex>,
}

#[derive(Default)]
struct NameIndex {
    names: std::collections::HashMap<String, Vec<u32>>,
    locodes: std::collections::HashMap<String, u32>,
    iata: std::collections::HashMap<String, u32>,
}

/// Case-, accent- and punctuation-insensitive key: `Xi'an` → `xian`, with
/// the words `saint` and `sankt` read as `st` (and `sainte` as `ste`), so
/// `Saint Petersburg` → `stpetersburg`, as `St. Petersburg`.
pub fn fold(s: &str) -> String {
    let ascii = deunicode::deunicode(s).to_ascii_lowercase();
    let mut out = String::with_capacity(ascii.len());
    for word in ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        out.push_str(match word {
            "saint" | "sankt" => "st",
            "sainte" => "ste",
            w => w,
        });
    }
    out
}

/// The curated alias table, `alias,place,language,source`: another name
/// of a place, the place as this gazetteer resolves it (`Ulan Bator, MN`),
/// the alias's language (ISO 639-1) and the GeoNames record that lists it
/// among the place's alternate names.
pub const ALIASES_CSV: &str = include_str!("../../../data/curated/place_aliases.csv");

/// One row of [`ALIASES_CSV`].
#[derive(Clone, Debug, PartialEq)]
pub struct Alias {
    pub alias: String,
    pub place: String,
    pub language: String,
    pub source: String,
}

/// The rows of [`ALIASES_CSV`].
pub fn aliases() -> Vec<Alias> {
    let mut reader = csv::Reader::from_reader(ALIASES_CSV.as_bytes());
    reader
        .records()
        .map(|r| {
            let r = r.expect("place_aliases.csv is well-formed (a unit test reads it)");
            Alias {
                alias: r[0].trim().to_string(),
                place: r[1].trim().to_string(),
                language: r[2].trim().to_string(),
                source: r[3].trim().to_string(),
            }
        })
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
            aliases: std::sync::OnceLock::new(),
            index: std::sync::OnceLock::new(),
        }
    }

    /// The name and code index (see the field).
    fn name_index(&self) -> &NameIndex {
        self.index.get_or_init(|| {
            let mut ix = NameIndex::default();
            for (i, (p, k)) in self.places.iter().zip(&self.keys).enumerate() {
                let i = i as u32;
                ix.names.entry(k.clone()).or_default().push(i);
                let codes = match p.kind {
                    PlaceKind::Seaport | PlaceKind::Locode => &mut ix.locodes,
                    PlaceKind::Airport => &mut ix.iata,
                    _ => continue,
                };
                codes.entry(p.code.clone()).or_insert(i);
            }
            ix
        })
    }

    /// The alias index (see the field).
    fn alias_index(&self) -> &std::collections::HashMap<String, Vec<u32>> {
        self.aliases.get_or_init(|| {
            let mut index: std::collections::HashMap<String, Vec<u32>> = Default::default();
            for a in aliases() {
                let Some((name, country)) = a.place.rsplit_once(',') else {
                    continue;
                };
                let (key, country) = (fold(name), country.trim());
                // The most populous city of that name in that country.
                let target = (0..self.places.len())
                    .filter(|&i| {
                        let p = &self.places[i];
                        p.kind == PlaceKind::City && p.country == country && self.keys[i] == key
                    })
                    .max_by_key(|&i| self.places[i].population);
                if let Some(i) = target {
                    let k = alias_key(&a.alias);
                    let v = index.entry(k).or_default();
                    if !v.contains(&(i as u32)) {
                        v.push(i as u32);
                    }
                }
            }
            index
        })
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
            note: None,
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
        // Codes, as written: in capitals (see the module docs).
        let capitals = name.chars().all(|c| !c.is_ascii_lowercase());
        let upper = name.to_ascii_uppercase();
        let code_hit = self.code(&upper);
        if capitals && let Some(p) = code_hit {
            return Ok(self.resolved(query, p));
        }
        let alias_hits = self
            .alias_index()
            .get(&alias_key(name))
            .map(|v| {
                v.iter()
                    .map(|&i| &self.places[i as usize])
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        let mut hits: Vec<&Place> = if is_cjk(name) {
            let bare = name.trim_end_matches('市');
            self.places
                .iter()
                .filter(|p| {
                    p.names_zh
                        .iter()
                        .any(|z| z == name || z.trim_end_matches('市') == bare)
                })
                .collect()
        } else {
            let key = fold(name);
            if key.is_empty() {
                return Err(PlaceError::Unknown {
                    query: query.to_string(),
                    suggestions: Vec::new(),
                });
            }
            self.name_index()
                .names
                .get(&key)
                .map_or_else(Vec::new, |v| {
                    v.iter().map(|&i| &self.places[i as usize]).collect()
                })
        };
        for p in alias_hits {
            if !hits.iter().any(|h| std::ptr::eq(*h, p)) {
                hits.push(p);
            }
        }
        hits.retain(|p| in_country(p));
        if hits.is_empty() {
            let mut suggestions = self.suggestions(name, country.as_deref());
            // A code typed in lowercase: say which place has it.
            if let Some(p) = code_hit {
                suggestions.insert(
                    0,
                    format!("{upper} ({}; codes are written in capitals)", p.name),
                );
                suggestions.truncate(5);
            }
            return Err(PlaceError::Unknown {
                query: query.to_string(),
                suggestions,
            });
        }
        self.choose(query, &mut hits)
    }

    /// The place with this code: a UN/LOCODE (two letters, then three
    /// letters or digits) of a seaport or LOCODE entry, or an airport's
    /// IATA code.
    fn code(&self, upper: &str) -> Option<&Place> {
        let locode = upper.len() == 5
            && upper.chars().all(|c| c.is_ascii_alphanumeric())
            && upper[..2].chars().all(|c| c.is_ascii_alphabetic());
        let iata = upper.len() == 3 && upper.chars().all(|c| c.is_ascii_uppercase());
        let ix = self.name_index();
        let found = if locode {
            ix.locodes.get(upper)
        } else if iata {
            ix.iata.get(upper)
        } else {
            None
        };
        found.map(|&i| &self.places[i as usize])
    }

    /// Picks among same-name places. Places within 50 km of a bigger one
    /// of the name are that place (a city and its port or LOCODE). The
    /// single place left is the answer; else a city at least ten times any
    /// other city of the name is, with a note naming the others; else the
    /// answer is an ambiguity error listing the candidates.
    fn choose(&self, query: &str, hits: &mut Vec<&Place>) -> Result<ResolvedPlace, PlaceError> {
        hits.sort_by(|a, b| {
            b.population
                .cmp(&a.population)
                .then((a.kind != PlaceKind::City).cmp(&(b.kind != PlaceKind::City)))
                .then(a.kind.as_str().cmp(b.kind.as_str()))
        });
        let same = |a: &Place, b: &Place| silkroute_model::haversine_m(a.pos, b.pos) <= 50_000.0;
        // Cities first: a city is what a name usually means.
        let top = hits
            .iter()
            .copied()
            .find(|p| p.kind == PlaceKind::City)
            .unwrap_or(hits[0]);
        let others: Vec<&Place> = hits.iter().copied().filter(|p| !same(p, top)).collect();
        if others.is_empty() {
            return Ok(self.resolved(query, top));
        }
        if top.kind == PlaceKind::City {
            // Other places of the name: one per spot, cities first.
            let mut distinct: Vec<&Place> = Vec::new();
            for p in others.iter().copied() {
                if !distinct.iter().any(|d| same(d, p)) {
                    distinct.push(p);
                }
            }
            let other_cities: Vec<&Place> = distinct
                .iter()
                .copied()
                .filter(|p| p.kind == PlaceKind::City)
                .collect();
            let runner_up = other_cities.first().map_or(0, |p| p.population);
            if (runner_up as u64) * 10 <= top.population as u64 {
                // Ports and codes of the name elsewhere are small places a
                // user reaches by their code: only other cities are named.
                let mut r = self.resolved(query, top);
                if !other_cities.is_empty() {
                    r.note = Some(ambiguity_note(query.trim(), top, &other_cities));
                }
                return Ok(r);
            }
        }
        let first = hits[0];
        let candidates = hits
            .iter()
            .take(8)
            .map(|p| {
                let code = if p.code.is_empty() {
                    String::new()
                } else {
                    format!(" {}", p.code)
                };
                let pop = if p.population > 0 {
                    format!(", pop {}", population(p.population))
                } else {
                    String::new()
                };
                format!(
                    "{} ({}{}, {}, {:.2},{:.2}{pop})",
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
        note: None,
    }))
}

/// The key an alias is looked up by: the text itself when it is Chinese
/// (as for Chinese names), else its fold.
fn alias_key(s: &str) -> String {
    let s = s.trim();
    if is_cjk(s) {
        s.trim_end_matches('市').to_string()
    } else {
        fold(s)
    }
}

/// `5.4 M`, `257 k`, `830`.
fn population(n: u32) -> String {
    if n >= 1_000_000 {
        format!("{:.1} M", n as f64 / 1e6)
    } else if n >= 1_000 {
        format!("{} k", n / 1_000)
    } else {
        n.to_string()
    }
}

/// `St Petersburg: took Saint Petersburg, RU (pop 5.4 M), the most
/// populous; also St. Petersburg, US (pop 257 k) — write "St Petersburg,
/// US" for it`. `others` are cities, largest first.
fn ambiguity_note(query: &str, top: &Place, others: &[&Place]) -> String {
    let label = |p: &Place| {
        let name = if p.country.is_empty() {
            p.name.clone()
        } else {
            format!("{}, {}", p.name, p.country)
        };
        format!("{name} (pop {})", population(p.population))
    };
    let shown: Vec<String> = others.iter().take(3).map(|p| label(p)).collect();
    let more = match others.len().saturating_sub(3) {
        0 => String::new(),
        n => format!(" and {n} more"),
    };
    // How to ask for the (first) other one.
    let other = others[0];
    let bare = query.rsplit_once(',').map_or(query, |(n, _)| n.trim());
    let it = if others.len() == 1 { "it" } else { "the first" };
    let how = if other.country != top.country {
        format!("write \"{bare}, {}\" for {it}", other.country)
    } else {
        format!("write {:.2},{:.2} for {it}", other.pos.lat, other.pos.lon)
    };
    format!(
        "{query}: took {}, the most populous; also {}{more} — {how}",
        label(top),
        shown.join(", "),
    )
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
                PlaceKind::City,
                "",
                "Saint Petersburg",
                &["圣彼得堡"],
                "RU",
                59.94,
                30.31,
                5_351_935,
            ),
            place(
                PlaceKind::City,
                "",
                "St. Petersburg",
                &[],
                "US",
                27.77,
                -82.68,
                257_083,
            ),
            place(
                PlaceKind::City,
                "",
                "Guangzhou",
                &["广州"],
                "CN",
                23.12,
                113.25,
                16_096_724,
            ),
            place(
                PlaceKind::City,
                "",
                "Canton",
                &[],
                "US",
                42.31,
                -83.48,
                86_825,
            ),
            place(
                PlaceKind::City,
                "",
                "Canton",
                &[],
                "US",
                40.80,
                -81.38,
                71_885,
            ),
            place(
                PlaceKind::City,
                "",
                "Ulan Bator",
                &["乌兰巴托"],
                "MN",
                47.91,
                106.88,
                844_818,
            ),
            place(
                PlaceKind::City,
                "",
                "Moscow",
                &["莫斯科"],
                "RU",
                55.75,
                37.62,
                10_381_222,
            ),
            place(
                PlaceKind::Airport,
                "ABC",
                "Albacete-Los Llanos Airport",
                &[],
                "ES",
                38.95,
                -1.86,
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
        assert_eq!(g.resolve("DEHAM").unwrap().code, "DEHAM");
        assert_eq!(g.resolve("PVG").unwrap().code, "PVG");
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

    #[test]
    fn saint_and_st_are_one_word() {
        assert_eq!(fold("Saint Petersburg"), "stpetersburg");
        assert_eq!(fold("St. Petersburg"), "stpetersburg");
        assert_eq!(fold("Sankt-Peterburg"), "stpeterburg");
        assert_eq!(fold("Sainte-Foy"), "stefoy");
        // Only whole words: Saintes is a town, not "St es".
        assert_eq!(fold("Saintes"), "saintes");
        let g = gazetteer();
        for q in [
            "Saint Petersburg, RU",
            "St Petersburg, RU",
            "St. Petersburg, RU",
        ] {
            assert_eq!(g.resolve(q).unwrap().country, "RU", "{q}");
        }
        assert_eq!(
            g.resolve("Saint Petersburg, US").unwrap().name,
            "St. Petersburg"
        );
    }

    #[test]
    fn a_shared_name_takes_the_most_populous_and_says_so() {
        let g = gazetteer();
        for q in ["St Petersburg", "St. Petersburg", "Saint Petersburg"] {
            let r = g.resolve(q).unwrap();
            assert_eq!(
                (r.name.as_str(), r.country.as_str()),
                ("Saint Petersburg", "RU"),
                "{q}"
            );
            let note = r.note.expect("a note names the other St Petersburg");
            assert!(
                note.starts_with(&format!("{q}: took Saint Petersburg, RU (pop 5.4 M)")),
                "{note}"
            );
            assert!(
                note.contains("also St. Petersburg, US (pop 257 k)"),
                "{note}"
            );
            assert!(
                note.contains(&format!("write \"{q}, US\" for it")),
                "{note}"
            );
        }
        // Qualified, a name is no longer shared: no note.
        assert_eq!(g.resolve("St Petersburg, RU").unwrap().note, None);
        assert_eq!(g.resolve("St Petersburg, US").unwrap().note, None);
        // A city and its port at one spot are one place: no note.
        assert_eq!(g.resolve("Hamburg").unwrap().note, None);
        // Close populations are still refused with the candidates.
        assert!(matches!(
            g.resolve("Canton, US"),
            Err(PlaceError::Ambiguous { .. })
        ));
    }

    #[test]
    fn aliases_name_their_places() {
        let g = gazetteer();
        let at = |q: &str| {
            let r = g.resolve(q).unwrap();
            format!("{}, {}", r.name, r.country)
        };
        assert_eq!(at("Ulaanbaatar"), "Ulan Bator, MN");
        assert_eq!(at("ulaanbaatar"), "Ulan Bator, MN");
        assert_eq!(at("Москва"), "Moscow, RU");
        assert_eq!(at("Moskva"), "Moscow, RU");
        assert_eq!(at("Санкт-Петербург"), "Saint Petersburg, RU");
        assert_eq!(at("Leningrad"), "Saint Petersburg, RU");
        // An alias and a city's own name: the bigger, with a note.
        let canton = g.resolve("Canton").unwrap();
        assert_eq!(canton.name, "Guangzhou");
        let note = canton.note.unwrap();
        assert!(
            note.contains("also Canton, US (pop 86 k), Canton, US (pop 71 k)"),
            "{note}"
        );
        assert!(
            note.contains("write \"Canton, US\" for the first"),
            "{note}"
        );
        // An alias respects a country qualifier.
        assert!(g.resolve("Moskva, US").is_err());
        // Rows whose place the gazetteer lacks are skipped, not errors.
        assert!(g.resolve("Tiflis").is_err());
    }

    #[test]
    fn the_alias_table_is_sourced_and_resolvable() {
        let rows = aliases();
        assert!(rows.len() >= 50, "{}", rows.len());
        for a in &rows {
            assert!(!a.alias.is_empty(), "{a:?}");
            let (name, cc) = a.place.rsplit_once(", ").expect("place is \"Name, CC\"");
            assert!(!name.is_empty() && cc.len() == 2, "{a:?}");
            assert!(
                a.source.starts_with("https://www.geonames.org/")
                    && a.source["https://www.geonames.org/".len()..]
                        .chars()
                        .all(|c| c.is_ascii_digit()),
                "{a:?}"
            );
            assert!(a.language.len() == 2, "{a:?}");
        }
        for must in [
            "Ulaanbaatar",
            "Basra",
            "Saigon",
            "Peking",
            "Москва",
            "Санкт-Петербург",
            "Алматы",
            "Ташкент",
            "Bombay",
            "Canton",
            "Rangoon",
            "Constantinople",
            "Tiflis",
        ] {
            assert!(
                rows.iter().any(|a| a.alias == must),
                "{must} is in the table"
            );
        }
    }

    #[test]
    fn codes_are_matched_in_capitals_only() {
        let g = gazetteer();
        assert_eq!(g.resolve("ABC").unwrap().code, "ABC");
        assert_eq!(g.resolve("DEDUI").unwrap().code, "DEDUI");
        for q in ["abc", "Abc", "pvg", "dedui", "dehAM"] {
            match g.resolve(q) {
                Err(PlaceError::Unknown { suggestions, .. }) => {
                    assert!(
                        suggestions[0].starts_with(&q.to_ascii_uppercase())
                            && suggestions[0].contains("codes are written in capitals"),
                        "{q}: {suggestions:?}"
                    );
                }
                other => panic!("{q}: {other:?}"),
            }
        }
        // A lowercase name that is also a code is the name.
        assert_eq!(g.resolve("hamburg").unwrap().kind, Some(PlaceKind::City));
    }

    #[test]
    fn part_of_a_name_is_refused_with_suggestions() {
        let g = gazetteer();
        for q in ["Chongq", "Chong", "Ham", "Duis", "Ulaan"] {
            match g.resolve(q) {
                Err(PlaceError::Unknown { .. }) => {}
                other => panic!("{q}: {other:?}"),
            }
        }
        match g.resolve("Chongq") {
            Err(PlaceError::Unknown { suggestions, .. }) => {
                assert_eq!(suggestions[0], "Chongqing, CN")
            }
            other => panic!("{other:?}"),
        }
    }
}
