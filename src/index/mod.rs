//! The search index: a tantivy index per repository, inside its git directory
//! (`.git/brackets/index`, never committed), holding the paragraphs, bracketed proposals and
//! comments of every iteration of every draft.
//!
//! ```no_run
//! use brackets::index::{Index, SearchOptions, query::Query};
//! use brackets::repo::Repo;
//! let repo = Repo::discover(std::path::Path::new("."))?;
//! let mut index = Index::open(&repo)?;
//! index.update(&repo, &mut |_| {})?;
//! let hits = index.search(&Query::parse("actor:EGY stance:oppose")?, &SearchOptions::default())?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Updates are incremental: what was indexed (per draft, its iterations, and a hash of its
//! comments file) is kept in the payload of tantivy's own commit, so the documents and the
//! record of them can never disagree. Only commits not yet indexed are walked. An index that
//! cannot be opened, or was made by another version, is thrown away and rebuilt (it is a
//! cache); so is one whose damage only shows when searching (a tantivy error or panic, caught:
//! [`IndexError::Damaged`]). Segment files are checked against their checksums before tantivy
//! opens them (`checksums`). Opening, creating and removing the index happen under a lock of
//! their own (`index.lock` beside it). One process writes at a time (tantivy's writer lock);
//! others keep searching, or wait for it when the index is still empty or when updating is
//! what they were asked to do (`brackets index`).

mod checksums;
pub mod query;
pub mod schema;
mod search;

pub use search::{Hit, IterationRef, SearchOptions, SearchResults};

