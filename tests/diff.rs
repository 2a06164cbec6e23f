//! Diff tests: one hand-written fixture pair per change kind and per bracket change, the
//! bundled example's consecutive iterations, and a property test over generated drafts.

use brackets::diff::{BracketChangeKind, ChangeKind, DocumentDiff, Rule, diff};
use brackets::{Document, parse};
use proptest::prelude::*;
use std::path::Path;

fn read(path: &Path) -> Document {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    parse(&text)
}

fn fixture(kind: &str) -> (Document, Document, DocumentDiff) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diff")
        .join(kind);
    let old = read(&dir.join("old.md"));
    let new = read(&dir.join("new.md"));
    let d = diff(&old, &new);
    (old, new, d)
}

fn example(a: &str, b: &str) -> DocumentDiff {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("drafts/smart-cities-resolution");
    diff(&read(&dir.join(a)), &read(&dir.join(b)))
}

/// The changes other than `unchanged`, as `kind old>new` strings.
fn changed(d: &DocumentDiff) -> Vec<String> {
    d.changes
        .iter()
        .filter(|c| c.kind != ChangeKind::Unchanged)
        .map(|c| {
            format!(
                "{} {}>{}",
                c.kind.as_str(),
                c.old.join("+"),
                c.new.join("+")
            )
        })
        .collect()
}

fn has(d: &DocumentDiff, kind: ChangeKind, old: &[&str], new: &[&str]) -> bool {
    d.changes
        .iter()
        .any(|c| c.kind == kind && c.old == old && c.new == new)
}

/// Every paragraph of both iterations is in exactly one change.
fn covers_each_once(old: &Document, new: &Document, d: &DocumentDiff) {
    let mut seen_old = vec![0; old.paragraphs.len()];
    let mut seen_new = vec![0; new.paragraphs.len()];
    for c in &d.changes {
        for &i in &c.old_index {
            seen_old[i] += 1;
        }
        for &j in &c.new_index {
            seen_new[j] += 1;
        }
    }
    assert!(seen_old.iter().all(|&n| n == 1), "old: {seen_old:?}");
    assert!(seen_new.iter().all(|&n| n == 1), "new: {seen_new:?}");
}

#[test]
fn unchanged() {
    let (old, new, d) = fixture("unchanged");
    assert!(changed(&d).is_empty(), "{:?}", changed(&d));
    assert!(
        d.changes
            .iter()
            .all(|c| c.rule == Some(Rule::SameText) && c.similarity == 1.0 && !c.is_change())
    );
    covers_each_once(&old, &new, &d);
}

#[test]
fn modified() {
    let (_, _, d) = fixture("modified");
    assert_eq!(changed(&d), ["modified PP2>PP2"]);
    let c = &d.changes[1];
    assert_eq!(c.rule, Some(Rule::SameId));
    assert!(c.similarity > 0.8 && c.similarity < 1.0, "{}", c.similarity);
    let inserted: Vec<&str> = c
        .words
        .iter()
        .filter(|w| w.kind == brackets::diff::SpanKind::Inserted)
        .map(|w| w.text.as_str())
        .collect();
    assert_eq!(inserted, ["a large number of", "secure and"]);
}

#[test]
fn added_bis_paragraphs_leave_neighbours_alone() {
    let (old, new, d) = fixture("added");
    assert_eq!(changed(&d), ["added >PP2bis", "added >OP2bis"]);
    let proposal = &d.changes[2].brackets;
    assert_eq!(proposal.len(), 1);
    assert_eq!(proposal[0].kind, BracketChangeKind::Proposed);
    assert_eq!(proposal[0].proposer(), Some("NOR"));
    covers_each_once(&old, &new, &d);
}

#[test]
fn removed_at_its_old_place() {
    let (old, new, d) = fixture("removed");
    assert_eq!(changed(&d), ["removed PP3>", "renumbered PP4>PP3"]);
    let order: Vec<String> = d
        .changes
        .iter()
        .map(|c| format!("{}>{}", c.old.join("+"), c.new.join("+")))
        .collect();
    assert_eq!(&order[..4], ["PP1>PP1", "PP2>PP2", "PP3>", "PP4>PP3"]);
    covers_each_once(&old, &new, &d);
}

