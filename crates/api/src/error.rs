//! The one error type every shell reports: a [`Code`] from a fixed set, in
//! the spirit of OSRM's HTTP API (`InvalidQuery`, `InvalidValue`,
//! `NoSegment`, `NoRoute`, `TooBig`), plus `Cancelled` and `Internal`, and
//! a one-line message a user can act on.
//!
//! The engine crates' own errors are mapped here once, so the CLI's exit
//! code, the server's status and the Python exception class all follow
//! from the same code.

use serde::Serialize;

/// What kind of failure, for programs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub enum Code {
    /// The request is malformed (a missing or contradictory part).
    InvalidQuery,
    /// A value is out of range or unknown (a mode, place, number, file).
    InvalidValue,
    /// An option is not understood or not allowed here.
    InvalidOptions,
    /// A place could not be joined to the network.
    NoSegment,
    /// No route satisfies the request.
    NoRoute,
    /// The request asks for more than the documented limits.
    TooBig,
    /// The caller stopped the work (Ctrl-C, a closed connection).
    Cancelled,
    /// Anything else: damaged files, failed writes, bugs.
    Internal,
}

impl Code {
    pub const ALL: [Code; 8] = [
        Code::InvalidQuery,
        Code::InvalidValue,
        Code::InvalidOptions,
        Code::NoSegment,
        Code::NoRoute,
        Code::TooBig,
        Code::Cancelled,
        Code::Internal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Code::InvalidQuery => "InvalidQuery",
            Code::InvalidValue => "InvalidValue",
            Code::InvalidOptions => "InvalidOptions",
            Code::NoSegment => "NoSegment",
            Code::NoRoute => "NoRoute",
            Code::TooBig => "TooBig",
            Code::Cancelled => "Cancelled",
            Code::Internal => "Internal",
        }
    }

    /// Whether the caller's input caused it (as opposed to no answer
    /// existing, or a failure of the machine).
    pub fn is_input(self) -> bool {
        matches!(
            self,
            Code::InvalidQuery | Code::InvalidValue | Code::InvalidOptions | Code::TooBig
        )
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A failure with its code and one line for the user.
#[derive(Clone, Debug, PartialEq, thiserror::Error, Serialize)]
#[error("{message}")]
pub struct Error {
    pub code: Code,
    pub message: String,
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn new(code: Code, message: impl Into<String>) -> Error {
        Error {
            code,
            message: message.into(),
        }
    }
    pub fn invalid_query(message: impl Into<String>) -> Error {
        Error::new(Code::InvalidQuery, message)
    }
    pub fn invalid_value(message: impl Into<String>) -> Error {
        Error::new(Code::InvalidValue, message)
    }
    pub fn invalid_options(message: impl Into<String>) -> Error {
        Error::new(Code::InvalidOptions, message)
    }
    pub fn no_route(message: impl Into<String>) -> Error {
        Error::new(Code::NoRoute, message)
    }
    pub fn too_big(message: impl Into<String>) -> Error {
        Error::new(Code::TooBig, message)
    }
    pub fn internal(message: impl Into<String>) -> Error {
        Error::new(Code::Internal, message)
    }
    pub fn cancelled() -> Error {
        Error::new(Code::Cancelled, "interrupted; nothing was written")
    }

    /// The same error with `context: ` before its message (a file name, an
    /// option).
    pub fn context(self, context: impl std::fmt::Display) -> Error {
        Error {
            code: self.code,
            message: format!("{context}: {}", self.message),
        }
    }
}

impl From<silkroute_route::RouteError> for Error {
    fn from(e: silkroute_route::RouteError) -> Error {
        use silkroute_route::RouteError as R;
        let code = match &e {
            R::BadRequest(_) => Code::InvalidValue,
            R::NoNetwork { .. } => Code::NoSegment,
            R::NotConnected(_) | R::Constrained { .. } | R::PlaceClosed { .. } => Code::NoRoute,
        };
        Error::new(code, e.to_string())
    }
}

impl From<silkroute_route::PlaceError> for Error {
    fn from(e: silkroute_route::PlaceError) -> Error {
        Error::invalid_value(e.to_string())
    }
}

impl From<silkroute_cost::Error> for Error {
    fn from(e: silkroute_cost::Error) -> Error {
        Error::invalid_value(e.to_string())
    }
}

impl From<silkroute_graph::Error> for Error {
    fn from(e: silkroute_graph::Error) -> Error {
        match e {
            silkroute_graph::Error::Cancelled => Error::cancelled(),
            // The caller named a directory, FIFO or device: bad input.
            e @ silkroute_graph::Error::NotAFile { .. } => Error::invalid_value(e.to_string()),
            e => Error::internal(e.to_string()),
        }
    }
}

impl From<silkroute_import::Error> for Error {
    fn from(e: silkroute_import::Error) -> Error {
        match e {
            silkroute_import::Error::Cancelled => Error::cancelled(),
            e => Error::internal(e.to_string()),
        }
    }
}
