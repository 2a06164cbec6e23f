//! Committing the next iteration from the TUI: the changes reviewed against HEAD in Compare,
//! then a form (message, details, tag, `Proposed-by:`, `On-behalf-of:`), and
//! `drafting::commit` does the rest, refusing cleanly when HEAD moved or other files are staged.

use super::{complete, completions, line_key, type_key, word_at_cursor};
use crate::drafting;
use crate::tui::app::{App, TabId};
use crate::tui::editor::TextBuffer;
use crate::tui::keys::{self, Action};
use crossterm::event::KeyEvent;

/// Which field of the commit form has the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommitField {
    Message,
    /// What the iteration did, for the log: the commit message's body.
    Details,
    Tag,
    ProposedBy,
    OnBehalfOf,
}

/// Committing the next iteration: first a review in Compare, then the form.
#[derive(Debug)]
pub struct CommitForm {
    /// The form is open (else: reviewing the changes).
    pub form: bool,
    pub field: CommitField,
    pub message: TextBuffer,
    pub details: TextBuffer,
    pub tag: TextBuffer,
    pub proposed_by: TextBuffer,
    /// The group or delegation the proposers spoke for (`On-behalf-of: G77`).
    pub on_behalf_of: TextBuffer,
    /// `Name <email>` from git config, or why there is none.
    pub author: String,
    pub error: Option<String>,
}

impl App {
    /// The actor codes offered for the commit form's Proposed-by or On-behalf-of field.
    pub fn commit_completions(&self) -> Vec<String> {
        let (Some(c), Some(s)) = (&self.commit, &self.drafting) else {
            return Vec::new();
        };
        let buffer = match c.field {
            CommitField::ProposedBy => &c.proposed_by,
            CommitField::OnBehalfOf => &c.on_behalf_of,
            _ => return Vec::new(),
        };
        let (_, word) = word_at_cursor(buffer);
        if word.is_empty() {
            return Vec::new();
        }
        completions(&s.doc, &s.actors, word)
    }

    /// After saving: the changes against HEAD in Compare, then the commit form.
    pub(super) fn begin_commit(&mut self) {
        let Some(s) = &self.drafting else { return };
        if !s.git {
            self.message =
                Some("this draft is not in a git repository: nothing to commit to".into());
            return;
        }
        let iteration = s.iteration;
        let author = self
            .workspace
            .as_ref()
            .and_then(|w| git2::Repository::open(&w.root).ok())
            .map(|r| match r.signature() {
                Ok(sig) => format!(
                    "{} <{}>",
                    sig.name().unwrap_or("?"),
                    sig.email().unwrap_or("?")
                ),
                Err(_) => "none: set user.name and user.email in git config".into(),
            })
            .unwrap_or_default();
        let proposed = s.proposed_by.join(", ");
        self.commit = Some(CommitForm {
            form: iteration == 0,
            field: CommitField::Message,
            message: TextBuffer::new(""),
            details: TextBuffer::new(""),
            tag: TextBuffer::new(""),
            proposed_by: TextBuffer::new(&proposed),
            on_behalf_of: TextBuffer::new(""),
            author,
            error: None,
        });
        if iteration > 0 {
            self.compare.old = iteration - 1;
            self.compare.new = iteration;
            self.compare.kind = crate::tui::app::KindFilter::All;
            self.compare.actor = None;
            self.compare.diff = None;
            self.ensure_diff();
            if self.tab != TabId::Compare {
                self.back.push(self.tab);
                self.tab = TabId::Compare;
            }
            self.message = Some("review the changes; C writes the commit message".into());
        }
    }

