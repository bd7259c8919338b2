//! User data in the world import, on the embedded world layers: a real OSM
//! extract placed `replace` (Helsinki) and `add` (Monaco), and a user GeoJSON
//! file (a Helsinki–Tallinn rail tunnel, a dry port, a border crossing and a
//! ferry, plus a bad feature and one that joins nothing) that changes the
//! shortest rail path as it should.
//!
//! The extracts come from `SILKROUTE_TEST_DATA` (`scripts/fetch-test-data`);
//! without it the tests fail in CI and print why they skip elsewhere.

use std::collections::BinaryHeap;
use std::path::{Path, PathBuf};

use silkroute_graph::RawNetwork;
use silkroute_import::osm_pbf::BBox;
use silkroute_import::{OsmSource, Placement, Sources, UserData, import_world, import_world_with};
use silkroute_model::{LatLon, Mode, NoProgress, NodeKind, haversine_m};

/// Says why a test skips, on the real stderr: the test harness captures
/// `eprintln!` of passing tests, and a skip must never pass silently.
fn skip(msg: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED (not CI): {msg}");
}

fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

fn extract(name: &str) -> Option<PathBuf> {
    let p = std::env::var_os("SILKROUTE_TEST_DATA").map(|d| Path::new(&d).join(name));
    if let Some(p) = p.filter(|p| p.is_file()) {
        return Some(p);
    }
    let msg = format!(
        "{name} not found in SILKROUTE_TEST_DATA: run `export SILKROUTE_TEST_DATA=\"$(scripts/fetch-test-data | tail -1)\"` first"
    );
    if ci() {
        panic!("{msg}");
    }
    skip(&msg);
    None
}

/// Shortest distance (m) over edges of `mode` that `keep` allows, from
/// `from` to the nearest of `to`.
fn shortest(
    raw: &RawNetwork,
    mode: Mode,
    keep: &dyn Fn(usize) -> bool,
    from: u32,
    to: &[u32],
) -> Option<u64> {
    let n = raw.nodes.len();
    let mut adj: Vec<Vec<(u32, u32)>> = vec![Vec::new(); n];
    for (i, e) in raw.edges.iter().enumerate() {
        if e.mode == mode && keep(i) {
            adj[e.from as usize].push((e.to, e.length_m));
            adj[e.to as usize].push((e.from, e.length_m));
        }
    }
    let mut target = vec![false; n];
    for &t in to {
        target[t as usize] = true;
    }
    let mut dist = vec![u64::MAX; n];
    let mut heap = BinaryHeap::new();
    dist[from as usize] = 0;
    heap.push(std::cmp::Reverse((0u64, from)));
    while let Some(std::cmp::Reverse((d, v))) = heap.pop() {
        if d > dist[v as usize] {
            continue;
        }
        if target[v as usize] {
            return Some(d);
        }
        for &(w, l) in &adj[v as usize] {
            let nd = d + l as u64;
            if nd < dist[w as usize] {
                dist[w as usize] = nd;
                heap.push(std::cmp::Reverse((nd, w)));
            }
        }
    }
    None
}

fn nearest_of(raw: &RawNetwork, junctions: &[bool], p: LatLon) -> u32 {
    (0..raw.nodes.len())
        .filter(|&i| junctions[i])
        .min_by(|&a, &b| {
            haversine_m(raw.nodes[a].pos, p).total_cmp(&haversine_m(raw.nodes[b].pos, p))
        })
        .unwrap() as u32
}

/// Rail junctions: nodes touched by a rail edge.
fn rail_nodes(raw: &RawNetwork) -> Vec<bool> {
    let mut r = vec![false; raw.nodes.len()];
    for e in raw.edges.iter().filter(|e| e.mode == Mode::Rail) {
        r[e.from as usize] = true;
        r[e.to as usize] = true;
    }
    r
}

const USER_GEOJSON: &str = r#"{"type": "FeatureCollection", "features": [
 {"type": "Feature", "id": "tunnel",
  "geometry": {"type": "LineString", "coordinates": [[24.9414, 60.1719], [24.95, 59.9], [24.7536, 59.4402]]},
  "properties": {"mode": "rail", "name": "Helsinki–Tallinn tunnel (planned)", "gauge_mm": 1435, "speed_kmh": 200, "source": "test"}},
 {"type": "Feature", "id": "muuga",
  "geometry": {"type": "Point", "coordinates": [24.96, 59.49]},
  "properties": {"kind": "dry_port", "name": "Test dry port", "country": "EE"}},
 {"type": "Feature", "id": "gulf",
  "geometry": {"type": "Point", "coordinates": [24.9, 59.8]},
  "properties": {"kind": "border_crossing", "name": "Tunnel border", "country": "FI", "country_b": "EE", "dwell_h_min": 1, "dwell_h_max": 3, "fee_usd": 50}},
 {"type": "Feature", "id": "ferry",
  "geometry": {"type": "LineString", "coordinates": [[24.96, 60.16], [24.77, 59.45]]},
  "properties": {"mode": "ferry", "name": "Test ferry", "crossing_h": 2, "sailings_per_week": 42}},
 {"type": "Feature", "id": "nowhere",
  "geometry": {"type": "Point", "coordinates": [-150.0, -40.0]},
  "properties": {"kind": "rail_terminal", "name": "Middle of the Pacific"}},
 {"type": "Feature", "id": "bad",
  "geometry": {"type": "LineString", "coordinates": [[24.9, 60.1], [25.0, 60.2]]},
  "properties": {"mode": "hovercraft"}}
]}"#;

