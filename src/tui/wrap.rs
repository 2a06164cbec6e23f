//! Styled text for the buffer: untrusted text made visible, then word-wrapped to a width with a
//! hanging indent. Wrapping here (rather than in ratatui's `Paragraph`) tells the Read view on
//! which line each paragraph starts, which scrolling and jumping need.

use ratatui::style::Style;
use ratatui::text::{Line, Span};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Untrusted text for one line: control characters made visible, line breaks and tabs read
/// as spaces.
pub fn clean(s: &str) -> String {
    crate::text::visible(s)
        .chars()
        .map(|c| {
            if c == '\n' || c == '\t' || c == '\r' {
                ' '
            } else {
                c
            }
        })
        .collect()
}

pub use crate::text::fit;

/// A run of styled text being built.
#[derive(Debug, Default, Clone)]
pub struct Styled {
    pub parts: Vec<(String, Style)>,
}

impl Styled {
    pub fn new() -> Self {
        Styled::default()
    }

    /// Appends untrusted text: control characters are made visible first.
    pub fn push(&mut self, style: Style, text: &str) {
        if text.is_empty() {
            return;
        }
        let text = crate::text::visible(text);
        match self.parts.last_mut() {
            Some((last, s)) if *s == style => last.push_str(&text),
            _ => self.parts.push((text.into_owned(), style)),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.parts.iter().all(|(t, _)| t.trim().is_empty())
    }

    /// One line, not wrapped (white space collapsed).
    pub fn line(&self) -> Line<'static> {
        let mut out = Vec::new();
        for (text, style) in &self.parts {
            out.push(Span::styled(clean(text), *style));
        }
        Line::from(out)
    }

    /// Word-wrapped to `width` columns. `first` is drawn at the start of the first line (an
    /// id, a marker) and every other line is indented by `indent` columns. Runs of white space
    /// collapse to one space.
    pub fn wrap(
        &self,
        width: usize,
        first: Vec<Span<'static>>,
        indent: usize,
    ) -> Vec<Line<'static>> {
        let mut w = Wrapper {
            width: width.max(indent + 8).max(1),
            indent,
            col: first.iter().map(Span::width).sum(),
            current: first,
            lines: Vec::new(),
            at_start: true,
        };
        // A word may be made of several styled pieces (`{`, `RUS delete`): it is laid out
        // whole, so a line never breaks inside it.
        let mut space = false;
        let mut word: Vec<(&str, Style)> = Vec::new();
        for (text, style) in &self.parts {
            let mut word_start: Option<usize> = None;
            for (i, c) in text.char_indices() {
                if c.is_whitespace() {
                    if let Some(s) = word_start.take() {
                        word.push((&text[s..i], *style));
                    }
                    if !word.is_empty() {
                        w.word(&word, space);
                        word.clear();
                    }
                    space = true;
                } else if word_start.is_none() {
                    word_start = Some(i);
                }
            }
            if let Some(s) = word_start {
                word.push((&text[s..], *style));
            }
        }
        if !word.is_empty() {
            w.word(&word, space);
        }
        w.lines.push(Line::from(w.current));
        w.lines
    }
}

struct Wrapper {
    width: usize,
    indent: usize,
    col: usize,
    current: Vec<Span<'static>>,
    lines: Vec<Line<'static>>,
    at_start: bool,
}

impl Wrapper {
    fn break_line(&mut self) {
        self.lines
            .push(Line::from(std::mem::take(&mut self.current)));
        self.current.push(Span::raw(" ".repeat(self.indent)));
        self.col = self.indent;
        self.at_start = true;
    }

    fn word(&mut self, pieces: &[(&str, Style)], space: bool) {
        let w: usize = pieces.iter().map(|(p, _)| UnicodeWidthStr::width(*p)).sum();
        let gap = usize::from(space && !self.at_start);
        if !self.at_start && self.col + gap + w > self.width {
            self.break_line();
        }
        if space && !self.at_start {
            let style = pieces.first().map_or(Style::new(), |(_, s)| *s);
            self.current.push(Span::styled(" ", style));
            self.col += 1;
        }
        for (piece, style) in pieces {
            self.piece(piece, *style);
        }
        self.at_start = false;
    }

    /// Part of a word; longer than the line, it is cut where the line ends.
    fn piece(&mut self, piece: &str, style: Style) {
        let mut rest = piece;
        while self.col + UnicodeWidthStr::width(rest) > self.width && self.col < self.width {
            let mut cut = 0;
            let mut cw = self.col;
            for (i, c) in rest.char_indices() {
                let w = c.width().unwrap_or(0);
                if cw + w > self.width {
                    break;
                }
                cw += w;
                cut = i + c.len_utf8();
            }
            if cut == 0 {
                break;
            }
            self.current
                .push(Span::styled(rest[..cut].to_string(), style));
            self.break_line();
            rest = &rest[cut..];
        }
        if !rest.is_empty() {
            self.col += UnicodeWidthStr::width(rest);
            self.current.push(Span::styled(rest.to_string(), style));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(lines: &[Line<'_>]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn wraps_with_a_hanging_indent_and_shows_control_characters() {
        let mut s = Styled::new();
        s.push(
            Style::new(),
            "Recognizing the \u{1b}[31m role of   cities in",
        );
        s.push(Style::new().bold(), " sustainable development");
        let lines = s.wrap(20, vec![Span::raw("PP1 ")], 4);
        assert_eq!(
            text(&lines),
            [
                "PP1 Recognizing the",
                "    ^[[31m role of",
                "    cities in",
                "    sustainable",
                "    development"
            ]
        );
        assert_eq!(fit("abcdef", 4), "abc…");
        // A word of several styled pieces is not broken.
        let mut s = Styled::new();
        s.push(Style::new(), "aaaa bbbb {");
        s.push(Style::new().bold(), "RUS");
        s.push(Style::new(), " delete}");
        assert_eq!(text(&s.wrap(12, vec![], 0)), ["aaaa bbbb", "{RUS delete}"]);
        assert_eq!(clean("a\nb\u{7}"), "a b^G");
    }
}
