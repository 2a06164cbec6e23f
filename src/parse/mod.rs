//! Text to model: lenient and lossless. Every byte of the input lands in exactly one block or
//! leaf, so `Document::render` gives the input back; every problem becomes a diagnostic with
//! line and column, and parsing goes on. Linear in the input: one pass for lines, one per
//! paragraph for brackets and groups, no backtracking and no recursion.

mod attribution;
mod controls;
mod inline;
mod label;
mod stamp;
pub use label::SUFFIXES;
pub use stamp::MONTHS;
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
    parse_owned(source.to_string(), actors)
}

/// Like `parse_with`, taking the source by value: the document keeps it without a copy (10 MB
/// read from disk is not copied again).
pub fn parse_owned(text: String, actors: &Actors) -> Document {
    let source = text.as_str();
    let mut diags = Diags::default();
    let shape = structure::shape(source, &mut diags);

    let threads = if source.len() < PARALLEL_MIN_BYTES {
        1
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
    };
    let mut bodies =
        paragraph_bodies(source, &shape.items, actors, &mut diags, threads).into_iter();

    let mut blocks = Vec::with_capacity(shape.items.len() * 2 + 1);
    let mut paragraphs = Vec::new();
    let mut unclosed = Vec::new();
    let mut at = 0;
    for item in shape.items {
        if item.span.start > at {
            blocks.push(Block {
                kind: BlockKind::Gap,
                span: Span::new(at, item.span.start),
            });
        }
        let kind = match item.kind {
            ItemKind::Title => BlockKind::Title,
            ItemKind::Header => BlockKind::Header,
            ItemKind::Chapeau => BlockKind::Chapeau,
            ItemKind::Heading(s) => BlockKind::Heading(s),
            ItemKind::Stray => BlockKind::Stray,
            ItemKind::Paragraph {
                id,
                section,
                level,
                label,
            } => {
                // One body per paragraph item, in order (`paragraph_bodies`).
                let body = bodies.next().unwrap_or_default();
                unclosed.push(body.unclosed);
                paragraphs.push(Paragraph {
                    id,
                    section,
                    level,
                    label,
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
    controls::report(source, &mut diags);

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
        source: text,
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

/// Below this size a draft is parsed on the calling thread: starting threads would cost more
/// than they save.
const PARALLEL_MIN_BYTES: usize = 1 << 20;

/// The inline reading (brackets, groups, stamps) of every paragraph item, in order. Paragraphs
/// are read independently of each other (brackets spanning paragraphs are matched afterwards),
/// so a large draft is cut into contiguous runs of paragraphs read on separate threads; the
/// result is the same as reading them one by one.
fn paragraph_bodies(
    source: &str,
    items: &[structure::Item],
    actors: &Actors,
    diags: &mut Diags,
    threads: usize,
) -> Vec<inline::Body> {
    let paragraphs: Vec<&structure::Item> = items
        .iter()
        .filter(|i| matches!(i.kind, ItemKind::Paragraph { .. }))
        .collect();
    let read = |run: &[&structure::Item], diags: &mut Diags| -> Vec<inline::Body> {
        run.iter()
            .map(|item| {
                let ItemKind::Paragraph { level, label, .. } = &item.kind else {
                    return inline::Body::default();
                };
                let alternative = *level == crate::model::Level::Alternative;
                inline::parse(source, item.span, *label, alternative, actors, diags)
            })
            .collect()
    };
    if threads < 2 || paragraphs.len() < 2 {
        return read(&paragraphs, diags);
    }
    // Contiguous runs of about equal bytes.
    let share = source.len() / threads + 1;
    let mut runs: Vec<&[&structure::Item]> = Vec::with_capacity(threads);
    let mut from = 0;
    let mut bytes = 0;
    for (k, item) in paragraphs.iter().enumerate() {
        bytes += item.span.len();
        if bytes >= share && runs.len() + 1 < threads {
            runs.push(&paragraphs[from..=k]);
            from = k + 1;
            bytes = 0;
        }
    }
    runs.push(&paragraphs[from..]);
    let (first, rest) = runs.split_at(1);
    std::thread::scope(|scope| {
        let handles: Vec<_> = rest
            .iter()
            .map(|run| {
                scope.spawn(move || {
                    let mut own = Diags::default();
                    let bodies = read(run, &mut own);
                    (bodies, own)
                })
            })
            .collect();
        let mut bodies = read(first[0], diags);
        for (handle, run) in handles.into_iter().zip(rest) {
            match handle.join() {
                Ok((more, own)) => {
                    bodies.extend(more);
                    diags.items.extend(own.items);
                }
                // A panic in a reader thread is a bug; read that run again here so that it
                // surfaces on the calling thread like any other.
                Err(_) => bodies.extend(read(run, diags)),
            }
        }
        bodies
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Reading paragraphs on several threads gives exactly what reading them in order gives:
    /// the same bodies and the same diagnostics.
    #[test]
    fn threads_read_paragraphs_as_one_thread_does() {
        // A real compilation text, with damage added: an unknown actor, a stray `]`, a
        // bracket left open across paragraphs.
        let unit = format!(
            "{}\n\nOP99. [spanning across\n\nOP100. paragraphs] {{IND+ XYZ+}} and ] stray\n\n",
            include_str!("../../drafts/smart-cities-resolution/04-compilation-2.md")
        );
        let source = unit.repeat(12);
        let actors = Actors::builtin();
        let mut serial_diags = Diags::default();
        let shape = structure::shape(&source, &mut serial_diags);
        let mut parallel_diags = Diags::default();
        let _ = structure::shape(&source, &mut parallel_diags);
        let serial = paragraph_bodies(&source, &shape.items, actors, &mut serial_diags, 1);
        let parallel = paragraph_bodies(&source, &shape.items, actors, &mut parallel_diags, 3);
        assert_eq!(serial.len(), parallel.len());
        assert!(serial.len() > 400, "{} paragraphs", serial.len());
        for (a, b) in serial.iter().zip(&parallel) {
            assert_eq!(a.leaves, b.leaves);
            assert_eq!(a.brackets, b.brackets);
            assert_eq!(a.groups, b.groups);
            assert_eq!(a.orphan_closes, b.orphan_closes);
            assert_eq!(a.unclosed, b.unclosed);
            assert_eq!(a.agreed, b.agreed);
        }
        let key = |d: &Diags| {
            let mut v: Vec<_> = d
                .items
                .iter()
                .map(|p| (p.span.start, p.span.end, p.code, p.message.clone()))
                .collect();
            v.sort();
            v
        };
        assert!(!serial_diags.items.is_empty());
        assert_eq!(key(&serial_diags), key(&parallel_diags));
    }
}
