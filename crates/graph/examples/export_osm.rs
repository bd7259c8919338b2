//! Writes the road sub-graph of a compiled network as OpenStreetMap XML, so
//! the real OSRM can be built on exactly silkroute's road graph for the
//! side-by-side benchmark of `silkroute serve` (`bench/osrm/`).
//!
//! Network node `i` becomes OSM node `i + 1` (coordinates with 7 decimals,
//! as stored); every undirected road edge, stored as the two arcs a→b and
//! b→a, becomes one two-node way (written once, from the arc whose tail is
//! the smaller id) tagged `highway=primary` and `silkroute:length_m` with
//! the arc's length. Beside it goes `OUT.nodes.csv` (`osm_id,lat,lon,
//! component`), the exported nodes with the rank of their road component by
//! size (0 = the largest), so the load generator can pick connected pairs
//! of exact network nodes. Both files are written to a temporary name and
//! renamed into place.
//!
//! `cargo run --release -p silkroute-graph --example export_osm -- NETWORK.srnet OUT.osm`

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use silkroute_graph::Network;
use silkroute_model::{Mode, NodeId};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [net_path, out_path] = args.as_slice() else {
        eprintln!("usage: export_osm NETWORK.srnet OUT.osm");
        return ExitCode::from(2);
    };
    match run(Path::new(net_path), Path::new(out_path)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("export_osm: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Union–find root with path halving.
fn find(parent: &mut [u32], mut v: u32) -> u32 {
    while parent[v as usize] != v {
        let p = parent[parent[v as usize] as usize];
        parent[v as usize] = p;
        v = p;
    }
    v
}

fn run(net_path: &Path, out_path: &Path) -> Result<(), String> {
    let net = Network::open(net_path).map_err(|e| format!("{}: {e}", net_path.display()))?;
    let first_out = net.first_out();
    let head = net.arc_head();
    let mode = net.arc_mode();
    let length = net.arc_length_m();
    let n = net.node_count();
    let road = Mode::Road as u8;

    // Nodes touched by a road arc, the edges to write, and the road
    // components over them.
    let mut used = vec![false; n];
    let mut parent: Vec<u32> = (0..n as u32).collect();
    let mut edges: Vec<(u32, u32, u32)> = Vec::new();
    let (mut loops, mut reverse_only) = (0usize, 0usize);
    for v in 0..n {
        for a in first_out[v] as usize..first_out[v + 1] as usize {
            if mode[a] != road {
                continue;
            }
            let w = head[a] as usize;
            used[v] = true;
            used[w] = true;
            let (rv, rw) = (find(&mut parent, v as u32), find(&mut parent, w as u32));
            if rv != rw {
                parent[rv as usize] = rw;
            }
            if v < w {
                edges.push((v as u32, w as u32, length[a]));
            } else if v == w {
                loops += 1;
            } else {
                // An arc b→a with b > a is written from its twin a→b; count
                // those that have no twin, which would be lost.
                let twin = (first_out[w] as usize..first_out[w + 1] as usize)
                    .any(|t| mode[t] == road && head[t] as usize == v);
                if !twin {
                    reverse_only += 1;
                }
            }
        }
    }
    if reverse_only > 0 {
        eprintln!(
            "warning: {reverse_only} road arcs b→a (b > a) have no arc a→b; they are not exported"
        );
    }

    // Component ranks by size, largest first.
    let mut size = vec![0u32; n];
    for v in (0..n).filter(|&v| used[v]) {
        let r = find(&mut parent, v as u32);
        size[r as usize] += 1;
    }
    let mut roots: Vec<u32> = (0..n as u32).filter(|&r| size[r as usize] > 0).collect();
    roots.sort_by_key(|&r| (std::cmp::Reverse(size[r as usize]), r));
    let mut rank = vec![u32::MAX; n];
    for (k, &r) in roots.iter().enumerate() {
        rank[r as usize] = k as u32;
    }

    let osm_tmp = tmp_name(out_path);
    let csv_path = PathBuf::from(format!("{}.nodes.csv", out_path.display()));
    let csv_tmp = tmp_name(&csv_path);
    let io = |p: &Path, e: std::io::Error| format!("{}: {e}", p.display());
    let mut osm = BufWriter::new(File::create(&osm_tmp).map_err(|e| io(&osm_tmp, e))?);
    let mut csv = BufWriter::new(File::create(&csv_tmp).map_err(|e| io(&csv_tmp, e))?);
    let mut write = || -> std::io::Result<usize> {
        writeln!(osm, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
        writeln!(
            osm,
            r#"<osm version="0.6" generator="silkroute export_osm">"#
        )?;
        writeln!(csv, "osm_id,lat,lon,component")?;
        let mut nodes = 0usize;
        for v in (0..n).filter(|&v| used[v]) {
            let p = net.pos(NodeId(v as u32));
            let root = find(&mut parent, v as u32);
            writeln!(
                osm,
                r#" <node id="{}" lat="{:.7}" lon="{:.7}"/>"#,
                v + 1,
                p.lat,
                p.lon
            )?;
            writeln!(
                csv,
                "{},{:.7},{:.7},{}",
                v + 1,
                p.lat,
                p.lon,
                rank[root as usize]
            )?;
            nodes += 1;
        }
        for (k, &(a, b, len)) in edges.iter().enumerate() {
            writeln!(
                osm,
                r#" <way id="{}"><nd ref="{}"/><nd ref="{}"/><tag k="highway" v="primary"/><tag k="silkroute:length_m" v="{len}"/></way>"#,
                k + 1,
                a + 1,
                b + 1
            )?;
        }
        writeln!(osm, "</osm>")?;
        osm.flush()?;
        csv.flush()?;
        Ok(nodes)
    };
    let nodes = write().map_err(|e| io(out_path, e))?;
    drop((osm, csv));
    std::fs::rename(&osm_tmp, out_path).map_err(|e| io(out_path, e))?;
    std::fs::rename(&csv_tmp, &csv_path).map_err(|e| io(&csv_path, e))?;

    let total_m: u64 = edges.iter().map(|e| e.2 as u64).sum();
    let largest = roots.first().map_or(0, |&r| size[r as usize]);
    eprintln!(
        "{}: {nodes} nodes, {} ways ({:.0} km of road), {} road components (largest {largest} nodes){}",
        out_path.display(),
        edges.len(),
        total_m as f64 / 1e3,
        roots.len(),
        if loops > 0 {
            format!(", {loops} self-loop arcs skipped")
        } else {
            String::new()
        }
    );
    eprintln!("{}: osm_id,lat,lon,component", csv_path.display());
    Ok(())
}

fn tmp_name(p: &Path) -> PathBuf {
    PathBuf::from(format!("{}.tmp{}", p.display(), std::process::id()))
}
