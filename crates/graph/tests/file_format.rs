//! The network file refuses to be misread: truncated, corrupt, foreign and
//! other-version files each get their own one-line error, and a write that
//! fails leaves the previous file in place.

use silkroute_graph::{Error, Network, RawEdge, RawElement, RawNetwork, RawNode, compile, format};
use silkroute_model::{Mode, NoProgress, NodeId};

/// A triangle of rail with a detached road edge:
///
/// ```text
///   0 ---- 1        3 ==== 4   (road)
///    \    /
///     \  /
///      2
/// ```
fn tiny() -> RawNetwork {
    let mut raw = RawNetwork {
        fingerprint: 42,
        ..Default::default()
    };
    for (lat, lon) in [
        (0.0, 0.0),
        (0.0, 1.0),
        (-1.0, 0.5),
        (10.0, 10.0),
        (10.0, 11.0),
    ] {
        raw.add_node(RawNode::junction(lat, lon));
    }
    raw.edges.push(RawEdge::new(0, 1, 111_000, Mode::Rail));
    raw.edges.push(RawEdge::new(1, 2, 124_000, Mode::Rail));
    raw.edges.push(RawEdge::new(2, 0, 124_000, Mode::Rail));
    raw.edges.push(RawEdge::new(3, 4, 109_000, Mode::Road));
    raw
}

fn written(dir: &tempfile::TempDir) -> std::path::PathBuf {
    let image = compile::build_image(&tiny(), &NoProgress).unwrap();
    let path = dir.path().join("tiny.srnet");
    format::write_atomically(&path, &image).unwrap();
    path
}

#[test]
fn round_trip_keeps_everything() {
    let dir = tempfile::tempdir().unwrap();
    let net = Network::open(&written(&dir)).unwrap();
    assert_eq!(net.node_count(), 5);
    assert_eq!(net.arc_count(), 8);
    assert_eq!(net.fingerprint(), 42);
    assert_eq!(net.arcs(NodeId(0)).len(), 2);
    assert!((net.pos(NodeId(2)).lon - 0.5).abs() < 1e-7);
    // Rail: one component of 3 nodes; road: one of 2.
    assert_eq!(net.component_sizes(0), &[3]);
    assert_eq!(net.component_sizes(1), &[2]);
    assert_eq!(net.component(NodeId(3), 0), None);
}

#[test]
fn truncated_file_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = written(&dir);
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() - 100]).unwrap();
    let err = Network::open(&path).err().unwrap();
    assert!(matches!(err, Error::Truncated { .. }), "{err}");
    assert!(err.to_string().contains("truncated"));
}

#[test]
fn flipped_byte_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = written(&dir);
    let mut bytes = std::fs::read(&path).unwrap();
    let i = bytes.len() / 2;
    bytes[i] ^= 0x40;
    std::fs::write(&path, &bytes).unwrap();
    let err = Network::open(&path).err().unwrap();
    assert!(matches!(err, Error::Corrupt { .. }), "{err}");
    assert!(!err.to_string().contains('\n'));
}

#[test]
fn other_version_and_foreign_files_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let path = written(&dir);
    let mut bytes = std::fs::read(&path).unwrap();
    bytes[8] = bytes[8].wrapping_add(1);
    std::fs::write(&path, &bytes).unwrap();
    assert!(matches!(
        Network::open(&path),
        Err(Error::WrongVersion { .. })
    ));
    std::fs::write(&path, b"{\"type\": \"FeatureCollection\"}").unwrap();
    assert!(matches!(
        Network::open(&path),
        Err(Error::NotANetwork { .. })
    ));
    std::fs::write(&path, b"").unwrap();
    assert!(matches!(
        Network::open(&path),
        Err(Error::NotANetwork { .. })
    ));
}

