//! The Belt and Road projects of the curated layer (`data/bri/projects.toml`):
//! which curated records (and generic UN/LOCODE ports) make up each one,
//! for the before/after comparison (`silkroute bri-impact`).

use serde::Deserialize;

use crate::Error;

#[derive(Deserialize)]
struct ProjectsFile {
    project: Vec<Project>,
}

/// One Belt and Road project.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Project {
    pub id: String,
    pub name: String,
    /// Curated records as `kind:id` (see `crate::curated`).
    pub records: Vec<String>,
    /// UN/LOCODEs of generic seaports that are the same port.
    #[serde(default)]
    pub locodes: Vec<String>,
    pub opened: String,
    pub bri_basis: String,
    pub bri_basis_verified: bool,
}

pub fn parse(bytes: &[u8]) -> Result<Vec<Project>, Error> {
    let file: ProjectsFile = crate::bri::parse("bri/projects.toml", bytes)?;
    Ok(file.project)
}
