//! Paragraph alignment between two iterations, on content rather than ids.
//!
//! Paragraph ids shift whenever a delegation inserts or the Chair merges paragraphs, so ids are
//! only one hint among several. The passes, each working on what the earlier ones left:
//!
//! 1. `same_text`: identical plain text (hash lookup; duplicates pair in order).
//! 2. `same_id` / `similar_text`: candidate pairs scored by word similarity (Dice over word
//!    multisets), accepted greedily best first. Candidates of an old paragraph are bounded: the
//!    new paragraph with its id, a window around its expected position (from the nearest
//!    exact match before it), and the few new paragraphs sharing most of its rarest words
//!    (an inverted index). No all-pairs scoring: each old paragraph scores at most
//!    `2 * WINDOW + 1 + TOP_CANDIDATES` plus same-id candidates.
//! 3. `containment` on matched pairs: a pair whose new paragraph covers only part of the old
//!    one grows into a split when neighbouring unmatched new paragraphs are largely contained
//!    in the old one (`PART_MIN`), each explaining words the others left uncovered
//!    (`PART_GAIN`), and together cover most of it (`COVER_MIN`); merges symmetrically.
//! 4. `containment` on unmatched paragraphs: splits and merges where no part alone was
//!    similar enough to be paired.
//! 5. `position`: between two aligned anchors, equal numbers of leftover paragraphs on each
//!    side pair in order when they share enough words (heavily rewritten paragraphs).
//! 6. moves: pairs out of the longest increasing subsequence of aligned pairs (ordered by new
//!    position, by old position), reported only for confident text matches.

use serde::Serialize;
// Keys are short texts and ids of one draft pair: no need for a keyed hash.
use rustc_hash::FxHashMap as HashMap;

/// Why two paragraphs were aligned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    SameText,
    SameId,
    SimilarText,
    Position,
    Containment,
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::SameText => "same text",
            Rule::SameId => "same id",
            Rule::SimilarText => "similar text",
            Rule::Position => "position",
            Rule::Containment => "containment",
        }
    }
}

/// A pair scored at least this high with the same id is the same paragraph, edited.
pub const SAME_ID_MIN: f64 = 0.4;
/// A pair with different ids needs this much similarity.
pub const SIMILAR_MIN: f64 = 0.5;
/// Same-id pairs are preferred among near-equal candidates.
const SAME_ID_BONUS: f64 = 0.1;
/// A part of a split (or merge) has at least this share of its words in the whole.
pub const PART_MIN: f64 = 0.6;
/// The parts together cover at least this share of the whole's words.
pub const COVER_MIN: f64 = 0.75;
/// Each extra part must explain this share of its own words with words of the whole that
/// the other parts left uncovered: a short boilerplate paragraph whose common words happen
/// to be contained in the whole does not tag along.
const PART_GAIN: f64 = 0.5;
/// A pair covering this much of the whole is complete; no split is looked for.
const COMPLETE: f64 = 0.97;
/// Leftovers between anchors pair by position at this similarity.
pub const POSITION_MIN: f64 = 0.25;
/// Moves are reported only for pairs this similar (a false move costs more trust than a
/// missed one).
pub const MOVE_MIN: f64 = 0.8;
const WINDOW: usize = 2;
const RARE_WORDS: usize = 8;
const MAX_POSTINGS: usize = 64;
const TOP_CANDIDATES: usize = 6;
const MAX_PARTS: usize = 6;
const MAX_GAP: usize = 8;

/// One side's paragraphs as the aligner sees them.
pub struct Side<'a> {
    pub ids: Vec<&'a str>,
    pub texts: Vec<&'a str>,
    /// Word ids, sorted: a multiset.
    pub bags: Vec<Vec<u32>>,
}

impl Side<'_> {
    fn len(&self) -> usize {
        self.ids.len()
    }
}

/// Paragraphs aligned together: 1:1, 1:n (split) or n:1 (merge). Indices are in document
/// order on each side.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub old: Vec<usize>,
    pub new: Vec<usize>,
    pub rule: Rule,
    pub similarity: f64,
    /// Out of the order of the other pairs (and confidently matched).
    pub moved: bool,
}

#[derive(Debug, Default)]
pub struct Alignment {
    pub links: Vec<Link>,
    pub removed: Vec<usize>,
    pub added: Vec<usize>,
}