#[test]
fn failed_write_keeps_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = written(&dir);
    let before = std::fs::read(&path).unwrap();
    // Writing where the target is a directory fails at the rename; the old
    // file elsewhere is untouched and no temporary file is left behind.
    let blocked = dir.path().join("blocked");
    std::fs::create_dir(&blocked).unwrap();
    std::fs::write(blocked.join("x"), b"keep").unwrap();
    let image = compile::build_image(&tiny(), &NoProgress).unwrap();
    assert!(format::write_atomically(&blocked, &image).is_err());
    assert_eq!(std::fs::read(&path).unwrap(), before);
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn invalid_raw_networks_are_refused() {
    let mut raw = tiny();
    raw.edges.push(RawEdge::new(0, 99, 1, Mode::Rail));
    assert!(matches!(
        compile::build_image(&raw, &NoProgress),
        Err(Error::InvalidInput(_))
    ));
    let mut raw = tiny();
    raw.edges.push(RawEdge::new(1, 1, 1, Mode::Rail));
    assert!(matches!(
        compile::build_image(&raw, &NoProgress),
        Err(Error::InvalidInput(_))
    ));
    // An edge may not refer to a curated element that does not exist.
    let mut raw = tiny();
    raw.edges[0].element = Some(0);
    assert!(matches!(
        compile::build_image(&raw, &NoProgress),
        Err(Error::InvalidInput(_))
    ));
}

#[test]
fn curated_elements_round_trip() {
    let mut raw = tiny();
    raw.elements.push(RawElement {
        kind: silkroute_graph::ELEMENT_CROSSING,
        id: "x-y".into(),
        name: "X – Y".into(),
        basis: "dwell 2–6 h, published".into(),
        dwell_h: 4.0,
        fee_usd: f32::NAN,
        crossing_h: f32::NAN,
        wait_h: f32::NAN,
    });
    raw.edges[1].element = Some(0);
    let net = Network::from_image(compile::build_image(&raw, &NoProgress).unwrap()).unwrap();
    assert_eq!(net.element_count(), 1);
    let e = net.element(0);
    assert_eq!((e.id.as_str(), e.name.as_str()), ("x-y", "X – Y"));
    assert_eq!(e.kind, "crossing");
    assert_eq!(e.dwell_h, Some(4.0));
    assert_eq!((e.fee_usd, e.crossing_h, e.wait_h), (None, None, None));
    // Both directions of edge 1 (nodes 1 and 2) carry it, no other arc does.
    let carrying: Vec<usize> = (0..net.arc_count())
        .filter(|a| net.arc_element(*a).is_some())
        .collect();
    assert_eq!(carrying.len(), 2);
    for a in carrying {
        let head = net.arc_head()[a];
        assert!(head == 1 || head == 2);
    }
    // A network without elements has none.
    let plain = Network::from_image(compile::build_image(&tiny(), &NoProgress).unwrap()).unwrap();
    assert_eq!(plain.element_count(), 0);
    assert!(plain.arc_elements().is_empty());
}

/// The corruption matrix: a file truncated at every eighth offset, or with
/// one byte flipped anywhere in the checked header, the section table or
/// the payload, is refused with one error, and opening it never panics.
/// (Only the header's 16 reserved bytes carry no meaning and no check.)
#[test]
fn every_truncation_and_flipped_byte_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read(written(&dir)).unwrap();
    let bad = dir.path().join("bad.srnet");
    let refused = |bytes: &[u8], what: &str| {
        std::fs::write(&bad, bytes).unwrap();
        let opened = std::panic::catch_unwind(|| Network::open(&bad).map(|_| ()));
        match opened {
            Err(_) => panic!("{what}: opening panicked"),
            Ok(Ok(())) => panic!("{what}: a damaged file opened"),
            Ok(Err(e)) => {
                let line = e.to_string();
                assert!(!line.contains('\n') && !line.is_empty(), "{what}: {line}");
            }
        }
    };
    for len in (0..good.len())
        .step_by(8)
        .chain([1, 7, 63, 65, good.len() - 1])
    {
        refused(&good[..len], &format!("truncated at {len}"));
    }
    let mut bytes = good.clone();
    for i in (0..48).chain(64..good.len()) {
        for bit in [0x01u8, 0x80] {
            bytes[i] ^= bit;
            refused(&bytes, &format!("bit {bit:#x} of byte {i} flipped"));
            bytes[i] ^= bit;
        }
    }
    // A payload length that would overflow, with a header checksum that
    // matches it, is refused, not a panic.
    let mut huge = good.clone();
    huge[24..32].copy_from_slice(&u64::MAX.to_le_bytes());
    let sum = xxhash_rust::xxh3::xxh3_64(&huge[0..40]);
    huge[40..48].copy_from_slice(&sum.to_le_bytes());
    refused(&huge, "payload length u64::MAX");
}

