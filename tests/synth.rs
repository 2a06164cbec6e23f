//! The synthetic corpus generator (`examples/synth`): deterministic, parses without errors,
//! and its iterations exercise every kind of change the diff reports.

#[path = "../examples/synth/generator.rs"]
mod generator;

use brackets::diff::{BracketChangeKind, ChangeKind};
use brackets::model::Severity;
use brackets::repo::Repo;
use std::collections::BTreeSet;

fn refs(repo: &std::path::Path) -> Vec<(String, git2::Oid)> {
    let git = git2::Repository::open(repo).expect("generated repository opens");
    let mut out: Vec<(String, git2::Oid)> = git
        .references()
        .expect("references")
        .flatten()
        .filter_map(|r| Some((r.name().ok()?.to_string(), r.target()?)))
        .collect();
    out.sort();
    out
}

#[test]
fn same_seed_same_commits_other_seed_other_commits() {
    let dirs: Vec<tempfile::TempDir> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
    let a = generator::write_corpus(dirs[0].path(), 2, 3, 7, |_, _| {}).unwrap();
    let b = generator::write_corpus(dirs[1].path(), 2, 3, 7, |_, _| {}).unwrap();
    let c = generator::write_corpus(dirs[2].path(), 2, 3, 8, |_, _| {}).unwrap();
    assert_eq!(a.commits, 6);
    assert_eq!(a.head, b.head);
    assert_ne!(a.head, c.head);
    assert_eq!(refs(dirs[0].path()), refs(dirs[1].path()));
    assert!(a.tags > 0);
}

#[test]
fn refuses_a_folder_that_is_not_empty() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("x"), "x").unwrap();
    let err = generator::write_corpus(dir.path(), 1, 1, 1, |_, _| {}).unwrap_err();
    assert!(
        matches!(err, generator::SynthError::NotEmpty { .. }),
        "{err}"
    );
}

#[test]
fn drafts_are_sized_like_real_ones_and_parse_without_errors() {
    // Without git: the negotiation alone, a few drafts through many iterations.
    for d in [0, 41, 199] {
        let mut n = generator::Negotiation::new(3, d, 14);
        for i in 0..14 {
            let it = n.next_iteration().unwrap();
            assert_eq!(it.index, i);
            assert!(
                (30 * 1024..=50 * 1024).contains(&it.text.len()),
                "{} iteration {i}: {} bytes",
                it.path,
                it.text.len()
            );
            let doc = brackets::parse(&it.text);
            let errors: Vec<_> = doc
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .collect();
            assert!(errors.is_empty(), "{} iteration {i}: {errors:?}", it.path);
        }
    }
}

#[test]
fn iterations_exercise_every_change_kind() {
    let dir = tempfile::tempdir().unwrap();
    let summary = generator::write_corpus(dir.path(), 2, 7, 4, |_, _| {}).unwrap();
    assert_eq!(summary.commits, 14);
    let repo = Repo::open(dir.path()).unwrap();
    let mut kinds = BTreeSet::new();
    let mut bracket_kinds = Vec::new();
    let (mut reopened, mut newly_agreed) = (false, false);
    for path in &summary.paths {
        let history = repo.history(path).unwrap();
        assert_eq!(history.iterations.len(), 7, "{path}");
        assert!(history.iterations.iter().any(|it| !it.tags.is_empty()));
        let docs: Vec<brackets::Document> = history
            .iterations
            .iter()
            .rev()
            .map(|it| {
                let text = repo.read_at(path, &it.commit).unwrap();
                let doc = brackets::parse(&text);
                assert!(!doc.has_errors(), "{path} at {}", it.short);
                doc
            })
            .collect();
        for pair in docs.windows(2) {
            let d = brackets::diff::diff(&pair[0], &pair[1]);
            for c in &d.changes {
                kinds.insert(c.kind);
                reopened |= c.reopened;
                newly_agreed |= c.newly_agreed;
                for b in &c.brackets {
                    if !bracket_kinds.contains(&b.kind) {
                        bracket_kinds.push(b.kind);
                    }
                }
            }
        }
    }
    for kind in ChangeKind::ALL {
        assert!(kinds.contains(&kind), "no {kind:?} in {kinds:?}");
    }
    use BracketChangeKind::*;
    for kind in [
        Proposed,
        Dropped,
        Agreed,
        Joined,
        Left,
        ChangedStance,
        ReservationPlaced,
        ReservationLifted,
        NoteAdded,
        NoteRemoved,
    ] {
        assert!(
            bracket_kinds.contains(&kind),
            "no {kind:?} in {bracket_kinds:?}"
        );
    }
    assert!(reopened && newly_agreed);
}
