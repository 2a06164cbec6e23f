//! A synthetic negotiation corpus, deterministic from a seed: N drafts, each through M
//! iterations, committed to one git repository in the order a secretariat would commit them.
//!
//! Each draft is a resolution (title, header, chapeau, preambular and operative paragraphs with
//! sub-paragraphs and alternatives) negotiated by about sixty delegations, groups and the Chair.
//! Odd iterations are compilations: delegations insert bracketed proposals, join or oppose
//! others, place reservations, add notes and propose bis paragraphs. Even iterations are the
//! Chair's revisions: brackets agreed or dropped, reservations lifted, bis paragraphs taken on
//! board (renumbering what follows), paragraphs moved, split, merged or not retained, and clean
//! paragraphs stamped ad ref.
//!
//! Commit ids depend on the seed only: fixed dates and identities, a seeded PRNG, no clock.
//! Used by `examples/synth/main.rs` and by `tests/synth.rs` (through `#[path]`).

#![allow(dead_code)]

#[path = "text.rs"]
mod text;

use brackets::model::Severity;
use git2::{ObjectType, Oid, Repository, RepositoryInitOptions, Signature, Time};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use text::*;

#[derive(Debug, thiserror::Error)]
pub enum SynthError {
    #[error("{path} exists and is not empty; give a new folder")]
    NotEmpty { path: PathBuf },
    #[error("cannot write {path}: {cause}")]
    Io {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("git: {context}: {}", .cause.message())]
    Git { context: String, cause: git2::Error },
    #[error("iteration {iteration} of {draft} does not parse: {message}")]
    Parse {
        draft: String,
        iteration: usize,
        message: String,
    },
}

fn git_err(context: &str) -> impl FnOnce(git2::Error) -> SynthError + '_ {
    move |cause| SynthError::Git {
        context: context.to_string(),
        cause,
    }
}

// ---------------------------------------------------------------------------------------------
// PRNG: splitmix64, stable across platforms and versions.

