//! Following each bracket from iteration to iteration: the diff aligns the paragraphs and
//! pairs the brackets of each aligned group; what pairs continues a proposal, what is left
//! over was proposed, agreed, dropped or regrouped.

use super::figures::{self, NoteEntry};
use super::{
    Event, EventKind, Ledger, Outcome, Proposal, ProposalKind, Replacement, ReplacementRole,
    Source, Step, Suggestion, SuggestionKind, TextChange, Who,
};
use crate::diff::brackets::{Info, SideInfo, became_agreed, compare, holds, pair, still_there};
use crate::diff::{self, BracketChangeKind, ChangeKind, Readings};
use crate::model::{Document, LeafKind, Position, Stance};
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// Beyond this many brackets, the quadratic searches (the bracket now holding regrouped words,
/// alternatives agreed at once) are skipped: hostile input must not hang the ledger.
const MAX_ALTERNATIVES: usize = 200;

/// Per paragraph of one iteration, per bracket: the proposal it belongs to.
type Live = Vec<Vec<Option<usize>>>;

fn empty_live(doc: &Document) -> Live {
    doc.paragraphs
        .iter()
        .map(|p| vec![None; p.brackets.len()])
        .collect()
}

/// Where each bracket of some paragraphs is, in the order of `SideInfo::brackets`.
fn locs(doc: &Document, paragraphs: &[usize]) -> Vec<(usize, usize)> {
    paragraphs
        .iter()
        .filter_map(|&pi| doc.paragraphs.get(pi).map(|p| (pi, p.brackets.len())))
        .flat_map(|(pi, n)| (0..n).map(move |b| (pi, b)))
        .collect()
}

/// `f` of each item, in order, on both cores when there are several items. For plain
/// functions of their input: the order they run in changes nothing.
pub(super) fn in_order<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || items.len() < 2 {
        return items.into_iter().map(f).collect();
    }
    let n = items.len();
    // Interleaved halves: iterations grow over a history, so halves by position would not
    // balance.
    let (mut even, mut odd) = (Vec::with_capacity(n / 2 + 1), Vec::with_capacity(n / 2));
    for (k, item) in items.into_iter().enumerate() {
        if k % 2 == 0 {
            even.push(item);
        } else {
            odd.push(item);
        }
    }
    let f = &f;
    let (even, odd) = std::thread::scope(|s| {
        let other = s.spawn(move || odd.into_iter().map(f).collect::<Vec<R>>());
        let even: Vec<R> = even.into_iter().map(f).collect();
        (even, other.join())
    });
    let odd = match odd {
        Ok(odd) => odd,
        Err(panic) => std::panic::resume_unwind(panic),
    };
    let mut out = Vec::with_capacity(n);
    let (mut e, mut o) = (even.into_iter(), odd.into_iter());
    for k in 0..n {
        out.extend(if k % 2 == 0 { e.next() } else { o.next() });
    }
    out
}

/// Each iteration's readings and each pair's diff (on both cores).
fn readings_and_diffs(docs: &[Document]) -> (Vec<Readings>, Vec<diff::DocumentDiff>) {
    // Even iterations are read whole; each odd one then shares its predecessor's reading of
    // every paragraph it did not change (most of them).
    let even = in_order(docs.iter().step_by(2).collect(), Readings::of);
    let odd = in_order((1..docs.len()).step_by(2).collect(), |k| {
        Readings::after(&docs[k - 1], &even[(k - 1) / 2], &docs[k])
    });
    let (mut even, mut odd) = (even.into_iter(), odd.into_iter());
    let readings: Vec<Readings> = (0..docs.len())
        .filter_map(|k| if k % 2 == 0 { even.next() } else { odd.next() })
        .collect();
    let diffs = in_order((1..docs.len()).collect(), |k| {
        diff::diff_without_words_read(&docs[k - 1], &readings[k - 1], &docs[k], &readings[k])
    });
    (readings, diffs)
}

fn token_line(text: &str) -> String {
    let mut s = String::from(" ");
    for t in diff::words::tokens(text) {
        s.push_str(t.text);
        s.push(' ');
    }
    s
}

fn proposer(positions: &[Position]) -> Option<&str> {
    positions
        .iter()
        .find(|p| p.proposer)
        .map(|p| p.actor.as_str())
}

fn deleters(positions: &[Position]) -> Vec<&str> {
    positions
        .iter()
        .filter(|p| p.stance == Stance::Delete)
        .map(|p| p.actor.as_str())
        .collect()
}

fn actors_of(positions: &[Position]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in positions {
        if !out.contains(&p.actor) {
            out.push(p.actor.clone());
        }
    }
    out
}

