//! Figures built from the proposals: per-actor counts, one actor's timeline, the burndown.

use super::{Ledger, Outcome, Proposal, ReplacementRole, Step};
use crate::actors::Actors;
use crate::model::{Document, Stance};
use serde::Serialize;

/// A free-text note (`{FRA suggest to move ...}`) and the iterations it stood in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NoteEntry {
    pub actor: Option<String>,
    pub text: String,
    /// The paragraph holding it when last seen.
    pub paragraph: String,
    pub first: usize,
    pub last: usize,
}

/// The state of the text at one iteration (the bracket burndown).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Progress {
    pub iteration: usize,
    pub label: String,
    pub date: String,
    pub paragraphs: usize,
    pub open_brackets: usize,
    /// Alternative paragraphs (`Alt1. d ...`) plus runs of adjacent competing brackets.
    pub alternatives: usize,
    pub reservations: usize,
    /// Paragraphs stamped ad ref.
    pub agreed_paragraphs: usize,
    /// Paragraphs with no brackets at all (agreed or never contested).
    pub clean_paragraphs: usize,
    /// Paragraphs whose agreed text was changed in this iteration.
    pub reopened: usize,
    /// Proposals that appeared, were agreed, dropped, replaced in this iteration.
    pub proposed: usize,
    pub agreed: usize,
    pub dropped: usize,
    pub replaced: usize,
}

pub(super) fn progress_of(step: &Step, doc: &Document, reopened: usize) -> Progress {
    let mut p = Progress {
        iteration: step.index,
        label: step.label.clone(),
        date: step.date.clone(),
        paragraphs: doc.paragraphs.len(),
        reopened,
        ..Progress::default()
    };
    for (pi, para) in doc.paragraphs.iter().enumerate() {
        p.open_brackets += para.brackets.len();
        if para.level == crate::model::Level::Alternative {
            p.alternatives += 1;
        }
        p.alternatives += super::lineage_runs(doc, pi);
        p.reservations += para
            .groups
            .iter()
            .flat_map(|g| &g.positions)
            .filter(|x| x.stance == Stance::Reserve)
            .count();
        if para.agreed.is_some() {
            p.agreed_paragraphs += 1;
        }
        if para.brackets.is_empty() && para.orphan_closes.is_empty() && !doc.is_inside_spanning(pi)
        {
            p.clean_paragraphs += 1;
        }
    }
    p
}

/// What an actor did and got, over the whole history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ActorSummary {
    pub actor: String,
    pub name: Option<String>,
    /// Proposals it made (a replacement counts once). Deletion requests have no proposer:
    /// they count in `deletions`.
    pub proposals: usize,
    /// Of those: adopted (for a deletion: the text went), dropped, replaced by other text,
    /// still open.
    pub agreed: usize,
    pub dropped: usize,
    pub replaced: usize,
    pub open: usize,
    /// Other actors' proposals it supported, opposed (`-`), reserved on.
    pub supported: usize,
    pub opposed: usize,
    pub reserved: usize,
    /// Texts it asked to delete (`delete`), other than the original half of its own
    /// replacements.
    pub deletions: usize,
    pub notes: usize,
    /// Open proposals where it alone opposes or reserves.
    pub isolated: usize,
    /// agreed / (agreed + dropped + replaced); none before anything is decided.
    pub success_rate: Option<f64>,
}

/// Whether `p` is the original half of a replacement `actor` proposed: told with the proposed
/// half, not as a text of its own the actor asked to delete.
fn replaced_by_own(ledger: &Ledger, p: &Proposal, actor: &str) -> bool {
    match p.replacement {
        Some((r, ReplacementRole::Original)) => ledger
            .replacements
            .get(r)
            .is_some_and(|r| r.proposer.as_deref() == Some(actor)),
        _ => false,
    }
}

/// Whether a proposal counts as one made by its proposer (the original half of a replacement
/// is counted with the proposed half).
pub(super) fn counts_as_made(ledger: &Ledger, p: &Proposal) -> bool {
    if p.proposer.is_none() {
        return false;
    }
    match p.replacement {
        Some((r, ReplacementRole::Original)) => ledger
            .replacements
            .get(r)
            .is_none_or(|r| r.proposer != p.proposer),
        _ => true,
    }
}

