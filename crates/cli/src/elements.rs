//! The curated Belt and Road elements located on the compiled network:
//! which arcs are each border crossing (`data/bri/border_crossings.toml`)
//! and each ferry (`ferries.toml`), their capacities (`capacities.toml`),
//! and which corridor (`corridors.toml`) a route follows.
//!
//! Shared by `scenario` (closing or slowing a named crossing, naming each
//! pair's corridor) and `flow` (capacitated elements, corridor loads). The
//! arcs of a crossing or ferry are the ones the import attached its record
//! to (`Network::arc_elements`; rule in `import::rules`), the same arcs
//! whose dwell or sailing figures the record sets.

use std::collections::HashMap;

use silkroute_graph::Network;
use silkroute_route::Route;

use crate::Failure;

/// One curated element and the arcs where a route uses it.
pub struct Element {
    pub id: String,
    pub name: String,
    /// `border_crossing`, `ferry` or `fixed_link` (a tunnel or bridge in
    /// `ferries.toml`, such as Marmaray).
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
    /// Record id → the arcs the network attached it to.
    arcs_of: HashMap<String, Vec<u32>>,
}

impl Elements {
    pub fn load(net: &Network) -> Result<Elements, Failure> {
        let src = silkroute_import::Sources::embedded();
        let crossings = silkroute_import::border_crossings(&src)?;
        let ferries = silkroute_import::ferries(&src)?;
        let corridors = silkroute_import::corridors(&src)?;
        let capacities = silkroute_import::capacities(&src)?;
        let mut arcs_of: HashMap<String, Vec<u32>> = HashMap::new();
        for &[a, k] in net.arc_elements() {
            arcs_of
                .entry(net.element(k as usize).id.clone())
                .or_default()
                .push(a);
        }
        let arcs = |id: &str| arcs_of.get(id).cloned().unwrap_or_default();
        let mut located = Vec::new();
        for c in crossings.iter().filter(|c| c.status == "operating") {
            let arcs = arcs(&c.id);
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
            let arcs = arcs(&f.id);
            if !arcs.is_empty() {
                located.push(Element {
                    id: f.id.clone(),
                    name: f.name.clone(),
                    kind: if f.kind.as_deref() == Some("fixed_link") {
                        "fixed_link"
                    } else {
                        "ferry"
                    },
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
            arcs_of,
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

impl Elements {
    /// The arcs of a curated crossing or ferry on the network (empty when
    /// the import found none for it).
    pub fn arcs(&self, id: &str) -> &[u32] {
        self.arcs_of.get(id).map_or(&[], Vec::as_slice)
    }
}
