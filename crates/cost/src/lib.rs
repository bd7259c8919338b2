//! The cost model: how long, how much and how much CO2e each part of a
//! route costs, from documented, source-cited defaults
//! (`data/cost_model.toml`, explained in `docs/COST_MODEL.md`) that a user
//! can override key by key (`--cost-model my.toml`).
//!
//! Vocabulary follows ISO 14083:2023 and the GLEC Framework: a route is a
//! transport chain of *transport operations* (legs, priced per km) and *hub
//! operations* (transfers, borders, gauge changes, priced per container or
//! tonne). Emissions are GHG in CO2e (GWP100), reported well-to-wheel (WTW)
//! and tank-to-wheel (TTW).
//!
//! Ship classes and the passages they fit (`data/vessels.toml`) are read
//! by [`vessels`].
//!
//! Architecture invariant: no IO. The defaults are compiled in; overrides
//! arrive as text. Every number used is a field read from the TOML, never a
//! constant in code.

mod cargo;
mod model;
pub mod vessels;

pub use cargo::Cargo;
pub use model::{
    BorderRates, CanalRates, CostModel, DrayageRates, GaugeChangeRates, HubKind, HubRates, Impact,
    ModeRates,
};
pub use vessels::{ClassBasis, VesselClass, Vessels};

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum Error {
    #[error("cost model: {0}")]
    Toml(String),
    #[error("cost model: unknown key `{0}` (see data/cost_model.toml for the keys)")]
    UnknownKey(String),
    #[error("cost model: `{key}` must be {what}, got {value}")]
    BadValue {
        key: String,
        what: String,
        value: String,
    },
    #[error("cargo {0:?} not understood (write feu, teu, 2feu, 3teu or tonnes:12.5)")]
    BadCargo(String),
}
