//! The terminal UI, in-process on ratatui's TestBackend at 200x60 (issue 7, item 6).
//!
//! - time to first frame: create the app state and draw, as `brackets` does on start before
//!   the background loader has sent anything; then, because that frame only says "opening…",
//!   the time until the first frame that shows the repository (its drafts and the first
//!   draft's iterations) and the first frame with the newest iteration parsed;
//! - for each of the six views, once loading has completed: handle a typical key and draw.
//!
//! Run: `cargo bench --bench tui` (the bundled example, materialised under a temporary
//! `BRACKETS_CACHE_DIR`), and on another repository, e.g. the synthetic `large` corpus:
//! `BRACKETS_BENCH_CORPUS=/work/corpus/large cargo bench --bench tui`. The corpus is cloned
//! into a temporary folder first (the Search view builds an index in its git folder).
//!
//! Not measured here: process start and terminal setup (alternate screen, raw mode) and
//! writing the frame to a real terminal; see `benches/README.md`.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use brackets::tui::App;
use brackets::tui::load::{Loaded, Start};
use brackets::tui::theme::Theme;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::PathBuf;
use std::sync::mpsc;
use std::time::{Duration, Instant};

const WIDTH: u16 = 200;
const HEIGHT: u16 = 60;

struct Corpus {
    _dir: tempfile::TempDir,
    root: PathBuf,
    name: &'static str,
}

fn corpora() -> Vec<Corpus> {
    let mut out = Vec::new();
    let dir = tempfile::tempdir().expect("a temporary folder");
    // SAFETY: set before any other thread of this process is started.
    unsafe { std::env::set_var(brackets::example::CACHE_ENV, dir.path()) };
    let demo = brackets::example::materialise().expect("the bundled example");
    out.push(Corpus {
        root: demo.path,
        _dir: dir,
        name: "example",
    });
    if let Some(src) = std::env::var_os("BRACKETS_BENCH_CORPUS").filter(|s| !s.is_empty()) {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let root = dir.path().join("corpus");
        git2::build::RepoBuilder::new()
            .clone(&src.to_string_lossy(), &root)
            .expect("BRACKETS_BENCH_CORPUS must be a git repository");
        out.push(Corpus {
            _dir: dir,
            root,
            name: "corpus",
        });
    }
    out
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("a test terminal")
}

fn draw(term: &mut Terminal<TestBackend>, app: &App) {
    term.draw(|f| brackets::tui::draw(f, app)).expect("draw");
}

