//! `silkroute reach`: where cargo can get within a time (or cost, CO2e,
//! distance) budget from a place, as GeoJSON points with arrival times:
//! every transfer point (port, terminal, airport) and every city of at
//! least `--min-population` whose nearest open network node is reached.
//! A start inside an area the constraints close is refused, as by `route`.

use std::path::Path;

use silkroute_api::{Objective, ReachRequest, ServiceOptions};

use crate::args::QueryArgs;
use crate::progress::Context;
use crate::{Format, Outcome, build, output};

#[derive(clap::Args)]
pub struct Args {
    /// Where cargo starts (any form --from accepts in `route`).
    #[arg(long, value_name = "PLACE", allow_hyphen_values = true)]
    from: String,
    /// The budget, more than zero: a duration for --optimize time (the
    /// default), written as a number with a unit w, d, h or m (minutes), or
    /// several in a row (10d, 36h, 90m, 1.5d, 2d12h, 1w2d); a number of
    /// USD, kg CO2e or km for cost, co2 or distance. At most 3650d, 1e9
    /// USD, 1e9 kg or 100000 km.
    #[arg(long, value_name = "BUDGET", allow_hyphen_values = true)]
    within: String,
    #[command(flatten)]
    query: QueryArgs,
    /// Cities smaller than this are left out.
    #[arg(long, default_value_t = 100_000)]
    min_population: u32,
    /// Output format (geojson, json or table).
    #[arg(long, value_enum, default_value = "geojson")]
    format: Format,
}

pub fn run(ctx: &Context, network: Option<&Path>, args: Args) -> Outcome {
    let q = args.query.check()?;
    silkroute_api::parse::budget(&args.within, q.objective, &q.shipment)?;
    if !q.constraints.via.is_empty() {
        return Err(silkroute_api::Error::invalid_options(
            "reach does not take --via",
        ));
    }
    let service = build::service(ctx, network, ServiceOptions::one_shot())?;
    let answer = service.reach(&ReachRequest {
        from: args.from,
        within: args.within.clone(),
        constraints: q.constraints,
        objective: q.objective,
        shipment: q.shipment,
        min_population: args.min_population,
    })?;
    // Which place an ambiguous name was taken as: stderr, so the GeoJSON
    // stays clean (the JSON carries it in `notes`).
    for n in &answer.notes {
        ctx.note(&format!("note: {n}"));
    }
    let text = match args.format {
        Format::Geojson => output::pretty(&answer.geojson()),
        Format::Json => output::pretty(&answer.json()),
        Format::Table => {
            let unit = match answer.objective {
                Objective::Time => "hours",
                Objective::Cost => "USD",
                Objective::Co2 => "kg CO2e",
                Objective::Distance => "km",
            };
            let mut out = format!(
                "from {} within {} by {} ({}): {} network nodes, {} places ({unit} to reach each)\n\n",
                answer.from.label(),
                args.within,
                answer.modes,
                answer.objective.as_str(),
                answer.reached_nodes,
                answer.places.len()
            );
            for p in &answer.places {
                out.push_str(&format!(
                    "{:>10.1}  {:<13} {}, {}\n",
                    p.value, p.kind, p.name, p.country
                ));
            }
            out
        }
    };
    output::emit(&text);
    Ok(())
}
