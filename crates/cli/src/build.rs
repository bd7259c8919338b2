//! `silkroute build`, and finding (or building) the network other commands
//! use.
//!
//! Without `--network`, the network lives in a cache file named after the
//! format version. Its header carries the fingerprint of the sources it was
//! built from; when that differs from the data embedded in this binary (new
//! data, new import rules) or the file is damaged, the file is reported and
//! rebuilt; the cache files of older format versions next to it are then
//! removed. A file named with `--network` is never rebuilt behind the
//! user's back: a problem with it is an error.

use std::path::{Path, PathBuf};
use std::time::Instant;

use silkroute_graph::{Network, compile, format};
use silkroute_import::Sources;

use crate::Failure;
use crate::progress::{Bar, Context};

#[derive(clap::Args)]
pub struct Args {
    /// Where to write the network (default: the cache file other commands use).
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Read sources from this directory (laid out like the repository's data/)
    /// instead of the data embedded in the binary.
    #[arg(long, value_name = "DIR")]
    data: Option<PathBuf>,
}

/// The cache file for the embedded default network.
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

pub fn run(ctx: &Context, network: Option<&Path>, args: Args) -> Result<(), Failure> {
    let out = args
        .out
        .or_else(|| network.map(Path::to_path_buf))
        .unwrap_or_else(default_path);
    let sources = match &args.data {
        Some(dir) => Sources::from_dir(dir)?,
        None => Sources::embedded(),
    };
    let stats = build_to(ctx, &sources, &out)?;
    crate::output::emit(&format!(
        "wrote {} ({} nodes, {} arcs, {:.1} MB) in {:.1} s",
        out.display(),
        stats.nodes,
        stats.arcs,
        stats.bytes as f64 / 1e6,
        stats.seconds
    ));
    Ok(())
}

pub struct BuildStats {
    pub nodes: usize,
    pub arcs: usize,
    pub bytes: usize,
    pub seconds: f64,
}

/// Imports, compiles and atomically writes a network.
pub fn build_to(ctx: &Context, sources: &Sources, out: &Path) -> Result<BuildStats, Failure> {
    let started = Instant::now();
    let bar = Bar::new(ctx, &format!("building network from {}", sources.origin));
    let imported = silkroute_import::import_world(sources, &bar)?;
    let image = compile::build_image(&imported.raw, &bar)?;
    // Contraction hierarchies for fast queries, stored in the same file.
    let image = {
        let net = Network::from_image(image)?;
        let extensions = silkroute_route::fast::build_extensions(&net, &bar)
            .ok_or(silkroute_graph::Error::Cancelled)?;
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
        file.finish(fingerprint)
    };
    silkroute_model::Progress::stage(&bar, &format!("writing {}", out.display()), 0);
    format::write_atomically(out, &image)?;
    bar.finish();
    for w in &imported.warnings {
        ctx.note(&format!("note: {w}"));
    }
    Ok(BuildStats {
        nodes: imported.raw.nodes.len(),
        arcs: imported.raw.edges.len() * 2,
        bytes: image.len() * 8,
        seconds: started.elapsed().as_secs_f64(),
    })
}

/// Opens the network a command should use, building the default one first
/// if it is missing, stale or damaged.
pub fn open_network(ctx: &Context, network: Option<&Path>) -> Result<Network, Failure> {
    if let Some(path) = network {
        if !path.exists() {
            return Err(Failure::input(format!(
                "{}: no such network file (create it with `silkroute build --out {}`)",
                path.display(),
                path.display()
            )));
        }
        return Ok(Network::open(path)?);
    }
    let path = default_path();
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
            Ok(Some(net)) if !silkroute_route::fast::extensions_current(&net) => {
                ctx.note(&format!(
                    "note: {} lacks this version's search structures; rebuilding it",
                    path.display()
                ))
            }
            Ok(Some(net)) => return Ok(net),
            Ok(None) => ctx.note(&format!(
                "note: {} was built from other data; rebuilding it from the embedded data",
                path.display()
            )),
            Err(e) => ctx.note(&format!("note: {e}; rebuilding it")),
        }
    } else {
        ctx.note(&format!(
            "note: compiling the embedded world network into {} (first run only)",
            path.display()
        ));
    }
    build_to(ctx, &sources, &path)?;
    remove_older_caches(ctx, &path);
    Ok(Network::open(&path)?)
}

/// Removes the cache files of older file-format versions next to `current`
/// (`world-v1.srnet` … once `world-v4.srnet` exists): no version of the
/// binary that wrote them can open today's files, and each is ~170 MB.
/// Only files named exactly like an older default cache are touched.
fn remove_older_caches(ctx: &Context, current: &Path) {
    let Some(dir) = current.parent() else {
        return;
    };
    for v in 1..format::FORMAT_VERSION {
        let old = dir.join(format!("world-v{v}.srnet"));
        if old.is_file() && std::fs::remove_file(&old).is_ok() {
            ctx.note(&format!(
                "note: removed {} (a cache of network format {v}, which this version no longer reads)",
                old.display()
            ));
        }
    }
}
