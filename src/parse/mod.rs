//! Text to model: lenient and lossless. Every byte of the input lands in exactly one block or
//! leaf, so `Document::render` gives the input back; every problem becomes a diagnostic with
//! line and column, and parsing goes on. Linear in the input: one pass for lines, one per
//! paragraph for brackets and groups, no backtracking and no recursion.

mod attribution;
mod inline;
mod label;
mod stamp;
mod structure;

use crate::actors::Actors;
use crate::model::{
    Block, BlockKind, Diagnostic, Document, Paragraph, Severity, Span, SpanningBracket,
};
use structure::ItemKind;

/// Diagnostics as they are found, located by span; lines and columns are computed once at the
/// end.
#[derive(Debug, Default)]
pub(crate) struct Diags {
    items: Vec<Pending>,
}

#[derive(Debug)]
struct Pending {
    span: Span,
    severity: Severity,
    code: &'static str,
    message: String,
}

impl Diags {
    pub(crate) fn push(
        &mut self,
        span: Span,
        severity: Severity,
        code: &'static str,
        message: String,
    ) {
        self.items.push(Pending {
            span,
            severity,
            code,
            message,
        });
    }
}

/// Line starts, to turn byte offsets into 1-based line and character columns.
pub struct LineIndex {
    starts: Vec<usize>,
    /// Characters before each block of `BLOCK` bytes, so that a column costs at most one block
    /// of counting however long the line (thousands of diagnostics on one 5 MB line).
    chars: Vec<usize>,
}

const BLOCK: usize = 256;

/// UTF-8 bytes that start a character.
fn char_starts(b: &[u8]) -> usize {
    b.iter().filter(|&&c| (c as i8) >= -0x40).count()
}

impl LineIndex {
    pub fn new(src: &str) -> Self {
        let b = src.as_bytes();
        let mut starts = vec![0];
        for i in memchr::memchr2_iter(b'\n', b'\r', b) {
            if b[i] == b'\n' || b.get(i + 1) != Some(&b'\n') {
                starts.push(i + 1);
            }
        }
        let mut chars = Vec::with_capacity(b.len() / BLOCK + 1);
        let mut n = 0;
        for block in b.chunks(BLOCK) {
            chars.push(n);
            n += char_starts(block);
        }
        chars.push(n);
        LineIndex { starts, chars }
    }

    /// Characters in `src[..offset]`, `offset` on a character boundary.
    fn chars_before(&self, src: &str, offset: usize) -> usize {
        let k = offset / BLOCK;
        self.chars.get(k).copied().unwrap_or(0) + char_starts(&src.as_bytes()[k * BLOCK..offset])
    }

    /// 1-based line and column (in characters) of byte `offset`.
    pub fn locate(&self, src: &str, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        let mut end = offset.min(src.len());
        while !src.is_char_boundary(end) {
            end -= 1;
        }
        let column = self
            .chars_before(src, end)
            .saturating_sub(self.chars_before(src, start.min(end)))
            + 1;
        (line, column)
    }
}

/// Parses a draft with the built-in actors.
pub fn parse(source: &str) -> Document {
    parse_with(source, Actors::builtin())
}

/// Parses a draft, recognising `actors` (the built-in ones plus a repository's configuration).
pub fn parse_with(source: &str, actors: &Actors) -> Document {
    let mut diags = Diags::default();
    let shape = structure::shape(source, &mut diags);

    let mut blocks = Vec::with_capacity(shape.items.len() * 2 + 1);
    let mut paragraphs = Vec::new();
    let mut unclosed = Vec::new();
    let mut at = 0;
    for item in &shape.items {
        if item.span.start > at {
            blocks.push(Block {
                kind: BlockKind::Gap,
                span: Span::new(at, item.span.start),
            });
        }
        let kind = match &item.kind {
            ItemKind::Title => BlockKind::Title,
            ItemKind::Header => BlockKind::Header,
            ItemKind::Chapeau => BlockKind::Chapeau,
            ItemKind::Heading(s) => BlockKind::Heading(*s),
            ItemKind::Stray => BlockKind::Stray,
            ItemKind::Paragraph {
                id,
                section,
                level,
                label,
            } => {
                let alternative = *level == crate::model::Level::Alternative;
                let body =
                    inline::parse(source, item.span, *label, alternative, actors, &mut diags);
                unclosed.push(body.unclosed);
                paragraphs.push(Paragraph {
                    id: id.clone(),
                    section: *section,
                    level: *level,
                    label: *label,
                    span: item.span,
                    leaves: body.leaves,
                    brackets: body.brackets,
                    groups: body.groups,
                    orphan_closes: body.orphan_closes,
                    agreed: body.agreed,
                });
                BlockKind::Paragraph(paragraphs.len() - 1)
            }
        };
        blocks.push(Block {
            kind,
            span: item.span,
        });
        at = item.span.end;
    }
    if at < source.len() {
        blocks.push(Block {
            kind: BlockKind::Gap,
            span: Span::new(at, source.len()),
        });
    }

    // Lines and columns are only needed for messages: most clean drafts never build this.
    let lazy = std::cell::OnceCell::new();
    let index = || lazy.get_or_init(|| LineIndex::new(source));
    let spanning = match_across_paragraphs(source, &index, &mut paragraphs, &unclosed, &mut diags);
    let inside_spanning = coverage(paragraphs.len(), &spanning);
    check_agreed(&paragraphs, &inside_spanning, &mut diags);

    let mut diagnostics: Vec<Diagnostic> = diags
        .items
        .into_iter()
        .map(|d| {
            // A span guessed around a group (`{` unclosed at the end of the input) may reach
            // past the end: keep it inside.
            let end = d.span.end.min(source.len());
            let span = Span::new(d.span.start.min(end), end);
            let (line, column) = index().locate(source, span.start);
            Diagnostic {
                line,
                column,
                severity: d.severity,
                code: d.code,
                message: d.message,
                span,
            }
        })
        .collect();
    diagnostics.sort_by_key(|d| (d.span.start, d.severity));

    Document {
        source: source.to_string(),
        blocks,
        title: shape.title,
        header: shape.header,
        chapeau: shape.chapeau,
        sections: shape.sections,
        paragraphs,
        spanning,
        inside_spanning,
        diagnostics,
    }
}

