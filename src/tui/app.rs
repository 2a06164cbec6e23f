//! The application state and how keys, mouse and loader messages change it. Pure functions of
//! the state: no terminal here, so every key can be tested without one.

use super::keys::{self, Action};
use super::load::{Counts, Ledgered, Loaded, Workspace};
use crate::diff::{ChangeKind, DocumentDiff, ParagraphChange};
use crate::ledger::{Matrix, Timeline};
use crate::model::Document;
use crossterm::event::{Event, KeyEvent, KeyEventKind, MouseButton, MouseEventKind};
use ratatui::layout::Rect;
use std::cell::{Cell, RefCell};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TabId {
    Drafts,
    Read,
    Compare,
    Search,
    Actors,
    Comments,
}

impl TabId {
    pub const ALL: [TabId; 6] = [
        TabId::Drafts,
        TabId::Read,
        TabId::Compare,
        TabId::Search,
        TabId::Actors,
        TabId::Comments,
    ];

    pub fn title(self) -> &'static str {
        match self {
            TabId::Drafts => "Drafts",
            TabId::Read => "Read",
            TabId::Compare => "Compare",
            TabId::Search => "Search",
            TabId::Actors => "Actors",
            TabId::Comments => "Comments",
        }
    }

    fn index(self) -> usize {
        TabId::ALL.iter().position(|&t| t == self).unwrap_or(0)
    }
}

/// Which list of the Drafts view has the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DraftsFocus {
    Drafts,
    Iterations,
}

#[derive(Debug)]
pub struct DraftsState {
    pub focus: DraftsFocus,
    /// The selected iteration of the current draft (oldest first).
    pub iteration: usize,
    pub drafts_offset: Cell<usize>,
    pub iterations_offset: Cell<usize>,
}

#[derive(Debug)]
pub struct ReadState {
    pub iteration: usize,
    /// The selected paragraph (index into the document's paragraphs).
    pub paragraph: usize,
    pub agreed_view: bool,
    pub actor: Option<String>,
    /// The first line shown; kept by the view so the selection stays in sight.
    pub scroll: Cell<usize>,
    /// The layout of the last frame: for each shown paragraph, its first line.
    pub layout: RefCell<ReadLayout>,
    /// The selection jumped (next bracket, another view): show it at the top, not the bottom.
    pub jumped: Cell<bool>,
    /// How many lines the text of a paragraph taller than the view is scrolled, and which
    /// paragraph that is (draft, iteration, paragraph): another one starts at its top.
    pub within: Cell<((usize, usize, usize), usize)>,
    /// The laid-out lines, kept while what they depend on stays the same.
    pub cache: RefCell<Option<(ReadKey, Arc<LaidOut>)>>,
    /// The comment selected among the paragraph's (for reply and resolve).
    pub comment: usize,
}

/// Lines of the Read view, and the first line of each shown paragraph.
pub type LaidOut = (Vec<ratatui::text::Line<'static>>, Vec<(usize, usize)>);

/// What the Read view's layout depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadKey {
    pub draft: usize,
    pub iteration: usize,
    pub width: u16,
    pub agreed: bool,
    pub actor: Option<String>,
    pub color: bool,
}

#[derive(Debug, Default, Clone)]
pub struct ReadLayout {
    pub starts: Vec<(usize, usize)>,
    pub height: usize,
    /// All the lines laid out (the end of the last paragraph).
    pub lines: usize,
}

/// Which changes the Compare list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindFilter {
    All,
    Changes,
    Only(ChangeKind),
}

impl KindFilter {
    pub fn label(self) -> String {
        match self {
            KindFilter::All => "all paragraphs".into(),
            KindFilter::Changes => "changes".into(),
            KindFilter::Only(k) => k.as_str().to_string(),
        }
    }

    fn next(self) -> KindFilter {
        let kinds = &ChangeKind::ALL[1..];
        match self {
            KindFilter::All => KindFilter::Changes,
            KindFilter::Changes => KindFilter::Only(kinds[0]),
            KindFilter::Only(k) => match kinds.iter().position(|&x| x == k) {
                Some(i) if i + 1 < kinds.len() => KindFilter::Only(kinds[i + 1]),
                _ => KindFilter::All,
            },
        }
    }

    pub fn admits(self, c: &ParagraphChange) -> bool {
        match self {
            KindFilter::All => true,
            KindFilter::Changes => c.is_change(),
            KindFilter::Only(k) => c.kind == k,
        }
    }
}

#[derive(Debug)]
pub struct CompareState {
    pub old: usize,
    pub new: usize,
    /// The selected row of the (filtered) list.
    pub selected: usize,
    pub side_by_side: bool,
    pub kind: KindFilter,
    pub actor: Option<String>,
    pub detail_scroll: u16,
    pub list_offset: Cell<usize>,
    /// The diff of (draft, old, new), computed when both iterations are parsed.
    pub diff: Option<((usize, usize, usize), Arc<DocumentDiff>)>,
    /// The diff asked of the worker and not back yet.
    pub pending: Option<(usize, usize, usize)>,
}

/// The Search view: the query line and the latest answer.
#[derive(Debug, Default)]
pub struct SearchState {
    pub query: String,
    /// Keys go to the query line.
    pub editing: bool,
    /// Every iteration, not only each draft's newest.
    pub all: bool,
    pub selected: usize,
    /// The answer for the query and scope on screen.
    pub answer: Option<Box<super::search::Answer>>,
    /// Index state: updating, ready (with a note), or why search cannot work.
    pub ready: bool,
    pub note: Option<String>,
    pub unavailable: Option<String>,
    /// What the worker is doing, while it works.
    pub status: Option<String>,
    pub offset: Cell<usize>,
}

/// Each comment id with its paragraph in the iteration being read (none: orphaned).
pub type Places = Vec<(String, Option<String>)>;

/// What the Comments view's input line is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommentInput {
    Add,
    Reply(String),
}

/// The Comments view: the draft's comments file, where each comment stands in the iteration
/// being read, and the input line.
#[derive(Default)]
pub struct CommentsState {
    /// The store of (draft), read when the view is first shown.
    pub store: Option<(usize, crate::comments::Store)>,
    /// For each comment id, its paragraph in the iteration being read (none: orphaned), for
    /// (draft, iteration, number of comments).
    pub places: Option<((usize, usize, usize), Places)>,
    pub error: Option<String>,
    /// Every comment of the draft, not only the current paragraph's.
    pub all: bool,
    pub selected: usize,
    pub input: Option<(CommentInput, String)>,
    pub offset: Cell<usize>,
}

/// Which pane of the Actors view has the keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActorsFocus {
    Table,
    Timeline,
}

#[derive(Debug)]
pub struct ActorsState {
    pub focus: ActorsFocus,
    /// The position matrix instead of the table and timeline.
    pub matrix: bool,
    /// The selected actor (row of the summary table).
    pub selected: usize,
    /// The selected timeline entry.
    pub entry: usize,
    /// The selected matrix cell: (actor row, paragraph column).
    pub cell: (usize, usize),
    pub table_offset: Cell<usize>,
    pub entry_offset: Cell<usize>,
    pub matrix_offset: Cell<(usize, usize)>,
    /// The timeline of (draft, actor).
    pub timeline: Option<((usize, String), Arc<Timeline>)>,
    /// The matrix of (draft, iteration).
    pub matrix_data: Option<((usize, usize), Arc<Matrix>)>,
}

