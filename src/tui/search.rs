//! The search worker: a thread that owns the search index of the repository, brings it up to
//! date (progress in the status bar) and answers queries as the user types. Only the latest
//! query is run: older ones still waiting are dropped, and the UI drops any answer that is not
//! for the query on screen. The UI asks for another update when the history moved under it (a
//! commit made in the TUI, a reload).

use super::load::Loaded;
use crate::index::query::Query;
use crate::index::{Index, IndexError, Progress, SearchOptions, SearchResults};
use crate::repo::Repo;
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender};

/// At most this many hits are shown.
pub const LIMIT: usize = 50;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub query: String,
    pub all: bool,
}

/// What the worker is asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    Search(Request),
    /// Bring the index up to date with the repository (new commits since it was opened).
    Update,
}

/// The answer to one request.
#[derive(Debug)]
pub struct Answer {
    pub request: Request,
    pub results: SearchResults,
    /// Where the query cannot be read yet (it ran on the readable part before it).
    pub problem: Option<String>,
}

/// Starts the worker for the repository at `root`; its messages go through `send`.
pub fn spawn(
    root: PathBuf,
    mut send: impl FnMut(Loaded) -> bool + Send + 'static,
) -> std::io::Result<Sender<Job>> {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("brackets-search".into())
        .spawn(move || worker(root, rx, &mut send))?;
    Ok(tx)
}

/// Opens and updates the index, then answers requests until the UI hangs up.
pub fn worker(root: PathBuf, jobs: Receiver<Job>, send: &mut dyn FnMut(Loaded) -> bool) {
    let mut index = match open(&root, send) {
        Ok(index) => index,
        Err(e) => {
            send(Loaded::SearchUnavailable(e));
            return;
        }
    };
    while let Ok(first) = jobs.recv() {
        // Latest request wins; any number of updates waiting are one.
        let (mut update, mut request) = (false, None);
        for job in std::iter::once(first).chain(jobs.try_iter()) {
            match job {
                Job::Update => update = true,
                Job::Search(r) => request = Some(r),
            }
        }
        if update {
            // The UI sends the query on screen again once it hears the index is ready.
            // The index opened before still answers: what it holds stays searchable.
            if let Err(e) = update_index(&root, &mut index, send)
                && !send(Loaded::SearchReady(Some(format!(
                    "{e}: results may be incomplete"
                ))))
            {
                return;
            }
            continue;
        }
        let Some(request) = request else { continue };
        let (query, problem) = Query::parse_lenient(&request.query);
        let options = SearchOptions {
            all_revisions: request.all,
            limit: LIMIT,
        };
        let (results, problem) = match index.search(&query, &options) {
            Ok(r) => (r, problem.map(|p| p.message)),
            Err(e) => (SearchResults::default(), Some(e.to_string())),
        };
        if !send(Loaded::Search(Box::new(Answer {
            request,
            results,
            problem,
        }))) {
            return;
        }
    }
}

fn open(root: &std::path::Path, send: &mut dyn FnMut(Loaded) -> bool) -> Result<Index, String> {
    let repo = Repo::open(root).map_err(|e| e.to_string())?;
    let mut index = Index::open(&repo).map_err(|e| format!("cannot open the search index: {e}"))?;
    update_index(root, &mut index, send)?;
    Ok(index)
}

/// Brings the index up to date (only what is new since it was last updated is read), then
/// says it is ready.
fn update_index(
    root: &std::path::Path,
    index: &mut Index,
    send: &mut dyn FnMut(Loaded) -> bool,
) -> Result<(), String> {
    // Opened again each time: the history may have moved since the last update.
    let repo = Repo::open(root).map_err(|e| e.to_string())?;
    send(Loaded::SearchStatus("updating the search index…".into()));
    let result = index.update(&repo, &mut |p| {
        if let Progress::Indexed { done, total, .. } = p {
            send(Loaded::SearchStatus(format!(
                "indexing {done}/{total} iterations…"
            )));
        }
    });
    match result {
        Ok(_) => {
            send(Loaded::SearchReady(None));
        }
        // Another brackets is writing the index: search what is there.
        Err(IndexError::Busy { .. }) => {
            send(Loaded::SearchReady(Some(
                "another brackets is updating the index: results may be incomplete".into(),
            )));
        }
        Err(e) => return Err(format!("cannot update the search index: {e}")),
    }
    Ok(())
}
