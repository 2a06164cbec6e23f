//! Background loading: find the repository (or the bundled example), list its drafts and their
//! histories, then parse every iteration, sending each result to the UI as it is ready. The
//! first frame never waits for any of it.
//!
//! The loader opens its own repository from a path (a `git2::Repository` is never shared
//! across threads) and stops as soon as the UI hangs up.

use crate::model::Document;
use crate::repo::Repo;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where the UI was asked to open.
#[derive(Debug, Clone)]
pub enum Start {
    /// A repository, a folder in one, or a draft file.
    Path(PathBuf),
    /// The current folder; the bundled example when it holds no drafts.
    Here,
    /// The bundled example, materialised under this cache folder (tests).
    ExampleIn(PathBuf),
}

/// The drafts the UI shows.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// The repository's folder name (or the file's folder), for the status bar.
    pub name: String,
    pub root: PathBuf,
    /// Opened on the bundled example because no drafts were found.
    pub example: bool,
    /// A git repository (search and comments need one).
    pub git: bool,
    pub drafts: Vec<Draft>,
    /// The draft the user named, when PATH was a draft file.
    pub focus: Option<usize>,
    /// The draft to show first: the one named, or the one the newest commit changed.
    pub first: usize,
}

#[derive(Debug, Clone)]
pub struct Draft {
    pub path: String,
    /// Oldest first; empty until the history is read (`loaded`).
    pub iterations: Vec<Iteration>,
    pub loaded: bool,
}

#[derive(Debug, Clone)]
pub struct Iteration {
    /// The tag naming it, or the short commit id; `file` for a draft outside git.
    pub label: String,
    /// The full commit id (empty outside git, `WORKTREE` for uncommitted changes).
    pub commit: String,
    pub short: String,
    /// `2026-04-02 16:00`, in the author's time zone.
    pub date: String,
    pub author: String,
    pub subject: String,
    /// Seconds since the epoch (0 for a file outside git).
    pub time: i64,
    pub doc: Option<Arc<Document>>,
    pub counts: Option<Counts>,
    /// The commit's `Proposed-by:` and `On-behalf-of:` trailers: who asked for the changes,
    /// as the ledger reads them.
    pub proposed_by: Vec<String>,
    pub on_behalf_of: Vec<String>,
}

/// Where the negotiation stood at one iteration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub open_brackets: usize,
    pub reservations: usize,
    pub agreed: usize,
    /// Paragraphs with no bracket in them and not inside one: what nobody contests (all of
    /// an adopted text, which carries no ad ref stamps).
    pub clean: usize,
    pub paragraphs: usize,
}

impl Counts {
    pub fn of(doc: &Document) -> Counts {
        Counts {
            open_brackets: doc.paragraphs.iter().map(|p| p.brackets.len()).sum(),
            reservations: doc
                .positions()
                .filter(|(_, pos)| pos.stance == crate::model::Stance::Reserve)
                .count(),
            agreed: doc.paragraphs.iter().filter(|p| p.agreed.is_some()).count(),
            clean: doc
                .paragraphs
                .iter()
                .enumerate()
                .filter(|(i, p)| {
                    p.brackets.is_empty()
                        && p.orphan_closes.is_empty()
                        && !doc.is_inside_spanning(*i)
                })
                .count(),
            paragraphs: doc.paragraphs.len(),
        }
    }
}

/// A draft's ledger with what the Actors view shows first.
#[derive(Debug)]
pub struct Ledgered {
    pub ledger: crate::ledger::Ledger,
    /// Per actor, most active first.
    pub summary: Vec<crate::ledger::ActorSummary>,
}

