//! The parser on small hand-written drafts, one per construct of the notation or kind of damage
//! (tests/fixtures/parser). Each test states exactly what the parser must read: paragraph ids,
//! sections, texts, positions per bracket, notes, stamps, spanning brackets and diagnostics.
//! Every fixture must also round-trip byte for byte and keep the model's invariants.

mod common;

use brackets::model::{
    Anchor, BlockKind, Document, LeafKind, Level, Paragraph, SectionKind, Severity, Stance,
};
use common::{check_invariants, parse_checked};
use std::path::{Path, PathBuf};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/parser")
}

fn load(name: &str) -> (String, Document) {
    let path = fixtures_dir().join(name);
    let src = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let doc = parse_checked(&src);
    (src, doc)
}

fn ids(doc: &Document) -> Vec<&str> {
    doc.paragraphs.iter().map(|p| p.id.as_str()).collect()
}

fn para<'a>(doc: &'a Document, id: &str) -> &'a Paragraph {
    doc.paragraph(id)
        .unwrap_or_else(|| panic!("no paragraph {id}; have {:?}", ids(doc)))
}

fn text(doc: &Document, id: &str) -> String {
    para(doc, id).text(&doc.source)
}

/// `(actor, stance, proposer)` for every position of every group of bracket `b`, in order.
fn positions(doc: &Document, id: &str, b: usize) -> Vec<(String, Stance, bool)> {
    let p = para(doc, id);
    p.brackets[b]
        .groups
        .iter()
        .flat_map(|&g| p.groups[g].positions.iter())
        .map(|pos| (pos.actor.clone(), pos.stance, pos.proposer))
        .collect()
}

fn pos(list: &[(&str, Stance, bool)]) -> Vec<(String, Stance, bool)> {
    list.iter()
        .map(|(a, s, p)| (a.to_string(), *s, *p))
        .collect()
}

/// The plain bracketed words of every bracket of a paragraph, in arena order.
fn bracket_words(doc: &Document, id: &str) -> Vec<String> {
    let p = para(doc, id);
    (0..p.brackets.len())
        .map(|b| p.bracket_plain_text(&doc.source, b))
        .collect()
}

/// `(code, severity, line, column)` of every diagnostic, in order.
fn diags(doc: &Document) -> Vec<(&'static str, Severity, usize, usize)> {
    doc.diagnostics
        .iter()
        .map(|d| (d.code, d.severity, d.line, d.column))
        .collect()
}

fn message(doc: &Document, code: &str) -> String {
    doc.diagnostics
        .iter()
        .find(|d| d.code == code)
        .unwrap_or_else(|| panic!("no {code} diagnostic in {:?}", diags(doc)))
        .message
        .clone()
}

fn section_names(doc: &Document) -> Vec<String> {
    doc.sections.iter().map(|s| s.name()).collect()
}

use Severity::{Error, Note, Warning};
use Stance::{Delete, Oppose, Reserve, Support};

// ---------------------------------------------------------------------------------------------
// Every fixture

#[test]
fn every_fixture_round_trips_and_keeps_the_invariants() {
    let mut names: Vec<PathBuf> = std::fs::read_dir(fixtures_dir())
        .expect("fixtures directory")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "md" || e == "txt"))
        .collect();
    names.sort();
    assert!(
        names.len() >= 30,
        "expected the full set of fixtures, found {}",
        names.len()
    );
    for path in names {
        let src = std::fs::read_to_string(&path).expect("fixture is UTF-8");
        let doc = brackets::parse(&src);
        assert_eq!(doc.render(), src, "{} does not round-trip", path.display());
        check_invariants(&doc);
        assert!(
            !doc.paragraphs.is_empty(),
            "{}: no paragraphs",
            path.display()
        );
    }
}

/// Fixtures of well-formed constructs raise nothing but the notes and warnings listed.
#[test]
fn constructs_are_clean() {
    for name in [
        "front-matter.md",
        "plain-text.txt",
        "preamble-bis.md",
        "alternatives.md",
        "notes.md",
        "stamps.md",
        "guidelines.md",
        "article.md",
        "escaped.md",
        "emphasis.md",
        "crlf.md",
        "cr.md",
        "bom.md",
        "tabs.md",
    ] {
        let (_, doc) = load(name);
        assert_eq!(diags(&doc), vec![], "{name}: {:#?}", doc.diagnostics);
    }
}

// ---------------------------------------------------------------------------------------------
// Structure: front matter, sections, ids

#[test]
fn front_matter_title_header_and_chapeau() {
    let (src, doc) = load("front-matter.md");
    assert_eq!(
        doc.title.as_ref().map(|l| l.text.as_str()),
        Some("Draft resolution: Reducing plastic pollution in the oceans")
    );
    let header: Vec<&str> = doc.header.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(
        header,
        [
            "General Assembly, eighty-first session",
            "Agenda item 74 (a)"
        ]
    );
    assert_eq!(
        doc.chapeau.as_ref().map(|l| l.text.as_str()),
        Some("The General Assembly,")
    );
    assert_eq!(
        doc.chapeau.as_ref().map(|l| l.span.of(&src)),
        Some("The General Assembly,")
    );
    assert_eq!(
        ids(&doc),
        ["PP1", "PP2", "PP3", "OP1", "OP2", "OP3", "OP4", "OP4bis"]
    );
    assert_eq!(section_names(&doc), ["preamble", "operative"]);
    assert_eq!(
        doc.sections[1].title.as_deref(),
        Some("Operative paragraphs")
    );
    assert!(
        doc.sections[1]
            .heading
            .is_some_and(|h| h.of(&src) == "## Operative paragraphs")
    );
    assert!(doc.paragraphs.iter().all(|p| p.level == Level::Paragraph));
    assert_eq!(
        text(&doc, "OP2"),
        "Encourages regional fisheries bodies to recover abandoned fishing gear;"
    );
    assert_eq!(para(&doc, "OP2").label.map(|l| l.of(&src)), Some("2."));
    assert_eq!(para(&doc, "OP4bis").label.map(|l| l.of(&src)), Some("4bis"));
    assert!(text(&doc, "OP4bis").starts_with("Invites the private sector"));
    let kinds: Vec<BlockKind> = doc
        .blocks
        .iter()
        .map(|b| b.kind)
        .filter(|k| *k != BlockKind::Gap)
        .take(5)
        .collect();
    assert_eq!(
        kinds,
        [
            BlockKind::Title,
            BlockKind::Header,
            BlockKind::Header,
            BlockKind::Chapeau,
            BlockKind::Paragraph(0)
        ]
    );
}

