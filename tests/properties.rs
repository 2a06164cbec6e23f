//! Properties of the parser over generated input: drafts built from a grammar of the notation,
//! soups of notation tokens, and arbitrary strings. Whatever the input, the parser does not
//! panic, gives the input back byte for byte, keeps the model's invariants and points every
//! diagnostic inside the input. Last, pathological inputs that only a linear parser finishes.

mod common;

use brackets::model::{BlockKind, Severity};
use common::check_invariants;
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// A grammar of the notation

const WORDS: &[&str] = &[
    "ocean",
    "plastic",
    "data",
    "migration",
    "the",
    "States",
    "Member",
    "cooperation",
    "sustainable",
    "capacity-building",
    "données",
    "海洋",
    "🌊",
    "governance",
    "and",
    "of",
    "artificial",
    "intelligence",
    "\\[annex\\]",
    "*urgently*",
    "**all**",
    "inclusive,",
    "regional;",
];

const ACTORS: &[&str] = &[
    "USA", "FRA", "CHN", "BRA", "KEN", "IND", "EU", "G77", "Chair", "MEX", "NOR", "EGY",
];

/// One position: `USA+`, `FRA-`, `CHN reserve`, `BRA Delete`, `KEN delete`.
fn position() -> impl Strategy<Value = (String, usize)> {
    (prop::sample::select(ACTORS), 0..5usize).prop_map(|(a, s)| {
        let stance = ["+", "-", " reserve", " Delete", " delete"][s];
        (format!("{a}{stance}"), 1)
    })
}

/// `{...}`: positions separated by commas or spaces (with a trailing comma now and then), or a
/// note. Returns the text and how many positions it holds.
fn group() -> impl Strategy<Value = (String, usize)> {
    let positions = (
        prop::collection::vec(position(), 1..4),
        prop::sample::select(&[", ", " "][..]),
        any::<bool>(),
    )
        .prop_map(|(ps, sep, trailing)| {
            let n: usize = ps.iter().map(|(_, n)| n).sum();
            let mut s = ps.into_iter().map(|(p, _)| p).collect::<Vec<_>>().join(sep);
            if trailing {
                s.push_str(", ");
            }
            (format!("{{{s}}}"), n)
        });
    let note = prop::sample::select(
        &[
            "FRA suggest to move this paragraph",
            "Placeholder for agreed language",
            "Chair: to be discussed",
        ][..],
    )
    .prop_map(|n| (format!("{{{n}}}"), 0));
    prop_oneof![4 => positions, 1 => note]
}

/// Bracketed text, nested to a random depth, each bracket followed by zero to two groups.
/// Returns the text and how many positions it holds.
fn bracketed() -> impl Strategy<Value = (String, usize)> {
    let leaf =
        prop::collection::vec(prop::sample::select(WORDS), 1..5).prop_map(|w| (w.join(" "), 0));
    leaf.prop_recursive(6, 48, 4, |inner| {
        (
            prop::collection::vec(
                prop_oneof![
                    inner.clone(),
                    prop::sample::select(WORDS).prop_map(|w| (w.to_string(), 0))
                ],
                1..4,
            ),
            prop::collection::vec(group(), 0..3),
            any::<bool>(),
        )
            .prop_map(|(parts, groups, space)| {
                let n: usize = parts.iter().map(|(_, n)| n).sum::<usize>()
                    + groups.iter().map(|(_, n)| n).sum::<usize>();
                let body = parts
                    .into_iter()
                    .map(|(t, _)| t)
                    .collect::<Vec<_>>()
                    .join(" ");
                let groups = groups
                    .into_iter()
                    .map(|(g, _)| g)
                    .collect::<Vec<_>>()
                    .join(if space { " " } else { "" });
                (
                    format!("[{body}]{}{groups}", if space { " " } else { "" }),
                    n,
                )
            })
    })
}

