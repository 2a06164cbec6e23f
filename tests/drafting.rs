//! Drafting actions through the parser and back, safe saving, and committing the next
//! iteration in throwaway repositories with a sandboxed git configuration.

mod common;
use common::sandbox;

use brackets::actors::Actors;
use brackets::drafting::commit::{CommitError, CommitRequest, commit_iteration};
use brackets::drafting::{
    self, ActionError, Edit, Fingerprint, GroupChoice, PositionSpec, SaveError, StampTime,
};
use brackets::model::{Document, LeafKind, Paragraph, Severity, Span, Stance};
use brackets::repo::{Repo, Trailers};
use common::check_invariants;
use git2::{Oid, Repository, Signature};
use proptest::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

fn actors() -> &'static Actors {
    Actors::builtin()
}

/// The example's iterations, oldest first.
fn iterations() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("drafts/smart-cities-resolution");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// Diagnostics as (severity, code, message), counted: positions move with an edit, the rest
/// must not.
fn diagnostic_counts(doc: &Document) -> HashMap<(Severity, &'static str, String), usize> {
    let mut out = HashMap::new();
    for d in &doc.diagnostics {
        *out.entry((d.severity, d.code, d.message.clone()))
            .or_insert(0) += 1;
    }
    out
}

/// Applies the edit, re-parses, and checks what every action promises: the model's
/// invariants, no new diagnostic, and every paragraph but `changed` byte-identical (with the
/// same id). Returns the new document.
fn round_trip(doc: &Document, edit: &Edit, changed: &[&str]) -> Document {
    let text = edit.apply(&doc.source).unwrap();
    let new = brackets::parse(&text);
    check_invariants(&new);
    let before = diagnostic_counts(doc);
    for (key, n) in diagnostic_counts(&new) {
        assert!(
            n <= before.get(&key).copied().unwrap_or(0),
            "new diagnostic {key:?} after {edit:?}"
        );
    }
    for p in &doc.paragraphs {
        if changed.contains(&p.id.as_str()) {
            continue;
        }
        let q = new
            .paragraph(&p.id)
            .unwrap_or_else(|| panic!("{} lost after {edit:?}", p.id));
        assert_eq!(
            p.span.of(&doc.source),
            q.span.of(&new.source),
            "{} changed",
            p.id
        );
    }
    new
}

fn positions(p: &Paragraph, bracket: usize) -> Vec<(String, Stance)> {
    p.brackets[bracket]
        .groups
        .iter()
        .flat_map(|&g| p.groups[g].positions.iter())
        .map(|pos| (pos.actor.clone(), pos.stance))
        .collect()
}

fn ids(doc: &Document) -> Vec<String> {
    doc.paragraphs.iter().map(|p| p.id.clone()).collect()
}

const REV1: &str = include_str!("../drafts/smart-cities-resolution/03-rev1.md");

#[test]
fn bracketing_reads_back_as_one_bracket_with_its_positions() {
    let doc = brackets::parse(REV1);
    // The first open paragraph with a run of plain text of three words or more.
    let (id, span, words) = doc
        .paragraphs
        .iter()
        .filter(|p| p.agreed.is_none())
        .find_map(|p| {
            p.leaves
                .iter()
                .filter(|l| l.kind == LeafKind::Text)
                .find_map(|l| {
                    let w = l.span.span_of_words(&doc.source);
                    (w.len() >= 4).then(|| {
                        let s = Span::new(w[1].0, w[3].1);
                        (p.id.clone(), s, s.of(&doc.source).to_string())
                    })
                })
        })
        .unwrap();
    let id = id.as_str();
    let specs = [
        PositionSpec::new("EGY", Stance::Support),
        PositionSpec::new("CHN", Stance::Support),
        PositionSpec::new("EU", Stance::Oppose),
    ];
    let edit = drafting::bracket_text(&doc, actors(), id, span, &specs).unwrap();
    let new = round_trip(&doc, &edit, &[id]);
    let (old, p) = (doc.paragraph(id).unwrap(), new.paragraph(id).unwrap());
    assert_eq!(p.brackets.len(), old.brackets.len() + 1);
    let b = p
        .brackets
        .iter()
        .position(|b| b.content(p.span.end).of(&new.source) == words)
        .unwrap();
    assert_eq!(
        positions(p, b),
        vec![
            ("EGY".into(), Stance::Support),
            ("CHN".into(), Stance::Support),
            ("EU".into(), Stance::Oppose)
        ]
    );
    let proposer = p.groups[p.brackets[b].groups[0]].positions[0].proposer;
    assert!(proposer, "the first support is the proposer");
}

