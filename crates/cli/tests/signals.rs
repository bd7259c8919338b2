//! SIGTERM and SIGINT stop a command at once, keep the old `--out` in place
//! and leave no temporary file; stale temporary files of dead processes are
//! swept by the next write; concurrent builds of one path take a lock.

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{bin, file, tmp, world};

/// A grid of `rows × cols` lat,lon places over Eurasia.
fn grid(name: &str, rows: usize, cols: usize) -> String {
    let mut text = String::from("lat,lon\n");
    for i in 0..rows {
        for j in 0..cols {
            text.push_str(&format!("{},{}\n", 20 + i, 10 + 2 * j));
        }
    }
    file(name, &text)
}

/// The hidden temporary files next to `out`.
fn temporaries(out: &Path) -> Vec<String> {
    let name = out.file_name().unwrap().to_string_lossy().into_owned();
    std::fs::read_dir(out.parent().unwrap())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&format!(".{name}.")) && n.ends_with(".tmp"))
        .collect()
}

fn kill(child: &Child, signal: &str) {
    let ok = Command::new("kill")
        .args([signal, &child.id().to_string()])
        .status()
        .unwrap()
        .success();
    assert!(ok, "kill {signal}");
}

/// Starts `matrix` over a large grid writing `out`, then sends `signal`
/// as soon as its temporary file appears (or after `after`, while it is
/// still computing), and checks what is left.
fn interrupted_matrix(out_name: &str, signal: &str, code: i32, after: Duration) {
    let from = grid("sig-from.csv", 40, 50);
    let to = grid("sig-to.csv", 20, 20);
    let out = tmp().join(out_name);
    std::fs::write(&out, "the old result\n").unwrap();
    let mut child = bin()
        .arg("--network")
        .arg(world())
        .args(["matrix", "--from", &from, "--to", &to, "--out"])
        .arg(&out)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    loop {
        assert!(
            child.try_wait().unwrap().is_none(),
            "matrix finished before it could be interrupted"
        );
        if !temporaries(&out).is_empty() || start.elapsed() >= after {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    kill(&child, signal);
    let killed = Instant::now();
    let status = child.wait().unwrap();
    assert!(
        killed.elapsed() < Duration::from_millis(900),
        "stopped after {:?}",
        killed.elapsed()
    );
    assert!(!status.success(), "{status}");
    assert_eq!(status.code(), Some(code), "{status}");
    assert_eq!(
        std::fs::read_to_string(&out).unwrap(),
        "the old result\n",
        "the old --out was replaced"
    );
    assert_eq!(temporaries(&out), Vec::<String>::new());
}

#[test]
fn sigterm_during_matrix_keeps_the_old_out_and_leaves_no_temporary_file() {
    interrupted_matrix("sigterm.csv", "-TERM", 143, Duration::from_millis(700));
}

#[test]
fn ctrl_c_during_matrix_keeps_the_old_out_and_leaves_no_temporary_file() {
    interrupted_matrix("sigint.csv", "-INT", 130, Duration::from_millis(700));
}

#[test]
fn stale_temporary_files_of_dead_processes_are_swept_by_the_next_write() {
    let out = tmp().join("stale.csv");
    // Process ids above the kernel's maximum (4194304) are never alive.
    let stale = tmp().join(".stale.csv.silkroute-99999999-12345.tmp");
    std::fs::write(&stale, "left by a killed run").unwrap();
    let places = file("stale-places.csv", "place\nShanghai\nHamburg\n");
    let o = bin()
        .arg("--network")
        .arg(world())
        .args(["matrix", "--from", &places, "--to", &places, "--out"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", common::stderr(&o));
    assert!(!stale.exists(), "the stale temporary file is still there");
    assert!(std::fs::read_to_string(&out).unwrap().contains("Hamburg"));
}

/// A second build of the same path waits for the first and says which
/// process holds it; SIGTERM stops both and leaves no temporary file and
/// no half-written network.
#[test]
fn a_second_build_of_one_path_waits_for_the_first() {
    let dir = tmp().join("lock");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("w.srnet");
    let build = |quiet: bool| {
        let mut c = bin();
        if quiet {
            c.arg("--quiet");
        }
        c.args(["build", "--out"])
            .arg(&out)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let first = build(true);
    let lock = dir.join("w.srnet.lock");
    let start = Instant::now();
    while std::fs::read_to_string(&lock).unwrap_or_default() != first.id().to_string() {
        assert!(start.elapsed() < Duration::from_secs(10), "no lock taken");
        std::thread::sleep(Duration::from_millis(10));
    }
    let second = build(false);
    std::thread::sleep(Duration::from_millis(1500));
    kill(&second, "-TERM");
    let said = second.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&said.stderr);
    assert!(
        err.contains(&format!("process {} is building", first.id())),
        "{err}"
    );
    kill(&first, "-TERM");
    let status = first.wait_with_output().unwrap().status;
    assert_eq!(status.code(), Some(143), "{status}");
    assert!(!out.exists(), "a network was written");
    assert_eq!(temporaries(&out), Vec::<String>::new());
}

/// Runs an exact Pareto search (`--pareto-epsilon 0`, seconds of labels)
/// on a pseudo-terminal (util-linux `script`), with `extra` options; once
/// `ready` holds for what the terminal shows (or after `wait`), sends
/// Ctrl-C's SIGINT. Returns what the terminal showed, the exit status and
/// how long the command took to stop; `None` without `script`.
fn pareto_on_a_terminal(
    name: &str,
    extra: &str,
    ready: impl Fn(&str) -> bool,
    wait: Duration,
) -> Option<(String, Option<i32>, Duration)> {
    if Command::new("script").arg("--version").output().is_err() {
        eprintln!("skipped: no `script` for a pseudo-terminal");
        return None;
    }
    let typescript = tmp().join(name);
    let _ = std::fs::remove_file(&typescript);
    let command = format!(
        "exec {} --network {} {extra} route --from Chongqing --to Duisburg --pareto --pareto-epsilon 0 --format json",
        env!("CARGO_BIN_EXE_silkroute"),
        world().display()
    );
    let mut child = Command::new("script")
        .args(["-qfec", &command])
        .arg(&typescript)
        .env_remove("SILKROUTE_NETWORK")
        .env("SILKROUTE_CACHE", tmp().join("cache"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let shown = || std::fs::read_to_string(&typescript).unwrap_or_default();
    let start = Instant::now();
    while !ready(&shown()) && start.elapsed() < wait {
        assert!(child.try_wait().unwrap().is_none(), "finished: {}", shown());
        std::thread::sleep(Duration::from_millis(20));
    }
    // `script` runs the command (exec'd by its shell) as its one child.
    let pid = std::fs::read_to_string(format!("/proc/{0}/task/{0}/children", child.id()))
        .unwrap()
        .trim()
        .to_string();
    assert!(!pid.is_empty() && !pid.contains(' '), "children {pid:?}");
    assert!(
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let killed = Instant::now();
    let status = child.wait().unwrap();
    Some((shown(), status.code(), killed.elapsed()))
}

/// On a terminal an exact Pareto search shows its labels against the
/// label limit, with a rate and the time left at most (it ran 135 s with
/// no feedback), and Ctrl-C stops it at once; `--quiet` shows nothing.
#[test]
fn a_pareto_search_shows_its_labels_on_a_terminal_and_stops_on_ctrl_c() {
    let Some((shown, code, took)) = pareto_on_a_terminal(
        "pareto.typescript",
        "",
        |s| s.contains("labels, up to the limit") && s.contains("/5000000"),
        Duration::from_secs(300),
    ) else {
        return;
    };
    assert!(shown.contains("labels, up to the limit"), "{shown}");
    assert!(shown.contains("/s, "), "a rate: {shown}");
    assert!(shown.contains(" left)"), "the time left: {shown}");
    assert_eq!(code, Some(130), "{shown}");
    assert!(took < Duration::from_millis(900), "stopped after {took:?}");
    let (shown, code, _) = pareto_on_a_terminal(
        "pareto-quiet.typescript",
        "--quiet",
        |_| false,
        Duration::from_secs(3),
    )
    .unwrap();
    assert!(!shown.contains("labels"), "{shown}");
    assert!(!shown.contains("pareto ["), "a bar: {shown}");
    assert_eq!(code, Some(130), "{shown}");
}