#[test]
fn a_replaced_extract_and_user_records_join_the_world() {
    let Some(helsinki) = extract("Helsinki.osm.pbf") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let geojson = dir.path().join("mine.geojson");
    std::fs::write(&geojson, USER_GEOJSON).unwrap();
    // A box around central Helsinki, larger than the extract, so world rail
    // nodes lie inside and world lines cross its edge.
    let area = BBox {
        west: 24.85,
        south: 60.14,
        east: 25.05,
        north: 60.22,
    };
    let user = UserData {
        osm: vec![OsmSource {
            bbox: Some(area),
            ..OsmSource::new(&helsinki, Placement::Replace)
        }],
        files: vec![geojson.clone()],
    };
    let src = Sources::embedded();
    let t = std::time::Instant::now();
    let imp = import_world_with(&src, Some(&user), &NoProgress).unwrap();
    eprintln!("import with user data: {:.1} s", t.elapsed().as_secs_f64());
    for w in &imp.warnings {
        eprintln!("warning: {w}");
    }
    let raw = &imp.raw;
    assert_ne!(raw.fingerprint, src.fingerprint());

    // The extract's report: what it added and replaced.
    let osm = imp.user.iter().find(|r| r.kind == "osm").unwrap();
    assert_eq!(osm.placement, Some("replace"));
    assert!(osm.replaced_nodes > 0 && osm.replaced_edges > 0, "{osm:?}");
    assert!(osm.joins > 0, "{osm:?}");
    assert!((osm.rail_km - 15.565).abs() < 0.1, "{osm:?}");

    // No world rail or road junction is left inside the box: every rail
    // junction inside is one of the extract's (they carry OSM attributes).
    let mut from_osm = vec![false; raw.nodes.len()];
    for (i, a) in &imp.edge_attrs {
        if a.way_id.is_some() {
            let e = &raw.edges[*i as usize];
            from_osm[e.from as usize] = true;
            from_osm[e.to as usize] = true;
        }
    }
    let rail = rail_nodes(raw);
    let inside_world = (0..raw.nodes.len())
        .filter(|&i| {
            rail[i]
                && raw.nodes[i].kind == NodeKind::Junction
                && area.contains(raw.nodes[i].pos)
                && !from_osm[i]
        })
        .filter(|&i| raw.nodes[i].name.is_none()) // user link ends have names
        .count();
    assert_eq!(inside_world, 0);
    // Extract edges sum to the extract's length (they were not touched).
    let km: f64 = imp
        .edge_attrs
        .iter()
        .filter(|(i, a)| a.way_id.is_some() && raw.edges[*i as usize].mode == Mode::Rail)
        .map(|(i, _)| raw.edges[*i as usize].length_m as f64)
        .sum::<f64>()
        / 1000.0;
    assert!((km - osm.rail_km).abs() < 0.05, "{km} vs {}", osm.rail_km);
    // Helsinki's extract nodes are Finnish and take the OSM gauge (1524).
    let ext: Vec<u32> = (0..raw.nodes.len() as u32)
        .filter(|&i| from_osm[i as usize])
        .collect();
    assert!(
        ext.iter()
            .all(|&i| raw.nodes[i as usize].country == Some(*b"FI"))
    );

    // The tunnel: rail from Tallinn to the extract, with and without it.
    // (Its edge carries the user crossing's figures, below, so it is found by
    // the link's record, as criticality finds curated links.)
    let link = imp
        .curated
        .iter()
        .find(|c| c.id == "user:mine:tunnel")
        .unwrap();
    assert_eq!(link.edges.len(), 1);
    let tunnel = link.edges[0];
    let is_tunnel = |i: usize| {
        let e = &raw.edges[i];
        (e.from, e.to) == tunnel || (e.to, e.from) == tunnel
    };
    let tallinn = nearest_of(raw, &rail, LatLon::new(59.4402, 24.7536));
    let ext_rail: Vec<u32> = ext.iter().copied().filter(|&i| rail[i as usize]).collect();
    let with =
        shortest(raw, Mode::Rail, &|_| true, tallinn, &ext_rail).expect("joined by the tunnel");
    let without = shortest(raw, Mode::Rail, &|i| !is_tunnel(i), tallinn, &ext_rail);
    eprintln!(
        "Tallinn → Helsinki extract by rail: {:.0} km with the tunnel, {:?} km without",
        with as f64 / 1000.0,
        without.map(|m| m / 1000)
    );
    assert!(with < 120_000, "{with}");
    let without = without.expect("the world layers join Tallinn and Helsinki through Russia");
    assert!(without > 600_000, "{without}");
    // The tunnel edge crosses FI–EE and carries the user crossing's figures.
    let gulf = raw
        .elements
        .iter()
        .position(|e| e.id == "user:mine:gulf")
        .unwrap() as u32;
    let crossing = &raw.elements[gulf as usize];
    assert_eq!(crossing.dwell_h, 2.0);
    assert_eq!(crossing.fee_usd, 50.0);
    let tunnel_edges: Vec<_> = raw
        .edges
        .iter()
        .filter(|e| e.element == Some(gulf))
        .collect();
    assert_eq!(tunnel_edges.len(), 1);
    assert_eq!(tunnel_edges[0].gauge_mm, 1435);
    let tunnel_attrs = imp
        .edge_attrs
        .iter()
        .find(|(i, a)| a.way_id.is_none() && raw.edges[*i as usize].mode == Mode::Rail)
        .unwrap();
    assert_eq!(tunnel_attrs.1.speed_kmh, Some(200.0));

    // The ferry is priced from its record; the dry port joins rail and road.
    let ferry = raw
        .elements
        .iter()
        .find(|e| e.id == "user:mine:ferry")
        .unwrap();
    assert_eq!(ferry.crossing_h, 2.0);
    assert_eq!(ferry.wait_h, 2.0); // 168 h / 42 / 2
    assert!(
        imp.curated
            .iter()
            .any(|c| c.id == "user:mine:muuga" && c.nodes.len() == 1)
    );
    assert!(raw.places.iter().any(|p| p.code == "user:mine:muuga"));

    // The file's report: the bad feature skipped, the Pacific terminal reported.
    let file = imp.user.iter().find(|r| r.kind == "geojson").unwrap();
    assert_eq!((file.features, file.skipped), (5, 1), "{file:?}");
    assert_eq!(file.joined_nothing, ["user:mine:nowhere"], "{file:?}");
    let w = imp.warnings.join("\n");
    assert!(
        w.contains("mine.geojson feature 5 (id \"bad\"): field `mode` \"hovercraft\""),
        "{w}"
    );
    assert!(w.contains("user:mine:nowhere: joins nothing"), "{w}");
}

