//! Unit tests for each action on a small draft; round trips through the parser are in
//! `tests/drafting.rs`.

use super::*;
use crate::model::Stance::*;

const DRAFT: &str = "# Draft resolution\n\nThe Assembly,\n\nRecalling its resolution 1, and the right to privacy,\n\nNoting the [report of the secretariat] {USA+ FRA-}{RUS reserve},\n\n## Operative part\n\n1. Welcomes the [voluntary] {USA+, CHN+} guidelines;\n\n2. Requests the Executive Director to report, with emphasis on:\n- a. Developing strategies;\n- b. Strengthening capacity;\n\n3. Decides to remain seized of the matter;\n";

fn doc() -> Document {
    crate::parse(DRAFT)
}

fn actors() -> &'static Actors {
    Actors::builtin()
}

fn applied(edit: &Edit) -> String {
    edit.apply(DRAFT).unwrap()
}

fn span_of(word: &str) -> Span {
    let start = DRAFT.find(word).unwrap();
    Span::new(start, start + word.len())
}

#[test]
fn brackets_selected_words_with_an_attribution() {
    let e = bracket_text(
        &doc(),
        actors(),
        "PP1",
        span_of(" the right to privacy"),
        &[
            PositionSpec::new("EGY", Support),
            PositionSpec::new("usa", Oppose),
        ],
    );
    // `usa` is not a country code as written in an attribution.
    assert_eq!(e, Err(ActionError::UnknownActor("usa".into())));
    let e = bracket_text(
        &doc(),
        actors(),
        "PP1",
        span_of(" the right to privacy"),
        &[
            PositionSpec::new("EGY", Support),
            PositionSpec::new("USA", Oppose),
        ],
    )
    .unwrap();
    assert!(applied(&e).contains("and [the right to privacy] {EGY+, USA-},"));
}

#[test]
fn bracket_selection_is_validated() {
    let d = doc();
    let egy = [PositionSpec::new("EGY", Support)];
    let r = |s: Span| bracket_text(&d, actors(), "PP2", s, &egy);
    let inside = span_of("the [report");
    assert_eq!(r(inside), Err(ActionError::CrossesBoundary));
    assert_eq!(r(span_of("FRA-}{RUS")), Err(ActionError::CrossesBoundary));
    // `[FRA-]` or `[,]` would read back as an attribution typed in square brackets.
    assert_eq!(r(span_of("FRA-")), Err(ActionError::NotWords));
    let comma = span_of("privacy,").start + 7;
    assert_eq!(
        bracket_text(&d, actors(), "PP1", Span::new(comma, comma + 1), &egy),
        Err(ActionError::NotWords)
    );
    assert_eq!(r(span_of("Recalling")), Err(ActionError::BadRange));
    assert_eq!(r(Span::new(10_000, 10_001)), Err(ActionError::BadRange));
    let space = span_of("Noting the").start + 6;
    assert_eq!(r(Span::new(space, space + 1)), Err(ActionError::BadRange));
    // Inside a bracket's text, or around a whole bracket with its groups, is fine.
    assert!(r(span_of("secretariat")).is_ok());
    assert!(
        r(span_of(
            "the [report of the secretariat] {USA+ FRA-}{RUS reserve}"
        ))
        .is_ok()
    );
    assert_eq!(
        bracket_text(&d, actors(), "PP9", span_of("Noting"), &egy),
        Err(ActionError::NoParagraph("PP9".into()))
    );
    assert_eq!(
        bracket_text(&d, actors(), "PP2", span_of("Noting"), &[]),
        Err(ActionError::NoActors)
    );
}

