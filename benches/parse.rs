//! Parse throughput on the bundled example's iterations and on a 10 MB synthetic draft.
//! Run: `cargo bench --bench parse`. Numbers are recorded in benches/README.md.

// The same allocator as the binary, so the numbers are what users get.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;

/// The bundled example's iteration files, read from drafts/.
fn example_files() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("drafts");
    let mut files = Vec::new();
    for dir in std::fs::read_dir(&root).into_iter().flatten().flatten() {
        for file in std::fs::read_dir(dir.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let path = file.path();
            if path.extension().is_some_and(|e| e == "md")
                && let Ok(text) = std::fs::read_to_string(&path)
            {
                let name = format!(
                    "{}/{}",
                    dir.file_name().to_string_lossy(),
                    file.file_name().to_string_lossy()
                );
                files.push((name, text));
            }
        }
    }
    files.sort();
    files
}

/// A deterministic compilation text of about `size` bytes: preambular and operative paragraphs
/// with nested brackets, several attribution groups, notes, stamps and sub-paragraphs.
/// `bracket_every` is the mean number of words between bracket clusters: 14 gives the density
/// of the real compilation text of 22 May 2023 (about 90 bytes per bracket, 60 per position);
/// 5 is a stress case several times denser than any real text.
fn synthetic(size: usize, bracket_every: usize) -> String {
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
        "USA", "FRA", "EGY", "RUS", "CHN", "BRA", "IND", "KEN", "NGA", "ZAF", "MEX", "CHL", "ARG",
        "DEU", "NLD", "SWE", "JPN", "CAN", "GBR", "EU", "G77", "AGN", "Chair",
    ];
    const STANCES: &[&str] = &["+", "+", "+", "-", " reserve", " delete"];
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let mut out = String::with_capacity(size + 4096);
    out.push_str("# Draft resolution: synthetic benchmark text\n\nCompilation text\n\nThe General Assembly,\n\n");
    let mut paragraph = 0;
    while out.len() < size {
        paragraph += 1;
        if paragraph < 40 {
            out.push_str("Recognizing ");
        } else {
            out.push_str(&format!("{}. Requests ", paragraph - 39));
        }
        for _ in 0..(150 + next(100)) {
            match next(bracket_every) {
                0 => {
                    let depth = 1 + next(2);
                    for _ in 0..depth {
                        out.push('[');
                    }
                    for _ in 0..(1 + next(5)) {
                        out.push_str(WORDS[next(WORDS.len())]);
                        out.push(' ');
                    }
                    for _ in 0..depth {
                        out.pop();
                        out.push_str("] {");
                        // Distinct actors in a group, as in real text: 7 is prime to the
                        // number of actors, so the steps never meet.
                        let first = next(ACTORS.len());
                        for k in 0..(1 + next(4)) {
                            if k > 0 {
                                out.push_str(", ");
                            }
                            out.push_str(ACTORS[(first + 7 * k) % ACTORS.len()]);
                            out.push_str(STANCES[next(STANCES.len())]);
                        }
                        out.push_str("} ");
                    }
                }
                2 if next(8) == 0 => {
                    out.push_str("{FRA suggest to merge with the next paragraph} ")
                }
                _ => {
                    out.push_str(WORDS[next(WORDS.len())]);
                    out.push(' ');
                }
            }
        }
        if next(4) == 0 {
            out.push_str("Ad ref 22 May 2023 12.26");
        }
        out.push_str(",\n");
        if paragraph >= 40 && next(3) == 0 {
            for letter in ["a", "b", "c"] {
                out.push_str(&format!(
                    "- {letter}. Ensuring [{} {}] {{{}+}};\n",
                    WORDS[next(WORDS.len())],
                    WORDS[next(WORDS.len())],
                    ACTORS[next(ACTORS.len())]
                ));
            }
        }
        out.push('\n');
    }
    out
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    let files = example_files();
    let all: String = files
        .iter()
        .map(|(_, t)| t.as_str())
        .collect::<Vec<_>>()
        .join("\n\n");
    group.throughput(Throughput::Bytes(all.len() as u64));
    group.bench_function("bundled example (all iterations, one by one)", |b| {
        b.iter(|| {
            for (_, text) in &files {
                black_box(brackets::parse(black_box(text)));
            }
        })
    });
    group.sample_size(10);
    for (name, every) in [
        ("synthetic 10 MB draft", 14),
        ("synthetic 10 MB draft, dense stress case", 4),
    ] {
        let big = synthetic(10 * 1024 * 1024, every);
        let doc = brackets::parse(&big);
        let brackets: usize = doc.paragraphs.iter().map(|p| p.brackets.len()).sum();
        let positions = doc.positions().count();
        eprintln!(
            "{name}: {} bytes, {} paragraphs, {} diagnostics, {} bytes per bracket, {} bytes per position",
            big.len(),
            doc.paragraphs.len(),
            doc.diagnostics.len(),
            big.len() / brackets.max(1),
            big.len() / positions.max(1)
        );
        let mut codes = std::collections::BTreeMap::new();
        for d in &doc.diagnostics {
            *codes.entry(d.code).or_insert(0usize) += 1;
        }
        eprintln!("  diagnostics by code: {codes:?}");
        group.throughput(Throughput::Bytes(big.len() as u64));
        group.bench_function(name, |b| {
            b.iter(|| black_box(brackets::parse(black_box(&big))))
        });
        // As the command line reads a file: the text read from disk is handed over, not
        // copied, and the document is dropped outside the timing.
        group.bench_function(format!("{name}, owned text"), |b| {
            b.iter_batched(
                || big.clone(),
                |text| brackets::parse_owned(text, brackets::actors::Actors::builtin()),
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
