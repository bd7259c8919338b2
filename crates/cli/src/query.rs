//! Turning route options into an engine request: modes, objective, cargo,
//! cost model, `--avoid` and `--via`. Shared by `route`, `matrix` and
//! `reach`; `--cargo` and `--cost-model` ([`Shipment`]) and the checks also
//! by `scenario`, `flow`, `criticality`, `bri-impact` and `corridors`.
//! Every option is checked before any work starts, and an unknown value
//! gets an error that lists what is accepted.

use std::path::PathBuf;

use silkroute_cost::{Cargo, CostModel};
use silkroute_graph::Network;
use silkroute_model::{ModeSet, Passage, haversine_m};
use silkroute_route::places::Gazetteer;
use silkroute_route::search::{BBox, Filter};
use silkroute_route::{Objective, ResolvedPlace};

use crate::Failure;

/// Radius around an avoided place, metres.
pub const AVOID_PLACE_RADIUS_M: f64 = 50_000.0;

#[derive(clap::Args, Clone)]
pub struct QueryArgs {
    /// Modes the route may use, comma-separated: rail, road, sea, air, ferry.
    /// Transfers between them happen at ports, airports and terminals and are
    /// priced by the cost model.
    #[arg(long, value_name = "LIST", default_value = "rail,road,sea,air,ferry")]
    pub modes: String,
    /// What to minimise: time, cost, co2 or distance.
    #[arg(long, value_name = "OBJECTIVE", default_value = "time")]
    pub optimize: String,
    #[command(flatten)]
    pub shipment: Shipment,
    /// What the route must not use, comma-separated and repeatable: sea
    /// passages (suez, babalmandab, malacca, panama, ormuz, bosporus, ...),
    /// ISO country codes (RU, IR), place names (avoids 50 km around them),
    /// or one bounding box per option as bbox:WEST,SOUTH,EAST,NORTH.
    #[arg(long, value_name = "LIST")]
    pub avoid: Vec<String>,
    /// What the route must use, repeatable: a place (passed in the given
    /// order) or one sea passage (e.g. cape via south_africa).
    #[arg(long, value_name = "PLACE|PASSAGE")]
    pub via: Vec<String>,
}

impl QueryArgs {
    /// Options of a command that has no `--avoid` or `--via`.
    pub fn plain(modes: &str, optimize: &str, shipment: &Shipment) -> QueryArgs {
        QueryArgs {
            modes: modes.to_string(),
            optimize: optimize.to_string(),
            shipment: shipment.clone(),
            avoid: Vec::new(),
            via: Vec::new(),
        }
    }
}

/// What is shipped and how it is priced: `--cargo` and `--cost-model`, the
/// same for every command that prices routes.
#[derive(clap::Args, Clone)]
pub struct Shipment {
    /// What is shipped: feu, teu, 2feu, 3teu or tonnes:12.5.
    #[arg(long, value_name = "CARGO", default_value = "feu")]
    pub cargo: String,
    /// A TOML file overriding any part of the default cost model
    /// (data/cost_model.toml, explained in docs/COST_MODEL.md).
    #[arg(long, value_name = "FILE")]
    pub cost_model: Option<PathBuf>,
}

/// A checked, resolved query, before the engine runs.
pub struct Query {
    pub modes: ModeSet,
    pub objective: Objective,
    pub cargo: Cargo,
    pub model: CostModel,
    pub filter: Filter,
    pub via_places: Vec<ResolvedPlace>,
    pub via_passage: Option<Passage>,
    /// The user's constraints in words, for error messages.
    pub constraints: String,
}

pub fn parse_modes(s: &str) -> Result<ModeSet, Failure> {
    ModeSet::parse_list(s).map_err(|bad| {
        Failure::input(format!(
            "unknown mode {bad:?} in --modes {s:?} (choose from rail, road, sea, air, ferry)"
        ))
    })
}

/// Checks everything that needs no network (so bad options fail fast).
pub fn check_options(args: &QueryArgs) -> Result<(ModeSet, Objective, Cargo, CostModel), Failure> {
    let modes = parse_modes(&args.modes)?;
    let objective = Objective::parse(&args.optimize).ok_or_else(|| {
        Failure::input(format!(
            "unknown objective {:?} for --optimize (choose from time, cost, co2, distance)",
            args.optimize
        ))
    })?;
    let cargo = Cargo::parse(&args.shipment.cargo).map_err(|e| Failure::input(e.to_string()))?;
    let model = match &args.shipment.cost_model {
        None => CostModel::defaults(),
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| Failure::input(format!("{}: {e}", path.display())))?;
            CostModel::from_overrides(&text)
                .map_err(|e| Failure::input(format!("{}: {e}", path.display())))?
        }
    };
    Ok((modes, objective, cargo, model))
}

