//! Drafting from the Read view: a session on the draft's working-tree file (its text, what is
//! on disk, undo and redo of every edit and action), the paragraph editor, word selection,
//! prompts with actor completion, saving without overwriting anyone, and committing the next
//! iteration. The state and its keys only: no terminal here (the views draw it; `tui::run`
//! suspends the terminal for `$EDITOR`).

use super::app::{App, TabId};
use super::editor::TextBuffer;
use super::keys::{self, Action};
use super::load::{Counts, Iteration};
use crate::actors::Actors;
use crate::drafting::{self, Fingerprint, GroupChoice, PositionSpec, SaveError, StampTime};
use crate::model::{Document, LeafKind, Span, Stance};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::cell::Cell;
use std::path::PathBuf;
use std::sync::Arc;

mod commit;
pub use commit::{CommitField, CommitForm};

/// One step of the draft's history in this session, for undo and redo.
#[derive(Debug, Clone)]
pub struct Step {
    pub text: String,
    /// The paragraph to show after going back to this text.
    pub paragraph: String,
    /// What was on disk when this text was current: going back to a text written before a
    /// reload must not make it safe to save over the file that reload read.
    pub disk: Option<Fingerprint>,
}

/// Why nothing is written in the bundled example: it lives in the cache and is rebuilt when
/// brackets changes, so an edit or a comment there would be lost.
pub const EXAMPLE_READ_ONLY: &str =
    "the bundled example is read-only: copy its folder (brackets demo --path)";

/// The draft being drafted: the working-tree file and what was done to it.
#[derive(Debug)]
pub struct Session {
    pub draft: usize,
    /// The iteration that stands for the working tree (the newest).
    pub iteration: usize,
    /// The file, and its path relative to the repository root.
    pub path: PathBuf,
    pub rel: String,
    pub text: String,
    pub doc: Arc<Document>,
    pub actors: Arc<Actors>,
    /// The file the text was written on: what was on disk when last loaded or saved (`None`:
    /// there was no file), or, after undo or redo, when that text was current.
    pub disk: Option<Fingerprint>,
    /// The text as last loaded or saved: unsaved edits when it differs from `text`.
    pub saved: String,
    pub undo: Vec<Step>,
    pub redo: Vec<Step>,
    /// Who asked for the brackets accepted or dropped: the commit's `Proposed-by:` trailers.
    pub proposed_by: Vec<String>,
    /// HEAD when the draft was loaded (none: no commit yet, or no git).
    pub head: Option<git2::Oid>,
    pub git: bool,
}

impl Session {
    pub fn dirty(&self) -> bool {
        self.text != self.saved
    }
}

/// What a prompt's answer is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PromptKind {
    /// Bracket the words in `range` (source bytes) of paragraph `id`.
    Bracket {
        id: String,
        range: Span,
    },
    Position {
        id: String,
        bracket: usize,
    },
    Accept {
        id: String,
        bracket: usize,
    },
    Drop {
        id: String,
        bracket: usize,
    },
    Note {
        id: String,
        bracket: Option<usize>,
    },
    Bis {
        id: String,
    },
    Alternative {
        id: String,
    },
    Comment {
        id: String,
    },
    Reply {
        comment: String,
    },
}

#[derive(Debug, Clone)]
pub struct Prompt {
    pub kind: PromptKind,
    pub title: String,
    /// What to type, shown under the input.
    pub hint: String,
    pub input: TextBuffer,
    /// Tab completes actor codes.
    pub actors: bool,
}

/// What to do once the draft is saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterSave {
    Nothing,
    Quit,
    Commit,
    External,
}

/// A modal state of the UI while drafting.
#[derive(Debug)]
pub enum Mode {
    /// Editing paragraph `id` in place.
    Editor {
        id: String,
        buffer: TextBuffer,
        /// The editor's text width and height in the last frame (for Up/Down and pages).
        width: Cell<usize>,
        height: Cell<usize>,
        /// Ctrl-c was pressed once on a changed text: the next one discards it.
        cancel: bool,
        /// The first row shown, kept so that the view moves only when the cursor leaves it.
        scroll: Cell<usize>,
    },
    /// Selecting words of paragraph `paragraph`: `words` are their source spans.
    Select {
        paragraph: usize,
        words: Vec<Span>,
        anchor: usize,
        cursor: usize,
    },
    Prompt(Prompt),
    /// The file changed on disk; what was being saved, and what to do after.
    Conflict {
        now: Option<Fingerprint>,
        then: AfterSave,
    },
    /// Quitting with unsaved edits.
    ConfirmQuit,
}

/// A request to the event loop: run the editor on a file at a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExternalEdit {
    pub path: PathBuf,
    pub line: usize,
}

/// The actor codes that complete `word`: those of the draft first, then every known one.
pub fn completions(doc: &Document, actors: &Actors, word: &str) -> Vec<String> {
    let w = word.to_lowercase();
    let mut own: Vec<String> = doc
        .paragraphs
        .iter()
        .flat_map(|p| p.actors().map(str::to_string))
        .collect();
    own.sort();
    own.dedup();
    let mut out: Vec<String> = own
        .into_iter()
        .filter(|c| c.to_lowercase().starts_with(&w) && actors.resolve(c).is_some())
        .collect();
    let mut rest: Vec<String> = actors
        .codes()
        .filter(|c| c.to_lowercase().starts_with(&w))
        .map(str::to_string)
        .collect();
    rest.sort();
    for c in rest {
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// The word being typed at the cursor (after a space, comma or brace) and where it starts.
fn word_at_cursor(input: &TextBuffer) -> (usize, &str) {
    let before = input.text().get(..input.cursor()).unwrap_or("");
    let start = before.rfind([' ', ',', '{', ';']).map_or(0, |i| i + 1);
    let word = before.get(start..).unwrap_or("");
    // A sign or a stance already typed means the code is done.
    (start, word)
}

/// Positions as typed in a prompt: `EGY+ USA-, RUS reserve`, `CHE delete`; a bare code
/// supports.
pub fn parse_positions(text: &str) -> Result<Vec<PositionSpec>, String> {
    let mut out: Vec<PositionSpec> = Vec::new();
    let tokens: Vec<&str> = text
        .split([' ', ',', ';', '{', '}'])
        .filter(|t| !t.is_empty())
        .collect();
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i];
        if let Some(code) = t.strip_suffix('+') {
            out.push(PositionSpec::new(code, Stance::Support));
        } else if let Some(code) = t.strip_suffix(['-', '\u{2013}']) {
            out.push(PositionSpec::new(code, Stance::Oppose));
        } else if let Some(stance) = tokens.get(i + 1).and_then(|w| Stance::from_word(w)) {
            out.push(PositionSpec::new(t, stance));
            i += 1;
        } else if Stance::from_word(t).is_some() {
            return Err(format!("`{t}` needs an actor before it"));
        } else {
            out.push(PositionSpec::new(t, Stance::Support));
        }
        i += 1;
    }
    if out.is_empty() {
        return Err("no actor given: type a code such as EGY+ or RUS reserve".into());
    }
    if out.iter().any(|p| p.actor.is_empty()) {
        return Err("a sign without an actor code".into());
    }
    Ok(out)
}

