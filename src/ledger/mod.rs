//! Who proposed what: each bracketed proposal of a draft followed through its history (on the
//! diff's paragraph alignment and bracket matching), what became of it, who changed the text
//! outside brackets, and the per-actor figures, position matrix and burndown built from that.
//!
//! Plain data, no terminal: the command line (`brackets actor`, `actors --history`, `report`,
//! `matrix`, `progress`) and the TUI render it.
//!
//! ```
//! use brackets::ledger::{Ledger, Outcome, Step};
//! let zero = brackets::parse("The Assembly,\n\n1. Urges States to act;\n");
//! let comp = brackets::parse("The Assembly,\n\n1. [Urges] {CMR delete} [Encourages] {CMR+} States to act;\n");
//! let rev = brackets::parse("The Assembly,\n\n1. Encourages States to act;\n");
//! let ledger = Ledger::from_documents(vec![
//!     (Step::named("zero"), zero),
//!     (Step::named("compilation"), comp),
//!     (Step::named("rev1"), rev),
//! ]);
//! let encourages = ledger.proposals().iter().find(|p| p.text == "Encourages").unwrap();
//! assert_eq!(encourages.outcome, Outcome::Agreed);
//! assert_eq!(ledger.replacements().len(), 1);
//! ```

mod figures;
mod lineage;
mod matrix;

pub use figures::{ActorSummary, NoteEntry, Progress, Role, StanceAt, Timeline, TimelineEntry};
pub use matrix::{Cell, CellStance, Matrix, MatrixRow, matrix};

use crate::actors::Actors;
use crate::diff::ChangeKind;
use crate::model::{Document, Position, Stance};
use crate::repo::{Iteration, Repo, RepoError};
use serde::Serialize;

fn lineage_runs(doc: &Document, pi: usize) -> usize {
    lineage::adjacent_runs(doc, pi).len()
}

/// What can go wrong building a ledger.
#[derive(Debug, thiserror::Error)]
pub enum LedgerError {
    #[error(transparent)]
    Repo(#[from] RepoError),
    #[error("{path} has no iterations")]
    NoIterations { path: String },
    #[error("cannot read {path} at {rev}: {cause}")]
    Blob {
        path: String,
        rev: String,
        cause: git2::Error,
    },
}

/// One iteration as the ledger knows it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Step {
    /// 0 for the oldest iteration.
    pub index: usize,
    /// The tag naming it, or the short commit id.
    pub label: String,
    pub commit: String,
    pub short: String,
    pub date: String,
    pub author: String,
    pub subject: String,
    /// `Proposed-by:` trailers of the commit.
    pub proposed_by: Vec<String>,
    /// `On-behalf-of:` trailers of the commit.
    pub on_behalf_of: Vec<String>,
}

impl Step {
    /// A step with a label only (for documents that are not in git).
    pub fn named(label: &str) -> Step {
        Step {
            label: label.to_string(),
            ..Step::default()
        }
    }

    fn of(it: &Iteration) -> Step {
        Step {
            index: 0,
            label: it.label().to_string(),
            commit: it.commit.clone(),
            short: it.short.clone(),
            date: it.date(),
            author: it.author.clone(),
            subject: it.subject().to_string(),
            proposed_by: it.proposed_by.clone(),
            on_behalf_of: it.on_behalf_of.clone(),
        }
    }
}

/// How an answer to "who" was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The attribution written in the text (`{USA+}`, a note suggesting the change).
    Notation,
    /// A `Proposed-by:` / `On-behalf-of:` trailer of the iteration's commit.
    Trailer,
    /// Nothing more precise: the iteration's author (the Chair's revision, the secretariat).
    Author,
}

/// Who made a change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Who {
    /// Actor codes answerable for the change; empty when only the author is known.
    pub actors: Vec<String>,
    pub on_behalf_of: Vec<String>,
    /// The iteration's author (commit author).
    pub author: String,
    pub source: Source,
}

