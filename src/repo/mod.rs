//! Drafts in a git repository: discover it, list the drafts, follow one draft's history through
//! renames, read any iteration, and resolve `PATH@REV` references.
//!
//! Plain blocking functions over a repository path, returning data and typed errors; nothing
//! here knows of the terminal. A [`Repo`] wraps a `git2::Repository`, which must not be shared
//! across threads: a background job opens its own with [`Repo::discover`].

pub mod glob;
pub mod import;
mod reference;
pub mod text;
pub mod time;

pub use reference::{At, Opened, Resolved, resolve, resolve_open};
pub use text::{NotText, draft_str, draft_text};

use git2::{ErrorCode, ObjectType, Oid, Repository};
use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

/// What can go wrong reading drafts from git. Every message names the path and, when there is
/// one, the revision.
#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    #[error("{path} is not in a git repository")]
    NotARepository { path: PathBuf },
    #[error(
        "{path} is a bare repository: it has no working tree to read drafts from; clone it first"
    )]
    Bare { path: PathBuf },
    #[error("the repository at {path} has no commits yet: commit a draft first")]
    Unborn { path: PathBuf },
    #[error("revision {rev} does not exist in the repository at {repo}")]
    RevisionNotFound { rev: String, repo: PathBuf },
    #[error("{path} is not in revision {rev}")]
    PathNotInRevision { path: String, rev: String },
    #[error("{path} at {rev} is a folder, not a draft file")]
    NotAFile { path: String, rev: String },
    #[error("{path} at {rev}: {reason}")]
    NotText {
        path: String,
        rev: String,
        reason: NotText,
    },
    #[error("{path} is outside the repository at {repo}")]
    OutsideRepository { path: PathBuf, repo: PathBuf },
    #[error(
        "{path} leads through a symbolic link to {target}, outside the repository at {repo}; brackets does not follow it"
    )]
    LinkOutside {
        path: PathBuf,
        target: PathBuf,
        repo: PathBuf,
    },
    #[error("{path} has no iteration before {rev}")]
    NoPreviousIteration { path: String, rev: String },
    #[error("cannot read {path}: {cause}")]
    Io {
        path: PathBuf,
        cause: std::io::Error,
    },
    /// The message of a configuration error already names its file.
    #[error(transparent)]
    Config(crate::config::ConfigError),
    #[error("{context}: {}", .cause.message())]
    Git { context: String, cause: git2::Error },
}

impl RepoError {
    fn git(context: impl Into<String>) -> impl FnOnce(git2::Error) -> RepoError {
        let context = context.into();
        move |source| RepoError::Git {
            context,
            cause: source,
        }
    }
}

pub type Result<T, E = RepoError> = std::result::Result<T, E>;

/// An open repository with a working tree.
pub struct Repo {
    git: Repository,
    /// The working tree's root, canonical.
    root: PathBuf,
}

/// One commit that changed a draft: an iteration.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Iteration {
    pub commit: String,
    pub short: String,
    /// The draft's path at this commit (it differs from the asked path before a rename).
    pub path: String,
    /// Tags pointing at the commit, sorted; the first names the iteration.
    pub tags: Vec<String>,
    /// Seconds since the epoch and the author's offset from UTC in minutes.
    pub time: i64,
    pub offset_minutes: i32,
    pub author: String,
    pub email: String,
    /// The message without its trailer block.
    pub message: String,
    /// `Proposed-by:` trailers: the actors whose proposals this iteration takes on board.
    pub proposed_by: Vec<String>,
    /// `On-behalf-of:` trailers.
    pub on_behalf_of: Vec<String>,
    /// The draft's blob at this commit.
    #[serde(skip)]
    pub blob: Oid,
}

impl Iteration {
    /// The tag naming the iteration, or the short commit id.
    pub fn label(&self) -> &str {
        self.tags.first().map_or(&self.short, String::as_str)
    }

    /// `2026-03-13T18:30:00+03:00`, in the author's time zone.
    pub fn date(&self) -> String {
        time::format_rfc3339(self.time, self.offset_minutes)
    }

    pub fn subject(&self) -> &str {
        self.message.lines().next().unwrap_or("")
    }
}

/// A draft's iterations, newest first.
#[derive(Debug, Clone)]
pub struct History {
    pub path: String,
    pub iterations: Vec<Iteration>,
    /// The repository is a shallow clone: older iterations may be missing.
    pub shallow: bool,
}

