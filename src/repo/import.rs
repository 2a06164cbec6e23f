//! A folder of iteration files plus its `iterations.json` turned into a git history: one commit
//! per iteration with the recorded author and date, an annotated tag per labelled iteration.
//!
//! Everything is written as git objects first (blobs, trees, commits), then the branch moves
//! once, the tags are created and the working tree is checked out: no half-written working
//! tree, and running the import again finds every iteration already there and changes nothing.

use super::{RepoError, time};
use git2::{ErrorCode, ObjectType, Oid, Repository, Signature};
use serde::Deserialize;
use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

pub const MANIFEST: &str = "iterations.json";

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {path}: {cause}")]
    Io {
        path: PathBuf,
        cause: std::io::Error,
    },
    #[error("{path} is not a valid iterations file: {message}")]
    Manifest { path: PathBuf, message: String },
    #[error(
        "{repo} has uncommitted changes ({files}); commit or stash them first, import writes new commits"
    )]
    Dirty { repo: PathBuf, files: String },
    #[error("{path} exists and is neither a git repository nor an empty folder")]
    NotEmpty { path: PathBuf },
    #[error(
        "tag {tag} already exists in {repo} on a commit with another text of {draft}; remove or rename it first"
    )]
    TagConflict {
        tag: String,
        draft: String,
        repo: PathBuf,
    },
    #[error("{repo}: branch {branch} moved while importing; run the import again")]
    Raced { repo: PathBuf, branch: String },
    #[error(
        "{context}: {lock} exists: another git or brackets process is writing the repository, or one was stopped while doing so; if none is running, remove {lock} and run the import again (it goes on where it stopped)"
    )]
    Locked { context: String, lock: String },
    #[error(transparent)]
    Repo(#[from] RepoError),
}

