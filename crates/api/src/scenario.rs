//! Named disruptions (`data/scenarios/scenarios.toml`, or a user's file in
//! the same schema) turned into what a search sees.
//!
//! A scenario closes passages, countries, areas, polygons, places, ports,
//! border crossings or whole modes, and slows targets down with extra delay
//! and cost (and capacity cuts, which the flow assignment uses). [`apply`]
//! turns it into a search `Filter` carrying
//! `silkroute_route::penalties::Penalties`: the baseline and the scenario
//! are two metrics on the same compiled topology, so running a scenario
//! re-weights and re-customizes the hierarchy rather than rebuilding
//! anything. Every name is checked against the network: a target that
//! matches nothing is an error naming it, never a silent no-op.

use std::sync::Arc;

use silkroute_graph::Network;
use silkroute_import::{Scenario, Slowdown};
use silkroute_model::{Mode, ModeSet, NodeId, NodeKind, Passage, haversine_m};
use silkroute_route::penalties;
use silkroute_route::{BBox, Filter, Gazetteer};

use crate::catalogue::Catalogue;
use crate::constraints::AVOID_PLACE_RADIUS_M;
use crate::error::{Error, Result};

/// A port named by UN/LOCODE is the nearest seaport node this close.
const PORT_RADIUS_M: f64 = 30_000.0;

/// Scenarios from a user's TOML file in the schema of
/// `data/scenarios/scenarios.toml`; `source` names it in errors, with the
/// line and column of the fault.
pub fn from_toml(bytes: &[u8], source: &str) -> Result<Vec<Scenario>> {
    silkroute_import::scenarios_from(bytes, source).map_err(|e| Error::invalid_value(e.to_string()))
}

/// What a scenario changes, in words, without the network.
pub fn describe(s: &Scenario) -> Vec<String> {
    let mut out = Vec::new();
    let list =
        |what: &str, v: &[String]| (!v.is_empty()).then(|| format!("{what} {}", v.join(", ")));
    out.extend(list("close passages", &s.close_passages));
    out.extend(list("close countries", &s.close_countries));
    out.extend(list("close border crossings", &s.close_border_crossings));
    out.extend(list("close ports", &s.close_ports));
    out.extend(list("close places", &s.close_places));
    out.extend(list("close modes", &s.close_modes));
    for [w, so, e, n] in &s.close_areas {
        out.push(format!("close area {w},{so},{e},{n}"));
    }
    for p in &s.close_polygons {
        out.push(format!("close polygon of {} vertices", p.len()));
    }
    for d in &s.slowdown {
        out.push(slowdown_words(d));
    }
    out
}

fn slowdown_words(d: &Slowdown) -> String {
    let mut effects = Vec::new();
    if d.delay_h > 0.0 {
        effects.push(format!("+{} h", d.delay_h));
    }
    if d.cost_usd_per_feu > 0.0 {
        effects.push(format!("+{} USD/FEU", d.cost_usd_per_feu));
    }
    if d.cost_usd_per_crossing > 0.0 {
        effects.push(format!("+{} USD per use", d.cost_usd_per_crossing));
    }
    if let Some(f) = d.capacity_factor {
        effects.push(format!("capacity ×{f}"));
    }
    format!("{} at {}", effects.join(", "), d.target())
}

fn country_code(net: &Network, cc: &str, what: &str) -> Result<u16> {
    let up = cc.trim().to_ascii_uppercase();
    let b = up.as_bytes();
    let code = if b.len() == 2 && b.iter().all(u8::is_ascii_alphabetic) {
        u16::from_le_bytes([b[0], b[1]])
    } else {
        0
    };
    if code == 0 || !net.country_codes().contains(&code) {
        return Err(Error::invalid_value(format!(
            "{what} {cc:?}: no node of the network lies in that country (ISO 3166-1 alpha-2 codes, e.g. RU, IR, KZ)"
        )));
    }
    Ok(code)
}

