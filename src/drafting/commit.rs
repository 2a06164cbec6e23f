//! Committing the next iteration of a draft: exactly the draft file (and its comments file),
//! with the author from git config, `Proposed-by:` / `On-behalf-of:` trailers as
//! `repo::Trailers` reads them, and an optional tag. Refuses rather than guesses when the
//! repository moved under the editor.

use crate::comments;
use crate::repo::Repo;
use git2::{ErrorCode, Oid};

#[derive(Debug, thiserror::Error)]
pub enum CommitError {
    #[error(
        "HEAD moved since the draft was loaded (expected {expected}, found {found}); reload first"
    )]
    HeadMoved { expected: String, found: String },
    #[error("the index has staged changes to other files ({}); commit or unstage them first", .0.join(", "))]
    UnrelatedStaged(Vec<String>),
    #[error("tag {0} already exists")]
    TagExists(String),
    #[error("`{0}` is not a valid tag name")]
    BadTag(String),
    #[error("no commit message")]
    EmptyMessage,
    #[error("`{0}` cannot be written as a trailer value (no commas or line breaks)")]
    BadTrailer(String),
    #[error("no author: set user.name and user.email in git config ({0})")]
    MissingIdentity(String),
    #[error("{0} is not in the working tree")]
    MissingDraft(String),
    #[error("nothing to commit: {0} is unchanged since HEAD")]
    NothingToCommit(String),
    #[error(
        "{context}: {path} exists: another git or brackets process is writing the repository, or one was stopped while doing so; if none is running, remove {path} and commit again"
    )]
    Locked { context: &'static str, path: String },
    #[error("{context}: {}", .cause.message())]
    Git {
        context: &'static str,
        cause: git2::Error,
    },
}

fn fail(context: &'static str) -> impl FnOnce(git2::Error) -> CommitError {
    move |cause| CommitError::Git { context, cause }
}

/// Like [`fail`], naming the lock file git (or a killed process) left, when that is the cause.
fn fail_locked(
    context: &'static str,
    lock: std::path::PathBuf,
) -> impl FnOnce(git2::Error) -> CommitError {
    move |cause| {
        if cause.code() != ErrorCode::Locked {
            return CommitError::Git { context, cause };
        }
        // libgit2 names the file in its message ('failed to lock file '…' for writing').
        let path = cause
            .message()
            .split('\'')
            .find(|p| p.ends_with(".lock"))
            .map(str::to_string)
            .unwrap_or_else(|| lock.display().to_string());
        CommitError::Locked { context, path }
    }
}

/// What to commit.
#[derive(Debug, Clone, Default)]
pub struct CommitRequest {
    /// The draft, relative to the repository root, `/`-separated (as `Repo::relative` gives).
    pub draft: String,
    pub message: String,
    pub proposed_by: Vec<String>,
    pub on_behalf_of: Vec<String>,
    /// `rev4`: a lightweight tag on the new commit.
    pub tag: Option<String>,
    /// HEAD when the editor loaded the draft; `None` for a repository with no commits yet.
    pub expected_head: Option<Oid>,
}

/// The commit message with its trailers, one per line, in the last paragraph.
pub fn message_with_trailers(
    message: &str,
    proposed_by: &[String],
    on_behalf_of: &[String],
) -> Result<String, CommitError> {
    let body = message.trim();
    if body.is_empty() {
        return Err(CommitError::EmptyMessage);
    }
    let mut out = body.to_string();
    let mut first = true;
    for (key, values) in [("Proposed-by", proposed_by), ("On-behalf-of", on_behalf_of)] {
        for value in values {
            let v = value.trim();
            if v.is_empty() || v.contains([',', '\n', '\r']) {
                return Err(CommitError::BadTrailer(value.clone()));
            }
            out.push_str(if first { "\n\n" } else { "\n" });
            first = false;
            out.push_str(&format!("{key}: {v}"));
        }
    }
    out.push('\n');
    Ok(out)
}

