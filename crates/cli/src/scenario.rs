//! `silkroute scenario`: named disruptions (`data/scenarios/scenarios.toml`)
//! and before/after comparisons over origin–destination pairs.
//!
//! A scenario closes passages, countries or areas. The baseline and the
//! scenario are two metrics on the same compiled topology, so running a
//! scenario re-weights and re-customizes the hierarchy (a fraction of a
//! second on the world network) rather than rebuilding anything.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use silkroute_route::fast::Engine;
use silkroute_route::places::Gazetteer;
use silkroute_route::{Pricing, Request, ResolvedPlace, Route};

use crate::progress::{Bar, Context};
use crate::query::{self, QueryArgs};
use crate::{Failure, build, output, places_file};

#[derive(clap::Subcommand)]
pub enum Command {
    /// List the named scenarios and what they model.
    List,
    /// Compare every origin–destination pair before and after a scenario.
    Run(RunArgs),
}

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, Debug, clap::ValueEnum, PartialEq)]
pub enum RunFormat {
    Table,
    Csv,
    Json,
}

#[derive(clap::Args)]
pub struct RunArgs {
    /// The scenario's id (see `silkroute scenario list`).
    name: String,
    /// CSV of pairs with `from` and `to` columns (any place form `route`
    /// accepts).
    #[arg(long, value_name = "CSV")]
    od: PathBuf,
    /// Modes the routes may use. Surface freight by default: air cargo is
    /// another market, and would hide every sea or land disruption.
    #[arg(long, default_value = "rail,road,sea,ferry")]
    modes: String,
    /// What each pair's route minimises. Cost by default: cargo takes the
    /// cheapest route, and a disruption shows up in its extra days and USD.
    #[arg(long, default_value = "cost")]
    optimize: String,
    #[arg(long, default_value = "feu")]
    cargo: String,
    #[arg(long, value_name = "FILE")]
    cost_model: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "table")]
    format: RunFormat,
    /// Write here (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub fn run(ctx: &Context, network: Option<&Path>, args: Args) -> Result<(), Failure> {
    let scenarios = silkroute_import::scenarios(&silkroute_import::Sources::embedded())?;
    match args.command {
        Command::List => {
            let mut out = String::new();
            for s in &scenarios {
                out.push_str(&format!(
                    "{:<20} {}\n{:<20} source: {}\n\n",
                    s.id, s.name, "", s.source
                ));
            }
            output::emit(&out);
            Ok(())
        }
        Command::Run(a) => run_scenario(ctx, network, &scenarios, a),
    }
}

fn read_pairs(
    path: &Path,
    gazetteer: &Gazetteer,
) -> Result<Vec<(ResolvedPlace, ResolvedPlace)>, Failure> {
    let bad = |line: u64, what: String| places_file::bad(path, line, what);
    let (mut reader, header) = places_file::open(path)?;
    let (Some(f), Some(t)) = (
        header.iter().position(|h| h == "from"),
        header.iter().position(|h| h == "to"),
    ) else {
        return Err(bad(
            1,
            format!("needs `from` and `to` columns; found {header:?}"),
        ));
    };
    let mut pairs = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| bad(e.position().map_or(0, |p| p.line()), e.to_string()))?;
        let line = rec.position().map_or(0, |p| p.line());
        let from = gazetteer
            .resolve(&rec[f])
            .map_err(|e| bad(line, e.to_string()))?;
        let to = gazetteer
            .resolve(&rec[t])
            .map_err(|e| bad(line, e.to_string()))?;
        pairs.push((from, to));
    }
    if pairs.is_empty() {
        return Err(Failure::input(format!("{}: no pairs", path.display())));
    }
    Ok(pairs)
}

fn summary(r: &Result<Route, silkroute_route::RouteError>) -> Value {
    match r {
        Ok(route) => json!({
            "reachable": true,
            "duration_h": (route.total.time_h * 100.0).round() / 100.0,
            "cost_usd": route.total.cost_usd.round(),
            "co2e_kg": route.total.co2e_kg_wtw.round(),
            "distance_km": (route.distance_m / 100.0).round() / 10.0,
            "passages": route.passages().iter().map(|p| p.as_str()).collect::<Vec<_>>(),
            "countries": route.countries(),
        }),
        Err(e) => json!({"reachable": false, "reason": e.to_string()}),
    }
}

