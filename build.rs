//! Compiles what the binary embeds into the forms it reads in place, under OUT_DIR:
//! - the MeCab IPADIC *source* shipped by Debian's `mecab-ipadic` package into a
//!   lindera dictionary, without any network access (lindera's own
//!   `embed-ipadic` feature downloads it);
//! - the name list `ontology/names.tsv` into an FST map (`names.fst`), so no
//!   process parses its 448,000 lines at start;
//! - the name tagger's model file `ontology/ner-model.bin` into its tagging
//!   tables (`ner-tables.bin`), read in place instead of decoded at start.
//!
//! It also sets how the executables are linked (see [`link_startup_code_together`],
//! [`group_startup_path`] and [`pack_relative_relocations`]).
use lindera_dictionary::{builder::DictionaryBuilder, dictionary::metadata::Metadata};
use std::path::{Path, PathBuf};

#[allow(dead_code)]
#[path = "src/mentions/lexicon/table.rs"]
mod names_table;
#[allow(dead_code)]
#[path = "src/mentions/tagger/layout.rs"]
mod ner_layout;
#[allow(dead_code)]
#[path = "src/varint.rs"]
mod varint;

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
    ner_model(&out);
    ipadic(&out);
    link_startup_code_together();
    group_startup_path();
    pack_relative_relocations();
}

/// Places the code that runs only at start-up side by side. RocksDB's C++
/// files each have a static initializer (`.text.startup.*` sections), which
/// every process runs before `main`, store or not. The linker (LLD, Rust's
/// default on Linux) otherwise scatters them among the code of their files,
/// and since the kernel maps the 64 KB around each page of code that runs,
/// each of those 110 functions paged in a piece of the binary. Kept in one
/// 500 KB section, they and the helpers they share took 1.1 MiB less memory
/// in a `musubi extract` on one line (the helpers compiled into each C++ file
/// stay scattered). GNU ld groups them by default and accepts the option.
fn link_startup_code_together() {
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo::rustc-link-arg=-Wl,-z,keep-text-section-prefix");
    }
}

/// Places the functions that `musubi extract` on one line runs side by side,
/// before the rest of the code, with the linker script `benches/startup.ld`.
/// They are about 1.5 MB of the binary's 16 MB of code, but the linker orders
/// functions by the file that defines them, and the kernel maps the 64 KB
/// around each page of code that runs: spread over 139 such pieces, they took
/// 8.5 MiB of memory. Grouped (with the other instances of the generic
/// functions among them, 3.5 MB in all) they take 3.6 MiB. The script names
/// each function by a pattern that survives rebuilds; a function added since
/// it was written is only laid out as before. The pipeline bench writes it
/// anew (`--startup-layout`), which is why it sits in `benches/`. LLD and
/// GNU ld both read it as an addition to their default layout.
fn group_startup_path() {
    const SCRIPT: &str = "benches/startup.ld";
    println!("cargo::rerun-if-changed={SCRIPT}");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        let dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets it"));
        println!("cargo::rustc-link-arg-bin=musubi=-T");
        println!(
            "cargo::rustc-link-arg-bin=musubi={}",
            dir.join(SCRIPT).display()
        );
    }
}

/// Stores the executables' relative relocations packed (DT_RELR): the
/// loader then reads 9 KB of them at every start instead of 900 KB (the
/// binary is position-independent, and its tables of pointers, vtables and
/// string slices need one relocation each), which was 0.8 MB of the memory
/// of a `musubi extract` on one line. A binary so linked runs only with
/// glibc 2.36 or later, so this is done only when building for the glibc
/// the build runs on and it is that new.
fn pack_relative_relocations() {
    let var = |name: &str| std::env::var(name).unwrap_or_default();
    if var("HOST") == var("TARGET") && var("CARGO_CFG_TARGET_ENV") == "gnu" && glibc_has_relr() {
        println!("cargo::rustc-link-arg=-Wl,-z,pack-relative-relocs");
    }
}

/// Whether the glibc this build script runs with reads DT_RELR (2.36 on).
fn glibc_has_relr() -> bool {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        extern "C" {
            fn gnu_get_libc_version() -> *const std::ffi::c_char;
        }
        // SAFETY: glibc returns a pointer to a static NUL-terminated string.
        let version = unsafe { std::ffi::CStr::from_ptr(gnu_get_libc_version()) };
        let mut parts = version.to_str().unwrap_or("").split('.');
        let mut next = || parts.next().and_then(|p| p.parse::<u32>().ok());
        matches!((next(), next()), (Some(major), Some(minor)) if (major, minor) >= (2, 36))
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    false
}

/// ontology/ner-model.bin → OUT_DIR/ner-tables.bin.
fn ner_model(out: &Path) {
    const SOURCE: &str = "ontology/ner-model.bin";
    println!("cargo::rerun-if-changed={SOURCE}");
    println!("cargo::rerun-if-changed=src/mentions/tagger/layout.rs");
    let bytes = std::fs::read(SOURCE).unwrap_or_else(|e| fail(&format!("{SOURCE}: {e}")));
    // An empty model file builds a binary that finds names by the rules alone.
    let tables = if bytes.is_empty() {
        Vec::new()
    } else {
        ner_layout::ModelFile::decode(&bytes)
            .unwrap_or_else(|e| fail(&format!("{SOURCE}: {e}")))
            .tables()
    };
    let path = out.join("ner-tables.bin");
    std::fs::write(&path, tables).unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
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
