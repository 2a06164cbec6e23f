//! Section-level diffs between two parsed iterations of a draft: which paragraph became which
//! (alignment on content, not ids), the word-level changes inside each, and what happened to
//! each bracketed proposal. Plain data only; the command line and the TUI render it.
//!
//! ```
//! let old = brackets::parse("The Assembly,\n\nNoting the report,\n\n1. Decides to act;\n");
//! let new = brackets::parse("The Assembly,\n\nNoting the report,\n\n1. Decides to act [now] {USA+};\n");
//! let d = brackets::diff::diff(&old, &new);
//! assert_eq!(d.changes.len(), 2);
//! ```

pub mod align;
pub mod brackets;
pub mod words;

pub use align::Rule;
pub use brackets::{BracketChange, BracketChangeKind};
pub use words::{SpanKind, WordSpan};

use crate::model::Document;
use serde::Serialize;

/// What became of a paragraph (DESIGN section 4, contract).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Unchanged,
    Modified,
    Added,
    Removed,
    Moved,
    Renumbered,
    Split,
    Merged,
}

impl ChangeKind {
    pub const ALL: [ChangeKind; 8] = [
        ChangeKind::Unchanged,
        ChangeKind::Modified,
        ChangeKind::Added,
        ChangeKind::Removed,
        ChangeKind::Moved,
        ChangeKind::Renumbered,
        ChangeKind::Split,
        ChangeKind::Merged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Unchanged => "unchanged",
            ChangeKind::Modified => "modified",
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Moved => "moved",
            ChangeKind::Renumbered => "renumbered",
            ChangeKind::Split => "split",
            ChangeKind::Merged => "merged",
        }
    }
}

/// One aligned group of paragraphs and what changed in it.
#[derive(Debug, Clone, Serialize)]
pub struct ParagraphChange {
    pub kind: ChangeKind,
    /// Ids in the old iteration (empty when added).
    pub old: Vec<String>,
    /// Ids in the new iteration (empty when removed).
    pub new: Vec<String>,
    /// Word similarity of the plain texts, 0..1 (1 when identical, 0 when added or removed).
    pub similarity: f64,
    /// Which alignment rule matched the paragraphs (none for added and removed ones).
    pub rule: Option<Rule>,
    /// The section of the new paragraph (of the old one when removed).
    pub section: String,
    /// Word-level changes of the text as written (brackets and attributions are tokens);
    /// empty when the text is the same.
    pub words: Vec<WordSpan>,
    pub brackets: Vec<BracketChange>,
    /// Text that stood agreed (ad ref, or free of brackets) in the old iteration changed.
    pub reopened: bool,
    /// Agreed ad ref in the new iteration and not (all) in the old one.
    pub newly_agreed: bool,
    /// Actors whose proposals (brackets they proposed) are in the old or new paragraphs.
    pub actors: Vec<String>,
    /// Paragraph indices, for renderers that need the paragraphs themselves.
    #[serde(skip)]
    pub old_index: Vec<usize>,
    #[serde(skip)]
    pub new_index: Vec<usize>,
}

impl ParagraphChange {
    /// Whether a reader comparing the iterations needs to see it.
    pub fn is_change(&self) -> bool {
        self.kind != ChangeKind::Unchanged
            || !self.brackets.is_empty()
            || self.newly_agreed
            || self.reopened
    }

