//! Draft references (DESIGN section 3): `PATH`, `PATH@REV`, `PATH@WORKTREE`.
//!
//! `@` may be part of a file name (`statement@un.md`), so the reference is split at an `@` only
//! when what follows is `WORKTREE` or resolves as a revision; a file that exists under the whole
//! name is always that file.

use super::{Repo, RepoError, Result};
use std::path::{Path, PathBuf};

/// Which iteration of a draft a reference names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum At {
    /// The file on disk.
    Worktree,
    /// A git revision as the user wrote it (`rev1`, `HEAD~2`, a commit id).
    Rev(String),
}

/// A resolved reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Resolved {
    /// A plain path (the file on disk), not inside any repository.
    File(PathBuf),
    /// A draft inside a repository.
    InRepo {
        /// The path as the user wrote it, without the `@REV` part.
        given: PathBuf,
        /// The repository's working-tree root.
        root: PathBuf,
        /// The path inside the repository, `/`-separated.
        path: String,
        /// `None`: a plain `PATH` (the file on disk, whose history is known).
        at: Option<At>,
    },
}

/// The repository a reference was resolved in, still open, and the commit its revision named
/// then (`None` for a path or `WORKTREE`).
pub struct Opened {
    pub repo: Repo,
    pub commit: Option<git2::Oid>,
}

/// Resolves a reference relative to the current folder.
pub fn resolve(reference: &str) -> Result<Resolved> {
    resolve_open(reference).map(|(resolved, _)| resolved)
}

/// [`resolve`], also handing back the repository it opened to resolve the reference (for
/// `InRepo`) and the commit it found, so a caller reading the draft need not discover and open
/// the repository, nor resolve the revision, again.
pub fn resolve_open(reference: &str) -> Result<(Resolved, Option<Opened>)> {
    let whole = Path::new(reference);
    // A file that exists under the whole name wins: `@` is then part of its name.
    if whole.is_file() || !reference.contains('@') {
        return plain(whole);
    }
    let mut last_error = None;
    // Try each `@` from the right so `draft.md@HEAD@{1}`-style revisions and names holding
    // `@` both work.
    for (i, _) in reference.rmatch_indices('@') {
        let (path, rev) = (&reference[..i], &reference[i + 1..]);
        if path.is_empty() || rev.is_empty() {
            continue;
        }
        let given = Path::new(path);
        let repo = match Repo::discover(given) {
            Ok(repo) => repo,
            Err(e) => {
                last_error.get_or_insert(e);
                continue;
            }
        };
        let inside = repo.relative(given)?;
        if rev == "WORKTREE" {
            let resolved = Resolved::InRepo {
                given: given.to_path_buf(),
                root: repo.root().to_path_buf(),
                path: inside,
                at: Some(At::Worktree),
            };
            return Ok((resolved, Some(Opened { repo, commit: None })));
        }
        let found = repo.resolve_revision(rev).map(|c| c.id());
        match found {
            Ok(commit) => {
                let resolved = Resolved::InRepo {
                    given: given.to_path_buf(),
                    root: repo.root().to_path_buf(),
                    path: inside,
                    at: Some(At::Rev(rev.to_string())),
                };
                let commit = Some(commit);
                return Ok((resolved, Some(Opened { repo, commit })));
            }
            Err(e) => {
                last_error.get_or_insert(e);
            }
        }
    }
    // No split worked: report the rightmost attempt's problem (most likely a mistyped
    // revision), unless the whole name was meant as a plain path.
    match last_error {
        Some(e) => Err(e),
        None => plain(whole),
    }
}

fn plain(path: &Path) -> Result<(Resolved, Option<Opened>)> {
    match Repo::discover(path) {
        Ok(repo) => {
            let inside = repo.relative(path)?;
            let resolved = Resolved::InRepo {
                given: path.to_path_buf(),
                root: repo.root().to_path_buf(),
                path: inside,
                at: None,
            };
            Ok((resolved, Some(Opened { repo, commit: None })))
        }
        // Outside a repository (or in a bare one) a plain file is still readable.
        Err(RepoError::NotARepository { .. } | RepoError::Bare { .. }) => {
            Ok((Resolved::File(path.to_path_buf()), None))
        }
        Err(e) => Err(e),
    }
}
