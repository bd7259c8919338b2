//! What a search minimises and how it prices: the [`Objective`] (time,
//! cost, CO2e or distance, each in integer units so searches are exact)
//! and the [`Pricing`] (a cost model applied to one cargo).
//!
//! Leaf types of the crate: everything else builds on them.

use silkroute_cost::{Cargo, CostModel, Impact};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Objective {
    Time,
    Cost,
    Co2,
    Distance,
}

impl Objective {
    pub const ALL: [Objective; 4] = [
        Objective::Time,
        Objective::Cost,
        Objective::Co2,
        Objective::Distance,
    ];

    pub fn parse(s: &str) -> Option<Objective> {
        match s {
            "time" => Some(Objective::Time),
            "cost" => Some(Objective::Cost),
            "co2" | "co2e" => Some(Objective::Co2),
            "distance" => Some(Objective::Distance),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Objective::Time => "time",
            Objective::Cost => "cost",
            Objective::Co2 => "co2",
            Objective::Distance => "distance",
        }
    }

    /// The integer weight of an impact over `distance_m` metres.
    pub fn weight(self, impact: &Impact, distance_m: f64) -> f64 {
        match self {
            Objective::Time => impact.time_h * 3600.0,
            Objective::Cost => impact.cost_usd * 100.0,
            Objective::Co2 => impact.co2e_kg_wtw * 1000.0,
            Objective::Distance => distance_m,
        }
    }
}

/// The cost model applied to one cargo.
#[derive(Clone, Copy, Debug)]
pub struct Pricing<'a> {
    pub model: &'a CostModel,
    pub cargo: Cargo,
}

impl Pricing<'_> {
    /// What a metric computed with this pricing depends on: the cost
    /// model's numbers (not its address) and the cargo.
    pub fn fingerprint(&self) -> [u64; 3] {
        let cargo = match self.cargo {
            Cargo::Feu(n) => [0, n.to_bits()],
            Cargo::Teu(n) => [1, n.to_bits()],
            Cargo::Tonnes(t) => [2, t.to_bits()],
        };
        [self.model.fingerprint(), cargo[0], cargo[1]]
    }
}