#[test]
fn adds_positions_to_the_last_group_or_a_new_one() {
    let d = doc();
    let usa = PositionSpec::new("GBR", Oppose);
    let last = add_position(&d, actors(), "OP1", 0, &usa, GroupChoice::Last).unwrap();
    assert!(applied(&last).contains("[voluntary] {USA+, CHN+, GBR-}"));
    let new = add_position(
        &d,
        actors(),
        "OP1",
        0,
        &PositionSpec::new("RUS", Reserve),
        GroupChoice::New,
    )
    .unwrap();
    assert!(applied(&new).contains("[voluntary] {USA+, CHN+}{RUS reserve}"));
    let spaced = add_position(&d, actors(), "PP2", 0, &usa, GroupChoice::Last).unwrap();
    // The last group is `{RUS reserve}`: written with spaces, so a space separates.
    assert!(applied(&spaced).contains("{USA+ FRA-}{RUS reserve GBR-}"));
    assert_eq!(
        add_position(
            &d,
            actors(),
            "OP1",
            0,
            &PositionSpec::new("USA", Oppose),
            GroupChoice::Last
        ),
        Err(ActionError::AlreadyListed {
            actor: "USA".into(),
            stance: Support
        })
    );
    assert_eq!(
        add_position(&d, actors(), "OP1", 3, &usa, GroupChoice::Last),
        Err(ActionError::NoBracket {
            paragraph: "OP1".into(),
            index: 3
        })
    );
    assert_eq!(
        add_position(
            &d,
            actors(),
            "OP1",
            0,
            &PositionSpec::new("USA", Note),
            GroupChoice::Last
        ),
        Err(ActionError::NoteAsPosition)
    );
}

#[test]
fn accepting_keeps_the_text_and_drops_brackets_and_groups() {
    let r = accept_bracket(&doc(), actors(), "PP2", 0, "Chair").unwrap();
    assert_eq!(r.proposed_by, "Chair");
    assert!(applied(&r.edit).contains("Noting the report of the secretariat,\n"));
    let r = accept_bracket(&doc(), actors(), "OP1", 0, "USA").unwrap();
    assert!(applied(&r.edit).contains("1. Welcomes the voluntary guidelines;"));
    assert_eq!(
        accept_bracket(&doc(), actors(), "OP1", 0, "XXX").map(|r| r.proposed_by),
        Err(ActionError::UnknownActor("XXX".into()))
    );
}

#[test]
fn dropping_removes_the_text_and_tidies_spaces() {
    let r = drop_bracket(&doc(), actors(), "OP1", 0, "CHN").unwrap();
    assert!(applied(&r.edit).contains("1. Welcomes the guidelines;"));
    let r = drop_bracket(&doc(), actors(), "PP2", 0, "Chair").unwrap();
    assert!(applied(&r.edit).contains("Noting the,\n"));
}

#[test]
fn notes_go_at_the_end_of_the_paragraph() {
    let e = add_note(
        &doc(),
        actors(),
        "OP3",
        Some("FRA"),
        "suggest merging with OP2",
    )
    .unwrap();
    assert!(applied(&e).contains("of the matter; {FRA suggest merging with OP2}\n"));
    let e = add_note(&doc(), actors(), "OP3", None, "Placeholder for the date").unwrap();
    assert!(applied(&e).contains("matter; {Placeholder for the date}"));
    assert_eq!(
        add_note(&doc(), actors(), "OP3", Some("FRA"), "reserve on this"),
        Err(ActionError::NoteLooksLikePosition("reserve".into()))
    );
    assert_eq!(
        add_note(&doc(), actors(), "OP3", Some("FRA"), "a } b"),
        Err(ActionError::BadText)
    );
}

#[test]
fn stamps_and_restamps() {
    let when = StampTime {
        year: 2023,
        month: 5,
        day: 22,
        hour: 12,
        minute: 26,
    };
    let e = stamp_agreed(&doc(), "OP3", when).unwrap();
    let text = applied(&e);
    assert!(text.contains("of the matter; Ad ref 22 May 2023 12.26\n"));
    let again = crate::parse(&text);
    let later = StampTime {
        day: 23,
        hour: 9,
        minute: 5,
        ..when
    };
    let e = stamp_agreed(&again, "OP3", later).unwrap();
    assert!(
        e.apply(&text)
            .unwrap()
            .contains("matter; Ad ref 23 May 2023 09.05\n")
    );
    let bad = StampTime {
        month: 2,
        day: 30,
        ..when
    };
    assert_eq!(stamp_agreed(&doc(), "OP3", bad), Err(ActionError::BadStamp));
    assert_eq!(
        StampTime { month: 13, ..when }.notation(),
        Err(ActionError::BadStamp)
    );
}

