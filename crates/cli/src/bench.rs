//! `silkroute bench` (hidden): reads the query list and matrix points that
//! `bench/run` feeds it and prints the API's in-process timings as JSON
//! (`silkroute_api::bench`).

use std::path::{Path, PathBuf};

use serde_json::Value;
use silkroute_api::Error;

use crate::progress::{Bar, Context};
use crate::{Outcome, build};

#[derive(clap::Args)]
pub struct Args {
    /// JSON array of {"id", "from", "to", "modes"} queries.
    #[arg(long, value_name = "FILE")]
    queries: PathBuf,
    /// Runs per query; the median is reported.
    #[arg(long, default_value_t = 20)]
    repeat: usize,
    /// JSON {"modes", "optimize", "points": [[lat, lon], ...]}: time an
    /// n×n matrix on these points too.
    #[arg(long, value_name = "FILE")]
    matrix: Option<PathBuf>,
}

fn read_json(path: &Path) -> Result<Value, Error> {
    let text = silkroute_api::input::read_to_string(path, "a JSON file")?;
    serde_json::from_str(&text)
        .map_err(|e| Error::invalid_value(format!("{}: {e}", path.display())))
}

pub fn run(ctx: &Context, network: Option<&Path>, args: Args) -> Outcome {
    let queries = read_json(&args.queries)?;
    let queries = queries.as_array().ok_or_else(|| {
        Error::invalid_value(format!("{}: not a JSON array", args.queries.display()))
    })?;
    let matrix = args.matrix.as_deref().map(read_json).transpose()?;
    let bar = Bar::new(ctx, "timing");
    let report = silkroute_api::bench::run(
        &build::source(network),
        queries,
        args.repeat,
        matrix.as_ref(),
        &bar,
    )?;
    bar.finish();
    crate::output::emit(&serde_json::to_string_pretty(&report).unwrap_or_default());
    Ok(())
}
