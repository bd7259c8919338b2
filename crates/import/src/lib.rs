//! Reading silkroute's sources into a [`RawNetwork`].
//!
//! The sources are the project's own compact files under `data/` (see
//! `data/README.md`): OpenStreetMap rail and road networks from scgraph_data,
//! the marnet sea network and UN/LOCODE ports from searoute, airports,
//! GeoNames cities, UN/LOCODE locations, and curated layers. They are either
//! embedded in the binary ([`Sources::embedded`]) or read from a directory
//! ([`Sources::from_dir`]).
//!
//! Architecture invariant: this is the only crate that knows source layouts
//! (CSV columns, gzip). It joins the modes by the transfer rules documented
//! in [`rules`] and reports oddities as warnings instead of failing on the
//! first one.

mod bri;
mod csvfile;
pub mod curated;
pub mod osm_pbf;
pub mod placement;
mod port_classes;
mod projects;
pub mod rules;
mod sources;
pub mod user;
pub mod user_geojson;
mod world;

pub use bri::{
    Capacity, Corridor, CorridorMatch, CorridorQuery, Crossing, CrossingSide, Ferry, FerryEnd,
    Scenario, Slowdown, corridors_used,
};
pub use curated::{CuratedKind, CuratedRecord};
pub use port_classes::{PortClass, PortClassRecord, port_classes};
pub use projects::Project;

/// The Belt and Road projects of the curated layer (`data/bri/projects.toml`).
pub fn bri_projects(src: &Sources) -> Result<Vec<Project>, Error> {
    projects::parse(src.get("bri/projects.toml")?)
}
pub use sources::{CATALOGUE_FILES, SOURCE_FILES, Sources};
pub use user::{OsmSource, Placement, UserData, UserSourceReport};
pub use world::{Imported, import_world, import_world_with};

/// The named disruption scenarios of the sources.
pub fn scenarios(src: &Sources) -> Result<Vec<Scenario>, Error> {
    bri::scenarios(src.get("scenarios/scenarios.toml")?)
}

/// Scenarios from a user's file in the same schema, checked the same way;
/// `file` names it in errors, with the line and column of the fault.
pub fn scenarios_from(bytes: &[u8], file: &str) -> Result<Vec<Scenario>, Error> {
    bri::scenarios_named(file, bytes)
}

/// The Belt and Road corridors of the sources, with their canonical services.
pub fn corridors(src: &Sources) -> Result<Vec<Corridor>, Error> {
    bri::corridors(src.get("bri/corridors.toml")?)
}

/// The curated border crossings (every status).
pub fn border_crossings(src: &Sources) -> Result<Vec<Crossing>, Error> {
    let file = "bri/border_crossings.toml";
    let f: bri::CrossingsFile = bri::parse(file, src.get(file)?)?;
    Ok(f.crossing)
}

/// The curated ferries (every status).
pub fn ferries(src: &Sources) -> Result<Vec<Ferry>, Error> {
    let file = "bri/ferries.toml";
    let f: bri::FerriesFile = bri::parse(file, src.get(file)?)?;
    Ok(f.ferry)
}

/// The capacities of crossings, ferries and corridors, for flow assignment.
pub fn capacities(src: &Sources) -> Result<Vec<Capacity>, Error> {
    bri::capacities(
        src.get("bri/capacities.toml")?,
        &border_crossings(src)?,
        &ferries(src)?,
        &corridors(src)?,
    )
}

use std::path::PathBuf;

/// " line L, column C" (or less) for a message, empty where unknown.
fn at(line: u64, column: u64) -> String {
    match (line, column) {
        (0, _) => String::new(),
        (l, 0) => format!(" line {l}"),
        (l, c) => format!(" line {l}, column {c}"),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("missing source file {0}")]
    Missing(String),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A fault in a source or user file; `line` and `column` are 1-based,
    /// 0 where unknown (and then left out of the message).
    #[error("{file}{}: {detail}", at(*.line, *.column))]
    Parse {
        file: String,
        line: u64,
        column: u64,
        detail: String,
    },
    #[error("cancelled")]
    Cancelled,
    /// An OSM PBF file that cannot be decoded.
    #[error("{path}: not a readable OSM PBF file: {detail}")]
    Pbf { path: PathBuf, detail: String },
}