/// The first paragraph of `doc` with a closed bracket that has attribution groups.
fn attributed(doc: &Document) -> (String, usize) {
    doc.paragraphs
        .iter()
        .find_map(|p| {
            let b = p.brackets.iter().position(|b| {
                b.close.is_some()
                    && b.spanning.is_none()
                    && !b.groups.is_empty()
                    && b.children.is_empty()
            })?;
            Some((p.id.clone(), b))
        })
        .unwrap()
}

#[test]
fn added_positions_read_back_on_the_same_bracket() {
    let doc = brackets::parse(REV1);
    let (id, b) = attributed(&doc);
    let old = doc.paragraph(&id).unwrap();
    let free = ["ZAF", "NOR", "ISL"]
        .into_iter()
        .find(|a| !positions(old, b).iter().any(|(x, _)| x == a))
        .unwrap();
    for (choice, extra_groups) in [(GroupChoice::Last, 0), (GroupChoice::New, 1)] {
        let spec = PositionSpec::new(free, Stance::Reserve);
        let edit = drafting::add_position(&doc, actors(), &id, b, &spec, choice).unwrap();
        let new = round_trip(&doc, &edit, &[&id]);
        let p = new.paragraph(&id).unwrap();
        let mut want = positions(old, b);
        want.push((free.into(), Stance::Reserve));
        assert_eq!(positions(p, b), want);
        assert_eq!(
            p.brackets[b].groups.len(),
            old.brackets[b].groups.len() + extra_groups
        );
    }
}

#[test]
fn accepted_and_dropped_brackets_leave_the_intended_text() {
    let doc = brackets::parse(REV1);
    let (id, b) = attributed(&doc);
    let old = doc.paragraph(&id).unwrap();
    let content = old.brackets[b]
        .content(old.span.end)
        .of(&doc.source)
        .to_string();
    let old_positions = old.groups.iter().map(|g| g.positions.len()).sum::<usize>();
    let gone = positions(old, b).len();

    let accepted = drafting::accept_bracket(&doc, actors(), &id, b, "Chair").unwrap();
    assert_eq!(accepted.proposed_by, "Chair");
    let new = round_trip(&doc, &accepted.edit, &[&id]);
    let p = new.paragraph(&id).unwrap();
    assert_eq!(p.brackets.len(), old.brackets.len() - 1);
    assert_eq!(
        p.groups.iter().map(|g| g.positions.len()).sum::<usize>(),
        old_positions - gone
    );
    assert!(p.span.of(&new.source).contains(content.trim()));

    let dropped = drafting::drop_bracket(&doc, actors(), &id, b, "EGY").unwrap();
    assert_eq!(dropped.proposed_by, "EGY");
    let new = round_trip(&doc, &dropped.edit, &[&id]);
    let p = new.paragraph(&id).unwrap();
    assert_eq!(p.brackets.len(), old.brackets.len() - 1);
    assert!(!p.span.of(&new.source).contains(content.trim()));
    assert!(!p.span.of(&new.source).contains("  "), "double space left");
}