/// The words of a paragraph's text (not its label, attributions or stamp), as source spans.
pub fn words_of(doc: &Document, paragraph: usize) -> Vec<Span> {
    let Some(p) = doc.paragraphs.get(paragraph) else {
        return Vec::new();
    };
    let src = doc.source.as_str();
    let mut out = Vec::new();
    for leaf in &p.leaves {
        if leaf.kind != LeafKind::Text {
            continue;
        }
        let text = leaf.span.of(src);
        let mut start: Option<usize> = None;
        for (i, c) in text.char_indices() {
            if c.is_whitespace() {
                if let Some(s) = start.take() {
                    out.push(Span::new(leaf.span.start + s, leaf.span.start + i));
                }
            } else if start.is_none() {
                start = Some(i);
            }
        }
        if let Some(s) = start {
            out.push(Span::new(leaf.span.start + s, leaf.span.end));
        }
    }
    out
}

/// The innermost closed bracket of paragraph `paragraph` holding byte `at`.
pub fn bracket_at(doc: &Document, paragraph: usize, at: usize) -> Option<usize> {
    let p = doc.paragraphs.get(paragraph)?;
    p.brackets
        .iter()
        .enumerate()
        .filter(|(_, b)| {
            let end = b.close.map_or(p.span.end, |(c, _)| c.end);
            b.open.start <= at && at < end
        })
        .max_by_key(|(_, b)| b.open.start)
        .map(|(i, _)| i)
}

/// The local date and time for a stamp.
fn now() -> Option<StampTime> {
    let sig = git2::Signature::now("brackets", "brackets@localhost").ok()?;
    let when = sig.when();
    let s = crate::repo::time::format_rfc3339(when.seconds(), when.offset_minutes());
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<u32>().ok();
    Some(StampTime {
        year: num(0..4)?,
        month: num(5..7)?,
        day: num(8..10)?,
        hour: num(11..13)?,
        minute: num(14..16)?,
    })
}

impl App {
    /// The session when it is on the draft being read.
    pub fn session(&self) -> Option<&Session> {
        self.drafting.as_ref().filter(|s| s.draft == self.draft)
    }

    /// Unsaved edits anywhere.
    pub fn unsaved(&self) -> bool {
        self.drafting.as_ref().is_some_and(Session::dirty)
    }

    /// Starts drafting on the draft being read (its working-tree file), or says why not.
    pub fn start_session(&mut self) -> Result<(), String> {
        if let Some(s) = &self.drafting {
            if s.draft == self.draft {
                if self.read.iteration != s.iteration {
                    let label = self
                        .iteration(self.read.iteration)
                        .map(|i| crate::tui::wrap::clean(&i.label))
                        .unwrap_or_default();
                    return Err(format!(
                        "{label} is an old iteration, read-only: drafting changes the working tree (] goes to it)"
                    ));
                }
                return Ok(());
            }
            if s.dirty() {
                return Err(format!(
                    "unsaved edits to {}: save them (w) before drafting another draft",
                    s.rel
                ));
            }
        }
        let Some(w) = &self.workspace else {
            return Err("still opening…".into());
        };
        if w.example {
            return Err(EXAMPLE_READ_ONLY.into());
        }
        let git = w.git;
        let root = w.root.clone();
        let Some(d) = self.current_draft() else {
            return Err("no draft to edit".into());
        };
        if !d.loaded {
            return Err("still reading this draft's history…".into());
        }
        let rel = d.path.clone();
        let n = d.iterations.len();
        let newest = n.checked_sub(1);
        if newest.is_some_and(|i| d.iterations[i].doc.is_none()) {
            return Err("still parsing the draft…".into());
        }
        if let Some(i) = newest
            && self.read.iteration != i
        {
            return Err(format!(
                "{} is an old iteration, read-only: drafting changes the working tree (] goes to it)",
                crate::tui::wrap::clean(&d.iterations[self.read.iteration.min(i)].label)
            ));
        }
        let worktree_is_newest = newest.is_some_and(|i| {
            let c = &d.iterations[i].commit;
            c == "WORKTREE" || c.is_empty()
        });
        let path = root.join(&rel);
        let (text, disk) = drafting::load(&path).map_err(|e| e.to_string())?;
        // The working-tree iteration already read from these very bytes: its ledger stands.
        let already_read = worktree_is_newest
            && newest
                .and_then(|i| d.iterations[i].doc.as_ref())
                .is_some_and(|doc| doc.source == text);
        let actors: Actors = match Actors::for_draft(&path) {
            Ok(a) => a.into_owned(),
            Err(e) => {
                self.message = Some(format!("{e}: using the built-in actors"));
                Actors::builtin().clone()
            }
        };
        let head = if git {
            crate::repo::Repo::open(&root)
                .ok()
                .and_then(|r| r.head_commit().ok().map(|c| c.id()))
        } else {
            None
        };
        let doc = Arc::new(crate::parse::parse_with(&text, &actors));
        let iteration = match (worktree_is_newest, newest) {
            (true, Some(i)) => i,
            _ => {
                let time = newest
                    .and_then(|i| self.iteration(i))
                    .map_or(0, |it| it.time);
                let Some(d) = self
                    .workspace
                    .as_mut()
                    .and_then(|w| w.drafts.get_mut(self.draft))
                else {
                    return Err("no draft to edit".into());
                };
                d.iterations.push(Iteration {
                    label: "worktree".into(),
                    commit: "WORKTREE".into(),
                    short: String::new(),
                    date: "uncommitted".into(),
                    author: String::new(),
                    subject: "uncommitted changes in the working tree".into(),
                    time,
                    doc: None,
                    counts: None,
                    proposed_by: Vec::new(),
                    on_behalf_of: Vec::new(),
                });
                let new = d.iterations.len() - 1;
                // Compare shows what the working tree changes, as it does for one found on
                // opening.
                if newest.is_none_or(|i| self.compare.new == i) {
                    self.compare.new = new;
                    self.compare.old = new.saturating_sub(1);
                    self.compare.diff = None;
                }
                new
            }
        };
        let id = self
            .doc(self.read.iteration)
            .and_then(|d| d.paragraphs.get(self.read.paragraph))
            .map(|p| p.id.clone());
        self.drafting = Some(Session {
            draft: self.draft,
            iteration,
            path,
            rel,
            saved: text.clone(),
            text,
            doc: doc.clone(),
            actors: Arc::new(actors),
            disk: Some(disk),
            undo: Vec::new(),
            redo: Vec::new(),
            proposed_by: Vec::new(),
            head,
            git,
        });
        self.install_doc(doc, id.as_deref(), !already_read);
        self.read.iteration = iteration;
        self.drafts.iteration = iteration;
        Ok(())
    }

