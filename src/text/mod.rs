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

/// A bracket's text quoted in a one-line account of what became of it: `"[text]"`, or its first
/// `max` characters cut after a whole word with `…` (`"[… of the World Summit…]"`, never
/// `"[… World Su…]"`). A first word longer than half the room is cut inside.
pub fn quote_bracket(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return format!("\"[{text}]\"");
    }
    let room = max.saturating_sub(1);
    let end = text.char_indices().nth(room).map_or(text.len(), |(i, _)| i);
    let head = &text[..end];
    let mid_word =
        head.ends_with(char::is_alphanumeric) && text[end..].starts_with(char::is_alphanumeric);
    let cut = match head.rfind(char::is_whitespace) {
        Some(space) if mid_word && head[..space].chars().count() * 2 >= room => &head[..space],
        _ => head,
    };
    let cut = cut.trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':'));
    format!("\"[{cut}…]\"")
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
    use super::{quote_bracket, visible};

    #[test]
    fn a_quoted_bracket_is_cut_after_a_whole_word() {
        assert_eq!(quote_bracket("  short text ", 70), "\"[short text]\"");
        let wsis = ", in line with the outcomes of the World Summit on the Information Society";
        assert_eq!(
            quote_bracket(wsis, 70),
            "\"[, in line with the outcomes of the World Summit on the Information…]\""
        );
        // Cut right at the end of a word: the word stays, the comma after it goes.
        assert_eq!(
            quote_bracket("alpha beta, gamma delta", 11),
            "\"[alpha beta…]\""
        );
        // One long word: cut inside, as nothing else would fit.
        assert_eq!(quote_bracket("abcdefghijklmnop", 8), "\"[abcdefg…]\"");
        // Characters, not bytes: no panic and no split inside a character.
        assert_eq!(quote_bracket("éééé éééé éééé", 10), "\"[éééé éééé…]\"");
        assert_eq!(
            quote_bracket("أمن السكان وتمتعهم بحقوق الإنسان", 12),
            "\"[أمن السكان…]\""
        );
        assert_eq!(quote_bracket("x", 0), "\"[…]\"");
    }

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