#[test]
fn notes_stamps_and_new_paragraphs_read_back() {
    let doc = brackets::parse(REV1);
    let last_op = doc
        .paragraphs
        .iter()
        .rev()
        .find(|p| {
            p.id.starts_with("OP")
                && !p.id.contains('.')
                && p.agreed.is_none()
                && p.brackets.is_empty()
                && p.orphan_closes.is_empty()
        })
        .unwrap()
        .id
        .clone();

    let edit = drafting::add_note(
        &doc,
        actors(),
        &last_op,
        Some("FRA"),
        "suggest moving it up",
    )
    .unwrap();
    let new = round_trip(&doc, &edit, &[&last_op]);
    let p = new.paragraph(&last_op).unwrap();
    let note = p
        .groups
        .iter()
        .filter_map(|g| g.note.as_ref())
        .next_back()
        .unwrap();
    assert_eq!(note.actor.as_deref(), Some("FRA"));
    assert_eq!(note.text, "FRA suggest moving it up");

    let when = StampTime {
        year: 2026,
        month: 5,
        day: 22,
        hour: 12,
        minute: 26,
    };
    let edit = drafting::stamp_agreed(&doc, &last_op, when).unwrap();
    let new = round_trip(&doc, &edit, &[&last_op]);
    let stamp = new.paragraph(&last_op).unwrap().agreed.clone().unwrap();
    assert_eq!(stamp.stamp, "Ad ref 22 May 2026 12.26");
    assert_eq!(
        (stamp.date.as_deref(), stamp.time.as_deref()),
        (Some("2026-05-22"), Some("12:26"))
    );

    // A bis paragraph in each part, and an alternative: every other id stays.
    for (after, text) in [
        ("PP2", "Noting also the new report,"),
        ("OP1", "Invites Member States to report;"),
    ] {
        let ins = drafting::insert_bis(&doc, actors(), after, text, &[]).unwrap();
        let new = round_trip(&doc, &ins.edit, &[]);
        let mut want = ids(&doc);
        let at = want
            .iter()
            .rposition(|i| i == after || i.starts_with(&format!("{after}.")))
            .unwrap();
        want.insert(at + 1, ins.id.clone());
        assert_eq!(ids(&new), want);
        assert!(
            new.paragraph(&ins.id)
                .unwrap()
                .span
                .of(&new.source)
                .ends_with(text)
        );
    }
    let ins = drafting::insert_alternative(&doc, "OP3.a", "Designing strategies with residents;")
        .unwrap();
    assert_eq!(ins.id, "OP3.a.alt1");
    let new = round_trip(&doc, &ins.edit, &[]);
    let p = new.paragraph("OP3.a.alt1").unwrap();
    assert!(
        p.span
            .of(&new.source)
            .ends_with("Designing strategies with residents;")
    );
}

#[test]
fn a_proposed_bis_and_a_bracket_note_read_back() {
    // The compilation already has `[4.bis Noting ...] {USA+, ...}`: after PP4 that id is taken,
    // after PP4bis comes PP4ter, itself proposed.
    let (_, src) = &iterations()[1];
    let doc = brackets::parse(src);
    assert!(doc.paragraph("PP4bis").is_some());
    let usa = [PositionSpec::new("USA", Stance::Support)];
    assert_eq!(
        drafting::insert_bis(&doc, actors(), "PP4", "Noting also,", &usa),
        Err(ActionError::IdExists("PP4bis".into()))
    );
    let ins =
        drafting::insert_bis(&doc, actors(), "PP4bis", "Noting also the outlook,", &usa).unwrap();
    assert_eq!(ins.id, "PP4ter");
    let new = round_trip(&doc, &ins.edit, &[]);
    let p = new.paragraph("PP4ter").unwrap();
    assert_eq!(
        p.span.of(&new.source),
        "[4.ter Noting also the outlook,] {USA+}"
    );
    assert_eq!(positions(p, 0), vec![("USA".into(), Stance::Support)]);
    assert!(new.paragraph("PP5").is_some_and(
        |q| q.span.of(&new.source) == doc.paragraph("PP5").unwrap().span.of(&doc.source)
    ));

    let (id, b) = attributed(&doc);
    let edit = drafting::add_bracket_note(
        &doc,
        actors(),
        &id,
        b,
        Some("FRA"),
        "suggest shorter wording",
    )
    .unwrap();
    let new = round_trip(&doc, &edit, &[&id]);
    let p = new.paragraph(&id).unwrap();
    let last = *p.brackets[b].groups.last().unwrap();
    let note = p.groups[last].note.as_ref().unwrap();
    assert_eq!(
        (note.actor.as_deref(), note.text.as_str()),
        (Some("FRA"), "FRA suggest shorter wording")
    );
}

#[test]
fn invalid_targets_are_typed_errors() {
    let doc = brackets::parse(REV1);
    let egy = [PositionSpec::new("EGY", Stance::Support)];
    assert_eq!(
        drafting::bracket_text(&doc, actors(), "OP99", Span::new(0, 1), &egy),
        Err(ActionError::NoParagraph("OP99".into()))
    );
    // Into the middle of a multi-byte character.
    let p = doc
        .paragraphs
        .iter()
        .find(|p| !p.span.of(&doc.source).is_ascii());
    if let Some(p) = p {
        let text = p.span.of(&doc.source);
        let k = text
            .char_indices()
            .find(|(_, c)| c.len_utf8() > 1)
            .unwrap()
            .0;
        let at = p.span.start + k + 1;
        assert_eq!(
            drafting::bracket_text(&doc, actors(), &p.id, Span::new(p.span.start, at), &egy),
            Err(ActionError::BadRange)
        );
    }
    assert_eq!(
        drafting::bracket_text(
            &doc,
            actors(),
            "OP1",
            Span::new(0, 1),
            &[PositionSpec::new("ZZZ", Stance::Support)]
        ),
        Err(ActionError::BadRange)
    );
}

