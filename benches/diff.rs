//! Diff speed: alignment plus word and bracket diffs of two ~40 KB iterations built from the
//! bundled example, and of a 300-paragraph draft with heavy edits.
//! Run: `cargo bench --bench diff` (`-- --quick` for a rough number).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;

fn iteration(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("drafts/smart-cities-resolution")
        .join(name);
    std::fs::read_to_string(path).unwrap_or_default()
}

/// Four consecutive iterations end to end against the next four: about 40 KB each, with
/// every kind of change the example holds, repeated.
fn example_pair() -> (String, String) {
    let files = [
        "01-zero-draft.md",
        "02-compilation-1.md",
        "03-rev1.md",
        "04-compilation-2.md",
        "05-rev2.md",
    ];
    let old = files[..4]
        .iter()
        .map(|f| iteration(f))
        .collect::<Vec<_>>()
        .join("\n\n");
    let new = files[1..]
        .iter()
        .map(|f| iteration(f))
        .collect::<Vec<_>>()
        .join("\n\n");
    (old, new)
}

/// A deterministic pseudo-random generator (no dependency, same numbers everywhere).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

const WORDS: &[&str] = &[
    "urban",
    "digital",
    "inclusive",
    "governance",
    "data",
    "privacy",
    "capacity",
    "local",
    "authorities",
    "sustainable",
    "development",
    "rights",
    "resources",
    "technology",
    "transfer",
    "cooperation",
    "participation",
    "infrastructure",
    "services",
    "communities",
    "housing",
    "water",
    "climate",
    "resilience",
    "finance",
    "planning",
    "mobility",
    "energy",
    "waste",
    "health",
    "the",
    "and",
    "of",
    "to",
    "in",
    "for",
    "with",
    "on",
];
const ACTORS: &[&str] = &[
    "USA", "FRA", "EGY", "RUS", "CHN", "BRA", "IND", "KEN", "EU", "G77",
];

fn sentence(rng: &mut Lcg, words: usize) -> String {
    let mut s = String::new();
    for k in 0..words {
        if k > 0 {
            s.push(' ');
        }
        if rng.next(12) == 0 {
            let a = ACTORS[rng.next(ACTORS.len())];
            let b = ACTORS[rng.next(ACTORS.len())];
            s.push_str(&format!(
                "[{} {}] {{{a}+ {b}-}}",
                WORDS[rng.next(WORDS.len())],
                WORDS[rng.next(WORDS.len())]
            ));
        } else {
            s.push_str(WORDS[rng.next(WORDS.len())]);
        }
    }
    s
}

/// 300 paragraphs (half preambular), then the same with heavy edits: a third reworded, some
/// removed, inserted, split, merged and moved.
fn heavy_pair() -> (String, String) {
    let mut rng = Lcg(7);
    let paras: Vec<String> = (0..300)
        .map(|_| {
            let n = 30 + rng.next(50);
            sentence(&mut rng, n)
        })
        .collect();
    let render = |paras: &[String]| {
        let mut s = String::from("The Assembly,\n\n");
        for (k, p) in paras.iter().enumerate() {
            if k < paras.len() / 2 {
                s.push_str(&format!("Recalling {p},\n\n"));
            } else {
                s.push_str(&format!("{}. Decides {p};\n\n", k + 1 - paras.len() / 2));
            }
        }
        s
    };
    let mut edited: Vec<String> = Vec::new();
    let mut moved = Vec::new();
    for p in &paras {
        match rng.next(20) {
            0 => {}
            1 => {
                edited.push(p.clone());
                edited.push(sentence(&mut rng, 40));
            }
            2 => {
                let words: Vec<&str> = p.split(' ').collect();
                let half = words.len() / 2;
                edited.push(words[..half].join(" "));
                edited.push(words[half..].join(" "));
            }
            3 => match edited.last_mut() {
                Some(last) => {
                    last.push(' ');
                    last.push_str(p);
                }
                None => edited.push(p.clone()),
            },
            4 => moved.push(p.clone()),
            5..=11 => {
                let mut words: Vec<String> = p.split(' ').map(String::from).collect();
                for _ in 0..words.len() / 5 {
                    let at = rng.next(words.len());
                    words[at] = WORDS[rng.next(WORDS.len())].to_string();
                }
                edited.push(words.join(" "));
            }
            _ => edited.push(p.clone()),
        }
    }
    edited.extend(moved);
    (render(&paras), render(&edited))
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("diff");
    let (old, new) = example_pair();
    let (a, b) = (brackets::parse(&old), brackets::parse(&new));
    group.throughput(Throughput::Bytes((old.len() + new.len()) as u64));
    group.bench_function(format!("example_{}KB", (old.len() + 512) / 1024), |bench| {
        bench.iter(|| black_box(brackets::diff::diff(black_box(&a), black_box(&b))))
    });
    let (old, new) = heavy_pair();
    let (a, b) = (brackets::parse(&old), brackets::parse(&new));
    group.throughput(Throughput::Elements(a.paragraphs.len() as u64));
    group.bench_function(
        format!("heavy_{}_paragraphs", a.paragraphs.len()),
        |bench| bench.iter(|| black_box(brackets::diff::diff(black_box(&a), black_box(&b)))),
    );
    // Alignment alone, without word and bracket diffs.
    let plain = |d: &brackets::Document| {
        d.paragraphs
            .iter()
            .map(|p| p.plain_text(&d.source))
            .collect::<Vec<_>>()
    };
    let (pa, pb) = (plain(&a), plain(&b));
    group.bench_function("heavy_align_only", |bench| {
        bench.iter(|| {
            let ta: Vec<&str> = pa.iter().map(String::as_str).collect();
            let tb: Vec<&str> = pb.iter().map(String::as_str).collect();
            let (ba, bb, vocab) = brackets::diff::align::bags(&ta, &tb);
            let ids_a: Vec<&str> = a.paragraphs.iter().map(|p| p.id.as_str()).collect();
            let ids_b: Vec<&str> = b.paragraphs.iter().map(|p| p.id.as_str()).collect();
            let sa = brackets::diff::align::Side {
                ids: ids_a,
                texts: ta,
                bags: ba,
            };
            let sb = brackets::diff::align::Side {
                ids: ids_b,
                texts: tb,
                bags: bb,
            };
            black_box(brackets::diff::align::align(&sa, &sb, vocab))
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