/// What a bracket asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProposalKind {
    /// Someone proposes the bracketed text (`[text] {USA+}`).
    Insertion,
    /// Someone asks to delete the bracketed text (`[text] {CMR delete}`) and nobody proposes it.
    Deletion,
    /// Bracketed with no proposer and no deletion request (`[shall][should]`).
    Unattributed,
}

/// What became of a proposal by the newest iteration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Still in brackets.
    Open,
    /// The brackets went and the text stayed.
    Agreed,
    /// The text went.
    Dropped,
    /// Another proposal took its place: the other half of a replacement, an adjacent
    /// alternative, or a larger bracket now holding its words.
    Replaced,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Open => "open",
            Outcome::Agreed => "agreed",
            Outcome::Dropped => "dropped",
            Outcome::Replaced => "replaced",
        }
    }
}

/// Which half of a replacement a proposal is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReplacementRole {
    /// The text that stood before (`[Urges] {CMR delete}`).
    Original,
    /// The text proposed in its place (`[Encourages] {CMR+}`).
    Proposed,
}

/// Two adjacent brackets by the same actor read as one proposal: replace `original` with
/// `proposed` (indices into `Ledger::proposals`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Replacement {
    pub original: usize,
    pub proposed: usize,
    pub proposer: Option<String>,
    pub paragraph: String,
    /// The iteration where the pair was first seen.
    pub iteration: usize,
    /// How the original was told: `previous_iteration` (its text stood there), `delete`
    /// (it carries the deletion request) or `order` (the first of the pair).
    pub decided_by: &'static str,
    /// Open, agreed (the proposed text won), dropped (the original stayed or both went).
    pub outcome: Outcome,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// New bracketed text.
    Proposed,
    /// Words that stood agreed were put in brackets.
    Bracketed,
    /// The bracketed text was edited.
    Edited,
    /// The paragraph holding it got another id (renumbered, moved, split, merged).
    Renumbered,
    Joined,
    Left,
    ChangedStance,
    ReservationPlaced,
    ReservationLifted,
    Agreed,
    Dropped,
    Replaced,
}

/// One thing that happened to a proposal.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub iteration: usize,
    pub kind: EventKind,
    pub paragraph: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stance: Option<Stance>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_stance: Option<Stance>,
    /// The new text (edited) or the old paragraph id (renumbered).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Who made the change: the actor for position changes, the attribution of the iteration
    /// otherwise.
    pub by: Who,
}

/// One bracket followed through the history.
#[derive(Debug, Clone, Serialize)]
pub struct Proposal {
    /// Index into `Ledger::proposals`.
    pub id: usize,
    pub kind: ProposalKind,
    /// The proposer: the first `+` (`Position::proposer`). None for a deletion request (the
    /// first position asks to delete the text) and for unattributed brackets.
    pub proposer: Option<String>,
    /// The bracketed text when last seen in brackets, as quoted: its words, with the marks of
    /// the brackets nested in it (`[Calls upon] [Encourages] Member States`).
    pub text: String,
    /// The text when first seen, quoted the same way.
    pub first_text: String,
    /// The bracketed words when last seen, no marks: what alternatives are compared by.
    #[serde(skip)]
    pub words: String,
    /// The paragraph holding it when last seen in brackets.
    pub paragraph: String,
    pub first_paragraph: String,
    /// The paragraph holding its words in the newest iteration (none when dropped).
    pub current_paragraph: Option<String>,
    pub introduced: usize,
    /// The last iteration where it stood in brackets.
    pub last_seen: usize,
    pub outcome: Outcome,
    /// The iteration where it was agreed, dropped or replaced.
    pub resolved: Option<usize>,
    /// For a replaced proposal: the one that took its place.
    pub replaced_by: Option<usize>,
    /// Index into `Ledger::replacements`, and which half it is.
    pub replacement: Option<(usize, ReplacementRole)>,
    /// The positions when last seen in brackets.
    pub positions: Vec<Position>,
    pub introduced_by: Who,
    pub resolved_by: Option<Who>,
    pub events: Vec<Event>,
    /// The positions at each iteration where it stood in brackets.
    #[serde(skip)]
    pub history: Vec<(usize, Vec<Position>)>,
}