/// Word multisets for both sides with one shared vocabulary.
pub fn bags(old: &[&str], new: &[&str]) -> (Vec<Vec<u32>>, Vec<Vec<u32>>, usize) {
    bags_with(old, new, |text| {
        super::words::tokens(text)
            .into_iter()
            .map(|t| t.text)
            .collect()
    })
}

fn bags_with(
    old: &[&str],
    new: &[&str],
    split: impl Fn(&str) -> Vec<&str>,
) -> (Vec<Vec<u32>>, Vec<Vec<u32>>, usize) {
    let mut vocab: rustc_hash::FxHashMap<String, u32> = Default::default();
    let mut lower = String::new();
    let mut bag = |text: &str| {
        let mut b: Vec<u32> = Vec::new();
        // The same words as `words::words`, lower-cased without allocating when already so.
        for t in split(text) {
            if !t.chars().next().is_some_and(char::is_alphanumeric) {
                continue;
            }
            let key = if t.bytes().all(|c| c < 0x80 && !c.is_ascii_uppercase()) {
                t
            } else {
                lower = t.to_lowercase();
                lower.as_str()
            };
            let id = match vocab.get(key) {
                Some(&id) => id,
                None => {
                    let next = u32::try_from(vocab.len()).unwrap_or(u32::MAX);
                    vocab.insert(key.to_string(), next);
                    next
                }
            };
            b.push(id);
        }
        b.sort_unstable();
        b
    };
    let o = old.iter().map(|t| bag(t)).collect();
    let n = new.iter().map(|t| bag(t)).collect();
    (o, n, vocab.len())
}

/// Like [`bags`], from the keys (`words::key`) of each paragraph's words, read once:
/// the same bags with the same word ids.
pub fn bags_of_words<'w>(
    old: impl Iterator<Item = &'w [u64]>,
    new: impl Iterator<Item = &'w [u64]>,
) -> (Vec<Vec<u32>>, Vec<Vec<u32>>, usize) {
    fn bag(vocab: &mut rustc_hash::FxHashMap<u64, u32>, words: &[u64]) -> Vec<u32> {
        let mut b: Vec<u32> = Vec::with_capacity(words.len());
        for &w in words {
            let next = u32::try_from(vocab.len()).unwrap_or(u32::MAX);
            b.push(*vocab.entry(w).or_insert(next));
        }
        b.sort_unstable();
        b
    }
    let mut vocab = rustc_hash::FxHashMap::default();
    let o: Vec<Vec<u32>> = old.map(|w| bag(&mut vocab, w)).collect();
    let n: Vec<Vec<u32>> = new.map(|w| bag(&mut vocab, w)).collect();
    (o, n, vocab.len())
}