/// A directory, a device or a FIFO named as a network is refused by its
/// type, with a message that says what it is, before it is read: a FIFO
/// without a writer once blocked `open` forever, and a directory or
/// `/dev/null` said "No such device (os error 19)".
#[cfg(unix)]
#[test]
fn non_regular_files_are_refused_before_opening() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("net.fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    for (path, kind) in [
        (dir.path().to_path_buf(), "a directory"),
        (std::path::PathBuf::from("/dev/null"), "a device"),
        (fifo, "a FIFO"),
    ] {
        // On a thread, so a regression that blocks fails instead of hanging.
        let (tx, rx) = std::sync::mpsc::channel();
        let p = path.clone();
        std::thread::spawn(move || {
            let open = Network::open(&p).err().map(|e| e.to_string());
            let peek = Network::peek_fingerprint(&p).err().map(|e| e.to_string());
            let _ = tx.send((open, peek));
        });
        let (open, peek) = rx
            .recv_timeout(std::time::Duration::from_secs(10))
            .unwrap_or_else(|_| panic!("{}: opening blocked", path.display()));
        for e in [open, peek] {
            let e = e.unwrap_or_else(|| panic!("{}: opened", path.display()));
            assert_eq!(
                e,
                format!(
                    "{}: is {kind}; give a network file built by `silkroute build`",
                    path.display()
                )
            );
        }
    }
}

/// A section table whose checksums match but whose entries do not
/// describe the file's layout is refused: one array read as another
/// (arc lengths pointed at the arc heads) once opened and answered with
/// lengths that were node ids; a section inside the header or the table,
/// or bytes after the last section, the same.
#[test]
fn a_checksummed_but_inconsistent_section_table_is_refused() {
    let good: Vec<u8> = bytemuck_bytes(&compile::build_image(&tiny(), &NoProgress).unwrap());
    let entry = |bytes: &[u8], id: u32| -> usize {
        let count = u32::from_le_bytes(bytes[12..16].try_into().unwrap()) as usize;
        (0..count)
            .map(|i| 64 + 24 * i)
            .find(|p| u32::from_le_bytes(bytes[*p..*p + 4].try_into().unwrap()) == id)
            .unwrap()
    };
    let resealed = |mut bytes: Vec<u8>| -> Vec<u64> {
        let len = bytes.len() as u64 - 64;
        bytes[24..32].copy_from_slice(&len.to_le_bytes());
        let payload = xxhash_rust::xxh3::xxh3_64(&bytes[64..]);
        bytes[32..40].copy_from_slice(&payload.to_le_bytes());
        let header = xxhash_rust::xxh3::xxh3_64(&bytes[0..40]);
        bytes[40..48].copy_from_slice(&header.to_le_bytes());
        bytes
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().unwrap()))
            .collect()
    };
    let refused = |bytes: Vec<u8>, what: &str| match Network::from_image(resealed(bytes)) {
        Ok(_) => panic!("{what}: opened"),
        Err(e) => assert!(matches!(e, Error::Corrupt { .. }), "{what}: {e}"),
    };
    // The unchanged file, resealed, still opens (the helper is sound).
    assert!(Network::from_image(resealed(good.clone())).is_ok());
    let heads = entry(&good, format::Section::ArcHead as u32);
    let lengths = entry(&good, format::Section::ArcLengthM as u32);
    let mut aliased = good.clone();
    let head_offset = aliased[heads + 8..heads + 16].to_vec();
    aliased[lengths + 8..lengths + 16].copy_from_slice(&head_offset);
    refused(aliased, "arc lengths aliased to arc heads");
    let mut in_header = good.clone();
    in_header[lengths + 8..lengths + 16].copy_from_slice(&0u64.to_le_bytes());
    refused(in_header, "a section at offset 0");
    let mut trailing = good.clone();
    trailing.extend([0u8; 8]);
    refused(trailing, "8 bytes after the last section");
}

fn bytemuck_bytes(words: &[u64]) -> Vec<u8> {
    words.iter().flat_map(|w| w.to_le_bytes()).collect()
}
