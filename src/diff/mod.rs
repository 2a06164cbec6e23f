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
    /// Text that stood agreed (ad ref, or free of brackets in a text under negotiation) in the
    /// old iteration changed.
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

/// A paragraph counts as settled when agreed ad ref, or when it holds no brackets at all in a
/// text `negotiated` ([`under_negotiation`]). A text without a single bracket or ad ref stamp
/// (a zero draft) has not been negotiated yet: its paragraphs are proposals, and the first
/// reading changing them reopens nothing.
fn settled(doc: &Document, pi: usize, negotiated: bool) -> bool {
    let p = &doc.paragraphs[pi];
    p.agreed.is_some()
        || (negotiated
            && p.brackets.is_empty()
            && p.orphan_closes.is_empty()
            && !doc.is_inside_spanning(pi))
}

/// Whether any paragraph of `doc` holds a bracket or an ad ref stamp.
fn under_negotiation(doc: &Document) -> bool {
    doc.paragraphs
        .iter()
        .any(|p| p.agreed.is_some() || !p.brackets.is_empty() || !p.orphan_closes.is_empty())
}

/// Compares two iterations paragraph by paragraph.
pub fn diff(old: &Document, new: &Document) -> DocumentDiff {
    let (old_r, new_r) = Readings::pair(old, new);
    compute(old, &old_r, new, &new_r, true)
}

/// Like [`diff`] without the word-level changes (`words` stays empty): for callers that need
/// the alignment and bracket changes only, such as the ledger, which compares every pair of
/// iterations of a history.
pub fn diff_without_words(old: &Document, new: &Document) -> DocumentDiff {
    let (old_r, new_r) = Readings::pair(old, new);
    compute(old, &old_r, new, &new_r, false)
}

