//! The JSON contract: the one place that names the fields of every answer
//! a shell serves (the CLI's `--format json`, the HTTP server's bodies,
//! Python's dictionaries). Values are rounded here, once: distances to the
//! metre (km with three decimals), hours to 3.6 s, money to the cent.
//!
//! Answers serialize through `serde_json::Value`, whose maps keep keys
//! sorted, so every shell prints the same bytes for the same answer.

use serde::Serialize;
use silkroute_cost::Impact;
use silkroute_route::explain::{Access, Curated};
use silkroute_route::{Route, Stop};

/// `x` rounded to `digits` decimals.
pub fn round(x: f64, digits: i32) -> f64 {
    let f = 10f64.powi(digits);
    (x * f).round() / f
}

/// Pretty JSON of any answer, keys sorted.
pub fn pretty(v: &impl Serialize) -> String {
    serde_json::to_value(v)
        .and_then(|v| serde_json::to_string_pretty(&v))
        .unwrap_or_default()
}

/// Time, cost and CO2e of a part of a route (ISO 14083 WTW and TTW).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ImpactJson {
    pub duration_h: f64,
    pub cost_usd: f64,
    pub co2e_kg: f64,
    pub co2e_kg_ttw: f64,
}

impl From<&Impact> for ImpactJson {
    fn from(i: &Impact) -> Self {
        ImpactJson {
            duration_h: round(i.time_h, 3),
            cost_usd: round(i.cost_usd, 2),
            co2e_kg: round(i.co2e_kg_wtw, 3),
            co2e_kg_ttw: round(i.co2e_kg_ttw, 3),
        }
    }
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct StopJson {
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    pub kind: &'static str,
    pub country: Option<String>,
}

impl From<&Stop> for StopJson {
    fn from(s: &Stop) -> Self {
        StopJson {
            name: s.name.clone(),
            lat: round(s.pos.lat, 6),
            lon: round(s.pos.lon, 6),
            // The outer end of a drayage leg is the place, not a node.
            kind: if s.place { "place" } else { s.kind.as_str() },
            country: s.country.clone(),
        }
    }
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct LatLonJson {
    pub lat: f64,
    pub lon: f64,
}

/// Where an end of the route joined the network.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct AccessJson {
    pub query: String,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    pub joined_at: LatLonJson,
    pub snap_km: f64,
}

impl From<&Access> for AccessJson {
    fn from(a: &Access) -> Self {
        AccessJson {
            query: a.place.query.clone(),
            name: a.place.label(),
            lat: round(a.place.pos.lat, 6),
            lon: round(a.place.pos.lon, 6),
            joined_at: LatLonJson {
                lat: round(a.pos.lat, 6),
                lon: round(a.pos.lon, 6),
            },
            snap_km: round(a.snap_m / 1000.0, 3),
        }
    }
}

/// A curated record a route used.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CuratedJson {
    pub id: String,
    pub name: String,
    pub basis: String,
}

