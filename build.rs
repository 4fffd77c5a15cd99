//! Compiles what the binary embeds into the forms it reads in place, under OUT_DIR:
//! - the MeCab IPADIC *source* shipped by Debian's `mecab-ipadic` package into a
//!   lindera dictionary, without any network access (lindera's own
//!   `embed-ipadic` feature downloads it);
//! - the name list `ontology/names.tsv` into an FST map (`names.fst`), so no
//!   process parses its 448,000 lines at start.
use lindera_dictionary::{builder::DictionaryBuilder, dictionary::metadata::Metadata};
use std::path::{Path, PathBuf};

#[allow(dead_code)]
#[path = "src/mentions/lexicon/table.rs"]
mod names_table;

fn fail(msg: &str) -> ! {
    for line in msg.lines() {
        println!("cargo::error={line}");
    }
    std::process::exit(1)
}

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    names(&out);
    ipadic(&out);
}

/// ontology/names.tsv → OUT_DIR/names.fst.
fn names(out: &Path) {
    const SOURCE: &str = "ontology/names.tsv";
    println!("cargo::rerun-if-changed={SOURCE}");
    println!("cargo::rerun-if-changed=src/mentions/lexicon/table.rs");
    let text = std::fs::read_to_string(SOURCE).unwrap_or_else(|e| fail(&format!("{SOURCE}: {e}")));
    let fst = names_table::compile(&text).unwrap_or_else(|e| fail(&format!("{SOURCE}: {e}")));
    let path = out.join("names.fst");
    std::fs::write(&path, fst).unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
}

fn ipadic(out: &Path) {
    println!("cargo::rerun-if-changed=ipadic-metadata.json");
    println!("cargo::rerun-if-env-changed=IPADIC_SRC_DIR");
    let src = PathBuf::from(
        std::env::var_os("IPADIC_SRC_DIR").unwrap_or("/usr/share/mecab/dic/ipadic".into()),
    );
    let needed = ["matrix.def", "char.def", "unk.def", "Noun.csv"];
    if !needed.iter().all(|f| src.join(f).is_file()) {
        fail(&format!(
            "MeCab IPADIC source not found at {}.\n\
             Install it with `apt-get install -y mecab-ipadic`, or set IPADIC_SRC_DIR \
             to a folder holding its *.csv and *.def files.",
            src.display()
        ));
    }
    println!("cargo::rerun-if-changed={}", src.display());
    let metadata = Metadata::load(include_bytes!("ipadic-metadata.json"))
        .unwrap_or_else(|e| fail(&format!("ipadic-metadata.json: {e}")));
    DictionaryBuilder::new(metadata)
        .build_dictionary(&src, &out.join("ipadic"))
        .unwrap_or_else(|e| {
            fail(&format!(
                "building IPADIC from {} failed: {e}",
                src.display()
            ))
        });
    println!("cargo::rustc-env=LINDERA_WORKDIR={}", out.display());
}