fn parse_bbox(spec: &str) -> Result<BBox, Failure> {
    let bad = || {
        Failure::input(format!(
            "bad bounding box {spec:?} (write bbox:WEST,SOUTH,EAST,NORTH in degrees)"
        ))
    };
    let nums: Vec<f64> = spec
        .split(',')
        .map(|x| x.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| bad())?;
    let [west, south, east, north] = nums[..] else {
        return Err(bad());
    };
    let lon_ok = |x: f64| (-180.0..=180.0).contains(&x);
    if !lon_ok(west)
        || !lon_ok(east)
        || !(-90.0..=90.0).contains(&south)
        || !(-90.0..=90.0).contains(&north)
        || south > north
    {
        return Err(bad());
    }
    Ok(BBox {
        west,
        south,
        east,
        north,
    })
}

/// Resolves `--avoid` and `--via` against the network.
pub fn build(args: &QueryArgs, net: &Network, gazetteer: &Gazetteer) -> Result<Query, Failure> {
    let (modes, objective, cargo, model) = check_options(args)?;
    let mut filter = Filter::new(modes);
    let mut words = Vec::new();
    let countries = net.country_codes();
    for value in &args.avoid {
        let items: Vec<String> = match value.trim().strip_prefix("bbox:") {
            Some(spec) => {
                let b = parse_bbox(spec)?;
                filter.close_nodes(net, |v| b.contains(net.pos(v)));
                words.push(format!("avoid {value}"));
                continue;
            }
            None => value
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
        };
        for item in items {
            let lower = item.to_ascii_lowercase();
            if let Some(p) = Passage::parse(&lower) {
                filter.close(p);
            } else if item.len() == 2 && item.chars().all(|c| c.is_ascii_alphabetic()) {
                let cc = item.to_ascii_uppercase();
                let code = u16::from_le_bytes([cc.as_bytes()[0], cc.as_bytes()[1]]);
                if !countries.contains(&code) {
                    return Err(Failure::input(format!(
                        "--avoid {item}: no node of the network lies in country {cc} (ISO 3166-1 alpha-2 codes, e.g. RU, IR, KZ)"
                    )));
                }
                filter.close_nodes(net, |v| countries[v.index()] == code);
            } else {
                let place = gazetteer.resolve(&item).map_err(|e| {
                    Failure::input(format!(
                        "--avoid {item}: {e} (or is it a passage? {})",
                        passage_names()
                    ))
                })?;
                let center = place.pos;
                filter.close_nodes(net, |v| {
                    haversine_m(center, net.pos(v)) <= AVOID_PLACE_RADIUS_M
                });
            }
            words.push(format!("avoid {item}"));
        }
    }
    let mut via_places = Vec::new();
    let mut via_passage = None;
    for item in &args.via {
        if let Some(p) = Passage::parse(&item.trim().to_ascii_lowercase()) {
            if via_passage.replace(p).is_some() {
                return Err(Failure::input(
                    "only one --via passage per route is supported",
                ));
            }
            if filter.is_closed(p) {
                if Filter::DEFAULT_CLOSED.contains(&p) {
                    filter.open(p);
                } else {
                    return Err(Failure::input(format!("--via {p} contradicts --avoid {p}")));
                }
            }
        } else {
            let place = gazetteer
                .resolve(item)
                .map_err(|e| Failure::input(format!("--via {item}: {e}")))?;
            via_places.push(place);
        }
        words.push(format!("via {item}"));
    }
    Ok(Query {
        modes,
        objective,
        cargo,
        model,
        filter,
        via_places,
        via_passage,
        constraints: words.join(", "),
    })
}

fn passage_names() -> String {
    Passage::ALL
        .iter()
        .map(|p| p.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A resolved place or an input error.
pub fn resolve(gazetteer: &Gazetteer, what: &str) -> Result<ResolvedPlace, Failure> {
    gazetteer
        .resolve(what)
        .map_err(|e| Failure::input(e.to_string()))
}
