//! The words of a paragraph in three readings: the notation as a secretariat writes it, the
//! plain words, and the agreed text (what stands outside every bracket).

use super::{CloseKind, Document, LeafKind, Paragraph};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// Brackets and attribution groups kept, markup and labels dropped.
    Notation,
    /// Words only: bracket marks and attributions dropped, bracketed words kept.
    Plain,
    /// Only the words outside every bracket.
    Agreed,
    /// Words and bracket marks, attributions dropped: how a listing quotes a bracket holding
    /// other brackets, so that alternatives read as alternatives (`[Calls upon] [Encourages]
    /// Member States`), not as one run of words.
    Quote,
}

/// Collapses runs of white space into one space and trims, as the reading is built.
struct Collapsed {
    out: String,
    space: bool,
    /// A bracket mark or an attribution was left out since the last word: the space the
    /// secretariat typed before it (`Society] {CHN+},`) must not stand before a comma.
    dropped: bool,
    /// Right after an opening mark of a quote: the next word follows it with no space.
    opened: bool,
}

/// Whether a word attaches to the one before it, with no space: closing punctuation, a
/// closing curly quote, or a straight quote that punctuation follows (`others] {CHL+}",`).
fn closes_up(word: &str) -> bool {
    const CLOSING: [char; 7] = [',', ';', '.', ':', '!', '?', ')'];
    word.starts_with(CLOSING)
        || word.starts_with(['”', '’', '»'])
        || word
            .strip_prefix('"')
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(CLOSING))
}

impl Collapsed {
    fn new(capacity: usize) -> Self {
        Collapsed {
            out: String::with_capacity(capacity),
            space: false,
            dropped: false,
            opened: false,
        }
    }

    /// Word by word rather than character by character: each run of non-space characters is
    /// copied whole (these readings are built for every paragraph of both sides of a diff).
    /// ASCII bytes are classified without decoding; drafts are mostly ASCII.
    fn push(&mut self, s: &str) {
        let bytes = s.as_bytes();
        // Whether the character at `i` is white space, and its length.
        let space_at = |i: usize| -> (bool, usize) {
            let b = bytes[i];
            if b < 0x80 {
                (matches!(b, b'\t'..=b'\r' | b' '), 1)
            } else {
                s.get(i..)
                    .and_then(|r| r.chars().next())
                    .map_or((false, 1), |c| (c.is_whitespace(), c.len_utf8()))
            }
        };
        let mut i = 0;
        while i < bytes.len() {
            let blank = i;
            while i < bytes.len() {
                match space_at(i) {
                    (true, len) => i += len,
                    (false, _) => break,
                }
            }
            if i > blank {
                self.space = !self.out.is_empty();
            }
            if i >= bytes.len() {
                break;
            }
            let word = i;
            while i < bytes.len() {
                match space_at(i) {
                    (false, len) => i += len,
                    (true, _) => break,
                }
            }
            let word = s.get(word..i).unwrap_or_default();
            if self.space && !(self.dropped && closes_up(word)) && !self.opened {
                self.out.push(' ');
            }
            self.space = false;
            self.dropped = false;
            self.opened = false;
            self.out.push_str(word);
        }
    }

    fn space(&mut self) {
        self.space = !self.out.is_empty();
    }

    /// Something between words was left out of this reading.
    fn drop_mark(&mut self) {
        self.dropped = true;
    }

    /// An opening bracket mark of a quote: `[` where the bracket opens, its first word right
    /// after it.
    fn open_mark(&mut self) {
        self.push("[");
        self.opened = true;
    }

    /// A closing bracket mark of a quote: right after the last word (`upon]`, not `upon ]`),
    /// whatever space or attributions stood between.
    fn close_mark(&mut self) {
        self.out.push(']');
        self.space = false;
        self.dropped = false;
        self.opened = false;
    }
}

/// Bracket texts longer than this are cut (with `…`) where they are listed one by one.
pub const BRACKET_TEXT_LIMIT: usize = 20_000;

/// The leaves of `range` up to about `BRACKET_TEXT_LIMIT` bytes of source.
fn limit(p: &Paragraph, range: std::ops::Range<usize>) -> std::ops::Range<usize> {
    let mut bytes = 0;
    for k in range.clone() {
        bytes += p.leaves.get(k).map_or(0, |l| l.span.len());
        if bytes > BRACKET_TEXT_LIMIT {
            return range.start..k;
        }
    }
    range
}