/// A paragraph: a label, words and brackets, maybe a line break inside, maybe a stamp.
fn paragraph() -> impl Strategy<Value = (String, usize)> {
    let label = prop::sample::select(
        &[
            "",
            "",
            "",
            "1. ",
            "- 2. ",
            "3bis ",
            "4. ",
            "- a. ",
            "(b) ",
            "- <u>c.</u> ",
            "(i) ",
            "(ii) ",
            "  - Alt1. d ",
            "Option 1: ",
        ][..],
    );
    let opener = prop::sample::select(
        &[
            "Recalling",
            "Noting",
            "Urges",
            "Requests",
            "Encourages",
            "Recognizing",
            "*Welcoming*",
        ][..],
    );
    let piece = prop_oneof![
        2 => prop::sample::select(WORDS).prop_map(|w| (w.to_string(), 0)),
        2 => bracketed(),
        1 => Just(("\ncontinued".to_string(), 0)),
    ];
    let stamp = prop::sample::select(
        &[
            "",
            "",
            "",
            " Ad ref 22 May 2023 12.26",
            " Ad Ref 3 March 2026",
            "; 24 May 2023",
        ][..],
    );
    (
        label,
        opener,
        prop::collection::vec(piece, 0..8),
        stamp,
        any::<bool>(),
    )
        .prop_map(|(label, opener, pieces, stamp, bis)| {
            let n: usize = pieces.iter().map(|(_, n)| n).sum();
            let mut s = String::new();
            if bis && label.is_empty() {
                s.push_str("[7.bis ");
            } else {
                s.push_str(label);
            }
            s.push_str(opener);
            for (p, _) in pieces {
                if !p.starts_with('\n') {
                    s.push(' ');
                }
                s.push_str(&p);
            }
            if bis && label.is_empty() {
                s.push_str("] {USA+}");
            }
            s.push_str(stamp);
            (s, n + usize::from(bis && label.is_empty()))
        })
}

/// A whole draft: front matter, paragraphs separated by one or more blank lines, an operative
/// heading sometimes, and one of the three line endings. Returns the text and how many
/// positions it holds.
fn draft() -> impl Strategy<Value = (String, usize)> {
    (
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec((paragraph(), 1..3usize, 0..8u8), 0..10),
        prop::sample::select(&["\n", "\r\n", "\r"][..]),
        any::<bool>(),
    )
        .prop_map(|(title, header, paragraphs, eol, final_eol)| {
            let mut lines: Vec<String> = Vec::new();
            if title {
                lines.push("# Draft resolution on ocean plastics\n".into());
            }
            if header {
                lines.push("General Assembly, eighty-first session\nAgenda item 19\n".into());
            }
            lines.push("The General Assembly,\n".into());
            let mut n = 0;
            for (k, ((p, count), blanks, heading)) in paragraphs.into_iter().enumerate() {
                if heading == 0 && k > 0 {
                    lines.push("## Operative paragraphs\n".into());
                }
                lines.push(format!("{p}{}", "\n".repeat(blanks)));
                n += count;
            }
            let mut s = lines.join("\n");
            if !final_eol {
                s.truncate(s.trim_end_matches('\n').len());
            }
            (s.replace('\n', eol), n)
        })
}

// ---------------------------------------------------------------------------------------------
// Soups and arbitrary strings

const TOKENS: &[&str] = &[
    "[",
    "]",
    "{",
    "}",
    "|",
    "|{",
    "\\[",
    "\\",
    " ",
    "  ",
    "\t",
    "\n",
    "\n\n",
    "\r",
    "\r\n",
    "\r\n\r\n",
    "USA+",
    "FRA-",
    "RUS reserve",
    "CMR delete",
    "XYZ+",
    "MR+",
    "[MAR+]",
    "1.",
    "1. ",
    "- ",
    "- a. ",
    "(b) ",
    "(iv) ",
    "<u>",
    "</u>",
    "c.",
    "4bis ",
    "7.bis ",
    "Alt1. d ",
    "Alt 1.e ",
    "Option 2: ",
    "# ",
    "## ",
    "#### 2.1.1 Shared prosperity",
    "Article 4",
    "**",
    "*",
    "_",
    "The General Assembly,",
    "Recalling",
    "Noting",
    "urges",
    "words",
    "Ad ref 22 May 2023 12.26",
    "Ad Ref",
    "; 22 May 2023",
    "12",
    "OPERATIVE",
    "Preamble",
    "é",
    "海洋",
    "🌊",
    "مرحبا",
    "\u{feff}",
    "\0",
    "\u{1b}[31m",
    "\u{2013}",
    "\u{2022} ",
    "}",
    "{}",
    "[]",
    "]]",
    "[[",
];

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(TOKENS), 0..120).prop_map(|t| t.concat())
}

/// Characters weighted towards the ones the parser looks at.
fn notation_chars() -> impl Strategy<Value = String> {
    let c = prop_oneof![
        4 => prop::sample::select(&['[', ']', '{', '}', '|', '\\', '\n', '\r', ' ', '\t', '#', '*', '-', '+', '<', '>', '.', '(', ')', ';', ','][..]),
        3 => prop::char::range('a', 'z'),
        2 => prop::char::range('A', 'Z'),
        1 => prop::char::range('0', '9'),
        1 => any::<char>(),
    ];
    prop::collection::vec(c, 0..300).prop_map(|v| v.into_iter().collect())
}