impl Repo {
    /// The repository holding `path` (a file or folder, which need not exist yet: its nearest
    /// existing parent is used).
    pub fn discover(path: &Path) -> Result<Repo> {
        let absolute = absolute(path)?;
        let start = absolute
            .ancestors()
            .find(|p| p.is_dir())
            .unwrap_or(Path::new("/"));
        let git = match Repository::discover(start) {
            Ok(git) => git,
            Err(e) if e.code() == ErrorCode::NotFound => {
                return Err(RepoError::NotARepository {
                    path: path.to_path_buf(),
                });
            }
            Err(e) => {
                return Err(RepoError::Git {
                    context: format!("cannot open the repository around {}", path.display()),
                    cause: e,
                });
            }
        };
        Repo::from_git(git, path)
    }

    /// The repository whose root is exactly `path`.
    pub fn open(path: &Path) -> Result<Repo> {
        match Repository::open(path) {
            Ok(git) => Repo::from_git(git, path),
            Err(e) if e.code() == ErrorCode::NotFound => Err(RepoError::NotARepository {
                path: path.to_path_buf(),
            }),
            Err(e) => Err(RepoError::Git {
                context: format!("cannot open the repository at {}", path.display()),
                cause: e,
            }),
        }
    }

    fn from_git(git: Repository, asked: &Path) -> Result<Repo> {
        tune_libgit2();
        let Some(workdir) = git.workdir() else {
            return Err(RepoError::Bare {
                path: git.path().to_path_buf(),
            });
        };
        let root = workdir.canonicalize().map_err(|source| RepoError::Io {
            path: asked.to_path_buf(),
            cause: source,
        })?;
        Ok(Repo { git, root })
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The underlying repository, for what this layer does not wrap yet.
    pub fn git(&self) -> &Repository {
        &self.git
    }

    pub fn is_shallow(&self) -> bool {
        self.git.is_shallow()
    }

    /// The commit HEAD points at, or [`RepoError::Unborn`].
    pub fn head_commit(&self) -> Result<git2::Commit<'_>> {
        match self.git.head() {
            Ok(head) => head.peel_to_commit().map_err(RepoError::git(format!(
                "cannot read HEAD in {}",
                self.root.display()
            ))),
            Err(e) if matches!(e.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => {
                Err(RepoError::Unborn {
                    path: self.root.clone(),
                })
            }
            Err(e) => Err(RepoError::Git {
                context: format!("cannot read HEAD in {}", self.root.display()),
                cause: e,
            }),
        }
    }

    /// A commit by its id, already known to be one (`Opened::commit`).
    pub fn commit(&self, id: Oid) -> Result<git2::Commit<'_>> {
        self.git
            .find_commit(id)
            .map_err(RepoError::git(format!("cannot read commit {id}")))
    }

