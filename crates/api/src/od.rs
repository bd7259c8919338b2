//! Lists of places and of origin–destination pairs, the input of matrices,
//! scenario comparisons, flows, criticality and the Belt and Road
//! before/after: one [`OdSet`] type for all of them, and one reader of the
//! CSV files users write.
//!
//! A place list's header names the columns: `place` (anything a route's
//! origin accepts), or `lat`/`latitude` and `lon`/`lng`/`longitude`; an
//! optional `id` (or `name`) labels the rows, otherwise the place text
//! does. A pair list has `from` (or `origin`, `source`) and `to` (or
//! `destination`, `target`) columns and, for some questions, a number
//! column (`volume`, `weight`). Headers are case-insensitive. Every row is
//! resolved before any routing starts; a bad row is reported with the
//! source's name and its line; a repeated pair or a repeated id is refused
//! with both lines.

use std::collections::HashMap;
use std::io::Read;

use silkroute_route::{Gazetteer, ResolvedPlace};

use crate::error::{Error, Result};

/// A labelled place of a list.
#[derive(Clone, Debug, PartialEq)]
pub struct OdPlace {
    /// The row's id, or the place text as written.
    pub label: String,
    pub place: ResolvedPlace,
}

/// One pair: indices into [`OdSet::places`], and the pair's number (trade
/// weight, yearly volume; 1 when the list has none).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OdPair {
    pub from: usize,
    pub to: usize,
    pub value: f64,
}

/// Places and the pairs between them. A place appears once however many
/// pairs it is part of, so it is resolved and snapped once.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OdSet {
    pub places: Vec<OdPlace>,
    pub pairs: Vec<OdPair>,
    /// Whether the pairs' values were given (a value column, a weights
    /// list, values from a program); analyses that weigh pairs use their
    /// default weights ([`crate::trade`]) otherwise.
    pub valued: bool,
}

/// The optional number column of a pair list.
#[derive(Clone, Copy, Debug)]
pub struct ValueColumn<'a> {
    /// Its header (`volume`, `weight`).
    pub name: &'a str,
    /// Whether the list must have it.
    pub required: bool,
    /// What it is, for errors ("volume", "weight (tonnes, USD, …)").
    pub what: &'a str,
}

fn key(s: &str) -> String {
    s.trim().to_lowercase()
}

impl OdSet {
    /// The place with this label, added if new. The same label naming two
    /// different places is an error.
    pub fn place(&mut self, label: &str, place: ResolvedPlace) -> Result<usize> {
        let k = key(label);
        if let Some(i) = self.places.iter().position(|p| key(&p.label) == k) {
            if self.places[i].place.pos != place.pos {
                return Err(Error::invalid_value(format!(
                    "{label:?} names two different places ({} and {})",
                    self.places[i].place.label(),
                    place.label()
                )));
            }
            return Ok(i);
        }
        self.places.push(OdPlace {
            label: label.trim().to_string(),
            place,
        });
        Ok(self.places.len() - 1)
    }

    /// Every origin × destination except a place paired with itself.
    pub fn all_pairs(origins: Vec<OdPlace>, destinations: Vec<OdPlace>) -> Result<OdSet> {
        let mut set = OdSet::default();
        let o: Vec<usize> = origins
            .into_iter()
            .map(|p| set.place(&p.label, p.place))
            .collect::<Result<_>>()?;
        let d: Vec<usize> = destinations
            .into_iter()
            .map(|p| set.place(&p.label, p.place))
            .collect::<Result<_>>()?;
        for &i in &o {
            for &j in &d {
                if i != j {
                    set.pairs.push(OdPair {
                        from: i,
                        to: j,
                        value: 1.0,
                    });
                }
            }
        }
        Ok(set)
    }

    /// Every ordered pair of places in different countries (the Belt and
    /// Road before/after compares international shipments only).
    pub fn international(places: Vec<OdPlace>) -> OdSet {
        let mut pairs = Vec::new();
        for (i, a) in places.iter().enumerate() {
            for (j, b) in places.iter().enumerate() {
                if i != j && a.place.country != b.place.country {
                    pairs.push(OdPair {
                        from: i,
                        to: j,
                        value: 1.0,
                    });
                }
            }
        }
        OdSet {
            places,
            pairs,
            valued: false,
        }
    }

    /// "A → B" for pair `p`.
    pub fn pair_label(&self, p: usize) -> String {
        let pair = self.pairs[p];
        format!(
            "{} → {}",
            self.places[pair.from].label, self.places[pair.to].label
        )
    }

