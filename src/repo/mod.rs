//! Drafts in a git repository: discover it, list the drafts, follow one draft's history through
//! renames, read any iteration, and resolve `PATH@REV` references.
//!
//! Plain blocking functions over a repository path, returning data and typed errors; nothing
//! here knows of the terminal. A [`Repo`] wraps a `git2::Repository`, which must not be shared
//! across threads: a background job opens its own with [`Repo::discover`].

pub mod glob;
pub mod import;
mod reference;
pub mod time;

pub use reference::{At, Resolved, resolve};

use git2::{ErrorCode, ObjectType, Oid, Repository, Sort};
use std::collections::HashMap;
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
    #[error("{path} at {rev} is a binary file, not a draft")]
    Binary { path: String, rev: String },
    #[error(
        "{path} at {rev} is not UTF-8 text (invalid byte at offset {offset}); brackets reads UTF-8 drafts"
    )]
    NotUtf8 {
        path: String,
        rev: String,
        offset: usize,
    },
    #[error("{path} is outside the repository at {repo}")]
    OutsideRepository { path: PathBuf, repo: PathBuf },
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
        let inside = full.strip_prefix(&self.root).map_err(|_| outside())?;
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
        let blob = self
            .git
            .find_blob(entry.id())
            .map_err(RepoError::git(format!("cannot read {path} at {rev}")))?;
        text_of(blob.content(), path, rev)
    }

    /// The draft's text in the working tree.
    pub fn read_worktree(&self, path: &str) -> Result<String> {
        let file = self.root.join(path);
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
        text_of(&bytes, path, "WORKTREE")
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
        let tags = self.tags_by_commit()?;
        let mut walk = self
            .git
            .revwalk()
            .map_err(RepoError::git("cannot walk the history"))?;
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME)
            .map_err(RepoError::git("cannot walk the history"))?;
        walk.push(start.id())
            .map_err(RepoError::git("cannot walk the history"))?;
        let mut current = path.to_string();
        let mut iterations = Vec::new();
        for oid in walk {
            let oid = oid.map_err(RepoError::git("cannot walk the history"))?;
            let commit = self
                .git
                .find_commit(oid)
                .map_err(RepoError::git(format!("cannot read commit {oid}")))?;
            let Some(here) = self.blob_in(&commit, &current) else {
                continue;
            };
            let parents: Vec<git2::Commit<'_>> = commit.parents().collect();
            let before: Vec<Option<Oid>> =
                parents.iter().map(|p| self.blob_in(p, &current)).collect();
            // Same content as some parent: that parent's line of history holds the change.
            if before.contains(&Some(here)) {
                continue;
            }
            iterations.push(self.iteration(&commit, &current, here, &tags));
            if let Some(first) = parents.first()
                && before.iter().all(Option::is_none)
                && let Some(old) = self.renamed_from(first, &commit, &current)?
            {
                current = old;
            }
        }
        Ok(History {
            path: path.to_string(),
            iterations,
            shallow: self.git.is_shallow(),
        })
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

    fn iteration(
        &self,
        commit: &git2::Commit<'_>,
        path: &str,
        blob: Oid,
        tags: &HashMap<Oid, Vec<String>>,
    ) -> Iteration {
        let author = commit.author();
        // Lossy: a commit message in another encoding is shown, not refused.
        let raw = String::from_utf8_lossy(commit.message_bytes()).into_owned();
        let trailers = Trailers::parse(&raw);
        let id = commit.id().to_string();
        Iteration {
            short: id.chars().take(7).collect(),
            commit: id,
            path: path.to_string(),
            tags: tags.get(&commit.id()).cloned().unwrap_or_default(),
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

fn blob_in_tree(tree: &git2::Tree<'_>, path: &str) -> Option<Oid> {
    let entry = tree.get_path(Path::new(path)).ok()?;
    (entry.kind() == Some(ObjectType::Blob)).then(|| entry.id())
}

/// Drafts are UTF-8 text: a NUL byte means binary, UTF-16 and other encodings are refused.
fn text_of(bytes: &[u8], path: &str, rev: &str) -> Result<String> {
    if bytes.contains(&0) && !(bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]))
    {
        return Err(RepoError::Binary {
            path: path.to_string(),
            rev: rev.to_string(),
        });
    }
    String::from_utf8(bytes.to_vec()).map_err(|e| RepoError::NotUtf8 {
        path: path.to_string(),
        rev: rev.to_string(),
        offset: e.utf8_error().valid_up_to(),
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
