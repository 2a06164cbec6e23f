//! The JSON contract of `show` and `actors` (DESIGN section 4): stable snake_case fields.

use crate::actors::Actors;
use crate::model::{Document, Note, Paragraph, Position, Severity, Stance};
use crate::parse::LineIndex;
use serde::Serialize;
use std::collections::BTreeMap;

/// Deeper brackets are listed flat under their ancestor at this depth, so no input can make
/// the output (or its serialisation) recurse without bound.
const MAX_DEPTH: usize = 64;

#[derive(Serialize)]
pub struct ShowJson {
    pub path: String,
    pub title: Option<String>,
    pub header: Vec<String>,
    pub chapeau: Option<String>,
    pub sections: Vec<SectionJson>,
    pub paragraphs: Vec<ParagraphJson>,
    pub diagnostics: Vec<DiagnosticJson>,
}

#[derive(Serialize)]
pub struct SectionJson {
    pub section: String,
    pub kind: crate::model::SectionKind,
    pub title: Option<String>,
    pub paragraphs: Vec<String>,
}

#[derive(Serialize)]
pub struct ParagraphJson {
    pub id: String,
    pub section: String,
    pub level: crate::model::Level,
    pub label: Option<String>,
    pub line: usize,
    pub text: String,
    pub plain_text: String,
    pub agreed_text: String,
    pub agreed: Option<crate::model::AgreedStamp>,
    /// Inside a bracket opened in an earlier paragraph (its id).
    pub within_bracket_from: Option<String>,
    pub brackets: Vec<BracketJson>,
    /// Positions not attached to any bracket of this paragraph.
    pub positions: Vec<Position>,
    pub notes: Vec<Note>,
}

#[derive(Serialize)]
pub struct BracketJson {
    pub text: String,
    pub plain_text: String,
    pub line: usize,
    pub column: usize,
    /// `bracket`, `pipe`, `spanning` (closes in a later paragraph) or `unclosed`.
    pub closed: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closes_in: Option<String>,
    pub positions: Vec<Position>,
    pub notes: Vec<Note>,
    pub children: Vec<BracketJson>,
}

#[derive(Serialize)]
pub struct DiagnosticJson {
    pub line: usize,
    pub column: usize,
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
}

pub fn diagnostics(doc: &Document) -> Vec<DiagnosticJson> {
    doc.diagnostics
        .iter()
        .map(|d| DiagnosticJson {
            line: d.line,
            column: d.column,
            severity: d.severity,
            code: d.code,
            message: d.message.clone(),
        })
        .collect()
}

fn group_positions(p: &Paragraph, groups: &[usize]) -> (Vec<Position>, Vec<Note>) {
    let positions = groups
        .iter()
        .flat_map(|&g| p.groups[g].positions.iter().cloned())
        .collect();
    let notes = groups
        .iter()
        .filter_map(|&g| p.groups[g].note.clone())
        .collect();
    (positions, notes)
}

fn bracket_json(
    doc: &Document,
    index: &LineIndex,
    pi: usize,
    b: usize,
    range: std::ops::Range<usize>,
) -> BracketJson {
    let p = &doc.paragraphs[pi];
    let bracket = &p.brackets[b];
    let (line, column) = index.locate(&doc.source, bracket.open.start);
    let spanning = doc.spanning_for(pi, b);
    let (positions, notes) = match spanning {
        Some(s) => {
            let closing = &doc.paragraphs[s.close_paragraph];
            group_positions(closing, &closing.orphan_closes[s.orphan].groups)
        }
        None => group_positions(p, &bracket.groups),
    };
    let closed = match (bracket.close, spanning) {
        (Some((_, crate::model::CloseKind::Bracket)), _) => "bracket",
        (Some((_, crate::model::CloseKind::Pipe)), _) => "pipe",
        (None, Some(_)) => "spanning",
        (None, None) => "unclosed",
    };
    BracketJson {
        text: p.range_text(&doc.source, range.clone()),
        plain_text: p.range_plain_text(&doc.source, range),
        line,
        column,
        closed,
        closes_in: spanning.map(|s| doc.paragraphs[s.close_paragraph].id.clone()),
        positions,
        notes,
        children: Vec::new(),
    }
}

