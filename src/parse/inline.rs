//! Inside a paragraph: brackets (nested), attribution groups and the brackets they follow,
//! `|` typed for `]`, attributions typed in square brackets, markup, page numbers and the
//! agreement stamp. One pass over the bytes with an explicit stack: linear, no recursion.

use super::structure::{decoration, html_tag};
use super::{Diags, attribution, stamp};
use crate::actors::Actors;
use crate::model::{
    AgreedStamp, Anchor, Bracket, CloseKind, Group, Leaf, LeafKind, OrphanClose, Severity, Span,
    Stance,
};

#[derive(Default)]
pub(super) struct Body {
    pub leaves: Vec<Leaf>,
    pub brackets: Vec<Bracket>,
    pub groups: Vec<Group>,
    pub orphan_closes: Vec<OrphanClose>,
    /// Brackets still open at the end of the paragraph, outermost first.
    pub unclosed: Vec<usize>,
    pub agreed: Option<AgreedStamp>,
}

struct Parser<'a> {
    src: &'a str,
    b: &'a [u8],
    end: usize,
    actors: &'a Actors,
    diags: &'a mut Diags,
    leaves: Vec<Leaf>,
    brackets: Vec<Bracket>,
    groups: Vec<Group>,
    orphan_closes: Vec<OrphanClose>,
    stack: Vec<usize>,
    text_start: usize,
}

const ESCAPABLE: &[u8] = b"\\`*_{}[]()#+-.!|<>\"'";

/// Bytes the paragraph loop must look at; everything else is ordinary text and is skipped in
/// a tight loop (most of a draft is words).
const SPECIAL: [bool; 256] = {
    let mut table = [false; 256];
    let mut k = 0;
    let bytes = b"\n\r[]|{\\*<";
    while k < bytes.len() {
        table[bytes[k] as usize] = true;
        k += 1;
    }
    table
};

