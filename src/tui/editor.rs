//! A text buffer for the paragraph editor and the prompts: a string, a cursor (a byte offset
//! always on a character boundary), soft-wrapped rows for a width, and undo/redo. No terminal
//! here: every key's effect is a method, tested without one.

use unicode_width::UnicodeWidthChar;

/// What the last change was, so that typing a word is one undo step, not one per letter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Insert,
    Delete,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Snapshot {
    text: String,
    cursor: usize,
}

/// An editable text with a cursor and its own undo history.
#[derive(Debug, Clone, Default)]
pub struct TextBuffer {
    text: String,
    /// Byte offset into `text`, on a character boundary.
    cursor: usize,
    undo: Vec<Snapshot>,
    redo: Vec<Snapshot>,
    last: Option<Kind>,
    /// The column Up/Down aim for, kept across short rows.
    goal: Option<usize>,
}

/// At most this many undo steps are kept.
const UNDO_LIMIT: usize = 500;

impl TextBuffer {
    /// A buffer holding `text`, the cursor at its end.
    pub fn new(text: &str) -> TextBuffer {
        TextBuffer {
            text: text.to_string(),
            cursor: text.len(),
            ..TextBuffer::default()
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// The cursor as a byte offset (always on a character boundary).
    pub fn cursor(&self) -> usize {
        self.cursor
    }

    /// Moves the cursor to a byte offset, rounded down to a character boundary.
    pub fn set_cursor(&mut self, at: usize) {
        let mut at = at.min(self.text.len());
        while !self.text.is_char_boundary(at) {
            at -= 1;
        }
        self.cursor = at;
        self.moved();
    }

    /// Replaces the whole text (one undo step), the cursor at the end.
    pub fn set_text(&mut self, text: &str) {
        if text == self.text {
            return;
        }
        self.checkpoint(Kind::Other);
        self.text = text.to_string();
        self.cursor = self.text.len();
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    fn snapshot(&self) -> Snapshot {
        Snapshot {
            text: self.text.clone(),
            cursor: self.cursor,
        }
    }

    /// Records the state before a change of `kind`; consecutive inserts (or deletes) of
    /// letters share one step.
    fn checkpoint(&mut self, kind: Kind) {
        self.goal = None;
        self.redo.clear();
        let joins = kind != Kind::Other && self.last == Some(kind);
        self.last = Some(kind);
        if joins {
            return;
        }
        self.undo.push(self.snapshot());
        if self.undo.len() > UNDO_LIMIT {
            self.undo.remove(0);
        }
    }

    fn moved(&mut self) {
        self.last = None;
    }

    pub fn undo(&mut self) -> bool {
        match self.undo.pop() {
            Some(s) => {
                self.redo.push(self.snapshot());
                self.text = s.text;
                self.cursor = s.cursor;
                self.last = None;
                self.goal = None;
                true
            }
            None => false,
        }
    }

    pub fn redo(&mut self) -> bool {
        match self.redo.pop() {
            Some(s) => {
                self.undo.push(self.snapshot());
                self.text = s.text;
                self.cursor = s.cursor;
                self.last = None;
                self.goal = None;
                true
            }
            None => false,
        }
    }

    /// Types a character (a line break with `'\n'`). Control characters other than line
    /// breaks and tabs are refused.
    pub fn insert(&mut self, c: char) {
        if c.is_control() && c != '\n' && c != '\t' {
            return;
        }
        // A word and the space after it are one step.
        self.checkpoint(Kind::Insert);
        self.text.insert(self.cursor, c);
        self.cursor += c.len_utf8();
        if c.is_whitespace() {
            self.last = None;
        }
    }

    /// Inserts a string (a paste), one undo step.
    pub fn insert_str(&mut self, s: &str) {
        let s: String = s
            .chars()
            .filter(|&c| !c.is_control() || c == '\n' || c == '\t')
            .collect();
        if s.is_empty() {
            return;
        }
        self.checkpoint(Kind::Other);
        self.text.insert_str(self.cursor, &s);
        self.cursor += s.len();
    }

    fn prev_boundary(&self, at: usize) -> usize {
        self.text
            .get(..at)
            .and_then(|s| s.char_indices().next_back())
            .map_or(0, |(i, _)| i)
    }

    fn next_boundary(&self, at: usize) -> usize {
        self.text
            .get(at..)
            .and_then(|s| s.chars().next())
            .map_or(self.text.len(), |c| at + c.len_utf8())
    }

    /// Backspace: deletes the character before the cursor.
    pub fn backspace(&mut self) {
        if self.cursor == 0 {
            return;
        }
        self.checkpoint(Kind::Delete);
        let start = self.prev_boundary(self.cursor);
        self.text.replace_range(start..self.cursor, "");
        self.cursor = start;
    }

    /// Delete: deletes the character under the cursor.
    pub fn delete(&mut self) {
        if self.cursor >= self.text.len() {
            return;
        }
        self.checkpoint(Kind::Delete);
        let end = self.next_boundary(self.cursor);
        self.text.replace_range(self.cursor..end, "");
    }

    /// Deletes the word before the cursor (Ctrl-w, Ctrl-Backspace).
    pub fn delete_word_back(&mut self) {
        let start = self.word_left_of(self.cursor);
        if start == self.cursor {
            return;
        }
        self.checkpoint(Kind::Other);
        self.text.replace_range(start..self.cursor, "");
        self.cursor = start;
    }

    pub fn left(&mut self) {
        self.cursor = self.prev_boundary(self.cursor);
        self.goal = None;
        self.moved();
    }

    pub fn right(&mut self) {
        self.cursor = self.next_boundary(self.cursor);
        self.goal = None;
        self.moved();
    }

    fn word_left_of(&self, at: usize) -> usize {
        let before = self.text.get(..at).unwrap_or("");
        let mut chars = before.char_indices().rev().peekable();
        // Skip the separators, then the word.
        let mut pos = at;
        while let Some(&(i, c)) = chars.peek() {
            if is_word(c) {
                break;
            }
            pos = i;
            chars.next();
        }
        while let Some(&(i, c)) = chars.peek() {
            if !is_word(c) {
                break;
            }
            pos = i;
            chars.next();
        }
        pos
    }

    fn word_right_of(&self, at: usize) -> usize {
        let after = self.text.get(at..).unwrap_or("");
        let mut pos = at;
        let mut seen_word = false;
        for c in after.chars() {
            if is_word(c) {
                seen_word = true;
            } else if seen_word {
                break;
            }
            pos += c.len_utf8();
        }
        pos
    }

    /// To the start of this (or the previous) word.
    pub fn word_left(&mut self) {
        self.cursor = self.word_left_of(self.cursor);
        self.goal = None;
        self.moved();
    }

    /// To the end of this (or the next) word.
    pub fn word_right(&mut self) {
        self.cursor = self.word_right_of(self.cursor);
        self.goal = None;
        self.moved();
    }

    pub fn start(&mut self) {
        self.cursor = 0;
        self.goal = None;
        self.moved();
    }

    pub fn end(&mut self) {
        self.cursor = self.text.len();
        self.goal = None;
        self.moved();
    }

    /// The rows of the text soft-wrapped to `width` columns, as byte ranges.
    pub fn rows(&self, width: usize) -> Vec<(usize, usize)> {
        rows(&self.text, width)
    }

    /// The cursor's (row, column) for `width`.
    pub fn cursor_at(&self, width: usize) -> (usize, usize) {
        let rows = self.rows(width);
        let r = row_of(&rows, self.cursor);
        let (s, _) = rows[r];
        let col = self
            .text
            .get(s..self.cursor)
            .map_or(0, |t| t.chars().map(|c| c.width().unwrap_or(0)).sum());
        (r, col)
    }

    /// Home: the start of the cursor's row.
    pub fn row_start(&mut self, width: usize) {
        let rows = self.rows(width);
        self.cursor = rows[row_of(&rows, self.cursor)].0;
        self.goal = None;
        self.moved();
    }

    /// End: the end of the cursor's row (before a line break or a wrapping space).
    pub fn row_end(&mut self, width: usize) {
        let rows = self.rows(width);
        let r = row_of(&rows, self.cursor);
        let (s, e) = rows[r];
        let row = self.text.get(s..e).unwrap_or("");
        let trimmed = if r + 1 < rows.len() {
            row.trim_end_matches(['\n', ' '])
        } else {
            row.trim_end_matches('\n')
        };
        self.cursor = s + trimmed.len();
        self.goal = None;
        self.moved();
    }

    /// Up or down by `n` rows at `width`, keeping the column.
    pub fn vertical(&mut self, width: usize, n: isize) {
        let rows = self.rows(width);
        let (r, col) = self.cursor_at(width);
        let goal = *self.goal.get_or_insert(col);
        let target = (r as isize + n).clamp(0, rows.len() as isize - 1) as usize;
        if target == r {
            // At the first or last row: to the very start or end, as editors do.
            self.cursor = if n < 0 { 0 } else { self.text.len() };
            self.moved();
            return;
        }
        let (s, e) = rows[target];
        let row = self.text.get(s..e).unwrap_or("");
        let mut at = s;
        let mut w = 0;
        for (i, c) in row.char_indices() {
            let cw = c.width().unwrap_or(0);
            // Never past the row's end (its line break or wrapping space).
            if c == '\n' || w + cw > goal || (target + 1 < rows.len() && s + i + 1 >= e) {
                break;
            }
            w += cw;
            at = s + i + c.len_utf8();
        }
        self.cursor = at;
        self.moved();
    }
}

/// A letter of a word, for word moves.
fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || c == '\''
}

/// The row holding byte `at`: the last row starting at or before it.
fn row_of(rows: &[(usize, usize)], at: usize) -> usize {
    rows.iter()
        .rposition(|&(s, _)| s <= at)
        .unwrap_or(0)
        .min(rows.len().saturating_sub(1))
}

/// `text` soft-wrapped to `width` columns: each row a byte range; a row ends after a line
/// break, or after the last space that fits (a word longer than the row is cut). There is
/// always at least one row, and a text ending with a line break ends with an empty row.
pub fn rows(text: &str, width: usize) -> Vec<(usize, usize)> {
    let width = width.max(2);
    let mut out = Vec::new();
    let mut start = 0;
    let mut col = 0;
    let mut last_space: Option<usize> = None;
    for (i, c) in text.char_indices() {
        let end = i + c.len_utf8();
        if c == '\n' {
            out.push((start, end));
            start = end;
            col = 0;
            last_space = None;
            continue;
        }
        let cw = if c == '\t' { 1 } else { c.width().unwrap_or(0) };
        if col + cw > width {
            // Wrap after the last space, or cut here.
            let cut = match last_space {
                Some(s) if s > start => s,
                _ => i,
            };
            out.push((start, cut));
            start = cut;
            col = text
                .get(start..end)
                .map_or(0, |t| t.chars().map(|c| c.width().unwrap_or(0)).sum());
            last_space = if c == ' ' { Some(end) } else { None };
            continue;
        }
        col += cw;
        if c == ' ' {
            last_space = Some(end);
        }
    }
    out.push((start, text.len()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(s: &str) -> TextBuffer {
        let mut b = TextBuffer::new("");
        for c in s.chars() {
            b.insert(c);
        }
        b
    }

    #[test]
    fn typing_and_deleting_multibyte_text_never_splits_a_character() {
        let mut b = typed("Café — 日本 🇫🇷");
        assert_eq!(b.text(), "Café — 日本 🇫🇷");
        for _ in 0..b.text().chars().count() + 3 {
            b.left();
            assert!(b.text().is_char_boundary(b.cursor()));
        }
        assert_eq!(b.cursor(), 0);
        b.right();
        b.right();
        b.right();
        b.delete();
        assert_eq!(b.text(), "Caf — 日本 🇫🇷");
        b.end();
        b.backspace();
        b.backspace();
        assert_eq!(b.text(), "Caf — 日本 ");
        b.set_cursor(b.text().len() - 2);
        assert!(b.text().is_char_boundary(b.cursor()));
        b.insert('é');
        assert!(b.text().starts_with("Caf — 日"));
    }

    #[test]
    fn undo_takes_back_a_word_at_a_time_and_redo_replays() {
        let mut b = typed("the right to privacy");
        assert!(b.undo());
        assert_eq!(b.text(), "the right to ");
        assert!(b.undo());
        assert_eq!(b.text(), "the right ");
        assert!(b.redo());
        assert_eq!(b.text(), "the right to ");
        b.backspace();
        b.backspace();
        b.backspace();
        assert_eq!(b.text(), "the right ");
        // A new change forgets what could be redone.
        assert!(!b.redo());
        assert!(b.undo());
        assert_eq!(b.text(), "the right to ");
        while b.undo() {}
        assert_eq!(b.text(), "");
        assert!(!b.undo());
    }

    #[test]
    fn word_moves_skip_punctuation_and_brackets() {
        let mut b = TextBuffer::new("Decides [to act] {USA+}, now");
        b.start();
        b.word_right();
        assert_eq!(&b.text()[..b.cursor()], "Decides");
        b.word_right();
        assert_eq!(&b.text()[..b.cursor()], "Decides [to");
        b.end();
        b.word_left();
        assert_eq!(&b.text()[b.cursor()..], "now");
        b.word_left();
        assert_eq!(&b.text()[b.cursor()..], "USA+}, now");
        b.delete_word_back();
        assert_eq!(b.text(), "Decides [to USA+}, now");
    }

    #[test]
    fn rows_wrap_at_spaces_and_line_breaks() {
        let t = "one two three four\nfive";
        let r = rows(t, 10);
        let shown: Vec<&str> = r.iter().map(|&(s, e)| &t[s..e]).collect();
        assert_eq!(shown, ["one two ", "three four\n", "five"]);
        assert_eq!(rows("", 10), [(0, 0)]);
        let r = rows("ab\n", 10);
        assert_eq!(r, [(0, 3), (3, 3)]);
        // A word longer than the row is cut, on a character boundary.
        let t = "ééééééééééé";
        for (s, e) in rows(t, 4) {
            assert!(t.is_char_boundary(s) && t.is_char_boundary(e));
        }
        // Wide characters take two columns.
        let t = "日本語日本語";
        assert_eq!(rows(t, 5).len(), 3);
    }

    #[test]
    fn up_down_home_end_keep_the_column() {
        let mut b = TextBuffer::new("one two three four\nfive six");
        b.start();
        b.right();
        b.right();
        b.vertical(10, 1);
        assert_eq!(b.cursor_at(10), (1, 2));
        assert_eq!(&b.text()[b.cursor()..], "ree four\nfive six");
        b.vertical(10, 1);
        assert_eq!(b.cursor_at(10), (2, 2));
        assert_eq!(&b.text()[b.cursor()..], "ve six");
        b.vertical(10, 5);
        assert_eq!(b.cursor(), b.text().len());
        b.vertical(10, -1);
        assert_eq!(b.cursor_at(10).0, 1);
        b.row_start(10);
        assert_eq!(&b.text()[b.cursor()..], "three four\nfive six");
        b.row_end(10);
        assert_eq!(&b.text()[b.cursor()..], "\nfive six");
        b.vertical(10, -10);
        assert_eq!(b.cursor_at(10), (0, 7));
        b.vertical(10, -1);
        assert_eq!(b.cursor(), 0);
    }

    proptest::proptest! {
        /// Any keys on any text: the cursor stays on a character boundary, rows tile the
        /// text, and undoing everything gives the text back.
        #[test]
        fn any_keys_keep_the_cursor_on_a_boundary_and_undo_restores(
            start in "[a-zé日🇫 \n\\[\\]{}+-]{0,40}",
            ops in proptest::collection::vec((0u8..16, proptest::char::any(), 1usize..12), 0..60),
        ) {
            let mut b = TextBuffer::new(&start);
            for (op, c, w) in ops {
                match op {
                    0 => b.insert(c),
                    1 => b.backspace(),
                    2 => b.delete(),
                    3 => b.left(),
                    4 => b.right(),
                    5 => b.word_left(),
                    6 => b.word_right(),
                    7 => b.vertical(w, 1),
                    8 => b.vertical(w, -1),
                    9 => b.row_start(w),
                    10 => b.row_end(w),
                    11 => b.delete_word_back(),
                    12 => b.set_cursor(w * 3),
                    13 => b.insert_str("é\n日"),
                    14 => { b.undo(); }
                    _ => { b.redo(); }
                }
                proptest::prop_assert!(b.text().is_char_boundary(b.cursor()));
                let rows = b.rows(w);
                proptest::prop_assert_eq!(rows.first().map(|r| r.0), Some(0));
                proptest::prop_assert_eq!(rows.last().map(|r| r.1), Some(b.text().len()));
                for pair in rows.windows(2) {
                    proptest::prop_assert_eq!(pair[0].1, pair[1].0);
                }
                let _ = b.cursor_at(w);
            }
            while b.undo() {}
            proptest::prop_assert_eq!(b.text(), start.as_str());
        }
    }

    #[test]
    fn control_characters_are_not_typed() {
        let mut b = TextBuffer::new("");
        b.insert('\u{1b}');
        b.insert_str("a\u{7}b\nc");
        assert_eq!(b.text(), "ab\nc");
    }
}