/// What a proptest case does to one paragraph; numbers pick targets and ranges.
#[derive(Debug, Clone)]
enum Action {
    Bracket(usize, usize),
    Position(usize, bool),
    Accept(usize),
    Drop(usize),
    Note,
    BracketNote(usize),
    Stamp(u32, u32),
    Bis,
    Alternative,
}

const ACTORS: [&str; 8] = ["USA", "EGY", "FRA", "CHN", "Chair", "EU", "G77", "BRA"];
const STANCES: [Stance; 4] = [
    Stance::Support,
    Stance::Oppose,
    Stance::Reserve,
    Stance::Delete,
];

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Action::Bracket(a, b)),
        (any::<usize>(), any::<bool>()).prop_map(|(a, b)| Action::Position(a, b)),
        any::<usize>().prop_map(Action::Accept),
        any::<usize>().prop_map(Action::Drop),
        Just(Action::Note),
        any::<usize>().prop_map(Action::BracketNote),
        (1u32..=28, 0u32..24 * 60).prop_map(|(d, m)| Action::Stamp(d, m)),
        Just(Action::Bis),
        Just(Action::Alternative),
    ]
}

/// A word-aligned range inside one text run of the paragraph, picked by `a` and `b`.
fn word_range(doc: &Document, p: &Paragraph, a: usize, b: usize) -> Option<Span> {
    let texts: Vec<Span> = p
        .leaves
        .iter()
        .filter(|l| l.kind == LeafKind::Text && !l.span.of(&doc.source).trim().is_empty())
        .map(|l| l.span)
        .collect();
    let leaf = *texts.get(a % texts.len().max(1))?;
    let text = leaf.span_of_words(&doc.source);
    let (x, y) = (
        text.get(b % text.len().max(1))?,
        text.get((b / 7) % text.len().max(1))?,
    );
    let (s, e) = (x.0.min(y.0), x.1.max(y.1));
    Some(Span::new(s, e))
}

/// Words of a span as absolute (start, end) pairs.
trait Words {
    fn span_of_words(&self, src: &str) -> Vec<(usize, usize)>;
}