impl Proposal {
    /// The actors taking `stance` when it was last seen, each once, in order.
    fn taking(&self, stance: Stance) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for p in self.positions.iter().filter(|p| p.stance == stance) {
            if !out.contains(&p.actor.as_str()) {
                out.push(p.actor.as_str());
            }
        }
        out
    }

    /// Actors who opposed it (`-`) when it was last seen. Deletion requests and reservations
    /// are not oppositions: see `deletion_asked_by` and `reservations`.
    pub fn opponents(&self) -> Vec<&str> {
        self.taking(Stance::Oppose)
    }

    /// Actors who asked to delete it (`delete`) when it was last seen.
    pub fn deletion_asked_by(&self) -> Vec<&str> {
        self.taking(Stance::Delete)
    }

    /// Actors who placed a reservation on it (`reserve`) when it was last seen.
    pub fn reservations(&self) -> Vec<&str> {
        self.taking(Stance::Reserve)
    }

    /// Supporters other than the proposer when it was last seen.
    pub fn supporters(&self) -> Vec<&str> {
        self.taking(Stance::Support)
            .into_iter()
            .filter(|a| self.proposer.as_deref() != Some(*a))
            .collect()
    }

    /// Whether it went the way it asked: the text kept (insertion, proposed half of a
    /// replacement) or gone (deletion request, original half). None while open or
    /// unattributed.
    pub fn succeeded(&self) -> Option<bool> {
        let kept = match self.outcome {
            Outcome::Open => return None,
            Outcome::Agreed => true,
            Outcome::Dropped | Outcome::Replaced => false,
        };
        match (self.replacement.map(|r| r.1), self.kind) {
            (Some(ReplacementRole::Original), _) | (None, ProposalKind::Deletion) => Some(!kept),
            (_, ProposalKind::Unattributed) => None,
            _ => Some(kept),
        }
    }
}

/// A change outside brackets between two iterations, and who made it.
#[derive(Debug, Clone, Serialize)]
pub struct TextChange {
    pub iteration: usize,
    pub kind: ChangeKind,
    pub old: Vec<String>,
    pub new: Vec<String>,
    /// Words that appeared outside brackets (not by a proposal being agreed).
    pub inserted: Vec<String>,
    /// Words that went from outside brackets (not by being bracketed).
    pub deleted: Vec<String>,
    pub by: Who,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SuggestionKind {
    Move,
    Split,
    Merge,
}

/// A note suggesting to move, split or merge a paragraph (`{FRA suggest to move as last
/// preambular para}`), checked against the next iteration.
#[derive(Debug, Clone, Serialize)]
pub struct Suggestion {
    pub iteration: usize,
    pub paragraph: String,
    pub actor: Option<String>,
    pub note: String,
    pub kind: SuggestionKind,
    /// None when there is no next iteration yet.
    pub followed: Option<bool>,
    /// What the next iteration did with the paragraph.
    pub change: Option<ChangeKind>,
    pub next_paragraphs: Vec<String>,
}

/// The ledger of one draft: every proposal of its history and what became of it.
#[derive(Debug, Clone, Serialize)]
pub struct Ledger {
    pub path: String,
    /// Oldest first.
    pub steps: Vec<Step>,
    pub proposals: Vec<Proposal>,
    pub replacements: Vec<Replacement>,
    pub changes: Vec<TextChange>,
    pub suggestions: Vec<Suggestion>,
    pub notes: Vec<NoteEntry>,
    pub progress: Vec<Progress>,
    /// The newest iteration, parsed (for the matrix and jumps to paragraphs).
    #[serde(skip)]
    pub newest: Option<Document>,
}

impl Ledger {
    /// The ledger of `path` (inside the repository, `/`-separated) from its history at HEAD.
    pub fn build(repo: &Repo, path: &str) -> Result<Ledger, LedgerError> {
        let history = repo.history(path)?;
        Ledger::from_history(repo, &history, Actors::builtin())
    }

