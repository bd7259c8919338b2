//! `silkroute scenario`: named disruptions (`data/scenarios/scenarios.toml`,
//! or `--scenarios FILE`) and before/after comparisons over
//! origin–destination pairs.
//!
//! What a scenario does to the network and how pairs compare are the API's
//! (`silkroute_api::scenario`, `silkroute_api::compare`); this shell reads
//! the files, draws the progress bar and prints the table or CSV.

use std::path::{Path, PathBuf};

use silkroute_api::compare::{CompareRequest, PairComparison};
use silkroute_api::{Scenario, ServiceOptions};

use crate::args::{self, ShipmentArgs};
use crate::progress::{Bar, Context};
use crate::{Outcome, build, files, output};

#[derive(clap::Subcommand)]
pub enum Command {
    /// List the named scenarios, what they change and what they model.
    List,
    /// Compare every origin–destination pair before and after a scenario.
    #[command(after_help = "Examples:\n  \
silkroute scenario run red-sea-2024 --od data/scenarios/od-eurasia.csv\n  \
silkroute scenario run kazakh-border-congestion --od pairs.csv --format csv --out kz.csv\n  \
silkroute scenario run red-sea-2024 --od pairs.csv --format geojson --out red-sea.geojson\n\n\
The OD file is a CSV with `from` and `to` columns (any place form `route` accepts). \
Scenarios are defined in data/scenarios/scenarios.toml (schema in its header).")]
    Run(RunArgs),
}

#[derive(clap::Args)]
pub struct Args {
    /// A TOML file of your own scenarios, in the schema of
    /// data/scenarios/scenarios.toml, used instead of the built-in ones.
    #[arg(long, value_name = "TOML", global = true)]
    scenarios: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum, PartialEq)]
pub enum RunFormat {
    /// Pairs sorted by added days, then a summary by country pair.
    Table,
    /// One row per pair.
    Csv,
    /// Pairs, the summary by country pair, and what the scenario changes.
    Json,
    /// Baseline and scenario route lines per pair.
    Geojson,
}