/// A draft's iterations to build the actor ledger of again, for the ledger worker.
pub struct LedgerRequest {
    pub draft: usize,
    /// Answers to older requests, or made before a commit rebuilt the ledger, are dropped.
    pub generation: u64,
    pub root: std::path::PathBuf,
    pub path: String,
    pub iterations: Vec<super::load::Iteration>,
}

/// Two parsed iterations to compare, for the diff worker.
pub struct DiffRequest {
    /// (draft, old iteration, new iteration).
    pub key: (usize, usize, usize),
    pub old: Arc<Document>,
    pub new: Arc<Document>,
}

/// Builds actor ledgers on its own thread, the latest request only; answers go through `send`.
pub fn spawn_ledger_worker(
    send: impl FnMut(Loaded) -> bool + Send + 'static,
) -> std::io::Result<std::sync::mpsc::Sender<LedgerRequest>> {
    spawn_latest_worker("brackets-ledger", send, |r: LedgerRequest| {
        let ledger = super::load::ledger_of(&r.root, &r.path, &r.iterations)?;
        Some(Loaded::RebuiltLedger {
            draft: r.draft,
            ledger,
            generation: r.generation,
        })
    })
}

/// Runs diffs on its own thread, the latest request first; answers go through `send`.
pub fn spawn_diff_worker(
    send: impl FnMut(Loaded) -> bool + Send + 'static,
) -> std::io::Result<std::sync::mpsc::Sender<DiffRequest>> {
    spawn_latest_worker("brackets-diff", send, |r: DiffRequest| {
        Some(Loaded::Diff {
            key: r.key,
            diff: Arc::new(crate::diff::diff(&r.old, &r.new)),
        })
    })
}

/// A thread answering requests with `work`: when several wait, only the newest is worked on
/// (the user has moved on). It stops when `send` fails or the sender is dropped.
fn spawn_latest_worker<R: Send + 'static>(
    name: &str,
    mut send: impl FnMut(Loaded) -> bool + Send + 'static,
    work: impl Fn(R) -> Option<Loaded> + Send + 'static,
) -> std::io::Result<std::sync::mpsc::Sender<R>> {
    let (tx, rx) = std::sync::mpsc::channel::<R>();
    std::thread::Builder::new()
        .name(name.into())
        .spawn(move || {
            while let Ok(mut r) = rx.recv() {
                while let Ok(newer) = rx.try_recv() {
                    r = newer;
                }
                if let Some(answer) = work(r)
                    && !send(answer)
                {
                    return;
                }
            }
        })?;
    Ok(tx)
}

/// What a mouse click at a place on screen means, recorded while drawing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    Tab(TabId),
    DraftRow(usize),
    IterationRow(usize),
    ChangeRow(usize),
    ReadLine(usize),
    ActorRow(usize),
    EntryRow(usize),
    SearchRow(usize),
}

pub struct App {
    pub tab: TabId,
    /// Tabs visited before, for Esc.
    pub back: Vec<TabId>,
    pub help: bool,
    pub quit: bool,
    pub workspace: Option<Workspace>,
    pub draft: usize,
    /// Loader progress, shown in the status bar until loading is done.
    pub progress: Option<String>,
    pub error: Option<String>,
    /// A short message for the status bar (what a key did, or why it did nothing).
    pub message: Option<String>,
    pub drafts: DraftsState,
    pub read: ReadState,
    pub compare: CompareState,
    pub actors: ActorsState,
    /// Each draft's actor ledger, when built.
    pub ledgers: Vec<Option<Arc<Ledgered>>>,
    pub search: SearchState,
    pub comments: CommentsState,
    /// Sends queries to the search worker (none until it is started).
    pub search_requests: Option<std::sync::mpsc::Sender<super::search::Job>>,
    /// A jump waiting for its draft to be loaded: (draft, iteration label, paragraph id).
    pub pending_jump: Option<(usize, String, String)>,
    /// Sends diffs to the diff worker (none: diffs run on this thread, as in tests).
    pub diff_requests: Option<std::sync::mpsc::Sender<DiffRequest>>,
    /// Sends ledgers to build again to the ledger worker (none: built on this thread, as in
    /// tests).
    pub ledger_requests: Option<std::sync::mpsc::Sender<LedgerRequest>>,
    /// The newest ledger asked for (see [`LedgerRequest::generation`]).
    pub ledger_generation: u64,
    /// Tells the loader which draft the user looks at (none when loading is synchronous).
    pub requests: Option<std::sync::mpsc::Sender<usize>>,
    pub theme: super::theme::Theme,
    pub hits: RefCell<Vec<(Rect, Hit)>>,
    /// Drafting the working tree of a draft (see `drafting`).
    pub drafting: Option<super::drafting::Session>,
    /// A modal drafting state: the editor, a selection, a prompt, a question.
    pub mode: Option<super::drafting::Mode>,
    /// Committing the next iteration.
    pub commit: Option<super::drafting::CommitForm>,
    /// The external editor to run, for the event loop.
    pub external: Option<super::drafting::ExternalEdit>,
}

impl App {
    pub fn new(theme: super::theme::Theme) -> App {
        App {
            tab: TabId::Drafts,
            back: Vec::new(),
            help: false,
            quit: false,
            workspace: None,
            draft: 0,
            progress: Some("opening…".into()),
            error: None,
            message: None,
            drafts: DraftsState {
                focus: DraftsFocus::Iterations,
                iteration: 0,
                drafts_offset: Cell::new(0),
                iterations_offset: Cell::new(0),
            },
            read: ReadState {
                iteration: 0,
                paragraph: 0,
                agreed_view: false,
                actor: None,
                scroll: Cell::new(0),
                layout: RefCell::new(ReadLayout::default()),
                cache: RefCell::new(None),
                jumped: Cell::new(false),
                within: Cell::new(((0, 0, 0), 0)),
                comment: 0,
            },
            compare: CompareState {
                old: 0,
                new: 0,
                selected: 0,
                side_by_side: false,
                kind: KindFilter::All,
                actor: None,
                detail_scroll: 0,
                list_offset: Cell::new(0),
                diff: None,
                pending: None,
            },
            actors: ActorsState {
                focus: ActorsFocus::Table,
                matrix: false,
                selected: 0,
                entry: 0,
                cell: (0, 0),
                table_offset: Cell::new(0),
                entry_offset: Cell::new(0),
                matrix_offset: Cell::new((0, 0)),
                timeline: None,
                matrix_data: None,
            },
            ledgers: Vec::new(),
            search: SearchState::default(),
            comments: CommentsState::default(),
            search_requests: None,
            pending_jump: None,
            diff_requests: None,
            ledger_requests: None,
            ledger_generation: 0,
            requests: None,
            theme,
            hits: RefCell::new(Vec::new()),
            drafting: None,
            mode: None,
            commit: None,
            external: None,
        }
    }

    /// A state with everything loaded: runs the loader on this thread (tests, benchmarks).
    pub fn loaded(start: super::load::Start, theme: super::theme::Theme) -> App {
        let mut app = App::new(theme);
        let mut messages = Vec::new();
        super::load::load(start, None, &mut |m| {
            messages.push(m);
            true
        });
        for m in messages {
            app.apply(m);
        }
        app
    }

    // ----- what the loader sends -----

    pub fn apply(&mut self, msg: Loaded) {
        self.apply_inner(msg);
        if self.tab == TabId::Comments || (self.tab == TabId::Read && self.workspace.is_some()) {
            self.ensure_comments();
        }
    }

