//! Drafting the next iteration: negotiation actions on a parsed draft, safe saving, and
//! committing (in `commit`). Every action is a pure function from a parsed `Document` and a
//! target to an `Edit` on its source that writes exactly the notation the parser reads back.
//! Nothing here knows about the terminal.

pub mod commit;
mod save;

pub use save::{Fingerprint, SaveError, load, save};

use crate::actors::Actors;
use crate::model::{
    Anchor, Bracket, Document, LeafKind, Level, Paragraph, SectionKind, Span, Stance,
};
use crate::parse::{MONTHS, SUFFIXES};

/// A change to a draft's source: replace `span` (byte offsets) with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    pub span: Span,
    pub replacement: String,
}

impl Edit {
    /// The source with this edit applied.
    pub fn apply(&self, source: &str) -> Result<String, ActionError> {
        let (Some(before), Some(after)) =
            (source.get(..self.span.start), source.get(self.span.end..))
        else {
            return Err(ActionError::BadRange);
        };
        if self.span.start > self.span.end {
            return Err(ActionError::BadRange);
        }
        let mut out = String::with_capacity(source.len() + self.replacement.len());
        out.push_str(before);
        out.push_str(&self.replacement);
        out.push_str(after);
        Ok(out)
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ActionError {
    #[error("no paragraph {0} in this draft")]
    NoParagraph(String),
    #[error("paragraph {paragraph} has no bracket {index}")]
    NoBracket { paragraph: String, index: usize },
    #[error("unknown actor code `{0}` (add it to .brackets.toml if it is one)")]
    UnknownActor(String),
    #[error("no actor given")]
    NoActors,
    #[error("{0} is listed twice")]
    RepeatedActor(String),
    #[error("{actor} already takes a position ({stance}) on this bracket")]
    AlreadyListed { actor: String, stance: Stance },
    #[error("a note is free text, not a position; use add_note")]
    NoteAsPosition,
    #[error("the selection is empty, outside the paragraph or not on character boundaries")]
    BadRange,
    #[error("the selection crosses the boundary of a bracket, attribution, label or stamp")]
    CrossesBoundary,
    #[error("the selection holds no words to bracket")]
    NotWords,
    #[error("the bracket is not closed in this paragraph")]
    Unclosed,
    #[error("the text must not contain brackets, braces or line breaks")]
    BadText,
    #[error("the note must not start with a position ({0}); write it as a position instead")]
    NoteLooksLikePosition(String),
    #[error("{0} already exists; insert after it instead")]
    IdExists(String),
    #[error(
        "{0}: bis paragraphs and alternatives are made for preambular and operative paragraphs and their sub-paragraphs only"
    )]
    Unsupported(String),
    #[error("{0} is agreed ad ref; remove its stamp before reopening it")]
    Agreed(String),
    #[error("{id} still holds {brackets} bracket(s); resolve them before stamping it agreed")]
    StillBracketed { id: String, brackets: usize },
    #[error("invalid date or time for the stamp")]
    BadStamp,
}

/// An actor's position to write: `USA+`, `FRA-`, `RUS reserve`, `CHE delete`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PositionSpec {
    pub actor: String,
    pub stance: Stance,
}

impl PositionSpec {
    pub fn new(actor: impl Into<String>, stance: Stance) -> Self {
        Self {
            actor: actor.into(),
            stance,
        }
    }
}

/// Where a new position goes on a bracket that already has attribution groups.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupChoice {
    /// Appended to its last group: `{USA+ FRA-}` becomes `{USA+ FRA- RUS reserve}`.
    Last,
    /// A new group after the last one: `{USA+ FRA-}{RUS reserve}`.
    New,
}

/// Accepting or dropping a bracket: the edit, and who asked, for the `Proposed-by:` trailer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    pub edit: Edit,
    pub proposed_by: String,
}

/// A new paragraph (bis or alternative): the edit and the id the parser will give it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Insertion {
    pub edit: Edit,
    pub id: String,
}