impl Parser<'_> {
    fn push(&mut self, start: usize, end: usize, kind: LeafKind) {
        if start < end {
            self.leaves.push(Leaf {
                span: Span::new(start, end),
                kind,
            });
        }
    }

    fn flush(&mut self, at: usize) {
        self.push(self.text_start, at, LeafKind::Text);
        self.text_start = at;
    }

    /// Emits `kind` for `start..end` after any pending text and moves past it.
    fn leaf(&mut self, start: usize, end: usize, kind: LeafKind) -> usize {
        self.flush(start);
        self.push(start, end, kind);
        self.text_start = end;
        end
    }

    fn line_end(&self, from: usize) -> usize {
        memchr::memchr2(b'\n', b'\r', &self.b[from.min(self.end)..self.end])
            .map_or(self.end, |k| from + k)
    }

    /// From a line terminator at `i`: past it and any blank lines after it.
    fn break_end(&self, i: usize) -> usize {
        let mut j = i;
        loop {
            // one terminator
            if self.b[j] == b'\r' && self.b.get(j + 1) == Some(&b'\n') && j + 1 < self.end {
                j += 2;
            } else {
                j += 1;
            }
            let le = self.line_end(j);
            let blank = self.b[j..le].iter().all(|c| c.is_ascii_whitespace());
            if blank && le < self.end {
                j = le;
            } else {
                return j;
            }
        }
    }

    fn open(&mut self, i: usize) -> usize {
        let parent = self.stack.last().copied();
        let id = self.brackets.len();
        self.brackets.push(Bracket {
            open: Span::new(i, i + 1),
            close: None,
            parent,
            children: Vec::new(),
            groups: Vec::new(),
            spanning: None,
        });
        if let Some(p) = parent {
            self.brackets[p].children.push(id);
        }
        self.stack.push(id);
        self.leaf(i, i + 1, LeafKind::Open(id))
    }

    fn close(&mut self, i: usize, kind: CloseKind) -> usize {
        let close = Span::new(i, i + 1);
        let Some(id) = self.stack.pop() else {
            let k = self.orphan_closes.len();
            self.orphan_closes.push(OrphanClose {
                span: close,
                kind,
                groups: Vec::new(),
                spanning: None,
            });
            return self.leaf(i, i + 1, LeafKind::OrphanClose(k));
        };
        if kind == CloseKind::Pipe {
            self.diags.push(
                close,
                Severity::Warning,
                "pipe-for-bracket",
                "`|` before an attribution read as `]`".into(),
            );
        }
        self.brackets[id].close = Some((close, kind));
        let content = Span::new(self.brackets[id].open.end, i);
        if self.brackets[id].children.is_empty()
            && let Some(unknown) =
                attribution::square_attribution(content.of(self.src), self.actors)
        {
            let written = Span::new(self.brackets[id].open.start, i + 1)
                .of(self.src)
                .to_string();
            if unknown.is_empty() {
                return self.square_group(id, i);
            }
            self.diags.push(
                Span::new(self.brackets[id].open.start, i + 1),
                Severity::Warning,
                "truncated-attribution",
                format!(
                    "`{written}` looks like an attribution in square brackets, but `{}` is not a known actor (a truncated line?)",
                    unknown.join("`, `")
                ),
            );
        }
        if content.of(self.src).trim().is_empty() {
            self.diags.push(
                Span::new(self.brackets[id].open.start, i + 1),
                Severity::Warning,
                "empty-bracket",
                "empty bracket `[]`".into(),
            );
        }
        self.leaf(i, i + 1, LeafKind::Close(id))
    }

    /// `[MAR+]`: an attribution typed with square brackets becomes a group.
    fn square_group(&mut self, id: usize, i: usize) -> usize {
        let open = self.brackets[id].open;
        // The bracket has no children, so it is the last one opened and its leaves are last.
        self.brackets.pop();
        if let Some(parent) = self.stack.last().copied() {
            self.brackets[parent].children.retain(|&c| c != id);
        }
        while self
            .leaves
            .last()
            .is_some_and(|l| l.span.start >= open.start)
        {
            self.leaves.pop();
        }
        self.text_start = open.start;
        let span = Span::new(open.start, i + 1);
        self.diags.push(
            span,
            Severity::Warning,
            "square-attribution",
            format!(
                "attribution typed in square brackets: `{}` read as `{{{}}}`",
                span.of(self.src),
                Span::new(open.end, i).of(self.src)
            ),
        );
        let a = attribution::parse(
            Span::new(open.end, i).of(self.src),
            open.end,
            self.actors,
            self.diags,
        );
        let g = self.groups.len();
        self.groups.push(Group {
            span,
            positions: a.positions,
            note: a.note,
            anchor: Anchor::Paragraph,
        });
        self.leaf(open.start, i + 1, LeafKind::Group(g))
    }

    /// `{...}` at `i`. An unclosed group ends at the end of its line or at the next `{`, so a
    /// run of stray braces cannot make the scan quadratic.
    fn group(&mut self, i: usize) -> usize {
        let mut j = i + 1;
        let mut closed = None;
        while j < self.end {
            match self.b[j] {
                b'}' => {
                    closed = Some(j);
                    break;
                }
                b'{' => break,
                b'\n' | b'\r'
                    if self.b[j..self.break_end(j)]
                        .iter()
                        .filter(|&&c| c == b'\n')
                        .count()
                        > 1 =>
                {
                    break;
                }
                _ => j += 1,
            }
        }
        let (content_end, end) = match closed {
            Some(k) => (k, k + 1),
            None => {
                // The end of its line, looked for only as far as the scan went: a long line of
                // groups stays linear.
                let stop = self.b[i + 1..j]
                    .iter()
                    .position(|&c| c == b'\n' || c == b'\r')
                    .map_or(j, |k| i + 1 + k);
                self.diags.push(
                    Span::new(i, i + 1),
                    Severity::Error,
                    "unclosed-group",
                    "attribution group `{` is never closed with `}`".into(),
                );
                (stop, stop)
            }
        };
        let content = Span::new(i + 1, content_end);
        let a = attribution::parse(content.of(self.src), content.start, self.actors, self.diags);
        let g = self.groups.len();
        self.groups.push(Group {
            span: Span::new(i, end),
            positions: a.positions,
            note: a.note,
            anchor: Anchor::Paragraph,
        });
        self.leaf(i, end, LeafKind::Group(g))
    }

    /// Indentation, list markers, `#` and HTML at the start of a line; a page number line.
    fn line_start(&mut self, i: usize) -> usize {
        let le = self.line_end(i);
        let line = &self.b[i..le];
        let trimmed = line.trim_ascii();
        if !trimmed.is_empty()
            && trimmed.len() <= 4
            && trimmed.iter().all(u8::is_ascii_digit)
            && i > 0
        {
            self.diags.push(
                Span::new(i, le),
                Severity::Note,
                "page-number",
                "a page number inside the paragraph is left out of its text".into(),
            );
            return self.leaf(i, le, LeafKind::Break);
        }
        let d = decoration(self.src, i, le);
        if d.end > i {
            self.leaf(i, d.end, LeafKind::Markup)
        } else {
            i
        }
    }

    fn run(&mut self, start: usize, label: Option<Span>) {
        let mut i = self.line_start(start);
        while i < self.end {
            if let Some(l) = label.filter(|l| l.start == i) {
                // The label leaf takes the blanks after it, so `[7.bis Noting` reads `[Noting`.
                let mut end = l.end.min(self.end);
                while end < self.end && matches!(self.b[end], b' ' | b'\t') {
                    end += 1;
                }
                i = self.leaf(i, end, LeafKind::Label);
                continue;
            }
            i = match self.b[i] {
                b'\n' | b'\r' => {
                    let j = self.break_end(i);
                    let j = self.leaf(i, j, LeafKind::Break);
                    if j < self.end { self.line_start(j) } else { j }
                }
                b'[' => self.open(i),
                b']' => self.close(i, CloseKind::Bracket),
                b'|' if self.pipe_before_group(i) => self.close(i, CloseKind::Pipe),
                b'{' => self.group(i),
                b'\\'
                    if self.b.get(i + 1).is_some_and(|c| ESCAPABLE.contains(c))
                        && i + 1 < self.end =>
                {
                    // `\[` is a literal bracket: the backslash is markup, the character text.
                    let j = self.leaf(i, i + 1, LeafKind::Markup);
                    j + 1
                }
                b'*' => {
                    let n = self.b[i..self.end]
                        .iter()
                        .take_while(|&&c| c == b'*')
                        .count();
                    self.leaf(i, i + n, LeafKind::Markup)
                }
                b'<' => match html_tag(&self.b[i..self.end]) {
                    0 => i + 1,
                    n => self.leaf(i, i + n, LeafKind::Markup),
                },
                _ => {
                    // Ordinary text: run to the next byte that matters (or the label).
                    let stop = label.map_or(self.end, |l| {
                        if l.start > i {
                            l.start.min(self.end)
                        } else {
                            self.end
                        }
                    });
                    let mut j = i + 1;
                    while j < stop && !SPECIAL[self.b[j] as usize] {
                        j += 1;
                    }
                    j
                }
            };
        }
        self.flush(self.end);
    }

    fn pipe_before_group(&self, i: usize) -> bool {
        self.b[i + 1..self.end]
            .iter()
            .find(|c| **c != b' ')
            .is_some_and(|c| *c == b'{')
    }
}

