//! The Rust side of `bench/python/run`: the same route and matrix questions
//! the Python benchmark asks `silkroute.Network`, asked of
//! `silkroute_api::Service` directly, in one process, on a warm engine.
//!
//! ```text
//! cargo run --release -p silkroute-api --example api_bench -- NETWORK QUERIES.json MATRIX.json REPEAT
//! ```
//!
//! `QUERIES.json` is a list of `{id, from, to, modes, optimize}`;
//! `MATRIX.json` has `points` (`[lat, lon]`), `modes` and `optimize`. Prints
//! JSON: per query the median of `Service::route` alone and of `route` plus
//! serializing its JSON (what the Python binding does on the Rust side),
//! of the route's P10/P50/P90 spread alone (`spread_ms`, part of
//! `route_ms`), and the matrix's median. Times are medians in ms; nothing asserts them.

use std::time::Instant;

use serde_json::{Value, json};
use silkroute_api::{
    Constraints, MatrixRequest, NetworkSource, NoProgress, RouteRequest, Service, ServiceOptions,
    Shipment, Want, od, parse, reliability,
};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 5 {
        return Err("usage: api_bench NETWORK QUERIES.json MATRIX.json REPEAT".into());
    }
    let repeat: usize = args[4].parse()?;
    let service = Service::open(
        &NetworkSource::File(args[1].clone().into()),
        ServiceOptions::default(),
        &NoProgress,
    )?;
    let queries: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(&args[2])?)?;
    let mut out = Vec::new();
    for q in &queries {
        let s = |k: &str, d: &str| q[k].as_str().unwrap_or(d).to_string();
        let req = RouteRequest {
            from: s("from", ""),
            to: s("to", ""),
            constraints: Constraints::modes(parse::modes(&s("modes", "rail,road,sea,air,ferry"))?),
            objective: parse::objective(&s("optimize", "time"))?,
            shipment: Shipment::default(),
            corridor: None,
            want: Want::Best,
            max_join_km: None,
        };
        // Warm: the first query of a metric customizes it.
        let first = service.route(&req);
        let Ok(first) = first else {
            out.push(json!({"id": q["id"], "error": first.err().map(|e| e.message)}));
            continue;
        };
        let (mut alone, mut with_json) = (Vec::new(), Vec::new());
        for _ in 0..repeat {
            // The answer is dropped inside the window: a Python loop frees
            // each answer too (when the next one replaces it).
            let t = Instant::now();
            let a = service.route(&req)?;
            drop(std::hint::black_box(a));
            alone.push(t.elapsed().as_secs_f64() * 1e3);
            let t = Instant::now();
            let a = service.route(&req)?;
            let text = serde_json::to_string(&a.json())?;
            with_json.push(t.elapsed().as_secs_f64() * 1e3);
            std::hint::black_box(text);
        }
        // The P10/P50/P90 spread alone (part of `route_ms`).
        let (cat, model) = (service.catalogue(), &req.shipment.model);
        let mut spread = Vec::new();
        for _ in 0..repeat.max(100) {
            let t = Instant::now();
            std::hint::black_box(reliability::spread(
                &first.routes[0],
                &cat.crossings,
                &cat.ferries,
                model,
            ));
            spread.push(t.elapsed().as_secs_f64() * 1e3);
        }
        out.push(json!({
            "id": q["id"],
            "distance_km": first.routes[0].distance_m / 1000.0,
            "route_ms": median(alone),
            "route_json_ms": median(with_json),
            "spread_ms": median(spread),
            "varying": first.spreads[0].varying,
        }));
    }
    let spec: Value = serde_json::from_str(&std::fs::read_to_string(&args[3])?)?;
    let texts: Vec<String> = spec["points"]
        .as_array()
        .ok_or("matrix file needs points")?
        .iter()
        .map(|p| format!("{},{}", p[0], p[1]))
        .collect();
    let places = od::places_from(&texts, "points", service.gazetteer())?;
    let req = MatrixRequest {
        origins: places.clone(),
        destinations: places,
        constraints: Constraints::modes(parse::modes(spec["modes"].as_str().unwrap_or("rail"))?),
        objective: parse::objective(spec["optimize"].as_str().unwrap_or("distance"))?,
        shipment: Shipment::default(),
    };
    service.matrix(&req, &NoProgress)?;
    let mut times = Vec::new();
    let mut reachable = 0;
    for _ in 0..repeat {
        let t = Instant::now();
        let a = service.matrix(&req, &NoProgress)?;
        times.push(t.elapsed().as_secs_f64() * 1e3);
        reachable = a.cells.iter().filter(|c| c.is_some()).count();
    }
    // The same matrix with its places resolved in the call, as Python does.
    let mut resolved = Vec::new();
    for _ in 0..repeat {
        let t = Instant::now();
        let places = od::places_from(&texts, "points", service.gazetteer())?;
        let req = MatrixRequest {
            origins: places.clone(),
            destinations: places,
            ..req.clone()
        };
        std::hint::black_box(service.matrix(&req, &NoProgress)?);
        resolved.push(t.elapsed().as_secs_f64() * 1e3);
    }
    println!(
        "{}",
        serde_json::to_string_pretty(&json!({
            "repeat": repeat,
            "routes": out,
            "matrix": {"n": texts.len(), "ms": median(times), "with_places_ms": median(resolved), "reachable": reachable},
        }))?
    );
    Ok(())
}
