//! Getting a command's result to the user: printed on standard output (a
//! closed pipe ends quietly), or written to `--out`, checked before any
//! work starts (`check_out`) and written safely (`write_atomically`: a
//! regular file is replaced atomically with the umask's permissions, a
//! symlink written through, a device streamed to, a directory refused,
//! `-` standard output; the temporary file is registered with
//! `silkroute_api::scratch`, so Ctrl-C or SIGTERM removes it and keeps the
//! old file, and stale ones of dead processes are swept). The JSON and GeoJSON themselves come from the API (`silkroute_api::json`, `silkroute_api::geojson`).

use std::path::{Path, PathBuf};

use silkroute_api::{Error, scratch};

/// Pretty JSON of an API answer, keys sorted.
pub fn pretty(v: &impl serde::Serialize) -> String {
    silkroute_api::json::pretty(v)
}

/// `--out -`: standard output, as everywhere a file is read or written.
pub fn is_stdout(path: &Path) -> bool {
    path == Path::new("-")
}

/// Where a result file really goes: through a symlink to its target.
fn target(path: &Path) -> PathBuf {
    match std::fs::read_link(path) {
        Ok(link) if link.is_absolute() => target(&link),
        Ok(link) => target(&path.parent().unwrap_or(Path::new(".")).join(link)),
        Err(_) => path.to_path_buf(),
    }
}

/// How `--out` will be written: replaced atomically (a regular file or a
/// new name), or streamed (a device such as /dev/stdout, or a FIFO).
enum Sink {
    Replace(PathBuf),
    Stream(PathBuf),
}

fn sink(path: &Path) -> Result<Sink, Error> {
    let shown = path.display();
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => Err(Error::invalid_value(format!(
            "--out {shown}: is a directory; name a file"
        ))),
        // A regular file, possibly behind symlinks: replace the real one.
        Ok(m) if m.is_file() => Ok(Sink::Replace(
            std::fs::canonicalize(path).unwrap_or_else(|_| target(path)),
        )),
        // A device or FIFO (/dev/stdout, /dev/null): write to it.
        Ok(_) => Ok(Sink::Stream(path.to_path_buf())),
        Err(_) => {
            // A new name, or a symlink to one.
            let real = target(path);
            let dir = match real.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            };
            if !dir.is_dir() {
                return Err(Error::invalid_value(format!(
                    "--out {shown}: the directory {} does not exist",
                    dir.display()
                )));
            }
            Ok(Sink::Replace(real))
        }
    }
}

/// Checks before any work that `--out` can be written: its directory
/// exists and takes a new file, and it is not a directory.
pub fn check_out(path: Option<&Path>) -> Result<(), Error> {
    let Some(path) = path.filter(|p| !is_stdout(p)) else {
        return Ok(());
    };
    if let Sink::Replace(real) = sink(path)? {
        let probe = scratch::temporary(&real);
        std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&probe)
            .map_err(|e| {
                let dir = match real.parent() {
                    Some(p) if !p.as_os_str().is_empty() => p.display().to_string(),
                    _ => ".".to_string(),
                };
                // The file is written beside its target, then renamed: a
                // directory that takes no new file (a virtual file system
                // such as /proc or /sys says "not found") cannot hold it.
                let why = match e.kind() {
                    std::io::ErrorKind::NotFound => format!(
                        "{dir} takes no new files: a virtual file system such as /proc or /sys"
                    ),
                    std::io::ErrorKind::PermissionDenied => {
                        format!("no permission to create a file in {dir}")
                    }
                    _ => format!("cannot create a file in {dir}: {e}"),
                };
                Error::invalid_value(format!(
                    "--out {}: cannot write there ({why}); name a file in a directory you can write to",
                    path.display()
                ))
            })?;
        let _ = std::fs::remove_file(&probe);
    }
    Ok(())
}

/// Writes a result file: a regular file (or a new name) is replaced
/// atomically (a hidden file in the same directory, created with the
/// umask's permissions, synced, then renamed over it), so an interrupted
/// run never leaves half a file; a symlink is written through to its
/// target; a device or FIFO (/dev/stdout) is written to directly; a
/// directory is refused; `-` is standard output. Errors name the path the
/// user gave, never the temporary one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    use std::io::Write;
    if is_stdout(path) {
        let mut out = std::io::stdout().lock();
        return match out.write_all(bytes).and_then(|_| out.flush()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
            Err(e) => Err(Error::internal(format!("standard output: {e}"))),
            Ok(()) => Ok(()),
        };
    }
    let fail = |e: std::io::Error| Error::internal(format!("{}: {e}", path.display()));
    match sink(path)? {
        Sink::Stream(real) => {
            let mut f = std::fs::OpenOptions::new()
                .write(true)
                .open(&real)
                .map_err(fail)?;
            f.write_all(bytes).map_err(fail)
        }
        Sink::Replace(real) => {
            let (mut f, tmp) = scratch::create(&real).map_err(fail)?;
            let written = (|| {
                if let Ok(m) = std::fs::metadata(&real) {
                    f.set_permissions(m.permissions())?;
                }
                f.write_all(bytes)?;
                f.sync_all()
            })();
            drop(f);
            if let Err(e) = written {
                scratch::discard(&tmp);
                return Err(fail(e));
            }
            scratch::commit(&tmp, &real).map_err(fail)
        }
    }
}

/// A command's result: printed, or written atomically to `out` with a
/// note saying so.
pub fn deliver(
    ctx: &crate::progress::Context,
    out: Option<&std::path::Path>,
    text: &str,
) -> Result<(), Error> {
    match out.filter(|p| !is_stdout(p)) {
        None => emit(text),
        Some(path) => {
            write_atomically(path, text.as_bytes())?;
            ctx.note(&format!("wrote {}", path.display()));
        }
    }
    Ok(())
}

/// Prints a result on standard output. A closed pipe (`silkroute … | head`)
/// ends the program quietly, as Unix tools do, instead of panicking.
/// Writes binary output (a GeoParquet file) to standard output, exiting
/// quietly when the reader has gone (`| head`); refused on a terminal.
pub fn emit_bytes(bytes: &[u8]) -> Result<(), Error> {
    use std::io::{IsTerminal, Write};
    let mut out = std::io::stdout().lock();
    if out.is_terminal() {
        return Err(Error::invalid_value(
            "--out -: that is binary output and standard output is a terminal; write it to a file (--out network.parquet) or pipe it".to_string(),
        ));
    }
    match out.write_all(bytes).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        Err(e) => Err(Error::internal(format!("standard output: {e}"))),
        Ok(()) => Ok(()),
    }
}

pub fn emit(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let result = out.write_all(text.as_bytes()).and_then(|_| {
        if !text.ends_with('\n') {
            out.write_all(b"\n")?;
        }
        out.flush()
    });
    if let Err(e) = result {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
        eprintln!("error: writing the output: {e}");
        std::process::exit(1);
    }
}