/// What the loader tells the UI.
#[derive(Debug)]
pub enum Loaded {
    Status(String),
    /// The repository and its drafts; histories follow.
    Opened(Workspace),
    /// A draft's iterations, oldest first.
    History {
        draft: usize,
        iterations: Vec<Iteration>,
    },
    Parsed {
        draft: usize,
        iteration: usize,
        doc: Arc<Document>,
    },
    /// The actor ledger of a draft, once all its iterations are parsed.
    Ledger {
        draft: usize,
        ledger: Arc<Ledgered>,
    },
    /// The ledger worker's answer to request `generation` (dropped when a newer one was made).
    RebuiltLedger {
        draft: usize,
        ledger: Arc<Ledgered>,
        generation: u64,
    },
    /// A diff from the diff worker, for (draft, old, new).
    Diff {
        key: (usize, usize, usize),
        diff: Arc<crate::diff::DocumentDiff>,
    },
    /// What the search worker is doing (updating the index).
    SearchStatus(String),
    /// The search index is up to date (with a note when it may be incomplete).
    SearchReady(Option<String>),
    /// Search cannot work here (no git repository, an unreadable index), and why.
    SearchUnavailable(String),
    /// Results of a query.
    Search(Box<super::search::Answer>),
    /// Something the user should read once (shown until the next key).
    Notice(String),
    /// Nothing could be opened.
    Failed(String),
    Done,
}

/// Up to this many drafts, every draft is parsed (and its ledger built) in the background;
/// beyond, only the drafts the user looks at, so that a repository of hundreds of drafts
/// neither waits nor fills memory.
pub const EAGER_DRAFTS: usize = 12;

/// Runs the load, sending results through `send`; stops when `send` returns false (the UI is
/// gone). `requests` names the draft the user is looking at, latest request first; without
/// it (tests, benchmarks) everything is loaded and the function returns.
pub fn load(
    start: Start,
    requests: Option<std::sync::mpsc::Receiver<usize>>,
    send: &mut dyn FnMut(Loaded) -> bool,
) {
    if !send(Loaded::Status("opening…".into())) {
        return;
    }
    let (workspace, texts) = match open(&start, send) {
        Ok(found) => found,
        Err(e) => {
            send(Loaded::Failed(e));
            return;
        }
    };
    let n = workspace.drafts.len();
    let eager = requests.is_none() || n <= EAGER_DRAFTS;
    let mut loader = Loader {
        root: workspace.root.clone(),
        paths: workspace.drafts.iter().map(|d| d.path.clone()).collect(),
        sources: workspace
            .drafts
            .iter()
            .map(|d| d.loaded.then(|| vec![Source::File; d.iterations.len()]))
            .collect(),
        steps: workspace
            .drafts
            .iter()
            .map(|d| steps_of(&d.iterations))
            .collect(),
        parsed: workspace
            .drafts
            .iter()
            .map(|d| vec![None; d.iterations.len()])
            .collect(),
        ledgered: vec![false; n],
        actors: vec![None; n],
        texts,
    };
    let mut wanted = workspace.first;
    if !send(Loaded::Opened(workspace)) {
        return;
    }
    let mut done_sent = false;
    loop {
        if let Some(rx) = &requests {
            while let Ok(d) = rx.try_recv() {
                wanted = d.min(n.saturating_sub(1));
            }
        }
        match loader.step(wanted, send) {
            Some(true) => {
                done_sent = false;
                continue;
            }
            Some(false) => return,
            None => {}
        }
        // The wanted draft is complete: the others, or only their histories.
        let next = (0..n).find(|&d| {
            if eager {
                !loader.complete(d)
            } else {
                loader.sources[d].is_none()
            }
        });
        if let Some(d) = next {
            let ok = if eager {
                wanted = d;
                true
            } else {
                loader.history(d, send)
            };
            if !ok {
                return;
            }
            continue;
        }
        if !done_sent {
            if !send(Loaded::Done) {
                return;
            }
            done_sent = true;
        }
        match &requests {
            Some(rx) => match rx.recv() {
                Ok(d) => wanted = d.min(n.saturating_sub(1)),
                Err(_) => return,
            },
            None => return,
        }
    }
}

fn steps_of(iterations: &[Iteration]) -> Vec<crate::ledger::Step> {
    iterations
        .iter()
        .enumerate()
        .map(|(k, it)| crate::ledger::Step {
            index: k,
            label: it.label.clone(),
            commit: it.commit.clone(),
            short: it.short.clone(),
            date: it.date.clone(),
            author: it.author.clone(),
            subject: it.subject.clone(),
            proposed_by: it.proposed_by.clone(),
            on_behalf_of: it.on_behalf_of.clone(),
        })
        .collect()
}