    /// A key while committing (in Compare); false when the key is not the commit's.
    pub fn commit_key(&mut self, key: KeyEvent) -> bool {
        let Some(mut c) = self.commit.take() else {
            return false;
        };
        if !c.form {
            match keys::lookup_in(keys::COMMIT_REVIEW, &key) {
                Some(Action::Commit) => {
                    c.form = true;
                    self.commit = Some(c);
                    return true;
                }
                Some(Action::Back) => {
                    self.message = Some("commit cancelled".into());
                    return true;
                }
                _ => {
                    self.commit = Some(c);
                    return false;
                }
            }
        }
        let field = c.field;
        let buffer = match field {
            CommitField::Message => &mut c.message,
            CommitField::Details => &mut c.details,
            CommitField::Tag => &mut c.tag,
            CommitField::ProposedBy => &mut c.proposed_by,
            CommitField::OnBehalfOf => &mut c.on_behalf_of,
        };
        let next = |f: CommitField| match f {
            CommitField::Message => CommitField::Details,
            CommitField::Details => CommitField::Tag,
            CommitField::Tag => CommitField::ProposedBy,
            CommitField::ProposedBy => CommitField::OnBehalfOf,
            CommitField::OnBehalfOf => CommitField::Message,
        };
        let prev = |f: CommitField| match f {
            CommitField::Message => CommitField::OnBehalfOf,
            CommitField::Details => CommitField::Message,
            CommitField::Tag => CommitField::Details,
            CommitField::ProposedBy => CommitField::Tag,
            CommitField::OnBehalfOf => CommitField::ProposedBy,
        };
        let codes_field = matches!(field, CommitField::ProposedBy | CommitField::OnBehalfOf);
        match keys::lookup_in(keys::PROMPT, &key) {
            Some(Action::Enter) if field == CommitField::OnBehalfOf => {
                self.run_commit(c);
                return true;
            }
            Some(Action::Enter) | Some(Action::Down) => c.field = next(field),
            Some(Action::Up) => c.field = prev(field),
            Some(Action::Complete) if codes_field => {
                let (_, word) = word_at_cursor(buffer);
                let options = match &self.drafting {
                    Some(s) if !word.is_empty() => completions(&s.doc, &s.actors, word),
                    _ => Vec::new(),
                };
                complete(buffer, &options);
            }
            Some(Action::Complete) => c.field = next(field),
            Some(Action::Back) => c.form = false,
            Some(Action::Quit) => {
                self.commit = Some(c);
                self.request_quit();
                return true;
            }
            Some(a) => line_key(buffer, a),
            None => type_key(buffer, key),
        }
        self.commit = Some(c);
        true
    }

    fn run_commit(&mut self, mut c: CommitForm) {
        let Some(s) = &self.drafting else {
            return;
        };
        if s.dirty() {
            c.error = Some("unsaved edits: save (w) first".into());
            self.commit = Some(c);
            return;
        }
        let Some(root) = self.workspace.as_ref().map(|w| w.root.clone()) else {
            return;
        };
        let tag = c.tag.text().trim().to_string();
        // The subject line, then the details as the message's body (trailers follow them).
        // Details without a subject are no message: refused as an empty one.
        let (subject, details) = (c.message.text().trim(), c.details.text().trim());
        let message = if details.is_empty() || subject.is_empty() {
            subject.to_string()
        } else {
            format!("{subject}\n\n{details}")
        };
        let request = drafting::commit::CommitRequest {
            draft: s.rel.clone(),
            message,
            proposed_by: codes(&c.proposed_by),
            on_behalf_of: codes(&c.on_behalf_of),
            tag: (!tag.is_empty()).then(|| tag.clone()),
            expected_head: s.head,
        };
        let result = crate::repo::Repo::open(&root)
            .map_err(|e| e.to_string())
            .and_then(|repo| {
                drafting::commit::commit_iteration(&repo, &request).map_err(|e| match e {
                    drafting::commit::CommitError::HeadMoved { .. } => format!(
                        "{e}: your text is saved; Esc twice, then R in Read reloads the history"
                    ),
                    e => e.to_string(),
                })
            });
        match result {
            Ok(oid) => {
                let (draft, iteration) = (s.draft, s.iteration);
                let short: String = oid.to_string().chars().take(7).collect();
                let subject = request.message.lines().next().unwrap_or("").to_string();
                let author = self.author();
                let sig_time = git2::Signature::now("b", "b@localhost")
                    .map(|s| (s.when().seconds(), s.when().offset_minutes()))
                    .unwrap_or((0, 0));
                let date = crate::repo::time::format_rfc3339(sig_time.0, sig_time.1);
                let date = match (date.get(..10), date.get(11..16)) {
                    (Some(d), Some(t)) => format!("{d} {t}"),
                    _ => date,
                };
                if let Some(it) = self
                    .workspace
                    .as_mut()
                    .and_then(|w| w.drafts.get_mut(draft))
                    .and_then(|d| d.iterations.get_mut(iteration))
                {
                    it.label = if tag.is_empty() {
                        short.clone()
                    } else {
                        tag.clone()
                    };
                    it.commit = oid.to_string();
                    it.short = short.clone();
                    it.subject = subject;
                    it.author = author;
                    it.date = date;
                    it.time = sig_time.0;
                    it.proposed_by = request.proposed_by.clone();
                    it.on_behalf_of = request.on_behalf_of.clone();
                }
                // The next edit starts a new working-tree iteration on this commit.
                self.drafting = None;
                self.refresh_ledger(draft);
                self.update_search_index();
                self.comments.places = None;
                self.message = Some(if tag.is_empty() {
                    format!("committed {short}")
                } else {
                    format!("committed {short}, tagged {tag}")
                });
            }
            Err(e) => {
                c.error = Some(e);
                self.commit = Some(c);
            }
        }
    }
}

/// The actor codes typed in a field, separated by commas or spaces.
fn codes(buffer: &TextBuffer) -> Vec<String> {
    buffer
        .text()
        .split([',', ' '])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_string)
        .collect()
}