    pub fn involves(&self, id: &str) -> bool {
        self.old.iter().chain(&self.new).any(|x| x == id)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DocumentDiff {
    /// In the order of the new iteration; removed paragraphs at their old place.
    pub changes: Vec<ParagraphChange>,
}

impl DocumentDiff {
    pub fn count(&self, kind: ChangeKind) -> usize {
        self.changes.iter().filter(|c| c.kind == kind).count()
    }
}

/// A paragraph counts as settled when agreed ad ref, or when it holds no brackets at all.
fn settled(doc: &Document, pi: usize) -> bool {
    let p = &doc.paragraphs[pi];
    p.agreed.is_some()
        || (p.brackets.is_empty() && p.orphan_closes.is_empty() && !doc.is_inside_spanning(pi))
}

/// Compares two iterations paragraph by paragraph.
pub fn diff(old: &Document, new: &Document) -> DocumentDiff {
    compute(old, &Readings::of(old), new, &Readings::of(new), true)
}

/// Like [`diff`] without the word-level changes (`words` stays empty): for callers that need
/// the alignment and bracket changes only, such as the ledger, which compares every pair of
/// iterations of a history.
pub fn diff_without_words(old: &Document, new: &Document) -> DocumentDiff {
    compute(old, &Readings::of(old), new, &Readings::of(new), false)
}

/// Like [`diff_without_words`], on readings made once per iteration with [`Readings::of`]:
/// a history's iterations are each compared twice (with the one before and the one after).
pub fn diff_without_words_read(
    old: &Document,
    old_readings: &Readings,
    new: &Document,
    new_readings: &Readings,
) -> DocumentDiff {
    compute(old, old_readings, new, new_readings, false)
}

/// What the diff reads of each paragraph of one iteration, read once.
#[derive(Debug, Clone, Default)]
pub struct Readings {
    /// Plain text as tokens joined by single spaces: where a bracket stood, the plain
    /// reading leaves a space before a comma (`resolution , in`), which must not count as an
    /// edit.
    pub plain: Vec<String>,
    /// The words of `plain` for similarity scoring (`words::words`).
    pub words: Vec<Vec<String>>,
    /// The text as written (`Paragraph::text`).
    pub notation: Vec<String>,
    /// The paragraph's brackets as compared, the paragraph alone (`SideInfo::of`).
    pub sides: Vec<brackets::SideInfo>,
}

impl Readings {
    pub fn of(doc: &Document) -> Readings {
        let n = doc.paragraphs.len();
        let mut r = Readings {
            plain: Vec::with_capacity(n),
            words: Vec::with_capacity(n),
            notation: Vec::with_capacity(n),
            sides: Vec::with_capacity(n),
        };
        for (pi, p) in doc.paragraphs.iter().enumerate() {
            let text = p.plain_text(&doc.source);
            let tokens = words::tokens(&text);
            let mut plain = String::with_capacity(text.len() + tokens.len());
            for (k, t) in tokens.iter().enumerate() {
                if k > 0 {
                    plain.push(' ');
                }
                plain.push_str(t.text);
            }
            // The words of the tokens: what `words::words(&plain)` reads again.
            r.words.push(
                tokens
                    .iter()
                    .filter(|t| t.text.chars().next().is_some_and(char::is_alphanumeric))
                    .map(|t| t.text.to_lowercase())
                    .collect(),
            );
            r.sides
                .push(brackets::SideInfo::of_paragraph(doc, pi, &plain));
            r.plain.push(plain);
            r.notation.push(p.text(&doc.source));
        }
        r
    }

    /// The notation of some paragraphs, a pilcrow between them.
    fn joined(&self, idx: &[usize]) -> std::borrow::Cow<'_, str> {
        match idx {
            [i] => std::borrow::Cow::Borrowed(self.notation[*i].as_str()),
            _ => std::borrow::Cow::Owned(
                idx.iter()
                    .map(|&i| self.notation[i].as_str())
                    .collect::<Vec<_>>()
                    .join(" ¶ "),
            ),
        }
    }

    /// The brackets of some paragraphs as compared: the paragraph's own when only one.
    pub fn side<'a>(
        &'a self,
        doc: &Document,
        idx: &[usize],
    ) -> std::borrow::Cow<'a, brackets::SideInfo> {
        match idx {
            [i] if *i < self.sides.len() => std::borrow::Cow::Borrowed(&self.sides[*i]),
            _ => std::borrow::Cow::Owned(brackets::SideInfo::of(doc, idx)),
        }
    }
}