impl Paragraph {
    fn reading(&self, src: &str, leaves: std::ops::Range<usize>, reading: Reading) -> String {
        // The bytes the range covers, not the whole paragraph's: one reading per bracket of a
        // deeply nested paragraph would otherwise reserve the paragraph again each time.
        let leaves = &self.leaves[leaves];
        let capacity = match (leaves.first(), leaves.last()) {
            (Some(first), Some(last)) => last.span.end.saturating_sub(first.span.start),
            _ => 0,
        };
        let mut out = Collapsed::new(capacity);
        let mut depth = 0usize;
        for leaf in leaves {
            let s = leaf.span.of(src);
            match leaf.kind {
                LeafKind::Text => {
                    if reading != Reading::Agreed || depth == 0 {
                        out.push(s);
                    }
                }
                LeafKind::Break => out.space(),
                LeafKind::Markup | LeafKind::Label | LeafKind::Stamp => {}
                LeafKind::Open(_) => {
                    depth += 1;
                    match reading {
                        Reading::Notation => out.push("["),
                        Reading::Quote => out.open_mark(),
                        Reading::Plain | Reading::Agreed => out.drop_mark(),
                    }
                }
                LeafKind::Close(_) => {
                    depth = depth.saturating_sub(1);
                    match reading {
                        Reading::Notation => out.push("]"),
                        Reading::Quote => out.close_mark(),
                        Reading::Plain | Reading::Agreed => out.drop_mark(),
                    }
                }
                // A stray `]` closes nothing: a quote leaves it out with the other damage.
                LeafKind::OrphanClose(_) => {
                    depth = depth.saturating_sub(1);
                    if reading == Reading::Notation {
                        out.push("]");
                    } else {
                        out.drop_mark();
                    }
                }
                LeafKind::Group(_) => {
                    if reading == Reading::Notation {
                        out.push(s);
                    } else {
                        out.space();
                        out.drop_mark();
                    }
                }
            }
        }
        out.out
    }

    /// The paragraph as written, brackets and attributions included, without label, markup or
    /// agreement stamp; line breaks and page breaks read as one space; `|` typed for `]` reads
    /// as `]`.
    pub fn text(&self, src: &str) -> String {
        self.reading(src, 0..self.leaves.len(), Reading::Notation)
    }

    /// Whether the paragraph has no bracket marks and no attribution groups: then its text as
    /// written, its plain text and its agreed text are one and the same.
    pub fn reads_plainly(&self) -> bool {
        self.leaves.iter().all(|l| {
            matches!(
                l.kind,
                LeafKind::Text
                    | LeafKind::Markup
                    | LeafKind::Label
                    | LeafKind::Break
                    | LeafKind::Stamp
            )
        })
    }

    /// The words, bracketed ones included, with no bracket marks or attributions.
    pub fn plain_text(&self, src: &str) -> String {
        self.reading(src, 0..self.leaves.len(), Reading::Plain)
    }

    /// The words outside every bracket of this paragraph.
    pub fn agreed_text(&self, src: &str) -> String {
        self.reading(src, 0..self.leaves.len(), Reading::Agreed)
    }

    /// Whether the leaves from `k` on are attribution groups followed by closing punctuation
    /// (`{CHN+},`): a view that hides attributions shows no space there, neither for the
    /// groups nor from the text before them (`Society] {CHN+},` reads `Society],`).
    pub fn groups_before_punctuation(&self, src: &str, k: usize) -> bool {
        let rest = self.leaves.get(k..).unwrap_or_default();
        let groups = rest
            .iter()
            .take_while(|l| matches!(l.kind, LeafKind::Group(_)))
            .count();
        groups > 0
            && rest
                .get(groups)
                .is_some_and(|l| l.kind == LeafKind::Text && closes_up(l.span.of(src)))
    }

    /// Leaf index range of a bracket's content (between its marks; to the paragraph's end when
    /// it is not closed here). Scans the paragraph: for every bracket at once, use
    /// `bracket_ranges`.
    pub fn bracket_leaves(&self, bracket: usize) -> std::ops::Range<usize> {
        let open = self
            .leaves
            .iter()
            .position(|l| l.kind == LeafKind::Open(bracket));
        let close = self
            .leaves
            .iter()
            .position(|l| l.kind == LeafKind::Close(bracket));
        match open {
            Some(o) => o + 1..close.unwrap_or(self.leaves.len()),
            None => 0..0,
        }
    }

    /// The leaf range of every bracket's content, in one pass over the leaves.
    pub fn bracket_ranges(&self) -> Vec<std::ops::Range<usize>> {
        let mut ranges = vec![0..0; self.brackets.len()];
        for (k, leaf) in self.leaves.iter().enumerate() {
            match leaf.kind {
                LeafKind::Open(b) if b < ranges.len() => ranges[b] = k + 1..self.leaves.len(),
                LeafKind::Close(b) if b < ranges.len() => ranges[b].end = k,
                _ => {}
            }
        }
        ranges
    }

    /// The bracketed text with nested brackets and their attributions, as written.
    pub fn bracket_text(&self, src: &str, bracket: usize) -> String {
        self.reading(src, self.bracket_leaves(bracket), Reading::Notation)
    }

