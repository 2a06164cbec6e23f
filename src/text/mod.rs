//! Text from drafts, commit messages and comments is untrusted: before it reaches a terminal,
//! control characters and bidirectional overrides are made visible.

use std::borrow::Cow;

/// Characters that would move the cursor, change colours or reorder text on a terminal.
fn hidden(c: char) -> bool {
    (c.is_control() && c != '\n' && c != '\t')
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}' | '\u{FEFF}')
}

/// `s` with every control character shown as a visible escape: ESC as `^[`, other C0 characters
/// in caret notation, C1 and bidirectional controls as `<U+202E>`. Tabs and newlines stay.
pub fn visible(s: &str) -> Cow<'_, str> {
    if !s.chars().any(hidden) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if !hidden(c) {
            out.push(c);
        } else if (c as u32) < 0x20 {
            out.push('^');
            out.push(char::from(b'@' + c as u8));
        } else if c == '\u{7f}' {
            out.push_str("^?");
        } else {
            out.push_str(&format!("<U+{:04X}>", c as u32));
        }
    }
    Cow::Owned(out)
}

/// `s` cut to `max` terminal columns, with `…` when cut (wide characters count two).
pub fn fit(s: &str, max: usize) -> String {
    use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};
    if UnicodeWidthStr::width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw + 1 > max {
            break;
        }
        out.push(c);
        w += cw;
    }
    if max > 0 {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::visible;

    #[test]
    fn control_sequences_are_shown_not_run() {
        assert_eq!(visible("plain [text] {USA+}"), "plain [text] {USA+}");
        assert_eq!(visible("a\u{1b}[31mred"), "a^[[31mred");
        assert_eq!(visible("bell\u{7}"), "bell^G");
        assert_eq!(visible("x\u{9b}y"), "x<U+009B>y");
        assert_eq!(visible("abc\u{202E}def"), "abc<U+202E>def");
        assert_eq!(visible("tab\tand\nnewline"), "tab\tand\nnewline");
    }
}
