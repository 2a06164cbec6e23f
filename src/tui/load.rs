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
    pub drafts: Vec<Draft>,
    /// The draft the user named, when PATH was a draft file.
    pub focus: Option<usize>,
}

#[derive(Debug, Clone)]
pub struct Draft {
    pub path: String,
    /// Oldest first.
    pub iterations: Vec<Iteration>,
}

#[derive(Debug, Clone)]
pub struct Iteration {
    /// The tag naming it, or the short commit id; `file` for a draft outside git.
    pub label: String,
    pub short: String,
    /// `2026-04-02 16:00`, in the author's time zone.
    pub date: String,
    pub author: String,
    pub subject: String,
    /// Seconds since the epoch (0 for a file outside git).
    pub time: i64,
    pub doc: Option<Arc<Document>>,
    pub counts: Option<Counts>,
}

/// Where the negotiation stood at one iteration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    pub open_brackets: usize,
    pub reservations: usize,
    pub agreed: usize,
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
    Opened(Workspace),
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
    /// Nothing could be opened.
    Failed(String),
    Done,
}

/// Runs the whole load, sending results through `send`; stops early when `send` returns false
/// (the UI is gone).
pub fn load(start: Start, send: &mut dyn FnMut(Loaded) -> bool) {
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
    let total: usize = workspace.drafts.iter().map(|d| d.iterations.len()).sum();
    let order = parse_order(&workspace);
    let root = workspace.root.clone();
    let paths: Vec<String> = workspace.drafts.iter().map(|d| d.path.clone()).collect();
    let steps: Vec<Vec<crate::ledger::Step>> = workspace
        .drafts
        .iter()
        .map(|d| {
            d.iterations
                .iter()
                .enumerate()
                .map(|(k, it)| crate::ledger::Step {
                    index: k,
                    label: it.label.clone(),
                    short: it.short.clone(),
                    date: it.date.clone(),
                    author: it.author.clone(),
                    subject: it.subject.clone(),
                    ..crate::ledger::Step::default()
                })
                .collect()
        })
        .collect();
    if !send(Loaded::Opened(workspace)) {
        return;
    }
    let mut actors: Vec<Option<std::borrow::Cow<'static, crate::actors::Actors>>> =
        vec![None; paths.len()];
    let mut parsed: Vec<Vec<Option<Arc<Document>>>> =
        steps.iter().map(|s| vec![None; s.len()]).collect();
    for (done, (d, i)) in order.into_iter().enumerate() {
        if !send(Loaded::Status(format!(
            "parsing {}/{total} iterations…",
            done + 1
        ))) {
            return;
        }
        let Some(text) = texts.text(d, i) else {
            continue;
        };
        let a = actors[d].get_or_insert_with(|| {
            crate::actors::Actors::for_draft(&root.join(&paths[d]))
                .unwrap_or_else(|_| std::borrow::Cow::Borrowed(crate::actors::Actors::builtin()))
        });
        let doc = Arc::new(crate::parse::parse_with(&text, a));
        parsed[d][i] = Some(doc.clone());
        if !send(Loaded::Parsed {
            draft: d,
            iteration: i,
            doc,
        }) {
            return;
        }
        // The last iteration of a draft parsed: its ledger.
        if i == 0 && parsed[d].iter().all(Option::is_some) {
            if !send(Loaded::Status(format!(
                "following proposals in {}…",
                paths[d]
            ))) {
                return;
            }
            let docs = steps[d]
                .iter()
                .zip(&parsed[d])
                .filter_map(|(s, doc)| Some((s.clone(), Document::clone(doc.as_ref()?))))
                .collect();
            let mut ledger = crate::ledger::Ledger::from_documents(docs);
            ledger.path = paths[d].clone();
            let summary = ledger.actor_summary(a);
            if !send(Loaded::Ledger {
                draft: d,
                ledger: Arc::new(Ledgered { ledger, summary }),
            }) {
                return;
            }
        }
    }
    send(Loaded::Done);
}