    /// The bracketed words only.
    pub fn bracket_plain_text(&self, src: &str, bracket: usize) -> String {
        self.reading(src, self.bracket_leaves(bracket), Reading::Plain)
    }

    /// The text of the leaves in `range` (from `bracket_ranges`), as written; at most
    /// `BRACKET_TEXT_LIMIT` bytes, so that deeply nested brackets cannot make the output grow
    /// with the square of the input.
    pub fn range_text(&self, src: &str, range: std::ops::Range<usize>) -> String {
        self.reading(src, limit(self, range), Reading::Notation)
    }

    /// The words of the leaves in `range`, with the same limit as `range_text`.
    pub fn range_plain_text(&self, src: &str, range: std::ops::Range<usize>) -> String {
        self.reading(src, limit(self, range), Reading::Plain)
    }

    /// The words of the leaves in `range` with the marks of the brackets nested there and no
    /// attributions, with the same limit as `range_text`: a bracket as a listing quotes it.
    /// `[[Calls upon] {Chair delete} [Encourages] {Chair+} Member States]` quotes as
    /// `[Calls upon] [Encourages] Member States`, where the plain words would run the two
    /// alternatives together into text that never stood anywhere.
    pub fn range_quote_text(&self, src: &str, range: std::ops::Range<usize>) -> String {
        self.reading(src, limit(self, range), Reading::Quote)
    }

    /// Every actor code that takes a position or writes a note in this paragraph.
    pub fn actors(&self) -> impl Iterator<Item = &str> {
        self.groups.iter().flat_map(|g| {
            g.positions
                .iter()
                .map(|p| p.actor.as_str())
                .chain(g.note.iter().filter_map(|n| n.actor.as_deref()))
        })
    }

    /// `|` typed for `]` anywhere in the paragraph.
    pub fn has_pipe_closes(&self) -> bool {
        self.brackets
            .iter()
            .any(|b| matches!(b.close, Some((_, CloseKind::Pipe))))
            || self.orphan_closes.iter().any(|o| o.kind == CloseKind::Pipe)
    }
}

impl Document {
    /// Whether a paragraph lies inside a bracket opened in an earlier paragraph.
    pub fn is_inside_spanning(&self, paragraph: usize) -> bool {
        self.enclosing_spanning(paragraph).is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::Collapsed;

    /// The reading's white space collapsing, character by character: what `Collapsed::push`
    /// must give.
    fn collapsed_slowly(parts: &[&str]) -> String {
        let text: String = parts.concat();
        text.split(char::is_whitespace)
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn collapsing_white_space_matches_the_character_by_character_reading() {
        let cases: [&[&str]; 8] = [
            &["  the  right\tto\n privacy "],
            &["word", "word"],
            &["a ", " b"],
            &["\u{a0}non\u{2003}breaking\u{85}spaces\u{3000}"],
            &["caf\u{e9} \u{fe0f}\u{200d}", "\r\n", "\x0b\x0cend"],
            &["", " ", ""],
            &["\u{1F30A}\u{6D77}\u{6D0B} mer"],
            &["d\u{e9}j\u{e0}", "\u{a0}", "vu"],
        ];
        for parts in cases {
            let mut c = Collapsed::new(0);
            for p in parts {
                c.push(p);
            }
            assert_eq!(c.out, collapsed_slowly(parts), "{parts:?}");
        }
    }

    #[test]
    fn a_quote_keeps_the_marks_of_nested_brackets_and_drops_attributions() {
        let doc = crate::parse(
            "The Assembly,\n\n1. [[Calls upon] {Chair delete} [ Encourages ] {Chair+, EU+} Member States [to act][, promptly] {USA+},] {EU+}{RUS reserve}\n",
        );
        let p = &doc.paragraphs[0];
        let outer = p.bracket_ranges()[0].clone();
        assert_eq!(
            p.range_quote_text(&doc.source, outer.clone()),
            "[Calls upon] [Encourages] Member States [to act][, promptly],"
        );
        // The plain words (matched across iterations, indexed for search) stay as they were.
        assert_eq!(
            p.range_plain_text(&doc.source, outer),
            "Calls upon Encourages Member States to act, promptly,"
        );
        // A bracket holding no other reads the same quoted or plain.
        let inner = p.bracket_ranges()[1].clone();
        assert_eq!(p.range_quote_text(&doc.source, inner), "Calls upon");
    }

    #[test]
    fn collapsing_keeps_words_and_one_space_between() {
        let mut c = super::Collapsed::new(0);
        for part in [
            "",
            "  \u{a0}",
            "a",
            "\u{2003}b\tc ",
            "",
            "\n",
            "d\u{b}",
            "é",
        ] {
            c.push(part);
        }
        assert_eq!(c.out, "a b c d é");
        let mut c = super::Collapsed::new(0);
        c.push("x");
        c.space();
        c.push("y  ");
        assert_eq!(c.out, "x y");
    }
}