impl Words for Span {
    fn span_of_words(&self, src: &str) -> Vec<(usize, usize)> {
        let text = self.of(src);
        let mut out = Vec::new();
        let mut start = None;
        for (i, c) in text.char_indices() {
            match (c.is_whitespace(), start) {
                (true, Some(s)) => {
                    out.push((self.start + s, self.start + i));
                    start = None;
                }
                (false, None) => start = Some(i),
                _ => {}
            }
        }
        if let Some(s) = start {
            out.push((self.start + s, self.end));
        }
        out
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 192, ..ProptestConfig::default() })]

    #[test]
    fn random_actions_on_the_example_round_trip(file in 0usize..6, para in any::<usize>(), act in action(), who in 0usize..8, stance in 0usize..4) {
        let all = iterations();
        let (_, src) = &all[file % all.len()];
        let doc = brackets::parse(src);
        let p = &doc.paragraphs[para % doc.paragraphs.len()];
        let id = p.id.clone();
        let closed = |k: usize| (!p.brackets.is_empty()).then(|| k % p.brackets.len());
        let spec = PositionSpec::new(ACTORS[who], STANCES[stance]);
        let result: Result<(Edit, Vec<String>), ActionError> = match act {
            Action::Bracket(a, b) => match word_range(&doc, p, a, b) {
                Some(r) => drafting::bracket_text(&doc, actors(), &id, r, std::slice::from_ref(&spec)).map(|e| (e, vec![id.clone()])),
                None => return Ok(()),
            },
            Action::Position(k, last) => match closed(k) {
                Some(b) => drafting::add_position(&doc, actors(), &id, b, &spec, if last { GroupChoice::Last } else { GroupChoice::New }).map(|e| (e, vec![id.clone()])),
                None => return Ok(()),
            },
            Action::Accept(k) | Action::Drop(k) => match closed(k) {
                Some(b) => {
                    let r = if matches!(act, Action::Accept(_)) {
                        drafting::accept_bracket(&doc, actors(), &id, b, ACTORS[who])
                    } else {
                        drafting::drop_bracket(&doc, actors(), &id, b, ACTORS[who])
                    };
                    r.map(|r| (r.edit, vec![id.clone()]))
                }
                None => return Ok(()),
            },
            Action::Note => drafting::add_note(&doc, actors(), &id, Some(ACTORS[who]), "suggest checking the figures").map(|e| (e, vec![id.clone()])),
            Action::BracketNote(k) => match closed(k) {
                Some(b) => drafting::add_bracket_note(&doc, actors(), &id, b, Some(ACTORS[who]), "suggest shorter wording").map(|e| (e, vec![id.clone()])),
                None => return Ok(()),
            },
            Action::Stamp(d, m) => drafting::stamp_agreed(&doc, &id, StampTime { year: 2026, month: 5, day: d, hour: m / 60, minute: m % 60 }).map(|e| (e, vec![id.clone()])),
            Action::Bis => drafting::insert_bis(&doc, actors(), &id, "Invites all to act,", &[]).map(|i| (i.edit, vec![])),
            Action::Alternative => drafting::insert_alternative(&doc, &id, "Invites all to act,").map(|i| (i.edit, vec![])),
        };
        // A refused action is a typed error, not a panic; refusals are tested one by one.
        let Ok((edit, changed)) = result else { return Ok(()) };
        let changed: Vec<&str> = changed.iter().map(String::as_str).collect();
        let text = edit.apply(&doc.source).unwrap();
        let new = brackets::parse(&text);
        check_invariants(&new);
        let errors = |d: &Document| d.diagnostics.iter().filter(|x| x.severity == Severity::Error).count();
        prop_assert!(errors(&new) <= errors(&doc), "new error after {:?}", edit);
        // Not even a new warning.
        let before = diagnostic_counts(&doc);
        for (key, n) in diagnostic_counts(&new) {
            prop_assert!(n <= before.get(&key).copied().unwrap_or(0), "new diagnostic {:?} after {:?}", key, edit);
        }
        // Every paragraph the edit does not touch is read back unchanged, where the edit
        // moved it (ids may shift: dropping a whole preambular paragraph renumbers those after).
        let delta = edit.replacement.len() as isize - edit.span.len() as isize;
        for q in &doc.paragraphs {
            let touched = (q.span.start < edit.span.end && edit.span.start < q.span.end)
                || changed.contains(&q.id.as_str());
            if touched {
                continue;
            }
            let after = q.span.start >= edit.span.end && q.span.start > edit.span.start;
            let shift = |x: usize| if after { x.saturating_add_signed(delta) } else { x };
            let want = Span::new(shift(q.span.start), shift(q.span.end));
            let found = new.paragraphs.iter().find(|r| r.span == want);
            prop_assert!(found.is_some(), "{} not read back at {:?} after {:?}", q.id, want, edit);
            prop_assert_eq!(q.span.of(&doc.source), want.of(&new.source));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Whatever the text and the target, an action returns an edit or a typed error.
    #[test]
    fn actions_never_panic(
        src in "(1\\. |- a\\. |Alt1\\. |Noting |[A-Za-z]{1,6}|[ ,;\n]|\\[|\\]|\\{USA\\+\\}|\\{|\\}|\u{e9}|Ad ref 1 May 2026 ){0,60}",
        para in any::<usize>(),
        start in any::<usize>(),
        len in 0usize..80,
        bracket in 0usize..4,
    ) {
        let doc = brackets::parse(&src);
        let id = if doc.paragraphs.is_empty() { "OP1".to_string() } else { doc.paragraphs[para % doc.paragraphs.len()].id.clone() };
        let start = start % (src.len() + 2);
        let span = Span::new(start, start.saturating_add(len));
        let specs = [PositionSpec::new("USA", Stance::Support)];
        let edits = [
            drafting::bracket_text(&doc, actors(), &id, span, &specs),
            drafting::add_position(&doc, actors(), &id, bracket, &specs[0], GroupChoice::Last),
            drafting::accept_bracket(&doc, actors(), &id, bracket, "Chair").map(|r| r.edit),
            drafting::drop_bracket(&doc, actors(), &id, bracket, "Chair").map(|r| r.edit),
            drafting::add_note(&doc, actors(), &id, None, "Placeholder"),
            drafting::add_bracket_note(&doc, actors(), &id, bracket, Some("FRA"), "suggest"),
            drafting::stamp_agreed(&doc, &id, StampTime { year: 2026, month: 5, day: 1, hour: 9, minute: 0 }),
            drafting::insert_bis(&doc, actors(), &id, "Noting,", &specs).map(|i| i.edit),
            drafting::insert_alternative(&doc, &id, "Noting,").map(|i| i.edit),
        ];
        for edit in edits.into_iter().flatten() {
            // Every edit applies to the source it was made for.
            prop_assert!(edit.apply(&src).is_ok(), "{:?}", edit);
        }
    }
}

// ---- saving ----

#[test]
fn save_replaces_the_file_it_loaded() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("draft.md");
    std::fs::write(&path, "one\n").unwrap();
    let (text, loaded) = drafting::load(&path).unwrap();
    assert_eq!(text, "one\n");
    assert_eq!(loaded, Fingerprint::of_file(&path).unwrap());
    let saved = drafting::save(&path, "two\n", Some(loaded)).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "two\n");
    assert_eq!(saved, Fingerprint::of(b"two\n"));
    // No temporary file is left beside it.
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");
    // Saving again with the fingerprint it returned works.
    drafting::save(&path, "three\n", Some(saved)).unwrap();
}

