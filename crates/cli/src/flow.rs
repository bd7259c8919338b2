//! `silkroute flow`: assigns a yearly origin–destination trade matrix to the
//! network, all-or-nothing or to a user equilibrium with congestion on the
//! capacitated border crossings and ferries (`data/bri/capacities.toml`),
//! and reports loads and utilisation per element and per corridor.
//!
//! The assignment and its setup are the API's (`silkroute_api::flow`); this
//! shell reads the OD file and an optional scenario, draws the progress
//! bar and prints the table or CSV.

use std::path::{Path, PathBuf};

use silkroute_api::flow::{FlowElement, FlowReport, FlowRequest, VolumeUnit};
use silkroute_api::od::ValueColumn;
use silkroute_api::{FlowMethod, ServiceOptions};

use crate::args::ShipmentArgs;
use crate::progress::{Bar, Context};
use crate::{Outcome, build, files, output, scenario};

#[derive(Clone, Copy, Debug, clap::ValueEnum, PartialEq)]
pub enum MethodArg {
    /// All-or-nothing: every pair's whole volume on its free-flow shortest path.
    Aon,
    /// User equilibrium by Frank–Wolfe with a BPR delay on capacitated elements.
    Equilibrium,
    /// User equilibrium by the method of successive averages (step 1/(k+1)).
    Msa,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum, PartialEq)]
pub enum Unit {
    /// Twenty-foot equivalent units per year.
    Teu,
    /// Tonnes per year.
    Tonnes,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum, PartialEq)]
pub enum FlowFormat {
    /// Aligned text for people: the loaded elements and corridors.
    Table,
    /// One row per loaded element and corridor.
    Csv,
    /// The assignment, its convergence and every loaded element.
    Json,
    /// One Feature per loaded element, with its load and utilisation.
    Geojson,
}

