//! `silkroute flow`: assigns a yearly origin–destination trade matrix to the
//! network, all-or-nothing or to a user equilibrium with congestion on the
//! capacitated border crossings and ferries (`data/bri/capacities.toml`),
//! and reports loads and utilisation per element and per corridor.
//!
//! The algorithm is `silkroute_route::flow`; this shell reads the OD file,
//! locates the curated elements (`elements`), applies an optional scenario
//! (its delays, closures and capacity factors), answers each iteration's
//! all-or-nothing searches on the hierarchy (one customization per
//! iteration), and renders the result. Route choice minimises time:
//! congestion is a delay, and the cost model has no value of time to price
//! it.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::json;
use silkroute_cost::Cargo;
use silkroute_model::NodeId;
use silkroute_route::flow::{self, Capacitated, Method, Settings};
use silkroute_route::places::Gazetteer;
use silkroute_route::search::Filter;
use silkroute_route::{Objective, Pricing, ResolvedPlace, metric, snap};

use crate::elements::Elements;
use crate::progress::{Bar, Context};
use crate::{Failure, build, output, places_file, query, scenario};

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
    Table,
    Csv,
    Json,
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
    /// CSV with `from`, `to` and `volume` columns.
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
    #[arg(long, value_name = "FILE")]
    cost_model: Option<PathBuf>,
    #[arg(long, value_enum, default_value = "table")]
    format: FlowFormat,
    /// Write here (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

struct Pair {
    from: ResolvedPlace,
    to: ResolvedPlace,
    volume: f64,
}

fn read_od(path: &Path, gazetteer: &Gazetteer) -> Result<Vec<Pair>, Failure> {
    Ok(
        places_file::read_pairs(path, gazetteer, Some(("volume", true, "volume")))?
            .into_iter()
            .map(|r| Pair {
                from: r.from,
                to: r.to,
                volume: r.value.expect("a required column"),
            })
            .collect(),
    )
}

/// An element of the assignment with what the report says about it.
struct Row {
    id: String,
    name: String,
    kind: &'static str,
    capacity: Option<f64>,
    factor: f64,
    source: Option<String>,
    pos: silkroute_model::LatLon,
    element: Option<usize>,
    arcs: Vec<u32>,
}

fn r3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