/// Brackets left open at the end of a paragraph are closed by a closing bracket with no partner
/// in a later paragraph of the same section (`[Centering ...` in OP1.f closed by `|{USA+}` in
/// OP1.g). What stays open is an error; a closing bracket with nothing to close is one too.
fn match_across_paragraphs<'a>(
    src: &str,
    index: &dyn Fn() -> &'a LineIndex,
    paragraphs: &mut [Paragraph],
    unclosed: &[Vec<usize>],
    diags: &mut Diags,
) -> Vec<SpanningBracket> {
    let mut spanning = Vec::new();
    let mut carried: Vec<(usize, usize)> = Vec::new();
    let never_closed = |diags: &mut Diags, paragraphs: &[Paragraph], (p, b): (usize, usize)| {
        let para: &Paragraph = &paragraphs[p];
        let open = para.brackets[b].open;
        let (line, column) = index().locate(src, open.start);
        let (end_line, _) = index().locate(src, para.span.end);
        diags.push(
            open,
            Severity::Error,
            "unclosed-bracket",
            format!(
                "unbalanced bracket: `[` opened at {line}:{column} in {} is never closed (the paragraph ends on line {end_line}); read as closing there",
                para.id
            ),
        );
    };
    for p in 0..paragraphs.len() {
        if p > 0 && paragraphs[p].section != paragraphs[p - 1].section {
            for open in carried.drain(..).rev() {
                never_closed(diags, paragraphs, open);
            }
        }
        for k in 0..paragraphs[p].orphan_closes.len() {
            let close = paragraphs[p].orphan_closes[k].span;
            if let Some((op, ob)) = carried.pop() {
                let (line, column) = index().locate(src, paragraphs[op].brackets[ob].open.start);
                let message = format!(
                    "bracket opened at {line}:{column} in {} closes here in {}, spanning {} paragraphs",
                    paragraphs[op].id,
                    paragraphs[p].id,
                    p - op + 1
                );
                diags.push(close, Severity::Note, "spanning-bracket", message);
                if paragraphs[p].orphan_closes[k].kind == crate::model::CloseKind::Pipe {
                    diags.push(
                        close,
                        Severity::Warning,
                        "pipe-for-bracket",
                        "`|` before an attribution read as `]`".into(),
                    );
                }
                paragraphs[p].orphan_closes[k].spanning = Some(spanning.len());
                paragraphs[op].brackets[ob].spanning = Some(spanning.len());
                spanning.push(SpanningBracket {
                    open_paragraph: op,
                    bracket: ob,
                    close_paragraph: p,
                    orphan: k,
                });
            } else {
                let pipe = paragraphs[p].orphan_closes[k].kind == crate::model::CloseKind::Pipe;
                let (severity, message) = if pipe {
                    (Severity::Warning, "`|` before an attribution, but no bracket is open; its positions are read as applying to the whole paragraph".to_string())
                } else {
                    (
                        Severity::Error,
                        format!(
                            "unbalanced bracket: `]` with no opening bracket before it in {} or an earlier paragraph; its attributions are read as applying to the whole paragraph",
                            paragraphs[p].id
                        ),
                    )
                };
                diags.push(close, severity, "stray-closing-bracket", message);
            }
        }
        carried.extend(unclosed[p].iter().map(|&b| (p, b)));
    }
    for open in carried.drain(..).rev() {
        never_closed(diags, paragraphs, open);
    }
    spanning
}

/// An agreed paragraph that still holds brackets is worth an editor's look.
fn check_agreed(paragraphs: &[Paragraph], inside_spanning: &[Option<usize>], diags: &mut Diags) {
    for (p, para) in paragraphs.iter().enumerate() {
        let Some(stamp) = &para.agreed else { continue };
        let inside = inside_spanning.get(p).is_some_and(Option::is_some);
        let n = para.brackets.len();
        if n > 0 || inside {
            let what = if n > 0 {
                format!("{n} bracket{}", if n == 1 { "" } else { "s" })
            } else {
                "a bracket from an earlier paragraph".into()
            };
            diags.push(
                stamp.span,
                Severity::Warning,
                "agreed-with-brackets",
                format!(
                    "{} is stamped agreed ad ref but still holds {what}",
                    para.id
                ),
            );
        }
    }
}

/// For each paragraph, the outermost spanning bracket it lies inside. Spanning brackets nest
/// or are disjoint (they are matched with a stack), so the outermost ones are disjoint and
/// filling their ranges touches each paragraph once.
fn coverage(paragraphs: usize, spanning: &[SpanningBracket]) -> Vec<Option<usize>> {
    let mut order: Vec<usize> = (0..spanning.len()).collect();
    order.sort_by_key(|&k| {
        (
            spanning[k].open_paragraph,
            std::cmp::Reverse(spanning[k].close_paragraph),
        )
    });
    let mut cover = vec![None; paragraphs];
    let mut reach = 0;
    for k in order {
        let s = spanning[k];
        let from = (s.open_paragraph + 1).max(reach);
        for slot in cover.iter_mut().take(s.close_paragraph + 1).skip(from) {
            *slot = Some(k);
        }
        reach = reach.max(s.close_paragraph + 1);
    }
    cover
}
