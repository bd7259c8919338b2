//! What the fuzz targets share: a tiny network and a small gazetteer, built
//! in memory (the world network is 192 MB and takes a build), so every
//! parser that needs places or a network runs against real ones.
//!
//! The network: rail and road in China and Kazakhstan, a sea leg through
//! Suez, with named places (cities with homonyms, a seaport, an airport,
//! Chinese names) for place queries, `--avoid` and `--via`.

use std::sync::OnceLock;

use silkroute_graph::{Network, RawEdge, RawNetwork, RawNode, compile};
use silkroute_model::{LatLon, Mode, NoProgress, NodeKind, Passage, Place, PlaceKind};
use silkroute_route::places::Gazetteer;

fn place(kind: PlaceKind, code: &str, name: &str, zh: &[&str], cc: &str, lat: f64, lon: f64, population: u32) -> Place {
    Place {
        kind,
        code: code.into(),
        name: name.into(),
        names_zh: zh.iter().map(|s| s.to_string()).collect(),
        country: cc.into(),
        pos: LatLon::new(lat, lon),
        population,
    }
}

/// The places of [`network`], also its gazetteer.
pub fn places() -> Vec<Place> {
    use PlaceKind::*;
    vec![
        place(City, "", "Chongqing", &["重庆"], "CN", 29.56, 106.55, 7_457_600),
        place(City, "", "Xi'an", &["西安"], "CN", 34.26, 108.93, 6_501_190),
        place(City, "", "Ürümqi", &["乌鲁木齐"], "CN", 43.80, 87.60, 3_029_372),
        place(City, "", "Almaty", &[], "KZ", 43.25, 76.92, 2_000_900),
        place(City, "", "Duisburg", &[], "DE", 51.43, 6.76, 495_885),
        place(City, "", "Hamburg", &["汉堡"], "DE", 53.55, 9.99, 1_845_229),
        place(City, "", "Saint Petersburg", &[], "RU", 59.94, 30.31, 5_351_935),
        place(City, "", "St. Petersburg", &[], "US", 27.77, -82.68, 258_308),
        place(City, "", "Springfield", &[], "US", 39.80, -89.64, 116_250),
        place(City, "", "Springfield", &[], "US", 37.22, -93.30, 169_176),
        place(Seaport, "CNSHA", "Shanghai", &["上海"], "CN", 31.23, 121.47, 0),
        place(Seaport, "NLRTM", "Rotterdam", &[], "NL", 51.92, 4.48, 0),
        place(Airport, "PVG", "Shanghai Pudong International Airport", &[], "CN", 31.14, 121.81, 0),
        place(Locode, "DEDUI", "Duisburg", &[], "DE", 51.43, 6.76, 0),
        place(Terminal, "CNXIY-PORT", "Xi'an International Port", &[], "CN", 34.40, 109.05, 0),
        place(BorderCrossing, "khorgos-altynkol", "Khorgos – Altynkol", &[], "CN", 44.21, 80.41, 0),
    ]
}

