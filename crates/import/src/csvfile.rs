//! Reading the project's CSV source files (optionally gzip-compressed) with
//! header-checked columns and line-numbered errors.

use std::io::Read;

use crate::Error;

pub struct Table<'a> {
    pub file: String,
    reader: csv::Reader<Box<dyn Read + 'a>>,
}

impl<'a> Table<'a> {
    /// Opens `bytes` (gzip if `name` ends in `.gz`) and checks that the header
    /// has exactly the `expected` columns.
    pub fn open(name: &str, bytes: &'a [u8], expected: &[&str]) -> Result<Table<'a>, Error> {
        let inner: Box<dyn Read + 'a> = if name.ends_with(".gz") {
            Box::new(flate2::read::GzDecoder::new(bytes))
        } else {
            Box::new(bytes)
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(inner);
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| parse(name, 1, e.to_string()))?
            .iter()
            .map(String::from)
            .collect();
        if header != expected {
            return Err(parse(
                name,
                1,
                format!("columns are {header:?}, expected {expected:?}"),
            ));
        }
        Ok(Table {
            file: name.to_string(),
            reader,
        })
    }

    /// Calls `f` with each record and its line number.
    pub fn for_each(
        mut self,
        mut f: impl FnMut(&csv::StringRecord, u64) -> Result<(), String>,
    ) -> Result<(), Error> {
        let mut rec = csv::StringRecord::new();
        loop {
            match self.reader.read_record(&mut rec) {
                Ok(false) => return Ok(()),
                Ok(true) => {
                    let line = rec.position().map_or(0, |p| p.line());
                    f(&rec, line).map_err(|d| parse(&self.file, line, d))?;
                }
                Err(e) => {
                    let line = e.position().map_or(0, |p| p.line());
                    return Err(parse(&self.file, line, e.to_string()));
                }
            }
        }
    }
}

fn parse(file: &str, line: u64, detail: String) -> Error {
    Error::Parse {
        file: file.to_string(),
        line,
        column: 0,
        detail,
    }
}

pub fn field(rec: &csv::StringRecord, i: usize) -> &str {
    rec.get(i).unwrap_or("")
}

pub fn num<T: std::str::FromStr>(
    rec: &csv::StringRecord,
    i: usize,
    what: &str,
) -> Result<T, String> {
    field(rec, i)
        .trim()
        .parse()
        .map_err(|_| format!("{what} {:?} is not a number", field(rec, i)))
}

pub fn coord(
    rec: &csv::StringRecord,
    lat_i: usize,
    lon_i: usize,
) -> Result<silkroute_model::LatLon, String> {
    let lat: f64 = num(rec, lat_i, "lat")?;
    let lon: f64 = num(rec, lon_i, "lon")?;
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err(format!("coordinate {lat},{lon} out of range"));
    }
    Ok(silkroute_model::LatLon::new(lat, lon))
}
