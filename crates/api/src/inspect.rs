//! What a network holds, per mode, and where it falls apart: nodes, edges,
//! length and connected components per mode, transfer points, the
//! gazetteer, and the rail connectivity of Belt and Road checkpoints. The
//! OSM-derived rail data has hundreds of components; the checkpoints show
//! which Belt and Road places sit on islands, so users see the gaps
//! instead of discovering them as "no route". A network built with the
//! user's own data lists each user source with what it added and replaced.

use serde_json::{Value, json};
use silkroute_graph::{Network, components};
use silkroute_model::{Mode, ModeSet, NodeId, NodeKind, PlaceKind};
use silkroute_route::Gazetteer;

use crate::error::Result;

/// Places on Belt and Road corridors whose rail connectivity is worth
/// reporting.
const CHECKPOINTS: [&str; 15] = [
    "Chongqing",
    "Xi'an",
    "Urumqi",
    "Almaty",
    "Duisburg",
    "Moscow",
    "Tehran",
    "Kunming",
    "Vientiane",
    "Aktau",
    "Baku",
    "Tbilisi",
    "Kars",
    "Istanbul",
    "Madrid",
];

struct ModeStats {
    edges: u64,
    length_m: u64,
}

/// What the network holds, per mode, and where it falls apart.
pub fn report(net: &Network) -> Result<Value> {
    let n = net.node_count();
    let (mode, length, joins, head) = (
        net.arc_mode(),
        net.arc_length_m(),
        net.arc_joins(),
        net.arc_head(),
    );
    let mut stats: Vec<ModeStats> = Mode::ALL
        .iter()
        .map(|_| ModeStats {
            edges: 0,
            length_m: 0,
        })
        .collect();
    for a in 0..net.arc_count() {
        let s = &mut stats[mode[a] as usize];
        s.edges += 1;
        s.length_m += length[a] as u64;
    }
    let mut modes = serde_json::Map::new();
    for m in Mode::TRAVEL {
        let col = components::column(m);
        let sizes = net.component_sizes(col);
        let nodes: u64 = sizes.iter().map(|s| *s as u64).sum();
        let s = &stats[m as usize];
        modes.insert(
            m.as_str().into(),
            json!({
                "nodes": nodes,
                "edges": s.edges / 2,
                "length_km": (s.length_m / 2) as f64 / 1000.0,
                "components": sizes.len(),
                "largest_components": sizes.iter().take(5).collect::<Vec<_>>(),
                "singleton_or_tiny_components": sizes.iter().filter(|s| **s < 10).count(),
            }),
        );
    }
    let t = &stats[Mode::Transfer as usize];
    modes.insert(
        "transfer".into(),
        json!({"edges": t.edges / 2, "length_km": (t.length_m / 2) as f64 / 1000.0}),
    );

    // Transfer points and what they join.
    let first_out = net.first_out();
    let joined = |v: usize, m: Mode| {
        (first_out[v] as usize..first_out[v + 1] as usize)
            .any(|a| mode[a] == Mode::Transfer as u8 && ModeSet(joins[a]).contains(m))
    };
    let kinds = net.kinds();
    let count_kind = |k: NodeKind| kinds.iter().filter(|c| **c == k as u8).count();
    let ports: Vec<usize> = (0..n)
        .filter(|v| kinds[*v] == NodeKind::Seaport as u8)
        .collect();
    let airports: Vec<usize> = (0..n)
        .filter(|v| kinds[*v] == NodeKind::Airport as u8)
        .collect();
    let air_neighbours = airports.first().map_or(0, |v| {
        (first_out[*v] as usize..first_out[*v + 1] as usize)
            .filter(|a| mode[*a] == Mode::Air as u8)
            .count()
    });
    let _ = head;
    let transfer_points = json!({
        "seaports": {
            "total": ports.len(),
            "joined_to_rail": ports.iter().filter(|v| joined(**v, Mode::Rail)).count(),
            "joined_to_road": ports.iter().filter(|v| joined(**v, Mode::Road)).count(),
        },
        "airports": {
            "cargo_hubs": airports.len(),
            "joined_to_road": airports.iter().filter(|v| joined(**v, Mode::Road)).count(),
            "air_links_per_hub": air_neighbours,
        },
        "rail_terminals": count_kind(NodeKind::RailTerminal),
        "border_posts": count_kind(NodeKind::BorderPost),
    });

    let places = net.places()?;
    let port_classes = port_class_counts(net, &places, &ports);
    let count_places = |k: PlaceKind| places.iter().filter(|p| p.kind == k).count();
    let gazetteer_json = json!({
        "cities": count_places(PlaceKind::City),
        "seaports": count_places(PlaceKind::Seaport),
        "airports": count_places(PlaceKind::Airport),
        "locodes": count_places(PlaceKind::Locode),
        "with_chinese_names": places.iter().filter(|p| !p.names_zh.is_empty()).count(),
    });
    let gazetteer = Gazetteer::new(places);

    let rail = ModeSet::of(&[Mode::Rail]);
    let rail_col = components::column(Mode::Rail);
    let rail_sizes = net.component_sizes(rail_col);
    let mut checkpoints = Vec::new();
    for name in CHECKPOINTS {
        let Ok(place) = gazetteer.resolve(name) else {
            continue;
        };
        let tree = net.kd_tree();
        let near = tree.nearest(place.pos, 1, &mut |v: NodeId| {
            net.node_modes(v).intersects(rail)
        });
        let Some(&(_, v)) = near.first() else {
            continue;
        };
        let comp = net.component(v, rail_col).unwrap_or(u32::MAX);
        checkpoints.push(json!({
            "place": place.label(),
            "mode": "rail",
            "nearest_node_km": silkroute_model::haversine_m(place.pos, net.pos(v)) / 1000.0,
            "component": comp,
            "component_nodes": rail_sizes.get(comp as usize).copied().unwrap_or(0),
            "in_largest_component": comp == 0,
        }));
    }

    Ok(json!({
        "file": {
            "path": net.path().display().to_string(),
            "bytes": net.file_len(),
            "format_version": silkroute_graph::format::FORMAT_VERSION,
            "fingerprint": format!("{:016x}", net.fingerprint()),
        },
        "nodes": n,
        "arcs": net.arc_count(),
        "modes": modes,
        "transfer_points": transfer_points,
        "port_classes": port_classes,
        "gazetteer": gazetteer_json,
        "rail_checkpoints": checkpoints,
        "user_sources": crate::store::user_sources(net),
    }))
}

