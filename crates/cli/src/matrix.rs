//! `silkroute matrix`: time, cost, CO2e and distance between every origin
//! and every destination, as CSV or JSON, computed in parallel with a
//! progress bar. The output is written atomically when `--out` is given.
//! A place inside an area the constraints close (`--avoid KZ` and Almaty)
//! joins nothing: its pairs are unreachable, with a note naming it.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::json;
use silkroute_route::places::Gazetteer;
use silkroute_route::{Pricing, many, metric};

use crate::progress::{Bar, Context};
use crate::query::{self, QueryArgs};
use crate::{Failure, build, places_file};

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
    #[arg(long, value_enum, default_value = "csv")]
    format: MatrixFormat,
    /// Write here (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

fn r(x: f64, d: i32) -> f64 {
    let f = 10f64.powi(d);
    (x * f).round() / f
}

pub fn run(ctx: &Context, network: Option<&Path>, args: Args) -> Result<(), Failure> {
    query::check_options(&args.query)?;
    if !args.query.via.is_empty() {
        return Err(Failure::input("matrix does not take --via"));
    }
    let net = build::open_network(ctx, network)?;
    let gazetteer = Gazetteer::new(net.places()?);
    let origins = places_file::read(&args.from, &gazetteer)?;
    let destinations = places_file::read(&args.to, &gazetteer)?;
    let q = query::build(&args.query, &net, &gazetteer)?;
    let pricing = Pricing {
        model: &q.model,
        cargo: q.cargo,
    };
    let weights = metric::weights(&net, &pricing, q.objective, &q.filter);
    // A place inside an avoided area joins nothing: its pairs are
    // unreachable (snapping would silently start it outside the area).
    let inside = |row: &places_file::Row| {
        silkroute_route::inside_closed_area(&net, &q.filter, row.place.pos)
    };
    let inside_all = |rows: &[places_file::Row]| -> Vec<bool> { rows.iter().map(inside).collect() };
    let (closed_from, closed_to) = (inside_all(&origins), inside_all(&destinations));
    let mut names: Vec<String> = Vec::new();
    for (row, _) in origins
        .iter()
        .zip(&closed_from)
        .chain(destinations.iter().zip(&closed_to))
        .filter(|(_, closed)| **closed)
    {
        let name = row.place.label();
        if !names.contains(&name) {
            names.push(name);
        }
    }
    if !names.is_empty() {
        let shown = names.iter().take(5).cloned().collect::<Vec<_>>().join(", ");
        let more = names.len().saturating_sub(5);
        ctx.note(&format!(
            "note: {} of the places lie inside an area the constraints close ({}); their pairs are reported unreachable: {shown}{}",
            names.len(),
            q.constraints,
            if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            }
        ));
    }
    let candidates = |rows: &[places_file::Row], closed: &[bool]| {
        rows.iter()
            .zip(closed)
            .map(|(row, closed)| {
                if *closed {
                    return Vec::new();
                }
                silkroute_route::snap::candidates(&net, row.place.pos, &q.filter)
                    .into_iter()
                    .map(|c| {
                        let a = metric::access_cost(
                            &pricing,
                            q.objective,
                            c.distance_m,
                            silkroute_route::snap::ACCESS_CIRCUITY,
                        );
                        (c, a)
                    })
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<_>>()
    };
    let (oc, dc) = (
        candidates(&origins, &closed_from),
        candidates(&destinations, &closed_to),
    );
    let bar = Bar::new(
        ctx,
        &format!("{}×{} matrix", origins.len(), destinations.len()),
    );
    silkroute_model::Progress::stage(&bar, "rows", origins.len() as u64);
    let done = AtomicUsize::new(0);
    let tick = || {
        done.fetch_add(1, Ordering::Relaxed);
        silkroute_model::Progress::advance(&bar, 1);
    };
    // Many queries share one metric: customize the hierarchy once.
    let mut engine = silkroute_route::fast::Engine::new(&net, true);
    let cells = if engine.has_hierarchy() {
        engine.matrix_cells(q.objective, &q.filter, &pricing, &oc, &dc, &tick)
    } else {
        many::matrix(&net, &pricing, &weights, &oc, &dc, &tick)
    };
    bar.finish();
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
                            o.id.clone(),
                            d.id.clone(),
                            "true".into(),
                            format!("{:.2}", c.impact.time_h),
                            format!("{:.2}", c.impact.cost_usd),
                            format!("{:.1}", c.impact.co2e_kg_wtw),
                            format!("{:.3}", c.distance_m / 1000.0),
                            format!("{:.3}", c.origin_snap_m / 1000.0),
                            format!("{:.3}", c.destination_snap_m / 1000.0),
                        ],
                        None => vec![
                            o.id.clone(),
                            d.id.clone(),
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
        MatrixFormat::Json => {
            let grid = |f: &dyn Fn(&many::Cell) -> f64| -> Vec<Vec<Option<f64>>> {
                (0..origins.len())
                    .map(|i| {
                        (0..destinations.len())
                            .map(|j| cells[i * destinations.len() + j].as_ref().map(f))
                            .collect()
                    })
                    .collect()
            };
            let v = json!({
                "code": "Ok",
                "objective": q.objective.as_str(),
                "cargo": q.cargo.label(),
                "modes": q.modes.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
                "sources": origins.iter().map(|o| json!({"id": o.id, "name": o.place.label(), "lat": o.place.pos.lat, "lon": o.place.pos.lon})).collect::<Vec<_>>(),
                "destinations": destinations.iter().map(|o| json!({"id": o.id, "name": o.place.label(), "lat": o.place.pos.lat, "lon": o.place.pos.lon})).collect::<Vec<_>>(),
                "durations_h": grid(&|c| r(c.impact.time_h, 3)),
                "costs_usd": grid(&|c| r(c.impact.cost_usd, 2)),
                "co2e_kg": grid(&|c| r(c.impact.co2e_kg_wtw, 2)),
                "distances_km": grid(&|c| r(c.distance_m / 1000.0, 3)),
            });
            crate::output::pretty(&v) + "\n"
        }
    };
    match &args.out {
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
