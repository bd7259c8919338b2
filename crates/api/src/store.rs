//! Where a network comes from: the default cache built from the data
//! embedded in the binary, or a file the caller names; and building one.
//!
//! Without a file, the network lives in a cache file named after the
//! format version ([`default_path`]). Its header carries the fingerprint
//! of the sources it was built from; when that differs from the embedded
//! data (new data, new import rules), when the file is damaged, or when it
//! lacks this version's search structures or catalogue, the file is
//! reported (a [`Progress::note`]) and rebuilt, and the cache files of
//! older format versions next to it are removed. A named file is never
//! rebuilt behind the caller's back: a problem with it is an error.
//!
//! A built network carries its curated catalogue (extension section
//! [`CATALOGUE_SECTION`]: the `data/bri/` and scenario files it was built
//! from), so the lists an answer names always describe the network that
//! answered (see [`crate::catalogue`]).
//!
//! A network built with the user's own data ([`build_with`]: OSM extracts,
//! GeoJSON and CSV files) records what each user source added and replaced
//! in extension section [`USER_SECTION`] ([`user_sources`], shown by
//! `inspect`). It is always a named file: the default cache holds the
//! embedded network only, so rebuilding a stale cache never drops a user's
//! data.

use std::path::{Path, PathBuf};
use std::time::Instant;

use silkroute_graph::{Network, compile, format};
pub use silkroute_import::osm_pbf::OsmOptions;
pub use silkroute_import::{OsmSource, Placement, Sources, UserData, UserSourceReport};
use silkroute_model::Progress;

use crate::error::{Error, Result};

/// Extension section holding the catalogue's source files (the
/// hierarchies use 0–20, the Pareto cells 21–24, the user sources 25, the
/// curated provenance 30).
pub const CATALOGUE_SECTION: u32 = 31;
/// Extension section holding what each user source added (one file,
/// `user-sources.json`, in the catalogue section's layout).
pub const USER_SECTION: u32 = 25;
const USER_FILE: &str = "user-sources.json";
/// Layout version of the catalogue section.
const CATALOGUE_VERSION: u32 = 1;

/// Which network to use.
#[derive(Clone, Debug, PartialEq)]
pub enum NetworkSource {
    /// The cache of the embedded default network, built on first use.
    Default,
    /// A file built with `silkroute build`.
    File(PathBuf),
}

/// The cache file for the embedded default network: `$SILKROUTE_CACHE`,
/// else `$XDG_CACHE_HOME/silkroute`, else `~/.cache/silkroute`.
pub fn default_path() -> PathBuf {
    let dir = std::env::var_os("SILKROUTE_CACHE")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("XDG_CACHE_HOME").map(|d| PathBuf::from(d).join("silkroute")))
        .or_else(|| {
            std::env::var_os("HOME").map(|d| PathBuf::from(d).join(".cache").join("silkroute"))
        })
        .unwrap_or_else(|| PathBuf::from(".silkroute-cache"));
    dir.join(format!("world-v{}.srnet", format::FORMAT_VERSION))
}

/// The sources to build from: a directory laid out like the repository's
/// `data/`, or the data embedded in the binary.
pub fn sources(dir: Option<&Path>) -> Result<Sources> {
    Ok(match dir {
        Some(dir) => Sources::from_dir(dir)?,
        None => Sources::embedded(),
    })
}

/// What a build wrote.
#[derive(Clone, Debug)]
pub struct BuildStats {
    pub path: PathBuf,
    pub nodes: usize,
    pub arcs: usize,
    pub bytes: usize,
    pub seconds: f64,
}

/// Imports, compiles and atomically writes a network with its
/// hierarchies, Pareto cells, curated provenance and catalogue. Import
/// warnings come out as notes.
pub fn build(sources: &Sources, out: &Path, progress: &dyn Progress) -> Result<BuildStats> {
    build_with(sources, None, out, progress)
}