/// Like [`diff`], on readings already made ([`Readings::after_in_progress`]).
pub fn diff_read(
    old: &Document,
    old_readings: &Readings,
    new: &Document,
    new_readings: &Readings,
) -> DocumentDiff {
    compute(old, old_readings, new, new_readings, true)
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

/// What the diff reads of one paragraph.
#[derive(Debug, Clone, Default)]
pub struct Reading {
    /// Plain text as tokens joined by single spaces: where a bracket stood, the plain
    /// reading leaves a space before a comma (`resolution , in`), which must not count as an
    /// edit.
    pub plain: String,
    /// The words of `plain` for similarity scoring (`words::words`), each as a 64-bit hash
    /// of its lower-cased text: the aligner only asks which words two paragraphs share.
    pub words: Vec<u64>,
    /// The text as written (`Paragraph::text`).
    pub notation: String,
    /// The paragraph's brackets as compared, the paragraph alone (`SideInfo::of_paragraph`):
    /// made when first asked for (`Readings::side`), since only paragraphs whose text changed
    /// are compared bracket by bracket.
    side: std::sync::OnceLock<brackets::SideInfo>,
}

impl Reading {
    fn of(doc: &Document, pi: usize) -> Reading {
        let p = &doc.paragraphs[pi];
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
        let mut lower = String::new();
        let words = tokens
            .iter()
            .filter(|t| t.text.chars().next().is_some_and(char::is_alphanumeric))
            .map(|t| words::key(t.text, &mut lower))
            .collect();
        // Without bracket marks or groups the text as written is the plain text.
        let notation = if p.reads_plainly() {
            text
        } else {
            p.text(&doc.source)
        };
        Reading {
            plain,
            words,
            notation,
            side: std::sync::OnceLock::new(),
        }
    }
}

/// What the diff reads of each paragraph of one iteration, read once. A paragraph written the
/// same way in two iterations shares one reading.
#[derive(Debug, Clone, Default)]
pub struct Readings {
    pub paragraphs: Vec<std::sync::Arc<Reading>>,
}

/// Documents smaller than this are read on one thread: starting a second costs more.
const THREADED_READINGS: usize = 16 * 1024;

impl Readings {
    pub fn of(doc: &Document) -> Readings {
        Readings {
            paragraphs: (0..doc.paragraphs.len())
                .map(|pi| std::sync::Arc::new(Reading::of(doc, pi)))
                .collect(),
        }
    }

    /// The readings of two iterations, the second sharing the first's reading of every
    /// paragraph it writes the same way (most of them, between consecutive iterations). The
    /// readings are made on two threads when the drafts are long enough to repay it.
    pub fn pair(old: &Document, new: &Document) -> (Readings, Readings) {
        let same = shared_readings(old, new);
        // The paragraphs to read: every old one, and the new ones not shared. Split in two
        // halves of about equal length, one for each core.
        let jobs: Vec<(bool, usize)> = (0..old.paragraphs.len())
            .map(|i| (false, i))
            .chain(
                (0..new.paragraphs.len())
                    .filter(|&j| same[j].is_none())
                    .map(|j| (true, j)),
            )
            .collect();
        let doc_of = |is_new: bool| if is_new { new } else { old };
        let read_all = on_two_cores(
            &jobs,
            |&(is_new, k)| doc_of(is_new).paragraphs[k].span.len(),
            |&(is_new, k)| Reading::of(doc_of(is_new), k),
        );
        let mut old_r: Vec<Option<std::sync::Arc<Reading>>> = vec![None; old.paragraphs.len()];
        let mut new_r: Vec<Option<std::sync::Arc<Reading>>> = vec![None; new.paragraphs.len()];
        for (&(is_new, k), reading) in jobs.iter().zip(read_all) {
            let slot = if is_new { &mut new_r[k] } else { &mut old_r[k] };
            *slot = Some(std::sync::Arc::new(reading));
        }
        let old_r: Vec<std::sync::Arc<Reading>> = old_r
            .into_iter()
            .enumerate()
            .map(|(i, r)| r.unwrap_or_else(|| std::sync::Arc::new(Reading::of(old, i))))
            .collect();
        let new_r = new_r
            .into_iter()
            .enumerate()
            .map(|(j, r)| match (r, same[j]) {
                (Some(r), _) => r,
                (None, Some(i)) => std::sync::Arc::clone(&old_r[i]),
                // Not reached: every paragraph is read or shared.
                (None, None) => std::sync::Arc::new(Reading::of(new, j)),
            })
            .collect();
        (
            Readings { paragraphs: old_r },
            Readings { paragraphs: new_r },
        )
    }

    /// The readings of `old` (being made by other threads, see [`ReadingsInProgress`]) and of
    /// `new`, sharing `old`'s reading of every paragraph written the same way. This thread
    /// reads the new paragraphs not shared, then helps with the old ones still unread.
    pub fn after_in_progress(old: &ReadingsInProgress<'_>, new: &Document) -> (Readings, Readings) {
        let same = shared_readings(old.doc, new);
        let read: Vec<Option<std::sync::Arc<Reading>>> = same
            .iter()
            .enumerate()
            .map(|(j, same)| {
                same.is_none()
                    .then(|| std::sync::Arc::new(Reading::of(new, j)))
            })
            .collect();
        old.help();
        let old_r = old.finish();
        let new_r = read
            .into_iter()
            .zip(&same)
            .enumerate()
            .map(|(j, (r, same))| match (r, same) {
                (Some(r), _) => r,
                (None, Some(i)) => std::sync::Arc::clone(&old_r.paragraphs[*i]),
                // Not reached: every paragraph is read or shared.
                (None, None) => std::sync::Arc::new(Reading::of(new, j)),
            })
            .collect();
        (old_r, Readings { paragraphs: new_r })
    }

    /// The readings of `doc`, sharing those of `earlier` (an earlier iteration, already read)
    /// for every paragraph written the same way; on this thread.
    pub fn after(earlier: &Document, earlier_readings: &Readings, doc: &Document) -> Readings {
        let same = shared_readings(earlier, doc);
        Readings {
            paragraphs: same
                .iter()
                .enumerate()
                .map(
                    |(j, same)| match same.and_then(|i| earlier_readings.paragraphs.get(i)) {
                        Some(r) => std::sync::Arc::clone(r),
                        None => std::sync::Arc::new(Reading::of(doc, j)),
                    },
                )
                .collect(),
        }
    }

    fn plain(&self, i: usize) -> &str {
        &self.paragraphs[i].plain
    }

    fn notation(&self, i: usize) -> &str {
        &self.paragraphs[i].notation
    }

    /// The notation of some paragraphs, a pilcrow between them.
    fn joined(&self, idx: &[usize]) -> std::borrow::Cow<'_, str> {
        match idx {
            [i] => std::borrow::Cow::Borrowed(self.notation(*i)),
            _ => std::borrow::Cow::Owned(
                idx.iter()
                    .map(|&i| self.notation(i))
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
            [i] if *i < self.paragraphs.len() => {
                let reading = &self.paragraphs[*i];
                std::borrow::Cow::Borrowed(
                    reading
                        .side
                        .get_or_init(|| brackets::SideInfo::of_paragraph(doc, *i, &reading.plain)),
                )
            }
            _ => std::borrow::Cow::Owned(brackets::SideInfo::of(doc, idx)),
        }
    }
}

/// The readings of one iteration, made by whichever threads call [`help`](Self::help): `diff`
/// starts reading the old iteration on the thread that parsed it while the new one is still
/// being read and parsed, and the other thread joins in when it is done with its own.
pub struct ReadingsInProgress<'d> {
    doc: &'d Document,
    /// The first paragraph no thread has taken yet.
    next: std::sync::atomic::AtomicUsize,
    read: Vec<std::sync::OnceLock<std::sync::Arc<Reading>>>,
}