fn press(app: &mut App, code: KeyCode) {
    app.handle_event(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn chars(app: &mut App, s: &str) {
    for c in s.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// Runs the loader on this thread the way the UI's loader thread does (a request channel,
/// so a repository of more than `EAGER_DRAFTS` drafts parses only the draft on screen) and
/// stops it once `enough` says so; returns the state with everything it sent applied.
fn load_until(root: &std::path::Path, enough: impl Fn(&Loaded) -> bool) -> App {
    let mut app = App::new(Theme::colored());
    let (_tx, rx) = mpsc::channel::<usize>();
    let mut pending = Vec::new();
    brackets::tui::load::load(Start::Path(root.to_path_buf()), Some(rx), &mut |m| {
        let go_on = !enough(&m) && !matches!(m, Loaded::Done);
        pending.push(m);
        go_on
    });
    for m in pending {
        app.apply(m);
    }
    app
}

/// Everything loaded, with a live loader thread (as in the UI) and the search worker's
/// index up to date.
fn loaded(root: &std::path::Path) -> (App, mpsc::Receiver<Loaded>) {
    let mut app = App::new(Theme::colored());
    let (tx, rx) = mpsc::channel::<Loaded>();
    let (requests, wanted) = mpsc::channel::<usize>();
    let loader = tx.clone();
    let start = Start::Path(root.to_path_buf());
    std::thread::spawn(move || {
        brackets::tui::load::load(start, Some(wanted), &mut |m| loader.send(m).is_ok());
    });
    app.requests = Some(requests);
    loop {
        let m = rx.recv().expect("the loader answers");
        let done = matches!(m, Loaded::Done | Loaded::Failed(_));
        app.apply(m);
        if done {
            break;
        }
    }
    assert!(app.error.is_none(), "{:?}", app.error);
    let t = Instant::now();
    let results = tx.clone();
    app.search_requests = Some(
        brackets::tui::search::spawn(root.to_path_buf(), move |m| results.send(m).is_ok())
            .expect("the search worker"),
    );
    while !app.search.ready {
        let m = rx.recv().expect("the search worker answers");
        assert!(!matches!(m, Loaded::SearchUnavailable(_)), "{m:?}");
        app.apply(m);
    }
    eprintln!("(search index built in {:.1} s)", t.elapsed().as_secs_f64());
    (app, rx)
}

/// Waits for the answer to the query on screen.
fn answer(app: &mut App, rx: &mpsc::Receiver<Loaded>) {
    loop {
        let m = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("a search answer");
        let ours = matches!(&m, Loaded::Search(a) if a.request.query == app.search.query);
        app.apply(m);
        if ours {
            return;
        }
    }
}

fn bench(c: &mut Criterion) {
    let corpora = corpora();
    let mut group = c.benchmark_group("first frame");
    group.sample_size(20);
    group.measurement_time(Duration::from_secs(4));
    for corpus in &corpora {
        // What `brackets` draws before the loader has sent anything.
        group.bench_function(BenchmarkId::new("app + first draw", corpus.name), |b| {
            b.iter(|| {
                let app = App::new(Theme::colored());
                let mut term = terminal();
                draw(&mut term, &app);
                app
            })
        });
        // The first frame that shows something: the repository opened, its drafts listed
        // and the first draft's history read.
        group.bench_function(BenchmarkId::new("drafts listed", corpus.name), |b| {
            b.iter(|| {
                let app = load_until(&corpus.root, |m| {
                    matches!(m, Loaded::History { .. } | Loaded::Failed(_))
                });
                assert!(app.current_draft().is_some_and(|d| d.loaded));
                let mut term = terminal();
                draw(&mut term, &app);
                app
            })
        });
        // ... and with the newest iteration parsed (open brackets counted).
        group.bench_function(
            BenchmarkId::new("newest iteration parsed", corpus.name),
            |b| {
                b.iter(|| {
                    let app = load_until(&corpus.root, |m| {
                        matches!(m, Loaded::Parsed { .. } | Loaded::Failed(_))
                    });
                    let mut term = terminal();
                    draw(&mut term, &app);
                    app
                })
            },
        );
    }
    group.finish();

    let mut group = c.benchmark_group("key + frame");
    group.sample_size(30);
    group.measurement_time(Duration::from_secs(3));
    for corpus in &corpora {
        let t = Instant::now();
        let (mut app, rx) = loaded(&corpus.root);
        eprintln!(
            "({}: loaded in {:.1} s, draft {})",
            corpus.name,
            t.elapsed().as_secs_f64(),
            app.current_draft().map_or("-", |d| d.path.as_str())
        );
        let mut term = terminal();
        // View, set-up keys, then the keys measured: the first three presses of `forward`,
        // then three of `back`, and again, so that the selection keeps moving.
        let cases: &[(&str, &str, KeyCode, KeyCode)] = &[
            ("Drafts j/k", "1", KeyCode::Char('j'), KeyCode::Char('k')),
            ("Read j/k", "2", KeyCode::Char('j'), KeyCode::Char('k')),
            ("Read n/N", "2", KeyCode::Char('n'), KeyCode::Char('N')),
            ("Compare n/N", "3", KeyCode::Char('n'), KeyCode::Char('N')),
            ("Compare j/k", "3", KeyCode::Char('j'), KeyCode::Char('k')),
            ("Actors j/k", "5", KeyCode::Char('j'), KeyCode::Char('k')),
            (
                "Actors matrix j/k",
                "5m",
                KeyCode::Char('j'),
                KeyCode::Char('k'),
            ),
            ("Comments j/k", "6", KeyCode::Char('j'), KeyCode::Char('k')),
        ];
        for &(name, setup, forward, back) in cases {
            chars(&mut app, setup);
            draw(&mut term, &app);
            // Measure views with something in them.
            match setup {
                "2" => assert!(app.doc(app.read.iteration).is_some(), "{name}"),
                "3" => assert!(app.compare.diff.is_some(), "{name}"),
                "5" | "5m" => assert!(app.ledger().is_some(), "{name}"),
                _ => {}
            }
            let mut i = 0usize;
            group.bench_function(BenchmarkId::new(name, corpus.name), |b| {
                b.iter(|| {
                    press(&mut app, if i % 6 < 3 { forward } else { back });
                    i += 1;
                    draw(&mut term, &app);
                })
            });
            if setup.ends_with('m') {
                chars(&mut app, "m");
            }
        }
        // Compare: one iteration back or forward, with the diff computed on this thread (the
        // UI sends it to its diff worker and draws "Comparing…" meanwhile).
        chars(&mut app, "3");
        let mut i = 0usize;
        group.bench_function(
            BenchmarkId::new("Compare [/] with diff", corpus.name),
            |b| {
                b.iter(|| {
                    chars(&mut app, if i % 2 == 0 { "[" } else { "]" });
                    i += 1;
                    draw(&mut term, &app);
                })
            },
        );
        // Search: results for a query, then j/k through them.
        chars(&mut app, "/privacy");
        answer(&mut app, &rx);
        let hits = app
            .search
            .answer
            .as_ref()
            .map_or(0, |a| a.results.hits.len());
        assert!(hits > 3, "{hits} hits");
        press(&mut app, KeyCode::Esc);
        draw(&mut term, &app);
        let mut i = 0usize;
        group.bench_function(BenchmarkId::new("Search j/k", corpus.name), |b| {
            b.iter(|| {
                chars(&mut app, if i % 6 < 3 { "j" } else { "k" });
                i += 1;
                draw(&mut term, &app);
            })
        });
        // Search, typing: a character added to (or taken from) the query, the worker's
        // answer applied and the frame drawn.
        chars(&mut app, "/");
        let mut i = 0usize;
        group.bench_function(
            BenchmarkId::new("Search typing, until results drawn", corpus.name),
            |b| {
                b.iter(|| {
                    if i % 2 == 0 {
                        chars(&mut app, " r");
                        answer(&mut app, &rx);
                    } else {
                        press(&mut app, KeyCode::Backspace);
                        press(&mut app, KeyCode::Backspace);
                        answer(&mut app, &rx);
                    }
                    i += 1;
                    draw(&mut term, &app);
                })
            },
        );
        press(&mut app, KeyCode::Esc);
        // The threads stop when the app (their senders and receivers) is dropped.
        drop(app);
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