fn ever(p: &Proposal, actor: &str, stances: &[Stance]) -> bool {
    p.history
        .iter()
        .flat_map(|(_, ps)| ps)
        .any(|x| x.actor == actor && stances.contains(&x.stance))
}

fn isolated(p: &Proposal, actor: &str) -> bool {
    if p.outcome != Outcome::Open {
        return false;
    }
    let against = |x: &crate::model::Position| {
        matches!(x.stance, Stance::Oppose | Stance::Delete | Stance::Reserve)
    };
    p.positions.iter().any(|x| x.actor == actor && against(x))
        && !p.positions.iter().any(|x| x.actor != actor && against(x))
}

pub(super) fn summary(ledger: &Ledger, actors: &Actors) -> Vec<ActorSummary> {
    let mut out: Vec<ActorSummary> = ledger
        .actors()
        .into_iter()
        .map(|actor| {
            let mut s = ActorSummary {
                name: actors.resolve(&actor).map(|a| a.name.clone()),
                actor,
                proposals: 0,
                agreed: 0,
                dropped: 0,
                replaced: 0,
                open: 0,
                supported: 0,
                opposed: 0,
                reserved: 0,
                deletions: 0,
                notes: 0,
                isolated: 0,
                success_rate: None,
            };
            let a = s.actor.as_str();
            for p in &ledger.proposals {
                let own = p.proposer.as_deref() == Some(a);
                if own && counts_as_made(ledger, p) {
                    s.proposals += 1;
                    match (p.outcome, p.succeeded()) {
                        (Outcome::Open, _) | (_, None) => s.open += 1,
                        (_, Some(true)) => s.agreed += 1,
                        (Outcome::Replaced, Some(false)) => s.replaced += 1,
                        (_, Some(false)) => s.dropped += 1,
                    }
                }
                if !own && !replaced_by_own(ledger, p, a) {
                    s.supported += usize::from(ever(p, a, &[Stance::Support]));
                    s.opposed += usize::from(ever(p, a, &[Stance::Oppose]));
                    s.deletions += usize::from(ever(p, a, &[Stance::Delete]));
                }
                s.reserved += usize::from(ever(p, a, &[Stance::Reserve]));
                s.isolated += usize::from(isolated(p, a));
            }
            s.notes = ledger
                .notes
                .iter()
                .filter(|n| n.actor.as_deref() == Some(a))
                .count();
            let decided = s.agreed + s.dropped + s.replaced;
            s.success_rate = (decided > 0).then(|| {
                let rate = s.agreed as f64 / decided as f64;
                (rate * 1000.0).round() / 1000.0
            });
            s
        })
        .collect();
    out.sort_by(|x, y| {
        let activity =
            |s: &ActorSummary| s.proposals + s.supported + s.opposed + s.reserved + s.deletions;
        activity(y)
            .cmp(&activity(x))
            .then_with(|| x.actor.cmp(&y.actor))
    });
    out
}

/// An actor's part in one proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Proposer,
    Supporter,
    Opponent,
    /// Asked to delete the text.
    Deletion,
    Reservation,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Proposer => "proposer",
            Role::Supporter => "supporter",
            Role::Opponent => "opponent",
            Role::Deletion => "deletion",
            Role::Reservation => "reservation",
        }
    }
}

