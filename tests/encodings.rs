//! Encoding detection and the livedoor layout, checked on real articles from
//! ../shared/data/livedoor/text (read in place, never copied into the repo).
use std::path::{Path, PathBuf};

use musubi::text::{decode, Encoding};
use musubi::{Article, Layout};

const LIVEDOOR: &str = "../shared/data/livedoor/text";

/// Every `step`-th article file of the corpus, in a stable order.
fn sample_articles(step: usize) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(LIVEDOOR)
        .expect("livedoor corpus at ../shared/data/livedoor/text")
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let mut in_dir: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                let name = p.file_name().unwrap().to_string_lossy();
                name.starts_with(&*dir.file_name().unwrap().to_string_lossy())
            })
            .collect();
        in_dir.sort();
        files.extend(in_dir);
    }
    assert!(files.len() > 7000, "expected the whole corpus");
    files.into_iter().step_by(step).collect()
}

#[test]
fn real_articles_round_trip_through_shift_jis_and_euc_jp() {
    let mut checked = 0;
    for path in sample_articles(10) {
        let text = std::fs::read_to_string(&path).unwrap();
        for (enc, tag) in [
            (encoding_rs::SHIFT_JIS, Encoding::ShiftJis),
            (encoding_rs::EUC_JP, Encoding::EucJp),
        ] {
            let (bytes, _, unmappable) = enc.encode(&text);
            if unmappable {
                // e.g. an emoji or a character outside JIS X 0208: not representable.
                continue;
            }
            let (decoded, found) = decode(&bytes, &path).unwrap();
            assert_eq!(found, tag, "{}", path.display());
            // Not always `text` itself: Windows Shift_JIS maps a few characters
            // (U+2212 MINUS SIGN) to look-alikes (U+FF0D) on the way back.
            let expected = enc
                .decode_without_bom_handling_and_without_replacement(&bytes)
                .unwrap();
            assert_eq!(decoded, expected, "{}", path.display());
            checked += 1;
        }
        let (decoded, found) = decode(text.as_bytes(), &path).unwrap();
        assert_eq!((decoded.as_str(), found), (text.as_str(), Encoding::Utf8));
    }
    assert!(checked > 600, "only {checked} encodings checked");
}

#[test]
fn livedoor_layout_reads_url_date_and_title() {
    for path in sample_articles(50) {
        let a = Article::read(&path, Layout::Livedoor).unwrap();
        let url = a.url.as_deref().unwrap();
        assert!(url.starts_with("http://news.livedoor.com/"), "{url}");
        let date = a.date.as_deref().unwrap();
        assert!(date.len() >= 10 && date.as_bytes()[4] == b'-', "{date}");
        let title = a.title.as_deref().unwrap();
        assert!(!title.is_empty());
        // The body starts with the title line and holds neither URL nor date.
        assert!(a.text.starts_with(title), "{}", path.display());
        assert!(!a.text.contains(url));
    }
}

#[test]
fn livedoor_layout_refuses_the_corpus_notes() {
    let base = Path::new(LIVEDOOR);
    for path in [
        base.join("README.txt"),
        base.join("CHANGES.txt"),
        base.join("it-life-hack/LICENSE.txt"),
    ] {
        let err = Article::read(&path, Layout::Livedoor)
            .unwrap_err()
            .to_string();
        assert!(err.contains("not a livedoor article"), "{err}");
        assert!(!err.contains('\n'));
        // Under the plain layout they are just text.
        assert!(Article::read(&path, Layout::Plain).is_ok());
    }
}
