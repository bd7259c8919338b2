//! `silkroute route`: resolve both places, search on the chosen objective
//! (or the Pareto set, or alternatives; without `--optimize`, the overview
//! of the fastest, cheapest and lowest-CO2e routes), print the legs with
//! their time, cost and CO2e; several routes as a table get a line each
//! first.

use std::path::Path;

use silkroute_api::constraints::VesselChoice;
use silkroute_api::reliability::Spread;
use silkroute_api::service::CorridorRef;
use silkroute_api::{Mode, Objective, Route, RouteRequest, RoutesAnswer, ServiceOptions, Want};

use crate::args::QueryArgs;
use crate::progress::{Bar, Context};
use crate::{Format, Outcome, build, output};

#[derive(clap::Args)]
pub struct Args {
    /// Origin: lat,lon, a UN/LOCODE (DEDUI), an IATA code (PVG; codes in
    /// capitals) or a place name in English or Chinese (Chongqing, 重庆,
    /// "Hamburg, DE"), or another name of a capital or hub (Peking, Москва,
    /// Saigon). A name several cities share is the most populous when it
    /// is ten times the next, with a note on stderr naming the others.
    #[arg(long, value_name = "PLACE", allow_hyphen_values = true)]
    from: String,
    /// Destination, in the same forms as --from.
    #[arg(long, value_name = "PLACE", allow_hyphen_values = true)]
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
    #[arg(long, value_name = "EPSILON", allow_hyphen_values = true, default_value_t = silkroute_api::service::DEFAULT_EPSILON, requires = "pareto")]
    pareto_epsilon: f64,
    /// Return up to K meaningfully different routes (other corridors or modes).
    #[arg(long, value_name = "K")]
    alternatives: Option<usize>,
    /// The longest first or last mile, km, place to the nearest node of
    /// the modes (like OSRM's `radiuses`); farther is "no segment near the
    /// origin", exit 3. Default: 150 km for rail, road and ferry, 500 km
    /// for sea and air (the largest of the modes chosen).
    #[arg(long, value_name = "KM")]
    max_join_km: Option<f64>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

pub fn run(ctx: &Context, network: Option<&Path>, args: Args) -> Outcome {
    let q = args.query.check()?;
    let want = if args.pareto {
        Want::Pareto {
            epsilon: silkroute_api::parse::epsilon(args.pareto_epsilon)?,
        }
    } else if let Some(k) = args.alternatives {
        if k == 0 {
            return Err(silkroute_api::Error::invalid_value(
                "--alternatives must be at least 1",
            ));
        }
        Want::Alternatives(k)
    } else if args.query.optimize.is_none() {
        Want::Overview
    } else {
        Want::Best
    };
    let service = build::service(ctx, network, ServiceOptions::one_shot())?;
    // A Pareto search can take minutes (--pareto-epsilon 0): it shows its
    // labels, their rate and the time left at most; other queries are
    // quick and show nothing.
    let bar = matches!(want, Want::Pareto { .. }).then(|| Bar::new(ctx, "pareto"));
    let quiet = silkroute_api::NoProgress;
    let progress: &(dyn silkroute_api::Progress + Sync) = match &bar {
        Some(b) => b,
        None => &quiet,
    };
    let answer = service.route_with(
        &RouteRequest {
            from: args.from,
            to: args.to,
            constraints: q.constraints,
            objective: q.objective,
            shipment: q.shipment,
            corridor: args.corridor,
            want,
            max_join_km: args.max_join_km,
        },
        progress,
    );
    if let Some(b) = bar {
        b.finish();
    }
    let answer = answer?;
    // Which place an ambiguous name was taken as: stderr, whatever the
    // format (the JSON also carries it in `notes`).
    for n in &answer.place_notes {
        ctx.note(&format!("note: {n}"));
    }
    let text = match args.format {
        Format::Table if matches!(answer.want, Want::Overview) => {
            planner_overview(&answer)
                + &answer
                    .notes
                    .iter()
                    .map(|n| format!("\nnote: {n}"))
                    .collect::<String>()
        }
        Format::Table => {
            let routes = &answer.routes;
            overview(&answer)
                + &routes
                    .iter()
                    .enumerate()
                    .map(|(i, r)| table(r, &answer, i) + &corridor_lines(&answer.corridors[i]))
                    .collect::<Vec<_>>()
                    .join("\n\n")
                + &answer
                    .notes
                    .iter()
                    .map(|n| format!("\nnote: {n}"))
                    .collect::<String>()
        }
        Format::Json => output::pretty(&answer.json()),
        Format::Geojson => output::pretty(&answer.geojson()),
    };
    output::emit(&text);
    Ok(())
}

fn corridor_lines(named: &[CorridorRef]) -> String {
    named
        .iter()
        .map(|m| {
            format!(
                "\ncorridor: {} ({}; uses {})",
                m.name,
                m.id,
                m.matched.join(", ")
            )
        })
        .collect()
}

/// The modes of a route in order, each run once (`rail → road`).
fn mode_chain(r: &Route) -> String {
    let mut modes: Vec<String> = Vec::new();
    for l in &r.legs {
        let m = l.mode.to_string();
        if l.mode != Mode::Transfer && modes.last() != Some(&m) {
            modes.push(m);
        }
    }
    modes.join(" → ")
}

/// Whole numbers with thousands separators (82,650).
fn thousands(x: f64) -> String {
    let s = format!("{:.0}", x);
    let (sign, digits) = s.strip_prefix('-').map_or(("", s.as_str()), |d| ("-", d));
    let mut out = sign.to_string();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// One summary row per route: a label, time, USD, kg CO2e, km, the modes
/// in order and the corridor followed; aligned, numbers to the right.
fn summary_rows(answer: &RoutesAnswer, labels: &[String], label_header: &str) -> String {
    let mut rows = vec![[
        label_header.to_string(),
        "time".into(),
        "USD".into(),
        "kg CO2e".into(),
        "km".into(),
        "modes".into(),
        "corridor".into(),
    ]];
    for (i, r) in answer.routes.iter().enumerate() {
        let corridor = answer.corridors[i]
            .first()
            .map_or("—".to_string(), |m| m.id.clone());
        rows.push([
            labels[i].clone(),
            days(r.total.time_h),
            thousands(r.total.cost_usd),
            thousands(r.total.co2e_kg_wtw),
            thousands(r.distance_m / 1000.0),
            mode_chain(r),
            corridor,
        ]);
    }
    let width = |c: usize| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0);
    let widths: Vec<usize> = (0..7).map(width).collect();
    let mut out = String::new();
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
    out
}

/// With several routes, one line each before their tables, so the
/// trade-off reads at a glance.
fn overview(answer: &RoutesAnswer) -> String {
    let routes = &answer.routes;
    let pareto = matches!(answer.want, Want::Pareto { .. });
    if routes.len() < 2 {
        return String::new();
    }
    let first = &routes[0];
    let what = if pareto {
        "the Pareto set over time × cost × CO2e, sorted by time"
    } else {
        "alternatives, best first"
    };
    let labels: Vec<String> = (1..=routes.len()).map(|i| i.to_string()).collect();
    format!(
        "{} → {}: {} routes for {}, {} (each in full below)\n",
        first.origin.place.label(),
        first.destination.place.label(),
        routes.len(),
        answer.cargo,
        what
    ) + &summary_rows(answer, &labels, "#")
        + "\n"
}

/// `route` without `--optimize`: one line for the fastest, the cheapest
/// and the lowest-CO2e route (a route that wins several, once), then the
/// cheapest in full, the answer a freight planner asks for first.
fn planner_overview(answer: &RoutesAnswer) -> String {
    let Some(first) = answer.routes.first() else {
        return String::new();
    };
    let word = |o: &Objective| match o {
        Objective::Time => "fastest",
        Objective::Cost => "cheapest",
        Objective::Co2 => "lowest CO2e",
        Objective::Distance => "shortest",
    };
    let labels: Vec<String> = answer
        .best_for
        .iter()
        .map(|b| b.iter().map(word).collect::<Vec<_>>().join(", "))
        .collect();
    let cheapest = answer
        .best_for
        .iter()
        .position(|b| b.contains(&Objective::Cost))
        .unwrap_or(0);
    let mut out = format!(
        "{} → {}: the fastest, cheapest and lowest-CO2e routes for {} over {} (the cheapest in full below; --optimize time, cost or co2 for one route, --pareto for the trade-off)\n",
        first.origin.place.label(),
        first.destination.place.label(),
        answer.cargo,
        answer.modes,
    );
    out += &summary_rows(answer, &labels, "best for");
    out += "\n";
    let route = &answer.routes[cheapest];
    out += &format!(
        "{} → {}   (cheapest route for {}, exact over {})\n",
        route.origin.place.label(),
        route.destination.place.label(),
        answer.cargo,
        answer.modes
    );
    out += &body(route, answer.spreads.get(cheapest), answer.vessel.as_ref());
    out += &corridor_lines(&answer.corridors[cheapest]);
    out
}

fn days(h: f64) -> String {
    if h >= 48.0 {
        format!("{:.1} d", h / 24.0)
    } else {
        format!("{h:.1} h")
    }
}

fn table(route: &Route, answer: &RoutesAnswer, index: usize) -> String {
    let count = answer.routes.len();
    let pareto = matches!(answer.want, Want::Pareto { .. });
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
            answer.cargo,
            answer.modes
        ));
        out.push_str(&body(
            route,
            answer.spreads.get(index),
            answer.vessel.as_ref(),
        ));
        return out;
    }
    out.push_str(&format!(
        "{title}{} → {}   ({} route for {}, {} over {})\n",
        route.origin.place.label(),
        route.destination.place.label(),
        match answer.objective {
            Objective::Time => "fastest",
            Objective::Cost => "cheapest",
            Objective::Co2 => "lowest-CO2e",
            Objective::Distance => "shortest",
        },
        answer.cargo,
        if count > 1 { "ranked" } else { "exact" },
        answer.modes
    ));
    out.push_str(&body(
        route,
        answer.spreads.get(index),
        answer.vessel.as_ref(),
    ));
    out
}