    /// Shows the session's document as the working-tree iteration, on paragraph `id` (or the
    /// nearest one); the ledger is built again when the text `changed` from the iteration's.
    fn install_doc(&mut self, doc: Arc<Document>, id: Option<&str>, changed: bool) {
        let Some(s) = &self.drafting else { return };
        let (draft, iteration) = (s.draft, s.iteration);
        let at = self.read.paragraph;
        if let Some(it) = self
            .workspace
            .as_mut()
            .and_then(|w| w.drafts.get_mut(draft))
            .and_then(|d| d.iterations.get_mut(iteration))
        {
            it.counts = Some(Counts::of(&doc));
            it.doc = Some(doc.clone());
        }
        *self.read.cache.borrow_mut() = None;
        if self
            .compare
            .diff
            .as_ref()
            .is_some_and(|(k, _)| k.0 == draft && (k.1 == iteration || k.2 == iteration))
        {
            self.compare.diff = None;
            self.compare.pending = None;
        }
        self.comments.places = None;
        self.actors.matrix_data = None;
        if changed {
            self.request_ledger(draft);
        }
        if draft == self.draft {
            self.read.paragraph = id
                .and_then(|id| doc.paragraphs.iter().position(|p| p.id == id))
                .unwrap_or_else(|| at.min(doc.paragraphs.len().saturating_sub(1)));
        }
    }

    /// Replaces the session's text (one undo step) and re-parses it; the view goes to
    /// paragraph `focus`.
    fn set_text(&mut self, text: String, focus: Option<&str>) {
        let current = self
            .current_paragraph()
            .map(|(id, _)| id)
            .unwrap_or_default();
        let Some(s) = self.drafting.as_mut() else {
            return;
        };
        if text == s.text {
            return;
        }
        let old = std::mem::replace(&mut s.text, text);
        s.undo.push(Step {
            text: old,
            paragraph: current.clone(),
            disk: s.disk,
        });
        if s.undo.len() > 1000 {
            s.undo.remove(0);
        }
        s.redo.clear();
        let doc = Arc::new(crate::parse::parse_with(&s.text, &s.actors));
        s.doc = doc.clone();
        self.install_doc(doc, Some(focus.unwrap_or(&current)), true);
    }

    /// Applies an edit from the core to the session's text.
    fn apply_edit(&mut self, edit: &drafting::Edit, focus: Option<&str>, what: &str) {
        let Some(s) = &self.drafting else { return };
        match edit.apply(&s.text) {
            Ok(text) => {
                self.set_text(text, focus);
                self.message = Some(format!("{what} · u undoes · w saves"));
            }
            Err(e) => self.message = Some(e.to_string()),
        }
    }

    fn undo_redo(&mut self, redo: bool) {
        let current = self
            .current_paragraph()
            .map(|(id, _)| id)
            .unwrap_or_default();
        let Some(s) = self.drafting.as_mut().filter(|s| s.draft == self.draft) else {
            self.message = Some("nothing to undo".into());
            return;
        };
        let step = if redo { s.redo.pop() } else { s.undo.pop() };
        let Some(step) = step else {
            self.message = Some(if redo {
                "nothing to redo".into()
            } else {
                "nothing to undo".into()
            });
            return;
        };
        let back = Step {
            text: std::mem::replace(&mut s.text, step.text),
            paragraph: current,
            disk: std::mem::replace(&mut s.disk, step.disk),
        };
        if redo {
            s.undo.push(back);
        } else {
            s.redo.push(back);
        }
        let doc = Arc::new(crate::parse::parse_with(&s.text, &s.actors));
        s.doc = doc.clone();
        let (left, dirty) = (if redo { s.redo.len() } else { s.undo.len() }, s.dirty());
        self.install_doc(doc, Some(&step.paragraph), true);
        self.message = Some(format!(
            "{} ({left} more){}",
            if redo { "redone" } else { "undone" },
            if dirty { "" } else { " · as saved" }
        ));
    }

    /// Saves the draft; when the file changed on disk, asks what to do.
    pub fn save_draft(&mut self, then: AfterSave) {
        let Some(s) = self.drafting.as_ref() else {
            self.after_save(then);
            return;
        };
        if !s.dirty() {
            self.after_save(then);
            return;
        }
        match drafting::save(&s.path, &s.text, s.disk) {
            Ok(fp) => {
                let rel = s.rel.clone();
                if let Some(s) = self.drafting.as_mut() {
                    // Texts written on the file just replaced are now written on ours.
                    let before = s.disk;
                    for step in s.undo.iter_mut().chain(s.redo.iter_mut()) {
                        if step.disk == before {
                            step.disk = Some(fp);
                        }
                    }
                    s.disk = Some(fp);
                    s.saved = s.text.clone();
                }
                self.message = Some(format!("saved {}", crate::tui::wrap::clean(&rel)));
                self.after_save(then);
            }
            Err(SaveError::ChangedOnDisk { now, .. }) => {
                self.mode = Some(Mode::Conflict { now, then });
            }
            Err(e) => self.message = Some(e.to_string()),
        }
    }

    fn after_save(&mut self, then: AfterSave) {
        match then {
            AfterSave::Nothing => {}
            AfterSave::Quit => self.quit = true,
            AfterSave::Commit => self.begin_commit(),
            AfterSave::External => self.open_external(),
        }
    }

