//! Reading a draft from disk, with the actors its repository configures.

use crate::actors::Actors;
use crate::model::Document;
use crate::repo::{self, At, History, Repo, RepoError, Resolved};
use anyhow::{Context, Result, bail};
use std::path::Path;

pub struct Loaded {
    pub path: String,
    /// How the iteration is named to the user: `resolution.md@rev1 (1a2b3c4)`, or the path.
    pub label: String,
    pub actors: std::borrow::Cow<'static, Actors>,
    pub doc: Document,
}

/// Reads the file as UTF-8 text; a directory, a binary file or another encoding is refused
/// with a message saying which (the rule every reading of a draft shares: `repo::text`).
pub fn read_text(path: &Path) -> Result<String> {
    let shown = path.display().to_string();
    let meta = std::fs::metadata(path).with_context(|| format!("cannot read {shown}"))?;
    if meta.is_dir() {
        bail!("cannot read {shown}: it is a directory, not a draft file");
    }
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {shown}"))?;
    repo::draft_text(bytes).map_err(|reason| anyhow::anyhow!("cannot read {shown}: {reason}"))
}

/// A draft file on disk. A name that does not exist but reads as `PATH@REV` is taken as a
/// reference, so commands that take a path also take `resolution.md@rev1`.
pub fn load(path: &Path) -> Result<Loaded> {
    if !path.exists()
        && let Some(reference) = path.to_str()
        && reference.contains('@')
    {
        return load_ref(reference);
    }
    repo::check_links(path).with_context(|| format!("cannot read {}", path.display()))?;
    fetch_file(path)?.parse()
}

/// Parses a draft's text with the actors configured for `config_path`'s repository.
fn parsed(text: String, config_path: &Path, path: String, label: String) -> Result<Loaded> {
    let actors = Actors::for_draft(config_path)?;
    let doc = crate::parse::parse_owned(text, &actors);
    Ok(Loaded {
        label,
        path,
        actors,
        doc,
    })
}

/// A draft reference: `PATH`, `PATH@REV` or `PATH@WORKTREE` (DESIGN section 3).
pub fn load_ref(reference: &str) -> Result<Loaded> {
    fetch_ref(reference)?.parse()
}

/// A draft's text as read and not yet parsed: `diff` reads two iterations on two threads and
/// lets one know when the other has read its text, before parsing.
pub struct Fetched {
    text: String,
    config_path: std::path::PathBuf,
    path: String,
    label: String,
    /// What parsing errors are said to be about (`cannot read REF`), as for reading errors.
    context: Option<String>,
    /// The repository the text was read from, still open (see [`Fetched::keep_repository`]).
    repo: Option<Repo>,
}

impl Fetched {
    /// The repository the text was read from. Kept open, it keeps its pack's cache of the
    /// delta bases it inflated: the next iteration's blob, read by another repository of the
    /// same pack, shares most of its delta chain (libgit2 shares an open pack between
    /// repositories, and frees it with its cache when the last one closes).
    pub fn keep_repository(&mut self) -> Option<Repo> {
        self.repo.take()
    }

    pub fn parse(self) -> Result<Loaded> {
        let parsed = parsed(self.text, &self.config_path, self.path, self.label);
        match self.context {
            Some(context) => parsed.context(context),
            None => parsed,
        }
    }
}

/// Reads the draft `reference` names, without parsing it.
pub fn fetch_ref(reference: &str) -> Result<Fetched> {
    fetch_ref_when(reference, || {})
}

/// [`fetch_ref`], calling `before_blob` before a draft in a revision is read (see
/// [`Repo::read_in_commit_when`]); not called for a file on disk or in the working tree.
pub fn fetch_ref_when(reference: &str, before_blob: impl FnOnce()) -> Result<Fetched> {
    let context = || format!("cannot read {reference}");
    let (resolved, opened) = repo::resolve_open(reference).with_context(context)?;
    let (given, root, path, at) = match resolved {
        // A file on disk: `read_text` names it in its own errors.
        Resolved::File(path) => return fetch_file(&path),
        Resolved::InRepo {
            given, at: None, ..
        } => return fetch_file(&given),
        Resolved::InRepo {
            given,
            root,
            path,
            at: Some(at),
        } => (given, root, path, at),
    };
    let read = || -> Result<Fetched> {
        // The repository that resolved the reference, and the commit it found: neither opened
        // nor resolved a second time.
        let (repo, found) = match opened {
            Some(o) => (o.repo, o.commit),
            None => (Repo::open(&root)?, None),
        };
        let shown = given.display().to_string();
        let (text, label) = match at {
            At::Worktree => (repo.read_worktree(&path)?, format!("{shown}@WORKTREE")),
            At::Rev(rev) => {
                let commit = match found {
                    Some(id) => repo.commit(id)?,
                    None => repo.resolve_revision(&rev)?,
                };
                let text = repo.read_in_commit_when(&path, &commit, &rev, before_blob)?;
                (text, format!("{shown}@{rev} ({})", short(commit.id())))
            }
        };
        Ok(Fetched {
            text,
            config_path: given,
            path: shown,
            label,
            context: Some(context()),
            repo: Some(repo),
        })
    };
    read().with_context(context)
}

fn fetch_file(path: &Path) -> Result<Fetched> {
    let shown = path.display().to_string();
    Ok(Fetched {
        text: read_text(path)?,
        config_path: path.to_path_buf(),
        path: shown.clone(),
        label: shown,
        context: None,
        repo: None,
    })
}

fn short(id: git2::Oid) -> String {
    id.to_string().chars().take(7).collect()
}