#[derive(Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// 0..n (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    pub fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    pub fn chance(&mut self, p: f64) -> bool {
        ((self.next_u64() >> 11) as f64 / (1u64 << 53) as f64) < p
    }

    pub fn w(&mut self, xs: &[&'static str]) -> &'static str {
        xs[self.below(xs.len())]
    }

    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

// ---------------------------------------------------------------------------------------------
// The draft as the generator sees it.

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum St {
    Plus,
    Minus,
    Reserve,
    Delete,
}

#[derive(Clone, Debug)]
struct Pos {
    actor: &'static str,
    st: St,
}

type Group = Vec<Pos>;

#[derive(Clone, Debug)]
struct Br {
    text: String,
    groups: Vec<Group>,
}

#[derive(Clone, Debug)]
enum Piece {
    Text(String),
    Br(Br),
}

#[derive(Clone, Debug, Default)]
struct Block {
    pieces: Vec<Piece>,
}

#[derive(Clone, Debug)]
struct Sub {
    body: Block,
    alt: Option<(Block, Vec<Group>)>,
    agreed: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Part {
    Pre,
    Op,
}

#[derive(Clone, Debug)]
struct Para {
    part: Part,
    body: Block,
    subs: Vec<Sub>,
    /// A proposed (bis) paragraph, bracketed as a whole with these attributions.
    wrapper: Option<Vec<Group>>,
    agreed: Option<String>,
    notes: Vec<String>,
}

struct Draft {
    title: String,
    header: String,
    chapeau: &'static str,
    key: [&'static str; 3],
    pps: Vec<Para>,
    ops: Vec<Para>,
    as_of: String,
}

impl Block {
    fn text(s: String) -> Block {
        Block {
            pieces: vec![Piece::Text(s)],
        }
    }

    fn has_brackets(&self) -> bool {
        self.pieces.iter().any(|p| matches!(p, Piece::Br(_)))
    }

    fn brackets_mut(&mut self) -> impl Iterator<Item = &mut Br> {
        self.pieces.iter_mut().filter_map(|p| match p {
            Piece::Br(b) => Some(b),
            Piece::Text(_) => None,
        })
    }

    fn plain(&self) -> String {
        let mut s = String::new();
        for p in &self.pieces {
            match p {
                Piece::Text(t) => s.push_str(t),
                Piece::Br(b) => s.push_str(&b.text),
            }
        }
        s
    }

    /// Merges adjacent texts, tidies spaces left by removed brackets.
    fn normalize(&mut self) {
        let mut out: Vec<Piece> = Vec::with_capacity(self.pieces.len());
        for p in self.pieces.drain(..) {
            match (out.last_mut(), p) {
                (Some(Piece::Text(a)), Piece::Text(b)) => a.push_str(&b),
                (_, p) => out.push(p),
            }
        }
        for p in &mut out {
            if let Piece::Text(t) = p {
                while t.contains("  ") {
                    *t = t.replace("  ", " ");
                }
                *t = t.replace(" ,", ",").replace(" ;", ";");
            }
        }
        out.retain(|p| !matches!(p, Piece::Text(t) if t.is_empty()));
        self.pieces = out;
    }

    /// Index of a text piece and a byte range of `min..=max` whole words inside it, away from
    /// the first `skip` words of the block.
    fn word_span(&self, rng: &mut Rng, min: usize, max: usize) -> Option<(usize, usize, usize)> {
        let candidates: Vec<usize> = (0..self.pieces.len())
            .filter(|&i| matches!(&self.pieces[i], Piece::Text(t) if t.len() > 60))
            .collect();
        if candidates.is_empty() {
            return None;
        }
        let i = *rng.pick(&candidates);
        let Piece::Text(t) = &self.pieces[i] else {
            return None;
        };
        // Word starts, skipping the opener at the head of the paragraph.
        let starts: Vec<usize> = t
            .char_indices()
            .filter(|&(k, c)| c == ' ' && k > 0)
            .map(|(k, _)| k + 1)
            .filter(|&k| i > 0 || k > 30)
            .filter(|&k| k < t.len())
            .collect();
        if starts.len() < max + 2 {
            return None;
        }
        let n = rng.range(min, max);
        let a = rng.below(starts.len() - n - 1);
        let start = starts[a];
        let end = starts[a + n] - 1; // the space before the next word
        let words = &t[start..end];
        if words.ends_with([',', ';', ':', '.']) || words.contains('"') {
            return None;
        }
        Some((i, start, end))
    }

    fn split_text(&mut self, i: usize, start: usize, end: usize, middle: Vec<Piece>) {
        let Piece::Text(t) = &self.pieces[i] else {
            return;
        };
        let left = t[..start].to_string();
        let right = t[end..].to_string();
        let mut new = vec![Piece::Text(left)];
        new.extend(middle);
        new.push(Piece::Text(right));
        self.pieces.splice(i..=i, new);
    }

    /// A word boundary inside a text piece: right after a word, before a space.
    fn insertion_point(&self, rng: &mut Rng) -> Option<(usize, usize)> {
        // Before a comma, where additions usually go.
        let commas: Vec<(usize, usize)> = self
            .pieces
            .iter()
            .enumerate()
            .filter_map(|(i, p)| match p {
                Piece::Text(t) => Some((i, t)),
                Piece::Br(_) => None,
            })
            .flat_map(|(i, t)| {
                t.match_indices(", ")
                    .map(move |(k, _)| (i, k))
                    .filter(move |&(i, k)| i > 0 || k > 30)
            })
            .collect();
        if !commas.is_empty() && rng.chance(0.8) {
            return Some(*rng.pick(&commas));
        }
        let (i, start, _) = self.word_span(rng, 1, 1)?;
        // Insert right before the space that precedes the chosen word.
        Some((i, start - 1))
    }
}

impl Para {
    fn clean(&self) -> bool {
        self.wrapper.is_none()
            && !self.body.has_brackets()
            && self
                .subs
                .iter()
                .all(|s| !s.body.has_brackets() && s.alt.is_none())
    }

    fn bracket_count(&self) -> usize {
        let n = |b: &Block| {
            b.pieces
                .iter()
                .filter(|p| matches!(p, Piece::Br(_)))
                .count()
        };
        n(&self.body)
            + self
                .subs
                .iter()
                .map(|s| n(&s.body) + s.alt.iter().count())
                .sum::<usize>()
            + self.wrapper.iter().count()
    }
}

// ---------------------------------------------------------------------------------------------
// Rendering.

fn stance(st: St) -> &'static str {
    match st {
        St::Plus => "+",
        St::Minus => "-",
        St::Reserve => " reserve",
        St::Delete => " delete",
    }
}

fn render_groups(out: &mut String, groups: &[Group]) {
    if groups.is_empty() {
        return;
    }
    out.push(' ');
    for g in groups {
        out.push('{');
        for (k, p) in g.iter().enumerate() {
            if k > 0 {
                out.push_str(", ");
            }
            out.push_str(p.actor);
            out.push_str(stance(p.st));
        }
        out.push('}');
    }
}

fn render_block(out: &mut String, b: &Block) {
    for p in &b.pieces {
        match p {
            Piece::Text(t) => out.push_str(t),
            Piece::Br(br) => {
                out.push('[');
                out.push_str(&br.text);
                out.push(']');
                render_groups(out, &br.groups);
            }
        }
    }
}

const SUFFIXES: [&str; 4] = ["bis", "ter", "quater", "quinquies"];

fn render_tail(out: &mut String, agreed: &Option<String>, notes: &[String]) {
    if let Some(stamp) = agreed {
        out.push(' ');
        out.push_str(stamp);
    }
    for n in notes {
        out.push_str(" {");
        out.push_str(n);
        out.push('}');
    }
}

impl Draft {
    fn render(&self) -> String {
        let mut s = String::with_capacity(48 * 1024);
        let _ = write!(
            s,
            "# Draft resolution: {}\n\n{}\n\nCompilation text as of {}\n\n{}\n\n",
            self.title, self.header, self.as_of, self.chapeau
        );
        let mut number = 0;
        let mut bis = 0;
        for p in &self.pps {
            match &p.wrapper {
                Some(groups) => {
                    let _ = write!(s, "[{number}.{} ", SUFFIXES[bis.min(3)]);
                    bis += 1;
                    render_block(&mut s, &p.body);
                    s.push_str(",]");
                    render_groups(&mut s, groups);
                }
                None => {
                    number += 1;
                    bis = 0;
                    render_block(&mut s, &p.body);
                    s.push(',');
                }
            }
            render_tail(&mut s, &p.agreed, &p.notes);
            s.push_str("\n\n");
        }
        s.push_str("## Operative part\n\n");
        let mut number = 0;
        let mut bis = 0;
        let last = self.ops.len().saturating_sub(1);
        for (k, p) in self.ops.iter().enumerate() {
            let end = if k == last { "." } else { ";" };
            match &p.wrapper {
                Some(groups) => {
                    let _ = write!(s, "[{number}{}. ", SUFFIXES[bis.min(3)]);
                    bis += 1;
                    render_block(&mut s, &p.body);
                    s.push_str(end);
                    s.push(']');
                    render_groups(&mut s, groups);
                }
                None => {
                    number += 1;
                    bis = 0;
                    let _ = write!(s, "{number}. ");
                    render_block(&mut s, &p.body);
                    s.push_str(if p.subs.is_empty() { end } else { ":" });
                }
            }
            render_tail(&mut s, &p.agreed, &p.notes);
            for (j, sub) in p.subs.iter().enumerate() {
                let letter = (b'a' + j as u8) as char;
                let _ = write!(s, "\n- {letter}. ");
                render_block(&mut s, &sub.body);
                s.push(';');
                render_tail(&mut s, &sub.agreed, &[]);
                if let Some((alt, groups)) = &sub.alt {
                    let _ = write!(s, "\n  - [Alt1. {letter} ");
                    render_block(&mut s, alt);
                    s.push_str(";]");
                    render_groups(&mut s, groups);
                }
            }
            s.push_str("\n\n");
        }
        s.truncate(s.trim_end().len());
        s.push('\n');
        s
    }
}

// ---------------------------------------------------------------------------------------------
// Writing text.

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

fn clause(rng: &mut Rng, key: &[&'static str; 3]) -> String {
    let k = rng.w(key);
    let mut k2 = rng.w(key);
    if k2 == k {
        k2 = rng.w(&OBJECTS);
    }
    rng.w(&PP_CLAUSES).replace("{k2}", k2).replace("{k}", k)
}

fn pp_text(rng: &mut Rng, key: &[&'static str; 3]) -> String {
    let opener = rng.w(&PP_OPENERS);
    let mut s = String::from(opener);
    s.push(' ');
    if rng.chance(0.25) {
        s.push_str(rng.w(&REFERENCES));
        s.push_str(", and ");
        s.push_str(&clause(rng, key));
    } else {
        s.push_str(&clause(rng, key));
    }
    for _ in 0..rng.range(1, 3) {
        s.push_str(", ");
        if rng.chance(0.5) {
            s.push_str("and ");
            s.push_str(&clause(rng, key));
        } else {
            s.push_str(rng.w(&QUALIFIERS));
        }
    }
    if rng.chance(0.5) {
        let _ = write!(
            s,
            ", and the need to {} {} {}",
            rng.w(&VERBS),
            rng.w(&OBJECTS),
            rng.w(&QUALIFIERS)
        );
    }
    s
}

fn op_text(rng: &mut Rng, key: &[&'static str; 3], with_subs: bool) -> String {
    let mut s = String::from(rng.w(&OP_OPENERS));
    let _ = write!(
        s,
        " {} {} for {}, {}",
        rng.w(&VERBS),
        rng.w(&OBJECTS),
        rng.w(key),
        rng.w(&QUALIFIERS)
    );
    if with_subs {
        s.push_str(", with particular emphasis on");
    } else {
        for _ in 0..rng.range(1, 2) {
            let _ = write!(
                s,
                ", and to {} {} {}",
                rng.w(&VERBS),
                rng.w(&OBJECTS),
                rng.w(&QUALIFIERS)
            );
        }
    }
    s
}

fn sub_text(rng: &mut Rng, key: &[&'static str; 3]) -> String {
    let verb = rng.w(&GERUNDS);
    format!(
        "{verb} {} related to {}, {}, and {} {}",
        rng.w(&OBJECTS),
        rng.w(key),
        rng.w(&QUALIFIERS),
        rng.w(&OBJECTS),
        rng.w(&QUALIFIERS)
    )
}

fn new_para(rng: &mut Rng, part: Part, key: &[&'static str; 3]) -> Para {
    let (body, subs) = match part {
        Part::Pre => (pp_text(rng, key), Vec::new()),
        Part::Op => {
            let with_subs = rng.chance(0.35);
            let subs = if with_subs {
                (0..rng.range(3, 6))
                    .map(|_| Sub {
                        body: Block::text(sub_text(rng, key)),
                        alt: None,
                        agreed: None,
                    })
                    .collect()
            } else {
                Vec::new()
            };
            (op_text(rng, key, with_subs), subs)
        }
    };
    Para {
        part,
        body: Block::text(body),
        subs,
        wrapper: None,
        agreed: None,
        notes: Vec::new(),
    }
}

// ---------------------------------------------------------------------------------------------
// Negotiating.

fn actor(rng: &mut Rng) -> &'static str {
    if rng.chance(0.2) {
        rng.w(&GROUPS)
    } else {
        rng.w(&DELEGATIONS)
    }
}

fn mentions(groups: &[Group], a: &str) -> bool {
    groups.iter().flatten().any(|p| p.actor == a)
}

/// A proposer and a few supporters (and sometimes opponents).
fn proposal_groups(rng: &mut Rng, proposer: &'static str) -> Vec<Group> {
    let mut g = vec![Pos {
        actor: proposer,
        st: St::Plus,
    }];
    for _ in 0..rng.range(0, 3) {
        let a = actor(rng);
        if !g.iter().any(|p| p.actor == a) {
            g.push(Pos {
                actor: a,
                st: St::Plus,
            });
        }
    }
    if rng.chance(0.3) {
        let a = actor(rng);
        if !g.iter().any(|p| p.actor == a) {
            g.push(Pos {
                actor: a,
                st: St::Minus,
            });
        }
    }
    vec![g]
}

/// Where in the draft an edit lands.
#[derive(Clone, Copy, Debug)]
enum Loc {
    Body(Part, usize),
    Sub(usize, usize),
}

/// How many paragraphs the generator keeps at least, so that structural edits always find
/// material.
const MIN_PPS: usize = 8;
const MIN_OPS: usize = 8;

/// Kinds of events, counted for commit messages and tests.
#[derive(Default, Debug, Clone)]
pub struct Events {
    pub proposed: usize,
    pub joined: usize,
    pub opposed: usize,
    pub left: usize,
    pub reserved: usize,
    pub lifted: usize,
    pub agreed: usize,
    pub dropped: usize,
    pub bis: usize,
    pub taken_on_board: usize,
    pub moved: usize,
    pub split: usize,
    pub merged: usize,
    pub removed: usize,
    pub stamped: usize,
    pub reopened: usize,
    pub notes: usize,
    pub proposers: Vec<&'static str>,
}

impl Draft {
    fn new(rng: &mut Rng, index: usize) -> Draft {
        let body = &BODIES[body_of(index)];
        let topic = &TOPICS[index % TOPICS.len()];
        let round = index / (BODIES.len() * TOPICS.len());
        let title = if round == 0 {
            topic.0.to_string()
        } else {
            format!("{} ({})", topic.0, round + 1)
        };
        let key = topic.2;
        let pps = (0..rng.range(34, 40))
            .map(|_| new_para(rng, Part::Pre, &key))
            .collect();
        let ops = (0..rng.range(26, 32))
            .map(|_| new_para(rng, Part::Op, &key))
            .collect();
        let mut draft = Draft {
            title,
            header: format!("{}, {}", body.2, 2026),
            chapeau: body.1,
            key,
            pps,
            ops,
            as_of: String::new(),
        };
        // Zero drafts of at least 31 KB, so that every iteration is 30-50 KB.
        while draft.render().len() < 31 * 1024 {
            let part = if rng.chance(0.5) { Part::Pre } else { Part::Op };
            let p = new_para(rng, part, &key);
            draft.paras_mut(part).push(p);
        }
        draft
    }

    fn paras(&self, part: Part) -> &Vec<Para> {
        match part {
            Part::Pre => &self.pps,
            Part::Op => &self.ops,
        }
    }

    fn paras_mut(&mut self, part: Part) -> &mut Vec<Para> {
        match part {
            Part::Pre => &mut self.pps,
            Part::Op => &mut self.ops,
        }
    }

    fn random_loc(&self, rng: &mut Rng) -> Loc {
        if rng.chance(0.45) {
            Loc::Body(Part::Pre, rng.below(self.pps.len()))
        } else {
            let i = rng.below(self.ops.len());
            if !self.ops[i].subs.is_empty() && rng.chance(0.6) {
                Loc::Sub(i, rng.below(self.ops[i].subs.len()))
            } else {
                Loc::Body(Part::Op, i)
            }
        }
    }

    /// The block at `loc`, with the agreement stamp covering it (which a new bracket lifts).
    fn block_mut(&mut self, loc: Loc) -> (&mut Block, &mut Option<String>) {
        match loc {
            Loc::Body(part, i) => {
                let p = &mut self.paras_mut(part)[i];
                (&mut p.body, &mut p.agreed)
            }
            Loc::Sub(i, j) => {
                let s = &mut self.ops[i].subs[j];
                (&mut s.body, &mut s.agreed)
            }
        }
    }

    fn all_brackets(&mut self) -> Vec<&mut Br> {
        let mut out = Vec::new();
        for p in self.pps.iter_mut().chain(self.ops.iter_mut()) {
            out.extend(p.body.brackets_mut());
            for s in &mut p.subs {
                out.extend(s.body.brackets_mut());
            }
        }
        out
    }

    /// A delegation's proposal: an addition, a replacement or a deletion.
    fn propose(&mut self, rng: &mut Rng, ev: &mut Events) {
        // Agreed text is rarely reopened: look for open text first.
        let mut loc = self.random_loc(rng);
        for _ in 0..4 {
            if self.block_mut(loc).1.is_none() {
                break;
            }
            loc = self.random_loc(rng);
        }
        let who = actor(rng);
        let (block, agreed) = self.block_mut(loc);
        if agreed.is_some() && !rng.chance(0.1) {
            return;
        }
        let reopening = agreed.is_some();
        let r = rng.below(10);
        let done = if r < 5 {
            block.insertion_point(rng).map(|(i, at)| {
                let text = format!(", {}", rng.w(&ADDITIONS));
                let br = Br {
                    text,
                    groups: proposal_groups(rng, who),
                };
                block.split_text(i, at, at, vec![Piece::Br(br)]);
            })
        } else if r < 8 {
            block.word_span(rng, 1, 3).map(|(i, start, end)| {
                let Piece::Text(t) = &block.pieces[i] else {
                    return;
                };
                let old = t[start..end].to_string();
                let mut groups = vec![vec![Pos {
                    actor: who,
                    st: St::Delete,
                }]];
                if rng.chance(0.3) {
                    groups[0].push(Pos {
                        actor: actor(rng),
                        st: St::Delete,
                    });
                    groups[0].dedup_by(|a, b| a.actor == b.actor);
                }
                let new = Br {
                    text: rng.w(&REPLACEMENTS).to_string(),
                    groups: proposal_groups(rng, who),
                };
                block.split_text(
                    i,
                    start,
                    end,
                    vec![
                        Piece::Br(Br { text: old, groups }),
                        Piece::Text(" ".into()),
                        Piece::Br(new),
                    ],
                );
            })
        } else {
            block.word_span(rng, 2, 6).map(|(i, start, end)| {
                let Piece::Text(t) = &block.pieces[i] else {
                    return;
                };
                let old = t[start..end].to_string();
                let groups = vec![vec![Pos {
                    actor: who,
                    st: St::Delete,
                }]];
                block.split_text(i, start, end, vec![Piece::Br(Br { text: old, groups })]);
            })
        };
        if done.is_some() {
            ev.proposed += 1;
            if !ev.proposers.contains(&who) {
                ev.proposers.push(who);
            }
            if reopening {
                *agreed = None;
                ev.reopened += 1;
            }
        }
    }

    /// Someone joins, opposes, changes stance or places a reservation on a bracket.
    fn take_position(&mut self, rng: &mut Rng, kind: Option<usize>, ev: &mut Events) {
        let who = actor(rng);
        let r = kind.unwrap_or_else(|| rng.below(10));
        let mut all: Vec<&mut Vec<Group>> = Vec::new();
        for p in self.pps.iter_mut().chain(self.ops.iter_mut()) {
            if let Some(w) = &mut p.wrapper {
                all.push(w);
            }
            all.extend(p.body.brackets_mut().map(|b| &mut b.groups));
            for s in &mut p.subs {
                all.extend(s.body.brackets_mut().map(|b| &mut b.groups));
                if let Some((_, g)) = &mut s.alt {
                    all.push(g);
                }
            }
        }
        let n = all.len();
        if n == 0 {
            return;
        }
        let groups = all.swap_remove(rng.below(n));
        if groups.is_empty() {
            return;
        }
        if r < 4 {
            if !mentions(groups, who) {
                groups[0].push(Pos {
                    actor: who,
                    st: St::Plus,
                });
                ev.joined += 1;
            }
        } else if r < 6 {
            if !mentions(groups, who) {
                groups[0].push(Pos {
                    actor: who,
                    st: St::Minus,
                });
                ev.opposed += 1;
            }
        } else if r < 7 {
            // A supporter (not the proposer) changes its mind.
            if let Some(p) = groups[0].iter_mut().skip(1).find(|p| p.st == St::Plus) {
                p.st = St::Minus;
                ev.opposed += 1;
            }
        } else if r < 8 {
            // A supporter or opponent withdraws its position.
            if groups[0].len() > 1 {
                let k = 1 + rng.below(groups[0].len() - 1);
                groups[0].remove(k);
                ev.left += 1;
            }
        } else if !mentions(groups, who) {
            match groups
                .iter_mut()
                .find(|g| g.iter().all(|p| p.st == St::Reserve))
            {
                Some(g) => g.push(Pos {
                    actor: who,
                    st: St::Reserve,
                }),
                None => groups.push(vec![Pos {
                    actor: who,
                    st: St::Reserve,
                }]),
            }
            ev.reserved += 1;
        }
    }

    /// A new paragraph proposed as bis, bracketed as a whole.
    fn propose_bis(&mut self, rng: &mut Rng, ev: &mut Events) {
        let part = if rng.chance(0.5) { Part::Pre } else { Part::Op };
        let key = self.key;
        let mut p = new_para(rng, part, &key);
        p.subs.clear();
        if part == Part::Op {
            p.body = Block::text(op_text(rng, &key, false));
        }
        let who = actor(rng);
        p.wrapper = Some(proposal_groups(rng, who));
        let list = self.paras_mut(part);
        // After a paragraph (never first, so a PP bis has a number to follow).
        let at = 1 + rng.below(list.len() - 1);
        list.insert(at, p);
        ev.bis += 1;
        if !ev.proposers.contains(&who) {
            ev.proposers.push(who);
        }
    }

    fn add_alternative(&mut self, rng: &mut Rng, ev: &mut Events) {
        let key = self.key;
        let candidates: Vec<(usize, usize)> = self
            .ops
            .iter()
            .enumerate()
            .flat_map(|(i, p)| (0..p.subs.len()).map(move |j| (i, j)))
            .filter(|&(i, j)| self.ops[i].subs[j].alt.is_none() && self.ops[i].wrapper.is_none())
            .collect();
        if candidates.is_empty() {
            return;
        }
        let (i, j) = *rng.pick(&candidates);
        let who = actor(rng);
        let sub = &mut self.ops[i].subs[j];
        sub.alt = Some((Block::text(sub_text(rng, &key)), proposal_groups(rng, who)));
        sub.agreed = None;
        ev.proposed += 1;
    }

    fn add_note(&mut self, rng: &mut Rng, ev: &mut Events) {
        let part = if rng.chance(0.5) { Part::Pre } else { Part::Op };
        let list = self.paras_mut(part);
        let i = rng.below(list.len());
        if list[i].notes.is_empty() && !list[i].clean() {
            list[i].notes.push(rng.w(&NOTES).to_string());
            ev.notes += 1;
        }
    }

    /// The Chair settles brackets: agreed (text kept) or dropped (text gone).
    fn settle(&mut self, rng: &mut Rng, share: f64, ev: &mut Events) {
        for p in self.pps.iter_mut().chain(self.ops.iter_mut()) {
            let mut blocks: Vec<&mut Block> = vec![&mut p.body];
            for s in &mut p.subs {
                blocks.push(&mut s.body);
            }
            for b in blocks {
                let mut k = 0;
                while k < b.pieces.len() {
                    if let Piece::Br(br) = &b.pieces[k]
                        && rng.chance(share)
                    {
                        let deleting = br.groups.first().and_then(|g| g.first()).map(|p| p.st)
                            == Some(St::Delete);
                        let opposed = br.groups.iter().flatten().any(|p| p.st == St::Minus);
                        let keep = if deleting {
                            rng.chance(0.4)
                        } else if opposed {
                            rng.chance(0.35)
                        } else {
                            rng.chance(0.75)
                        };
                        let text = if keep { br.text.clone() } else { String::new() };
                        if keep {
                            ev.agreed += 1;
                        } else {
                            ev.dropped += 1;
                        }
                        b.pieces[k] = Piece::Text(text);
                    }
                    k += 1;
                }
                b.normalize();
            }
            for s in &mut p.subs {
                if s.alt.is_some() && rng.chance(share) {
                    s.alt = None;
                    ev.dropped += 1;
                }
            }
        }
    }

    /// Reservations lifted, notes removed.
    fn lift(&mut self, rng: &mut Rng, ev: &mut Events) {
        for b in self.all_brackets() {
            for g in &mut b.groups {
                let before = g.len();
                g.retain(|p| p.st != St::Reserve || rng.chance(0.6));
                ev.lifted += before - g.len();
            }
            b.groups.retain(|g| !g.is_empty());
        }
        for p in self.pps.iter_mut().chain(self.ops.iter_mut()) {
            if !p.notes.is_empty() && rng.chance(0.5) {
                p.notes.clear();
            }
        }
    }

    /// Bis paragraphs taken on board (numbered like the others: what follows is renumbered)
    /// or not retained.
    fn decide_bis(&mut self, rng: &mut Rng, ev: &mut Events) {
        for part in [Part::Pre, Part::Op] {
            let list = self.paras_mut(part);
            let mut k = 0;
            while k < list.len() {
                if list[k].wrapper.is_some() && rng.chance(0.6) {
                    if rng.chance(0.65) {
                        list[k].wrapper = None;
                        ev.taken_on_board += 1;
                    } else {
                        list.remove(k);
                        ev.removed += 1;
                        continue;
                    }
                }
                k += 1;
            }
        }
    }

    fn stamp(&mut self, rng: &mut Rng, stamp: &str, ev: &mut Events) {
        for p in self.pps.iter_mut().chain(self.ops.iter_mut()) {
            if p.agreed.is_none() && p.clean() && p.notes.is_empty() && rng.chance(0.15) {
                p.agreed = Some(stamp.to_string());
                ev.stamped += 1;
            }
            if p.wrapper.is_none() {
                for s in &mut p.subs {
                    if s.agreed.is_none()
                        && !s.body.has_brackets()
                        && s.alt.is_none()
                        && rng.chance(0.15)
                    {
                        s.agreed = Some(stamp.to_string());
                        ev.stamped += 1;
                    }
                }
            }
        }
    }

    /// Paragraph indices of `part` that structural edits may touch: unbracketed as a whole,
    /// not agreed (agreed text is not reshuffled), without sub-paragraphs.
    fn plain_paras(&self, part: Part) -> Vec<usize> {
        self.paras(part)
            .iter()
            .enumerate()
            .filter(|(_, p)| p.wrapper.is_none() && p.subs.is_empty() && p.agreed.is_none())
            .map(|(i, _)| i)
            .collect()
    }

    /// One paragraph moves several places (a preambular one to the end of the preamble, as
    /// delegations often ask).
    fn move_para(&mut self, rng: &mut Rng, ev: &mut Events) {
        let part = if rng.chance(0.6) { Part::Pre } else { Part::Op };
        let cands = self.plain_paras(part);
        let list = self.paras_mut(part);
        let len = list.len();
        let Some(&from) = cands.iter().find(|&&i| i + 6 < len && i > 0) else {
            return;
        };
        let from = cands
            .iter()
            .copied()
            .filter(|&i| i + 6 < len && i > 0)
            .nth(rng.below(3))
            .unwrap_or(from);
        let p = list.remove(from);
        let to = if part == Part::Pre {
            list.len()
        } else {
            (from + 5).min(list.len())
        };
        list.insert(to, p);
        ev.moved += 1;
    }

    /// A paragraph split in two at a comma.
    fn split(&mut self, rng: &mut Rng, ev: &mut Events) {
        let part = if rng.chance(0.5) { Part::Pre } else { Part::Op };
        let cands: Vec<usize> = self
            .plain_paras(part)
            .into_iter()
            .filter(|&i| self.paras(part)[i].body.plain().matches(", ").count() >= 3)
            .collect();
        if cands.is_empty() {
            return;
        }
        let i = *rng.pick(&cands);
        let list = self.paras_mut(part);
        let p = &list[i];
        // Split the block at the last ", " of a text piece past the middle.
        let total: usize = p
            .body
            .pieces
            .iter()
            .map(|x| match x {
                Piece::Text(t) => t.len(),
                Piece::Br(b) => b.text.len(),
            })
            .sum();
        let mut seen = 0;
        let mut cut = None;
        for (k, piece) in p.body.pieces.iter().enumerate() {
            if let Piece::Text(t) = piece {
                for (pos, _) in t.match_indices(", ") {
                    if seen + pos > total / 3 && cut.is_none() {
                        cut = Some((k, pos));
                    }
                }
                seen += t.len();
            } else if let Piece::Br(b) = piece {
                seen += b.text.len();
            }
        }
        let Some((k, pos)) = cut else { return };
        let mut first = p.body.pieces[..k].to_vec();
        let mut second = p.body.pieces[k + 1..].to_vec();
        let Piece::Text(t) = &p.body.pieces[k] else {
            return;
        };
        first.push(Piece::Text(t[..pos].to_string()));
        let rest = t[pos + 2..].trim_start_matches("and ");
        let lead = match part {
            Part::Pre => format!("Recognizing further {rest}"),
            Part::Op => format!("Also encourages action on {rest}"),
        };
        second.insert(0, Piece::Text(lead));
        let mut a = p.clone();
        a.body = Block { pieces: first };
        a.body.normalize();
        a.notes.clear();
        let mut b = p.clone();
        b.body = Block { pieces: second };
        b.body.normalize();
        list[i] = a;
        list.insert(i + 1, b);
        ev.split += 1;
    }

    /// Two neighbouring paragraphs merged into one.
    fn merge(&mut self, rng: &mut Rng, ev: &mut Events) {
        let part = if rng.chance(0.5) { Part::Pre } else { Part::Op };
        let cands = self.plain_paras(part);
        let pairs: Vec<usize> = cands
            .iter()
            .copied()
            .filter(|i| cands.contains(&(i + 1)))
            .collect();
        if pairs.is_empty() || self.paras(part).len() <= MIN_PPS {
            return;
        }
        let i = *rng.pick(&pairs);
        let list = self.paras_mut(part);
        let b = list.remove(i + 1);
        let a = &mut list[i];
        a.body.pieces.push(Piece::Text(", and ".into()));
        let mut rest = b.body.pieces;
        if let Some(Piece::Text(t)) = rest.first_mut() {
            *t = lower_first(t);
        }
        a.body.pieces.extend(rest);
        a.body.normalize();
        a.notes.extend(b.notes);
        ev.merged += 1;
    }

    /// A contested operative paragraph is not retained.
    fn remove_one(&mut self, rng: &mut Rng, ev: &mut Events) {
        if self.ops.len() <= MIN_OPS {
            return;
        }
        let cands: Vec<usize> = (0..self.ops.len())
            .filter(|&i| self.ops[i].agreed.is_none() && self.ops[i].subs.is_empty())
            .collect();
        if cands.is_empty() {
            return;
        }
        let i = *rng.pick(&cands);
        self.ops.remove(i);
        ev.removed += 1;
    }

    /// A new paragraph the Chair adds to keep the draft at its size.
    fn grow(&mut self, rng: &mut Rng) {
        let key = self.key;
        let part = if rng.chance(0.5) { Part::Pre } else { Part::Op };
        let p = new_para(rng, part, &key);
        let list = self.paras_mut(part);
        let at = 1 + rng.below(list.len() - 1);
        list.insert(at, p);
    }

    fn compilation(&mut self, rng: &mut Rng, size: usize) -> Events {
        let mut ev = Events::default();
        let proposals = if size > 46_000 { 8 } else { rng.range(16, 26) };
        for _ in 0..proposals {
            self.propose(rng, &mut ev);
        }
        // Each kind of position change at least once (join, oppose, change of stance, leave,
        // reserve), then more at random.
        for kind in [0, 4, 6, 7, 9] {
            for _ in 0..10 {
                let before = ev.joined + ev.opposed + ev.left + ev.reserved;
                self.take_position(rng, Some(kind), &mut ev);
                if ev.joined + ev.opposed + ev.left + ev.reserved > before {
                    break;
                }
            }
        }
        for _ in 0..rng.range(10, 25) {
            self.take_position(rng, None, &mut ev);
        }
        if size < 44_000 {
            for _ in 0..rng.range(1, 3) {
                self.propose_bis(rng, &mut ev);
            }
        }
        self.add_alternative(rng, &mut ev);
        for _ in 0..rng.range(1, 3) {
            self.add_note(rng, &mut ev);
        }
        ev
    }

    fn revision(&mut self, rng: &mut Rng, size: usize, stamp: &str) -> Events {
        let mut ev = Events::default();
        self.lift(rng, &mut ev);
        self.settle(rng, 0.45, &mut ev);
        self.decide_bis(rng, &mut ev);
        self.move_para(rng, &mut ev);
        self.split(rng, &mut ev);
        self.merge(rng, &mut ev);
        if size > 40_000 || rng.chance(0.5) {
            self.remove_one(rng, &mut ev);
        }
        if size < 34_000 {
            self.grow(rng);
            self.grow(rng);
        }
        // The Chair's bridging proposals.
        for _ in 0..rng.range(1, 3) {
            let loc = self.random_loc(rng);
            let (block, agreed) = self.block_mut(loc);
            if agreed.is_none()
                && let Some((i, at)) = block.insertion_point(rng)
            {
                let br = Br {
                    text: format!(", {}", rng.w(&ADDITIONS)),
                    groups: vec![vec![Pos {
                        actor: "Chair",
                        st: St::Plus,
                    }]],
                };
                block.split_text(i, at, at, vec![Piece::Br(br)]);
                ev.proposed += 1;
            }
        }
        self.stamp(rng, stamp, &mut ev);
        ev
    }
}

// ---------------------------------------------------------------------------------------------
// Dates.

/// Days since 1970-01-01 to (year, month, day) (Howard Hinnant's civil_from_days).
fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// Local (year, month, day, hour, minute) of a time at an offset.
fn local(seconds: i64, offset_minutes: i32) -> (i64, u32, u32, i64, i64) {
    let t = seconds + offset_minutes as i64 * 60;
    let (y, m, d) = civil(t.div_euclid(86_400));
    let s = t.rem_euclid(86_400);
    (y, m, d, s / 3600, (s % 3600) / 60)
}

fn long_date(seconds: i64, offset: i32) -> String {
    let (y, m, d, _, _) = local(seconds, offset);
    format!("{d} {} {y}", MONTHS[m as usize - 1])
}

fn stamp_text(seconds: i64, offset: i32) -> String {
    let (y, m, d, h, min) = local(seconds, offset);
    format!("Ad ref {d} {} {y} {h:02}.{min:02}", MONTHS[m as usize - 1])
}

/// 2026-01-12 09:00 UTC.
const START: i64 = 1_768_208_400;

// ---------------------------------------------------------------------------------------------
// Iterations of one draft.

/// One iteration as committed.
pub struct Iteration {
    pub draft: usize,
    pub index: usize,
    pub path: String,
    pub text: String,
    pub time: i64,
    pub offset: i32,
    pub author: (&'static str, &'static str),
    pub message: String,
    pub tag: Option<String>,
}

/// A draft being negotiated: its state and its own PRNG.
pub struct Negotiation {
    pub index: usize,
    pub path: String,
    pub slug: String,
    rng: Rng,
    draft: Draft,
    body: usize,
    chair: (&'static str, &'static str),
    /// Times of its iterations.
    pub times: Vec<i64>,
    next: usize,
}

/// Every (topic, body) pair once in the first 200 drafts.
fn body_of(index: usize) -> usize {
    (index + index / TOPICS.len()) % BODIES.len()
}

fn mix(seed: u64, index: u64) -> u64 {
    let mut r = Rng::new(seed ^ index.wrapping_mul(0xA076_1D64_78BD_642F));
    r.next_u64()
}

impl Negotiation {
    pub fn new(seed: u64, index: usize, iterations: usize) -> Negotiation {
        let mut rng = Rng::new(mix(seed, index as u64));
        let body = body_of(index);
        let draft = Draft::new(&mut rng, index);
        let topic = &TOPICS[index % TOPICS.len()];
        let round = index / (BODIES.len() * TOPICS.len());
        let slug = if round == 0 {
            topic.1.to_string()
        } else {
            format!("{}-{}", topic.1, round + 1)
        };
        let path = format!("{}/{slug}.md", BODIES[body].0);
        let chair = *rng.pick(&CHAIRS);
        // Negotiations start over the first weeks and meet every few days, in office hours.
        let mut t = START + rng.below(40) as i64 * 86_400 + rng.below(8 * 60) as i64 * 60;
        let mut times = Vec::with_capacity(iterations);
        for _ in 0..iterations {
            times.push(t);
            t += (2 + rng.below(5)) as i64 * 86_400 + rng.below(6 * 60) as i64 * 60 - 3 * 3600;
        }
        Negotiation {
            index,
            path,
            slug,
            rng,
            draft,
            body,
            chair,
            times,
            next: 0,
        }
    }

    /// The next iteration, checked to parse without errors.
    pub fn next_iteration(&mut self) -> Result<Iteration, SynthError> {
        let i = self.next;
        self.next += 1;
        let time = self.times[i];
        let (_, _, _, _, sec_name, sec_email) = BODIES[self.body];
        let offset = BODIES[self.body].3;
        self.draft.as_of = long_date(time, offset);
        let size = self.draft.render().len();
        let (events, label, tag, author) = if i == 0 {
            (
                Events::default(),
                "Zero draft".to_string(),
                Some("zero-draft".to_string()),
                (sec_name, sec_email),
            )
        } else if i % 2 == 1 {
            let ev = self.draft.compilation(&mut self.rng, size);
            let k = i.div_ceil(2);
            (
                ev,
                format!("Compilation text after reading {k}"),
                None,
                (sec_name, sec_email),
            )
        } else {
            let stamp = stamp_text(time - 3 * 86_400, offset);
            let ev = self.draft.revision(&mut self.rng, size, &stamp);
            let k = i / 2;
            (ev, format!("Rev.{k}"), Some(format!("rev{k}")), self.chair)
        };
        let text = self.draft.render();
        let doc = brackets::parse(&text);
        if let Some(d) = doc
            .diagnostics
            .iter()
            .find(|d| d.severity == Severity::Error)
        {
            return Err(SynthError::Parse {
                draft: self.path.clone(),
                iteration: i,
                message: format!("line {}: {} ({})", d.line, d.message, d.code),
            });
        }
        let message = message(&self.draft.title, &label, i, &events);
        Ok(Iteration {
            draft: self.index,
            index: i,
            path: self.path.clone(),
            text,
            time,
            offset,
            author,
            message,
            tag: tag.map(|t| format!("{}/{}/{t}", BODIES[self.body].0, self.slug)),
        })
    }
}

fn message(title: &str, label: &str, i: usize, ev: &Events) -> String {
    let mut m = format!("{title}: {label}\n\n");
    if i == 0 {
        m.push_str("Zero draft circulated by the secretariat for the first reading.\n");
        return m;
    }
    let mut parts = Vec::new();
    let mut say = |n: usize, what: &str| {
        if n > 0 {
            parts.push(format!("{n} {what}"));
        }
    };
    say(ev.proposed, "proposals");
    say(ev.bis, "new bis paragraphs");
    say(ev.joined, "delegations joining");
    say(ev.opposed, "oppositions");
    say(ev.left, "positions withdrawn");
    say(ev.reserved, "reservations placed");
    say(ev.lifted, "reservations lifted");
    say(ev.agreed, "brackets agreed");
    say(ev.dropped, "brackets dropped");
    say(ev.taken_on_board, "bis paragraphs taken on board");
    say(ev.moved, "paragraphs moved");
    say(ev.split, "split");
    say(ev.merged, "merged");
    say(ev.removed, "paragraphs not retained");
    say(ev.stamped, "paragraphs agreed ad ref");
    say(ev.reopened, "agreed paragraphs reopened");
    let _ = writeln!(m, "{}.", capitalize(&parts.join(", ")));
    if !ev.proposers.is_empty() {
        let mut p = ev.proposers.clone();
        p.sort_unstable();
        let _ = write!(m, "\nProposed-by: {}\n", p.join(", "));
    }
    m
}

// ---------------------------------------------------------------------------------------------
// The repository.

#[derive(Debug, Clone)]
pub struct Summary {
    pub commits: usize,
    pub tags: usize,
    pub bytes: usize,
    pub min_size: usize,
    pub max_size: usize,
    pub head: Oid,
    pub paths: Vec<String>,
}

/// Writes the corpus into a new repository at `out` (which must not exist or be empty).
/// `progress` is called after each commit with (done, total).
pub fn write_corpus(
    out: &Path,
    drafts: usize,
    iterations: usize,
    seed: u64,
    mut progress: impl FnMut(usize, usize),
) -> Result<Summary, SynthError> {
    if let Ok(mut entries) = std::fs::read_dir(out)
        && entries.next().is_some()
    {
        return Err(SynthError::NotEmpty {
            path: out.to_path_buf(),
        });
    }
    std::fs::create_dir_all(out).map_err(|cause| SynthError::Io {
        path: out.to_path_buf(),
        cause,
    })?;
    let mut opts = RepositoryInitOptions::new();
    opts.initial_head("main");
    let git = Repository::init_opts(out, &opts).map_err(git_err("cannot create the repository"))?;
    let odb = git
        .odb()
        .map_err(git_err("cannot open the object database"))?;
    // Objects go to memory and then to one pack: no loose objects, like a repacked repository.
    let mempack = odb
        .add_new_mempack_backend(1000)
        .map_err(git_err("cannot add an in-memory object store"))?;

    let mut negotiations: Vec<Negotiation> = (0..drafts)
        .map(|d| Negotiation::new(seed, d, iterations))
        .collect();
    let mut schedule: Vec<(i64, usize)> = negotiations
        .iter()
        .flat_map(|n| n.times.iter().map(move |&t| (t, n.index)))
        .collect();
    schedule.sort_unstable();

    // folder -> file -> blob
    let mut files: BTreeMap<String, BTreeMap<String, Oid>> = BTreeMap::new();
    let mut folder_trees: BTreeMap<String, Oid> = BTreeMap::new();
    let mut parent: Option<Oid> = None;
    let mut tags: Vec<(String, Oid)> = Vec::new();
    let mut summary = Summary {
        commits: 0,
        tags: 0,
        bytes: 0,
        min_size: usize::MAX,
        max_size: 0,
        head: Oid::ZERO_SHA1,
        paths: negotiations.iter().map(|n| n.path.clone()).collect(),
    };
    let total = schedule.len();
    for (done, &(_, d)) in schedule.iter().enumerate() {
        let it = negotiations[d].next_iteration()?;
        summary.bytes += it.text.len();
        summary.min_size = summary.min_size.min(it.text.len());
        summary.max_size = summary.max_size.max(it.text.len());
        let blob = odb
            .write(ObjectType::Blob, it.text.as_bytes())
            .map_err(git_err("cannot write a draft"))?;
        let (folder, file) = it.path.split_once('/').unwrap_or(("", &it.path));
        files
            .entry(folder.to_string())
            .or_default()
            .insert(file.to_string(), blob);
        let mut tb = git
            .treebuilder(None)
            .map_err(git_err("cannot build a tree"))?;
        for (name, oid) in &files[folder] {
            tb.insert(name, *oid, 0o100644)
                .map_err(git_err("cannot build a tree"))?;
        }
        let sub = tb.write().map_err(git_err("cannot write a tree"))?;
        folder_trees.insert(folder.to_string(), sub);
        let mut root = git
            .treebuilder(None)
            .map_err(git_err("cannot build a tree"))?;
        for (name, oid) in &folder_trees {
            root.insert(name, *oid, 0o040000)
                .map_err(git_err("cannot build a tree"))?;
        }
        let tree_id = root.write().map_err(git_err("cannot write a tree"))?;
        let tree = git
            .find_tree(tree_id)
            .map_err(git_err("cannot read a tree"))?;
        let sig = Signature::new(it.author.0, it.author.1, &Time::new(it.time, it.offset))
            .map_err(git_err("invalid author"))?;
        let parents = match parent {
            Some(p) => vec![
                git.find_commit(p)
                    .map_err(git_err("cannot read a commit"))?,
            ],
            None => Vec::new(),
        };
        let refs: Vec<&git2::Commit<'_>> = parents.iter().collect();
        let commit = git
            .commit(None, &sig, &sig, &it.message, &tree, &refs)
            .map_err(git_err("cannot write a commit"))?;
        parent = Some(commit);
        if let Some(tag) = it.tag {
            tags.push((tag, commit));
        }
        summary.commits += 1;
        progress(done + 1, total);
    }

    // One pack for everything.
    let mut buf = git2::Buf::new();
    mempack
        .dump(&git, &mut buf)
        .map_err(git_err("cannot pack the objects"))?;
    let mut writer = odb.packwriter().map_err(git_err("cannot write the pack"))?;
    writer.write_all(&buf).map_err(|cause| SynthError::Io {
        path: out.join(".git/objects/pack"),
        cause,
    })?;
    writer.commit().map_err(git_err("cannot index the pack"))?;
    drop(writer);
    mempack
        .reset()
        .map_err(git_err("cannot clear the in-memory store"))?;
    drop(buf);

    // Refs: the branch, and tags in packed-refs (as `git pack-refs` leaves them).
    let Some(head) = parent else {
        return Ok(summary);
    };
    summary.head = head;
    tags.sort();
    let mut packed = String::from("# pack-refs with: peeled fully-peeled sorted \n");
    for (name, oid) in &tags {
        let _ = writeln!(packed, "{oid} refs/tags/{name}");
    }
    let packed_path = out.join(".git/packed-refs");
    std::fs::write(&packed_path, packed).map_err(|cause| SynthError::Io {
        path: packed_path,
        cause,
    })?;
    summary.tags = tags.len();
    drop(odb);
    // A fresh handle sees the pack and the packed refs.
    let git = Repository::open(out).map_err(git_err("cannot reopen the repository"))?;
    git.reference("refs/heads/main", head, true, "synth")
        .map_err(git_err("cannot write the branch"))?;
    let mut checkout = git2::build::CheckoutBuilder::new();
    checkout.force();
    git.checkout_head(Some(&mut checkout))
        .map_err(git_err("cannot check out the drafts"))?;
    Ok(summary)
}