    /// Reads the file again (after `$EDITOR`, or to take someone else's change); the text
    /// it replaces stays in undo.
    pub fn reload_from_disk(&mut self) {
        let Some(s) = self.drafting.as_ref() else {
            return;
        };
        match drafting::load(&s.path) {
            Ok((text, fp)) => {
                let changed = text != s.text;
                self.set_text(text.clone(), None);
                if let Some(s) = self.drafting.as_mut() {
                    s.disk = Some(fp);
                    s.saved = text;
                }
                self.message = Some(if changed {
                    "reloaded from disk (u brings your text back)".into()
                } else {
                    "reloaded: no change on disk".into()
                });
            }
            Err(e) => self.message = Some(e.to_string()),
        }
    }

    /// Asks before quitting with unsaved edits.
    pub fn request_quit(&mut self) {
        if self.unsaved() {
            self.mode = Some(Mode::ConfirmQuit);
        } else {
            self.quit = true;
        }
    }

    fn open_external(&mut self) {
        let Some(s) = &self.drafting else { return };
        let id = self.current_paragraph().map(|(id, _)| id);
        let line = id
            .and_then(|id| drafting::paragraph_line(&s.doc, &id).ok())
            .unwrap_or(1);
        self.external = Some(ExternalEdit {
            path: s.path.clone(),
            line,
        });
    }

    /// After the external editor: what it left on disk is read back.
    pub fn external_done(&mut self, result: Result<(), String>) {
        *self.read.cache.borrow_mut() = None;
        self.reload_from_disk();
        if let Err(e) = result {
            self.message = Some(e);
        }
    }

    /// Reads the draft's history again (HEAD moved: a commit made elsewhere, a pull); the
    /// next edit drafts on the new HEAD. Refused with unsaved edits.
    pub fn reload_history(&mut self) {
        if self.session().is_some_and(Session::dirty) {
            self.message = Some("unsaved edits: save them (w) before reloading the history".into());
            return;
        }
        let (Some(root), Some(path)) = (
            self.workspace
                .as_ref()
                .filter(|w| w.git)
                .map(|w| w.root.clone()),
            self.current_draft().map(|d| d.path.clone()),
        ) else {
            self.message = Some("no history to reload: not in a git repository".into());
            return;
        };
        let id = self.current_paragraph().map(|(id, _)| id);
        match super::load::reread(&root, &path) {
            Ok(iterations) => {
                let n = iterations.len();
                if let Some(d) = self
                    .workspace
                    .as_mut()
                    .and_then(|w| w.drafts.get_mut(self.draft))
                {
                    d.iterations = iterations;
                    d.loaded = true;
                }
                if self.session().is_some() {
                    self.drafting = None;
                }
                self.commit = None;
                let last = n.saturating_sub(1);
                self.read.iteration = last;
                self.drafts.iteration = last;
                self.compare.new = last;
                self.compare.old = last.saturating_sub(1);
                self.compare.diff = None;
                self.compare.pending = None;
                *self.read.cache.borrow_mut() = None;
                self.comments.places = None;
                self.actors.matrix_data = None;
                self.read.paragraph = id
                    .and_then(|id| {
                        self.doc(last)
                            .and_then(|d| d.paragraphs.iter().position(|p| p.id == id))
                    })
                    .unwrap_or(0);
                self.refresh_ledger(self.draft);
                self.update_search_index();
                self.message = Some(format!("history reloaded: {n} iterations"));
            }
            Err(e) => self.message = Some(e),
        }
    }

    /// The actor ledger of `draft` built again for an edited working tree: on the ledger
    /// worker when there is one, else here. Only once the loader has built the first one.
    fn request_ledger(&mut self, draft: usize) {
        let Some(w) = &self.workspace else { return };
        let Some(d) = w.drafts.get(draft) else { return };
        if !self.ledgers.get(draft).is_some_and(|l| l.is_some())
            || d.iterations.iter().any(|i| i.doc.is_none())
        {
            return;
        }
        self.ledger_generation += 1;
        match &self.ledger_requests {
            Some(tx) => {
                let _ = tx.send(crate::tui::app::LedgerRequest {
                    draft,
                    generation: self.ledger_generation,
                    root: w.root.clone(),
                    path: d.path.clone(),
                    iterations: d.iterations.clone(),
                });
            }
            None => {
                if let Some(ledger) = super::load::ledger_of(&w.root, &d.path, &d.iterations) {
                    self.apply(super::load::Loaded::Ledger { draft, ledger });
                }
            }
        }
    }

    /// The actor ledger of the draft being read, built again for its new iterations.
    fn refresh_ledger(&mut self, draft: usize) {
        // What the ledger worker is still building is older than this.
        self.ledger_generation += 1;
        let Some(w) = &self.workspace else { return };
        let Some(d) = w.drafts.get(draft) else { return };
        let ledger = super::load::ledger_of(&w.root, &d.path, &d.iterations);
        if let (Some(l), Some(slot)) = (ledger, self.ledgers.get_mut(draft)) {
            *slot = Some(l);
            self.actors.timeline = None;
            self.actors.selected = 0;
            self.actors.entry = 0;
        }
    }

    // ----- keys -----

    /// A key while a drafting mode is on; false when no mode is on.
    pub fn drafting_key(&mut self, key: KeyEvent) -> bool {
        let Some(mode) = self.mode.take() else {
            return false;
        };
        match mode {
            Mode::Editor {
                id,
                mut buffer,
                width,
                height,
                cancel,
                scroll,
            } => {
                let done = editor_key(&mut buffer, key, width.get(), height.get());
                match done {
                    EditorOutcome::Continue => {
                        self.mode = Some(Mode::Editor {
                            id,
                            buffer,
                            width,
                            height,
                            cancel: false,
                            scroll,
                        })
                    }
                    // Never lose a word on one key: a changed text asks for a second Ctrl-c.
                    EditorOutcome::Cancel if buffer.can_undo() && !cancel => {
                        self.message = Some("Ctrl-c again discards this edit; Esc keeps it".into());
                        self.mode = Some(Mode::Editor {
                            id,
                            buffer,
                            width,
                            height,
                            cancel: true,
                            scroll,
                        });
                    }
                    EditorOutcome::Cancel => self.message = Some("edit cancelled".into()),
                    EditorOutcome::Done { save } => {
                        let keep = self.finish_editor(&id, buffer.text());
                        if !keep {
                            self.mode = Some(Mode::Editor {
                                id,
                                buffer,
                                width,
                                height,
                                cancel: false,
                                scroll,
                            });
                        } else if save {
                            self.save_draft(AfterSave::Nothing);
                        }
                    }
                }
            }
            Mode::Select {
                paragraph,
                words,
                anchor,
                cursor,
            } => self.select_key(key, paragraph, words, anchor, cursor),
            Mode::Prompt(p) => self.prompt_key(key, p),
            Mode::Conflict { now, then } => match keys::lookup_in(keys::CONFLICT, &key) {
                Some(Action::Reload) => {
                    self.reload_from_disk();
                    if then == AfterSave::Quit {
                        self.quit = true;
                    }
                }
                Some(Action::Overwrite) => {
                    if let Some(s) = self.drafting.as_mut() {
                        s.disk = now;
                    }
                    self.save_draft(then);
                }
                Some(Action::Back) => {
                    self.message = Some("not saved: the file changed on disk; w tries again".into())
                }
                _ => self.mode = Some(Mode::Conflict { now, then }),
            },
            Mode::ConfirmQuit => match keys::lookup_in(keys::QUIT_CONFIRM, &key) {
                Some(Action::Save) => self.save_draft(AfterSave::Quit),
                Some(Action::Discard) => self.quit = true,
                Some(Action::Back) => {}
                _ => self.mode = Some(Mode::ConfirmQuit),
            },
        }
        true
    }

