//! `silkroute export`: the network out to a GIS as a GeoJSON
//! FeatureCollection or a GeoParquet file (the features, the formats and
//! the corridor selection are `silkroute_api`'s; this shell parses the
//! selection and writes the file safely).

use std::path::{Path, PathBuf};

use silkroute_api::export::{self, Selection};
use silkroute_api::{Error, ModeSet, ServiceOptions};

use crate::progress::Context;
use crate::{Outcome, build, output};

#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
silkroute export --out world.geojson\n  \
silkroute export --modes rail --bbox 46,35,88,56 --out central-asia-rail.geojson\n  \
silkroute export --out world.parquet\n  \
silkroute export --corridor middle-corridor --out middle-corridor.geojson\n  \
silkroute --network mine.srnet export --modes rail,road --out mine.geojson\n\n\
The file opens in QGIS (drag it in) and in geopandas (geopandas.read_file, or \
geopandas.read_parquet for GeoParquet). Edges are straight lines between their \
two nodes, one feature per edge, with mode, length_km, gauge_mm, \
from_country/to_country, border, passage and the curated or user record \
(record, record_kind, record_name) as attributes; ports, rail terminals, \
airports and border posts follow as points (kind, name, country, modes). \
GeoParquet (GeoParquet 1.1, WKB, lon/lat WGS 84) holds the same attributes as \
columns, null where a row has none, plus `feature` (edge or node). \
--corridor keeps the edges and transfer points of the corridor's canonical \
service, the fastest route `silkroute corridors` shows.")]
pub struct Args {
    /// Where to write the file (`-` for standard output).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// geojson or geoparquet [default: geoparquet for a .parquet or
    /// .geoparquet file, else geojson].
    #[arg(long, value_name = "FORMAT")]
    format: Option<String>,
    /// Which modes' edges to write (transfer: the links between modes).
    #[arg(
        long,
        value_name = "MODES",
        default_value = "rail,road,sea,air,ferry,transfer"
    )]
    modes: String,
    /// Only edges with an end inside this box: west,south,east,north in degrees.
    #[arg(long, value_name = "W,S,E,N", allow_hyphen_values = true)]
    bbox: Option<String>,
    /// Only the edges and transfer points of this Belt and Road corridor's
    /// canonical service (ids: `silkroute corridors`).
    #[arg(long, value_name = "ID")]
    corridor: Option<String>,
    /// Leave out the ports, terminals, airports and border posts.
    #[arg(long)]
    no_nodes: bool,
}

pub fn run(ctx: &Context, network: Option<&Path>, args: Args) -> Outcome {
    let mut modes = ModeSet::default();
    for m in args.modes.split(',').map(str::trim) {
        if m == "transfer" {
            modes = ModeSet(modes.0 | 1 << silkroute_api::Mode::Transfer as u8);
        } else {
            modes = ModeSet(modes.0 | silkroute_api::parse::modes(m)?.0);
        }
    }
    let format = match &args.format {
        Some(f) => export::Format::parse(f)?,
        None => export::Format::for_path(&args.out),
    };
    let mut selection = Selection {
        modes,
        bbox: args.bbox.as_deref().map(export::parse_bbox).transpose()?,
        nodes: !args.no_nodes,
        only: None,
    };
    selection.validate()?;
    let stdout = args.out == Path::new("-");
    if !stdout {
        output::check_out(Some(&args.out))?;
    }
    let service = build::service(ctx, network, ServiceOptions::one_shot())?;
    if let Some(id) = &args.corridor {
        selection.only = Some(std::sync::Arc::new(service.corridor_selection(id)?));
    }
    let mut bytes = Vec::new();
    let stats = export::write(service.net(), &selection, format, &mut bytes)?;
    if stats.is_empty() {
        return Err(Error::invalid_value(format!(
            "nothing to export: no {}",
            selection.describe()
        )));
    }
    if stdout && format == export::Format::GeoParquet {
        output::emit_bytes(&bytes)?;
    } else if stdout {
        output::emit(&String::from_utf8_lossy(&bytes));
    } else {
        output::write_atomically(&args.out, &bytes)?;
        ctx.note(&format!(
            "wrote {} ({} edges, {} transfer points, {:.1} MB)",
            args.out.display(),
            stats.total_edges(),
            stats.nodes,
            bytes.len() as f64 / 1e6
        ));
    }
    Ok(())
}
