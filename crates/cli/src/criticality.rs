//! `silkroute criticality`: which passages, border crossings, ports,
//! terminals, ferries and curated links the routes of an origin–destination
//! set depend on most, ranked by the trade-weighted loss their failure
//! causes (`silkroute_route::criticality` does the work).
//!
//! This shell reads the pairs (an `--od` list, or every `--from` × `--to`),
//! the optional trade weights, snaps every place once, routes the baseline
//! on the engine, builds the elements, and prints the ranking as a table,
//! CSV, JSON or GeoJSON (one Feature per element: a point for ports and
//! terminals, lines for the rest). Output is written atomically; Ctrl-C
//! stops between elements and writes nothing.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use silkroute_model::{LatLon, Progress};
use silkroute_route::criticality::{self, Baseline, Element, Kind, Pair, Ranked, Setting};
use silkroute_route::fast::Engine;
use silkroute_route::places::Gazetteer;
use silkroute_route::snap::Candidate;
use silkroute_route::{Objective, Pricing, ResolvedPlace, metric};

use crate::progress::{Bar, Context};
use crate::query::{self, QueryArgs};
use crate::{Failure, build, output, places_file};

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
    /// accepts); an optional `weight` column gives each pair's trade.
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
    /// `from` and `to`. Pairs it does not list weigh 0. Without it every
    /// pair weighs 1.
    #[arg(long, value_name = "CSV")]
    weights: Option<PathBuf>,
    /// Unit of the weights, for the output's labels.
    #[arg(long, value_name = "UNIT", default_value = "pair")]
    weight_unit: String,
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
    shipment: query::Shipment,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Write here (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

/// An origin–destination set: labelled places and pairs of indices.
pub struct OdSet {
    pub origins: Vec<(String, ResolvedPlace)>,
    pub destinations: Vec<(String, ResolvedPlace)>,
    pub pairs: Vec<Pair>,
}

fn key(s: &str) -> String {
    s.trim().to_lowercase()
}

/// Reads `--od` (with an optional `weight` column) into an OD set.
fn read_od(path: &Path, gazetteer: &Gazetteer) -> Result<OdSet, Failure> {
    let rows = places_file::read_pairs(
        path,
        gazetteer,
        Some(("weight", false, "weight (tonnes, USD, …)")),
    )?;
    let mut set = OdSet {
        origins: Vec::new(),
        destinations: Vec::new(),
        pairs: Vec::new(),
    };
    let mut o_index: HashMap<String, usize> = HashMap::new();
    let mut d_index: HashMap<String, usize> = HashMap::new();
    let index = |text: &str,
                 place: ResolvedPlace,
                 map: &mut HashMap<String, usize>,
                 list: &mut Vec<(String, ResolvedPlace)>| {
        *map.entry(key(text)).or_insert_with(|| {
            list.push((text.trim().to_string(), place));
            list.len() - 1
        })
    };
    for r in rows {
        let origin = index(&r.from_text, r.from, &mut o_index, &mut set.origins);
        let destination = index(&r.to_text, r.to, &mut d_index, &mut set.destinations);
        set.pairs.push(Pair {
            origin,
            destination,
            weight: r.value.unwrap_or(1.0),
        });
    }
    Ok(set)
}

fn parse_weight(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(x),
        _ => Err(format!(
            "weight {s:?} is not a non-negative number (tonnes, USD, …)"
        )),
    }
}

/// Every origin × destination, except a place paired with itself.
fn read_matrix(from: &Path, to: &Path, gazetteer: &Gazetteer) -> Result<OdSet, Failure> {
    let o = places_file::read(from, gazetteer)?;
    let d = places_file::read(to, gazetteer)?;
    let mut pairs = Vec::new();
    for (i, a) in o.iter().enumerate() {
        for (j, b) in d.iter().enumerate() {
            if a.id != b.id {
                pairs.push(Pair {
                    origin: i,
                    destination: j,
                    weight: 1.0,
                });
            }
        }
    }
    Ok(OdSet {
        origins: o.into_iter().map(|r| (r.id, r.place)).collect(),
        destinations: d.into_iter().map(|r| (r.id, r.place)).collect(),
        pairs,
    })
}

