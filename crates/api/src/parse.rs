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

/// The units a duration may be written in, largest first, with their
/// length in seconds: `w` (week), `d`, `h`, `m` (minute; `min` too).
const DURATION_UNITS: [(&str, f64); 5] = [
    ("w", 7.0 * 86_400.0),
    ("d", 86_400.0),
    ("h", 3_600.0),
    ("min", 60.0),
    ("m", 60.0),
];

/// How durations are written, for help texts and messages.
pub const DURATION_FORMS: &str = "a number with a unit w, d, h or m (minutes), or several of them in a row: 10d, 36h, 90m, 1.5d, 2d12h, 1w2d";

/// A duration in seconds: one or more `<number><unit>` parts, summed
/// (`2d12h`, `1w2d`, `36h`, `90m`, `1.5d`; spaces between parts are
/// allowed). `None` when the text is not of that form; zero and negative
/// durations are of the form and come back as they are, for the caller to
/// judge.
pub fn duration_seconds(s: &str) -> Option<f64> {
    let t = s.trim().to_ascii_lowercase();
    let mut rest = t.as_str();
    let mut total = 0.0;
    let mut parts = 0;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let (num, tail) = rest.split_at(digits);
        // A sign only before the first part: `-5d` is a negative duration,
        // `2d-5h` is not a duration.
        let (num, negative) = match (parts, num.is_empty(), tail.strip_prefix('-')) {
            (0, true, Some(after)) => {
                let d = after
                    .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                    .unwrap_or(after.len());
                rest = &after[d..];
                (&after[..d], true)
            }
            _ => {
                rest = tail;
                (num, false)
            }
        };
        let value: f64 = num.parse().ok()?;
        let (unit, seconds) = DURATION_UNITS.iter().find(|(u, _)| rest.starts_with(u))?;
        rest = rest[unit.len()..].trim_start();
        total += if negative { -value } else { value } * seconds;
        parts += 1;
    }
    (parts > 0 && total.is_finite()).then_some(total)
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
/// cargo: [`silkroute_route::Pricing::weight_scale`]): a duration (see
/// [`duration_seconds`]) for time; a number of USD, kg CO2e or km
/// otherwise; more than 0 (a budget of nothing reaches only the start)
/// and at most the `MAX_BUDGET_*` limits, else `InvalidValue`.
pub fn budget(s: &str, objective: Objective, shipment: &Shipment) -> Result<u64> {
    let t = s.trim().to_ascii_lowercase();
    let bad = || {
        Error::invalid_value(format!(
            "--within {s:?}: write a duration for time ({DURATION_FORMS}), or a number for cost (USD), co2 (kg) or distance (km)"
        ))
    };
    let positive = |v: f64| {
        if v > 0.0 {
            Ok(v)
        } else {
            Err(Error::invalid_value(format!(
                "--within {s:?}: the budget must be more than zero (a budget of nothing reaches only the start)"
            )))
        }
    };
    let num = |x: &str| {
        x.trim()
            .parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(bad)
            .and_then(positive)
    };
    // In seconds, cents, grams or metres, with its limit in those units.
    let (value, max, shown) = match objective {
        Objective::Time => (
            positive(duration_seconds(&t).ok_or_else(bad)?)?,
            MAX_BUDGET_DAYS * 86_400.0,
            format!("{MAX_BUDGET_DAYS} d"),
        ),
        Objective::Cost => (
            num(t.trim_end_matches("usd"))? * 100.0,
            MAX_BUDGET_USD * 100.0,
            format!("{MAX_BUDGET_USD} USD"),
        ),
        Objective::Co2 => (
            num(t.trim_end_matches("kg"))? * 1000.0,
            MAX_BUDGET_KG * 1000.0,
            format!("{MAX_BUDGET_KG} kg"),
        ),
        Objective::Distance => (
            num(t.trim_end_matches("km"))? * 1000.0,
            MAX_BUDGET_KM * 1000.0,
            format!("{MAX_BUDGET_KM} km"),
        ),
    };
    if value > max {
        return Err(Error::invalid_value(format!(
            "--within {s:?}: the budget must be more than 0 and at most {shown}"
        )));
    }
    let value = value / shipment.pricing().weight_scale(objective);
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

    #[test]
    fn durations_take_compound_forms() {
        let one = Shipment::default();
        let t = |s: &str| budget(s, Objective::Time, &one);
        assert_eq!(t("2d12h").unwrap(), 216_000);
        assert_eq!(t("1w").unwrap(), 604_800);
        assert_eq!(t("1w2d").unwrap(), 777_600);
        assert_eq!(t("36h").unwrap(), 129_600);
        assert_eq!(t("90m").unwrap(), 5_400);
        assert_eq!(t("90min").unwrap(), 5_400);
        assert_eq!(t("1.5d").unwrap(), 129_600);
        assert_eq!(t(" 2D 12H ").unwrap(), 216_000);
        assert_eq!(t("0.5h").unwrap(), 1_800);
        // Past the limit: refused, not saturated to "unreached".
        for huge in ["3651d", "600w", "100000h"] {
            let e = t(huge).unwrap_err();
            assert!(e.message.contains("at most 3650 d"), "{huge}: {e}");
        }
        for bad in ["10", "d", "2x", "2d12", "2d-5h", "1..5d", "h2", "", "1e3d"] {
            let e = t(bad).unwrap_err();
            assert!(e.message.contains("2d12h"), "{bad}: {e}");
        }
        // Zero and negative durations are durations, refused for a reason.
        for zero in ["0d", "0h0m", "-5d"] {
            let e = t(zero).unwrap_err();
            assert!(e.message.contains("more than zero"), "{zero}: {e}");
            assert!(!e.message.contains("write a duration"), "{zero}: {e}");
        }
        assert!(
            budget("0", Objective::Cost, &one)
                .unwrap_err()
                .message
                .contains("more than zero")
        );
    }
}
