//! What a decoded file must be before it is read as an article, and what is
//! taken out of it first. Feeds carry web pages as well as text: HTML tags and
//! character references are stripped (the caller is told, so it can warn), and
//! a text in another language is refused with its reason, since every later
//! stage reads Japanese.
use std::borrow::Cow;

/// Names of HTML elements whose tags are markup wherever they appear. A
/// bracketed word that is not one (<Photo>, a credit in some feeds) is text.
const ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "article",
    "aside",
    "b",
    "blockquote",
    "body",
    "br",
    "center",
    "cite",
    "code",
    "dd",
    "div",
    "dl",
    "dt",
    "em",
    "figcaption",
    "figure",
    "font",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "li",
    "link",
    "main",
    "meta",
    "nav",
    "noscript",
    "ol",
    "option",
    "p",
    "pre",
    "s",
    "script",
    "section",
    "select",
    "small",
    "source",
    "span",
    "strong",
    "style",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "u",
    "ul",
    "video",
];

/// Elements whose content is no text either.
const HIDDEN: &[&str] = &["script", "style", "noscript", "head", "title"];

/// Named character references decoded; numeric ones (&#12354; &#x3042;) are too.
const ENTITIES: &[(&str, &str)] = &[
    ("amp", "&"),
    ("lt", "<"),
    ("gt", ">"),
    ("quot", "\""),
    ("apos", "'"),
    ("nbsp", " "),
    ("mdash", "—"),
    ("ndash", "–"),
    ("hellip", "…"),
    ("middot", "・"),
    ("copy", "©"),
    ("reg", "®"),
    ("trade", "™"),
    ("yen", "¥"),
    ("laquo", "«"),
    ("raquo", "»"),
    ("rarr", "→"),
    ("larr", "←"),
];

/// What [`strip_markup`] took out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stripped {
    pub tags: usize,
    pub references: usize,
}

impl Stripped {
    pub fn any(&self) -> bool {
        self.tags + self.references > 0
    }
    /// A one-line description for a warning.
    pub fn describe(&self) -> String {
        format!(
            "HTML markup stripped ({} tags, {} character references)",
            self.tags, self.references
        )
    }
}

/// The text without HTML tags (block-level ones become line breaks) and with
/// character references decoded.
pub fn strip_markup(text: &str) -> (Cow<'_, str>, Stripped) {
    if !text.contains('<') && !text.contains('&') {
        return (Cow::Borrowed(text), Stripped::default());
    }
    let mut out = String::with_capacity(text.len());
    let mut stripped = Stripped::default();
    let mut rest = text;
    let mut hidden: Option<String> = None;
    while let Some(k) = rest.find(['<', '&']) {
        if hidden.is_none() {
            out.push_str(&rest[..k]);
        }
        let at = &rest[k..];
        if at.starts_with('<') {
            if let Some((len, name, closing)) = tag(at) {
                stripped.tags += 1;
                match &hidden {
                    Some(h) if closing && *h == name => hidden = None,
                    Some(_) => {}
                    None if !closing && HIDDEN.contains(&name.as_str()) => hidden = Some(name),
                    None if matches!(
                        name.as_str(),
                        "br" | "p"
                            | "div"
                            | "li"
                            | "tr"
                            | "h1"
                            | "h2"
                            | "h3"
                            | "h4"
                            | "h5"
                            | "h6"
                            | "section"
                            | "article"
                    ) =>
                    {
                        out.push('\n')
                    }
                    None => {}
                }
                rest = &at[len..];
                continue;
            }
        } else if let Some((len, decoded)) = reference(at) {
            stripped.references += 1;
            if hidden.is_none() {
                out.push_str(&decoded);
            }
            rest = &at[len..];
            continue;
        }
        if hidden.is_none() {
            out.push_str(&at[..1]);
        }
        rest = &at[1..];
    }
    if hidden.is_none() {
        out.push_str(rest);
    }
    if stripped.any() {
        (Cow::Owned(out), stripped)
    } else {
        (Cow::Borrowed(text), stripped)
    }
}

/// An HTML tag or comment at the start of `s`: its length in bytes, its
/// element name (lowercase) and whether it closes the element.
fn tag(s: &str) -> Option<(usize, String, bool)> {
    if let Some(body) = s.strip_prefix("<!--") {
        return Some((4 + body.find("-->")? + 3, "!--".into(), false));
    }
    let end = s[1..].find(['>', '<', '\n'])? + 1;
    if !s[end..].starts_with('>') {
        return None;
    }
    let inner = &s[1..end];
    let closing = inner.starts_with('/');
    let name: String = inner
        .trim_start_matches('/')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_ascii_lowercase();
    let doctype = inner.to_ascii_lowercase().starts_with("!doctype");
    (doctype || ELEMENTS.contains(&name.as_str())).then_some((end + 1, name, closing))
}

/// A character reference at the start of `s`: its length and what it stands for.
fn reference(s: &str) -> Option<(usize, String)> {
    let end = s[1..].find(';')? + 1;
    if end > 10 {
        return None;
    }
    let body = &s[1..end];
    let decoded = if let Some(num) = body.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(code)?.to_string()
    } else {
        ENTITIES.iter().find(|(n, _)| *n == body)?.1.to_string()
    };
    Some((end + 1, decoded))
}

/// Why a text is not Japanese, if it is not: no kana or kanji at all, letters
/// of other scripts twenty times as many as Japanese ones, or a long run of kanji
/// without a single kana (Chinese).
pub fn not_japanese(text: &str) -> Option<String> {
    let (mut kana, mut kanji, mut other) = (0usize, 0usize, 0usize);
    for c in text.chars() {
        if crate::text::is_kana(c) || c == 'ー' {
            kana += 1;
        } else if crate::text::is_kanji(c) {
            kanji += 1;
        } else if c.is_alphabetic() {
            other += 1;
        }
    }
    let japanese = kana + kanji;
    if japanese == 0 {
        Some("not Japanese (no kana or kanji)".into())
    } else if japanese * 20 < other {
        Some(format!(
            "not Japanese ({japanese} kana and kanji among {} letters)",
            japanese + other
        ))
    } else if kana == 0 && kanji >= 50 {
        Some(format!(
            "not Japanese ({kanji} kanji and no kana: Chinese?)"
        ))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_and_references_are_stripped_and_counted() {
        let (text, s) = strip_markup(
            "<p>ミドリ電機は<b>新製品</b>を発表した。</p><script>var x = 1;</script>価格&amp;仕様&#12354;&mdash;<Photo>",
        );
        assert_eq!(
            text,
            "\nミドリ電機は新製品を発表した。\n価格&仕様あ—<Photo>"
        );
        assert_eq!(s.tags, 6);
        assert_eq!(s.references, 3);
        let (plain, s) = strip_markup("A<B and C&D; x<y>z");
        assert_eq!(plain, "A<B and C&D; x<y>z");
        assert!(!s.any());
    }

    #[test]
    fn other_languages_are_told_apart() {
        assert!(not_japanese("ミドリ電機は新製品を発表した。").is_none());
        assert!(not_japanese("Plain English text only. Nothing else.").is_some());
        assert!(not_japanese("本文。").is_none());
        assert!(not_japanese(&"这是一篇关于公司发布新产品的中文新闻报道".repeat(3)).is_some());
        assert!(
            not_japanese("Apple、iPhone 15を発表 Apple announced the iPhone 15 today").is_none()
        );
    }
}