#[test]
fn plain_text_title_before_the_chapeau() {
    let (_, doc) = load("plain-text.txt");
    assert_eq!(
        doc.title.as_ref().map(|l| l.text.as_str()),
        Some("Improving international migration statistics")
    );
    let header: Vec<&str> = doc.header.iter().map(|l| l.text.as_str()).collect();
    assert_eq!(header, ["Draft resolution submitted by the Bureau"]);
    assert_eq!(
        doc.chapeau.as_ref().map(|l| l.text.as_str()),
        Some("The Statistical Commission,")
    );
    assert_eq!(ids(&doc), ["PP1", "PP2", "OP1", "OP2"]);
    assert_eq!(section_names(&doc), ["preamble", "operative"]);
    assert_eq!(doc.sections[0].kind, SectionKind::Preamble);
    assert_eq!(doc.sections[1].kind, SectionKind::Operative);
    assert_eq!(doc.section_of(para(&doc, "PP2")).name(), "preamble");
    assert_eq!(doc.section_of(para(&doc, "OP1")).name(), "operative");
}

#[test]
fn header_lines_and_chapeau_without_blank_lines() {
    let src = "Draft resolution submitted by the Bureau\nImproving international migration statistics\nThe Statistical Commission,\nRecognizing that reliable data on migration are needed\nto design humane policies,\n\n1. Urges offices to publish migration data;\n";
    let doc = parse_checked(src);
    assert_eq!(
        doc.title.as_ref().map(|l| l.text.as_str()),
        Some("Improving international migration statistics")
    );
    assert_eq!(doc.header.len(), 1);
    assert_eq!(
        doc.chapeau.as_ref().map(|l| l.text.as_str()),
        Some("The Statistical Commission,")
    );
    assert_eq!(ids(&doc), ["PP1", "OP1"]);
    assert_eq!(
        text(&doc, "PP1"),
        "Recognizing that reliable data on migration are needed to design humane policies,"
    );
}

#[test]
fn numbered_paragraphs_with_nothing_before_them_are_operative() {
    let (_, doc) = load("no-chapeau.md");
    assert_eq!(ids(&doc), ["OP1", "OP2"]);
    assert_eq!(section_names(&doc), ["operative"]);
    assert!(doc.title.is_none() && doc.header.is_empty() && doc.chapeau.is_none());
    assert_eq!(
        positions(&doc, "OP1", 0),
        pos(&[("FJI", Support, true), ("USA", Oppose, false)])
    );
    assert_eq!(positions(&doc, "OP2", 0), pos(&[("NOR", Support, true)]));
    assert_eq!(diags(&doc), []);
}

/// The chapeau names the body in the draft's own language; what follows it is read as in an
/// English draft.
#[test]
fn chapeaus_in_other_languages_and_of_a_declaration() {
    for (name, chapeau, want) in [
        (
            "chapeau-french.md",
            "L'Assemblée générale,",
            &["PP1", "PP2", "OP1", "OP2"][..],
        ),
        (
            "chapeau-spanish.md",
            "La Asamblea General,",
            &["PP1", "OP1"],
        ),
        ("chapeau-arabic.md", "إن الجمعية العامة،", &["PP1", "OP1"]),
        (
            "declaration.md",
            "We, the Heads of State and Government, gathered in Apia,",
            &["OP1", "OP2"],
        ),
    ] {
        let (_, doc) = load(name);
        assert_eq!(
            doc.chapeau.as_ref().map(|l| l.text.as_str()),
            Some(chapeau),
            "{name}"
        );
        assert_eq!(ids(&doc), want, "{name}");
        assert_eq!(diags(&doc), [], "{name}");
    }
    let (_, doc) = load("chapeau-french.md");
    assert_eq!(
        doc.title.as_ref().map(|l| l.text.as_str()),
        Some("Projet de résolution sur les données océaniques")
    );
    assert_eq!(
        positions(&doc, "PP1", 0),
        pos(&[("FRA", Support, true), ("RUS", Oppose, false)])
    );
    assert_eq!(positions(&doc, "OP1", 0), pos(&[("SEN", Support, true)]));
    let (_, doc) = load("chapeau-arabic.md");
    assert_eq!(
        positions(&doc, "PP1", 0),
        pos(&[("EGY", Support, true), ("SAU", Oppose, false)])
    );
    assert_eq!(positions(&doc, "OP1", 0), pos(&[("MAR", Support, true)]));
    let (_, doc) = load("declaration.md");
    assert_eq!(
        doc.title.as_ref().map(|l| l.text.as_str()),
        Some("Declaration of the high-level meeting on coastal cities")
    );
    assert_eq!(
        positions(&doc, "OP1", 0),
        pos(&[("WSM", Support, true), ("USA", Oppose, false)])
    );
}

#[test]
fn preamble_after_a_title_with_no_chapeau() {
    let (_, doc) = load("title-then-preamble.md");
    assert_eq!(
        doc.title.as_ref().map(|l| l.text.as_str()),
        Some("Draft resolution on ocean observation")
    );
    assert!(doc.chapeau.is_none());
    assert_eq!(ids(&doc), ["PP1", "PP2", "OP1"]);
    assert_eq!(section_names(&doc), ["preamble", "operative"]);
    assert_eq!(positions(&doc, "PP1", 0), pos(&[("NOR", Support, true)]));
    assert_eq!(positions(&doc, "PP2", 0), pos(&[("PRT", Support, true)]));
    assert_eq!(diags(&doc), []);
}

/// Brackets and attributions in lines read as no paragraph (a title, a header line) are
/// reported, never dropped in silence. The line under a resolution's title that is wholly in
/// brackets is an editorial note, not a proposal.
#[test]
fn notation_outside_any_paragraph_is_reported() {
    let (_, doc) = load("unread-notation.md");
    assert_eq!(
        doc.title.as_ref().map(|l| l.text.as_str()),
        Some("Draft resolution on [sustainable] {NOR+} ocean finance")
    );
    assert_eq!(ids(&doc), ["PP1", "OP1"]);
    assert_eq!(diags(&doc), [("unread-notation", Warning, 1, 23)]);
    assert!(message(&doc, "unread-notation").contains("title"));
}

/// A report's front matter stays header lines: a greeting ending with a comma is no chapeau
/// when prose follows it, and a short numbered heading is no operative paragraph.
#[test]
fn a_reports_front_matter_stays_header() {
    let src = "Note by the secretariat\n\nDear colleagues,\n\n1. Background.\n\nThe secretariat prepared this note for the Board.\n";
    let doc = brackets::parse(src);
    assert!(doc.paragraphs.is_empty());
    assert!(doc.chapeau.is_none());
    assert_eq!(doc.header.len(), 3);
    assert_eq!(diags(&doc), []);
}

