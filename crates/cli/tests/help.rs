//! Help that does not mislead: every option of every subcommand has a
//! description; an empty `SILKROUTE_NETWORK=` is ignored.

mod common;

use common::{bin, stderr};

fn help(path: &[String]) -> String {
    let o = bin().args(path).arg("--help").output().unwrap();
    assert!(o.status.success(), "{path:?}: {}", stderr(&o));
    String::from_utf8(o.stdout).unwrap()
}

/// The subcommands listed under `Commands:` (without `help`).
fn subcommands(text: &str) -> Vec<String> {
    text.lines()
        .skip_while(|l| *l != "Commands:")
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .map(str::to_string)
        .collect()
}

/// The options of a long `--help` whose first line after the option is
/// not a description (empty, or only a default or the possible values).
fn undescribed(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        let t = l.trim_start();
        let is_option = l.starts_with("  ")
            && !l.starts_with("          ")
            && (t.starts_with("--") || (t.starts_with('-') && t.get(2..4) == Some(", ")));
        if !is_option {
            continue;
        }
        // The compact layout puts the description on the option's line.
        if t.trim_end().contains("  ") {
            continue;
        }
        let next = lines.get(i + 1).map_or("", |n| n.trim());
        if next.is_empty()
            || next.starts_with('[')
            || next.starts_with('-')
            || next.starts_with("Possible values")
        {
            out.push(t.to_string());
        }
    }
    out
}

#[test]
fn every_option_of_every_subcommand_has_a_description() {
    let mut missing = Vec::new();
    let mut todo: Vec<Vec<String>> = vec![Vec::new()];
    let mut seen = 0;
    while let Some(path) = todo.pop() {
        let text = help(&path);
        seen += 1;
        for o in undescribed(&text) {
            missing.push(format!("silkroute {} {o}", path.join(" ")));
        }
        for c in subcommands(&text) {
            let mut p = path.clone();
            p.push(c);
            todo.push(p);
        }
    }
    assert!(seen > 10, "only {seen} help pages");
    assert!(
        missing.is_empty(),
        "options without a description:\n{}",
        missing.join("\n")
    );
}

#[test]
fn an_empty_silkroute_network_is_ignored() {
    let o = bin()
        .env("SILKROUTE_NETWORK", "")
        .args(["route", "--help"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    // With a network given by --network, the empty variable does not stand
    // in for a missing value.
    let o = bin()
        .env("SILKROUTE_NETWORK", "")
        .args(["--network", "/nonexistent/world.srnet", "inspect"])
        .output()
        .unwrap();
    assert!(
        !stderr(&o).contains("a value is required"),
        "{}",
        stderr(&o)
    );
    let o = bin()
        .env("SILKROUTE_NETWORK", "")
        .arg("--network")
        .arg(common::world())
        .args(["route", "--from", "Shanghai", "--to", "Hamburg"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
}
