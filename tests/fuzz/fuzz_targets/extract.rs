//! libFuzzer target: any bytes through decoding and the whole extraction. An
//! error is a fine answer for garbage; a panic or a hang is a bug.
#![no_main]
use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use musubi::text::decode;
use musubi::{Article, Extractor, Layout, Rules};

fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| Extractor::new(Rules::builtin().unwrap()).unwrap())
}

fuzz_target!(|data: &[u8]| {
    let Ok((text, _)) = decode(data, Path::new("fuzz-input")) else {
        return;
    };
    let layout = if data.first().is_some_and(|b| b & 1 == 1) {
        Layout::Livedoor
    } else {
        Layout::Plain
    };
    let article = Article::from_text(&text, layout, None);
    if let Ok(x) = extractor().extract(article) {
        let n = x.article.text.chars().count();
        assert!(x.sentences.iter().all(|s| s.start < s.end && s.end <= n));
        assert!(x.mentions.iter().all(|m| m.start < m.end && m.end <= n));
        assert_eq!(x.mention_entity.len(), x.mentions.len());
    }
});