#[test]
fn loading_a_file_that_is_not_text_is_a_typed_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("draft.md");
    std::fs::write(&path, b"ok \xff").unwrap();
    assert!(matches!(
        drafting::load(&path),
        Err(SaveError::NotText {
            reason: brackets::repo::NotText::NotUtf8 { offset: 3 },
            ..
        })
    ));
    std::fs::write(&path, b"%PDF-1.7\n\0\x01").unwrap();
    assert!(matches!(
        drafting::load(&path),
        Err(SaveError::NotText {
            reason: brackets::repo::NotText::Binary { offset: 9 },
            ..
        })
    ));
    assert!(matches!(
        drafting::load(&dir.path().join("missing.md")),
        Err(SaveError::Io { .. })
    ));
}

#[test]
fn a_concurrent_change_on_disk_is_detected_and_not_overwritten() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("draft.md");
    std::fs::write(&path, "loaded text\n").unwrap();
    let loaded = Fingerprint::of_file(&path).unwrap();
    // Another editor (or a `git pull`) writes the file, keeping its length.
    std::fs::write(&path, "pulled text\n").unwrap();
    match drafting::save(&path, "our edit\n", Some(loaded)) {
        Err(SaveError::ChangedOnDisk { now, .. }) => {
            assert_eq!(now, Some(Fingerprint::of(b"pulled text\n")))
        }
        other => panic!("expected ChangedOnDisk, got {other:?}"),
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "pulled text\n");
    // Removed on disk, and a new file that appeared meanwhile: both refused.
    std::fs::remove_file(&path).unwrap();
    assert!(matches!(
        drafting::save(&path, "x", Some(loaded)),
        Err(SaveError::ChangedOnDisk { now: None, .. })
    ));
    std::fs::write(&path, "someone else's\n").unwrap();
    assert!(matches!(
        drafting::save(&path, "x", None),
        Err(SaveError::ChangedOnDisk { .. })
    ));
    // The caller chose to overwrite: it passes what is on disk now.
    let now = Fingerprint::of_file(&path).unwrap();
    drafting::save(&path, "our edit\n", Some(now)).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "our edit\n");
}

// ---- committing ----

const DRAFT: &str = "drafts/res.md";

struct TestRepo {
    _dir: tempfile::TempDir,
    root: PathBuf,
    git: Repository,
}