/// Sets the pairs' weights from a `from,to,weight` file; unlisted pairs
/// weigh 0. Returns how many pairs it listed.
fn apply_weights(path: &Path, set: &mut OdSet) -> Result<usize, Failure> {
    let bad = |line: u64, what: String| places_file::bad(path, line, what);
    let (mut reader, header) = places_file::open(path)?;
    let col = |n: &str| header.iter().position(|h| h == n);
    let (Some(f), Some(t), Some(w)) = (col("from"), col("to"), col("weight")) else {
        return Err(bad(
            1,
            format!("needs `from`, `to` and `weight` columns; found {header:?}"),
        ));
    };
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    for (i, p) in set.pairs.iter().enumerate() {
        index.insert(
            (
                key(&set.origins[p.origin].0),
                key(&set.destinations[p.destination].0),
            ),
            i,
        );
    }
    let mut weight = vec![0.0; set.pairs.len()];
    let mut listed = 0;
    for rec in reader.records() {
        let rec = rec.map_err(|e| bad(e.position().map_or(0, |p| p.line()), e.to_string()))?;
        let line = rec.position().map_or(0, |p| p.line());
        let Some(i) = index.get(&(key(&rec[f]), key(&rec[t]))) else {
            return Err(bad(
                line,
                format!(
                    "pair {} → {} is not in the origin–destination set",
                    &rec[f], &rec[t]
                ),
            ));
        };
        weight[*i] = parse_weight(&rec[w]).map_err(|e| bad(line, e))?;
        listed += 1;
    }
    for (p, w) in set.pairs.iter_mut().zip(weight) {
        p.weight = w;
    }
    Ok(listed)
}

/// Display unit and scale of an objective's integer weights.
pub fn unit(objective: Objective) -> (&'static str, f64) {
    match objective {
        Objective::Time => ("h", 1.0 / 3600.0),
        Objective::Cost => ("USD", 0.01),
        Objective::Co2 => ("kg CO2e", 0.001),
        Objective::Distance => ("km", 0.001),
    }
}

/// Snapping candidates with their access costs, for a list of places: the
/// usual candidates plus, where one of them is a port or terminal, the
/// candidates the place would have without it. So closing the port a city
/// joins by lets its cargo use the next one (as a route asked with that
/// port avoided would), and the candidate sets stay fixed, which keeps the
/// ranking exact.
pub fn candidates(
    net: &silkroute_graph::Network,
    q: &query::Query,
    places: &[(String, ResolvedPlace)],
) -> Vec<Vec<(Candidate, u64)>> {
    let pricing = Pricing {
        model: &q.model,
        cargo: q.cargo,
    };
    let mut without = q.filter.clone();
    if without.closed_nodes.is_empty() {
        without.closed_nodes = vec![false; net.node_count()];
    }
    places
        .iter()
        .map(|(_, p)| {
            let mut c = silkroute_route::snap::candidates(net, p.pos, &q.filter);
            let hubs: Vec<usize> = c
                .iter()
                .filter(|c| net.kind(c.node) != silkroute_model::NodeKind::Junction)
                .map(|c| c.node.index())
                .filter(|v| !without.closed_nodes[*v])
                .collect();
            if !hubs.is_empty() {
                for v in &hubs {
                    without.closed_nodes[*v] = true;
                }
                for extra in silkroute_route::snap::candidates(net, p.pos, &without) {
                    if !c.iter().any(|x| x.node == extra.node) {
                        c.push(extra);
                    }
                }
                for v in &hubs {
                    without.closed_nodes[*v] = false;
                }
            }
            c.into_iter()
                .map(|c| {
                    let a = metric::access_cost(
                        &pricing,
                        q.objective,
                        c.distance_m,
                        silkroute_route::snap::ACCESS_CIRCUITY,
                    );
                    (c, a)
                })
                .collect()
        })
        .collect()
}

