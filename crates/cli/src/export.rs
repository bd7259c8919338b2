//! `silkroute export`: the network out to a GIS as a GeoJSON
//! FeatureCollection (the features are `silkroute_api::export`'s; this
//! shell parses the selection and writes the file safely).

use std::path::{Path, PathBuf};

use silkroute_api::export::{self, Selection};
use silkroute_api::{Error, ModeSet, ServiceOptions};

use crate::progress::Context;
use crate::{Outcome, build, output};

#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
silkroute export --out world.geojson\n  \
silkroute export --modes rail --bbox 46,35,88,56 --out central-asia-rail.geojson\n  \
silkroute --network mine.srnet export --modes rail,road --out mine.geojson\n\n\
The file opens in QGIS (drag it in) and in geopandas (geopandas.read_file). \
Edges are straight lines between their two nodes, one feature per edge, with \
mode, length_km, gauge_mm, from_country/to_country, border, passage and the \
curated or user record (record, record_kind, record_name) as attributes; \
ports, rail terminals, airports and border posts follow as points.")]
pub struct Args {
    /// Where to write the GeoJSON (`-` for standard output).
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
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
    let selection = Selection {
        modes,
        bbox: args.bbox.as_deref().map(export::parse_bbox).transpose()?,
        nodes: !args.no_nodes,
    };
    selection.validate()?;
    let stdout = args.out == Path::new("-");
    if !stdout {
        output::check_out(Some(&args.out))?;
    }
    let service = build::service(ctx, network, ServiceOptions::one_shot())?;
    let mut bytes = Vec::new();
    let stats = export::write_geojson(service.net(), &selection, &mut bytes)?;
    if stats.total_edges() == 0 && stats.nodes == 0 {
        return Err(Error::invalid_value(
            "nothing to export: no edge of those modes inside that box".to_string(),
        ));
    }
    if stdout {
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
