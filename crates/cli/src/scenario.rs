//! `silkroute scenario`: named disruptions (`data/scenarios/scenarios.toml`)
//! and before/after comparisons over origin–destination pairs.
//!
//! A scenario closes passages, countries, areas, polygons, places, ports,
//! border crossings or whole modes, and slows targets down with extra delay
//! and cost (and capacity cuts, which `flow` uses). [`apply`] turns it into
//! a search `Filter` carrying `silkroute_route::penalties::Penalties`: the
//! baseline and the scenario are two metrics on the same compiled topology,
//! so running a scenario re-weights and re-customizes the hierarchy (a
//! fraction of a second on the world network) rather than rebuilding
//! anything. Each pair's corridor is named from the curated layer
//! (`elements`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde_json::{Value, json};
use silkroute_graph::Network;
use silkroute_model::{LatLon, Mode, ModeSet, NodeId, NodeKind, Passage, haversine_m};
use silkroute_route::fast::Engine;
use silkroute_route::penalties::{self, Penalties};
use silkroute_route::places::Gazetteer;
use silkroute_route::search::{BBox, Filter};
use silkroute_route::{Pricing, Request, ResolvedPlace, Route, RouteError};

use crate::elements::Elements;
use crate::progress::{Bar, Context};
use crate::query::{self, AVOID_PLACE_RADIUS_M, QueryArgs};
use crate::{Failure, build, output, places_file};

/// A port named by UN/LOCODE is the nearest seaport node this close.
const PORT_RADIUS_M: f64 = 30_000.0;

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

/// The built-in scenarios, or those of a user's file.
pub fn load(file: Option<&Path>) -> Result<Vec<silkroute_import::Scenario>, Failure> {
    match file {
        None => Ok(silkroute_import::scenarios(
            &silkroute_import::Sources::embedded(),
        )?),
        Some(path) => {
            let bytes = std::fs::read(path)
                .map_err(|e| Failure::input(format!("{}: {e}", path.display())))?;
            silkroute_import::scenarios_from(&bytes)
                .map_err(|e| Failure::input(format!("{}: {e}", path.display())))
        }
    }
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
    /// accepts).
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
    #[command(flatten)]
    shipment: query::Shipment,
    #[arg(long, value_enum, default_value = "table")]
    format: RunFormat,
    /// Write here (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

pub fn run(ctx: &Context, network: Option<&Path>, args: Args) -> Result<(), Failure> {
    let scenarios = load(args.scenarios.as_deref())?;
    match args.command {
        Command::List => {
            let mut out = String::new();
            for s in &scenarios {
                out.push_str(&format!("{:<26} {}\n", s.id, s.name));
                for c in describe(s) {
                    out.push_str(&format!("{:<26} {c}\n", ""));
                }
                out.push_str(&format!("{:<26} source: {}\n\n", "", s.source));
            }
            output::emit(&out);
            Ok(())
        }
        Command::Run(a) => run_scenario(ctx, network, &scenarios, a),
    }
}

/// Finds a scenario by id, or says which exist.
pub fn find<'s>(
    scenarios: &'s [silkroute_import::Scenario],
    name: &str,
) -> Result<&'s silkroute_import::Scenario, Failure> {
    scenarios.iter().find(|s| s.id == name).ok_or_else(|| {
        let names: Vec<&str> = scenarios.iter().map(|s| s.id.as_str()).collect();
        Failure::input(format!(
            "unknown scenario {name:?} (choose from {})",
            names.join(", ")
        ))
    })
}

/// What a scenario changes, in words, without the network.
pub fn describe(s: &silkroute_import::Scenario) -> Vec<String> {
    let mut out = Vec::new();
    let list =
        |what: &str, v: &[String]| (!v.is_empty()).then(|| format!("{what} {}", v.join(", ")));
    out.extend(list("close passages", &s.close_passages));
    out.extend(list("close countries", &s.close_countries));
    out.extend(list("close border crossings", &s.close_border_crossings));
    out.extend(list("close ports", &s.close_ports));
    out.extend(list("close places", &s.close_places));
    out.extend(list("close modes", &s.close_modes));
    for [w, so, e, n] in &s.close_areas {
        out.push(format!("close area {w},{so},{e},{n}"));
    }
    for p in &s.close_polygons {
        out.push(format!("close polygon of {} vertices", p.len()));
    }
    for d in &s.slowdown {
        out.push(slowdown_words(d));
    }
    out
}

