//! `silkroute bri-impact`: shipment times with and without the Belt and
//! Road projects of the curated layer (`data/bri/projects.toml`), per
//! country, in the manner of de Soyres et al., "How much will the Belt and
//! Road Initiative reduce trade costs?" (World Bank PRWP 8614, 2018).
//!
//! The comparison is the API's (`silkroute_api::bri_impact`); this shell
//! reads the city list, draws the progress bar and prints the tables or CSV.

use std::path::{Path, PathBuf};

use silkroute_api::ServiceOptions;
use silkroute_api::bri_impact::BriImpactRequest;

use crate::args::{self, ShipmentArgs};
use crate::progress::{Bar, Context};
use crate::{Outcome, build, files, output};

#[derive(Clone, Copy, Debug, clap::ValueEnum, PartialEq)]
pub enum Format {
    /// Per-country and per-project tables for people.
    Table,
    /// One row per country.
    Csv,
    /// Countries, projects and every changed pair.
    Json,
}

#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
silkroute bri-impact\n  \
silkroute bri-impact --projects china-laos-railway,baku-tbilisi-kars --format json\n  \
silkroute bri-impact --places my-cities.csv --modes rail,road,sea,ferry --optimize cost\n\n\
Each city is paired with every city of another country. A pair's change is \
(time with the projects − time without) / time without; a country's figure is the mean \
over the pairs it is part of, weighted by gravity (GDP × GDP / distance, Natural Earth 2019 GDP; \
--unit-weights weighs every pair 1), as in de Soyres et al. (2018), whose published ranges \
the README compares with.")]
pub struct Args {
    /// CSV of cities (`place` or `lat`,`lon`, optional `id`), each paired
    /// with every city of another country. Default: the 100 cities of
    /// data/scenarios/bri-cities-100.csv.
    #[arg(long, value_name = "CSV")]
    places: Option<PathBuf>,
    /// Projects to remove, by id (default: all of data/bri/projects.toml).
    #[arg(long, value_name = "LIST")]
    projects: Option<String>,
    /// Modes shipments may use. Rail and sea (with ferries) by default, the
    /// network the study measured shipment times on.
    #[arg(long, default_value = "rail,sea,ferry")]
    modes: String,
    /// What each route minimises. Time by default: the study's measure.
    #[arg(long, default_value = "time")]
    optimize: String,
    #[command(flatten)]
    shipment: ShipmentArgs,
    /// Weigh every pair 1 in the means instead of by the gravity model.
    #[arg(long)]
    unit_weights: bool,
    /// How to print the result.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Write here (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub fn run(ctx: &Context, network: Option<&Path>, args: Args) -> Outcome {
    let q = args::plain(&args.modes, &args.optimize, &args.shipment)?;
    crate::output::check_out(args.out.as_deref())?;
    let projects: Option<Vec<String>> = args.projects.as_ref().map(|list| {
        list.split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect()
    });
    let service = build::service(ctx, network, ServiceOptions::default())?;
    service.bri_projects(projects.as_deref())?;
    let places = match &args.places {
        Some(p) => Some(files::places(p, &service)?),
        None => None,
    };
    let bar = Bar::new(ctx, "Belt and Road before/after");
    let report = service.bri_impact(
        &BriImpactRequest {
            places,
            projects,
            modes: q.constraints.modes,
            objective: q.objective,
            shipment: q.shipment,
            unit_weights: args.unit_weights,
        },
        &bar,
    )?;
    bar.finish();
    for n in &report.notes {
        ctx.note(&format!("note: {n}"));
    }
    ctx.note(&format!(
        "{} pairs, {} cities; compared in {:.1} s",
        report.od.pairs.len(),
        report.od.places.len(),
        report.seconds
    ));
    let measure = report.measure();
    let rows = &report.countries;
    let label = |p: usize| report.od.pair_label(p);
    let (chosen, world_mean) = (&report.projects, report.world_mean);
    let text = match args.format {
        Format::Table => {
            let mut out = format!(
                "Belt and Road before/after, change in {measure}: {} shipments ({} routes over {}) between {} cities of {} countries\n\
projects removed for \"before\": {}\nmeans weighted by {}{}\n\n",
                report.od.pairs.len(),
                report.objective.as_str(),
                report.modes,
                report.od.places.len(),
                rows.len(),
                chosen
                    .iter()
                    .map(|p| p.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                report.weights,
                if report.weights_missing.is_empty() {
                    String::new()
                } else {
                    format!(
                        " (no GDP for {}: their pairs weigh 0)",
                        report.weights_missing.join(", ")
                    )
                }
            );
            out.push_str(&format!(
                "{:<8} {:>6} {:>6} {:>9} {:>10} {:>12}  {}\n",
                "country",
                "cities",
                "pairs",
                "improved",
                "connected",
                "mean change",
                "largest change"
            ));
            for r in rows {
                out.push_str(&format!(
                    "{:<8} {:>6} {:>6} {:>9} {:>10} {:>11.2}%  {}\n",
                    r.country,
                    r.cities,
                    r.pairs,
                    r.improved,
                    r.connected,
                    r.mean,
                    r.largest
                        .map_or(String::new(), |(c, p)| format!("{c:.1}% {}", label(p)))
                ));
            }
            out.push_str(&format!(
                "\nall pairs: mean change {world_mean:.2}%; {} of {} pairs faster with the projects, {} connected only by them\n\n",
                report.improved(),
                report.routed(),
                report.connected_only(),
            ));
            out.push_str(&format!(
                "{:<26} {:>9} {:>10} {:>22}  {}\n",
                "project alone", "improved", "connected", "mean where improved", "largest change"
            ));
            for p in &report.project_rows {
                let (id, n, mean, largest, connected) =
                    (&p.id, &p.improved, &p.mean, &p.largest, &p.connected);
                out.push_str(&format!(
                    "{:<26} {:>9} {:>10} {:>22}  {}\n",
                    id,
                    n,
                    connected,
                    if *n == 0 {
                        "—".to_string()
                    } else {
                        format!("{mean:.2}%")
                    },
                    largest.map_or(String::new(), |(c, p)| format!("{c:.1}% {}", label(p)))
                ));
            }
            out.push_str(&format!(
                "\nchange: ({measure} with the projects − {measure} without) / {measure} without; a country's mean \
is over every international pair it is part of. connected: pairs with no route without the projects \
(left out of the means)."
            ));
            out
        }
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let _ = w.write_record([
                "country",
                "cities",
                "pairs",
                "improved",
                "connected_only_with_projects",
                "mean_change_pct",
                "largest_change_pct",
                "largest_change_pair",
            ]);
            for r in rows {
                let _ = w.write_record([
                    r.country.clone(),
                    r.cities.to_string(),
                    r.pairs.to_string(),
                    r.improved.to_string(),
                    r.connected.to_string(),
                    format!("{:.3}", r.mean),
                    r.largest.map_or(String::new(), |(c, _)| format!("{c:.3}")),
                    r.largest.map_or(String::new(), |(_, p)| label(p)),
                ]);
            }
            String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
        }
        Format::Json => output::pretty(&report.json()),
    };
    // Files end with a newline, as standard output does.
    let text = if text.ends_with('\n') {
        text
    } else {
        text + "\n"
    };
    output::deliver(ctx, args.out.as_deref(), &text)
}
