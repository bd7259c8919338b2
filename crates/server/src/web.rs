//! The map page at `/` and its files under `/web/`: plain HTML, CSS and
//! JavaScript (`web/` at the repository root) with the vendored Leaflet,
//! topojson-client and Natural Earth basemap (`web/vendor/`), all embedded
//! in the binary so the page works with no Node, no network and no files
//! beside the executable. The page only calls this service's own `/api/`
//! endpoints; its Content-Security-Policy allows nothing else, so a
//! request leaving the machine is refused by the browser itself.
//!
//! Architecture invariant: no domain rule here, only bytes and their
//! media types.

use axum::extract::Path;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::reply::Failure;

macro_rules! web_file {
    ($path:literal) => {
        include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/../../web/", $path)) as &[u8]
    };
}

/// Every file the page may load: its path under `/web/`, media type and
/// bytes.
const FILES: &[(&str, &str, &[u8])] = &[
    (
        "app.js",
        "text/javascript; charset=utf-8",
        web_file!("app.js"),
    ),
    ("app.css", "text/css; charset=utf-8", web_file!("app.css")),
    ("iso2.json", "application/json", web_file!("iso2.json")),
    (
        "vendor/leaflet/leaflet.js",
        "text/javascript; charset=utf-8",
        web_file!("vendor/leaflet/leaflet.js"),
    ),
    (
        "vendor/leaflet/leaflet.css",
        "text/css; charset=utf-8",
        web_file!("vendor/leaflet/leaflet.css"),
    ),
    (
        "vendor/leaflet/LICENSE",
        "text/plain; charset=utf-8",
        web_file!("vendor/leaflet/LICENSE"),
    ),
    (
        "vendor/topojson-client/topojson-client.min.js",
        "text/javascript; charset=utf-8",
        web_file!("vendor/topojson-client/topojson-client.min.js"),
    ),
    (
        "vendor/topojson-client/LICENSE",
        "text/plain; charset=utf-8",
        web_file!("vendor/topojson-client/LICENSE"),
    ),
    (
        "vendor/world-atlas/countries-110m.json",
        "application/json",
        web_file!("vendor/world-atlas/countries-110m.json"),
    ),
    (
        "vendor/world-atlas/LICENSE",
        "text/plain; charset=utf-8",
        web_file!("vendor/world-atlas/LICENSE"),
    ),
];

const INDEX: &[u8] = web_file!("index.html");

/// Only this origin: scripts, styles, data and fetches. Leaflet sets
/// element styles from script, which `style-src` must allow inline.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
                   img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; \
                   frame-ancestors 'none'";

fn file(media_type: &'static str, bytes: &'static [u8]) -> Response {
    let mut r = (StatusCode::OK, bytes).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(media_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    r
}

/// `GET /`: the map page.
pub async fn index() -> Response {
    let mut r = file("text/html; charset=utf-8", INDEX);
    r.headers_mut().insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    r
}

/// `GET /web/{file}`: one of the page's embedded files.
pub async fn asset(Path(path): Path<String>) -> Response {
    match FILES.iter().find(|(p, _, _)| *p == path) {
        Some((_, media_type, bytes)) => file(media_type, bytes),
        None => Failure {
            status: StatusCode::NOT_FOUND,
            code: "InvalidQuery",
            message: format!("no file /web/{path} (the map page is at /)"),
            retry_after_s: None,
        }
        .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every file the page or its script loads is embedded, and every
    /// embedded file is loaded (or is a licence), so none goes missing or
    /// stale.
    #[test]
    fn the_page_loads_exactly_the_embedded_files() {
        let page = std::str::from_utf8(INDEX).unwrap();
        let script = std::str::from_utf8(web_file!("app.js")).unwrap();
        for (path, _, bytes) in FILES {
            assert!(!bytes.is_empty(), "{path} is empty");
            let used =
                page.contains(&format!("/web/{path}")) || script.contains(&format!("/web/{path}"));
            assert!(
                used || path.ends_with("LICENSE"),
                "{path} is embedded but never loaded"
            );
        }
        for text in [page, script] {
            for part in text.split("/web/").skip(1) {
                let path: String = part
                    .chars()
                    .take_while(|c| !"\"'` )".contains(*c))
                    .collect();
                assert!(
                    FILES.iter().any(|(p, _, _)| *p == path),
                    "the page loads /web/{path}, which is not embedded"
                );
            }
        }
    }

    #[tokio::test]
    async fn an_unknown_file_is_a_404_in_words() {
        let r = asset(Path("nope.js".into())).await;
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
    }
}