    /// The commit a revision (`HEAD~2`, a tag, a commit id, a branch) names.
    pub fn resolve_revision(&self, rev: &str) -> Result<git2::Commit<'_>> {
        if rev == "HEAD" {
            return self.head_commit();
        }
        let object = match self.git.revparse_single(rev) {
            Ok(o) => o,
            Err(e)
                if matches!(
                    e.code(),
                    ErrorCode::NotFound | ErrorCode::InvalidSpec | ErrorCode::Ambiguous
                ) || e.class() == git2::ErrorClass::Invalid =>
            {
                // `HEAD~1` in a repository without commits is not a missing revision but an
                // empty repository, which deserves its own message.
                if self
                    .git
                    .head()
                    .is_err_and(|h| h.code() == ErrorCode::UnbornBranch)
                {
                    return Err(RepoError::Unborn {
                        path: self.root.clone(),
                    });
                }
                return Err(RepoError::RevisionNotFound {
                    rev: rev.to_string(),
                    repo: self.root.clone(),
                });
            }
            Err(e) => {
                return Err(RepoError::Git {
                    context: format!("cannot resolve revision {rev}"),
                    cause: e,
                });
            }
        };
        object
            .peel_to_commit()
            .map_err(|_| RepoError::RevisionNotFound {
                rev: rev.to_string(),
                repo: self.root.clone(),
            })
    }

    /// `path` (absolute or relative to the current folder) as a path inside the repository,
    /// with `/` separators.
    pub fn relative(&self, path: &Path) -> Result<String> {
        let absolute = absolute(path)?;
        // Canonicalize the longest existing prefix so symlinked folders (macOS /tmp) compare
        // equal to the canonical root; the rest may not exist on disk (a deleted draft).
        let mut existing = absolute.clone();
        let mut tail = Vec::new();
        while !existing.exists() {
            let Some(last) = existing.components().next_back() else {
                break;
            };
            tail.push(last.as_os_str().to_os_string());
            if !existing.pop() {
                break;
            }
        }
        let mut full = existing.canonicalize().map_err(|source| RepoError::Io {
            path: path.to_path_buf(),
            cause: source,
        })?;
        // The rest does not exist, so no symlink can hide in it: `..` is resolved by name.
        for name in tail.iter().rev() {
            if name == ".." {
                full.pop();
            } else if name != "." {
                full.push(name);
            }
        }
        let outside = || RepoError::OutsideRepository {
            path: path.to_path_buf(),
            repo: self.root.clone(),
        };
        let Ok(inside) = full.strip_prefix(&self.root) else {
            // Inside by name but not once links are followed: say it is a link.
            let named = lexical(&absolute);
            let by_name = self
                .git
                .workdir()
                .is_some_and(|w| named.starts_with(lexical(w)))
                || named.starts_with(&self.root);
            if by_name {
                return Err(RepoError::LinkOutside {
                    path: path.to_path_buf(),
                    target: full,
                    repo: self.root.clone(),
                });
            }
            return Err(outside());
        };
        let mut parts = Vec::new();
        for c in inside.components() {
            match c {
                Component::Normal(s) => parts.push(s.to_str().ok_or_else(outside)?.to_string()),
                _ => return Err(outside()),
            }
        }
        if parts.is_empty() || parts[0] == ".git" {
            return Err(outside());
        }
        Ok(parts.join("/"))
    }

    /// The draft globs of the repository's `.brackets.toml` (working tree), or the defaults.
    pub fn draft_globs(&self) -> Result<Vec<String>> {
        let file = self.root.join(crate::config::FILE_NAME);
        if !file.is_file() {
            return Ok(crate::config::DraftsConfig::default().globs);
        }
        let text = std::fs::read_to_string(&file).map_err(|source| RepoError::Io {
            path: file.clone(),
            cause: source,
        })?;
        let config = crate::config::Config::from_toml(&text, &file).map_err(RepoError::Config)?;
        Ok(config.drafts.globs)
    }

    /// The draft files at a revision (`None`: HEAD), sorted by path.
    pub fn draft_files(&self, rev: Option<&str>) -> Result<Vec<String>> {
        let commit = match rev {
            Some(rev) => self.resolve_revision(rev)?,
            None => self.head_commit()?,
        };
        let globs = self.draft_globs()?;
        let tree = commit
            .tree()
            .map_err(RepoError::git("cannot read the commit's files"))?;
        let mut out = Vec::new();
        tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
            if entry.kind() == Some(ObjectType::Blob)
                && let Ok(name) = entry.name()
            {
                let path = format!("{dir}{name}");
                if globs.iter().any(|g| glob::matches(g, &path)) {
                    out.push(path);
                }
            }
            git2::TreeWalkResult::Ok
        })
        .map_err(RepoError::git("cannot list the commit's files"))?;
        out.sort();
        Ok(out)
    }

    /// The draft's text at a revision; errors say whether the revision, the path or the
    /// content is the problem.
    pub fn read_at(&self, path: &str, rev: &str) -> Result<String> {
        let commit = self.resolve_revision(rev)?;
        self.read_in_commit(path, &commit, rev)
    }

    /// The draft's text in a commit; `rev` is how the user named it, for messages.
    pub fn read_in_commit(
        &self,
        path: &str,
        commit: &git2::Commit<'_>,
        rev: &str,
    ) -> Result<String> {
        self.read_in_commit_when(path, commit, rev, || {})
    }

    /// [`Repo::read_in_commit`], calling `before_blob` once the draft is found in the commit's
    /// files and before its text is read: a caller reading two iterations on two threads waits
    /// there for the other thread's blob, whose delta chain this one mostly shares (libgit2
    /// keeps the bases it inflated with the open pack).
    pub fn read_in_commit_when(
        &self,
        path: &str,
        commit: &git2::Commit<'_>,
        rev: &str,
        before_blob: impl FnOnce(),
    ) -> Result<String> {
        let tree = commit
            .tree()
            .map_err(RepoError::git(format!("cannot read the files of {rev}")))?;
        let entry = tree
            .get_path(Path::new(path))
            .map_err(|_| RepoError::PathNotInRevision {
                path: path.to_string(),
                rev: rev.to_string(),
            })?;
        if entry.kind() != Some(ObjectType::Blob) {
            return Err(RepoError::NotAFile {
                path: path.to_string(),
                rev: rev.to_string(),
            });
        }
        before_blob();
        let blob = self
            .git
            .find_blob(entry.id())
            .map_err(RepoError::git(format!("cannot read {path} at {rev}")))?;
        text_of(blob.content(), path, rev)
    }

    /// The draft's text in the working tree.
    pub fn read_worktree(&self, path: &str) -> Result<String> {
        let file = self.root.join(path);
        check_links(&file)?;
        if file.is_dir() {
            return Err(RepoError::NotAFile {
                path: path.to_string(),
                rev: "WORKTREE".into(),
            });
        }
        let bytes = match std::fs::read(&file) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(RepoError::PathNotInRevision {
                    path: path.to_string(),
                    rev: "WORKTREE".into(),
                });
            }
            Err(source) => {
                return Err(RepoError::Io {
                    path: file,
                    cause: source,
                });
            }
        };
        text::draft_text(bytes).map_err(|reason| RepoError::NotText {
            path: path.to_string(),
            rev: "WORKTREE".into(),
            reason,
        })
    }

    /// The blob id of `path` in a commit, if it is a file there.
    pub fn blob_in(&self, commit: &git2::Commit<'_>, path: &str) -> Option<Oid> {
        let tree = commit.tree().ok()?;
        blob_in_tree(&tree, path)
    }

    /// Whether the working-tree file differs from its version at HEAD (a file missing at HEAD
    /// counts as changed when it exists on disk).
    pub fn worktree_changed(&self, path: &str) -> Result<bool> {
        let head = self.head_commit()?;
        let file = self.root.join(path);
        let on_disk = match std::fs::read(&file) {
            Ok(bytes) => Some(
                Oid::hash_object(ObjectType::Blob, &bytes)
                    .map_err(RepoError::git("cannot hash a file"))?,
            ),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(source) => {
                return Err(RepoError::Io {
                    path: file,
                    cause: source,
                });
            }
        };
        // Hashing the raw bytes ignores clean filters (autocrlf); drafts are committed as is.
        Ok(on_disk != self.blob_in(&head, path))
    }

    /// Tags by the commit they point at (annotated tags peeled), each list sorted.
    pub fn tags_by_commit(&self) -> Result<HashMap<Oid, Vec<String>>> {
        let mut out: HashMap<Oid, Vec<String>> = HashMap::new();
        let refs = self
            .git
            .references_glob("refs/tags/*")
            .map_err(RepoError::git("cannot list tags"))?;
        for reference in refs.flatten() {
            let Ok(name) = reference.shorthand().map(str::to_string) else {
                continue;
            };
            // A tag on a tree or blob names no iteration; skip it rather than fail.
            if let Ok(commit) = reference.peel_to_commit() {
                out.entry(commit.id()).or_default().push(name);
            }
        }
        for names in out.values_mut() {
            names.sort();
        }
        Ok(out)
    }

    /// The iterations of a draft reachable from HEAD, newest first.
    pub fn history(&self, path: &str) -> Result<History> {
        let head = self.head_commit()?;
        self.history_from(&head, path, "HEAD")
    }

    /// The iterations of a draft reachable from `start`, newest first, following renames: a
    /// commit is an iteration when the draft's content differs from every parent's. When the
    /// draft appears as added, a rename search against the first parent continues the walk
    /// under the old name.
    pub fn history_from(&self, start: &git2::Commit<'_>, path: &str, rev: &str) -> Result<History> {
        if self.blob_in(start, path).is_none() {
            return Err(RepoError::PathNotInRevision {
                path: path.to_string(),
                rev: rev.to_string(),
            });
        }
        let (order, commits) = self.newest_first(start)?;
        let mut current = path.to_string();
        // Each distinct tree on the way to the draft is read once: consecutive commits share
        // most of them, so a commit that did not touch the draft's folder costs one root tree.
        let mut finder = PathFinder::new(&self.git, &current);
        let mut iterations = Vec::new();
        for oid in order {
            let Some(commit) = commits.get(&oid) else {
                continue;
            };
            let Some(here) = finder.blob(commit.tree_id()) else {
                continue;
            };
            // Parents missing from the object database (a shallow clone's boundary) are skipped.
            let parents: Vec<&git2::Commit<'_>> = commit
                .parent_ids()
                .filter_map(|p| commits.get(&p))
                .collect();
            let before: Vec<Option<Oid>> =
                parents.iter().map(|p| finder.blob(p.tree_id())).collect();
            // Same content as some parent: that parent's line of history holds the change.
            if before.contains(&Some(here)) {
                continue;
            }
            iterations.push(self.iteration(commit, &current, here));
            if let Some(first) = parents.first()
                && before.iter().all(Option::is_none)
                && let Some(old) = self.renamed_from(first, commit, &current)?
            {
                current = old;
                finder = PathFinder::new(&self.git, &current);
            }
        }
        let ids: HashSet<Oid> = iterations
            .iter()
            .filter_map(|it: &Iteration| Oid::from_str(&it.commit).ok())
            .collect();
        let walked: HashSet<Oid> = commits.keys().copied().collect();
        let mut tags = self.tags_of(&ids, &walked)?;
        for it in &mut iterations {
            if let Some(names) = Oid::from_str(&it.commit)
                .ok()
                .and_then(|id| tags.remove(&id))
            {
                it.tags = names;
            }
        }
        Ok(History {
            path: path.to_string(),
            iterations,
            shallow: self.git.is_shallow(),
        })
    }

    /// Every commit reachable from `start`, each read once, and their order: newest first
    /// (committer time), children always before their parents, like a revwalk sorted
    /// `TOPOLOGICAL | TIME` but without reading each commit twice (the revwalk parses commits
    /// for its own list and `find_commit` would parse them again).
    #[allow(clippy::type_complexity)]
    fn newest_first(
        &self,
        start: &git2::Commit<'_>,
    ) -> Result<(Vec<Oid>, HashMap<Oid, git2::Commit<'_>>)> {
        let mut commits: HashMap<Oid, git2::Commit<'_>> = HashMap::new();
        let mut children: HashMap<Oid, usize> = HashMap::new();
        let mut stack = vec![start.id()];
        while let Some(id) = stack.pop() {
            if commits.contains_key(&id) {
                continue;
            }
            let commit = match self.git.find_commit(id) {
                Ok(c) => c,
                // Beyond a shallow clone's boundary: the history stops there.
                Err(e) if e.code() == ErrorCode::NotFound && id != start.id() => continue,
                Err(e) => {
                    return Err(RepoError::Git {
                        context: format!("cannot read commit {id}"),
                        cause: e,
                    });
                }
            };
            for parent in commit.parent_ids() {
                *children.entry(parent).or_default() += 1;
                if !commits.contains_key(&parent) {
                    stack.push(parent);
                }
            }
            commits.insert(id, commit);
        }
        // Kahn's algorithm, the newest ready commit first; ties go to the one found first.
        let mut order = Vec::with_capacity(commits.len());
        let mut ready = std::collections::BinaryHeap::new();
        let mut seq = 0usize;
        ready.push((start.time().seconds(), usize::MAX, start.id()));
        while let Some((_, _, id)) = ready.pop() {
            order.push(id);
            let Some(commit) = commits.get(&id) else {
                continue;
            };
            for parent in commit.parent_ids() {
                let Some(p) = commits.get(&parent) else {
                    continue;
                };
                if let Some(n) = children.get_mut(&parent) {
                    *n -= 1;
                    if *n == 0 {
                        seq += 1;
                        ready.push((p.time().seconds(), usize::MAX - seq, parent));
                    }
                }
            }
        }
        Ok((order, commits))
    }

    /// Tags pointing at any of `commits` (annotated tags peeled), each list sorted. Unlike
    /// [`Repo::tags_by_commit`] it reads no object for a lightweight tag on another commit.
    /// `known` are ids known to be commits (the walked history): a tag on one of them needs no
    /// object read to tell that it is not annotated.
    pub fn tags_of(
        &self,
        commits: &HashSet<Oid>,
        known: &HashSet<Oid>,
    ) -> Result<HashMap<Oid, Vec<String>>> {
        let mut out: HashMap<Oid, Vec<String>> = HashMap::new();
        if commits.is_empty() {
            return Ok(out);
        }
        let refs = self
            .git
            .references_glob("refs/tags/*")
            .map_err(RepoError::git("cannot list tags"))?;
        let odb = self.git.odb().ok();
        for reference in refs.flatten() {
            let Ok(name) = reference.shorthand().map(str::to_string) else {
                continue;
            };
            let commit = match (reference.target(), reference.target_peel()) {
                (Some(target), _) if commits.contains(&target) => Some(target),
                (Some(_), Some(peeled)) => Some(peeled),
                (Some(target), None) if known.contains(&target) => None,
                (Some(target), None) => {
                    // Only an annotated tag needs peeling; a lightweight one on another commit
                    // is not read at all.
                    let annotated = odb
                        .as_ref()
                        .and_then(|o| o.read_header(target).ok())
                        .is_none_or(|(_, kind)| kind == ObjectType::Tag);
                    if annotated {
                        reference.peel_to_commit().ok().map(|c| c.id())
                    } else {
                        None
                    }
                }
                (None, _) => reference.peel_to_commit().ok().map(|c| c.id()),
            };
            if let Some(commit) = commit
                && commits.contains(&commit)
            {
                out.entry(commit).or_default().push(name);
            }
        }
        for names in out.values_mut() {
            names.sort();
        }
        Ok(out)
    }

    /// The old name of `path` when `commit` renamed it from a file of `parent`.
    fn renamed_from(
        &self,
        parent: &git2::Commit<'_>,
        commit: &git2::Commit<'_>,
        path: &str,
    ) -> Result<Option<String>> {
        let context = || format!("cannot look for renames of {path} in {}", commit.id());
        let old_tree = parent.tree().map_err(RepoError::git(context()))?;
        let new_tree = commit.tree().map_err(RepoError::git(context()))?;
        let mut diff = self
            .git
            .diff_tree_to_tree(Some(&old_tree), Some(&new_tree), None)
            .map_err(RepoError::git(context()))?;
        let mut find = git2::DiffFindOptions::new();
        find.renames(true);
        diff.find_similar(Some(&mut find))
            .map_err(RepoError::git(context()))?;
        for delta in diff.deltas() {
            if delta.status() == git2::Delta::Renamed
                && delta.new_file().path() == Some(Path::new(path))
            {
                return Ok(delta
                    .old_file()
                    .path()
                    .and_then(Path::to_str)
                    .map(str::to_string));
            }
        }
        Ok(None)
    }

    fn iteration(&self, commit: &git2::Commit<'_>, path: &str, blob: Oid) -> Iteration {
        let author = commit.author();
        // Lossy: a commit message in another encoding is shown, not refused.
        let raw = String::from_utf8_lossy(commit.message_bytes()).into_owned();
        let trailers = Trailers::parse(&raw);
        let id = commit.id().to_string();
        Iteration {
            short: id.chars().take(7).collect(),
            commit: id,
            path: path.to_string(),
            tags: Vec::new(),
            time: author.when().seconds(),
            offset_minutes: author.when().offset_minutes(),
            author: String::from_utf8_lossy(author.name_bytes()).into_owned(),
            email: String::from_utf8_lossy(author.email_bytes()).into_owned(),
            message: trailers.message,
            proposed_by: trailers.proposed_by,
            on_behalf_of: trailers.on_behalf_of,
            blob,
        }
    }
}