impl Workspace {
    /// The draft to show first: the one the user named, or the one changed last.
    pub fn first_draft(&self) -> usize {
        self.focus.unwrap_or_else(|| {
            (0..self.drafts.len())
                .max_by_key(|&d| {
                    let last = self.drafts[d].iterations.last().map_or(0, |i| i.time);
                    (last, std::cmp::Reverse(d))
                })
                .unwrap_or(0)
        })
    }
}

/// The first draft first, newest iteration first, then the others.
fn parse_order(w: &Workspace) -> Vec<(usize, usize)> {
    let first = w.first_draft();
    let mut order = Vec::new();
    let mut drafts: Vec<usize> = (0..w.drafts.len()).collect();
    drafts.sort_by_key(|&d| d != first);
    for d in drafts {
        for i in (0..w.drafts[d].iterations.len()).rev() {
            order.push((d, i));
        }
    }
    order
}

/// How to get each iteration's text once the workspace is known.
enum Texts {
    Git { blobs: Vec<Vec<Source>>, repo: Repo },
    File(String),
}

impl Texts {
    fn text(&self, d: usize, i: usize) -> Option<String> {
        match self {
            Texts::File(text) => Some(text.clone()),
            Texts::Git { blobs, repo } => match blobs.get(d)?.get(i)? {
                Source::Blob(oid) => {
                    let blob = repo.git().find_blob(*oid).ok()?;
                    Some(String::from_utf8_lossy(blob.content()).into_owned())
                }
                Source::Worktree(path) => repo.read_worktree(path).ok(),
            },
        }
    }
}

/// Where one iteration's text is.
enum Source {
    Blob(git2::Oid),
    /// Uncommitted changes in the working tree.
    Worktree(String),
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
                match open_repo(path, None, false) {
                    Ok(found) if !found.0.drafts.is_empty() => Ok(found),
                    Ok(_) => Err(format!(
                        "no drafts found in {} (see .brackets.toml to say which files are drafts)",
                        path.display()
                    )),
                    Err(e) => Err(e),
                }
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
        drafts: vec![Draft {
            path: path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            iterations: vec![Iteration {
                label: "file".into(),
                short: String::new(),
                date: String::new(),
                author: String::new(),
                subject: "not in git: one iteration".into(),
                time: 0,
                doc: None,
                counts: None,
            }],
        }],
        focus: Some(0),
    };
    Ok((workspace, Texts::File(text)))
}

/// The drafts of the repository around `path` with their histories.
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
    let mut drafts = Vec::new();
    let mut blobs = Vec::new();
    for p in paths {
        let Ok(history) = repo.history(&p) else {
            continue;
        };
        let mut its = Vec::new();
        let mut oids = Vec::new();
        for it in history.iterations.iter().rev() {
            let date = it.date();
            // `2026-03-13T18:30:00+03:00` as `2026-03-13 18:30`.
            let short_date = match (date.get(..10), date.get(11..16)) {
                (Some(d), Some(t)) => format!("{d} {t}"),
                _ => date.clone(),
            };
            its.push(Iteration {
                label: it.label().to_string(),
                short: it.short.clone(),
                date: short_date,
                author: it.author.clone(),
                subject: it.subject().to_string(),
                time: it.time,
                doc: None,
                counts: None,
            });
            oids.push(Source::Blob(it.blob));
        }
        // Uncommitted changes are the newest iteration, as `brackets diff` reads them.
        if repo.worktree_changed(&p).unwrap_or(false) && repo.read_worktree(&p).is_ok() {
            its.push(Iteration {
                label: "worktree".into(),
                short: String::new(),
                date: "uncommitted".into(),
                author: String::new(),
                subject: "uncommitted changes in the working tree".into(),
                time: its.last().map_or(0, |i| i.time),
                doc: None,
                counts: None,
            });
            oids.push(Source::Worktree(p.clone()));
        }
        drafts.push(Draft {
            path: p,
            iterations: its,
        });
        blobs.push(oids);
    }
    let focus = focus_path.and_then(|f| drafts.iter().position(|d| d.path == f));
    let root = repo.root().to_path_buf();
    let workspace = Workspace {
        name: folder_name(&root),
        root,
        example,
        drafts,
        focus,
    };
    Ok((workspace, Texts::Git { blobs, repo }))
}