#[derive(clap::Args)]
#[command(after_help = "Examples:\n  \
silkroute flow --od data/scenarios/od-trade-example.csv\n  \
silkroute flow --od trade.csv --scenario kazakh-border-congestion --format json --out flows.json\n  \
silkroute flow --od trade.csv --method aon --format geojson > loads.geojson\n\n\
The OD file is a CSV with `from`, `to` and `volume` columns (volume per year, in --unit). \
Capacities come from data/bri/capacities.toml (each with its source); crossings and ferries \
without a published capacity are uncapacitated and listed as such. Each capacitated element \
adds free × 0.15 × (flow / capacity)^4 to every use (the BPR function).")]
pub struct Args {
    /// CSV with `from`, `to` and `volume` columns (volumes ≥ 0, at most
    /// 1e10 a year in all). A pair listed more than once is assigned once
    /// with the sum of its volumes.
    #[arg(long, value_name = "CSV")]
    od: PathBuf,
    /// The volume unit of the OD file (capacities are converted with the
    /// cost model's cargo.teu_tonnes where a record gives the other unit).
    #[arg(long, value_enum, default_value = "teu")]
    unit: Unit,
    /// A named scenario (see `silkroute scenario list`): its closures,
    /// delays and capacity factors apply.
    #[arg(long, value_name = "NAME")]
    scenario: Option<String>,
    /// A TOML file of your own scenarios (schema of
    /// data/scenarios/scenarios.toml) to take --scenario from.
    #[arg(long, value_name = "TOML")]
    scenarios: Option<PathBuf>,
    /// How the volumes are assigned to routes.
    #[arg(long, value_enum, default_value = "equilibrium")]
    method: MethodArg,
    /// Most iterations after the first all-or-nothing assignment.
    #[arg(long, default_value_t = 50)]
    iterations: usize,
    /// Stop when the relative gap (TSTT − SPTT) / TSTT is at most this.
    #[arg(long, default_value_t = 1e-3)]
    gap: f64,
    /// Modes the flows may use.
    #[arg(long, default_value = "rail,road,sea,ferry")]
    modes: String,
    /// A TOML file overriding any part of the default cost model
    /// (data/cost_model.toml, explained in docs/COST_MODEL.md).
    #[arg(long, value_name = "FILE")]
    cost_model: Option<PathBuf>,
    /// How to print the result.
    #[arg(long, value_enum, default_value = "table")]
    format: FlowFormat,
    /// Write here (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub fn run(ctx: &Context, network: Option<&Path>, args: Args) -> Outcome {
    if !(args.gap >= 0.0 && args.gap.is_finite()) {
        return Err(silkroute_api::Error::invalid_value(
            "--gap must be a number ≥ 0",
        ));
    }
    let shipment = ShipmentArgs {
        cargo: "teu".into(),
        cost_model: args.cost_model.clone(),
    }
    .shipment()?;
    let modes = silkroute_api::parse::modes(&args.modes)?;
    crate::output::check_out(args.out.as_deref())?;
    let user = scenario::user_scenarios(args.scenarios.as_deref())?;
    if let (Some(list), Some(name)) = (&user, &args.scenario) {
        silkroute_api::catalogue::find_scenario(list, name)?;
    }
    let service = build::service(ctx, network, ServiceOptions::default())?;
    let chosen = match (&args.scenario, &user) {
        (None, _) => None,
        (Some(name), Some(list)) => Some(silkroute_api::catalogue::find_scenario(list, name)?),
        (Some(name), None) => Some(service.catalogue().scenario(name)?),
    }
    .cloned();
    let od = files::pairs(
        &args.od,
        &service,
        Some(ValueColumn {
            name: "volume",
            required: true,
            what: "volume",
        }),
    )?;
    let bar = Bar::new(ctx, &format!("flow: {} pairs", od.pairs.len()));
    let report = service.flow(
        &FlowRequest {
            od,
            unit: match args.unit {
                Unit::Teu => VolumeUnit::Teu,
                Unit::Tonnes => VolumeUnit::Tonnes,
            },
            scenario: chosen,
            method: match args.method {
                MethodArg::Aon => FlowMethod::AllOrNothing,
                MethodArg::Equilibrium => FlowMethod::FrankWolfe,
                MethodArg::Msa => FlowMethod::SuccessiveAverages,
            },
            iterations: args.iterations,
            gap: args.gap,
            modes,
            shipment,
        },
        &bar,
    )?;
    bar.finish();
    let text = match args.format {
        FlowFormat::Json => output::pretty(&report.json()),
        FlowFormat::Geojson => output::pretty(&report.geojson(service.net())),
        FlowFormat::Csv => csv(&report),
        FlowFormat::Table => table(&report, &args),
    };
    output::deliver(ctx, args.out.as_deref(), &text)
}