/// Size of the multiset intersection of two sorted bags.
pub fn common(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// Dice coefficient of two word multisets, 0..1.
pub fn dice(a: &[u32], b: &[u32]) -> f64 {
    if a.is_empty() || b.is_empty() {
        return if a.is_empty() && b.is_empty() {
            1.0
        } else {
            0.0
        };
    }
    2.0 * common(a, b) as f64 / (a.len() + b.len()) as f64
}

/// Share of `part`'s words found in `whole`.
pub fn containment(part: &[u32], whole: &[u32]) -> f64 {
    if part.is_empty() {
        return 0.0;
    }
    common(part, whole) as f64 / part.len() as f64
}

fn merged(bags: &[Vec<u32>], parts: &[usize]) -> Vec<u32> {
    let mut all: Vec<u32> = parts
        .iter()
        .flat_map(|&p| bags[p].iter().copied())
        .collect();
    all.sort_unstable();
    all
}

/// Share of `whole`'s words covered by the parts together.
fn coverage(whole: &[u32], bags: &[Vec<u32>], parts: &[usize]) -> f64 {
    if whole.is_empty() {
        return 0.0;
    }
    common(whole, &merged(bags, parts)) as f64 / whole.len() as f64
}

/// An inverted index of one side's words: word id -> paragraphs holding it.
struct Index {
    postings: Vec<Vec<usize>>,
}

impl Index {
    fn new(bags: &[Vec<u32>], vocab: usize) -> Index {
        let mut postings = vec![Vec::new(); vocab];
        for (p, bag) in bags.iter().enumerate() {
            let mut last = None;
            for &w in bag {
                if last != Some(w) {
                    if let Some(list) = postings.get_mut(w as usize) {
                        list.push(p);
                    }
                    last = Some(w);
                }
            }
        }
        Index { postings }
    }

    fn df(&self, w: u32) -> usize {
        self.postings.get(w as usize).map_or(usize::MAX, Vec::len)
    }

    /// The few paragraphs sharing most of `bag`'s rarest words (`df` counts both sides).
    fn candidates(&self, bag: &[u32], df: &dyn Fn(u32) -> usize, taken: &[bool]) -> Vec<usize> {
        let mut distinct: Vec<u32> = bag.to_vec();
        distinct.dedup();
        distinct.sort_by_key(|&w| (df(w), w));
        let mut hits: HashMap<usize, usize> = HashMap::default();
        let mut used = 0;
        for w in distinct {
            if used == RARE_WORDS {
                break;
            }
            let Some(list) = self.postings.get(w as usize) else {
                continue;
            };
            if list.is_empty() || list.len() > MAX_POSTINGS {
                continue;
            }
            used += 1;
            for &p in list {
                if !taken.get(p).copied().unwrap_or(true) {
                    *hits.entry(p).or_default() += 1;
                }
            }
        }
        let mut ranked: Vec<(usize, usize)> = hits.into_iter().collect();
        ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        ranked
            .into_iter()
            .take(TOP_CANDIDATES)
            .map(|(p, _)| p)
            .collect()
    }
}

struct State {
    links: Vec<Link>,
    old_link: Vec<Option<usize>>,
    new_link: Vec<Option<usize>>,
}

impl State {
    fn add(&mut self, link: Link) {
        let k = self.links.len();
        for &i in &link.old {
            self.old_link[i] = Some(k);
        }
        for &j in &link.new {
            self.new_link[j] = Some(k);
        }
        self.links.push(link);
    }

    fn old_taken(&self) -> Vec<bool> {
        self.old_link.iter().map(Option::is_some).collect()
    }

    fn new_taken(&self) -> Vec<bool> {
        self.new_link.iter().map(Option::is_some).collect()
    }
}

/// Grows a run of consecutive free paragraphs around `seed` whose words are contained in
/// `whole`, each one adding coverage. Returns the run and its coverage.
fn grow(whole: &[u32], bags: &[Vec<u32>], taken: &[bool], seed: usize) -> (Vec<usize>, f64) {
    let fits = |p: usize, parts: &[usize], cov: f64| -> Option<f64> {
        if taken.get(p).copied().unwrap_or(true) || containment(&bags[p], whole) < PART_MIN {
            return None;
        }
        let mut with = parts.to_vec();
        with.push(p);
        let c = coverage(whole, bags, &with);
        let gained = (c - cov) * whole.len() as f64;
        (gained >= PART_GAIN * bags[p].len() as f64).then_some(c)
    };
    let mut parts = vec![seed];
    let mut cov = coverage(whole, bags, &parts);
    let mut hi = seed;
    while parts.len() < MAX_PARTS && hi + 1 < bags.len() {
        match fits(hi + 1, &parts, cov) {
            Some(c) => {
                hi += 1;
                parts.push(hi);
                cov = c;
            }
            None => break,
        }
    }
    let mut lo = seed;
    while parts.len() < MAX_PARTS && lo > 0 {
        match fits(lo - 1, &parts, cov) {
            Some(c) => {
                lo -= 1;
                parts.push(lo);
                cov = c;
            }
            None => break,
        }
    }
    parts.sort_unstable();
    (parts, cov)
}

pub fn align(old: &Side<'_>, new: &Side<'_>, vocab: usize) -> Alignment {
    let (n, m) = (old.len(), new.len());
    let mut st = State {
        links: Vec::new(),
        old_link: vec![None; n],
        new_link: vec![None; m],
    };

    // 1. Identical text.
    let mut by_text: HashMap<&str, std::collections::VecDeque<usize>> = HashMap::default();
    for j in 0..m {
        by_text.entry(new.texts[j]).or_default().push_back(j);
    }
    for i in 0..n {
        if let Some(j) = by_text.get_mut(old.texts[i]).and_then(|q| q.pop_front()) {
            st.add(Link {
                old: vec![i],
                new: vec![j],
                rule: Rule::SameText,
                similarity: 1.0,
                moved: false,
            });
        }
    }

    // 2. Scored candidates: same id, position window, rare shared words.
    let old_index = Index::new(&old.bags, vocab);
    let new_index = Index::new(&new.bags, vocab);
    let df = |w: u32| old_index.df(w).saturating_add(new_index.df(w));
    let mut new_by_id: HashMap<&str, Vec<usize>> = HashMap::default();
    for (j, id) in new.ids.iter().enumerate() {
        new_by_id.entry(id).or_default().push(j);
    }
    let new_taken = st.new_taken();
    let mut anchor: Option<(usize, usize)> = None;
    let mut pairs: Vec<(f64, f64, usize, usize)> = Vec::new();
    for i in 0..n {
        if let Some(k) = st.old_link[i] {
            anchor = st.links[k].new.first().map(|&j| (i, j));
            continue;
        }
        let expected = anchor.map_or(i, |(ai, aj)| aj + (i - ai));
        let mut cands: Vec<usize> = new_by_id.get(old.ids[i]).cloned().unwrap_or_default();
        cands.extend(expected.saturating_sub(WINDOW)..(expected + WINDOW + 1).min(m));
        cands.extend(new_index.candidates(&old.bags[i], &df, &new_taken));
        cands.sort_unstable();
        cands.dedup();
        for j in cands {
            if new_taken[j] {
                continue;
            }
            let s = dice(&old.bags[i], &new.bags[j]);
            let same = old.ids[i] == new.ids[j];
            if (same && s >= SAME_ID_MIN) || s >= SIMILAR_MIN {
                pairs.push((s + if same { SAME_ID_BONUS } else { 0.0 }, s, i, j));
            }
        }
    }
    pairs.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.cmp(&b.2)).then(a.3.cmp(&b.3)));
    for (_, s, i, j) in pairs {
        if st.old_link[i].is_none() && st.new_link[j].is_none() {
            let rule = if old.ids[i] == new.ids[j] {
                Rule::SameId
            } else {
                Rule::SimilarText
            };
            st.add(Link {
                old: vec![i],
                new: vec![j],
                rule,
                similarity: s,
                moved: false,
            });
        }
    }

    // 3. Pairs that are really splits or merges.
    for k in 0..st.links.len() {
        let link = &st.links[k];
        if link.rule == Rule::SameText || link.old.len() != 1 || link.new.len() != 1 {
            continue;
        }
        let (i, j) = (link.old[0], link.new[0]);
        let grown = [
            (false, &old.bags[i], &new.bags, st.new_taken(), j),
            (true, &new.bags[j], &old.bags, st.old_taken(), i),
        ]
        .into_iter()
        .find_map(|(merge, whole, bags, mut taken, seed)| {
            let base = coverage(whole, bags, &[seed]);
            if base >= COMPLETE || containment(&bags[seed], whole) < PART_MIN {
                return None;
            }
            taken[seed] = false;
            let (parts, cov) = grow(whole, bags, &taken, seed);
            (parts.len() >= 2 && cov >= COVER_MIN && cov > base).then_some((merge, parts))
        });
        if let Some((merge, parts)) = grown {
            let (olds, news) = if merge {
                (parts, vec![j])
            } else {
                (vec![i], parts)
            };
            for &p in &olds {
                st.old_link[p] = Some(k);
            }
            for &p in &news {
                st.new_link[p] = Some(k);
            }
            let similarity = dice(&merged(&old.bags, &olds), &merged(&new.bags, &news));
            st.links[k] = Link {
                old: olds,
                new: news,
                rule: Rule::Containment,
                similarity,
                moved: false,
            };
        }
    }

    // 4. Splits and merges where no single part was similar enough to pair.
    for merge in [false, true] {
        let (wholes, parts_side, index) = if merge {
            (new, old, &old_index)
        } else {
            (old, new, &new_index)
        };
        for w in 0..wholes.len() {
            let free = if merge {
                st.new_link[w].is_none()
            } else {
                st.old_link[w].is_none()
            };
            if !free || wholes.bags[w].is_empty() {
                continue;
            }
            let taken = if merge {
                st.old_taken()
            } else {
                st.new_taken()
            };
            let whole = &wholes.bags[w];
            let mut best: Option<(Vec<usize>, f64)> = None;
            for seed in index.candidates(whole, &df, &taken) {
                if containment(&parts_side.bags[seed], whole) < PART_MIN {
                    continue;
                }
                let (parts, cov) = grow(whole, &parts_side.bags, &taken, seed);
                if parts.len() >= 2 && cov >= COVER_MIN && best.as_ref().is_none_or(|b| cov > b.1) {
                    best = Some((parts, cov));
                }
            }
            if let Some((parts, _)) = best {
                let similarity = dice(whole, &merged(&parts_side.bags, &parts));
                let (o, nn) = if merge {
                    (parts, vec![w])
                } else {
                    (vec![w], parts)
                };
                st.add(Link {
                    old: o,
                    new: nn,
                    rule: Rule::Containment,
                    similarity,
                    moved: false,
                });
            }
        }
    }

    // 5. Leftovers between two anchors, paired by position.
    let mut i = 0;
    while i < n {
        if st.old_link[i].is_some() {
            i += 1;
            continue;
        }
        let start = i;
        while i < n && st.old_link[i].is_none() {
            i += 1;
        }
        let lo = match start.checked_sub(1) {
            Some(p) => st.old_link[p]
                .and_then(|k| st.links[k].new.iter().max().copied())
                .map_or(0, |j| j + 1),
            None => 0,
        };
        let hi = if i < n {
            st.old_link[i]
                .and_then(|k| st.links[k].new.iter().min().copied())
                .unwrap_or(m)
        } else {
            m
        };
        if lo >= hi || i - start > MAX_GAP || hi - lo > 4 * MAX_GAP {
            continue;
        }
        let free_new: Vec<usize> = (lo..hi).filter(|&j| st.new_link[j].is_none()).collect();
        if free_new.len() != i - start {
            continue;
        }
        for (oi, nj) in (start..i).zip(free_new) {
            let s = dice(&old.bags[oi], &new.bags[nj]);
            if s >= POSITION_MIN {
                st.add(Link {
                    old: vec![oi],
                    new: vec![nj],
                    rule: Rule::Position,
                    similarity: s,
                    moved: false,
                });
            }
        }
    }

    // 6. Moves: out of the longest run of pairs kept in order.
    let mut order: Vec<usize> = (0..st.links.len()).collect();
    order.sort_by_key(|&k| (st.links[k].new.first().copied().unwrap_or(0), k));
    let keys: Vec<usize> = order
        .iter()
        .map(|&k| st.links[k].old.first().copied().unwrap_or(0))
        .collect();
    let kept = increasing(&keys);
    for (pos, &k) in order.iter().enumerate() {
        let link = &mut st.links[k];
        if !kept[pos]
            && link.old.len() == 1
            && link.new.len() == 1
            && link.similarity >= MOVE_MIN
            && matches!(link.rule, Rule::SameText | Rule::SimilarText | Rule::SameId)
        {
            link.moved = true;
        }
    }

    let removed = (0..n).filter(|&i| st.old_link[i].is_none()).collect();
    let added = (0..m).filter(|&j| st.new_link[j].is_none()).collect();
    Alignment {
        links: st.links,
        removed,
        added,
    }
}