/// A small network: nodes near every place of [`places`], joined by rail
/// and road, a sea leg through Suez between Shanghai and Rotterdam, two
/// countries on the rail line.
pub fn network() -> &'static Network {
    static NET: OnceLock<Network> = OnceLock::new();
    NET.get_or_init(|| {
        let mut raw = RawNetwork {
            fingerprint: 7,
            places: places(),
            ..Default::default()
        };
        let node = |raw: &mut RawNetwork, lat: f64, lon: f64, cc: &[u8; 2], kind: NodeKind| {
            raw.add_node(RawNode {
                pos: LatLon::new(lat, lon),
                kind,
                country: Some(*cc),
                name: None,
            })
        };
        let cq = node(&mut raw, 29.56, 106.55, b"CN", NodeKind::Junction);
        let xa = node(&mut raw, 34.26, 108.93, b"CN", NodeKind::Junction);
        let ur = node(&mut raw, 43.80, 87.60, b"CN", NodeKind::Junction);
        let kh = node(&mut raw, 44.21, 80.41, b"CN", NodeKind::Junction);
        let al = node(&mut raw, 43.25, 76.92, b"KZ", NodeKind::Junction);
        let du = node(&mut raw, 51.43, 6.76, b"DE", NodeKind::Junction);
        let sh = node(&mut raw, 31.23, 121.47, b"CN", NodeKind::Seaport);
        let sz = node(&mut raw, 30.0, 32.55, b"EG", NodeKind::Junction);
        let rt = node(&mut raw, 51.92, 4.48, b"NL", NodeKind::Seaport);
        for (a, b, km) in [(cq, xa, 700), (xa, ur, 2_500), (ur, kh, 650), (kh, al, 350), (al, du, 6_000)] {
            raw.edges.push(RawEdge::new(a, b, km * 1_000, Mode::Rail));
            raw.edges.push(RawEdge::new(a, b, km * 1_100, Mode::Road));
        }
        raw.edges.push(RawEdge::new(cq, sh, 1_700_000, Mode::Road));
        raw.edges.push(RawEdge::new(rt, du, 230_000, Mode::Road));
        let mut suez = RawEdge::new(sh, sz, 15_000_000, Mode::Sea);
        suez.passage = Some(Passage::Suez);
        raw.edges.push(suez);
        raw.edges.push(RawEdge::new(sz, rt, 6_000_000, Mode::Sea));
        let image = compile::build_image(&raw, &NoProgress).expect("the fixture compiles");
        Network::from_image(image).expect("the fixture opens")
    })
}

/// The gazetteer of [`places`].
pub fn gazetteer() -> &'static Gazetteer {
    static GAZ: OnceLock<Gazetteer> = OnceLock::new();
    GAZ.get_or_init(|| Gazetteer::new(places()))
}

/// The tiny network's file with its search structures (hierarchies,
/// Pareto cells) as extension sections, as `silkroute build` writes them:
/// the seed of the `network_file` target.
pub fn network_file_bytes() -> Vec<u8> {
    let net = network();
    let extensions =
        silkroute_route::fast::build_extensions(net, &NoProgress).expect("not cancelled");
    let (mut file, fingerprint) =
        silkroute_graph::format::FileImage::from_image(net.image_bytes()).expect("it opened");
    for (k, data) in &extensions {
        file.push_extension(*k, data);
    }
    file.finish(fingerprint)
        .iter()
        .flat_map(|w| w.to_le_bytes())
        .collect()
}

/// Rewrites `bytes` into a file whose header is consistent (magic,
/// version, payload length and both checksums match), keeping its section
/// count, section table and sections as they are: so mutations reach the
/// section table and the structural checks instead of stopping at a
/// checksum. Returns `None` for inputs shorter than a header.
pub fn with_valid_header(bytes: &[u8]) -> Option<Vec<u64>> {
    use silkroute_graph::format::{FORMAT_VERSION, HEADER_LEN, MAGIC};
    if bytes.len() < HEADER_LEN {
        return None;
    }
    let len = bytes.len() & !7;
    let mut out = bytes[..len].to_vec();
    out[0..8].copy_from_slice(&MAGIC);
    out[8..12].copy_from_slice(&FORMAT_VERSION.to_le_bytes());
    out[24..32].copy_from_slice(&((len - HEADER_LEN) as u64).to_le_bytes());
    let payload = xxhash_rust::xxh3::xxh3_64(&out[HEADER_LEN..]);
    out[32..40].copy_from_slice(&payload.to_le_bytes());
    let header = xxhash_rust::xxh3::xxh3_64(&out[0..40]);
    out[40..48].copy_from_slice(&header.to_le_bytes());
    let mut words = vec![0u64; len / 8];
    bytemuck_copy(&out, &mut words);
    Some(words)
}

fn bytemuck_copy(bytes: &[u8], words: &mut [u64]) {
    for (w, chunk) in words.iter_mut().zip(bytes.chunks_exact(8)) {
        *w = u64::from_le_bytes(chunk.try_into().unwrap());
    }
}

/// Splits fuzz input into the first byte (a selector) and the rest as text
/// (lossily, so every input reaches the parser).
pub fn selector_and_text(data: &[u8]) -> (u8, String) {
    match data.split_first() {
        Some((s, rest)) => (*s, String::from_utf8_lossy(rest).into_owned()),
        None => (0, String::new()),
    }
}
