//! The files users name as input (a cost model, scenarios, lists of places
//! and pairs, OSM extracts and GeoJSON/CSV to build with): one rule for
//! every shell, so the CLI, the server and the Python package refuse the
//! same paths with the same words. A directory, FIFO, device or socket is
//! refused by its type before it is opened for reading (a FIFO without a
//! writer would block forever, a directory says "Is a directory (os
//! error 21)"), with what to give instead. Network files follow the same
//! rule in `silkroute_graph::format::open_regular`, which this uses.
//!
//! Standard input (`-`) is the shell's business: it never reaches here.

use std::io::Read;
use std::path::Path;

use crate::error::{Error, Result};

/// Opens a user's input file if it is a regular file. `what` says what to
/// give instead, e.g. "a CSV file of places, or `-` for standard input".
pub fn open(path: &Path, what: &str) -> Result<std::fs::File> {
    silkroute_graph::format::open_regular(path).map_err(|e| refusal(path, what, e))
}

/// Checks that a user's input file exists and is a regular file, for files
/// another crate reads later (the import's OSM and GeoJSON readers), so a
/// bad path fails before any work starts.
pub fn check(path: &Path, what: &str) -> Result<()> {
    open(path, what).map(drop)
}

/// Reads a user's whole input file (regular files only).
pub fn read(path: &Path, what: &str) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    open(path, what)?
        .read_to_end(&mut bytes)
        .map_err(|e| Error::invalid_value(format!("{}: {e}", path.display())))?;
    Ok(bytes)
}

/// Reads a user's whole input file as UTF-8 text (regular files only).
pub fn read_to_string(path: &Path, what: &str) -> Result<String> {
    String::from_utf8(read(path, what)?).map_err(|_| {
        Error::invalid_value(format!("{}: not UTF-8 text; give {what}", path.display()))
    })
}

fn refusal(path: &Path, what: &str, e: silkroute_graph::Error) -> Error {
    match e {
        silkroute_graph::Error::NotAFile { kind, .. } => {
            Error::invalid_value(format!("{}: is {kind}; give {what}", path.display()))
        }
        silkroute_graph::Error::Io { source, .. } => {
            Error::invalid_value(format!("{}: {source}", path.display()))
        }
        e => Error::invalid_value(e.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each kind of non-regular file is named in the message, and none is
    /// opened: before this rule a directory said "Is a directory (os error
    /// 21)" for a cost model and a FIFO blocked `--cost-model` forever.
    #[cfg(unix)]
    #[test]
    fn directories_fifos_and_devices_are_refused_by_type() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("in.fifo");
        assert!(
            std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .unwrap()
                .success()
        );
        let what = "a TOML cost-model file";
        for (path, kind) in [
            (dir.path().to_path_buf(), "a directory"),
            (std::path::PathBuf::from("/dev/null"), "a device"),
            (fifo, "a FIFO"),
        ] {
            let (tx, rx) = std::sync::mpsc::channel();
            let p = path.clone();
            std::thread::spawn(move || {
                let _ = tx.send((read(&p, what).err(), check(&p, what).err()));
            });
            let (read_err, check_err) = rx
                .recv_timeout(std::time::Duration::from_secs(10))
                .unwrap_or_else(|_| panic!("{}: blocked", path.display()));
            for e in [read_err, check_err] {
                let e = e.unwrap_or_else(|| panic!("{}: accepted", path.display()));
                assert_eq!(e.code, crate::Code::InvalidValue);
                assert_eq!(
                    e.message,
                    format!("{}: is {kind}; give {what}", path.display())
                );
            }
        }
        let missing = dir.path().join("missing.toml");
        let e = read(&missing, what).unwrap_err();
        assert!(
            e.message
                .starts_with(&format!("{}: No such file", missing.display())),
            "{e}"
        );
        let file = dir.path().join("ok.toml");
        std::fs::write(&file, "a = 1\n").unwrap();
        assert_eq!(read_to_string(&file, what).unwrap(), "a = 1\n");
    }
}