/// A commit message split into its text and the trailers brackets reads.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Trailers {
    pub message: String,
    pub proposed_by: Vec<String>,
    pub on_behalf_of: Vec<String>,
}

impl Trailers {
    /// Reads `Proposed-by:` and `On-behalf-of:` lines (case-insensitive, values may be
    /// comma-separated) from the message's last paragraph, when that paragraph is all
    /// trailers; the message keeps everything else.
    pub fn parse(message: &str) -> Trailers {
        let trimmed = message.trim_end();
        let (body, last) = match trimmed.rfind("\n\n") {
            Some(i) => (&trimmed[..i], &trimmed[i + 2..]),
            None => ("", trimmed),
        };
        let is_trailer = |line: &str| {
            line.split_once(':').is_some_and(|(k, _)| {
                !k.is_empty() && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
            })
        };
        if body.is_empty() || !last.lines().all(is_trailer) {
            return Trailers {
                message: trimmed.to_string(),
                ..Trailers::default()
            };
        }
        let mut out = Trailers {
            message: body.trim_end().to_string(),
            ..Trailers::default()
        };
        for line in last.lines() {
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let list = match key.to_ascii_lowercase().as_str() {
                "proposed-by" => &mut out.proposed_by,
                "on-behalf-of" => &mut out.on_behalf_of,
                _ => continue,
            };
            list.extend(
                value
                    .split(',')
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(str::to_string),
            );
        }
        out
    }
}

