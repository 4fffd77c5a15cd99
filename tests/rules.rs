//! Rules are data: a user copies `ontology/`, adds a relation and a rule, and
//! `--ontology DIR` uses them without recompiling (the README's how-to).
use std::path::Path;
use std::process::Command;

const ARTICLE: &str = "飲料大手の東海飲料は、湾岸マラソン大会に協賛すると発表した。\n";

fn extract(ontology: Option<&Path>, article: &Path) -> (bool, String, String) {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_musubi"));
    if let Some(dir) = ontology {
        cmd.arg("--ontology").arg(dir);
    }
    let out = cmd
        .args(["extract", "--format", "jsonl"])
        .arg(article)
        .output()
        .expect("musubi runs");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn copy_ontology(to: &Path) {
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("ontology");
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
    }
}

fn append(path: &Path, text: &str) {
    let mut all = std::fs::read_to_string(path).unwrap();
    all.push_str(text);
    std::fs::write(path, all).unwrap();
}

#[test]
fn a_users_new_rule_turns_an_open_triple_into_a_fact() {
    let dir = tempfile::tempdir().unwrap();
    let article = dir.path().join("sponsor.txt");
    std::fs::write(&article, ARTICLE).unwrap();

    // Without a rule the predicate is kept as an open triple.
    let (ok, before, err) = extract(None, &article);
    assert!(ok, "{err}");
    assert!(before.contains(r#""relation":"協賛""#), "{before}");
    assert!(before.contains(r#""open":true"#), "{before}");

    let rules = dir.path().join("rules");
    std::fs::create_dir(&rules).unwrap();
    copy_ontology(&rules);
    // A rule naming a relation the vocabulary lacks is refused by file, in one line.
    let rule = "\n[[rule]]\nid = \"sponsors/ni-kyousan\"\nrelation = \"sponsors\"\n\
                predicates = [\"協賛\", \"後援\"]\n\
                subject = { particles = [\"が\"], types = [\"Organization\"] }\n\
                object = { particles = [\"に\"], types = [\"Event\", \"Organization\"] }\n";
    append(&rules.join("relations.toml"), rule);
    let (ok, _, err) = extract(Some(&rules), &article);
    assert!(!ok);
    assert!(
        err.contains("relations.toml") && err.contains("sponsors"),
        "{err}"
    );
    assert_eq!(err.trim_end().lines().count(), 1, "{err}");

    append(
        &rules.join("musubi.ttl"),
        "\nmo:sponsors a owl:ObjectProperty ;\n    rdfs:label \"協賛する\"@ja , \"sponsors\"@en .\n",
    );
    let (ok, after, err) = extract(Some(&rules), &article);
    assert!(ok, "{err}");
    let fact = after
        .lines()
        .find(|l| l.contains(r#""relation":"sponsors""#))
        .unwrap_or_else(|| panic!("no sponsors fact in {after}"));
    assert!(fact.contains(r#""subject":"東海飲料""#), "{fact}");
    assert!(fact.contains(r#""rule":"sponsors/ni-kyousan""#), "{fact}");
    assert!(fact.contains(r#""open":false"#), "{fact}");
}