    /// Puts the editor's text into the draft; false (and a message) when it cannot be.
    fn finish_editor(&mut self, id: &str, text: &str) -> bool {
        let Some(s) = &self.drafting else {
            return true;
        };
        let doc = s.doc.clone();
        match doc.paragraph(id) {
            Some(p) if p.span.of(&doc.source) == text => return true,
            None => {
                self.message = Some(format!("{id} is gone from the draft"));
                return true;
            }
            _ => {}
        }
        match drafting::edit_paragraph(&doc, id, text) {
            Ok(edit) => {
                self.apply_edit(&edit, Some(id), &format!("{id} edited"));
                true
            }
            Err(e) => {
                self.message = Some(format!(
                    "{e} (a blank line would split the paragraph; Ctrl-c cancels)"
                ));
                false
            }
        }
    }

    /// The Read view's drafting keys.
    pub fn act_drafting(&mut self, action: Action) {
        if matches!(action, Action::Undo | Action::Redo) {
            self.undo_redo(action == Action::Redo);
            return;
        }
        if action == Action::Save {
            if self.drafting.is_none() {
                self.message = Some("nothing to save: no edits yet".into());
            } else if !self.unsaved() {
                self.message = Some("no unsaved edits".into());
            } else {
                self.save_draft(AfterSave::Nothing);
            }
            return;
        }
        if let Err(e) = self.start_session() {
            self.message = Some(e);
            return;
        }
        let Some(s) = &self.drafting else { return };
        // Someone changed the file since: with nothing of ours unsaved, take their text
        // first (undo brings ours back), so that the action applies to what is on disk.
        if !s.dirty() && Fingerprint::of_file(&s.path).ok() != s.disk {
            self.reload_from_disk();
            self.message =
                Some("the file changed on disk: reloaded it first; press the key again".into());
            return;
        }
        let doc = s.doc.clone();
        let index = self.read.paragraph;
        let Some(p) = doc.paragraphs.get(index) else {
            self.message = Some("no paragraph here".into());
            return;
        };
        let id = p.id.clone();
        match action {
            Action::Edit => {
                let text = p.span.of(&doc.source).to_string();
                self.mode = Some(Mode::Editor {
                    id,
                    buffer: TextBuffer::new(&text),
                    width: Cell::new(60),
                    height: Cell::new(8),
                    cancel: false,
                    scroll: Cell::new(0),
                });
            }
            Action::ExternalEdit => self.save_draft(AfterSave::External),
            Action::Commit => self.save_draft(AfterSave::Commit),
            Action::Select => self.start_select(index, None),
            Action::AddPosition | Action::Accept | Action::Drop => {
                let closed: Vec<usize> = p
                    .brackets
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| b.close.is_some())
                    .map(|(i, _)| i)
                    .collect();
                match closed.as_slice() {
                    [] => self.message = Some(format!("{id} has no closed bracket")),
                    [one] => self.bracket_prompt(action, &id, *one),
                    [first, ..] => {
                        self.start_select(index, Some(*first));
                        self.message = Some(format!(
                            "{id} has {} brackets: move to one (n/N, h/l) and press {} again",
                            closed.len(),
                            keys::key_for(TabId::Read, action).unwrap_or_default()
                        ));
                    }
                }
            }
            Action::Note => self.open_prompt(PromptKind::Note { id, bracket: None }),
            Action::InsertBis => self.open_prompt(PromptKind::Bis { id }),
            Action::InsertAlternative => self.open_prompt(PromptKind::Alternative { id }),
            Action::Stamp => match now() {
                Some(when) => match drafting::stamp_agreed(&doc, &id, when) {
                    Ok(edit) => {
                        let what = format!("{id} stamped agreed ad ref");
                        self.apply_edit(&edit, Some(&id), &what)
                    }
                    Err(e) => self.message = Some(e.to_string()),
                },
                None => self.message = Some("cannot read the clock".into()),
            },
            _ => {}
        }
    }

    fn start_select(&mut self, paragraph: usize, bracket: Option<usize>) {
        let Some(doc) = self.drafting.as_ref().map(|s| s.doc.clone()) else {
            return;
        };
        let words = words_of(&doc, paragraph);
        if words.is_empty() {
            self.message = Some("no words to select in this paragraph".into());
            return;
        }
        let at = bracket
            .and_then(|b| doc.paragraphs.get(paragraph)?.brackets.get(b))
            .and_then(|b| words.iter().position(|w| w.start >= b.open.end))
            .unwrap_or(0);
        self.mode = Some(Mode::Select {
            paragraph,
            words,
            anchor: at,
            cursor: at,
        });
    }

    fn select_key(
        &mut self,
        key: KeyEvent,
        paragraph: usize,
        words: Vec<Span>,
        mut anchor: usize,
        mut cursor: usize,
    ) {
        let last = words.len().saturating_sub(1);
        let Some(doc) = self.drafting.as_ref().map(|s| s.doc.clone()) else {
            return;
        };
        let Some(id) = doc.paragraphs.get(paragraph).map(|p| p.id.clone()) else {
            return;
        };
        let action = keys::lookup_in(keys::SELECT, &key);
        let under = words
            .get(cursor)
            .and_then(|w| bracket_at(&doc, paragraph, w.start));
        match action {
            Some(Action::Right) => {
                cursor = (cursor + 1).min(last);
                anchor = cursor;
            }
            Some(Action::Left) => {
                cursor = cursor.saturating_sub(1);
                anchor = cursor;
            }
            Some(Action::ExtendRight) => cursor = (cursor + 1).min(last),
            Some(Action::ExtendLeft) => cursor = cursor.saturating_sub(1),
            Some(Action::Top) => {
                cursor = 0;
                anchor = 0;
            }
            Some(Action::Bottom) => {
                cursor = last;
                anchor = last;
            }
            Some(Action::NextBracket) | Some(Action::PrevBracket) => {
                let p = &doc.paragraphs[paragraph];
                let starts: Vec<usize> = p
                    .brackets
                    .iter()
                    .filter_map(|b| words.iter().position(|w| w.start >= b.open.end))
                    .collect();
                let found = if action == Some(Action::NextBracket) {
                    starts.iter().copied().filter(|&w| w > cursor).min()
                } else {
                    starts.iter().copied().filter(|&w| w < cursor).max()
                };
                match found {
                    Some(w) => {
                        cursor = w;
                        anchor = w;
                    }
                    None => self.message = Some("no more brackets that way".into()),
                }
            }
            Some(Action::BracketWords) => {
                let (a, b) = (anchor.min(cursor), anchor.max(cursor));
                if let (Some(first), Some(end)) = (words.get(a), words.get(b)) {
                    let range = Span::new(first.start, end.end);
                    self.open_prompt(PromptKind::Bracket { id, range });
                }
                return;
            }
            Some(a @ (Action::AddPosition | Action::Accept | Action::Drop)) => {
                match under {
                    Some(b) => self.bracket_prompt(a, &id, b),
                    None => {
                        self.message = Some("the cursor is not in a bracket".into());
                        self.mode = Some(Mode::Select {
                            paragraph,
                            words,
                            anchor,
                            cursor,
                        });
                    }
                }
                return;
            }
            Some(Action::Note) => {
                self.open_prompt(PromptKind::Note { id, bracket: under });
                return;
            }
            Some(Action::Back) => return,
            Some(Action::Quit) => {
                self.request_quit();
                return;
            }
            Some(Action::Help) => self.help = true,
            _ => {}
        }
        self.mode = Some(Mode::Select {
            paragraph,
            words,
            anchor,
            cursor,
        });
    }

    fn bracket_prompt(&mut self, action: Action, id: &str, bracket: usize) {
        let id = id.to_string();
        self.open_prompt(match action {
            Action::AddPosition => PromptKind::Position { id, bracket },
            Action::Accept => PromptKind::Accept { id, bracket },
            _ => PromptKind::Drop { id, bracket },
        });
    }

    /// Opens a prompt; its title quotes what it acts on.
    pub fn open_prompt(&mut self, kind: PromptKind) {
        let doc = self.drafting.as_ref().map(|s| s.doc.clone());
        let quote = |id: &str, b: usize| -> String {
            let Some(doc) = &doc else {
                return String::new();
            };
            let Some(p) = doc.paragraph(id) else {
                return String::new();
            };
            let Some(br) = p.brackets.get(b) else {
                return String::new();
            };
            let text = br.content(p.span.end).of(&doc.source);
            let short: String = text.chars().take(40).collect();
            let more = if text.chars().count() > 40 { "…" } else { "" };
            format!("[{short}{more}]")
        };
        let (title, hint, actors) = match &kind {
            PromptKind::Bracket { id, range } => {
                let text = doc
                    .as_ref()
                    .map(|d| range.of(&d.source).to_string())
                    .unwrap_or_default();
                let short: String = text.chars().take(40).collect();
                (
                    format!("Bracket [{short}] in {id} for"),
                    "actors and stances: EGY+ USA-, RUS reserve · Tab completes".to_string(),
                    true,
                )
            }
            PromptKind::Position { id, bracket } => (
                format!("Add a position on {} in {id}", quote(id, *bracket)),
                "one position: USA-, RUS reserve, CHE delete; {RUS reserve} in a group of its own · Tab completes".into(),
                true,
            ),
            PromptKind::Accept { id, bracket } => (
                format!(
                    "Accept {} in {id}: keep the text; asked by",
                    quote(id, *bracket)
                ),
                "who asked (for the commit's Proposed-by): Chair, EGY… · Tab completes".into(),
                true,
            ),
            PromptKind::Drop { id, bracket } => (
                format!(
                    "Drop {} in {id}: remove the text; asked by",
                    quote(id, *bracket)
                ),
                "who asked (for the commit's Proposed-by): Chair, EGY… · Tab completes".into(),
                true,
            ),
            PromptKind::Note { id, bracket } => (
                match bracket {
                    Some(b) => format!("Note on {} in {id}", quote(id, *b)),
                    None => format!("Note on {id}"),
                },
                "free text, an actor code first when it is theirs: FRA suggest to move…".into(),
                true,
            ),
            PromptKind::Bis { id } => (
                format!("New paragraph after {id} (bis)"),
                "its text; then {EGY+} when someone proposes it".into(),
                true,
            ),
            PromptKind::Alternative { id } => (
                format!("Alternative to {id}"),
                "the alternative text".into(),
                false,
            ),
            PromptKind::Comment { id } => (
                format!("Comment on {id}"),
                "a reviewer's comment, kept beside the draft and committed with it".into(),
                false,
            ),
            PromptKind::Reply { comment } => {
                (format!("Reply to #{comment}"), "your reply".into(), false)
            }
        };
        self.mode = Some(Mode::Prompt(Prompt {
            kind,
            title,
            hint,
            input: TextBuffer::new(""),
            actors,
        }));
    }

    /// The actor codes a prompt offers for the word at its cursor.
    pub fn prompt_completions(&self, p: &Prompt) -> Vec<String> {
        if !p.actors {
            return Vec::new();
        }
        let (_, word) = word_at_cursor(&p.input);
        if word.is_empty() || word.ends_with(['+', '-']) {
            return Vec::new();
        }
        let Some(s) = &self.drafting else {
            return Vec::new();
        };
        completions(&s.doc, &s.actors, word)
    }

    fn prompt_key(&mut self, key: KeyEvent, mut p: Prompt) {
        match keys::lookup_in(keys::PROMPT, &key) {
            Some(Action::Enter) => {
                self.submit_prompt(p);
                return;
            }
            Some(Action::Back) => return,
            Some(Action::Quit) => {
                self.request_quit();
                return;
            }
            Some(Action::Complete) => {
                let options = self.prompt_completions(&p);
                complete(&mut p.input, &options);
            }
            Some(a) => line_key(&mut p.input, a),
            None => type_key(&mut p.input, key),
        }
        self.mode = Some(Mode::Prompt(p));
    }

    fn submit_prompt(&mut self, p: Prompt) {
        let text = p.input.text().trim().to_string();
        if matches!(
            p.kind,
            PromptKind::Comment { .. } | PromptKind::Reply { .. }
        ) {
            self.submit_comment(p, text);
            return;
        }
        let Some(s) = &self.drafting else { return };
        let doc = s.doc.clone();
        let actors = s.actors.clone();
        let keep = |app: &mut App, p: Prompt, e: String| {
            app.message = Some(e);
            app.mode = Some(Mode::Prompt(p));
        };
        match &p.kind {
            PromptKind::Bracket { id, range } => {
                let positions = match parse_positions(&text) {
                    Ok(v) => v,
                    Err(e) => return keep(self, p, e),
                };
                match drafting::bracket_text(&doc, &actors, id, *range, &positions) {
                    Ok(edit) => {
                        let id = id.clone();
                        self.apply_edit(&edit, Some(&id), &format!("bracketed in {id}"))
                    }
                    Err(e) => keep(self, p, e.to_string()),
                }
            }
            PromptKind::Position { id, bracket } => {
                let positions = match parse_positions(&text) {
                    Ok(v) => v,
                    Err(e) => return keep(self, p, e),
                };
                let [spec] = positions.as_slice() else {
                    return keep(self, p, "one position at a time".into());
                };
                // `{RUS reserve}`: a group of its own.
                let choice = if text.starts_with('{') {
                    GroupChoice::New
                } else {
                    GroupChoice::Last
                };
                match drafting::add_position(&doc, &actors, id, *bracket, spec, choice) {
                    Ok(edit) => {
                        let id = id.clone();
                        self.apply_edit(&edit, Some(&id), &format!("position added in {id}"))
                    }
                    Err(e) => keep(self, p, e.to_string()),
                }
            }
            PromptKind::Accept { id, bracket } | PromptKind::Drop { id, bracket } => {
                let accept = matches!(p.kind, PromptKind::Accept { .. });
                let who = text.trim_end_matches(['+', '-']);
                if who.is_empty() {
                    return keep(self, p, "who asked? an actor code (Tab completes)".into());
                }
                let r = if accept {
                    drafting::accept_bracket(&doc, &actors, id, *bracket, who)
                } else {
                    drafting::drop_bracket(&doc, &actors, id, *bracket, who)
                };
                match r {
                    Ok(r) => {
                        let id = id.clone();
                        let what = format!(
                            "{} in {id} at {}'s request",
                            if accept { "accepted" } else { "dropped" },
                            r.proposed_by
                        );
                        if let Some(s) = self.drafting.as_mut()
                            && !s.proposed_by.contains(&r.proposed_by)
                        {
                            s.proposed_by.push(r.proposed_by.clone());
                        }
                        self.apply_edit(&r.edit, Some(&id), &what)
                    }
                    Err(e) => keep(self, p, e.to_string()),
                }
            }
            PromptKind::Note { id, bracket } => {
                let first = text.split_whitespace().next().unwrap_or("");
                let (actor, rest) = match actors.resolve(first) {
                    Some(a) if text.len() > first.len() => {
                        (Some(a.code.clone()), text[first.len()..].trim().to_string())
                    }
                    _ => (None, text.clone()),
                };
                let r = match bracket {
                    Some(b) => {
                        drafting::add_bracket_note(&doc, &actors, id, *b, actor.as_deref(), &rest)
                    }
                    None => drafting::add_note(&doc, &actors, id, actor.as_deref(), &rest),
                };
                match r {
                    Ok(edit) => {
                        let id = id.clone();
                        self.apply_edit(&edit, Some(&id), &format!("note added to {id}"))
                    }
                    Err(e) => keep(self, p, e.to_string()),
                }
            }
            PromptKind::Bis { id } => {
                // A trailing `{EGY+}` names who proposes it.
                let (body, by) = match text.rfind('{') {
                    Some(i) if text.ends_with('}') => (text[..i].trim(), &text[i..]),
                    _ => (text.as_str(), ""),
                };
                let positions = if by.is_empty() {
                    Vec::new()
                } else {
                    match parse_positions(by) {
                        Ok(v) => v,
                        Err(e) => return keep(self, p, e),
                    }
                };
                match drafting::insert_bis(&doc, &actors, id, body, &positions) {
                    Ok(ins) => {
                        let new = ins.id.clone();
                        self.apply_edit(&ins.edit, Some(&new), &format!("{new} inserted"))
                    }
                    Err(e) => keep(self, p, e.to_string()),
                }
            }
            PromptKind::Alternative { id } => match drafting::insert_alternative(&doc, id, &text) {
                Ok(ins) => {
                    let new = ins.id.clone();
                    self.apply_edit(&ins.edit, Some(&new), &format!("{new} inserted"))
                }
                Err(e) => keep(self, p, e.to_string()),
            },
            PromptKind::Comment { .. } | PromptKind::Reply { .. } => {}
        }
    }

    /// Saves a comment or a reply written in a prompt (no drafting session needed).
    fn submit_comment(&mut self, p: Prompt, text: String) {
        if text.is_empty() {
            self.message = Some("an empty comment is not saved".into());
            return;
        }
        let what = match &p.kind {
            PromptKind::Reply { comment } => super::app::CommentInput::Reply(comment.clone()),
            _ => super::app::CommentInput::Add,
        };
        self.comments.input = Some((what, text));
        self.save_comment();
        if let Some((_, t)) = self.comments.input.take() {
            // Not saved: keep what was written.
            let mut p = p;
            p.input = TextBuffer::new(&t);
            self.mode = Some(Mode::Prompt(p));
        }
    }

    // ----- comments from Read -----

    /// The comments on the paragraph being read, as indices into the store.
    pub fn paragraph_comments(&self) -> Vec<usize> {
        let Some((_, store)) = &self.comments.store else {
            return Vec::new();
        };
        let Some((here, _)) = self.current_paragraph() else {
            return Vec::new();
        };
        let Some((_, places)) = &self.comments.places else {
            return Vec::new();
        };
        store
            .comments()
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                places
                    .iter()
                    .any(|(id, p)| *id == c.id && p.as_deref() == Some(here.as_str()))
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// Comment keys in Read: add, next, reply, resolve.
    pub fn act_read_comments(&mut self, action: Action) {
        if action != Action::NextComment && self.refuse_in_example() {
            return;
        }
        self.ensure_comments();
        if let Some(e) = &self.comments.error {
            self.message = Some(e.clone());
            return;
        }
        let rows = self.paragraph_comments();
        let selected = rows
            .get(self.read.comment.min(rows.len().saturating_sub(1)))
            .and_then(|&i| self.comments.store.as_ref()?.1.comments().get(i))
            .map(|c| (c.id.clone(), c.status));
        match action {
            Action::AddComment => match self.current_paragraph() {
                Some((id, _)) => self.open_prompt(PromptKind::Comment { id }),
                None => self.message = Some("no paragraph to comment on".into()),
            },
            Action::NextComment => {
                if rows.is_empty() {
                    self.message = Some("no comments on this paragraph".into());
                } else {
                    self.read.comment = (self.read.comment + 1) % rows.len();
                }
            }
            Action::ReplyComment => match selected {
                Some((id, _)) => self.open_prompt(PromptKind::Reply { comment: id }),
                None => self.message = Some("no comment on this paragraph to reply to".into()),
            },
            Action::ResolveComment => {
                let Some((id, status)) = selected else {
                    self.message = Some("no comment on this paragraph".into());
                    return;
                };
                self.resolve_or_reopen_comment(&id, status);
            }
            _ => {}
        }
    }
}

