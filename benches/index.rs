//! The search index: full build, incremental update after one new commit, and query latency
//! (p50/p99 over 20 representative queries, in-process).
//!
//! Run: `cargo bench --bench index` (the bundled example), or on another corpus (a git
//! repository of drafts, e.g. the synthetic `large` one):
//! `BRACKETS_BENCH_CORPUS=/path/to/repo cargo bench --bench index`.
//! The corpus is cloned into a temporary folder first, so the bench never writes to it.
//! `BRACKETS_BENCH_QUICK=1` skips the criterion runs and prints only the summary table.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use brackets::index::query::Query;
use brackets::index::{Index, SearchOptions};
use brackets::repo::Repo;
use criterion::{Criterion, criterion_group, criterion_main};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Representative queries: words, phrases, prefixes, fields, pairs, booleans, history.
const QUERIES: &[(&str, bool)] = &[
    ("privacy", false),
    ("\"right to privacy\"", false),
    ("digital literacy", false),
    ("priv*", false),
    ("actor:EGY", false),
    ("actor:EGY stance:oppose", false),
    ("actor:USA- kind:bracket", false),
    ("stance:reserve", false),
    ("kind:comment", false),
    ("kind:bracket human rights", false),
    ("para:OP3 actor:G77", false),
    ("draft:resolution financing", false),
    ("(privacy OR surveillance) -data", false),
    ("technology transfer NOT actor:USA", false),
    ("\"capacity-building\" stance:proposer", false),
    ("actor:EGY stance:oppose", true),
    ("privacy kind:bracket", true),
    ("\"digital literacy\"", true),
    ("sustain*", true),
    ("actor:CHN stance:reserve para:OP3", true),
];

struct Corpus {
    _dir: tempfile::TempDir,
    root: PathBuf,
    name: String,
}

fn corpus() -> Corpus {
    let dir = tempfile::tempdir().expect("a temporary folder");
    match std::env::var_os("BRACKETS_BENCH_CORPUS") {
        Some(src) if !src.is_empty() => {
            let src = PathBuf::from(src);
            let root = dir.path().join("corpus");
            git2::build::RepoBuilder::new()
                .clone(&src.to_string_lossy(), &root)
                .expect("BRACKETS_BENCH_CORPUS must be a git repository");
            Corpus {
                _dir: dir,
                root,
                name: src.display().to_string(),
            }
        }
        _ => {
            let demo = brackets::example::materialise_in(dir.path()).expect("the demo repository");
            Corpus {
                root: demo.path,
                _dir: dir,
                name: "bundled example".into(),
            }
        }
    }
}

/// Commits a new iteration of the first draft: one paragraph appended.
fn new_iteration(root: &Path, n: usize) {
    let repo = Repo::open(root).expect("repository");
    let drafts = repo.draft_files(None).expect("drafts");
    let draft = drafts.first().expect("a draft");
    let path = root.join(draft);
    let mut text = std::fs::read_to_string(&path).expect("draft text");
    text.push_str(&format!(
        "\n{}. [Decides to review the benchmark item {n} at its next session] {{BRA+, EGY-}}{{USA reserve}};\n",
        900 + n
    ));
    std::fs::write(&path, text).expect("write draft");
    let git = repo.git();
    let mut index = git.index().expect("git index");
    index.add_path(Path::new(draft)).expect("add");
    index.write().expect("write index");
    let tree = git
        .find_tree(index.write_tree().expect("tree"))
        .expect("tree");
    let head = git.head().expect("head").peel_to_commit().expect("commit");
    let sig = git2::Signature::new(
        "Bench",
        "bench@example.org",
        &git2::Time::new(head.time().seconds() + 3600, 0),
    )
    .expect("signature");
    git.commit(Some("HEAD"), &sig, &sig, "bench iteration", &tree, &[&head])
        .expect("commit");
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let k = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[k.min(sorted.len() - 1)]
}

fn bench(c: &mut Criterion) {
    let corpus = corpus();
    let repo = Repo::open(&corpus.root).expect("repository");

    // Full build.
    let started = Instant::now();
    let mut index = Index::open(&repo).expect("index");
    let stats = index.rebuild(&repo, &mut |_| {}).expect("build");
    let build = started.elapsed();
    eprintln!(
        "\n== index on {}: {} iterations, {} documents ==",
        corpus.name, stats.added, stats.documents
    );
    eprintln!(
        "full build: {:.2} s, {:.1} MB on disk",
        build.as_secs_f64(),
        index.size_on_disk() as f64 / 1e6
    );

    // Incremental update after one new commit (median of 5).
    let mut updates = Vec::new();
    for n in 0..5 {
        new_iteration(&corpus.root, n);
        let t = Instant::now();
        let s = index.update(&repo, &mut |_| {}).expect("update");
        updates.push(t.elapsed());
        assert_eq!(s.added, 1);
    }
    updates.sort();
    eprintln!(
        "incremental update after one commit: median {:.1} ms, max {:.1} ms",
        percentile(&updates, 0.5).as_secs_f64() * 1e3,
        updates.last().map_or(0.0, |d| d.as_secs_f64() * 1e3)
    );
    let t = Instant::now();
    let stale = index.is_stale(&repo).expect("stale check");
    eprintln!(
        "staleness check (nothing changed: {}): {:.2} ms",
        !stale,
        t.elapsed().as_secs_f64() * 1e3
    );

    // Query latency, in-process, limit 20.
    let parsed: Vec<(Query, SearchOptions)> = QUERIES
        .iter()
        .map(|(q, all)| {
            (
                Query::parse(q).expect("query"),
                SearchOptions {
                    all_revisions: *all,
                    limit: 20,
                },
            )
        })
        .collect();
    let rounds = 50;
    let mut all = Vec::new();
    eprintln!(
        "{:<48} {:>6} {:>9} {:>9}",
        "query", "hits", "p50 ms", "p99 ms"
    );
    for ((q, _), (query, options)) in QUERIES.iter().zip(&parsed) {
        let mut times = Vec::with_capacity(rounds);
        let mut hits = 0;
        for _ in 0..rounds {
            let t = Instant::now();
            let r = index.search(query, options).expect("search");
            times.push(t.elapsed());
            hits = r.total;
        }
        times.sort();
        let label = format!("{q}{}", if options.all_revisions { " [all]" } else { "" });
        eprintln!(
            "{label:<48} {hits:>6} {:>9.3} {:>9.3}",
            percentile(&times, 0.5).as_secs_f64() * 1e3,
            percentile(&times, 0.99).as_secs_f64() * 1e3
        );
        all.extend(times);
    }
    all.sort();
    eprintln!(
        "all {} queries x {rounds}: p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms\n",
        QUERIES.len(),
        percentile(&all, 0.5).as_secs_f64() * 1e3,
        percentile(&all, 0.99).as_secs_f64() * 1e3,
        all.last().map_or(0.0, |d| d.as_secs_f64() * 1e3)
    );

    if std::env::var_os("BRACKETS_BENCH_QUICK").is_some() {
        return;
    }
    let mut group = c.benchmark_group("index");
    group.sample_size(10);
    let mut n = 100;
    group.bench_function("incremental update after one commit", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                new_iteration(&corpus.root, n);
                n += 1;
                let t = Instant::now();
                index.update(&repo, &mut |_| {}).expect("update");
                total += t.elapsed();
            }
            total
        })
    });
    group.finish();
    let mut group = c.benchmark_group("query");
    for ((q, _), (query, options)) in QUERIES.iter().zip(&parsed).take(8) {
        group.bench_function(*q, |b| {
            b.iter(|| index.search(query, options).expect("search"))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