/// The legs, borders and totals of one route, as a table.
fn body(route: &Route, spread: Option<&Spread>, vessel: Option<&VesselChoice>) -> String {
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
                    "{:.0}{}{}{}{}",
                    l.impact.co2e_kg_wtw,
                    if l.drayage {
                        // The join it drives, as the answer reports it.
                        let straight = if i == 0 {
                            route.origin.snap_m
                        } else {
                            route.destination.snap_m
                        };
                        format!("   drayage ({:.1} km straight line)", straight / 1000.0)
                    } else {
                        String::new()
                    },
                    if passages.is_empty() {
                        String::new()
                    } else {
                        format!("   via {passages}")
                    } + &l
                        .canals
                        .iter()
                        .map(|(p, i)| {
                            format!("   {p} toll {:.0} USD, +{:.0} h", i.cost_usd, i.time_h)
                        })
                        .collect::<String>(),
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
                    },
                    {
                        // The user's own links (curated ones are in JSON).
                        let user: Vec<&str> = l
                            .records
                            .iter()
                            .filter(|r| r.id.starts_with("user:"))
                            .map(|r| r.id.as_str())
                            .collect();
                        if user.is_empty() {
                            String::new()
                        } else {
                            format!("   on {}", user.join(", "))
                        }
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
    if let Some(s) = spread.filter(|s| s.varying > 0) {
        let kinds: Vec<String> = s
            .uncertain
            .iter()
            .map(|(c, n)| match n {
                1 => c.words(),
                n => format!("{} ×{n}", c.words()),
            })
            .collect();
        out.push_str(&format!(
            "\ntransit time P10 {}, P50 {}, P90 {} (drawn from {} published {}: {})",
            days(s.p10_h),
            days(s.p50_h),
            days(s.p90_h),
            s.varying,
            if s.varying == 1 { "range" } else { "ranges" },
            kinds.join(", ")
        ));
    }
    let passages = route.passages();
    if !passages.is_empty() {
        let names: Vec<&str> = passages.iter().map(|p| p.as_str()).collect();
        out.push_str(&format!("\npassages: {}", names.join(", ")));
    }
    if let Some(v) = vessel.filter(|v| v.matters())
        && route.legs.iter().any(|l| l.mode == Mode::Sea)
    {
        let closed: Vec<&str> = v.closes.iter().map(|p| p.as_str()).collect();
        out.push_str(&format!("\nvessel: {}", v.words()));
        if !closed.is_empty() {
            out.push_str(&format!(", does not fit {}", closed.join(", ")));
        }
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