/// Parses the paragraph at `span`; `label` is the span of its label, if any.
/// `whole_paragraph_proposals`: an attribution that ends a paragraph with no bracket before it
/// proposes the paragraph itself (an alternative: `Alt1. d ... {CMR+}`), so it is not reported.
pub(super) fn parse(
    src: &str,
    span: Span,
    label: Option<Span>,
    whole_paragraph_proposals: bool,
    actors: &Actors,
    diags: &mut Diags,
) -> Body {
    let mut p = Parser {
        src,
        b: src.as_bytes(),
        end: span.end,
        actors,
        diags,
        // About one leaf per 16 bytes in a compilation text; fewer reallocations.
        leaves: Vec::with_capacity(span.len() / 16 + 4),
        brackets: Vec::new(),
        groups: Vec::new(),
        orphan_closes: Vec::new(),
        stack: Vec::new(),
        text_start: span.start,
    };
    p.run(span.start, label);
    let unclosed = std::mem::take(&mut p.stack);
    attach(&mut p, whole_paragraph_proposals);
    let agreed = find_stamp(&mut p);
    Body {
        leaves: p.leaves,
        brackets: p.brackets,
        groups: p.groups,
        orphan_closes: p.orphan_closes,
        unclosed,
        agreed,
    }
}

/// Text that may stand between a bracket and its attribution: spaces, dashes, or the rest of a
/// word the bracket cut (`[t][T]argets {USA+}`).
fn keeps_anchor(text: &str, glued: bool) -> bool {
    let t = text.trim();
    t.is_empty()
        || t.chars()
            .all(|c| matches!(c, '-' | '\u{2013}' | '\u{2014}' | ',' | ';' | ':' | '.'))
        || (glued && !text.starts_with(char::is_whitespace) && !t.contains(char::is_whitespace))
}

