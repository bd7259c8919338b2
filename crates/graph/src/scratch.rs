//! Temporary files next to a target, and locks on targets, for every file
//! silkroute writes (network files here, result files in the CLI).
//!
//! A file is written under a hidden name next to its target,
//! `.NAME.silkroute-PID-NANOS.tmp` ([`create`]), then renamed over it
//! ([`commit`]). The names being written are registered so that a signal
//! handler can remove them all and forbid any further rename
//! ([`abandon`]): after Ctrl-C or SIGTERM the old file stays in place and
//! no temporary file is left. Temporary files of a target whose process
//! is no longer alive (killed with SIGKILL, a crash) are removed on the
//! next write to that target ([`sweep`]). [`lock`] serialises concurrent
//! builds of one path with a `PATH.lock` file held with `flock`.

use std::fs::File;
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// The temporary files this process is writing.
static LIVE: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());
/// Set by [`abandon`]: no temporary file is created or renamed any more.
static STOPPING: AtomicBool = AtomicBool::new(false);

fn live() -> std::sync::MutexGuard<'static, Vec<PathBuf>> {
    LIVE.lock().unwrap_or_else(|e| e.into_inner())
}

fn stopping() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::Interrupted, "interrupted")
}

/// The hidden prefix of the temporary files of `real`.
fn prefix(real: &Path) -> String {
    let name = real
        .file_name()
        .map_or("out".into(), |n| n.to_string_lossy().into_owned());
    format!(".{name}.silkroute-")
}

/// The hidden name next to `real` this process writes it under.
pub fn temporary(real: &Path) -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    real.with_file_name(format!(
        "{}{}-{nanos}.tmp",
        prefix(real),
        std::process::id()
    ))
}

/// Creates (new, with the umask's permissions) and registers a temporary
/// file for `real`, after sweeping the stale ones of dead processes.
pub fn create(real: &Path) -> std::io::Result<(File, PathBuf)> {
    sweep(real);
    let tmp = temporary(real);
    let mut live = live();
    if STOPPING.load(Ordering::SeqCst) {
        return Err(stopping());
    }
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&tmp)?;
    live.push(tmp.clone());
    Ok((file, tmp))
}

/// Renames the temporary file `tmp` over `real`, unless the process is
/// being stopped (then the old file stays and `tmp` is already gone).
pub fn commit(tmp: &Path, real: &Path) -> std::io::Result<()> {
    let mut live = live();
    if STOPPING.load(Ordering::SeqCst) {
        return Err(stopping());
    }
    let result = std::fs::rename(tmp, real);
    if result.is_err() {
        let _ = std::fs::remove_file(tmp);
    }
    live.retain(|p| p != tmp);
    result
}

/// Removes a temporary file that will not be committed (after an error).
pub fn discard(tmp: &Path) {
    let mut live = live();
    let _ = std::fs::remove_file(tmp);
    live.retain(|p| p != tmp);
}

/// For a signal handler about to end the process: removes every
/// temporary file being written and forbids any further create or
/// rename, so the old outputs stay in place. Holds the registry until the
/// process ends, so a rename racing with it cannot follow.
pub fn abandon() {
    let live = live();
    STOPPING.store(true, Ordering::SeqCst);
    for p in live.iter() {
        let _ = std::fs::remove_file(p);
    }
    std::mem::forget(live);
}

/// Whether process `pid` is alive (or may be: one we may not signal).
fn alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    let Ok(pid) = libc::pid_t::try_from(pid) else {
        return true;
    };
    // SAFETY: signal 0 only checks that the process exists.
    let r = unsafe { libc::kill(pid, 0) };
    r == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
}

/// Removes the temporary files of `real` left by processes that are no
/// longer alive; returns how many.
pub fn sweep(real: &Path) -> usize {
    let dir = match real.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let prefix = prefix(real);
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(rest) = name
            .to_str()
            .and_then(|n| n.strip_prefix(&prefix))
            .and_then(|n| n.strip_suffix(".tmp"))
        else {
            continue;
        };
        let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
        if pid.is_some_and(|p| !alive(p)) && std::fs::remove_file(entry.path()).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// A held lock on writing one path; released when dropped.
pub struct Lock {
    _file: File,
}

/// The lock file of `path`: `PATH.lock` next to it.
pub fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    path.with_file_name(name)
}

/// Takes the lock on writing `path` (`PATH.lock`, with `flock`). If another
/// process holds it, `waiting` is told its process id (when it wrote one)
/// and the call waits until it is released.
pub fn lock(path: &Path, waiting: impl FnOnce(Option<u32>)) -> std::io::Result<Lock> {
    let mut file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(lock_path(path))?;
    match file.try_lock() {
        Ok(()) => {}
        Err(std::fs::TryLockError::WouldBlock) => {
            let mut text = String::new();
            let _ = file.read_to_string(&mut text);
            waiting(text.trim().parse().ok());
            file.lock()?;
        }
        Err(std::fs::TryLockError::Error(e)) => return Err(e),
    }
    file.set_len(0)?;
    file.rewind()?;
    write!(file, "{}", std::process::id())?;
    Ok(Lock { _file: file })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_temporary_files_of_dead_processes_are_swept() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("out.csv");
        // A process id above the kernel's maximum (4194304) is never alive.
        let dead = dir.path().join(".out.csv.silkroute-99999999-1.tmp");
        let mine = temporary(&real);
        let other = dir.path().join(".other.csv.silkroute-99999999-1.tmp");
        for p in [&dead, &mine, &other] {
            std::fs::write(p, "x").unwrap();
        }
        assert_eq!(sweep(&real), 1);
        assert!(!dead.exists());
        assert!(mine.exists(), "this process is alive");
        assert!(other.exists(), "another target's file");
    }

    #[test]
    fn a_committed_file_replaces_the_target_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("out.csv");
        std::fs::write(&real, "old").unwrap();
        let (mut f, tmp) = create(&real).unwrap();
        f.write_all(b"new").unwrap();
        commit(&tmp, &real).unwrap();
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
        assert!(!tmp.exists());
        assert!(live().is_empty());
    }

    #[test]
    fn a_second_lock_on_a_path_waits_and_is_told_the_holder() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("world.srnet");
        let held = lock(&path, |_| panic!("free")).unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        let p = path.clone();
        let t = std::thread::spawn(move || {
            let _l = lock(&p, |pid| tx.send(pid).unwrap()).unwrap();
        });
        assert_eq!(rx.recv().unwrap(), Some(std::process::id()));
        drop(held);
        t.join().unwrap();
    }
}