impl TestRepo {
    /// A repository with one commit of the draft (and `other.txt`), and an identity in its
    /// own config unless `identity` is false.
    fn new(identity: bool) -> TestRepo {
        sandbox();
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("repo");
        let mut opts = git2::RepositoryInitOptions::new();
        opts.initial_head("main");
        let git = Repository::init_opts(&root, &opts).unwrap();
        if identity {
            let mut config = git.config().unwrap();
            config.set_str("user.name", "Secretariat").unwrap();
            config
                .set_str("user.email", "secretariat@example.org")
                .unwrap();
        }
        let root = root.canonicalize().unwrap();
        let t = TestRepo {
            _dir: dir,
            root,
            git,
        };
        t.write(DRAFT, REV1);
        t.write("other.txt", "other\n");
        let mut index = t.git.index().unwrap();
        index.add_path(Path::new(DRAFT)).unwrap();
        index.add_path(Path::new("other.txt")).unwrap();
        index.write().unwrap();
        {
            let tree = t.git.find_tree(index.write_tree().unwrap()).unwrap();
            let sig = Signature::new(
                "Setup",
                "setup@example.org",
                &git2::Time::new(1_700_000_000, 0),
            )
            .unwrap();
            t.git
                .commit(Some("HEAD"), &sig, &sig, "zero draft", &tree, &[])
                .unwrap();
        }
        t
    }

    fn write(&self, path: &str, text: &str) {
        let full = self.root.join(path);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, text).unwrap();
    }

    fn head(&self) -> Oid {
        self.git.head().unwrap().target().unwrap()
    }

    fn repo(&self) -> Repo {
        Repo::open(&self.root).unwrap()
    }

    fn request(&self, message: &str) -> CommitRequest {
        CommitRequest {
            draft: DRAFT.into(),
            message: message.into(),
            expected_head: Some(self.head()),
            ..CommitRequest::default()
        }
    }
}

#[test]
fn commits_the_next_iteration_with_trailers_and_a_tag() {
    let t = TestRepo::new(true);
    let before = t.head();
    // Accept a bracket as the Chair asked, save it, and commit it.
    let doc = brackets::parse(REV1);
    let (id, b) = attributed(&doc);
    let r = drafting::accept_bracket(&doc, actors(), &id, b, "Chair").unwrap();
    let text = r.edit.apply(REV1).unwrap();
    let path = t.root.join(DRAFT);
    drafting::save(&path, &text, Some(Fingerprint::of(REV1.as_bytes()))).unwrap();
    t.write("drafts/res.md.comments.json", "[]\n");
    // An unstaged change elsewhere is not committed.
    t.write("other.txt", "changed, not staged\n");

    let request = CommitRequest {
        proposed_by: vec![r.proposed_by.clone()],
        on_behalf_of: vec!["G77".into(), "EU".into()],
        tag: Some("rev4".into()),
        ..t.request("Accept the Chair's proposal")
    };
    let oid = commit_iteration(&t.repo(), &request).unwrap();
    let commit = t.git.find_commit(oid).unwrap();
    assert_eq!(commit.parent_ids().collect::<Vec<_>>(), vec![before]);
    assert_eq!(t.head(), oid);
    assert_eq!(commit.author().name().ok(), Some("Secretariat"));
    assert_eq!(
        commit.author().email().ok(),
        Some("secretariat@example.org")
    );
    let trailers = Trailers::parse(commit.message().unwrap());
    assert_eq!(trailers.message, "Accept the Chair's proposal");
    assert_eq!(trailers.proposed_by, vec!["Chair"]);
    assert_eq!(trailers.on_behalf_of, vec!["G77", "EU"]);
    let tagged = t
        .git
        .find_reference("refs/tags/rev4")
        .unwrap()
        .peel_to_commit()
        .unwrap();
    assert_eq!(tagged.id(), oid);
    // The commit holds the saved draft and its comments, and the old other.txt.
    let tree = commit.tree().unwrap();
    let blob = |p: &str| {
        let entry = tree.get_path(Path::new(p)).unwrap();
        String::from_utf8(t.git.find_blob(entry.id()).unwrap().content().to_vec()).unwrap()
    };
    assert_eq!(blob(DRAFT), text);
    assert_eq!(blob("drafts/res.md.comments.json"), "[]\n");
    assert_eq!(blob("other.txt"), "other\n");

    // The same tag again is refused before anything is written.
    t.write(DRAFT, "changed again\n");
    let again = CommitRequest {
        tag: Some("rev4".into()),
        ..t.request("again")
    };
    assert!(
        matches!(commit_iteration(&t.repo(), &again), Err(CommitError::TagExists(name)) if name == "rev4")
    );
    assert_eq!(t.head(), oid);
}