/// Every pair's baseline value and route, on the engine.
/// Snapping candidates with access costs, per place.
type Ends<'a> = &'a [Vec<(Candidate, u64)>];

/// Each element's losses over `pairs` (see `route::criticality::losses`),
/// on the query's metric as the engine prepared it for the baseline.
pub fn losses(
    engine: &mut Engine,
    q: &query::Query,
    (origins, destinations, pairs): (Ends, Ends, &[Pair]),
    elements: &[Element],
    affected: &[Vec<u32>],
    bar: &Bar,
) -> Result<Vec<criticality::Loss>, Failure> {
    let pricing = Pricing {
        model: &q.model,
        cargo: q.cargo,
    };
    let net = engine.net;
    let hierarchy = engine.hierarchy_for(q.filter.modes);
    let prepared = engine.prepare(q.objective, &q.filter, &pricing);
    let setting = Setting {
        net,
        weights: &prepared.weights,
        hierarchy,
        metric: prepared.metric.as_ref(),
        origins,
        destinations,
        pairs,
    };
    criticality::losses(&setting, elements, affected, bar).ok_or_else(interrupted)
}

pub fn baseline(
    engine: &mut Engine,
    q: &query::Query,
    oc: &[Vec<(Candidate, u64)>],
    dc: &[Vec<(Candidate, u64)>],
    pairs: &[Pair],
    bar: &Bar,
) -> Result<Baseline, Failure> {
    let pricing = Pricing {
        model: &q.model,
        cargo: q.cargo,
    };
    bar.stage("baseline routes", pairs.len() as u64);
    let mut b = Baseline::default();
    for p in pairs {
        let (o, t) = (&oc[p.origin], &dc[p.destination]);
        let f = engine.path(q.objective, &q.filter, &pricing, o, t);
        b.value
            .push(f.as_ref().map(|f| criticality::with_access(f, o, t)));
        b.arcs.push(f.map(|f| f.arcs).unwrap_or_default());
        bar.advance(1);
        if bar.cancelled() {
            return Err(interrupted());
        }
    }
    Ok(b)
}

pub fn interrupted() -> Failure {
    Failure {
        code: 130,
        message: "interrupted; nothing was written".into(),
    }
}

/// Parses `--elements`.
fn parse_kinds(s: &str) -> Result<Vec<Kind>, Failure> {
    s.split(',')
        .map(str::trim)
        .filter(|x| !x.is_empty())
        .map(|x| {
            Kind::parse_plural(x).ok_or_else(|| {
                Failure::input(format!(
                    "unknown element kind {x:?} in --elements (choose from {})",
                    Kind::ALL.map(Kind::plural).join(", ")
                ))
            })
        })
        .collect()
}

/// A readable name for an element: its own, or its kind and nearest city.
fn element_name(net: &silkroute_graph::Network, gazetteer: &Gazetteer, e: &Element) -> String {
    let near = |p: LatLon| match gazetteer.nearest_city(p, 15_000) {
        Some((c, d)) if d < 2_000.0 => format!("{}, {}", c.name, c.country),
        Some((c, d)) => format!("near {}, {} ({:.0} km)", c.name, c.country, d / 1000.0),
        None => format!("{:.3},{:.3}", p.lat, p.lon),
    };
    match e.kind {
        Kind::Crossing if e.name.is_empty() => {
            // id is crossing:AA-BB-mode@lat,lon
            let what =
                e.id.trim_start_matches("crossing:")
                    .split('@')
                    .next()
                    .unwrap_or("");
            let mut parts = what.split('-');
            let (a, b, m) = (
                parts.next().unwrap_or(""),
                parts.next().unwrap_or(""),
                parts.next().unwrap_or(""),
            );
            format!("{a}–{b} {m} border {}", near(e.anchor(net)))
        }
        Kind::Port if e.name.is_empty() => format!("port {}", near(e.anchor(net))),
        Kind::Segment => {
            let mode = e
                .arcs
                .first()
                .and_then(|a| silkroute_model::Mode::from_code(net.arc_mode()[*a as usize]))
                .map_or("?", |m| m.as_str());
            let km: f64 = e
                .arcs
                .iter()
                .map(|a| net.arc_length_m()[*a as usize] as f64)
                .sum::<f64>()
                / 2000.0;
            format!("{mode} segment {km:.0} km {}", near(e.anchor(net)))
        }
        _ if e.name.is_empty() => near(e.anchor(net)),
        _ => e.name.clone(),
    }
}

