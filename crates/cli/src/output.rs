//! Getting a command's result to the user: printed on standard output (a
//! closed pipe ends quietly), or written atomically to `--out` (temporary
//! file in the same directory, then rename, so an interrupted run never
//! leaves half a file behind). The JSON and GeoJSON themselves come from
//! the API (`silkroute_api::json`, `silkroute_api::geojson`).

use silkroute_api::Error;

/// Pretty JSON of an API answer, keys sorted.
pub fn pretty(v: &impl serde::Serialize) -> String {
    silkroute_api::json::pretty(v)
}

/// Writes a result file atomically.
pub fn write_atomically(path: &std::path::Path, bytes: &[u8]) -> Result<(), Error> {
    use std::io::Write;
    let fail = |e: std::io::Error| Error::internal(format!("{}: {e}", path.display()));
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(fail)?;
    tmp.write_all(bytes).map_err(fail)?;
    tmp.as_file().sync_all().map_err(fail)?;
    tmp.persist(path).map_err(|e| fail(e.error))?;
    Ok(())
}

/// A command's result: printed, or written atomically to `out` with a
/// note saying so.
pub fn deliver(
    ctx: &crate::progress::Context,
    out: Option<&std::path::Path>,
    text: &str,
) -> Result<(), Error> {
    match out {
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
