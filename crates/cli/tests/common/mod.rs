//! What the CLI test binaries share: the binary with a private cache, a
//! scratch directory per test binary, the world network compiled once per
//! binary into it, and running a command on that network. Each binary uses
//! part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

use serde_json::Value;

/// This test binary's scratch directory (created on first use: tests run
/// in parallel, in any order).
pub fn tmp() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("silkroute-{}-tests", env!("CARGO_CRATE_NAME")));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The `silkroute` binary, with its default cache in [`tmp`].
pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_silkroute"));
    c.env_remove("SILKROUTE_NETWORK")
        .env("SILKROUTE_CACHE", tmp().join("cache"));
    c
}

/// The world network, compiled once per test binary, or the one
/// `scripts/test` compiled for every suite (`SILKROUTE_TEST_NETWORK`).
pub fn world() -> &'static Path {
    static WORLD: OnceLock<PathBuf> = OnceLock::new();
    WORLD.get_or_init(|| {
        if let Some(p) = std::env::var_os("SILKROUTE_TEST_NETWORK").filter(|p| !p.is_empty()) {
            return PathBuf::from(p);
        }
        let path = tmp().join("world.srnet");
        let out = bin()
            .args(["build", "--quiet", "--out"])
            .arg(&path)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        path
    })
}

/// Runs `silkroute --network <world> ARGS`.
pub fn run(args: &[&str]) -> Output {
    bin()
        .arg("--network")
        .arg(world())
        .args(args)
        .output()
        .unwrap()
}

/// The JSON a successful command printed (`args` label the failure).
pub fn json_of(args: &[&str], out: Output) -> Value {
    assert!(out.status.success(), "{args:?}: {}", stderr(&out));
    serde_json::from_slice(&out.stdout).unwrap()
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Writes `text` to `name` in [`tmp`]; returns the path.
pub fn file(name: &str, text: &str) -> String {
    let p = tmp().join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}