/// The bracket tree of a paragraph, built bottom-up without recursion.
fn brackets_json(doc: &Document, index: &LineIndex, pi: usize) -> Vec<BracketJson> {
    let p = &doc.paragraphs[pi];
    let n = p.brackets.len();
    let mut depth = vec![0usize; n];
    for b in 0..n {
        depth[b] = p.brackets[b].parent.map_or(0, |parent| depth[parent] + 1);
    }
    // The node each bracket is listed under: its parent, or its ancestor at MAX_DEPTH.
    let mut holder = vec![None; n];
    for b in 0..n {
        holder[b] = p.brackets[b].parent.map(|parent| {
            if depth[parent] >= MAX_DEPTH {
                holder[parent].unwrap_or(parent)
            } else {
                parent
            }
        });
    }
    let mut nodes: Vec<Option<BracketJson>> = (0..n)
        .zip(crate::diff::brackets::text_ranges(p))
        .map(|(b, range)| Some(bracket_json(doc, index, pi, b, range)))
        .collect();
    // Children come after their parents in the arena, so walking backwards finishes each
    // child before it is moved into its holder.
    let mut children: Vec<Vec<BracketJson>> = (0..n).map(|_| Vec::new()).collect();
    let mut top = Vec::new();
    for b in (0..n).rev() {
        let Some(mut node) = nodes[b].take() else {
            continue;
        };
        node.children = std::mem::take(&mut children[b]);
        node.children.reverse();
        match holder[b] {
            Some(h) => children[h].push(node),
            None => top.push(node),
        }
    }
    top.reverse();
    top
}

pub fn show(doc: &Document, path: &str, only: Option<&dyn Fn(&Paragraph) -> bool>) -> ShowJson {
    let index = LineIndex::new(&doc.source);
    let paragraphs = doc
        .paragraphs
        .iter()
        .enumerate()
        .filter(|(_, p)| only.is_none_or(|f| f(p)))
        .map(|(pi, p)| {
            let free: Vec<usize> = (0..p.groups.len())
                .filter(|&g| match p.groups[g].anchor {
                    crate::model::Anchor::Paragraph => true,
                    crate::model::Anchor::OrphanClose(k) => p.orphan_closes[k].spanning.is_none(),
                    crate::model::Anchor::Bracket(_) => false,
                })
                .collect();
            let (positions, _) = group_positions(p, &free);
            let notes = p.groups.iter().filter_map(|g| g.note.clone()).collect();
            let within = doc
                .enclosing_spanning(pi)
                .map(|s| doc.paragraphs[s.open_paragraph].id.clone());
            ParagraphJson {
                id: p.id.clone(),
                section: doc.section_of(p).name(),
                level: p.level,
                label: p.label.map(|l| l.of(&doc.source).to_string()),
                line: index.locate(&doc.source, p.span.start).0,
                text: p.text(&doc.source),
                plain_text: p.plain_text(&doc.source),
                agreed_text: p.agreed_text(&doc.source),
                agreed: p.agreed.clone(),
                within_bracket_from: within,
                brackets: brackets_json(doc, &index, pi),
                positions,
                notes,
            }
        })
        .collect();
    let sections = doc
        .sections
        .iter()
        .enumerate()
        .map(|(s, section)| SectionJson {
            section: section.name(),
            kind: section.kind,
            title: section.title.clone(),
            paragraphs: doc
                .paragraphs
                .iter()
                .filter(|p| p.section == s)
                .map(|p| p.id.clone())
                .collect(),
        })
        .collect();
    ShowJson {
        path: path.to_string(),
        title: doc.title.as_ref().map(|l| l.text.clone()),
        header: doc.header.iter().map(|l| l.text.clone()).collect(),
        chapeau: doc.chapeau.as_ref().map(|l| l.text.clone()),
        sections,
        paragraphs,
        diagnostics: diagnostics(doc),
    }
}

#[derive(Serialize, Clone, Default)]
pub struct ActorRow {
    pub actor: String,
    pub name: Option<String>,
    pub kind: Option<crate::actors::ActorKind>,
    pub known: bool,
    pub support: usize,
    pub oppose: usize,
    pub reserve: usize,
    pub delete: usize,
    pub note: usize,
    /// Brackets this actor proposed (the first support of a bracket).
    pub proposed: usize,
    /// Paragraphs where this actor takes a position or writes a note.
    pub paragraphs: Vec<String>,
}

impl ActorRow {
    pub fn total(&self) -> usize {
        self.support + self.oppose + self.reserve + self.delete + self.note
    }
}

#[derive(Serialize)]
pub struct ActorsJson {
    pub path: String,
    pub actors: Vec<ActorRow>,
}

