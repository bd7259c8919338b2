//! Turning what a user wrote into typed values, with one error message per
//! mistake that lists what is accepted: modes, objectives, cargo, sea
//! passages, bounding boxes, budgets and the Pareto ε. Every shell parses
//! through here, so `--modes rail,raod` on the command line and
//! `modes=rail,raod` over HTTP get the same answer.

use silkroute_cost::Cargo;
use silkroute_model::{ModeSet, Passage};
use silkroute_route::{BBox, Objective};

use crate::error::{Error, Result};
use crate::shipment::Shipment;

/// A comma-separated list of modes: rail, road, sea, air, ferry.
pub fn modes(s: &str) -> Result<ModeSet> {
    ModeSet::parse_list(s).map_err(|bad| {
        Error::invalid_value(format!(
            "unknown mode {bad:?} in --modes {s:?} (choose from rail, road, sea, air, ferry)"
        ))
    })
}

/// What to minimise: time, cost, co2 or distance.
pub fn objective(s: &str) -> Result<Objective> {
    Objective::parse(s).ok_or_else(|| {
        Error::invalid_value(format!(
            "unknown objective {s:?} for --optimize (choose from time, cost, co2, distance)"
        ))
    })
}

/// What is shipped: feu, teu, 2feu, 3teu or tonnes:12.5.
pub fn cargo(s: &str) -> Result<Cargo> {
    Cargo::parse(s).map_err(Error::from)
}

/// A sea passage by name (suez, babalmandab, malacca, panama, …).
pub fn passage(s: &str) -> Option<Passage> {
    Passage::parse(&s.trim().to_ascii_lowercase())
}

/// Every passage name, for messages.
pub fn passage_names() -> String {
    Passage::ALL
        .iter()
        .map(|p| p.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// `WEST,SOUTH,EAST,NORTH` in degrees (west > east wraps the antimeridian).
pub fn bbox(spec: &str) -> Result<BBox> {
    let bad = || {
        Error::invalid_value(format!(
            "bad bounding box {spec:?} (write bbox:WEST,SOUTH,EAST,NORTH in degrees)"
        ))
    };
    let nums: Vec<f64> = spec
        .split(',')
        .map(|x| x.trim().parse::<f64>())
        .collect::<std::result::Result<_, _>>()
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

/// The Pareto set's ε: between 0 (the exact set) and 1.
pub fn epsilon(x: f64) -> Result<f64> {
    if (0.0..=1.0).contains(&x) {
        Ok(x)
    } else {
        Err(Error::invalid_value(
            "--pareto-epsilon must be between 0 and 1",
        ))
    }
}

/// The largest `--within` budgets, in what users write: 3,650 days
/// (10 years), 10⁹ USD, 10⁹ kg CO2e, 100,000 km. Every route on the
/// world network is far inside them (the longest take under a year, cost
/// under 10⁵ USD per FEU and run under 40,000 km), so a larger budget adds
/// nothing, and beyond them the integer weights of a small cargo would
/// come near the "unreached" sentinel of the search.
pub const MAX_BUDGET_DAYS: f64 = 3_650.0;
pub const MAX_BUDGET_USD: f64 = 1e9;
pub const MAX_BUDGET_KG: f64 = 1e9;
pub const MAX_BUDGET_KM: f64 = 100_000.0;

/// A reach budget in the objective's metric weight units for `shipment`
/// (seconds, metres, or US cents and grams CO2e per FEU-equivalent of the
/// cargo: [`silkroute_route::Pricing::weight_scale`]): a duration such as
/// 10d or 36h for time; a number of USD, kg CO2e or km otherwise; more than
/// 0 and at most the `MAX_BUDGET_*` limits, else `InvalidValue`.
pub fn budget(s: &str, objective: Objective, shipment: &Shipment) -> Result<u64> {
    let t = s.trim().to_ascii_lowercase();
    let bad = || {
        Error::invalid_value(format!(
            "--within {s:?}: write a duration like 10d or 36h for time, or a number for cost (USD), co2 (kg) or distance (km)"
        ))
    };
    let (text, per, max, unit) = match objective {
        Objective::Time => {
            if let Some(d) = t.strip_suffix('d') {
                (d, 86_400.0, MAX_BUDGET_DAYS, "d")
            } else if let Some(h) = t.strip_suffix('h') {
                (h, 3_600.0, MAX_BUDGET_DAYS * 24.0, "h")
            } else {
                return Err(bad());
            }
        }
        Objective::Cost => (t.trim_end_matches("usd"), 100.0, MAX_BUDGET_USD, " USD"),
        Objective::Co2 => (t.trim_end_matches("kg"), 1000.0, MAX_BUDGET_KG, " kg"),
        Objective::Distance => (t.trim_end_matches("km"), 1000.0, MAX_BUDGET_KM, " km"),
    };
    let x: f64 = text.trim().parse().map_err(|_| bad())?;
    if !(x > 0.0 && x <= max) {
        return Err(Error::invalid_value(format!(
            "--within {s:?}: the budget must be more than 0 and at most {max}{unit}"
        )));
    }
    let value = x * per / shipment.pricing().weight_scale(objective);
    // The cargo limits keep this far below the search's sentinel; a value
    // that still is not is refused rather than saturated.
    if !(0.0..(1u64 << 62) as f64).contains(&value) {
        return Err(Error::invalid_value(format!(
            "--within {s:?} is too large for cargo {}",
            shipment.cargo.label()
        )));
    }
    Ok(value as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_parse_and_mistakes_say_what_is_accepted() {
        assert!(modes("rail,sea").is_ok());
        let e = modes("rail,raod").unwrap_err();
        assert_eq!(e.code, crate::Code::InvalidValue);
        assert!(e.message.contains("choose from rail"), "{e}");
        assert!(objective("fastest").is_err());
        let one = Shipment::default();
        assert_eq!(budget("2d", Objective::Time, &one).unwrap(), 172_800);
        assert_eq!(budget("100", Objective::Cost, &one).unwrap(), 10_000);
        assert!(budget("10", Objective::Time, &one).is_err());
        assert!(bbox("10,20,30").is_err());
        assert!(bbox("170,-10,-170,10").is_ok(), "wraps the antimeridian");
        assert!(epsilon(1.5).is_err());
    }
}
