//! `silkroute corridors`: every Belt and Road corridor of the curated layer
//! (`data/bri/corridors.toml`) with the engine's own length, time, cost and
//! CO2e for its canonical service, beside the published figures.

use std::path::Path;

use silkroute_api::ServiceOptions;

use crate::args::{self, ShipmentArgs};
use crate::progress::Context;
use crate::{Format, Outcome, build, output};

#[derive(clap::Args)]
pub struct Args {
    /// What each canonical service minimises: time, cost, co2 or distance.
    #[arg(long, default_value = "time")]
    optimize: String,
    #[command(flatten)]
    shipment: ShipmentArgs,
    /// Output format (table, json or geojson).
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

pub fn run(ctx: &Context, network: Option<&Path>, args: Args) -> Outcome {
    let q = args::plain("rail", &args.optimize, &args.shipment)?;
    let service = build::service(ctx, network, ServiceOptions::one_shot())?;
    let rows = service.corridors(q.objective, &q.shipment);
    let r = |x: f64, d: i32| (x * 10f64.powi(d)).round() / 10f64.powi(d);
    let text = match args.format {
        Format::Json => output::pretty(&silkroute_api::service::corridors_json(
            &rows,
            q.objective,
            &q.shipment.cargo.label(),
        )),
        Format::Geojson => output::pretty(&silkroute_api::service::corridors_geojson(&rows)),
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