/// Counts of positions taken in one text, per actor: most active first.
pub fn actors(doc: &Document, actors: &Actors) -> Vec<ActorRow> {
    let mut rows: BTreeMap<String, ActorRow> = BTreeMap::new();
    fn row<'r>(
        rows: &'r mut BTreeMap<String, ActorRow>,
        actors: &Actors,
        code: &str,
    ) -> &'r mut ActorRow {
        rows.entry(code.to_string()).or_insert_with(|| {
            let known = actors.resolve_any_case(code);
            ActorRow {
                actor: code.to_string(),
                name: known.map(|a| a.name.clone()),
                kind: known.map(|a| a.kind),
                known: known.is_some(),
                ..ActorRow::default()
            }
        })
    }
    for p in &doc.paragraphs {
        for g in &p.groups {
            for pos in &g.positions {
                let r = row(&mut rows, actors, &pos.actor);
                match pos.stance {
                    Stance::Support => r.support += 1,
                    Stance::Oppose => r.oppose += 1,
                    Stance::Reserve => r.reserve += 1,
                    Stance::Delete => r.delete += 1,
                    Stance::Note => r.note += 1,
                }
                r.proposed += usize::from(pos.proposer);
                if r.paragraphs.last() != Some(&p.id) {
                    r.paragraphs.push(p.id.clone());
                }
            }
            if g.positions.is_empty()
                && let Some(actor) = g.note.as_ref().and_then(|n| n.actor.as_deref())
            {
                let r = row(&mut rows, actors, actor);
                r.note += 1;
                if r.paragraphs.last() != Some(&p.id) {
                    r.paragraphs.push(p.id.clone());
                }
            }
        }
    }
    let mut rows: Vec<ActorRow> = rows.into_values().collect();
    rows.sort_by(|a, b| {
        b.total()
            .cmp(&a.total())
            .then_with(|| a.actor.cmp(&b.actor))
    });
    rows
}

/// Characters a terminal would act on that serde_json writes raw: DEL, C1 controls and the
/// bidirectional controls (`crate::text` makes the same ones visible in human output). JSON
/// output escapes them as `\uXXXX`, so `brackets show --json` in a terminal is as safe as the
/// human output, and a JSON reader still gets the exact text.
fn must_escape(c: char) -> bool {
    matches!(c, '\u{7f}'..='\u{9f}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{061C}' | '\u{2028}' | '\u{2029}' | '\u{FEFF}')
}

/// serde_json's pretty printer, escaping what [`must_escape`] names (C0 controls serde_json
/// escapes itself).
struct SafeFormatter(serde_json::ser::PrettyFormatter<'static>);

impl serde_json::ser::Formatter for SafeFormatter {
    fn write_string_fragment<W: ?Sized + std::io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> std::io::Result<()> {
        // Most fragments are ASCII without DEL: nothing to look for character by character.
        if fragment.is_ascii() && memchr::memchr(0x7f, fragment.as_bytes()).is_none() {
            return writer.write_all(fragment.as_bytes());
        }
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if must_escape(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                write!(writer, "\\u{:04x}", c as u32)?;
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }
    fn begin_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + std::io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> std::io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + std::io::Write>(&mut self, w: &mut W) -> std::io::Result<()> {
        self.0.end_object_value(w)
    }
}

/// `serde_json::to_writer_pretty`, with terminal controls escaped ([`must_escape`]).
pub fn to_writer_pretty<W: std::io::Write, T: ?Sized + Serialize>(
    writer: W,
    value: &T,
) -> serde_json::Result<()> {
    let mut ser = serde_json::Serializer::with_formatter(
        writer,
        SafeFormatter(serde_json::ser::PrettyFormatter::new()),
    );
    value.serialize(&mut ser)
}

/// `serde_json::to_string_pretty`, with terminal controls escaped ([`must_escape`]).
pub fn to_string_pretty<T: ?Sized + Serialize>(value: &T) -> serde_json::Result<String> {
    let mut out = Vec::with_capacity(128);
    to_writer_pretty(&mut out, value)?;
    // Only whole UTF-8 strings and ASCII were written.
    String::from_utf8(out).map_err(|e| serde_json::Error::io(std::io::Error::other(e)))
}

#[cfg(test)]
mod escape_tests {
    #[test]
    fn json_escapes_every_terminal_control() {
        let s = "a\u{1b}[31m b\u{7f} c\u{9b} d\u{202E} e\u{2066} f\u{200F} g\u{2028} é 海";
        let text = super::to_string_pretty(&serde_json::json!({ "t": s })).unwrap();
        assert_eq!(
            text,
            "{\n  \"t\": \"a\\u001b[31m b\\u007f c\\u009b d\\u202e e\\u2066 f\\u200f g\\u2028 é 海\"\n}"
        );
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["t"], s);
    }
}
