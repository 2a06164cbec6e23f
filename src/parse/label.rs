//! Paragraph labels as drafts write them: `4.`, `4bis`, `7.bis`, `a.`, `(b)`, `(iv)`,
//! `Alt1. d`, `Alt 1.e`, and the numbers of headings: `2.1.1`, `Article 4`.

use crate::model::Span;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelKind {
    /// `4.`, `4bis`, `7.bis`, `3 ter`.
    Number {
        number: u32,
        suffix: Option<&'static str>,
    },
    /// `a.`, `(b)`, `<u>c.</u>`, `(iv)`.
    Letter {
        letter: String,
        suffix: Option<&'static str>,
    },
    /// `Alt1. d`, `Alt 1.e`, `Option 2:`; `letter` names the sub-paragraph it stands for.
    Alternative { letter: Option<(char, Span)> },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub kind: LabelKind,
    pub span: Span,
}

/// The Latin suffixes of inserted paragraphs (`4bis`, `7.ter`), in order.
pub const SUFFIXES: [&str; 9] = [
    "bis",
    "ter",
    "quater",
    "quinquies",
    "sexies",
    "septies",
    "octies",
    "novies",
    "decies",
];

fn is_label_end(rest: &[u8]) -> bool {
    match rest.first() {
        None => true,
        Some(b) => b.is_ascii_whitespace() || matches!(b, b'<' | b'*' | b'[' | b'_'),
    }
}

fn digits(s: &[u8]) -> usize {
    s.iter().take_while(|b| b.is_ascii_digit()).count()
}

fn suffix_at(s: &[u8]) -> Option<(&'static str, usize)> {
    SUFFIXES.iter().find_map(|suffix| {
        let n = suffix.len();
        let head = s.get(..n)?;
        let after = s.get(n).copied();
        (head.eq_ignore_ascii_case(suffix.as_bytes())
            && !after.is_some_and(|b| b.is_ascii_alphabetic()))
        .then_some((*suffix, n))
    })
}

/// Reads a label at the start of `text`, which starts at byte `base` of the source.
pub fn read(text: &str, base: usize) -> Option<Label> {
    let s = text.as_bytes();
    read_number(s)
        .or_else(|| read_alternative(s, base))
        .or_else(|| read_letter(s))
        .map(|(kind, len)| {
            let kind = match kind {
                LabelKind::Alternative { letter } => LabelKind::Alternative {
                    letter: letter.map(|(c, sp)| (c, Span::new(sp.start + base, sp.end + base))),
                },
                k => k,
            };
            Label {
                kind,
                span: Span::new(base, base + len),
            }
        })
}

fn read_number(s: &[u8]) -> Option<(LabelKind, usize)> {
    let n = digits(s);
    // No real text has ten thousand paragraphs; a longer number is running text.
    if n == 0 || n > 4 {
        return None;
    }
    let number: u32 = std::str::from_utf8(&s[..n]).ok()?.parse().ok()?;
    let mut i = n;
    let mut dotted = false;
    if s.get(i) == Some(&b'.') {
        dotted = true;
        i += 1;
    }
    // `7.bis`, `4bis`, `4 bis`
    let mut j = i;
    if s.get(j) == Some(&b' ') {
        j += 1;
    }
    if let Some((suffix, len)) = suffix_at(&s[j..]) {
        let mut end = j + len;
        if matches!(s.get(end), Some(b'.' | b')' | b':')) {
            end += 1;
        }
        return is_label_end(&s[end..]).then_some((
            LabelKind::Number {
                number,
                suffix: Some(suffix),
            },
            end,
        ));
    }
    if !dotted {
        if s.get(i) == Some(&b')') {
            i += 1;
        } else {
            return None;
        }
    }
    is_label_end(&s[i..]).then_some((
        LabelKind::Number {
            number,
            suffix: None,
        },
        i,
    ))
}

fn is_roman(word: &[u8]) -> bool {
    word.len() <= 6 && word.iter().all(|b| matches!(b, b'i' | b'v' | b'x' | b'l'))
}

fn read_letter(s: &[u8]) -> Option<(LabelKind, usize)> {
    let paren = s.first() == Some(&b'(');
    let start = usize::from(paren);
    let len = s[start..]
        .iter()
        .take_while(|b| b.is_ascii_lowercase())
        .count();
    let word = &s[start..start + len];
    if len == 0 || (len > 1 && !is_roman(word)) {
        return None;
    }
    let mut i = start + len;
    let mut suffix = None;
    if s.get(i) == Some(&b' ')
        && let Some((sfx, n)) = suffix_at(&s[i + 1..])
    {
        suffix = Some(sfx);
        i += 1 + n;
    }
    match (paren, s.get(i)) {
        (true, Some(b')')) | (false, Some(b'.' | b')')) => i += 1,
        _ => return None,
    }
    let letter = String::from_utf8_lossy(word).into_owned();
    is_label_end(&s[i..]).then_some((LabelKind::Letter { letter, suffix }, i))
}

