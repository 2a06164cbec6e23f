//! The inside of an attribution group: `USA+ FRA-`, `CRI+, CHL+, IND reserve`, `FRA Delete`,
//! `CMR reserve OP1a to e, to adapt principles language`, `FRA suggest to move ...`.

use super::Diags;
use crate::actors::Actors;
use crate::model::{Note, Position, Severity, Span, Stance};

#[derive(Clone, Copy)]
struct Token<'a> {
    text: &'a str,
    span: Span,
}

/// Tokens of a group's content, split at white space, commas and semicolons. An iterator, so
/// that reading a group allocates nothing of its own.
#[derive(Clone)]
struct Tokens<'a> {
    content: &'a str,
    base: usize,
    at: usize,
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        let start = self.separator_run(self.at);
        if start >= self.content.len() {
            self.at = start;
            return None;
        }
        // Byte by byte through ASCII; a character is decoded only where one starts.
        let bytes = self.content.as_bytes();
        let mut end = start;
        while let Some(&b) = bytes.get(end) {
            if b < 0x80 {
                if is_ascii_separator(b) {
                    break;
                }
                end += 1;
            } else {
                match self.content.get(end..).and_then(|rest| rest.chars().next()) {
                    Some(c) if c.is_whitespace() => break,
                    Some(c) => end += c.len_utf8(),
                    None => end += 1,
                }
            }
        }
        self.at = end;
        Some(Token {
            text: &self.content[start..end],
            span: Span::new(self.base + start, self.base + end),
        })
    }
}

impl Tokens<'_> {
    /// Length of the separator at byte `at` (white space, including Word's no-break space, a
    /// comma or a semicolon), or 0. ASCII is decided from the byte alone.
    fn separator_len(&self, at: usize) -> usize {
        match self.content.as_bytes().get(at) {
            Some(&b) if is_ascii_separator(b) => 1,
            Some(b) if *b >= 0x80 => match self.content[at..].chars().next() {
                Some(c) if c.is_whitespace() => c.len_utf8(),
                _ => 0,
            },
            _ => 0,
        }
    }

    fn separator_run(&self, mut at: usize) -> usize {
        while at < self.content.len() {
            match self.separator_len(at) {
                0 => break,
                n => at += n,
            }
        }
        at
    }
}

fn is_ascii_separator(b: u8) -> bool {
    matches!(
        b,
        b' ' | b'\t' | b'\n' | b'\r' | b',' | b';' | b'\x0b' | b'\x0c'
    )
}

fn tokens(content: &str, base: usize) -> Tokens<'_> {
    Tokens {
        content,
        base,
        at: 0,
    }
}

const SIGNS: [(char, Stance); 4] = [
    ('+', Stance::Support),
    ('-', Stance::Oppose),
    ('\u{2013}', Stance::Oppose), // en dash, as Word types it
    ('\u{2212}', Stance::Oppose), // minus sign
];

fn sign(c: char) -> Option<Stance> {
    SIGNS.iter().find(|(s, _)| *s == c).map(|(_, st)| *st)
}

/// `USA`, `G77`, `Chair`, `Co-facs`: a token that can stand for an actor.
fn code_like(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && s.len() <= 20
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '&' | '/' | '.'))
}

