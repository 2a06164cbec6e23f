//! What happened to each bracketed proposal between two aligned paragraphs (or groups of
//! paragraphs, for splits and merges): proposals made, dropped or agreed, actors joining,
//! leaving or changing stance, reservations, notes.
//!
//! Brackets are matched across the pair by their plain text, exact first, then similar; a
//! bracket whose text is unchanged reports only its attribution changes, never a text edit.

use super::align::{bags, dice};
use super::words::tokens;
use crate::model::{Document, Position, Stance};
use serde::Serialize;
// Keys are short texts and ids of one draft pair: no need for a keyed hash.
use rustc_hash::FxHashMap as HashMap;

/// Brackets nested deeper than this are compared (and listed) by their own leading words only,
/// up to their first nested bracket: every bracket's text holds the text of the brackets inside
/// it, so full texts at any depth would cost depth × length (a 500 KB file of 64,000 nested
/// brackets took minutes and gigabytes). Real drafts nest three or four deep.
pub const MAX_TEXT_DEPTH: usize = 64;

/// The leaves each bracket of `p` is read from (`Paragraph::bracket_ranges`), cut at the first
/// nested bracket beyond [`MAX_TEXT_DEPTH`], so that all of them together are at most
/// `MAX_TEXT_DEPTH + 1` times the paragraph.
pub fn text_ranges(p: &crate::model::Paragraph) -> Vec<std::ops::Range<usize>> {
    let mut ranges = p.bracket_ranges();
    let mut depth = vec![0usize; ranges.len()];
    for b in 0..ranges.len() {
        depth[b] = match p.brackets.get(b).and_then(|x| x.parent) {
            Some(parent) if parent < b => depth[parent] + 1,
            _ => 0,
        };
        if depth[b] >= MAX_TEXT_DEPTH {
            let r = ranges[b].clone();
            let first_child = p.leaves[r.clone()]
                .iter()
                .position(|l| matches!(l.kind, crate::model::LeafKind::Open(_)));
            if let Some(k) = first_child {
                ranges[b] = r.start..r.start + k;
            }
        }
    }
    ranges
}

/// Brackets this similar are the same proposal, edited.
const BRACKET_SIMILAR_MIN: f64 = 0.5;
/// Beyond this many brackets on a side only exact matches are looked for (the similar pass is
/// quadratic in the number of brackets of one paragraph).
const MAX_SIMILAR: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum BracketChangeKind {
    /// A new bracket with its proposer and first positions.
    Proposed,
    /// Words that stood agreed are now in brackets.
    Bracketed,
    /// The bracket and its text are gone.
    Dropped,
    /// The brackets are gone, the text stays: agreed.
    Agreed,
    /// The text stays but now inside other brackets.
    Regrouped,
    /// The bracketed text was edited (matched by similarity).
    Edited,
    Joined,
    Left,
    ChangedStance,
    ReservationPlaced,
    ReservationLifted,
    NoteAdded,
    NoteRemoved,
}

/// One change to one bracket (or note). Plain data for JSON and renderers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BracketChange {
    pub kind: BracketChangeKind,
    /// The bracketed words (the new ones when edited; the note's text for notes).
    pub text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_text: Option<String>,
    /// For a bracket holding other brackets: its words with their marks, as listings quote
    /// it (`[Calls upon] [Encourages] Member States`, where `text` runs the alternatives
    /// together).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// The actor concerned by a position change or a note.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stance: Option<Stance>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_stance: Option<Stance>,
    /// For proposed, edited, dropped, agreed and bracketed: the bracket's positions (the new
    /// ones for proposed and edited, the old ones otherwise).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub positions: Vec<Position>,
}

impl BracketChange {
    fn new(kind: BracketChangeKind, text: &str) -> Self {
        BracketChange {
            kind,
            text: text.to_string(),
            old_text: None,
            quote: None,
            actor: None,
            stance: None,
            old_stance: None,
            positions: Vec::new(),
        }
    }

    /// Every actor this change names.
    pub fn actors(&self) -> impl Iterator<Item = &str> {
        self.actor
            .as_deref()
            .into_iter()
            .chain(self.positions.iter().map(|p| p.actor.as_str()))
    }

    /// The bracket as listings quote it: nested alternatives keep their marks.
    pub fn quoted(&self) -> &str {
        self.quote.as_deref().unwrap_or(&self.text)
    }

    /// The proposer of a proposed (or dropped, agreed) bracket.
    pub fn proposer(&self) -> Option<&str> {
        self.positions
            .iter()
            .find(|p| p.proposer)
            .map(|p| p.actor.as_str())
    }
}

