//! The curated Belt and Road elements located on the compiled network:
//! which arcs are each border crossing (`data/bri/border_crossings.toml`)
//! and each ferry (`ferries.toml`), their capacities (`capacities.toml`),
//! and which corridor (`corridors.toml`) a route follows.
//!
//! Shared by `scenario` (closing or slowing a named crossing, naming each
//! pair's corridor) and `flow` (capacitated elements, corridor loads). The
//! arc selectors themselves live in `silkroute_route::penalties`.

use std::collections::HashMap;

use silkroute_graph::Network;
use silkroute_model::{LatLon, Mode};
use silkroute_route::{Route, penalties};

use crate::Failure;

/// Curated crossings are located within this distance of their midpoint
/// (their coordinates are approximate; the same radius names crossings in
/// route explanations).
pub const CROSSING_RADIUS_M: f64 = 60_000.0;

/// A ferry's ends are looked for this close to its curated ports.
pub const FERRY_PORT_RADIUS_M: f64 = 30_000.0;

/// One curated element and the arcs where a route uses it.
pub struct Element {
    pub id: String,
    pub name: String,
    /// `border_crossing` or `ferry`.
    pub kind: &'static str,
    pub arcs: Vec<u32>,
}

/// The curated layer as the engine sees it.
pub struct Elements {
    pub crossings: Vec<silkroute_import::Crossing>,
    pub ferries: Vec<silkroute_import::Ferry>,
    pub corridors: Vec<silkroute_import::Corridor>,
    pub capacities: Vec<silkroute_import::Capacity>,
    /// Operating crossings and ferries found on the network.
    pub located: Vec<Element>,
    /// Arc → indices into `located`.
    by_arc: HashMap<u32, Vec<usize>>,
    /// Every rail or road border arc with its tail (for locating crossings).
    pub borders: Vec<(u32, u32)>,
}

impl Elements {
    pub fn load(net: &Network) -> Result<Elements, Failure> {
        let src = silkroute_import::Sources::embedded();
        let crossings = silkroute_import::border_crossings(&src)?;
        let ferries = silkroute_import::ferries(&src)?;
        let corridors = silkroute_import::corridors(&src)?;
        let capacities = silkroute_import::capacities(&src)?;
        let borders = penalties::border_arcs(net);
        let mut located = Vec::new();
        for c in crossings.iter().filter(|c| c.status == "operating") {
            let arcs = crossing_arcs(net, &borders, c);
            if !arcs.is_empty() {
                located.push(Element {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    kind: "border_crossing",
                    arcs,
                });
            }
        }
        for f in ferries.iter().filter(|f| f.status == "operating") {
            let arcs = ferry_arcs(net, f);
            if !arcs.is_empty() {
                located.push(Element {
                    id: f.id.clone(),
                    name: f.name.clone(),
                    kind: "ferry",
                    arcs,
                });
            }
        }
        let mut by_arc: HashMap<u32, Vec<usize>> = HashMap::new();
        for (i, e) in located.iter().enumerate() {
            for a in &e.arcs {
                by_arc.entry(*a).or_default().push(i);
            }
        }
        Ok(Elements {
            crossings,
            ferries,
            corridors,
            capacities,
            located,
            by_arc,
            borders,
        })
    }

    pub fn crossing(&self, id: &str) -> Result<&silkroute_import::Crossing, Failure> {
        self.crossings.iter().find(|c| c.id == id).ok_or_else(|| {
            Failure::input(format!(
                "unknown border crossing {id:?} (ids of data/bri/border_crossings.toml: {})",
                self.crossings
                    .iter()
                    .map(|c| c.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })
    }

    pub fn ferry(&self, id: &str) -> Result<&silkroute_import::Ferry, Failure> {
        self.ferries.iter().find(|c| c.id == id).ok_or_else(|| {
            Failure::input(format!(
                "unknown ferry {id:?} (ids of data/bri/ferries.toml: {})",
                self.ferries
                    .iter()
                    .map(|c| c.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })
    }

    /// Indices of the located elements an arc path uses, in order of first use.
    pub fn used(&self, arcs: &[u32]) -> Vec<usize> {
        let mut out = Vec::new();
        for a in arcs {
            for i in self.by_arc.get(a).into_iter().flatten() {
                if !out.contains(i) {
                    out.push(*i);
                }
            }
        }
        out
    }

    /// The corridor a route follows: the one whose waypoints include the
    /// most of the crossings, ferries and sea passages the route uses (at
    /// least one; the first in `corridors.toml` on a tie). None when the
    /// route uses none of them.
    pub fn corridor_of(&self, route: &Route) -> Option<&silkroute_import::Corridor> {
        let passages: Vec<String> = route
            .passages()
            .iter()
            .map(|p| p.as_str().to_string())
            .collect();
        self.best_corridor(&route.arcs, &passages)
    }

    /// [`Elements::corridor_of`] for a bare arc path.
    pub fn corridor_of_arcs(
        &self,
        net: &Network,
        arcs: &[u32],
    ) -> Option<&silkroute_import::Corridor> {
        let code = net.arc_passage();
        let mut passages: Vec<String> = Vec::new();
        for a in arcs {
            if let Some(p) = silkroute_model::Passage::from_code(code[*a as usize]) {
                let p = p.as_str().to_string();
                if !passages.contains(&p) {
                    passages.push(p);
                }
            }
        }
        self.best_corridor(arcs, &passages)
    }

    fn best_corridor(
        &self,
        arcs: &[u32],
        passages: &[String],
    ) -> Option<&silkroute_import::Corridor> {
        let mut keys: Vec<String> = self
            .used(arcs)
            .into_iter()
            .map(|i| self.located[i].id.clone())
            .collect();
        keys.sort();
        let mut best: Option<(usize, &silkroute_import::Corridor)> = None;
        for c in &self.corridors {
            let score = c
                .waypoints
                .iter()
                .filter(|w| {
                    keys.binary_search(w).is_ok() || {
                        let lw = w.to_lowercase();
                        passages.iter().any(|p| lw.contains(p.as_str()))
                    }
                })
                .count();
            if score > 0 && best.is_none_or(|(b, _)| score > b) {
                best = Some((score, c));
            }
        }
        best.map(|(_, c)| c)
    }
}

/// The border arcs of a curated crossing.
pub fn crossing_arcs(
    net: &Network,
    borders: &[(u32, u32)],
    c: &silkroute_import::Crossing,
) -> Vec<u32> {
    let mid = LatLon::new(
        (c.side_a.lat + c.side_b.lat) / 2.0,
        (c.side_a.lon + c.side_b.lon) / 2.0,
    );
    let mode = match c.mode.as_str() {
        "rail" => Some(Mode::Rail),
        "road" => Some(Mode::Road),
        _ => None,
    };
    penalties::crossing_arcs(
        net,
        borders,
        mid,
        &c.side_a.country,
        &c.side_b.country,
        mode,
        CROSSING_RADIUS_M,
    )
}

/// The network arcs of a curated ferry.
pub fn ferry_arcs(net: &Network, f: &silkroute_import::Ferry) -> Vec<u32> {
    penalties::ferry_arcs(
        net,
        LatLon::new(f.from.lat, f.from.lon),
        LatLon::new(f.to.lat, f.to.lon),
        FERRY_PORT_RADIUS_M,
    )
}