fn compute(
    old: &Document,
    old_r: &Readings,
    new: &Document,
    new_r: &Readings,
    with_words: bool,
) -> DocumentDiff {
    let old_plain = &old_r.plain;
    let new_plain = &new_r.plain;
    let op: Vec<&str> = old_plain.iter().map(String::as_str).collect();
    let np: Vec<&str> = new_plain.iter().map(String::as_str).collect();
    let (old_bags, new_bags, vocab) = align::bags_of_words(&old_r.words, &new_r.words);
    let old_side = align::Side {
        ids: old.paragraphs.iter().map(|p| p.id.as_str()).collect(),
        texts: op,
        bags: old_bags,
    };
    let new_side = align::Side {
        ids: new.paragraphs.iter().map(|p| p.id.as_str()).collect(),
        texts: np,
        bags: new_bags,
    };
    let alignment = align::align(&old_side, &new_side, vocab);

    let mut changes: Vec<ParagraphChange> = Vec::new();
    for link in &alignment.links {
        let same_plain = link.old.len() == 1
            && link.new.len() == 1
            && old_plain[link.old[0]] == new_plain[link.new[0]];
        let old_notation = old_r.joined(&link.old);
        let new_notation = new_r.joined(&link.new);
        let kind = match (link.old.len(), link.new.len()) {
            (1, 1) if link.moved => ChangeKind::Moved,
            (1, 1) if same_plain => {
                if old.paragraphs[link.old[0]].id != new.paragraphs[link.new[0]].id {
                    ChangeKind::Renumbered
                } else if old_notation == new_notation {
                    ChangeKind::Unchanged
                } else {
                    ChangeKind::Modified
                }
            }
            (1, 1) => ChangeKind::Modified,
            (1, _) => ChangeKind::Split,
            _ => ChangeKind::Merged,
        };
        let same_notation = old_notation == new_notation;
        let words = if !with_words || same_notation {
            Vec::new()
        } else {
            words::diff(&old_notation, &new_notation)
        };
        // The same paragraph written the same way: no bracket can have changed, so the
        // bracket comparison (most of the diff's work on a long draft) is skipped.
        if same_notation
            && let ([i], [j]) = (link.old.as_slice(), link.new.as_slice())
            && self_contained(old, *i)
            && self_contained(new, *j)
        {
            changes.push(identical(
                old,
                new,
                kind,
                *i,
                *j,
                link.similarity,
                link.rule,
            ));
            continue;
        }
        changes.push(change(
            (old, old_r),
            (new, new_r),
            kind,
            &link.old,
            &link.new,
            link.similarity,
            Some(link.rule),
            words,
        ));
    }
    for &i in &alignment.removed {
        let words = vec![WordSpan {
            kind: SpanKind::Deleted,
            text: old_r.notation[i].clone(),
        }];
        changes.push(change(
            (old, old_r),
            (new, new_r),
            ChangeKind::Removed,
            &[i],
            &[],
            0.0,
            None,
            words,
        ));
    }
    for &j in &alignment.added {
        let words = vec![WordSpan {
            kind: SpanKind::Inserted,
            text: new_r.notation[j].clone(),
        }];
        changes.push(change(
            (old, old_r),
            (new, new_r),
            ChangeKind::Added,
            &[],
            &[j],
            0.0,
            None,
            words,
        ));
    }

    // Document order of the new iteration; a removed paragraph goes right after the change
    // holding the old paragraph before it.
    let mut new_pos_of_old: Vec<Option<usize>> = vec![None; old.paragraphs.len()];
    for c in &changes {
        if let Some(&last) = c.new_index.iter().max() {
            for &i in &c.old_index {
                new_pos_of_old[i] = Some(last);
            }
        }
    }
    let key = |c: &ParagraphChange| -> (usize, u8, usize) {
        match c.new_index.iter().min() {
            Some(&j) => (j + 1, 0, 0),
            None => {
                let i = c.old_index.first().copied().unwrap_or(0);
                let anchor = (0..i)
                    .rev()
                    .find_map(|p| new_pos_of_old[p])
                    .map_or(0, |j| j + 1);
                (anchor, 1, i)
            }
        }
    };
    changes.sort_by_key(key);
    DocumentDiff { changes }
}

