//! The bundled example (drafts/): every iteration parses cleanly and round-trips, the metadata
//! files name files that exist, and the negotiation reads as the story it tells.

mod common;

use brackets::actors::{ActorKind, Actors};
use brackets::model::{Document, Severity};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn drafts() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("drafts")
}

fn folders() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(drafts())
        .expect("drafts/ exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

fn iteration_files(folder: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(folder)
        .expect("draft folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md" || e == "txt"))
        .collect();
    out.sort();
    out
}

fn parse_file(path: &Path) -> Document {
    let src = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    common::parse_checked(&src)
}

/// The iteration of the resolution whose file name contains `stem`.
fn resolution(stem: &str) -> Document {
    let folder = drafts().join("smart-cities-resolution");
    let path = iteration_files(&folder)
        .into_iter()
        .find(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().contains(stem))
        })
        .unwrap_or_else(|| panic!("no iteration named *{stem}*"));
    parse_file(&path)
}

#[test]
fn there_are_two_documents_with_enough_iterations() {
    let folders = folders();
    assert!(folders.len() >= 2, "{folders:?}");
    let counts: Vec<usize> = folders.iter().map(|f| iteration_files(f).len()).collect();
    assert!(counts.iter().all(|&n| n >= 3), "{counts:?}");
    assert!(counts.iter().any(|&n| n >= 5), "{counts:?}");
}

#[test]
fn every_iteration_parses_without_errors_and_round_trips() {
    let mut files = 0;
    for folder in folders() {
        for path in iteration_files(&folder) {
            let doc = parse_file(&path);
            let errors: Vec<String> = doc
                .diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .map(|d| {
                    format!(
                        "{}:{}:{}: {}: {}",
                        path.display(),
                        d.line,
                        d.column,
                        d.code,
                        d.message
                    )
                })
                .collect();
            assert!(errors.is_empty(), "{}", errors.join("\n"));
            assert!(
                !doc.paragraphs.is_empty(),
                "{}: no paragraphs",
                path.display()
            );
            assert!(doc.title.is_some(), "{}: no title", path.display());
            files += 1;
        }
    }
    assert!(files >= 8, "only {files} iteration files");
}

#[test]
fn iterations_json_names_files_that_exist() {
    for folder in folders() {
        let meta = folder.join("iterations.json");
        let text =
            std::fs::read_to_string(&meta).unwrap_or_else(|e| panic!("{}: {e}", meta.display()));
        let json: serde_json::Value =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", meta.display()));
        let iterations = json["iterations"]
            .as_array()
            .unwrap_or_else(|| panic!("{}: no iterations array", meta.display()));
        assert!(!iterations.is_empty());
        let mut named = BTreeSet::new();
        for it in iterations {
            let file = it["file"]
                .as_str()
                .unwrap_or_else(|| panic!("{}: an iteration without a file", meta.display()));
            assert!(
                folder.join(file).is_file(),
                "{}: names {file}, which does not exist",
                meta.display()
            );
            assert!(
                it["label"].as_str().is_some_and(|l| !l.is_empty()),
                "{}: {file} has no label",
                meta.display()
            );
            assert!(
                it["date"].as_str().is_some(),
                "{}: {file} has no date",
                meta.display()
            );
            assert!(
                it["message"].as_str().is_some(),
                "{}: {file} has no message",
                meta.display()
            );
            named.insert(file.to_string());
        }
        // Every iteration file on disk is in the metadata, in order.
        let on_disk: BTreeSet<String> = iteration_files(&folder)
            .iter()
            .map(|p| {
                p.file_name()
                    .unwrap_or_default()
                    .to_string_lossy()
                    .into_owned()
            })
            .collect();
        assert_eq!(named, on_disk, "{}", meta.display());
        let order: Vec<&str> = iterations
            .iter()
            .filter_map(|it| it["file"].as_str())
            .collect();
        let mut sorted = order.clone();
        sorted.sort_unstable();
        assert_eq!(
            order,
            sorted,
            "{}: iterations listed out of order",
            meta.display()
        );
    }
}

#[test]
fn compilation_one_holds_the_inserted_paragraphs_and_an_alternative() {
    let doc = resolution("compilation-1");
    for id in ["PP4bis", "OP3bis", "OP3.d.alt1"] {
        assert!(doc.paragraph(id).is_some(), "compilation-1 lacks {id}");
    }
    let pp4bis = doc.paragraph("PP4bis").unwrap();
    assert!(
        !pp4bis.brackets.is_empty(),
        "PP4bis is proposed in brackets"
    );
    assert!(
        doc.paragraphs.iter().any(|p| p.agreed.is_some()),
        "some paragraphs are agreed ad ref"
    );
    assert!(
        doc.paragraphs
            .iter()
            .map(|p| p.brackets.len())
            .sum::<usize>()
            > 20
    );
}

#[test]
fn rev1_has_eleven_preambular_paragraphs() {
    let doc = resolution("rev1");
    assert!(
        doc.paragraph("PP11").is_some(),
        "{:?}",
        doc.paragraphs.iter().map(|p| &p.id).collect::<Vec<_>>()
    );
}

#[test]
fn the_adopted_text_is_clean() {
    let doc = resolution("adopted");
    for p in &doc.paragraphs {
        assert!(p.brackets.is_empty(), "{} still holds brackets", p.id);
        assert!(p.groups.is_empty(), "{} still holds attributions", p.id);
        assert!(p.orphan_closes.is_empty(), "{} holds a stray `]`", p.id);
        assert!(p.agreed.is_none(), "{} still carries a stamp", p.id);
    }
    assert!(doc.spanning.is_empty());
    assert!(
        doc.diagnostics
            .iter()
            .all(|d| d.severity != Severity::Error)
    );
    assert!(doc.paragraph("PP1").is_some() && doc.paragraph("OP1").is_some());
}

#[test]
fn at_least_fifteen_delegations_take_part() {
    let folder = drafts().join("smart-cities-resolution");
    let actors = Actors::builtin();
    let mut countries = BTreeSet::new();
    for path in iteration_files(&folder) {
        let doc = parse_file(&path);
        for p in &doc.paragraphs {
            for code in p.actors() {
                if actors
                    .resolve(code)
                    .is_some_and(|a| a.kind == ActorKind::Country)
                {
                    countries.insert(code.to_string());
                }
            }
        }
    }
    assert!(
        countries.len() >= 15,
        "only {} countries: {countries:?}",
        countries.len()
    );
}

#[test]
fn the_guidelines_are_numbered_by_heading() {
    let folder = drafts().join("smart-cities-guidelines");
    for path in iteration_files(&folder) {
        let doc = parse_file(&path);
        assert!(
            doc.paragraphs.iter().any(|p| p.id.contains('/')),
            "{}: no heading-numbered paragraph ids",
            path.display()
        );
        assert!(doc.sections.iter().any(|s| {
            s.number
                .as_deref()
                .is_some_and(|n| n.matches('.').count() >= 1)
        }));
    }
}