/// What the loader knows and has done, per draft.
struct Loader {
    root: PathBuf,
    paths: Vec<String>,
    /// Where each iteration's text is, once the draft's history is read.
    sources: Vec<Option<Vec<Source>>>,
    steps: Vec<Vec<crate::ledger::Step>>,
    parsed: Vec<Vec<Option<Arc<Document>>>>,
    ledgered: Vec<bool>,
    actors: Vec<Option<std::borrow::Cow<'static, crate::actors::Actors>>>,
    texts: Texts,
}

impl Loader {
    fn complete(&self, d: usize) -> bool {
        self.sources[d].is_some() && self.ledgered[d]
    }

    /// One piece of work on draft `d`: its history, its next iteration (newest first), or
    /// its ledger. `None` when there is nothing left; `Some(false)` when the UI is gone.
    fn step(&mut self, d: usize, send: &mut dyn FnMut(Loaded) -> bool) -> Option<bool> {
        if d >= self.paths.len() {
            return None;
        }
        if self.sources[d].is_none() {
            return Some(self.history(d, send));
        }
        let n = self.parsed[d].len();
        if let Some(i) = (0..n).rev().find(|&i| self.parsed[d][i].is_none()) {
            let status = format!(
                "parsing {} {}/{n}…",
                self.paths[d].rsplit('/').next().unwrap_or(""),
                n - i
            );
            if !send(Loaded::Status(status)) {
                return Some(false);
            }
            let text = self.texts.text(self.sources[d].as_ref()?.get(i)?);
            let actors = self.actors[d].get_or_insert_with(|| {
                crate::actors::Actors::for_draft(&self.root.join(&self.paths[d])).unwrap_or_else(
                    |_| std::borrow::Cow::Borrowed(crate::actors::Actors::builtin()),
                )
            });
            let doc = Arc::new(crate::parse::parse_with(
                text.as_deref().unwrap_or(""),
                actors,
            ));
            self.parsed[d][i] = Some(doc.clone());
            return Some(send(Loaded::Parsed {
                draft: d,
                iteration: i,
                doc,
            }));
        }
        if !self.ledgered[d] {
            self.ledgered[d] = true;
            if !send(Loaded::Status(format!(
                "following proposals in {}…",
                self.paths[d]
            ))) {
                return Some(false);
            }
            let docs = self.steps[d]
                .iter()
                .zip(&self.parsed[d])
                .filter_map(|(s, doc)| Some((s.clone(), Document::clone(doc.as_ref()?))))
                .collect::<Vec<_>>();
            if docs.is_empty() {
                return Some(true);
            }
            let mut ledger = crate::ledger::Ledger::from_documents(docs);
            ledger.path = self.paths[d].clone();
            let actors = self.actors[d]
                .as_deref()
                .unwrap_or(crate::actors::Actors::builtin());
            let summary = ledger.actor_summary(actors);
            return Some(send(Loaded::Ledger {
                draft: d,
                ledger: Arc::new(Ledgered { ledger, summary }),
            }));
        }
        None
    }

    /// Reads draft `d`'s history and sends it.
    fn history(&mut self, d: usize, send: &mut dyn FnMut(Loaded) -> bool) -> bool {
        if !send(Loaded::Status(format!(
            "reading the history of {}…",
            self.paths[d]
        ))) {
            return false;
        }
        let (iterations, sources) = match &self.texts {
            Texts::Git(repo) => history_of(repo, &self.paths[d]),
            Texts::File(_) => (Vec::new(), Vec::new()),
        };
        self.steps[d] = steps_of(&iterations);
        self.parsed[d] = vec![None; iterations.len()];
        self.sources[d] = Some(sources);
        send(Loaded::History {
            draft: d,
            iterations,
        })
    }
}

/// How to get iterations' texts.
enum Texts {
    Git(Repo),
    File(String),
}

impl Texts {
    fn text(&self, source: &Source) -> Option<String> {
        match (self, source) {
            (Texts::File(text), _) => Some(text.clone()),
            (Texts::Git(repo), Source::Blob(oid)) => {
                let blob = repo.git().find_blob(*oid).ok()?;
                Some(String::from_utf8_lossy(blob.content()).into_owned())
            }
            (Texts::Git(repo), Source::Worktree(path)) => repo.read_worktree(path).ok(),
            (Texts::Git(_), Source::File) => None,
        }
    }
}