/// A paragraph whose brackets all open and close inside it, in a document without brackets
/// spanning paragraphs: what it says about proposals depends on its own text only.
fn self_contained(doc: &Document, pi: usize) -> bool {
    doc.spanning.is_empty()
        && doc
            .paragraphs
            .get(pi)
            .is_some_and(|p| p.orphan_closes.is_empty())
}

/// The actors proposing brackets in a self-contained paragraph, sorted.
fn proposers(doc: &Document, pi: usize) -> Vec<String> {
    let Some(p) = doc.paragraphs.get(pi) else {
        return Vec::new();
    };
    let mut actors: Vec<String> = p
        .brackets
        .iter()
        .flat_map(|b| b.groups.iter().filter_map(|&g| p.groups.get(g)))
        .flat_map(|g| g.positions.iter())
        .filter(|pos| pos.proposer)
        .map(|pos| pos.actor.clone())
        .collect();
    actors.sort();
    actors.dedup();
    actors
}

/// The change for two self-contained paragraphs with the same notation: what [`change`] gives
/// for them, without comparing their brackets (there is nothing to compare).
fn identical(
    old: &Document,
    new: &Document,
    kind: ChangeKind,
    i: usize,
    j: usize,
    similarity: f64,
    rule: Rule,
) -> ParagraphChange {
    let (op, np) = (&old.paragraphs[i], &new.paragraphs[j]);
    ParagraphChange {
        kind,
        old: vec![op.id.clone()],
        new: vec![np.id.clone()],
        similarity: (similarity * 1000.0).round() / 1000.0,
        rule: Some(rule),
        section: new.section_of(np).name(),
        words: Vec::new(),
        brackets: Vec::new(),
        // Same notation, same agreed words.
        reopened: false,
        newly_agreed: np.agreed.is_some() && op.agreed.is_none(),
        actors: proposers(old, i),
        old_index: vec![i],
        new_index: vec![j],
    }
}

#[allow(clippy::too_many_arguments)]
fn change(
    (old, old_r): (&Document, &Readings),
    (new, new_r): (&Document, &Readings),
    kind: ChangeKind,
    oi: &[usize],
    ni: &[usize],
    similarity: f64,
    rule: Option<Rule>,
    words: Vec<WordSpan>,
) -> ParagraphChange {
    let before = old_r.side(old, oi);
    let after = new_r.side(new, ni);
    // Sides read the same compare to nothing.
    let bracket_changes = if before == after {
        Vec::new()
    } else {
        brackets::compare(&before, &after)
    };
    let reopened = match kind {
        ChangeKind::Added => false,
        ChangeKind::Removed => oi.iter().any(|&i| old.paragraphs[i].agreed.is_some()),
        _ => oi.iter().any(|&i| settled(old, i)) && before.agreed != after.agreed,
    };
    let newly_agreed = !ni.is_empty()
        && ni.iter().all(|&j| new.paragraphs[j].agreed.is_some())
        && (oi.is_empty() || !oi.iter().all(|&i| old.paragraphs[i].agreed.is_some()));
    let mut actors: Vec<String> = before
        .brackets
        .iter()
        .chain(&after.brackets)
        .flat_map(|b| {
            b.positions
                .iter()
                .filter(|p| p.proposer)
                .map(|p| p.actor.clone())
        })
        .collect();
    actors.sort();
    actors.dedup();
    let section = ni
        .first()
        .map(|&j| new.section_of(&new.paragraphs[j]).name())
        .or_else(|| {
            oi.first()
                .map(|&i| old.section_of(&old.paragraphs[i]).name())
        })
        .unwrap_or_default();
    ParagraphChange {
        kind,
        old: oi.iter().map(|&i| old.paragraphs[i].id.clone()).collect(),
        new: ni.iter().map(|&j| new.paragraphs[j].id.clone()).collect(),
        similarity: (similarity * 1000.0).round() / 1000.0,
        rule,
        section,
        words,
        brackets: bracket_changes,
        reopened,
        newly_agreed,
        actors,
        old_index: oi.to_vec(),
        new_index: ni.to_vec(),
    }
}
