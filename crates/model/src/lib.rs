//! The vocabulary every other silkroute crate speaks: typed ids, transport
//! modes, node kinds, sea passages and WGS 84 coordinates.
//!
//! Architecture invariant: this crate does no IO and knows no file format.
//! It holds plain `Copy` types and the few pure functions on them
//! (great-circle distance), so that `import`, `graph` and `route` agree on
//! meaning without depending on each other.

mod geo;
mod ids;
mod kinds;

pub use geo::{EARTH_RADIUS_M, LatLon, chord_for_distance_m, distance_m_for_chord, haversine_m};
pub use ids::{ArcId, NodeId};
pub use kinds::{Mode, ModeSet, NodeKind, Passage};
mod place;
pub use place::{Place, PlaceKind};

/// Reports the progress of long work (building a network, a matrix) to
/// whoever shows it; the engine itself never draws anything.
pub trait Progress {
    /// A new stage starts; `total` is its unit count, 0 when unknown.
    fn stage(&self, name: &str, total: u64);
    /// `n` more units of the current stage are done.
    fn advance(&self, n: u64);
    /// True when the user asked to stop (Ctrl-C); long work checks it between
    /// steps and gives up cleanly.
    fn cancelled(&self) -> bool {
        false
    }
    /// Something the user should know about the work (a cache rebuilt, a
    /// record that joined nothing); shown as a note, never an error.
    fn note(&self, _text: &str) {}
}

/// A `Progress` that shows nothing and never cancels.
pub struct NoProgress;

impl Progress for NoProgress {
    fn stage(&self, _name: &str, _total: u64) {}
    fn advance(&self, _n: u64) {}
}