/// Who made a change in an iteration: the commit's `Proposed-by:` actors among `candidates`
/// (the actors concerned), else the only `Proposed-by:` actor, else the author.
pub(super) fn who_in(step: &Step, candidates: &[String]) -> Who {
    let hit: Vec<String> = step
        .proposed_by
        .iter()
        .filter(|a| candidates.contains(a))
        .cloned()
        .collect();
    let (actors, source) = if !hit.is_empty() {
        (hit, Source::Trailer)
    } else if step.proposed_by.len() == 1 {
        (step.proposed_by.clone(), Source::Trailer)
    } else if !step.on_behalf_of.is_empty() {
        (Vec::new(), Source::Trailer)
    } else {
        (Vec::new(), Source::Author)
    };
    Who {
        actors,
        on_behalf_of: step.on_behalf_of.clone(),
        author: step.author.clone(),
        source,
    }
}

fn who_actor(step: &Step, actor: &str) -> Who {
    Who {
        actors: vec![actor.to_string()],
        on_behalf_of: step.on_behalf_of.clone(),
        author: step.author.clone(),
        source: Source::Notation,
    }
}

/// Runs of sibling brackets that follow each other with only space (and the first one's
/// attributions) between them: alternatives and replacements. Bracket indices, in order.
pub(super) fn adjacent_runs(doc: &Document, pi: usize) -> Vec<Vec<usize>> {
    let p = &doc.paragraphs[pi];
    let mut runs: Vec<Vec<usize>> = Vec::new();
    // The bracket whose close (and groups) we are right after, with no words since.
    let mut after: Option<usize> = None;
    for leaf in &p.leaves {
        match leaf.kind {
            LeafKind::Close(b) => after = Some(b),
            LeafKind::Group(_) | LeafKind::Break | LeafKind::Markup => {}
            LeafKind::Text if leaf.span.of(&doc.source).trim().is_empty() => {}
            LeafKind::Open(b) => {
                if let Some(a) = after
                    && p.brackets.get(a).map(|x| x.parent) == p.brackets.get(b).map(|x| x.parent)
                {
                    match runs.last_mut() {
                        Some(run) if run.last() == Some(&a) => run.push(b),
                        _ => runs.push(vec![a, b]),
                    }
                }
                after = None;
            }
            _ => after = None,
        }
    }
    runs
}

struct Builder {
    steps: Vec<Step>,
    proposals: Vec<Proposal>,
    replacements: Vec<Replacement>,
    changes: Vec<TextChange>,
    suggestions: Vec<Suggestion>,
    notes: Vec<NoteEntry>,
    /// For resolved proposals: the paragraph (index in the iteration of `resolved`) holding
    /// their words, to be followed to the newest iteration.
    resolved_at: HashMap<usize, usize>,
}

impl Builder {
    fn propose(
        &mut self,
        k: usize,
        doc: &Document,
        pi: usize,
        info: &Info,
        bracketed: bool,
    ) -> usize {
        let id = self.proposals.len();
        let step = &self.steps[k];
        // A bracket whose first position asks to delete it is a deletion request: text that
        // stood before, which nobody proposes here (a later `+` supports keeping it).
        let deletion_first = info
            .positions
            .first()
            .is_some_and(|x| x.stance == Stance::Delete);
        let proposer = proposer(&info.positions)
            .filter(|_| !deletion_first)
            .map(str::to_string);
        let deleters = deleters(&info.positions);
        let kind = if proposer.is_some() {
            ProposalKind::Insertion
        } else if !deleters.is_empty() {
            ProposalKind::Deletion
        } else {
            ProposalKind::Unattributed
        };
        // Who introduced it: its proposer, or the first actor asking for its deletion.
        let by_actor = proposer.as_deref().or(deleters.first().copied());
        let introduced_by = match by_actor {
            Some(a) => who_actor(step, a),
            None => who_in(step, &[]),
        };
        let paragraph = doc.paragraphs[pi].id.clone();
        self.proposals.push(Proposal {
            id,
            kind,
            proposer,
            text: info.quote().to_string(),
            first_text: info.quote().to_string(),
            words: info.text.clone(),
            paragraph: paragraph.clone(),
            first_paragraph: paragraph.clone(),
            current_paragraph: None,
            introduced: k,
            last_seen: k,
            outcome: Outcome::Open,
            resolved: None,
            replaced_by: None,
            replacement: None,
            positions: info.positions.clone(),
            introduced_by: introduced_by.clone(),
            resolved_by: None,
            events: vec![Event {
                iteration: k,
                kind: if bracketed {
                    EventKind::Bracketed
                } else {
                    EventKind::Proposed
                },
                paragraph,
                actor: None,
                stance: None,
                old_stance: None,
                text: None,
                by: introduced_by,
            }],
            history: vec![(k, info.positions.clone())],
        });
        id
    }