impl<'d> ReadingsInProgress<'d> {
    /// Paragraphs a thread takes at a time: few enough that the threads finish together.
    const CHUNK: usize = 8;

    pub fn new(doc: &'d Document) -> ReadingsInProgress<'d> {
        ReadingsInProgress {
            doc,
            next: std::sync::atomic::AtomicUsize::new(0),
            read: (0..doc.paragraphs.len())
                .map(|_| std::sync::OnceLock::new())
                .collect(),
        }
    }

    /// Reads paragraphs no thread has taken, until none is left.
    pub fn help(&self) {
        use std::sync::atomic::Ordering;
        loop {
            let start = self.next.fetch_add(Self::CHUNK, Ordering::Relaxed);
            if start >= self.read.len() {
                return;
            }
            for i in start..(start + Self::CHUNK).min(self.read.len()) {
                self.reading(i);
            }
        }
    }

    fn reading(&self, i: usize) -> std::sync::Arc<Reading> {
        // A paragraph another thread is reading is waited for, not read twice.
        std::sync::Arc::clone(
            self.read[i].get_or_init(|| std::sync::Arc::new(Reading::of(self.doc, i))),
        )
    }

    /// Every paragraph's reading: those still unread are read here, those another thread is
    /// reading are waited for.
    pub fn finish(&self) -> Readings {
        Readings {
            paragraphs: (0..self.read.len()).map(|i| self.reading(i)).collect(),
        }
    }
}

/// For each paragraph of `new`, the paragraph of `old` whose reading it can share: written the
/// same way, byte for byte, and read into the same pieces. A reading depends on the
/// paragraph's own text, except where a bracket spans paragraphs: then nothing is shared.
fn shared_readings(old: &Document, new: &Document) -> Vec<Option<usize>> {
    let mut same: Vec<Option<usize>> = vec![None; new.paragraphs.len()];
    if !(old.spanning.is_empty() && new.spanning.is_empty()) {
        return same;
    }
    let mut by_text: rustc_hash::FxHashMap<&str, usize> = Default::default();
    for (i, p) in old.paragraphs.iter().enumerate() {
        if p.orphan_closes.is_empty() {
            by_text.entry(p.span.of(&old.source)).or_insert(i);
        }
    }
    for (j, p) in new.paragraphs.iter().enumerate() {
        if p.orphan_closes.is_empty() {
            same[j] = by_text
                .get(p.span.of(&new.source))
                .copied()
                .filter(|&i| same_leaves(&old.paragraphs[i], p));
        }
    }
    same
}

/// Whether two paragraphs of the same bytes were read into the same pieces (the same kinds at
/// the same offsets): the same text can read differently in another context (a label where a
/// numbered list is expected), and then it must be read again.
fn same_leaves(a: &crate::model::Paragraph, b: &crate::model::Paragraph) -> bool {
    a.leaves.len() == b.leaves.len()
        && a.leaves.iter().zip(&b.leaves).all(|(x, y)| {
            x.kind == y.kind
                && x.span.start.checked_sub(a.span.start) == y.span.start.checked_sub(b.span.start)
                && x.span.len() == y.span.len()
        })
}

/// `f` of every item, in order, on two threads when the items weigh at least
/// [`THREADED_READINGS`] in all (two halves of about equal weight), else on this one.
pub fn on_two_cores<T: Sync, R: Send>(
    items: &[T],
    weight: impl Fn(&T) -> usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    on_two_cores_owned(items.iter().collect(), |item| weight(item), f)
}

/// [`on_two_cores`] for items `f` consumes.
pub fn on_two_cores_owned<T: Send, R: Send>(
    mut items: Vec<T>,
    weight: impl Fn(&T) -> usize,
    f: impl Fn(T) -> R + Sync,
) -> Vec<R> {
    let total: usize = items.iter().map(&weight).sum();
    if total < THREADED_READINGS || items.len() < 2 {
        return items.into_iter().map(&f).collect();
    }
    let mut half = 0;
    let split = items
        .iter()
        .position(|item| {
            half += weight(item);
            half * 2 >= total
        })
        .map_or(items.len(), |k| k + 1);
    let second = items.split_off(split);
    std::thread::scope(|s| {
        let f = &f;
        let other = s.spawn(move || second.into_iter().map(f).collect::<Vec<R>>());
        let mut all: Vec<R> = items.into_iter().map(f).collect();
        // A panic on the other thread is re-raised here, as if it were one thread.
        all.extend(
            other
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e)),
        );
        all
    })
}

