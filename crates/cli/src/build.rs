//! `silkroute build`, and opening the network other commands use (the
//! default cache or `--network FILE`), through the API's store
//! (`silkroute_api::store`, which owns when a cache is rebuilt).

use std::path::{Path, PathBuf};

use silkroute_api::store::{self, NetworkSource};
use silkroute_api::{Error, Service, ServiceOptions};

use crate::Outcome;
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

pub fn run(ctx: &Context, network: Option<&Path>, args: Args) -> Outcome {
    let out = args
        .out
        .or_else(|| network.map(Path::to_path_buf))
        .unwrap_or_else(store::default_path);
    let sources = store::sources(args.data.as_deref())?;
    let bar = Bar::new(ctx, &format!("building network from {}", sources.origin));
    let stats = store::build(&sources, &out, &bar)?;
    bar.finish();
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

/// The network source a command names.
pub fn source(network: Option<&Path>) -> NetworkSource {
    match network {
        Some(p) => NetworkSource::File(p.to_path_buf()),
        None => NetworkSource::Default,
    }
}

/// Opens the service a command uses, building the default network first
/// if it is missing, stale or damaged (with a progress bar).
pub fn service(
    ctx: &Context,
    network: Option<&Path>,
    options: ServiceOptions,
) -> Result<Service, Error> {
    let bar = Bar::new(ctx, "opening the network");
    let service = Service::open(&source(network), options, &bar);
    bar.finish();
    service
}