pub fn run(ctx: &Context, network: Option<&Path>, args: Args) -> Result<(), Failure> {
    let kinds = parse_kinds(&args.elements)?;
    if kinds.is_empty() {
        return Err(Failure::input("--elements lists no element kind"));
    }
    let qargs = QueryArgs::plain(&args.modes, &args.optimize, &args.shipment);
    query::check_options(&qargs)?;
    if args.od.is_none() && args.from.is_none() {
        return Err(Failure::input(
            "give the pairs with --od PAIRS.csv, or --from A.csv --to B.csv",
        ));
    }
    let net = build::open_network(ctx, network)?;
    let gazetteer = Gazetteer::new(net.places()?);
    let mut set = match (&args.od, &args.from, &args.to) {
        (Some(od), _, _) => read_od(od, &gazetteer)?,
        (None, Some(f), Some(t)) => read_matrix(f, t, &gazetteer)?,
        _ => unreachable!("clap requires --from and --to together"),
    };
    if let Some(w) = &args.weights {
        let listed = apply_weights(w, &mut set)?;
        if listed < set.pairs.len() {
            ctx.note(&format!(
                "note: {} lists {listed} of {} pairs; the others weigh 0",
                w.display(),
                set.pairs.len()
            ));
        }
    }
    let q = query::build(&qargs, &net, &gazetteer)?;
    let (oc, dc) = (
        candidates(&net, &q, &set.origins),
        candidates(&net, &q, &set.destinations),
    );
    let started = std::time::Instant::now();
    let mut engine = Engine::new(&net, true);
    let bar = Bar::new(ctx, &format!("criticality over {} pairs", set.pairs.len()));
    let base = baseline(&mut engine, &q, &oc, &dc, &set.pairs, &bar)?;
    let used = base.used_arcs();
    // Curated records first, so their names win over generic ports and
    // crossings on the same arcs.
    let records = silkroute_route::curated::records(&net);
    let mut elements: Vec<Element> = Vec::new();
    if kinds.contains(&Kind::Passage) {
        elements.extend(criticality::passage_elements(&net));
    }
    let curated: Vec<Element> = criticality::curated_elements(&net, &records)
        .into_iter()
        .filter(|e| kinds.contains(&e.kind))
        .collect();
    let curated_port_nodes: Vec<u32> = curated
        .iter()
        .filter(|e| e.kind == Kind::Port)
        .flat_map(|e| e.nodes.iter().copied())
        .collect();
    let mut curated_crossing_arcs: Vec<u32> = curated
        .iter()
        .filter(|e| e.kind == Kind::Crossing)
        .flat_map(|e| e.arcs.iter().copied())
        .collect();
    curated_crossing_arcs.sort_unstable();
    elements.extend(curated);
    if kinds.contains(&Kind::Port) {
        elements.extend(criticality::port_elements(&net, &used, &curated_port_nodes));
    }
    if kinds.contains(&Kind::Segment) {
        elements.extend(criticality::segment_elements(&net, &base));
    }
    if kinds.contains(&Kind::Crossing) {
        elements.extend(criticality::crossing_elements(
            &net,
            &used,
            &curated_crossing_arcs,
        ));
    }
    let affected = criticality::affected_pairs(&net, &base, &elements);
    let busy = affected.iter().filter(|a| !a.is_empty()).count();
    bar.stage(
        &format!("closing {busy} of {} elements", elements.len()),
        busy as u64,
    );
    let losses = losses(
        &mut engine,
        &q,
        (&oc, &dc, &set.pairs),
        &elements,
        &affected,
        &bar,
    )?;
    bar.finish();
    let ranked = criticality::rank(&elements, &base, &set.pairs, &losses);
    ctx.note(&format!(
        "{} pairs ({} without a baseline route), {} elements, {busy} carry a route; ranked in {:.1} s",
        set.pairs.len(),
        base.value.iter().filter(|v| v.is_none()).count(),
        elements.len(),
        started.elapsed().as_secs_f64()
    ));
    let shown: Vec<&Ranked> = if args.top == 0 {
        ranked.iter().collect()
    } else {
        ranked.iter().take(args.top).collect()
    };
    let names: Vec<String> = shown
        .iter()
        .map(|r| element_name(&net, &gazetteer, &elements[r.element]))
        .collect();
    let (unit_name, scale) = unit(q.objective);
    let report = Report {
        set: &set,
        elements: &elements,
        shown: &shown,
        names: &names,
        unit: unit_name,
        scale,
        weight_unit: &args.weight_unit,
        objective: q.objective,
    };
    let text = match args.format {
        Format::Table => report.table(&q),
        Format::Csv => report.csv(),
        Format::Json => output::pretty(&json!({
            "code": "Ok",
            "objective": q.objective.as_str(),
            "modes": q.modes.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
            "unit": unit_name,
            "weight_unit": args.weight_unit,
            "pairs": set.pairs.len(),
            "pairs_without_baseline": base.value.iter().filter(|v| v.is_none()).count(),
            "elements": elements.len(),
            "elements_carrying_routes": busy,
            "ranking": shown.iter().enumerate().map(|(i, r)| report.json(i, r, &net)).collect::<Vec<_>>(),
        })),
        Format::Geojson => output::pretty(&json!({
            "type": "FeatureCollection",
            "features": shown.iter().enumerate().map(|(i, r)| {
                json!({
                    "type": "Feature",
                    "geometry": geometry(&net, &elements[r.element]),
                    "properties": report.json(i, r, &net),
                })
            }).collect::<Vec<_>>(),
        })),
    };
    // Files end with a newline, as standard output does.
    let text = if text.ends_with('\n') {
        text
    } else {
        text + "\n"
    };
    output::deliver(ctx, args.out.as_deref(), &text)
}