fn csv(report: &FlowReport) -> String {
    let rows = &report.elements;
    let load: Vec<f64> = rows.iter().map(|e| e.load).collect();
    let delay_h = |r: &FlowElement| report.delay_h(r);

    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "kind",
        "id",
        "name",
        "load",
        "bottleneck_flow",
        "capacity",
        "utilisation",
        "congestion_delay_h",
    ]);
    for (r, l) in rows.iter().zip(&load) {
        let _ = w.write_record([
            r.kind.to_string(),
            r.id.clone(),
            r.name.clone(),
            format!("{l:.1}"),
            String::new(),
            r.capacity.map_or(String::new(), |c| format!("{c:.0}")),
            util(*l, r.capacity).map_or(String::new(), |u| format!("{u:.3}")),
            delay_h(r).map_or(String::new(), |d| format!("{d:.2}")),
        ]);
    }
    for row in &report.corridors {
        let (c, load, cap, through, u, d) = (
            &row.id,
            row.load,
            row.capacity.as_ref(),
            row.bottleneck_flow,
            row.utilisation,
            row.delay_h,
        );
        let _ = w.write_record([
            "corridor".to_string(),
            c.clone(),
            String::new(),
            format!("{load:.1}"),
            through.map_or(String::new(), |t| format!("{t:.1}")),
            cap.map_or(String::new(), |c| format!("{:.0}", c.capacity)),
            u.map_or(String::new(), |u| format!("{u:.3}")),
            d.map_or(String::new(), |d| format!("{d:.2}")),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

fn table(report: &FlowReport, args: &Args) -> String {
    let rows = &report.elements;
    let load: Vec<f64> = rows.iter().map(|e| e.load).collect();
    let delay_h = |r: &FlowElement| report.delay_h(r);
    let (method_name, unit) = (report.method_name(), report.unit.label());
    let (result, changes) = (&report.result, &report.changes);
    let unassigned = report.unassigned;
    let mut out = format!(
        "{method_name} of {} pairs ({:.0} {unit}) over {}{}\n",
        report.od.pairs.len(),
        report.total_volume(),
        report.modes,
        report
            .scenario
            .as_ref()
            .map_or(String::new(), |s| format!(", scenario {s}"))
    );
    for c in changes {
        out.push_str(&format!("  {c}\n"));
    }
    if !result.iterations.is_empty() {
        out.push_str("\niteration  relative gap  step\n");
        for (k, it) in result.iterations.iter().enumerate() {
            out.push_str(&format!(
                "{:>9}  {:>12.2e}  {:.4}\n",
                k + 1,
                it.gap,
                it.step
            ));
        }
    }
    out.push_str(&format!(
        "final relative gap {:.2e} ({})\n",
        result.gap,
        if args.method == MethodArg::Aon {
            "all-or-nothing ignores congestion: the gap measures how far from an equilibrium its loads are".to_string()
        } else if result.converged {
            format!("converged to ≤ {:.0e}", args.gap)
        } else {
            format!(
                "NOT converged to {:.0e} in {} iterations",
                args.gap, args.iterations
            )
        }
    ));
    if unassigned > 0.0 {
        out.push_str(&format!("unassigned (no route): {unassigned:.0} {unit}\n"));
    }
    out.push_str(&format!(
        "\n{:<16} {:<28} {:>12} {:>12} {:>7} {:>9}\n",
        "element", "id", "load", "capacity", "util", "+delay h"
    ));
    let mut order: Vec<usize> = (0..rows.len()).collect();
    order.sort_by(|a, b| load[*b].total_cmp(&load[*a]).then(a.cmp(b)));
    for i in order {
        let r = &rows[i];
        out.push_str(&format!(
            "{:<16} {:<28} {:>12.0} {:>12} {:>7} {:>9}\n",
            r.kind,
            r.id,
            load[i],
            r.capacity.map_or("—".to_string(), |c| format!("{c:.0}")),
            util(load[i], r.capacity).map_or("—".to_string(), |u| format!("{:.0}%", u * 100.0)),
            delay_h(r).map_or("—".to_string(), |d| format!("{d:.1}")),
        ));
    }
    out.push_str(&format!(
        "\n{:<28} {:>12} {:>12} {:>12} {:>7} {:>9}\n",
        "corridor", "load", "bottleneck", "capacity", "util", "+delay h"
    ));
    for row in &report.corridors {
        let (c, load, cap, through, u, d) = (
            &row.id,
            row.load,
            row.capacity.as_ref(),
            row.bottleneck_flow,
            row.utilisation,
            row.delay_h,
        );
        out.push_str(&format!(
            "{:<28} {:>12.0} {:>12} {:>12} {:>7} {:>9}\n",
            c,
            load,
            through.map_or("—".to_string(), |t| format!("{t:.0}")),
            cap.map_or("—".to_string(), |c| format!("{:.0}", c.capacity)),
            u.map_or("—".to_string(), |u| format!("{:.0}%", u * 100.0)),
            d.map_or("—".to_string(), |d| format!("{d:.1}")),
        ));
    }
    for c in &report.corridor_capacities {
        out.push_str(&format!(
            "{}'s capacity applies to the flow through {}\n",
            c.id,
            c.parts.join(", ")
        ));
    }
    out.push_str(
        "\nload: pairs' paths named after the corridor. — = no published capacity (uncapacitated in the assignment); see data/bri/capacities.toml",
    );
    out
}

fn util(load: f64, capacity: Option<f64>) -> Option<f64> {
    capacity.map(|c| load / c)
}
