//! `silkroute route`: resolve both places, search, print the legs.

use std::path::Path;

use silkroute_model::ModeSet;
use silkroute_route::places::Gazetteer;
use silkroute_route::{Route, RouteError};

use crate::progress::Context;
use crate::{Failure, Format, build, output};

#[derive(clap::Args)]
pub struct Args {
    /// Origin: lat,lon, a UN/LOCODE (DEDUI), an IATA code (PVG) or a place
    /// name in English or Chinese (Chongqing, 重庆, "Hamburg, DE").
    #[arg(long, value_name = "PLACE")]
    from: String,
    /// Destination, in the same forms as --from.
    #[arg(long, value_name = "PLACE")]
    to: String,
    /// Modes the route may use, comma-separated: rail, road, sea, air, ferry.
    /// Transfers between them happen at ports, airports and terminals. The
    /// route is the shortest by distance, and transfers cost nothing yet, so
    /// a mix of modes may hop between them wherever that saves kilometres.
    #[arg(long, value_name = "LIST", default_value = "rail")]
    modes: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

pub fn run(ctx: &Context, network: Option<&Path>, args: Args) -> Result<(), Failure> {
    let modes = ModeSet::parse_list(&args.modes).map_err(|bad| {
        Failure::input(format!(
            "unknown mode {bad:?} in --modes {:?} (choose from rail, road, sea, air, ferry)",
            args.modes
        ))
    })?;
    let net = build::open_network(ctx, network)?;
    let gazetteer = Gazetteer::new(net.places()?);
    let from = gazetteer
        .resolve(&args.from)
        .map_err(|e| Failure::input(e.to_string()))?;
    let to = gazetteer
        .resolve(&args.to)
        .map_err(|e| Failure::input(e.to_string()))?;
    let filter = silkroute_route::search::Filter::new(modes);
    let route = silkroute_route::shortest_route(&net, &from, &to, &filter, &gazetteer).map_err(
        |e| match e {
            RouteError::NoNetwork { .. } | RouteError::NotConnected(_) => {
                Failure::no_route(e.to_string())
            }
        },
    )?;
    let text = match args.format {
        Format::Table => table(&route, modes),
        Format::Json => output::pretty(&output::routes_json(&[route], modes)),
        Format::Geojson => output::pretty(&output::routes_geojson(&[route])),
    };
    println!("{text}");
    Ok(())
}

fn table(route: &Route, modes: ModeSet) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "{} → {}   (shortest distance over {modes})\n",
        route.origin.place.label(),
        route.destination.place.label()
    ));
    out.push_str(&format!(
        "joined the network {:.1} km from the origin and {:.1} km from the destination\n\n",
        route.origin.snap_m / 1000.0,
        route.destination.snap_m / 1000.0
    ));
    let rows: Vec<[String; 5]> = route
        .legs
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let passages = l
                .passages
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            [
                format!("{}", i + 1),
                l.mode.to_string(),
                l.from.name.clone(),
                l.to.name.clone(),
                format!(
                    "{:.1}{}",
                    l.distance_m / 1000.0,
                    if passages.is_empty() {
                        String::new()
                    } else {
                        format!("  via {passages}")
                    }
                ),
            ]
        })
        .collect();
    let header = ["#", "mode", "from", "to", "km"];
    let width = |c: usize| {
        rows.iter()
            .map(|r| r[c].chars().count())
            .chain([header[c].len()])
            .max()
            .unwrap_or(0)
    };
    let w: Vec<usize> = (0..4).map(width).collect();
    let line = |r: [&str; 5]| {
        format!(
            "{:>w0$}  {:<w1$}  {:<w2$}  {:<w3$}  {}\n",
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            w0 = w[0],
            w1 = w[1],
            w2 = w[2],
            w3 = w[3]
        )
    };
    out.push_str(&line(header));
    for r in &rows {
        out.push_str(&line([&r[0], &r[1], &r[2], &r[3], &r[4]]));
    }
    out.push_str(&format!(
        "\ntotal {:.1} km in {} leg(s)",
        route.distance_m / 1000.0,
        route.legs.len()
    ));
    let passages = route.passages();
    if !passages.is_empty() {
        let names: Vec<&str> = passages.iter().map(|p| p.as_str()).collect();
        out.push_str(&format!(", passages: {}", names.join(", ")));
    }
    for note in &route.notes {
        out.push_str(&format!("\nnote: {note}"));
    }
    out
}
