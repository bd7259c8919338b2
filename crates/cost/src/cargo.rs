//! What is shipped: containers (FEU, TEU) or a mass in tonnes.
//!
//! Rates are per container-km (per FEU) and per tonne-km; emissions are per
//! tonne-km. A TEU is priced as half an FEU (a modelling assumption recorded
//! in `docs/COST_MODEL.md`) and weighs `cargo.teu_tonnes`; an FEU weighs
//! `cargo.feu_tonnes`.

use crate::{CostModel, Error};

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Cargo {
    /// This many forty-foot containers.
    Feu(f64),
    /// This many twenty-foot containers.
    Teu(f64),
    /// Loose cargo, in tonnes.
    Tonnes(f64),
}

impl Cargo {
    /// Parses `feu`, `teu`, `2feu`, `3teu`, `tonnes:12.5`.
    pub fn parse(s: &str) -> Result<Cargo, Error> {
        let t = s.trim().to_ascii_lowercase();
        let bad = || Error::BadCargo(s.to_string());
        let positive = |x: f64| {
            if x.is_finite() && x > 0.0 {
                Ok(x)
            } else {
                Err(bad())
            }
        };
        if let Some(v) = t.strip_prefix("tonnes:").or_else(|| t.strip_prefix("t:")) {
            return Ok(Cargo::Tonnes(positive(
                v.trim().parse().map_err(|_| bad())?,
            )?));
        }
        for (suffix, make) in [("feu", Cargo::Feu as fn(f64) -> Cargo), ("teu", Cargo::Teu)] {
            if let Some(n) = t.strip_suffix(suffix) {
                let n = n.trim();
                let count = if n.is_empty() {
                    1.0
                } else {
                    n.parse().map_err(|_| bad())?
                };
                return Ok(make(positive(count)?));
            }
        }
        Err(bad())
    }

    /// Mass carried, tonnes.
    pub fn tonnes(&self, m: &CostModel) -> f64 {
        match *self {
            Cargo::Feu(n) => n * m.cargo.feu_tonnes,
            Cargo::Teu(n) => n * m.cargo.teu_tonnes,
            Cargo::Tonnes(t) => t,
        }
    }

    /// FEU-equivalents for per-container prices; loose cargo counts as the
    /// containers it would fill at `cargo.feu_tonnes` each.
    pub fn feu_equivalents(&self, m: &CostModel) -> f64 {
        match *self {
            Cargo::Feu(n) => n,
            Cargo::Teu(n) => n / m.cargo.teu_per_feu,
            Cargo::Tonnes(t) => t / m.cargo.feu_tonnes,
        }
    }

    pub fn is_containerised(&self) -> bool {
        !matches!(self, Cargo::Tonnes(_))
    }

    pub fn label(&self) -> String {
        match *self {
            Cargo::Feu(n) => format!("{n} FEU"),
            Cargo::Teu(n) => format!("{n} TEU"),
            Cargo::Tonnes(t) => format!("{t} t"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_form() {
        assert_eq!(Cargo::parse("feu"), Ok(Cargo::Feu(1.0)));
        assert_eq!(Cargo::parse("2FEU"), Ok(Cargo::Feu(2.0)));
        assert_eq!(Cargo::parse("teu"), Ok(Cargo::Teu(1.0)));
        assert_eq!(Cargo::parse("tonnes:12.5"), Ok(Cargo::Tonnes(12.5)));
        for bad in ["", "box", "tonnes:", "tonnes:-1", "0feu", "tonnes:nan"] {
            assert!(Cargo::parse(bad).is_err(), "{bad}");
        }
    }
}
