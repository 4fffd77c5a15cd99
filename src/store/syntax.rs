//! SPARQL syntax errors as one line that points into the user's query: the
//! parser's own message lists every token it expected and often points far
//! from the mistake, which is no help to someone who typed `SELEC`.

/// A syntax error as one line that points into the user's text. The parser
/// reports the furthest point any rule reached and every token it expected
/// there, which for a misspelt or unsupported query form is far from the
/// mistake ("SELEC ?x WHERE" fails "at 1:10: expected CONSTRUCT"): the form is
/// checked here first, the rest reported at the parser's position.
pub(super) fn syntax_error(message: &str, sparql: &str) -> String {
    const FORMS: [&str; 4] = ["SELECT", "ASK", "CONSTRUCT", "DESCRIBE"];
    const UPDATES: [&str; 10] = [
        "INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH",
    ];
    if let Some((at, word)) = query_form(sparql) {
        let upper = word.to_uppercase();
        let (line, column) = line_column(sparql, at);
        if UPDATES.contains(&upper.as_str()) {
            return format!(
                "line {line} column {column}: {word} is a SPARQL update, not a query \
                 (SELECT, ASK, CONSTRUCT or DESCRIBE); the store changes through \
                 `musubi ingest` or a writable `musubi serve`"
            );
        }
        if !FORMS.contains(&upper.as_str()) {
            return format!(
                "line {line} column {column}: expected SELECT, ASK, CONSTRUCT or DESCRIBE, found {word:?}"
            );
        }
    }
    syntax_position(message)
}

/// A parser's message reduced to where it failed.
pub(super) fn syntax_position(message: &str) -> String {
    let Some((at, expected)) = message.split_once(": expected ") else {
        return one_line(message);
    };
    let position = at
        .rsplit(' ')
        .next()
        .and_then(|p| p.split_once(':'))
        .map_or_else(|| at.to_string(), |(l, c)| format!("line {l} column {c}"));
    if expected.contains("Prefix not found") {
        format!("syntax error at {position}: unknown prefix (mo:, ent:, art:, rdf:, rdfs:, skos:… are predeclared)")
    } else {
        format!("syntax error at {position}: unexpected input")
    }
}

/// The query form keyword (its byte offset and text) after any PREFIX and BASE
/// declarations and comments, if the text has a word there at all.
fn query_form(sparql: &str) -> Option<(usize, &str)> {
    let mut at = 0;
    loop {
        let rest = &sparql[at..];
        let trimmed = rest.trim_start();
        at += rest.len() - trimmed.len();
        let upper = trimmed.get(..6).unwrap_or("").to_uppercase();
        if trimmed.starts_with('#') {
            at += trimmed.find('\n').unwrap_or(trimmed.len());
        } else if upper.starts_with("PREFIX") || upper.starts_with("BASE") {
            at += trimmed.find('>')? + 1;
        } else {
            let end = trimmed
                .find(|c: char| !c.is_alphanumeric())
                .unwrap_or(trimmed.len());
            return (end > 0).then(|| (at, &trimmed[..end]));
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, at: usize) -> (usize, usize) {
    let before = &text[..at];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// Whitespace, newlines included, as single spaces.
pub(crate) fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