#[test]
fn a_removed_comments_file_is_removed_in_the_commit() {
    let t = TestRepo::new(true);
    t.write("drafts/res.md.comments.json", "[]\n");
    t.write(DRAFT, "first edit\n");
    let first = commit_iteration(&t.repo(), &t.request("with comments")).unwrap();
    std::fs::remove_file(t.root.join("drafts/res.md.comments.json")).unwrap();
    t.write(DRAFT, "second edit\n");
    let second = commit_iteration(&t.repo(), &t.request("comments resolved and removed")).unwrap();
    let tree = t.git.find_commit(second).unwrap().tree().unwrap();
    assert!(
        tree.get_path(Path::new("drafts/res.md.comments.json"))
            .is_err()
    );
    assert_eq!(
        t.git.find_commit(second).unwrap().parent_id(0).unwrap(),
        first
    );
}

#[test]
fn the_first_iteration_of_a_new_repository_has_no_parent() {
    sandbox();
    let dir = tempfile::tempdir().unwrap();
    let git = Repository::init(dir.path()).unwrap();
    let mut config = git.config().unwrap();
    config.set_str("user.name", "Secretariat").unwrap();
    config
        .set_str("user.email", "secretariat@example.org")
        .unwrap();
    std::fs::create_dir_all(dir.path().join("drafts")).unwrap();
    std::fs::write(dir.path().join(DRAFT), REV1).unwrap();
    let repo = Repo::open(dir.path()).unwrap();
    let request = CommitRequest {
        draft: DRAFT.into(),
        message: "Zero draft".into(),
        tag: Some("rev0".into()),
        ..CommitRequest::default()
    };
    let oid = commit_iteration(&repo, &request).unwrap();
    let commit = git.find_commit(oid).unwrap();
    assert_eq!(commit.parent_count(), 0);
    assert_eq!(commit.message().ok(), Some("Zero draft\n"));
    // Expecting no commit when there is one now is a moved HEAD.
    std::fs::write(dir.path().join(DRAFT), "edited\n").unwrap();
    assert!(matches!(
        commit_iteration(&repo, &request),
        Err(CommitError::HeadMoved { .. })
    ));
}

#[test]
fn refuses_when_head_moved_or_other_files_are_staged() {
    let t = TestRepo::new(true);
    t.write(DRAFT, "edited\n");
    let stale = CommitRequest {
        expected_head: Some(Oid::ZERO_SHA1),
        ..t.request("edit")
    };
    assert!(matches!(
        commit_iteration(&t.repo(), &stale),
        Err(CommitError::HeadMoved { .. })
    ));

    t.write("other.txt", "staged elsewhere\n");
    let mut index = t.git.index().unwrap();
    index.add_path(Path::new("other.txt")).unwrap();
    index.write().unwrap();
    let before = t.head();
    match commit_iteration(&t.repo(), &t.request("edit")) {
        Err(CommitError::UnrelatedStaged(paths)) => assert_eq!(paths, vec!["other.txt"]),
        other => panic!("expected UnrelatedStaged, got {other:?}"),
    }
    assert_eq!(t.head(), before);
}

#[test]
fn refuses_without_an_identity_a_message_or_a_change() {
    let t = TestRepo::new(false);
    t.write(DRAFT, "edited\n");
    assert!(matches!(
        commit_iteration(&t.repo(), &t.request("edit")),
        Err(CommitError::MissingIdentity(_))
    ));
    let t = TestRepo::new(true);
    assert!(matches!(
        commit_iteration(&t.repo(), &t.request("  ")),
        Err(CommitError::EmptyMessage)
    ));
    assert!(matches!(
        commit_iteration(&t.repo(), &t.request("no change")),
        Err(CommitError::NothingToCommit(_))
    ));
    t.write(DRAFT, "edited\n");
    let bad = CommitRequest {
        proposed_by: vec!["USA, FRA".into()],
        ..t.request("edit")
    };
    assert!(matches!(
        commit_iteration(&t.repo(), &bad),
        Err(CommitError::BadTrailer(_))
    ));
    let bad = CommitRequest {
        tag: Some("bad..tag".into()),
        ..t.request("edit")
    };
    assert!(matches!(
        commit_iteration(&t.repo(), &bad),
        Err(CommitError::BadTag(_))
    ));
}
