//! Control characters inside a draft's text: invisible damage. A NUL from a broken copy, a
//! Windows-1252 quote decoded as Latin-1 (a C1 control such as U+0092), a stray escape. The
//! text is kept as it is (the parser is lossless) and each run of them is reported where it is;
//! terminals show them in caret notation (`text::visible`).

use super::Diags;
use crate::model::{Severity, Span};

/// Whether a 32-byte chunk holds a byte that may start a control character: C0 bytes other
/// than tab, line feed and carriage return, DEL, and 0xC2 (the lead byte of C1 controls, and of
/// no-break spaces and guillemets, which the exact check then lets through). Written as a fold
/// over a fixed-size array so that it compiles to vector compares: the scan costs a fraction
/// of the parse.
fn suspect(chunk: &[u8; 32]) -> bool {
    chunk.iter().fold(false, |any, &b| {
        any | ((b < 0x20) & (b != b'\n') & (b != b'\t') & (b != b'\r')) | (b == 0x7F) | (b == 0xC2)
    })
}

/// A control character that does not belong in a draft.
fn control(c: char) -> bool {
    c.is_control() && !matches!(c, '\n' | '\t' | '\r')
}

pub(super) fn report(source: &str, diags: &mut Diags) {
    let bytes = source.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        if let Some(chunk) = bytes
            .get(at..at + 32)
            .and_then(|c| <&[u8; 32]>::try_from(c).ok())
            && !suspect(chunk)
        {
            at += 32;
            continue;
        }
        let end = (at + 32).min(bytes.len());
        let mut i = at;
        while i < end {
            let Some(first) = source.get(i..).and_then(|s| s.chars().next()) else {
                // Inside a character that started in the previous chunk.
                i += 1;
                continue;
            };
            if !control(first) {
                i += first.len_utf8();
                continue;
            }
            let run: usize = source[i..]
                .chars()
                .take_while(|&c| control(c))
                .map(char::len_utf8)
                .sum();
            let text = &source[i..i + run];
            diags.push(
                Span::new(i, i + run),
                Severity::Warning,
                "control-character",
                message(text),
            );
            i += run;
        }
        at = i.max(end);
    }
}

fn message(run: &str) -> String {
    let count = run.chars().count();
    let mut codes: Vec<String> = Vec::new();
    for c in run.chars() {
        let code = format!("U+{:04X}", c as u32);
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    let named = if codes.len() > 3 {
        format!("{}, ...", codes[..3].join(", "))
    } else {
        codes.join(", ")
    };
    let visible = crate::text::visible(run);
    let mut shown: String = visible.chars().take(24).collect();
    if shown.len() < visible.len() {
        shown.push('…');
    }
    if count == 1 {
        format!("a control character ({named}) in the text, shown as {shown}")
    } else {
        format!("{count} control characters ({named}) in the text, shown as {shown}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The runs of control characters, character by character: what `report` must find.
    fn runs_slowly(source: &str) -> Vec<(usize, usize)> {
        let mut runs: Vec<(usize, usize)> = Vec::new();
        for (i, c) in source.char_indices() {
            if !control(c) {
                continue;
            }
            match runs.last_mut() {
                Some(last) if last.1 == i => last.1 = i + c.len_utf8(),
                _ => runs.push((i, i + c.len_utf8())),
            }
        }
        runs
    }

    proptest! {
        #[test]
        fn the_chunked_scan_finds_what_a_character_by_character_one_does(
            source in "([a-z \\n\\t\\r\\x00\\x01\\x1b\\x7f]|\u{85}|\u{92}|\u{a0}|«|é|中|\u{1F30A}){0,200}"
        ) {
            let found: Vec<(usize, usize)> = found(&source).into_iter().map(|(s, e, _)| (s, e)).collect();
            prop_assert_eq!(found, runs_slowly(&source));
        }
    }

    fn found(source: &str) -> Vec<(usize, usize, String)> {
        let mut diags = Diags::default();
        report(source, &mut diags);
        diags
            .items
            .into_iter()
            .map(|d| (d.span.start, d.span.end, d.message))
            .collect()
    }

    #[test]
    fn each_run_of_control_characters_is_one_warning_where_it_is() {
        assert_eq!(
            found("plain\ttext\r\nwith « guillemets » and\u{a0}spaces"),
            []
        );
        assert_eq!(
            found("Decides\0 [to act]"),
            [(
                7,
                8,
                "a control character (U+0000) in the text, shown as ^@".into()
            )]
        );
        assert_eq!(
            found("a\u{1b}[31mred\u{92}s \u{7f}\u{7f}"),
            [
                (
                    1,
                    2,
                    "a control character (U+001B) in the text, shown as ^[".into()
                ),
                (
                    9,
                    11,
                    "a control character (U+0092) in the text, shown as <U+0092>".into()
                ),
                (
                    13,
                    15,
                    "2 control characters (U+007F) in the text, shown as ^?^?".into()
                )
            ]
        );
    }

    #[test]
    fn runs_across_chunk_boundaries_and_at_the_end_are_found_once() {
        for offset in 25..40 {
            let source = format!("{}\0\0\u{85}\u{85}\0", "x".repeat(offset));
            let runs = found(&source);
            assert_eq!(runs.len(), 1, "{offset}: {runs:?}");
            assert_eq!((runs[0].0, runs[0].1), (offset, offset + 7), "{offset}");
            assert!(
                runs[0]
                    .2
                    .starts_with("5 control characters (U+0000, U+0085)")
            );
        }
        let many: String = (1u8..20)
            .filter(|b| ![9, 10, 13].contains(b))
            .map(char::from)
            .collect();
        let runs = found(&format!("é{many}"));
        assert_eq!(runs.len(), 1);
        assert!(
            runs[0]
                .2
                .starts_with("16 control characters (U+0001, U+0002, U+0003, ...)"),
            "{runs:?}"
        );
    }
}