impl From<&Curated> for CuratedJson {
    fn from(c: &Curated) -> Self {
        CuratedJson {
            id: c.id.clone(),
            name: c.name.clone(),
            basis: c.basis.clone(),
        }
    }
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SailingJson {
    pub crossing_h: f64,
    pub wait_h: f64,
    pub curated: Option<CuratedJson>,
}

/// What a priced canal crossing adds to its sea leg (data/cost_model.toml
/// `[canal.*]`): toll, extra hours (transit beyond sailing, and queue).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CanalJson {
    pub passage: &'static str,
    pub toll_usd: f64,
    pub added_h: f64,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct LegJson {
    pub mode: &'static str,
    pub from: StopJson,
    pub to: StopJson,
    pub distance_km: f64,
    pub passages: Vec<&'static str>,
    /// The priced canals the leg crosses (empty on most legs).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub canals: Vec<CanalJson>,
    pub countries: Vec<String>,
    pub sailing: Option<SailingJson>,
    /// The curated and user links (`user:…`) the leg runs on.
    pub records: Vec<CuratedJson>,
    /// The first or last mile: a road leg between a place and the node it
    /// joins (the straight line × the cost model's `drayage.road_circuity`),
    /// off the network; joins inside `drayage.gate_km` have none.
    pub drayage: bool,
    /// On a sea leg, the class of the port it sails from and to (`hub` or
    /// `coastal`, `data/curated/port_classes.csv`); absent on other legs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_port_class: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to_port_class: Option<&'static str>,
    #[serde(flatten)]
    pub impact: ImpactJson,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct GaugeChangeJson {
    pub from_mm: u16,
    pub to_mm: u16,
    pub handling: &'static str,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct BorderJson {
    pub name: String,
    pub mode: &'static str,
    pub from_country: String,
    pub to_country: String,
    pub lat: f64,
    pub lon: f64,
    pub customs: bool,
    pub gauge_change: Option<GaugeChangeJson>,
    pub dwell_h: f64,
    pub fee_usd: f64,
    pub curated: Option<CuratedJson>,
    #[serde(flatten)]
    pub impact: ImpactJson,
}

/// A corridor a route follows, with the curated records it matched.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CorridorJson {
    pub id: String,
    pub name: String,
    pub name_zh: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<Vec<String>>,
}

/// One route, priced and explained.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct RouteJson {
    pub distance_km: f64,
    pub transfers: usize,
    pub border_crossings: Vec<BorderJson>,
    pub modes: Vec<&'static str>,
    pub passages: Vec<&'static str>,
    pub countries: Vec<String>,
    pub origin: AccessJson,
    pub destination: AccessJson,
    pub notes: Vec<String>,
    pub legs: Vec<LegJson>,
    /// The criteria it is best at, in an overview (`fastest` is `time`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub best_for: Option<Vec<&'static str>>,
    /// The corridors it follows (only in answers that name them).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub corridors: Option<Vec<CorridorJson>>,
    /// P10/P50/P90 transit time (only in answers that compute it; see
    /// [`crate::reliability`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transit_days: Option<TransitDaysJson>,
    #[serde(flatten)]
    pub impact: ImpactJson,
}

/// A route's transit time percentiles, days, and which of its durations
/// were drawn from a published range ([`crate::reliability`]).
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct TransitDaysJson {
    pub p10: f64,
    pub p50: f64,
    pub p90: f64,
    /// How many durations varied (0: the three are the point answer).
    pub varying: usize,
    /// Per kind of duration that varied (`rail_speed`, `border_dwell`,
    /// `ferry_wait`, …), how many of the route's.
    pub uncertain: Vec<UncertainJson>,
}

/// A kind of duration that varied and how many of the route's were of it.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct UncertainJson {
    pub component: &'static str,
    pub count: usize,
}

impl From<&crate::reliability::Spread> for TransitDaysJson {
    fn from(s: &crate::reliability::Spread) -> Self {
        TransitDaysJson {
            p10: round(s.p10_h / 24.0, 3),
            p50: round(s.p50_h / 24.0, 3),
            p90: round(s.p90_h / 24.0, 3),
            varying: s.varying,
            uncertain: s
                .uncertain
                .iter()
                .map(|(c, n)| UncertainJson {
                    component: c.as_str(),
                    count: *n,
                })
                .collect(),
        }
    }
}

/// A route's totals and its distance in km, rounded as [`RouteJson`]
/// rounds them (for shells that hand out totals before the whole JSON).
pub fn route_totals(r: &Route) -> (ImpactJson, f64) {
    ((&r.total).into(), round(r.distance_m / 1000.0, 3))
}