/// The date and time of an ad referendum stamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StampTime {
    pub year: u32,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
}

impl StampTime {
    /// `Ad ref 22 May 2023 12.26`, as `parse::stamp` reads it.
    pub fn notation(&self) -> Result<String, ActionError> {
        let month = self
            .month
            .checked_sub(1)
            .and_then(|m| MONTHS.get(m as usize))
            .ok_or(ActionError::BadStamp)?;
        let days = match self.month {
            2 if self.year % 4 == 0 && (self.year % 100 != 0 || self.year % 400 == 0) => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        // The parser reads years 1900..=2200 only.
        if !(1..=days).contains(&self.day)
            || !(1900..=2200).contains(&self.year)
            || self.hour > 23
            || self.minute > 59
        {
            return Err(ActionError::BadStamp);
        }
        Ok(format!(
            "Ad ref {} {month} {} {:02}.{:02}",
            self.day, self.year, self.hour, self.minute
        ))
    }
}

fn find_paragraph<'a>(doc: &'a Document, id: &str) -> Result<(usize, &'a Paragraph), ActionError> {
    doc.paragraphs
        .iter()
        .enumerate()
        .find(|(_, p)| p.id == id)
        .ok_or_else(|| ActionError::NoParagraph(id.to_string()))
}

fn find_bracket<'a>(
    doc: &'a Document,
    id: &str,
    index: usize,
) -> Result<(&'a Paragraph, &'a Bracket), ActionError> {
    let (_, p) = find_paragraph(doc, id)?;
    let b = p
        .brackets
        .get(index)
        .ok_or_else(|| ActionError::NoBracket {
            paragraph: id.to_string(),
            index,
        })?;
    Ok((p, b))
}

fn canonical(actors: &Actors, code: &str) -> Result<String, ActionError> {
    actors
        .resolve(code.trim())
        .map(|a| a.code.clone())
        .ok_or_else(|| ActionError::UnknownActor(code.to_string()))
}

/// `USA+`, `RUS reserve`.
fn position_text(actors: &Actors, spec: &PositionSpec) -> Result<(String, String), ActionError> {
    if spec.stance == Stance::Note {
        return Err(ActionError::NoteAsPosition);
    }
    let code = canonical(actors, &spec.actor)?;
    let text = format!("{code}{}", spec.stance.notation());
    Ok((code, text))
}

/// `{EGY+, USA-}` for a list of positions, each actor once.
fn group_text(actors: &Actors, positions: &[PositionSpec]) -> Result<String, ActionError> {
    if positions.is_empty() {
        return Err(ActionError::NoActors);
    }
    let mut codes: Vec<String> = Vec::with_capacity(positions.len());
    let mut parts = Vec::with_capacity(positions.len());
    for spec in positions {
        let (code, text) = position_text(actors, spec)?;
        if codes.contains(&code) {
            return Err(ActionError::RepeatedActor(code));
        }
        codes.push(code);
        parts.push(text);
    }
    Ok(format!("{{{}}}", parts.join(", ")))
}

/// The whole extent of a bracket: from `[` to the end of its last attribution group.
fn bracket_extent(p: &Paragraph, b: &Bracket) -> Option<Span> {
    let (close, _) = b.close?;
    let end = b
        .groups
        .iter()
        .filter_map(|&g| p.groups.get(g))
        .map(|g| g.span.end)
        .max()
        .unwrap_or(close.end)
        .max(close.end);
    Some(Span::new(b.open.start, end))
}

fn overlaps(a: Span, b: Span) -> bool {
    a.start < b.end && b.start < a.end
}

fn contains(outer: Span, inner: Span) -> bool {
    outer.start <= inner.start && inner.end <= outer.end
}

