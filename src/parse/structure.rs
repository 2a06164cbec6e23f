//! From lines to the document's shape: front matter (title, header lines, chapeau), sections,
//! and paragraphs with their ids. Paragraphs split by a page break are joined here, and so are
//! stray lines holding only a closing bracket and its attribution.

use super::Diags;
use super::label::{self, Label, LabelKind};
use crate::model::{Level, Line, Section, SectionKind, Severity, Span};
use std::collections::HashMap;

/// One line of the source without its terminator (`\n`, `\r\n` or a lone `\r`).
#[derive(Debug, Clone, Copy)]
struct SourceLine {
    start: usize,
    end: usize,
}

fn lines(src: &str) -> Vec<SourceLine> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    for i in memchr::memchr2_iter(b'\n', b'\r', b) {
        match b[i] {
            b'\n' => {
                let end = if i > start && b[i - 1] == b'\r' {
                    i - 1
                } else {
                    i
                };
                out.push(SourceLine { start, end });
                start = i + 1;
            }
            b'\r' if b.get(i + 1) != Some(&b'\n') => {
                out.push(SourceLine { start, end: i });
                start = i + 1;
            }
            _ => {}
        }
    }
    if start < b.len() {
        out.push(SourceLine {
            start,
            end: b.len(),
        });
    }
    out
}

fn is_blank(s: &str) -> bool {
    s.trim().is_empty()
}

const HTML_TAGS: [&str; 12] = [
    "u", "b", "i", "em", "strong", "sup", "sub", "br", "br/", "span", "p", "s",
];

/// Length of an HTML tag such as `<u>` or `</strong>` at the start of `s`.
pub(super) fn html_tag(s: &[u8]) -> usize {
    if s.first() != Some(&b'<') {
        return 0;
    }
    let Some(close) = s.iter().take(12).position(|&b| b == b'>') else {
        return 0;
    };
    let inner = &s[1..close];
    let name = inner.strip_prefix(b"/").unwrap_or(inner);
    let name = name.strip_suffix(b" /").unwrap_or(name);
    if HTML_TAGS
        .iter()
        .any(|t| t.as_bytes().eq_ignore_ascii_case(name))
    {
        close + 1
    } else {
        0
    }
}

/// What a line starts with before its words: indentation, `#` of a heading, a list marker,
/// emphasis and HTML tags.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Decoration {
    pub hashes: usize,
    pub list_marker: bool,
    /// Where the words (or the label) start.
    pub end: usize,
}

pub(super) fn decoration(src: &str, start: usize, end: usize) -> Decoration {
    let b = &src.as_bytes()[..end];
    let mut d = Decoration {
        end: start,
        ..Decoration::default()
    };
    let mut i = start;
    loop {
        let before = i;
        while i < end && matches!(b[i], b' ' | b'\t') {
            i += 1;
        }
        // A byte order mark (at the top of a file saved by Notepad, or of a pasted part).
        if src[i..end].starts_with('\u{feff}') {
            i += '\u{feff}'.len_utf8();
            continue;
        }
        if i < end && b[i] == b'#' && d.hashes == 0 && !d.list_marker {
            let n = b[i..].iter().take_while(|&&c| c == b'#').count();
            if b.get(i + n).is_none_or(|c| *c == b' ') {
                d.hashes = n;
                i += n;
                continue;
            }
        }
        if i + 1 < end && matches!(b[i], b'-' | b'*' | b'+') && b[i + 1] == b' ' {
            d.list_marker = true;
            i += 2;
            continue;
        }
        for marker in ["\u{2022} ", "\u{2013} ", "\u{25cf} "] {
            if src[i..end].starts_with(marker) {
                d.list_marker = true;
                i += marker.len();
            }
        }
        if i < end && b[i] == b'*' {
            i += b[i..end].iter().take_while(|&&c| c == b'*').count();
        }
        i += html_tag(&b[i..end]);
        if i == before {
            break;
        }
    }
    d.end = i;
    d
}