/// Takes `OUT.lock` for a build of `out`, saying which process holds it
/// while waiting.
fn lock_for_build(out: &Path, progress: &dyn Progress) -> Result<silkroute_graph::scratch::Lock> {
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = std::fs::create_dir_all(dir);
    }
    silkroute_graph::scratch::lock(out, |pid| {
        let who = pid.map_or("another process".to_string(), |p| format!("process {p}"));
        progress.note(&format!(
            "note: {who} is building {}; waiting for it to finish",
            out.display()
        ));
    })
    .map_err(|e| {
        Error::internal(format!(
            "{}: cannot take the build lock: {e}",
            silkroute_graph::scratch::lock_path(out).display()
        ))
    })
}

/// [`build`] with the user's own data joined in (`None`: exactly
/// [`build`]). A network with user data is never written to the default
/// cache path, which `open` rebuilds from the embedded data when stale.
pub fn build_with(
    sources: &Sources,
    user: Option<&UserData>,
    out: &Path,
    progress: &dyn Progress,
) -> Result<BuildStats> {
    if user.is_some() && same_file(out, &default_path()) {
        return Err(Error::invalid_value(format!(
            "{} is the default cache, which holds the embedded network only; write a network with your own data to a file of its own (build --out FILE) and open it with --network FILE",
            out.display()
        )));
    }
    let started = Instant::now();
    // One build of a path at a time: a second waits for the first.
    let _lock = lock_for_build(out, progress)?;
    let imported = silkroute_import::import_world_with(sources, user, progress)?;
    let image = compile::build_image(&imported.raw, progress)?;
    let net = Network::from_image(image)?;
    let extensions =
        silkroute_route::fast::build_extensions(&net, progress).ok_or_else(Error::cancelled)?;
    let (mut file, fingerprint) = format::FileImage::from_image(net.image_bytes())?;
    for (k, data) in &extensions {
        file.push_extension(*k, data);
    }
    // What each curated Belt and Road record added (criticality, bri-impact).
    let curated: Vec<silkroute_route::curated::Record> = imported
        .curated
        .iter()
        .map(|r| silkroute_route::curated::Record {
            kind: r.kind.as_str().to_string(),
            id: r.id.clone(),
            name: r.name.clone(),
            nodes: r.nodes.clone(),
            edges: r.edges.clone(),
        })
        .collect();
    file.push_extension(
        silkroute_route::curated::SECTION,
        &silkroute_route::curated::encode(&curated),
    );
    file.push_extension(CATALOGUE_SECTION, &encode_files(&sources.catalogue()?));
    if !imported.user.is_empty() {
        let report: Vec<serde_json::Value> = imported.user.iter().map(user_source_json).collect();
        let json = serde_json::to_vec(&report).map_err(|e| Error::internal(e.to_string()))?;
        file.push_extension(USER_SECTION, &encode_files(&[(USER_FILE.into(), json)]));
    }
    let image = file.finish(fingerprint);
    progress.stage(&format!("writing {}", out.display()), 0);
    if progress.cancelled() {
        return Err(Error::cancelled());
    }
    format::write_atomically(out, &image)?;
    for w in &imported.warnings {
        progress.note(&format!("note: {w}"));
    }
    Ok(BuildStats {
        path: out.to_path_buf(),
        nodes: imported.raw.nodes.len(),
        arcs: imported.raw.edges.len() * 2,
        bytes: image.len() * 8,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Whether `net` carries everything this version queries with: its
/// hierarchies and Pareto cells in the current layout, and its catalogue.
pub fn current(net: &Network) -> bool {
    silkroute_route::fast::extensions_current(net) && catalogue_files(net).is_some()
}

/// Opens the network to use, building the default one first if it is
/// missing, stale or damaged.
pub fn open(source: &NetworkSource, progress: &dyn Progress) -> Result<Network> {
    if let NetworkSource::File(path) = source {
        if !path.exists() {
            return Err(Error::invalid_value(format!(
                "{}: no such network file (create it with `silkroute build --out {}`)",
                path.display(),
                path.display()
            )));
        }
        let net = Network::open(path)?;
        if catalogue_files(&net).is_none() {
            return Err(Error::invalid_value(format!(
                "{}: built by an older silkroute, without its curated catalogue; rebuild it with `silkroute build --out {}`",
                path.display(),
                path.display()
            )));
        }
        return Ok(net);
    }
    let path = default_path();
    // Something other than a file where the cache belongs is the user's
    // (a directory, a FIFO): neither read nor replaced.
    if let Ok(meta) = std::fs::metadata(&path)
        && let Some(kind) = format::not_regular(&meta)
    {
        return Err(Error::invalid_value(format!(
            "{}: is {kind}, where the default network cache belongs; move it away, or set SILKROUTE_CACHE to another directory",
            path.display()
        )));
    }
    let sources = Sources::embedded();
    let want = sources.fingerprint();
    if path.exists() {
        match Network::peek_fingerprint(&path).and_then(|fp| {
            if fp == want {
                Network::open(&path).map(Some)
            } else {
                Ok(None)
            }
        }) {
            // Built from these sources by an older binary: its hierarchies
            // or Pareto cells would be ignored, and every query slower.
            Ok(Some(net)) if !current(&net) => progress.note(&format!(
                "note: {} lacks this version's search structures; rebuilding it",
                path.display()
            )),
            Ok(Some(net)) => return Ok(net),
            Ok(None) => progress.note(&format!(
                "note: {} was built from other data; rebuilding it from the embedded data",
                path.display()
            )),
            // Truncated, flipped bytes, another format: never trusted.
            Err(e) => progress.note(&format!(
                "note: the network cache {} is damaged ({}); rebuilding it",
                path.display(),
                damage(&e)
            )),
        }
    } else {
        progress.note(&format!(
            "note: compiling the embedded world network into {} (first run only)",
            path.display()
        ));
    }
    progress.stage(&format!("building network from {}", sources.origin), 0);
    build(&sources, &path, progress)?;
    remove_older_caches(progress, &path);
    Ok(Network::open(&path)?)
}

/// What is wrong with a cache file that did not open, without the
/// advice to rebuild it (which `open` is about to do).
fn damage(e: &silkroute_graph::Error) -> String {
    use silkroute_graph::Error as G;
    match e {
        G::Truncated {
            expected, found, ..
        } => format!("{found} bytes, its header promises {expected}"),
        G::Corrupt { detail, .. } => detail.clone(),
        G::NotANetwork { .. } => "not a network file".into(),
        G::WrongVersion {
            found, expected, ..
        } => format!("format version {found}, this silkroute reads {expected}"),
        e => e.to_string(),
    }
}

/// Removes the cache files of older file-format versions next to `current`
/// (`world-v1.srnet` … once `world-v4.srnet` exists): no version of the
/// binary that wrote them can open today's files, and each is ~170 MB.
/// Only files named exactly like an older default cache are touched.
fn remove_older_caches(progress: &dyn Progress, current: &Path) {
    let Some(dir) = current.parent() else {
        return;
    };
    for v in 1..format::FORMAT_VERSION {
        let old = dir.join(format!("world-v{v}.srnet"));
        if old.is_file() && std::fs::remove_file(&old).is_ok() {
            progress.note(&format!(
                "note: removed {} (a cache of network format {v}, which this version no longer reads)",
                old.display()
            ));
        }
    }
}

/// What each user source added to a network built with [`build_with`]
/// (empty for a network without user data).
pub fn user_sources(net: &Network) -> Vec<serde_json::Value> {
    net.extension(USER_SECTION)
        .and_then(decode_files)
        .and_then(|files| files.into_iter().find(|(name, _)| name == USER_FILE))
        .and_then(|(_, bytes)| serde_json::from_slice(&bytes).ok())
        .unwrap_or_default()
}

fn user_source_json(r: &UserSourceReport) -> serde_json::Value {
    serde_json::json!({
        "path": r.path.display().to_string(),
        "kind": r.kind,
        "placement": r.placement,
        "nodes": r.nodes,
        "edges": r.edges,
        "rail_km": r.rail_km,
        "road_km": r.road_km,
        "replaced_nodes": r.replaced_nodes,
        "replaced_edges": r.replaced_edges,
        "joins": r.joins,
        "unjoined": r.unjoined,
        "features": r.features,
        "skipped": r.skipped,
        "joined_nothing": r.joined_nothing,
    })
}

/// Whether two paths name one file (by their canonical forms where they
/// exist).
fn same_file(a: &Path, b: &Path) -> bool {
    let canon = |p: &Path| {
        p.canonicalize()
            .unwrap_or_else(|_| match (p.parent(), p.file_name()) {
                (Some(dir), Some(name)) => dir
                    .canonicalize()
                    .map(|d| d.join(name))
                    .unwrap_or_else(|_| p.to_path_buf()),
                _ => p.to_path_buf(),
            })
    };
    canon(a) == canon(b)
}

/// The catalogue's files in a network, or `None` if it has no (valid)
/// catalogue section.
pub fn catalogue_files(net: &Network) -> Option<Vec<(String, Vec<u8>)>> {
    decode_files(net.extension(CATALOGUE_SECTION)?)
}

/// Layout (all `u32`): the layout version, the file count, then per file
/// the byte length of its name, the name packed four bytes to a word
/// (little-endian, zero-padded), the byte length of its content and the
/// content packed the same way.
fn encode_files(files: &[(String, Vec<u8>)]) -> Vec<u32> {
    let mut out = vec![CATALOGUE_VERSION, files.len() as u32];
    let put = |bytes: &[u8], out: &mut Vec<u32>| {
        out.push(bytes.len() as u32);
        for chunk in bytes.chunks(4) {
            let mut w = [0u8; 4];
            w[..chunk.len()].copy_from_slice(chunk);
            out.push(u32::from_le_bytes(w));
        }
    };
    for (name, bytes) in files {
        put(name.as_bytes(), &mut out);
        put(bytes, &mut out);
    }
    out
}

fn decode_files(words: &[u32]) -> Option<Vec<(String, Vec<u8>)>> {
    let mut it = words.iter().copied();
    if it.next()? != CATALOGUE_VERSION {
        return None;
    }
    let count = it.next()? as usize;
    let take = |it: &mut dyn Iterator<Item = u32>| -> Option<Vec<u8>> {
        let len = it.next()? as usize;
        let mut bytes = Vec::with_capacity(len + 3);
        for _ in 0..len.div_ceil(4) {
            bytes.extend(it.next()?.to_le_bytes());
        }
        bytes.truncate(len);
        Some(bytes)
    };
    let mut out = Vec::with_capacity(count.min(64));
    for _ in 0..count {
        let name = String::from_utf8(take(&mut it)?).ok()?;
        let bytes = take(&mut it)?;
        out.push((name, bytes));
    }
    it.next().is_none().then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_files_round_trip_and_damage_is_refused() {
        let files = vec![
            (
                "bri/ferries.toml".to_string(),
                b"[[ferry]]\nid = \"x\"\n".to_vec(),
            ),
            ("scenarios/scenarios.toml".to_string(), Vec::new()),
        ];
        let words = encode_files(&files);
        assert_eq!(decode_files(&words), Some(files));
        assert_eq!(decode_files(&words[..words.len() - 1]), None, "truncated");
        let mut longer = words.clone();
        longer.push(0);
        assert_eq!(decode_files(&longer), None, "trailing words");
        let mut other = words;
        other[0] = 99;
        assert_eq!(decode_files(&other), None, "another layout");
    }
}
