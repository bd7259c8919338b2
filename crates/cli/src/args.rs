//! The options commands share, turned into the API's request values:
//! modes, objective, `--avoid`, `--via`, `--vessel` ([`QueryArgs`]) and `--cargo`,
//! `--cost-model` ([`ShipmentArgs`]). Parsing and checking happen in
//! `silkroute_api::parse`; this module only reads the cost-model file.
//! Every option is checked before any work starts.

use std::path::PathBuf;

use silkroute_api::{Constraints, Error, Objective, Shipment, parse};

#[derive(clap::Args, Clone)]
pub struct QueryArgs {
    /// Modes the route may use, comma-separated: rail, road, sea, air, ferry.
    /// Transfers between them happen at ports, airports and terminals and are
    /// priced by the cost model.
    #[arg(long, value_name = "LIST", default_value = "rail,road,sea,air,ferry")]
    pub modes: String,
    /// What to minimise: time, cost, co2 or distance (default: time).
    /// `route` without it prints an overview of the fastest, cheapest and
    /// lowest-CO2e routes, then the cheapest in full.
    #[arg(long, value_name = "OBJECTIVE")]
    pub optimize: Option<String>,
    #[command(flatten)]
    pub shipment: ShipmentArgs,
    /// What the route must not use, comma-separated and repeatable: sea
    /// passages (suez, babalmandab, malacca, panama, ormuz, bosporus, ...),
    /// ISO country codes (RU, IR), place names (avoids 50 km around them),
    /// curated-links (every curated Belt and Road missing link, leaving
    /// OpenStreetMap's own network), or one bounding box per option as
    /// bbox:WEST,SOUTH,EAST,NORTH.
    #[arg(long, value_name = "LIST", allow_hyphen_values = true)]
    pub avoid: Vec<String>,
    /// What the route must use, repeatable: a place (passed in the given
    /// order) or one sea passage (e.g. cape via south_africa).
    #[arg(long, value_name = "PLACE|PASSAGE", allow_hyphen_values = true)]
    pub via: Vec<String>,
    /// Ship class of the sea legs: feeder, panamax, post-panamax,
    /// neopanamax or ulcv (data/vessels.toml). A class may not use a
    /// passage it does not fit (a ulcv does not fit the Panama Canal).
    /// Without it a route takes its trade lane's default class: ulcv
    /// between East Asia and North Europe or the Mediterranean, neopanamax
    /// (which fits every passage) elsewhere; a matrix or a reach, which has
    /// no pair of ends to choose a lane by, closes no passage by class.
    #[arg(long, value_name = "CLASS")]
    pub vessel: Option<String>,
}

/// What `--cost-model` must name (said when it names something else).
const COST_MODEL_FILE: &str = "a TOML cost-model file (see docs/COST_MODEL.md)";

/// What is shipped and how it is priced: `--cargo` and `--cost-model`, the
/// same for every command that prices routes.
#[derive(clap::Args, Clone)]
pub struct ShipmentArgs {
    /// What is shipped: feu, teu, 2feu, 3teu or tonnes:12.5; from 1 kg
    /// (tonnes:0.001) to 1,000,000 t (50000feu) by the cost model's
    /// container masses.
    #[arg(long, value_name = "CARGO", default_value = "feu")]
    pub cargo: String,
    /// A TOML file overriding any part of the default cost model
    /// (data/cost_model.toml, explained in docs/COST_MODEL.md, whose §3 lists
    /// the range each number must lie in).
    #[arg(long, value_name = "FILE")]
    pub cost_model: Option<PathBuf>,
}

impl ShipmentArgs {
    pub fn shipment(&self) -> Result<Shipment, Error> {
        match &self.cost_model {
            None => Shipment::parse(&self.cargo, None),
            Some(path) => {
                let text = silkroute_api::input::read_to_string(path, COST_MODEL_FILE)?;
                Shipment::parse(&self.cargo, Some((&path.display().to_string(), &text)))
            }
        }
    }
}

/// A query's options, checked.
pub struct Query {
    pub constraints: Constraints,
    pub objective: Objective,
    pub shipment: Shipment,
}

impl QueryArgs {
    /// Checks everything that needs no network (so bad options fail fast).
    pub fn check(&self) -> Result<Query, Error> {
        Ok(Query {
            constraints: Constraints {
                modes: parse::modes(&self.modes)?,
                avoid: self.avoid.clone(),
                via: self.via.clone(),
                vessel: self.vessel.clone(),
            },
            objective: parse::objective(self.optimize.as_deref().unwrap_or("time"))?,
            shipment: self.shipment.shipment()?,
        })
    }
}

/// `--modes`, `--optimize` and the shipment of a command without
/// `--avoid` or `--via`.
pub fn plain(modes: &str, optimize: &str, shipment: &ShipmentArgs) -> Result<Query, Error> {
    QueryArgs {
        modes: modes.to_string(),
        optimize: Some(optimize.to_string()),
        shipment: shipment.clone(),
        avoid: Vec::new(),
        via: Vec::new(),
        vessel: None,
    }
    .check()
}
