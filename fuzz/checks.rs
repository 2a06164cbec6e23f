#![allow(dead_code)]

//! What each fuzz target checks, shared with `tests/fuzz_corpus.rs`, which replays the corpus
//! and the fixed crashes through the same code on stable, without libfuzzer.
//!
//! The including crate must also declare `mod common;` (tests/common/mod.rs): the parser's
//! invariants are the ones the property tests check.

use brackets::diff::ChangeKind;
use brackets::index::query::Query;

/// The byte that splits a `diff` input into the old and the new iteration: it never occurs in
/// UTF-8, so both halves can be valid text.
pub const DIFF_SEPARATOR: u8 = 0xFF;

/// Parser: no panic, `render()` gives the input back byte for byte, and the model's invariants
/// hold (tests/common). Input that is not UTF-8 is read the way a lossy reader would.
pub fn parse(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let doc = crate::common::parse_checked(&text);
    assert_eq!(doc.render().as_bytes(), text.as_bytes());
}

/// Splits a fuzz input into the old and new texts of a diff.
pub fn diff_halves(data: &[u8]) -> (String, String) {
    let (old, new) = match data.iter().position(|&b| b == DIFF_SEPARATOR) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &data[..0]),
    };
    (
        String::from_utf8_lossy(old).into_owned(),
        String::from_utf8_lossy(new).into_owned(),
    )
}

/// Paragraph alignment and diff: no panic; every paragraph of either side is in exactly one
/// change; similarities are in 0..=1; ids name the paragraphs indexed; kinds agree with which
/// sides are empty.
pub fn diff(data: &[u8]) {
    let (old, new) = diff_halves(data);
    let old = brackets::parse(&old);
    let new = brackets::parse(&new);
    let d = brackets::diff::diff(&old, &new);
    let mut seen_old = vec![0u32; old.paragraphs.len()];
    let mut seen_new = vec![0u32; new.paragraphs.len()];
    for c in &d.changes {
        assert!(
            (0.0..=1.0).contains(&c.similarity),
            "similarity {} out of range: {c:?}",
            c.similarity
        );
        assert_eq!(c.old.len(), c.old_index.len());
        assert_eq!(c.new.len(), c.new_index.len());
        for (id, &i) in c.old.iter().zip(&c.old_index) {
            assert_eq!(&old.paragraphs[i].id, id);
            seen_old[i] += 1;
        }
        for (id, &i) in c.new.iter().zip(&c.new_index) {
            assert_eq!(&new.paragraphs[i].id, id);
            seen_new[i] += 1;
        }
        match c.kind {
            ChangeKind::Added => assert!(c.old.is_empty() && !c.new.is_empty(), "{c:?}"),
            ChangeKind::Removed => assert!(!c.old.is_empty() && c.new.is_empty(), "{c:?}"),
            _ => assert!(!c.old.is_empty() && !c.new.is_empty(), "{c:?}"),
        }
    }
    assert!(
        seen_old.iter().all(|&n| n == 1),
        "old paragraphs: {seen_old:?}"
    );
    assert!(
        seen_new.iter().all(|&n| n == 1),
        "new paragraphs: {seen_new:?}"
    );
    // The cheaper variant the ledger uses aligns the same way.
    let light = brackets::diff::diff_without_words(&old, &new);
    assert_eq!(light.changes.len(), d.changes.len());
    words(&old.source, &new.source);
}

/// The word diff of two texts loses nothing: the equal and deleted spans hold the old text,
/// the equal and inserted ones the new, but for white space.
fn words(old: &str, new: &str) {
    use brackets::diff::SpanKind;
    let spans = brackets::diff::words::diff(old, new);
    let dense = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
    let side = |skip: SpanKind| {
        spans
            .iter()
            .filter(|s| s.kind != skip)
            .map(|s| dense(&s.text))
            .collect::<String>()
    };
    assert_eq!(side(SpanKind::Inserted), dense(old));
    assert_eq!(side(SpanKind::Deleted), dense(new));
    for pair in spans.windows(2) {
        assert_ne!(pair[0].kind, pair[1].kind, "runs of one kind are merged");
    }
}

/// Query parser: no panic; errors point inside the query (span on character boundaries,
/// column in characters) and can be underlined; terms' spans are inside the query; the
/// lenient reading agrees with the strict one.
pub fn query(data: &[u8]) {
    let source = String::from_utf8_lossy(data);
    let source = source.as_ref();
    match Query::parse(source) {
        Ok(q) => {
            assert_eq!(q.source, source);
            for t in q.terms() {
                for span in [&t.span, &t.value_span] {
                    assert!(span.start <= span.end && span.end <= source.len(), "{t:?}");
                    assert!(source.is_char_boundary(span.start), "{t:?}");
                    assert!(source.is_char_boundary(span.end), "{t:?}");
                }
                assert!(t.span.start <= t.value_span.start && t.value_span.end <= t.span.end);
            }
            let (again, problem) = Query::parse_lenient(source);
            assert!(problem.is_none());
            assert_eq!(again, q);
        }
        Err(e) => {
            assert!(
                e.span.start <= e.span.end && e.span.end <= source.len(),
                "{e:?}"
            );
            assert!(source.is_char_boundary(e.span.start), "{e:?}");
            assert!(source.is_char_boundary(e.span.end), "{e:?}");
            assert_eq!(e.column, source[..e.span.start].chars().count() + 1);
            assert!(!e.message.is_empty());
            let _ = e.underline();
            let _ = e.to_string();
            let (lenient, problem) = Query::parse_lenient(source);
            assert_eq!(problem.as_ref(), Some(&e));
            assert_eq!(lenient.source, source);
            // What the lenient reading kept is itself a query.
            for t in lenient.terms() {
                assert!(t.span.end <= source.len(), "{t:?}");
            }
        }
    }
}