    /// Records that the proposal stands in `paragraph` in iteration `k`: an event when the
    /// paragraph's id changed.
    fn moved_to(&mut self, k: usize, id: usize, paragraph: &str) {
        let step = &self.steps[k];
        let p = &mut self.proposals[id];
        if p.paragraph != paragraph {
            p.events.push(Event {
                iteration: k,
                kind: EventKind::Renumbered,
                paragraph: paragraph.to_string(),
                actor: None,
                stance: None,
                old_stance: None,
                text: Some(p.paragraph.clone()),
                by: who_in(step, &[]),
            });
            p.paragraph = paragraph.to_string();
        }
    }

    fn continued(&mut self, k: usize, id: usize, paragraph: &str, old: &Info, new: &Info) {
        self.moved_to(k, id, paragraph);
        let step = self.steps[k].clone();
        let p = &mut self.proposals[id];
        if old.text != new.text || old.positions != new.positions {
            let one = |i: &Info| SideInfo {
                brackets: vec![i.clone()],
                ..SideInfo::default()
            };
            for c in compare(&one(old), &one(new)) {
                let kind = match c.kind {
                    BracketChangeKind::Edited => EventKind::Edited,
                    BracketChangeKind::Joined => EventKind::Joined,
                    BracketChangeKind::Left => EventKind::Left,
                    BracketChangeKind::ChangedStance => EventKind::ChangedStance,
                    BracketChangeKind::ReservationPlaced => EventKind::ReservationPlaced,
                    BracketChangeKind::ReservationLifted => EventKind::ReservationLifted,
                    _ => continue,
                };
                let by = match (&c.actor, kind) {
                    (Some(a), _) => who_actor(&step, a),
                    (None, _) => who_in(&step, &actors_of(&new.positions)),
                };
                p.events.push(Event {
                    iteration: k,
                    kind,
                    paragraph: paragraph.to_string(),
                    actor: c.actor.clone(),
                    stance: c.stance,
                    old_stance: c.old_stance,
                    // The one bracket compared is `new`: its quote, not only its words.
                    text: (kind == EventKind::Edited).then(|| new.quote().to_string()),
                    by,
                });
            }
        }
        p.text = new.quote().to_string();
        p.words = new.text.clone();
        p.positions = new.positions.clone();
        p.last_seen = k;
        p.history.push((k, new.positions.clone()));
    }

    /// A proposal standing unchanged in iteration `k`, in paragraph `paragraph`.
    fn carried(&mut self, k: usize, id: usize, paragraph: &str) {
        self.moved_to(k, id, paragraph);
        let p = &mut self.proposals[id];
        p.last_seen = k;
        let positions = p.positions.clone();
        p.history.push((k, positions));
    }

    fn resolve(&mut self, k: usize, id: usize, outcome: Outcome, paragraph: String) {
        let step = self.steps[k].clone();
        let p = &mut self.proposals[id];
        let by = who_in(&step, &actors_of(&p.positions));
        p.outcome = outcome;
        p.resolved = Some(k);
        p.resolved_by = Some(by.clone());
        p.events.push(Event {
            iteration: k,
            kind: match outcome {
                Outcome::Agreed => EventKind::Agreed,
                Outcome::Replaced => EventKind::Replaced,
                _ => EventKind::Dropped,
            },
            paragraph,
            actor: None,
            stance: None,
            old_stance: None,
            text: None,
            by,
        });
    }

    /// Pairs of adjacent brackets by the same actor in one iteration: replacements.
    fn find_replacements(&mut self, k: usize, doc: &Document, live: &Live) {
        for (pi, p) in doc.paragraphs.iter().enumerate() {
            let runs = adjacent_runs(doc, pi);
            if runs.is_empty() {
                continue;
            }
            for run in runs {
                for w in run.windows(2) {
                    let (b1, b2) = (w[0], w[1]);
                    let (Some(x), Some(y)) = (
                        live[pi].get(b1).copied().flatten(),
                        live[pi].get(b2).copied().flatten(),
                    ) else {
                        continue;
                    };
                    if self.proposals[x].replacement.is_some()
                        || self.proposals[y].replacement.is_some()
                    {
                        continue;
                    }
                    // Live proposals hold their positions at this iteration.
                    let (i1, i2) = (&self.proposals[x], &self.proposals[y]);
                    let (p1, p2) = (proposer(&i1.positions), proposer(&i2.positions));
                    let (d1, d2) = (deleters(&i1.positions), deleters(&i2.positions));
                    let same = p2.is_some_and(|a| d1.contains(&a))
                        || p1.is_some_and(|a| d2.contains(&a))
                        || (p1.is_some() && p1 == p2);
                    if !same {
                        continue;
                    }
                    let (px, py) = (&self.proposals[x], &self.proposals[y]);
                    let bracketed = |q: &Proposal| {
                        q.events.first().map(|e| e.kind) == Some(EventKind::Bracketed)
                    };
                    let (original, proposed, decided_by) = if px.introduced != py.introduced {
                        if px.introduced < py.introduced {
                            (x, y, "previous_iteration")
                        } else {
                            (y, x, "previous_iteration")
                        }
                    } else if bracketed(px) != bracketed(py) {
                        if bracketed(px) {
                            (x, y, "previous_iteration")
                        } else {
                            (y, x, "previous_iteration")
                        }
                    } else if p1.is_none() && !d1.is_empty() && p2.is_some() {
                        (x, y, "delete")
                    } else if p2.is_none() && !d2.is_empty() && p1.is_some() {
                        (y, x, "delete")
                    } else {
                        (x, y, "order")
                    };
                    let proposer = self.proposals[proposed]
                        .proposer
                        .clone()
                        .or_else(|| self.proposals[original].proposer.clone());
                    let r = self.replacements.len();
                    self.replacements.push(Replacement {
                        original,
                        proposed,
                        proposer,
                        paragraph: p.id.clone(),
                        iteration: k,
                        decided_by,
                        outcome: Outcome::Open,
                    });
                    self.proposals[original].replacement = Some((r, ReplacementRole::Original));
                    self.proposals[proposed].replacement = Some((r, ReplacementRole::Proposed));
                }
            }
        }
    }
}