#[test]
fn moved() {
    let (_, _, d) = fixture("moved");
    assert_eq!(
        changed(&d),
        [
            "moved PP4>PP1",
            "renumbered PP1>PP2",
            "renumbered PP2>PP3",
            "renumbered PP3>PP4"
        ]
    );
}

#[test]
fn renumbered() {
    let (_, _, d) = fixture("renumbered");
    assert_eq!(changed(&d), ["renumbered OP1bis>OP2", "renumbered OP2>OP3"]);
    assert!(d.changes.iter().all(|c| c.words.is_empty()));
}

#[test]
fn split() {
    let (old, new, d) = fixture("split");
    assert_eq!(
        changed(&d),
        [
            "split PP2>PP2+PP3",
            "renumbered PP3>PP4",
            "renumbered PP4>PP5"
        ]
    );
    assert_eq!(d.changes[1].rule, Some(Rule::Containment));
    covers_each_once(&old, &new, &d);
}

#[test]
fn merged() {
    let (old, new, d) = fixture("merged");
    assert_eq!(
        changed(&d),
        [
            "merged PP2+PP3>PP2",
            "renumbered PP4>PP3",
            "renumbered PP5>PP4"
        ]
    );
    covers_each_once(&old, &new, &d);
}

#[test]
fn bracket_changes() {
    use BracketChangeKind as K;
    let (_, _, d) = fixture("brackets");
    let of = |id: &str| {
        let c = d
            .changes
            .iter()
            .find(|c| c.new == [id])
            .unwrap_or_else(|| panic!("{id}"));
        c.brackets
            .iter()
            .map(|b| {
                (
                    b.kind,
                    b.actor
                        .clone()
                        .or_else(|| b.proposer().map(String::from))
                        .unwrap_or_default(),
                    b.text.clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    let s = |k, a: &str, t: &str| (k, a.to_string(), t.to_string());
    assert_eq!(
        of("PP1"),
        [
            s(K::ChangedStance, "USA", "in every town and village"),
            s(K::Joined, "BRA", "in every town and village")
        ]
    );
    assert_eq!(of("PP2"), [s(K::Agreed, "EGY", "stable")]);
    assert_eq!(of("PP3"), [s(K::Dropped, "CAN", "and volunteers")]);
    assert_eq!(of("PP4"), [s(K::Proposed, "KEN", "and regional networks")]);
    assert_eq!(
        of("OP1"),
        [
            s(
                K::ReservationPlaced,
                "CHN",
                "national education and culture strategies"
            ),
            s(
                K::ReservationLifted,
                "IND",
                "national education and culture strategies"
            )
        ]
    );
    let op2 = of("OP2");
    assert_eq!(
        op2[0],
        s(K::Edited, "G77", "new, additional and predictable")
    );
    assert_eq!(
        op2[1],
        s(K::NoteAdded, "JPN", "JPN suggest merging with OP3")
    );
    assert_eq!(op2[2].0, K::NoteRemoved);
    let stance = d
        .changes
        .iter()
        .find(|c| c.new == ["PP1"])
        .map(|c| (c.brackets[0].old_stance, c.brackets[0].stance));
    assert_eq!(
        stance,
        Some((
            Some(brackets::model::Stance::Support),
            Some(brackets::model::Stance::Oppose)
        ))
    );
    // Agreed ad ref text that changed is flagged; a paragraph newly agreed too.
    let op3 = d
        .changes
        .iter()
        .find(|c| c.new == ["OP3"])
        .map(|c| (c.kind, c.reopened, c.newly_agreed));
    assert_eq!(op3, Some((ChangeKind::Modified, true, false)));
    let op4 = d
        .changes
        .iter()
        .find(|c| c.new == ["OP4"])
        .map(|c| (c.reopened, c.newly_agreed));
    assert_eq!(op4, Some((false, true)));
    assert_eq!(
        of("OP4"),
        [s(K::Agreed, "Chair", "to remain seized of the matter")]
    );
    // Position-only changes are not word edits of the paragraph's words.
    let pp1 = d
        .changes
        .iter()
        .find(|c| c.new == ["PP1"])
        .map(|c| c.similarity);
    assert_eq!(pp1, Some(1.0));
}

#[test]
fn example_zero_draft_to_compilation_1() {
    let d = example("01-zero-draft.md", "02-compilation-1.md");
    let structural: Vec<String> = changed(&d)
        .into_iter()
        .filter(|c| !c.starts_with("modified"))
        .collect();
    assert_eq!(
        structural,
        ["added >PP4bis", "added >OP3.d.alt1", "added >OP3bis"]
    );
    // The insertion of PP4bis does not disturb its neighbours' ids.
    assert!(has(&d, ChangeKind::Modified, &["PP5"], &["PP5"]));
    // Nothing in a zero draft (no bracket, no ad ref stamp) had been agreed: the first
    // reading's proposals reopen nothing.
    assert!(d.changes.iter().all(|c| !c.reopened));
    assert!(
        d.changes
            .iter()
            .all(|c| c.kind != ChangeKind::Modified || c.old == c.new)
    );
}

#[test]
fn example_compilation_1_to_rev1() {
    let d = example("02-compilation-1.md", "03-rev1.md");
    assert!(has(&d, ChangeKind::Moved, &["PP8"], &["PP11"]));
    assert!(has(&d, ChangeKind::Split, &["PP7"], &["PP7", "PP8"]));
    assert!(has(&d, ChangeKind::Merged, &["OP5", "OP6"], &["OP5"]));
    // OP7-9 become OP6-8: renumbered when the words are the same, modified when not.
    assert!(has(&d, ChangeKind::Modified, &["OP7"], &["OP6"]));
    assert!(has(&d, ChangeKind::Renumbered, &["OP8"], &["OP7"]));
    assert!(has(&d, ChangeKind::Modified, &["OP9"], &["OP8"]));
    assert_eq!(d.count(ChangeKind::Added) + d.count(ChangeKind::Removed), 0);
    assert_eq!(d.count(ChangeKind::Moved), 1);
}

#[test]
fn example_rev1_to_compilation_2_and_rev2() {
    let d = example("03-rev1.md", "04-compilation-2.md");
    let structural: Vec<String> = changed(&d)
        .into_iter()
        .filter(|c| !c.starts_with("modified"))
        .collect();
    assert_eq!(structural, ["added >OP5bis"]);
    let d = example("04-compilation-2.md", "05-rev2.md");
    let structural: Vec<String> = changed(&d)
        .into_iter()
        .filter(|c| !c.starts_with("modified"))
        .collect();
    assert_eq!(structural, ["removed OP3.d.alt1>"]);
}

#[test]
fn example_rev2_to_adopted() {
    let d = example("05-rev2.md", "06-adopted.md");
    assert!(has(&d, ChangeKind::Renumbered, &["PP4bis"], &["PP5"]));
    assert!(has(&d, ChangeKind::Renumbered, &["PP11"], &["PP12"]));
    assert!(has(&d, ChangeKind::Renumbered, &["OP3bis"], &["OP4"]));
    assert!(has(&d, ChangeKind::Renumbered, &["OP8"], &["OP10"]));
    assert_eq!(
        d.count(ChangeKind::Moved) + d.count(ChangeKind::Added) + d.count(ChangeKind::Removed),
        0
    );
}

#[test]
fn every_example_pair_covers_each_paragraph_once() {
    let files = [
        "01-zero-draft.md",
        "02-compilation-1.md",
        "03-rev1.md",
        "04-compilation-2.md",
        "05-rev2.md",
        "06-adopted.md",
    ];
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("drafts/smart-cities-resolution");
    for w in files.windows(2) {
        let (old, new) = (read(&dir.join(w[0])), read(&dir.join(w[1])));
        covers_each_once(&old, &new, &diff(&old, &new));
    }
}

/// The iteration files of one of the bundled example's drafts, in order.
fn example_iterations(folder: &str) -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("drafts")
        .join(folder);
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    files.sort();
    files
}

/// `diff` shares one reading between the two iterations for each paragraph written the same
/// way, and reads on two threads; the result must be what separate readings give.
#[test]
fn shared_readings_give_the_same_diff_as_separate_ones() {
    use brackets::diff::{Readings, diff_without_words, diff_without_words_read};
    let mut pairs: Vec<(Document, Document)> = Vec::new();
    for folder in ["smart-cities-resolution", "smart-cities-guidelines"] {
        let files = example_iterations(folder);
        for w in files.windows(2) {
            pairs.push((read(&w[0]), read(&w[1])));
        }
        // Each iteration with itself, and the first against the last.
        pairs.push((read(&files[0]), read(&files[0])));
        pairs.push((read(&files[0]), read(&files[files.len() - 1])));
    }
    for (old, new) in &pairs {
        let shared = serde_json::to_string(&diff_without_words(old, new)).unwrap();
        let separate = serde_json::to_string(&diff_without_words_read(
            old,
            &Readings::of(old),
            new,
            &Readings::of(new),
        ))
        .unwrap();
        assert_eq!(shared, separate);
        // Readings made after an earlier iteration's, as the ledger makes them.
        let earlier = Readings::of(old);
        let after = serde_json::to_string(&diff_without_words_read(
            old,
            &earlier,
            new,
            &Readings::after(old, &earlier, new),
        ))
        .unwrap();
        assert_eq!(after, separate);
    }
}

/// `brackets diff` reads the old iteration's paragraphs on whichever core is free
/// (`ReadingsInProgress`) and the new one's after them: with or without another thread
/// helping, the diff, word changes included, must be what `diff` gives.
#[test]
fn readings_made_by_two_threads_give_the_same_diff() {
    use brackets::diff::{Readings, ReadingsInProgress, diff_read};
    let docs: Vec<Document> = example_iterations("smart-cities-resolution")
        .iter()
        .map(|f| read(f))
        .collect();
    let mut pairs: Vec<(&Document, &Document)> = docs.windows(2).map(|w| (&w[0], &w[1])).collect();
    pairs.push((&docs[0], &docs[docs.len() - 1]));
    pairs.push((&docs[0], &docs[0]));
    for (old, new) in pairs {
        let expected = serde_json::to_string(&diff(old, new)).unwrap();
        for helpers in 0..3 {
            let in_progress = ReadingsInProgress::new(old);
            let (old_r, new_r) = std::thread::scope(|s| {
                for _ in 0..helpers {
                    s.spawn(|| in_progress.help());
                }
                Readings::after_in_progress(&in_progress, new)
            });
            assert_eq!(old_r.paragraphs.len(), old.paragraphs.len());
            assert_eq!(new_r.paragraphs.len(), new.paragraphs.len());
            let got = serde_json::to_string(&diff_read(old, &old_r, new, &new_r)).unwrap();
            assert_eq!(got, expected, "{helpers} helping threads");
        }
    }
}

#[test]
fn json_contract() {
    let (_, _, d) = fixture("split");
    let v = serde_json::to_value(&d).unwrap_or_default();
    let c = &v["changes"][1];
    assert_eq!(c["kind"], "split");
    assert_eq!(c["old"], serde_json::json!(["PP2"]));
    assert_eq!(c["new"], serde_json::json!(["PP2", "PP3"]));
    assert!(c["similarity"].is_f64());
    assert_eq!(c["rule"], "containment");
}

const SENTENCES: &[&str] = &[
    "Recalling the work of the commission on rivers and lakes",
    "Noting [with concern] {BRA+ FRA-} the loss of wetlands in many regions",
    "Recognizing the role of farmers and fishers in protecting water",
    "Welcoming the report of the panel on drought",
    "Stressing [the need for] {KEN+} predictable finance for water utilities",
    "Encourages Member States to share hydrological data; Ad ref 2 May 2026 10.00",
    "Invites [donors] {USA delete} [partners] {USA+} to support monitoring stations",
    "Requests the secretariat to report at the next session",
    "Decides to remain seized of the matter",
    "[Calls upon] {EGY+}{RUS reserve} all States to protect aquifers",
];

fn draft(picks: &[(usize, bool)]) -> String {
    let mut s = String::from("The Assembly,\n\n");
    let mut op = 0;
    for (k, &(i, operative)) in picks.iter().enumerate() {
        let text = SENTENCES[i % SENTENCES.len()];
        if operative {
            op += 1;
            s.push_str(&format!("{op}. {text} {k};\n\n"));
        } else if op == 0 {
            s.push_str(&format!("{text} {k},\n\n"));
        }
    }
    s
}

proptest! {
    #[test]
    fn no_panic_and_every_paragraph_once(
        a in proptest::collection::vec((0usize..20, any::<bool>()), 0..25),
        b in proptest::collection::vec((0usize..20, any::<bool>()), 0..25),
    ) {
        let (old, new) = (parse(&draft(&a)), parse(&draft(&b)));
        let d = diff(&old, &new);
        covers_each_once(&old, &new, &d);
        let (old2, new2) = (parse(&draft(&a)), parse(&draft(&a)));
        let same = diff(&old2, &new2);
        prop_assert!(same.changes.iter().all(|c| c.kind == ChangeKind::Unchanged));
    }
}

/// The outcome of a bracket that went follows its own words, not the same words elsewhere in
/// the paragraph: `[the]` dropped in a paragraph full of `the` is dropped, not agreed.
#[test]
fn a_bracket_of_common_words_is_judged_by_its_own_words() {
    use BracketChangeKind as K;
    let old = parse(
        "The Assembly,\n\n\
         1. Reaffirms [the] {USA+, FRA+} targets of the Goals and [its] {USA+} [their] {USA+} \
         [will] {USA+, FRA+} objectives, and the pledge that no one will be left behind, \
         [including [ensuring] {EGY+} [promoting] {TZA+} the involvement of residents] {EU+};\n\n\
         2. Notes the plan;\n",
    );
    let new = parse(
        "The Assembly,\n\n\
         1. Reaffirms targets of the Goals and their objectives, and the pledge that no one will \
         be left behind, [including promoting the involvement of residents] {EU+};\n\n\
         2. Notes the plan and [the] {RUS+} report;\n",
    );
    let d = diff(&old, &new);
    let kinds = |id: &str| -> Vec<(K, String)> {
        d.changes
            .iter()
            .find(|c| c.new == [id])
            .unwrap_or_else(|| panic!("{id}"))
            .brackets
            .iter()
            .map(|b| (b.kind, b.text.clone()))
            .collect()
    };
    let op1 = kinds("OP1");
    for (kind, text) in [
        (K::Dropped, "the"),
        (K::Dropped, "its"),
        (K::Agreed, "their"),
        (K::Dropped, "will"),
        (K::Dropped, "ensuring"),
        // Lifted inside the proposal that held it: now the proposal's own words.
        (K::Agreed, "promoting"),
    ] {
        assert!(
            op1.contains(&(kind, text.to_string())),
            "{text}: {kind:?} expected in {op1:?}"
        );
    }
    // `the` stands outside brackets in OP2 as often as before: a new proposal, not text
    // put in brackets.
    assert_eq!(kinds("OP2"), [(K::Proposed, "the".to_string())]);
}

/// A bracket holding alternatives is quoted with their marks (`text` keeps the words only,
/// for matching and JSON readers that compare words).
#[test]
fn a_bracket_holding_alternatives_is_quoted_with_their_marks() {
    let old = parse(
        "The Assembly,\n\n\
         1. [[Calls upon] {Chair delete} [Encourages] {Chair+} Member States to act] {EU+};\n",
    );
    let new = parse("The Assembly,\n\n1. Welcomes the plan;\n");
    let d = diff(&old, &new);
    let outer = d
        .changes
        .iter()
        .flat_map(|c| &c.brackets)
        .find(|b| b.text.contains("Member States"))
        .unwrap_or_else(|| panic!("{:?}", d.changes));
    assert_eq!(outer.kind, BracketChangeKind::Dropped);
    assert_eq!(outer.text, "Calls upon Encourages Member States to act");
    assert_eq!(
        outer.quoted(),
        "[Calls upon] [Encourages] Member States to act"
    );
    let json = serde_json::to_value(outer).unwrap();
    assert_eq!(
        json["quote"],
        "[Calls upon] [Encourages] Member States to act"
    );
}
