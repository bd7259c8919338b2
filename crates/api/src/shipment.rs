//! What is shipped and how it is priced: the cargo and the cost model (the
//! compiled-in defaults, optionally with a user's TOML overrides merged
//! over them). Owned and cheap to clone, so a request can carry it to any
//! thread; the engine's metric cache keys on the model's numbers
//! ([`silkroute_cost::CostModel::fingerprint`]), never its address.

use std::sync::{Arc, OnceLock};

use silkroute_cost::{Cargo, CostModel};
use silkroute_route::Pricing;

use crate::error::{Error, Result};

#[derive(Clone, Debug)]
pub struct Shipment {
    pub cargo: Cargo,
    pub model: Arc<CostModel>,
}

/// The default model, parsed once per process.
fn default_model() -> Arc<CostModel> {
    static DEFAULT: OnceLock<Arc<CostModel>> = OnceLock::new();
    DEFAULT
        .get_or_init(|| Arc::new(CostModel::defaults()))
        .clone()
}

impl Default for Shipment {
    /// One 40-ft container priced by the default cost model.
    fn default() -> Self {
        Shipment {
            cargo: Cargo::Feu(1.0),
            model: default_model(),
        }
    }
}

/// The least mass a shipment may weigh, tonnes (1 kg): below it every
/// cost prints as 0.00 USD and every CO2e as 0.000 kg.
pub const MIN_CARGO_TONNES: f64 = 0.001;
/// The most, tonnes (1 Mt, 50,000 FEU at 20 t: four times the largest
/// container ship). Weights are per FEU-equivalent whatever the amount,
/// so this bounds the totals, not the search: far above it they overflow
/// to `inf`.
pub const MAX_CARGO_TONNES: f64 = 1e6;

impl Shipment {
    /// `cargo` as `--cargo` writes it, and optionally a cost model's TOML
    /// overrides (`source` names them in errors: a file path). A cargo
    /// outside [`MIN_CARGO_TONNES`]..=[`MAX_CARGO_TONNES`] (by the model's
    /// container masses) is `InvalidValue`.
    pub fn parse(cargo: &str, overrides: Option<(&str, &str)>) -> Result<Shipment> {
        let text = cargo;
        let cargo = crate::parse::cargo(cargo)?;
        let model = match overrides {
            None => default_model(),
            Some((source, text)) => Arc::new(
                CostModel::from_overrides(text).map_err(|e| Error::from(e).context(source))?,
            ),
        };
        let tonnes = cargo.tonnes(&model);
        if !(MIN_CARGO_TONNES..=MAX_CARGO_TONNES).contains(&tonnes) {
            // Far outside the range, in the form the user wrote it (`1e308`,
            // not 309 digits).
            let tonnes = if (1e-6..1e12).contains(&tonnes) {
                tonnes.to_string()
            } else {
                format!("{tonnes:e}")
            };
            return Err(Error::invalid_value(format!(
                "--cargo {text:?} weighs {tonnes} t; a shipment weighs from {MIN_CARGO_TONNES} t (1 kg) to {MAX_CARGO_TONNES} t"
            )));
        }
        Ok(Shipment { cargo, model })
    }

    /// The same model with another cargo.
    pub fn with_cargo(&self, cargo: Cargo) -> Shipment {
        Shipment {
            cargo,
            model: self.model.clone(),
        }
    }

    pub fn pricing(&self) -> Pricing<'_> {
        Pricing {
            model: &self.model,
            cargo: self.cargo,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_the_weights_cannot_price_is_refused() {
        // Before: tonnes:1e308 printed inf USD, 1e-300feu routed at 0 USD,
        // tonnes:1e300 said "no route".
        for bad in [
            "tonnes:1e308",
            "1e-300feu",
            "tonnes:1e300",
            "tonnes:0.0001",
            "60000feu",
        ] {
            let e = Shipment::parse(bad, None).unwrap_err();
            assert_eq!(e.code, crate::Code::InvalidValue, "{bad}");
            assert!(
                e.message.contains("from 0.001 t (1 kg) to 1000000 t"),
                "{e}"
            );
        }
        for good in ["tonnes:0.001", "tonnes:1e6", "feu", "50000feu", "teu"] {
            assert!(Shipment::parse(good, None).is_ok(), "{good}");
        }
        // The container masses come from the model.
        let heavy = "[cargo]\nfeu_tonnes = 40\n";
        assert!(Shipment::parse("25000feu", Some(("m.toml", heavy))).is_ok());
        assert!(Shipment::parse("25001feu", Some(("m.toml", heavy))).is_err());
    }
}