fn check(src: &str) {
    let doc = brackets::parse(src);
    check_invariants(&doc);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn generated_drafts_round_trip_and_keep_their_positions((src, n) in draft()) {
        let doc = brackets::parse(&src);
        check_invariants(&doc);
        // Brackets are balanced in each generated paragraph and every group is closed: no
        // error but a repeated label.
        let errors: Vec<_> = doc.diagnostics.iter().filter(|d| d.severity == Severity::Error && d.code != "duplicate-id").collect();
        prop_assert!(errors.is_empty(), "{errors:#?}\n{src}");
        // Every position written is read, wherever it is attached.
        prop_assert_eq!(doc.positions().count(), n, "{}", src);
        prop_assert!(doc.chapeau.is_some());
        // Nothing after the chapeau is lost to front matter.
        prop_assert!(doc.blocks.iter().all(|b| !matches!(b.kind, BlockKind::Stray)));
    }

    #[test]
    fn token_soups_round_trip(src in soup()) {
        check(&src);
    }

    #[test]
    fn notation_heavy_strings_round_trip(src in notation_chars()) {
        check(&src);
    }

    #[test]
    fn arbitrary_strings_round_trip(src in any::<String>()) {
        check(&src);
    }

    #[test]
    fn arbitrary_strings_after_a_chapeau_round_trip(body in any::<String>(), eol in prop::sample::select(&["\n", "\r\n", "\r"][..])) {
        check(&format!("The General Assembly,{eol}{eol}1. {body}{eol}"));
    }
}

#[test]
fn control_characters_and_lone_carriage_returns() {
    for src in [
        "",
        "\0",
        "\r",
        "\r\r\r",
        "\n\r",
        "\r\n\r",
        "[\r]\r{\r}",
        "1. [x\r\r2. ]{USA+}",
        "The General Assembly,\r\r1. Urges\0[\u{1b}]\u{7f}{USA+}\r",
        "\u{feff}",
        "\u{feff}\u{feff}# \u{feff}",
        "{",
        "}",
        "|{",
        "\\",
        "\\[",
        "[\\",
        "- ",
        "#",
        "# ",
        "<u>",
        "- <u>a.</u>",
        "Alt1. d",
        "7.bis",
        "[7.bis",
        "Ad ref",
        "é[",
        "海洋]",
        "🌊{",
    ] {
        check(src);
    }
}

// ---------------------------------------------------------------------------------------------
// Pathological inputs: sizes at which a quadratic algorithm would not finish. No timing is
// asserted; the tests only have to end, with sensible results.

const CHAPEAU: &str = "The General Assembly,\n\n1. Urges ";

fn count(doc: &brackets::Document, code: &str) -> usize {
    doc.diagnostics.iter().filter(|d| d.code == code).count()
}

/// The lossless property, checked without walking every bracket's text (which is quadratic by
/// design for callers that ask for each bracket in turn).
fn lossless(doc: &brackets::Document) {
    assert!(doc.render() == doc.source);
    let mut at = 0;
    for b in &doc.blocks {
        assert_eq!(b.span.start, at);
        at = b.span.end;
    }
    assert_eq!(at, doc.source.len());
}

#[test]
fn two_hundred_thousand_opening_brackets() {
    let src = format!("{CHAPEAU}{}", "[".repeat(200_000));
    let doc = brackets::parse(&src);
    lossless(&doc);
    assert_eq!(doc.paragraphs.len(), 1);
    assert_eq!(doc.paragraphs[0].brackets.len(), 200_000);
    assert_eq!(count(&doc, "unclosed-bracket"), 200_000);
    assert_eq!(
        doc.diagnostics.last().map(|d| (d.line, d.column)),
        Some((3, 10 + 200_000 - 1))
    );
}

#[test]
fn two_hundred_thousand_opening_braces() {
    let src = format!("{CHAPEAU}{}", "{".repeat(200_000));
    let doc = brackets::parse(&src);
    lossless(&doc);
    assert_eq!(doc.paragraphs[0].groups.len(), 200_000);
    assert_eq!(count(&doc, "unclosed-group"), 200_000);
    assert_eq!(count(&doc, "empty-group"), 200_000);
}

#[test]
fn ten_thousand_deep_nesting_with_groups() {
    let depth = 10_000;
    let src = format!(
        "{CHAPEAU}{}core{};",
        "[".repeat(depth),
        "] {USA+, FRA-}".repeat(depth)
    );
    let doc = brackets::parse(&src);
    lossless(&doc);
    check_invariants(&doc);
    let p = &doc.paragraphs[0];
    assert_eq!(p.brackets.len(), depth);
    assert_eq!(p.groups.len(), depth);
    assert!(
        p.brackets
            .iter()
            .all(|b| b.close.is_some() && b.groups.len() == 1)
    );
    assert_eq!(p.brackets[depth - 1].parent, Some(depth - 2));
    assert_eq!(p.bracket_plain_text(&src, depth - 1), "core");
    assert_eq!(
        doc.positions().filter(|(_, pos)| pos.proposer).count(),
        depth
    );
    assert!(
        doc.diagnostics.is_empty(),
        "{:?}",
        &doc.diagnostics[..doc.diagnostics.len().min(3)]
    );
}

