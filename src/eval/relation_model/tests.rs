//! Measurements, ignored by default:
//! `cargo test --release --lib relation_model -- --ignored --nocapture`.
use super::*;
use crate::rules::Rules;

const JACRED: &str = "../shared/data/jacred/dev.json";

/// How many JacRED facts the pipeline can reach at all: both sides found
/// as entities (or dates), and some candidate pair joining them.
#[test]
#[ignore]
fn measure_reach() {
    let x = Extractor::new(Rules::builtin().unwrap()).unwrap();
    let docs = prepare(&x, &[PathBuf::from(JACRED)]).unwrap();
    let mut per: BTreeMap<String, [usize; 4]> = BTreeMap::new();
    let mut cands = 0;
    for d in &docs {
        let Annotation::Jacred(j) = &d.annotation else {
            continue;
        };
        cands += d.candidates.len();
        let vm = VertexMap::new(j, &d.extraction);
        let gold: BTreeSet<(usize, &str, usize)> =
            j.labels.iter().filter_map(|l| j.mapped_label(l)).collect();
        let ents = d.extraction.entities.len();
        let mapped = |v: usize| {
            (0..ents).any(|e| vm.entity(e).contains(&v))
                || d.extraction
                    .values
                    .iter()
                    .any(|x| vm.literal(&x.value).contains(&v))
        };
        for (h, r, t) in &gold {
            let e = per.entry(r.to_string()).or_default();
            e[0] += 1;
            if mapped(*h) && mapped(*t) {
                e[1] += 1;
            }
            let reach = d
                .candidates
                .iter()
                .zip(&d.labels)
                .any(|(c, (holds, neutral))| {
                    let _ = c;
                    holds.iter().chain(neutral).any(|x| x == r) && {
                        let xs = vm.entity(c.subject);
                        let ys = match c.object {
                            Arg::Entity(e) => vm.entity(e).to_vec(),
                            Arg::Value(v) => vm.literal(&d.extraction.values[v].value),
                        };
                        xs.contains(h) && ys.contains(t) || xs.contains(t) && ys.contains(h)
                    }
                });
            if reach {
                e[2] += 1;
            } else if mapped(*h) && mapped(*t) {
                let sents = |v: usize| -> Vec<usize> {
                    j.vertex_set[v].iter().map(|m| m.sent_id).collect()
                };
                println!(
                    "UNREACHED {r} {} [{:?}] -> {} [{:?}] | {}",
                    j.vertex_set[*h][0].name,
                    sents(*h),
                    j.vertex_set[*t][0].name,
                    sents(*t),
                    j.title
                );
            }
            let here = d.candidates.iter().zip(&d.labels).any(|(c, (holds, _))| {
                holds.iter().any(|x| x == r) && {
                    let xs = vm.entity(c.subject);
                    let ys = match c.object {
                        Arg::Entity(e) => vm.entity(e).to_vec(),
                        Arg::Value(v) => vm.literal(&d.extraction.values[v].value),
                    };
                    xs.contains(h) && ys.contains(t) || xs.contains(t) && ys.contains(h)
                }
            });
            if here {
                e[3] += 1;
            }
        }
    }
    println!("{cands} candidates");
    println!("relation          gold  both-found  some-pair  pair-in-evidence");
    let mut tot = [0; 4];
    for (r, c) in &per {
        println!("{r:<16} {:>5} {:>10} {:>10} {:>10}", c[0], c[1], c[2], c[3]);
        for k in 0..4 {
            tot[k] += c[k];
        }
    }
    println!(
        "{:<16} {:>5} {:>10} {:>10} {:>10}",
        "all", tot[0], tot[1], tot[2], tot[3]
    );
}