/// Marks the members of one longest strictly increasing subsequence (patience sorting,
/// n log n).
fn increasing(keys: &[usize]) -> Vec<bool> {
    let mut tails: Vec<usize> = Vec::new();
    let mut prev: Vec<Option<usize>> = vec![None; keys.len()];
    for (p, &key) in keys.iter().enumerate() {
        let at = tails.partition_point(|&t| keys[t] < key);
        prev[p] = at.checked_sub(1).map(|a| tails[a]);
        if at == tails.len() {
            tails.push(p);
        } else {
            tails[at] = p;
        }
    }
    let mut kept = vec![false; keys.len()];
    let mut cur = tails.last().copied();
    while let Some(p) = cur {
        kept[p] = true;
        cur = prev[p];
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn longest_increasing_run() {
        assert_eq!(
            increasing(&[0, 1, 2, 5, 3, 4]),
            [true, true, true, false, true, true]
        );
        assert_eq!(increasing(&[]), Vec::<bool>::new());
    }

    #[test]
    fn multiset_scores() {
        assert_eq!(common(&[1, 1, 2, 3], &[1, 2, 2, 4]), 2);
        assert!((dice(&[1, 2], &[1, 2]) - 1.0).abs() < 1e-9);
        assert!((containment(&[1, 2], &[1, 2, 3, 4]) - 1.0).abs() < 1e-9);
    }
}
