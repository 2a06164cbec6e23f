//! Words: the tokenizer shared by similarity scoring and word-level diffs, and the word diff
//! itself (`similar` over our own tokens, with a deadline and a size cap).

use serde::Serialize;
use similar::{Algorithm, DiffTag};
use std::time::{Duration, Instant};

/// One piece of a word-level diff. Plain data: the renderer decides how it looks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WordSpan {
    pub kind: SpanKind,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SpanKind {
    Equal,
    Inserted,
    Deleted,
}

/// A token and whether white space came before it in its text, so the diff can be written
/// back with the spacing of the side it came from.
#[derive(Debug, Clone, Copy)]
pub struct Token<'a> {
    pub text: &'a str,
    pub space_before: bool,
}

/// Letters and digits make words; a hyphen, apostrophe, slash or dot between two of them stays
/// inside the word (`people-centred`, `70/1`, `17.6`); a trailing dot or apostrophe is
/// punctuation. Everything else that is not white space is a token of its own, so `[`, `]`,
/// `{`, `}`, commas and quotes read as edits of their own.
pub fn tokens(text: &str) -> Vec<Token<'_>> {
    // Bytes below 0x80 are characters of their own; others are decoded. Drafts are mostly
    // ASCII, and this is the diff's innermost loop.
    let bytes = text.as_bytes();
    let char_at = |at: usize| -> Option<(char, usize)> {
        let b = *bytes.get(at)?;
        if b < 0x80 {
            Some((b as char, 1))
        } else {
            text.get(at..)?.chars().next().map(|c| (c, c.len_utf8()))
        }
    };
    let mut out = Vec::with_capacity(text.len() / 6 + 1);
    let mut space = false;
    let mut i = 0;
    while let Some((c, len)) = char_at(i) {
        if c.is_whitespace() {
            space = true;
            i += len;
            continue;
        }
        let mut end = i + len;
        if c.is_alphanumeric() {
            while let Some((d, dlen)) = char_at(end) {
                let joiner = matches!(d, '-' | '\'' | '’' | '/' | '.' | '_')
                    && char_at(end + dlen).is_some_and(|(e, _)| e.is_alphanumeric());
                if !(d.is_alphanumeric() || joiner) {
                    break;
                }
                end += dlen;
            }
        }
        out.push(Token {
            text: &text[i..end],
            space_before: space && !out.is_empty(),
        });
        space = false;
        i = end;
    }
    out
}

/// The words of a text for similarity scoring: lower-cased, punctuation dropped.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    tokens(text)
        .into_iter()
        .filter(|t| t.text.chars().next().is_some_and(char::is_alphanumeric))
        .map(|t| lowercase(t.text))
}

/// `str::to_lowercase`, quicker on ASCII words (most words of most drafts).
pub fn lowercase(word: &str) -> String {
    if word.is_ascii() {
        word.to_ascii_lowercase()
    } else {
        word.to_lowercase()
    }
}

