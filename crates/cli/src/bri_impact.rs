//! `silkroute bri-impact`: shipment times with and without the Belt and
//! Road projects of the curated layer (`data/bri/projects.toml`), per
//! country, in the manner of de Soyres et al., "How much will the Belt and
//! Road Initiative reduce trade costs?" (World Bank PRWP 8614, 2018).
//!
//! Today's network is the "with" case; "without" closes each project's
//! records (its links, terminals, ports and ferries, and the generic
//! UN/LOCODE port of the same place). It runs on the criticality machinery:
//! every project, and all of them together, is one element, so only the
//! pairs whose route uses a project are re-answered.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::json;
use silkroute_model::{NodeId, NodeKind};
use silkroute_route::ResolvedPlace;
use silkroute_route::criticality::{self, Element, Kind, Pair};
use silkroute_route::fast::Engine;
use silkroute_route::places::Gazetteer;

use crate::criticality::{OdSet, baseline, candidates, losses};
use crate::progress::{Bar, Context};
use crate::query::{self, QueryArgs};
use crate::{Failure, build, output, places_file};

/// The default city list: 100 cities in the Belt and Road economies and
/// their main partners.
const DEFAULT_PLACES: &str = include_str!("../../../data/scenarios/bri-cities-100.csv");

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
over the pairs it is part of, as in de Soyres et al. (2018), whose published ranges \
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
    shipment: query::Shipment,
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Write here (atomically) instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
}

fn read_places(
    path: Option<&Path>,
    gazetteer: &Gazetteer,
) -> Result<Vec<(String, ResolvedPlace)>, Failure> {
    if let Some(p) = path {
        return Ok(places_file::read(p, gazetteer)?
            .into_iter()
            .map(|r| (r.id, r.place))
            .collect());
    }
    let mut reader = csv::Reader::from_reader(DEFAULT_PLACES.as_bytes());
    let mut out = Vec::new();
    for rec in reader.records() {
        let rec = rec.map_err(|e| Failure::other(e.to_string()))?;
        let place = gazetteer
            .resolve(&rec[1])
            .map_err(|e| Failure::other(format!("built-in city list: {e}")))?;
        out.push((rec[0].to_string(), place));
    }
    Ok(out)
}

/// The arcs of each chosen project, and notes on records it could not find.
fn project_elements(
    net: &silkroute_graph::Network,
    projects: &[silkroute_import::Project],
) -> (Vec<Element>, Vec<String>) {
    let records = silkroute_route::curated::records(net);
    let curated = criticality::curated_elements(net, &records);
    let mut notes = Vec::new();
    let mut out = Vec::new();
    for p in projects {
        let mut arcs = Vec::new();
        for r in &p.records {
            match curated.iter().find(|e| &e.id == r) {
                Some(e) => arcs.extend(e.arcs.iter().copied()),
                None => notes.push(format!(
                    "project {}: record {r} is not in the network (not operating, or joined nothing)",
                    p.id
                )),
            }
        }
        for code in &p.locodes {
            let suffix = format!("({code})");
            let ports: Vec<u32> = (0..net.node_count() as u32)
                .filter(|v| {
                    net.kind(NodeId(*v)) == NodeKind::Seaport
                        && net.name(NodeId(*v)).is_some_and(|n| n.ends_with(&suffix))
                })
                .collect();
            if ports.is_empty() {
                notes.push(format!(
                    "project {}: no seaport {code} in the network",
                    p.id
                ));
            }
            for v in ports {
                arcs.extend(criticality::node_arcs(net, v));
            }
        }
        arcs.sort_unstable();
        arcs.dedup();
        out.push(Element {
            kind: Kind::Link,
            id: p.id.clone(),
            name: p.name.clone(),
            arcs,
            nodes: Vec::new(),
        });
    }
    (out, notes)
}

/// A pair's change in percent, with (`with`) against without the projects.
fn change(with: u64, without: u64) -> f64 {
    if without == 0 {
        0.0
    } else {
        (with as f64 - without as f64) / without as f64 * 100.0
    }
}

/// A project alone: id, pairs it speeds up, their mean change, the largest,
/// and the pairs that have no route without it.
type ProjectRow = (String, usize, f64, Option<(f64, usize)>, usize);

struct CountryRow {
    country: String,
    cities: usize,
    pairs: usize,
    improved: usize,
    connected: usize,
    mean: f64,
    largest: Option<(f64, usize)>,
}

