//! The GOV.UK Frontend styles and the font, compiled at build time and served from the binary.
//!
//! build.rs compiles frontend/hearth.scss into OUT_DIR along with copies of the files the CSS
//! refers to (the Source Sans 3 fonts); this module embeds them all, so the running server needs
//! neither node_modules nor the network.

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use axum::routing::get;

/// The path pages should link their stylesheet from. It carries a hash of the CSS, so a new build
/// with different styles has a new path and the year-long cache never serves old styles.
pub const CSS_PATH: &str = concat!("/assets/hearth-", env!("HEARTH_CSS_HASH"), ".css");

/// The same stylesheet at a path that never changes, for anything that cannot know the hash.
pub const CSS_PLAIN_PATH: &str = "/assets/hearth.css";

/// The compiled stylesheet.
pub const CSS: &str = include_str!(concat!(env!("OUT_DIR"), "/hearth.css"));

/// One embedded file and how to serve it.
struct Asset {
    path: &'static str,
    content_type: &'static str,
    etag: &'static str,
    body: &'static [u8],
}

// CSS_ETAG and REFERENCED: every file that the CSS refers to, found and copied by build.rs.
include!(concat!(env!("OUT_DIR"), "/assets_table.rs"));

/// A content-addressed file can be kept for good; a year is the customary "for good" in HTTP.
const FOREVER: &str = "public, max-age=31536000, immutable";

/// The plain CSS path keeps its name when its content changes, so a browser must check back;
/// the ETag makes that check cost a 304 and no body.
const REVALIDATE: &str = "no-cache";

static CSS_ASSET: Asset = Asset {
    path: CSS_PATH,
    content_type: "text/css; charset=utf-8",
    etag: CSS_ETAG,
    body: CSS.as_bytes(),
};

static CSS_PLAIN_ASSET: Asset = Asset {
    path: CSS_PLAIN_PATH,
    ..CSS_ASSET
};

/// The routes for the stylesheet and everything it refers to. Any other path is left to the
/// router this is merged into, so an unknown asset is a 404.
pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    // The fonts' names carry no hash, but they change only with a new version of the font
    // package, and a browser still holding the old font would draw the same letters.
    [(&CSS_ASSET, FOREVER), (&CSS_PLAIN_ASSET, REVALIDATE)]
        .into_iter()
        .chain(REFERENCED.iter().map(|asset| (asset, FOREVER)))
        .fold(Router::new(), |router, (asset, cache)| {
            router.route(
                asset.path,
                get(move |headers: HeaderMap| async move { respond(asset, cache, &headers) }),
            )
        })
}