/// Commits the next iteration of `request.draft` on the current branch; returns the commit.
pub fn commit_iteration(repo: &Repo, request: &CommitRequest) -> Result<Oid, CommitError> {
    let git = repo.git();
    let message = message_with_trailers(
        &request.message,
        &request.proposed_by,
        &request.on_behalf_of,
    )?;

    let head = match git.head() {
        Ok(h) => Some(h.peel_to_commit().map_err(fail("cannot read HEAD"))?),
        Err(e) if matches!(e.code(), ErrorCode::UnbornBranch | ErrorCode::NotFound) => None,
        Err(e) => return Err(fail("cannot read HEAD")(e)),
    };
    let found = head.as_ref().map(|c| c.id());
    if found != request.expected_head {
        let show = |o: Option<Oid>| o.map_or_else(|| "no commit".to_string(), |o| o.to_string());
        return Err(CommitError::HeadMoved {
            expected: show(request.expected_head),
            found: show(found),
        });
    }

    if let Some(tag) = &request.tag {
        let name = format!("refs/tags/{tag}");
        if tag.is_empty() || !git2::Reference::is_valid_name(&name) {
            return Err(CommitError::BadTag(tag.clone()));
        }
        if git.find_reference(&name).is_ok() {
            return Err(CommitError::TagExists(tag.clone()));
        }
    }

    let author = git
        .signature()
        .map_err(|e| CommitError::MissingIdentity(e.message().to_string()))?;

    let draft = request.draft.as_str();
    let comments_path = comments::path_for(draft);
    let ours = |p: &str| p == draft || p == comments_path;
    let mut index = git.index().map_err(fail("cannot read the index"))?;
    let head_tree = match &head {
        Some(c) => Some(c.tree().map_err(fail("cannot read HEAD's tree"))?),
        None => None,
    };
    let staged = git
        .diff_tree_to_index(head_tree.as_ref(), Some(&index), None)
        .map_err(fail("cannot compare the index with HEAD"))?;
    let others: Vec<String> = staged
        .deltas()
        .flat_map(|d| [d.old_file().path(), d.new_file().path()])
        .flatten()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .filter(|p| !ours(p))
        .collect::<std::collections::BTreeSet<_>>()
        .into_iter()
        .collect();
    if !others.is_empty() {
        return Err(CommitError::UnrelatedStaged(others));
    }

    let root = repo.root();
    if !root.join(draft).is_file() {
        return Err(CommitError::MissingDraft(draft.to_string()));
    }
    index
        .add_path(std::path::Path::new(draft))
        .map_err(fail("cannot stage the draft"))?;
    let comments_file = std::path::Path::new(&comments_path);
    if root.join(&comments_path).is_file() {
        index
            .add_path(comments_file)
            .map_err(fail("cannot stage the comments file"))?;
    } else if index.get_path(comments_file, 0).is_some() {
        // Every comment removed: the deletion belongs to this iteration too.
        index
            .remove_path(comments_file)
            .map_err(fail("cannot stage the removed comments file"))?;
    }
    let tree_id = index.write_tree().map_err(fail("cannot write the tree"))?;
    if head_tree.as_ref().is_some_and(|t| t.id() == tree_id) {
        return Err(CommitError::NothingToCommit(draft.to_string()));
    }
    index.write().map_err(fail_locked(
        "cannot write the index",
        git.path().join("index.lock"),
    ))?;
    let tree = git
        .find_tree(tree_id)
        .map_err(fail("cannot read the new tree"))?;
    let parents: Vec<&git2::Commit<'_>> = head.iter().collect();
    // libgit2 refuses to move HEAD when its tip is no longer the first parent, which closes
    // the window between the check above and this commit.
    let oid = git
        .commit(Some("HEAD"), &author, &author, &message, &tree, &parents)
        .map_err(fail_locked(
            "cannot create the commit",
            git.path().join("HEAD.lock"),
        ))?;
    if let Some(tag) = &request.tag {
        let object = git
            .find_object(oid, None)
            .map_err(fail("cannot read the new commit"))?;
        git.tag_lightweight(tag, &object, false)
            .map_err(fail("cannot create the tag"))?;
    }
    Ok(oid)
}
