//! Turning what a user wrote into typed values, with one error message per
//! mistake that lists what is accepted: modes, objectives, cargo, sea
//! passages, bounding boxes, budgets and the Pareto ε. Every shell parses
//! through here, so `--modes rail,raod` on the command line and
//! `modes=rail,raod` over HTTP get the same answer.

use silkroute_cost::Cargo;
use silkroute_model::{ModeSet, Passage};
use silkroute_route::{BBox, Objective};

use crate::error::{Error, Result};

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

/// A reach budget in the objective's integer units: a duration such as
/// 10d or 36h for time; a number of USD, kg CO2e or km otherwise.
pub fn budget(s: &str, objective: Objective) -> Result<u64> {
    let t = s.trim().to_ascii_lowercase();
    let bad = || {
        Error::invalid_value(format!(
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
        assert_eq!(budget("2d", Objective::Time).unwrap(), 172_800);
        assert_eq!(budget("100", Objective::Cost).unwrap(), 10_000);
        assert!(budget("10", Objective::Time).is_err());
        assert!(bbox("10,20,30").is_err());
        assert!(bbox("170,-10,-170,10").is_ok(), "wraps the antimeridian");
        assert!(epsilon(1.5).is_err());
    }
}