/// The file, or 304 Not Modified when the browser's copy has the same ETag.
fn respond(asset: &'static Asset, cache: &'static str, request: &HeaderMap) -> Response {
    let fresh = request
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|tag| tag.trim())
        // If-None-Match compares weakly: W/"x" matches "x".
        .any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == asset.etag);
    let (status, body) = if fresh {
        (StatusCode::NOT_MODIFIED, Body::empty())
    } else {
        (StatusCode::OK, Body::from(asset.body))
    };
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    headers.insert(header::ETAG, HeaderValue::from_static(asset.etag));
    if !fresh {
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static(asset.content_type),
        );
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::Request;
    use http_body_util::BodyExt;
    use tower::ServiceExt;

    async fn fetch(path: &str, if_none_match: Option<&str>) -> (StatusCode, HeaderMap, Vec<u8>) {
        let mut request = Request::get(path);
        if let Some(tag) = if_none_match {
            request = request.header(header::IF_NONE_MATCH, tag);
        }
        let response = routes::<()>()
            .oneshot(request.body(Body::empty()).unwrap())
            .await
            .unwrap();
        let (parts, body) = response.into_parts();
        let bytes = body.collect().await.unwrap().to_bytes().to_vec();
        (parts.status, parts.headers, bytes)
    }

    /// Every `url(...)` target in the CSS, as a browser would request it.
    fn urls_in_css() -> Vec<&'static str> {
        CSS.split("url(")
            .skip(1)
            .map(|rest| rest[..rest.find(')').unwrap()].trim().trim_matches('"'))
            .filter(|url| !url.starts_with("data:") && !url.starts_with('#'))
            .collect()
    }

    fn font_faces() -> Vec<&'static str> {
        CSS.split("@font-face")
            .skip(1)
            .map(|rest| &rest[..rest.find('}').unwrap()])
            .collect()
    }

    #[test]
    fn css_has_govuk_frontend_components() {
        for class in [
            ".govuk-table",
            ".govuk-header",
            ".govuk-generic-header",
            ".govuk-service-navigation",
            ".govuk-tag--green",
            ".govuk-tag--yellow",
            ".govuk-tag--red",
        ] {
            assert!(CSS.contains(class), "{class} is missing from the CSS");
        }
        for class in [".hearth-chart", ".hearth-table-scroll", ".hearth-heatmap"] {
            assert!(CSS.contains(class), "{class} is missing from the CSS");
        }
        // Paper copies leave out the ways around the site.
        let print = CSS
            .find("@media print{.govuk-header,")
            .map(|at| &CSS[at..])
            .unwrap();
        let hidden = &print[..print.find('}').unwrap()];
        for class in [
            ".govuk-service-navigation",
            ".govuk-footer",
            ".hearth-no-print",
        ] {
            assert!(hidden.contains(class), "{class} is not hidden in print");
        }
    }

    #[test]
    fn css_uses_the_free_font_and_never_gds_transport() {
        let faces = font_faces();
        assert!(!faces.is_empty(), "no @font-face rules");
        for face in &faces {
            assert!(face.contains("Source Sans 3"), "unexpected face: {face}");
            assert!(
                face.contains(".woff2"),
                "face without a woff2 source: {face}"
            );
        }
        // Neither a face nor a font stack may name it: it is licensed for GOV.UK only.
        assert!(!CSS.to_lowercase().contains("gds transport"));
        assert!(CSS.contains("font-family:\"Source Sans 3\",arial,sans-serif"));
    }

    #[test]
    fn css_path_carries_a_content_hash() {
        let hash = CSS_PATH
            .strip_prefix("/assets/hearth-")
            .and_then(|rest| rest.strip_suffix(".css"))
            .unwrap();
        assert_eq!(hash.len(), 8);
        assert!(hash.chars().all(|c| c.is_ascii_hexdigit()));
    }

    #[tokio::test]
    async fn every_url_in_the_css_is_served() {
        let urls = urls_in_css();
        assert!(
            urls.len() >= 2,
            "expected at least the two font files: {urls:?}"
        );
        for url in urls {
            let (status, headers, body) = fetch(url, None).await;
            assert_eq!(status, StatusCode::OK, "{url}");
            assert_eq!(headers[header::CACHE_CONTROL], FOREVER, "{url}");
            assert!(headers.contains_key(header::ETAG), "{url}");
            if url.ends_with(".woff2") {
                assert_eq!(headers[header::CONTENT_TYPE], "font/woff2");
                assert!(body.starts_with(b"wOF2"), "{url} is not a woff2 file");
            }
        }
    }

    #[tokio::test]
    async fn the_stylesheet_is_served_at_both_paths() {
        let (status, headers, body) = fetch(CSS_PATH, None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers[header::CONTENT_TYPE], "text/css; charset=utf-8");
        assert_eq!(headers[header::CACHE_CONTROL], FOREVER);
        assert_eq!(body, CSS.as_bytes());

        let (status, headers, body) = fetch(CSS_PLAIN_PATH, None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(headers[header::CONTENT_TYPE], "text/css; charset=utf-8");
        assert_eq!(headers[header::CACHE_CONTROL], REVALIDATE);
        assert_eq!(body, CSS.as_bytes());
    }

    #[tokio::test]
    async fn a_matching_etag_gets_not_modified() {
        let (_, headers, _) = fetch(CSS_PATH, None).await;
        let etag = headers[header::ETAG].to_str().unwrap().to_string();

        let (status, headers, body) = fetch(CSS_PATH, Some(&etag)).await;
        assert_eq!(status, StatusCode::NOT_MODIFIED);
        assert_eq!(headers[header::ETAG], etag.as_str());
        assert!(body.is_empty());

        let weak_in_a_list = format!("\"other\", W/{etag}");
        let (status, _, _) = fetch(CSS_PLAIN_PATH, Some(&weak_in_a_list)).await;
        assert_eq!(status, StatusCode::NOT_MODIFIED);

        let (status, _, _) = fetch(CSS_PATH, Some("\"stale\"")).await;
        assert_eq!(status, StatusCode::OK);
    }

    #[tokio::test]
    async fn an_unknown_asset_is_not_found() {
        for path in [
            "/assets/hearth-00000000.css",
            "/assets/fonts/missing.woff2",
            "/assets/fonts/../hearth.css",
            "/assets/images/govuk-crest.svg",
        ] {
            let (status, _, _) = fetch(path, None).await;
            assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        }
    }
}