#[test]
fn preambular_paragraphs_by_position_and_an_inserted_bis() {
    let (src, doc) = load("preamble-bis.md");
    assert_eq!(
        ids(&doc),
        [
            "PP1", "PP2", "PP3", "PP4", "PP5", "PP6", "PP7", "PP7bis", "PP8", "OP1"
        ]
    );
    let bis = para(&doc, "PP7bis");
    assert_eq!(bis.label.map(|l| l.of(&src)), Some("7.bis"));
    assert_eq!(bis.section, 0);
    assert_eq!(
        bis.text(&src),
        "[Noting the voluntary commitments made by technology companies on the testing of large models,] {NOR+, CHL+}"
    );
    assert_eq!(bis.brackets.len(), 1);
    assert_eq!(
        positions(&doc, "PP7bis", 0),
        pos(&[("NOR", Support, true), ("CHL", Support, false)])
    );
    assert_eq!(bis.agreed_text(&src), "");
    assert!(text(&doc, "PP8").starts_with("Emphasizing that human oversight"));
}

#[test]
fn operative_labels_sub_paragraphs_and_roman_numerals() {
    let (src, doc) = load("operative-labels.md");
    assert_eq!(
        ids(&doc),
        [
            "PP1", "OP1", "OP1.a", "OP1.b", "OP1.c", "OP1.c.i", "OP1.c.ii", "OP1.d", "OP3",
            "OP4bis"
        ]
    );
    assert_eq!(section_names(&doc), ["preamble", "operative"]);
    assert_eq!(doc.sections[1].title.as_deref(), Some("OPERATIVE PART"));
    let levels: Vec<Level> = doc.paragraphs.iter().map(|p| p.level).collect();
    use Level::{Paragraph as P, SubParagraph as S};
    assert_eq!(levels, [P, P, S, S, S, S, S, S, P, P]);
    let labels: Vec<&str> = doc
        .paragraphs
        .iter()
        .map(|p| p.label.map_or("", |l| l.of(&src)))
        .collect();
    assert_eq!(
        labels,
        [
            "", "1.", "a.", "(b)", "c.", "(i)", "(ii)", "d.", "3.", "4bis"
        ]
    );
    assert_eq!(
        text(&doc, "OP1.c"),
        "options for extended producer responsibility, including:"
    );
    assert_eq!(text(&doc, "OP1.c.ii"), "modulated fees for packaging;");
    assert_eq!(
        text(&doc, "OP3"),
        "Invites Parties to share national action plans;"
    );
    // `- 3.` after `1.`: a gap in the numbering is worth a warning, nothing more.
    assert_eq!(diags(&doc), [("numbering", Warning, 16, 3)]);
    assert!(message(&doc, "numbering").contains("from 1 to 3"));
}

#[test]
fn letter_i_after_h_is_a_letter_not_a_roman_numeral() {
    let doc = parse_checked(
        "The General Assembly,\n\n1. Requests:\n\n(g) one;\n(h) two;\n(i) three;\n(j) four;\n",
    );
    assert_eq!(ids(&doc), ["OP1", "OP1.g", "OP1.h", "OP1.i", "OP1.j"]);
}

#[test]
fn alternatives_alt_and_options() {
    let (src, doc) = load("alternatives.md");
    assert_eq!(
        ids(&doc),
        [
            "PP1",
            "OP1",
            "OP1.a",
            "OP1.d",
            "OP1.d.alt1",
            "OP1.e",
            "OP1.e.alt1",
            "OP2",
            "OP2.alt1"
        ]
    );
    let alt_d = para(&doc, "OP1.d.alt1");
    assert_eq!(alt_d.level, Level::Alternative);
    assert_eq!(alt_d.label.map(|l| l.of(&src)), Some("Alt1. d"));
    assert_eq!(
        alt_d.text(&src),
        "Entrust existing regulators with the audit of high-risk systems {BRA+}"
    );
    // A whole-paragraph proposal: the group speaks to the alternative itself, without a warning.
    assert_eq!(alt_d.groups.len(), 1);
    assert_eq!(alt_d.groups[0].anchor, Anchor::Paragraph);
    assert_eq!(alt_d.groups[0].positions[0].actor, "BRA");
    assert!(alt_d.groups[0].positions[0].proposer);
    let alt_e = para(&doc, "OP1.e.alt1");
    assert_eq!(alt_e.level, Level::Alternative);
    assert_eq!(alt_e.label.map(|l| l.of(&src)), Some("Alt 1.e"));
    assert_eq!(
        bracket_words(&doc, "OP1.e.alt1"),
        ["Foster international cooperation on model evaluation."]
    );
    assert_eq!(
        positions(&doc, "OP1.e.alt1", 0),
        pos(&[("KEN", Support, true), ("IND", Support, false)])
    );
    assert_eq!(
        para(&doc, "OP2.alt1").label.map(|l| l.of(&src)),
        Some("Option 2:")
    );
    assert_eq!(
        text(&doc, "OP2.alt1"),
        "Decides to request the Secretary-General to convene an annual dialogue on artificial intelligence;"
    );
    assert!(text(&doc, "OP2").starts_with("Option 1: Decides to establish"));
}

#[test]
fn options_opening_an_article_and_a_third_alternative() {
    let src = "# Agreement\n\nArticle 5\n\nOption 1: The Parties shall exchange data annually.\n\nOption 2: The Parties should exchange data as appropriate.\n\nOption 3: The Parties may exchange data.\n\nArticle 6\n\n1. Each Party [shall][should] cooperate.\n\nAlt 2 Each Party shall endeavour to cooperate.\n";
    let doc = parse_checked(src);
    assert_eq!(
        ids(&doc),
        [
            "Art5/P1",
            "Art5/P1.alt1",
            "Art5/P1.alt2",
            "Art6/1",
            "Art6/1.alt1"
        ]
    );
    assert_eq!(bracket_words(&doc, "Art6/1"), ["shall", "should"]);
    assert!(
        para(&doc, "Art6/1")
            .brackets
            .iter()
            .all(|b| b.groups.is_empty())
    );
}

