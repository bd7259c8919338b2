//! The documents' console examples are real output: every ```console block
//! of README.md and docs/*.md is run on the world network and compared
//! with what it shows, so an answer that moves fails here until the
//! document is regenerated in the same commit.
//!
//! A block holds commands (`$ silkroute …`, run with `--network` on the
//! test network) each followed by the lines it prints (stdout, then
//! stderr's notes). A line `…` stands for any number of lines. Lines are
//! compared with trailing spaces trimmed. A command with no lines after it
//! must succeed. Blocks that show a user's own files (`docs/USER_DATA.md`,
//! whose commands name files the reader has) are checked for their
//! commands' syntax only, by `--help` parsing of the subcommand. Commands
//! of other programs (`$ python …`) are left to their own suites.

mod common;

use common::{bin, world};

struct Example {
    file: String,
    line: usize,
    args: Vec<String>,
    expected: Vec<String>,
}

/// Splits a shell command line into words (double and single quotes, no
/// escapes: the documents need no more).
fn words(line: &str) -> Vec<String> {
    let (mut out, mut cur, mut quote, mut any) = (Vec::new(), String::new(), None, false);
    for c in line.chars() {
        match (quote, c) {
            (None, '"' | '\'') => {
                quote = Some(c);
                any = true;
            }
            (Some(q), c) if c == q => quote = None,
            (None, ' ') => {
                if any {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            (_, c) => {
                cur.push(c);
                any = true;
            }
        }
    }
    if any {
        out.push(cur);
    }
    out
}

fn examples(file: &str) -> Vec<Example> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let text = std::fs::read_to_string(format!("{root}/{file}")).unwrap();
    let mut out: Vec<Example> = Vec::new();
    let mut inside = false;
    // Lines after a command of another program (`$ python …`) belong to it.
    let mut ours = false;
    for (i, line) in text.lines().enumerate() {
        if line.starts_with("```") {
            inside = line.trim() == "```console";
            continue;
        }
        if !inside {
            continue;
        }
        if let Some(cmd) = line.strip_prefix("$ ") {
            let w = words(cmd);
            ours = w.first().map(String::as_str) == Some("silkroute");
            if !ours {
                continue;
            }
            out.push(Example {
                file: file.into(),
                line: i + 1,
                args: w[1..].to_vec(),
                expected: Vec::new(),
            });
        } else if !ours {
            continue;
        } else if let Some(e) = out.last_mut() {
            e.expected.push(line.trim_end().to_string());
        }
    }
    out
}

/// Whether `actual` shows `expected`, where a `…` line matches any lines.
fn shows(expected: &[String], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((e, rest)) if e == "…" => (0..=actual.len()).any(|k| shows(rest, &actual[k..])),
        Some((e, rest)) => actual
            .split_first()
            .is_some_and(|(a, more)| a.trim_end() == e && shows(rest, more)),
    }
}

fn check(e: &Example) -> Result<(), String> {
    let out = bin()
        .arg("--network")
        .arg(world())
        .args(&e.args)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!(
            "{}:{}: `silkroute {}` failed: {stderr}",
            e.file,
            e.line,
            e.args.join(" ")
        ));
    }
    if e.expected.is_empty() {
        return Ok(());
    }
    let lines: Vec<&str> = stdout.lines().chain(stderr.lines()).collect();
    let only_stdout: Vec<&str> = stdout.lines().collect();
    if shows(&e.expected, &lines) || shows(&e.expected, &only_stdout) {
        Ok(())
    } else {
        Err(format!(
            "{}:{}: `silkroute {}` no longer prints what the document shows.\n--- document\n{}\n--- actual\n{stdout}{stderr}",
            e.file,
            e.line,
            e.args.join(" "),
            e.expected.join("\n")
        ))
    }
}

