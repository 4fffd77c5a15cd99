//! A fuzz driver for the stable toolchain: feeds mutated articles to the whole
//! extraction path (decode → article → sentences → tokens → mentions → entities →
//! facts → RDF quads) for a given time and stops at the first panic, saving the
//! input. Deterministic for a given seed, so a failure can be replayed.
//!
//! `cargo bench --bench fuzz -- --seconds 300 [--seed N] [--out DIR]`
//! `cargo bench --bench fuzz -- --replay FILE` runs one saved input.
//!
//! (cargo-fuzz/libFuzzer would add coverage guidance but needs a nightly
//! sanitizer build of every dependency, RocksDB included; see tests/fuzz/.)
use std::panic::AssertUnwindSafe;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use musubi::text::decode;
use musubi::{Article, Extraction, Extractor, Layout, Rules};

/// xorshift64*: tiny, seedable, good enough to pick mutations.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, one_in: usize) -> bool {
        self.below(one_in) == 0
    }
}

/// Fragments that stress the stages: brackets, sentence ends, honorifics and
/// anaphors, numbers with Japanese units, odd Unicode.
const FRAGMENTS: &[&str] = &[
    "「",
    "」",
    "『",
    "』",
    "（",
    "）",
    "(",
    ")",
    "【",
    "】",
    "。",
    "、",
    "！",
    "？",
    "\n",
    "\r\n",
    "##",
    " ",
    "\u{3000}",
    "氏",
    "さん",
    "社長",
    "同社",
    "同氏",
    "彼",
    "彼女",
    "両社",
    "は",
    "が",
    "を",
    "に",
    "で",
    "と",
    "の",
    "から",
    "へ",
    "より",
    "した",
    "しなかった",
    "を検討",
    "就任した",
    "買収した",
    "設立された",
    "移籍した",
    "1億",
    "143億円",
    "3.5%",
    "２０２４年",
    "4月1日",
    "100万ドル",
    "第3四半期",
    "・",
    "＝",
    "ー",
    "株式会社",
    "大学",
    "省",
    "FC",
    "Inc.",
    "\u{200B}",
    "\u{FEFF}",
    "\u{0301}",
    "🎉",
    "👨‍👩‍👧",
    "🇯🇵",
    "ｶﾀｶﾅ",
    "ﾞ",
    "㈱",
    "①",
    "Ⅻ",
    "\u{E000}",
    "\u{FFFD}",
    "\t",
    "\u{0000}",
    "\u{001B}",
    "http://example.com/",
    "2012-01-01T00:00:00+0900",
];

fn mutate(rng: &mut Rng, seeds: &[Vec<u8>], input: &mut Vec<u8>) {
    for _ in 0..1 + rng.below(8) {
        let len = input.len();
        match rng.below(10) {
            // Byte-level damage: decoding must refuse or cope.
            0 if len > 0 => input[rng.below(len)] = rng.next() as u8,
            1 if len > 0 => {
                let at = rng.below(len);
                let end = (at + rng.below(64)).min(len);
                input.drain(at..end);
            }
            // Text-level: insert fragments at character boundaries where possible.
            2..=5 => {
                let frag = FRAGMENTS[rng.below(FRAGMENTS.len())].as_bytes();
                let times = if rng.chance(20) {
                    1 + rng.below(2000)
                } else {
                    1
                };
                let at = char_boundary(input, rng.below(len + 1));
                let piece = frag.repeat(times);
                input.splice(at..at, piece);
            }
            // Duplicate a span (long repetitive text).
            6 if len > 0 => {
                let at = char_boundary(input, rng.below(len));
                let end = char_boundary(input, (at + rng.below(400)).min(len)).max(at);
                let span = input[at..end].to_vec();
                let most = if rng.chance(10) { 500 } else { 4 };
                let times = 1 + rng.below(most);
                let piece = span.repeat(times);
                input.splice(end..end, piece);
            }
            // Splice in part of another seed.
            7 => {
                let other = &seeds[rng.below(seeds.len())];
                if !other.is_empty() {
                    let a = char_boundary(other, rng.below(other.len()));
                    let b = char_boundary(other, (a + rng.below(2000)).min(other.len())).max(a);
                    let at = char_boundary(input, rng.below(len + 1));
                    input.splice(at..at, other[a..b].iter().copied());
                }
            }
            // Re-encode as Shift_JIS or EUC-JP (lossy where unmappable).
            8 if rng.chance(4) => {
                let text = String::from_utf8_lossy(input).into_owned();
                let enc = if rng.chance(2) {
                    encoding_rs::SHIFT_JIS
                } else {
                    encoding_rs::EUC_JP
                };
                *input = enc.encode(&text).0.into_owned();
            }
            _ => {
                // Truncate.
                if len > 0 {
                    input.truncate(char_boundary(input, rng.below(len)));
                }
            }
        }
    }
    // Keep most inputs small so the run tries many of them.
    if input.len() > 200_000 {
        input.truncate(char_boundary(input, 200_000));
    }
}

/// The nearest UTF-8 character start at or before `at` (inputs may not be UTF-8;
/// then any byte will do).
fn char_boundary(bytes: &[u8], mut at: usize) -> usize {
    at = at.min(bytes.len());
    let mut back = 0;
    while at > 0 && at < bytes.len() && (bytes[at] & 0xC0) == 0x80 && back < 3 {
        at -= 1;
        back += 1;
    }
    at
}

