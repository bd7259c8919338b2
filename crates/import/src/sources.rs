//! Where the source files come from: embedded in the binary at compile time
//! (the default network needs nothing on disk) or a directory laid out like
//! the repository's `data/`.

use std::path::Path;

use crate::Error;

/// Declares the source files once: `SOURCE_FILES` (their names, relative to
/// `data/`) and `EMBEDDED` (their bytes, compiled in) come from one list.
macro_rules! sources {
    ($($f:literal),* $(,)?) => {
        /// Every source file the world import reads, relative to `data/`.
        pub const SOURCE_FILES: &[&str] = &[$($f),*];
        static EMBEDDED: &[(&str, &[u8])] =
            &[$(($f, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/", $f)) as &[u8])),*];
    };
}

sources!(
    "open/rail_nodes.csv.gz",
    "open/rail_edges.csv.gz",
    "open/road_nodes.csv.gz",
    "open/road_edges.csv.gz",
    "open/sea_nodes.csv.gz",
    "open/sea_edges.csv.gz",
    "open/ports.csv",
    "open/airports.csv.gz",
    "open/places.csv.gz",
    "open/locodes.csv.gz",
    "curated/air_cargo_hubs.csv",
    "curated/airport_corrections.csv",
    "curated/port_corrections.csv",
    "curated/port_classes.csv",
    "curated/rail_gauge_by_country.csv",
    "curated/customs_unions.csv",
    "bri/terminals.toml",
    "bri/missing_links.toml",
    "bri/ferries.toml",
    "bri/corridors.toml",
    "bri/border_crossings.toml",
    "bri/capacities.toml",
    "bri/projects.toml",
    "scenarios/scenarios.toml",
);

/// The curated catalogue: the files whose records a built network carries
/// for the questions asked of it (crossings, ferries, corridors,
/// capacities, projects, terminals, the named scenarios and the port classes), so a network
/// built from other data answers with its own lists.
pub const CATALOGUE_FILES: &[&str] = &[
    "bri/terminals.toml",
    "bri/ferries.toml",
    "bri/corridors.toml",
    "bri/border_crossings.toml",
    "bri/capacities.toml",
    "bri/projects.toml",
    "scenarios/scenarios.toml",
    "curated/port_classes.csv",
];

/// The code that turns sources into a network. Hashed into the fingerprint,
/// so a network compiled by different import or compile rules is stale even
/// if nobody remembered to bump `RULES_VERSION`.
static RULES_CODE: &[&str] = &[
    include_str!("world.rs"),
    include_str!("rules.rs"),
    include_str!("csvfile.rs"),
    include_str!("bri.rs"),
    include_str!("curated.rs"),
    include_str!("port_classes.rs"),
    include_str!("../../graph/src/compile.rs"),
    include_str!("../../graph/src/components.rs"),
    include_str!("../../graph/src/spatial.rs"),
    include_str!("../../graph/src/places_blob.rs"),
];

/// A complete set of source files, by name.
pub struct Sources {
    files: Vec<(String, std::borrow::Cow<'static, [u8]>)>,
    /// Where they came from, for messages.
    pub origin: String,
}

impl Sources {
    /// The sources compiled into this binary.
    pub fn embedded() -> Sources {
        Sources {
            files: EMBEDDED
                .iter()
                .map(|(n, b)| (n.to_string(), std::borrow::Cow::Borrowed(*b)))
                .collect(),
            origin: "embedded data".into(),
        }
    }

    /// Reads every source file from a directory laid out like `data/`.
    pub fn from_dir(dir: &Path) -> Result<Sources, Error> {
        let mut files = Vec::new();
        for name in SOURCE_FILES.iter().copied() {
            let path = dir.join(name);
            let bytes = std::fs::read(&path).map_err(|source| Error::Io { path, source })?;
            files.push((name.to_string(), std::borrow::Cow::Owned(bytes)));
        }
        Ok(Sources {
            files,
            origin: dir.display().to_string(),
        })
    }

    /// Sources held in memory (a network's catalogue, a test's files);
    /// `origin` names them in messages.
    pub fn from_memory(origin: &str, files: Vec<(String, Vec<u8>)>) -> Sources {
        Sources {
            files: files
                .into_iter()
                .map(|(n, b)| (n, std::borrow::Cow::Owned(b)))
                .collect(),
            origin: origin.to_string(),
        }
    }

    /// The catalogue files of these sources (see [`CATALOGUE_FILES`]).
    pub fn catalogue(&self) -> Result<Vec<(String, Vec<u8>)>, Error> {
        CATALOGUE_FILES
            .iter()
            .map(|n| Ok((n.to_string(), self.get(n)?.to_vec())))
            .collect()
    }

    pub fn get(&self, name: &str) -> Result<&[u8], Error> {
        self.files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, b)| b.as_ref())
            .ok_or_else(|| Error::Missing(name.to_string()))
    }

    /// Identifies these sources together with the import and compile rules
    /// (their version and their code): a network built from other data or by
    /// other rules has another fingerprint.
    pub fn fingerprint(&self) -> u64 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(&crate::rules::RULES_VERSION.to_le_bytes());
        for code in RULES_CODE {
            h.update(code.as_bytes());
        }
        for (name, bytes) in &self.files {
            h.update(name.as_bytes());
            h.update(&(bytes.len() as u64).to_le_bytes());
            h.update(bytes);
        }
        h.digest()
    }
}