/// Brackets the words in `range` (byte offsets in the source, inside paragraph `id`) with an
/// attribution: `[the right to privacy] {EGY+}`. White space at either end of the selection
/// is left outside the brackets.
pub fn bracket_text(
    doc: &Document,
    actors: &Actors,
    id: &str,
    range: Span,
    positions: &[PositionSpec],
) -> Result<Edit, ActionError> {
    let (_, p) = find_paragraph(doc, id)?;
    // A bracket in agreed text contradicts its stamp (the parser warns of it).
    if p.agreed.is_some() {
        return Err(ActionError::Agreed(id.to_string()));
    }
    let src = doc.source.as_str();
    if range.start > range.end
        || !contains(p.span, range)
        || !src.is_char_boundary(range.start)
        || !src.is_char_boundary(range.end)
    {
        return Err(ActionError::BadRange);
    }
    let selected = range.of(src);
    let lead = selected.len() - selected.trim_start().len();
    let trail = selected.len() - selected.trim_end().len();
    if selected.trim().is_empty() {
        return Err(ActionError::BadRange);
    }
    let range = Span::new(range.start + lead, range.end - trail);
    // Text with no word, or only signed codes (`,`, `MAR+`), reads back as an attribution
    // typed in square brackets, not as bracketed text.
    let mut tokens = selected
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
        .filter(|t| !t.is_empty())
        .peekable();
    if tokens.peek().is_none() || tokens.all(|t| t.ends_with(['+', '-', '\u{2013}'])) {
        return Err(ActionError::NotWords);
    }
    let group = group_text(actors, positions)?;
    for b in &p.brackets {
        let Some(extent) = bracket_extent(p, b) else {
            // An unclosed bracket runs to the end of the paragraph: only text before it is safe.
            if range.end > b.open.start {
                return Err(ActionError::CrossesBoundary);
            }
            continue;
        };
        let content = b.content(p.span.end);
        if overlaps(range, extent) && !contains(range, extent) && !contains(content, range) {
            return Err(ActionError::CrossesBoundary);
        }
        // Inside the content but over a nested bracket's groups is caught by that bracket.
    }
    for leaf in &p.leaves {
        let blocked = match leaf.kind {
            LeafKind::Label | LeafKind::Stamp | LeafKind::OrphanClose(_) => true,
            LeafKind::Group(g) => p
                .groups
                .get(g)
                .is_some_and(|g| g.anchor == Anchor::Paragraph || !contains(range, leaf.span)),
            _ => false,
        };
        if blocked && overlaps(range, leaf.span) {
            return Err(ActionError::CrossesBoundary);
        }
    }
    let inner = range.of(src);
    Ok(Edit {
        span: range,
        replacement: format!("[{inner}] {group}"),
    })
}

/// Adds a position to a bracket: appended to its last attribution group, or in a new group.
pub fn add_position(
    doc: &Document,
    actors: &Actors,
    id: &str,
    bracket: usize,
    spec: &PositionSpec,
    choice: GroupChoice,
) -> Result<Edit, ActionError> {
    let (p, b) = find_bracket(doc, id, bracket)?;
    let (close, _) = b.close.ok_or(ActionError::Unclosed)?;
    let (code, text) = position_text(actors, spec)?;
    let existing = b
        .groups
        .iter()
        .filter_map(|&g| p.groups.get(g))
        .flat_map(|g| g.positions.iter())
        .find(|pos| pos.actor == code);
    if let Some(pos) = existing {
        return Err(ActionError::AlreadyListed {
            actor: code,
            stance: pos.stance,
        });
    }
    let last = b.groups.last().and_then(|&g| p.groups.get(g));
    let src = doc.source.as_str();
    match (last, choice) {
        (None, _) => Ok(Edit {
            span: Span::new(close.end, close.end),
            replacement: format!(" {{{text}}}"),
        }),
        (Some(g), GroupChoice::Last) if g.note.is_none() && !g.positions.is_empty() => {
            // After the last position, before any trailing separator and the closing brace.
            let at = g
                .positions
                .iter()
                .map(|pos| pos.span.end)
                .max()
                .unwrap_or(g.span.end);
            let inner = g.span.of(src);
            let sep = if inner.contains(',') { ", " } else { " " };
            Ok(Edit {
                span: Span::new(at, at),
                replacement: format!("{sep}{text}"),
            })
        }
        (Some(g), _) => Ok(Edit {
            span: Span::new(g.span.end, g.span.end),
            replacement: format!("{{{text}}}"),
        }),
    }
}

