//! `silkroute matrix`: time, cost, CO2e and distance between every origin
//! and every destination, as CSV or JSON, computed in parallel with a
//! progress bar. The output is written atomically when `--out` is given.
//! A place inside an area the constraints close (`--avoid KZ` and Almaty)
//! joins nothing: its pairs are unreachable, with a note naming it.

use std::path::{Path, PathBuf};

use silkroute_api::{MatrixRequest, ServiceOptions};

use crate::args::QueryArgs;
use crate::progress::{Bar, Context};
use crate::{Outcome, build, files};

#[derive(Clone, Copy, Debug, clap::ValueEnum, PartialEq)]
pub enum MatrixFormat {
    /// One row per origin–destination pair (opens in pandas and spreadsheets).
    Csv,
    /// Arrays in the shape of OSRM's table service.
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    /// CSV of origins: a `place` column (names, codes, lat,lon) or `lat` and
    /// `lon` columns, and optionally `id`.
    #[arg(long, value_name = "CSV")]
    from: PathBuf,
    /// CSV of destinations, same layout.
    #[arg(long, value_name = "CSV")]
    to: PathBuf,
    #[command(flatten)]
    query: QueryArgs,
    /// How to print the result.
    #[arg(long, value_enum, default_value = "csv")]
    format: MatrixFormat,
    /// Write here (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub fn run(ctx: &Context, network: Option<&Path>, args: Args) -> Outcome {
    let q = args.query.check()?;
    crate::output::check_out(args.out.as_deref())?;
    if !q.constraints.via.is_empty() {
        return Err(silkroute_api::Error::invalid_options(
            "matrix does not take --via",
        ));
    }
    // Many queries share one metric: customize the hierarchy once.
    let service = build::service(ctx, network, ServiceOptions::default())?;
    let origins = files::places(&args.from, &service)?;
    let destinations = files::places(&args.to, &service)?;
    let bar = Bar::new(
        ctx,
        &format!("{}×{} matrix", origins.len(), destinations.len()),
    );
    let answer = service.matrix(
        &MatrixRequest {
            origins,
            destinations,
            constraints: q.constraints,
            objective: q.objective,
            shipment: q.shipment,
        },
        &bar,
    )?;
    bar.finish();
    let notes = answer.place_notes();
    for n in notes.iter().take(10) {
        ctx.note(&format!("note: {n}"));
    }
    if notes.len() > 10 {
        ctx.note(&format!(
            "note: and {} more places taken as the most populous of their name",
            notes.len() - 10
        ));
    }
    if !answer.closed_places.is_empty() {
        let names = &answer.closed_places;
        let shown = names.iter().take(5).cloned().collect::<Vec<_>>().join(", ");
        let more = names.len().saturating_sub(5);
        ctx.note(&format!(
            "note: {} of the places lie inside an area the constraints close ({}); their pairs are reported unreachable: {shown}{}",
            names.len(),
            answer.constraints,
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        ));
    }
    let (origins, destinations, cells) = (&answer.origins, &answer.destinations, &answer.cells);
    let text = match args.format {
        MatrixFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let _ = w.write_record([
                "from",
                "to",
                "reachable",
                "duration_h",
                "cost_usd",
                "co2e_kg",
                "distance_km",
                "from_snap_km",
                "to_snap_km",
            ]);
            for (i, o) in origins.iter().enumerate() {
                for (j, d) in destinations.iter().enumerate() {
                    let row = match &cells[i * destinations.len() + j] {
                        Some(c) => vec![
                            o.label.clone(),
                            d.label.clone(),
                            "true".into(),
                            format!("{:.2}", c.impact.time_h),
                            format!("{:.2}", c.impact.cost_usd),
                            format!("{:.1}", c.impact.co2e_kg_wtw),
                            format!("{:.3}", c.distance_m / 1000.0),
                            format!("{:.3}", c.origin_snap_m / 1000.0),
                            format!("{:.3}", c.destination_snap_m / 1000.0),
                        ],
                        None => vec![
                            o.label.clone(),
                            d.label.clone(),
                            "false".into(),
                            String::new(),
                            String::new(),
                            String::new(),
                            String::new(),
                            String::new(),
                            String::new(),
                        ],
                    };
                    let _ = w.write_record(&row);
                }
            }
            String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
        }
        MatrixFormat::Json => crate::output::pretty(&answer.json()) + "\n",
    };
    match args.out.as_deref().filter(|p| !crate::output::is_stdout(p)) {
        None => {
            crate::output::emit(&text);
        }
        Some(path) => {
            crate::output::write_atomically(path, text.as_bytes())?;
            ctx.note(&format!("wrote {} ({} pairs)", path.display(), cells.len()));
        }
    }
    Ok(())
}