fn suggestion_kind(note: &str) -> Option<SuggestionKind> {
    let n = note.to_lowercase();
    if n.contains("move") || n.contains("moving") || n.contains("relocat") {
        Some(SuggestionKind::Move)
    } else if n.contains("split") {
        Some(SuggestionKind::Split)
    } else if n.contains("merg") {
        Some(SuggestionKind::Merge)
    } else {
        None
    }
}

/// The leaf ranges of every bracket of some paragraphs (one pass over each paragraph).
fn ranges_of(doc: &Document, paragraphs: &[usize]) -> HashMap<usize, Vec<std::ops::Range<usize>>> {
    paragraphs
        .iter()
        .filter_map(|&pi| {
            doc.paragraphs
                .get(pi)
                .map(|p| (pi, crate::diff::brackets::text_ranges(p)))
        })
        .collect()
}

/// The words of a bracket outside its nested brackets.
fn own_text(
    doc: &Document,
    ranges: &HashMap<usize, Vec<std::ops::Range<usize>>>,
    pi: usize,
    b: usize,
) -> String {
    let (Some(p), Some(range)) = (
        doc.paragraphs.get(pi),
        ranges.get(&pi).and_then(|r| r.get(b)),
    ) else {
        return String::new();
    };
    let mut depth = 0usize;
    let mut s = String::new();
    for leaf in p.leaves.get(range.clone()).unwrap_or_default() {
        match leaf.kind {
            LeafKind::Open(_) => depth += 1,
            LeafKind::Close(_) => depth = depth.saturating_sub(1),
            LeafKind::Text if depth == 0 => s.push_str(leaf.span.of(&doc.source)),
            LeafKind::Break | LeafKind::Group(_) => s.push(' '),
            _ => {}
        }
    }
    s
}

/// Word pairs of a text, lower-cased.
fn bigrams(text: &str) -> Vec<String> {
    let words: Vec<String> = diff::words::words(text).collect();
    words
        .windows(2)
        .map(|w| format!("{} {}", w[0], w[1]))
        .collect()
}

/// Whether `own` (at least three words) stands in `line` nearly as written: three quarters of
/// its word pairs are there. Catches text agreed or bracketed with small edits.
fn mostly_in(own: &str, line: &str) -> bool {
    let pairs = bigrams(own);
    if pairs.len() < 2 {
        return false;
    }
    let mut have: HashMap<String, usize> = HashMap::new();
    for b in bigrams(line) {
        *have.entry(b).or_insert(0) += 1;
    }
    let found = pairs
        .iter()
        .filter(|b| match have.get_mut(*b) {
            Some(n) if *n > 0 => {
                *n -= 1;
                true
            }
            _ => false,
        })
        .count();
    found * 4 >= pairs.len() * 3
}

fn word_bag(text: &str) -> FxHashMap<String, usize> {
    let mut bag = FxHashMap::default();
    for w in diff::words::words(text) {
        *bag.entry(w).or_insert(0) += 1;
    }
    bag
}

/// Words of `a` not in `b` (multiset difference), in `a`'s order.
fn minus(a: &str, b: &FxHashMap<String, usize>) -> Vec<String> {
    let mut left = b.clone();
    let mut out = Vec::new();
    for w in diff::words::words(a) {
        match left.get_mut(&w) {
            Some(n) if *n > 0 => *n -= 1,
            _ => out.push(w),
        }
    }
    out
}