fn rnd(x: f64, d: i32) -> f64 {
    let f = 10f64.powi(d);
    (x * f).round() / f
}

/// A point for elements drawn as nodes, lines for the rest.
fn geometry(net: &silkroute_graph::Network, e: &Element) -> Value {
    if !e.nodes.is_empty() {
        let p = e.anchor(net);
        return json!({"type": "Point", "coordinates": [rnd(p.lon, 6), rnd(p.lat, 6)]});
    }
    let parts: Vec<Vec<[f64; 2]>> = e
        .segments(net)
        .iter()
        .flat_map(|s| output::split_antimeridian(s))
        .collect();
    json!({"type": "MultiLineString", "coordinates": parts})
}

struct Report<'a> {
    set: &'a OdSet,
    elements: &'a [Element],
    shown: &'a [&'a Ranked],
    names: &'a [String],
    unit: &'a str,
    scale: f64,
    weight_unit: &'a str,
    objective: Objective,
}

impl Report<'_> {
    fn pair_label(&self, p: usize) -> String {
        let pair = self.set.pairs[p];
        format!(
            "{} → {}",
            self.set.origins[pair.origin].0, self.set.destinations[pair.destination].0
        )
    }

    fn mean_extra(&self, r: &Ranked) -> f64 {
        let reached = r.affected_pairs - r.cut_pairs;
        if reached == 0 {
            0.0
        } else {
            r.extra as f64 * self.scale / reached as f64
        }
    }

    fn json(&self, i: usize, r: &Ranked, net: &silkroute_graph::Network) -> Value {
        let e = &self.elements[r.element];
        let at = e.anchor(net);
        json!({
            "rank": i + 1,
            "id": e.id,
            "kind": e.kind.as_str(),
            "name": self.names[i],
            "affected_pairs": r.affected_pairs,
            "affected_weight": rnd(r.affected_weight, 3),
            "cut_pairs": r.cut_pairs,
            "cut_weight": rnd(r.cut_weight, 3),
            "loss": rnd(r.weighted_extra * self.scale, 2),
            "loss_unit": format!("{} × {}", self.unit, self.weight_unit),
            "extra_total": rnd(r.extra as f64 * self.scale, 2),
            "mean_extra": rnd(self.mean_extra(r), 2),
            "unit": self.unit,
            "worst_pair": r.worst.map(|(p, d)| json!({"pair": self.pair_label(p), "extra": rnd(d as f64 * self.scale, 2)})),
            "lat": rnd(at.lat, 5),
            "lon": rnd(at.lon, 5),
        })
    }

    fn csv(&self) -> String {
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
            &format!("loss_{}", self.unit.replace(' ', "_")),
            "mean_extra",
            "worst_pair",
            "worst_extra",
        ]);
        for (i, r) in self.shown.iter().enumerate() {
            let e = &self.elements[r.element];
            let _ = w.write_record([
                (i + 1).to_string(),
                e.id.clone(),
                e.kind.as_str().to_string(),
                self.names[i].clone(),
                r.affected_pairs.to_string(),
                format!("{}", rnd(r.affected_weight, 3)),
                r.cut_pairs.to_string(),
                format!("{}", rnd(r.cut_weight, 3)),
                format!("{:.2}", r.weighted_extra * self.scale),
                format!("{:.2}", self.mean_extra(r)),
                r.worst.map_or(String::new(), |(p, _)| self.pair_label(p)),
                r.worst.map_or(String::new(), |(_, d)| {
                    format!("{:.2}", d as f64 * self.scale)
                }),
            ]);
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }

    fn table(&self, q: &query::Query) -> String {
        let mut out = format!(
            "criticality over {} pairs ({} routes, {}); loss = extra {} × {} weight, pairs cut off counted apart\n\n",
            self.set.pairs.len(),
            self.objective.as_str(),
            q.modes,
            self.unit,
            self.weight_unit
        );
        out.push_str(&format!(
            "{:>4}  {:<9} {:<44} {:>7} {:>5} {:>12} {:>10}  {}\n",
            "rank", "kind", "element", "pairs", "cut", "loss", "mean", "worst pair"
        ));
        for (i, r) in self.shown.iter().enumerate() {
            let e = &self.elements[r.element];
            let worst = r.worst.map_or(String::new(), |(p, d)| {
                format!("{} (+{:.1})", self.pair_label(p), d as f64 * self.scale)
            });
            out.push_str(&format!(
                "{:>4}  {:<9} {:<44} {:>7} {:>5} {:>12.0} {:>10.1}  {}\n",
                i + 1,
                e.kind.as_str(),
                self.names[i].chars().take(44).collect::<String>(),
                r.affected_pairs,
                r.cut_pairs,
                r.weighted_extra * self.scale,
                self.mean_extra(r),
                worst
            ));
        }
        out.push_str(&format!(
            "\npairs: routes whose baseline uses the element; cut: left with no route; \
loss: summed extra {} over the others (× weight); mean: extra {} per rerouted pair",
            self.unit, self.unit
        ));
        out
    }
}