impl RouteJson {
    pub fn new(r: &Route) -> RouteJson {
        let legs = r
            .legs
            .iter()
            .map(|l| LegJson {
                mode: l.mode.as_str(),
                from: (&l.from).into(),
                to: (&l.to).into(),
                distance_km: round(l.distance_m / 1000.0, 3),
                passages: l.passages.iter().map(|p| p.as_str()).collect(),
                canals: l
                    .canals
                    .iter()
                    .map(|(p, i)| CanalJson {
                        passage: p.as_str(),
                        toll_usd: round(i.cost_usd, 2),
                        added_h: round(i.time_h, 3),
                    })
                    .collect(),
                countries: l.countries.clone(),
                sailing: l.sailing.as_ref().map(|s| SailingJson {
                    crossing_h: round(s.crossing_h, 3),
                    wait_h: round(s.wait_h, 3),
                    curated: s.curated.as_ref().map(Into::into),
                }),
                records: l.records.iter().map(Into::into).collect(),
                drayage: l.drayage,
                from_port_class: None,
                to_port_class: None,
                impact: (&l.impact).into(),
            })
            .collect();
        let border_crossings = r
            .border_crossings
            .iter()
            .map(|b| BorderJson {
                name: b.name.clone(),
                mode: b.mode.as_str(),
                from_country: b.from_country.clone(),
                to_country: b.to_country.clone(),
                lat: round(b.pos.lat, 6),
                lon: round(b.pos.lon, 6),
                customs: b.customs,
                gauge_change: b.gauge_change.map(|(from, to)| GaugeChangeJson {
                    from_mm: from,
                    to_mm: to,
                    handling: "transshipment",
                }),
                dwell_h: round(b.dwell_h, 3),
                fee_usd: round(b.fee_usd, 2),
                curated: b.curated.as_ref().map(Into::into),
                impact: (&b.impact).into(),
            })
            .collect();
        let (impact, distance_km) = route_totals(r);
        RouteJson {
            distance_km,
            transfers: r.transfers(),
            border_crossings,
            modes: r.modes().iter().map(|m| m.as_str()).collect(),
            passages: r.passages().iter().map(|p| p.as_str()).collect(),
            countries: r.countries(),
            origin: (&r.origin).into(),
            destination: (&r.destination).into(),
            notes: r.notes.clone(),
            legs,
            best_for: None,
            corridors: None,
            transit_days: None,
            impact,
        }
    }
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct CostModelJson {
    pub price_year: i64,
    pub currency: &'static str,
}

/// The answer to a route question: one route, alternatives or a Pareto
/// set.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct RoutesJson {
    pub code: &'static str,
    pub objective: &'static str,
    pub cargo: String,
    pub modes: Vec<&'static str>,
    pub constraints: String,
    /// The ship class the sea legs sail with, and the passages it closes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vessel: Option<VesselJson>,
    pub cost_model: CostModelJson,
    pub notes: Vec<String>,
    pub routes: Vec<RouteJson>,
    /// The corridor the request followed (`corridor`), when it named one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub corridor: Option<CorridorJson>,
}

/// A ship class as an answer names it.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct VesselJson {
    pub class: String,
    pub name: String,
    /// `given`, `lane` or `default`.
    pub basis: &'static str,
    /// The lane whose default it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lane: Option<String>,
    /// The passages the class does not fit.
    pub closed_passages: Vec<&'static str>,
}

impl VesselJson {
    pub fn of(v: &crate::constraints::VesselChoice) -> VesselJson {
        use silkroute_cost::ClassBasis;
        let (basis, lane) = match &v.basis {
            ClassBasis::Given => ("given", None),
            ClassBasis::Lane { id, .. } => ("lane", Some(id.clone())),
            ClassBasis::Default => ("default", None),
        };
        VesselJson {
            class: v.class.id.clone(),
            name: v.class.name.clone(),
            basis,
            lane,
            closed_passages: v.closes.iter().map(|p| p.as_str()).collect(),
        }
    }
}

/// A failure as every shell serves it: `{"code": …, "message": …}`.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct ErrorJson {
    pub code: &'static str,
    pub message: String,
}

impl From<&crate::Error> for ErrorJson {
    fn from(e: &crate::Error) -> Self {
        ErrorJson {
            code: e.code.as_str(),
            message: e.message.clone(),
        }
    }
}