type Result<T, E = ImportError> = std::result::Result<T, E>;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    /// The draft's path in the repository, `/`-separated.
    pub draft: String,
    #[serde(default)]
    pub title: Option<String>,
    pub iterations: Vec<ManifestIteration>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ManifestIteration {
    pub file: String,
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub tag: Option<String>,
    /// RFC 3339.
    pub date: String,
    pub author: Person,
    pub message: String,
    #[serde(default)]
    pub proposed_by: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Person {
    pub name: String,
    pub email: String,
}

/// One iteration ready to be written.
#[derive(Debug, Clone)]
pub struct Planned {
    pub draft: String,
    pub text: String,
    pub tag: Option<String>,
    /// The annotated tag's message (the iteration's label).
    pub label: Option<String>,
    pub seconds: i64,
    pub offset_minutes: i32,
    pub name: String,
    pub email: String,
    /// The full commit message, trailers included.
    pub message: String,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub repo: PathBuf,
    pub created_repo: bool,
    pub commits: usize,
    pub tags: usize,
    /// Iterations found already present.
    pub present: usize,
}

/// Reads `dir/iterations.json` and the files it lists.
pub fn plan_dir(dir: &Path) -> Result<Vec<Planned>> {
    let manifest_path = dir.join(MANIFEST);
    let text = std::fs::read_to_string(&manifest_path).map_err(|source| ImportError::Io {
        path: manifest_path.clone(),
        cause: source,
    })?;
    plan(&text, &manifest_path, |file| {
        let path = dir.join(file);
        let bytes = std::fs::read(&path).map_err(|source| ImportError::Io {
            path: path.clone(),
            cause: source,
        })?;
        // Refused here by the rule every later reading applies, not committed and then refused.
        super::text::draft_text(bytes).map_err(|reason| ImportError::Manifest {
            path: manifest_path.clone(),
            message: format!("{}: {reason}", path.display()),
        })
    })
}

/// The iterations a manifest describes, reading each file through `read`.
pub fn plan(
    manifest: &str,
    manifest_path: &Path,
    mut read: impl FnMut(&str) -> Result<String>,
) -> Result<Vec<Planned>> {
    let invalid = |message: String| ImportError::Manifest {
        path: manifest_path.to_path_buf(),
        message,
    };
    let manifest: Manifest = serde_json::from_str(manifest).map_err(|e| invalid(e.to_string()))?;
    if !is_safe_relative(&manifest.draft) {
        return Err(invalid(format!(
            "draft {:?} must be a relative path inside the repository, without `..`",
            manifest.draft
        )));
    }
    if manifest.iterations.is_empty() {
        return Err(invalid("it lists no iterations".into()));
    }
    let mut out = Vec::new();
    for (n, it) in manifest.iterations.into_iter().enumerate() {
        let at = |m: String| invalid(format!("iteration {} ({}): {m}", n + 1, it.file));
        if !is_safe_relative(&it.file) {
            return Err(at(
                "the file must be a relative path inside the folder".into()
            ));
        }
        let (seconds, offset_minutes) = time::parse_rfc3339(&it.date).ok_or_else(|| {
            at(format!(
                "date {:?} is not an RFC 3339 date such as 2026-03-13T18:30:00+03:00",
                it.date
            ))
        })?;
        if let Some(tag) = &it.tag
            && !git2::Reference::is_valid_name(&format!("refs/tags/{tag}"))
        {
            return Err(at(format!("{tag:?} is not a valid tag name")));
        }
        if it.author.name.trim().is_empty()
            || it.author.email.contains(['<', '>', '\n'])
            || it.author.name.contains(['<', '>', '\n'])
        {
            return Err(at(
                "the author needs a name and an email without `<`, `>` or line breaks".into(),
            ));
        }
        let mut message = it.message.trim_end().to_string();
        if message.is_empty() {
            return Err(at("the message is empty".into()));
        }
        if !it.proposed_by.is_empty() {
            message.push_str("\n\n");
            for actor in &it.proposed_by {
                message.push_str(&format!("Proposed-by: {}\n", actor.trim()));
            }
        }
        let message = format!("{}\n", message.trim_end());
        out.push(Planned {
            draft: manifest.draft.clone(),
            text: read(&it.file)?,
            tag: it.tag,
            label: it.label,
            seconds,
            offset_minutes,
            name: it.author.name,
            email: it.author.email,
            message,
        });
    }
    Ok(out)
}

fn is_safe_relative(path: &str) -> bool {
    let p = Path::new(path);
    !path.is_empty()
        && !path.contains('\\')
        && p.components()
            .all(|c| matches!(c, Component::Normal(s) if s != ".git"))
}

/// Imports a folder into the repository at `into` (created when missing).
pub fn import_dir(dir: &Path, into: &Path) -> Result<Summary> {
    let planned = plan_dir(dir)?;
    apply(into, &planned)
}

/// Writes the planned iterations, in order, on top of the current branch of `into`.
///
/// A new repository (`into` missing or an empty folder) is built in a temporary folder beside
/// it and renamed into place at the end: an import stopped half-way leaves no half-made
/// repository behind (at most a hidden `.NAME.brackets-import-*` folder beside it).
pub fn apply(into: &Path, planned: &[Planned]) -> Result<Summary> {
    apply_atomically(into, planned).map_err(|e| match e {
        // A lock file left by a process killed while writing a reference or the index.
        ImportError::Repo(RepoError::Git { context, cause })
            if cause.code() == ErrorCode::Locked =>
        {
            let named = cause
                .message()
                .split('\'')
                .find(|p| p.ends_with(".lock"))
                .map(str::to_string);
            // libgit2 does not always say which file (updating the working tree): look.
            let lock = named
                .or_else(|| {
                    let found = lock_files(&into.join(".git"));
                    (!found.is_empty()).then(|| {
                        found
                            .iter()
                            .map(|p| p.display().to_string())
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                })
                .unwrap_or_else(|| "a .lock file in .git".to_string());
            ImportError::Locked { context, lock }
        }
        other => other,
    })
}

/// The `*.lock` files git left under `git_dir` (brackets' own folder aside), a few levels deep.
fn lock_files(git_dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for e in entries.flatten() {
            let path = e.path();
            let Ok(kind) = e.file_type() else { continue };
            if kind.is_dir() {
                if depth < 6 && e.file_name() != "brackets" {
                    walk(&path, depth + 1, out);
                }
            } else if path.extension().is_some_and(|x| x == "lock") {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(git_dir, 0, &mut out);
    out.sort();
    out
}

fn apply_atomically(into: &Path, planned: &[Planned]) -> Result<Summary> {
    let (Some(name), true) = (into.file_name(), is_new_target(into)?) else {
        return apply_in(into, planned);
    };
    let parent = match into.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |cause| ImportError::Io { path, cause }
    };
    std::fs::create_dir_all(&parent).map_err(io(&parent))?;
    remove_orphan_imports(&parent, &name.to_string_lossy());
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let tmp = parent.join(format!(
        ".{}.brackets-import-{}-{nanos}",
        name.to_string_lossy(),
        std::process::id()
    ));
    let mut summary = match apply_in(&tmp, planned) {
        Ok(s) => s,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&tmp);
            return Err(e);
        }
    };
    // Renaming over an empty folder works on Unix; elsewhere it is removed first.
    let placed = std::fs::rename(&tmp, into).or_else(|_| {
        std::fs::remove_dir(into)?;
        std::fs::rename(&tmp, into)
    });
    if let Err(cause) = placed {
        let _ = std::fs::remove_dir_all(&tmp);
        // Another import put a repository there meanwhile: import into it (what it already
        // holds is found and kept).
        if Repository::open(into).is_ok() {
            return apply_in(into, planned);
        }
        return Err(ImportError::Io {
            path: into.to_path_buf(),
            cause,
        });
    }
    summary.repo = Repository::open(into)
        .ok()
        .and_then(|g| g.workdir().map(Path::to_path_buf))
        .unwrap_or_else(|| into.to_path_buf());
    summary.created_repo = true;
    Ok(summary)
}

/// Temporary repositories an import killed half-way left beside `name`: only those of
/// processes that no longer exist, where that can be told (Linux's `/proc`).
fn remove_orphan_imports(parent: &Path, name: &str) {
    let proc = Path::new("/proc");
    if !proc.join("self").exists() {
        return;
    }
    let prefix = format!(".{name}.brackets-import-");
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let file = e.file_name().to_string_lossy().into_owned();
        let Some(pid) = file
            .strip_prefix(&prefix)
            .and_then(|rest| rest.split('-').next())
        else {
            continue;
        };
        if pid.parse::<u32>().is_ok()
            && pid != std::process::id().to_string()
            && !proc.join(pid).exists()
        {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

/// Whether `into` is missing or an empty folder (a repository will be created there).
fn is_new_target(into: &Path) -> Result<bool> {
    match std::fs::read_dir(into) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(true),
        // Not a folder, or unreadable: the import proper reports it.
        Err(_) => Ok(false),
    }
}

fn apply_in(into: &Path, planned: &[Planned]) -> Result<Summary> {
    let (git, created_repo) = open_or_init(into)?;
    let root = git
        .workdir()
        .map(Path::to_path_buf)
        .ok_or_else(|| RepoError::Bare {
            path: into.to_path_buf(),
        })?;
    let ctx = |what: &str| RepoError::git(format!("{what} in {}", root.display()));
    let leftovers = refuse_dirty(&git, &root, planned)?;

    // HEAD's branch, born or not: that is what the import extends.
    let head_ref = git
        .find_reference("HEAD")
        .map_err(ctx("cannot read HEAD"))?;
    // A name that is not UTF-8 cannot be handled here; treat it like a detached HEAD.
    let branch = match head_ref.symbolic_target() {
        Ok(Some(name)) => name.to_string(),
        _ => "HEAD".to_string(),
    };
    let tip: Option<Oid> = match git.refname_to_id(&branch) {
        Ok(id) => Some(id),
        Err(e) if e.code() == ErrorCode::NotFound => None,
        Err(e) => {
            return Err(RepoError::Git {
                context: format!("cannot read {branch} in {}", root.display()),
                cause: e,
            }
            .into());
        }
    };

    // What is already there: (draft, blob, message) of every commit on the branch, and tags.
    let drafts: HashSet<&str> = planned.iter().map(|p| p.draft.as_str()).collect();
    let mut present: HashMap<(String, Oid, String), Oid> = HashMap::new();
    if let Some(tip) = tip {
        let mut walk = git.revwalk().map_err(ctx("cannot walk the history"))?;
        walk.push(tip).map_err(ctx("cannot walk the history"))?;
        for oid in walk {
            let oid = oid.map_err(ctx("cannot walk the history"))?;
            let commit = git.find_commit(oid).map_err(ctx("cannot read a commit"))?;
            let Ok(tree) = commit.tree() else { continue };
            let message = String::from_utf8_lossy(commit.message_bytes()).into_owned();
            for draft in &drafts {
                if let Some(blob) = blob_at(&tree, draft) {
                    present
                        .entry((draft.to_string(), blob, message.clone()))
                        .or_insert(oid);
                }
            }
        }
    }

    // Check every tag before writing anything, so a conflict leaves the repository untouched.
    let mut blobs = Vec::with_capacity(planned.len());
    for p in planned {
        let blob = Oid::hash_object(ObjectType::Blob, p.text.as_bytes())
            .map_err(ctx("cannot hash a draft"))?;
        if let Some(tag) = &p.tag
            && let Some(commit) = tagged_commit(&git, tag)?
        {
            let same = git
                .find_commit(commit)
                .ok()
                .and_then(|c| c.tree().ok())
                .and_then(|t| blob_at(&t, &p.draft))
                == Some(blob);
            if !same {
                return Err(ImportError::TagConflict {
                    tag: tag.clone(),
                    draft: p.draft.clone(),
                    repo: root.clone(),
                });
            }
        }
        blobs.push(blob);
    }

    let mut summary = Summary {
        repo: root.clone(),
        created_repo,
        ..Summary::default()
    };
    let mut head = tip;
    let mut tags: Vec<(String, Oid, &Planned)> = Vec::new();
    for (p, &blob) in planned.iter().zip(&blobs) {
        let key = (p.draft.clone(), blob, p.message.clone());
        let tagged = match &p.tag {
            Some(tag) => tagged_commit(&git, tag)?,
            None => None,
        };
        let existing = present.get(&key).copied().or(tagged);
        let commit = match existing {
            Some(commit) => {
                summary.present += 1;
                commit
            }
            None => {
                let written = git
                    .blob(p.text.as_bytes())
                    .map_err(ctx("cannot write a draft"))?;
                let parent = match head {
                    Some(id) => Some(
                        git.find_commit(id)
                            .map_err(ctx("cannot read the branch tip"))?,
                    ),
                    None => None,
                };
                let base = match &parent {
                    Some(c) => c
                        .tree()
                        .map_err(ctx("cannot read the branch tip's files"))?,
                    None => {
                        let empty = git
                            .treebuilder(None)
                            .and_then(|b| b.write())
                            .map_err(ctx("cannot write a tree"))?;
                        git.find_tree(empty).map_err(ctx("cannot write a tree"))?
                    }
                };
                let mut update = git2::build::TreeUpdateBuilder::new();
                update.upsert(p.draft.as_str(), written, git2::FileMode::Blob);
                let tree_id = update
                    .create_updated(&git, &base)
                    .map_err(ctx(&format!("cannot write the tree for {}", p.draft)))?;
                let tree = git.find_tree(tree_id).map_err(ctx("cannot read a tree"))?;
                let sig = signature(p)
                    .map_err(ctx(&format!("invalid author {} <{}>", p.name, p.email)))?;
                let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
                let id = git
                    .commit(None, &sig, &sig, &p.message, &tree, &parents)
                    .map_err(ctx("cannot write a commit"))?;
                present.insert(key, id);
                summary.commits += 1;
                head = Some(id);
                id
            }
        };
        if let Some(tag) = &p.tag
            && tagged.is_none()
        {
            tags.push((tag.clone(), commit, p));
        }
    }

    if head != tip
        && let Some(new) = head
    {
        let moved = match tip {
            Some(old) => git.reference_matching(&branch, new, true, old, "brackets import"),
            None => git.reference(&branch, new, false, "brackets import"),
        };
        moved.map_err(|e| match e.code() {
            ErrorCode::Modified | ErrorCode::Exists => ImportError::Raced {
                repo: root.clone(),
                branch: branch.clone(),
            },
            _ => RepoError::Git {
                context: format!("cannot update {branch} in {}", root.display()),
                cause: e,
            }
            .into(),
        })?;
    }
    for (name, commit, p) in &tags {
        let object = git
            .find_object(*commit, Some(ObjectType::Commit))
            .map_err(ctx("cannot read a commit"))?;
        let sig = signature(p).map_err(ctx("invalid tagger"))?;
        let message = format!("{}\n", p.label.as_deref().unwrap_or(name).trim_end());
        git.tag(name, &object, &sig, &message, false)
            .map_err(ctx(&format!("cannot create tag {name}")))?;
        summary.tags += 1;
    }
    if summary.commits > 0 {
        // The working tree was clean (checked above), so a forced checkout only brings the
        // imported drafts to disk and the index in line with HEAD.
        let mut checkout = git2::build::CheckoutBuilder::new();
        checkout.force();
        git.checkout_head(Some(&mut checkout))
            .map_err(ctx("cannot update the working tree"))?;
    } else if !leftovers.is_empty() {
        // An import killed between moving the branch and writing the working tree: finish
        // its checkout, of those drafts only.
        let mut checkout = git2::build::CheckoutBuilder::new();
        checkout.force();
        for p in &leftovers {
            checkout.path(p);
        }
        git.checkout_head(Some(&mut checkout))
            .map_err(ctx("cannot update the working tree"))?;
    }
    Ok(summary)
}

fn signature(p: &Planned) -> std::result::Result<Signature<'static>, git2::Error> {
    Signature::new(
        &p.name,
        &p.email,
        &git2::Time::new(p.seconds, p.offset_minutes),
    )
}

fn blob_at(tree: &git2::Tree<'_>, path: &str) -> Option<Oid> {
    let entry = tree.get_path(Path::new(path)).ok()?;
    (entry.kind() == Some(ObjectType::Blob)).then(|| entry.id())
}

fn tagged_commit(git: &Repository, tag: &str) -> Result<Option<Oid>> {
    match git.find_reference(&format!("refs/tags/{tag}")) {
        Ok(r) => Ok(r.peel_to_commit().ok().map(|c| c.id())),
        Err(e) if e.code() == ErrorCode::NotFound => Ok(None),
        Err(e) => Err(RepoError::Git {
            context: format!("cannot read tag {tag}"),
            cause: e,
        }
        .into()),
    }
}

/// Opens the repository at `into`, or creates it (branch `main`) when the folder is missing or
/// empty.
fn open_or_init(into: &Path) -> Result<(Repository, bool)> {
    match Repository::open(into) {
        Ok(git) if git.is_bare() => Err(RepoError::Bare {
            path: into.to_path_buf(),
        }
        .into()),
        Ok(git) => Ok((git, false)),
        Err(e) if e.code() == ErrorCode::NotFound => {
            let empty = match std::fs::read_dir(into) {
                Ok(mut entries) => entries.next().is_none(),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => true,
                Err(source) => {
                    return Err(ImportError::Io {
                        path: into.to_path_buf(),
                        cause: source,
                    });
                }
            };
            if !empty {
                return Err(ImportError::NotEmpty {
                    path: into.to_path_buf(),
                });
            }
            let mut options = git2::RepositoryInitOptions::new();
            options.initial_head("main").mkpath(true).no_reinit(true);
            let git = Repository::init_opts(into, &options).map_err(|source| RepoError::Git {
                context: format!("cannot create a repository at {}", into.display()),
                cause: source,
            })?;
            Ok((git, true))
        }
        Err(e) => Err(RepoError::Git {
            context: format!("cannot open the repository at {}", into.display()),
            cause: e,
        }
        .into()),
    }
}

/// Uncommitted changes to tracked files, or an untracked file where a draft will be written,
/// stop the import: the checkout at the end must not overwrite anyone's work. A draft being
/// imported that is missing from the working tree or holds one of the texts being imported is
/// no one's work but what an interrupted import left (killed after moving the branch, before
/// or during the checkout): those drafts are returned, to be checked out again. So is a draft
/// holding the start of one of those texts while the index still differs from HEAD there:
/// libgit2's checkout truncates and writes each file in place and writes the index only at
/// the end, so a kill in the middle of a file leaves exactly that.
fn refuse_dirty(git: &Repository, root: &Path, planned: &[Planned]) -> Result<Vec<String>> {
    let mut options = git2::StatusOptions::new();
    options
        .include_untracked(false)
        .include_ignored(false)
        .exclude_submodules(true);
    let statuses = git
        .statuses(Some(&mut options))
        .map_err(RepoError::git(format!(
            "cannot read the status of {}",
            root.display()
        )))?;
    let mut dirty: Vec<(String, git2::Status)> = statuses
        .iter()
        .filter(|s| s.status() != git2::Status::CURRENT)
        .map(|s| {
            (
                String::from_utf8_lossy(s.path_bytes()).into_owned(),
                s.status(),
            )
        })
        .collect();
    for p in planned {
        if !dirty.iter().any(|(path, _)| *path == p.draft)
            && let Ok(status) = git.status_file(Path::new(&p.draft))
            && status.contains(git2::Status::WT_NEW)
        {
            dirty.push((p.draft.clone(), status));
        }
    }
    let index_behind_head = git2::Status::INDEX_NEW
        | git2::Status::INDEX_MODIFIED
        | git2::Status::INDEX_DELETED
        | git2::Status::INDEX_RENAMED
        | git2::Status::INDEX_TYPECHANGE;
    let mut leftovers = Vec::new();
    dirty.retain(|(path, status)| {
        let texts: Vec<&str> = planned
            .iter()
            .filter(|p| p.draft == *path)
            .map(|p| p.text.as_str())
            .collect();
        if texts.is_empty() {
            return true;
        }
        let recoverable = match std::fs::read(root.join(path)) {
            Err(e) => e.kind() == std::io::ErrorKind::NotFound,
            Ok(bytes) => texts.iter().any(|t| {
                t.as_bytes() == bytes.as_slice()
                    || (status.intersects(index_behind_head) && t.as_bytes().starts_with(&bytes))
            }),
        };
        if recoverable {
            leftovers.push(path.clone());
        }
        !recoverable
    });
    if dirty.is_empty() {
        return Ok(leftovers);
    }
    let mut files = dirty
        .iter()
        .take(5)
        .map(|(path, _)| path.clone())
        .collect::<Vec<_>>()
        .join(", ");
    if dirty.len() > 5 {
        files.push_str(&format!(" and {} more", dirty.len() - 5));
    }
    Err(ImportError::Dirty {
        repo: root.to_path_buf(),
        files,
    })
}