#[test]
fn nested_brackets_with_attributions_at_each_level() {
    let (src, doc) = load("nested.md");
    assert_eq!(ids(&doc), ["OP1", "OP2", "OP3"]);
    let op1 = para(&doc, "OP1");
    assert_eq!(op1.brackets.len(), 7);
    assert_eq!(op1.brackets[0].parent, None);
    assert_eq!(op1.brackets[0].children, [1, 2, 3, 4, 5]);
    assert_eq!(op1.brackets[6].parent, Some(5));
    assert_eq!(
        bracket_words(&doc, "OP1"),
        [
            "Urges Encourages all States to phase out reduce the production of primary plastic polymers;",
            "Urges",
            "Encourages",
            "phase out",
            "reduce",
            "the production of primary plastic polymers",
            "primary"
        ]
    );
    assert_eq!(
        positions(&doc, "OP1", 0),
        pos(&[
            ("KEN", Support, true),
            ("ECU", Support, false),
            ("USA", Reserve, false)
        ])
    );
    assert_eq!(
        positions(&doc, "OP1", 1),
        pos(&[("GHA", Support, true), ("PER", Support, false)])
    );
    assert_eq!(positions(&doc, "OP1", 2), pos(&[("GHA", Support, true)]));
    assert_eq!(
        positions(&doc, "OP1", 3),
        pos(&[("FJI", Support, true), ("NZL", Support, false)])
    );
    assert_eq!(positions(&doc, "OP1", 4), pos(&[("SAU", Support, true)]));
    // Several groups after one bracket: `{FJI+, MHL+, SAU-}{CHN reserve}{IND Delete}`.
    assert_eq!(op1.brackets[5].groups.len(), 3);
    assert_eq!(
        positions(&doc, "OP1", 5),
        pos(&[
            ("FJI", Support, true),
            ("MHL", Support, false),
            ("SAU", Oppose, false),
            ("CHN", Reserve, false),
            ("IND", Delete, false)
        ])
    );
    assert_eq!(positions(&doc, "OP1", 6), pos(&[("FJI", Support, true)]));
    assert_eq!(
        op1.bracket_text(&src, 5),
        "the production of [primary] {FJI+} plastic polymers"
    );
    assert_eq!(op1.agreed_text(&src), "");
    assert_eq!(
        op1.plain_text(&src),
        "Urges Encourages all States to phase out reduce the production of primary plastic polymers;"
    );
    let mut actors: Vec<&str> = op1.actors().collect();
    actors.sort_unstable();
    actors.dedup();
    assert_eq!(
        actors,
        [
            "CHN", "ECU", "FJI", "GHA", "IND", "KEN", "MHL", "NZL", "PER", "SAU", "USA"
        ]
    );

    // Spaces vs commas, a trailing comma; the first `+` of a bracket across its groups.
    assert_eq!(
        positions(&doc, "OP2", 0),
        pos(&[
            ("FJI", Support, true),
            ("MHL", Support, false),
            ("TUV", Oppose, false)
        ])
    );
    assert_eq!(
        positions(&doc, "OP2", 1),
        pos(&[("BGD", Support, true), ("NPL", Support, false)])
    );
    assert_eq!(
        positions(&doc, "OP2", 2),
        pos(&[
            ("NOR", Oppose, false),
            ("NOR", Delete, false),
            ("JPN", Support, true)
        ])
    );
    assert_eq!(
        para(&doc, "OP2").agreed_text(&src),
        "Requests the Executive Director to support in;"
    );

    // A replacement: the old word proposed for deletion, the new one proposed.
    assert_eq!(positions(&doc, "OP3", 0), pos(&[("CMR", Delete, false)]));
    assert_eq!(positions(&doc, "OP3", 1), pos(&[("CMR", Support, true)]));
    assert_eq!(bracket_words(&doc, "OP3"), ["Urges", "Encourages"]);

    assert_eq!(diags(&doc), [("several-positions", Warning, 5, 183)]);
    assert!(
        message(&doc, "several-positions")
            .contains("NOR takes two positions on one bracket (oppose and delete)")
    );
}

#[test]
fn notes_with_and_without_an_actor_and_an_explained_reservation() {
    let (_, doc) = load("notes.md");
    assert_eq!(ids(&doc), ["PP1", "PP2", "OP1"]);
    let note = |id: &str| -> Vec<(Option<String>, String)> {
        para(&doc, id)
            .groups
            .iter()
            .filter_map(|g| g.note.as_ref())
            .map(|n| (n.actor.clone(), n.text.clone()))
            .collect()
    };
    assert_eq!(
        note("PP1"),
        [(
            Some("FRA".to_string()),
            "FRA suggest to move as last preambular paragraph".to_string()
        )]
    );
    assert_eq!(positions(&doc, "PP1", 0), pos(&[("MEX", Support, true)]));
    assert_eq!(
        note("PP2"),
        [(
            None,
            "Placeholder for the title of the latest report".to_string()
        )]
    );
    assert!(
        para(&doc, "PP2")
            .groups
            .iter()
            .all(|g| g.note.is_none() || g.positions.is_empty())
    );
    assert_eq!(
        note("OP1"),
        [(
            Some("DEU".to_string()),
            "OP1 to OP3, pending the outcome of the privacy review".to_string()
        )]
    );
    assert_eq!(
        positions(&doc, "OP1", 0),
        pos(&[("PHL", Support, true), ("DEU", Reserve, false)])
    );
    assert_eq!(bracket_words(&doc, "OP1"), ["the use of mobile phone data"]);
}

/// Free text after positions in one group is a note of its own: by the actor it starts with,
/// else by no one. Never by the delegation whose position happens to come before it. A name
/// written with a stance word where a position stands (`Foo reserve`) is a position, reported
/// like any unknown code.
#[test]
fn free_text_after_positions_is_nobody_elses_note() {
    let (_, doc) = load("positions-then-free-text.md");
    assert_eq!(
        positions(&doc, "OP1", 0),
        pos(&[
            ("USA", Support, true),
            ("FRA", Oppose, false),
            ("Foo", Reserve, false)
        ])
    );
    assert_eq!(
        positions(&doc, "OP1", 1),
        pos(&[
            ("EGY", Support, true),
            ("GBR", Oppose, false),
            ("Britain", Reserve, false)
        ])
    );
    assert_eq!(
        positions(&doc, "OP1", 2),
        pos(&[("CHN", Support, true), ("KEN", Support, false)])
    );
    let notes: Vec<(Option<String>, String)> = para(&doc, "OP1")
        .groups
        .iter()
        .filter_map(|g| g.note.as_ref())
        .map(|n| (n.actor.clone(), n.text.clone()))
        .collect();
    assert_eq!(
        notes,
        [
            (None, "the Chair notes this".to_string()),
            (
                Some("Chair".to_string()),
                "Chair suggest merging with OP2".to_string()
            )
        ]
    );
    assert_eq!(
        diags(&doc),
        [
            ("unknown-actor", Warning, 3, 47),
            ("unknown-actor", Warning, 3, 81)
        ]
    );
    assert!(message(&doc, "unknown-actor").contains("`Foo`"));
}