/// The deletions that accept or drop a bracket, as one edit over its extent.
fn resolve_bracket(
    doc: &Document,
    actors: &Actors,
    id: &str,
    bracket: usize,
    asked_by: &str,
    keep_text: bool,
) -> Result<Resolution, ActionError> {
    let (p, b) = find_bracket(doc, id, bracket)?;
    let proposed_by = canonical(actors, asked_by)?;
    let (close, _) = b.close.ok_or(ActionError::Unclosed)?;
    if b.spanning.is_some() {
        return Err(ActionError::Unclosed);
    }
    let extent = bracket_extent(p, b).ok_or(ActionError::Unclosed)?;
    let src = doc.source.as_str();
    let mut replacement = String::new();
    if keep_text {
        replacement.push_str(b.content(p.span.end).of(src));
        // Between the closing bracket and the last group: keep punctuation, drop the groups
        // and the white space that only separated them.
        for leaf in &p.leaves {
            if leaf.span.start < close.end || leaf.span.end > extent.end {
                continue;
            }
            let text = leaf.span.of(src);
            if matches!(
                leaf.kind,
                LeafKind::Text | LeafKind::Markup | LeafKind::Break
            ) && !text.trim().is_empty()
            {
                replacement.push_str(text.trim());
            }
        }
        return Ok(Resolution {
            edit: Edit {
                span: extent,
                replacement,
            },
            proposed_by,
        });
    }
    // Dropped: keep only punctuation that stood between the bracket and its groups.
    for leaf in &p.leaves {
        if leaf.span.start < close.end || leaf.span.end > extent.end {
            continue;
        }
        let text = leaf.span.of(src);
        if leaf.kind == LeafKind::Text && !text.trim().is_empty() {
            replacement.push_str(text.trim());
        }
    }
    // A bracket that was all the paragraph's words (`- [Alt1. d ...] {CHN+}`) takes the
    // paragraph with it: a bare list marker or label left behind would join the paragraph
    // before it.
    let left_over = p.leaves.iter().any(|l| {
        (l.span.end <= extent.start || l.span.start >= extent.end)
            && !matches!(l.kind, LeafKind::Label | LeafKind::Markup | LeafKind::Break)
            && !(l.kind == LeafKind::Text && l.span.of(src).trim().is_empty())
    });
    if !left_over && replacement.is_empty() {
        let before = src.get(..p.span.start).unwrap_or("");
        let start = before.trim_end().len();
        let span = if start > 0 {
            Span::new(start, p.span.end)
        } else {
            let after = src.get(p.span.end..).unwrap_or("");
            Span::new(
                p.span.start,
                p.span.end + (after.len() - after.trim_start().len()),
            )
        };
        return Ok(Resolution {
            edit: Edit { span, replacement },
            proposed_by,
        });
    }
    // Tidy the double space the removal leaves: `a [b] {X+} c` gives `a c`, `a [b] {X+}, c`
    // gives `a, c`.
    let mut span = extent;
    let before = src.get(p.span.start..span.start).unwrap_or("");
    let after = src.get(span.end..p.span.end).unwrap_or("");
    let spaces_before = before.len() - before.trim_end_matches([' ', '\t']).len();
    let next = replacement.chars().next().or_else(|| after.chars().next());
    let joins = match next {
        None => true,
        Some(c) => c == ' ' || c == '\t' || c == '\n' || c == '\r' || ",;.:)".contains(c),
    };
    if spaces_before > 0 && joins {
        span.start -= spaces_before;
    }
    Ok(Resolution {
        edit: Edit { span, replacement },
        proposed_by,
    })
}