    /// Sets the pairs' values from a `from,to,weight` list; unlisted pairs
    /// get 0. Returns how many pairs it listed.
    pub fn apply_weights(&mut self, input: impl Read, source: &str) -> Result<usize> {
        let bad = |line: u64, what: String| bad(source, line, what);
        let (mut reader, header) = open(input, source)?;
        let (Some(f), Some(t), Some(w)) = (
            column(&header, FROM),
            column(&header, TO),
            column(&header, &["weight"]),
        ) else {
            return Err(bad(
                1,
                format!("needs `from`, `to` and `weight` columns; found {header:?}"),
            ));
        };
        let mut index: HashMap<(String, String), usize> = HashMap::new();
        for (i, p) in self.pairs.iter().enumerate() {
            index.insert(
                (
                    key(&self.places[p.from].label),
                    key(&self.places[p.to].label),
                ),
                i,
            );
        }
        let mut weight = vec![0.0; self.pairs.len()];
        let mut listed = 0;
        for rec in reader.records() {
            let rec = rec.map_err(|e| bad(e.position().map_or(0, |p| p.line()), e.to_string()))?;
            let line = rec.position().map_or(0, |p| p.line());
            let Some(i) = index.get(&(key(&rec[f]), key(&rec[t]))) else {
                return Err(bad(
                    line,
                    format!(
                        "pair {} → {} is not in the origin–destination set",
                        &rec[f], &rec[t]
                    ),
                ));
            };
            weight[*i] = number(&rec[w], "weight (tonnes, USD, …)").map_err(|e| bad(line, e))?;
            listed += 1;
        }
        for (p, w) in self.pairs.iter_mut().zip(weight) {
            p.value = w;
        }
        self.valued = true;
        Ok(listed)
    }
}

const FROM: &[&str] = &["from", "origin", "source"];
const TO: &[&str] = &["to", "destination", "target"];
const LAT: &[&str] = &["lat", "latitude"];
const LON: &[&str] = &["lon", "lng", "longitude"];

fn column(header: &[String], names: &[&str]) -> Option<usize> {
    names
        .iter()
        .find_map(|n| header.iter().position(|h| h == n))
}

/// A line-numbered input error in `source`.
pub fn bad(source: &str, line: u64, what: String) -> Error {
    Error::invalid_value(format!("{source}:{line}: {what}"))
}

/// A CSV reader over a user's input, with its header in lower case.
fn open<R: Read>(input: R, source: &str) -> Result<(csv::Reader<R>, Vec<String>)> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(input);
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| bad(source, 1, e.to_string()))?
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    Ok((reader, header))
}

fn number(text: &str, what: &str) -> std::result::Result<f64, String> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|x| x.is_finite() && *x >= 0.0)
        .ok_or_else(|| format!("{what} {text:?} is not a number ≥ 0"))
}

/// Reads a pair list. `value` names the optional number column.
pub fn read_pairs(
    input: impl Read,
    source: &str,
    gazetteer: &Gazetteer,
    value: Option<ValueColumn>,
) -> Result<OdSet> {
    let bad = |line: u64, what: String| bad(source, line, what);
    let (mut reader, header) = open(input, source)?;
    let needs = || match value {
        Some(v) if v.required => format!(
            "needs `from`, `to` and `{}` columns; found {header:?}",
            v.name
        ),
        _ => format!("needs `from` and `to` columns; found {header:?}"),
    };
    let value_col = value.and_then(|v| column(&header, &[v.name]));
    let (Some(f), Some(t)) = (column(&header, FROM), column(&header, TO)) else {
        return Err(bad(1, needs()));
    };
    if value.is_some_and(|v| v.required) && value_col.is_none() {
        return Err(bad(1, needs()));
    }
    let mut set = OdSet {
        valued: value_col.is_some(),
        ..OdSet::default()
    };
    let mut seen: HashMap<(usize, usize), u64> = HashMap::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| bad(e.position().map_or(0, |p| p.line()), e.to_string()))?;
        let line = rec.position().map_or(0, |p| p.line());
        let resolve = |text: &str| {
            gazetteer
                .resolve(text)
                .map_err(|e| bad(line, e.to_string()))
        };
        let v = match (value_col, value) {
            (Some(c), Some(v)) => number(&rec[c], v.what).map_err(|e| bad(line, e))?,
            _ => 1.0,
        };
        let from = set
            .place(&rec[f], resolve(&rec[f])?)
            .map_err(|e| bad(line, e.message))?;
        let to = set
            .place(&rec[t], resolve(&rec[t])?)
            .map_err(|e| bad(line, e.message))?;
        if let Some(first) = seen.insert((from, to), line) {
            return Err(bad(
                line,
                format!(
                    "the pair {} → {} is listed twice (lines {first} and {line}); list each pair once",
                    &rec[f], &rec[t]
                ),
            ));
        }
        set.pairs.push(OdPair { from, to, value: v });
    }
    if set.pairs.is_empty() {
        return Err(Error::invalid_value(format!("{source}: no pairs")));
    }
    Ok(set)
}

