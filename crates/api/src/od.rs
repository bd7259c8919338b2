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
//! source's name and its line.
//!
//! A pair listed more than once is one pair: it is answered once, and its
//! lines' numbers (volumes, weights) are summed, so every total is what
//! answering each line would give; a list without numbers counts the
//! lines (a pair listed three times has value 3, which the default weights
//! of [`crate::trade::choose`] multiply). Two lines are the same pair when
//! their `from` texts and their `to` texts are the same up to case and
//! surrounding space, as a place's label is; the first line's spelling
//! names it. Texts that differ (`Shanghai`, `CNSHA`) stay different pairs
//! under their own names, even where they resolve to one point. The set's
//! [`OdSet::notes`] say how many lines were merged and where the first
//! repeat is, and every analysis shows them. A repeated id in a place list
//! is refused with both lines: its rows could not be told apart.

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
/// weight, yearly volume, summed over the lines that list the pair; when
/// the list has none, the number of those lines).
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
    /// What reading the lists did that the user should know (repeated
    /// pairs merged), as `note: …` lines; every analysis shows them.
    pub notes: Vec<String>,
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
            notes: Vec::new(),
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
    /// get 0, a pair listed twice the sum of its lines (with a note).
    /// Returns how many pairs it listed.
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
        let mut repeats = Repeats::new(source, "line", RepeatValue::Summed("weight"));
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
            weight[*i] += number(&rec[w], "weight (tonnes, USD, …)").map_err(|e| bad(line, e))?;
            if repeats.seen(*i, line, || self.pair_label(*i)) {
                listed += 1;
            }
        }
        for (p, w) in self.pairs.iter_mut().zip(weight) {
            p.value = w;
        }
        self.valued = true;
        self.notes.extend(repeats.note());
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

/// What a repeated pair's number does, for the note on repeats.
#[derive(Clone, Copy, Debug)]
enum RepeatValue<'a> {
    /// The list's column of this name is summed.
    Summed(&'a str),
    /// The list could have numbers but has none: each line counts once in
    /// the analysis's default weights.
    Counted,
    /// The question reads no numbers.
    Unvalued,
}

/// Which pairs a list has listed, where first, and its repeats.
struct Repeats<'a> {
    source: &'a str,
    /// How the list's entries are named: `line` (a file) or `row`.
    unit: &'static str,
    value: RepeatValue<'a>,
    first: HashMap<usize, u64>,
    /// Entries that repeat an earlier one, and the pairs they repeat.
    lines: usize,
    pairs: std::collections::HashSet<usize>,
    /// The first repeat: its pair, where the pair came first, and where again.
    example: Option<(String, u64, u64)>,
}

impl<'a> Repeats<'a> {
    fn new(source: &'a str, unit: &'static str, value: RepeatValue<'a>) -> Repeats<'a> {
        Repeats {
            source,
            unit,
            value,
            first: HashMap::new(),
            lines: 0,
            pairs: Default::default(),
            example: None,
        }
    }

    /// Records that entry `line` lists pair `pair` (named by `label`);
    /// true the first time the pair is listed.
    fn seen(&mut self, pair: usize, line: u64, label: impl FnOnce() -> String) -> bool {
        let Some(&first) = self.first.get(&pair) else {
            self.first.insert(pair, line);
            return true;
        };
        self.lines += 1;
        self.pairs.insert(pair);
        if self.example.is_none() {
            self.example = Some((label(), first, line));
        }
        false
    }

    /// The note on the repeats, if any.
    fn note(&self) -> Option<String> {
        let (label, a, b) = self.example.as_ref()?;
        let (n, k, unit) = (self.lines, self.pairs.len(), self.unit);
        let merged = if n == 1 {
            format!("1 repeated {unit} merged into the pair it repeats")
        } else if k == 1 {
            format!("{n} repeated {unit}s merged into the pair they repeat")
        } else {
            format!("{n} repeated {unit}s merged into the {k} pairs they repeat")
        };
        let how = match self.value {
            RepeatValue::Summed(name) => format!(", with its {name}s summed"),
            RepeatValue::Counted => ", counted once per listing in the default weights".into(),
            RepeatValue::Unvalued => String::new(),
        };
        Some(format!(
            "note: {}: {merged} (a pair is answered once{how}); the first is {label} at {unit}s {a} and {b}",
            self.source
        ))
    }
}

/// The pairs of a list being read, each once, with the resolved places
/// cached by text (a long list names few places many times).
struct PairsReader<'a> {
    set: OdSet,
    gazetteer: &'a Gazetteer,
    place_of: HashMap<String, usize>,
    pair_of: HashMap<(usize, usize), usize>,
    repeats: Repeats<'a>,
}