/// Accepts a bracket: keeps its text, drops the brackets and its attribution groups.
/// `asked_by` is who asked, returned for the commit's `Proposed-by:` trailer.
pub fn accept_bracket(
    doc: &Document,
    actors: &Actors,
    id: &str,
    bracket: usize,
    asked_by: &str,
) -> Result<Resolution, ActionError> {
    resolve_bracket(doc, actors, id, bracket, asked_by, true)
}

/// Drops a bracket: removes its text and attribution groups, tidying the spaces left.
pub fn drop_bracket(
    doc: &Document,
    actors: &Actors,
    id: &str,
    bracket: usize,
    asked_by: &str,
) -> Result<Resolution, ActionError> {
    resolve_bracket(doc, actors, id, bracket, asked_by, false)
}

fn check_text(text: &str) -> Result<&str, ActionError> {
    let t = text.trim();
    if t.is_empty() || t.contains(['[', ']', '{', '}', '\n', '\r', '|']) {
        return Err(ActionError::BadText);
    }
    Ok(t)
}

/// Where text can be added at the end of a paragraph's own line: before an agreement stamp,
/// else after the last non-blank leaf.
fn paragraph_end(p: &Paragraph, src: &str) -> usize {
    if let Some(stamp) = &p.agreed {
        let before = src.get(p.span.start..stamp.span.start).unwrap_or("");
        return p.span.start + before.trim_end().len();
    }
    let text = p.span.of(src);
    p.span.start + text.trim_end().len()
}

/// `FRA suggest ...` or `Placeholder ...`, checked to read back as a note, not a position.
fn note_content(actors: &Actors, actor: Option<&str>, text: &str) -> Result<String, ActionError> {
    let text = check_text(text)?;
    let first = text.split_whitespace().next().unwrap_or("");
    // A first word that reads as a stance (or a sign) would turn the note into a position.
    if Stance::from_word(first).is_some() || matches!(first, "+" | "-" | "\u{2013}") {
        return Err(ActionError::NoteLooksLikePosition(first.to_string()));
    }
    match actor {
        Some(a) => Ok(format!("{} {text}", canonical(actors, a)?)),
        None => {
            if actors.resolve(first.trim_end_matches(':')).is_some() || first.ends_with(['+', '-'])
            {
                return Err(ActionError::NoteLooksLikePosition(first.to_string()));
            }
            Ok(text.to_string())
        }
    }
}

/// Adds a free-text note at the end of a paragraph (before its stamp): `{FRA suggest to move
/// ...}`. As the parser reads it, a note after a bracket's attribution with only punctuation
/// between (`...] {EU+}; {FRA ...}`) speaks to that bracket.
pub fn add_note(
    doc: &Document,
    actors: &Actors,
    id: &str,
    actor: Option<&str>,
    text: &str,
) -> Result<Edit, ActionError> {
    let (_, p) = find_paragraph(doc, id)?;
    let content = note_content(actors, actor, text)?;
    let at = paragraph_end(p, &doc.source);
    Ok(Edit {
        span: Span::new(at, at),
        replacement: format!(" {{{content}}}"),
    })
}

/// Adds a free-text note to a bracket, as a group after its last one:
/// `[text] {USA+}{FRA suggest ...}`.
pub fn add_bracket_note(
    doc: &Document,
    actors: &Actors,
    id: &str,
    bracket: usize,
    actor: Option<&str>,
    text: &str,
) -> Result<Edit, ActionError> {
    let (p, b) = find_bracket(doc, id, bracket)?;
    let (close, _) = b.close.ok_or(ActionError::Unclosed)?;
    let content = note_content(actors, actor, text)?;
    Ok(match b.groups.last().and_then(|&g| p.groups.get(g)) {
        Some(g) => Edit {
            span: Span::new(g.span.end, g.span.end),
            replacement: format!("{{{content}}}"),
        },
        None => Edit {
            span: Span::new(close.end, close.end),
            replacement: format!(" {{{content}}}"),
        },
    })
}

