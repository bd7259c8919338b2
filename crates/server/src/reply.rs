//! How the service answers: JSON with the network's `data_version` beside
//! every answer (as OSRM does), and failures as a non-200 status with
//! `{"code": …, "message": …}`. The codes are the API's (`InvalidQuery`,
//! `InvalidValue`, `InvalidOptions`, `NoSegment`, `NoRoute`, `TooBig`,
//! `Cancelled`, `Internal`), which OSRM clients already know, plus two of
//! the transport's own: `Overloaded` (503 with `Retry-After`) and
//! `Timeout` (504).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use silkroute_api::{Code, Error};

/// A failure as the service sends it.
#[derive(Debug)]
pub struct Failure {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub retry_after_s: Option<u32>,
}

impl Failure {
    pub fn invalid_query(message: impl Into<String>) -> Failure {
        Failure::from(Error::invalid_query(message))
    }
    pub fn invalid_value(message: impl Into<String>) -> Failure {
        Failure::from(Error::invalid_value(message))
    }
    pub fn invalid_options(message: impl Into<String>) -> Failure {
        Failure::from(Error::invalid_options(message))
    }
    pub fn too_big(message: impl Into<String>) -> Failure {
        Failure::from(Error::too_big(message))
    }
    pub fn overloaded() -> Failure {
        Failure {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code: "Overloaded",
            message: "the service is answering as many requests as it may at once; retry shortly"
                .into(),
            retry_after_s: Some(1),
        }
    }
    pub fn timeout(seconds: u64) -> Failure {
        Failure {
            status: StatusCode::GATEWAY_TIMEOUT,
            code: "Timeout",
            message: format!("the request took longer than the {seconds} s limit and was stopped"),
            retry_after_s: None,
        }
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Failure {
        let status = match e.code {
            Code::Internal => StatusCode::INTERNAL_SERVER_ERROR,
            Code::Cancelled => StatusCode::SERVICE_UNAVAILABLE,
            // OSRM answers every query error, NoRoute included, with 400.
            _ => StatusCode::BAD_REQUEST,
        };
        Failure {
            status,
            code: e.code.as_str(),
            message: e.message,
            retry_after_s: None,
        }
    }
}

impl IntoResponse for Failure {
    fn into_response(self) -> Response {
        let body = json!({"code": self.code, "message": self.message});
        let mut r = (self.status, axum::Json(body)).into_response();
        if let Some(s) = self.retry_after_s
            && let Ok(v) = HeaderValue::from_str(&s.to_string())
        {
            r.headers_mut().insert(header::RETRY_AFTER, v);
        }
        r
    }
}

/// A successful answer: `value` with `data_version` set.
pub fn ok(mut value: Value, data_version: &str) -> Response {
    if let Value::Object(m) = &mut value {
        m.insert(
            "data_version".into(),
            Value::String(data_version.to_string()),
        );
    }
    axum::Json(value).into_response()
}

pub type Reply = Result<Response, Failure>;

/// A request axum could not take apart (a body over the limit, a bad
/// percent-encoding), in the service's error shape.
pub fn rejected(e: impl std::fmt::Display + axum::response::IntoResponse) -> Failure {
    let message = e.to_string();
    let status = e.into_response().status();
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        return Failure {
            status,
            code: "TooBig",
            message: format!("{message} (see --max-body-bytes)"),
            retry_after_s: None,
        };
    }
    Failure {
        status: StatusCode::BAD_REQUEST,
        code: "InvalidQuery",
        message,
        retry_after_s: None,
    }
}
