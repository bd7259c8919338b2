//! The compiled silkroute network and its file format.
//!
//! Data flow: `import` fills a [`RawNetwork`]; [`compile::build_image`] turns
//! it into a file image (CSR arcs, node arrays, kd-tree, components,
//! gazetteer); [`format::write_atomically`] writes it; [`Network::open`]
//! maps and verifies it. `route` reads the network through [`Network`]'s
//! slices.
//!
//! Architecture invariant: this crate knows no source format (no CSV, no OSM
//! tags) and answers no queries beyond nearest-node lookup; searches live in
//! `route`.

pub mod compile;
pub mod components;
pub mod format;
mod network;
mod places_blob;
mod raw;
pub mod scratch;
pub mod spatial;

pub use network::{Element, Network};
pub use raw::{
    ARC_FLAG_CUSTOMS_BORDER, ARC_FLAG_GAUGE_BREAK, ELEMENT_CROSSING, ELEMENT_FERRY, ELEMENT_LINK,
    ELEMENT_TERMINAL, RawEdge, RawElement, RawNetwork, RawNode,
};

use std::path::PathBuf;

/// Errors opening, checking or writing a network. Each renders as one line a
/// user can act on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is not a silkroute network file")]
    NotANetwork { path: PathBuf },
    /// The path names a directory, FIFO, device or socket: refused before
    /// it is opened for reading (a FIFO would block, a directory or device
    /// cannot be mapped). `kind` reads "a directory", "a FIFO", ….
    #[error("{path}: is {kind}; give a network file built by `silkroute build`")]
    NotAFile { path: PathBuf, kind: &'static str },
    #[error(
        "{path} is a network file of format version {found}; this silkroute reads version {expected} (rebuild it with `silkroute build`)"
    )]
    WrongVersion {
        path: PathBuf,
        found: u32,
        expected: u32,
    },
    #[error(
        "{path} is truncated: {found} bytes, the header promises {expected} (rebuild it with `silkroute build`)"
    )]
    Truncated {
        path: PathBuf,
        expected: u64,
        found: u64,
    },
    #[error("{path} is corrupt ({detail}); rebuild it with `silkroute build`")]
    Corrupt { path: PathBuf, detail: String },
    #[error("invalid network: {0}")]
    InvalidInput(String),
    #[error("cancelled")]
    Cancelled,
}