pub fn build(iterations: Vec<(Step, Document)>) -> Ledger {
    let mut steps = Vec::with_capacity(iterations.len());
    let mut docs = Vec::with_capacity(iterations.len());
    for (i, (mut step, doc)) in iterations.into_iter().enumerate() {
        step.index = i;
        steps.push(step);
        docs.push(doc);
    }
    let mut b = Builder {
        steps,
        proposals: Vec::new(),
        replacements: Vec::new(),
        changes: Vec::new(),
        suggestions: Vec::new(),
        notes: Vec::new(),
        resolved_at: HashMap::new(),
    };
    let mut progress = Vec::with_capacity(docs.len());
    // For each step k >= 1: the paragraph of iteration k each paragraph of k - 1 went to.
    let mut para_maps: Vec<Vec<Option<usize>>> = vec![Vec::new()];
    let Some(first) = docs.first() else {
        return Ledger {
            path: String::new(),
            steps: b.steps,
            proposals: Vec::new(),
            replacements: Vec::new(),
            changes: Vec::new(),
            suggestions: Vec::new(),
            notes: Vec::new(),
            progress,
            newest: None,
        };
    };
    let (readings, diffs) = readings_and_diffs(&docs);
    let mut live = empty_live(first);
    for pi in 0..first.paragraphs.len() {
        let info = readings[0].side(first, &[pi]);
        for (i, &(pi, bi)) in locs(first, &[pi]).iter().enumerate() {
            live[pi][bi] = Some(b.propose(0, first, pi, &info.brackets[i], false));
        }
    }
    b.find_replacements(0, first, &live);
    note_entries(&mut b.notes, 0, first, None);
    progress.push(figures::progress_of(&b.steps[0], first, 0));

    for (k, d) in (1..docs.len()).zip(diffs) {
        let (old, new) = (&docs[k - 1], &docs[k]);
        let (old_r, new_r) = (&readings[k - 1], &readings[k]);
        let mut next = empty_live(new);
        let mut para_map = vec![None; old.paragraphs.len()];
        let mut agreed_now: HashSet<usize> = HashSet::new();
        let mut dropped_now: HashSet<usize> = HashSet::new();
        let step = b.steps[k].clone();
        for c in &d.changes {
            for &i in &c.old_index {
                para_map[i] = c.new_index.first().copied();
            }
            // The same paragraph written the same way: its brackets carry on one for one.
            if let ([i], [j]) = (c.old_index.as_slice(), c.new_index.as_slice())
                && matches!(
                    c.kind,
                    ChangeKind::Unchanged | ChangeKind::Renumbered | ChangeKind::Moved
                )
                && old.paragraphs[*i].brackets.len() == new.paragraphs[*j].brackets.len()
                && (c.kind == ChangeKind::Unchanged
                    || old.paragraphs[*i].text(&old.source) == new.paragraphs[*j].text(&new.source))
            {
                let pid = &new.paragraphs[*j].id;
                for (bi, id) in live[*i].iter().enumerate() {
                    let Some(id) = *id else { continue };
                    next[*j][bi] = Some(id);
                    b.carried(k, id, pid);
                }
                if c.kind == ChangeKind::Moved {
                    let sides = (old_r.side(old, &c.old_index), new_r.side(new, &c.new_index));
                    text_change(&mut b, k, old, new, c, &sides, "", "", &step);
                }
                continue;
            }
            let before = old_r.side(old, &c.old_index);
            let old_locs = locs(old, &c.old_index);
            let old_ranges = ranges_of(old, &c.old_index);
            let new_ranges = ranges_of(new, &c.new_index);
            let after = new_r.side(new, &c.new_index);
            let new_locs = locs(new, &c.new_index);
            let pairs = pair(&before, &after);
            let mut taken = vec![false; after.brackets.len()];
            let mut agreed_words = String::new();
            let mut regrouped: Vec<(usize, usize, Option<usize>)> = Vec::new();
            for (i, paired) in pairs.iter().enumerate() {
                let (opi, obi) = old_locs[i];
                let id = live[opi][obi];
                match (paired, id) {
                    (Some(j), Some(id)) => {
                        taken[*j] = true;
                        let (npi, nbi) = new_locs[*j];
                        next[npi][nbi] = Some(id);
                        let pid = new.paragraphs[npi].id.clone();
                        b.continued(k, id, &pid, &before.brackets[i], &after.brackets[*j]);
                    }
                    (None, Some(id)) => {
                        let text = &before.brackets[i].text;
                        let holder = |reading: fn(&crate::model::Paragraph, &str) -> String| {
                            if let [only] = c.new_index.as_slice() {
                                return Some(*only);
                            }
                            c.new_index.iter().copied().find(|&j| {
                                holds(&token_line(&reading(&new.paragraphs[j], &new.source)), text)
                            })
                        };
                        // Its own words, not the same words elsewhere (`the`), as in the diff.
                        let exact = text.trim().is_empty()
                            || became_agreed(&before.agreed, &after.agreed, text);
                        let own = if exact {
                            String::new()
                        } else {
                            own_text(old, &old_ranges, opi, obi)
                        };
                        if exact || mostly_in(&own, &after.agreed) {
                            agreed_words.push_str(if exact { text } else { &own });
                            agreed_words.push(' ');
                            let at = holder(crate::model::Paragraph::agreed_text)
                                .or(c.new_index.first().copied());
                            let pid = at.map(|j| new.paragraphs[j].id.clone()).unwrap_or_default();
                            b.resolve(k, id, Outcome::Agreed, pid);
                            if let Some(at) = at {
                                b.resolved_at.insert(id, at);
                            }
                            agreed_now.insert(id);
                        } else if still_there(&before.plain, &after.plain, text) {
                            // Regrouped: the smallest new bracket holding its words.
                            let candidates = if after.brackets.len() <= MAX_ALTERNATIVES {
                                0..after.brackets.len()
                            } else {
                                0..0
                            };
                            let by = candidates
                                .filter(|&j| holds(&token_line(&after.brackets[j].text), text))
                                .min_by_key(|&j| after.brackets[j].text.len());
                            let at = by.map(|j| new_locs[j].0);
                            let pid = at.map(|j| new.paragraphs[j].id.clone()).unwrap_or_default();
                            b.resolve(k, id, Outcome::Replaced, pid);
                            if let Some(at) = at {
                                b.resolved_at.insert(id, at);
                            }
                            // The replacing proposal is known once the new side is built.
                            if let Some(j) = by {
                                let parent = old.paragraphs[opi].brackets[obi]
                                    .parent
                                    .and_then(|pb| live[opi].get(pb).copied().flatten());
                                regrouped.push((id, j, parent));
                            }
                        } else {
                            let pid = new_locs
                                .first()
                                .map(|&(j, _)| new.paragraphs[j].id.clone())
                                .unwrap_or_else(|| old.paragraphs[opi].id.clone());
                            b.resolve(k, id, Outcome::Dropped, pid);
                            dropped_now.insert(id);
                        }
                    }
                    _ => {}
                }
            }
            let mut bracketed_words = String::new();
            let mut new_ids = vec![None; after.brackets.len()];
            for j in 0..after.brackets.len() {
                let (npi, nbi) = new_locs[j];
                if taken[j] {
                    new_ids[j] = next[npi][nbi];
                    continue;
                }
                let info = &after.brackets[j];
                let own = own_text(new, &new_ranges, npi, nbi);
                let exact = became_agreed(&after.agreed, &before.agreed, &info.text);
                let bracketed = exact || mostly_in(&own, &before.agreed);
                if bracketed {
                    bracketed_words.push_str(if exact { &info.text } else { &own });
                    bracketed_words.push(' ');
                }
                let id = b.propose(k, new, npi, info, bracketed);
                next[npi][nbi] = Some(id);
                new_ids[j] = Some(id);
            }
            // Regrouped proposals point at the proposal now holding their words.
            for (id, j, parent) in regrouped {
                let holder = new_ids.get(j).copied().flatten();
                if holder.is_some() && holder == parent {
                    // Its brackets were lifted inside the bracket around it: agreed there.
                    let p = &mut b.proposals[id];
                    p.outcome = Outcome::Agreed;
                    if let Some(e) = p.events.last_mut() {
                        e.kind = EventKind::Agreed;
                    }
                    agreed_now.insert(id);
                } else {
                    b.proposals[id].replaced_by = holder;
                }
            }
            text_change(
                &mut b,
                k,
                old,
                new,
                c,
                &(before, after),
                &agreed_words,
                &bracketed_words,
                &step,
            );
        }
        // A dropped alternative next to one agreed now was replaced by it.
        for (pi, here) in live.iter().enumerate() {
            for run in adjacent_runs(old, pi) {
                let ids: Vec<usize> = run
                    .iter()
                    .filter_map(|&bi| here.get(bi).copied().flatten())
                    .collect();
                // Two alternatives "agreed" at once where one's words are inside the other's
                // (`[greenhouse gas emissions] [emissions]`): the longer one stands. (Bounded:
                // a hostile run of thousands of agreed brackets is left as it is.)
                let agreed: Vec<usize> = ids
                    .iter()
                    .copied()
                    .filter(|id| agreed_now.contains(id))
                    .collect();
                if agreed.len() >= 2 && agreed.len() <= MAX_ALTERNATIVES {
                    for &x in &agreed {
                        for &y in &agreed {
                            let (px, py) = (&b.proposals[x], &b.proposals[y]);
                            if x != y
                                && agreed_now.contains(&y)
                                && px.words.len() < py.words.len()
                                && holds(&token_line(&py.words), &px.words)
                            {
                                b.proposals[x].outcome = Outcome::Dropped;
                                agreed_now.remove(&x);
                                dropped_now.insert(x);
                            }
                        }
                    }
                }
                let winner = ids.iter().copied().find(|id| agreed_now.contains(id));
                if let Some(w) = winner {
                    for &id in &ids {
                        if dropped_now.contains(&id) {
                            b.proposals[id].outcome = Outcome::Replaced;
                            b.proposals[id].replaced_by = Some(w);
                            if let Some(e) = b.proposals[id].events.last_mut() {
                                e.kind = EventKind::Replaced;
                            }
                        }
                    }
                }
            }
        }
        b.find_replacements(k, new, &next);
        note_entries(&mut b.notes, k, new, Some(old));
        suggestions(&mut b.suggestions, k, old, new, &d);
        let reopened = d.changes.iter().filter(|c| c.reopened).count();
        progress.push(figures::progress_of(&b.steps[k], new, reopened));
        para_maps.push(para_map);
        live = next;
    }
    let last = docs.len() - 1;
    // Suggestions in the newest iteration: not checked yet.
    if let Some(newest) = docs.last() {
        for (pi, p) in newest.paragraphs.iter().enumerate() {
            let _ = pi;
            for g in &p.groups {
                if let Some(n) = &g.note
                    && let Some(kind) = suggestion_kind(&n.text)
                {
                    b.suggestions.push(Suggestion {
                        iteration: last,
                        paragraph: p.id.clone(),
                        actor: n.actor.clone(),
                        note: n.text.clone(),
                        kind,
                        followed: None,
                        change: None,
                        next_paragraphs: Vec::new(),
                    });
                }
            }
        }
    }
    // Where the words of each proposal stand now.
    let newest = docs.pop();
    for p in &mut b.proposals {
        p.current_paragraph = match p.outcome {
            Outcome::Open => Some(p.paragraph.clone()),
            Outcome::Dropped => None,
            Outcome::Agreed | Outcome::Replaced => {
                let mut at = p
                    .resolved
                    .and_then(|k| b.resolved_at.get(&p.id).map(|&q| (k, q)));
                while let Some((k, q)) = at
                    && k < last
                {
                    at = para_maps
                        .get(k + 1)
                        .and_then(|m| m.get(q).copied().flatten())
                        .map(|q| (k + 1, q));
                }
                at.and_then(|(_, q)| newest.as_ref()?.paragraphs.get(q).map(|x| x.id.clone()))
            }
        };
    }
    // A replacement succeeded when its proposed text was agreed.
    for r in &mut b.replacements {
        let (o, p) = (&b.proposals[r.original], &b.proposals[r.proposed]);
        r.outcome = match (p.outcome, o.outcome) {
            (Outcome::Agreed, _) => Outcome::Agreed,
            (Outcome::Open, _) => Outcome::Open,
            _ => Outcome::Dropped,
        };
    }
    // The original of an accepted replacement was replaced by the proposed text.
    for r in b.replacements.clone() {
        if r.outcome == Outcome::Agreed && b.proposals[r.original].outcome == Outcome::Dropped {
            let o = &mut b.proposals[r.original];
            o.outcome = Outcome::Replaced;
            o.replaced_by = Some(r.proposed);
            if let Some(e) = o.events.last_mut() {
                e.kind = EventKind::Replaced;
            }
        }
    }
    for p in &b.proposals {
        if let Some(x) = progress.get_mut(p.introduced) {
            x.proposed += 1;
        }
        if let Some(x) = p.resolved.and_then(|k| progress.get_mut(k)) {
            match p.outcome {
                Outcome::Agreed => x.agreed += 1,
                Outcome::Dropped => x.dropped += 1,
                Outcome::Replaced => x.replaced += 1,
                Outcome::Open => {}
            }
        }
    }
    Ledger {
        path: String::new(),
        steps: b.steps,
        proposals: b.proposals,
        replacements: b.replacements,
        changes: b.changes,
        suggestions: b.suggestions,
        notes: b.notes,
        progress,
        newest,
    }
}

