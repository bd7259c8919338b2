//! `silkroute bench` (hidden): runs a list of route queries in one process
//! and reports, as JSON, the time to open the network and the median time of
//! each query, with the nodes each end joined at. `bench/run` feeds the same
//! queries to the peers (scgraph, searoute) and compares, so timings exclude
//! process start-up on both sides.

use std::path::{Path, PathBuf};
use std::time::Instant;

use serde_json::{Value, json};
use silkroute_cost::{Cargo, CostModel};
use silkroute_model::ModeSet;
use silkroute_route::places::Gazetteer;
use silkroute_route::search::Filter;
use silkroute_route::{Objective, Pricing, Request};

use crate::progress::Context;
use crate::{Failure, build};

#[derive(clap::Args)]
pub struct Args {
    /// JSON array of {"id", "from", "to", "modes"} queries.
    #[arg(long, value_name = "FILE")]
    queries: PathBuf,
    /// Runs per query; the median is reported.
    #[arg(long, default_value_t = 20)]
    repeat: usize,
}

fn median_ms(mut samples: Vec<f64>) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}

pub fn run(ctx: &Context, network: Option<&Path>, args: Args) -> Result<(), Failure> {
    let text = std::fs::read_to_string(&args.queries)
        .map_err(|e| Failure::input(format!("{}: {e}", args.queries.display())))?;
    let queries: Vec<Value> = serde_json::from_str(&text)
        .map_err(|e| Failure::input(format!("{}: {e}", args.queries.display())))?;
    if args.repeat == 0 {
        return Err(Failure::input("--repeat must be at least 1"));
    }
    // Make sure the file exists and is current before timing the open.
    drop(build::open_network(ctx, network)?);
    let mut opens = Vec::new();
    let mut net = None;
    for _ in 0..5 {
        let t = Instant::now();
        net = Some(build::open_network(ctx, network)?);
        opens.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let net = net.unwrap();
    let t = Instant::now();
    let gazetteer = Gazetteer::new(net.places()?);
    let gazetteer_ms = t.elapsed().as_secs_f64() * 1e3;
    let model = CostModel::defaults();
    let mut results = Vec::new();
    for q in &queries {
        let field = |k: &str| q[k].as_str().unwrap_or("").to_string();
        let modes = ModeSet::parse_list(&field("modes"))
            .map_err(|m| Failure::input(format!("unknown mode {m}")))?;
        let objective = match q["optimize"].as_str() {
            None => Objective::Distance,
            Some(o) => Objective::parse(o)
                .ok_or_else(|| Failure::input(format!("unknown objective {o}")))?,
        };
        let from = gazetteer
            .resolve(&field("from"))
            .map_err(|e| Failure::input(e.to_string()))?;
        let to = gazetteer
            .resolve(&field("to"))
            .map_err(|e| Failure::input(e.to_string()))?;
        let req = Request {
            from: from.clone(),
            to: to.clone(),
            via_places: Vec::new(),
            via_passage: None,
            filter: Filter::new(modes),
            objective,
            pricing: Pricing {
                model: &model,
                cargo: Cargo::Feu(1.0),
            },
            constraints: String::new(),
        };
        let mut samples = Vec::new();
        let mut last = None;
        for _ in 0..args.repeat {
            let t = Instant::now();
            let r = silkroute_route::best_route(&net, &gazetteer, &req);
            samples.push(t.elapsed().as_secs_f64() * 1e3);
            last = Some(r);
        }
        let entry = match last.unwrap() {
            Ok(r) => {
                // Length of the arcs between a seaport and its nearest marnet
                // node at either end (searoute starts at the marnet node).
                let access = |leg: Option<&silkroute_route::Leg>, first: bool| -> f64 {
                    let Some(l) = leg else { return 0.0 };
                    let (stop, g) = if first {
                        (&l.from, &l.geometry[..])
                    } else {
                        (&l.to, &l.geometry[..])
                    };
                    if stop.kind != silkroute_model::NodeKind::Seaport || g.len() < 2 {
                        return 0.0;
                    }
                    let (a, b) = if first {
                        (g[0], g[1])
                    } else {
                        (g[g.len() - 2], g[g.len() - 1])
                    };
                    silkroute_model::haversine_m(a, b) / 1000.0
                };
                let port_access_km = access(r.legs.first(), true) + access(r.legs.last(), false);
                // The marnet nodes next to the ports, so peers can route
                // between exactly the same nodes.
                let inner = |first: bool| -> Option<[f64; 2]> {
                    let l = if first {
                        r.legs.first()?
                    } else {
                        r.legs.last()?
                    };
                    let g = &l.geometry;
                    let stop = if first { &l.from } else { &l.to };
                    (stop.kind == silkroute_model::NodeKind::Seaport && g.len() >= 2).then(|| {
                        let p = if first { g[1] } else { g[g.len() - 2] };
                        [p.lat, p.lon]
                    })
                };
                json!({
                    "id": field("id"),
                    "ok": true,
                    "from": [from.pos.lat, from.pos.lon],
                    "to": [to.pos.lat, to.pos.lon],
                    "distance_km": r.distance_m / 1000.0,
                    "joined_from": [r.origin.pos.lat, r.origin.pos.lon],
                    "joined_to": [r.destination.pos.lat, r.destination.pos.lon],
                    "snap_from_km": r.origin.snap_m / 1000.0,
                    "snap_to_km": r.destination.snap_m / 1000.0,
                    "passages": r.passages().iter().map(|p| p.as_str()).collect::<Vec<_>>(),
                    "notes": r.notes,
                    "port_access_km": port_access_km,
                "sea_inner_from": inner(true),
                "sea_inner_to": inner(false),
                    "median_ms": median_ms(samples),
                })
            }
            Err(e) => json!({
                "id": field("id"), "ok": false, "error": e.to_string(),
                "from": [from.pos.lat, from.pos.lon], "to": [to.pos.lat, to.pos.lon],
                "median_ms": median_ms(samples),
            }),
        };
        results.push(entry);
    }
    crate::output::emit(
        &serde_json::to_string_pretty(&json!({
            "network": net.path().display().to_string(),
            "network_bytes": net.file_len(),
            "open_ms_median": median_ms(opens),
            "gazetteer_ms": gazetteer_ms,
            "queries": results,
        }))
        .unwrap_or_default(),
    );
    Ok(())
}