#[derive(clap::Args)]
pub struct RunArgs {
    /// The scenario's id (see `silkroute scenario list`).
    name: String,
    /// CSV of pairs with `from` and `to` columns (any place form `route`
    /// accepts). A pair listed more than once is compared once.
    #[arg(long, value_name = "CSV")]
    od: PathBuf,
    /// Modes the routes may use. Surface freight by default: air cargo is
    /// another market, and would hide every sea or land disruption.
    #[arg(long, default_value = "rail,road,sea,ferry")]
    modes: String,
    /// What each pair's route minimises. Cost by default: cargo takes the
    /// cheapest route, and a disruption shows up in its extra days and USD.
    /// Scenario delays only weigh on the route choice with `--optimize
    /// time` (the cost model has no value of time); they are always added
    /// to the reported days.
    #[arg(long, default_value = "cost")]
    optimize: String,
    /// Ship class of every pair's sea legs (feeder, panamax, post-panamax,
    /// neopanamax, ulcv). Without it each pair takes its trade lane's
    /// default class (ulcv between East Asia and Europe, which does not fit
    /// Panama).
    #[arg(long, value_name = "CLASS")]
    vessel: Option<String>,
    #[command(flatten)]
    shipment: ShipmentArgs,
    /// How to print the result.
    #[arg(long, value_enum, default_value = "table")]
    format: RunFormat,
    /// Write here (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// The scenarios a command uses: a user's file, or `None` for the
/// network's own.
pub fn user_scenarios(file: Option<&Path>) -> Result<Option<Vec<Scenario>>, silkroute_api::Error> {
    file.map(files::scenarios).transpose()
}

pub fn run(ctx: &Context, network: Option<&Path>, args: Args) -> Outcome {
    let user = user_scenarios(args.scenarios.as_deref())?;
    match args.command {
        Command::List => {
            let list = match user {
                Some(list) => list,
                None => build::service(ctx, network, ServiceOptions::one_shot())?
                    .catalogue()
                    .scenarios
                    .clone(),
            };
            let mut out = String::new();
            for s in &list {
                out.push_str(&format!("{:<26} {}\n", s.id, s.name));
                for c in silkroute_api::scenario::describe(s) {
                    out.push_str(&format!("{:<26} {c}\n", ""));
                }
                out.push_str(&format!("{:<26} source: {}\n\n", "", s.source));
            }
            output::emit(&out);
            Ok(())
        }
        Command::Run(a) => run_scenario(ctx, network, user, a),
    }
}

fn run_scenario(
    ctx: &Context,
    network: Option<&Path>,
    user: Option<Vec<Scenario>>,
    a: RunArgs,
) -> Outcome {
    if let Some(list) = &user {
        silkroute_api::catalogue::find_scenario(list, &a.name)?;
    }
    let q = args::plain(&a.modes, &a.optimize, &a.shipment)?;
    crate::output::check_out(a.out.as_deref())?;
    let service = build::service(ctx, network, ServiceOptions::default())?;
    let scenario = match &user {
        Some(list) => silkroute_api::catalogue::find_scenario(list, &a.name)?,
        None => service.catalogue().scenario(&a.name)?,
    }
    .clone();
    let od = files::pairs(&a.od, &service, None)?;
    let bar = Bar::new(
        ctx,
        &format!("scenario {} on {} pairs", scenario.id, od.pairs.len()),
    );
    let cmp = service.compare(
        &CompareRequest {
            scenario,
            od,
            modes: q.constraints.modes,
            objective: q.objective,
            shipment: q.shipment,
            vessel: a.vessel.clone(),
        },
        &bar,
    )?;
    bar.finish();
    let text = match a.format {
        RunFormat::Json => output::pretty(&cmp.json()),
        RunFormat::Geojson => output::pretty(&cmp.geojson()),
        RunFormat::Csv => csv(&cmp),
        RunFormat::Table => table(&cmp),
    };
    output::deliver(ctx, a.out.as_deref(), &text)
}

fn csv(cmp: &silkroute_api::compare::Comparison) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "from",
        "to",
        "from_country",
        "to_country",
        "status",
        "baseline_duration_h",
        "scenario_duration_h",
        "delta_duration_h",
        "baseline_cost_usd",
        "scenario_cost_usd",
        "delta_cost_usd",
        "baseline_co2e_kg",
        "scenario_co2e_kg",
        "baseline_distance_km",
        "scenario_distance_km",
        "baseline_passages",
        "scenario_passages",
        "baseline_corridor",
        "scenario_corridor",
    ]);
    for r in &cmp.pairs {
        let g = |x: &silkroute_api::compare::Answer, k: u8| -> String {
            x.as_ref().map_or(String::new(), |x| match k {
                0 => format!("{:.2}", x.total.time_h),
                1 => format!("{:.0}", x.total.cost_usd),
                2 => format!("{:.0}", x.total.co2e_kg_wtw),
                3 => format!("{:.0}", x.distance_m / 1000.0),
                _ => x
                    .passages()
                    .iter()
                    .map(|p| p.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
            })
        };
        let d = r.delta();
        let (fc, tc) = r.countries();
        let _ = w.write_record([
            r.from.label(),
            r.to.label(),
            fc,
            tc,
            r.status().to_string(),
            g(&r.before, 0),
            g(&r.after, 0),
            d.map_or(String::new(), |d| format!("{:.2}", d.0)),
            g(&r.before, 1),
            g(&r.after, 1),
            d.map_or(String::new(), |d| format!("{:.0}", d.1)),
            g(&r.before, 2),
            g(&r.after, 2),
            g(&r.before, 3),
            g(&r.after, 3),
            g(&r.before, 4),
            g(&r.after, 4),
            r.corridor_before.clone().unwrap_or_default(),
            r.corridor_after.clone().unwrap_or_default(),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn table(cmp: &silkroute_api::compare::Comparison) -> String {
    let mut out = format!("scenario {}: {}\n", cmp.scenario.id, cmp.scenario.name);
    for c in &cmp.changes {
        out.push_str(&format!("  {c}\n"));
    }
    out.push_str(&format!(
        "\n{:<26} {:<26} {:<10} {:>7} {:>7} {:>7} {:<20} {:<20}\n",
        "from", "to", "status", "days", "+days", "+USD", "corridor before", "corridor after"
    ));
    let mut sorted: Vec<&PairComparison> = cmp.pairs.iter().collect();
    sorted.sort_by(|x, y| {
        let dx = x.delta().map_or(f64::INFINITY, |d| d.0);
        let dy = y.delta().map_or(f64::INFINITY, |d| d.0);
        dy.total_cmp(&dx)
    });
    let cut = |s: &str, n: usize| s.chars().take(n).collect::<String>();
    for r in sorted {
        let d = r.delta();
        out.push_str(&format!(
            "{:<26} {:<26} {:<10} {:>7} {:>7} {:>7} {:<20} {:<20}\n",
            cut(&r.from.label(), 26),
            cut(&r.to.label(), 26),
            r.status(),
            r.after.as_ref().map_or("—".to_string(), |x| format!(
                "{:.1}",
                x.total.time_h / 24.0
            )),
            d.map_or("—".to_string(), |d| format!("{:+.1}", d.0 / 24.0)),
            d.map_or("—".to_string(), |d| format!("{:+.0}", d.1)),
            cut(r.corridor_before.as_deref().unwrap_or("—"), 20),
            cut(r.corridor_after.as_deref().unwrap_or("—"), 20),
        ));
    }
    out.push_str(&format!(
        "\nby country pair:\n{:<6} {:<6} {:>6} {:>9} {:>8} {:>8} {:>11} {:>11}\n",
        "from", "to", "pairs", "rerouted", "delayed", "cut off", "mean +days", "mean +USD"
    ));
    for s in cmp.by_country_pair() {
        let num = |k: &str, f: &dyn Fn(f64) -> String| s[k].as_f64().map_or("—".to_string(), f);
        out.push_str(&format!(
            "{:<6} {:<6} {:>6} {:>9} {:>8} {:>8} {:>11} {:>11}\n",
            s["from_country"].as_str().unwrap_or(""),
            s["to_country"].as_str().unwrap_or(""),
            s["pairs"].as_u64().unwrap_or(0),
            s["rerouted"].as_u64().unwrap_or(0),
            s["delayed"].as_u64().unwrap_or(0),
            s["cut_off"].as_u64().unwrap_or(0),
            num("mean_delta_duration_h", &|h| format!("{:+.1}", h / 24.0)),
            num("mean_delta_cost_usd", &|u| format!("{u:+.0}")),
        ));
    }
    out.push_str(&format!(
        "\n{} pairs: {} rerouted, {} delayed on the same route, {} cut off",
        cmp.pairs.len(),
        cmp.count("rerouted"),
        cmp.count("delayed"),
        cmp.count("cut off")
    ));
    out
}