/// For `brackets diff REF`: the iteration before REF and REF itself (HEAD and the working tree
/// when the file has uncommitted changes).
pub fn previous_and_current(reference: &str) -> Result<(Loaded, Loaded)> {
    previous_and_current_of(reference)
        .with_context(|| format!("cannot compare {reference} with its previous iteration"))
}

fn previous_and_current_of(reference: &str) -> Result<(Loaded, Loaded)> {
    let (given, root, path, at) = match repo::resolve(reference)? {
        Resolved::File(path) => bail!(
            "{} is not in a git repository; give two files",
            path.display()
        ),
        Resolved::InRepo {
            given,
            root,
            path,
            at,
        } => (given, root, path, at),
    };
    let shown = given.display().to_string();
    if at.is_none() && given.is_dir() {
        bail!("{shown} is a directory, not a draft file");
    }
    let repo = Repo::open(&root)?;
    if at.is_none() && !given.exists() {
        let committed = repo
            .head_commit()
            .ok()
            .is_some_and(|head| repo.blob_in(&head, &path).is_some());
        if committed {
            bail!("{shown} was deleted from the working tree; name an iteration: {shown}@HEAD");
        }
        bail!("no such file: {shown}");
    }
    // The committed iteration at `commit` (named `rev` to the user) as a Loaded.
    let at_commit = |commit: &git2::Commit<'_>, inside: &str, rev: &str| -> Result<Loaded> {
        let text = repo.read_in_commit(inside, commit, rev)?;
        let label = format!("{shown}@{rev} ({})", short(commit.id()));
        parsed(text, &given, shown.clone(), label)
    };
    let worktree = || -> Result<Loaded> {
        let text = repo.read_worktree(&path)?;
        parsed(text, &given, shown.clone(), format!("{shown}@WORKTREE"))
    };
    let head_vs_worktree = || -> Result<(Loaded, Loaded)> {
        let head = repo.head_commit()?;
        if repo.blob_in(&head, &path).is_none() {
            bail!("{shown} is not committed yet (HEAD has no {path})");
        }
        Ok((at_commit(&head, &path, "HEAD")?, worktree()?))
    };
    let (start, rev) = match at {
        Some(At::Worktree) => return head_vs_worktree(),
        Some(At::Rev(rev)) => (repo.resolve_revision(&rev)?, rev),
        None => {
            if repo.worktree_changed(&path)? {
                return head_vs_worktree();
            }
            (repo.head_commit()?, "HEAD".to_string())
        }
    };
    let history = repo.history_from(&start, &path, &rev)?;
    // The newest iteration holds the text at `rev`; the one after it in the list (older) is
    // the previous iteration.
    let Some(previous) = history.iterations.get(1) else {
        return Err(repo::RepoError::NoPreviousIteration {
            path: path.clone(),
            rev,
        }
        .into());
    };
    let previous_commit = repo.resolve_revision(&previous.commit)?;
    let previous_rev = previous
        .tags
        .first()
        .cloned()
        .unwrap_or_else(|| previous.short.clone());
    let old = at_commit(&previous_commit, &previous.path, &previous_rev)?;
    let new = at_commit(&start, &path, &rev)?;
    Ok((old, new))
}

/// A draft's committed history, for the commands that walk it (`log`, the ledger's).
pub struct DraftHistory {
    /// The path as the user gave it.
    pub given: std::path::PathBuf,
    /// The path inside the repository.
    pub path: String,
    /// Whether the reference named a revision (`PATH@REV`) rather than the draft alone.
    pub at_revision: bool,
    pub repo: Repo,
    pub history: History,
}

/// Opens the history of a draft reference (`PATH`, or `PATH@REV` to stop at REV); `doing`
/// says what for in errors ("list the iterations of"). Warns on stderr about a shallow clone.
pub fn history(reference: &str, doing: &str) -> Result<DraftHistory> {
    let context = || format!("cannot {doing} {reference}");
    let (given, root, path, at) = match repo::resolve(reference).with_context(context)? {
        Resolved::File(p) => {
            // Say why there is no history: no repository at all, or a bare one.
            let why = match Repo::discover(&p) {
                Err(e) => e,
                Ok(_) => RepoError::NotARepository { path: p.clone() },
            };
            return Err(why).with_context(|| format!("cannot {doing} {}", p.display()));
        }
        Resolved::InRepo {
            given,
            root,
            path,
            at,
        } => (given, root, path, at),
    };
    let repo = Repo::open(&root).with_context(context)?;
    let history = match &at {
        Some(At::Rev(rev)) => {
            let start = repo.resolve_revision(rev).with_context(context)?;
            repo.history_from(&start, &path, rev)
                .with_context(context)?
        }
        Some(At::Worktree) => {
            bail!("cannot {doing} {reference}: WORKTREE is not committed; give the path alone")
        }
        None if given.is_dir() => bail!(
            "cannot {doing} {}: it is a directory, not a draft file",
            given.display()
        ),
        None => match repo.history(&path) {
            Err(RepoError::PathNotInRevision { .. }) => bail!(
                "cannot {doing} {}: it is not committed in {} (HEAD has no {path})",
                given.display(),
                root.display()
            ),
            other => other.with_context(context)?,
        },
    };
    if history.shallow {
        eprintln!(
            "brackets: warning: {} is a shallow clone: older iterations of {path} may be missing (git fetch --unshallow)",
            crate::text::visible(&root.display().to_string())
        );
    }
    Ok(DraftHistory {
        given,
        path,
        at_revision: at.is_some(),
        repo,
        history,
    })
}
