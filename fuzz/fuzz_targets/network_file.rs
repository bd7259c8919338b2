//! The network file reader: header, section table, core sections and the
//! search structures stored as extensions. Each input is tried twice: as
//! it is (the header checks), and with a consistent header (magic,
//! version, length and both checksums recomputed), so mutations reach the
//! section table and the structural checks. A file that opens must be
//! safe to use: every accessor, the gazetteer, nearest-node lookup and
//! the engine's loading of its hierarchies run on it without a panic.
#![no_main]

use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use silkroute_graph::Network;
use silkroute_model::{LatLon, ModeSet, NodeId};

fuzz_target!(|data: &[u8]| {
    let mut words = vec![0u64; data.len() / 8];
    for (w, c) in words.iter_mut().zip(data.chunks_exact(8)) {
        *w = u64::from_le_bytes(c.try_into().unwrap());
    }
    if let Ok(net) = Network::from_image(words) {
        exercise(net);
    }
    if let Some(words) = silkroute_fuzz::with_valid_header(data)
        && let Ok(net) = Network::from_image(words)
    {
        exercise(net);
    }
});

fn exercise(net: Network) {
    let n = net.node_count();
    for v in 0..n as u32 {
        let v = NodeId(v);
        let _ = (net.pos(v), net.kind(v), net.node_modes(v), net.country(v), net.name(v));
        for a in net.arcs(v) {
            let _ = (net.arc_head()[a], net.arc_length_m()[a], net.arc_mode()[a]);
            let _ = net.arc_element(a).map(|k| net.element(k).clone());
        }
        for column in 0..silkroute_graph::components::COLUMNS {
            if let Some(c) = net.component(v, column) {
                let _ = net.component_sizes(column)[c as usize];
            }
        }
    }
    let _ = net.places();
    let _ = net.kd_tree().nearest(LatLon::new(40.0, 80.0), 4, &mut |_| true);
    for k in 0..silkroute_graph::format::EXTENSION_COUNT {
        let _ = net.extension(k);
    }
    let _ = silkroute_route::curated::decode(
        net.extension(silkroute_route::curated::SECTION).unwrap_or(&[]),
        n,
    );
    let _ = silkroute_route::fast::extensions_current(&net);
    let engine = silkroute_route::fast::Engine::new(
        Arc::new(net),
        silkroute_route::fast::EngineOptions::default(),
    );
    for modes in [ModeSet::travel(), ModeSet::EMPTY] {
        engine.warm_scenarios(modes);
        let _ = engine.hierarchy_for(modes);
    }
}