fn compute(
    old: &Document,
    old_r: &Readings,
    new: &Document,
    new_r: &Readings,
    with_words: bool,
) -> DocumentDiff {
    let op: Vec<&str> = old_r.paragraphs.iter().map(|r| r.plain.as_str()).collect();
    let np: Vec<&str> = new_r.paragraphs.iter().map(|r| r.plain.as_str()).collect();
    let (old_bags, new_bags, vocab) = align::bags_of_words(
        old_r.paragraphs.iter().map(|r| r.words.as_slice()),
        new_r.paragraphs.iter().map(|r| r.words.as_slice()),
    );
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

    // The change of each link, each removed and each added paragraph. With word changes they
    // are made on both cores: the word diff of a pair written differently, then what became
    // of its brackets.
    enum Job<'a> {
        Link(&'a align::Link),
        Removed(usize),
        Added(usize),
    }
    let jobs: Vec<Job<'_>> = alignment
        .links
        .iter()
        .map(Job::Link)
        .chain(alignment.removed.iter().map(|&i| Job::Removed(i)))
        .chain(alignment.added.iter().map(|&j| Job::Added(j)))
        .collect();
    // Once per diff, not per change: it reads the whole old iteration.
    let negotiated = under_negotiation(old);
    // A paragraph on one side only: its whole text is the word change.
    let one_side = |kind, oi: &[usize], ni: &[usize], span: SpanKind, text: &str| {
        let words = vec![WordSpan {
            kind: span,
            text: text.to_string(),
        }];
        let sides = ((old, old_r), (new, new_r));
        change(sides, negotiated, kind, oi, ni, 0.0, None, words)
    };
    let make = |job: Job<'_>| -> ParagraphChange {
        match job {
            Job::Link(link) => {
                link_change(((old, old_r), (new, new_r)), negotiated, link, with_words)
            }
            Job::Removed(i) => one_side(
                ChangeKind::Removed,
                &[i],
                &[],
                SpanKind::Deleted,
                old_r.notation(i),
            ),
            Job::Added(j) => one_side(
                ChangeKind::Added,
                &[],
                &[j],
                SpanKind::Inserted,
                new_r.notation(j),
            ),
        }
    };
    // What each job costs, roughly: its text, when it has to be compared.
    let weight = |job: &Job<'_>| match job {
        Job::Link(link) => {
            let (a, b) = (old_r.joined(&link.old), new_r.joined(&link.new));
            if a == b { 0 } else { a.len() + b.len() }
        }
        Job::Removed(i) => old_r.notation(*i).len(),
        Job::Added(j) => new_r.notation(*j).len(),
    };
    let mut changes: Vec<ParagraphChange> = if with_words {
        on_two_cores_owned(jobs, weight, make)
    } else {
        jobs.into_iter().map(make).collect()
    };

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