fn slowdown_words(d: &silkroute_import::Slowdown) -> String {
    let mut effects = Vec::new();
    if d.delay_h > 0.0 {
        effects.push(format!("+{} h", d.delay_h));
    }
    if d.cost_usd_per_feu > 0.0 {
        effects.push(format!("+{} USD/FEU", d.cost_usd_per_feu));
    }
    if d.cost_usd_per_crossing > 0.0 {
        effects.push(format!("+{} USD per use", d.cost_usd_per_crossing));
    }
    if let Some(f) = d.capacity_factor {
        effects.push(format!("capacity ×{f}"));
    }
    format!("{} at {}", effects.join(", "), d.target())
}

fn country_code(net: &Network, cc: &str, what: &str) -> Result<u16, Failure> {
    let up = cc.trim().to_ascii_uppercase();
    let b = up.as_bytes();
    let code = if b.len() == 2 && b.iter().all(u8::is_ascii_alphabetic) {
        u16::from_le_bytes([b[0], b[1]])
    } else {
        0
    };
    if code == 0 || !net.country_codes().contains(&code) {
        return Err(Failure::input(format!(
            "{what} {cc:?}: no node of the network lies in that country (ISO 3166-1 alpha-2 codes, e.g. RU, IR, KZ)"
        )));
    }
    Ok(code)
}