/// Stamps a paragraph agreed ad referendum: `Ad ref 22 May 2023 12.26`; an earlier stamp is
/// replaced.
pub fn stamp_agreed(doc: &Document, id: &str, when: StampTime) -> Result<Edit, ActionError> {
    let (_, p) = find_paragraph(doc, id)?;
    let stamp = when.notation()?;
    if !p.brackets.is_empty() || !p.orphan_closes.is_empty() {
        return Err(ActionError::StillBracketed {
            id: id.to_string(),
            brackets: p.brackets.len() + p.orphan_closes.len(),
        });
    }
    if let Some(old) = &p.agreed {
        return Ok(Edit {
            span: old.span,
            replacement: stamp,
        });
    }
    let at = paragraph_end(p, &doc.source);
    Ok(Edit {
        span: Span::new(at, at),
        replacement: format!(" {stamp}"),
    })
}

fn newline(src: &str) -> &'static str {
    if src.contains("\r\n") { "\r\n" } else { "\n" }
}

/// The number and suffix of `PP7bis`, `OP4`: (7, Some("bis")), (4, None).
fn number_of(rest: &str) -> Option<(u32, Option<&'static str>)> {
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    let number = rest.get(..digits)?.parse().ok()?;
    let tail = rest.get(digits..)?;
    if tail.is_empty() {
        return Some((number, None));
    }
    SUFFIXES
        .iter()
        .find(|s| **s == tail)
        .map(|s| (number, Some(*s)))
}

/// The last paragraph that belongs to `id`: itself, its sub-paragraphs and alternatives.
fn last_of_family(doc: &Document, index: usize, id: &str) -> usize {
    let prefix = format!("{id}.");
    let mut last = index;
    for (k, p) in doc.paragraphs.iter().enumerate().skip(index + 1) {
        if p.id.starts_with(&prefix) {
            last = k;
        } else {
            break;
        }
    }
    last
}

/// Inserts a bis paragraph after paragraph `id` (and its sub-paragraphs): `4bis. text` in
/// the operative part, `7.bis text` in the preamble; after a bis, a ter, and so on. With
/// `proposed_by`, the new paragraph is itself bracketed: `[4bis. text] {USA+}`.
pub fn insert_bis(
    doc: &Document,
    actors: &Actors,
    id: &str,
    text: &str,
    proposed_by: &[PositionSpec],
) -> Result<Insertion, ActionError> {
    let (index, p) = find_paragraph(doc, id)?;
    let text = check_text(text)?;
    let kind = doc.sections.get(p.section).map(|s| s.kind);
    let unsupported = || ActionError::Unsupported(id.to_string());
    if p.level != Level::Paragraph {
        return Err(unsupported());
    }
    let (prefix, rest) = match kind {
        Some(SectionKind::Preamble) => ("PP", id.strip_prefix("PP")),
        Some(SectionKind::Operative) => ("OP", id.strip_prefix("OP")),
        _ => return Err(unsupported()),
    };
    let (number, suffix) = rest.and_then(number_of).ok_or_else(unsupported)?;
    let next = match suffix {
        None => Some(SUFFIXES[0]),
        Some(s) => SUFFIXES
            .iter()
            .position(|x| *x == s)
            .and_then(|k| SUFFIXES.get(k + 1))
            .copied(),
    }
    .ok_or_else(unsupported)?;
    let new_id = format!("{prefix}{number}{next}");
    if doc.paragraph(&new_id).is_some() {
        return Err(ActionError::IdExists(new_id));
    }
    let label = if prefix == "PP" {
        format!("{number}.{next}")
    } else {
        format!("{number}{next}.")
    };
    let body = format!("{label} {text}");
    let body = if proposed_by.is_empty() {
        body
    } else {
        format!("[{body}] {}", group_text(actors, proposed_by)?)
    };
    let after = doc
        .paragraphs
        .get(last_of_family(doc, index, id))
        .unwrap_or(p);
    let nl = newline(&doc.source);
    Ok(Insertion {
        edit: Edit {
            span: Span::new(after.span.end, after.span.end),
            replacement: format!("{nl}{nl}{body}"),
        },
        id: new_id,
    })
}

