//! `silkroute criticality`: which passages, border crossings, ports,
//! terminals, ferries and curated links the routes of an origin–destination
//! set depend on most, ranked by the trade-weighted loss their failure
//! causes (`silkroute_api::criticality` does the work, exactly).
//!
//! This shell reads the pairs (an `--od` list, or every `--from` × `--to`)
//! and the optional trade weights, draws the progress bar, and prints the
//! ranking as a table or CSV, or the API's JSON and GeoJSON (one Feature
//! per element). Output is written atomically; Ctrl-C stops between
//! elements and writes nothing.

use std::path::{Path, PathBuf};

use silkroute_api::criticality::{CriticalityReport, CriticalityRequest};
use silkroute_api::od::{OdSet, ValueColumn};
use silkroute_api::{Error, ServiceOptions};

use crate::args::{self, ShipmentArgs};
use crate::progress::{Bar, Context};
use crate::{Outcome, build, files, output};

#[derive(Clone, Copy, Debug, clap::ValueEnum, PartialEq)]
pub enum Format {
    /// Aligned text for people: the top elements, worst first.
    Table,
    /// One row per ranked element.
    Csv,
    /// Every ranked element with its figures.
    Json,
    /// One Feature per ranked element (opens in QGIS and geojson.io).
    Geojson,
}

#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
silkroute criticality --from data/scenarios/bri-cities-100.csv --to data/scenarios/bri-cities-100.csv\n  \
silkroute criticality --od data/scenarios/od-eurasia.csv --elements crossings,ferries,links --optimize time\n  \
silkroute criticality --od lanes.csv --weights trade.csv --format geojson --out critical.geojson\n\n\
How it works: every pair is routed once on the baseline. An element can only change the pairs \
whose baseline route uses it, so each element is closed once and only those pairs are re-answered \
(the hierarchy is re-customized with the element's arcs closed). Losses are exact.")]
pub struct Args {
    /// CSV of pairs with `from` and `to` columns (any place form `route`
    /// accepts); an optional `weight` column gives each pair's trade. A
    /// pair listed more than once is answered once, weighing the sum of
    /// its lines.
    #[arg(long, value_name = "CSV", conflicts_with_all = ["from", "to"])]
    od: Option<PathBuf>,
    /// CSV of origins (as for `matrix`: `place` or `lat`,`lon`, optional
    /// `id`); every origin is paired with every `--to` destination.
    #[arg(long, value_name = "CSV", requires = "to")]
    from: Option<PathBuf>,
    /// CSV of destinations, same layout as `--from`.
    #[arg(long, value_name = "CSV", requires = "from")]
    to: Option<PathBuf>,
    /// CSV `from,to,weight` of trade per pair (tonnes, USD, …; say which
    /// with `--weight-unit`), matched to the pairs by the text (or `id`) of
    /// `from` and `to`. Pairs it does not list weigh 0. Without it (and
    /// without a `weight` column) pairs are weighed by the default gravity
    /// model; --unit-weights weighs each 1.
    #[arg(long, value_name = "CSV")]
    weights: Option<PathBuf>,
    /// Unit of the weights, for the output's labels.
    #[arg(long, value_name = "UNIT", default_value = "pair")]
    weight_unit: String,
    /// Without a weight column or --weights, weigh every pair 1 instead of
    /// by the default gravity model (GDP × GDP / distance, Natural Earth
    /// 2019 GDP; see data/curated/country_gdp.csv).
    #[arg(long, conflicts_with = "weights")]
    unit_weights: bool,
    /// Which elements can fail: passages, crossings, ports, terminals,
    /// ferries, links (curated missing links), and segments (every stretch
    /// of network the baseline routes use, split where the set of routes
    /// using it changes; not by default, as there are thousands). Ports and
    /// crossings are those some baseline route uses (the others cannot
    /// cause a loss).
    #[arg(
        long,
        value_name = "LIST",
        default_value = "passages,crossings,ports,terminals,ferries,links"
    )]
    elements: String,
    /// How many elements to show (0 = every element that carries a route).
    #[arg(long, value_name = "N", default_value_t = 20)]
    top: usize,
    /// Modes the routes may use. Surface freight by default, as in
    /// `scenario run`.
    #[arg(long, default_value = "rail,road,sea,ferry")]
    modes: String,
    /// What each route minimises; the loss is in its unit (hours, USD, kg
    /// CO2e, km). Cost by default: cargo takes the cheapest route.
    #[arg(long, default_value = "cost")]
    optimize: String,
    #[command(flatten)]
    shipment: ShipmentArgs,
    /// How to print the result.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Write here (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub fn run(ctx: &Context, network: Option<&Path>, args: Args) -> Outcome {
    let kinds = silkroute_api::criticality::parse_kinds(&args.elements)?;
    let q = args::plain(&args.modes, &args.optimize, &args.shipment)?;
    crate::output::check_out(args.out.as_deref())?;
    if args.od.is_none() && args.from.is_none() {
        return Err(Error::invalid_query(
            "give the pairs with --od PAIRS.csv, or --from A.csv --to B.csv",
        ));
    }
    let service = build::service(ctx, network, ServiceOptions::default())?;
    let mut od = match (&args.od, &args.from, &args.to) {
        (Some(od), _, _) => files::pairs(
            od,
            &service,
            Some(ValueColumn {
                name: "weight",
                required: false,
                what: "weight (tonnes, USD, …)",
            }),
        )?,
        (None, Some(f), Some(t)) => {
            OdSet::all_pairs(files::places(f, &service)?, files::places(t, &service)?)?
        }
        _ => unreachable!("clap requires --from and --to together"),
    };
    if let Some(w) = &args.weights {
        let listed = files::weights(w, &mut od)?;
        if listed < od.pairs.len() {
            ctx.note(&format!(
                "note: {} lists {listed} of {} pairs; the others weigh 0",
                w.display(),
                od.pairs.len()
            ));
        }
    }
    let bar = Bar::new(ctx, &format!("criticality over {} pairs", od.pairs.len()));
    let report = service.criticality(
        &CriticalityRequest {
            od,
            kinds,
            top: args.top,
            modes: q.constraints.modes,
            objective: q.objective,
            shipment: q.shipment,
            weight_unit: args.weight_unit.clone(),
            unit_weights: args.unit_weights,
        },
        &bar,
    )?;
    bar.finish();
    ctx.note(&format!(
        "{} pairs ({} without a baseline route), {} elements, {} carry a route; ranked in {:.1} s",
        report.od.pairs.len(),
        report.pairs_without_baseline,
        report.elements.len(),
        report.elements_carrying_routes,
        report.seconds
    ));
    let net = service.net();
    let text = match args.format {
        Format::Table => table(&report),
        Format::Csv => csv(&report),
        Format::Json => output::pretty(&report.json(net)),
        Format::Geojson => output::pretty(&report.geojson(net)),
    };
    // Files end with a newline, as standard output does.
    let text = if text.ends_with('\n') {
        text
    } else {
        text + "\n"
    };
    output::deliver(ctx, args.out.as_deref(), &text)
}

