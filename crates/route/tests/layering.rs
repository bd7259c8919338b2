//! Keeps the crate's modules layered: `src/lib.rs` declares them in
//! dependency order (leaf types first, then metric, penalties, search, snap,
//! explain, then the orchestration), and each module may name only the
//! modules declared above it. A reference to a later module is a cycle in
//! the making; this test names the file, the line and the two modules.

use std::path::Path;

/// The crate's modules in declaration order.
fn declared(src: &Path) -> Vec<String> {
    std::fs::read_to_string(src.join("lib.rs"))
        .unwrap()
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod "))
        .map(|m| m.trim_end_matches(';').to_string())
        .collect()
}

/// The crate modules a line of code names (`crate::x`, `crate::{x, y}`).
fn named(line: &str, modules: &[String]) -> Vec<String> {
    let code = line.split("//").next().unwrap_or("");
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let inner = group.split('}').next().unwrap_or("");
            for item in inner.split(',') {
                let head = item.trim().split("::").next().unwrap_or("").trim();
                out.push(head.to_string());
            }
        } else {
            let head: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.push(head);
        }
    }
    out.retain(|m| modules.contains(m));
    out
}

#[test]
fn each_module_names_only_modules_declared_before_it() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let modules = declared(&src);
    assert!(modules.len() > 10, "lib.rs declares {modules:?}");
    let mut wrong = Vec::new();
    for (i, m) in modules.iter().enumerate() {
        let mut files = vec![src.join(format!("{m}.rs"))];
        if let Ok(dir) = std::fs::read_dir(src.join(m)) {
            files.extend(dir.flatten().map(|e| e.path()));
        }
        for f in files.iter().filter(|f| f.exists()) {
            let text = std::fs::read_to_string(f).unwrap();
            // A module's own tests may use anything.
            let code = text.split("#[cfg(test)]").next().unwrap_or("");
            for (n, line) in code.lines().enumerate() {
                for other in named(line, &modules) {
                    let j = modules.iter().position(|x| *x == other).unwrap();
                    if j >= i && other != *m {
                        wrong.push(format!(
                            "{}:{}: `{m}` names `{other}`, declared after it",
                            f.display(),
                            n + 1
                        ));
                    }
                }
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_reader_finds_grouped_and_plain_paths() {
    let modules: Vec<String> = ["metric", "search", "snap"].map(String::from).to_vec();
    assert_eq!(
        named("use crate::{metric, search::Found};", &modules),
        ["metric", "search"]
    );
    assert_eq!(
        named("    let x = crate::snap::f(); // crate::metric", &modules),
        ["snap"]
    );
}