/// Inserts an alternative to paragraph `id` after it and its earlier alternatives:
/// `Alt1. text` for a paragraph, `- Alt1. d text` for sub-paragraph d.
pub fn insert_alternative(doc: &Document, id: &str, text: &str) -> Result<Insertion, ActionError> {
    let (index, p) = find_paragraph(doc, id)?;
    let text = check_text(text)?;
    let unsupported = || ActionError::Unsupported(id.to_string());
    let kind = doc.sections.get(p.section).map(|s| s.kind);
    if !matches!(kind, Some(SectionKind::Preamble | SectionKind::Operative)) {
        return Err(unsupported());
    }
    // A text opening with a lone lower-case letter would read as the sub-paragraph letter.
    let mut words = text.split_whitespace();
    if words.next().is_some_and(|w| {
        w.trim_end_matches(['.', ')']).len() == 1 && w.starts_with(|c: char| c.is_ascii_lowercase())
    }) {
        return Err(ActionError::BadText);
    }
    let alt_prefix = format!("{id}.alt");
    let mut n = 0;
    let mut after = index;
    for (k, q) in doc.paragraphs.iter().enumerate().skip(index + 1) {
        match q.id.strip_prefix(&alt_prefix) {
            Some(rest) if rest.bytes().all(|b| b.is_ascii_digit()) => {
                n += 1;
                after = k;
            }
            _ => break,
        }
    }
    let n = n + 1;
    let label = match p.level {
        Level::Paragraph => format!("Alt{n}. {text}"),
        Level::SubParagraph => {
            // `OP3.d` only: nested letters (`OP3.d.ii`) have no alternative notation.
            let letter = id.rsplit_once('.').map(|(_, l)| l).unwrap_or("");
            if letter.len() != 1 || id.matches('.').count() != 1 {
                return Err(unsupported());
            }
            format!("- Alt{n}. {letter} {text}")
        }
        Level::Alternative => return Err(unsupported()),
    };
    let after = doc.paragraphs.get(after).unwrap_or(p);
    let nl = newline(&doc.source);
    Ok(Insertion {
        edit: Edit {
            span: Span::new(after.span.end, after.span.end),
            replacement: format!("{nl}{label}"),
        },
        id: format!("{alt_prefix}{n}"),
    })
}

/// Replaces a paragraph's text with what the editor wrote. A blank line would split it into
/// two paragraphs, so it is refused; trailing line breaks are dropped.
pub fn edit_paragraph(doc: &Document, id: &str, text: &str) -> Result<Edit, ActionError> {
    let (_, p) = find_paragraph(doc, id)?;
    let text = text.trim_end_matches(['\n', '\r']);
    let blank_line = text.split('\n').skip(1).any(|line| line.trim().is_empty());
    if text.trim().is_empty() || blank_line {
        return Err(ActionError::BadText);
    }
    Ok(Edit {
        span: p.span,
        replacement: text.to_string(),
    })
}

/// The 1-based line where paragraph `id` starts, to open `$EDITOR` there.
pub fn paragraph_line(doc: &Document, id: &str) -> Result<usize, ActionError> {
    let (_, p) = find_paragraph(doc, id)?;
    let index = crate::parse::LineIndex::new(&doc.source);
    Ok(index.locate(&doc.source, p.span.start).0)
}

#[cfg(test)]
mod tests;
