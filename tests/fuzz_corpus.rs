//! Replays the fuzz corpus (`fuzz/corpus/<target>/`) and every crash the fuzzers found and that
//! was fixed (`fuzz/regressions/<target>/`) through the same checks as the fuzz targets
//! (`fuzz/checks.rs`), on stable and without libfuzzer. Fuzzing itself is not part of the test
//! suite: see fuzz/README.md.

#[path = "../fuzz/checks.rs"]
mod checks;
mod common;

use std::path::{Path, PathBuf};

fn files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

/// Runs `check` on every file of the target's corpus and regressions; returns how many ran.
fn replay(target: &str, check: fn(&[u8])) -> usize {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut n = 0;
    for dir in ["corpus", "regressions"] {
        for path in files(&root.join(dir).join(target)) {
            let data = std::fs::read(&path).unwrap();
            let run = std::panic::catch_unwind(|| check(&data));
            assert!(run.is_ok(), "{target}: {} fails its checks", path.display());
            n += 1;
        }
    }
    n
}

#[test]
fn parse_corpus_and_regressions() {
    assert!(replay("parse", checks::parse) > 10);
}

#[test]
fn diff_corpus_and_regressions() {
    assert!(replay("diff", checks::diff) > 10);
}

#[test]
fn query_corpus_and_regressions() {
    assert!(replay("query", checks::query) > 10);
}

#[test]
fn diff_inputs_split_at_the_separator() {
    let (old, new) = checks::diff_halves(b"a\xffb\xffc");
    assert_eq!((old.as_str(), new.as_str()), ("a", "b\u{FFFD}c"));
    let (old, new) = checks::diff_halves(b"only old");
    assert_eq!((old.as_str(), new.as_str()), ("only old", ""));
}
