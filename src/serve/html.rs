//! HTML building blocks: escaping, the page frame, colours by entity type.
//! Every piece of text that comes from the store or the request goes through
//! [`esc`] (or [`attr`] in attribute values); nothing else builds markup.
use std::fmt::Write;

use super::http::encode_param;

/// Escapes text for HTML element content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Which labels a page shows where the store has several languages
/// (relation and class names); entity names are what the articles wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Ja,
    En,
}

impl Lang {
    pub fn tag(self) -> &'static str {
        match self {
            Lang::Ja => "ja",
            Lang::En => "en",
        }
    }
    pub fn from_tag(s: &str) -> Option<Lang> {
        match s {
            "ja" => Some(Lang::Ja),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

/// Fill colours by entity type, shared by the pictures and the legend.
pub const TYPE_COLOURS: [(&str, &str); 8] = [
    ("Person", "#cfe2ff"),
    ("Organization", "#d1e7dd"),
    ("Product", "#fff3cd"),
    ("Place", "#e2d9f3"),
    ("Event", "#f8d7da"),
    ("Concept", "#f0f0f0"),
    ("Award", "#ffe5b4"),
    ("Literal", "#ffffff"),
];

pub fn type_colour(kind: &str) -> &'static str {
    TYPE_COLOURS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or("#e9ecef", |(_, c)| c)
}

/// The link to an entity's page.
pub fn entity_href(iri: &str) -> String {
    let short = iri.strip_prefix(crate::rdf::ENTITY).unwrap_or(iri);
    format!("/entity?e={}", encode_param(short))
}

pub fn article_href(id: &str) -> String {
    format!("/article/{}", encode_param(id))
}

const STYLE: &str = r#"
body{font-family:"IPAGothic","Noto Sans CJK JP",sans-serif;margin:0;color:#212529;line-height:1.5}
header{background:#343a40;color:#fff;padding:.5em 1em;display:flex;gap:1em;align-items:center;flex-wrap:wrap}
header a{color:#fff;text-decoration:none}header .brand{font-weight:bold;font-size:1.2em}
header form{display:flex;gap:.3em}header input[type=search]{width:18em;padding:.2em}
main{padding:1em 1.5em;max-width:72em}
h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.15em;margin-top:1.4em;border-bottom:1px solid #dee2e6}
table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #dee2e6;padding:.25em .5em;vertical-align:top;text-align:left}
th{background:#f8f9fa}.muted{color:#6c757d;font-size:.9em}.note{background:#fff3cd;padding:.3em .6em}
.type{display:inline-block;border:1px solid #adb5bd;border-radius:.3em;padding:0 .35em;font-size:.85em}
.ent{border-radius:.25em;padding:0 .15em;text-decoration:none;color:inherit;border-bottom:2px solid #6c757d}
.ent .tag{font-size:.65em;font-weight:bold;margin-left:.25em;color:#495057;vertical-align:middle}
mark.fact{background:#fff8c5;border-bottom:2px solid #e0a800}
.text{white-space:pre-wrap;line-height:2;font-size:1.05em;max-width:48em}
.sentence{font-size:.95em}.qual{font-size:.85em;color:#495057}
.legend span{display:inline-block;margin-right:.6em}.legend i{display:inline-block;width:.9em;height:.9em;border:1px solid #6c757d;margin-right:.2em;vertical-align:middle}
iframe.graph{width:100%;height:24em;border:1px solid #dee2e6;resize:vertical}
fieldset{border:1px solid #dee2e6;margin:.4em 0}textarea{width:100%;font-family:monospace}
.neg{color:#842029}
"#;

/// What every page needs to know about the request it answers.
pub struct PageCtx {
    pub lang: Lang,
    /// This page's path and query string, without `lang`: the language switch
    /// links back to it.
    pub here: String,
    /// What the search box shows.
    pub search: String,
}

/// A whole page around `body`.
pub fn page(ctx: &PageCtx, title: &str, body: &str) -> String {
    let lang = ctx.lang;
    let mut out = String::with_capacity(body.len() + 4096);
    let switch = format!(
        "{}{}lang=",
        ctx.here,
        if ctx.here.contains('?') { "&" } else { "?" }
    );
    let other = match lang {
        Lang::Ja => ("en", "English"),
        Lang::En => ("ja", "日本語"),
    };
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} — musubi</title><style>{STYLE}{}</style></head><body>\
         <header><a class=\"brand\" href=\"/\">musubi 結び</a>\
         <form action=\"/search\" method=\"get\" role=\"search\">\
         <input type=\"search\" name=\"q\" value=\"{}\" placeholder=\"name, any spelling\" aria-label=\"search\">\
         <button>Search</button></form>\
         <a href=\"/query\">SPARQL query</a><a href=\"/articles\">Articles</a>\
         <a href=\"{}{}\" class=\"lang\">{}</a></header><main>{body}</main></body></html>\n",
        lang.tag(),
        esc(title),
        type_css(),
        esc(&ctx.search),
        esc(&switch),
        other.0,
        other.1,
    );
    out
}

fn type_css() -> String {
    TYPE_COLOURS
        .iter()
        .map(|(k, c)| format!(".t-{k}{{background:{c}}}"))
        .collect()
}

/// The legend of type colours.
pub fn legend(kinds: &[(&str, String)]) -> String {
    let mut out = String::from("<p class=\"legend\">");
    for (kind, label) in kinds {
        let _ = write!(
            out,
            "<span><i style=\"background:{}\"></i>{}</span>",
            type_colour(kind),
            esc(label)
        );
    }
    out.push_str("</p>");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_covers_markup_and_quotes() {
        assert_eq!(
            esc("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn entity_links_are_short_for_musubi_iris() {
        assert_eq!(
            entity_href("https://w3id.org/musubi/entity/person/佐藤 太郎"),
            "/entity?e=person/%E4%BD%90%E8%97%A4%20%E5%A4%AA%E9%83%8E"
        );
        assert_eq!(
            entity_href("http://example.org/x?y"),
            "/entity?e=http://example.org/x%3Fy"
        );
    }
}
