//! Reading lists of places (matrix origins and destinations) and of
//! origin–destination pairs (`scenario`, `flow`, `criticality`) from CSV.
//!
//! A place list's header names the columns: `place` (anything `--from`
//! accepts), or `lat` and `lon`; an optional `id` (or `name`) labels the
//! rows in the output, otherwise the place text is the label. A pair list
//! has `from` and `to` columns and, for some commands, a number column
//! (`volume`, `weight`). Every row is resolved before any routing starts,
//! and a bad row is reported with its line.

use std::path::Path;

use silkroute_route::ResolvedPlace;
use silkroute_route::places::Gazetteer;

use crate::Failure;

pub struct Row {
    pub id: String,
    pub place: ResolvedPlace,
}

/// A line-numbered input error in `path`.
pub fn bad(path: &Path, line: u64, what: String) -> Failure {
    Failure::input(format!("{}:{line}: {what}", path.display()))
}

/// Opens a CSV file of the user's, with its header in lower case.
pub fn open(path: &Path) -> Result<(csv::Reader<std::fs::File>, Vec<String>), Failure> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_path(path)
        .map_err(|e| Failure::input(format!("{}: {e}", path.display())))?;
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| bad(path, 1, e.to_string()))?
        .iter()
        .map(|h| h.to_ascii_lowercase())
        .collect();
    Ok((reader, header))
}

/// One row of a pair list.
pub struct PairRow {
    pub from_text: String,
    pub to_text: String,
    pub from: ResolvedPlace,
    pub to: ResolvedPlace,
    /// The number column's value, if the list has that column.
    pub value: Option<f64>,
}

/// Reads a pair list. `number` names the optional number column (each value
/// must be a finite number ≥ 0, described as `what` in errors) and whether
/// the file must have it.
pub fn read_pairs(
    path: &Path,
    gazetteer: &Gazetteer,
    number: Option<(&str, bool, &str)>,
) -> Result<Vec<PairRow>, Failure> {
    let bad = |line: u64, what: String| bad(path, line, what);
    let (mut reader, header) = open(path)?;
    let col = |name: &str| header.iter().position(|h| h == name);
    let value_col = number.and_then(|(name, _, _)| col(name));
    let (Some(f), Some(t)) = (col("from"), col("to")) else {
        return Err(bad(1, needs(number, &header)));
    };
    if let Some((_, true, _)) = number
        && value_col.is_none()
    {
        return Err(bad(1, needs(number, &header)));
    }
    let mut pairs = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| bad(e.position().map_or(0, |p| p.line()), e.to_string()))?;
        let line = rec.position().map_or(0, |p| p.line());
        let resolve = |text: &str| {
            gazetteer
                .resolve(text)
                .map_err(|e| bad(line, e.to_string()))
        };
        let value = match value_col {
            None => None,
            Some(c) => Some(
                rec[c]
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite() && *x >= 0.0)
                    .ok_or_else(|| {
                        let what = number.map_or("value", |(_, _, w)| w);
                        bad(line, format!("{what} {:?} is not a number ≥ 0", &rec[c]))
                    })?,
            ),
        };
        pairs.push(PairRow {
            from_text: rec[f].to_string(),
            to_text: rec[t].to_string(),
            from: resolve(&rec[f])?,
            to: resolve(&rec[t])?,
            value,
        });
    }
    if pairs.is_empty() {
        return Err(Failure::input(format!("{}: no pairs", path.display())));
    }
    Ok(pairs)
}

fn needs(number: Option<(&str, bool, &str)>, header: &[String]) -> String {
    match number {
        Some((name, true, _)) => {
            format!("needs `from`, `to` and `{name}` columns; found {header:?}")
        }
        _ => format!("needs `from` and `to` columns; found {header:?}"),
    }
}

pub fn read(path: &Path, gazetteer: &Gazetteer) -> Result<Vec<Row>, Failure> {
    let bad = |line: u64, what: String| bad(path, line, what);
    let (mut reader, header) = open(path)?;
    let col = |name: &str| header.iter().position(|h| h == name);
    let id_col = col("id").or_else(|| col("name"));
    let place_col = col("place");
    let (lat_col, lon_col) = (
        col("lat").or_else(|| col("latitude")),
        col("lon").or_else(|| col("longitude")),
    );
    if place_col.is_none() && (lat_col.is_none() || lon_col.is_none()) {
        return Err(bad(
            1,
            format!("needs a `place` column or `lat` and `lon` columns; found {header:?}"),
        ));
    }
    let mut rows = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| bad(e.position().map_or(0, |p| p.line()), e.to_string()))?;
        let line = rec.position().map_or(0, |p| p.line());
        let place = match place_col {
            Some(c) => gazetteer
                .resolve(&rec[c])
                .map_err(|e| bad(line, e.to_string()))?,
            None => {
                let text = format!("{},{}", &rec[lat_col.unwrap()], &rec[lon_col.unwrap()]);
                gazetteer
                    .resolve(&text)
                    .map_err(|e| bad(line, e.to_string()))?
            }
        };
        let id = id_col
            .map(|c| rec[c].to_string())
            .unwrap_or_else(|| place.query.clone());
        rows.push(Row { id, place });
    }
    if rows.is_empty() {
        return Err(Failure::input(format!("{}: no places", path.display())));
    }
    Ok(rows)
}
