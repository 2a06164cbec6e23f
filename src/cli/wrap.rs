//! Styled text wrapped to a width with a hanging indent, measured in terminal columns.

use anstyle::{Effects, Style};
use std::fmt::Write;
use unicode_width::UnicodeWidthStr;

/// A run of text in one style. Text is made visible (no raw control characters) when pushed.
#[derive(Debug, Default, Clone)]
pub struct Styled {
    pieces: Vec<(Style, String)>,
}

impl Styled {
    pub fn new() -> Self {
        Styled::default()
    }

    pub fn push(&mut self, style: Style, text: &str) {
        let text = crate::text::visible(text);
        match self.pieces.last_mut() {
            Some((s, t)) if *s == style => t.push_str(&text),
            _ => self.pieces.push((style, text.into_owned())),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.pieces.iter().all(|(_, t)| t.trim().is_empty())
    }

    /// Words with their styles; a word may span pieces (`[the` is a mark and a word), so
    /// words are sequences of styled parts.
    fn words(&self) -> Vec<Vec<(Style, &str)>> {
        let mut words: Vec<Vec<(Style, &str)>> = Vec::new();
        let mut open = false;
        for (style, text) in &self.pieces {
            let mut rest = text.as_str();
            while !rest.is_empty() {
                let ws = rest.len() - rest.trim_start().len();
                if ws > 0 {
                    open = false;
                    rest = &rest[ws..];
                    continue;
                }
                let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
                let (word, tail) = rest.split_at(end);
                match words.last_mut() {
                    Some(w) if open => w.push((*style, word)),
                    _ => words.push(vec![(*style, word)]),
                }
                open = true;
                rest = tail;
            }
        }
        words
    }

    /// Lines of at most `width` columns; the first starts with `first`, the others with
    /// `indent` spaces. A word longer than a line is cut. Styles are opened where they change
    /// and closed at the end of every line, so a cut line never bleeds colour.
    pub fn wrap(&self, width: usize, first: &str, indent: usize) -> String {
        self.wrap_after(width, first, UnicodeWidthStr::width(first), indent)
    }

    /// `wrap` after a first-line prefix that is `first_cols` columns wide on screen (it may
    /// hold style codes of its own).
    pub fn wrap_after(
        &self,
        width: usize,
        first: &str,
        first_cols: usize,
        indent: usize,
    ) -> String {
        let mut out = Out {
            text: String::new(),
            current: None,
        };
        let pad = " ".repeat(indent);
        out.text.push_str(first);
        let mut col = first_cols;
        let mut line_has_words = false;
        let room = width.saturating_sub(indent).max(10);
        for word in self.words() {
            let w: usize = word.iter().map(|(_, t)| columns(t)).sum();
            if line_has_words && col + 1 + w > indent + room {
                out.newline(&pad);
                col = indent;
            } else if line_has_words {
                out.space();
                col += 1;
            } else if col < indent {
                out.plain(&" ".repeat(indent - col));
                col = indent;
            }
            // A word that fits is written part by part; only a word longer than the room
            // left is measured character by character, to be cut.
            if col + w <= indent + room {
                for (style, text) in word {
                    out.styled_str(style, text);
                }
                col += w;
                line_has_words = true;
                continue;
            }
            for (style, text) in word {
                for c in text.chars() {
                    let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
                    if col + cw > indent + room && col > indent {
                        out.newline(&pad);
                        col = indent;
                    }
                    out.styled(style, c);
                    col += cw;
                }
            }
            line_has_words = true;
        }
        out.close();
        out.text
    }
}

/// Terminal columns of `text`: one per byte for printable ASCII, the drafts' usual words.
fn columns(text: &str) -> usize {
    if text.bytes().all(|b| (b' '..=b'~').contains(&b)) {
        text.len()
    } else {
        UnicodeWidthStr::width(text)
    }
}

struct Out {
    text: String,
    current: Option<Style>,
}

impl Out {
    fn close(&mut self) {
        if let Some(style) = self.current.take() {
            let _ = write!(self.text, "{}", style.render_reset());
        }
    }

    fn plain(&mut self, s: &str) {
        self.close();
        self.text.push_str(s);
    }

    /// A space between words keeps the current colour (fewer codes), unless the style would
    /// show on a blank (underline, inverse).
    fn space(&mut self) {
        if self.current.is_some_and(|s| {
            let e = s.get_effects();
            e.contains(Effects::UNDERLINE)
                || e.contains(Effects::INVERT)
                || e.contains(Effects::STRIKETHROUGH)
        }) {
            self.close();
        }
        self.text.push(' ');
    }

    fn newline(&mut self, pad: &str) {
        self.close();
        self.text.push('\n');
        self.text.push_str(pad);
    }

    /// `styled` of each character of `text`, in one go.
    fn styled_str(&mut self, style: Style, text: &str) {
        if let Some(c) = text.chars().next() {
            self.styled(style, c);
            self.text.push_str(&text[c.len_utf8()..]);
        }
    }

    fn styled(&mut self, style: Style, c: char) {
        if self.current != Some(style) {
            self.close();
            if style != Style::new() {
                let _ = write!(self.text, "{}", style.render());
                self.current = Some(style);
            }
        }
        self.text.push(c);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strip(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                for d in chars.by_ref() {
                    if d == 'm' {
                        break;
                    }
                }
            } else {
                out.push(c);
            }
        }
        out
    }

    #[test]
    fn wraps_with_a_hanging_indent() {
        let mut s = Styled::new();
        s.push(
            Style::new(),
            "one two three four five six seven eight nine ten",
        );
        let text = strip(&s.wrap(20, "PP1   ", 6));
        for line in text.lines() {
            assert!(line.chars().count() <= 20, "{line:?}");
        }
        assert!(text.starts_with("PP1   one two"));
        assert!(text.lines().skip(1).all(|l| l.starts_with("      ")));
    }

    #[test]
    fn wide_characters_count_double() {
        let mut s = Styled::new();
        s.push(Style::new(), "智能城市 智能城市 智能城市 智能城市");
        let text = s.wrap(20, "", 0);
        for line in text.lines() {
            assert!(UnicodeWidthStr::width(line) <= 20, "{line:?}");
        }
    }

    #[test]
    fn styles_survive_compaction() {
        let mut s = Styled::new();
        let red = anstyle::AnsiColor::Red.on_default();
        s.push(red, "red words");
        s.push(Style::new(), " plain");
        let out = s.wrap(80, "", 0);
        assert_eq!(strip(&out), "red words plain");
        assert!(out.contains(&format!("{}", red.render())));
        assert!(out.len() < 40, "{out:?}");
    }

    #[test]
    fn control_characters_are_made_visible() {
        let mut s = Styled::new();
        s.push(Style::new(), "evil\u{1b}]0;title\u{7}");
        assert!(!s.wrap(80, "", 0).contains('\u{7}'));
    }
}
