//! What a route must and must not use, resolved against the network: the
//! modes, `avoid` (sea passages, countries, places, bounding boxes, and
//! `curated-links`: every curated missing link of the Belt and Road layer,
//! so the question is asked of OpenStreetMap's own network), `via`
//! (places in order, or one sea passage) and the ship class (`vessel`,
//! which closes the passages the class does not fit, `data/vessels.toml`).
//! One resolution for every question that takes constraints, so they mean
//! the same in a route, a matrix, a reach and over HTTP.
//!
//! The default class rule: a question between two known end countries (a
//! route, each pair of a scenario run) without a `vessel` takes the class
//! of the trade lane those countries are on (Asia – North Europe: ulcv,
//! which does not fit Panama), else the table's default (neopanamax, which
//! fits every passage). A lane default yields to a `--via` passage it does
//! not fit (the table's default class is taken instead); an explicit class
//! that does not fit a `--via` passage is an error. A question without end
//! countries (a matrix, a reach) uses only an explicit class.
//!
//! The closed-place rule (a place inside what the constraints close is an
//! error for a route, and joins nothing in a matrix) lives below, in
//! `silkroute_route::request::closed_place` and
//! [`crate::Service::candidates`]; this module only builds the filter.

use silkroute_cost::{ClassBasis, VesselClass, Vessels};
use silkroute_graph::Network;
use silkroute_model::{ModeSet, Passage, haversine_m};
use silkroute_route::{Filter, Gazetteer, ResolvedPlace};

use crate::error::{Error, Result};
use crate::parse;

/// The `--avoid` word that closes every curated missing link.
pub const CURATED_LINKS: &str = "curated-links";

/// Penalties closing every arc of a curated missing link (`data/bri`
/// links): the network as OpenStreetMap alone draws it, as scgraph's and
/// the other peers' graphs are.
pub fn curated_links_closed(net: &Network) -> silkroute_route::penalties::Penalties {
    let links: Vec<u32> = net
        .arc_elements()
        .iter()
        .filter(|[_, k]| net.element(*k as usize).kind == silkroute_graph::ELEMENT_LINK)
        .map(|[a, _]| *a)
        .collect();
    let mut p = silkroute_route::penalties::Penalties::default();
    p.close(&links);
    p
}

/// Radius around an avoided place, metres.
pub const AVOID_PLACE_RADIUS_M: f64 = 50_000.0;

/// The constraints as the user gave them.
#[derive(Clone, Debug, PartialEq)]
pub struct Constraints {
    pub modes: ModeSet,
    /// Passages, ISO country codes, place names (50 km around them) or
    /// `bbox:WEST,SOUTH,EAST,NORTH`; an item may hold a comma list (except
    /// a bbox).
    pub avoid: Vec<String>,
    /// Places to pass in order, and at most one sea passage.
    pub via: Vec<String>,
    /// The ship class (`feeder`, `panamax`, `post-panamax`, `neopanamax`,
    /// `ulcv`); `None` takes the default class rule (module docs).
    pub vessel: Option<String>,
}

impl Constraints {
    /// Only these modes, nothing avoided, nothing required.
    pub fn modes(modes: ModeSet) -> Constraints {
        Constraints {
            modes,
            avoid: Vec::new(),
            via: Vec::new(),
            vessel: None,
        }
    }
}

/// The ship class a question sails with, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct VesselChoice {
    pub class: VesselClass,
    pub basis: ClassBasis,
    /// The passages the class does not fit (closed for the question).
    pub closes: Vec<Passage>,
}

impl VesselChoice {
    fn of(vessels: &Vessels, class: &VesselClass, basis: ClassBasis) -> VesselChoice {
        VesselChoice {
            class: class.clone(),
            basis,
            closes: vessels.forbidden(class),
        }
    }

    /// "ulcv (Asia - North Europe lane default)", "panamax".
    pub fn words(&self) -> String {
        match &self.basis {
            ClassBasis::Given => self.class.id.clone(),
            ClassBasis::Lane { name, .. } => {
                format!("{} ({name} lane default)", self.class.id)
            }
            ClassBasis::Default => format!("{} (default)", self.class.id),
        }
    }

    /// Whether the answer should mention it: it was asked for, or it
    /// closes a passage.
    pub fn matters(&self) -> bool {
        self.basis == ClassBasis::Given || !self.closes.is_empty()
    }
}

/// A class by the name a user wrote.
pub fn vessel_class<'v>(vessels: &'v Vessels, id: &str) -> Result<&'v VesselClass> {
    vessels.class(id).ok_or_else(|| {
        Error::invalid_value(format!(
            "unknown vessel class {id:?} (choose from {})",
            vessels.class_ids()
        ))
    })
}

/// Constraints resolved against a network.
#[derive(Clone, Debug)]
pub struct Resolved {
    pub filter: Filter,
    pub via_places: Vec<ResolvedPlace>,
    pub via_passage: Option<Passage>,
    /// The constraints in words, for messages ("avoid KZ, via Khorgos").
    pub words: String,
    /// What the gazetteer said about the places named (an ambiguous name
    /// taken as its most populous city).
    pub place_notes: Vec<String>,
    /// The ship class, when one was given or the default rule chose one.
    pub vessel: Option<VesselChoice>,
}