/// A bracket as compared: its words and its positions.
#[derive(Debug, Clone, PartialEq)]
pub struct Info {
    /// The words, nested brackets' words included, no marks: what is matched.
    pub text: String,
    /// For a bracket holding other brackets: its words with their marks
    /// (`Paragraph::range_quote_text`), to be shown; none for the others, whose words are
    /// their quote.
    pub quote: Option<String>,
    pub positions: Vec<Position>,
    /// Inside another bracket of the same paragraph.
    pub nested: bool,
}

impl Info {
    /// The bracket as a listing quotes it: nested alternatives keep their marks.
    pub fn quote(&self) -> &str {
        self.quote.as_deref().unwrap_or(&self.text)
    }
}

/// The brackets, notes, agreed words and plain words of some paragraphs of one document.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct SideInfo {
    pub brackets: Vec<Info>,
    pub notes: Vec<(Option<String>, String)>,
    /// Tokens of the text outside brackets, space-joined with a space at each end.
    pub agreed: String,
    /// Tokens of the plain text, the same way.
    pub plain: String,
}

fn token_line(text: &str) -> String {
    let mut s = String::from(" ");
    for t in tokens(text) {
        s.push_str(t.text);
        s.push(' ');
    }
    s
}

impl SideInfo {
    pub fn of(doc: &Document, paragraphs: &[usize]) -> SideInfo {
        let mut info = SideInfo::default();
        let mut agreed = String::new();
        let mut plain = String::new();
        for &pi in paragraphs {
            let Some(p) = doc.paragraphs.get(pi) else {
                continue;
            };
            info.push_paragraph(doc, pi, p);
            agreed.push_str(&p.agreed_text(&doc.source));
            agreed.push(' ');
            plain.push_str(&p.plain_text(&doc.source));
            plain.push(' ');
        }
        info.agreed = token_line(&agreed);
        info.plain = token_line(&plain);
        info
    }

    /// `SideInfo::of(doc, &[pi])`, from the paragraph's plain tokens already read (joined
    /// by single spaces).
    pub fn of_paragraph(doc: &Document, pi: usize, plain_tokens: &str) -> SideInfo {
        let Some(p) = doc.paragraphs.get(pi) else {
            return SideInfo::of(doc, &[pi]);
        };
        let mut info = SideInfo::default();
        info.push_paragraph(doc, pi, p);
        let mut plain = String::with_capacity(plain_tokens.len() + 2);
        plain.push(' ');
        if !plain_tokens.is_empty() {
            plain.push_str(plain_tokens);
            plain.push(' ');
        }
        // Without bracket marks or groups every word is agreed: the same tokens.
        info.agreed = if p.reads_plainly() {
            plain.clone()
        } else {
            token_line(&p.agreed_text(&doc.source))
        };
        info.plain = plain;
        info
    }

    /// The brackets and notes of one paragraph.
    fn push_paragraph(&mut self, doc: &Document, pi: usize, p: &crate::model::Paragraph) {
        for (b, range) in text_ranges(p).into_iter().enumerate() {
            let groups: Vec<&crate::model::Group> = match doc.spanning_for(pi, b) {
                Some(s) => doc
                    .paragraphs
                    .get(s.close_paragraph)
                    .and_then(|c| c.orphan_closes.get(s.orphan).map(|o| (c, o)))
                    .map(|(c, o)| o.groups.iter().filter_map(|&g| c.groups.get(g)).collect())
                    .unwrap_or_default(),
                None => p.brackets[b]
                    .groups
                    .iter()
                    .filter_map(|&g| p.groups.get(g))
                    .collect(),
            };
            let positions = groups
                .iter()
                .flat_map(|g| g.positions.iter().cloned())
                .collect();
            let nested = p
                .leaves
                .get(range.clone())
                .unwrap_or_default()
                .iter()
                .any(|l| matches!(l.kind, crate::model::LeafKind::Open(_)));
            self.brackets.push(Info {
                quote: nested.then(|| p.range_quote_text(&doc.source, range.clone())),
                text: p.range_plain_text(&doc.source, range),
                positions,
                nested: p.brackets.get(b).is_some_and(|x| x.parent.is_some()),
            });
        }
        for g in &p.groups {
            if let Some(n) = &g.note {
                self.notes.push((n.actor.clone(), n.text.clone()));
            }
        }
    }
}

/// Does `line` (a token line) hold `text`'s tokens in a row?
pub fn holds(line: &str, text: &str) -> bool {
    let needle = token_line(text);
    needle.trim().is_empty() || line.contains(&needle)
}

