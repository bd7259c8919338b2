//! Times the hierarchy on the OSM world railway graph: build, customize, six
//! long-distance queries with path unpacking, one-to-all distances (PHAST) in
//! both directions, and a 100 × 100 matrix, each checked against a plain
//! Dijkstra.
//!
//! Run from the workspace root:
//! `cargo run --release -p silkroute-hierarchy --example rail_bench`
//! (`RAIL_DIR` overrides `data/open`; `RAIL_RUNS` the number of runs per
//! query, 200; `RAIL_BENCH_ALL_MODES=1` also times the sweeps on rail, road
//! and sea in one graph of 845 k nodes, which takes about 15 s to build).

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::time::{Duration, Instant};

use silkroute_hierarchy::{
    Hierarchy, Metric, Query, Sweep, distances_from_all, distances_to_all, matrix,
};

/// A named place: (name, (lat, lon)).
type Place = (&'static str, (f64, f64));

const PAIRS: [(Place, Place); 6] = [
    (
        ("Chongqing", (29.560, 106.558)),
        ("Duisburg", (51.432, 6.765)),
    ),
    (("Xi'an", (34.258, 108.929)), ("Hamburg", (53.551, 9.994))),
    (("Moscow", (55.752, 37.618)), ("Tehran", (35.694, 51.422))),
    (("Yiwu", (29.306, 120.074)), ("Madrid", (40.417, -3.704))),
    (("Beijing", (39.907, 116.397)), ("Paris", (48.853, 2.349))),
    (("Kunming", (25.039, 102.718)), ("Warsaw", (52.230, 21.012))),
];

struct Graph {
    lat: Vec<f64>,
    lon: Vec<f64>,
    first_out: Vec<u32>,
    head: Vec<u32>,
    weight: Vec<u32>,
}

fn gz_csv(path: &std::path::Path) -> csv::Reader<flate2::read::GzDecoder<std::fs::File>> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    csv::Reader::from_reader(flate2::read::GzDecoder::new(file))
}