fn run_scenario(
    ctx: &Context,
    network: Option<&Path>,
    scenarios: &[silkroute_import::Scenario],
    a: RunArgs,
) -> Result<(), Failure> {
    let Some(scenario) = scenarios.iter().find(|s| s.id == a.name) else {
        let names: Vec<&str> = scenarios.iter().map(|s| s.id.as_str()).collect();
        return Err(Failure::input(format!(
            "unknown scenario {:?} (choose from {})",
            a.name,
            names.join(", ")
        )));
    };
    // The scenario's closures are --avoid items, checked like a user's.
    let mut avoid: Vec<String> = scenario.close_passages.clone();
    avoid.extend(scenario.close_countries.iter().cloned());
    let mut avoid = vec![avoid.join(",")];
    avoid.retain(|s| !s.is_empty());
    for [w, s, e, n] in &scenario.close_areas {
        avoid.push(format!("bbox:{w},{s},{e},{n}"));
    }
    let base_args = QueryArgs {
        modes: a.modes.clone(),
        optimize: a.optimize.clone(),
        cargo: a.cargo.clone(),
        cost_model: a.cost_model.clone(),
        avoid: Vec::new(),
        via: Vec::new(),
    };
    let scen_args = QueryArgs {
        avoid,
        ..base_args.clone()
    };
    query::check_options(&base_args)?;
    let net = build::open_network(ctx, network)?;
    let gazetteer = Gazetteer::new(net.places()?);
    let pairs = read_pairs(&a.od, &gazetteer)?;
    let base = query::build(&base_args, &net, &gazetteer)?;
    let scen = query::build(&scen_args, &net, &gazetteer)?;
    let mut engine = Engine::new(&net, true);
    let bar = Bar::new(
        ctx,
        &format!("scenario {} on {} pairs", scenario.id, pairs.len()),
    );
    silkroute_model::Progress::stage(&bar, "pairs", pairs.len() as u64);
    let mut rows = Vec::new();
    for (from, to) in &pairs {
        fn ask<'q>(q: &'q query::Query, from: &ResolvedPlace, to: &ResolvedPlace) -> Request<'q> {
            Request {
                from: from.clone(),
                to: to.clone(),
                via_places: Vec::new(),
                via_passage: None,
                filter: q.filter.clone(),
                objective: q.objective,
                pricing: Pricing {
                    model: &q.model,
                    cargo: q.cargo,
                },
                constraints: q.constraints.clone(),
            }
        }
        let before = engine.best_route(&gazetteer, &ask(&base, from, to));
        let after = engine.best_route(&gazetteer, &ask(&scen, from, to));
        rows.push((from.label(), to.label(), before, after));
        silkroute_model::Progress::advance(&bar, 1);
        if silkroute_model::Progress::cancelled(&bar) {
            return Err(Failure {
                code: 130,
                message: "interrupted; nothing was written".into(),
            });
        }
    }
    bar.finish();
    let delta = |b: &Result<Route, _>, s: &Result<Route, _>| -> Option<(f64, f64, f64)> {
        match (b, s) {
            (Ok(b), Ok(s)) => Some((
                s.total.time_h - b.total.time_h,
                s.total.cost_usd - b.total.cost_usd,
                s.total.co2e_kg_wtw - b.total.co2e_kg_wtw,
            )),
            _ => None,
        }
    };
    let status = |b: &Result<Route, silkroute_route::RouteError>,
                  s: &Result<Route, silkroute_route::RouteError>|
     -> &'static str {
        match (b, s) {
            (Ok(b), Ok(s)) if b.arcs == s.arcs => "unchanged",
            (Ok(_), Ok(_)) => "rerouted",
            (Ok(_), Err(_)) => "cut off",
            (Err(_), _) => "no baseline route",
        }
    };
    let text = match a.format {
        RunFormat::Json => output::pretty(&json!({
            "code": "Ok",
            "scenario": {"id": scenario.id, "name": scenario.name, "source": scenario.source, "closes": scen.constraints},
            "objective": base.objective.as_str(),
            "modes": base.modes.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
            "pairs": rows.iter().map(|(f, t, b, s)| {
                let d = delta(b, s);
                json!({
                    "from": f, "to": t, "status": status(b, s),
                    "baseline": summary(b), "scenario": summary(s),
                    "delta": d.map(|(h, c, e)| json!({"duration_h": (h * 100.0).round() / 100.0, "cost_usd": c.round(), "co2e_kg": e.round()})),
                })
            }).collect::<Vec<_>>(),
        })),
        RunFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let _ = w.write_record([
                "from",
                "to",
                "status",
                "baseline_duration_h",
                "scenario_duration_h",
                "delta_duration_h",
                "baseline_cost_usd",
                "scenario_cost_usd",
                "delta_cost_usd",
                "baseline_co2e_kg",
                "scenario_co2e_kg",
                "baseline_passages",
                "scenario_passages",
            ]);
            for (f, t, b, s) in &rows {
                let g = |r: &Result<Route, silkroute_route::RouteError>, k: u8| -> String {
                    r.as_ref().map_or(String::new(), |r| match k {
                        0 => format!("{:.2}", r.total.time_h),
                        1 => format!("{:.0}", r.total.cost_usd),
                        2 => format!("{:.0}", r.total.co2e_kg_wtw),
                        _ => r
                            .passages()
                            .iter()
                            .map(|p| p.as_str())
                            .collect::<Vec<_>>()
                            .join(" "),
                    })
                };
                let d = delta(b, s);
                let _ = w.write_record([
                    f.clone(),
                    t.clone(),
                    status(b, s).to_string(),
                    g(b, 0),
                    g(s, 0),
                    d.map_or(String::new(), |d| format!("{:.2}", d.0)),
                    g(b, 1),
                    g(s, 1),
                    d.map_or(String::new(), |d| format!("{:.0}", d.1)),
                    g(b, 2),
                    g(s, 2),
                    g(b, 3),
                    g(s, 3),
                ]);
            }
            String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
        }
        RunFormat::Table => {
            let mut out = format!(
                "scenario {}: {}\ncloses: {}\n\n",
                scenario.id, scenario.name, scen.constraints
            );
            out.push_str(&format!(
                "{:<28} {:<28} {:<18} {:>10} {:>10} {:>10}\n",
                "from", "to", "status", "days", "+days", "+USD"
            ));
            let mut sorted: Vec<_> = rows.iter().collect();
            sorted.sort_by(|x, y| {
                let dx = delta(&x.2, &x.3).map_or(f64::INFINITY, |d| d.0);
                let dy = delta(&y.2, &y.3).map_or(f64::INFINITY, |d| d.0);
                dy.total_cmp(&dx)
            });
            for (f, t, b, s) in sorted {
                let d = delta(b, s);
                out.push_str(&format!(
                    "{:<28} {:<28} {:<18} {:>10} {:>10} {:>10}\n",
                    f.chars().take(28).collect::<String>(),
                    t.chars().take(28).collect::<String>(),
                    status(b, s),
                    s.as_ref().map_or("—".to_string(), |r| format!(
                        "{:.1}",
                        r.total.time_h / 24.0
                    )),
                    d.map_or("—".to_string(), |d| format!("{:+.1}", d.0 / 24.0)),
                    d.map_or("—".to_string(), |d| format!("{:+.0}", d.1)),
                ));
            }
            let cut = rows
                .iter()
                .filter(|r| status(&r.2, &r.3) == "cut off")
                .count();
            let rerouted = rows
                .iter()
                .filter(|r| status(&r.2, &r.3) == "rerouted")
                .count();
            out.push_str(&format!(
                "\n{} pairs: {rerouted} rerouted, {cut} cut off",
                rows.len()
            ));
            out
        }
    };
    match &a.out {
        None => output::emit(&text),
        Some(path) => {
            output::write_atomically(path, text.as_bytes())?;
            ctx.note(&format!("wrote {}", path.display()));
        }
    }
    Ok(())
}