impl<'a> PairsReader<'a> {
    fn new(
        gazetteer: &'a Gazetteer,
        source: &'a str,
        unit: &'static str,
        value: RepeatValue<'a>,
    ) -> Self {
        PairsReader {
            set: OdSet::default(),
            gazetteer,
            place_of: HashMap::new(),
            pair_of: HashMap::new(),
            repeats: Repeats::new(source, unit, value),
        }
    }

    fn place(&mut self, text: &str) -> std::result::Result<usize, String> {
        let text = text.trim();
        if let Some(&i) = self.place_of.get(text) {
            return Ok(i);
        }
        let resolved = self.gazetteer.resolve(text).map_err(|e| e.to_string())?;
        let i = self.set.place(text, resolved).map_err(|e| e.message)?;
        self.place_of.insert(text.to_string(), i);
        Ok(i)
    }

    /// Adds entry `line`'s pair with `value`, or adds `value` to the pair
    /// an earlier entry listed.
    fn add(
        &mut self,
        from: &str,
        to: &str,
        value: f64,
        line: u64,
    ) -> std::result::Result<(), String> {
        let (from, to) = (self.place(from)?, self.place(to)?);
        let next = self.set.pairs.len();
        let p = *self.pair_of.entry((from, to)).or_insert(next);
        if p == next {
            self.set.pairs.push(OdPair {
                from,
                to,
                value: 0.0,
            });
        }
        self.set.pairs[p].value += value;
        let set = &self.set;
        self.repeats.seen(p, line, || set.pair_label(p));
        Ok(())
    }

    fn finish(self, source: &str) -> Result<OdSet> {
        let mut set = self.set;
        if set.pairs.is_empty() {
            return Err(Error::invalid_value(format!("{source}: no pairs")));
        }
        set.notes.extend(self.repeats.note());
        Ok(set)
    }
}

/// Reads a pair list. `value` names the optional number column. A pair
/// listed more than once is merged (see the module docs).
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
    let repeat = match (value, value_col) {
        (Some(v), Some(_)) => RepeatValue::Summed(v.name),
        (Some(_), None) => RepeatValue::Counted,
        (None, _) => RepeatValue::Unvalued,
    };
    let mut pairs = PairsReader::new(gazetteer, source, "line", repeat);
    pairs.set.valued = value_col.is_some();
    for rec in reader.records() {
        let rec = rec.map_err(|e| bad(e.position().map_or(0, |p| p.line()), e.to_string()))?;
        let line = rec.position().map_or(0, |p| p.line());
        let v = match (value_col, value) {
            (Some(c), Some(v)) => number(&rec[c], v.what).map_err(|e| bad(line, e))?,
            _ => 1.0,
        };
        pairs
            .add(&rec[f], &rec[t], v, line)
            .map_err(|e| bad(line, e))?;
    }
    pairs.finish(source)
}

/// One pair as a program gives it (a JSON body, a DataFrame row).
#[derive(Clone, Debug, PartialEq)]
pub struct PairRow {
    pub from: String,
    pub to: String,
    /// Trade weight or yearly volume; 1 when absent.
    pub value: Option<f64>,
}

