//! The curated Belt and Road catalogue of one network: its border
//! crossings, ferries, corridors, capacities, projects and named
//! scenarios, read from the files the network was built from (stored in
//! the network file, see [`crate::store`]), and located on its arcs.
//!
//! It owns the one rule that names the corridor a route follows
//! ([`Catalogue::corridors_of`], after `silkroute_import::corridors_used`):
//! from the curated records the route's arcs carry and the sea passages
//! they cross (as the waypoints that name them: "Suez Canal"), in order of
//! first use, and the terminals it starts or ends at. Routes, scenario comparisons
//! and flow assignments all name corridors through it.
//!
//! The arcs of a crossing or ferry are the ones the import attached its
//! record to (`Network::arc_elements`; rule in `import::rules`), the same
//! arcs whose dwell or sailing figures the record sets.

use std::collections::HashMap;

use silkroute_graph::{ELEMENT_FERRY, Network};
use silkroute_import::{
    Capacity, Corridor, CorridorMatch, Crossing, Ferry, Project, Scenario, Sources,
};
use silkroute_model::PlaceKind;
use silkroute_route::ResolvedPlace;

use crate::error::{Error, Result};

/// One operating curated element and the arcs where a route uses it.
#[derive(Clone, Debug)]
pub struct Located {
    pub id: String,
    pub name: String,
    /// `border_crossing`, `ferry` or `fixed_link` (a tunnel or bridge in
    /// `ferries.toml`, such as Marmaray).
    pub kind: &'static str,
    pub arcs: Vec<u32>,
}

/// The curated layer as one network holds it.
pub struct Catalogue {
    pub crossings: Vec<Crossing>,
    pub ferries: Vec<Ferry>,
    pub corridors: Vec<Corridor>,
    pub capacities: Vec<Capacity>,
    pub projects: Vec<Project>,
    /// The named scenarios built into the network's data.
    pub scenarios: Vec<Scenario>,
    /// Operating crossings and ferries found on the network.
    pub located: Vec<Located>,
    /// Record id → the arcs the network attached it to.
    arcs_of: HashMap<String, Vec<u32>>,
    /// Ids of the network's ferry elements (the corridor rule tells sea
    /// crossings apart).
    ferry_ids: Vec<String>,
    /// Per passage code, the corridor waypoints that name the passage.
    passage_waypoints: Vec<Vec<String>>,
    /// The sourced port classes by locode (`curated/port_classes.csv`);
    /// `None` for a network built before the table existed.
    port_classes: Option<HashMap<String, silkroute_import::PortClass>>,
}

impl Catalogue {
    /// The catalogue a network was built with.
    pub fn of(net: &Network) -> Result<Catalogue> {
        let files = crate::store::catalogue_files(net).ok_or_else(|| {
            Error::invalid_value(format!(
                "{}: built by an older silkroute, without its curated catalogue; rebuild it with `silkroute build`",
                net.path().display()
            ))
        })?;
        let origin = format!("the catalogue of {}", net.path().display());
        Catalogue::from_sources(net, &Sources::from_memory(&origin, files))
    }

