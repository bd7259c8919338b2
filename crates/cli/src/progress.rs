//! Progress bars and Ctrl-C for long work.
//!
//! The engine and the API report stages (and notes) through
//! `silkroute_model::Progress`; this shell
//! draws them with indicatif on stderr (hidden when stderr is not a terminal
//! or with `--quiet`). Ctrl-C, SIGTERM or SIGHUP ends every command at
//! once (exit status 128 + the signal: 130, 143, 129): the temporary files
//! being written are removed
//! and no rename follows (`silkroute_api::scratch::abandon`), so the old
//! outputs stay in place. While `serve` answers requests, its own graceful
//! shutdown handles them instead.

use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

/// The signal that came, recorded in the signal handler itself (ctrlc's
/// handler is not told which).
static SIGNAL: AtomicI32 = AtomicI32::new(0);

/// The exit status after signal `sig`: 128 + its number, as shells report.
fn exit_status() -> i32 {
    // The recording action runs just after ctrlc's wake-up in the same
    // signal handler; give it a moment.
    for _ in 0..50 {
        match SIGNAL.load(Ordering::SeqCst) {
            0 => std::thread::sleep(Duration::from_millis(1)),
            sig => return 128 + sig,
        }
    }
    128 + libc::SIGINT
}

/// Set while `serve` answers requests: the server then stops on its own
/// signal handling, finishing the requests in flight.
static SERVER_HANDLES_SIGNALS: AtomicBool = AtomicBool::new(false);

/// From here on the server's graceful shutdown handles SIGINT and SIGTERM.
pub fn leave_signals_to_the_server() {
    SERVER_HANDLES_SIGNALS.store(true, Ordering::SeqCst);
}

pub fn install_interrupt_handler() {
    let _ = ctrlc::set_handler(|| {
        if SERVER_HANDLES_SIGNALS.load(Ordering::SeqCst) {
            return;
        }
        silkroute_api::scratch::abandon();
        eprintln!("\ninterrupted");
        std::process::exit(exit_status());
    });
    for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        // SAFETY: the action only stores into an atomic, which is
        // async-signal-safe; ctrlc's handler stays chained before it.
        let _ = unsafe {
            signal_hook_registry::register(sig, move || SIGNAL.store(sig, Ordering::SeqCst))
        };
    }
}

pub struct Context {
    pub quiet: bool,
}

impl Context {
    pub fn note(&self, text: &str) {
        if !self.quiet {
            eprintln!("{text}");
        }
    }
}

/// A progress bar for one piece of cancellable work; the API's notes go
/// to stderr above it.
pub struct Bar {
    bar: ProgressBar,
    quiet: bool,
}

impl Bar {
    pub fn new(ctx: &Context, title: &str) -> Bar {
        let bar = if ctx.quiet {
            ProgressBar::hidden()
        } else {
            ProgressBar::new_spinner()
        };
        bar.set_style(
            ProgressStyle::with_template("{spinner} {prefix} [{elapsed}] {wide_msg}").unwrap(),
        );
        bar.set_prefix(title.to_string());
        bar.enable_steady_tick(Duration::from_millis(120));
        Bar {
            bar,
            quiet: ctx.quiet,
        }
    }

    pub fn finish(self) {
        self.bar.finish_and_clear();
    }
}

impl silkroute_api::Progress for Bar {
    fn stage(&self, name: &str, total: u64) {
        // Counted work shows its count, rate and time left; the rest spins.
        let template = if total > 0 {
            "{spinner} {prefix} [{elapsed}] {wide_msg} {pos}/{len} ({rate}, {eta} left)"
        } else {
            "{spinner} {prefix} [{elapsed}] {wide_msg}"
        };
        // The count first, so the new style never shows the last stage's.
        self.bar.set_length(total);
        self.bar.set_position(0);
        if let Ok(style) = ProgressStyle::with_template(template) {
            // Whole units per second (indicatif's {per_sec} shows 4 decimals).
            let style = style.with_key(
                "rate",
                |s: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                    let _ = write!(w, "{:.0}/s", s.per_sec());
                },
            );
            self.bar.set_style(style);
        }
        self.bar.set_message(name.to_string());
    }
    fn advance(&self, n: u64) {
        self.bar.inc(n);
    }
    fn note(&self, text: &str) {
        if !self.quiet {
            self.bar.suspend(|| eprintln!("{text}"));
        }
    }
}