    fn apply_inner(&mut self, msg: Loaded) {
        match msg {
            Loaded::Status(s) => self.progress = Some(s),
            Loaded::Notice(s) => self.message = Some(s),
            Loaded::Failed(e) => {
                self.progress = None;
                self.error = Some(e);
            }
            Loaded::Done => self.progress = None,
            Loaded::Diff { key, diff } => {
                if key == (self.draft, self.compare.old, self.compare.new) {
                    self.install_diff(key, diff);
                } else if self.compare.pending == Some(key) {
                    // Not wanted any more; asked again if the user comes back to it.
                    self.compare.pending = None;
                }
            }
            Loaded::SearchStatus(s) => self.search.status = Some(s),
            Loaded::SearchReady(note) => {
                self.search.ready = true;
                self.search.note = note;
                self.search.status = None;
                self.send_query();
            }
            Loaded::SearchUnavailable(why) => {
                self.search.unavailable = Some(why);
                self.search.status = None;
            }
            Loaded::Search(answer) => {
                let current = super::search::Request {
                    query: self.search.query.clone(),
                    all: self.search.all,
                };
                // An answer to an older query is dropped.
                if answer.request == current {
                    if self
                        .search
                        .answer
                        .as_ref()
                        .is_none_or(|a| a.request != current)
                    {
                        self.search.selected = 0;
                    }
                    self.search.answer = Some(answer);
                }
            }
            Loaded::RebuiltLedger {
                draft,
                ledger,
                generation,
            } => {
                if generation == self.ledger_generation {
                    self.apply_inner(Loaded::Ledger { draft, ledger });
                }
            }
            Loaded::Ledger { draft, ledger } => {
                if let Some(slot) = self.ledgers.get_mut(draft) {
                    // Built again after an edit: the same actor stays selected, and its
                    // timeline is made again from the new ledger.
                    if draft == self.draft
                        && let Some(old) = slot.as_ref()
                    {
                        let selected = old.summary.get(self.actors.selected).map(|s| &s.actor);
                        self.actors.selected = selected
                            .and_then(|a| ledger.summary.iter().position(|s| &s.actor == a))
                            .unwrap_or(0);
                        self.actors.timeline = None;
                    }
                    *slot = Some(ledger);
                }
                self.ensure_actor_data();
            }
            Loaded::History { draft, iterations } => {
                if let Some(d) = self
                    .workspace
                    .as_mut()
                    .and_then(|w| w.drafts.get_mut(draft))
                {
                    d.iterations = iterations;
                    d.loaded = true;
                }
                if draft == self.draft {
                    self.reset_draft();
                }
                self.try_pending_jump();
            }
            Loaded::Opened(w) => {
                if !w.git {
                    self.search.unavailable =
                        Some("search needs a git repository, and this draft is not in one".into());
                }
                self.draft = w.first;
                self.ledgers = vec![None; w.drafts.len()];
                self.workspace = Some(w);
                self.reset_draft();
                if self.workspace.as_ref().is_some_and(|w| w.focus.is_some()) {
                    self.tab = TabId::Read;
                }
            }
            Loaded::Parsed {
                draft,
                iteration,
                doc,
            } => {
                // The session's text is newer than what the loader read.
                if self
                    .drafting
                    .as_ref()
                    .is_some_and(|s| s.draft == draft && s.iteration == iteration)
                {
                    return;
                }
                if let Some(it) = self
                    .workspace
                    .as_mut()
                    .and_then(|w| w.drafts.get_mut(draft))
                    .and_then(|d| d.iterations.get_mut(iteration))
                {
                    it.counts = Some(Counts::of(&doc));
                    it.doc = Some(doc);
                }
                self.ensure_diff();
                self.ensure_actor_data();
                self.try_pending_jump();
            }
        }
    }

    /// Selections for a newly chosen draft: the newest iteration, compared with the one before.
    fn reset_draft(&mut self) {
        let n = self.iterations_len();
        let last = n.saturating_sub(1);
        self.drafts.iteration = last;
        self.drafts.iterations_offset.set(0);
        self.read.iteration = last;
        self.read.paragraph = 0;
        self.read.scroll.set(0);
        self.read.actor = None;
        self.compare.new = last;
        self.compare.old = last.saturating_sub(1);
        self.compare.selected = 0;
        self.compare.actor = None;
        self.compare.detail_scroll = 0;
        self.compare.diff = None;
        self.ensure_diff();
        self.actors.selected = 0;
        self.actors.entry = 0;
        self.actors.cell = (0, 0);
        self.ensure_actor_data();
    }

    pub fn ledger(&self) -> Option<&Arc<Ledgered>> {
        self.ledgers.get(self.draft)?.as_ref()
    }

    /// The timeline of the selected actor and the matrix of the iteration being read.
    fn ensure_actor_data(&mut self) {
        let actor = self
            .ledger()
            .and_then(|l| l.summary.get(self.actors.selected))
            .map(|s| s.actor.clone());
        match actor {
            Some(a) => {
                let key = (self.draft, a);
                if self.actors.timeline.as_ref().is_none_or(|(k, _)| *k != key) {
                    let t = self.ledger().map(|l| l.ledger.timeline(&key.1));
                    self.actors.timeline = t.map(|t| (key, Arc::new(t)));
                    self.actors.entry = 0;
                }
            }
            None => self.actors.timeline = None,
        }
        let key = (self.draft, self.read.iteration);
        if self
            .actors
            .matrix_data
            .as_ref()
            .is_none_or(|(k, _)| *k != key)
        {
            self.actors.matrix_data = self.doc(key.1).map(|d| {
                (
                    key,
                    Arc::new(crate::ledger::matrix(d, crate::actors::Actors::builtin())),
                )
            });
        }
    }

    // ----- what views read -----

    pub fn current_draft(&self) -> Option<&super::load::Draft> {
        self.workspace.as_ref()?.drafts.get(self.draft)
    }

    pub fn iterations_len(&self) -> usize {
        self.current_draft().map_or(0, |d| d.iterations.len())
    }

    pub fn iteration(&self, i: usize) -> Option<&super::load::Iteration> {
        self.current_draft()?.iterations.get(i)
    }

    pub fn doc(&self, i: usize) -> Option<&Arc<Document>> {
        self.iteration(i)?.doc.as_ref()
    }