pub fn run(ctx: &Context, network: Option<&Path>, args: Args) -> Result<(), Failure> {
    let qargs = QueryArgs::plain(&args.modes, &args.optimize, &args.shipment);
    query::check_options(&qargs)?;
    let all = silkroute_import::bri_projects(&silkroute_import::Sources::embedded())?;
    let chosen: Vec<silkroute_import::Project> = match &args.projects {
        None => all.clone(),
        Some(list) => list
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|id| {
                all.iter().find(|p| p.id == id).cloned().ok_or_else(|| {
                    Failure::input(format!(
                        "unknown project {id:?} (choose from {})",
                        all.iter()
                            .map(|p| p.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                })
            })
            .collect::<Result<_, _>>()?,
    };
    if chosen.is_empty() {
        return Err(Failure::input("--projects lists no project"));
    }
    let net = build::open_network(ctx, network)?;
    let gazetteer = Gazetteer::new(net.places()?);
    let places = read_places(args.places.as_deref(), &gazetteer)?;
    let mut pairs = Vec::new();
    for (i, a) in places.iter().enumerate() {
        for (j, b) in places.iter().enumerate() {
            if i != j && a.1.country != b.1.country {
                pairs.push(Pair {
                    origin: i,
                    destination: j,
                    weight: 1.0,
                });
            }
        }
    }
    if pairs.is_empty() {
        return Err(Failure::input(
            "the places lie in fewer than two countries: no international pair to compare",
        ));
    }
    let set = OdSet {
        origins: places.clone(),
        destinations: places.clone(),
        pairs,
    };
    let q = query::build(&qargs, &net, &gazetteer)?;
    let oc = candidates(&net, &q, &set.origins);
    let started = std::time::Instant::now();
    let mut engine = Engine::new(&net, true);
    let bar = Bar::new(
        ctx,
        &format!("Belt and Road before/after over {} pairs", set.pairs.len()),
    );
    let base = baseline(&mut engine, &q, &oc, &oc, &set.pairs, &bar)?;
    let (mut elements, notes) = project_elements(&net, &chosen);
    let mut union: Vec<u32> = elements.iter().flat_map(|e| e.arcs.clone()).collect();
    union.sort_unstable();
    union.dedup();
    elements.push(Element {
        kind: Kind::Link,
        id: "all".into(),
        name: "all projects".into(),
        arcs: union,
        nodes: Vec::new(),
    });
    let affected = criticality::affected_pairs(&net, &base, &elements);
    silkroute_model::Progress::stage(&bar, "removing projects", elements.len() as u64);
    let losses = losses(
        &mut engine,
        &q,
        (&oc, &oc, &set.pairs),
        &elements,
        &affected,
        &bar,
    )?;
    bar.finish();
    for n in &notes {
        ctx.note(&format!("note: {n}"));
    }
    ctx.note(&format!(
        "{} pairs, {} cities; compared in {:.1} s",
        set.pairs.len(),
        places.len(),
        started.elapsed().as_secs_f64()
    ));
    // Per pair, with all projects removed: the change in percent, or None
    // when the pair has no route without them.
    let total = losses.last().expect("the union element");
    let mut pair_change: Vec<Option<f64>> = vec![Some(0.0); set.pairs.len()];
    let mut without: Vec<Option<u64>> = base.value.clone();
    for (p, after) in total.pairs.iter().zip(&total.after) {
        let p = *p as usize;
        without[p] = *after;
        pair_change[p] = match (base.value[p], after) {
            (Some(w), Some(wo)) => Some(change(w, *wo)),
            _ => None,
        };
    }
    let routed: Vec<bool> = base.value.iter().map(Option::is_some).collect();
    // Per country: the mean over the pairs it is part of.
    let mut by_country: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (p, pair) in set.pairs.iter().enumerate() {
        if !routed[p] {
            continue;
        }
        by_country
            .entry(places[pair.origin].1.country.clone())
            .or_default()
            .push(p);
        by_country
            .entry(places[pair.destination].1.country.clone())
            .or_default()
            .push(p);
    }
    let mut rows: Vec<CountryRow> = by_country
        .into_iter()
        .map(|(country, ps)| {
            let cities = places.iter().filter(|p| p.1.country == country).count();
            let finite: Vec<(usize, f64)> = ps
                .iter()
                .filter_map(|p| pair_change[*p].map(|c| (*p, c)))
                .collect();
            let mean = finite.iter().map(|x| x.1).sum::<f64>() / finite.len().max(1) as f64;
            let largest = finite
                .iter()
                .filter(|x| x.1 < 0.0)
                .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
                .map(|x| (x.1, x.0));
            CountryRow {
                country,
                cities,
                pairs: ps.len(),
                improved: finite.iter().filter(|x| x.1 < 0.0).count(),
                connected: ps.iter().filter(|p| pair_change[**p].is_none()).count(),
                mean,
                largest,
            }
        })
        .collect();
    rows.sort_by(|a, b| {
        a.mean
            .total_cmp(&b.mean)
            .then(b.connected.cmp(&a.connected))
            .then(a.country.cmp(&b.country))
    });
    let all_changes: Vec<f64> = pair_change
        .iter()
        .zip(&routed)
        .filter(|(_, r)| **r)
        .filter_map(|(c, _)| *c)
        .collect();
    let world_mean = all_changes.iter().sum::<f64>() / all_changes.len().max(1) as f64;
    let label = |p: usize| {
        let pair = set.pairs[p];
        format!("{} → {}", places[pair.origin].0, places[pair.destination].0)
    };
    // Per project alone.
    let project_rows: Vec<ProjectRow> = chosen
        .iter()
        .enumerate()
        .map(|(e, p)| {
            let l = &losses[e];
            let changes: Vec<(usize, f64)> = l
                .pairs
                .iter()
                .zip(&l.after)
                .filter_map(|(q, a)| {
                    let q = *q as usize;
                    Some((q, change(base.value[q]?, (*a)?)))
                })
                .filter(|x| x.1 < 0.0)
                .collect();
            let mean = changes.iter().map(|x| x.1).sum::<f64>() / changes.len().max(1) as f64;
            let largest = changes
                .iter()
                .min_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)))
                .map(|x| (x.1, x.0));
            let connected = l.after.iter().filter(|a| a.is_none()).count();
            (p.id.clone(), changes.len(), mean, largest, connected)
        })
        .collect();
    let measure = match q.objective {
        silkroute_route::Objective::Time => "shipment time",
        silkroute_route::Objective::Cost => "cost",
        silkroute_route::Objective::Co2 => "CO2e",
        silkroute_route::Objective::Distance => "distance",
    };
    let text = match args.format {
        Format::Table => {
            let mut out = format!(
                "Belt and Road before/after, change in {measure}: {} shipments ({} routes over {}) between {} cities of {} countries\n\
projects removed for \"before\": {}\n\n",
                set.pairs.len(),
                q.objective.as_str(),
                q.modes,
                places.len(),
                rows.len(),
                chosen
                    .iter()
                    .map(|p| p.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
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
            for r in &rows {
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
                all_changes.iter().filter(|c| **c < 0.0).count(),
                routed.iter().filter(|r| **r).count(),
                pair_change.iter().zip(&routed).filter(|(c, r)| **r && c.is_none()).count(),
            ));
            out.push_str(&format!(
                "{:<26} {:>9} {:>10} {:>22}  {}\n",
                "project alone", "improved", "connected", "mean where improved", "largest change"
            ));
            for (id, n, mean, largest, connected) in &project_rows {
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
            for r in &rows {
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
        Format::Json => {
            let (unit, scale) = crate::criticality::unit(q.objective);
            output::pretty(&json!({
                "code": "Ok",
                "objective": q.objective.as_str(),
                "modes": q.modes.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
                "unit": unit,
                "projects": chosen.iter().map(|p| json!({"id": p.id, "name": p.name, "records": p.records, "locodes": p.locodes})).collect::<Vec<_>>(),
                "measure": measure,
                "mean_change_pct": (world_mean * 1000.0).round() / 1000.0,
                "countries": rows.iter().map(|r| json!({
                    "country": r.country, "cities": r.cities, "pairs": r.pairs,
                    "improved": r.improved, "connected_only_with_projects": r.connected,
                    "mean_change_pct": (r.mean * 1000.0).round() / 1000.0,
                    "largest_change": r.largest.map(|(c, p)| json!({"pct": (c * 1000.0).round() / 1000.0, "pair": label(p)})),
                })).collect::<Vec<_>>(),
                "project_alone": project_rows.iter().map(|(id, n, mean, largest, connected)| json!({
                    "id": id, "improved": n, "connected_only_with_it": connected, "mean_change_pct_where_improved": (mean * 1000.0).round() / 1000.0,
                    "largest_change": largest.map(|(c, p)| json!({"pct": (c * 1000.0).round() / 1000.0, "pair": label(p)})),
                })).collect::<Vec<_>>(),
                "changed_pairs": total.pairs.iter().filter_map(|p| {
                    let p = *p as usize;
                    let w = base.value[p]?;
                    Some(json!({
                        "pair": label(p),
                        "with": (w as f64 * scale * 100.0).round() / 100.0,
                        "without": without[p].map(|x| (x as f64 * scale * 100.0).round() / 100.0),
                        "change_pct": pair_change[p].map(|c| (c * 1000.0).round() / 1000.0),
                    }))
                }).collect::<Vec<_>>(),
            }))
        }
    };
    // Files end with a newline, as standard output does.
    let text = if text.ends_with('\n') {
        text
    } else {
        text + "\n"
    };
    output::deliver(ctx, args.out.as_deref(), &text)
}