#[test]
fn every_console_example_in_readme_prints_what_it_shows() {
    let all = examples("README.md");
    assert!(all.len() >= 3, "README has its worked examples");
    let failures: Vec<String> = all.iter().filter_map(|e| check(e).err()).collect();
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_console_example_in_the_guides_prints_what_it_shows() {
    let mut failures = Vec::new();
    let mut checked = 0;
    let docs = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs");
    let mut files: Vec<String> = std::fs::read_dir(docs)
        .unwrap()
        .filter_map(|f| f.ok())
        .map(|f| f.file_name().to_string_lossy().into_owned())
        .filter(|f| f.ends_with(".md"))
        .collect();
    files.sort();
    for f in files {
        let file = format!("docs/{f}");
        for e in examples(&file) {
            checked += 1;
            if f == "USER_DATA.md" {
                // The reader's own files: the command line must parse.
                let mut args = e.args.clone();
                args.push("--help".into());
                let o = bin().args(&args).output().unwrap();
                if !o.status.success() {
                    failures.push(format!(
                        "{file}:{}: `silkroute {}` does not parse: {}",
                        e.line,
                        e.args.join(" "),
                        String::from_utf8_lossy(&o.stderr)
                    ));
                }
                continue;
            }
            if let Err(msg) = check(&e) {
                failures.push(msg);
            }
        }
    }
    assert!(checked > 0, "the guides have console examples");
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn the_matcher_understands_ellipses() {
    let doc = |s: &[&str]| s.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    assert!(shows(&doc(&["a", "…", "d"]), &["a", "b", "c", "d"]));
    assert!(shows(&doc(&["a", "…"]), &["a", "b"]));
    assert!(!shows(&doc(&["a", "d"]), &["a", "b", "d"]));
    assert!(!shows(&doc(&["a"]), &["a", "b"]));
    assert_eq!(
        words(r#"route --from "Xi'an" --to 'Hamburg, DE'"#),
        ["route", "--from", "Xi'an", "--to", "Hamburg, DE"]
    );
}

/// The files the guide's commands name as the reader's own, made from the
/// repository's example data.
fn guide_fixtures(dir: &std::path::Path) {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let read = |f: &str| std::fs::read_to_string(format!("{root}/{f}")).unwrap();
    std::fs::write(dir.join("lanes.csv"), read("data/scenarios/od-eurasia.csv")).unwrap();
    let all_cities = read("data/scenarios/bri-cities-100.csv");
    let cities: Vec<&str> = all_cities.lines().take(21).collect();
    std::fs::write(dir.join("cities.csv"), cities.join("\n") + "\n").unwrap();
    std::fs::write(dir.join("my-cities.csv"), cities.join("\n") + "\n").unwrap();
    // Trade between neighbours in the city list (a flow OD set and
    // criticality weights both).
    let ids: Vec<&str> = cities[1..]
        .iter()
        .map(|l| l.split(',').next().unwrap().trim_matches('"'))
        .collect();
    let mut trade = String::from("from,to,volume,weight\n");
    for (k, w) in ids.windows(2).enumerate() {
        let v = 10_000 * (k + 1);
        trade.push_str(&format!("{},{},{v},{v}\n", w[0], w[1]));
    }
    std::fs::write(dir.join("trade.csv"), trade).unwrap();
}

/// Every `silkroute` line of the guide's ```sh blocks runs and succeeds,
/// in a scratch directory holding the repository's `data/`, the files the
/// guide's ```toml blocks name in their first line (`# mine.toml`), and
/// [`guide_fixtures`]; `printf … > file` lines run too.
#[test]
fn every_command_in_the_guide_runs() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let text = std::fs::read_to_string(format!("{root}/docs/GUIDE.md")).unwrap();
    let dir = common::tmp().join("guide");
    std::fs::create_dir_all(&dir).unwrap();
    let data = dir.join("data");
    if !data.exists() {
        std::os::unix::fs::symlink(format!("{root}/data"), &data).unwrap();
    }
    guide_fixtures(&dir);
    let (mut block, mut lines) = (None::<String>, Vec::new());
    let mut commands = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if let Some(lang) = line.strip_prefix("```") {
            match block.take() {
                None => {
                    block = Some(lang.trim().to_string());
                    lines.clear();
                }
                Some(lang) => {
                    if lang == "toml"
                        && let Some(name) =
                            lines.first().and_then(|l: &String| l.strip_prefix("# "))
                    {
                        std::fs::write(dir.join(name.trim()), lines.join("\n") + "\n").unwrap();
                    }
                }
            }
            continue;
        }
        if let Some(lang) = &block {
            lines.push(line.to_string());
            if lang == "sh" {
                let cmd = line.split("  #").next().unwrap().trim().to_string();
                if cmd.starts_with("silkroute ") || cmd.starts_with("printf ") {
                    commands.push((i + 1, cmd));
                }
            }
        }
    }
    assert!(commands.len() > 20, "the guide's commands were found");
    let exe = env!("CARGO_BIN_EXE_silkroute");
    let mut failures = Vec::new();
    for (line, cmd) in &commands {
        let script = match cmd.strip_prefix("silkroute ") {
            Some(rest) => format!("'{exe}' --quiet {rest}"),
            None => cmd.clone(),
        };
        let o = std::process::Command::new("bash")
            .args(["-c", &script])
            .current_dir(&dir)
            .env_remove("SILKROUTE_NETWORK")
            .env("SILKROUTE_NETWORK", world())
            .env("SILKROUTE_CACHE", common::tmp().join("cache"))
            .stdout(std::process::Stdio::null())
            .output()
            .unwrap();
        if !o.status.success() {
            failures.push(format!(
                "docs/GUIDE.md:{line}: `{cmd}` exits {:?}: {}",
                o.status.code(),
                String::from_utf8_lossy(&o.stderr)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