/// Where one iteration's text is.
#[derive(Debug, Clone)]
enum Source {
    Blob(git2::Oid),
    /// Uncommitted changes in the working tree.
    Worktree(String),
    /// The one file outside git.
    File,
}

/// A draft's ledger built again from its parsed iterations, on this thread (after a commit,
/// or the history read again); `None` while an iteration is not parsed.
pub fn ledger_of(root: &Path, path: &str, iterations: &[Iteration]) -> Option<Arc<Ledgered>> {
    let docs = steps_of(iterations)
        .into_iter()
        .zip(iterations)
        .map(|(s, it)| Some((s, Document::clone(it.doc.as_deref()?))))
        .collect::<Option<Vec<_>>>()?;
    if docs.is_empty() {
        return None;
    }
    let mut ledger = crate::ledger::Ledger::from_documents(docs);
    ledger.path = path.to_string();
    let actors = crate::actors::Actors::for_draft(&root.join(path))
        .unwrap_or(std::borrow::Cow::Borrowed(crate::actors::Actors::builtin()));
    let summary = ledger.actor_summary(&actors);
    Some(Arc::new(Ledgered { ledger, summary }))
}

/// A draft's history read again, every iteration parsed, on this thread: after HEAD moved
/// (a commit made elsewhere, a pull), so that the next iteration is drafted on the new one.
pub fn reread(root: &Path, path: &str) -> Result<Vec<Iteration>, String> {
    let repo = Repo::open(root).map_err(|e| e.to_string())?;
    let (mut iterations, sources) = history_of(&repo, path);
    let actors = crate::actors::Actors::for_draft(&root.join(path))
        .unwrap_or(std::borrow::Cow::Borrowed(crate::actors::Actors::builtin()));
    let texts = Texts::Git(repo);
    for (it, source) in iterations.iter_mut().zip(&sources) {
        let text = texts.text(source);
        let doc = Arc::new(crate::parse::parse_with(
            text.as_deref().unwrap_or(""),
            &actors,
        ));
        it.counts = Some(Counts::of(&doc));
        it.doc = Some(doc);
    }
    Ok(iterations)
}

/// A draft's iterations, oldest first, with where their texts are; uncommitted changes are
/// the newest iteration, as `brackets diff` reads them.
fn history_of(repo: &Repo, path: &str) -> (Vec<Iteration>, Vec<Source>) {
    let mut its = Vec::new();
    let mut sources = Vec::new();
    if let Ok(history) = repo.history(path) {
        for it in history.iterations.iter().rev() {
            let date = it.date();
            // `2026-03-13T18:30:00+03:00` as `2026-03-13 18:30`.
            let short_date = match (date.get(..10), date.get(11..16)) {
                (Some(d), Some(t)) => format!("{d} {t}"),
                _ => date.clone(),
            };
            its.push(Iteration {
                label: it.label().to_string(),
                commit: it.commit.clone(),
                short: it.short.clone(),
                date: short_date,
                author: it.author.clone(),
                subject: it.subject().to_string(),
                time: it.time,
                doc: None,
                counts: None,
                proposed_by: it.proposed_by.clone(),
                on_behalf_of: it.on_behalf_of.clone(),
            });
            sources.push(Source::Blob(it.blob));
        }
    }
    if repo.worktree_changed(path).unwrap_or(false) && repo.read_worktree(path).is_ok() {
        its.push(Iteration {
            label: "worktree".into(),
            commit: "WORKTREE".into(),
            short: String::new(),
            date: "uncommitted".into(),
            author: String::new(),
            subject: "uncommitted changes in the working tree".into(),
            time: its.last().map_or(0, |i| i.time),
            doc: None,
            counts: None,
            proposed_by: Vec::new(),
            on_behalf_of: Vec::new(),
        });
        sources.push(Source::Worktree(path.to_string()));
    }
    (its, sources)
}

fn folder_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