#[test]
fn bis_paragraphs_follow_the_parsers_labels() {
    let i = insert_bis(
        &doc(),
        actors(),
        "OP2",
        "Invites Member States to act;",
        &[],
    )
    .unwrap();
    assert_eq!(i.id, "OP2bis");
    assert!(
        applied(&i.edit)
            .contains("- b. Strengthening capacity;\n\n2bis. Invites Member States to act;\n\n3.")
    );
    let i = insert_bis(
        &doc(),
        actors(),
        "PP1",
        "Noting also the report,",
        &[PositionSpec::new("USA", Support)],
    )
    .unwrap();
    assert_eq!(i.id, "PP1bis");
    assert!(
        applied(&i.edit).contains("privacy,\n\n[1.bis Noting also the report,] {USA+}\n\nNoting")
    );
    assert_eq!(
        insert_bis(&doc(), actors(), "OP2.a", "x", &[]),
        Err(ActionError::Unsupported("OP2.a".into()))
    );
}

#[test]
fn alternatives_follow_the_parsers_labels() {
    let i = insert_alternative(&doc(), "OP2.a", "Designing strategies;").unwrap();
    assert_eq!(i.id, "OP2.a.alt1");
    assert!(
        applied(&i.edit)
            .contains("- a. Developing strategies;\n- Alt1. a Designing strategies;\n- b.")
    );
    let i = insert_alternative(&doc(), "OP3", "Decides to conclude;").unwrap();
    assert_eq!(i.id, "OP3.alt1");
    assert!(applied(&i.edit).ends_with("matter;\nAlt1. Decides to conclude;\n"));
    assert_eq!(
        insert_alternative(&doc(), "OP3", "a new text"),
        Err(ActionError::BadText)
    );
}

#[test]
fn edits_outside_the_source_are_refused() {
    let e = Edit {
        span: Span::new(5, 100_000),
        replacement: String::new(),
    };
    assert_eq!(e.apply(DRAFT), Err(ActionError::BadRange));
    let e = Edit {
        span: Span::new(6, 5),
        replacement: String::new(),
    };
    assert_eq!(e.apply(DRAFT), Err(ActionError::BadRange));
}

#[test]
fn notes_on_a_bracket_follow_its_groups() {
    let e = add_bracket_note(&doc(), actors(), "OP1", 0, Some("EGY"), "suggest optional").unwrap();
    assert!(applied(&e).contains("[voluntary] {USA+, CHN+}{EGY suggest optional} guidelines"));
    let e = add_bracket_note(&doc(), actors(), "OP1", 0, Some("EGY"), "delete it");
    assert_eq!(e, Err(ActionError::NoteLooksLikePosition("delete".into())));
}

#[test]
fn editing_a_paragraph_replaces_its_text_only() {
    let e = edit_paragraph(
        &doc(),
        "OP3",
        "3. Decides to remain actively seized of the matter;\n",
    )
    .unwrap();
    let text = applied(&e);
    assert!(text.ends_with("\n\n3. Decides to remain actively seized of the matter;\n"));
    assert_eq!(crate::parse(&text).paragraphs.len(), doc().paragraphs.len());
    assert_eq!(
        edit_paragraph(&doc(), "OP3", "3. One;\n\nTwo;"),
        Err(ActionError::BadText)
    );
    assert_eq!(
        edit_paragraph(&doc(), "OP3", " \n"),
        Err(ActionError::BadText)
    );
    assert_eq!(paragraph_line(&doc(), "PP1"), Ok(5));
    assert_eq!(paragraph_line(&doc(), "OP2.b"), Ok(15));
}