/// A 64-bit hash of the word lower-cased, for comparing words without keeping them; `buffer`
/// is reused between calls. Two different words of one draft pair sharing a key is as
/// unlikely as a 64-bit collision among a few thousand words.
pub fn key(word: &str, buffer: &mut String) -> u64 {
    use std::hash::Hasher;
    buffer.clear();
    if word.is_ascii() {
        buffer.extend(word.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else {
        buffer.push_str(&word.to_lowercase());
    }
    let mut h = rustc_hash::FxHasher::default();
    h.write(buffer.as_bytes());
    h.finish()
}

/// Beyond this many tokens on either side a paragraph is shown as replaced whole: such
/// "paragraphs" are damage (a missing blank line), and the diff must stay fast.
pub const MAX_TOKENS: usize = 20_000;
/// How long one paragraph's word diff may take before `similar` settles for a coarser answer.
pub const DEADLINE: Duration = Duration::from_millis(200);

/// The word-level changes turning `old` into `new`.
pub fn diff(old: &str, new: &str) -> Vec<WordSpan> {
    let a = tokens(old);
    let b = tokens(new);
    let mut out = Spans::default();
    if a.len() > MAX_TOKENS || b.len() > MAX_TOKENS {
        for t in &a {
            out.push(SpanKind::Deleted, t);
        }
        for t in &b {
            out.push(SpanKind::Inserted, t);
        }
        return out.0;
    }
    let ka: Vec<&str> = a.iter().map(|t| t.text).collect();
    let kb: Vec<&str> = b.iter().map(|t| t.text).collect();
    let deadline = Instant::now() + DEADLINE;
    let ops = similar::capture_diff_slices_deadline(Algorithm::Patience, &ka, &kb, Some(deadline));
    for op in ops {
        let (tag, ra, rb) = op.as_tag_tuple();
        match tag {
            DiffTag::Equal => {
                for t in &b[rb] {
                    out.push(SpanKind::Equal, t);
                }
            }
            DiffTag::Delete => {
                for t in &a[ra] {
                    out.push(SpanKind::Deleted, t);
                }
            }
            DiffTag::Insert => {
                for t in &b[rb] {
                    out.push(SpanKind::Inserted, t);
                }
            }
            DiffTag::Replace => {
                for t in &a[ra] {
                    out.push(SpanKind::Deleted, t);
                }
                for t in &b[rb] {
                    out.push(SpanKind::Inserted, t);
                }
            }
        }
    }
    out.0
}

#[derive(Default)]
struct Spans(Vec<WordSpan>);

impl Spans {
    /// Appends a token, merging runs of one kind. A space between an equal run and a change
    /// stays in the equal run, so `[-old-]{+new+}` markers never hold a leading blank; the
    /// space between a deletion and an insertion is dropped (the markers separate them).
    fn push(&mut self, kind: SpanKind, t: &Token<'_>) {
        let mut text = String::new();
        if t.space_before {
            match self.0.last_mut() {
                Some(last) if last.kind == kind || last.kind == SpanKind::Equal => {
                    last.text.push(' ')
                }
                Some(_) if kind == SpanKind::Equal => text.push(' '),
                _ => {}
            }
        }
        text.push_str(t.text);
        match self.0.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(&text),
            _ => self.0.push(WordSpan { kind, text }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn marked(spans: &[WordSpan]) -> String {
        spans
            .iter()
            .map(|s| match s.kind {
                SpanKind::Equal => s.text.clone(),
                SpanKind::Deleted => format!("[-{}-]", s.text),
                SpanKind::Inserted => format!("{{+{}+}}", s.text),
            })
            .collect()
    }

    #[test]
    fn brackets_and_punctuation_are_tokens() {
        let t: Vec<&str> = tokens("[the right to privacy] {USA+}, people-centred 70/1.")
            .iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(
            t,
            [
                "[",
                "the",
                "right",
                "to",
                "privacy",
                "]",
                "{",
                "USA",
                "+",
                "}",
                ",",
                "people-centred",
                "70/1",
                "."
            ]
        );
    }

    #[test]
    fn word_diff_reads_like_git() {
        let d = diff(
            "Urges Member States to act, now",
            "Encourages Member States to act now",
        );
        assert_eq!(
            marked(&d),
            "[-Urges-]{+Encourages+} Member States to act[-,-] now"
        );
        let d = diff("the right to privacy", "the [right] to privacy");
        assert_eq!(marked(&d), "the {+[+}right{+]+} to privacy");
    }

    #[test]
    fn both_sides_can_be_rebuilt() {
        let old = "a b, c [d] e";
        let new = "a x, c d e f";
        let d = diff(old, new);
        let side = |skip: SpanKind| {
            d.iter()
                .filter(|s| s.kind != skip)
                .map(|s| s.text.as_str())
                .collect::<String>()
        };
        let strip = |s: String| s.split_whitespace().collect::<Vec<_>>().join(" ");
        let norm = |s: &str| {
            tokens(s)
                .iter()
                .map(|t| t.text)
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(norm(&strip(side(SpanKind::Inserted))), norm(old));
        assert_eq!(norm(&strip(side(SpanKind::Deleted))), norm(new));
    }
}