    /// The catalogue of `src`, located on `net` (which must be built from
    /// the same curated files for the arcs to mean anything).
    pub fn from_sources(net: &Network, src: &Sources) -> Result<Catalogue> {
        let crossings = silkroute_import::border_crossings(src)?;
        let ferries = silkroute_import::ferries(src)?;
        let corridors = silkroute_import::corridors(src)?;
        let capacities = silkroute_import::capacities(src)?;
        let projects = silkroute_import::bri_projects(src)?;
        let scenarios = silkroute_import::scenarios(src)?;
        let port_classes = match silkroute_import::port_classes(src) {
            Ok(rows) => Some(rows.into_iter().map(|r| (r.locode, r.class)).collect()),
            Err(silkroute_import::Error::Missing(_)) => None,
            Err(e) => return Err(e.into()),
        };
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
                located.push(Located {
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
                located.push(Located {
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
        let ferry_ids = (0..net.element_count())
            .map(|k| net.element(k))
            .filter(|e| e.kind == ELEMENT_FERRY)
            .map(|e| e.id.clone())
            .collect();
        // A waypoint names a passage when it contains the passage's name
        // ("Strait of Malacca", "Suez Canal").
        let mut passage_waypoints = vec![Vec::new(); 256];
        for p in silkroute_model::Passage::ALL {
            for c in &corridors {
                for w in &c.waypoints {
                    let lw = w.to_lowercase();
                    let list = &mut passage_waypoints[p as usize];
                    if lw.contains(p.as_str()) && !list.contains(w) {
                        list.push(w.clone());
                    }
                }
            }
        }
        Ok(Catalogue {
            passage_waypoints,
            crossings,
            ferries,
            corridors,
            capacities,
            projects,
            scenarios,
            located,
            arcs_of,
            ferry_ids,
            port_classes,
        })
    }

    /// The class of a stop of the network that is a port (`hub` or
    /// `coastal`: a `river` port is never joined to the sea network), from
    /// its node name "Name (LOCODE)"; `None` for any other stop or when the
    /// network has no class table.
    pub fn port_class(&self, stop: &silkroute_route::explain::Stop) -> Option<&'static str> {
        use silkroute_import::PortClass;
        let classes = self.port_classes.as_ref()?;
        if stop.place || stop.kind != silkroute_model::NodeKind::Seaport {
            return None;
        }
        let code = stop
            .name
            .rsplit_once('(')
            .and_then(|(_, c)| c.strip_suffix(')'));
        Some(match code.and_then(|c| classes.get(c)) {
            Some(c) => c.as_str(),
            None => PortClass::Coastal.as_str(),
        })
    }

    /// A curated border crossing by id, or an error listing the ids.
    pub fn crossing(&self, id: &str) -> Result<&Crossing> {
        self.crossings.iter().find(|c| c.id == id).ok_or_else(|| {
            Error::invalid_value(format!(
                "unknown border crossing {id:?} (ids of data/bri/border_crossings.toml: {})",
                self.crossings
                    .iter()
                    .map(|c| c.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })
    }

    /// A curated ferry by id, or an error listing the ids.
    pub fn ferry(&self, id: &str) -> Result<&Ferry> {
        self.ferries.iter().find(|c| c.id == id).ok_or_else(|| {
            Error::invalid_value(format!(
                "unknown ferry {id:?} (ids of data/bri/ferries.toml: {})",
                self.ferries
                    .iter()
                    .map(|c| c.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })
    }

    /// A corridor by id, or an error listing the ids.
    pub fn corridor(&self, id: &str) -> Result<&Corridor> {
        self.corridors.iter().find(|c| c.id == id).ok_or_else(|| {
            Error::invalid_value(format!(
                "unknown corridor {id:?} (choose from {})",
                self.corridors
                    .iter()
                    .map(|c| c.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })
    }

    /// A named scenario of the network's data by id, or an error listing
    /// them.
    pub fn scenario(&self, id: &str) -> Result<&Scenario> {
        find_scenario(&self.scenarios, id)
    }

    /// The arcs of a curated crossing or ferry on the network (empty when
    /// the import found none for it).
    pub fn arcs(&self, id: &str) -> &[u32] {
        self.arcs_of.get(id).map_or(&[], Vec::as_slice)
    }

    /// The corridors a path follows, best first: named from the curated
    /// records its arcs carry (in order of first use) and the terminals
    /// its ends are (rule: `silkroute_import::corridors_used`).
    pub fn corridors_of(
        &self,
        net: &Network,
        arcs: &[u32],
        ends: [Option<&ResolvedPlace>; 2],
    ) -> Vec<CorridorMatch> {
        let terminal = |p: Option<&ResolvedPlace>| {
            p.filter(|p| p.kind == Some(PlaceKind::Terminal))
                .map(|p| p.code.clone())
        };
        // The records and the sea passages in order of first use (a
        // passage as the corridor waypoints that name it, "Suez Canal");
        // the end terminals around them as they are (a terminal's own
        // transfer arcs may name it too).
        let mut records: Vec<String> = Vec::new();
        let push = |id: &str, records: &mut Vec<String>| {
            if !records.iter().any(|r| r == id) {
                records.push(id.to_string());
            }
        };
        let passage = net.arc_passage();
        for a in arcs {
            if let Some(k) = net.arc_element(*a as usize) {
                push(&net.element(k).id, &mut records);
            }
            if let Some(p) = silkroute_model::Passage::from_code(passage[*a as usize]) {
                for w in &self.passage_waypoints[p as usize] {
                    push(w, &mut records);
                }
            }
        }
        let mut used: Vec<String> = Vec::new();
        used.extend(terminal(ends[0]));
        used.extend(records);
        used.extend(terminal(ends[1]));
        let used: Vec<&str> = used.iter().map(String::as_str).collect();
        silkroute_import::corridors_used(&self.corridors, &used, &|id| {
            self.ferry_ids.iter().any(|f| f == id)
        })
    }

    /// The corridor a route follows, if any: the first of
    /// [`Catalogue::corridors_of`].
    pub fn corridor_of(&self, net: &Network, route: &silkroute_route::Route) -> Option<&Corridor> {
        self.corridors_of(
            net,
            &route.arcs,
            [Some(&route.origin.place), Some(&route.destination.place)],
        )
        .first()
        .map(|m| &self.corridors[m.index])
    }
}

/// A scenario by id among `scenarios`, or an error listing them.
pub fn find_scenario<'s>(scenarios: &'s [Scenario], id: &str) -> Result<&'s Scenario> {
    scenarios.iter().find(|s| s.id == id).ok_or_else(|| {
        let names: Vec<&str> = scenarios.iter().map(|s| s.id.as_str()).collect();
        Error::invalid_value(format!(
            "unknown scenario {id:?} (choose from {})",
            names.join(", ")
        ))
    })
}