#[test]
fn agreement_stamps() {
    let (src, doc) = load("stamps.md");
    assert_eq!(ids(&doc), ["PP1", "PP2", "PP3", "PP4"]);
    let stamp = |id: &str| {
        para(&doc, id)
            .agreed
            .as_ref()
            .map(|a| (a.stamp.as_str(), a.date.as_deref(), a.time.as_deref()))
    };
    assert_eq!(
        stamp("PP1"),
        Some((
            "Ad ref 22 May 2023 12.26",
            Some("2023-05-22"),
            Some("12:26")
        ))
    );
    assert_eq!(
        stamp("PP2"),
        Some(("Ad Ref 23 May 2023", Some("2023-05-23"), None))
    );
    assert_eq!(
        stamp("PP3"),
        Some(("24 May 2023", Some("2023-05-24"), None))
    );
    // A date in running text is not a stamp.
    assert_eq!(stamp("PP4"), None);
    assert!(text(&doc, "PP4").contains("on 15 September 2025 and its contribution"));
    // The stamp is left out of the text.
    assert_eq!(
        text(&doc, "PP1"),
        "Recalling its resolution 77/161 of 14 December 2022 on agriculture development, food security and nutrition,"
    );
    assert_eq!(
        text(&doc, "PP3"),
        "Recognizing the contribution of small-scale fishers to food security;"
    );
    assert!(
        para(&doc, "PP1")
            .leaves
            .iter()
            .any(|l| l.kind == LeafKind::Stamp && l.span.of(&src) == "Ad ref 22 May 2023 12.26")
    );
}

#[test]
fn guidelines_with_numbered_headings() {
    let (_, doc) = load("guidelines.md");
    assert_eq!(
        doc.title.as_ref().map(|l| l.text.as_str()),
        Some("International guidelines on ethical artificial intelligence in cities")
    );
    assert_eq!(section_names(&doc), ["2", "2.1", "2.1.1", "2.1.2"]);
    assert!(doc.sections.iter().all(|s| s.kind == SectionKind::Heading));
    let titles: Vec<Option<&str>> = doc.sections.iter().map(|s| s.title.as_deref()).collect();
    assert_eq!(
        titles,
        [
            Some("Principles"),
            Some("People first"),
            Some("Shared prosperity"),
            Some("Accountability")
        ]
    );
    assert_eq!(ids(&doc), ["2.1.1/P1", "2.1.1/P2", "2.1.2/1", "2.1.2/2"]);
    assert_eq!(doc.section_of(para(&doc, "2.1.1/P2")).name(), "2.1.1");
    assert_eq!(
        positions(&doc, "2.1.1/P2", 0),
        pos(&[("Chair", Support, true)])
    );
    assert_eq!(
        text(&doc, "2.1.2/2"),
        "Operators should keep records of the data used to train their systems."
    );
}

#[test]
fn articles_with_numbered_paragraphs() {
    let (_, doc) = load("article.md");
    assert_eq!(
        doc.title.as_ref().map(|l| l.text.as_str()),
        Some("Agreement on the exchange of migration data")
    );
    assert_eq!(section_names(&doc), ["Art3", "Art4"]);
    assert_eq!(ids(&doc), ["Art3/1", "Art4/1", "Art4/2"]);
    assert_eq!(
        positions(&doc, "Art4/2", 0),
        pos(&[("AUS", Support, true), ("IDN", Oppose, false)])
    );
    assert_eq!(
        para(&doc, "Art4/2").agreed_text(&doc.source),
        "Data shall be transferred only."
    );
}

// ---------------------------------------------------------------------------------------------
// Damage

#[test]
fn paragraph_split_by_a_page_break_is_joined() {
    let (_, doc) = load("page-break.md");
    assert_eq!(ids(&doc), ["PP1", "PP2"]);
    assert_eq!(
        text(&doc, "PP1"),
        "Recognizing that safe and regular migration pathways benefit countries of origin, transit and destination alike, and that accurate data are essential to manage them,"
    );
    assert_eq!(diags(&doc), [("page-break", Note, 5, 1)]);
    assert!(message(&doc, "page-break").contains("joined to PP1"));
}

#[test]
fn page_number_inside_a_paragraph_is_left_out() {
    let (src, doc) = load("page-number.md");
    assert_eq!(ids(&doc), ["PP1", "PP2"]);
    assert_eq!(
        text(&doc, "PP1"),
        "Recognizing that coastal ecosystems absorb large quantities of carbon and protect communities from storm surges and rising seas,"
    );
    assert!(
        para(&doc, "PP1")
            .leaves
            .iter()
            .any(|l| l.kind == LeafKind::Break && l.span.of(&src) == "12")
    );
    assert_eq!(diags(&doc), [("page-number", Note, 4, 1)]);
}

#[test]
fn pipe_typed_for_a_closing_bracket() {
    let (src, doc) = load("pipe.md");
    let op1 = para(&doc, "OP1");
    assert!(
        matches!(op1.brackets[0].close, Some((s, brackets::model::CloseKind::Pipe)) if s.of(&src) == "|")
    );
    assert!(op1.has_pipe_closes());
    assert_eq!(
        bracket_words(&doc, "OP1"),
        ["a working group on marine litter"]
    );
    assert_eq!(
        positions(&doc, "OP1", 0),
        pos(&[("NOR", Support, true), ("CAN", Support, false)])
    );
    assert_eq!(
        op1.text(&src),
        "Decides to establish [a working group on marine litter] {NOR+, CAN+} to report at its next session;"
    );
    assert_eq!(diags(&doc), [("pipe-for-bracket", Warning, 3, 58)]);
}

#[test]
fn truncated_line() {
    let (_, doc) = load("truncated.md");
    assert_eq!(ids(&doc), ["OP1", "OP2"]);
    assert_eq!(
        bracket_words(&doc, "OP1"),
        ["civil registration", "XY+", "Z"]
    );
    assert_eq!(positions(&doc, "OP1", 0), pos(&[("PHL", Support, true)]));
    assert_eq!(
        diags(&doc),
        [
            ("truncated-attribution", Warning, 3, 76),
            ("unclosed-bracket", Error, 3, 82)
        ]
    );
    assert!(message(&doc, "truncated-attribution").contains("`[XY+]`"));
    assert!(message(&doc, "truncated-attribution").contains("`XY` is not a known actor"));
    assert!(message(&doc, "unclosed-bracket").contains("opened at 3:82 in OP1 is never closed"));
    assert!(doc.spanning.is_empty());
    assert!(doc.has_errors());
}