/// Runs one input through everything and checks the invariants other stages rely on.
fn run_one(extractor: &Extractor, bytes: &[u8], layout: Layout) {
    let Ok((text, _)) = decode(bytes, Path::new("fuzz-input")) else {
        return;
    };
    let article = Article::from_text(&text, layout, None);
    if article.text.trim().is_empty() {
        return;
    }
    // An error is an acceptable answer (it reaches the user as one line); a panic is not.
    let Ok(x) = extractor.extract(article) else {
        return;
    };
    check(&x);
    let quads = musubi::export::article_alone(&x, &extractor.rules().resolution.names)
        .expect("quads of one article");
    std::hint::black_box(quads);
}

fn check(x: &Extraction) {
    let n = x.article.text.chars().count();
    for s in &x.sentences {
        assert!(s.start < s.end && s.end <= n, "sentence span {s:?}");
    }
    for m in &x.mentions {
        assert!(m.start < m.end && m.end <= n, "mention span {m:?}");
        assert!(m.sentence < x.sentences.len());
    }
    for v in &x.values {
        assert!(v.start < v.end && v.end <= n, "value span {v:?}");
    }
    assert_eq!(x.mention_entity.len(), x.mentions.len());
    for e in x.mention_entity.iter().flatten() {
        assert!(*e < x.entities.len());
    }
    for f in &x.facts {
        assert!(f.subject < x.entities.len(), "fact subject {f:?}");
        assert!(f.sentence < x.sentences.len(), "fact sentence {f:?}");
        if let musubi::Object::Entity(o) = f.object {
            assert!(o < x.entities.len(), "fact object {f:?}");
        }
    }
}

fn seeds() -> Vec<Vec<u8>> {
    let mut seeds: Vec<Vec<u8>> = vec![
        "東京の会社が新製品を発表した。".into(),
        "山本太郎氏は4月1日付で同社の社長に就任した。彼は「挑戦する」と述べた。".into(),
        "A社はB社を143億円で買収したと発表した。出資比率は3.5%。".into(),
    ];
    for dir in [
        "../shared/data/dev",
        "../shared/data/seed",
        "../shared/data/livedoor/text/sports-watch",
        "../shared/data/livedoor/text/topic-news",
    ] {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            .collect();
        paths.sort();
        for p in paths.into_iter().take(20) {
            if let Ok(b) = std::fs::read(&p) {
                seeds.push(b);
            }
        }
    }
    seeds
}

fn main() {
    let mut seconds = 60u64;
    let mut seed = 1u64;
    let mut out = PathBuf::from("target/fuzz-failures");
    let mut replay = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--seconds" => {
                seconds = args
                    .next()
                    .and_then(|s| s.parse().ok())
                    .expect("--seconds N")
            }
            "--seed" => seed = args.next().and_then(|s| s.parse().ok()).expect("--seed N"),
            "--out" => out = args.next().expect("--out DIR").into(),
            "--replay" => replay = Some(PathBuf::from(args.next().expect("--replay FILE"))),
            "--bench" => {}
            other => panic!("unknown argument {other}"),
        }
    }
    let extractor = Extractor::new(Rules::builtin().expect("rules")).expect("dictionary");
    if let Some(file) = replay {
        let bytes = std::fs::read(&file).expect("replay file");
        for layout in [Layout::Plain, Layout::Livedoor] {
            run_one(&extractor, &bytes, layout);
        }
        println!("{}: no panic", file.display());
        return;
    }
    let seeds = seeds();
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let start = Instant::now();
    let (mut iterations, mut bytes_total) = (0u64, 0u64);
    let mut slowest = (Duration::ZERO, 0usize);
    println!(
        "fuzzing the extractor for {seconds} s, seed {seed}, {} seed inputs",
        seeds.len()
    );
    while Instant::now() < deadline {
        let mut input = seeds[rng.below(seeds.len())].clone();
        mutate(&mut rng, &seeds, &mut input);
        let layout = if rng.chance(4) {
            Layout::Livedoor
        } else {
            Layout::Plain
        };
        let t = Instant::now();
        let result =
            std::panic::catch_unwind(AssertUnwindSafe(|| run_one(&extractor, &input, layout)));
        let took = t.elapsed();
        if took > slowest.0 {
            slowest = (took, input.len());
        }
        iterations += 1;
        bytes_total += input.len() as u64;
        // A hang shows up as one input taking far longer than its size explains.
        let slow = took > Duration::from_secs(2) + Duration::from_millis(input.len() as u64 / 1000);
        if result.is_err() || slow {
            std::fs::create_dir_all(&out).expect("failure folder");
            let kind = if slow { "slow" } else { "panic" };
            let path = out.join(format!("{kind}-seed{seed}-iter{iterations}.txt"));
            std::fs::write(&path, &input).expect("save failing input");
            println!(
                "{kind} on iteration {iterations} ({} bytes, {layout:?}, {took:?}); input saved to {}",
                input.len(),
                path.display()
            );
            std::process::exit(1);
        }
        if iterations.is_multiple_of(2000) {
            println!(
                "  {iterations} inputs, {:.1} MB, {:.0} s",
                bytes_total as f64 / 1e6,
                start.elapsed().as_secs_f64()
            );
        }
    }
    println!(
        "done: {iterations} inputs ({:.1} MB) in {:.0} s, no panic; slowest input {:?} ({} bytes)",
        bytes_total as f64 / 1e6,
        start.elapsed().as_secs_f64(),
        slowest.0,
        slowest.1
    );
}
