//! History of one draft on a synthetic corpus: the walk that finds its iterations, the walk
//! plus reading and parsing each iteration (what `brackets log` does), and the diffs of
//! consecutive iterations and of the first against the last.
//!
//! Run: `cargo bench --bench history` (`-- --quick` for a rough number). The corpus is
//! `$BRACKETS_BENCH_CORPUS` (a repository written by `examples/synth`, e.g. /work/corpus/large)
//! and the draft `$BRACKETS_BENCH_DRAFT` (default: the first draft of the corpus); without
//! them, the `small` corpus (20 drafts x 10 iterations) is generated into a temporary folder.

#[path = "../examples/synth/generator.rs"]
mod generator;

use brackets::repo::Repo;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::PathBuf;

fn corpus() -> (PathBuf, String, Option<tempfile::TempDir>) {
    let draft = std::env::var("BRACKETS_BENCH_DRAFT").ok();
    if let Some(dir) = std::env::var_os("BRACKETS_BENCH_CORPUS") {
        let dir = PathBuf::from(dir);
        let draft = draft.unwrap_or_else(|| generator::Negotiation::new(4, 0, 1).path);
        return (dir, draft, None);
    }
    let tmp = tempfile::tempdir().expect("a temporary folder");
    let summary = generator::write_corpus(tmp.path(), 20, 10, 4, |_, _| {})
        .expect("the small corpus is generated");
    let draft = draft.unwrap_or_else(|| summary.paths[0].clone());
    (tmp.path().to_path_buf(), draft, Some(tmp))
}

fn bench(c: &mut Criterion) {
    let (dir, draft, _keep) = corpus();
    let repo = Repo::open(&dir).expect("the corpus opens");
    let history = repo.history(&draft).expect("the draft has a history");
    let texts: Vec<String> = history
        .iterations
        .iter()
        .rev()
        .map(|it| {
            repo.read_at(&draft, &it.commit)
                .expect("an iteration reads")
        })
        .collect();
    let docs: Vec<brackets::Document> = texts.iter().map(|t| brackets::parse(t)).collect();
    eprintln!(
        "history: {} in {}: {} iterations, {:.1}-{:.1} KB",
        draft,
        dir.display(),
        texts.len(),
        texts.iter().map(String::len).min().unwrap_or(0) as f64 / 1024.0,
        texts.iter().map(String::len).max().unwrap_or(0) as f64 / 1024.0,
    );

    let mut g = c.benchmark_group("history");
    g.sample_size(20);
    g.bench_function("walk (iterations of one draft)", |b| {
        b.iter(|| black_box(repo.history(&draft).expect("history")))
    });
    g.bench_function("walk + read + parse every iteration", |b| {
        b.iter(|| {
            let h = repo.history(&draft).expect("history");
            let mut open = 0;
            for it in &h.iterations {
                let blob = repo.git().find_blob(it.blob).expect("blob");
                let text = std::str::from_utf8(blob.content()).expect("utf-8");
                open += brackets::parse(text)
                    .paragraphs
                    .iter()
                    .map(|p| p.brackets.len())
                    .sum::<usize>();
            }
            black_box(open)
        })
    });
    g.finish();

    let mut g = c.benchmark_group("diff");
    g.sample_size(20);
    g.bench_function("consecutive iterations, all pairs of the draft", |b| {
        b.iter(|| {
            for pair in docs.windows(2) {
                black_box(brackets::diff::diff(&pair[0], &pair[1]));
            }
        })
    });
    if let (Some(first), Some(last)) = (docs.first(), docs.last()) {
        g.bench_function("first vs last iteration", |b| {
            b.iter(|| black_box(brackets::diff::diff(first, last)))
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