fn parse_passage(p: &str, what: &str) -> Result<Passage> {
    Passage::parse(&p.trim().to_ascii_lowercase()).ok_or_else(|| {
        Error::invalid_value(format!(
            "{what} {p:?}: unknown passage (choose from {})",
            Passage::ALL
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    })
}

fn parse_mode(m: &str, what: &str) -> Result<Mode> {
    let set = crate::parse::modes(m).map_err(|e| e.context(what))?;
    let mut it = set.iter();
    match (it.next(), it.next()) {
        (Some(m), None) => Ok(m),
        _ => Err(Error::invalid_value(format!("{what} {m:?}: name one mode"))),
    }
}

/// The seaport nodes of a port named by UN/LOCODE (or any place form).
fn port_hubs(net: &Network, gazetteer: &Gazetteer, port: &str, what: &str) -> Result<Vec<NodeId>> {
    let place = gazetteer
        .resolve(port)
        .map_err(|e| Error::invalid_value(format!("{what} {port}: {e}")))?;
    let hubs = penalties::hubs_near(net, place.pos, NodeKind::Seaport, PORT_RADIUS_M);
    match hubs.first() {
        Some(v) => Ok(vec![*v]),
        None => Err(Error::invalid_value(format!(
            "{what} {port}: no seaport of the network within {} km of {}",
            PORT_RADIUS_M / 1000.0,
            place.label()
        ))),
    }
}

/// Whether some node of the network satisfies `f`.
fn any_node(net: &Network, f: impl Fn(NodeId) -> bool) -> bool {
    (0..net.node_count() as u32).any(|v| f(NodeId(v)))
}

/// Applies a scenario to a filter: closures as closed nodes, passages,
/// modes or arcs; slowdowns and capacity cuts as penalties. Every name is
/// checked against the network, and a target that matches nothing is an
/// error rather than a silent no-op. Returns what it changed, in words.
pub fn apply(
    s: &Scenario,
    net: &Network,
    gazetteer: &Gazetteer,
    catalogue: &Catalogue,
    filter: &mut Filter,
) -> Result<Vec<String>> {
    let what = |k: &str| format!("scenario {} {k}", s.id);
    // What the filter already carries (`--avoid curated-links`) stays.
    let mut p = filter.penalties.as_deref().cloned().unwrap_or_default();
    for name in &s.close_passages {
        let passage = parse_passage(name, &what("close_passages"))?;
        if !net.arc_passage().contains(&(passage as u8)) {
            return Err(Error::invalid_value(format!(
                "{} {name}: no arc of the network crosses this passage",
                what("close_passages")
            )));
        }
        filter.close(passage);
    }
    let countries = net.country_codes();
    for cc in &s.close_countries {
        let code = country_code(net, cc, &what("close_countries"))?;
        filter.close_nodes(net, |v| countries[v.index()] == code);
    }
    for [west, south, east, north] in &s.close_areas {
        let b = BBox {
            west: *west,
            south: *south,
            east: *east,
            north: *north,
        };
        if !any_node(net, |v| b.contains(net.pos(v))) {
            return Err(Error::invalid_value(format!(
                "{} {west},{south},{east},{north}: no node of the network lies in this area",
                what("close_areas")
            )));
        }
        filter.close_nodes(net, |v| b.contains(net.pos(v)));
    }
    for (i, ring) in s.close_polygons.iter().enumerate() {
        let inside = |v: NodeId| penalties::in_polygon(ring, net.pos(v));
        if !any_node(net, inside) {
            return Err(Error::invalid_value(format!(
                "{}: no node of the network lies inside polygon {} ({} vertices)",
                what("close_polygons"),
                i + 1,
                ring.len()
            )));
        }
        filter.close_nodes(net, inside);
    }
    for place in &s.close_places {
        let at = gazetteer
            .resolve(place)
            .map_err(|e| Error::invalid_value(format!("{} {place}: {e}", what("close_places"))))?;
        let near = |v: NodeId| haversine_m(at.pos, net.pos(v)) <= AVOID_PLACE_RADIUS_M;
        if !any_node(net, near) {
            return Err(Error::invalid_value(format!(
                "{} {place}: no node of the network lies within {} km of {}",
                what("close_places"),
                AVOID_PLACE_RADIUS_M / 1000.0,
                at.label()
            )));
        }
        filter.close_nodes(net, near);
    }
    for m in &s.close_modes {
        let mode = parse_mode(m, &what("close_modes"))?;
        if !net.arc_mode().contains(&(mode as u8)) {
            return Err(Error::invalid_value(format!(
                "{} {m}: the network has no {} arc",
                what("close_modes"),
                mode.as_str()
            )));
        }
        filter.modes = ModeSet(filter.modes.0 & !ModeSet::of(&[mode]).0);
    }
    for id in &s.close_border_crossings {
        catalogue.crossing(id)?;
        let arcs = catalogue.arcs(id);
        if arcs.is_empty() {
            return Err(Error::invalid_value(format!(
                "{} {id}: the network has no border arc for this crossing (see the import notes of `silkroute build`)",
                what("close_border_crossings"),
            )));
        }
        p.close(arcs);
    }
    for port in &s.close_ports {
        let hubs = port_hubs(net, gazetteer, port, &what("close_ports"))?;
        p.close(&penalties::hub_arcs(net, &hubs));
    }
    for (i, d) in s.slowdown.iter().enumerate() {
        let label = format!("slowdown {}", i + 1);
        let at = what(&label);
        let arcs = if let Some(x) = &d.passage {
            penalties::passage_arcs(net, parse_passage(x, &at)?)
        } else if let Some(x) = &d.border_crossing {
            catalogue.crossing(x)?;
            penalties::whole(catalogue.arcs(x))
        } else if let Some(x) = &d.ferry {
            catalogue.ferry(x)?;
            penalties::whole(catalogue.arcs(x))
        } else if let Some(x) = &d.port {
            penalties::whole(&penalties::hub_arcs(
                net,
                &port_hubs(net, gazetteer, x, &at)?,
            ))
        } else if let Some(x) = &d.place {
            let c = gazetteer
                .resolve(x)
                .map_err(|e| Error::invalid_value(format!("{at} place {x}: {e}")))?
                .pos;
            penalties::whole(&penalties::arcs_where(net, |v| {
                haversine_m(c, net.pos(v)) <= AVOID_PLACE_RADIUS_M
            }))
        } else if let Some(x) = &d.country {
            let code = country_code(net, x, &at)?;
            penalties::whole(&penalties::arcs_where(net, |v| {
                countries[v.index()] == code
            }))
        } else if let Some([west, south, east, north]) = d.area {
            let b = BBox {
                west,
                south,
                east,
                north,
            };
            penalties::whole(&penalties::arcs_where(net, |v| b.contains(net.pos(v))))
        } else if let Some(ring) = &d.polygon {
            penalties::whole(&penalties::arcs_where(net, |v| {
                penalties::in_polygon(ring, net.pos(v))
            }))
        } else if let Some(x) = &d.mode {
            penalties::whole(&penalties::mode_arcs(net, parse_mode(x, &at)?))
        } else {
            Vec::new()
        };
        if arcs.is_empty() {
            return Err(Error::invalid_value(format!(
                "{at}: {} matches no arc of the network",
                d.target()
            )));
        }
        if d.delay_h > 0.0 || d.cost_usd_per_feu > 0.0 || d.cost_usd_per_crossing > 0.0 {
            p.slow(
                &arcs,
                d.delay_h,
                d.cost_usd_per_feu,
                d.cost_usd_per_crossing,
                format!("{} {}", s.id, slowdown_words(d)),
            );
        }
        if let Some(f) = d.capacity_factor {
            let ids: Vec<u32> = arcs.iter().map(|(a, _)| *a).collect();
            p.cut_capacity(&ids, f);
        }
    }
    if !p.is_empty() {
        filter.penalties = Some(Arc::new(p));
    }
    Ok(describe(s))
}
