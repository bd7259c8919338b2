//! `silkroute route`: resolve both places, search on the chosen objective
//! (or the Pareto set, or alternatives), print the legs with their time,
//! cost and CO2e; several routes as a table get a line each first.

use std::path::Path;

use silkroute_route::places::Gazetteer;
use silkroute_route::{Pricing, Request, Route, RouteError};

use crate::progress::Context;
use crate::query::{self, QueryArgs};
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
    #[command(flatten)]
    query: QueryArgs,
    /// Follow a Belt and Road corridor (see `silkroute corridors`): its modes
    /// and waypoints, e.g. middle-corridor (rail and the Caspian ferry via
    /// Aktau and Alat). Replaces --modes.
    #[arg(long, value_name = "ID")]
    corridor: Option<String>,
    /// Return the whole Pareto set over time × cost × CO2e instead of one
    /// route. Combines with --via (places and one passage) and --avoid.
    #[arg(long, conflicts_with = "alternatives")]
    pareto: bool,
    /// With --pareto: drop routes within this factor of one already found on
    /// all three criteria (0 = the exact set, which holds many near-copies).
    /// Every non-dominated route is then matched closely on all three by a
    /// returned one (within (1 + ε)² in the oracle tests), no returned
    /// route beats another, and the fastest, cheapest and lowest-CO2e
    /// routes are always in the set exactly. A larger ε is faster and
    /// returns fewer routes.
    #[arg(long, value_name = "EPSILON", default_value_t = silkroute_route::pareto::DEFAULT_EPSILON, requires = "pareto")]
    pareto_epsilon: f64,
    /// Return up to K meaningfully different routes (other corridors or modes).
    #[arg(long, value_name = "K")]
    alternatives: Option<usize>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

pub fn failure(e: RouteError) -> Failure {
    match e {
        RouteError::BadRequest(m) => Failure::input(m),
        e => Failure::no_route(e.to_string()),
    }
}