/// Nodes and edges of one mode (`rail`, `road`, `sea`), both directions of
/// each edge, appended to `lat`/`lon`/`arcs` with node ids shifted past the
/// nodes already there.
fn load_mode(
    dir: &std::path::Path,
    mode: &str,
    lat: &mut Vec<f64>,
    lon: &mut Vec<f64>,
    arcs: &mut Vec<(u32, u32, u32)>,
) {
    let column = |reader: &mut csv::Reader<_>, name: &str| {
        reader
            .headers()
            .expect("header row")
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    let base = lat.len() as u32;
    let mut nodes = gz_csv(&dir.join(format!("{mode}_nodes.csv.gz")));
    let (la, lo) = (column(&mut nodes, "lat"), column(&mut nodes, "lon"));
    for rec in nodes.records() {
        let rec = rec.expect("node row");
        lat.push(rec[la].parse().expect("lat"));
        lon.push(rec[lo].parse().expect("lon"));
    }
    let mut edges = gz_csv(&dir.join(format!("{mode}_edges.csv.gz")));
    let cols = ["from", "to", "length_m"].map(|c| column(&mut edges, c));
    for rec in edges.records() {
        let rec = rec.expect("edge row");
        let [a, b, w]: [u32; 3] = cols.map(|c| rec[c].parse().expect("edge field"));
        arcs.push((base + a, base + b, w));
        arcs.push((base + b, base + a, w));
    }
}

fn assemble(lat: Vec<f64>, lon: Vec<f64>, mut arcs: Vec<(u32, u32, u32)>) -> Graph {
    arcs.sort_unstable_by_key(|a| a.0);
    let mut first_out = vec![0u32; lat.len() + 1];
    for a in &arcs {
        first_out[a.0 as usize + 1] += 1;
    }
    for i in 0..lat.len() {
        first_out[i + 1] += first_out[i];
    }
    Graph {
        lat,
        lon,
        first_out,
        head: arcs.iter().map(|a| a.1).collect(),
        weight: arcs.iter().map(|a| a.2).collect(),
    }
}

fn data_dir() -> std::path::PathBuf {
    std::path::PathBuf::from(std::env::var("RAIL_DIR").unwrap_or_else(|_| "data/open".into()))
}

fn load() -> Graph {
    let (mut lat, mut lon, mut arcs) = (Vec::new(), Vec::new(), Vec::new());
    load_mode(&data_dir(), "rail", &mut lat, &mut lon, &mut arcs);
    assemble(lat, lon, arcs)
}

/// Rail, road and sea in one graph (845 k nodes, 2.33 M arcs), as a stand-in
/// for the multimodal network: every sea node and every 50th rail node is
/// joined to the nearest road node within about 30 km, at 4× the distance.
/// Also returns the range of the road nodes.
fn load_all_modes() -> (Graph, std::ops::Range<usize>) {
    let dir = data_dir();
    let (mut lat, mut lon, mut arcs) = (Vec::new(), Vec::new(), Vec::new());
    load_mode(&dir, "rail", &mut lat, &mut lon, &mut arcs);
    let road_start = lat.len();
    load_mode(&dir, "road", &mut lat, &mut lon, &mut arcs);
    let sea_start = lat.len();
    load_mode(&dir, "sea", &mut lat, &mut lon, &mut arcs);
    let cell = |i: usize| ((lat[i] * 4.0).floor() as i32, (lon[i] * 4.0).floor() as i32);
    let mut grid: std::collections::HashMap<(i32, i32), Vec<u32>> = Default::default();
    for i in road_start..sea_start {
        grid.entry(cell(i)).or_default().push(i as u32);
    }
    let metres = |a: usize, b: usize| {
        let (p1, p2) = (lat[a].to_radians(), lat[b].to_radians());
        let h = ((p2 - p1) / 2.0).sin().powi(2)
            + p1.cos() * p2.cos() * ((lon[b] - lon[a]).to_radians() / 2.0).sin().powi(2);
        2.0 * 6_371_008.8 * h.sqrt().asin()
    };
    let joined = (0..road_start).step_by(50).chain(sea_start..lat.len());
    for i in joined {
        let (r, c) = cell(i);
        let best = (r - 1..=r + 1)
            .flat_map(|r| (c - 1..=c + 1).map(move |c| (r, c)))
            .filter_map(|k| grid.get(&k))
            .flatten()
            .map(|&j| (metres(i, j as usize), j))
            .min_by(|a, b| a.0.total_cmp(&b.0));
        if let Some((d, j)) = best.filter(|b| b.0 < 30_000.0) {
            let w = (4.0 * d).round() as u32;
            arcs.push((i as u32, j, w));
            arcs.push((j, i as u32, w));
        }
    }
    (assemble(lat, lon, arcs), road_start..sea_start)
}

fn nearest(g: &Graph, (lat, lon): (f64, f64)) -> u32 {
    let d = |i: usize| {
        let (p1, p2) = (lat.to_radians(), g.lat[i].to_radians());
        let a = ((p2 - p1) / 2.0).sin().powi(2)
            + p1.cos() * p2.cos() * ((g.lon[i] - lon).to_radians() / 2.0).sin().powi(2);
        a.sqrt().asin()
    };
    (0..g.lat.len())
        .min_by(|&a, &b| d(a).total_cmp(&d(b)))
        .expect("nodes") as u32
}

fn dijkstra(g: &Graph, s: u32) -> Vec<u64> {
    let mut dist = vec![u64::MAX; g.lat.len()];
    let mut heap = BinaryHeap::from([Reverse((0u64, s))]);
    dist[s as usize] = 0;
    while let Some(Reverse((d, u))) = heap.pop() {
        if d > dist[u as usize] {
            continue;
        }
        for a in g.first_out[u as usize]..g.first_out[u as usize + 1] {
            let (v, nd) = (g.head[a as usize], d + u64::from(g.weight[a as usize]));
            if nd < dist[v as usize] {
                dist[v as usize] = nd;
                heap.push(Reverse((nd, v)));
            }
        }
    }
    dist
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    let t = Instant::now();
    let g = load();
    println!(
        "rail graph: {} nodes, {} arcs (loaded in {:.2?})",
        g.lat.len(),
        g.head.len(),
        t.elapsed()
    );

    let t = Instant::now();
    let h = Hierarchy::build(&g.first_out, &g.head, &g.lat, &g.lon);
    let build = t.elapsed();
    let t = Instant::now();
    let m = h.customize(&g.weight);
    let customize = t.elapsed();
    println!(
        "build {build:.2?}, customize {customize:.2?}, total {:.2?} (scgraph CH preprocessing: 4.5 s)",
        build + customize
    );
    println!(
        "hierarchy: {} arcs, height {}, {:.1} MB; metric {:.1} MB",
        h.arc_count(),
        h.height(),
        h.memory_bytes() as f64 / 1e6,
        m.memory_bytes() as f64 / 1e6
    );

    let runs: usize = std::env::var("RAIL_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let mut q = Query::new(&h, &m);
    println!(
        "\n{:<22} {:>10} {:>6} {:>10} {:>10} {:>10} {:>10}",
        "query", "km", "arcs", "with path", "into", "mixed", "distance"
    );
    let ends: Vec<(u32, u32)> = PAIRS
        .iter()
        .map(|&((_, pa), (_, pb))| (nearest(&g, pa), nearest(&g, pb)))
        .collect();
    // The six queries in turn, so each finds less of its data in cache, as
    // in a service answering different queries.
    let mut mixed = vec![Vec::new(); ends.len()];
    let mut arcs = Vec::new();
    for _ in 0..runs {
        for (i, &(s, t)) in ends.iter().enumerate() {
            let start = Instant::now();
            q.shortest_into(&[(s, 0)], &[(t, 0)], &mut arcs);
            mixed[i].push(start.elapsed());
        }
    }
    for (((a, _), (b, _)), (&(s, t), mixed)) in PAIRS.iter().zip(ends.iter().zip(mixed)) {
        let want = dijkstra(&g, s)[t as usize];
        let mut times = Vec::new();
        let mut result = None;
        for _ in 0..runs {
            let start = Instant::now();
            result = q.shortest(&[(s, 0)], &[(t, 0)]);
            times.push(start.elapsed());
        }
        let r = result.expect("connected");
        let mut into_times = Vec::new();
        for _ in 0..runs {
            let start = Instant::now();
            let found = q.shortest_into(&[(s, 0)], &[(t, 0)], &mut arcs);
            into_times.push(start.elapsed());
            assert_eq!(found, Some((want, 0, 0)));
        }
        assert_eq!(arcs, r.arcs, "{a} → {b}: shortest_into differs");
        let mut search_times = Vec::new();
        for _ in 0..runs {
            let start = Instant::now();
            assert_eq!(q.distance(&[(s, 0)], &[(t, 0)]), Some(want));
            search_times.push(start.elapsed());
        }
        assert_eq!(
            r.distance, want,
            "{a} → {b}: hierarchy disagrees with Dijkstra"
        );
        let sum: u64 = r
            .arcs
            .iter()
            .map(|&i| u64::from(g.weight[i as usize]))
            .sum();
        assert_eq!(sum, want, "{a} → {b}: unpacked path length");
        println!(
            "{:<22} {:>10.3} {:>6} {:>10.2?} {:>10.2?} {:>10.2?} {:>10.2?}",
            format!("{a} → {b}"),
            r.distance as f64 / 1000.0,
            r.arcs.len(),
            median(times),
            median(into_times),
            median(mixed),
            median(search_times)
        );
    }
    println!(
        "(medians of {runs}; \"with path\" is Query::shortest, \"into\" Query::shortest_into \
         with a reused vector, \"mixed\" the same with the six queries taken in turn, \
         \"distance\" Query::distance; scgraph CH: 0.45–2.4 ms)"
    );

    let (s, t) = ends[0];
    println!();
    time_sweeps("rail", &g, &h, &m, s, t);

    // 100 × 100 random nodes, fixed seed (splitmix64).
    let mut state = 0x5eed_u64;
    let mut next = || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        ((z ^ (z >> 31)) % g.lat.len() as u64) as u32
    };
    let sources: Vec<Vec<(u32, u64)>> = (0..100).map(|_| vec![(next(), 0)]).collect();
    let targets: Vec<Vec<(u32, u64)>> = (0..100).map(|_| vec![(next(), 0)]).collect();
    let mut times = Vec::new();
    let mut table = Vec::new();
    for _ in 0..10 {
        let start = Instant::now();
        table = matrix(&h, &m, &sources, &targets);
        times.push(start.elapsed());
    }
    for row in [0, 37, 99] {
        let dist = dijkstra(&g, sources[row][0].0);
        for (col, t) in targets.iter().enumerate() {
            let want = dist[t[0].0 as usize];
            let got = table[row * 100 + col].unwrap_or(u64::MAX);
            assert_eq!(got, want, "matrix[{row}][{col}] disagrees with Dijkstra");
        }
    }
    let reachable = table.iter().filter(|d| d.is_some()).count();
    println!(
        "\n100 × 100 matrix: median {:.2?} over 10 runs on {} threads, {reachable} pairs reachable (scgraph: 5.0 s)",
        median(times),
        rayon::current_num_threads()
    );

    if std::env::var_os("RAIL_BENCH_ALL_MODES").is_some() {
        let t = Instant::now();
        let (g, roads) = load_all_modes();
        println!(
            "\nrail + road + sea graph: {} nodes, {} arcs (loaded in {:.2?})",
            g.lat.len(),
            g.head.len(),
            t.elapsed()
        );
        let t = Instant::now();
        let h = Hierarchy::build(&g.first_out, &g.head, &g.lat, &g.lon);
        let build = t.elapsed();
        let t = Instant::now();
        let m = h.customize(&g.weight);
        println!(
            "build {build:.2?}, customize {:.2?}; hierarchy: {} arcs, height {}",
            t.elapsed(),
            h.arc_count(),
            h.height()
        );
        // Chongqing's rail node to the road node nearest Duisburg.
        let (lat, lon) = PAIRS[0].1.1;
        let d = |i: usize| (g.lat[i] - lat).powi(2) + (g.lon[i] - lon).powi(2);
        let t = roads
            .min_by(|&a, &b| d(a).total_cmp(&d(b)))
            .expect("road nodes") as u32;
        time_sweeps("all modes", &g, &h, &m, s, t);
    }
}

/// Times one-to-all distances from `s` and to `t` (medians of 20, buffers
/// reused), checked against Dijkstra (the weights are symmetric, so the
/// distances to `t` are those from `t`).
fn time_sweeps(label: &str, g: &Graph, h: &Hierarchy, m: &Metric, s: u32, t: u32) {
    let mut sweep = Sweep::new();
    let mut out = Vec::new();
    for (what, node, forward) in [
        ("from one node to all", s, true),
        ("from all to one node", t, false),
    ] {
        let mut times = Vec::new();
        for _ in 0..20 {
            let start = Instant::now();
            if forward {
                sweep.from_sources(h, m, &[(node, 0)], &mut out);
            } else {
                sweep.to_targets(h, m, &[(node, 0)], &mut out);
            }
            times.push(start.elapsed());
        }
        assert!(
            out == dijkstra(g, node),
            "{label}: distances {what} ({node}) disagree with Dijkstra"
        );
        let start = Instant::now();
        let fresh = if forward {
            distances_to_all(h, m, &[(node, 0)])
        } else {
            distances_from_all(h, m, &[(node, 0)])
        };
        let once = start.elapsed();
        assert!(fresh == out);
        let reached = out.iter().filter(|&&d| d != u64::MAX).count();
        println!(
            "{label}: distances {what} ({} nodes, PHAST): median {:.2?} over 20 runs \
             with Sweep, {once:.2?} allocating; {reached} nodes reached",
            g.lat.len(),
            median(times)
        );
    }
}
