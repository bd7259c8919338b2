//! What a search minimises and how it prices: the [`Objective`] (time,
//! cost, CO2e or distance, each in integer units so searches are exact)
//! and the [`Pricing`] (a cost model applied to one cargo).
//!
//! Cost and CO2e are linear in the amount of cargo (every rate is per
//! container, per tonne or per tonne-km), so integer weights are computed
//! for one FEU-equivalent of the cargo's kind ([`Pricing::per_unit`]) and
//! keep the same precision for 1 kg as for a shipload: a weight of cost is
//! US cents per FEU-equivalent, of CO2e grams per FEU-equivalent, and
//! [`Pricing::weight_scale`] turns it back into the cargo's own units.
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

    /// The integer weight of an impact over `distance_m` metres, in the
    /// units of the impact's own cargo (see [`Pricing::weight_scale`] for
    /// the units metric weights use).
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

impl<'a> Pricing<'a> {
    /// The same kind of cargo, one FEU-equivalent of it (1 FEU, the TEU
    /// that fill one, or `cargo.feu_tonnes` tonnes): what metric weights
    /// are computed for. Whatever the cargo, cost and CO2e weights then
    /// have the resolution of one cent and one gram per FEU-equivalent,
    /// and routes do not depend on the amount shipped.
    pub fn per_unit(&self) -> Pricing<'a> {
        let feu = self.model.cargo.teu_per_feu;
        let cargo = match self.cargo {
            Cargo::Feu(_) => Cargo::Feu(1.0),
            Cargo::Teu(_) => Cargo::Teu(feu),
            Cargo::Tonnes(_) => Cargo::Tonnes(self.model.cargo.feu_tonnes),
        };
        Pricing {
            model: self.model,
            cargo,
        }
    }

    /// How many of [`Pricing::per_unit`]'s cargo this one is: its
    /// FEU-equivalents.
    pub fn units(&self) -> f64 {
        self.cargo.feu_equivalents(self.model)
    }

    /// What one metric weight of `objective` is in [`Objective::weight`]'s
    /// units for this cargo: [`Pricing::units`] for cost and CO2e (whose
    /// weights are per FEU-equivalent), 1 for time and distance.
    pub fn weight_scale(&self, objective: Objective) -> f64 {
        match objective {
            Objective::Cost | Objective::Co2 => self.units(),
            Objective::Time | Objective::Distance => 1.0,
        }
    }

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