    /// The paragraphs the Read view shows (all, or those where the filtered actor speaks).
    pub fn read_paragraphs(&self) -> Vec<usize> {
        let Some(doc) = self.doc(self.read.iteration) else {
            return Vec::new();
        };
        doc.paragraphs
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                self.read
                    .actor
                    .as_deref()
                    .is_none_or(|a| p.actors().any(|x| x == a))
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// Actors taking positions in a document, sorted.
    fn actors_of(doc: &Document) -> Vec<String> {
        let mut v: Vec<String> = doc
            .paragraphs
            .iter()
            .flat_map(|p| p.actors().map(str::to_string))
            .collect();
        v.sort();
        v.dedup();
        v
    }

    /// The Compare list after its filters: indices into the diff's changes.
    pub fn compare_rows(&self) -> Vec<usize> {
        let Some((_, diff)) = &self.compare.diff else {
            return Vec::new();
        };
        diff.changes
            .iter()
            .enumerate()
            .filter(|(_, c)| self.compare.kind.admits(c))
            .filter(|(_, c)| {
                self.compare
                    .actor
                    .as_deref()
                    .is_none_or(|a| change_actors(c).iter().any(|x| x == a))
            })
            .map(|(i, _)| i)
            .collect()
    }

    pub fn selected_change(&self) -> Option<&ParagraphChange> {
        let rows = self.compare_rows();
        let i = *rows.get(self.compare.selected)?;
        self.compare.diff.as_ref()?.1.changes.get(i)
    }

    pub(crate) fn ensure_diff(&mut self) {
        let key = (self.draft, self.compare.old, self.compare.new);
        if self.compare.diff.as_ref().is_some_and(|(k, _)| *k == key) {
            return;
        }
        let (Some(old), Some(new)) = (self.doc(key.1).cloned(), self.doc(key.2).cloned()) else {
            self.compare.diff = None;
            return;
        };
        match &self.diff_requests {
            // On the diff worker: the frame never waits for a slow diff.
            Some(tx) => {
                self.compare.diff = None;
                if self.compare.pending != Some(key) {
                    self.compare.pending = Some(key);
                    let _ = tx.send(DiffRequest { key, old, new });
                }
            }
            None => {
                let d = crate::diff::diff(&old, &new);
                self.install_diff(key, Arc::new(d));
            }
        }
    }

    fn install_diff(&mut self, key: (usize, usize, usize), d: Arc<DocumentDiff>) {
        self.compare.pending = None;
        self.compare.diff = Some((key, d));
        self.compare.detail_scroll = 0;
        // Start on the first change: that is what the reader came for.
        let rows = self.compare_rows();
        let diff = self.compare.diff.as_ref().map(|(_, d)| d.clone());
        self.compare.selected = diff
            .and_then(|d| rows.iter().position(|&r| d.changes[r].is_change()))
            .unwrap_or(0);
    }

    // ----- input -----

    pub fn handle_event(&mut self, ev: &Event) {
        self.handle_event_inner(ev);
        if self.tab == TabId::Comments || (self.tab == TabId::Read && self.workspace.is_some()) {
            self.ensure_comments();
        }
    }

    fn handle_event_inner(&mut self, ev: &Event) {
        match ev {
            Event::Key(k) if k.kind != KeyEventKind::Release => self.handle_key(*k),
            // The mouse would move the view under the editor, a selection or a prompt.
            Event::Mouse(_) if self.mode.is_some() => {}
            Event::Mouse(m) => match m.kind {
                // In Read, the wheel goes through the text of a paragraph taller than the
                // view before it moves to the next one.
                MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                    let down = m.kind == MouseEventKind::ScrollDown;
                    // Its last lines are shown before the next paragraph is selected.
                    let mut within = false;
                    for _ in 0..3 {
                        if self.wheel_within(down) {
                            within = true;
                        } else if !within {
                            self.act(if down { Action::Down } else { Action::Up });
                        }
                    }
                }
                MouseEventKind::Down(MouseButton::Left) => self.click(m.column, m.row),
                _ => {}
            },
            _ => {}
        }
    }

    pub fn handle_key(&mut self, key: KeyEvent) {
        self.message = None;
        // F1 shows the keys of the editor, the selection or the prompt (where `?` is typed).
        if !self.help && self.mode.is_some() && key.code == crossterm::event::KeyCode::F(1) {
            self.help = true;
            return;
        }
        if !self.help && self.drafting_key(key) {
            return;
        }
        if self.tab == TabId::Compare && !self.help && self.commit_key(key) {
            return;
        }
        if self.tab == TabId::Search && self.search.editing && !self.help {
            self.edit_query(key);
            return;
        }
        if self.tab == TabId::Comments && self.comments.input.is_some() && !self.help {
            self.edit_comment(key);
            return;
        }
        if let Some(action) = keys::lookup(self.tab, &key) {
            self.act(action);
        }
    }

    fn click(&mut self, x: u16, y: u16) {
        let hit = self
            .hits
            .borrow()
            .iter()
            .rev()
            .find(|(r, _)| x >= r.x && x < r.right() && y >= r.y && y < r.bottom())
            .map(|(r, h)| (*r, *h));
        let Some((rect, hit)) = hit else {
            return;
        };
        let row = usize::from(y - rect.y);
        self.help = false;
        match hit {
            Hit::Tab(t) => self.go(t),
            Hit::DraftRow(offset) => {
                self.drafts.focus = DraftsFocus::Drafts;
                self.select_draft(offset + row);
            }
            Hit::IterationRow(offset) => {
                self.drafts.focus = DraftsFocus::Iterations;
                let n = self.iterations_len();
                if offset + row < n {
                    self.drafts.iteration = offset + row;
                }
            }
            Hit::ChangeRow(offset) => {
                if offset + row < self.compare_rows().len() {
                    self.compare.selected = offset + row;
                    self.compare.detail_scroll = 0;
                }
            }
            Hit::ActorRow(offset) => {
                let n = self.ledger().map_or(0, |l| l.summary.len());
                if offset + row < n {
                    self.actors.focus = ActorsFocus::Table;
                    self.actors.selected = offset + row;
                    self.ensure_actor_data();
                }
            }
            Hit::EntryRow(offset) => {
                // Two lines per entry.
                let n = self
                    .actors
                    .timeline
                    .as_ref()
                    .map_or(0, |(_, t)| t.entries.len());
                if offset + row / 2 < n {
                    self.actors.focus = ActorsFocus::Timeline;
                    self.actors.entry = offset + row / 2;
                }
            }
            Hit::SearchRow(offset) => {
                // Two lines per hit.
                let n = self
                    .search
                    .answer
                    .as_ref()
                    .map_or(0, |a| a.results.hits.len());
                if offset + row / 2 < n {
                    self.search.selected = offset + row / 2;
                }
            }
            Hit::ReadLine(scroll) => {
                let line = scroll + row;
                let layout = self.read.layout.borrow();
                if let Some(&(p, _)) = layout.starts.iter().rev().find(|(_, s)| *s <= line) {
                    drop(layout);
                    self.read.paragraph = p;
                }
            }
        }
    }

    fn go(&mut self, tab: TabId) {
        if tab == TabId::Compare {
            // An edit may have made the diff on screen stale.
            self.ensure_diff();
        }
        if tab != self.tab {
            self.back.push(self.tab);
            if self.back.len() > 50 {
                self.back.remove(0);
            }
            self.tab = tab;
        }
    }

    fn select_draft(&mut self, d: usize) {
        let n = self.workspace.as_ref().map_or(0, |w| w.drafts.len());
        if d < n && d != self.draft {
            self.draft = d;
            self.reset_draft();
            if let Some(r) = &self.requests {
                let _ = r.send(d);
            }
        }
    }

    /// A key while typing the query: editing keys from the keymap, other characters typed.
    fn edit_query(&mut self, key: KeyEvent) {
        if let Some(action) = keys::lookup_in(keys::SEARCH_EDITING, &key) {
            match action {
                Action::DeleteChar => {
                    self.search.query.pop();
                    self.send_query();
                }
                Action::ClearQuery => {
                    self.search.query.clear();
                    self.send_query();
                }
                Action::Back => self.search.editing = false,
                other => self.act(other),
            }
            return;
        }
        if let crossterm::event::KeyCode::Char(c) = key.code
            && !key.modifiers.intersects(
                crossterm::event::KeyModifiers::CONTROL | crossterm::event::KeyModifiers::ALT,
            )
            && !c.is_control()
        {
            self.search.query.push(c);
            self.send_query();
        }
    }

    /// Asks the worker for the query on screen.
    fn send_query(&mut self) {
        if let Some(tx) = &self.search_requests
            && self.search.ready
        {
            let _ = tx.send(super::search::Job::Search(super::search::Request {
                query: self.search.query.clone(),
                all: self.search.all,
            }));
        }
    }