/// How a key in the paragraph editor ended.
enum EditorOutcome {
    Continue,
    Done { save: bool },
    Cancel,
}

fn editor_key(b: &mut TextBuffer, key: KeyEvent, width: usize, height: usize) -> EditorOutcome {
    let width = width.max(2);
    match keys::lookup_in(keys::EDITOR, &key) {
        Some(Action::Done) => return EditorOutcome::Done { save: false },
        Some(Action::SaveDone) => return EditorOutcome::Done { save: true },
        Some(Action::Cancel) => return EditorOutcome::Cancel,
        Some(Action::Undo) => {
            b.undo();
        }
        Some(Action::Redo) => {
            b.redo();
        }
        Some(Action::Up) => b.vertical(width, -1),
        Some(Action::Down) => b.vertical(width, 1),
        Some(Action::PageUp) => b.vertical(width, -(height.max(2) as isize - 1)),
        Some(Action::PageDown) => b.vertical(width, height.max(2) as isize - 1),
        Some(Action::LineStart) => b.row_start(width),
        Some(Action::LineEnd) => b.row_end(width),
        Some(Action::Top) => b.start(),
        Some(Action::Bottom) => b.end(),
        Some(Action::Newline) => b.insert('\n'),
        Some(a) => line_key(b, a),
        None => type_key(b, key),
    }
    EditorOutcome::Continue
}