#[test]
fn stray_closing_line_after_the_last_sub_paragraph() {
    let (src, doc) = load("stray-close-line.md");
    assert_eq!(ids(&doc), ["OP1", "OP1.a", "OP1.b", "OP1.c", "OP2"]);
    assert_eq!(doc.spanning.len(), 1);
    let s = doc.spanning[0];
    assert_eq!(
        (
            doc.paragraphs[s.open_paragraph].id.as_str(),
            doc.paragraphs[s.close_paragraph].id.as_str()
        ),
        ("OP1.a", "OP1.c")
    );
    let c = para(&doc, "OP1.c");
    assert!(c.span.of(&src).ends_with("# **]**{ISL reserve}"));
    assert_eq!(c.orphan_closes.len(), 1);
    let g = c.orphan_closes[0].groups[0];
    assert_eq!(c.groups[g].positions[0].actor, "ISL");
    assert_eq!(c.groups[g].positions[0].stance, Reserve);
    assert_eq!(
        c.text(&src),
        "support small-scale fishers in adopting selective gear; ]{ISL reserve}"
    );
    assert!(doc.is_inside_spanning(2) && doc.is_inside_spanning(3) && !doc.is_inside_spanning(4));
    assert_eq!(doc.spanning_for(1, 0), Some(&s));
    assert_eq!(
        diags(&doc),
        [
            ("stray-line", Warning, 9, 1),
            ("spanning-bracket", Note, 9, 5)
        ]
    );
    assert!(message(&doc, "stray-line").contains("read as the end of OP1.c"));
    assert!(
        message(&doc, "spanning-bracket")
            .contains("opened at 5:6 in OP1.a closes here in OP1.c, spanning 3 paragraphs")
    );
    check_invariants(&doc);
}

#[test]
fn bracket_spanning_two_paragraphs_closed_by_a_pipe() {
    let (_, doc) = load("spanning.md");
    assert_eq!(ids(&doc), ["OP1", "OP1.a", "OP1.b", "OP2"]);
    assert_eq!(doc.spanning.len(), 1);
    let s = doc.spanning[0];
    assert_eq!(
        (s.open_paragraph, s.bracket, s.close_paragraph, s.orphan),
        (1, 0, 2, 0)
    );
    let b = para(&doc, "OP1.b");
    assert_eq!(b.orphan_closes[0].kind, brackets::model::CloseKind::Pipe);
    assert_eq!(b.orphan_closes[0].spanning, Some(0));
    let g = b.orphan_closes[0].groups[0];
    assert_eq!(b.groups[g].positions[0].actor, "CHE");
    assert!(b.groups[g].positions[0].proposer);
    assert_eq!(
        bracket_words(&doc, "OP1.a"),
        [
            "To ensure that facial recognition in public spaces is subject to prior judicial authorization,"
        ]
    );
    assert_eq!(
        diags(&doc),
        [
            ("pipe-for-bracket", Warning, 6, 73),
            ("spanning-bracket", Note, 6, 73)
        ]
    );
    assert!(
        message(&doc, "spanning-bracket")
            .contains("opened at 5:6 in OP1.a closes here in OP1.b, spanning 2 paragraphs")
    );
}

#[test]
fn stray_closing_bracket() {
    let (_, doc) = load("stray-close.md");
    let op1 = para(&doc, "OP1");
    assert_eq!(op1.orphan_closes.len(), 1);
    assert_eq!(op1.orphan_closes[0].spanning, None);
    let g = op1.orphan_closes[0].groups[0];
    assert_eq!(op1.groups[g].positions[0].actor, "PLW");
    assert_eq!(diags(&doc), [("stray-closing-bracket", Error, 3, 56)]);
    assert!(
        message(&doc, "stray-closing-bracket")
            .contains("`]` with no opening bracket before it in OP1")
    );
}

#[test]
fn bracket_never_closed() {
    let (_, doc) = load("unclosed.md");
    assert_eq!(ids(&doc), ["OP1", "OP2"]);
    assert_eq!(para(&doc, "OP1").brackets[0].close, None);
    assert_eq!(
        bracket_words(&doc, "OP1"),
        ["a high-level meeting on ocean plastics in 2028;"]
    );
    assert_eq!(
        text(&doc, "OP2"),
        "Decides to include the item in its provisional agenda;"
    );
    assert_eq!(diags(&doc), [("unclosed-bracket", Error, 3, 46)]);
    assert!(
        message(&doc, "unclosed-bracket")
            .contains("opened at 3:46 in OP1 is never closed (the paragraph ends on line 3)")
    );
}

#[test]
fn attribution_typed_in_square_brackets() {
    let (src, doc) = load("square-attribution.md");
    let op1 = para(&doc, "OP1");
    assert_eq!(op1.brackets.len(), 1, "`[MAR+]` is a group, not a bracket");
    assert_eq!(bracket_words(&doc, "OP1"), ["regional"]);
    assert_eq!(positions(&doc, "OP1", 0), pos(&[("MAR", Support, true)]));
    assert_eq!(op1.groups[0].span.of(&src), "[MAR+]");
    assert_eq!(diags(&doc), [("square-attribution", Warning, 3, 26)]);
    assert!(message(&doc, "square-attribution").contains("`[MAR+]` read as `{MAR+}`"));
}

#[test]
fn unknown_actor_is_kept_and_reported() {
    let (_, doc) = load("unknown-actor.md");
    assert_eq!(
        positions(&doc, "OP1", 0),
        pos(&[("XYZ", Support, true), ("CHL", Support, false)])
    );
    assert_eq!(diags(&doc), [("unknown-actor", Warning, 3, 56)]);
    assert!(message(&doc, "unknown-actor").contains("unknown actor code `XYZ`"));
}

#[test]
fn group_with_no_bracket_before_it() {
    let (_, doc) = load("unanchored-group.md");
    let op1 = para(&doc, "OP1");
    assert!(op1.brackets.is_empty());
    assert_eq!(op1.groups[0].anchor, Anchor::Paragraph);
    assert_eq!(op1.groups[0].positions[0].actor, "AUS");
    assert_eq!(diags(&doc), [("unanchored-group", Warning, 3, 54)]);
}

