//! `silkroute reach`: where cargo can get within a time (or cost, CO2e,
//! distance) budget from a place, as GeoJSON points with arrival times:
//! every transfer point (port, terminal, airport) and every city of at
//! least `--min-population` whose nearest open network node is reached.
//! A start inside an area the constraints close is refused, as by `route`.

use std::path::Path;

use serde_json::json;
use silkroute_model::{NodeId, NodeKind, PlaceKind};
use silkroute_route::places::Gazetteer;
use silkroute_route::{Objective, Pricing, many, metric};

use crate::progress::Context;
use crate::query::{self, QueryArgs};
use crate::{Failure, Format, build, output};

#[derive(clap::Args)]
pub struct Args {
    /// Where cargo starts (any form --from accepts in `route`).
    #[arg(long, value_name = "PLACE")]
    from: String,
    /// The budget: a duration such as 10d or 36h for --optimize time (the
    /// default); a number of USD, kg CO2e or km for cost, co2 or distance.
    #[arg(long, value_name = "BUDGET")]
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

/// The budget in the objective's integer units.
fn parse_budget(s: &str, objective: Objective) -> Result<u64, Failure> {
    let t = s.trim().to_ascii_lowercase();
    let bad = || {
        Failure::input(format!(
            "--within {s:?}: write a duration like 10d or 36h for time, or a number for cost (USD), co2 (kg) or distance (km)"
        ))
    };
    let num = |x: &str| {
        x.trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && *v > 0.0)
            .ok_or_else(bad)
    };
    let value = match objective {
        Objective::Time => {
            if let Some(d) = t.strip_suffix('d') {
                num(d)? * 86_400.0
            } else if let Some(h) = t.strip_suffix('h') {
                num(h)? * 3_600.0
            } else {
                return Err(bad());
            }
        }
        Objective::Cost => num(t.trim_end_matches("usd"))? * 100.0,
        Objective::Co2 => num(t.trim_end_matches("kg"))? * 1000.0,
        Objective::Distance => num(t.trim_end_matches("km"))? * 1000.0,
    };
    Ok(value as u64)
}

pub fn run(ctx: &Context, network: Option<&Path>, args: Args) -> Result<(), Failure> {
    let (_, objective, _, _) = query::check_options(&args.query)?;
    let budget = parse_budget(&args.within, objective)?;
    if !args.query.via.is_empty() {
        return Err(Failure::input("reach does not take --via"));
    }
    let net = build::open_network(ctx, network)?;
    let gazetteer = Gazetteer::new(net.places()?);
    let from = query::resolve(&gazetteer, &args.from)?;
    let q = query::build(&args.query, &net, &gazetteer)?;
    let pricing = Pricing {
        model: &q.model,
        cargo: q.cargo,
    };
    // A start inside an avoided area is an error, as for `route`: snapping
    // would silently start it outside.
    if silkroute_route::inside_closed_area(&net, &q.filter, from.pos) {
        return Err(crate::route::failure(
            silkroute_route::RouteError::PlaceClosed {
                place: from.label(),
                constraints: q.constraints.clone(),
                role: "start",
            },
        ));
    }
    let weights = metric::weights(&net, &pricing, q.objective, &q.filter);
    let sources: Vec<_> = silkroute_route::snap::candidates(&net, from.pos, &q.filter)
        .into_iter()
        .map(|c| {
            (
                c,
                metric::access_cost(
                    &pricing,
                    q.objective,
                    c.distance_m,
                    silkroute_route::snap::ACCESS_CIRCUITY,
                ),
            )
        })
        .collect();
    if sources.is_empty() {
        return Err(Failure::no_route(format!(
            "no {} network near {}",
            q.modes,
            from.label()
        )));
    }
    let reached = many::reach(&net, &weights, &sources, budget);
    let mut value = vec![u64::MAX; net.node_count()];
    for (v, d) in &reached {
        value[v.index()] = *d;
    }
    let unit = |w: u64| -> f64 {
        match q.objective {
            Objective::Time => w as f64 / 3600.0,
            Objective::Cost => w as f64 / 100.0,
            Objective::Co2 => w as f64 / 1000.0,
            Objective::Distance => w as f64 / 1000.0,
        }
    };
    let key = match q.objective {
        Objective::Time => "arrival_h",
        Objective::Cost => "cost_usd",
        Objective::Co2 => "co2e_kg",
        Objective::Distance => "distance_km",
    };
    let mut points = Vec::new();
    for (v, d) in &reached {
        let kind = net.kind(*v);
        if kind != NodeKind::Junction
            && let Some(name) = net.name(*v)
        {
            let p = net.pos(*v);
            points.push((
                name.to_string(),
                kind.as_str().to_string(),
                net.country(*v).unwrap_or_default(),
                p.lat,
                p.lon,
                unit(*d),
            ));
        }
    }
    // Cities: reached when their nearest open node is.
    let tree = net.kd_tree();
    for c in gazetteer
        .places()
        .iter()
        .filter(|p| p.kind == PlaceKind::City && p.population >= args.min_population)
    {
        let near = tree.nearest(c.pos, 1, &mut |v: NodeId| {
            net.node_modes(v).intersects(q.modes) && q.filter.node_open(v.0)
        });
        if let Some(&(_, v)) = near.first()
            && value[v.index()] != u64::MAX
        {
            let access = metric::access_cost(
                &pricing,
                q.objective,
                silkroute_model::haversine_m(c.pos, net.pos(v)),
                1.0,
            );
            let total = value[v.index()] + access;
            if total <= budget {
                points.push((
                    c.name.clone(),
                    "city".into(),
                    c.country.clone(),
                    c.pos.lat,
                    c.pos.lon,
                    unit(total),
                ));
            }
        }
    }
    points.sort_by(|a, b| a.5.total_cmp(&b.5).then(a.0.cmp(&b.0)));
    let text = match args.format {
        Format::Geojson => output::pretty(&json!({
            "type": "FeatureCollection",
            "features": points.iter().map(|(name, kind, country, lat, lon, val)| json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {"name": name, "kind": kind, "country": country, key: (val * 1000.0).round() / 1000.0},
            })).collect::<Vec<_>>(),
        })),
        Format::Json => output::pretty(&json!({
            "code": "Ok",
            "from": from.label(),
            "objective": q.objective.as_str(),
            "within": args.within,
            "modes": q.modes.iter().map(|m| m.as_str()).collect::<Vec<_>>(),
            "reached_nodes": reached.len(),
            "places": points.iter().map(|(name, kind, country, lat, lon, val)| json!({"name": name, "kind": kind, "country": country, "lat": lat, "lon": lon, key: val})).collect::<Vec<_>>(),
        })),
        Format::Table => {
            let unit = match q.objective {
                Objective::Time => "hours",
                Objective::Cost => "USD",
                Objective::Co2 => "kg CO2e",
                Objective::Distance => "km",
            };
            let mut out = format!(
                "from {} within {} by {} ({}): {} network nodes, {} places ({unit} to reach each)\n\n",
                from.label(),
                args.within,
                q.modes,
                q.objective.as_str(),
                reached.len(),
                points.len()
            );
            for (name, kind, country, _, _, val) in &points {
                out.push_str(&format!("{val:>10.1}  {kind:<13} {name}, {country}\n"));
            }
            out
        }
    };
    output::emit(&text);
    Ok(())
}
