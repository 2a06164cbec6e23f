//! Ledger speed: the whole ledger of one draft (history walk, every iteration read and parsed,
//! each pair aligned and its brackets followed), and the lineage alone on parsed iterations.
//!
//! Run: `cargo bench --bench ledger` (`-- --quick` for a rough number). By default it uses the
//! bundled example's resolution (six iterations). To measure another repository:
//!
//!     BRACKETS_BENCH_CORPUS=/path/to/repo [BRACKETS_BENCH_DRAFT=drafts/x.md] cargo bench --bench ledger
//!
//! Without `BRACKETS_BENCH_DRAFT` the draft with the longest history at HEAD is used.

use brackets::actors::Actors;
use brackets::ledger::{Ledger, Step};
use brackets::repo::Repo;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::PathBuf;

fn target() -> (Option<tempfile::TempDir>, PathBuf, String) {
    if let Ok(corpus) = std::env::var("BRACKETS_BENCH_CORPUS") {
        let root = PathBuf::from(corpus);
        let repo = Repo::discover(&root).expect("BRACKETS_BENCH_CORPUS is not a git repository");
        let draft = match std::env::var("BRACKETS_BENCH_DRAFT") {
            Ok(d) => d,
            Err(_) => repo
                .draft_files(None)
                .expect("cannot list the drafts")
                .into_iter()
                .max_by_key(|d| repo.history(d).map_or(0, |h| h.iterations.len()))
                .expect("no drafts in the corpus"),
        };
        return (None, repo.root().to_path_buf(), draft);
    }
    let dir = tempfile::tempdir().expect("temporary folder");
    let demo = brackets::example::materialise_in(dir.path()).expect("demo repository");
    (
        Some(dir),
        demo.path,
        "resolution/people-centred-smart-cities.md".to_string(),
    )
}

fn bench(c: &mut Criterion) {
    let (_keep, root, draft) = target();
    let repo = Repo::open(&root).expect("repository");
    let history = repo.history(&draft).expect("history");
    let bytes: usize = history
        .iterations
        .iter()
        .filter_map(|it| repo.git().find_blob(it.blob).ok())
        .map(|b| b.content().len())
        .sum();
    eprintln!(
        "ledger bench: {draft}: {} iterations, {} KB in all",
        history.iterations.len(),
        bytes / 1024
    );
    let mut group = c.benchmark_group("ledger");
    group.sample_size(10);
    group.bench_function("build (history, read, parse, lineage)", |b| {
        b.iter(|| {
            let l = Ledger::build(black_box(&repo), black_box(&draft)).expect("ledger");
            black_box(l.proposals().len())
        })
    });
    let docs: Vec<(Step, brackets::Document)> = history
        .iterations
        .iter()
        .rev()
        .filter_map(|it| repo.git().find_blob(it.blob).ok())
        .map(|b| {
            let text = String::from_utf8_lossy(b.content()).into_owned();
            (
                Step::named("x"),
                brackets::parse_with(&text, Actors::builtin()),
            )
        })
        .collect();
    group.bench_function("lineage on parsed iterations", |b| {
        b.iter(|| {
            let l = Ledger::from_documents(black_box(docs.clone()));
            black_box(l.proposals().len())
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