/// The change outside brackets in one aligned group, when there is one, with who made it.
#[allow(clippy::too_many_arguments)]
fn text_change(
    b: &mut Builder,
    k: usize,
    old: &Document,
    new: &Document,
    c: &diff::ParagraphChange,
    (before, after): &(Cow<'_, SideInfo>, Cow<'_, SideInfo>),
    agreed_words: &str,
    bracketed_words: &str,
    step: &Step,
) {
    // The words outside brackets of each side (its agreed tokens read the same words as the
    // paragraphs' agreed texts joined).
    let old_agreed = before.agreed.as_str();
    let new_agreed = after.agreed.as_str();
    let structural = matches!(
        c.kind,
        ChangeKind::Added
            | ChangeKind::Removed
            | ChangeKind::Moved
            | ChangeKind::Split
            | ChangeKind::Merged
    );
    // The same words outside brackets: nothing inserted, nothing deleted.
    if !structural && old_agreed == new_agreed {
        return;
    }
    // Words that appeared outside brackets, other than proposals being agreed; words that
    // went, other than text being bracketed.
    let mut explained = word_bag(old_agreed);
    for (w, n) in word_bag(agreed_words) {
        *explained.entry(w).or_insert(0) += n;
    }
    let inserted = minus(new_agreed, &explained);
    let mut explained = word_bag(new_agreed);
    for (w, n) in word_bag(bracketed_words) {
        *explained.entry(w).or_insert(0) += n;
    }
    let deleted = minus(old_agreed, &explained);
    if inserted.is_empty() && deleted.is_empty() && !structural {
        return;
    }
    // A paragraph that comes or goes wholly in brackets is the proposals' doing.
    let no_words = |t: &str| diff::words::words(t).next().is_none();
    if (c.kind == ChangeKind::Added && no_words(new_agreed))
        || (c.kind == ChangeKind::Removed && no_words(old_agreed))
    {
        return;
    }
    // A note asking for exactly this change answers "who" from the text itself.
    let wanted = match c.kind {
        ChangeKind::Moved => Some(SuggestionKind::Move),
        ChangeKind::Split => Some(SuggestionKind::Split),
        ChangeKind::Merged => Some(SuggestionKind::Merge),
        _ => None,
    };
    let mut suggested: Vec<String> = Vec::new();
    let mut concerned: Vec<String> = Vec::new();
    for &i in &c.old_index {
        let p = &old.paragraphs[i];
        for g in &p.groups {
            if let Some(n) = &g.note
                && let Some(a) = &n.actor
                && wanted.is_some()
                && suggestion_kind(&n.text) == wanted
                && !suggested.contains(a)
            {
                suggested.push(a.clone());
            }
        }
        concerned.extend(p.actors().map(str::to_string));
    }
    for &j in &c.new_index {
        concerned.extend(new.paragraphs[j].actors().map(str::to_string));
    }
    let by = if suggested.is_empty() {
        who_in(step, &concerned)
    } else {
        Who {
            actors: suggested,
            on_behalf_of: step.on_behalf_of.clone(),
            author: step.author.clone(),
            source: Source::Notation,
        }
    };
    b.changes.push(TextChange {
        iteration: k,
        kind: c.kind,
        old: c.old.clone(),
        new: c.new.clone(),
        inserted,
        deleted,
        by,
    });
}