/// Pairs given as values, with the same checks and merging as
/// [`read_pairs`] (each place resolved, values finite and ≥ 0, a repeated
/// pair answered once with its values summed); `source` names the list in
/// errors and notes, rows are numbered from 1.
pub fn from_rows(rows: &[PairRow], source: &str, gazetteer: &Gazetteer) -> Result<OdSet> {
    let valued = rows.iter().any(|r| r.value.is_some());
    let repeat = if valued {
        RepeatValue::Summed("value")
    } else {
        RepeatValue::Unvalued
    };
    let mut pairs = PairsReader::new(gazetteer, source, "row", repeat);
    pairs.set.valued = valued;
    for (i, r) in rows.iter().enumerate() {
        let row = i + 1;
        let bad = |what: String| Error::invalid_value(format!("{source}[{row}]: {what}"));
        let value = match r.value {
            None => 1.0,
            Some(v) if v.is_finite() && v >= 0.0 => v,
            Some(v) => return Err(bad(format!("value {v} is not a number ≥ 0"))),
        };
        pairs.add(&r.from, &r.to, value, row as u64).map_err(bad)?;
    }
    pairs.finish(source)
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

#[cfg(test)]
mod tests {
    use super::*;

    const SHANGHAI: &str = "\"31.23,121.47\"";
    const ROTTERDAM: &str = "\"51.92,4.48\"";
    const DUISBURG: &str = "\"51.43,6.76\"";

    fn read(text: &str, value: Option<ValueColumn>) -> Result<OdSet> {
        read_pairs(
            text.as_bytes(),
            "pairs.csv",
            &Gazetteer::new(Vec::new()),
            value,
        )
    }

    const VOLUME: ValueColumn = ValueColumn {
        name: "volume",
        required: false,
        what: "volume",
    };

    #[test]
    fn a_repeated_pair_is_one_pair_with_its_lines_summed() {
        let repeated = format!(
            "from,to,volume\n{SHANGHAI},{ROTTERDAM},10\n{SHANGHAI},{DUISBURG},1\n\
             {SHANGHAI},{ROTTERDAM},5\n{SHANGHAI},{ROTTERDAM},2.5\n{SHANGHAI},{DUISBURG},4\n"
        );
        let set = read(&repeated, Some(VOLUME)).unwrap();
        assert_eq!(set.places.len(), 3);
        let got: Vec<(usize, usize, f64)> =
            set.pairs.iter().map(|p| (p.from, p.to, p.value)).collect();
        assert_eq!(got, [(0, 1, 17.5), (0, 2, 5.0)]);
        assert_eq!(
            set.notes,
            [
                "note: pairs.csv: 3 repeated lines merged into the 2 pairs they repeat (a pair is \
              answered once, with its volumes summed); the first is 31.23,121.47 → 51.92,4.48 \
              at lines 2 and 4"
            ]
        );
        // The same totals as the summed list, which has no note.
        let summed =
            format!("from,to,volume\n{SHANGHAI},{ROTTERDAM},17.5\n{SHANGHAI},{DUISBURG},5\n");
        let once = read(&summed, Some(VOLUME)).unwrap();
        assert_eq!(once.pairs, set.pairs);
        assert!(once.notes.is_empty());
    }

    #[test]
    fn without_numbers_a_repeated_pair_counts_its_lines() {
        let text = format!(
            "from,to\n{SHANGHAI},{ROTTERDAM}\n{SHANGHAI},{ROTTERDAM}\n{ROTTERDAM},{SHANGHAI}\n"
        );
        let set = read(&text, Some(VOLUME)).unwrap();
        assert!(!set.valued);
        let values: Vec<f64> = set.pairs.iter().map(|p| p.value).collect();
        assert_eq!(values, [2.0, 1.0]);
        assert!(set.notes[0].contains("1 repeated line merged into the pair it repeats"));
        assert!(set.notes[0].contains("counted once per listing"));
        // A comparison reads no numbers: the note says only that it is merged.
        let set = read(&text, None).unwrap();
        assert_eq!(set.pairs.len(), 2);
        assert!(
            set.notes[0].contains("(a pair is answered once)"),
            "{:?}",
            set.notes
        );
    }

    #[test]
    fn rows_from_a_program_merge_alike() {
        let row = |f: &str, t: &str, v| PairRow {
            from: f.into(),
            to: t.into(),
            value: Some(v),
        };
        let (s, r) = ("31.23,121.47", "51.92,4.48");
        let set = from_rows(
            &[row(s, r, 1.0), row(r, s, 2.0), row(s, r, 3.0)],
            "pairs",
            &Gazetteer::new(Vec::new()),
        )
        .unwrap();
        let values: Vec<f64> = set.pairs.iter().map(|p| p.value).collect();
        assert_eq!(values, [4.0, 2.0]);
        assert!(
            set.notes[0].contains("pairs: 1 repeated row merged"),
            "{:?}",
            set.notes
        );
        assert!(set.notes[0].contains("at rows 1 and 3"), "{:?}", set.notes);
    }

    #[test]
    fn a_weights_list_that_repeats_a_pair_sums_it() {
        let mut set = read(
            &format!("from,to\n{SHANGHAI},{ROTTERDAM}\n{SHANGHAI},{DUISBURG}\n"),
            None,
        )
        .unwrap();
        let weights =
            format!("from,to,weight\n{SHANGHAI},{ROTTERDAM},3\n{SHANGHAI},{ROTTERDAM},4\n");
        let listed = set.apply_weights(weights.as_bytes(), "w.csv").unwrap();
        assert_eq!(listed, 1);
        let values: Vec<f64> = set.pairs.iter().map(|p| p.value).collect();
        assert_eq!(values, [7.0, 0.0]);
        assert!(
            set.notes[0].contains("w.csv: 1 repeated line merged"),
            "{:?}",
            set.notes
        );
    }

    #[test]
    fn a_repeated_id_in_a_place_list_is_refused() {
        let text = "id,lat,lon\na,31.23,121.47\nb,51.92,4.48\nA,51.43,6.76\n";
        let e =
            read_places(text.as_bytes(), "places.csv", &Gazetteer::new(Vec::new())).unwrap_err();
        assert!(
            e.message
                .contains("places.csv:4: id \"A\" is used twice (lines 2 and 4)"),
            "{e}"
        );
    }
}