/// The two-letter code as the network stores it, if some node lies there.
pub fn country_code(net: &Network, cc: &str) -> Option<u16> {
    let up = cc.trim().to_ascii_uppercase();
    let b = up.as_bytes();
    if b.len() != 2 || !b.iter().all(u8::is_ascii_alphabetic) {
        return None;
    }
    let code = u16::from_le_bytes([b[0], b[1]]);
    net.country_codes().contains(&code).then_some(code)
}

/// The most `via` places (and passage) one route takes: with its two ends,
/// the server's 25 coordinates of a route. Each via adds a layer to the
/// Pareto search (100 of them once took 3.9 GB); more is refused with
/// `TooBig` before any work.
pub const MAX_VIAS: usize = 23;

/// Resolves `avoid`, `via` and `vessel`. `ends` are the two end countries
/// (ISO alpha-2) of a question that has them, for the default class rule.
pub fn resolve(
    net: &Network,
    gazetteer: &Gazetteer,
    vessels: &Vessels,
    c: &Constraints,
    ends: Option<(&str, &str)>,
) -> Result<Resolved> {
    if c.via.len() > MAX_VIAS {
        return Err(Error::too_big(format!(
            "{} --via places; a route takes at most {MAX_VIAS}",
            c.via.len()
        )));
    }
    let mut filter = Filter::new(c.modes);
    let mut words = Vec::new();
    let mut place_notes = Vec::new();
    let countries = net.country_codes();
    for value in &c.avoid {
        let items: Vec<String> = match value.trim().strip_prefix("bbox:") {
            Some(spec) => {
                let b = parse::bbox(spec)?;
                filter.close_nodes(net, |v| b.contains(net.pos(v)));
                words.push(format!("avoid {value}"));
                continue;
            }
            None => value
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect(),
        };
        for item in items {
            if let Some(p) = parse::passage(&item) {
                filter.close(p);
            } else if item.eq_ignore_ascii_case(CURATED_LINKS) {
                filter.penalties = Some(std::sync::Arc::new(curated_links_closed(net)));
            } else if item.len() == 2 && item.chars().all(|c| c.is_ascii_alphabetic()) {
                let Some(code) = country_code(net, &item) else {
                    return Err(Error::invalid_value(format!(
                        "--avoid {item}: no node of the network lies in country {} (ISO 3166-1 alpha-2 codes, e.g. RU, IR, KZ)",
                        item.to_ascii_uppercase()
                    )));
                };
                filter.close_nodes(net, |v| countries[v.index()] == code);
            } else {
                let place = gazetteer.resolve(&item).map_err(|e| {
                    Error::invalid_value(format!(
                        "--avoid {item}: {e} (or is it a passage? {})",
                        parse::passage_names()
                    ))
                })?;
                place_notes.extend(place.note.clone());
                let center = place.pos;
                filter.close_nodes(net, |v| {
                    haversine_m(center, net.pos(v)) <= AVOID_PLACE_RADIUS_M
                });
            }
            words.push(format!("avoid {item}"));
        }
    }
    let mut via_places = Vec::new();
    let mut via_passage = None;
    for item in &c.via {
        if let Some(p) = parse::passage(item) {
            if via_passage.replace(p).is_some() {
                return Err(Error::invalid_value(
                    "only one --via passage per route is supported",
                ));
            }
            if filter.is_closed(p) {
                if Filter::DEFAULT_CLOSED.contains(&p) {
                    filter.open(p);
                } else {
                    return Err(Error::invalid_value(format!(
                        "--via {p} contradicts --avoid {p}"
                    )));
                }
            }
        } else {
            let place = gazetteer
                .resolve(item)
                .map_err(|e| Error::invalid_value(format!("--via {item}: {e}")))?;
            place_notes.extend(place.note.clone());
            via_places.push(place);
        }
        words.push(format!("via {item}"));
    }
    let vessel = match (&c.vessel, ends) {
        (Some(id), _) => {
            let class = vessel_class(vessels, id)?;
            if let Some(p) = via_passage.filter(|p| !vessels.fits(class, *p)) {
                return Err(Error::invalid_value(format!(
                    "--via {p} contradicts --vessel {}: the class does not fit {p} (classes that do: {})",
                    class.id,
                    vessels
                        .classes
                        .iter()
                        .filter(|c| vessels.fits(c, p))
                        .map(|c| c.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
            Some(VesselChoice::of(vessels, class, ClassBasis::Given))
        }
        (None, Some((from, to))) => {
            let (class, basis) = vessels.default_for(from, to);
            let choice = VesselChoice::of(vessels, class, basis);
            match via_passage {
                Some(p) if choice.closes.contains(&p) => {
                    let class = vessels
                        .class(&vessels.default_class)
                        .expect("checked when read");
                    Some(VesselChoice::of(vessels, class, ClassBasis::Default))
                }
                _ => Some(choice),
            }
        }
        (None, None) => None,
    };
    if let Some(v) = &vessel {
        for p in &v.closes {
            filter.close(*p);
        }
        if v.matters() {
            words.push(format!("vessel {}", v.words()));
        }
    }
    Ok(Resolved {
        filter,
        via_places,
        via_passage,
        words: words.join(", "),
        place_notes,
        vessel,
    })
}
