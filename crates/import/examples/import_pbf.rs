//! Reads OSM PBF extracts with `silkroute_import::osm_pbf::read_pbf` and
//! prints, per file, the time the read took in process, the nodes and edges
//! it produced and the rail and road km, as one JSON line per file (used by
//! `bench/import/run`; the process's peak RSS is measured from outside).
//!
//! Usage: cargo run --release -p silkroute-import --example import_pbf -- FILE.osm.pbf...
//!        [--repeat N] (reads each file N times, reports the fastest)

use std::time::Instant;

use silkroute_import::osm_pbf::{OsmOptions, read_pbf};
use silkroute_model::Mode;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut repeat = 1usize;
    if let Some(i) = args.iter().position(|a| a == "--repeat") {
        repeat = args
            .get(i + 1)
            .and_then(|n| n.parse().ok())
            .expect("--repeat N");
        args.drain(i..i + 2);
    }
    if args.is_empty() {
        eprintln!("usage: import_pbf FILE.osm.pbf... [--repeat N]");
        std::process::exit(2);
    }
    for path in &args {
        let mut best = f64::INFINITY;
        let mut net = None;
        for _ in 0..repeat.max(1) {
            let t = Instant::now();
            let n = match read_pbf(path.as_ref(), &OsmOptions::default()) {
                Ok(n) => n,
                Err(e) => {
                    eprintln!("{e}");
                    std::process::exit(1);
                }
            };
            best = best.min(t.elapsed().as_secs_f64());
            net = Some(n);
        }
        let net = net.unwrap();
        for w in &net.warnings {
            eprintln!("warning: {w}");
        }
        println!(
            "{{\"file\":{:?},\"seconds\":{best:.6},\"nodes\":{},\"edges\":{},\"rail_km\":{:.4},\"road_km\":{:.4},\"rail_ways\":{},\"road_ways\":{},\"nodes_used\":{}}}",
            path,
            net.nodes.len(),
            net.edges.len(),
            net.stats.rail_m / 1000.0,
            net.stats.road_m / 1000.0,
            net.stats.rail_ways,
            net.stats.road_ways,
            net.stats.nodes_used,
        );
        let _ = net.km(Mode::Rail);
    }
}
