//! A negotiated draft as data: document, sections, paragraphs, bracketed proposals, attribution
//! groups with positions, notes and agreement stamps.
//!
//! Every node keeps its byte span in the source. A paragraph is a flat run of leaves that tiles
//! its span exactly; the bracket tree lives in an arena beside it. That keeps the parser linear
//! and non-recursive, and makes rendering back to the source a concatenation of spans.

mod diagnostic;
mod span;
mod stance;
mod text;

pub use diagnostic::{Diagnostic, Severity};
pub use span::Span;
pub use stance::Stance;

use serde::Serialize;

/// One parsed draft: the source and everything read from it.
#[derive(Debug, Clone)]
pub struct Document {
    pub source: String,
    /// The document's blocks, in order; their spans tile the source exactly.
    pub blocks: Vec<Block>,
    pub title: Option<Line>,
    pub header: Vec<Line>,
    pub chapeau: Option<Line>,
    pub sections: Vec<Section>,
    pub paragraphs: Vec<Paragraph>,
    /// Brackets that open in one paragraph and close in a later one.
    pub spanning: Vec<SpanningBracket>,
    /// For each paragraph, the outermost spanning bracket it lies inside (opened in an earlier
    /// paragraph, closed in it or later): index into `spanning`.
    pub inside_spanning: Vec<Option<usize>>,
    pub diagnostics: Vec<Diagnostic>,
}

/// A line of front matter (title, header line, chapeau) with its markup stripped.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    pub text: String,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockKind {
    /// Line breaks and blank lines between other blocks.
    Gap,
    Title,
    Header,
    Chapeau,
    /// A section heading; the index is into `Document::sections`.
    Heading(usize),
    /// A paragraph; the index is into `Document::paragraphs`.
    Paragraph(usize),
    /// Front matter that is neither title nor header (e.g. a stray bracket before any paragraph).
    Stray,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    Preamble,
    Operative,
    /// A numbered heading of a guidelines document (`2.1.1 Shared prosperity`) or an article.
    Heading,
    /// Paragraphs before any heading in a headed document, or under an unnumbered heading.
    Body,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    pub kind: SectionKind,
    /// `2.1.1`, `Art4`; none for the preamble and the operative part.
    pub number: Option<String>,
    pub title: Option<String>,
    pub heading: Option<Span>,
}