/// One pair as a program gives it (a JSON body, a DataFrame row).
#[derive(Clone, Debug, PartialEq)]
pub struct PairRow {
    pub from: String,
    pub to: String,
    /// Trade weight or yearly volume; 1 when absent.
    pub value: Option<f64>,
}

/// Pairs given as values, with the same checks as [`read_pairs`] (each
/// place resolved, values finite and ≥ 0, no pair twice); `source` names
/// the list in errors, rows are numbered from 1.
pub fn from_rows(rows: &[PairRow], source: &str, gazetteer: &Gazetteer) -> Result<OdSet> {
    let mut set = OdSet::default();
    let mut seen: HashMap<(usize, usize), usize> = HashMap::new();
    for (i, r) in rows.iter().enumerate() {
        let row = i + 1;
        let bad = |what: String| Error::invalid_value(format!("{source}[{row}]: {what}"));
        set.valued |= r.value.is_some();
        let value = match r.value {
            None => 1.0,
            Some(v) if v.is_finite() && v >= 0.0 => v,
            Some(v) => return Err(bad(format!("value {v} is not a number ≥ 0"))),
        };
        let from = gazetteer.resolve(&r.from).map_err(|e| bad(e.to_string()))?;
        let to = gazetteer.resolve(&r.to).map_err(|e| bad(e.to_string()))?;
        let from = set.place(&r.from, from).map_err(|e| bad(e.message))?;
        let to = set.place(&r.to, to).map_err(|e| bad(e.message))?;
        if let Some(first) = seen.insert((from, to), row) {
            return Err(bad(format!(
                "the pair {} → {} is listed twice (rows {first} and {row})",
                r.from, r.to
            )));
        }
        set.pairs.push(OdPair { from, to, value });
    }
    if set.pairs.is_empty() {
        return Err(Error::invalid_value(format!("{source}: no pairs")));
    }
    Ok(set)
}

/// Places given as texts (anything a route's origin accepts), labelled by
/// the text; `source` names the list in errors.
pub fn places_from(texts: &[String], source: &str, gazetteer: &Gazetteer) -> Result<Vec<OdPlace>> {
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let place = gazetteer
                .resolve(t)
                .map_err(|e| Error::invalid_value(format!("{source}[{}]: {e}", i + 1)))?;
            Ok(OdPlace {
                label: t.trim().to_string(),
                place,
            })
        })
        .collect()
}

/// Reads a place list; a repeated id is refused with both lines.
pub fn read_places(input: impl Read, source: &str, gazetteer: &Gazetteer) -> Result<Vec<OdPlace>> {
    let bad = |line: u64, what: String| bad(source, line, what);
    let (mut reader, header) = open(input, source)?;
    let id_col = column(&header, &["id", "name"]);
    let place_col = column(&header, &["place"]);
    let (lat_col, lon_col) = (column(&header, LAT), column(&header, LON));
    if place_col.is_none() && (lat_col.is_none() || lon_col.is_none()) {
        return Err(bad(
            1,
            format!("needs a `place` column or `lat` and `lon` columns; found {header:?}"),
        ));
    }
    let mut rows = Vec::new();
    let mut seen: HashMap<String, u64> = HashMap::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| bad(e.position().map_or(0, |p| p.line()), e.to_string()))?;
        let line = rec.position().map_or(0, |p| p.line());
        let text = match (place_col, lat_col, lon_col) {
            (Some(c), _, _) => rec[c].to_string(),
            (None, Some(la), Some(lo)) => {
                if rec[la].is_empty() || rec[lo].is_empty() {
                    return Err(bad(line, "empty lat or lon".into()));
                }
                format!("{},{}", &rec[la], &rec[lo])
            }
            _ => unreachable!("checked above"),
        };
        let place = gazetteer
            .resolve(&text)
            .map_err(|e| bad(line, e.to_string()))?;
        let label = id_col
            .map(|c| rec[c].to_string())
            .unwrap_or_else(|| place.query.clone());
        if let Some(first) = seen.insert(key(&label), line)
            && id_col.is_some()
        {
            return Err(bad(
                line,
                format!(
                    "id {label:?} is used twice (lines {first} and {line}); ids must be unique"
                ),
            ));
        }
        rows.push(OdPlace { label, place });
    }
    if rows.is_empty() {
        return Err(Error::invalid_value(format!("{source}: no places")));
    }
    Ok(rows)
}