fn read_alternative(s: &[u8], _base: usize) -> Option<(LabelKind, usize)> {
    let (word_len, needs_number) = if s.starts_with(b"Alternative") {
        (11, true)
    } else if s.starts_with(b"Option") {
        (6, true)
    } else if s.starts_with(b"Alt") || s.starts_with(b"ALT") {
        (3, false)
    } else {
        return None;
    };
    let mut i = word_len;
    if s.get(i).is_some_and(|b| b.is_ascii_alphabetic()) {
        return None; // "Although", "Options"
    }
    if s.get(i) == Some(&b'.') {
        i += 1;
    }
    while s.get(i) == Some(&b' ') {
        i += 1;
    }
    let n = digits(&s[i..]);
    if needs_number && n == 0 {
        return None;
    }
    i += n;
    if matches!(s.get(i), Some(b'.' | b':' | b')')) {
        i += 1;
    }
    let mut end = i;
    let mut j = i;
    while s.get(j) == Some(&b' ') {
        j += 1;
    }
    let mut letter = None;
    if let Some(&c) = s.get(j)
        && c.is_ascii_lowercase()
    {
        let mut k = j + 1;
        if matches!(s.get(k), Some(b'.' | b')')) {
            k += 1;
        }
        if is_label_end(&s[k..]) && !s.get(j + 1).is_some_and(|b| b.is_ascii_alphabetic()) {
            letter = Some((c as char, Span::new(j, j + 1)));
            end = k;
        }
    }
    if n == 0 && letter.is_none() && !is_label_end(&s[end..]) {
        return None;
    }
    is_label_end(&s[end..]).then_some((LabelKind::Alternative { letter }, end))
}

/// The number of a numbered heading: `2.1.1 Shared prosperity` gives `2.1.1`,
/// `Article 4` gives `Art4`. `multi_level_only` refuses a single number (`1. Requests`),
/// which in a plain line is an operative paragraph, not a heading.
pub fn heading_number(text: &str, multi_level_only: bool) -> Option<(String, usize)> {
    let s = text.as_bytes();
    for word in ["Article", "ARTICLE", "Art."] {
        if let Some(rest) = s.strip_prefix(word.as_bytes()) {
            let spaces = rest.iter().take_while(|b| **b == b' ').count();
            let n = digits(&rest[spaces..]);
            if (spaces > 0 || word == "Art.") && n > 0 {
                let number = std::str::from_utf8(&rest[spaces..spaces + n]).ok()?;
                return Some((format!("Art{number}"), word.len() + spaces + n));
            }
        }
    }
    let mut i = 0;
    let mut levels = 0;
    loop {
        let n = digits(&s[i..]);
        if n == 0 || n > 3 {
            break;
        }
        i += n;
        levels += 1;
        if s.get(i) == Some(&b'.') && s.get(i + 1).is_some_and(|b| b.is_ascii_digit()) {
            i += 1;
        } else {
            break;
        }
    }
    if levels == 0 || (multi_level_only && levels < 2) {
        return None;
    }
    let number = std::str::from_utf8(&s[..i]).ok()?.to_string();
    if s.get(i) == Some(&b'.') {
        i += 1;
    }
    let spaces = s[i..].iter().take_while(|b| **b == b' ').count();
    if spaces == 0 || !s.get(i + spaces).is_some_and(|b| b.is_ascii_uppercase()) {
        return None;
    }
    Some((number, i + spaces))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(text: &str) -> Option<LabelKind> {
        read(text, 0).map(|l| l.kind)
    }

    fn number(n: u32, suffix: Option<&'static str>) -> Option<LabelKind> {
        Some(LabelKind::Number { number: n, suffix })
    }

    #[test]
    fn operative_numbers_and_bis() {
        assert_eq!(kind("1. Requests"), number(1, None));
        assert_eq!(kind("4bis [Invites]"), number(4, Some("bis")));
        assert_eq!(kind("7.bis Noting"), number(7, Some("bis")));
        assert_eq!(kind("3 ter. Decides"), number(3, Some("ter")));
        assert_eq!(kind("12) Decides"), number(12, None));
        assert_eq!(read("7.bis Noting", 10).unwrap().span, Span::new(10, 15));
    }

    #[test]
    fn numbers_in_running_text_are_not_labels() {
        assert_eq!(kind("2030 Agenda"), None);
        assert_eq!(kind("17.6 and 17.8"), None);
        assert_eq!(kind("2/1. International"), None);
        assert_eq!(kind("1.5 degrees"), None);
    }

    #[test]
    fn letters() {
        let letter = |l: &str| {
            Some(LabelKind::Letter {
                letter: l.into(),
                suffix: None,
            })
        };
        assert_eq!(kind("a. Ensuring"), letter("a"));
        assert_eq!(kind("(b) Ensuring"), letter("b"));
        assert_eq!(kind("b.</u> Ensuring"), letter("b"));
        assert_eq!(kind("(iv) Ensuring"), letter("iv"));
        assert_eq!(kind("though the"), None);
        assert_eq!(kind("ab. x"), None);
    }

    #[test]
    fn alternatives() {
        let alt = |t: &str| match kind(t) {
            Some(LabelKind::Alternative { letter }) => Some(letter.map(|(c, _)| c)),
            _ => None,
        };
        assert_eq!(alt("Alt1. d Multilevel"), Some(Some('d')));
        assert_eq!(alt("Alt 1.e Economic"), Some(Some('e')));
        assert_eq!(alt("Alt 2 Requests"), Some(None));
        assert_eq!(alt("Option 1: Decides"), Some(None));
        assert_eq!(alt("Although"), None);
        assert_eq!(alt("Options for"), None);
        assert_eq!(alt("Alternative approaches"), None);
    }

    #[test]
    fn heading_numbers() {
        assert_eq!(
            heading_number("2.1.1 Shared Prosperity", true),
            Some(("2.1.1".into(), 6))
        );
        assert_eq!(heading_number("1. Introduction", true), None);
        assert_eq!(
            heading_number("1. Introduction", false),
            Some(("1".into(), 3))
        );
        assert_eq!(heading_number("Article 4", true), Some(("Art4".into(), 9)));
        assert_eq!(heading_number("17.6 and", true), None);
        assert_eq!(heading_number("2030 Agenda", false), None);
    }
}