pub fn run(ctx: &Context, network: Option<&Path>, args: Args) -> Result<(), Failure> {
    if !(args.gap >= 0.0 && args.gap.is_finite()) {
        return Err(Failure::input("--gap must be a number ≥ 0"));
    }
    let shipment = query::Shipment {
        cargo: "teu".into(),
        cost_model: args.cost_model.clone(),
    };
    let (modes, _, _, model) =
        query::check_options(&query::QueryArgs::plain(&args.modes, "time", &shipment))?;
    let scenarios = scenario::load(args.scenarios.as_deref())?;
    let chosen = match &args.scenario {
        Some(name) => Some(scenario::find(&scenarios, name)?),
        None => None,
    };
    let net = build::open_network(ctx, network)?;
    let gazetteer = Gazetteer::new(net.places()?);
    let pairs = read_od(&args.od, &gazetteer)?;
    let elements = Elements::load(&net)?;
    let mut filter = Filter::new(modes);
    let changes = match chosen {
        Some(s) => scenario::apply(s, &net, &gazetteer, &elements, &mut filter)?,
        None => Vec::new(),
    };
    let cargo = match args.unit {
        Unit::Teu => Cargo::Teu(1.0),
        Unit::Tonnes => Cargo::Tonnes(1.0),
    };
    let pricing = Pricing {
        model: &model,
        cargo,
    };
    let base = metric::weights(&net, &pricing, Objective::Time, &filter);
    // Capacitated elements: located crossings and ferries with a capacity.
    let teu_tonnes = model.cargo.teu_tonnes;
    let capacity_of = |id: &str, kind: &str| -> Option<(f64, String)> {
        let c = elements
            .capacities
            .iter()
            .find(|c| c.id == id && c.kind == kind)?;
        let value = match args.unit {
            Unit::Teu => c.teu_per_year.or(c.tonnes_per_year.map(|t| t / teu_tonnes)),
            Unit::Tonnes => c.tonnes_per_year.or(c.teu_per_year.map(|t| t * teu_tonnes)),
        }?;
        Some((value, c.source.clone()))
    };
    let head = net.arc_head();
    let mut rows: Vec<Row> = Vec::new();
    let mut capacitated: Vec<Capacitated> = Vec::new();
    for e in &elements.located {
        let factor = filter.penalties.as_ref().map_or(1.0, |p| {
            e.arcs
                .iter()
                .map(|a| p.capacity_factor(*a))
                .fold(1.0, f64::min)
        });
        let cap = capacity_of(&e.id, e.kind);
        let free_s = e
            .arcs
            .iter()
            .map(|a| base[*a as usize])
            .filter(|w| *w != u32::MAX)
            .max()
            .unwrap_or(0) as f64;
        let element = match &cap {
            Some((c, _)) if free_s > 0.0 => {
                capacitated.push(Capacitated {
                    arcs: e.arcs.clone(),
                    capacity: c * factor,
                    free_s,
                });
                Some(capacitated.len() - 1)
            }
            _ => None,
        };
        let a = e.arcs[0] as usize;
        let tail = silkroute_route::search::tail_of(net.first_out(), a as u32);
        let (p, q) = (net.pos(NodeId(tail)), net.pos(NodeId(head[a])));
        rows.push(Row {
            id: e.id.clone(),
            name: e.name.clone(),
            kind: e.kind,
            capacity: cap.as_ref().map(|c| c.0 * factor),
            factor,
            source: cap.map(|c| c.1),
            pos: silkroute_model::LatLon::new((p.lat + q.lat) / 2.0, (p.lon + q.lon) / 2.0),
            element,
            arcs: e.arcs.clone(),
        });
    }
    // Corridors whose capacity applies to a set of crossings or ferries.
    struct CorridorCap {
        id: String,
        capacity: f64,
        factor: f64,
        parts: Vec<String>,
        element: usize,
    }
    let mut corridor_caps: Vec<CorridorCap> = Vec::new();
    for c in elements.capacities.iter().filter(|c| c.kind == "corridor") {
        let mut arcs: Vec<u32> = elements
            .located
            .iter()
            .filter(|e| c.applies_to.contains(&e.id))
            .flat_map(|e| e.arcs.iter().copied())
            .collect();
        arcs.sort_unstable();
        arcs.dedup();
        let Some((cap, _)) = capacity_of(&c.id, "corridor") else {
            continue;
        };
        let free_s = arcs
            .iter()
            .map(|a| base[*a as usize])
            .filter(|w| *w != u32::MAX)
            .max()
            .unwrap_or(0) as f64;
        if arcs.is_empty() || free_s == 0.0 {
            continue;
        }
        // A cut at one part removes that part's lost capacity from the
        // corridor's; a cut part without a capacity of its own cuts the
        // whole corridor by its factor (the conservative reading).
        let factor = filter.penalties.as_ref().map_or(1.0, |p| {
            let mut lost = 0.0;
            let mut floor: f64 = 1.0;
            for e in elements
                .located
                .iter()
                .filter(|e| c.applies_to.contains(&e.id))
            {
                let f = e
                    .arcs
                    .iter()
                    .map(|a| p.capacity_factor(*a))
                    .fold(1.0, f64::min);
                if f < 1.0 {
                    match capacity_of(&e.id, e.kind) {
                        Some((part, _)) => lost += part * (1.0 - f),
                        None => floor = floor.min(f),
                    }
                }
            }
            ((1.0 - lost / cap).max(0.01)).min(floor)
        });
        capacitated.push(Capacitated {
            arcs,
            capacity: cap * factor,
            free_s,
        });
        corridor_caps.push(CorridorCap {
            id: c.id.clone(),
            capacity: cap * factor,
            factor,
            parts: c.applies_to.clone(),
            element: capacitated.len() - 1,
        });
    }
    // Snapping candidates per pair, priced in seconds.
    let cands = |p: &ResolvedPlace| -> Vec<(snap::Candidate, u64)> {
        snap::candidates(&net, p.pos, &filter)
            .into_iter()
            .map(|c| {
                let a = metric::access_cost(
                    &pricing,
                    Objective::Time,
                    c.distance_m,
                    snap::ACCESS_CIRCUITY,
                );
                (c, a)
            })
            .collect()
    };
    let od: Vec<_> = pairs
        .iter()
        .map(|p| (cands(&p.from), cands(&p.to)))
        .collect();
    let volumes: Vec<f64> = pairs.iter().map(|p| p.volume).collect();
    let mut engine = silkroute_route::fast::Engine::new(&net, true);
    let method = match args.method {
        MethodArg::Aon => Method::AllOrNothing,
        MethodArg::Equilibrium => Method::FrankWolfe,
        MethodArg::Msa => Method::SuccessiveAverages,
    };
    let settings = Settings {
        method,
        iterations: args.iterations,
        gap: args.gap,
    };
    let bar = Bar::new(ctx, &format!("flow: {} pairs", pairs.len()));
    silkroute_model::Progress::stage(&bar, "iterations", args.iterations as u64);
    let mut shortest = |w: &[u32]| -> Vec<flow::Shortest> {
        engine
            .paths_with_weights(modes, w, &od)
            .into_iter()
            .zip(&od)
            .map(|(f, (o, t))| {
                f.map(|f| {
                    let access = |set: &[(snap::Candidate, u64)], node| {
                        set.iter().find(|c| c.0.node == node).map_or(0, |c| c.1)
                    };
                    let acc = access(o, f.origin.node) + access(t, f.target.node);
                    (f.arcs, acc)
                })
            })
            .collect()
    };
    let mut cancelled = false;
    let result = flow::assign(
        &base,
        &capacitated,
        &volumes,
        settings,
        &mut shortest,
        &mut |_, _| {
            silkroute_model::Progress::advance(&bar, 1);
            cancelled = silkroute_model::Progress::cancelled(&bar);
            !cancelled
        },
    );
    bar.finish();
    if cancelled {
        return Err(Failure {
            code: 130,
            message: "interrupted; nothing was written".into(),
        });
    }
    // Loads per element (capacitated or not) and per corridor.
    let mut load = vec![0.0; rows.len()];
    let mut corridor_load: BTreeMap<String, f64> = BTreeMap::new();
    let mut pair_corridors: Vec<Vec<(String, f64)>> = Vec::new();
    let mut unassigned = 0.0;
    for (v, ps) in volumes.iter().zip(&result.paths) {
        if ps.is_empty() {
            unassigned += v;
        }
        let mut shares: Vec<(String, f64)> = Vec::new();
        for p in ps {
            for (i, r) in rows.iter().enumerate() {
                let uses = p.arcs.iter().filter(|a| r.arcs.contains(a)).count();
                load[i] += v * p.share * uses as f64;
            }
            let c = elements
                .corridor_of_arcs(&net, &p.arcs)
                .map_or("(none)".to_string(), |c| c.id.clone());
            *corridor_load.entry(c.clone()).or_default() += v * p.share;
            match shares.iter_mut().find(|s| s.0 == c) {
                Some(s) => s.1 += p.share,
                None => shares.push((c, p.share)),
            }
        }
        pair_corridors.push(shares);
    }
    let unit = match args.unit {
        Unit::Teu => "TEU/year",
        Unit::Tonnes => "tonnes/year",
    };
    let corridor_cap = |id: &str| corridor_caps.iter().find(|c| c.id == id);
    let mut corridor_ids: Vec<String> = corridor_load.keys().cloned().collect();
    for c in &corridor_caps {
        if !corridor_ids.contains(&c.id) {
            corridor_ids.push(c.id.clone());
        }
    }
    corridor_ids.sort();
    // Per corridor: the load of the pairs' paths named after it, and for a
    // capacitated corridor the flow through its bottleneck, utilisation and
    // congestion delay.
    let corridor_row = |id: &str| {
        let load = corridor_load.get(id).copied().unwrap_or(0.0);
        let cap = corridor_cap(id);
        let through = cap.map(|c| result.flows[c.element]);
        (
            load,
            cap,
            through,
            cap.map(|c| result.flows[c.element] / c.capacity),
            cap.map(|c| capacitated[c.element].delay_s(result.flows[c.element]) / 3600.0),
        )
    };
    let method_name = match args.method {
        MethodArg::Aon => "all-or-nothing",
        MethodArg::Equilibrium => "Frank-Wolfe user equilibrium",
        MethodArg::Msa => "method of successive averages",
    };
    let util = |l: f64, c: Option<f64>| c.map(|c| l / c);
    let delay_h = |r: &Row| {
        r.element
            .map(|e| capacitated[e].delay_s(result.flows[e]) / 3600.0)
    };
    let text = match args.format {
        FlowFormat::Json => output::pretty(&json!({
            "code": "Ok",
            "method": method_name,
            "unit": unit,
            "modes": modes.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
            "scenario": chosen.map(|s| json!({"id": s.id, "changes": changes})),
            "bpr": {"alpha": flow::BPR_ALPHA, "beta": flow::BPR_BETA},
            "iterations": result.iterations.iter().enumerate().map(|(k, it)| json!({"iteration": k + 1, "gap": it.gap, "step": it.step})).collect::<Vec<_>>(),
            "final_gap": result.gap,
            "converged": result.converged,
            "target_gap": args.gap,
            "total_volume": volumes.iter().sum::<f64>(),
            "unassigned_volume": unassigned,
            "elements": rows.iter().zip(&load).map(|(r, l)| json!({
                "id": r.id, "name": r.name, "kind": r.kind, "load": r3(*l),
                "capacity": r.capacity, "capacity_factor": r.factor,
                "utilisation": util(*l, r.capacity).map(r3),
                "congestion_delay_h": delay_h(r).map(r3),
                "capacity_source": r.source,
            })).collect::<Vec<_>>(),
            "corridors": corridor_ids.iter().map(|c| {
                let (load, cap, through, u, d) = corridor_row(c);
                json!({
                    "corridor": c, "load": r3(load),
                    "capacity": cap.map(|x| x.capacity), "capacity_factor": cap.map(|x| x.factor),
                    "bottleneck": cap.map(|x| x.parts.clone()),
                    "bottleneck_flow": through.map(r3), "utilisation": u.map(r3),
                    "congestion_delay_h": d.map(r3),
                })
            }).collect::<Vec<_>>(),
            "pairs": pairs.iter().zip(&result.paths).zip(&pair_corridors).map(|((p, ps), sh)| json!({
                "from": p.from.label(), "to": p.to.label(), "volume": p.volume,
                "reachable": !ps.is_empty(), "paths": ps.len(),
                "corridors": sh.iter().map(|(c, s)| json!({"corridor": c, "share": r3(*s)})).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        })),
        FlowFormat::Csv => {
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
            for c in &corridor_ids {
                let (load, cap, through, u, d) = corridor_row(c);
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
        FlowFormat::Geojson => {
            let mut features = Vec::new();
            for (r, l) in rows.iter().zip(&load) {
                features.push(json!({
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [r3(r.pos.lon), r3(r.pos.lat)]},
                    "properties": {"id": r.id, "name": r.name, "kind": r.kind, "load": r3(*l), "capacity": r.capacity, "utilisation": util(*l, r.capacity).map(r3), "congestion_delay_h": delay_h(r).map(r3)},
                }));
            }
            for (p, ps) in pairs.iter().zip(&result.paths) {
                for path in ps {
                    let start = match path.arcs.first() {
                        Some(a) => silkroute_route::search::tail_of(net.first_out(), *a),
                        None => continue,
                    };
                    let pts: Vec<_> =
                        silkroute_route::search::node_path(&net, NodeId(start), &path.arcs)
                            .iter()
                            .map(|v| net.pos(*v))
                            .collect();
                    let parts = output::split_antimeridian(&pts);
                    features.push(json!({
                        "type": "Feature",
                        "geometry": if parts.len() == 1 { json!({"type": "LineString", "coordinates": parts[0]}) } else { json!({"type": "MultiLineString", "coordinates": parts}) },
                        "properties": {"from": p.from.label(), "to": p.to.label(), "volume": r3(p.volume * path.share), "share": r3(path.share)},
                    }));
                }
            }
            output::pretty(&json!({"type": "FeatureCollection", "features": features}))
        }
        FlowFormat::Table => {
            let mut out = format!(
                "{method_name} of {} pairs ({:.0} {unit}) over {}{}\n",
                pairs.len(),
                volumes.iter().sum::<f64>(),
                modes,
                chosen.map_or(String::new(), |s| format!(", scenario {}", s.id))
            );
            for c in &changes {
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
                    util(load[i], r.capacity)
                        .map_or("—".to_string(), |u| format!("{:.0}%", u * 100.0)),
                    delay_h(r).map_or("—".to_string(), |d| format!("{d:.1}")),
                ));
            }
            out.push_str(&format!(
                "\n{:<28} {:>12} {:>12} {:>12} {:>7} {:>9}\n",
                "corridor", "load", "bottleneck", "capacity", "util", "+delay h"
            ));
            for c in &corridor_ids {
                let (load, cap, through, u, d) = corridor_row(c);
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
            for c in &corridor_caps {
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
    };
    output::deliver(ctx, args.out.as_deref(), &text)
}