fn open(start: &Start, send: &mut dyn FnMut(Loaded) -> bool) -> Result<(Workspace, Texts), String> {
    match start {
        Start::ExampleIn(cache) => {
            send(Loaded::Status("preparing the bundled example…".into()));
            let demo = crate::example::materialise_in(cache).map_err(|e| e.to_string())?;
            open_repo(&demo.path, None, true)
        }
        Start::Here => {
            let here = std::env::current_dir().map_err(|e| e.to_string())?;
            match open_repo(&here, None, false) {
                Ok(found) if !found.0.drafts.is_empty() => Ok(found),
                _ => {
                    send(Loaded::Status(
                        "no drafts here: preparing the bundled example…".into(),
                    ));
                    let demo = crate::example::materialise().map_err(|e| e.to_string())?;
                    open_repo(&demo.path, None, true)
                }
            }
        }
        Start::Path(path) => {
            if path.is_file() {
                let in_repo = Repo::discover(path).ok().and_then(|repo| {
                    let rel = repo.relative(path).ok()?;
                    repo.history(&rel).ok()?;
                    Some((repo.root().to_path_buf(), rel))
                });
                match in_repo {
                    Some((root, rel)) => open_repo(&root, Some(rel), false),
                    None => open_file(path),
                }
            } else {
                let why = match open_repo(path, None, false) {
                    Ok(found) if !found.0.drafts.is_empty() => return Ok(found),
                    Ok(_) => format!(
                        "no drafts in {} (.brackets.toml says which files are drafts)",
                        path.display()
                    ),
                    Err(e) => e,
                };
                send(Loaded::Notice(format!(
                    "{why}: showing the bundled example"
                )));
                let demo = crate::example::materialise().map_err(|e| e.to_string())?;
                open_repo(&demo.path, None, true)
            }
        }
    }
}

fn open_file(path: &Path) -> Result<(Workspace, Texts), String> {
    let text = crate::cli::input::read_text(path).map_err(|e| format!("{e:#}"))?;
    let root = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    let name = folder_name(&std::path::absolute(&root).unwrap_or(root.clone()));
    let workspace = Workspace {
        name,
        root,
        example: false,
        git: false,
        drafts: vec![Draft {
            path: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            iterations: vec![Iteration {
                label: "file".into(),
                commit: String::new(),
                short: String::new(),
                date: String::new(),
                author: String::new(),
                subject: "not in git: one iteration".into(),
                time: 0,
                doc: None,
                counts: None,
                proposed_by: Vec::new(),
                on_behalf_of: Vec::new(),
            }],
            loaded: true,
        }],
        focus: Some(0),
        first: 0,
    };
    Ok((workspace, Texts::File(text)))
}

/// The drafts of the repository around `path`; their histories are read later.
fn open_repo(
    path: &Path,
    focus_path: Option<String>,
    example: bool,
) -> Result<(Workspace, Texts), String> {
    let repo = Repo::discover(path).map_err(|e| e.to_string())?;
    let mut paths = repo.draft_files(None).map_err(|e| e.to_string())?;
    if let Some(f) = &focus_path
        && !paths.contains(f)
    {
        paths.push(f.clone());
        paths.sort();
    }
    let drafts: Vec<Draft> = paths
        .into_iter()
        .map(|p| Draft {
            path: p,
            iterations: Vec::new(),
            loaded: false,
        })
        .collect();
    let focus = focus_path.and_then(|f| drafts.iter().position(|d| d.path == f));
    let first = focus.or_else(|| changed_last(&repo, &drafts)).unwrap_or(0);
    let root = repo.root().to_path_buf();
    let workspace = Workspace {
        name: folder_name(&root),
        root,
        example,
        git: true,
        drafts,
        focus,
        first,
    };
    Ok((workspace, Texts::Git(repo)))
}

/// The draft the newest commit changed (the first, by path, when it changed several).
fn changed_last(repo: &Repo, drafts: &[Draft]) -> Option<usize> {
    let head = repo.head_commit().ok()?;
    let tree = head.tree().ok()?;
    let parent = head.parent(0).ok().and_then(|p| p.tree().ok());
    let diff = repo
        .git()
        .diff_tree_to_tree(parent.as_ref(), Some(&tree), None)
        .ok()?;
    diff.deltas().find_map(|delta| {
        let path = delta.new_file().path()?.to_str()?;
        drafts.iter().position(|d| d.path == path)
    })
}