/// The words of a front-matter or heading line, markup stripped.
fn plain(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let b = text.as_bytes();
    let mut i = 0;
    let mut space = false;
    while i < b.len() {
        let tag = html_tag(&b[i..]);
        if tag > 0 {
            i += tag;
            continue;
        }
        let c = text[i..].chars().next().unwrap_or(' ');
        i += c.len_utf8();
        if c.is_whitespace() || c == '\u{feff}' {
            space = !out.is_empty();
        } else if !matches!(c, '*' | '#') {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    out
}

#[derive(Debug, Clone)]
pub(super) enum ItemKind {
    Title,
    Header,
    Chapeau,
    Heading(usize),
    Stray,
    Paragraph {
        id: String,
        section: usize,
        level: Level,
        label: Option<Span>,
    },
}

#[derive(Debug, Clone)]
pub(super) struct Item {
    pub kind: ItemKind,
    pub span: Span,
}

pub(super) struct Shape {
    pub items: Vec<Item>,
    pub sections: Vec<Section>,
    pub title: Option<Line>,
    pub header: Vec<Line>,
    pub chapeau: Option<Line>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Front,
    Preamble,
    Operative,
    Headed,
}

/// A run of lines that starts a new paragraph or heading.
#[derive(Debug, Clone, Copy)]
struct Unit {
    span: Span,
    /// Starts after a blank line (or at the top), not on a line of its own in a list.
    block_start: bool,
}

fn units(src: &str) -> Vec<Unit> {
    let all = lines(src);
    // Word's "Plain Text" export writes one paragraph per line with no blank lines at all;
    // there every line is a paragraph. Hard-wrapped drafts always separate paragraphs with
    // blank lines, so one blank line between text switches this off.
    let first = all.iter().position(|l| !is_blank(&src[l.start..l.end]));
    let last = all.iter().rposition(|l| !is_blank(&src[l.start..l.end]));
    let line_per_paragraph = match (first, last) {
        (Some(f), Some(l)) => {
            l - f >= 2 && all[f..=l].iter().all(|x| !is_blank(&src[x.start..x.end]))
        }
        _ => false,
    };
    let mut out: Vec<Unit> = Vec::new();
    let mut after_blank = true;
    for line in all {
        let text = &src[line.start..line.end];
        if is_blank(text) {
            after_blank = true;
            continue;
        }
        let block_start = after_blank || line_per_paragraph;
        after_blank = false;
        let starts = block_start || starts_a_unit(src, line.start, line.end);
        match out.last_mut() {
            Some(unit) if !starts => unit.span.end = line.end,
            _ => out.push(Unit {
                span: Span::new(line.start, line.end),
                block_start,
            }),
        }
    }
    out
}

/// A line inside a block starts a paragraph of its own when it is a list item, a heading or a
/// labelled paragraph (`- a.`, `  - Alt1. d`, `- 3.`, `4bis`).
fn starts_a_unit(src: &str, start: usize, end: usize) -> bool {
    let d = decoration(src, start, end);
    d.list_marker || d.hashes > 0 || lead_label(src, d.end, end).is_some()
}

/// The label at `at`, also when it stands just inside an opening bracket (`[7.bis Noting`).
fn lead_label(src: &str, at: usize, end: usize) -> Option<Label> {
    let text = &src[at..end];
    if let Some(inner) = text.strip_prefix('[') {
        let skip = inner.len() - inner.trim_start_matches(' ').len();
        return label::read(&inner[skip..], at + 1 + skip);
    }
    label::read(text, at)
}

const OPENERS: [&str; 24] = [
    "Mindful",
    "Aware",
    "Concerned",
    "Convinced",
    "Deeply",
    "Bearing",
    "Taking",
    "Having",
    "Guided",
    "Determined",
    "Alarmed",
    "Cognizant",
    "Conscious",
    "Desirous",
    "Encouraged",
    "Gravely",
    "Keeping",
    "Acknowledging",
    "Noting",
    "Recalling",
    "Recognizing",
    "Reaffirming",
    "Welcoming",
    "Emphasizing",
];

fn first_word(s: &str) -> &str {
    s.split(|c: char| !c.is_alphabetic())
        .find(|w| !w.is_empty())
        .unwrap_or("")
}

fn preambular_opener(words: &str) -> bool {
    let w = first_word(words.trim_start_matches(['*', '_', ' ']));
    w.chars().next().is_some_and(char::is_uppercase) && (w.ends_with("ing") || OPENERS.contains(&w))
}

/// The first word of a preambular paragraph in the other languages drafts are negotiated in:
/// French and Spanish participles (`Rappelant`, `Recordando`, `Reconociendo`) and Arabic
/// `إذ` (`وإذ`). Used only before the chapeau and the first paragraph.
fn opens_a_preambular_paragraph(words: &str) -> bool {
    if preambular_opener(words) {
        return true;
    }
    let w = first_word(words.trim_start_matches(['*', '_', ' ']));
    let participle = w.chars().next().is_some_and(char::is_uppercase)
        && ["ant", "ando", "endo"].iter().any(|e| w.ends_with(e));
    participle || w == "إذ" || w == "وإذ"
}

/// Whether `text` holds a bracket or an attribution group (not an escaped `\[`).
fn holds_notation(text: &str) -> bool {
    first_notation(text).is_some()
}

/// Byte offset of the first `[` or `{` of `text` that is not escaped.
fn first_notation(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'[' | b'{' => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// The punctuation a paragraph ends with (`,` in the preamble, `;` or `.` in the operative
/// part, in Latin or Arabic script), before any attribution groups that close it.
fn paragraph_end(text: &str) -> Option<char> {
    let mut t = text.trim_end();
    while t.ends_with('}') {
        match t.rfind('{') {
            Some(k) => t = t[..k].trim_end(),
            None => break,
        }
    }
    t.chars()
        .next_back()
        .filter(|c| matches!(c, ',' | ';' | '.' | '\u{60c}' | '\u{61b}'))
}

/// The part a line of the front matter starts when it is a paragraph. The first numbered
/// paragraph starts the operative part, whatever precedes it, when it is long, holds proposals
/// or ends with `,` or `;` (`1. Background.` is a report's heading). An unnumbered one starts
/// the preamble when it holds proposals and ends as a paragraph or starts as a preambular one,
/// or, holding none, starts as one and ends with a comma. A title holding a proposal does
/// neither, and stays the title (reported as unread notation).
fn starts_a_paragraph(words: &str, label: Option<&Label>) -> Option<State> {
    let long = word_count(words) >= 6;
    let notation = holds_notation(words);
    let end = paragraph_end(words);
    let opener = opens_a_preambular_paragraph(words);
    match label.map(|l| &l.kind) {
        Some(LabelKind::Number { suffix, .. })
            if (suffix.is_none() && long)
                || notation
                || matches!(end, Some(',' | ';' | '\u{60c}' | '\u{61b}')) =>
        {
            Some(State::Operative)
        }
        _ if long && preambular_opener(words) => Some(State::Preamble),
        _ if (notation && (end.is_some() || opener))
            || (opener && matches!(end, Some(',' | '\u{60c}'))) =>
        {
            Some(State::Preamble)
        }
        _ => None,
    }
}

/// The next line after the line ending at `from` that is not blank.
fn next_line(src: &str, from: usize) -> Option<(usize, usize)> {
    let b = src.as_bytes();
    let mut at = from;
    loop {
        match (b.get(at), b.get(at + 1)) {
            (Some(b'\r'), Some(b'\n')) => at += 2,
            (Some(b'\n' | b'\r'), _) => at += 1,
            _ => return None,
        }
        let end = memchr::memchr2(b'\n', b'\r', &b[at..]).map_or(b.len(), |i| at + i);
        if !is_blank(&src[at..end]) {
            return Some((at, end));
        }
        at = end;
    }
}

fn word_count(s: &str) -> usize {
    s.split_whitespace().count()
}

/// No words outside attribution groups and markup: a stray `# **]**{CMR reserve}` line, a
/// horizontal rule, or a page number.
fn wordless(text: &str) -> bool {
    let mut in_group = false;
    let mut skip_to = 0;
    for (i, c) in text.char_indices() {
        if i < skip_to {
            continue;
        }
        let tag = html_tag(&text.as_bytes()[i..]);
        if tag > 0 {
            skip_to = i + tag;
            continue;
        }
        match c {
            '{' => in_group = true,
            '}' => in_group = false,
            c if c.is_alphabetic() && !in_group => return false,
            _ => {}
        }
    }
    true
}

struct Builder<'a> {
    src: &'a str,
    diags: &'a mut Diags,
    items: Vec<Item>,
    sections: Vec<Section>,
    state: State,
    chapeau_seen: bool,
    /// The section paragraphs go to; created when the first paragraph needs it.
    section: Option<usize>,
    preamble_count: u32,
    operative_last: Option<u32>,
    /// Ids of paragraphs in order, with level; for sub-paragraphs and alternatives.
    last_top: Option<(usize, String)>,
    /// The last paragraph of the current section that is not an alternative: what an
    /// alternative with no letter (`Alt 2`, `Option 2:`) stands for.
    last_paragraph: Option<String>,
    last_letter: Option<String>,
    section_positions: u32,
    body_count: u32,
    alternatives: HashMap<String, u32>,
    seen_ids: HashMap<String, u32>,
}

impl<'a> Builder<'a> {
    fn section(
        &mut self,
        kind: SectionKind,
        number: Option<String>,
        title: Option<String>,
        heading: Option<Span>,
    ) -> usize {
        self.sections.push(Section {
            kind,
            number,
            title,
            heading,
        });
        self.section = Some(self.sections.len() - 1);
        self.section_positions = 0;
        self.last_top = None;
        self.last_paragraph = None;
        self.last_letter = None;
        self.sections.len() - 1
    }

    fn current_section(&mut self, kind: SectionKind) -> usize {
        match self.section {
            Some(s) if self.sections[s].kind == kind || kind == SectionKind::Body => s,
            _ => self.section(kind, None, None, None),
        }
    }

    /// The paragraph a continuation joins. The stray lines between them (a page number, a rule)
    /// become part of it, so that no byte lands in two blocks.
    fn last_paragraph_item(&mut self) -> Option<&mut Item> {
        let k = self
            .items
            .iter()
            .rposition(|i| !matches!(i.kind, ItemKind::Stray))?;
        if !matches!(self.items[k].kind, ItemKind::Paragraph { .. }) {
            return None;
        }
        self.items.truncate(k + 1);
        self.items.last_mut()
    }

    fn last_paragraph_id(&self) -> String {
        self.items
            .iter()
            .rev()
            .find_map(|i| match &i.kind {
                ItemKind::Paragraph { id, .. } => Some(id.clone()),
                _ => None,
            })
            .unwrap_or_default()
    }

    /// The lines of a front-matter unit one by one, until one of them ends the front matter;
    /// the lines after it go with it when it starts a paragraph, or make the next unit.
    fn front_lines(&mut self, unit: Unit) {
        let span = unit.span;
        for (k, line) in lines(&self.src[span.start..span.end])
            .into_iter()
            .enumerate()
        {
            let start = span.start + line.start;
            if self.state != State::Front {
                self.unit(Unit {
                    span: Span::new(start, span.end),
                    block_start: false,
                });
                return;
            }
            let before = self.items.len();
            self.unit(Unit {
                span: Span::new(start, span.start + line.end),
                block_start: unit.block_start && k == 0,
            });
            if self.state != State::Front
                && self.items.len() > before
                && let Some(Item {
                    kind: ItemKind::Paragraph { .. },
                    span: paragraph,
                }) = self.items.last_mut()
            {
                paragraph.end = span.end;
                return;
            }
        }
    }

    fn unit(&mut self, unit: Unit) {
        let src = self.src;
        let span = unit.span;
        let text = &src[span.start..span.end];
        let first_line_end =
            memchr::memchr2(b'\n', b'\r', text.as_bytes()).map_or(span.end, |i| span.start + i);
        let deco = decoration(src, span.start, first_line_end);
        let words = &src[deco.end..span.end];

        // Front matter is read line by line: a title, header lines and the chapeau often follow
        // each other with no blank line between them.
        if self.state == State::Front && first_line_end < span.end {
            self.front_lines(unit);
            return;
        }

        // A line with only a closing bracket and attributions belongs to the paragraph above.
        if wordless(text) {
            let bracketish = text.contains([']', '|', '{', '[']);
            if bracketish && let Some(prev) = self.last_paragraph_item() {
                prev.span.end = span.end;
                let id = self.last_paragraph_id();
                self.diags.push(span, Severity::Warning, "stray-line", format!("a line holding only a closing bracket or an attribution; read as the end of {id}"));
                return;
            }
            self.items.push(Item {
                kind: ItemKind::Stray,
                span,
            });
            return;
        }

        let label = lead_label(src, deco.end, first_line_end);

        // A block starting in lower case continues the paragraph above (a page break in Word).
        if unit.block_start
            && deco.hashes == 0
            && !deco.list_marker
            && label.is_none()
            && words.starts_with(|c: char| c.is_lowercase())
            && let Some(prev) = self.last_paragraph_item()
        {
            prev.span.end = span.end;
            let id = self.last_paragraph_id();
            self.diags.push(
                span,
                Severity::Note,
                "page-break",
                format!("paragraph continues after a page break; joined to {id}"),
            );
            return;
        }

        // Only a short first line can be a heading, a chapeau or a section title; the first
        // line of an ordinary paragraph is not copied and scanned for that.
        let first_line = &src[deco.end..first_line_end];
        // A plain line ending in `.`, `;`, `,` or `:` is no heading; it can only be the chapeau.
        let terminal = first_line.trim_end().ends_with(['.', ';', ',', ':']);
        let may_be_chapeau = self.state == State::Front && !self.chapeau_seen;
        let heading_text =
            if deco.hashes > 0 || (first_line.len() <= 160 && (!terminal || may_be_chapeau)) {
                plain(first_line)
            } else {
                String::new()
            };
        let short = !heading_text.is_empty()
            && word_count(&heading_text) <= 8
            && !heading_text.ends_with(['.', ';', ',', ':'])
            && !text.contains('[');
        let number = if deco.hashes > 0 {
            label::heading_number(&heading_text, false)
        } else if !self.chapeau_seen && self.state != State::Operative && short {
            label::heading_number(&heading_text, self.state != State::Headed)
        } else {
            None
        };
        if let Some((number, title_at)) = number {
            let title = heading_text[title_at..].trim().to_string();
            let s = self.section(
                SectionKind::Heading,
                Some(number),
                (!title.is_empty()).then_some(title),
                Some(span),
            );
            self.items.push(Item {
                kind: ItemKind::Heading(s),
                span,
            });
            self.state = State::Headed;
            return;
        }
        let lower = heading_text.to_lowercase();
        let is_heading_like =
            deco.hashes > 0 || (short && word_count(&heading_text) <= 6 && label.is_none());
        if is_heading_like
            && self.state != State::Front
            && lower.contains("operative")
            && word_count(&heading_text) <= 6
        {
            let s = self.section(SectionKind::Operative, None, Some(heading_text), Some(span));
            self.items.push(Item {
                kind: ItemKind::Heading(s),
                span,
            });
            self.state = State::Operative;
            return;
        }
        if is_heading_like && lower.starts_with("preambular")
            || (deco.hashes > 0 && lower.starts_with("preamble"))
        {
            let s = self.section(SectionKind::Preamble, None, Some(heading_text), Some(span));
            self.items.push(Item {
                kind: ItemKind::Heading(s),
                span,
            });
            self.state = State::Preamble;
            return;
        }
        let chapeau = !self.chapeau_seen
            && self.state == State::Front
            && ((heading_text.starts_with("The ")
                && heading_text.ends_with(',')
                && word_count(&heading_text) <= 16)
                || (label.is_none() && self.names_the_body(&heading_text, span.end)));
        if chapeau {
            self.chapeau_seen = true;
            self.items.push(Item {
                kind: ItemKind::Chapeau,
                span,
            });
            self.state = State::Preamble;
            return;
        }
        if deco.hashes > 0 {
            if self.state == State::Front {
                self.items.push(Item {
                    kind: ItemKind::Header,
                    span,
                });
            } else {
                let s = self.section(SectionKind::Body, None, Some(heading_text), Some(span));
                self.items.push(Item {
                    kind: ItemKind::Heading(s),
                    span,
                });
            }
            return;
        }

        if self.state == State::Front {
            match starts_a_paragraph(words, label.as_ref()) {
                Some(state) => self.state = state,
                None => {
                    self.items.push(Item {
                        kind: ItemKind::Header,
                        span,
                    });
                    return;
                }
            }
        }
        self.paragraph(span, label, words);
    }

    /// A chapeau in any language (`L'Assemblée générale,`, `We, the Heads of State and
    /// Government,`): a short line ending with a comma, holding no proposal, followed by the
    /// start of a paragraph. Without that last condition a letter's `Dear colleagues,` would
    /// turn the prose after it into preambular paragraphs.
    fn names_the_body(&self, line: &str, line_end: usize) -> bool {
        if !line.ends_with([',', '\u{60c}'])
            || word_count(line) > 16
            || holds_notation(line)
            || opens_a_preambular_paragraph(line)
        {
            return false;
        }
        let src = self.src;
        next_line(src, line_end).is_some_and(|(start, end)| {
            let d = decoration(src, start, end);
            starts_a_paragraph(&src[d.end..end], lead_label(src, d.end, end).as_ref()).is_some()
        })
    }

    fn paragraph(&mut self, span: Span, label: Option<Label>, _words: &str) {
        let label_span = label.as_ref().map(|l| l.span);
        // An alternative with nothing before it in its section to stand for (`Option 1:` opening
        // an article) is named as a paragraph; the `Option 2:` after it is its alternative.
        let kind = match label.map(|l| l.kind) {
            Some(LabelKind::Alternative { letter })
                if self.last_paragraph.is_none()
                    && !(letter.is_some() && self.last_top.is_some()) =>
            {
                None
            }
            kind => kind,
        };
        let (id, level, section) = match (self.state, kind) {
            (_, Some(LabelKind::Alternative { letter })) => {
                let section = self
                    .section
                    .unwrap_or_else(|| self.current_section(SectionKind::Body));
                let target = match (letter, &self.last_top) {
                    (Some((c, _)), Some((_, top))) => format!("{top}.{c}"),
                    _ => self.last_paragraph.clone().unwrap_or_else(|| "P0".into()),
                };
                let n = self.alternatives.entry(target.clone()).or_insert(0);
                *n += 1;
                (format!("{target}.alt{n}"), Level::Alternative, section)
            }
            (
                State::Preamble,
                Some(LabelKind::Number {
                    number,
                    suffix: Some(sfx),
                }),
            ) => {
                let section = self.current_section(SectionKind::Preamble);
                self.preamble_count = number;
                let id = format!("PP{number}{sfx}");
                self.last_top = Some((section, id.clone()));
                (id, Level::Paragraph, section)
            }
            (
                State::Preamble | State::Operative | State::Front,
                Some(LabelKind::Number { number, suffix }),
            ) => {
                if self.state != State::Operative {
                    self.state = State::Operative;
                    self.current_section(SectionKind::Operative);
                }
                let section = self.current_section(SectionKind::Operative);
                self.check_operative_number(number, suffix, label_span.unwrap_or(span));
                let id = format!("OP{number}{}", suffix.unwrap_or(""));
                self.last_top = Some((section, id.clone()));
                self.last_letter = None;
                (id, Level::Paragraph, section)
            }
            (State::Headed, Some(LabelKind::Number { number, suffix })) => {
                let section = self.current_section(SectionKind::Body);
                self.section_positions += 1;
                let id = format!(
                    "{}/{number}{}",
                    self.section_prefix(section),
                    suffix.unwrap_or("")
                );
                self.last_top = Some((section, id.clone()));
                self.last_letter = None;
                (id, Level::Paragraph, section)
            }
            (_, Some(LabelKind::Letter { letter, suffix })) if self.last_top.is_some() => {
                let (section, top) = self.last_top.clone().unwrap_or_default();
                // `(i)` after `(h)` is the letter i; otherwise roman numerals nest.
                let nested = letter.len() > 1
                    || (letter == "i" && self.last_letter.as_deref().is_some_and(|l| l != "h"));
                let id = match (&self.last_letter, nested) {
                    (Some(parent), true) => {
                        format!("{top}.{parent}.{letter}{}", suffix.unwrap_or(""))
                    }
                    _ => {
                        self.last_letter = Some(letter.clone());
                        format!("{top}.{letter}{}", suffix.unwrap_or(""))
                    }
                };
                (id, Level::SubParagraph, section)
            }
            (State::Operative, _) => {
                // Operative paragraphs are numbered; one without a number is named by position.
                let section = self.current_section(SectionKind::Operative);
                let number = self.operative_last.map_or(1, |n| n + 1);
                self.diags.push(
                    Span::new(span.start, span.start),
                    Severity::Warning,
                    "unnumbered-operative",
                    format!(
                        "operative paragraph without a number; called OP{number} by its position"
                    ),
                );
                self.operative_last = Some(number);
                let id = format!("OP{number}");
                self.last_top = Some((section, id.clone()));
                self.last_letter = None;
                (id, Level::Paragraph, section)
            }
            (State::Headed, _) => {
                let section = self.current_section(SectionKind::Body);
                self.section_positions += 1;
                let id = if self.sections[section].number.is_some() {
                    format!(
                        "{}/P{}",
                        self.section_prefix(section),
                        self.section_positions
                    )
                } else {
                    self.body_count += 1;
                    format!("P{}", self.body_count)
                };
                self.last_top = Some((section, id.clone()));
                self.last_letter = None;
                (id, Level::Paragraph, section)
            }
            _ => {
                let section = self.current_section(SectionKind::Preamble);
                self.preamble_count += 1;
                let id = format!("PP{}", self.preamble_count);
                self.last_top = Some((section, id.clone()));
                self.last_letter = None;
                (id, Level::Paragraph, section)
            }
        };
        let id = self.unique(id, label_span.unwrap_or(span));
        // Alternatives stand for the paragraph before them, not for each other (`Option 3:`
        // after `Option 2:` is the second alternative, not an alternative of the first).
        if level != Level::Alternative {
            self.last_paragraph = Some(id.clone());
        }
        self.items.push(Item {
            kind: ItemKind::Paragraph {
                id,
                section,
                level,
                label: label_span,
            },
            span,
        });
    }

    fn section_prefix(&self, section: usize) -> String {
        self.sections[section]
            .number
            .clone()
            .unwrap_or_else(|| "P".into())
    }

    fn check_operative_number(&mut self, number: u32, suffix: Option<&str>, at: Span) {
        if suffix.is_some() {
            return;
        }
        if let Some(last) = self.operative_last
            && number > last + 1
        {
            self.diags.push(
                at,
                Severity::Warning,
                "numbering",
                format!("operative paragraphs jump from {last} to {number}"),
            );
        }
        self.operative_last = Some(number);
    }

    /// Reports a repeated id (two `7.bis`, two `4.`) and keeps both paragraphs apart.
    fn unique(&mut self, id: String, at: Span) -> String {
        // Ids never contain `~`, so `OP4~3` cannot collide with a written label; counting
        // uses per id keeps a thousand repeats of one label linear.
        let uses = self.seen_ids.entry(id.clone()).or_insert(0);
        *uses += 1;
        if *uses == 1 {
            return id;
        }
        let renamed = format!("{id}~{uses}");
        let what = if id.ends_with("bis") || id.ends_with("ter") {
            "label"
        } else {
            "paragraph number"
        };
        self.diags.push(
            at,
            Severity::Error,
            "duplicate-id",
            format!("duplicate {what}: {id} already exists; this one is called {renamed}"),
        );
        renamed
    }
}

pub(super) fn shape(src: &str, diags: &mut Diags) -> Shape {
    let mut b = Builder {
        src,
        diags,
        items: Vec::new(),
        sections: Vec::new(),
        state: State::Front,
        chapeau_seen: false,
        section: None,
        preamble_count: 0,
        operative_last: None,
        last_top: None,
        last_paragraph: None,
        last_letter: None,
        section_positions: 0,
        body_count: 0,
        alternatives: HashMap::new(),
        seen_ids: HashMap::new(),
    };
    for unit in units(src) {
        b.unit(unit);
    }
    let Builder {
        mut items,
        sections,
        diags,
        ..
    } = b;

    // The title: the most prominent heading of the front matter, else the line nearest the
    // chapeau, else the first line.
    let line = |span: Span| Line {
        text: plain(span.of(src)),
        span,
    };
    let front_end = items
        .iter()
        .position(|i| !matches!(i.kind, ItemKind::Header | ItemKind::Stray))
        .unwrap_or(items.len());
    let hashes = |i: &Item| decoration(src, i.span.start, i.span.end).hashes;
    let title_at = items[..front_end]
        .iter()
        .enumerate()
        .filter(|(_, i)| matches!(i.kind, ItemKind::Header) && hashes(i) > 0)
        .min_by_key(|(k, i)| (hashes(i), *k))
        .map(|(k, _)| k)
        .or_else(|| {
            let mut headers = items[..front_end]
                .iter()
                .enumerate()
                .filter(|(_, i)| matches!(i.kind, ItemKind::Header));
            let before_chapeau = items
                .get(front_end)
                .is_some_and(|i| matches!(i.kind, ItemKind::Chapeau));
            if before_chapeau {
                headers.next_back()
            } else {
                headers.next()
            }
            .map(|(k, _)| k)
        });
    if let Some(k) = title_at {
        items[k].kind = ItemKind::Title;
    }
    report_unread_notation(src, &items, diags);
    let title = items
        .iter()
        .find(|i| matches!(i.kind, ItemKind::Title))
        .map(|i| line(i.span));
    let header = items
        .iter()
        .filter(|i| matches!(i.kind, ItemKind::Header))
        .map(|i| line(i.span))
        .collect();
    let chapeau = items
        .iter()
        .find(|i| matches!(i.kind, ItemKind::Chapeau))
        .map(|i| line(i.span));
    Shape {
        items,
        sections,
        title,
        header,
        chapeau,
    }
}

/// Brackets and attribution groups in lines read as no paragraph would be dropped from every
/// count without a word: report them. A line wholly in brackets under a resolution's title
/// (`[without reference to a Main Committee (A/78/L.1)]`) is an editorial note, not a proposal.
fn report_unread_notation(src: &str, items: &[Item], diags: &mut Diags) {
    for item in items {
        let what = match item.kind {
            ItemKind::Title => "the title",
            ItemKind::Header => "a header line",
            ItemKind::Chapeau => "the chapeau",
            ItemKind::Heading(_) => "a heading",
            ItemKind::Stray => "a line of its own",
            ItemKind::Paragraph { .. } => continue,
        };
        let text = item.span.of(src);
        let Some(at) = first_notation(text) else {
            continue;
        };
        let words = plain(text);
        let editorial = words.starts_with('[')
            && words.ends_with(']')
            && words.matches(['[', ']']).count() == 2
            && !words.contains('{');
        if editorial {
            continue;
        }
        let at = item.span.start + at;
        diags.push(
            Span::new(at, at + 1),
            Severity::Warning,
            "unread-notation",
            format!("bracketed text or an attribution in {what}, which is read as no paragraph: its proposals and positions are not counted"),
        );
    }
}
