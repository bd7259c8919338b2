//! `silkroute corridors`: every Belt and Road corridor of the curated layer
//! (`data/bri/corridors.toml`) with the engine's own length, time, cost and
//! CO2e for its canonical service, beside the published figures.

use std::path::Path;

use serde_json::{Value, json};
use silkroute_model::Passage;
use silkroute_route::places::Gazetteer;
use silkroute_route::search::Filter;
use silkroute_route::{Objective, Pricing, Request, Route};

use crate::progress::Context;
use crate::{Failure, Format, build, output, query};

#[derive(clap::Args)]
pub struct Args {
    /// What each canonical service minimises: time, cost, co2 or distance.
    #[arg(long, default_value = "time")]
    optimize: String,
    #[command(flatten)]
    shipment: query::Shipment,
    /// Output format (table, json or geojson).
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

pub fn run(ctx: &Context, network: Option<&Path>, args: Args) -> Result<(), Failure> {
    let (_, objective, cargo, model) = query::check_options(&query::QueryArgs::plain(
        "rail",
        &args.optimize,
        &args.shipment,
    ))?;
    let corridors = silkroute_import::corridors(&silkroute_import::Sources::embedded())?;
    let net = build::open_network(ctx, network)?;
    let gazetteer = Gazetteer::new(net.places()?);
    let mut rows: Vec<(silkroute_import::Corridor, Result<Route, String>)> = Vec::new();
    for c in corridors {
        let result = match &c.query {
            None => Err("no engine query for this corridor".to_string()),
            Some(q) => answer(
                &net,
                &gazetteer,
                q,
                objective,
                Pricing {
                    model: &model,
                    cargo,
                },
            ),
        };
        rows.push((c, result));
    }
    let r = |x: f64, d: i32| (x * 10f64.powi(d)).round() / 10f64.powi(d);
    let text = match args.format {
        Format::Json => output::pretty(&json!({
            "code": "Ok",
            "objective": objective.as_str(),
            "cargo": cargo.label(),
            "corridors": rows.iter().map(|(c, res)| {
                let published = json!({
                    "service": c.service,
                    "distance_km": c.published_km.map(|(a, b)| json!({"min": a, "max": b})),
                    "transit_days": c.published_days.map(|(a, b)| json!({"min": a, "max": b})),
                });
                let engine: Value = match res {
                    Ok(route) => output::route_json(route),
                    Err(e) => json!({"error": e}),
                };
                json!({"id": c.id, "name": c.name, "name_zh": c.name_zh, "status": c.status, "published": published, "engine": engine})
            }).collect::<Vec<_>>(),
        })),
        Format::Geojson => {
            let routes: Vec<Route> = rows
                .iter()
                .filter_map(|(_, res)| res.as_ref().ok().cloned())
                .collect();
            let mut v = output::routes_geojson(&routes);
            // Name each feature's corridor.
            let ids: Vec<&str> = rows
                .iter()
                .filter(|(_, res)| res.is_ok())
                .map(|(c, _)| c.id.as_str())
                .collect();
            if let Some(features) = v["features"].as_array_mut() {
                for f in features {
                    let i = f["properties"]["route"].as_u64().unwrap_or(0) as usize;
                    f["properties"]["corridor"] = json!(ids.get(i));
                }
            }
            output::pretty(&v)
        }
        Format::Table => {
            let mut out = format!(
                "{:<30} {:<34} {:>8} {:>8} {:>8} {:>9}   published\n",
                "corridor", "engine route (canonical service)", "km", "days", "USD", "kg CO2e"
            );
            for (c, res) in &rows {
                let published = format!(
                    "{}{}",
                    c.published_km.map_or(String::new(), |(a, b)| if a == b {
                        format!("{a:.0} km ")
                    } else {
                        format!("{a:.0}–{b:.0} km ")
                    }),
                    c.published_days.map_or(String::new(), |(a, b)| if a == b {
                        format!("{a} d")
                    } else {
                        format!("{a}–{b} d")
                    })
                );
                match res {
                    Ok(route) => out.push_str(&format!(
                        "{:<30} {:<34} {:>8.0} {:>8.1} {:>8.0} {:>9.0}   {}\n",
                        c.id,
                        format!(
                            "{} → {}",
                            route.origin.place.label(),
                            route.destination.place.label()
                        )
                        .chars()
                        .take(34)
                        .collect::<String>(),
                        route.distance_m / 1000.0,
                        r(route.total.time_h / 24.0, 1),
                        route.total.cost_usd,
                        route.total.co2e_kg_wtw,
                        published
                    )),
                    Err(e) => out.push_str(&format!("{:<30} {}   {}\n", c.id, e, published)),
                }
            }
            out
        }
    };
    output::emit(&text);
    Ok(())
}

fn answer(
    net: &silkroute_graph::Network,
    gazetteer: &Gazetteer,
    q: &silkroute_import::CorridorQuery,
    objective: Objective,
    pricing: Pricing,
) -> Result<Route, String> {
    let modes = query::parse_modes(&q.modes).map_err(|f| f.message)?;
    let from = gazetteer.resolve(&q.from).map_err(|e| e.to_string())?;
    let to = gazetteer.resolve(&q.to).map_err(|e| e.to_string())?;
    let mut filter = Filter::new(modes);
    let via_passage = match &q.via {
        None => None,
        Some(p) => {
            let p = Passage::parse(p).ok_or_else(|| format!("unknown passage {p}"))?;
            filter.open(p);
            Some(p)
        }
    };
    let via_places = q
        .via_places
        .iter()
        .map(|p| gazetteer.resolve(p).map_err(|e| e.to_string()))
        .collect::<Result<Vec<_>, _>>()?;
    let req = Request {
        from,
        to,
        via_places,
        via_passage,
        filter,
        objective,
        pricing,
        constraints: String::new(),
    };
    silkroute_route::best_route(net, gazetteer, &req).map_err(|e| e.to_string())
}