/// The actor's stances on a proposal over a run of iterations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StanceAt {
    pub from: usize,
    pub to: usize,
    pub stances: Vec<Stance>,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimelineEntry {
    pub proposal: usize,
    pub role: Role,
    /// The paragraph when last in brackets; where its words stand now.
    pub paragraph: String,
    pub current_paragraph: Option<String>,
    pub text: String,
    pub kind: super::ProposalKind,
    /// For the proposed half of a replacement: the text it would replace.
    pub replaces: Option<String>,
    pub proposer: Option<String>,
    pub stances: Vec<StanceAt>,
    /// The iterations where the actor took this position.
    pub first: usize,
    pub last: usize,
    pub outcome: Outcome,
    pub resolved: Option<usize>,
    /// Whether the actor's position prevailed (its text kept, or the text it opposed gone).
    pub prevailed: Option<bool>,
    pub supporters: Vec<String>,
    /// Actors opposing it (`-`); deletion requests and reservations are listed apart.
    pub opponents: Vec<String>,
    /// Actors asking to delete it (`delete`).
    pub deletion_asked_by: Vec<String>,
    /// Actors with a reservation on it (`reserve`).
    pub reservations: Vec<String>,
    /// It alone opposes or reserves on this open proposal.
    pub isolated: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Timeline {
    pub actor: String,
    pub entries: Vec<TimelineEntry>,
    pub notes: Vec<NoteEntry>,
}

pub(super) fn timeline(ledger: &Ledger, actor: &str) -> Timeline {
    let mut entries = Vec::new();
    for p in &ledger.proposals {
        let mut stances: Vec<StanceAt> = Vec::new();
        for (k, ps) in &p.history {
            let mut mine: Vec<Stance> = ps
                .iter()
                .filter(|x| x.actor == actor)
                .map(|x| x.stance)
                .collect();
            mine.sort();
            mine.dedup();
            if mine.is_empty() {
                continue;
            }
            match stances.last_mut() {
                Some(last) if last.stances == mine && last.to + 1 == *k => last.to = *k,
                _ => stances.push(StanceAt {
                    from: *k,
                    to: *k,
                    stances: mine,
                }),
            }
        }
        let own = p.proposer.as_deref() == Some(actor);
        // The original half of the actor's own replacement is told with the proposed half.
        if (own && !counts_as_made(ledger, p)) || replaced_by_own(ledger, p, actor) {
            continue;
        }
        let Some(last) = stances.last() else {
            continue;
        };
        let replaces = match p.replacement {
            Some((r, ReplacementRole::Proposed)) => ledger
                .replacements
                .get(r)
                .and_then(|r| ledger.proposals.get(r.original))
                .map(|o| o.text.clone()),
            _ => None,
        };
        let role = if own {
            Role::Proposer
        } else {
            let s = &last.stances;
            if s.contains(&Stance::Oppose) {
                Role::Opponent
            } else if s.contains(&Stance::Delete) {
                Role::Deletion
            } else if s.contains(&Stance::Reserve) {
                Role::Reservation
            } else if s.contains(&Stance::Support) {
                Role::Supporter
            } else {
                continue;
            }
        };
        let kept = match p.outcome {
            Outcome::Open => None,
            Outcome::Agreed => Some(true),
            Outcome::Dropped | Outcome::Replaced => Some(false),
        };
        let prevailed = match role {
            Role::Proposer => p.succeeded(),
            Role::Supporter => kept,
            _ => kept.map(|k| !k),
        };
        entries.push(TimelineEntry {
            proposal: p.id,
            role,
            paragraph: p.paragraph.clone(),
            current_paragraph: p.current_paragraph.clone(),
            text: p.text.clone(),
            kind: p.kind,
            replaces,
            proposer: p.proposer.clone(),
            first: stances.first().map_or(p.introduced, |s| s.from),
            last: last.to,
            stances,
            outcome: p.outcome,
            resolved: p.resolved,
            prevailed,
            supporters: p.supporters().into_iter().map(str::to_string).collect(),
            opponents: p.opponents().into_iter().map(str::to_string).collect(),
            deletion_asked_by: p
                .deletion_asked_by()
                .into_iter()
                .map(str::to_string)
                .collect(),
            reservations: p.reservations().into_iter().map(str::to_string).collect(),
            isolated: isolated(p, actor),
        });
    }
    Timeline {
        actor: actor.to_string(),
        entries,
        notes: ledger
            .notes
            .iter()
            .filter(|n| n.actor.as_deref() == Some(actor))
            .cloned()
            .collect(),
    }
}
