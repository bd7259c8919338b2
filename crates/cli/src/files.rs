//! The files users hand to commands: lists of places and of
//! origin–destination pairs (read through `silkroute_api::od`, which owns
//! their layout and checks) and scenario files. `-` is standard input.

use std::path::Path;

use silkroute_api::od::{self, OdPlace, OdSet, ValueColumn};
use silkroute_api::{Error, Service};

/// A user's file (a regular file: `silkroute_api::input` refuses
/// directories, FIFOs and devices by type), or standard input for `-`.
/// `what` names the file the option wants, for that refusal.
fn open(path: &Path, what: &str) -> Result<Box<dyn std::io::Read>, Error> {
    if path == Path::new("-") {
        return Ok(Box::new(std::io::stdin()));
    }
    let what = format!("{what}, or `-` for standard input");
    Ok(Box::new(silkroute_api::input::open(path, &what)?))
}

/// How a file is named in messages (`standard input` for `-`).
fn name(path: &Path) -> String {
    if path == Path::new("-") {
        "standard input".into()
    } else {
        path.display().to_string()
    }
}

/// A place list (`place`, or `lat` and `lon`; optional `id`).
pub fn places(path: &Path, service: &Service) -> Result<Vec<OdPlace>, Error> {
    od::read_places(
        open(path, "a CSV file of places")?,
        &path.display().to_string(),
        service.gazetteer(),
    )
}

/// A pair list (`from`, `to` and optionally a number column).
pub fn pairs(path: &Path, service: &Service, value: Option<ValueColumn>) -> Result<OdSet, Error> {
    od::read_pairs(
        open(path, "a CSV file of origin–destination pairs")?,
        &name(path),
        service.gazetteer(),
        value,
    )
}

/// A `from,to,weight` list applied to an OD set; returns how many pairs it
/// listed.
pub fn weights(path: &Path, set: &mut OdSet) -> Result<usize, Error> {
    set.apply_weights(
        open(path, "a CSV file of from,to,weight rows")?,
        &name(path),
    )
}

/// A user's scenario file.
pub fn scenarios(path: &Path) -> Result<Vec<silkroute_api::Scenario>, Error> {
    let bytes = silkroute_api::input::read(
        path,
        "a TOML file of scenarios in the schema of data/scenarios/scenarios.toml",
    )?;
    silkroute_api::scenario::from_toml(&bytes, &path.display().to_string())
}