/// Ties each group to the bracket it follows and marks each bracket's proposer.
fn attach(p: &mut Parser<'_>, whole_paragraph_proposals: bool) {
    let last_group = p.leaves.iter().rposition(|l| match l.kind {
        LeafKind::Text => !l.span.of(p.src).trim().is_empty(),
        LeafKind::Break | LeafKind::Markup => false,
        _ => true,
    });
    let mut anchor: Option<Anchor> = None;
    let mut after_close = false;
    for (k, leaf) in p.leaves.iter().enumerate() {
        match leaf.kind {
            LeafKind::Close(b) => {
                anchor = Some(Anchor::Bracket(b));
                after_close = true;
                continue;
            }
            LeafKind::OrphanClose(k) => {
                anchor = Some(Anchor::OrphanClose(k));
                after_close = true;
                continue;
            }
            LeafKind::Group(g) => {
                let a = anchor.unwrap_or(Anchor::Paragraph);
                p.groups[g].anchor = a;
                match a {
                    Anchor::Bracket(b) => p.brackets[b].groups.push(g),
                    Anchor::OrphanClose(k) => p.orphan_closes[k].groups.push(g),
                    Anchor::Paragraph => {
                        let proposes_paragraph = whole_paragraph_proposals && last_group == Some(k);
                        if !p.groups[g].positions.is_empty() && !proposes_paragraph {
                            p.diags.push(
                                p.groups[g].span,
                                Severity::Warning,
                                "unanchored-group",
                                "attribution group with no bracket before it; its positions are read as applying to the whole paragraph".into(),
                            );
                        }
                    }
                }
            }
            LeafKind::Text => {
                if !keeps_anchor(leaf.span.of(p.src), after_close) {
                    anchor = None;
                }
            }
            LeafKind::Markup | LeafKind::Break => {}
            LeafKind::Open(_) | LeafKind::Label | LeafKind::Stamp => anchor = None,
        }
        after_close = false;
    }
    // Proposers and contradictions, per bracket (all its groups together), per closing
    // bracket without partner, and per free group.
    let free: Vec<usize> = (0..p.groups.len())
        .filter(|&g| p.groups[g].anchor == Anchor::Paragraph)
        .collect();
    let sets = p
        .brackets
        .iter()
        .map(|b| b.groups.as_slice())
        .chain(p.orphan_closes.iter().map(|o| o.groups.as_slice()))
        .chain(free.chunks(1));
    for set in sets {
        mark_proposer(&mut p.groups, set);
        check_positions(&p.groups, set, p.diags);
    }
}

/// The first support of a bracket, across all its groups, is its proposer.
fn mark_proposer(groups: &mut [Group], set: &[usize]) {
    for &g in set {
        if let Some(pos) = groups[g]
            .positions
            .iter_mut()
            .find(|pos| pos.stance == Stance::Support)
        {
            pos.proposer = true;
            return;
        }
    }
}

/// Reports an actor listed twice on one bracket, with the same or another stance.
fn check_positions(groups: &[Group], set: &[usize], diags: &mut Diags) {
    let positions = || set.iter().flat_map(|&g| groups[g].positions.iter());
    if positions().nth(1).is_none() {
        return;
    }
    // The first stance of each actor; a map only for big groups, to stay linear there.
    let mut few: Vec<(&str, Stance)> = Vec::new();
    let mut many: std::collections::HashMap<&str, Stance> = std::collections::HashMap::new();
    let big = positions().nth(16).is_some();
    for pos in positions() {
        let actor = pos.actor.as_str();
        let earlier = if big {
            many.get(actor).copied()
        } else {
            few.iter().find(|(a, _)| *a == actor).map(|(_, s)| *s)
        };
        match earlier {
            None if big => {
                many.insert(actor, pos.stance);
            }
            None => few.push((actor, pos.stance)),
            Some(earlier) => {
                let (code, message) = if earlier == pos.stance {
                    (
                        "repeated-position",
                        format!("{actor} is listed twice with the same position on one bracket"),
                    )
                } else if matches!(
                    (earlier, pos.stance),
                    (Stance::Support, Stance::Oppose) | (Stance::Oppose, Stance::Support)
                ) {
                    (
                        "contradictory-positions",
                        format!("{actor} both supports and opposes the same bracket"),
                    )
                } else {
                    (
                        "several-positions",
                        format!(
                            "{actor} takes two positions on one bracket ({earlier} and {})",
                            pos.stance
                        ),
                    )
                };
                diags.push(pos.span, Severity::Warning, code, message);
            }
        }
    }
}

/// The agreement stamp at the end of the paragraph, split out of the last text leaf.
fn find_stamp(p: &mut Parser<'_>) -> Option<AgreedStamp> {
    let k = p.leaves.iter().rposition(|l| match l.kind {
        LeafKind::Break | LeafKind::Markup => false,
        LeafKind::Text => !l.span.of(p.src).trim().is_empty(),
        _ => true,
    })?;
    let leaf = p.leaves[k];
    if leaf.kind != LeafKind::Text {
        return None;
    }
    let text = leaf.span.of(p.src);
    let found = stamp::find(text)?;
    let s = Span::new(leaf.span.start + found.start, leaf.span.start + found.end);
    let mut parts = Vec::with_capacity(3);
    if s.start > leaf.span.start {
        parts.push(Leaf {
            span: Span::new(leaf.span.start, s.start),
            kind: LeafKind::Text,
        });
    }
    parts.push(Leaf {
        span: s,
        kind: LeafKind::Stamp,
    });
    if s.end < leaf.span.end {
        parts.push(Leaf {
            span: Span::new(s.end, leaf.span.end),
            kind: LeafKind::Text,
        });
    }
    p.leaves.splice(k..=k, parts);
    Some(AgreedStamp {
        stamp: s.of(p.src).to_string(),
        date: found.date,
        time: found.time,
        span: s,
    })
}