pub fn run(ctx: &Context, network: Option<&Path>, mut args: Args) -> Result<(), Failure> {
    let corridor = match &args.corridor {
        None => None,
        Some(id) => {
            let all = silkroute_import::corridors(&silkroute_import::Sources::embedded())?;
            let names: Vec<String> = all.iter().map(|c| c.id.clone()).collect();
            let c = all.into_iter().find(|c| &c.id == id).ok_or_else(|| {
                Failure::input(format!(
                    "unknown corridor {id:?} (choose from {})",
                    names.join(", ")
                ))
            })?;
            let q = c
                .query
                .clone()
                .ok_or_else(|| Failure::input(format!("corridor {id} has no engine query")))?;
            args.query.modes = q.modes.clone();
            // The corridor's waypoints come before any --via of the user's.
            let mut via = q.via_places.clone();
            via.extend(q.via.iter().cloned());
            via.append(&mut args.query.via);
            args.query.via = via;
            Some(c)
        }
    };
    query::check_options(&args.query)?;
    if !(0.0..=1.0).contains(&args.pareto_epsilon) {
        return Err(Failure::input("--pareto-epsilon must be between 0 and 1"));
    }
    if args.alternatives == Some(0) {
        return Err(Failure::input("--alternatives must be at least 1"));
    }
    let net = build::open_network(ctx, network)?;
    let gazetteer = Gazetteer::new(net.places()?);
    let from = query::resolve(&gazetteer, &args.from)?;
    let to = query::resolve(&gazetteer, &args.to)?;
    let q = query::build(&args.query, &net, &gazetteer)?;
    let req = Request {
        from,
        to,
        via_places: q.via_places.clone(),
        via_passage: q.via_passage,
        filter: q.filter.clone(),
        objective: q.objective,
        pricing: Pricing {
            model: &q.model,
            cargo: q.cargo,
        },
        constraints: q.constraints.clone(),
    };
    if let Some(e) = silkroute_route::closed_place(&net, &req) {
        return Err(failure(e));
    }
    let mut notes = Vec::new();
    let routes = if args.pareto {
        let (routes, truncated) =
            silkroute_route::pareto::pareto(&net, &gazetteer, &req, args.pareto_epsilon)
                .map_err(failure)?;
        if truncated {
            notes.push(format!(
                "the Pareto search stopped after {} labels; the set may be incomplete",
                silkroute_route::pareto::MAX_LABELS
            ));
        }
        routes
    } else if let Some(k) = args.alternatives {
        silkroute_route::alternatives::alternatives(&net, &gazetteer, &req, k).map_err(failure)?
    } else {
        vec![silkroute_route::best_route(&net, &gazetteer, &req).map_err(failure)?]
    };
    let corridors = silkroute_import::corridors(&silkroute_import::Sources::embedded())?;
    let named: Vec<Vec<silkroute_import::CorridorMatch>> = routes
        .iter()
        .map(|r| corridors_named(&net, &corridors, r))
        .collect();
    let text = match args.format {
        Format::Table => {
            overview(&routes, &corridors, &named, &q, args.pareto)
                + &routes
                    .iter()
                    .enumerate()
                    .map(|(i, r)| {
                        table(r, &q, i, routes.len(), args.pareto)
                            + &corridor_lines(&corridors, &named[i])
                    })
                    .collect::<Vec<_>>()
                    .join("\n\n")
                + &notes
                    .iter()
                    .map(|n| format!("\nnote: {n}"))
                    .collect::<String>()
        }
        Format::Json => {
            let mut v = output::routes_json(&routes, &q, &notes);
            for (i, m) in named.iter().enumerate() {
                v["routes"][i]["corridors"] = m
                    .iter()
                    .map(|m| {
                        let c = &corridors[m.index];
                        serde_json::json!({"id": c.id, "name": c.name, "name_zh": c.name_zh, "matched": m.matched})
                    })
                    .collect();
            }
            if let Some(c) = &corridor {
                v["corridor"] =
                    serde_json::json!({"id": c.id, "name": c.name, "name_zh": c.name_zh});
            }
            output::pretty(&v)
        }
        Format::Geojson => output::pretty(&output::routes_geojson(&routes)),
    };
    output::emit(&text);
    Ok(())
}

/// The corridors a route follows (rule: `silkroute_import::corridors_used`),
/// from the curated records it runs over and the terminals it starts or
/// ends at.
fn corridors_named(
    net: &silkroute_graph::Network,
    corridors: &[silkroute_import::Corridor],
    route: &Route,
) -> Vec<silkroute_import::CorridorMatch> {
    let mut used: Vec<&str> = Vec::new();
    let terminal = |a: &silkroute_route::explain::Access| {
        (a.place.kind == Some(silkroute_model::PlaceKind::Terminal)).then(|| a.place.code.clone())
    };
    let (first, last) = (terminal(&route.origin), terminal(&route.destination));
    if let Some(t) = &first {
        used.push(t);
    }
    used.extend(route.curated.iter().map(|c| c.id.as_str()));
    if let Some(t) = &last {
        used.push(t);
    }
    let ferries: Vec<String> = (0..net.element_count())
        .map(|k| net.element(k))
        .filter(|e| e.kind == silkroute_graph::ELEMENT_FERRY)
        .map(|e| e.id.clone())
        .collect();
    silkroute_import::corridors_used(corridors, &used, &|id| ferries.iter().any(|f| f == id))
}

fn corridor_lines(
    corridors: &[silkroute_import::Corridor],
    named: &[silkroute_import::CorridorMatch],
) -> String {
    named
        .iter()
        .map(|m| {
            format!(
                "\ncorridor: {} ({}; uses {})",
                corridors[m.index].name,
                corridors[m.index].id,
                m.matched.join(", ")
            )
        })
        .collect()
}