/// How many times `line` (a token line) holds `text`'s tokens in a row, overlaps counted.
fn occurrences(line: &str, text: &str) -> usize {
    let needle = token_line(text);
    if needle.trim().is_empty() {
        return 0;
    }
    let mut count = 0;
    let mut from = 0;
    while let Some(at) = line.get(from..).and_then(|rest| rest.find(&needle)) {
        count += 1;
        // Past the needle's leading space: the next match may share its trailing one.
        from += at + 1;
    }
    count
}

/// Whether a bracket's words moved between the agreed text and the bracketed text: its words
/// stand outside brackets more often in `to` than in `from`. A bare `holds` would take any
/// `the` or `will` elsewhere in the paragraph for the bracket's own (`[the] {USA+}` dropped
/// read as agreed because `the` is the paragraph's commonest word).
pub fn became_agreed(from_agreed: &str, to_agreed: &str, text: &str) -> bool {
    occurrences(to_agreed, text) > occurrences(from_agreed, text)
}

/// Whether a bracket's words are still there (plain token lines `from` and `to`), as often
/// as before: moved into other brackets or agreed, not gone.
pub fn still_there(from_plain: &str, to_plain: &str, text: &str) -> bool {
    occurrences(to_plain, text) >= occurrences(from_plain, text).max(1)
}

/// One actor's stand on a bracket: its main stance (support, oppose, delete) and whether it
/// placed a reservation.
fn stands(positions: &[Position]) -> Vec<(&str, Option<Stance>, bool)> {
    let mut out: Vec<(&str, Option<Stance>, bool)> = Vec::new();
    for p in positions {
        let at = match out.iter().position(|(a, _, _)| *a == p.actor) {
            Some(at) => at,
            None => {
                out.push((p.actor.as_str(), None, false));
                out.len() - 1
            }
        };
        match p.stance {
            Stance::Reserve => out[at].2 = true,
            Stance::Note => {}
            s => {
                if out[at].1.is_none() {
                    out[at].1 = Some(s);
                }
            }
        }
    }
    out
}

fn position_changes(old: &Info, new: &Info, out: &mut Vec<BracketChange>) {
    let before = stands(&old.positions);
    let after = stands(&new.positions);
    let change = |kind, actor: &str, stance, old_stance| {
        let mut c = BracketChange::new(kind, &new.text);
        c.quote = new.quote.clone();
        c.actor = Some(actor.to_string());
        c.stance = stance;
        c.old_stance = old_stance;
        c
    };
    for &(actor, stance, reserve) in &after {
        let was = before.iter().find(|(a, _, _)| *a == actor);
        let (old_stance, old_reserve) = was.map_or((None, false), |&(_, s, r)| (s, r));
        match (old_stance, stance) {
            (None, Some(s)) => out.push(change(BracketChangeKind::Joined, actor, Some(s), None)),
            (Some(o), None) => out.push(change(BracketChangeKind::Left, actor, None, Some(o))),
            (Some(o), Some(s)) if o != s => out.push(change(
                BracketChangeKind::ChangedStance,
                actor,
                Some(s),
                Some(o),
            )),
            _ => {}
        }
        if reserve && !old_reserve {
            out.push(change(
                BracketChangeKind::ReservationPlaced,
                actor,
                Some(Stance::Reserve),
                None,
            ));
        } else if !reserve && old_reserve {
            out.push(change(
                BracketChangeKind::ReservationLifted,
                actor,
                None,
                Some(Stance::Reserve),
            ));
        }
    }
    for &(actor, stance, reserve) in &before {
        if after.iter().any(|(a, _, _)| *a == actor) {
            continue;
        }
        if let Some(o) = stance {
            out.push(change(BracketChangeKind::Left, actor, None, Some(o)));
        }
        if reserve {
            out.push(change(
                BracketChangeKind::ReservationLifted,
                actor,
                None,
                Some(Stance::Reserve),
            ));
        }
    }
}