/// libgit2 settings for reading: objects are not re-hashed on every read (git itself only
/// checks hashes in `git fsck`); about a sixth of a history walk went to SHA-1 otherwise.
fn tune_libgit2() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| git2::opts::strict_hash_verification(false));
}

/// The blob at one path in many trees, reading each distinct tree on the way once.
struct PathFinder<'r> {
    git: &'r Repository,
    parts: Vec<String>,
    /// (depth, tree) -> the blob below it at the path, if any.
    memo: HashMap<(usize, Oid), Option<Oid>>,
}

impl<'r> PathFinder<'r> {
    fn new(git: &'r Repository, path: &str) -> Self {
        PathFinder {
            git,
            parts: path.split('/').map(str::to_string).collect(),
            memo: HashMap::new(),
        }
    }

    /// The blob at the path in the tree `root`.
    fn blob(&mut self, root: Oid) -> Option<Oid> {
        self.below(0, root)
    }

    fn below(&mut self, depth: usize, tree: Oid) -> Option<Oid> {
        if let Some(&known) = self.memo.get(&(depth, tree)) {
            return known;
        }
        let entry = self.git.find_tree(tree).ok().and_then(|t| {
            let name = self.parts.get(depth)?;
            t.get_name(name).map(|e| (e.id(), e.kind()))
        });
        let found = match entry {
            Some((id, Some(ObjectType::Blob))) if depth + 1 == self.parts.len() => Some(id),
            Some((id, Some(ObjectType::Tree))) if depth + 1 < self.parts.len() => {
                self.below(depth + 1, id)
            }
            _ => None,
        };
        self.memo.insert((depth, tree), found);
        found
    }
}