/// Keys every text input shares.
fn line_key(b: &mut TextBuffer, action: Action) {
    match action {
        Action::Left => b.left(),
        Action::Right => b.right(),
        Action::WordLeft => b.word_left(),
        Action::WordRight => b.word_right(),
        Action::LineStart => b.start(),
        Action::LineEnd => b.end(),
        Action::DeleteChar => b.backspace(),
        Action::DeleteForward => b.delete(),
        Action::DeleteWord => b.delete_word_back(),
        Action::ClearQuery => b.set_text(""),
        _ => {}
    }
}

/// A printable character typed.
fn type_key(b: &mut TextBuffer, key: KeyEvent) {
    if let KeyCode::Char(c) = key.code
        && !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
        && !c.is_control()
    {
        b.insert(c);
    }
}

/// Tab: the word at the cursor completed to the one option, or to what all options share.
fn complete(b: &mut TextBuffer, options: &[String]) {
    let (start, word) = word_at_cursor(b);
    let word_len = word.len();
    let Some(first) = options.first() else {
        return;
    };
    let common = options.iter().fold(first.clone(), |acc, o| {
        acc.chars()
            .zip(o.chars())
            .take_while(|(a, c)| a.eq_ignore_ascii_case(c))
            .map(|(a, _)| a)
            .collect()
    });
    let replacement = if options.len() == 1 {
        first.clone()
    } else {
        common
    };
    if replacement.len() < word_len {
        return;
    }
    let mut text = b.text().to_string();
    let cursor = b.cursor();
    text.replace_range(start..cursor, &replacement);
    let at = start + replacement.len();
    b.set_text(&text);
    b.set_cursor(at);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_as_typed() {
        let p = parse_positions("EGY+ USA-, RUS reserve CHE").unwrap();
        let got: Vec<(String, Stance)> = p.into_iter().map(|p| (p.actor, p.stance)).collect();
        assert_eq!(
            got,
            [
                ("EGY".to_string(), Stance::Support),
                ("USA".to_string(), Stance::Oppose),
                ("RUS".to_string(), Stance::Reserve),
                ("CHE".to_string(), Stance::Support),
            ]
        );
        assert!(parse_positions("  ").is_err());
        assert!(parse_positions("reserve").is_err());
        assert!(parse_positions("+").is_err());
    }

    #[test]
    fn tab_completes_a_code_and_the_common_prefix() {
        let doc = crate::parse::parse("The Assembly,\n\n1. Decides [to act] {EGY+ ESP-};\n");
        let actors = Actors::builtin();
        let options = completions(&doc, actors, "E");
        assert_eq!(
            &options[..2],
            ["EGY", "ESP"],
            "the draft's own actors first"
        );
        let mut b = TextBuffer::new("USA- eg");
        complete(&mut b, &completions(&doc, actors, "eg"));
        assert_eq!(b.text(), "USA- EGY");
        let mut b = TextBuffer::new("ES");
        complete(&mut b, &["ESP".into(), "EST".into()]);
        assert_eq!(b.text(), "ES");
        let mut b = TextBuffer::new("é");
        complete(&mut b, &[]);
        assert_eq!(b.text(), "é");
    }

    #[test]
    fn words_and_the_bracket_under_a_word() {
        let doc = crate::parse::parse(
            "The Assembly,\n\n1. Decides [to act [now]{FRA+}] {USA+ FRA-} firmly;\n",
        );
        let p = doc.paragraphs.iter().position(|p| p.id == "OP1").unwrap();
        let words = words_of(&doc, p);
        let shown: Vec<&str> = words.iter().map(|w| w.of(&doc.source)).collect();
        assert_eq!(shown, ["Decides", "to", "act", "now", "firmly;"]);
        assert_eq!(bracket_at(&doc, p, words[0].start), None);
        assert_eq!(bracket_at(&doc, p, words[1].start), Some(0));
        assert_eq!(bracket_at(&doc, p, words[3].start), Some(1));
    }
}
