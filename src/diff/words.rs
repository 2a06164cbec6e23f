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

/// What an ASCII byte is to the tokenizer.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Space,
    /// A letter or a digit.
    Word,
    /// `-`, `'`, `/`, `.` or `_`: inside a word when a letter or digit follows.
    Joiner,
    Other,
}

/// The class of each ASCII byte: the white space and alphanumerics of `char` (`\t`..`\r` and
/// space; `0-9`, `A-Z`, `a-z`).
const CLASSES: [Class; 128] = {
    let mut table = [Class::Other; 128];
    let mut b = 0;
    while b < 128 {
        table[b] = match b as u8 {
            b'\t'..=b'\r' | b' ' => Class::Space,
            b'0'..=b'9' | b'A'..=b'Z' | b'a'..=b'z' => Class::Word,
            b'-' | b'\'' | b'/' | b'.' | b'_' => Class::Joiner,
            _ => Class::Other,
        };
        b += 1;
    }
    table
};

/// Letters and digits make words; a hyphen, apostrophe, slash or dot between two of them stays
/// inside the word (`people-centred`, `70/1`, `17.6`); a trailing dot or apostrophe is
/// punctuation. Everything else that is not white space is a token of its own, so `[`, `]`,
/// `{`, `}`, commas and quotes read as edits of their own.
pub fn tokens(text: &str) -> Vec<Token<'_>> {
    // The diff's innermost loop, run over every paragraph of both iterations: ASCII bytes
    // (most of most drafts) are classified by table, other characters decoded.
    let bytes = text.as_bytes();
    // The character at `at`, when it is not ASCII.
    let wide_at = |at: usize| text.get(at..).and_then(|r| r.chars().next());
    let word_at = |at: usize| match bytes.get(at) {
        Some(&b) if b < 0x80 => CLASSES[usize::from(b)] == Class::Word,
        Some(_) => wide_at(at).is_some_and(char::is_alphanumeric),
        None => false,
    };
    let mut out = Vec::with_capacity(text.len() / 6 + 1);
    let mut space = false;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let (starts_word, len) = if b < 0x80 {
            match CLASSES[usize::from(b)] {
                Class::Space => {
                    space = true;
                    i += 1;
                    continue;
                }
                class => (class == Class::Word, 1),
            }
        } else {
            let Some(c) = wide_at(i) else { break };
            if c.is_whitespace() {
                space = true;
                i += c.len_utf8();
                continue;
            }
            (c.is_alphanumeric(), c.len_utf8())
        };
        let mut end = i + len;
        if starts_word {
            while let Some(&d) = bytes.get(end) {
                let step = if d < 0x80 {
                    match CLASSES[usize::from(d)] {
                        Class::Word => 1,
                        Class::Joiner if word_at(end + 1) => 1,
                        _ => break,
                    }
                } else {
                    match wide_at(end) {
                        Some(c) if c.is_alphanumeric() => c.len_utf8(),
                        Some(c @ '’') if word_at(end + c.len_utf8()) => c.len_utf8(),
                        _ => break,
                    }
                };
                end += step;
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
    let mut h = rustc_hash::FxHasher::default();
    let mut short = [0u8; 32];
    match short.get_mut(..word.len()) {
        // Most words: lower-cased on the stack, hashed in one go.
        Some(lower) if word.is_ascii() => {
            lower.copy_from_slice(word.as_bytes());
            lower.make_ascii_lowercase();
            h.write(lower);
        }
        _ => {
            buffer.clear();
            buffer.push_str(&lowercase(word));
            h.write(buffer.as_bytes());
        }
    }
    h.finish()
}

/// Beyond this many tokens on either side a paragraph is shown as replaced whole: such
/// "paragraphs" are damage (a missing blank line), and the diff must stay fast.
pub const MAX_TOKENS: usize = 20_000;
/// How long one paragraph's word diff may take before `similar` settles for a coarser answer.
pub const DEADLINE: Duration = Duration::from_millis(200);

/// The word-level changes turning `old` into `new`.
pub fn diff(old: &str, new: &str) -> Vec<WordSpan> {
    let a = diff_tokens(old);
    let b = diff_tokens(new);
    let mut out = Spans::default();
    if a.len() > MAX_TOKENS || b.len() > MAX_TOKENS {
        for (_, t) in &a {
            out.push(SpanKind::Deleted, t);
        }
        for (_, t) in &b {
            out.push(SpanKind::Inserted, t);
        }
        return out.0;
    }
    let (ka, kb) = token_ids(&a, &b);
    let deadline = Instant::now() + DEADLINE;
    let ops = similar::capture_diff_slices_deadline(Algorithm::Patience, &ka, &kb, Some(deadline));
    for op in ops {
        let (tag, ra, rb) = op.as_tag_tuple();
        let (deleted, inserted) = match tag {
            DiffTag::Equal => {
                for (_, t) in &b[rb] {
                    out.push(SpanKind::Equal, t);
                }
                continue;
            }
            DiffTag::Delete => (&a[ra], &b[0..0]),
            DiffTag::Insert => (&a[0..0], &b[rb]),
            DiffTag::Replace => (&a[ra], &b[rb]),
        };
        for (_, t) in deleted {
            out.push(SpanKind::Deleted, t);
        }
        for (_, t) in inserted {
            out.push(SpanKind::Inserted, t);
        }
    }
    out.0
}

/// The tokens of `text` as the word diff compares them, each with whether it belongs to an
/// attribution group or a note (`{…}`, braces included). Inside a group an actor and its sign
/// are one token (`USA+`): `USA+` against `USA-` is a changed position, and the signs of
/// different actors never pair with each other (`{[-USA+, GBR-]{+CHN+}+[-, AUS+…`).
fn diff_tokens(text: &str) -> Vec<(bool, Token<'_>)> {
    // Where a token starts in `text` (every token is a slice of it).
    let start = |t: &Token<'_>| (t.text.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
    let tokens = tokens(text);
    let mut out: Vec<(bool, Token<'_>)> = Vec::with_capacity(tokens.len());
    let mut depth = 0usize;
    for t in tokens {
        if t.text == "{" {
            depth += 1;
        }
        let inside = depth > 0;
        if t.text == "}" {
            depth = depth.saturating_sub(1);
        }
        if inside
            && matches!(t.text, "+" | "-")
            && !t.space_before
            && let Some((_, last)) = out.last_mut()
            && last.text.starts_with(char::is_alphanumeric)
            && start(last) + last.text.len() == start(&t)
            && let Some(whole) = text.get(start(last)..start(&t) + t.text.len())
        {
            last.text = whole;
            continue;
        }
        out.push((inside, t));
    }
    out
}

/// The tokens of both sides as numbers, equal for equal tokens, so that the diff compares
/// integers rather than strings. A token inside an attribution group or a note is another
/// token than the same text outside: a comma of the text must not pair with the comma between
/// two actors, which would cut a dropped attribution in two (`{USA+-], [-GBR+}`).
fn token_ids<'a>(old: &[(bool, Token<'a>)], new: &[(bool, Token<'a>)]) -> (Vec<u32>, Vec<u32>) {
    let mut ids: rustc_hash::FxHashMap<(bool, &'a str), u32> = rustc_hash::FxHashMap::default();
    let mut number = |tokens: &[(bool, Token<'a>)]| -> Vec<u32> {
        tokens
            .iter()
            .map(|&(inside, t)| {
                let next = u32::try_from(ids.len()).unwrap_or(u32::MAX);
                *ids.entry((inside, t.text)).or_insert(next)
            })
            .collect()
    };
    let o = number(old);
    let n = number(new);
    (o, n)
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
    use proptest::prelude::*;

    /// The tokenizer as first written, character by character: the table-driven one must
    /// read every text the same way.
    fn tokens_slowly(text: &str) -> Vec<(String, bool)> {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut out: Vec<(String, bool)> = Vec::new();
        let mut space = false;
        let mut k = 0;
        while k < chars.len() {
            let c = chars[k].1;
            if c.is_whitespace() {
                space = true;
                k += 1;
                continue;
            }
            let mut end = k + 1;
            if c.is_alphanumeric() {
                while end < chars.len() {
                    let d = chars[end].1;
                    let joiner = matches!(d, '-' | '\'' | '’' | '/' | '.' | '_')
                        && chars.get(end + 1).is_some_and(|e| e.1.is_alphanumeric());
                    if !(d.is_alphanumeric() || joiner) {
                        break;
                    }
                    end += 1;
                }
            }
            let from = chars[k].0;
            let to = chars.get(end).map_or(text.len(), |e| e.0);
            let space_before = space && !out.is_empty();
            out.push((text[from..to].to_string(), space_before));
            space = false;
            k = end;
        }
        out
    }

    fn read(text: &str) -> Vec<(String, bool)> {
        tokens(text)
            .iter()
            .map(|t| (t.text.to_string(), t.space_before))
            .collect()
    }

    proptest! {
        #[test]
        fn tokens_read_as_character_by_character(
            text in "([a-zA-Z0-9 \\t\\n\\x0b\\x0c\\r\\x1c.,;'/_\\-\\[\\]{}+]|é|’|\u{a0}|\u{85}|\u{2028}|١|Ж|中|\u{301})*"
        ) {
            prop_assert_eq!(read(&text), tokens_slowly(&text));
        }

        #[test]
        fn keys_are_the_lower_cased_words(word in "[a-zA-Z0-9ÉéŞş’'.-]{0,40}") {
            let mut buffer = String::new();
            let upper = key(&word.to_uppercase(), &mut buffer);
            prop_assert_eq!(key(&word, &mut buffer) == upper, lowercase(&word) == lowercase(&word.to_uppercase()));
        }
    }

    #[test]
    fn tokens_of_unusual_text_read_as_character_by_character() {
        for text in [
            "",
            " ",
            "a",
            "a.",
            "a.b",
            "a..b",
            "a-",
            "-a",
            "a’b",
            "a’",
            "a ’b",
            "Ünïcödé-wörds",
            "x\u{a0}y",
            "x\u{85}y",
            "x\u{1c}y",
            "٣٤.٥",
            "e\u{301}t",
            "中文,字",
            "[a] {B+}",
        ] {
            assert_eq!(read(text), tokens_slowly(text), "{text:?}");
        }
    }

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
    fn words_of_the_text_pair_only_with_words_of_the_text() {
        // A bracket agreed: its attributions go whole, the text's comma is the text's.
        let d = diff(
            "of the Summit] {CHN+, RUS+},] {USA+, GBR+, IRN reserve}",
            "of the Summit,",
        );
        assert_eq!(
            marked(&d),
            "of the Summit[-] {CHN+, RUS+}-],[-] {USA+, GBR+, IRN reserve}-]"
        );
        // Positions inside a group still change one by one, an actor and its sign together.
        let d = diff("[to act] {USA+, FRA-}", "[to act] {USA+, CAN+, FRA-}");
        assert_eq!(marked(&d), "[to act] {USA+, {+CAN+,+} FRA-}");
        let d = diff("[to act] {USA+, FRA-}", "[to act] {USA-, FRA-}");
        assert_eq!(marked(&d), "[to act] {[-USA+-]{+USA-+}, FRA-}");
        let d = diff(
            "cities,] {USA+, GBR+, AUS+, CHN-, RUS-, IRN-}",
            "cities[, in line] {CHN+, RUS+},] {USA+, GBR+, AUS+, JPN+, KOR+, IRN-}",
        );
        assert_eq!(
            marked(&d),
            "cities{+[, in line] {CHN+, RUS+}+},] {USA+, GBR+, AUS+, [-CHN--]{+JPN++}, [-RUS--]{+KOR++}, IRN-}"
        );
        // Outside groups a hyphen is the text's.
        assert_eq!(
            marked(&diff("well - known", "well known")),
            "well [---] known"
        );
        // A note's words are the note's.
        let d = diff(
            "retain the text {Chair: retain}",
            "retain {Chair: the text}",
        );
        assert_eq!(
            marked(&d),
            "retain [-the text-] {Chair: [-retain-]{+the text+}}"
        );
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
