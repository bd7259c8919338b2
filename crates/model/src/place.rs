//! Gazetteer entries: the named places a user can type as an origin or a
//! destination (cities, seaports, airports, UN/LOCODE locations).
//!
//! A place is only a name and a point; it joins the network by snapping at
//! query time, so the same place works for every mode.

use crate::LatLon;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum PlaceKind {
    /// A city from GeoNames (population ≥ 15 000).
    City = 0,
    /// A seaport from searoute's UN/LOCODE port list.
    Seaport = 1,
    /// An airport with an IATA code.
    Airport = 2,
    /// A UN/LOCODE location that is not a seaport.
    Locode = 3,
    /// A curated transport node (terminal, port) from the project's own data.
    Terminal = 4,
    /// A curated border crossing (`data/bri/border_crossings.toml`); its
    /// country is side A's, its code the crossing's id.
    BorderCrossing = 5,
}

impl PlaceKind {
    pub const ALL: [PlaceKind; 6] = [
        PlaceKind::City,
        PlaceKind::Seaport,
        PlaceKind::Airport,
        PlaceKind::Locode,
        PlaceKind::Terminal,
        PlaceKind::BorderCrossing,
    ];

    pub fn from_code(code: u8) -> Option<PlaceKind> {
        PlaceKind::ALL.get(code as usize).copied()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PlaceKind::City => "city",
            PlaceKind::Seaport => "seaport",
            PlaceKind::Airport => "airport",
            PlaceKind::Locode => "locode",
            PlaceKind::Terminal => "terminal",
            PlaceKind::BorderCrossing => "border_crossing",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Place {
    pub kind: PlaceKind,
    /// UN/LOCODE (`DEDUI`) or IATA code (`PVG`); empty for cities.
    pub code: String,
    pub name: String,
    /// Chinese names (GeoNames alternate names in CJK script).
    pub names_zh: Vec<String>,
    /// ISO 3166-1 alpha-2, upper case; empty when unknown.
    pub country: String,
    pub pos: LatLon,
    /// Inhabitants for cities; 0 otherwise. Breaks ties between homonyms.
    pub population: u32,
}