    /// Asks the search worker to index what is new in the history (a commit made here, a
    /// reload); the query on screen runs again once it is done. Before the worker starts
    /// there is nothing to ask: its first update reads everything.
    pub(crate) fn update_search_index(&mut self) {
        if let Some(tx) = &self.search_requests {
            let _ = tx.send(super::search::Job::Update);
        }
    }

    fn act_search(&mut self, action: Action) {
        let n = self
            .search
            .answer
            .as_ref()
            .map_or(0, |a| a.results.hits.len());
        match action {
            Action::EditQuery => self.search.editing = true,
            Action::ToggleAll => {
                self.search.all = !self.search.all;
                self.send_query();
            }
            Action::Enter => {
                let Some(hit) = self
                    .search
                    .answer
                    .as_ref()
                    .and_then(|a| a.results.hits.get(self.search.selected))
                    .cloned()
                else {
                    return;
                };
                let Some(d) = self
                    .workspace
                    .as_ref()
                    .and_then(|w| w.drafts.iter().position(|d| d.path == hit.draft))
                else {
                    self.message = Some("that draft is no longer in the repository".into());
                    return;
                };
                self.search.editing = false;
                self.select_draft(d);
                self.pending_jump = Some((d, hit.revision.clone(), hit.paragraph.clone()));
                self.try_pending_jump();
                if self.pending_jump.is_some() {
                    self.message = Some("loading the draft…".into());
                }
            }
            _ => {
                if let Some(i) = moved(self.search.selected, n, action, 5) {
                    self.search.selected = i;
                }
            }
        }
    }

    /// Reads the paragraph a search hit (or another jump) names, once its draft is loaded.
    fn try_pending_jump(&mut self) {
        let Some((d, label, id)) = self.pending_jump.clone() else {
            return;
        };
        if d != self.draft {
            self.pending_jump = None;
            return;
        }
        let Some(draft) = self.current_draft() else {
            return;
        };
        if !draft.loaded {
            return;
        }
        let i = draft
            .iterations
            .iter()
            .rposition(|it| it.label == label || it.short == label || it.commit == label)
            .unwrap_or(draft.iterations.len().saturating_sub(1));
        if self.doc(i).is_none() {
            return;
        }
        self.pending_jump = None;
        self.read_paragraph(i, &id);
    }

    /// Reads the draft's comments file and places each comment in the iteration being read.
    pub fn ensure_comments(&mut self) {
        let Some(w) = &self.workspace else { return };
        if !w.git {
            self.comments.error =
                Some("comments need a git repository, and this draft is not in one".into());
            return;
        }
        let root = w.root.clone();
        let Some(path) = self.current_draft().map(|d| d.path.clone()) else {
            return;
        };
        if self
            .comments
            .store
            .as_ref()
            .is_none_or(|(d, _)| *d != self.draft)
        {
            match crate::comments::Store::open(&root, &path) {
                Ok(store) => {
                    self.comments.store = Some((self.draft, store));
                    self.comments.error = None;
                    self.comments.selected = 0;
                }
                Err(e) => {
                    self.comments.store = None;
                    self.comments.error = Some(e.to_string());
                    return;
                }
            }
        }
        let Some((_, store)) = &self.comments.store else {
            return;
        };
        let key = (self.draft, self.read.iteration, store.comments().len());
        if self
            .comments
            .places
            .as_ref()
            .is_some_and(|(k, _)| *k == key)
        {
            return;
        }
        let Some(doc) = self.doc(self.read.iteration).cloned() else {
            return;
        };
        let places = match crate::repo::Repo::open(&root) {
            Ok(repo) => crate::comments::anchor(&repo, &path, &doc, store.comments())
                .into_iter()
                .map(|a| {
                    (
                        a.comment.id.clone(),
                        a.place.paragraph().map(str::to_string),
                    )
                })
                .collect(),
            Err(_) => Vec::new(),
        };
        self.comments.places = Some((key, places));
    }

    /// The paragraph being read, as (id, index).
    pub fn current_paragraph(&self) -> Option<(String, usize)> {
        let doc = self.doc(self.read.iteration)?;
        let p = doc.paragraphs.get(self.read.paragraph)?;
        Some((p.id.clone(), self.read.paragraph))
    }