/// The change one link of the alignment stands for, with its word diff when `with_words`.
fn link_change(
    ((old, old_r), (new, new_r)): Sides<'_>,
    negotiated: bool,
    link: &align::Link,
    with_words: bool,
) -> ParagraphChange {
    let same_plain = link.old.len() == 1
        && link.new.len() == 1
        && old_r.plain(link.old[0]) == new_r.plain(link.new[0]);
    let old_notation = old_r.joined(&link.old);
    let new_notation = new_r.joined(&link.new);
    let same_notation = old_notation == new_notation;
    let kind = match (link.old.len(), link.new.len()) {
        (1, 1) if link.moved => ChangeKind::Moved,
        (1, 1) if same_plain => {
            if old.paragraphs[link.old[0]].id != new.paragraphs[link.new[0]].id {
                ChangeKind::Renumbered
            } else if same_notation {
                ChangeKind::Unchanged
            } else {
                ChangeKind::Modified
            }
        }
        (1, 1) => ChangeKind::Modified,
        (1, _) => ChangeKind::Split,
        _ => ChangeKind::Merged,
    };
    // The same paragraph written the same way: no bracket can have changed, so the
    // bracket comparison (most of the diff's work on a long draft) is skipped.
    if same_notation
        && let ([i], [j]) = (link.old.as_slice(), link.new.as_slice())
        && self_contained(old, *i)
        && self_contained(new, *j)
    {
        return identical(old, new, kind, *i, *j, link.similarity, link.rule);
    }
    let words = if same_notation || !with_words {
        Vec::new()
    } else {
        words::diff(&old_notation, &new_notation)
    };
    change(
        ((old, old_r), (new, new_r)),
        negotiated,
        kind,
        &link.old,
        &link.new,
        link.similarity,
        Some(link.rule),
        words,
    )
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

/// The old and the new iteration, each with its readings.
type Sides<'a> = ((&'a Document, &'a Readings), (&'a Document, &'a Readings));

/// One change; `negotiated`: whether the old iteration is [`under_negotiation`].
#[allow(clippy::too_many_arguments)]
fn change(
    ((old, old_r), (new, new_r)): Sides<'_>,
    negotiated: bool,
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
        _ => oi.iter().any(|&i| settled(old, i, negotiated)) && before.agreed != after.agreed,
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The items are consumed in order, each once, on two threads when they weigh enough,
    /// and the results come back in the items' order.
    #[test]
    fn on_two_cores_keeps_the_order_and_uses_both() {
        let items: Vec<String> = (0..500).map(|k| format!("item {k}")).collect();
        let threads = std::sync::Mutex::new(std::collections::BTreeSet::new());
        let got = on_two_cores_owned(
            items.clone(),
            |_| THREADED_READINGS / 100,
            |item| {
                if let Ok(mut t) = threads.lock() {
                    t.insert(format!("{:?}", std::thread::current().id()));
                }
                item.to_uppercase()
            },
        );
        let expected: Vec<String> = items.iter().map(|s| s.to_uppercase()).collect();
        assert_eq!(got, expected);
        assert_eq!(threads.lock().map(|t| t.len()).unwrap_or(0), 2);
        // Light items stay on the calling thread.
        let light = on_two_cores_owned(vec![1, 2, 3], |_| 1, |n| n * 2);
        assert_eq!(light, vec![2, 4, 6]);
    }
}
