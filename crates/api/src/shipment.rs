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

impl Shipment {
    /// `cargo` as `--cargo` writes it, and optionally a cost model's TOML
    /// overrides (`source` names them in errors: a file path).
    pub fn parse(cargo: &str, overrides: Option<(&str, &str)>) -> Result<Shipment> {
        let cargo = crate::parse::cargo(cargo)?;
        let model = match overrides {
            None => default_model(),
            Some((source, text)) => Arc::new(
                CostModel::from_overrides(text).map_err(|e| Error::from(e).context(source))?,
            ),
        };
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