/// How many of the gazetteer's seaports fall in each class
/// (`data/curated/port_classes.csv`, rule in `silkroute_import::rules`):
/// `hub` and `coastal` ports are joined to the sea network, `river` ports
/// are not (the table says so), `inland` ones lie too far from it. `null`
/// for a network whose catalogue has no class table.
fn port_class_counts(
    net: &Network,
    places: &[silkroute_model::Place],
    ports: &[usize],
) -> serde_json::Value {
    use silkroute_import::PortClass;
    let Some(files) = crate::store::catalogue_files(net) else {
        return serde_json::Value::Null;
    };
    let src = silkroute_import::Sources::from_memory("the network's catalogue", files);
    let Ok(rows) = silkroute_import::port_classes(&src) else {
        return serde_json::Value::Null;
    };
    let class: std::collections::HashMap<&str, PortClass> =
        rows.iter().map(|r| (r.locode.as_str(), r.class)).collect();
    // A joined port's node is named "Name (LOCODE)" (a few locodes have two
    // records, one of them joined).
    let joined: std::collections::HashSet<&str> = ports
        .iter()
        .filter_map(|v| net.name(NodeId(*v as u32)))
        .collect();
    let mut counts = [0usize; 4];
    for p in places.iter().filter(|p| p.kind == PlaceKind::Seaport) {
        let c = match class.get(p.code.as_str()) {
            Some(PortClass::River) => PortClass::River,
            _ if !joined.contains(format!("{} ({})", p.name, p.code).as_str()) => PortClass::Inland,
            Some(PortClass::Hub) => PortClass::Hub,
            _ => PortClass::Coastal,
        };
        counts[PortClass::ALL.iter().position(|x| *x == c).unwrap_or(0)] += 1;
    }
    let mut out = serde_json::Map::new();
    for (c, n) in PortClass::ALL.iter().zip(counts) {
        out.insert(c.as_str().into(), n.into());
    }
    serde_json::Value::Object(out)
}
