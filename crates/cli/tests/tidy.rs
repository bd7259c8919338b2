//! Keeps the codebase honest cheaply: every Rust source file opens with a
//! `//!` comment saying what it owns (see ARCHITECTURE.md).

use std::path::Path;

fn visit(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            visit(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn every_source_file_has_a_header_comment() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    visit(&crates, &mut files);
    assert!(files.len() > 10);
    let missing: Vec<String> = files
        .iter()
        .filter(|f| {
            !std::fs::read_to_string(f)
                .unwrap()
                .trim_start()
                .starts_with("//!")
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(
        missing.is_empty(),
        "files without a //! header: {missing:?}"
    );
}

/// The `[dependencies]` table of a crate's manifest, one name per entry.
fn dependencies(manifest: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(manifest).unwrap();
    let value: toml::Table = text.parse().unwrap();
    value
        .get("dependencies")
        .and_then(|d| d.as_table())
        .map(|d| d.keys().cloned().collect())
        .unwrap_or_default()
}

/// The shells sit on the API crate: of silkroute's crates the CLI uses only
/// `silkroute-api` and the server shell it starts (`silkroute serve`), and
/// the server and the Python package only `silkroute-api`, so every rule
/// they apply lives below.
#[test]
fn the_shells_depend_on_the_api_crate_alone() {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ours = |manifest: &Path| -> Vec<String> {
        dependencies(manifest)
            .into_iter()
            .filter(|d| d.starts_with("silkroute"))
            .collect()
    };
    assert_eq!(
        ours(&here.join("Cargo.toml")),
        ["silkroute-api", "silkroute-server"]
    );
    assert_eq!(ours(&here.join("../server/Cargo.toml")), ["silkroute-api"]);
    assert_eq!(
        ours(&here.join("../silkroute-py/Cargo.toml")),
        ["silkroute-api"]
    );
}

/// The API crate knows no transport or terminal: no clap, HTTP, pyo3 or
/// progress-bar crate; the engine crates know no serde.
#[test]
fn the_api_and_engine_crates_know_no_shell() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let shell = [
        "clap",
        "axum",
        "tokio",
        "hyper",
        "pyo3",
        "indicatif",
        "ctrlc",
    ];
    let api = dependencies(&crates.join("api/Cargo.toml"));
    let bad: Vec<&String> = api.iter().filter(|d| shell.contains(&d.as_str())).collect();
    assert!(bad.is_empty(), "silkroute-api depends on {bad:?}");
    for engine in ["model", "graph", "hierarchy", "route"] {
        let deps = dependencies(&crates.join(engine).join("Cargo.toml"));
        let bad: Vec<&String> = deps
            .iter()
            .filter(|d| shell.contains(&d.as_str()) || d.starts_with("serde"))
            .collect();
        assert!(bad.is_empty(), "crates/{engine} depends on {bad:?}");
    }
}
