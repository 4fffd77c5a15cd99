//! Requests and responses as plain values, independent of the HTTP crate: the
//! handlers are pure functions from a [`Request`] to a [`Response`], which the
//! tests call without a socket.
use std::borrow::Cow;

/// An HTTP method the server tells apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Method {
    Get,
    Head,
    Post,
    Other(String),
}

/// A request, its body already read (the server refuses bodies over its limit).
#[derive(Debug, Clone)]
pub struct Request {
    pub method: Method,
    /// The path, percent-decoded (`/entity`, `/article/3f2a…`).
    pub path: String,
    /// The query string, raw (still percent-encoded).
    pub query_string: String,
    /// Header names in lower case.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// A GET of `url` (path and query string), for tests.
    pub fn get(url: &str) -> Request {
        let (path, query) = url.split_once('?').unwrap_or((url, ""));
        Request {
            method: Method::Get,
            path: percent_decode(path),
            query_string: query.to_string(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Request {
        self.headers
            .push((name.to_ascii_lowercase(), value.to_string()));
        self
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The media type of the body, lower case, without parameters.
    pub fn content_type(&self) -> Option<String> {
        self.header("content-type").map(|v| {
            v.split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase()
        })
    }

    /// Decoded query-string parameters, in order. `None` when they are not UTF-8.
    pub fn params(&self) -> Option<Vec<(String, String)>> {
        parse_form(self.query_string.as_bytes())
    }

    /// The first value of a query-string parameter.
    pub fn param(&self, name: &str) -> Option<String> {
        self.params()?
            .into_iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
    }

    /// A cookie's value.
    pub fn cookie(&self, name: &str) -> Option<&str> {
        self.header("cookie")?
            .split(';')
            .filter_map(|c| c.trim().split_once('='))
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v)
    }
}

/// Parses `application/x-www-form-urlencoded` bytes; `None` when a key or value
/// is not UTF-8 once decoded (the SPARQL protocol refuses such requests).
pub fn parse_form(bytes: &[u8]) -> Option<Vec<(String, String)>> {
    bytes
        .split(|b| *b == b'&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (k, v) = match pair.iter().position(|b| *b == b'=') {
                Some(i) => (&pair[..i], &pair[i + 1..]),
                None => (pair, &[][..]),
            };
            Some((decode_form(k)?, decode_form(v)?))
        })
        .collect()
}

fn decode_form(s: &[u8]) -> Option<String> {
    let spaced: Vec<u8> = s
        .iter()
        .map(|&b| if b == b'+' { b' ' } else { b })
        .collect();
    String::from_utf8(percent_encoding::percent_decode(&spaced).collect()).ok()
}

/// Decodes `%XX` escapes; invalid UTF-8 becomes U+FFFD.
pub fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8_lossy()
        .into_owned()
}

/// Percent-encodes a query-string value (keeps `/` and `:` readable).
pub fn encode_param(s: &str) -> Cow<'_, str> {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~')
        .remove(b'/')
        .remove(b':');
    percent_encoding::utf8_percent_encode(s, SET).into()
}

/// A response: status, headers, body.
#[derive(Debug, Clone)]
pub struct Response {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Response {
        Response {
            status,
            headers: vec![("Content-Type".into(), content_type.into())],
            body: body.into(),
        }
    }

    pub fn html(body: String) -> Response {
        Response::new(200, "text/html; charset=utf-8", body)
    }

    /// A short plain-text error: what went wrong, on one line.
    pub fn error(status: u16, message: &str) -> Response {
        Response::new(status, "text/plain; charset=utf-8", format!("{message}\n"))
    }

    pub fn redirect(location: &str) -> Response {
        Response::new(303, "text/plain; charset=utf-8", "").with_header("Location", location)
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Response {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Picks the offer the `Accept` header likes best: the highest quality, and
/// among equals the earliest offer (the server's preference). No header, or
/// `*/*`, gives the first offer; `None` when nothing offered is acceptable.
pub fn negotiate<T: Copy>(accept: Option<&str>, offers: &[(&str, T)]) -> Option<T> {
    let accept = match accept.map(str::trim) {
        None | Some("") => return offers.first().map(|o| o.1),
        Some(a) => a,
    };
    let ranges: Vec<(String, f32)> = accept
        .split(',')
        .filter_map(|item| {
            let mut parts = item.split(';');
            let range = parts.next()?.trim().to_ascii_lowercase();
            if range.is_empty() {
                return None;
            }
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            Some((range, q))
        })
        .collect();
    let quality = |media: &str| -> f32 {
        // The most specific range that matches decides.
        let (kind, _) = media.split_once('/').unwrap_or((media, ""));
        let mut best: Option<(u8, f32)> = None;
        for (range, q) in &ranges {
            let specificity = if range == media {
                3
            } else if range.strip_suffix("/*") == Some(kind) {
                2
            } else if range == "*/*" || range == "*" {
                1
            } else {
                continue;
            };
            if best.is_none_or(|(s, _)| specificity > s) {
                best = Some((specificity, *q));
            }
        }
        best.map_or(0.0, |b| b.1)
    };
    let mut chosen: Option<(f32, T)> = None;
    for (media, value) in offers {
        let q = quality(media);
        if q > 0.0 && chosen.is_none_or(|(best, _)| q > best) {
            chosen = Some((q, *value));
        }
    }
    chosen.map(|c| c.1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiation_follows_quality_then_server_order() {
        let offers = [
            ("application/json", 1),
            ("text/csv", 2),
            ("text/tab-separated-values", 3),
        ];
        assert_eq!(negotiate(None, &offers), Some(1));
        assert_eq!(negotiate(Some("*/*"), &offers), Some(1));
        assert_eq!(negotiate(Some("text/csv"), &offers), Some(2));
        assert_eq!(negotiate(Some("text/*"), &offers), Some(2));
        assert_eq!(
            negotiate(
                Some("application/json;q=0.5, text/tab-separated-values"),
                &offers
            ),
            Some(3)
        );
        assert_eq!(negotiate(Some("image/png"), &offers), None);
        assert_eq!(negotiate(Some("text/csv;q=0, */*;q=0.1"), &offers), Some(1));
    }

    #[test]
    fn forms_refuse_bad_utf8() {
        assert_eq!(
            parse_form(b"query=SELECT+*&x=%E3%81%82").unwrap(),
            vec![
                ("query".into(), "SELECT *".into()),
                ("x".into(), "あ".into())
            ]
        );
        assert!(parse_form(b"query=%FF%FE").is_none());
    }
}
