//! Progress bars and Ctrl-C for long work.
//!
//! The engine and the API report stages (and notes) through
//! `silkroute_model::Progress`; this shell
//! draws them with indicatif on stderr (hidden when stderr is not a terminal
//! or with `--quiet`). Ctrl-C during a build sets a flag the build checks
//! between stages, so it stops cleanly and writes nothing; at any other time
//! it ends the process at once.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

static WORKING: AtomicBool = AtomicBool::new(false);
static CANCELLED: AtomicBool = AtomicBool::new(false);

pub fn install_interrupt_handler() {
    let _ = ctrlc::set_handler(|| {
        if WORKING.load(Ordering::SeqCst) {
            CANCELLED.store(true, Ordering::SeqCst);
        } else {
            std::process::exit(130);
        }
    });
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
        WORKING.store(true, Ordering::SeqCst);
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
        WORKING.store(false, Ordering::SeqCst);
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        WORKING.store(false, Ordering::SeqCst);
    }
}

impl silkroute_api::Progress for Bar {
    fn stage(&self, name: &str, total: u64) {
        // Counted work shows its count, rate and time left; the rest spins.
        let template = if total > 0 {
            "{spinner} {prefix} [{elapsed}] {wide_msg} {pos}/{len} ({per_sec}, {eta} left)"
        } else {
            "{spinner} {prefix} [{elapsed}] {wide_msg}"
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            self.bar.set_style(style);
        }
        self.bar.set_message(name.to_string());
        self.bar.set_length(total);
        self.bar.set_position(0);
    }
    fn advance(&self, n: u64) {
        self.bar.inc(n);
    }
    fn cancelled(&self) -> bool {
        CANCELLED.load(Ordering::SeqCst)
    }
    fn note(&self, text: &str) {
        if !self.quiet {
            self.bar.suspend(|| eprintln!("{text}"));
        }
    }
}