fn parse_passage(p: &str, what: &str) -> Result<Passage, Failure> {
    Passage::parse(&p.trim().to_ascii_lowercase()).ok_or_else(|| {
        Failure::input(format!(
            "{what} {p:?}: unknown passage (choose from {})",
            Passage::ALL
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })
}

fn parse_mode(m: &str, what: &str) -> Result<Mode, Failure> {
    let set =
        query::parse_modes(m).map_err(|f| Failure::input(format!("{what}: {}", f.message)))?;
    let mut it = set.iter();
    match (it.next(), it.next()) {
        (Some(m), None) => Ok(m),
        _ => Err(Failure::input(format!("{what} {m:?}: name one mode"))),
    }
}

/// The seaport nodes of a port named by UN/LOCODE (or any place form).
fn port_hubs(
    net: &Network,
    gazetteer: &Gazetteer,
    port: &str,
    what: &str,
) -> Result<Vec<NodeId>, Failure> {
    let place = gazetteer
        .resolve(port)
        .map_err(|e| Failure::input(format!("{what} {port}: {e}")))?;
    let hubs = penalties::hubs_near(net, place.pos, NodeKind::Seaport, PORT_RADIUS_M);
    match hubs.first() {
        Some(v) => Ok(vec![*v]),
        None => Err(Failure::input(format!(
            "{what} {port}: no seaport of the network within {} km of {}",
            PORT_RADIUS_M / 1000.0,
            place.label()
        ))),
    }
}

/// Applies a scenario to a filter: closures as closed nodes, passages,
/// modes or arcs; slowdowns and capacity cuts as penalties. Every name is
/// checked against the network, and a target that matches nothing is an
/// error rather than a silent no-op. Returns what it changed, in words.
pub fn apply(
    s: &silkroute_import::Scenario,
    net: &Network,
    gazetteer: &Gazetteer,
    elements: &Elements,
    filter: &mut Filter,
) -> Result<Vec<String>, Failure> {
    let what = |k: &str| format!("scenario {} {k}", s.id);
    let mut p = Penalties::default();
    for name in &s.close_passages {
        filter.close(parse_passage(name, &what("close_passages"))?);
    }
    let countries = net.country_codes();
    for cc in &s.close_countries {
        let code = country_code(net, cc, &what("close_countries"))?;
        filter.close_nodes(net, |v| countries[v.index()] == code);
    }
    for [west, south, east, north] in &s.close_areas {
        let b = BBox {
            west: *west,
            south: *south,
            east: *east,
            north: *north,
        };
        filter.close_nodes(net, |v| b.contains(net.pos(v)));
    }
    for ring in &s.close_polygons {
        filter.close_nodes(net, |v| penalties::in_polygon(ring, net.pos(v)));
    }
    for place in &s.close_places {
        let at = gazetteer
            .resolve(place)
            .map_err(|e| Failure::input(format!("{} {place}: {e}", what("close_places"))))?;
        filter.close_nodes(net, |v| {
            haversine_m(at.pos, net.pos(v)) <= AVOID_PLACE_RADIUS_M
        });
    }
    for m in &s.close_modes {
        let mode = parse_mode(m, &what("close_modes"))?;
        filter.modes = ModeSet(filter.modes.0 & !ModeSet::of(&[mode]).0);
    }
    for id in &s.close_border_crossings {
        elements.crossing(id)?;
        let arcs = elements.arcs(id);
        if arcs.is_empty() {
            return Err(Failure::input(format!(
                "{} {id}: the network has no border arc for this crossing (see the import notes of `silkroute build`)",
                what("close_border_crossings"),
            )));
        }
        p.close(arcs);
    }
    for port in &s.close_ports {
        let hubs = port_hubs(net, gazetteer, port, &what("close_ports"))?;
        p.close(&penalties::hub_arcs(net, &hubs));
    }
    for (i, d) in s.slowdown.iter().enumerate() {
        let label = format!("slowdown {}", i + 1);
        let at = what(&label);
        let arcs = if let Some(x) = &d.passage {
            penalties::passage_arcs(net, parse_passage(x, &at)?)
        } else if let Some(x) = &d.border_crossing {
            elements.crossing(x)?;
            penalties::whole(elements.arcs(x))
        } else if let Some(x) = &d.ferry {
            elements.ferry(x)?;
            penalties::whole(elements.arcs(x))
        } else if let Some(x) = &d.port {
            penalties::whole(&penalties::hub_arcs(
                net,
                &port_hubs(net, gazetteer, x, &at)?,
            ))
        } else if let Some(x) = &d.place {
            let c = gazetteer
                .resolve(x)
                .map_err(|e| Failure::input(format!("{at} place {x}: {e}")))?
                .pos;
            penalties::whole(&penalties::arcs_where(net, |v| {
                haversine_m(c, net.pos(v)) <= AVOID_PLACE_RADIUS_M
            }))
        } else if let Some(x) = &d.country {
            let code = country_code(net, x, &at)?;
            penalties::whole(&penalties::arcs_where(net, |v| {
                countries[v.index()] == code
            }))
        } else if let Some([west, south, east, north]) = d.area {
            let b = BBox {
                west,
                south,
                east,
                north,
            };
            penalties::whole(&penalties::arcs_where(net, |v| b.contains(net.pos(v))))
        } else if let Some(ring) = &d.polygon {
            penalties::whole(&penalties::arcs_where(net, |v| {
                penalties::in_polygon(ring, net.pos(v))
            }))
        } else if let Some(x) = &d.mode {
            penalties::whole(&penalties::mode_arcs(net, parse_mode(x, &at)?))
        } else {
            Vec::new()
        };
        if arcs.is_empty() {
            return Err(Failure::input(format!(
                "{at}: {} matches no arc of the network",
                d.target()
            )));
        }
        if d.delay_h > 0.0 || d.cost_usd_per_feu > 0.0 || d.cost_usd_per_crossing > 0.0 {
            p.slow(
                &arcs,
                d.delay_h,
                d.cost_usd_per_feu,
                d.cost_usd_per_crossing,
                format!("{} {}", s.id, slowdown_words(d)),
            );
        }
        if let Some(f) = d.capacity_factor {
            let ids: Vec<u32> = arcs.iter().map(|(a, _)| *a).collect();
            p.cut_capacity(&ids, f);
        }
    }
    if !p.is_empty() {
        filter.penalties = Some(Arc::new(p));
    }
    Ok(describe(s))
}

fn read_pairs(
    path: &Path,
    gazetteer: &Gazetteer,
) -> Result<Vec<(ResolvedPlace, ResolvedPlace)>, Failure> {
    Ok(places_file::read_pairs(path, gazetteer, None)?
        .into_iter()
        .map(|r| (r.from, r.to))
        .collect())
}

type Answer = Result<Route, RouteError>;

/// One origin–destination pair before and after.
struct Row {
    from: ResolvedPlace,
    to: ResolvedPlace,
    before: Answer,
    after: Answer,
    corridor_before: Option<String>,
    corridor_after: Option<String>,
}

impl Row {
    fn status(&self) -> &'static str {
        match (&self.before, &self.after) {
            (Ok(b), Ok(s)) if b.arcs == s.arcs => {
                if (s.total.time_h - b.total.time_h).abs() < 1e-9
                    && (s.total.cost_usd - b.total.cost_usd).abs() < 1e-9
                {
                    "unchanged"
                } else {
                    "delayed"
                }
            }
            (Ok(_), Ok(_)) => "rerouted",
            (Ok(_), Err(_)) => "cut off",
            (Err(_), _) => "no baseline route",
        }
    }

    /// Added hours, USD, kg CO2e and km.
    fn delta(&self) -> Option<(f64, f64, f64, f64)> {
        match (&self.before, &self.after) {
            (Ok(b), Ok(s)) => Some((
                s.total.time_h - b.total.time_h,
                s.total.cost_usd - b.total.cost_usd,
                s.total.co2e_kg_wtw - b.total.co2e_kg_wtw,
                (s.distance_m - b.distance_m) / 1000.0,
            )),
            _ => None,
        }
    }

    fn countries(&self) -> (String, String) {
        let c = |p: &ResolvedPlace, r: &Answer, origin: bool| {
            if !p.country.is_empty() {
                return p.country.clone();
            }
            r.as_ref()
                .ok()
                .and_then(|r| {
                    let c = r.countries();
                    if origin {
                        c.first().cloned()
                    } else {
                        c.last().cloned()
                    }
                })
                .unwrap_or_else(|| "?".into())
        };
        (
            c(&self.from, &self.before, true),
            c(&self.to, &self.before, false),
        )
    }
}

fn r2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn summary(r: &Answer, corridor: &Option<String>) -> Value {
    match r {
        Ok(route) => json!({
            "reachable": true,
            "duration_h": r2(route.total.time_h),
            "cost_usd": route.total.cost_usd.round(),
            "co2e_kg": route.total.co2e_kg_wtw.round(),
            "distance_km": (route.distance_m / 100.0).round() / 10.0,
            "passages": route.passages().iter().map(|p| p.as_str()).collect::<Vec<_>>(),
            "countries": route.countries(),
            "corridor": corridor,
            "notes": route.notes.iter().filter(|n| n.starts_with("scenario:")).collect::<Vec<_>>(),
        }),
        Err(e) => json!({"reachable": false, "reason": e.to_string()}),
    }
}

/// Per country pair: pairs, rerouted, delayed, cut off, and mean added
/// hours and USD over the pairs reachable on both sides.
fn by_country_pair(rows: &[Row]) -> Vec<Value> {
    #[derive(Default)]
    struct Acc {
        pairs: usize,
        rerouted: usize,
        delayed: usize,
        cut: usize,
        both: usize,
        h: f64,
        usd: f64,
    }
    let mut m: BTreeMap<(String, String), Acc> = BTreeMap::new();
    for r in rows {
        let a = m.entry(r.countries()).or_default();
        a.pairs += 1;
        match r.status() {
            "rerouted" => a.rerouted += 1,
            "delayed" => a.delayed += 1,
            "cut off" => a.cut += 1,
            _ => {}
        }
        if let Some((h, usd, _, _)) = r.delta() {
            a.both += 1;
            a.h += h;
            a.usd += usd;
        }
    }
    m.into_iter()
        .map(|((f, t), a)| {
            let mean = |x: f64| (a.both > 0).then(|| x / a.both as f64);
            json!({
                "from_country": f, "to_country": t, "pairs": a.pairs,
                "rerouted": a.rerouted, "delayed": a.delayed, "cut_off": a.cut,
                "mean_delta_duration_h": mean(a.h).map(r2),
                "mean_delta_cost_usd": mean(a.usd).map(f64::round),
            })
        })
        .collect()
}

fn route_line(r: &Route) -> Value {
    let mut pts: Vec<LatLon> = Vec::new();
    for l in &r.legs {
        for p in &l.geometry {
            if pts.last() != Some(p) {
                pts.push(*p);
            }
        }
    }
    let parts = output::split_antimeridian(&pts);
    if parts.len() == 1 {
        json!({"type": "LineString", "coordinates": parts[0]})
    } else {
        json!({"type": "MultiLineString", "coordinates": parts})
    }
}

fn run_scenario(
    ctx: &Context,
    network: Option<&Path>,
    scenarios: &[silkroute_import::Scenario],
    a: RunArgs,
) -> Result<(), Failure> {
    let scenario = find(scenarios, &a.name)?;
    let base_args = QueryArgs::plain(&a.modes, &a.optimize, &a.shipment);
    query::check_options(&base_args)?;
    let net = build::open_network(ctx, network)?;
    let gazetteer = Gazetteer::new(net.places()?);
    let pairs = read_pairs(&a.od, &gazetteer)?;
    let elements = Elements::load(&net)?;
    let base = query::build(&base_args, &net, &gazetteer)?;
    let mut scen = query::build(&base_args, &net, &gazetteer)?;
    let changes = apply(scenario, &net, &gazetteer, &elements, &mut scen.filter)?;
    scen.constraints = format!("scenario {}", scenario.id);
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
        let name = |r: &Answer| {
            r.as_ref()
                .ok()
                .and_then(|r| elements.corridor_of(r))
                .map(|c| c.id.clone())
        };
        rows.push(Row {
            from: from.clone(),
            to: to.clone(),
            corridor_before: name(&before),
            corridor_after: name(&after),
            before,
            after,
        });
        silkroute_model::Progress::advance(&bar, 1);
        if silkroute_model::Progress::cancelled(&bar) {
            return Err(Failure {
                code: 130,
                message: "interrupted; nothing was written".into(),
            });
        }
    }
    bar.finish();
    let count = |s: &str| rows.iter().filter(|r| r.status() == s).count();
    let text = match a.format {
        RunFormat::Json => output::pretty(&json!({
            "code": "Ok",
            "scenario": {"id": scenario.id, "name": scenario.name, "source": scenario.source, "notes": scenario.notes, "changes": changes},
            "objective": base.objective.as_str(),
            "modes": base.modes.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
            "cargo": base.cargo.label(),
            "pairs": rows.iter().map(|r| {
                let (fc, tc) = r.countries();
                json!({
                    "from": r.from.label(), "to": r.to.label(),
                    "from_country": fc, "to_country": tc, "status": r.status(),
                    "baseline": summary(&r.before, &r.corridor_before),
                    "scenario": summary(&r.after, &r.corridor_after),
                    "delta": r.delta().map(|(h, c, e, km)| json!({"duration_h": r2(h), "cost_usd": c.round(), "co2e_kg": e.round(), "distance_km": km.round()})),
                })
            }).collect::<Vec<_>>(),
            "by_country_pair": by_country_pair(&rows),
            "totals": {"pairs": rows.len(), "rerouted": count("rerouted"), "delayed": count("delayed"), "cut_off": count("cut off"), "unchanged": count("unchanged"), "no_baseline_route": count("no baseline route")},
        })),
        RunFormat::Geojson => {
            let mut features = Vec::new();
            for (i, r) in rows.iter().enumerate() {
                for (variant, ans, corridor) in [
                    ("baseline", &r.before, &r.corridor_before),
                    ("scenario", &r.after, &r.corridor_after),
                ] {
                    if let Ok(route) = ans {
                        features.push(json!({
                            "type": "Feature",
                            "geometry": route_line(route),
                            "properties": {
                                "pair": i, "from": r.from.label(), "to": r.to.label(),
                                "variant": variant, "status": r.status(),
                                "duration_h": r2(route.total.time_h),
                                "cost_usd": route.total.cost_usd.round(),
                                "co2e_kg": route.total.co2e_kg_wtw.round(),
                                "distance_km": (route.distance_m / 1000.0).round(),
                                "passages": route.passages().iter().map(|p| p.as_str()).collect::<Vec<_>>().join(","),
                                "corridor": corridor,
                            },
                        }));
                    }
                }
            }
            output::pretty(
                &json!({"type": "FeatureCollection", "scenario": scenario.id, "features": features}),
            )
        }
        RunFormat::Csv => {
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
            for r in &rows {
                let g = |x: &Answer, k: u8| -> String {
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
        RunFormat::Table => {
            let mut out = format!("scenario {}: {}\n", scenario.id, scenario.name);
            for c in &changes {
                out.push_str(&format!("  {c}\n"));
            }
            out.push_str(&format!(
                "\n{:<26} {:<26} {:<10} {:>7} {:>7} {:>7} {:<20} {:<20}\n",
                "from",
                "to",
                "status",
                "days",
                "+days",
                "+USD",
                "corridor before",
                "corridor after"
            ));
            let mut sorted: Vec<&Row> = rows.iter().collect();
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
            for s in by_country_pair(&rows) {
                let num =
                    |k: &str, f: &dyn Fn(f64) -> String| s[k].as_f64().map_or("—".to_string(), f);
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
                rows.len(),
                count("rerouted"),
                count("delayed"),
                count("cut off")
            ));
            out
        }
    };
    output::deliver(ctx, a.out.as_deref(), &text)
}