/// Upper-case codes that look deliberate even when unknown (`XYZ`), as opposed to a word.
fn looks_like_unknown_code(s: &str) -> bool {
    (2..=8).contains(&s.len())
        && s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

/// A position written with a sign: `USA+`, `usa+`, `FRA–`.
fn signed(token: &str) -> Option<(&str, Stance)> {
    let last = token.chars().next_back()?;
    let stance = sign(last)?;
    let head = &token[..token.len() - last.len_utf8()];
    code_like(head).then_some((head, stance))
}

pub(super) struct Attribution {
    pub positions: Vec<Position>,
    pub note: Option<Note>,
}

/// Reads the content of `{...}` (or of `[...]` typed for braces) starting at byte `base`.
pub(super) fn parse(content: &str, base: usize, actors: &Actors, diags: &mut Diags) -> Attribution {
    let mut toks = tokens(content, base).peekable();
    let first = toks.peek().copied();
    let mut positions = Vec::new();
    let mut rest_at = None;
    while let Some(tok) = toks.next() {
        // `USA+`
        if let Some((head, stance)) = signed(tok.text) {
            let Some(actor) = resolve(head, tok.span, actors, diags, true, true) else {
                rest_at = Some(tok.span.start);
                break;
            };
            positions.push(position(actor, stance, tok.span));
            continue;
        }
        // `USA +`, `USA reserve`
        if code_like(tok.text)
            && let Some(next) = toks.peek().copied()
        {
            let mut chars = next.text.chars();
            let stance = match (chars.next(), chars.next()) {
                (Some(c), None) => sign(c),
                _ => Stance::from_word(next.text),
            };
            // `Foo reserve` ending its item of the list is a position by an unknown actor, like
            // `XYZ+`; `Language supported by ...` goes on, so it stays free text.
            let named = tok.text.starts_with(|c: char| c.is_ascii_uppercase())
                && ends_an_item(content, next.span.end - base);
            if let Some(stance) = stance
                && let Some(actor) = resolve(tok.text, tok.span, actors, diags, false, named)
            {
                positions.push(position(
                    actor,
                    stance,
                    Span::new(tok.span.start, next.span.end),
                ));
                toks.next();
                continue;
            }
        }
        rest_at = Some(tok.span.start);
        break;
    }
    let rest = rest_at.map(|at| content[at - base..].trim_end());
    let note = match rest {
        None => None,
        Some(text) if positions.is_empty() => {
            let actor = first
                .and_then(|t| actors.resolve(t.text.trim_end_matches(':')))
                .map(|a| a.code.clone());
            Some(Note {
                actor,
                text: text.to_string(),
            })
        }
        Some(text) => {
            // The rest is by the actor it starts with (`USA+, Chair suggest ...`); else it
            // explains the position it directly follows (`CMR reserve OP1a to e, ...`). After
            // a comma it is a new item of the list, by no one named: never by the delegation
            // before it (`CHN+, the Chair notes this`).
            let at = rest_at.unwrap_or(base) - base;
            let named = text
                .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
                .next()
                .and_then(|w| actors.resolve(w.trim_end_matches(':')))
                .map(|a| a.code.clone());
            let explains = positions
                .last()
                .filter(|p| {
                    content
                        .get(p.span.end.saturating_sub(base)..at)
                        .is_some_and(|between| !between.contains([',', ';']))
                })
                .map(|p| p.actor.clone());
            Some(Note {
                actor: named.or(explains),
                text: text.to_string(),
            })
        }
    };
    if first.is_none() {
        diags.push(
            Span::new(base.saturating_sub(1), base + content.len() + 1),
            Severity::Warning,
            "empty-group",
            "empty attribution group `{}`".into(),
        );
    }
    Attribution { positions, note }
}

fn position(actor: String, stance: Stance, span: Span) -> Position {
    Position {
        actor,
        stance,
        proposer: false,
        span,
    }
}

/// Whether the group's content from byte `at` on holds nothing before the end of the group
/// or the next `,` or `;`.
fn ends_an_item(content: &str, at: usize) -> bool {
    content
        .get(at..)
        .and_then(|rest| rest.trim_start().chars().next())
        .is_none_or(|c| c == ',' || c == ';')
}

/// The canonical code for `written`, or `written` itself with a warning when it is unknown but
/// clearly meant as a code (`signed`, `named`). `None` when the token is a word, not a code.
fn resolve(
    written: &str,
    span: Span,
    actors: &Actors,
    diags: &mut Diags,
    signed: bool,
    named: bool,
) -> Option<String> {
    let found = if signed {
        actors.resolve_any_case(written)
    } else {
        actors.resolve(written)
    };
    if let Some(actor) = found {
        return Some(actor.code.clone());
    }
    if signed || named || looks_like_unknown_code(written) {
        diags.push(
            Span::new(span.start, span.start + written.len()),
            Severity::Warning,
            "unknown-actor",
            format!("unknown actor code `{written}` (not an ISO 3166 country code, group or role; add it to .brackets.toml if it is one)"),
        );
        return Some(written.to_string());
    }
    None
}

/// Whether `[...]` content is an attribution typed with square brackets: every token a signed
/// position. Returns the unknown codes, if any, so the caller can tell a truncated line
/// (`[MR+]`) from a real attribution (`[MAR+]`).
pub(super) fn square_attribution<'a>(content: &'a str, actors: &Actors) -> Option<Vec<&'a str>> {
    if content.len() > 80 || content.trim().is_empty() {
        return None;
    }
    let mut unknown = Vec::new();
    for tok in tokens(content, 0) {
        let (head, _) = signed(tok.text)?;
        if actors.resolve_any_case(head).is_none() {
            unknown.push(head);
        }
    }
    Some(unknown)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(content: &str) -> (Vec<(String, Stance)>, Option<Note>, Vec<&'static str>) {
        let mut diags = Diags::default();
        let a = parse(content, 0, Actors::builtin(), &mut diags);
        (
            a.positions
                .into_iter()
                .map(|p| (p.actor, p.stance))
                .collect(),
            a.note,
            diags.items.iter().map(|d| d.code).collect(),
        )
    }

    fn pos(list: &[(&str, Stance)]) -> Vec<(String, Stance)> {
        list.iter().map(|(a, s)| (a.to_string(), *s)).collect()
    }

    #[test]
    fn signs_commas_and_spaces() {
        use Stance::*;
        assert_eq!(
            read("USA+ FRA-").0,
            pos(&[("USA", Support), ("FRA", Oppose)])
        );
        assert_eq!(
            read("USA+, FRA+").0,
            pos(&[("USA", Support), ("FRA", Support)])
        );
        assert_eq!(
            read("TZA+, NGA-, ").0,
            pos(&[("TZA", Support), ("NGA", Oppose)])
        );
        assert_eq!(
            read("USA +, FRA \u{2013}").0,
            pos(&[("USA", Support), ("FRA", Oppose)])
        );
        assert_eq!(read("Chair+").0, pos(&[("Chair", Support)]));
    }

    #[test]
    fn stance_words() {
        use Stance::*;
        assert_eq!(
            read("CRI+, CHL+, IND reserve, RUS reserve").0,
            pos(&[
                ("CRI", Support),
                ("CHL", Support),
                ("IND", Reserve),
                ("RUS", Reserve)
            ])
        );
        assert_eq!(
            read("ARG reserve, FRA Delete").0,
            pos(&[("ARG", Reserve), ("FRA", Delete)])
        );
    }

    #[test]
    fn reservation_with_an_explanation() {
        let (positions, note, _) = read("CMR reserve OP1a to e, to adapt principles language");
        assert_eq!(positions, pos(&[("CMR", Stance::Reserve)]));
        let note = note.unwrap();
        assert_eq!(note.actor.as_deref(), Some("CMR"));
        assert_eq!(note.text, "OP1a to e, to adapt principles language");
    }

    #[test]
    fn free_text_notes() {
        let (positions, note, diags) = read("FRA suggest to move as last preambular para");
        assert!(positions.is_empty());
        assert_eq!(note.as_ref().unwrap().actor.as_deref(), Some("FRA"));
        assert!(diags.is_empty());
        let (_, note, _) = read("placeholder name of resolution RUS");
        assert_eq!(note.unwrap().actor, None);
        let (_, note, _) = read("can be merged with OP3");
        assert_eq!(note.unwrap().actor, None, "`can` is a word, not Canada");
    }

    #[test]
    fn unknown_codes_are_kept_and_reported() {
        let (positions, _, diags) = read("XYZ+, USA-");
        assert_eq!(
            positions,
            pos(&[("XYZ", Stance::Support), ("USA", Stance::Oppose)])
        );
        assert_eq!(diags, vec!["unknown-actor"]);
    }

    #[test]
    fn a_name_with_a_stance_word_ending_its_item_is_a_position() {
        use Stance::*;
        let (positions, note, diags) = read("XYZ+, QQ-, Foo reserve");
        assert_eq!(
            positions,
            pos(&[("XYZ", Support), ("QQ", Oppose), ("Foo", Reserve)])
        );
        assert!(note.is_none());
        assert_eq!(diags, ["unknown-actor"; 3]);
        // The sentence goes on: free text, by no one.
        let (positions, note, diags) = read("Language supported by many delegations");
        assert!(positions.is_empty() && diags.is_empty());
        assert_eq!(note.unwrap().actor, None);
    }

    #[test]
    fn square_brackets_typed_for_braces() {
        assert_eq!(square_attribution("MAR+", Actors::builtin()), Some(vec![]));
        assert_eq!(
            square_attribution("MR+", Actors::builtin()),
            Some(vec!["MR"])
        );
        assert_eq!(square_attribution("existing", Actors::builtin()), None);
        assert_eq!(square_attribution("-", Actors::builtin()), None);
    }
}