fn csv(r: &CriticalityReport) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "rank",
        "id",
        "kind",
        "name",
        "affected_pairs",
        "affected_weight",
        "cut_pairs",
        "cut_weight",
        &format!("loss_{}", r.unit.replace(' ', "_")),
        "mean_extra",
        "worst_pair",
        "worst_extra",
    ]);
    for (i, x) in r.ranked.iter().enumerate() {
        let e = &r.elements[x.element];
        let _ = w.write_record([
            (i + 1).to_string(),
            e.id.clone(),
            e.kind.as_str().to_string(),
            r.names[i].clone(),
            x.affected_pairs.to_string(),
            format!("{}", rnd(x.affected_weight, 3)),
            x.cut_pairs.to_string(),
            format!("{}", rnd(x.cut_weight, 3)),
            format!("{:.2}", x.weighted_extra * r.scale),
            format!("{:.2}", r.mean_extra(x)),
            x.worst.map_or(String::new(), |(p, _)| r.pair_label(p)),
            x.worst
                .map_or(String::new(), |(_, d)| format!("{:.2}", d as f64 * r.scale)),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn table(r: &CriticalityReport) -> String {
    let mut out = format!(
        "criticality over {} pairs ({} routes, {}); loss = extra {} × {}, pairs cut off counted apart\n{}{}\n\n",
        r.od.pairs.len(),
        r.objective.as_str(),
        r.modes,
        r.unit,
        if r.weight_unit == "pair" {
            "pair weight".to_string()
        } else {
            r.weight_unit.clone()
        },
        r.weights,
        if r.weights_missing.is_empty() {
            String::new()
        } else {
            format!(
                " (no GDP for {}: their pairs weigh 0)",
                r.weights_missing.join(", ")
            )
        }
    );
    out.push_str(&format!(
        "{:>4}  {:<9} {:<44} {:>7} {:>5} {:>12} {:>10}  {}\n",
        "rank", "kind", "element", "pairs", "cut", "loss", "mean", "worst pair"
    ));
    for (i, x) in r.ranked.iter().enumerate() {
        let e = &r.elements[x.element];
        let worst = x.worst.map_or(String::new(), |(p, d)| {
            format!("{} (+{:.1})", r.pair_label(p), d as f64 * r.scale)
        });
        out.push_str(&format!(
            "{:>4}  {:<9} {:<44} {:>7} {:>5} {:>12.0} {:>10.1}  {}\n",
            i + 1,
            e.kind.as_str(),
            r.names[i].chars().take(44).collect::<String>(),
            x.affected_pairs,
            x.cut_pairs,
            x.weighted_extra * r.scale,
            r.mean_extra(x),
            worst
        ));
    }
    out.push_str(&format!(
        "\npairs: routes whose baseline uses the element; cut: left with no route; \
loss: summed extra {} over the others (× weight); mean: extra {} per rerouted pair",
        r.unit, r.unit
    ));
    out
}

fn rnd(x: f64, d: i32) -> f64 {
    let f = 10f64.powi(d);
    (x * f).round() / f
}