#[test]
fn duplicate_bis_label() {
    let (_, doc) = load("duplicate-bis.md");
    assert_eq!(ids(&doc), ["OP1", "OP1bis", "OP1bis~2", "OP2"]);
    assert_eq!(
        text(&doc, "OP1bis~2"),
        "Encourages regional organizations to harmonize definitions;"
    );
    assert_eq!(diags(&doc), [("duplicate-id", Error, 7, 1)]);
    assert!(
        message(&doc, "duplicate-id")
            .contains("OP1bis already exists; this one is called OP1bis~2")
    );
}

#[test]
fn contradictory_and_repeated_positions() {
    let (_, doc) = load("contradictory.md");
    assert_eq!(
        positions(&doc, "OP1", 0),
        pos(&[
            ("SWE", Support, true),
            ("BRA", Support, false),
            ("SWE", Oppose, false)
        ])
    );
    assert_eq!(
        positions(&doc, "OP1", 1),
        pos(&[
            ("ARG", Support, true),
            ("URY", Support, false),
            ("ARG", Support, false)
        ])
    );
    assert_eq!(
        diags(&doc),
        [
            ("contradictory-positions", Warning, 3, 59),
            ("repeated-position", Warning, 3, 130)
        ]
    );
    assert!(message(&doc, "contradictory-positions").contains("SWE both supports and opposes"));
    assert!(message(&doc, "repeated-position").contains("ARG is listed twice"));
}

#[test]
fn empty_bracket_and_empty_group() {
    let (_, doc) = load("empty.md");
    let op1 = para(&doc, "OP1");
    assert_eq!(op1.brackets.len(), 1);
    assert!(op1.brackets[0].groups.is_empty());
    assert_eq!(op1.groups.len(), 1);
    assert!(op1.groups[0].positions.is_empty() && op1.groups[0].note.is_none());
    assert_eq!(
        diags(&doc),
        [
            ("empty-bracket", Warning, 3, 58),
            ("empty-group", Warning, 3, 66)
        ]
    );
}

#[test]
fn group_never_closed_ends_at_the_end_of_its_line() {
    let (src, doc) = load("unclosed-group.md");
    let op1 = para(&doc, "OP1");
    assert_eq!(op1.groups[0].span.of(&src), "{ESP+, PRT+");
    assert_eq!(
        positions(&doc, "OP1", 0),
        pos(&[("ESP", Support, true), ("PRT", Support, false)])
    );
    assert!(
        op1.plain_text(&src)
            .ends_with("to strengthen cooperation on search and rescue at sea;")
    );
    assert_eq!(diags(&doc), [("unclosed-group", Error, 3, 47)]);
}

#[test]
fn escaped_brackets_are_text() {
    let (src, doc) = load("escaped.md");
    let op1 = para(&doc, "OP1");
    assert_eq!(op1.brackets.len(), 1);
    assert_eq!(bracket_words(&doc, "OP1"), ["ocean acidification"]);
    assert_eq!(
        op1.agreed_text(&src),
        "Takes note of the report [A/80/123] on;"
    );
}

#[test]
fn markdown_emphasis_is_markup() {
    let (src, doc) = load("emphasis.md");
    assert_eq!(ids(&doc), ["PP1", "OP1"]);
    assert_eq!(
        text(&doc, "PP1"),
        "Recalling the United Nations Convention on the Law of the Sea,"
    );
    assert_eq!(
        text(&doc, "OP1"),
        "Calls upon States to [urgently] {TUV+} reduce plastic waste;"
    );
    assert_eq!(bracket_words(&doc, "OP1"), ["urgently"]);
    assert!(
        para(&doc, "PP1")
            .leaves
            .iter()
            .any(|l| l.kind == LeafKind::Markup && l.span.of(&src) == "**")
    );
}

fn line_endings(name: &str, terminator: &str) {
    let (src, doc) = load(name);
    assert!(src.contains(terminator));
    assert_eq!(ids(&doc), ["PP1", "OP1"]);
    assert_eq!(
        doc.chapeau.as_ref().map(|l| l.text.as_str()),
        Some("The General Assembly,")
    );
    assert_eq!(
        text(&doc, "PP1"),
        "Recognizing the value of open data on migration [for policy making] {CAN+}, continued over a second line,"
    );
    assert_eq!(positions(&doc, "PP1", 0), pos(&[("CAN", Support, true)]));
    assert_eq!(
        positions(&doc, "OP1", 0),
        pos(&[("MEX", Support, true), ("GTM", Oppose, false)])
    );
    assert!(
        para(&doc, "PP1")
            .leaves
            .iter()
            .any(|l| l.kind == LeafKind::Break && l.span.of(&src) == terminator)
    );
}

#[test]
fn crlf_line_endings() {
    line_endings("crlf.md", "\r\n");
}

#[test]
fn lone_cr_line_endings() {
    line_endings("cr.md", "\r");
}

#[test]
fn diagnostics_count_lines_of_any_ending() {
    for eol in ["\n", "\r\n", "\r"] {
        let src = [
            "The General Assembly,",
            "",
            "1. Urges [all States",
            "",
            "2. Decides ] {XYZ+};",
            "",
        ]
        .join(eol);
        let doc = parse_checked(&src);
        assert_eq!(
            diags(&doc),
            [
                ("spanning-bracket", Note, 5, 12),
                ("unknown-actor", Warning, 5, 15)
            ],
            "with {eol:?}"
        );
    }
}

#[test]
fn byte_order_mark() {
    let (src, doc) = load("bom.md");
    assert!(src.starts_with('\u{feff}'));
    assert_eq!(
        doc.title.as_ref().map(|l| l.text.as_str()),
        Some("Draft decision on ocean observation")
    );
    assert!(doc.header.is_empty());
    assert_eq!(
        doc.chapeau.as_ref().map(|l| l.text.as_str()),
        Some("The Intergovernmental Oceanographic Commission,")
    );
    assert_eq!(ids(&doc), ["PP1", "OP1"]);
    assert_eq!(doc.blocks[0].kind, BlockKind::Title);
    assert_eq!(positions(&doc, "OP1", 0), pos(&[("FRA", Support, true)]));

    // A mark before the chapeau or the first paragraph hides nothing either.
    let doc = parse_checked("\u{feff}The General Assembly,\n\n1. Urges [x] {USA+};\n");
    assert_eq!(
        doc.chapeau.as_ref().map(|l| l.text.as_str()),
        Some("The General Assembly,")
    );
    assert_eq!(ids(&doc), ["OP1"]);
    let doc = parse_checked("\u{feff}1. Urges all States to share their data [openly] {USA+};\n");
    assert_eq!(ids(&doc), ["OP1"]);
    assert!(doc.title.is_none());
}