fn blob_in_tree(tree: &git2::Tree<'_>, path: &str) -> Option<Oid> {
    let entry = tree.get_path(Path::new(path)).ok()?;
    (entry.kind() == Some(ObjectType::Blob)).then(|| entry.id())
}

/// Drafts are UTF-8 text, by the rule of [`text::draft_str`].
fn text_of(bytes: &[u8], path: &str, rev: &str) -> Result<String> {
    text::draft_str(bytes)
        .map(str::to_string)
        .map_err(|reason| RepoError::NotText {
            path: path.to_string(),
            rev: rev.to_string(),
            reason,
        })
}

/// `path` with `.` and `..` resolved by name, links not followed.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// For a file named on the command line: when it lies in a repository's working tree by name
/// (a folder above it holds `.git`) but a symbolic link takes it outside that working tree,
/// [`RepoError::LinkOutside`]. Anything else is fine (a file outside any repository is read
/// like any file the user names).
pub fn check_links(path: &Path) -> Result<()> {
    let named = lexical(&absolute(path)?);
    let Some(root) = named.ancestors().skip(1).find(|a| a.join(".git").exists()) else {
        return Ok(());
    };
    let (Ok(target), Ok(root_real)) = (named.canonicalize(), root.canonicalize()) else {
        // Missing: reading it reports that.
        return Ok(());
    };
    let in_git_dir = target.starts_with(root_real.join(".git"));
    if target.starts_with(&root_real) && (!in_git_dir || target == named) {
        return Ok(());
    }
    Err(RepoError::LinkOutside {
        path: path.to_path_buf(),
        target,
        repo: root_real,
    })
}

fn absolute(path: &Path) -> Result<PathBuf> {
    std::path::absolute(path).map_err(|source| RepoError::Io {
        path: path.to_path_buf(),
        cause: source,
    })
}

#[cfg(test)]
mod tests {
    use super::Trailers;

    #[test]
    fn trailers_are_read_from_the_last_paragraph() {
        let t = Trailers::parse(
            "Rev.1\n\nBody text: with a colon\n\nProposed-by: EGY\nproposed-by: FRA, GBR\nOn-behalf-of: G77\n",
        );
        assert_eq!(t.message, "Rev.1\n\nBody text: with a colon");
        assert_eq!(t.proposed_by, ["EGY", "FRA", "GBR"]);
        assert_eq!(t.on_behalf_of, ["G77"]);
        let t = Trailers::parse("Subject: with a colon");
        assert_eq!(t.message, "Subject: with a colon");
        assert!(t.proposed_by.is_empty());
    }
}