/// With several routes, one line each before their tables, so the
/// trade-off reads at a glance: time, cost, CO2e, distance, the modes in
/// order and the corridor followed.
fn overview(
    routes: &[Route],
    corridors: &[silkroute_import::Corridor],
    named: &[Vec<silkroute_import::CorridorMatch>],
    q: &query::Query,
    pareto: bool,
) -> String {
    if routes.len() < 2 {
        return String::new();
    }
    let first = &routes[0];
    let what = if pareto {
        "the Pareto set over time × cost × CO2e, sorted by time"
    } else {
        "alternatives, best first"
    };
    let thousands = |x: f64| {
        let s = format!("{:.0}", x);
        let mut out = String::new();
        for (i, c) in s.chars().enumerate() {
            if i > 0 && (s.len() - i) % 3 == 0 {
                out.push(',');
            }
            out.push(c);
        }
        out
    };
    let mut rows = vec![[
        "#".to_string(),
        "time".into(),
        "USD".into(),
        "kg CO2e".into(),
        "km".into(),
        "modes".into(),
        "corridor".into(),
    ]];
    for (i, r) in routes.iter().enumerate() {
        let mut modes: Vec<String> = Vec::new();
        for l in &r.legs {
            let m = l.mode.to_string();
            if l.mode != silkroute_model::Mode::Transfer && modes.last() != Some(&m) {
                modes.push(m);
            }
        }
        let corridor = named[i]
            .first()
            .map_or("—".to_string(), |m| corridors[m.index].id.clone());
        rows.push([
            (i + 1).to_string(),
            days(r.total.time_h),
            thousands(r.total.cost_usd),
            thousands(r.total.co2e_kg_wtw),
            thousands(r.distance_m / 1000.0),
            modes.join(" → "),
            corridor,
        ]);
    }
    let width = |c: usize| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0);
    let widths: Vec<usize> = (0..7).map(width).collect();
    let mut out = format!(
        "{} → {}: {} routes for {}, {} (each in full below)\n",
        first.origin.place.label(),
        first.destination.place.label(),
        routes.len(),
        q.cargo.label(),
        what
    );
    for row in &rows {
        let mut line = String::new();
        for (c, cell) in row.iter().enumerate() {
            let pad = widths[c] - cell.chars().count();
            // Numbers right-aligned, text left-aligned.
            if (1..5).contains(&c) {
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            } else {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            }
            line.push_str("  ");
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out + "\n"
}

fn days(h: f64) -> String {
    if h >= 48.0 {
        format!("{:.1} d", h / 24.0)
    } else {
        format!("{h:.1} h")
    }
}

fn table(route: &Route, q: &query::Query, index: usize, count: usize, pareto: bool) -> String {
    let mut out = String::new();
    let title = if count > 1 {
        format!("route {} of {count}: ", index + 1)
    } else {
        String::new()
    };
    if pareto {
        out.push_str(&format!(
            "{title}{} → {}   (Pareto set over time × cost × CO2e for {}, sorted by time, over {})\n",
            route.origin.place.label(),
            route.destination.place.label(),
            q.cargo.label(),
            q.modes
        ));
        out.push_str(&body(route));
        return out;
    }
    out.push_str(&format!(
        "{title}{} → {}   ({} route for {}, {} over {})\n",
        route.origin.place.label(),
        route.destination.place.label(),
        match q.objective {
            silkroute_route::Objective::Time => "fastest",
            silkroute_route::Objective::Cost => "cheapest",
            silkroute_route::Objective::Co2 => "lowest-CO2e",
            silkroute_route::Objective::Distance => "shortest",
        },
        q.cargo.label(),
        if count > 1 { "ranked" } else { "exact" },
        q.modes
    ));
    out.push_str(&body(route));
    out
}

/// The legs, borders and totals of one route, as a table.
fn body(route: &Route) -> String {
    let mut out = String::new();
    out.push_str(&format!(
        "joined the network {:.1} km from the origin and {:.1} km from the destination\n\n",
        route.origin.snap_m / 1000.0,
        route.destination.snap_m / 1000.0
    ));
    let mut rows: Vec<[String; 8]> = route
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
                format!("{:.0}", l.distance_m / 1000.0),
                days(l.impact.time_h),
                format!("{:.0}", l.impact.cost_usd),
                format!(
                    "{:.0}{}{}",
                    l.impact.co2e_kg_wtw,
                    if passages.is_empty() {
                        String::new()
                    } else {
                        format!("   via {passages}")
                    },
                    match &l.sailing {
                        Some(s) => format!(
                            "   sailing {:.0} h + wait {:.0} h ({})",
                            s.crossing_h,
                            s.wait_h,
                            match &s.curated {
                                Some(c) => format!("curated: {}", c.id),
                                None => "cost-model defaults".to_string(),
                            }
                        ),
                        None => String::new(),
                    }
                ),
            ]
        })
        .collect();
    for b in &route.border_crossings {
        rows.push([
            "".into(),
            "border".into(),
            {
                let mut name = b.name.clone();
                if !b.customs {
                    name.push_str(" (same customs union)");
                }
                if let Some((from, to)) = b.gauge_change {
                    name.push_str(&format!(" (gauge {from}→{to} mm)"));
                }
                if b.customs || b.curated.is_some() {
                    name.push_str(&format!(
                        ": dwell {:.1} h, fee {:.0} USD ({})",
                        b.dwell_h,
                        b.fee_usd,
                        if b.curated.is_some() {
                            "curated"
                        } else {
                            "defaults"
                        }
                    ));
                }
                name
            },
            String::new(),
            String::new(),
            days(b.impact.time_h),
            format!("{:.0}", b.impact.cost_usd),
            String::new(),
        ]);
    }
    let header = ["#", "mode", "from", "to", "km", "time", "USD", "kg CO2e"];
    let w: Vec<usize> = (0..7)
        .map(|c| {
            rows.iter()
                .map(|r| r[c].chars().count())
                .chain([header[c].chars().count()])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |r: [&str; 8]| {
        format!(
            "{:>w0$}  {:<w1$}  {:<w2$}  {:<w3$}  {:>w4$}  {:>w5$}  {:>w6$}  {}\n",
            r[0],
            r[1],
            r[2],
            r[3],
            r[4],
            r[5],
            r[6],
            r[7],
            w0 = w[0],
            w1 = w[1],
            w2 = w[2],
            w3 = w[3],
            w4 = w[4],
            w5 = w[5],
            w6 = w[6]
        )
    };
    out.push_str(&line(header));
    for r in &rows {
        out.push_str(&line([
            &r[0], &r[1], &r[2], &r[3], &r[4], &r[5], &r[6], &r[7],
        ]));
    }
    let t = &route.total;
    out.push_str(&format!(
        "\ntotal {:.0} km, {}, {:.0} USD, {:.0} kg CO2e (well-to-wheel; {:.0} tank-to-wheel); {} transfer(s), {} border crossing(s), {} gauge change(s)",
        route.distance_m / 1000.0,
        days(t.time_h),
        t.cost_usd,
        t.co2e_kg_wtw,
        t.co2e_kg_ttw,
        route.transfers(),
        route.border_crossings.len(),
        route.border_crossings.iter().filter(|b| b.gauge_change.is_some()).count()
    ));
    let passages = route.passages();
    if !passages.is_empty() {
        let names: Vec<&str> = passages.iter().map(|p| p.as_str()).collect();
        out.push_str(&format!("\npassages: {}", names.join(", ")));
    }
    let countries = route.countries();
    if !countries.is_empty() {
        out.push_str(&format!("\ncountries: {}", countries.join(" → ")));
    }
    for note in &route.notes {
        out.push_str(&format!("\nnote: {note}"));
    }
    out
}