/// Notes of iteration `k`, continuing the entries of the same note in the iteration before.
fn note_entries(notes: &mut Vec<NoteEntry>, k: usize, doc: &Document, previous: Option<&Document>) {
    // The entries still running at iteration k - 1, by (actor, text).
    let mut running: HashMap<(Option<String>, String), Vec<usize>> = HashMap::new();
    if previous.is_some() {
        for (i, e) in notes.iter().enumerate().rev() {
            if e.last + 1 == k {
                running
                    .entry((e.actor.clone(), e.text.clone()))
                    .or_default()
                    .push(i);
            }
        }
    }
    for p in &doc.paragraphs {
        for g in &p.groups {
            let Some(n) = &g.note else { continue };
            let key = (n.actor.clone(), n.text.clone());
            match running.get_mut(&key).and_then(Vec::pop) {
                Some(i) => {
                    notes[i].last = k;
                    notes[i].paragraph = p.id.clone();
                }
                None => notes.push(NoteEntry {
                    actor: n.actor.clone(),
                    text: n.text.clone(),
                    paragraph: p.id.clone(),
                    first: k,
                    last: k,
                }),
            }
        }
    }
}

/// Move, split and merge suggestions of iteration `k - 1`, checked against iteration `k`.
fn suggestions(
    out: &mut Vec<Suggestion>,
    k: usize,
    old: &Document,
    new: &Document,
    d: &diff::DocumentDiff,
) {
    for (pi, p) in old.paragraphs.iter().enumerate() {
        for g in &p.groups {
            let Some(n) = &g.note else { continue };
            let Some(kind) = suggestion_kind(&n.text) else {
                continue;
            };
            let change = d.changes.iter().find(|c| c.old_index.contains(&pi));
            let followed = change.map(|c| match kind {
                SuggestionKind::Move => {
                    c.kind == ChangeKind::Moved
                        || (n.text.to_lowercase().contains("last")
                            && c.new_index.first().is_some_and(|&j| {
                                let s = new.paragraphs[j].section;
                                new.paragraphs[j + 1..].iter().all(|q| q.section != s)
                                    && old.paragraphs[pi + 1..]
                                        .iter()
                                        .any(|q| q.section == p.section)
                            }))
                }
                SuggestionKind::Split => c.kind == ChangeKind::Split,
                SuggestionKind::Merge => c.kind == ChangeKind::Merged,
            });
            out.push(Suggestion {
                iteration: k - 1,
                paragraph: p.id.clone(),
                actor: n.actor.clone(),
                note: n.text.clone(),
                kind,
                followed: Some(followed.unwrap_or(false)),
                change: change.map(|c| c.kind),
                next_paragraphs: change.map(|c| c.new.clone()).unwrap_or_default(),
            });
        }
    }
}