#[test]
fn one_five_megabyte_line() {
    let unit = "the [regional] {KEN+, NGA-} cooperation on data é海🌊 ";
    let n = 5_000_000 / unit.len();
    let src = format!("{CHAPEAU}{};", unit.repeat(n));
    assert!(src.len() >= 4_900_000);
    let doc = brackets::parse(&src);
    lossless(&doc);
    let p = &doc.paragraphs[0];
    assert_eq!(p.brackets.len(), n);
    assert_eq!(doc.positions().count(), 2 * n);
    assert!(doc.diagnostics.is_empty());

    // The same line with damage all along it: every problem located, in characters.
    let unit = "é [x {XYZ+} ";
    let src = format!("{CHAPEAU}{}", unit.repeat(200_000));
    let doc = brackets::parse(&src);
    lossless(&doc);
    assert_eq!(count(&doc, "unclosed-bracket"), 200_000);
    assert_eq!(count(&doc, "unknown-actor"), 200_000);
    let last = doc
        .diagnostics
        .iter()
        .filter(|d| d.code == "unknown-actor")
        .map(|d| d.column)
        .max();
    assert_eq!(last, Some(10 + 12 * 199_999 + 6));
}

#[test]
fn one_hundred_thousand_closing_brackets() {
    let src = format!("{CHAPEAU}{}", "]".repeat(100_000));
    let doc = brackets::parse(&src);
    lossless(&doc);
    assert_eq!(doc.paragraphs[0].orphan_closes.len(), 100_000);
    assert_eq!(count(&doc, "stray-closing-bracket"), 100_000);
}

#[test]
fn fifty_thousand_paragraphs() {
    let src = "x\n\n".repeat(50_000);
    let doc = brackets::parse(&src);
    lossless(&doc);
    assert!(
        doc.diagnostics
            .iter()
            .all(|d| d.severity != Severity::Error)
    );

    // The same after a chapeau, and as numbered paragraphs.
    let src = format!("The General Assembly,\n\n{}", "x\n\n".repeat(50_000));
    let doc = brackets::parse(&src);
    lossless(&doc);
    let src = format!(
        "The General Assembly,\n\n{}",
        (1..=50_000)
            .map(|k| format!("{k}. Urges [x] {{USA+}};\n\n"))
            .collect::<String>()
    );
    let doc = brackets::parse(&src);
    lossless(&doc);
    check_invariants(&doc);
    assert_eq!(doc.paragraphs.len(), 50_000);
    assert_eq!(doc.paragraphs[49_999].id, "OP50000");
    // Labels of more than four digits are not labels: those paragraphs are named by position.
    assert_eq!(count(&doc, "unnumbered-operative"), 50_000 - 9_999);
}

#[test]
fn one_group_with_a_hundred_thousand_positions() {
    let src = format!("{CHAPEAU}[x] {{{}}}", "USA+ FRA- ".repeat(50_000));
    let doc = brackets::parse(&src);
    lossless(&doc);
    assert_eq!(doc.positions().count(), 100_000);
    assert_eq!(count(&doc, "repeated-position"), 100_000 - 2);
}

#[test]
fn thirty_thousand_nested_brackets_spanning_paragraphs() {
    // Every paragraph of the first half opens a bracket, every paragraph of the second half
    // closes one: fifteen thousand nested spanning brackets. Looking up what encloses each
    // paragraph, building the JSON and diffing must stay linear.
    let n = 15_000;
    let src = format!(
        "The General Assembly,\n\n{}{}",
        "Noting [the text\n\n".repeat(n),
        "Noting more text] {USA+}\n\n".repeat(n)
    );
    let doc = brackets::parse(&src);
    lossless(&doc);
    check_invariants(&doc);
    assert_eq!(doc.spanning.len(), n);
    assert_eq!(count(&doc, "unclosed-bracket"), 0);
    // The outermost bracket (opened in the first paragraph) encloses every later one.
    assert!(
        doc.inside_spanning[1..]
            .iter()
            .all(|s| s.is_some_and(|k| doc.spanning[k].open_paragraph == 0))
    );
    let json = brackets::cli::json::show(&doc, "x", None);
    assert_eq!(
        json.paragraphs[n].within_bracket_from.as_deref(),
        Some("PP1")
    );
    let diff = brackets::diff::diff(&doc, &doc);
    assert_eq!(diff.changes.len(), 2 * n);
}