/// Which new bracket each old bracket became (by index into `SideInfo::brackets`): exact text
/// first, in order, then similar text, best pairs first. `None`: the old bracket went.
pub fn pair(old: &SideInfo, new: &SideInfo) -> Vec<Option<usize>> {
    let (a, b) = (&old.brackets, &new.brackets);
    let mut pair_of_old: Vec<Option<usize>> = vec![None; a.len()];
    let mut new_taken = vec![false; b.len()];
    // Exact text, in order (the same words may be bracketed twice).
    let mut by_text: HashMap<&str, std::collections::VecDeque<usize>> = HashMap::default();
    for (j, info) in b.iter().enumerate() {
        by_text.entry(info.text.as_str()).or_default().push_back(j);
    }
    for (i, info) in a.iter().enumerate() {
        if let Some(j) = by_text
            .get_mut(info.text.as_str())
            .and_then(|q| q.pop_front())
        {
            pair_of_old[i] = Some(j);
            new_taken[j] = true;
        }
    }
    // Similar text among the rest, best pairs first.
    let rest_a: Vec<usize> = (0..a.len()).filter(|&i| pair_of_old[i].is_none()).collect();
    let rest_b: Vec<usize> = (0..b.len()).filter(|&j| !new_taken[j]).collect();
    if !rest_a.is_empty()
        && !rest_b.is_empty()
        && rest_a.len() <= MAX_SIMILAR
        && rest_b.len() <= MAX_SIMILAR
    {
        let ta: Vec<&str> = rest_a.iter().map(|&i| a[i].text.as_str()).collect();
        let tb: Vec<&str> = rest_b.iter().map(|&j| b[j].text.as_str()).collect();
        let (ba, bb, _) = bags(&ta, &tb);
        let mut scored = Vec::new();
        for (x, &i) in rest_a.iter().enumerate() {
            for (y, &j) in rest_b.iter().enumerate() {
                let s = dice(&ba[x], &bb[y]);
                if s >= BRACKET_SIMILAR_MIN {
                    scored.push((s, i, j));
                }
            }
        }
        scored.sort_by(|p, q| q.0.total_cmp(&p.0).then(p.1.cmp(&q.1)).then(p.2.cmp(&q.2)));
        for (_, i, j) in scored {
            if pair_of_old[i].is_none() && !new_taken[j] {
                pair_of_old[i] = Some(j);
                new_taken[j] = true;
            }
        }
    }

    pair_of_old
}

/// The bracket changes between the old and the new side of one aligned change.
pub fn compare(old: &SideInfo, new: &SideInfo) -> Vec<BracketChange> {
    let (a, b) = (&old.brackets, &new.brackets);
    let pair_of_old = pair(old, new);
    let mut out = Vec::new();
    // In the order of the new text: matched and new brackets, then the old ones that went.
    let mut old_of_new: Vec<Option<usize>> = vec![None; b.len()];
    for (i, p) in pair_of_old.iter().enumerate() {
        if let Some(j) = *p {
            old_of_new[j] = Some(i);
        }
    }
    for (j, nb) in b.iter().enumerate() {
        match old_of_new[j] {
            Some(i) => {
                let ob = &a[i];
                if ob.text != nb.text {
                    let mut c = BracketChange::new(BracketChangeKind::Edited, &nb.text);
                    c.old_text = Some(ob.text.clone());
                    c.positions = nb.positions.clone();
                    out.push(c);
                }
                position_changes(ob, nb, &mut out);
            }
            None => {
                let kind = if became_agreed(&new.agreed, &old.agreed, &nb.text) {
                    BracketChangeKind::Bracketed
                } else {
                    BracketChangeKind::Proposed
                };
                let mut c = BracketChange::new(kind, &nb.text);
                c.quote = nb.quote.clone();
                c.positions = nb.positions.clone();
                out.push(c);
            }
        }
    }
    for (i, ob) in a.iter().enumerate() {
        if pair_of_old[i].is_some() {
            continue;
        }
        // Its words are still there as often as before, inside brackets.
        let kept = still_there(&old.plain, &new.plain, &ob.text);
        let kind = if ob.text.trim().is_empty() || became_agreed(&old.agreed, &new.agreed, &ob.text)
        {
            BracketChangeKind::Agreed
        } else if kept && ob.nested {
            // A bracket inside a proposal, lifted: its words are now the proposal's own.
            BracketChangeKind::Agreed
        } else if kept {
            BracketChangeKind::Regrouped
        } else {
            BracketChangeKind::Dropped
        };
        let mut c = BracketChange::new(kind, &ob.text);
        c.quote = ob.quote.clone();
        c.positions = ob.positions.clone();
        out.push(c);
    }
    // Notes, as multisets of (actor, text).
    let mut left: Vec<Option<&(Option<String>, String)>> = old.notes.iter().map(Some).collect();
    for n in &new.notes {
        match left.iter_mut().find(|o| o.is_some_and(|o| o == n)) {
            Some(slot) => *slot = None,
            None => {
                let mut c = BracketChange::new(BracketChangeKind::NoteAdded, &n.1);
                c.actor = n.0.clone();
                out.push(c);
            }
        }
    }
    for n in left.into_iter().flatten() {
        let mut c = BracketChange::new(BracketChangeKind::NoteRemoved, &n.1);
        c.actor = n.0.clone();
        out.push(c);
    }
    out
}