    /// The comments the view lists: the current paragraph's, or all; as indices into the store.
    pub fn comment_rows(&self) -> Vec<usize> {
        let Some((_, store)) = &self.comments.store else {
            return Vec::new();
        };
        let here = self.current_paragraph().map(|(id, _)| id);
        let place = |id: &str| -> Option<&str> {
            self.comments
                .places
                .as_ref()?
                .1
                .iter()
                .find(|(c, _)| c == id)?
                .1
                .as_deref()
        };
        store
            .comments()
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                self.comments.all || place(&c.id).is_some_and(|p| Some(p) == here.as_deref())
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// Who writes: git's user.name, else $USER.
    /// True (and says so) when the workspace is the bundled example, where nothing is written.
    pub(crate) fn refuse_in_example(&mut self) -> bool {
        let example = self.workspace.as_ref().is_some_and(|w| w.example);
        if example {
            self.message = Some(super::drafting::EXAMPLE_READ_ONLY.into());
        }
        example
    }

    /// Resolves an open comment (as the git author), reopens a resolved one, and saves.
    pub(crate) fn resolve_or_reopen_comment(&mut self, id: &str, status: crate::comments::Status) {
        if self.refuse_in_example() {
            return;
        }
        let by = self.author();
        let Some((_, store)) = self.comments.store.as_mut() else {
            return;
        };
        let done = if status == crate::comments::Status::Open {
            store.resolve(id, &by).map(|_| "resolved")
        } else {
            store.reopen(id).map(|_| "reopened")
        };
        self.message = Some(match done.and_then(|w| store.save().map(|_| w)) {
            Ok(w) => format!("comment {id} {w}"),
            Err(e) => e.to_string(),
        });
    }

    pub(crate) fn author(&self) -> String {
        self.workspace
            .as_ref()
            .and_then(|w| git2::Repository::open(&w.root).ok())
            .and_then(|r| r.config().ok()?.get_string("user.name").ok())
            .filter(|n| !n.trim().is_empty())
            .or_else(|| std::env::var("USER").ok().filter(|u| !u.is_empty()))
            .unwrap_or_else(|| "unknown".into())
    }

    fn act_comments(&mut self, action: Action) {
        let rows = self.comment_rows();
        let selected_id = rows
            .get(self.comments.selected)
            .and_then(|&i| self.comments.store.as_ref()?.1.comments().get(i))
            .map(|c| (c.id.clone(), c.status, c.paragraph.clone()));
        if matches!(
            action,
            Action::AddComment | Action::ReplyComment | Action::ResolveComment
        ) && self.refuse_in_example()
        {
            return;
        }
        match action {
            Action::AddComment => {
                if self.comments.store.is_none() {
                    return;
                }
                if self.current_paragraph().is_none() {
                    self.message = Some("no paragraph to comment on: pick one in Read".into());
                    return;
                }
                self.comments.input = Some((CommentInput::Add, String::new()));
            }
            Action::ReplyComment => match selected_id {
                Some((id, _, _)) => {
                    self.comments.input = Some((CommentInput::Reply(id), String::new()))
                }
                None => self.message = Some("no comment selected".into()),
            },
            Action::ResolveComment => {
                let Some((id, status, _)) = selected_id else {
                    return;
                };
                self.resolve_or_reopen_comment(&id, status);
            }
            Action::ToggleAll => {
                self.comments.all = !self.comments.all;
                self.comments.selected = 0;
            }
            Action::Enter => {
                let Some((id, _, _)) = selected_id else {
                    return;
                };
                let para = self
                    .comments
                    .places
                    .as_ref()
                    .and_then(|(_, p)| p.iter().find(|(c, _)| *c == id))
                    .and_then(|(_, p)| p.clone());
                match para {
                    Some(p) => self.read_paragraph(self.read.iteration, &p),
                    None => self.message = Some("its paragraph is gone from this iteration".into()),
                }
            }
            _ => {
                if let Some(i) = moved(self.comments.selected, rows.len(), action, 5) {
                    self.comments.selected = i;
                }
            }
        }
    }

    /// A key while writing a comment or a reply.
    fn edit_comment(&mut self, key: KeyEvent) {
        if let Some(action) = keys::lookup_in(keys::COMMENT_EDITING, &key) {
            match action {
                Action::DeleteChar => {
                    if let Some((_, t)) = &mut self.comments.input {
                        t.pop();
                    }
                }
                Action::Back => self.comments.input = None,
                Action::Quit => self.request_quit(),
                Action::Enter => self.save_comment(),
                _ => {}
            }
            return;
        }
        if let crossterm::event::KeyCode::Char(c) = key.code
            && !key.modifiers.intersects(
                crossterm::event::KeyModifiers::CONTROL | crossterm::event::KeyModifiers::ALT,
            )
            && !c.is_control()
            && let Some((_, t)) = &mut self.comments.input
        {
            t.push(c);
        }
    }

    pub(crate) fn save_comment(&mut self) {
        // What was written stays in the input, as when a save fails.
        if self.refuse_in_example() {
            return;
        }
        let Some((what, text)) = self.comments.input.take() else {
            return;
        };
        if text.trim().is_empty() {
            self.message = Some("an empty comment is not saved".into());
            return;
        }
        let author = self.author();
        let new = match &what {
            CommentInput::Add => {
                let (Some(doc), Some(it)) = (
                    self.doc(self.read.iteration).cloned(),
                    self.iteration(self.read.iteration),
                ) else {
                    return;
                };
                // On the working tree, the comment is made on the iteration it changes (as
                // `brackets comment add` does): `WORKTREE` would name no commit once committed.
                let commit = if it.commit == "WORKTREE" {
                    let base = self.current_draft().and_then(|d| {
                        d.iterations
                            .iter()
                            .rev()
                            .find(|i| i.commit != "WORKTREE" && !i.commit.is_empty())
                    });
                    match base {
                        Some(b) => b.commit.clone(),
                        None => {
                            self.message = Some(
                                "this draft has no committed iteration yet: commit it first, then comment"
                                    .into(),
                            );
                            // Keep what was written.
                            self.comments.input = Some((what, text));
                            return;
                        }
                    }
                } else {
                    it.commit.clone()
                };
                let Some(p) = doc.paragraphs.get(self.read.paragraph) else {
                    return;
                };
                Some(crate::comments::NewComment {
                    author: author.clone(),
                    actor: None,
                    iteration: commit,
                    paragraph: p.id.clone(),
                    fingerprint: crate::comments::fingerprint(&doc, p),
                    excerpt: p.plain_text(&doc.source).chars().take(100).collect(),
                    text: text.clone(),
                })
            }
            CommentInput::Reply(_) => None,
        };
        let Some((_, store)) = self.comments.store.as_mut() else {
            return;
        };
        let result = match (&what, new) {
            (CommentInput::Add, Some(new)) => {
                let id = store.add(new).id.clone();
                store.save().map(|_| format!("comment {id} added"))
            }
            (CommentInput::Reply(id), _) => store
                .reply(id, &author, &text)
                .map(|_| ())
                .and_then(|_| store.save())
                .map(|_| format!("replied to {id}")),
            _ => return,
        };
        match result {
            Ok(m) => self.message = Some(m),
            Err(e) => {
                self.message = Some(e.to_string());
                // Keep what was written.
                self.comments.input = Some((what, text));
            }
        }
        self.comments.places = None;
        self.ensure_comments();
    }

    /// Applies one action to the state.
    pub fn act(&mut self, action: Action) {
        if self.help {
            match action {
                Action::Help | Action::Back | Action::Quit => self.help = false,
                _ => {}
            }
            return;
        }
        match action {
            Action::Quit => self.request_quit(),
            Action::Help => self.help = true,
            Action::Back => self.back_out(),
            Action::NextTab => self.go(TabId::ALL[(self.tab.index() + 1) % TabId::ALL.len()]),
            Action::PrevTab => {
                let n = TabId::ALL.len();
                self.go(TabId::ALL[(self.tab.index() + n - 1) % n]);
            }
            Action::Tab(t) => {
                if t == TabId::Search {
                    self.search.editing = true;
                }
                self.go(t)
            }
            _ => {
                match self.tab {
                    TabId::Drafts => self.act_drafts(action),
                    TabId::Read => self.act_read(action),
                    TabId::Compare => self.act_compare(action),
                    TabId::Actors => self.act_actors(action),
                    TabId::Search => self.act_search(action),
                    TabId::Comments => self.act_comments(action),
                }
                self.ensure_actor_data();
            }
        }
    }

    fn back_out(&mut self) {
        match self.tab {
            TabId::Read if self.read.actor.is_some() => self.read.actor = None,
            TabId::Compare
                if self.compare.actor.is_some() || self.compare.kind != KindFilter::All =>
            {
                self.compare.actor = None;
                self.compare.kind = KindFilter::All;
                self.compare.selected = 0;
            }
            _ => match self.back.pop() {
                Some(t) => self.tab = t,
                None => self.request_quit(),
            },
        }
    }

    fn act_drafts(&mut self, action: Action) {
        let drafts = self.workspace.as_ref().map_or(0, |w| w.drafts.len());
        let n = self.iterations_len();
        match (self.drafts.focus, action) {
            (_, Action::Left) => self.drafts.focus = DraftsFocus::Drafts,
            (_, Action::Right) => self.drafts.focus = DraftsFocus::Iterations,
            // As the help says: Enter reads the selected iteration, from either list.
            (_, Action::Enter) => {
                if n > 0 {
                    self.open_read(self.drafts.iteration);
                }
            }
            (DraftsFocus::Drafts, _) => {
                if let Some(d) = moved(self.draft, drafts, action, 5) {
                    self.select_draft(d);
                }
            }
            (DraftsFocus::Iterations, Action::Compare) => self.open_compare(self.drafts.iteration),
            (DraftsFocus::Iterations, _) => {
                if let Some(i) = moved(self.drafts.iteration, n, action, 5) {
                    self.drafts.iteration = i;
                }
            }
        }
    }

    fn open_read(&mut self, iteration: usize) {
        if self.read.iteration != iteration {
            self.read.iteration = iteration;
            self.read.paragraph = 0;
            self.read.scroll.set(0);
        }
        self.go(TabId::Read);
    }

    fn open_compare(&mut self, iteration: usize) {
        if iteration == 0 {
            self.message = Some("the first iteration has nothing before it".into());
            return;
        }
        self.compare.new = iteration;
        self.compare.old = iteration - 1;
        self.ensure_diff();
        self.go(TabId::Compare);
    }

    fn wheel_within(&mut self, down: bool) -> bool {
        self.tab == TabId::Read && !self.help && self.scroll_within(down, 1)
    }

    /// Scrolls the text of the paragraph selected in Read by `lines` when it is taller than
    /// the view (as laid out in the last frame); false when there is no more of it that way.
    pub(crate) fn scroll_within(&mut self, down: bool, lines: usize) -> bool {
        let (start, end, height) = {
            let layout = self.read.layout.borrow();
            let Some(i) = layout
                .starts
                .iter()
                .position(|(p, _)| *p == self.read.paragraph)
            else {
                return false;
            };
            let start = layout.starts[i].1;
            let end = layout.starts.get(i + 1).map_or(layout.lines, |&(_, e)| e);
            (start, end, layout.height)
        };
        // The view starts a line above the paragraph, as when it is selected; at most its
        // last line at the bottom.
        let most = end
            .saturating_sub(height)
            .saturating_sub(start.saturating_sub(1));
        let here = (self.draft, self.read.iteration, self.read.paragraph);
        let now = match self.read.within.get() {
            (k, n) if k == here => n.min(most),
            _ => 0,
        };
        let to = if down {
            (now + lines).min(most)
        } else {
            now.saturating_sub(lines)
        };
        self.read.within.set((here, to));
        to != now
    }

    fn act_read(&mut self, action: Action) {
        let shown = self.read_paragraphs();
        let at = shown
            .iter()
            .position(|&p| p >= self.read.paragraph)
            .unwrap_or(0);
        let n = self.iterations_len();
        match action {
            Action::Edit
            | Action::ExternalEdit
            | Action::Select
            | Action::AddPosition
            | Action::Accept
            | Action::Drop
            | Action::Note
            | Action::InsertBis
            | Action::InsertAlternative
            | Action::Stamp
            | Action::Undo
            | Action::Redo
            | Action::Save
            | Action::Commit => self.act_drafting(action),
            Action::ReloadHistory => self.reload_history(),
            Action::AddComment
            | Action::NextComment
            | Action::ReplyComment
            | Action::ResolveComment => self.act_read_comments(action),
            Action::ToggleAgreed => self.read.agreed_view = !self.read.agreed_view,
            Action::Older | Action::Newer => {
                let i = self.read.iteration;
                let to = if action == Action::Older {
                    i.checked_sub(1)
                } else {
                    (i + 1 < n).then_some(i + 1)
                };
                match to {
                    Some(to) => self.switch_read_iteration(to),
                    None => {
                        self.message = Some(if action == Action::Older {
                            "this is the first iteration".into()
                        } else {
                            "this is the newest iteration".into()
                        })
                    }
                }
            }
            Action::Compare => self.open_compare(self.read.iteration),
            Action::NextBracket | Action::PrevBracket => {
                let Some(doc) = self.doc(self.read.iteration).cloned() else {
                    return;
                };
                let open = |p: usize| {
                    let para = &doc.paragraphs[p];
                    !para.brackets.is_empty()
                        || !para.orphan_closes.is_empty()
                        || doc.is_inside_spanning(p)
                };
                let found = if action == Action::NextBracket {
                    shown.iter().skip(at + 1).copied().find(|&p| open(p))
                } else {
                    shown.iter().take(at).rev().copied().find(|&p| open(p))
                };
                match found {
                    Some(p) => {
                        self.read.paragraph = p;
                        self.read.jumped.set(true);
                    }
                    None => self.message = Some("no more open brackets that way".into()),
                }
            }
            Action::NextActor | Action::PrevActor => {
                let Some(doc) = self.doc(self.read.iteration) else {
                    return;
                };
                let actors = App::actors_of(doc);
                self.read.actor = cycle(&actors, self.read.actor.as_deref(), action);
                self.snap_read_selection();
            }
            Action::ClearFilters => self.read.actor = None,
            Action::PageDown | Action::PageUp => {
                let page = self.read.layout.borrow().height.max(1);
                // A paragraph taller than the view is read a page at a time (one line of the
                // page before stays) before moving on.
                if self.scroll_within(action == Action::PageDown, page.saturating_sub(1).max(1)) {
                    return;
                }
                let layout = self.read.layout.borrow().clone();
                let scroll = self.read.scroll.get();
                let target = if action == Action::PageDown {
                    scroll + page
                } else {
                    scroll.saturating_sub(page)
                };
                let p = if action == Action::PageDown {
                    layout.starts.iter().find(|(_, s)| *s >= target)
                } else {
                    layout.starts.iter().rev().find(|(_, s)| *s <= target)
                };
                match p {
                    Some(&(p, _)) => self.read.paragraph = p,
                    None => {
                        if let Some(i) = moved(at, shown.len(), action, 10) {
                            self.read.paragraph = shown[i];
                        }
                    }
                }
            }
            _ => {
                if let Some(i) = moved(at, shown.len(), action, 10) {
                    self.read.paragraph = shown[i];
                }
            }
        }
    }

    /// Reads another iteration, staying on the paragraph with the same id when there is one.
    fn switch_read_iteration(&mut self, to: usize) {
        let id = self
            .doc(self.read.iteration)
            .and_then(|d| d.paragraphs.get(self.read.paragraph))
            .map(|p| p.id.clone());
        self.read.iteration = to;
        self.read.paragraph = id
            .and_then(|id| {
                self.doc(to)
                    .and_then(|d| d.paragraphs.iter().position(|p| p.id == id))
            })
            .unwrap_or(0);
        self.snap_read_selection();
    }

    /// Keeps the selection on a shown paragraph after a filter change.
    fn snap_read_selection(&mut self) {
        let shown = self.read_paragraphs();
        if !shown.contains(&self.read.paragraph) {
            self.read.paragraph = shown
                .iter()
                .copied()
                .find(|&p| p >= self.read.paragraph)
                .or_else(|| shown.last().copied())
                .unwrap_or(0);
        }
    }

    fn act_compare(&mut self, action: Action) {
        let rows = self.compare_rows();
        let n = self.iterations_len();
        match action {
            Action::NextChange | Action::PrevChange => {
                let Some((_, diff)) = &self.compare.diff else {
                    return;
                };
                let is_change = |r: usize| diff.changes[rows[r]].is_change();
                let at = self.compare.selected;
                let found = if action == Action::NextChange {
                    (at + 1..rows.len()).find(|&r| is_change(r))
                } else {
                    (0..at.min(rows.len())).rev().find(|&r| is_change(r))
                };
                match found {
                    Some(r) => {
                        self.compare.selected = r;
                        self.compare.detail_scroll = 0;
                    }
                    None => self.message = Some("no more changes that way".into()),
                }
            }
            Action::ToggleSideBySide => self.compare.side_by_side = !self.compare.side_by_side,
            Action::CycleKind => {
                self.compare.kind = self.compare.kind.next();
                self.compare.selected = 0;
            }
            Action::NextActor | Action::PrevActor => {
                let actors = self.compare_actors();
                self.compare.actor = cycle(&actors, self.compare.actor.as_deref(), action);
                self.compare.selected = 0;
            }
            Action::ClearFilters => {
                self.compare.actor = None;
                self.compare.kind = KindFilter::All;
                self.compare.selected = 0;
            }
            Action::Older => {
                if self.compare.old > 0 {
                    self.compare.old -= 1;
                    self.compare.new = self.compare.new.saturating_sub(1).max(self.compare.old + 1);
                    self.ensure_diff();
                } else {
                    self.message = Some("already at the first iteration".into());
                }
            }
            Action::Newer => {
                if self.compare.new + 1 < n {
                    self.compare.new += 1;
                    self.compare.old = (self.compare.old + 1).min(self.compare.new - 1);
                    self.ensure_diff();
                } else {
                    self.message = Some("already at the newest iteration".into());
                }
            }
            Action::OldOlder => {
                if self.compare.old > 0 {
                    self.compare.old -= 1;
                    self.ensure_diff();
                }
            }
            Action::OldNewer => {
                if self.compare.old + 1 < self.compare.new {
                    self.compare.old += 1;
                    self.ensure_diff();
                }
            }
            Action::DetailDown => {
                self.compare.detail_scroll = self.compare.detail_scroll.saturating_add(3)
            }
            Action::DetailUp => {
                self.compare.detail_scroll = self.compare.detail_scroll.saturating_sub(3)
            }
            Action::Enter => {
                let Some(c) = self.selected_change() else {
                    return;
                };
                let (iteration, index) = match c.new_index.first() {
                    Some(&j) => (self.compare.new, j),
                    None => (self.compare.old, c.old_index.first().copied().unwrap_or(0)),
                };
                self.open_read(iteration);
                self.read.actor = None;
                self.read.paragraph = index;
                self.read.jumped.set(true);
            }
            _ => {
                if let Some(i) = moved(self.compare.selected, rows.len(), action, 10) {
                    self.compare.selected = i;
                    self.compare.detail_scroll = 0;
                }
            }
        }
    }

    fn act_actors(&mut self, action: Action) {
        let Some(l) = self.ledger().cloned() else {
            return;
        };
        if action == Action::FilterRead {
            let actor = if self.actors.matrix {
                self.actors
                    .matrix_data
                    .as_ref()
                    .and_then(|(_, m)| m.rows.get(self.actors.cell.0))
                    .map(|r| r.actor.clone())
            } else {
                l.summary.get(self.actors.selected).map(|a| a.actor.clone())
            };
            if let Some(a) = actor {
                self.go(TabId::Read);
                // The iteration being read, or the newest one where the actor speaks.
                let speaks = |d: &Document| d.paragraphs.iter().any(|p| p.actors().any(|x| x == a));
                if !self.doc(self.read.iteration).is_some_and(|d| speaks(d))
                    && let Some(i) = (0..self.iterations_len())
                        .rev()
                        .find(|&i| self.doc(i).is_some_and(|d| speaks(d)))
                {
                    self.switch_read_iteration(i);
                }
                self.read.actor = Some(a);
                self.snap_read_selection();
                self.read.jumped.set(true);
            }
            return;
        }
        if action == Action::ToggleMatrix {
            self.actors.matrix = !self.actors.matrix;
            self.ensure_actor_data();
            return;
        }
        if matches!(action, Action::Older | Action::Newer) {
            let n = self.iterations_len();
            let i = self.read.iteration;
            let to = if action == Action::Older {
                i.checked_sub(1)
            } else {
                (i + 1 < n).then_some(i + 1)
            };
            if let Some(to) = to {
                self.switch_read_iteration(to);
                self.ensure_actor_data();
            }
            return;
        }
        if self.actors.matrix {
            let Some((_, m)) = self.actors.matrix_data.clone() else {
                return;
            };
            let (r, c) = self.actors.cell;
            match action {
                Action::Left => self.actors.cell.1 = c.saturating_sub(1),
                Action::Right => {
                    self.actors.cell.1 = (c + 1).min(m.paragraphs.len().saturating_sub(1))
                }
                Action::Enter => {
                    if let Some(id) = m.paragraphs.get(c) {
                        let id = id.clone();
                        self.read_paragraph(self.read.iteration, &id);
                    }
                }
                _ => {
                    if let Some(i) = moved(r, m.rows.len(), action, 10) {
                        self.actors.cell.0 = i;
                    }
                }
            }
            return;
        }
        match (self.actors.focus, action) {
            (_, Action::Left) => self.actors.focus = ActorsFocus::Table,
            (_, Action::Right) | (ActorsFocus::Table, Action::Enter) => {
                self.actors.focus = ActorsFocus::Timeline
            }
            (ActorsFocus::Table, _) => {
                if let Some(i) = moved(self.actors.selected, l.summary.len(), action, 10) {
                    self.actors.selected = i;
                    self.ensure_actor_data();
                }
            }
            (ActorsFocus::Timeline, Action::Enter) => {
                let Some((_, t)) = self.actors.timeline.clone() else {
                    return;
                };
                if let Some(e) = t.entries.get(self.actors.entry) {
                    self.read_paragraph(e.last, &e.paragraph);
                }
            }
            (ActorsFocus::Timeline, _) => {
                let n = self
                    .actors
                    .timeline
                    .as_ref()
                    .map_or(0, |(_, t)| t.entries.len());
                if let Some(i) = moved(self.actors.entry, n, action, 10) {
                    self.actors.entry = i;
                }
            }
        }
    }

    /// Opens Read at an iteration on the paragraph with this id (the first when it is gone).
    pub fn read_paragraph(&mut self, iteration: usize, id: &str) {
        let iteration = iteration.min(self.iterations_len().saturating_sub(1));
        self.open_read(iteration);
        self.read.actor = None;
        self.read.paragraph = self
            .doc(iteration)
            .and_then(|d| d.paragraphs.iter().position(|p| p.id == id))
            .unwrap_or(0);
        self.read.jumped.set(true);
    }

    fn compare_actors(&self) -> Vec<String> {
        let Some((_, diff)) = &self.compare.diff else {
            return Vec::new();
        };
        let mut v: Vec<String> = diff.changes.iter().flat_map(change_actors).collect();
        v.sort();
        v.dedup();
        v
    }
}

/// Actors a change concerns: proposers of its brackets and actors named by bracket changes.
pub fn change_actors(c: &ParagraphChange) -> Vec<String> {
    let mut v: Vec<String> = c.actors.clone();
    for b in &c.brackets {
        v.extend(b.actors().map(str::to_string));
    }
    v.sort();
    v.dedup();
    v
}

/// The next (or previous) value of a cycling filter; past the end, no filter.
fn cycle(values: &[String], current: Option<&str>, action: Action) -> Option<String> {
    if values.is_empty() {
        return None;
    }
    let pos = current.and_then(|c| values.iter().position(|v| v == c));
    let next = match (action, pos) {
        (Action::PrevActor, None) => Some(values.len() - 1),
        (Action::PrevActor, Some(0)) => None,
        (Action::PrevActor, Some(i)) => Some(i - 1),
        (_, None) => Some(0),
        (_, Some(i)) if i + 1 < values.len() => Some(i + 1),
        _ => None,
    };
    next.map(|i| values[i].clone())
}

/// A cursor moved in a list of `len` rows, or `None` when the action is not a move.
fn moved(at: usize, len: usize, action: Action, page: usize) -> Option<usize> {
    if len == 0 {
        return None;
    }
    let last = len - 1;
    Some(match action {
        Action::Down => (at + 1).min(last),
        Action::Up => at.saturating_sub(1),
        Action::PageDown => (at + page).min(last),
        Action::PageUp => at.saturating_sub(page),
        Action::Top => 0,
        Action::Bottom => last,
        _ => return None,
    })
}

/// The first row to show so that `selected` is in sight, moving as little as possible.
pub fn scrolled(offset: usize, selected: usize, len: usize, height: usize) -> usize {
    if height == 0 {
        return 0;
    }
    let mut off = offset.min(len.saturating_sub(height));
    if selected < off {
        off = selected;
    } else if selected >= off + height {
        off = selected + 1 - height;
    }
    off
}