impl Section {
    /// The name scripts see in JSON: `preamble`, `operative`, or the heading's number.
    pub fn name(&self) -> String {
        match (&self.kind, &self.number) {
            (SectionKind::Preamble, _) => "preamble".into(),
            (SectionKind::Operative, _) => "operative".into(),
            (_, Some(n)) => n.clone(),
            (_, None) => "body".into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// A preambular or operative paragraph, or a paragraph under a heading.
    Paragraph,
    /// `a.`, `(b)`, `<u>c.</u>` under an operative paragraph.
    SubParagraph,
    /// `Alt1. d ...`: an alternative formulation of the paragraph it follows.
    Alternative,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paragraph {
    /// `PP7bis`, `OP1.d.alt1`, `2.1.1/P3` (DESIGN section 3).
    pub id: String,
    pub section: usize,
    pub level: Level,
    /// The label as written (`7.bis`, `<u>b.</u>` gives `b.`), when there is one.
    pub label: Option<Span>,
    pub span: Span,
    /// Leaves tiling `span` exactly, in source order.
    pub leaves: Vec<Leaf>,
    /// The bracket arena; `Bracket::parent` and `children` make the tree.
    pub brackets: Vec<Bracket>,
    pub groups: Vec<Group>,
    /// Closing brackets with no opening bracket in this paragraph.
    pub orphan_closes: Vec<OrphanClose>,
    pub agreed: Option<AgreedStamp>,
}

/// The smallest pieces of a paragraph's source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Leaf {
    pub span: Span,
    pub kind: LeafKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeafKind {
    Text,
    /// Formatting left by Word and markdown: list markers, `#`, `*`, `<u>`, escapes.
    Markup,
    /// The paragraph's label.
    Label,
    /// A line break, blank lines of a page break, or a page number line.
    Break,
    Open(usize),
    Close(usize),
    /// Index into `Paragraph::orphan_closes`.
    OrphanClose(usize),
    Group(usize),
    Stamp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CloseKind {
    /// `]`
    Bracket,
    /// `|` typed for `]` before an attribution group.
    Pipe,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bracket {
    pub open: Span,
    /// `None`: unclosed in this paragraph (see `Document::spanning` for one closed later).
    pub close: Option<(Span, CloseKind)>,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    /// Indices of `Paragraph::groups` attributed to this bracket, in order.
    pub groups: Vec<usize>,
    /// When it closes in a later paragraph: index into `Document::spanning`.
    pub spanning: Option<usize>,
}

impl Bracket {
    /// The span of the bracketed text, between the brackets.
    pub fn content(&self, paragraph_end: usize) -> Span {
        let end = self.close.map_or(paragraph_end, |(s, _)| s.start);
        Span::new(self.open.end, end)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrphanClose {
    pub span: Span,
    pub kind: CloseKind,
    pub groups: Vec<usize>,
    /// Set when it closes a bracket opened in an earlier paragraph: index into
    /// `Document::spanning`.
    pub spanning: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpanningBracket {
    pub open_paragraph: usize,
    pub bracket: usize,
    pub close_paragraph: usize,
    pub orphan: usize,
}

/// What an attribution group is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    Bracket(usize),
    OrphanClose(usize),
    /// No bracket before it: it speaks to the paragraph.
    Paragraph,
}

/// `{USA+ FRA-}`, `{RUS reserve}`, `{FRA suggest to move ...}`; also `[MAR+]` typed in square
/// brackets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub span: Span,
    pub positions: Vec<Position>,
    pub note: Option<Note>,
    pub anchor: Anchor,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Position {
    /// The canonical actor code (`USA`, `Chair`, `G77`), or the code as written when unknown.
    pub actor: String,
    pub stance: Stance,
    /// The first support of a bracket is its proposer.
    pub proposer: bool,
    #[serde(skip)]
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub actor: Option<String>,
    pub text: String,
}

/// `Ad ref 22 May 2023 12.26`, or a bare trailing date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgreedStamp {
    /// The stamp as written.
    pub stamp: String,
    /// ISO date, `2023-05-22`, when the stamp gives one.
    pub date: Option<String>,
    /// `12:26`, when the stamp gives a time.
    pub time: Option<String>,
    #[serde(skip)]
    pub span: Span,
}

impl Document {
    /// The source again, rebuilt from the parsed blocks and leaves: byte for byte the input.
    pub fn render(&self) -> String {
        let mut out = String::with_capacity(self.source.len());
        for block in &self.blocks {
            match block.kind {
                BlockKind::Paragraph(p) => {
                    for leaf in &self.paragraphs[p].leaves {
                        out.push_str(leaf.span.of(&self.source));
                    }
                }
                _ => out.push_str(block.span.of(&self.source)),
            }
        }
        out
    }

    pub fn paragraph(&self, id: &str) -> Option<&Paragraph> {
        self.paragraphs.iter().find(|p| p.id == id)
    }

    pub fn section_of(&self, paragraph: &Paragraph) -> &Section {
        &self.sections[paragraph.section]
    }

    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// Every position in the text, wherever it is attached.
    pub fn positions(&self) -> impl Iterator<Item = (&Paragraph, &Position)> {
        self.paragraphs.iter().flat_map(|p| {
            p.groups
                .iter()
                .flat_map(move |g| g.positions.iter().map(move |pos| (p, pos)))
        })
    }

    /// The spanning bracket that closes the given bracket, if it closes in a later paragraph.
    pub fn spanning_for(&self, paragraph: usize, bracket: usize) -> Option<&SpanningBracket> {
        let p = self.paragraphs.get(paragraph)?;
        self.spanning.get(p.brackets.get(bracket)?.spanning?)
    }

    /// The spanning bracket a paragraph lies inside, if any (see `inside_spanning`).
    pub fn enclosing_spanning(&self, paragraph: usize) -> Option<&SpanningBracket> {
        self.spanning.get((*self.inside_spanning.get(paragraph)?)?)
    }
}
