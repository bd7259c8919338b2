//! The OSM PBF reader's node, edge and tag rules on a hand-drawn fixture
//! (`tests/data/tiny.osm`, converted to `tiny.osm.pbf` by osmium): chains
//! collapsed between junctions, a closed way split in two, a level crossing
//! that stays two nodes, a skipped siding, a way cut by a missing node, and
//! the tags parsed or reported.

use std::path::Path;

use silkroute_import::osm_pbf::{OsmOptions, read_pbf};
use silkroute_model::{LatLon, Mode, haversine_m};

fn tiny() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/tiny.osm.pbf")
}

fn at(lat: f64, lon: f64) -> LatLon {
    LatLon::new(lat, lon)
}

#[test]
fn chains_collapse_between_junctions_and_modes_never_share_a_node() {
    let net = read_pbf(&tiny(), &OsmOptions::default()).unwrap();
    let osm = |mode: Mode| {
        let mut ids: Vec<i64> = (0..net.nodes.len())
            .filter(|&i| net.node_mode[i] == mode)
            .map(|i| net.node_osm_id[i])
            .collect();
        ids.sort();
        ids
    };
    // Rail: way ends, the junctions 3 and 6, the ring's start 7 and its
    // middle 9; node 2 (on rail once, and on the road) is collapsed.
    assert_eq!(osm(Mode::Rail), [1, 3, 4, 6, 7, 9, 14]);
    // Road: node 2 is a road node of its own only if kept; it is not.
    assert_eq!(osm(Mode::Road), [12, 13]);
    let edge = |a: i64, b: i64| {
        net.edges
            .iter()
            .zip(&net.attrs)
            .filter(|(e, _)| {
                let (x, y) = (
                    net.node_osm_id[e.from as usize],
                    net.node_osm_id[e.to as usize],
                );
                (x, y) == (a, b) || (x, y) == (b, a)
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(net.edges.len(), 7);
    // 1 → 3 along 1-2-3, 2 kept out.
    let e13 = edge(1, 3);
    assert_eq!(e13.len(), 1);
    let want = haversine_m(at(0.0, 0.0), at(0.0, 0.01)) + haversine_m(at(0.0, 0.01), at(0.0, 0.02));
    assert_eq!(e13[0].0.length_m, want.round() as u32);
    assert_eq!(e13[0].0.gauge_mm, 1520);
    let mph = e13[0].1.speed_kmh.unwrap();
    assert!((mph - 80.467).abs() < 0.01, "{mph}");
    assert_eq!(e13[0].1.usage.as_deref(), Some("main"));
    assert_eq!(e13[0].1.electrified.as_deref(), Some("contact_line"));
    assert_eq!(e13[0].1.way_id, Some(100));
    assert_eq!(edge(3, 6)[0].1.speed_kmh, Some(60.0));
    // The closed way 7-8-9-10-7: two edges 7-9, no self-loop.
    assert_eq!(edge(7, 9).len(), 2);
    // The level crossing: the road runs 12 → 13 through node 2's position.
    let road = edge(12, 13);
    assert_eq!(road.len(), 1);
    assert_eq!(road[0].0.mode, Mode::Road);
    assert_eq!(road[0].1.speed_kmh, Some(80.0));
    assert_eq!(road[0].1.highway.as_deref(), Some("primary"));
    assert_eq!(road[0].0.gauge_mm, 0);
    // Lengths add up to the haversine sums along all the ways read.
    let ring = 2.0 * haversine_m(at(1.0, 0.0), at(1.0, 0.01))
        + 2.0 * haversine_m(at(1.0, 0.01), at(1.01, 0.01));
    let rail = want
        + haversine_m(at(0.0, 0.02), at(0.0, 0.03))
        + haversine_m(at(0.0, 0.02), at(0.01, 0.02))
        + haversine_m(at(0.01, 0.02), at(0.02, 0.02))
        + haversine_m(at(0.02, 0.02), at(0.03, 0.02))
        + ring;
    assert!(
        (net.stats.rail_m - rail).abs() < 0.01,
        "{} vs {rail}",
        net.stats.rail_m
    );
    // The header's box.
    let b = net.bbox().unwrap();
    assert_eq!((b.west, b.south, b.east, b.north), (-0.5, -0.5, 0.5, 1.5));
}

#[test]
fn oddities_are_counted_in_warnings() {
    let net = read_pbf(&tiny(), &OsmOptions::default()).unwrap();
    let w = net.warnings.join("\n");
    assert_eq!(net.stats.skipped_service.get("siding"), Some(&1));
    assert!(w.contains("skipped rail ways: 1 service=siding"), "{w}");
    assert_eq!(
        (net.stats.ways_missing_nodes, net.stats.ways_dropped),
        (1, 1)
    );
    assert!(w.contains("first: way 201"), "{w}");
    assert!(
        w.contains("maxspeed=\"fast\" on 1 ways (first: way 104)"),
        "{w}"
    );
    assert!(
        w.contains("gauge=\"standard\" on 1 ways (first: way 104)"),
        "{w}"
    );
    // Kept service tracks add the siding (node 4 stays, node 11 joins).
    let all = read_pbf(
        &tiny(),
        &OsmOptions {
            keep_service_tracks: true,
            ..OsmOptions::default()
        },
    )
    .unwrap();
    assert_eq!(all.edges.len(), 8);
    assert!(
        all.warnings
            .join("\n")
            .contains("kept rail ways: 1 service=siding")
    );
    // The mode filter.
    let rail = read_pbf(
        &tiny(),
        &OsmOptions {
            road: false,
            ..OsmOptions::default()
        },
    )
    .unwrap();
    assert!(rail.edges.iter().all(|e| e.mode == Mode::Rail));
    assert_eq!(rail.edges.len(), 6);
    assert_eq!(rail.stats.road_ways, 0);
}
