//! The files a user names: a directory, a FIFO or a device given to any
//! option that reads a file is refused by its type, before it is opened,
//! with one line that says what it is and what to give (exit 2); a damaged
//! `--network` file is one clear error; a damaged default cache is rebuilt
//! with a note, never trusted.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use common::{bin, file, stderr, tmp, world};

/// Runs `cmd` with no standard input, killing it if it takes longer than
/// ten minutes (a FIFO once blocked `--network` forever): a hang fails the
/// test. The bound is generous because rebuilding a damaged cache takes a
/// world build, which on a shared 2-core machine can take minutes.
fn finished(mut cmd: Command) -> Output {
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > Duration::from_secs(600) {
            let _ = child.kill();
            panic!("{cmd:?} blocked");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap()
}

/// A directory, `/dev/null` and a FIFO of this test's own.
fn non_regular(name: &str) -> Vec<(PathBuf, &'static str)> {
    let dir = tmp().join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let fifo = dir.join("input.fifo");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    vec![
        (dir, "a directory"),
        (PathBuf::from("/dev/null"), "a device"),
        (fifo, "a FIFO"),
    ]
}

fn refused(out: &Output, path: &Path, kind: &str, give: &str, what: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "{what}: {err}");
    assert_eq!(
        err.lines().collect::<Vec<_>>(),
        [format!("error: {}: is {kind}; give {give}", path.display())],
        "{what}"
    );
}

#[cfg(unix)]
#[test]
fn a_directory_fifo_or_device_as_network_is_refused_before_opening() {
    for (path, kind) in non_regular("network") {
        let mut cmd = bin();
        cmd.arg("--network").arg(&path).arg("inspect");
        let out = finished(cmd);
        refused(
            &out,
            &path,
            kind,
            "a network file built by `silkroute build`",
            "--network",
        );
    }
}

#[cfg(unix)]
#[test]
fn a_directory_fifo_or_device_as_any_input_file_is_refused_before_opening() {
    let od = file("od.csv", "from,to\nChongqing,Duisburg\n");
    let net = world().to_string_lossy().into_owned();
    let out_net = tmp().join("never-built.srnet");
    let out_net = out_net.to_str().unwrap();
    let stdin = ", or `-` for standard input";
    // (arguments before the path, the option, arguments after, what to give)
    let cases: Vec<(Vec<&str>, &str, Vec<&str>, String)> = vec![
        (
            vec!["route", "--from", "Chongqing", "--to", "Duisburg"],
            "--cost-model",
            vec![],
            "a TOML cost-model file (see docs/COST_MODEL.md)".into(),
        ),
        (
            vec!["flow", "--od", &od],
            "--cost-model",
            vec![],
            "a TOML cost-model file (see docs/COST_MODEL.md)".into(),
        ),
        (
            vec!["scenario", "run", "red-sea-2024", "--od", &od],
            "--scenarios",
            vec![],
            "a TOML file of scenarios in the schema of data/scenarios/scenarios.toml".into(),
        ),
        (
            vec!["scenario", "run", "red-sea-2024"],
            "--od",
            vec![],
            format!("a CSV file of origin–destination pairs{stdin}"),
        ),
        (
            vec!["flow"],
            "--od",
            vec![],
            format!("a CSV file of origin–destination pairs{stdin}"),
        ),
        (
            vec!["criticality", "--od", &od],
            "--weights",
            vec![],
            format!("a CSV file of from,to,weight rows{stdin}"),
        ),
        (
            vec!["bri-impact"],
            "--places",
            vec![],
            format!("a CSV file of places{stdin}"),
        ),
        (
            vec!["matrix"],
            "--from",
            vec!["--to", &od],
            format!("a CSV file of places{stdin}"),
        ),
        (
            vec!["build", "--out", out_net],
            "--add",
            vec![],
            "a GeoJSON or CSV file in the schemas of docs/USER_DATA.md".into(),
        ),
        (
            vec!["build", "--out", out_net],
            "--osm",
            vec![],
            "an OSM extract (.osm.pbf)".into(),
        ),
    ];
    for (path, kind) in non_regular("inputs") {
        for (before, option, after, give) in &cases {
            let mut cmd = bin();
            cmd.args(["--network", &net])
                .args(before)
                .arg(option)
                .arg(&path)
                .args(after);
            let out = finished(cmd);
            refused(&out, &path, kind, give, &format!("{before:?} {option}"));
        }
    }
    assert!(!Path::new(out_net).exists());
}

/// One byte flipped in a named network's payload is one error line (exit
/// 1: the file is damaged, not the request), never an answer.
#[test]
fn a_damaged_network_file_is_one_clear_error() {
    let path = tmp().join("damaged.srnet");
    let mut bytes = std::fs::read(world()).unwrap();
    let i = bytes.len() / 3;
    bytes[i] ^= 0x10;
    std::fs::write(&path, &bytes).unwrap();
    let mut cmd = bin();
    cmd.arg("--network")
        .arg(&path)
        .args(["route", "--from", "Chongqing", "--to", "Duisburg"]);
    let out = finished(cmd);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(out.stdout.is_empty());
    assert_eq!(
        stderr(&out).lines().collect::<Vec<_>>(),
        [format!(
            "error: {} is corrupt (checksum mismatch); rebuild it with `silkroute build`",
            path.display()
        )]
    );
}

/// The default cache truncated, then with a flipped byte (a flipped header
/// field is refused the same way: graph's corruption matrix): each time it is
/// reported as damaged, rebuilt from the embedded data, and the command
/// answers as on a good network.
#[test]
fn a_damaged_default_cache_is_rebuilt_with_a_note() {
    let dir = tmp().join("damaged-cache");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let cache = dir.join(format!("world-v{}.srnet", silkroute_graph_format_version()));
    let good = std::fs::read(world()).unwrap();
    let inspect = |want_note: &str| {
        let mut cmd = bin();
        cmd.env("SILKROUTE_CACHE", &dir)
            .args(["inspect", "--format", "json"]);
        let out = finished(cmd);
        let err = stderr(&out);
        assert!(out.status.success(), "{err}");
        let note = format!(
            "note: the network cache {} is damaged ({want_note}); rebuilding it",
            cache.display()
        );
        assert!(err.lines().any(|l| l == note), "{err}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert!(v["nodes"].as_u64().unwrap() > 100_000, "{v}");
    };
    // Cut short, as a full disk or a killed copy leaves it (found before
    // the fingerprint is compared, so the test network may be of any build).
    std::fs::write(&cache, &good[..good.len() / 2]).unwrap();
    inspect(&format!(
        "{} bytes, its header promises {}",
        good.len() / 2,
        good.len()
    ));
    // A flipped payload byte in the cache this binary just built (so its
    // fingerprint matches and only the checksum can tell).
    let mut bytes = std::fs::read(&cache).unwrap();
    let i = bytes.len() / 2;
    bytes[i] ^= 0x01;
    std::fs::write(&cache, &bytes).unwrap();
    inspect("checksum mismatch");
}

/// The format version in the default cache's name (`world-vN.srnet`):
/// the test network's, at offset 8 of its header.
fn silkroute_graph_format_version() -> u32 {
    let bytes = std::fs::read(world()).unwrap();
    u32::from_le_bytes(bytes[8..12].try_into().unwrap())
}