use crate::comments;
use crate::repo::{Repo, RepoError};
use query::QueryError;
use schema::{Fields, SCHEMA_VERSION, Source};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use tantivy::{IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

/// Where the index lives inside the git directory.
pub const INDEX_DIR: &str = "brackets/index";

/// How long an update waits for another process creating the index.
pub const WRITE_WAIT: std::time::Duration = std::time::Duration::from_secs(60);

/// The writer's memory budget, shared by its threads.
const WRITER_MEMORY: usize = 64 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error(
        "another brackets process is updating the search index at {path}; searching the index as it is, or try again when it has finished"
    )]
    Busy { path: PathBuf },
    #[error(
        "the search index at {path} is damaged ({why}); run `brackets index --rebuild` (it is a cache: nothing is lost)"
    )]
    Damaged { path: PathBuf, why: String },
    #[error("{context}: {cause}")]
    Tantivy {
        context: String,
        cause: tantivy::TantivyError,
    },
    #[error("{context} {path}: {cause}")]
    Io {
        context: &'static str,
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error(transparent)]
    Repo(#[from] RepoError),
    #[error(transparent)]
    Comments(#[from] comments::CommentsError),
    #[error("invalid query: {0}")]
    Query(#[from] QueryError),
}

fn tantivy_err(context: impl Into<String>) -> impl FnOnce(tantivy::TantivyError) -> IndexError {
    let context = context.into();
    move |cause| IndexError::Tantivy { context, cause }
}

pub type Result<T, E = IndexError> = std::result::Result<T, E>;

/// One indexed iteration of a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IterState {
    pub commit: String,
    pub time: i64,
    pub offset: i32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

impl IterState {
    pub fn label(&self) -> &str {
        match self.tags.first() {
            Some(t) => t,
            None => self.commit.get(..7).unwrap_or(&self.commit),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftState {
    /// Newest first.
    pub iterations: Vec<IterState>,
    /// Hash of the comments file the reviewers' comments were indexed from (0: none).
    #[serde(default)]
    pub comments: u64,
    /// The iteration they were anchored to.
    #[serde(default)]
    pub comments_at: Option<String>,
}

/// What the index holds; kept in the payload of its last commit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    pub version: u32,
    pub head: Option<String>,
    #[serde(default)]
    pub tags: u64,
    #[serde(default)]
    pub globs: Vec<String>,
    #[serde(default)]
    pub drafts: BTreeMap<String, DraftState>,
}

/// Reported while an update runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress<'a> {
    /// Something the user should know (the index was rebuilt, an iteration was skipped).
    Notice(&'a str),
    /// How many iterations are about to be read.
    Planned { iterations: usize },
    Indexed {
        done: usize,
        total: usize,
        draft: &'a str,
        label: &'a str,
    },
    /// Writing the index to disk.
    Committing,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct UpdateStats {
    /// Nothing had changed since the last update.
    pub up_to_date: bool,
    /// Iterations added and removed.
    pub added: usize,
    pub removed: usize,
    /// Reviewers' comments (re)indexed.
    pub comments: usize,
    /// Documents in the index afterwards.
    pub documents: u64,
    /// Why the index was rebuilt from scratch, if it was.
    pub rebuilt: Option<String>,
}

/// Information about one iteration, by its id in the index.
#[derive(Debug, Clone)]
pub(crate) struct IterInfo {
    pub commit: String,
    pub label: String,
    pub time: i64,
    pub offset: i32,
    /// Position in the draft's history, oldest 0.
    pub ordinal: usize,
}

/// An open search index.
pub struct Index {
    dir: PathBuf,
    root: PathBuf,
    index: tantivy::Index,
    reader: IndexReader,
    fields: Fields,
    state: State,
    iters: HashMap<u64, IterInfo>,
    /// Why the index was found unusable and recreated on open; reported by the next update.
    rebuilt: Option<String>,
}

fn read_state(index: &tantivy::Index) -> Result<Option<State>, String> {
    let metas = index.load_metas().map_err(|e| e.to_string())?;
    match metas.payload {
        None => Ok(None),
        Some(p) => serde_json::from_str(&p)
            .map(Some)
            .map_err(|e| format!("its record of what it holds is unreadable ({e})")),
    }
}

impl Index {
    /// The index directory of a repository.
    pub fn dir_of(repo: &Repo) -> PathBuf {
        repo.git().path().join(INDEX_DIR)
    }

    /// Opens the repository's index, creating it when missing, and recreating it (empty; the
    /// next update fills it) when it is damaged or was made by another version.
    pub fn open(repo: &Repo) -> Result<Index> {
        Index::open_at(&Index::dir_of(repo), repo.root())
    }

    /// Opens (or creates) an index in `dir` for the repository whose working tree is `root`.
    ///
    /// Opening, creating and throwing away a damaged index happen under a lock of their own
    /// (`index.lock` beside the index folder, an advisory lock released when the process ends):
    /// two processes opening a repository with no index yet once raced, one removing the
    /// folder the other was creating.
    pub fn open_at(dir: &Path, root: &Path) -> Result<Index> {
        let _guard = open_lock(dir)?;
        Index::open_locked(dir, root)
    }

    fn open_locked(dir: &Path, root: &Path) -> Result<Index> {
        let (schema, fields) = Fields::schema();
        let mut rebuilt = None;
        let opened = match Index::try_open(dir, &schema) {
            Ok(Some(x)) => Some(x),
            Ok(None) => None,
            Err(reason) => {
                // A process writing the index (a commit removing old segment files) can make
                // it look damaged for a moment: only an index nobody writes is thrown away.
                if writer_lock_free(dir) {
                    rebuilt = Some(format!(
                        "the search index at {} {reason}; rebuilding it",
                        dir.display()
                    ));
                    std::fs::remove_dir_all(dir).map_err(|cause| IndexError::Io {
                        context: "cannot remove the damaged search index",
                        path: dir.to_path_buf(),
                        cause,
                    })?;
                    None
                } else {
                    let mut again = None;
                    for _ in 0..20 {
                        std::thread::sleep(std::time::Duration::from_millis(50));
                        if let Ok(Some(x)) = Index::try_open(dir, &schema) {
                            again = Some(x);
                            break;
                        }
                    }
                    match again {
                        Some(x) => Some(x),
                        None => {
                            return Err(IndexError::Busy {
                                path: dir.to_path_buf(),
                            });
                        }
                    }
                }
            }
        };
        let (index, reader, state) = match opened {
            Some(x) => x,
            None => {
                std::fs::create_dir_all(dir).map_err(|cause| IndexError::Io {
                    context: "cannot create the search index folder",
                    path: dir.to_path_buf(),
                    cause,
                })?;
                let index = match tantivy::Index::create_in_dir(dir, schema.clone()) {
                    Ok(i) => i,
                    // Another process created it meanwhile.
                    Err(tantivy::TantivyError::IndexAlreadyExists) => {
                        tantivy::Index::open_in_dir(dir).map_err(tantivy_err(format!(
                            "cannot open the search index at {}",
                            dir.display()
                        )))?
                    }
                    Err(e) => {
                        return Err(IndexError::Tantivy {
                            context: format!("cannot create the search index at {}", dir.display()),
                            cause: e,
                        });
                    }
                };
                index
                    .tokenizers()
                    .register(schema::TOKENIZER, schema::analyzer());
                let reader = reader_of(&index, dir)?;
                let state = read_state(&index).ok().flatten().unwrap_or_default();
                (index, reader, state)
            }
        };
        let mut this = Index {
            dir: dir.to_path_buf(),
            root: root.to_path_buf(),
            index,
            reader,
            fields,
            state: State::default(),
            iters: HashMap::new(),
            rebuilt,
        };
        this.set_state(state);
        Ok(this)
    }

    /// `Ok(None)`: no index yet. `Err`: why the index there cannot be used.
    #[allow(clippy::type_complexity)]
    fn try_open(
        dir: &Path,
        schema: &tantivy::schema::Schema,
    ) -> Result<Option<(tantivy::Index, IndexReader, State)>, String> {
        // Opening reads footers and offsets tantivy does not check: damaged bytes there panic.
        catching_panics(|| Index::try_open_unguarded(dir, schema))
            .unwrap_or_else(|why| Err(format!("is damaged ({why})")))
    }

    #[allow(clippy::type_complexity)]
    fn try_open_unguarded(
        dir: &Path,
        schema: &tantivy::schema::Schema,
    ) -> Result<Option<(tantivy::Index, IndexReader, State)>, String> {
        if !dir.join("meta.json").exists() {
            if dir.exists() && std::fs::read_dir(dir).is_ok_and(|mut d| d.next().is_some()) {
                return Err("has no meta.json".into());
            }
            return Ok(None);
        }
        let index = tantivy::Index::open_in_dir(dir).map_err(|e| format!("is damaged ({e})"))?;
        let same =
            serde_json::to_string(&index.schema()).ok() == serde_json::to_string(schema).ok();
        if !same {
            return Err("was made by another version of brackets".into());
        }
        let state = read_state(&index).map_err(|e| format!("is damaged: {e}"))?;
        if let Some(s) = &state
            && s.version != SCHEMA_VERSION
        {
            return Err("was made by another version of brackets".into());
        }
        index
            .tokenizers()
            .register(schema::TOKENIZER, schema::analyzer());
        checksums::check(&index, dir).map_err(|why| format!("is damaged ({why})"))?;
        let reader = reader_of(&index, dir).map_err(|e| format!("is damaged ({e})"))?;
        // Opening every segment's files now finds missing or truncated ones.
        let searcher = reader.searcher();
        for segment in searcher.segment_readers() {
            segment
                .get_store_reader(1)
                .map_err(|e| format!("is damaged ({e})"))?;
        }
        Ok(Some((index, reader, state.unwrap_or_default())))
    }

    fn set_state(&mut self, state: State) {
        let mut iters = HashMap::new();
        for (draft, d) in &state.drafts {
            let n = d.iterations.len();
            for (k, it) in d.iterations.iter().enumerate() {
                iters.insert(
                    schema::iteration_id(draft, &it.commit),
                    IterInfo {
                        commit: it.commit.clone(),
                        label: it.label().to_string(),
                        time: it.time,
                        offset: it.offset,
                        ordinal: n - 1 - k,
                    },
                );
            }
        }
        self.iters = iters;
        self.state = state;
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// What the index holds.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// Picks up what another process committed since this index was opened.
    pub fn refresh(&mut self) -> Result<()> {
        let dir = self.dir.clone();
        checksums::check(&self.index, &dir).map_err(|why| IndexError::Damaged {
            path: dir.clone(),
            why,
        })?;
        guarded(&dir, || {
            self.reader
                .reload()
                .map_err(tantivy_err("cannot reload the search index"))
        })?;
        if let Ok(Some(state)) = read_state(&self.index)
            && state != self.state
        {
            self.set_state(state);
        }
        Ok(())
    }

    /// Documents in the index.
    pub fn documents(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Bytes on disk.
    pub fn size_on_disk(&self) -> u64 {
        std::fs::read_dir(&self.dir)
            .into_iter()
            .flatten()
            .flatten()
            .filter_map(|e| e.metadata().ok())
            .filter(|m| m.is_file())
            .map(|m| m.len())
            .sum()
    }

    /// Whether the repository has changed since the last update: HEAD, tags, the draft globs,
    /// or a comments file. Cheap: no history walk.
    pub fn is_stale(&self, repo: &Repo) -> Result<bool> {
        if self.rebuilt.is_some() {
            return Ok(true);
        }
        let head = match repo.head_commit() {
            Ok(c) => c.id().to_string(),
            Err(RepoError::Unborn { .. }) => return Ok(false),
            Err(e) => return Err(e.into()),
        };
        if self.state.version != SCHEMA_VERSION
            || self.state.head.as_deref() != Some(head.as_str())
            || self.state.tags != tags_hash(repo)?
            || self.state.globs != repo.draft_globs()?
        {
            return Ok(true);
        }
        for (draft, d) in &self.state.drafts {
            if comments::file_hash(repo.root(), draft)? != d.comments {
                return Ok(true);
            }
        }
        Ok(false)
    }

    fn writer(&self) -> Result<IndexWriter> {
        match self.index.writer(WRITER_MEMORY) {
            Ok(w) => Ok(w),
            Err(tantivy::TantivyError::LockFailure(..)) => Err(IndexError::Busy {
                path: self.dir.clone(),
            }),
            Err(e) => Err(IndexError::Tantivy {
                context: format!("cannot write the search index at {}", self.dir.display()),
                cause: e,
            }),
        }
    }

    /// The writer. When another process holds it: [`IndexError::Busy`] at once, or when `wait`,
    /// after waiting up to [`WRITE_WAIT`] for it (telling `progress` once).
    fn writer_after(&self, wait: bool, progress: &mut dyn FnMut(Progress)) -> Result<IndexWriter> {
        let started = std::time::Instant::now();
        let mut told = false;
        loop {
            match self.writer() {
                Err(IndexError::Busy { .. }) if wait && started.elapsed() < WRITE_WAIT => {
                    if !told {
                        told = true;
                        progress(Progress::Notice(&format!(
                            "another brackets process is updating the search index at {}: waiting for it to finish",
                            self.dir.display()
                        )));
                    }
                    std::thread::sleep(std::time::Duration::from_millis(50));
                }
                other => return other,
            }
        }
    }

    /// Throws every document away and indexes the repository again; waits (telling
    /// `progress`) up to [`WRITE_WAIT`] for another process writing the index.
    pub fn rebuild(
        &mut self,
        repo: &Repo,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<UpdateStats> {
        let writer = self.writer_after(true, progress)?;
        writer
            .delete_all_documents()
            .map_err(tantivy_err("cannot clear the search index"))?;
        self.update_with(repo, writer, State::default(), progress)
    }

    /// Brings the index up to date with the repository: only iterations not indexed yet are
    /// read. When another process holds the writer, fails with [`IndexError::Busy`] (the
    /// index can be searched as it is), except while the index is still empty: then it waits
    /// for the other process (telling `progress`) up to [`WRITE_WAIT`].
    pub fn update(
        &mut self,
        repo: &Repo,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<UpdateStats> {
        let wait = self.state.head.is_none();
        self.update_repairing(repo, wait, progress)
    }

    /// An update; an index found damaged on the way is thrown away and built again, once.
    fn update_repairing(
        &mut self,
        repo: &Repo,
        wait: bool,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<UpdateStats> {
        let dir = self.dir.clone();
        match guarded(&dir, || self.update_inner(repo, wait, progress)) {
            Err(IndexError::Damaged { why, .. }) => {
                let notice = format!(
                    "the search index at {} is damaged ({why}); rebuilding it",
                    dir.display()
                );
                progress(Progress::Notice(&notice));
                self.recreate()?;
                let mut stats = guarded(&dir, || self.update_inner(repo, true, progress))?;
                stats.rebuilt = Some(notice);
                Ok(stats)
            }
            other => other,
        }
    }

    /// [`Index::search`]; when the index turns out to be damaged, it is thrown away, built
    /// again (telling `progress`) and searched again.
    pub fn search_repairing(
        &mut self,
        repo: &Repo,
        query: &query::Query,
        options: &SearchOptions,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<SearchResults> {
        match self.search(query, options) {
            Err(IndexError::Damaged { why, .. }) => {
                let notice = format!(
                    "the search index at {} is damaged ({why}); rebuilding it",
                    self.dir.display()
                );
                progress(Progress::Notice(&notice));
                self.recreate()?;
                let dir = self.dir.clone();
                guarded(&dir, || self.update_inner(repo, true, progress))?;
                self.search(query, options)
            }
            other => other,
        }
    }

    /// Throws the index away and opens a new, empty one in its place (under the open lock, and
    /// only when no process is writing it).
    fn recreate(&mut self) -> Result<()> {
        let dir = self.dir.clone();
        let root = self.root.clone();
        {
            let _guard = open_lock(&dir)?;
            if !writer_lock_free(&dir) {
                return Err(IndexError::Busy { path: dir });
            }
            std::fs::remove_dir_all(&dir).map_err(|cause| IndexError::Io {
                context: "cannot remove the damaged search index",
                path: dir.clone(),
                cause,
            })?;
        }
        *self = Index::open_at(&dir, &root)?;
        Ok(())
    }

    /// [`Index::update`] for when updating is the point (`brackets index`): waits for another
    /// process writing the index (telling `progress`) up to [`WRITE_WAIT`] even when there is
    /// something to search meanwhile, then picks up what it wrote.
    pub fn update_waiting(
        &mut self,
        repo: &Repo,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<UpdateStats> {
        self.update_repairing(repo, true, progress)
    }

    fn update_inner(
        &mut self,
        repo: &Repo,
        wait: bool,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<UpdateStats> {
        if !self.is_stale(repo)? {
            return Ok(UpdateStats {
                up_to_date: true,
                documents: self.documents(),
                ..UpdateStats::default()
            });
        }
        let writer = self.writer_after(wait, progress)?;
        // Another process may have updated the index since it was opened.
        self.refresh()?;
        if !self.is_stale(repo)? {
            return Ok(UpdateStats {
                up_to_date: true,
                documents: self.documents(),
                ..UpdateStats::default()
            });
        }
        let old = self.state.clone();
        self.update_with(repo, writer, old, progress)
    }

    fn update_with(
        &mut self,
        repo: &Repo,
        mut writer: IndexWriter,
        old: State,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<UpdateStats> {
        let mut stats = UpdateStats {
            rebuilt: self.rebuilt.take(),
            ..UpdateStats::default()
        };
        if let Some(r) = &stats.rebuilt {
            progress(Progress::Notice(r));
        }
        let head = match repo.head_commit() {
            Ok(c) => c,
            Err(RepoError::Unborn { .. }) => {
                stats.up_to_date = true;
                return Ok(stats);
            }
            Err(e) => return Err(e.into()),
        };
        let head_id = head.id();
        let tags = repo.tags_by_commit()?;
        let globs = repo.draft_globs()?;
        let drafts_now = repo.draft_files(Some(&head_id.to_string()))?;
        let f = self.fields;

        // The previous HEAD, when the new one descends from it: then only new commits are
        // walked. Otherwise (first run, rewritten history) each draft's history is read.
        let old_head = old
            .head
            .as_deref()
            .and_then(|h| git2::Oid::from_str(h).ok())
            .filter(|&h| {
                h == head_id || repo.git().graph_descendant_of(head_id, h).unwrap_or(false)
            });
        let new_ids: Vec<git2::Oid> = match old_head {
            Some(h) if h == head_id => Vec::new(),
            Some(h) => {
                let mut walk = repo
                    .git()
                    .revwalk()
                    .map_err(git("cannot walk the history"))?;
                walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::TIME)
                    .map_err(git("cannot walk the history"))?;
                walk.push(head_id).map_err(git("cannot walk the history"))?;
                walk.hide(h).map_err(git("cannot walk the history"))?;
                walk.collect::<Result<_, _>>()
                    .map_err(git("cannot walk the history"))?
            }
            None => Vec::new(),
        };
        let mut new_commits = Vec::with_capacity(new_ids.len());
        for oid in new_ids {
            new_commits.push(
                repo.git()
                    .find_commit(oid)
                    .map_err(git(format!("cannot read commit {oid}")))?,
            );
        }

        let mut new_state = State {
            version: SCHEMA_VERSION,
            head: Some(head_id.to_string()),
            tags: tags_hash(repo)?,
            globs,
            drafts: BTreeMap::new(),
        };
        // Iterations to read: (draft, iteration).
        let mut to_add: Vec<(String, crate::repo::Iteration)> = Vec::new();
        for draft in &drafts_now {
            let previous = old.drafts.get(draft);
            let mut d = DraftState::default();
            match (previous, old_head) {
                (Some(prev), Some(_)) => {
                    // New iterations among the new commits, newest first.
                    let mut fresh = Vec::new();
                    for commit in &new_commits {
                        let Some(blob) = repo.blob_in(commit, draft) else {
                            continue;
                        };
                        let same_as_parent = commit
                            .parents()
                            .any(|p| repo.blob_in(&p, draft) == Some(blob));
                        if same_as_parent {
                            continue;
                        }
                        fresh.push(iteration_of(commit, draft, blob, &tags));
                    }
                    for it in &fresh {
                        d.iterations.push(iter_state(it));
                    }
                    d.iterations.extend(prev.iterations.iter().cloned());
                    to_add.extend(fresh.into_iter().map(|it| (draft.clone(), it)));
                }
                _ => {
                    let history = repo.history_from(&head, draft, "HEAD")?;
                    let known: HashSet<&str> = previous
                        .map(|p| p.iterations.iter().map(|i| i.commit.as_str()).collect())
                        .unwrap_or_default();
                    for it in history.iterations {
                        d.iterations.push(iter_state(&it));
                        if !known.contains(it.commit.as_str()) {
                            to_add.push((draft.clone(), it));
                        }
                    }
                    // Iterations indexed before but no longer in the history.
                    if let Some(prev) = previous {
                        let now: HashSet<&str> =
                            d.iterations.iter().map(|i| i.commit.as_str()).collect();
                        for it in &prev.iterations {
                            if !now.contains(it.commit.as_str()) {
                                writer.delete_term(Term::from_field_u64(
                                    f.iter,
                                    schema::iteration_id(draft, &it.commit),
                                ));
                                stats.removed += 1;
                            }
                        }
                    }
                }
            }
            // Tags may have been added to old commits: labels always come from the tags now.
            for it in &mut d.iterations {
                if let Ok(oid) = git2::Oid::from_str(&it.commit) {
                    it.tags = tags.get(&oid).cloned().unwrap_or_default();
                }
            }
            if let Some(prev) = previous {
                d.comments = prev.comments;
                d.comments_at = prev.comments_at.clone();
            }
            new_state.drafts.insert(draft.clone(), d);
        }
        // Drafts gone from HEAD (deleted, renamed, no longer matching the globs).
        for (draft, prev) in &old.drafts {
            if !new_state.drafts.contains_key(draft) {
                for it in &prev.iterations {
                    writer.delete_term(Term::from_field_u64(
                        f.iter,
                        schema::iteration_id(draft, &it.commit),
                    ));
                    stats.removed += 1;
                }
                writer.delete_term(Term::from_field_u64(f.store, schema::store_id(draft)));
            }
        }

        progress(Progress::Planned {
            iterations: to_add.len(),
        });
        let total = to_add.len();
        let mut actors_of: HashMap<String, std::borrow::Cow<'static, crate::actors::Actors>> =
            HashMap::new();
        for (done, (draft, it)) in to_add.iter().enumerate() {
            let actors = match actors_of.get(draft) {
                Some(a) => a,
                None => {
                    let a = crate::actors::Actors::for_draft(&repo.root().join(draft))
                        .unwrap_or_else(|_| {
                            std::borrow::Cow::Borrowed(crate::actors::Actors::builtin())
                        });
                    actors_of.entry(draft.clone()).or_insert(a)
                }
            };
            let label = it.label().to_string();
            match read_blob(repo, it.blob, draft, &label) {
                Ok(text) => {
                    let doc = crate::parse::parse_with(&text, actors);
                    let src = Source {
                        draft,
                        iter: schema::iteration_id(draft, &it.commit),
                    };
                    for d in schema::documents(&f, &src, &doc) {
                        writer
                            .add_document(d)
                            .map_err(tantivy_err("cannot add to the search index"))?;
                    }
                }
                Err(why) => progress(Progress::Notice(&why)),
            }
            stats.added += 1;
            progress(Progress::Indexed {
                done: done + 1,
                total,
                draft,
                label: &label,
            });
        }

        // Reviewers' comments, anchored to each draft's newest iteration.
        for (draft, d) in new_state.drafts.iter_mut() {
            let hash = comments::file_hash(repo.root(), draft)?;
            let newest = d.iterations.first().map(|i| i.commit.clone());
            if hash == d.comments && newest == d.comments_at {
                continue;
            }
            writer.delete_term(Term::from_field_u64(f.store, schema::store_id(draft)));
            d.comments = hash;
            d.comments_at = newest.clone();
            let Some(newest) = newest else { continue };
            if hash == 0 {
                continue;
            }
            let store = match comments::Store::open(repo.root(), draft) {
                Ok(s) => s,
                Err(e) => {
                    // A damaged comments file must not stop the index; it is reported.
                    progress(Progress::Notice(&e.to_string()));
                    continue;
                }
            };
            let text = match read_blob_at(repo, &newest, draft) {
                Ok(t) => t,
                Err(why) => {
                    progress(Progress::Notice(&why));
                    continue;
                }
            };
            let doc = crate::parse(&text);
            let anchored = comments::anchor(repo, draft, &doc, store.comments());
            let iter = schema::iteration_id(draft, &newest);
            for a in &anchored {
                let c = a.comment;
                let para = a.place.paragraph().unwrap_or("");
                let section = a
                    .place
                    .paragraph()
                    .and_then(|id| doc.paragraph(id))
                    .map(|p| doc.section_of(p).name())
                    .unwrap_or_default();
                let mut text = c.text.clone();
                for r in &c.replies {
                    text.push('\n');
                    text.push_str(&r.text);
                }
                let mut td: TantivyDocument = schema::base(
                    &f,
                    &Source { draft, iter },
                    query::Kind::Comment,
                    para,
                    &section,
                    &text,
                );
                td.add_text(f.stance, "note");
                if let Some(actor) = &c.actor {
                    let a = actor.to_lowercase();
                    td.add_text(f.actor, &a);
                    td.add_text(f.pair, format!("{a}:note"));
                }
                td.add_u64(f.store, schema::store_id(draft));
                td.add_u64(f.group, schema::hash(&["store", draft, &c.id]));
                td.add_text(f.author, &c.author);
                td.add_text(f.attribution, format!("#{} {}", c.id, c.status.as_str()));
                writer
                    .add_document(td)
                    .map_err(tantivy_err("cannot add to the search index"))?;
                stats.comments += 1;
            }
        }

        progress(Progress::Committing);
        let payload = serde_json::to_string(&new_state).unwrap_or_default();
        let mut prepared = writer
            .prepare_commit()
            .map_err(tantivy_err("cannot write the search index"))?;
        prepared.set_payload(&payload);
        prepared
            .commit()
            .map_err(tantivy_err("cannot write the search index"))?;
        // Let merges finish so that no thread is cut off when the process ends.
        let _ = writer.wait_merging_threads();
        self.reader
            .reload()
            .map_err(tantivy_err("cannot reload the search index"))?;
        self.set_state(new_state);
        stats.documents = self.documents();
        Ok(stats)
    }
}

thread_local! {
    /// Inside [`guarded`]: a panic there is reported as an error, not printed.
    static GUARDED: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Runs `f`, which reads the index through tantivy; a panic inside it (tantivy trusts the
/// bytes of some files it does not checksum on open) becomes [`IndexError::Damaged`] instead of
/// ending the process. The panic is not printed: the error says what happened.
pub(crate) fn guarded<T>(dir: &Path, f: impl FnOnce() -> Result<T>) -> Result<T> {
    catching_panics(f).unwrap_or_else(|why| {
        Err(IndexError::Damaged {
            path: dir.to_path_buf(),
            why,
        })
    })
}

/// Runs `f`; a panic inside it is returned as its message, not printed.
fn catching_panics<T>(f: impl FnOnce() -> T) -> std::result::Result<T, String> {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if GUARDED.with(|g| g.get()) == 0 {
                previous(info);
            }
        }));
    });
    GUARDED.with(|g| g.set(g.get() + 1));
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(g.get().saturating_sub(1)));
    result.map_err(|panic| {
        panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "tantivy failed reading it".into())
    })
}

/// How long [`Index::open`] waits for another process opening or creating the index.
const OPEN_WAIT: std::time::Duration = std::time::Duration::from_secs(30);

/// Takes the lock serialising the opening (and creation, and removal) of the index in `dir`.
fn open_lock(dir: &Path) -> Result<std::fs::File> {
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "index".into());
    let lock = dir.with_file_name(format!("{name}.lock"));
    let poll = std::time::Duration::from_millis(20);
    crate::lockfile::acquire(&lock, OPEN_WAIT, poll, &mut || {}).map_err(|failure| match failure {
        crate::lockfile::LockFailure::Io {
            action,
            path,
            cause,
        } => IndexError::Io {
            context: match action {
                "create the lock folder" => "cannot create the folder of the search index",
                "open the lock" => "cannot open the lock of the search index",
                _ => "cannot lock the search index",
            },
            path,
            cause,
        },
        crate::lockfile::LockFailure::Busy { .. } => IndexError::Busy {
            path: dir.to_path_buf(),
        },
    })
}

/// Whether no process holds the index's writer lock (tantivy's own lock file).
fn writer_lock_free(dir: &Path) -> bool {
    use tantivy::directory::{Directory, INDEX_WRITER_LOCK, MmapDirectory};
    match MmapDirectory::open(dir) {
        Ok(d) => d.acquire_lock(&INDEX_WRITER_LOCK).is_ok(),
        // Not even a folder tantivy can open: nobody is writing there.
        Err(_) => true,
    }
}

fn reader_of(index: &tantivy::Index, dir: &Path) -> Result<IndexReader> {
    index
        .reader_builder()
        .reload_policy(ReloadPolicy::Manual)
        .try_into()
        .map_err(tantivy_err(format!(
            "cannot read the search index at {}",
            dir.display()
        )))
}

fn git(context: impl Into<String>) -> impl FnOnce(git2::Error) -> IndexError {
    let context = context.into();
    move |cause| IndexError::Repo(RepoError::Git { context, cause })
}

fn tags_hash(repo: &Repo) -> Result<u64> {
    let tags = repo.tags_by_commit()?;
    let mut all: Vec<String> = tags
        .iter()
        .flat_map(|(oid, names)| names.iter().map(move |n| format!("{oid}{n}")))
        .collect();
    all.sort();
    let parts: Vec<&str> = all.iter().map(String::as_str).collect();
    Ok(schema::hash(&parts))
}

fn iter_state(it: &crate::repo::Iteration) -> IterState {
    IterState {
        commit: it.commit.clone(),
        time: it.time,
        offset: it.offset_minutes,
        tags: it.tags.clone(),
    }
}

fn iteration_of(
    commit: &git2::Commit<'_>,
    path: &str,
    blob: git2::Oid,
    tags: &HashMap<git2::Oid, Vec<String>>,
) -> crate::repo::Iteration {
    let author = commit.author();
    let id = commit.id().to_string();
    crate::repo::Iteration {
        short: id.chars().take(7).collect(),
        commit: id,
        path: path.to_string(),
        tags: tags.get(&commit.id()).cloned().unwrap_or_default(),
        time: author.when().seconds(),
        offset_minutes: author.when().offset_minutes(),
        author: String::from_utf8_lossy(author.name_bytes()).into_owned(),
        email: String::from_utf8_lossy(author.email_bytes()).into_owned(),
        message: String::new(),
        proposed_by: Vec::new(),
        on_behalf_of: Vec::new(),
        blob,
    }
}

/// A draft's text from its blob; an iteration that is not UTF-8 text is skipped with a
/// message rather than stopping the index.
fn read_blob(repo: &Repo, blob: git2::Oid, draft: &str, label: &str) -> Result<String, String> {
    let b = repo
        .git()
        .find_blob(blob)
        .map_err(|e| format!("skipped {draft} at {label}: {}", e.message()))?;
    crate::repo::draft_str(b.content())
        .map(str::to_string)
        .map_err(|reason| format!("skipped {draft} at {label}: {reason}"))
}

fn read_blob_at(repo: &Repo, commit: &str, draft: &str) -> Result<String, String> {
    let c = repo.resolve_revision(commit).map_err(|e| e.to_string())?;
    repo.read_in_commit(draft, &c, commit)
        .map_err(|e| e.to_string())
}
