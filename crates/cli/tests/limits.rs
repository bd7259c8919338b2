//! The documented limits are the enforced ones: the README's "Limits and
//! errors" section states the API's constants and the exit code of every
//! error code, and a request past a limit is refused with `TooBig` (exit
//! status 2) before any work.

mod common;

use common::{file, run, stderr};

fn readme_section() -> String {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).unwrap();
    let start = text.find("## Limits and errors").expect("the section");
    let rest = &text[start + 3..];
    rest[..rest.find("\n## ").unwrap_or(rest.len())].to_string()
}

/// 4000000 as "4,000,000".
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[test]
fn the_readme_states_the_enforced_limits_and_every_error_code() {
    let s = readme_section();
    let limits = silkroute_server::Limits::default();
    for (name, n) in [
        ("MAX_MATRIX_CELLS", silkroute_api::service::MAX_MATRIX_CELLS),
        ("MAX_VIAS", silkroute_api::constraints::MAX_VIAS),
        ("route coordinates", limits.route_coordinates),
        ("table coordinates", limits.table_coordinates),
        ("pairs", limits.pairs),
        ("concurrency", limits.concurrency),
    ] {
        assert!(
            s.contains(&thousands(n)),
            "{name} = {n} is not in the README"
        );
    }
    assert!(s.contains(&format!("{} s", limits.timeout.as_secs())));
    for code in silkroute_api::Code::ALL {
        let row = s
            .lines()
            .find(|l| l.starts_with(&format!("| `{code}` |")))
            .unwrap_or_else(|| panic!("{code} has no row"));
        let exit = match code.is_input() {
            true => "2",
            false => match code {
                silkroute_api::Code::NoSegment | silkroute_api::Code::NoRoute => "3",
                silkroute_api::Code::Cancelled => "130",
                _ => "1",
            },
        };
        assert!(row.contains(&format!("| {exit} |")), "{row}");
    }
}

#[test]
fn too_many_vias_are_refused_before_any_work() {
    let mut args = vec!["route", "--from", "Shanghai", "--to", "Hamburg"];
    let n = silkroute_api::constraints::MAX_VIAS + 1;
    for _ in 0..n {
        args.extend(["--via", "Almaty"]);
    }
    let o = run(&args);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("{n} --via places; a route takes at most")),
        "{}",
        stderr(&o)
    );
}

#[test]
fn a_matrix_past_the_cell_limit_is_refused_with_too_big() {
    let max = silkroute_api::service::MAX_MATRIX_CELLS;
    // 2,001 origins × 2,000 destinations: one row too many.
    let mut from = String::from("lat,lon\n");
    for i in 0..2001 {
        from.push_str(&format!(
            "{},{}\n",
            30.0 + (i / 50) as f64 * 0.5,
            20.0 + (i % 50) as f64
        ));
    }
    let mut to = String::from("lat,lon\n");
    for i in 0..2000 {
        to.push_str(&format!(
            "{},{}\n",
            31.0 + (i / 50) as f64 * 0.5,
            20.0 + (i % 50) as f64
        ));
    }
    let (from, to) = (file("lim-from.csv", &from), file("lim-to.csv", &to));
    let o = run(&["matrix", "--from", &from, "--to", &to, "--format", "json"]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(&format!("more than the {max}")),
        "{}",
        stderr(&o)
    );
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["code"], "TooBig");
}