    /// The ledger from a history read with `Repo::history_from`, parsing with `actors`.
    pub fn from_history(
        repo: &Repo,
        history: &crate::repo::History,
        actors: &Actors,
    ) -> Result<Ledger, LedgerError> {
        let docs = Ledger::documents(repo, history, actors)?;
        let mut ledger = Ledger::from_documents(docs);
        ledger.path = history.path.clone();
        Ok(ledger)
    }

    /// Every iteration of a history read and parsed, oldest first: add an uncommitted
    /// iteration to the end, then build with `from_documents`.
    pub fn documents(
        repo: &Repo,
        history: &crate::repo::History,
        actors: &Actors,
    ) -> Result<Vec<(Step, Document)>, LedgerError> {
        if history.iterations.is_empty() {
            return Err(LedgerError::NoIterations {
                path: history.path.clone(),
            });
        }
        let mut texts = Vec::with_capacity(history.iterations.len());
        for it in history.iterations.iter().rev() {
            let blob = repo
                .git()
                .find_blob(it.blob)
                .map_err(|cause| LedgerError::Blob {
                    path: it.path.clone(),
                    rev: it.short.clone(),
                    cause,
                })?;
            // A binary or non-UTF-8 iteration reads as its lossy text: it still counts.
            let text = String::from_utf8_lossy(blob.content()).into_owned();
            texts.push((Step::of(it), text));
        }
        // Parsing is a plain function of the text: both cores, same documents.
        Ok(lineage::in_order(texts, |(step, text)| {
            (step, crate::parse::parse_owned(text, actors))
        }))
    }

    /// The ledger of parsed iterations, oldest first.
    pub fn from_documents(iterations: Vec<(Step, Document)>) -> Ledger {
        lineage::build(iterations)
    }

    pub fn proposals(&self) -> &[Proposal] {
        &self.proposals
    }

    pub fn replacements(&self) -> &[Replacement] {
        &self.replacements
    }

    /// The label of an iteration index.
    pub fn label(&self, iteration: usize) -> &str {
        self.steps.get(iteration).map_or("?", |s| s.label.as_str())
    }

    /// Per actor: proposals made and what became of them, supports, oppositions, reservations.
    pub fn actor_summary(&self, actors: &Actors) -> Vec<ActorSummary> {
        figures::summary(self, actors)
    }

    /// Every position one actor took, with paragraph, text, iterations and outcome.
    pub fn timeline(&self, actor: &str) -> Timeline {
        figures::timeline(self, actor)
    }

    /// The position matrix of the newest iteration.
    pub fn matrix(&self, actors: &Actors) -> Option<Matrix> {
        self.newest.as_ref().map(|d| matrix(d, actors))
    }

    /// The proposals standing in brackets in a paragraph of the newest iteration.
    pub fn open_in(&self, paragraph: &str) -> impl Iterator<Item = &Proposal> {
        self.proposals
            .iter()
            .filter(move |p| p.outcome == Outcome::Open && p.paragraph == paragraph)
    }

    /// Per iteration: open brackets, alternatives, reservations, agreed paragraphs, reopened.
    pub fn progress(&self) -> &[Progress] {
        &self.progress
    }

    /// Every actor code taking a position anywhere in the history, sorted.
    pub fn actors(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .proposals
            .iter()
            .flat_map(|p| p.history.iter().flat_map(|(_, ps)| ps.iter()))
            .map(|p| p.actor.clone())
            .chain(self.notes.iter().filter_map(|n| n.actor.clone()))
            .collect();
        out.sort();
        out.dedup();
        out
    }
}
