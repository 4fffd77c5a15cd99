//! The name list's text format and its compiled form, an FST map from each
//! name's bytes to its class bits. `build.rs` includes this file to compile the
//! shipped `ontology/names.tsv` into the binary, and `--ontology DIR` compiles a
//! folder's own list with it at load: one parser, so both read the same format
//! and refuse the same mistakes. It uses nothing but `std` and `fst`.

/// Class bits, in the order of [`CLASS_LETTERS`].
pub const SURNAME: u8 = 1;
pub const GIVEN_NAME: u8 = 2;
pub const PERSON: u8 = 4;
pub const PLACE: u8 = 8;
pub const COUNTRY: u8 = 16;
pub const OTHER_PROPER: u8 = 32;
pub const COMMON_WORD: u8 = 64;
const CLASS_LETTERS: [(char, u8); 7] = [
    ('S', SURNAME),
    ('G', GIVEN_NAME),
    ('P', PERSON),
    ('L', PLACE),
    ('C', COUNTRY),
    ('N', OTHER_PROPER),
    ('W', COMMON_WORD),
];

/// Compiles a list in the `names.tsv` format into the bytes of an FST map;
/// `Err` carries the line number and the problem.
pub fn compile(text: &str) -> Result<Vec<u8>, String> {
    let mut entries = parse(text)?;
    // The FST takes its keys in byte order; a name on several lines gets the
    // union of its classes.
    entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
    let mut builder = fst::MapBuilder::memory();
    let mut i = 0;
    while i < entries.len() {
        let (name, mut classes) = entries[i];
        i += 1;
        while i < entries.len() && entries[i].0 == name {
            classes |= entries[i].1;
            i += 1;
        }
        builder
            .insert(name, u64::from(classes))
            .map_err(|e| format!("compiling the name list: {e}"))?;
    }
    builder
        .into_inner()
        .map_err(|e| format!("compiling the name list: {e}"))
}

/// The `(name, classes)` of every line, in file order.
fn parse(text: &str) -> Result<Vec<(&[u8], u8)>, String> {
    let mut entries = Vec::with_capacity(text.bytes().filter(|&b| b == b'\n').count() + 1);
    for (n, line) in text.lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (surface, letters) = line
            .split_once('\t')
            .ok_or_else(|| format!("line {}: expected `name<TAB>classes`", n + 1))?;
        let mut classes = 0u8;
        for c in letters.chars() {
            let bit = CLASS_LETTERS
                .iter()
                .find(|(l, _)| *l == c)
                .ok_or_else(|| format!("line {}: unknown class {c:?} (use S G P L C N W)", n + 1))?
                .1;
            classes |= bit;
        }
        if surface.is_empty() {
            return Err(format!("line {}: empty name", n + 1));
        }
        entries.push((surface.as_bytes(), classes));
    }
    Ok(entries)
}