#[test]
fn an_added_extract_joins_each_component_and_the_default_path_is_untouched() {
    let Some(monaco) = extract("monaco.osm.pbf") else {
        return;
    };
    let src = Sources::embedded();
    let base = import_world(&src, &NoProgress).unwrap();
    let user = UserData {
        osm: vec![OsmSource::new(&monaco, Placement::Add)],
        files: vec![],
    };
    let imp = import_world_with(&src, Some(&user), &NoProgress).unwrap();
    let osm = &imp.user[0];
    eprintln!("{osm:?}");
    assert_eq!(osm.replaced_nodes, 0);
    assert!(osm.joins > 0);
    // Nothing of the world is lost: it is a prefix of the new network's
    // rail, road and sea junctions.
    let world_junctions = base
        .raw
        .edges
        .iter()
        .filter(|e| matches!(e.mode, Mode::Rail | Mode::Road | Mode::Sea))
        .count();
    assert_eq!(
        imp.raw
            .edges
            .iter()
            .filter(|e| matches!(e.mode, Mode::Rail | Mode::Road | Mode::Sea))
            .count() as u64,
        world_junctions as u64 + osm.edges + osm.joins
    );
    assert_eq!(
        imp.raw.nodes.len() as u64,
        base.raw.nodes.len() as u64 + osm.nodes
    );
    // Without user data nothing changes and there is no side table.
    assert!(base.edge_attrs.is_empty() && base.user.is_empty());
    let again = import_world_with(&src, None, &NoProgress).unwrap();
    assert_eq!(again.raw.edges, base.raw.edges);
    assert_eq!(again.raw.fingerprint, base.raw.fingerprint);
    // The fingerprint follows the extract's bytes and the placement.
    let other = UserData {
        osm: vec![OsmSource::new(&monaco, Placement::Replace)],
        files: vec![],
    };
    assert_ne!(user.fingerprint(1).unwrap(), other.fingerprint(1).unwrap());
    assert_ne!(user.fingerprint(1).unwrap(), user.fingerprint(2).unwrap());
}

#[test]
fn a_user_files_content_is_in_the_fingerprint() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("a.geojson");
    std::fs::write(&p, USER_GEOJSON).unwrap();
    let user = UserData {
        osm: vec![],
        files: vec![p.clone()],
    };
    let before = user.fingerprint(7).unwrap();
    assert_eq!(before, user.fingerprint(7).unwrap());
    std::fs::write(
        &p,
        USER_GEOJSON.replace("\"fee_usd\": 50", "\"fee_usd\": 60"),
    )
    .unwrap();
    assert_ne!(before, user.fingerprint(7).unwrap());
    let missing = UserData {
        osm: vec![],
        files: vec![dir.path().join("gone.geojson")],
    };
    assert!(
        missing
            .fingerprint(7)
            .unwrap_err()
            .to_string()
            .contains("gone.geojson")
    );
}
