//! `silkroute build`, and opening the network other commands use (the
//! default cache or `--network FILE`), through the API's store
//! (`silkroute_api::store`, which owns when a cache is rebuilt and where a
//! network with the user's own data may be written). `--osm`,
//! `--osm-replace` and `--add` describe the user's data (`docs/USER_DATA.md`);
//! the import joins it in.

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
    /// An OpenStreetMap extract (.osm.pbf) whose rail and roads are added to
    /// the world layers, each piece joined to them (repeatable; needs --out).
    #[arg(long, value_name = "FILE.osm.pbf")]
    osm: Vec<PathBuf>,
    /// An OpenStreetMap extract that replaces the world layers' rail and roads
    /// inside its bounding box, joined at the box edge (repeatable; needs --out).
    #[arg(long, value_name = "FILE.osm.pbf")]
    osm_replace: Vec<PathBuf>,
    /// Which modes to read from the extracts.
    #[arg(long, value_name = "MODES", default_value = "rail,road")]
    osm_modes: String,
    /// Keep OSM service tracks (yards, sidings, spurs, crossovers).
    #[arg(long)]
    osm_service_tracks: bool,
    /// Your own links, nodes and ferries: GeoJSON (.geojson, .json) or CSV
    /// files in the schemas of docs/USER_DATA.md (repeatable; needs --out).
    #[arg(long, value_name = "FILE")]
    add: Vec<PathBuf>,
}

impl Args {
    /// The user's data these options name, if any. Extracts are placed
    /// in the order given: the added ones, then the replacing ones.
    fn user_data(&self) -> Result<Option<store::UserData>, Error> {
        if self.osm.is_empty() && self.osm_replace.is_empty() && self.add.is_empty() {
            return Ok(None);
        }
        let modes = silkroute_api::parse::modes(&self.osm_modes)?;
        let (rail, road) = (
            modes.contains(silkroute_api::Mode::Rail),
            modes.contains(silkroute_api::Mode::Road),
        );
        if !rail && !road {
            return Err(Error::invalid_value(format!(
                "--osm-modes {}: an extract gives rail and road only; write rail, road or rail,road",
                self.osm_modes
            )));
        }
        let options = store::OsmOptions {
            rail,
            road,
            keep_service_tracks: self.osm_service_tracks,
        };
        let mut osm = Vec::new();
        for (paths, placement) in [
            (&self.osm, store::Placement::Add),
            (&self.osm_replace, store::Placement::Replace),
        ] {
            for path in paths {
                let mut s =
                    store::OsmSource::new(readable(path, "an OSM extract (.osm.pbf)")?, placement);
                s.options = options.clone();
                osm.push(s);
            }
        }
        let files = self
            .add
            .iter()
            .map(|p| {
                readable(
                    p,
                    "a GeoJSON or CSV file in the schemas of docs/USER_DATA.md",
                )
            })
            .collect::<Result<_, _>>()?;
        Ok(Some(store::UserData { osm, files }))
    }
}

/// A user file checked before the import starts: it exists and is a
/// regular file (`silkroute_api::input`).
fn readable(path: &Path, what: &str) -> Result<PathBuf, Error> {
    silkroute_api::input::check(path, what).map(|()| path.to_path_buf())
}

pub fn run(ctx: &Context, network: Option<&Path>, args: Args) -> Outcome {
    let out = args
        .out
        .clone()
        .or_else(|| network.map(Path::to_path_buf))
        .unwrap_or_else(store::default_path);
    let user = args.user_data()?;
    let sources = store::sources(args.data.as_deref())?;
    let bar = Bar::new(ctx, &format!("building network from {}", sources.origin));
    let stats = store::build_with(&sources, user.as_ref(), &out, &bar)?;
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