#[test]
fn tabs() {
    let (src, doc) = load("tabs.md");
    assert!(src.contains('\t'));
    assert_eq!(ids(&doc), ["OP1", "OP1.a"]);
    assert_eq!(
        text(&doc, "OP1"),
        "Urges States to [protect migrant workers] {PHL+, IDN+};"
    );
    assert_eq!(
        positions(&doc, "OP1", 0),
        pos(&[("PHL", Support, true), ("IDN", Support, false)])
    );
    assert_eq!(
        text(&doc, "OP1.a"),
        "by ensuring access to consular services;"
    );
}

#[test]
fn non_ascii_inside_brackets() {
    let (_, doc) = load("unicode.md");
    assert_eq!(ids(&doc), ["OP1", "OP2"]);
    assert_eq!(
        bracket_words(&doc, "OP1"),
        [
            "de coopération régionale sur les données",
            "关于海洋塑料的区域合作",
            "🌊 ocean data commons 🐟",
            "التعاون الإقليمي في مجال البيانات"
        ]
    );
    assert_eq!(
        positions(&doc, "OP1", 0),
        pos(&[("FRA", Support, true), ("SEN", Support, false)])
    );
    assert_eq!(positions(&doc, "OP1", 1), pos(&[("CHN", Support, true)]));
    assert_eq!(positions(&doc, "OP1", 2), pos(&[("PLW", Support, true)]));
    assert_eq!(
        positions(&doc, "OP1", 3),
        pos(&[("EGY", Support, true), ("JOR", Oppose, false)])
    );
    // Columns count characters, not bytes.
    assert_eq!(diags(&doc), [("unknown-actor", Warning, 5, 64)]);
}

#[test]
fn joining_across_a_stray_line_keeps_every_byte_in_one_block() {
    // A page break with a rule between the two halves of a paragraph.
    let doc = parse_checked(
        "The General Assembly,\n\nRecognizing that migration data matter for\n\n---\n\npolicy design,\n",
    );
    assert_eq!(ids(&doc), ["PP1"]);
    assert_eq!(diags(&doc), [("page-break", Note, 7, 1)]);
    // A stray attribution line after an empty heading line (found by the property tests).
    let doc = parse_checked("Recalling[MAR+]Ad ref 22 May 2023 12.26\r\n\r\n# \n\n{}");
    assert_eq!(ids(&doc), ["PP1"]);
    assert_eq!(doc.blocks.len(), 1);
    // An unclosed, empty group at the very end: its diagnostics stay inside the input.
    let doc = parse_checked("#### 2.1.1 Shared prosperity\nUSA+{");
    assert!(
        doc.diagnostics
            .iter()
            .all(|d| d.span.end <= doc.source.len())
    );
}

#[test]
fn one_paragraph_per_line_without_blank_lines() {
    // Word's plain-text export: no blank lines at all, one paragraph per line.
    let (_, doc) = load("line-per-paragraph.txt");
    assert_eq!(
        doc.title.as_ref().map(|t| t.text.as_str()),
        Some("Draft decision on fisheries subsidies")
    );
    assert_eq!(
        doc.chapeau.as_ref().map(|t| t.text.as_str()),
        Some("The Committee on Fisheries,")
    );
    assert_eq!(ids(&doc), ["PP1", "PP2", "OP1", "OP2"]);
    assert_eq!(
        positions(&doc, "OP1", 0),
        pos(&[
            ("NZL", Stance::Support, true),
            ("CHN", Stance::Oppose, false)
        ])
    );
    assert!(doc.diagnostics.is_empty(), "{:?}", doc.diagnostics);
}

/// A draft above the size where paragraphs are read on several threads comes back byte for
/// byte, with every paragraph and every diagnostic of its parts.
#[test]
fn large_draft_read_on_several_threads_is_lossless() {
    let part = include_str!("../drafts/smart-cities-resolution/04-compilation-2.md");
    let small = brackets::parse(part);
    let source = format!("{part}\n\n").repeat(120);
    assert!(source.len() > 1 << 20);
    let doc = brackets::parse(&source);
    assert_eq!(doc.render(), source);
    let brackets_in =
        |d: &brackets::Document| -> usize { d.paragraphs.iter().map(|p| p.brackets.len()).sum() };
    assert_eq!(brackets_in(&doc), 120 * brackets_in(&small));
    check_invariants(&doc);
}

/// A closing quote after a left-out attribution closes up too (`others] {CHL+}",`), while an
/// opening one keeps its space.
#[test]
fn a_closing_quote_closes_up_where_an_attribution_is_left_out() {
    let src = "The Assembly,\n\n1. Recalls \"the cultural aspects [among others] {CHL+, FRA-}\", and [the words] {EU+} \"in quotes\" and [“curly] {USA+} ”;\n";
    let doc = parse_checked(src);
    let op1 = para(&doc, "OP1");
    assert_eq!(
        op1.plain_text(src),
        "Recalls \"the cultural aspects among others\", and the words \"in quotes\" and “curly”;"
    );
    assert_eq!(
        op1.agreed_text(src),
        "Recalls \"the cultural aspects\", and \"in quotes\" and”;"
    );
}

/// An attribution typed after a space and before a comma (`Society] {CHN+},`) leaves no space
/// before the comma in the readings that leave it out; a space the text itself has stays.
#[test]
fn punctuation_closes_up_where_an_attribution_or_a_mark_is_left_out() {
    let src = "The Assembly,\n\n1. Welcomes the outcomes of cities[, in line with the Summit] {CHN+, RUS+}{USA-}, and [calls for action] {EU+} ; notes (the report) {G77+} (A/80/1).\n";
    let doc = parse_checked(src);
    let op1 = para(&doc, "OP1");
    assert_eq!(
        op1.plain_text(src),
        "Welcomes the outcomes of cities, in line with the Summit, and calls for action; notes (the report) (A/80/1)."
    );
    assert_eq!(
        op1.agreed_text(src),
        "Welcomes the outcomes of cities, and; notes (the report) (A/80/1)."
    );
    assert_eq!(
        op1.text(src),
        "Welcomes the outcomes of cities[, in line with the Summit] {CHN+, RUS+}{USA-}, and [calls for action] {EU+} ; notes (the report) {G77+} (A/80/1)."
    );
}
